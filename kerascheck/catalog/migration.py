"""What Keras 3 rejects that Keras 2 accepted: save paths, arguments, removed names.

Plain data, checked against the installed Keras (3.15.1) by
tests/test_keras3_migration_catalog.py, which also holds Keras's exact words.
"""

from __future__ import annotations

import enum

# Roots that are Keras 2 whatever the TensorFlow version: their old APIs still work.
KERAS2_ROOTS = ("tf_keras", "tensorflow.python.keras")


def is_keras2(qualname: str) -> bool:
    return qualname.startswith(KERAS2_ROOTS)


# -- saving ---------------------------------------------------------------------


class SaveTarget(enum.Enum):
    """What a call saves or loads, and the file endings Keras 3 accepts for it."""

    MODEL = ("model", (".keras", ".h5", ".hdf5"))  # model.save / keras.saving.save_model
    # model.save_weights, ModelCheckpoint(save_weights_only=True)
    WEIGHTS = ("weights", (".weights.h5",))
    CHECKPOINT = ("checkpoint", (".keras", ".h5"))  # ModelCheckpoint: `.hdf5` is refused
    LOAD = ("load", (".keras", ".h5", ".hdf5"))  # keras.models.load_model

    @property
    def endings(self) -> tuple[str, ...]:
        return self.value[1]


# Model methods and Keras functions that take a path: name -> (accepted endings,
# index of the path among the positional arguments).
SAVE_METHODS = {"save": SaveTarget.MODEL, "save_weights": SaveTarget.WEIGHTS}
SAVE_FUNCTIONS = {
    "models.save_model": (SaveTarget.MODEL, 1),
    "saving.save_model": (SaveTarget.MODEL, 1),
    "models.load_model": (SaveTarget.LOAD, 0),
    "saving.load_model": (SaveTarget.LOAD, 0),
}
CHECKPOINT_PATH = "callbacks.ModelCheckpoint"
# `save(..., save_format="tf")` asked for a SavedModel: Keras 3 ignores it beside a
# `.keras`/`.h5` path (and writes that format instead) and raises without one.
SAVEDMODEL_FORMATS = {"tf", "tensorflow"}


# -- arguments Keras 3 rejects or ignores -------------------------------------------

# Any layer: `batch_input_shape` -> "Unrecognized keyword arguments".
REJECTED_LAYER_ARGUMENTS = {
    "batch_input_shape": "use `keras.Input(batch_shape=...)` as the model's first element",
}
# Layer -> argument Keras 3 warns about and ignores.
IGNORED_LAYER_ARGUMENTS = {"Embedding": "input_length"}
# Model methods that lost their data-loading arguments (TypeError).
QUEUE_ARGUMENTS = ("workers", "use_multiprocessing", "max_queue_size")
QUEUE_METHODS = ("fit", "evaluate", "predict")
# ModelCheckpoint(period=) -> TypeError.
REMOVED_CHECKPOINT_ARGUMENTS = {"period": "use `save_freq=` (counted in batches, not epochs)"}
# `compile(metrics="accuracy")`: metrics must be a list, tuple or dict.
METRIC_CONTAINERS = "list, tuple, or dict"
# Layer names may not hold this character (ValueError).
LAYER_NAME_FORBIDDEN = "/"
# Pooling layers whose pool_size lost its Keras 2 default of 2 (MaxPooling kept it).
POOL_SIZE_REQUIRED = {"AveragePooling1D", "AveragePooling2D", "AveragePooling3D"}
KERAS2_POOL_SIZE = "2"
# Keras 1/2 keyword names of keras.Model(...): -> Keras 3 name.
MODEL_ARGUMENT_RENAMES = {"input": "inputs", "output": "outputs"}


# -- names Keras 3 removed -----------------------------------------------------------

# Below the Keras root -> what to use instead (every Keras 3 root: tf.keras too).
REMOVED_NAMES = {
    "layers.CuDNNLSTM": "use `layers.LSTM`: it runs on cuDNN when its arguments allow",
    "layers.CuDNNGRU": "use `layers.GRU`: it runs on cuDNN when its arguments allow",
    "layers.DenseFeatures": "preprocess features with Keras preprocessing layers "
    "(`layers.Normalization`, `layers.StringLookup` ...) or "
    "`keras.utils.FeatureSpace`",
    "layers.LocallyConnected1D": "use `layers.Conv1D` (weights shared), or keep Keras 2 "
    "(`tf_keras`) for locally connected layers",
    "layers.LocallyConnected2D": "use `layers.Conv2D` (weights shared), or keep Keras 2 "
    "(`tf_keras`) for locally connected layers",
    "estimator": "train with `model.fit()`; Keras 3 has no estimators",
    "layers.experimental": "import preprocessing layers from `keras.layers`; the other "
    "experimental layers (`RandomFourierFeatures` ...) are gone",
    "wrappers.scikit_learn": "use `keras.wrappers.SKLearnClassifier` / "
    "`SKLearnRegressor` (or the scikeras package)",
    "constraints.maxnorm": "use `constraints.max_norm` (or `constraints.MaxNorm`): the same class",
    "initializations": "use `keras.initializers` (the Keras 1 module was renamed)",
    "models.model_from_yaml": 'save and load with `model.save("model.keras")` / '
    "`keras.models.load_model`, or the architecture with `model.to_json()`",
    "preprocessing.ImageDataGenerator": (
        "it lived in `keras.preprocessing.image`, and Keras 3 removed it: use "
        "`keras.utils.image_dataset_from_directory` and augmentation layers"
    ),
}
# Removed from standalone Keras only: tf.keras (TF 2.16+) still has them.
REMOVED_STANDALONE_NAMES = {
    "preprocessing.text": "use `keras.layers.TextVectorization`",
    "preprocessing.image.ImageDataGenerator": (
        "use `keras.utils.image_dataset_from_directory` and augmentation layers "
        "(`layers.RandomFlip`, `layers.RandomRotation` ...)"
    ),
    "layers.ThresholdedReLU": "use `layers.ReLU(threshold=theta)`, or "
    "`keras.ops.where(x > theta, x, 0)`",
}
# Removed layer classes a star import (`from keras.layers import *`) may bring in.
REMOVED_LAYER_CLASSES = {
    name.rsplit(".", 1)[1]
    for name in (*REMOVED_NAMES, *REMOVED_STANDALONE_NAMES)
    if name.startswith("layers.") and name.rsplit(".", 1)[1][:1].isupper()
}

# Model methods Keras 3 removed without a 1:1 rename -> what to use instead.
REMOVED_MODEL_METHODS = {
    "to_yaml": 'use `model.to_json()`, or save the whole model with `model.save("m.keras")`',
    "reset_states": "call `reset_states()` on each stateful RNN layer "
    "(`for layer in model.layers: ...`)",
}


# -- TensorFlow ops on symbolic Keras tensors ------------------------------------------

# `tf.<path>` functions that raise on a KerasTensor in Keras 3 -> the `keras.ops`
# function that takes the same positional arguments (None: no 1:1 equivalent).
TF_OPS_ON_KERAS_TENSORS: dict[str, str | None] = {
    "cast": "cast",
    "reduce_sum": "sum",
    "reduce_mean": "mean",
    "reduce_max": "max",
    "reduce_min": "min",
    "math.reduce_sum": "sum",
    "math.reduce_mean": "mean",
    "math.reduce_max": "max",
    "math.reduce_min": "min",
    "equal": "equal",
    "not_equal": "not_equal",
    "greater": "greater",
    "less": "less",
    "math.equal": "equal",
    "math.not_equal": "not_equal",
    "expand_dims": "expand_dims",
    "squeeze": "squeeze",
    "concat": "concatenate",
    "stack": "stack",
    "unstack": "unstack",
    "reshape": "reshape",
    "transpose": "transpose",
    "matmul": "matmul",
    "linalg.matmul": "matmul",
    "exp": "exp",
    "sqrt": "sqrt",
    "square": "square",
    "abs": "abs",
    "maximum": "maximum",
    "minimum": "minimum",
    "math.exp": "exp",
    "math.log": "log",
    "math.sqrt": "sqrt",
    "math.square": "square",
    "math.abs": "abs",
    "math.maximum": "maximum",
    "math.minimum": "minimum",
    "nn.softmax": "softmax",
    "nn.relu": "relu",
    "nn.sigmoid": "sigmoid",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "math.tanh": "tanh",
    "math.sigmoid": "sigmoid",
    "shape": "shape",
    "one_hot": "one_hot",
    "where": "where",
    "tile": "tile",
    "gather": None,
    "split": None,
    "image.resize": None,
    "math.l2_normalize": None,
    "nn.l2_normalize": None,
}
# Keywords that mean the same in the TF function and its keras.ops equivalent.
TF_OPS_SHARED_KEYWORDS = ("axis", "keepdims")
