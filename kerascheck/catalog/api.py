"""What Keras *is*: canonical names and the catalogs the rules reason with.

Everything here is plain data. Nothing imports Keras: the static path must stay
light, and a test checks these catalogs against the installed Keras instead.
"""

from __future__ import annotations

import functools

from kerascheck.catalog import migration

# Layer facts that static shapes and runtime plans read, kept in their own module.
from kerascheck.catalog.shape_facts import (
    KERAS1_CONVOLUTIONS as KERAS1_CONVOLUTIONS,
)
from kerascheck.catalog.shape_facts import (
    KERAS1_SHAPE_ARGUMENTS as KERAS1_SHAPE_ARGUMENTS,
)
from kerascheck.catalog.shape_facts import (
    MERGE_FUNCTIONS as MERGE_FUNCTIONS,
)
from kerascheck.catalog.shape_facts import (
    MERGE_SIGNATURES as MERGE_SIGNATURES,
)
from kerascheck.catalog.shape_facts import (
    MORE_LAYER_SIGNATURES as MORE_LAYER_SIGNATURES,
)

# Module paths whose sub-names are Keras. `tf.keras` reaches here as
# `tensorflow.keras` once the `tf` alias is resolved.
KERAS_ROOTS = (
    "tensorflow.compat.v1.keras",
    "tensorflow.compat.v2.keras",
    "tensorflow.python.keras",
    "tensorflow.keras",
    "tf_keras",
    "keras_core",
    "keras",
)


# TensorFlow 2 modules that are Keras's own under another name.
TF_KERAS_ALIASES = {
    "tensorflow.losses": "losses",
    "tensorflow.metrics": "metrics",
    "tensorflow.optimizers": "optimizers",
}


@functools.lru_cache(maxsize=4096)  # the same few names, asked for every call of a file
def keras_path(qualname: str) -> str | None:
    """The part of a qualified name below a Keras root, or None if not Keras.

    `tensorflow.keras.layers.Dense` -> `layers.Dense`; `keras` -> ``;
    `tensorflow.losses.mse` -> `losses.mse` (tf.losses is tf.keras.losses).
    """
    for alias, path in TF_KERAS_ALIASES.items():
        if qualname == alias or qualname.startswith(alias + "."):
            return path + qualname[len(alias) :]
    for root in KERAS_ROOTS:
        if qualname == root:
            return ""
        if qualname.startswith(root + "."):
            return qualname[len(root) + 1 :]
    return None


def is_standalone_keras(qualname: str) -> bool:
    """True for `keras.…` itself, as opposed to `tf.keras` / `tf_keras`."""
    return qualname == "keras" or qualname.startswith(("keras.", "keras_core"))


def leaf(path: str) -> str:
    return path.rsplit(".", 1)[-1]


SEQUENTIAL_PATHS = {"Sequential", "models.Sequential", "engine.sequential.Sequential"}
MODEL_PATHS = {"Model", "models.Model", "engine.training.Model"}
INPUT_PATHS = {"Input", "layers.Input", "engine.input_layer.Input"}
LAYER_BASE_PATHS = {"layers.Layer", "Layer", "engine.base_layer.Layer"}

# Calls that hand back a model kerascheck did not build: it may arrive compiled,
# and no rule about its layers applies.
EXTERNAL_MODEL_PREFIXES = ("applications.", "saving.load_model", "models.load_model")
# Libraries whose `models.*` constructors return ready-made Keras models.
KERAS_MODEL_LIBRARIES = ("keras_cv.models.", "keras_hub.models.", "keras_nlp.models.")
# KerasTuner searches train models too: `tuner.search(..., validation_data=...)`.
TUNER_PREFIX = "keras_tuner."
TUNER_CLASSES = {"RandomSearch", "Hyperband", "BayesianOptimization", "GridSearch", "Tuner"}


def is_layer_path(path: str) -> bool:
    """`layers.Dense`, `layers.core.Dense`, `layers.experimental.preprocessing.X`."""
    return path.startswith("layers.") and leaf(path)[:1].isupper()


# -- layers -------------------------------------------------------------------

# Positional parameters, in order, for the layers whose positional arguments
# people actually use. Only these names are ever mapped from positions.
LAYER_SIGNATURES: dict[str, tuple[str, ...]] = {
    "Dense": ("units", "activation", "use_bias"),
    "Conv1D": (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "groups",
        "activation",
    ),
    "Conv2D": (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "groups",
        "activation",
    ),
    "Conv3D": (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "groups",
        "activation",
    ),
    "Conv1DTranspose": ("filters", "kernel_size", "strides", "padding"),
    "Conv2DTranspose": ("filters", "kernel_size", "strides", "padding"),
    "Conv3DTranspose": ("filters", "kernel_size", "strides", "padding"),
    "SeparableConv1D": ("filters", "kernel_size", "strides", "padding"),
    "SeparableConv2D": ("filters", "kernel_size", "strides", "padding"),
    "DepthwiseConv2D": ("kernel_size", "strides", "padding"),
    "SimpleRNN": ("units", "activation"),
    "LSTM": ("units", "activation", "recurrent_activation"),
    "GRU": ("units", "activation", "recurrent_activation"),
    "Activation": ("activation",),
    "Dropout": ("rate", "noise_shape", "seed"),
    "SpatialDropout1D": ("rate",),
    "SpatialDropout2D": ("rate",),
    "SpatialDropout3D": ("rate",),
    "GaussianNoise": ("stddev",),
    "GaussianDropout": ("rate",),
    "AlphaDropout": ("rate",),
    "Reshape": ("target_shape",),
    "Flatten": ("data_format",),
    "Embedding": ("input_dim", "output_dim"),
    "Bidirectional": ("layer", "merge_mode", "weights", "backward_layer"),
    "TimeDistributed": ("layer",),
    "Input": ("shape", "batch_size", "name", "dtype"),
    "InputLayer": ("input_shape", "batch_size", "dtype"),
    "MaxPooling1D": ("pool_size", "strides", "padding"),
    "MaxPooling2D": ("pool_size", "strides", "padding"),
    "MaxPooling3D": ("pool_size", "strides", "padding"),
    "AveragePooling1D": ("pool_size", "strides", "padding"),
    "AveragePooling2D": ("pool_size", "strides", "padding"),
    "AveragePooling3D": ("pool_size", "strides", "padding"),
    "Softmax": ("axis",),
    "ReLU": ("max_value", "negative_slope", "threshold"),
    "LeakyReLU": ("negative_slope",),
    "ELU": ("alpha",),
}

# Keras 1/2 aliases that name the same class.
LAYER_ALIASES = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D",
}

# The activation a layer applies when none is given.
DEFAULT_ACTIVATION = {
    "SimpleRNN": "tanh",
    "LSTM": "tanh",
    "GRU": "tanh",
}

# Layers whose whole job is an activation.
ACTIVATION_LAYERS = {
    "Softmax": "softmax",
    "ReLU": "relu",
    "LeakyReLU": "leaky_relu",
    "ELU": "elu",
    "PReLU": "prelu",
    "ThresholdedReLU": "relu",
}

# The convolutions: a window slid over the input, with `activation=` and
# `use_bias=` as a Dense has.
CONVOLUTION_LAYERS = frozenset(
    {
        "Conv1D",
        "Conv2D",
        "Conv3D",
        "Conv1DTranspose",
        "Conv2DTranspose",
        "Conv3DTranspose",
        "SeparableConv1D",
        "SeparableConv2D",
        "DepthwiseConv1D",
        "DepthwiseConv2D",
    }
)

# Layers that wrap another layer, given as their `layer` argument.
WRAPPER_LAYERS = frozenset({"Bidirectional", "TimeDistributed"})
RECURRENT_LAYERS = frozenset({"SimpleRNN", "LSTM", "GRU"})
CONV_LSTM_LAYERS = frozenset({"ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"})

# Layers that take an `activation=` argument (default linear unless listed in
# DEFAULT_ACTIVATION).
ACTIVATED_LAYERS = {
    "Dense",
    "EinsumDense",
    *CONVOLUTION_LAYERS,
    "LocallyConnected1D",
    "LocallyConnected2D",
    *RECURRENT_LAYERS,
    *CONV_LSTM_LAYERS,
}

# Layers that change nothing the output activation produced (values pass
# through, at most dropped or noised) ...
PASS_THROUGH_LAYERS = {
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
}
# ... and layers that only move values around: the activation still ran last,
# but over a different axis, so the unit count no longer says what it ran over.
RESHAPING_LAYERS = {"Flatten", "Reshape", "Permute"}
# ... and layers that keep each probability vector one: upsampling that repeats
# (nearest) or averages (bilinear) neighbouring pixels. (`Activation("linear")`,
# the mixed-precision float32 cast, is the identity: see ir.facts.)
UPSAMPLING_LAYERS = {"UpSampling1D", "UpSampling2D", "UpSampling3D"}
CONVEX_INTERPOLATIONS = {"nearest", "bilinear"}

# Arguments that give a first layer its input shape.
INPUT_SHAPE_ARGS = ("input_shape", "batch_input_shape", "batch_shape", "input_dim")

# -- activations --------------------------------------------------------------

ACTIVATION_SYNONYMS = {"swish": "silu", "hard_swish": "hard_silu", None: "linear"}

RELU_FAMILY = {
    "relu",
    "relu6",
    "elu",
    "selu",
    "gelu",
    "silu",
    "leaky_relu",
    "mish",
}
SIGMOID_FAMILY = {"sigmoid", "hard_sigmoid"}


def canonical_activation(name: str | None) -> str | None:
    return ACTIVATION_SYNONYMS.get(name, name)


# -- losses -------------------------------------------------------------------

# Every spelling of a loss -> (canonical function name, family).
# Families: binary, categorical, sparse_categorical (probability losses),
# regression, other.
_LOSS_SPELLINGS = {
    "binary_crossentropy": ("binary_crossentropy", "binary", ("BinaryCrossentropy", "bce")),
    "binary_focal_crossentropy": (
        "binary_focal_crossentropy",
        "binary",
        ("BinaryFocalCrossentropy",),
    ),
    "categorical_crossentropy": (
        "categorical_crossentropy",
        "categorical",
        ("CategoricalCrossentropy",),
    ),
    "categorical_focal_crossentropy": (
        "categorical_focal_crossentropy",
        "categorical",
        ("CategoricalFocalCrossentropy",),
    ),
    "sparse_categorical_crossentropy": (
        "sparse_categorical_crossentropy",
        "sparse_categorical",
        ("SparseCategoricalCrossentropy",),
    ),
    "mean_squared_error": ("mean_squared_error", "regression", ("mse", "MSE", "MeanSquaredError")),
    "mean_absolute_error": (
        "mean_absolute_error",
        "regression",
        ("mae", "MAE", "MeanAbsoluteError"),
    ),
    "mean_absolute_percentage_error": (
        "mean_absolute_percentage_error",
        "regression",
        ("mape", "MAPE", "MeanAbsolutePercentageError"),
    ),
    "mean_squared_logarithmic_error": (
        "mean_squared_logarithmic_error",
        "regression",
        ("msle", "MSLE", "MeanSquaredLogarithmicError"),
    ),
    "huber": ("huber", "regression", ("huber_loss", "Huber")),
    "log_cosh": ("log_cosh", "regression", ("logcosh", "LogCosh")),
}
LOSSES: dict[str, tuple[str, str]] = {}
for _canonical, (_name, _family, _aliases) in _LOSS_SPELLINGS.items():
    for _spelling in (_canonical, *_aliases):
        LOSSES[_spelling] = (_name, _family)

PROBABILITY_FAMILIES = {"binary", "categorical", "sparse_categorical"}

# Loss classes whose first positional parameter is from_logits.
FROM_LOGITS_FIRST = {
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalFocalCrossentropy",
}


def loss_info(spelling: str) -> tuple[str, str] | None:
    """(canonical name, family) for a loss string, function or class name."""
    return LOSSES.get(spelling)


# -- calls --------------------------------------------------------------------

# Positional parameters of the model methods whose arguments rules read.
COMPILE_SIGNATURE = ("optimizer", "loss")
FIT_SIGNATURE = (
    "x",
    "y",
    "batch_size",
    "epochs",
    "verbose",
    "callbacks",
    "validation_split",
    "validation_data",
)
EVALUATE_SIGNATURE = ("x", "y", "batch_size")
METHOD_SIGNATURES = {
    "compile": COMPILE_SIGNATURE,
    "fit": FIT_SIGNATURE,
    "evaluate": EVALUATE_SIGNATURE,
    "predict": ("x", "batch_size"),
    "build": ("input_shape",),
    "add": ("layer",),
}


# Names a pasted snippet uses without importing them, and what they mean.
SNIPPET_MODULES = {
    "keras": "keras",
    "tf": "tensorflow",
    "layers": "keras.layers",
    "models": "keras.models",
}
SNIPPET_TOP_LEVEL = {"Sequential", "Model", "Input"}
SNIPPET_LAYERS = (
    set(LAYER_SIGNATURES)
    | set(ACTIVATED_LAYERS)
    | set(ACTIVATION_LAYERS)
    | set(PASS_THROUGH_LAYERS)
    | set(RESHAPING_LAYERS)
    | set(LAYER_ALIASES)
    | {
        "BatchNormalization",
        "GlobalAveragePooling2D",
        "GlobalMaxPooling2D",
        "InputLayer",
        "Bidirectional",
        "TimeDistributed",
    }
    | migration.REMOVED_LAYER_CLASSES  # removed, yet what `from keras.layers import *` meant
)
