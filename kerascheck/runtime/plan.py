"""Model (IR) -> a build plan the worker can follow, or the reason it cannot.

Pure Python, no Keras: the CLI, `show` and the worker all read this module.
A plan is plain JSON data: an input shape and, per layer, a Keras class name
from the catalog below and the literal arguments written in the source. That
is all the worker ever builds, so nothing in a linted file can make it load a
file or run code.
"""

from __future__ import annotations

from dataclasses import dataclass

from kerascheck.catalog import api
from kerascheck.catalog.buildable import BUILDABLE, INPUT_KINDS, NEVER_BUILT
from kerascheck.ir.input_shape import Skip, input_shape
from kerascheck.ir.model import Layer, Model, ModelKind, Opaque, fully_known

# Keras layer classes the worker may build: each computes a shape from literal
# arguments only. Anything else (Lambda, TFSMLayer, lookup layers that read
# vocabulary files, wrappers that take a layer, user classes) is never built.
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


def short(text: str, width: int = 60) -> str:
    """Source text on one line, cut to a readable length."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


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
    if model.kind == ModelKind.SUBCLASS:
        return Skip("a subclassed model: its own code builds its layers")
    if model.kind != ModelKind.SEQUENTIAL and model.kind != ModelKind.FUNCTIONAL:
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
