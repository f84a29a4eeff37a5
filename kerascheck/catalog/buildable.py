"""Which layer kinds runtime mode may build, and why some never are: Keras
facts that static shapes (which follow runtime mode's kinds) and the runtime
plan both read."""

from __future__ import annotations

from kerascheck.catalog.api import (
    CONV_LSTM_LAYERS,
    CONVOLUTION_LAYERS,
    PASS_THROUGH_LAYERS,
    RECURRENT_LAYERS,
)

BUILDABLE = frozenset(
    {
        "Dense",
        "EinsumDense",
        *CONVOLUTION_LAYERS,
        "MaxPooling1D",
        "MaxPooling2D",
        "MaxPooling3D",
        "AveragePooling1D",
        "AveragePooling2D",
        "AveragePooling3D",
        "GlobalMaxPooling1D",
        "GlobalMaxPooling2D",
        "GlobalMaxPooling3D",
        "GlobalAveragePooling1D",
        "GlobalAveragePooling2D",
        "GlobalAveragePooling3D",
        "Flatten",
        "Reshape",
        "Permute",
        "RepeatVector",
        "ZeroPadding1D",
        "ZeroPadding2D",
        "ZeroPadding3D",
        "Cropping1D",
        "Cropping2D",
        "Cropping3D",
        "UpSampling1D",
        "UpSampling2D",
        "UpSampling3D",
        *PASS_THROUGH_LAYERS,
        "Activation",
        "Softmax",
        "ReLU",
        "LeakyReLU",
        "ELU",
        "PReLU",
        "BatchNormalization",
        "LayerNormalization",
        "UnitNormalization",
        "Embedding",
        "Masking",
        *RECURRENT_LAYERS,
        *CONV_LSTM_LAYERS,
        "GlobalAvgPool1D",
        "GlobalAvgPool2D",
        "GlobalAvgPool3D",
        "GlobalMaxPool1D",
        "GlobalMaxPool2D",
        "GlobalMaxPool3D",
        "Rescaling",
        "Resizing",
        "CenterCrop",
        "Normalization",
        "RandomFlip",
        "RandomRotation",
        "RandomZoom",
        "RandomTranslation",
        "RandomContrast",
    }
)
INPUT_KINDS = ("Input", "InputLayer")

# Why some layers are never built, in the words `show` prints.
NEVER_BUILT = {
    "Lambda": "runs a function from the linted code",
    "TFSMLayer": "loads a SavedModel from disk",
    "TextVectorization": "may read a vocabulary file",
    "StringLookup": "may read a vocabulary file",
    "IntegerLookup": "may read a vocabulary file",
}
