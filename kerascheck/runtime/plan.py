"""Model (IR) -> a build plan the worker can follow, or the reason it cannot.

Pure Python, no Keras: the CLI, `show` and the worker all read this module.
A plan is plain JSON data: an input shape and, per layer, a Keras class name
from the catalog below and the literal arguments written in the source. That
is all the worker ever builds, so nothing in a linted file can make it load a
file or run code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kerascheck.catalog import api
from kerascheck.ir.model import Layer, Model, Opaque, Unknown, fully_known

# Keras layer classes the worker may build: each computes a shape from literal
# arguments only. Anything else (Lambda, TFSMLayer, lookup layers that read
# vocabulary files, wrappers that take a layer, user classes) is never built.
BUILDABLE = frozenset(
    {
        "Dense",
        "EinsumDense",
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
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout",
        "ActivityRegularization",
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
        "SimpleRNN",
        "LSTM",
        "GRU",
        "ConvLSTM1D",
        "ConvLSTM2D",
        "ConvLSTM3D",
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

# Arguments that give the model its input; the plan's input carries them.
_INPUT_ARGS = frozenset(api.INPUT_SHAPE_ARGS) | {"input_length"}
# Arguments that never change a shape or a parameter count: when the source
# does not pin them down (`kernel_regularizer=l2(1e-4)`), they are left out.
_NEUTRAL = frozenset({"name", "trainable", "dtype", "seed", "activation", "recurrent_activation"})
_NEUTRAL_SUFFIXES = ("_initializer", "_regularizer", "_constraint")


@dataclass(frozen=True)
class Step:
    index: int  # position of the layer in model.layers
    kind: str
    config: dict

    def to_json(self) -> dict:
        return {"class": self.kind, "config": self.config}


@dataclass(frozen=True)
class Plan:
    input_shape: tuple  # with the batch axis: (None, 28, 28, 1)
    input_index: int | None  # the Input element, if the model has one
    steps: tuple[Step, ...]

    def to_json(self) -> dict:
        return {"input": list(self.input_shape), "layers": [s.to_json() for s in self.steps]}


@dataclass(frozen=True)
class Skip:
    reason: str


def _shape(value: Any) -> tuple | None:
    """A literal shape (tuple or list of positive ints / None), or None."""
    if isinstance(value, (tuple, list)) and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool) and v > 0) for v in value
    ):
        return tuple(value)
    return None


def short(text: str, width: int = 60) -> str:
    """Source text on one line, cut to a readable length."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.text
    return repr(value)


def input_shape(model: Model) -> tuple | Skip:
    """The model's input shape with its batch axis, from the source alone."""
    if not model.layers or not isinstance(model.layers[0], Layer):
        return Skip("input shape unknown: the first element is not a layer kerascheck sees")
    first = model.layers[0]
    args = first.args
    if first.kind in INPUT_KINDS:
        candidates = [
            ("batch_shape", True),
            ("batch_input_shape", True),
            ("shape", False),
            ("input_shape", False),
        ]
    else:
        candidates = [("batch_input_shape", True), ("batch_shape", True), ("input_shape", False)]
        if first.kind != "Embedding":  # there, input_dim is a vocabulary size
            candidates.append(("input_dim", False))
    for name, with_batch in candidates:
        arg = args.get(name)
        if arg is None:
            continue
        value = arg.value
        if name == "input_dim" and isinstance(value, int) and not isinstance(value, bool):
            value = (value,)
        shape = _shape(value)
        if shape is None:
            return Skip(f"input shape unknown: `{name}={arg.text}` is not a literal shape")
        if with_batch:
            return shape
        batch = args.value("batch_size", None) if first.kind in INPUT_KINDS else None
        return (batch if isinstance(batch, int) else None,) + shape
    for call in model.calls_named("build"):
        value = call.args.value("input_shape", Unknown("build()"))
        shape = _shape(value)
        if shape is not None and len(shape) >= 2:
            return shape
        return Skip(f"input shape unknown: `build({_describe(value)})` is not a literal shape")
    if first.kind in INPUT_KINDS:
        return Skip(f"input shape unknown: `{first.kind}` has no literal shape")
    return Skip("input shape unknown: no `Input`, `input_shape` or `build()`")


def layer_config(layer: Layer) -> dict | Skip:
    """The layer's keyword arguments for Keras, all literal."""
    args = layer.args
    if args.has_star:
        return Skip(f"`{layer.kind}` takes `*args`/`**kwargs` whose values are unknown")
    config: dict = {}
    signature = args.signature
    if len(args.positional) > len(signature):
        signature = api.MORE_LAYER_SIGNATURES.get(layer.kind, signature)
    if len(args.positional) > len(signature):
        return Skip(f"`{layer.kind}` has positional arguments kerascheck does not map")
    named = [(signature[i], a) for i, a in enumerate(args.positional)]
    named += [(a.keyword, a) for a in args.keywords]
    for name, arg in named:
        if name in _INPUT_ARGS and not (layer.kind == "Embedding" and name == "input_dim"):
            continue  # the plan's input carries it (Embedding's input_dim is its vocabulary)
        if not fully_known(arg.value) or isinstance(arg.value, dict):
            if name in _NEUTRAL or name.endswith(_NEUTRAL_SUFFIXES):
                continue  # shapes and parameter counts do not depend on it
            return Skip(f"`{layer.kind}` argument `{name}={short(arg.text)}` is not a literal")
        config[name] = arg.value
    if layer.kind == "Activation" and "activation" not in config:
        config["activation"] = "linear"  # same shape, whatever it really is
    return config


def plan(model: Model) -> Plan | Skip:
    """How to rebuild `model` from its IR, or why it cannot be rebuilt."""
    if model.kind == "subclass":
        return Skip("a subclassed model: its own code builds its layers")
    if model.kind != "sequential" and model.kind != "functional":
        return Skip("a model loaded or made elsewhere: its layers are not in this file")
    if not model.layers:
        return Skip("no layers")
    for element in model.layers:
        if isinstance(element, Opaque):
            what = "a nested model" if element.is_model else "an element"
            return Skip(f"{what} kerascheck cannot see into: `{short(element.text)}`")
        if element.conditional:
            return Skip(f"`{element.kind}` is added inside an if/for/while/try")
    shape = input_shape(model)
    if isinstance(shape, Skip):
        return shape
    steps, input_index = [], None
    for index, layer in enumerate(model.layers):
        if layer.kind in INPUT_KINDS:
            if index != 0:
                return Skip(f"`{layer.kind}` in the middle of the model")
            input_index = index
            continue
        if layer.kind not in BUILDABLE:
            if layer.kind in NEVER_BUILT:
                return Skip(f"`{layer.kind}` {NEVER_BUILT[layer.kind]}: never built")
            return Skip(f"`{layer.kind}` is not among the layers runtime mode builds")
        config = layer_config(layer)
        if isinstance(config, Skip):
            return config
        steps.append(Step(index, layer.kind, config))
    return Plan(shape, input_index, tuple(steps))
