"""The strings Keras accepts for losses, metrics, optimizers and activations.

KERAS3_* hold what `keras.<module>.get(name)` accepts in Keras 3 (tests check
them against the installed Keras, so they cannot drift); KERAS2_* add names only
Keras 2 (tf.keras before 2.16) accepts: code written for it is not a typo.
"""

from __future__ import annotations

KERAS3_LOSSES = frozenset(
    {
        "BinaryCrossentropy",
        "BinaryFocalCrossentropy",
        "CTC",
        "CategoricalCrossentropy",
        "CategoricalFocalCrossentropy",
        "CategoricalHinge",
        "Circle",
        "CosineSimilarity",
        "Dice",
        "Hinge",
        "Huber",
        "KLDivergence",
        "LogCosh",
        "MeanAbsoluteError",
        "MeanAbsolutePercentageError",
        "MeanSquaredError",
        "MeanSquaredLogarithmicError",
        "Poisson",
        "SparseCategoricalCrossentropy",
        "SquaredHinge",
        "Tversky",
        "bce",
        "binary_crossentropy",
        "binary_focal_crossentropy",
        "categorical_crossentropy",
        "categorical_focal_crossentropy",
        "categorical_hinge",
        "circle",
        "cosine_similarity",
        "ctc",
        "dice",
        "hinge",
        "huber",
        "kl_divergence",
        "kld",
        "log_cosh",
        "mae",
        "mape",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_squared_error",
        "mean_squared_logarithmic_error",
        "mse",
        "msle",
        "poisson",
        "sparse_categorical_crossentropy",
        "squared_hinge",
        "tversky",
    }
)
KERAS2_LOSSES = frozenset(
    {
        "logcosh",
        "kullback_leibler_divergence",
        "huber_loss",
        "KLD",
        "MSE",
        "MAE",
        "MAPE",
        "MSLE",
        "cosine_proximity",
    }
)

KERAS3_METRICS = frozenset(
    {
        "AUC",
        "Accuracy",
        "BinaryAccuracy",
        "BinaryCrossentropy",
        "BinaryIoU",
        "CategoricalAccuracy",
        "CategoricalCrossentropy",
        "CategoricalHinge",
        "ConcordanceCorrelation",
        "CosineSimilarity",
        "F1Score",
        "FBetaScore",
        "FalseNegatives",
        "FalsePositives",
        "Hinge",
        "KLDivergence",
        "LogCoshError",
        "Mean",
        "MeanAbsoluteError",
        "MeanAbsolutePercentageError",
        "MeanSquaredError",
        "MeanSquaredLogarithmicError",
        "PearsonCorrelation",
        "Poisson",
        "Precision",
        "R2Score",
        "Recall",
        "RootMeanSquaredError",
        "SparseCategoricalAccuracy",
        "SparseCategoricalCrossentropy",
        "SparseTopKCategoricalAccuracy",
        "SquaredHinge",
        "Sum",
        "TopKCategoricalAccuracy",
        "TrueNegatives",
        "TruePositives",
        "accuracy",
        "bce",
        "binary_accuracy",
        "binary_crossentropy",
        "categorical_accuracy",
        "categorical_crossentropy",
        "categorical_hinge",
        "concordance_correlation",
        "hinge",
        "kl_divergence",
        "mae",
        "mape",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_squared_error",
        "mean_squared_logarithmic_error",
        "mse",
        "msle",
        "pearson_correlation",
        "poisson",
        "sparse_categorical_accuracy",
        "sparse_categorical_crossentropy",
        "sparse_top_k_categorical_accuracy",
        "squared_hinge",
        "top_k_categorical_accuracy",
        # compile() special-cases these although metrics.get() rejects them.
        "acc",
    }
)
KERAS2_METRICS = frozenset(
    {
        "ce",
        "crossentropy",
        "logcosh",
        "kullback_leibler_divergence",
        "cosine_proximity",
        "KLD",
        "MSE",
        "MAE",
        "MAPE",
        "MSLE",
        "kld",
    }
)

# Optimizer names are matched without regard to case, as Keras does.
KERAS3_OPTIMIZERS = frozenset(
    {
        "adadelta",
        "adafactor",
        "adagrad",
        "adam",
        "adamw",
        "adamax",
        "ftrl",
        "lion",
        "muon",
        "nadam",
        "rmsprop",
        "sgd",
        "schedulefreeadamw",
    }
)
KERAS2_OPTIMIZERS = frozenset()

KERAS3_ACTIVATIONS = frozenset(
    {
        "celu",
        "elu",
        "exponential",
        "gelu",
        "glu",
        "hard_shrink",
        "hard_sigmoid",
        "hard_silu",
        "hard_swish",
        "hard_tanh",
        "leaky_relu",
        "linear",
        "log_sigmoid",
        "log_softmax",
        "mish",
        "relu",
        "relu6",
        "selu",
        "sigmoid",
        "silu",
        "soft_shrink",
        "softmax",
        "softplus",
        "softsign",
        "sparse_plus",
        "sparse_sigmoid",
        "sparsemax",
        "squareplus",
        "swish",
        "tanh",
        "tanh_shrink",
        "threshold",
    }
)
KERAS2_ACTIVATIONS = frozenset()

LOSS_NAMES = KERAS3_LOSSES | KERAS2_LOSSES
# A metric may also be named by any loss.
METRIC_NAMES = KERAS3_METRICS | KERAS2_METRICS | LOSS_NAMES
OPTIMIZER_NAMES = KERAS3_OPTIMIZERS | KERAS2_OPTIMIZERS
ACTIVATION_NAMES = KERAS3_ACTIVATIONS | KERAS2_ACTIVATIONS
