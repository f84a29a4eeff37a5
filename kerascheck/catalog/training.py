"""What Keras does around training: the names it logs, what callbacks watch,
which objects are constraints, which layers carry a bias. Plain data, checked
against the installed Keras in tests/test_keras_facts_training.py."""

from __future__ import annotations

from kerascheck.catalog import names
from kerascheck.catalog.api import CONVOLUTION_LAYERS

# `metrics=["accuracy"]` and `["acc"]` pick BinaryAccuracy, CategoricalAccuracy
# or SparseCategoricalAccuracy by the output's shape; on a one-unit output that
# is BinaryAccuracy(threshold=0.5), as is the explicit "binary_accuracy".
ACCURACY_STRINGS = frozenset({"accuracy", "acc"})
BINARY_ACCURACY_STRINGS = ACCURACY_STRINGS | {"binary_accuracy"}

# A metric given as a string is logged under that very string (`"acc"` logs
# `acc` and `val_acc`, `"AUC"` logs `AUC`); the loss is logged as `loss`.
LOGGED_LOSS = "loss"
VALIDATION_PREFIX = "val_"
# Quantities a monitor may name that a metric string can produce: anything else
# may come from a callback that writes its own entry into the logs. Lower case:
# `"auc"` and `"AUC"` are both metric strings.
MONITORABLE = frozenset(
    name.lower()
    for name in names.KERAS3_METRICS | names.KERAS2_METRICS | {LOGGED_LOSS, "acc", "accuracy"}
)

# The Keras callback that runs the user's own functions at each epoch, which
# may write any key into the logs (and so into the history).
USER_CODE_CALLBACKS = frozenset({"LambdaCallback"})

# Callbacks with a `monitor=`, and what they silently do when it is never logged.
# ModelCheckpoint reads it only when it keeps the best model.
MONITORING_CALLBACKS = {
    "EarlyStopping": "never stops training early",
    "ReduceLROnPlateau": "never lowers the learning rate",
    "ModelCheckpoint": "never saves a checkpoint",
}

# Constraints, by every public spelling (`keras.constraints.max_norm`, `MaxNorm` ...).
CONSTRAINTS = frozenset(
    {
        "max_norm",
        "MaxNorm",
        "non_neg",
        "NonNeg",
        "unit_norm",
        "UnitNorm",
        "min_max_norm",
        "MinMaxNorm",
    }
)
# `<weights>_regularizer=` keywords and the `<weights>_constraint=` that
# constrains the same weights (activity_regularizer has no constraint).
REGULARIZER_KEYWORDS = {
    "kernel_regularizer": "kernel_constraint",
    "bias_regularizer": "bias_constraint",
    "recurrent_regularizer": "recurrent_constraint",
    "depthwise_regularizer": "depthwise_constraint",
    "pointwise_regularizer": "pointwise_constraint",
    "embeddings_regularizer": "embeddings_constraint",
    "beta_regularizer": "beta_constraint",
    "gamma_regularizer": "gamma_constraint",
    "activity_regularizer": None,
}

# Layers with a `use_bias=` (default True) whose bias a following
# BatchNormalization cancels: it subtracts the per-channel mean.
BIASED_LAYERS = frozenset({"Dense", *CONVOLUTION_LAYERS})
DROPOUT_LAYERS = frozenset({"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"})
BATCH_NORMALIZATION = "BatchNormalization"

# -- data preparation (scikit-learn, which Keras code uses around the model) ---

# Preprocessors whose fit learns statistics of the data (means, ranges,
# quantiles, components). Encoders are left out on purpose: a label or category
# vocabulary learned from all the data leaks nothing a model could exploit.
FITTED_PREPROCESSORS = frozenset(
    {
        "sklearn.preprocessing.StandardScaler",
        "sklearn.preprocessing.MinMaxScaler",
        "sklearn.preprocessing.RobustScaler",
        "sklearn.preprocessing.MaxAbsScaler",
        "sklearn.preprocessing.QuantileTransformer",
        "sklearn.preprocessing.PowerTransformer",
        "sklearn.impute.SimpleImputer",
        "sklearn.impute.KNNImputer",
        "sklearn.decomposition.PCA",
    }
)
PREPROCESSOR_FITS = frozenset({"fit", "fit_transform"})
SPLIT_FUNCTIONS = frozenset({"sklearn.model_selection.train_test_split"})
# Cross-validators whose `.split(X)` yields train and test indices.
SPLITTERS = frozenset(
    {
        "sklearn.model_selection.KFold",
        "sklearn.model_selection.StratifiedKFold",
        "sklearn.model_selection.RepeatedKFold",
        "sklearn.model_selection.RepeatedStratifiedKFold",
        "sklearn.model_selection.ShuffleSplit",
        "sklearn.model_selection.StratifiedShuffleSplit",
        "sklearn.model_selection.GroupKFold",
    }
)

# Words that name an overlap loss (Dice, IoU/Jaccard, Tversky, Lovász) in a
# user's or a library's loss function: all of them compare probabilities in
# [0, 1] with the mask, so a relu output breaks them.
OVERLAP_LOSS_WORDS = frozenset({"dice", "iou", "jaccard", "tversky", "lovasz"})

# Keras dataset loaders (`keras.datasets.<name>.load_data()`) and how many classes
# their labels hold, as each loader's docstring states (checked in
# tests/test_keras_facts_training.py). imdb's labels are 0/1 sentiments.
DATASET_CLASSES = {
    "mnist": 10,
    "fashion_mnist": 10,
    "cifar10": 10,
    "cifar100": 100,
    "reuters": 46,
    "imdb": 2,
}
BINARY_DATASETS = frozenset({"imdb"})
# cifar100.load_data(label_mode=...): "fine" (the default) or "coarse".
CIFAR100_LABEL_MODES = {"fine": 100, "coarse": 20}
