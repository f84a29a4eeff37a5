"""Layer facts that static shapes (ir/shapes.py) and runtime plans read:
positional parameters beyond the common signatures, the functional merge
forms, and the Keras 1 spellings whose shapes Keras 3 reads differently."""

from __future__ import annotations

# Positional parameters of catalogued layers that LAYER_SIGNATURES
# (what the extractor maps) does not list: runtime plans and static shapes map them.
MORE_LAYER_SIGNATURES = {
    "Rescaling": ("scale", "offset"),
    "Resizing": ("height", "width", "interpolation"),
    "CenterCrop": ("height", "width"),
    "UpSampling1D": ("size",),
    "UpSampling2D": ("size",),
    "UpSampling3D": ("size",),
    "ZeroPadding1D": ("padding",),
    "ZeroPadding2D": ("padding",),
    "ZeroPadding3D": ("padding",),
    "Cropping1D": ("cropping",),
    "Cropping2D": ("cropping",),
    "Cropping3D": ("cropping",),
    "RepeatVector": ("n",),
    "Permute": ("dims",),
    "RandomFlip": ("mode",),
    "RandomRotation": ("factor",),
    "RandomContrast": ("factor",),
    "RandomZoom": ("height_factor", "width_factor"),
    "RandomTranslation": ("height_factor", "width_factor"),
    "BatchNormalization": ("axis", "momentum", "epsilon"),
    "LayerNormalization": ("axis", "epsilon"),
    "Masking": ("mask_value",),
    "PReLU": ("alpha_initializer",),
}


# Keras 1 spellings whose shapes Keras 3 reads differently (KC407 reports
# them): `Convolution2D(32, 3, 3)` takes its third argument as strides.
KERAS1_CONVOLUTIONS = frozenset({"Convolution1D", "Convolution2D", "Convolution3D"})
KERAS1_SHAPE_ARGUMENTS = frozenset(
    {
        "border_mode",
        "subsample",
        "subsample_length",
        "nb_filter",
        "nb_row",
        "nb_col",
        "filter_length",
        "pool_length",
        "dim_ordering",
        "output_dim",
    }
)

# The functional forms of the merge layers: `layers.add([a, b])` is `Add()([a, b])`.
MERGE_FUNCTIONS = {
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "concatenate": "Concatenate",
    "dot": "Dot",
}
# Their positional parameters after the list of inputs.
MERGE_SIGNATURES = {"Concatenate": ("axis",), "Dot": ("axes", "normalize")}

# `Bidirectional(merge_mode=...)`: how the forward and backward outputs are
# merged; "concat" (the default) doubles the last size, the others keep it.
# None returns the two outputs apart (static shapes leave it to Keras).
BIDIRECTIONAL_DEFAULT_MERGE = "concat"
BIDIRECTIONAL_MERGES = ("concat", "sum", "mul", "ave")
