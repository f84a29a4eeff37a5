"""Functional models as graphs (issue 13): what the extractor follows, what
static shapes it then knows, and what stays unknown."""

from __future__ import annotations

import textwrap

import libcst as cst

from kerascheck.ir.extract.walker import extract
from kerascheck.ir.model import Layer, Model, Unknown
from kerascheck.ir.shapes import fully_known, infer_file


def models_of(code: str) -> tuple[Model, ...]:
    return extract(cst.parse_module(textwrap.dedent(code))).models


def nodes(model: Model) -> list[tuple[str, tuple]]:
    return [
        (n.element.kind if isinstance(n.element, Layer) else n.element.text, n.inputs)
        for n in model.graph.nodes
    ]


def shapes(code: str, which: int = -1) -> list:
    models = models_of(code)
    rows, _ = infer_file(models)[which]
    return [row.shape if isinstance(row.shape, tuple) else None for row in rows]


HEADER = """\
import keras
from keras import layers
"""


def test_merge_shared_layer_and_two_inputs_and_dict_outputs() -> None:
    (model,) = models_of(
        HEADER
        + """
a = keras.Input(shape=(8,))
b = keras.Input(shape=(8,))
shared = layers.Dense(4)
s = layers.add([shared(a), shared(b)])
c = layers.Concatenate()([s, a])
model = keras.Model(inputs=[a, b], outputs={"sum": s, "cat": c})
"""
    )
    assert nodes(model) == [
        ("Input", ()),
        ("Dense", (0,)),
        ("Input", ()),
        ("Dense", (2,)),
        ("Add", (1, 3)),
        ("Concatenate", (4, 0)),
    ]
    assert model.graph.inputs == (0, 2)
    assert model.graph.outputs == (4, 5)
    assert model.graph.output_names == ("sum", "cat")
    # one layer object, two nodes
    assert model.graph.nodes[1].element is model.graph.nodes[3].element
    rows, reason = infer_file((model,))[0]
    assert [r.shape for r in rows] == [
        (None, 8),
        (None, 4),
        (None, 8),
        (None, 4),
        (None, 4),
        (None, 12),
    ]
    assert [r.params for r in rows] == [0, 36, 0, 36, 0, 0]
    assert reason is None and fully_known(rows)


def test_helper_replayed_with_literal_arguments_and_loop_unrolled() -> None:
    code = (
        HEADER
        + """
SIDE, CHANNELS = 32, 3

def conv_block(x, filters, kernel=3):
    x = layers.Conv2D(filters, kernel, padding="same")(x)
    return layers.Activation("relu")(x)

inputs = keras.Input(shape=(SIDE, SIDE, CHANNELS))
x = conv_block(inputs, 16)
for _ in range(2):
    y = conv_block(x, 16)
    x = layers.Add()([x, y])
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
"""
    )
    (model,) = models_of(code)
    kinds = [kind for kind, _ in nodes(model)]
    assert kinds.count("Conv2D") == 3 and kinds.count("Add") == 2
    assert shapes(code)[-1] == (None, 10)
    assert shapes(code)[1] == (None, 32, 32, 16)
    # the helper's Conv2D was recorded once, not once per replay
    kfile = extract(cst.parse_module(textwrap.dedent(code)))
    assert sum(c.path == "layers.Conv2D" for c in kfile.calls) == 1


def test_loop_over_a_literal_list_binds_each_element_in_turn() -> None:
    code = (
        HEADER
        + """
image_size = (64, 48)
inputs = keras.Input(shape=image_size + (3,))
x = inputs
for filters in [8, 16]:
    x = layers.Conv2D(filters, 3, strides=2, padding="same")(x)
for step in range(-1, 1):  # negative numbers are bound as well
    x = layers.Conv2D(4, 1)(x)
model = keras.Model(inputs, x)
"""
    )
    assert shapes(code) == [
        (None, 64, 48, 3),
        (None, 32, 24, 8),
        (None, 16, 12, 16),
        (None, 16, 12, 4),
        (None, 16, 12, 4),
    ]


def test_loop_over_a_list_that_is_not_literal_is_not_unrolled() -> None:
    code = (
        HEADER
        + """
inputs = keras.Input(shape=(8,))
x = inputs
for units in [64, hidden]:
    x = layers.Dense(units)(x)
model = keras.Model(inputs, x)
"""
    )
    # how many Dense the loop made is not certain: the output is an opaque node
    assert shapes(code) == [(None, 8), (None, None), None]
    rows, _ = infer_file(models_of(code))[0]
    assert rows[-1].shape.text == "`x after a loop` is not a layer kerascheck sees into"


def test_a_list_changed_in_place_is_no_longer_its_literal() -> None:
    # `pop()` leaves two windows: replaying the literal's three would shrink
    # the map to nothing, a KC211 on a model that builds.
    code = (
        HEADER
        + """
sizes = [5, 5, 5]
sizes.pop()
inputs = keras.Input(shape=(10, 10, 3))
x = inputs
for size in sizes:
    x = layers.Conv2D(4, size)(x)
model = keras.Model(inputs, x)
"""
    )
    not_replayed = "`x after a loop` is not a layer kerascheck sees into"
    for change in ("sizes.pop()", "sizes[0] = 3", "del sizes[0]", "alias = sizes; alias.pop()"):
        rows, _ = infer_file(models_of(code.replace("sizes.pop()", change)))[0]
        assert rows[0].shape == (None, 10, 10, 3)
        # the loop is not replayed: no refusal, an opaque node after it
        assert not rows[-1].refused and rows[-1].shape.text == not_replayed, change


def test_sizes_the_source_does_not_pin_down_keep_the_rank() -> None:
    # `len(chars)` and `vocabulary` are not known: their sizes are None, the
    # rank is certain, and the parameters that count them are not known.
    code = (
        HEADER
        + """
maxlen = 40
inputs = keras.Input(shape=(maxlen, len(chars)))
x = layers.LSTM(128)(inputs)
x = layers.Dense(vocabulary, activation="softmax")(x)
model = keras.Model(inputs, x)
"""
    )
    assert shapes(code) == [(None, 40, None), (None, 128), (None, None)]
    rows, reason = infer_file(models_of(code))[0]
    assert [row.params for row in rows][:1] == [0]
    assert all(isinstance(row.params, Unknown) for row in rows[1:])
    assert reason == "the input of `LSTM` has a last dimension kerascheck does not know"


def test_a_wrapped_layer_s_size_is_named_as_the_reason() -> None:
    code = (
        HEADER
        + """
inputs = keras.Input(shape=(10, 4))
x = layers.Bidirectional(layers.LSTM(hidden, return_sequences=True))(inputs)
model = keras.Model(inputs, x)
"""
    )
    assert shapes(code) == [(None, 10, 4), (None, 10, None)]
    _, reason = infer_file(models_of(code))[0]
    assert reason == "`units=hidden` of `LSTM` is not a literal"


def test_user_layer_is_an_opaque_node_that_keeps_the_graph_connected() -> None:
    code = (
        HEADER
        + """
class Tap(layers.Layer):
    def call(self, x):
        return x

inputs = keras.Input(shape=(4,))
x = Tap()(inputs)
x = layers.Dense(2)(x + 1)
model = keras.Model(inputs, x)
"""
    )
    (model,) = models_of(code)
    assert nodes(model) == [("Input", ()), ("Tap", (0,)), ("x + 1", (1,)), ("Dense", (2,))]
    assert shapes(code) == [(None, 4), None, None, None]


def test_sequential_block_learns_its_input_shape_from_the_call() -> None:
    code = (
        HEADER
        + """
block = keras.Sequential([layers.Dense(8), layers.Dense(4)])
inputs = keras.Input(shape=(16,))
model = keras.Model(inputs, block(inputs))
"""
    )
    models = models_of(code)
    rows = [r for r, _ in infer_file(models)]
    assert [r.shape for r in rows[0]] == [(None, 8), (None, 4)]  # the block
    assert [r.shape for r in rows[1]] == [(None, 16), (None, 4)]  # the model
    assert rows[1][1].params == 16 * 8 + 8 + 8 * 4 + 4


def test_model_subclass_calling_super_init_with_inputs_and_outputs() -> None:
    code = (
        HEADER
        + """
class Net(keras.Model):
    def __init__(self):
        inputs = keras.Input(shape=(3,))
        outputs = layers.Dense(1)(inputs)
        super().__init__(inputs, outputs)

net = Net()
net.compile(loss="mse")
"""
    )
    (model,) = models_of(code)
    assert model.kind == "functional" and model.name == "Net"
    assert [c.method for c in model.calls] == ["compile"]
    assert shapes(code) == [(None, 3), (None, 1)]


def test_build_function_takes_the_literal_arguments_of_its_one_call() -> None:
    code = (
        HEADER
        + """
def build(shape, classes):
    inputs = keras.Input(shape=shape)
    return keras.Model(inputs, layers.Dense(classes)(inputs))

model = build((28,), 10)
"""
    )
    assert shapes(code) == [(None, 28), (None, 10)]


def test_uncertain_values_stay_unknown() -> None:
    # a loop over a range that is not literal, a break, an early return, a
    # build function called with two different arguments, a swap
    code = (
        HEADER
        + """
def block(x, n):
    if n > 2:
        return layers.Dense(n)(x)
    return layers.Dense(2)(x)

def build(classes):
    inputs = keras.Input(shape=(4,))
    return keras.Model(inputs, layers.Dense(classes)(inputs))

a, b = 3, 5
a, b = b, a
inputs = keras.Input(shape=(a, b))
x = inputs
for i in range(steps):
    x = layers.Dense(8)(x)
for i in range(3):
    x = layers.Dense(8)(x)
    if i:
        break
y = block(inputs, 4)
one = build(10)
two = build(3)
"""
    )
    models = models_of(code)
    assert len(models) == 1
    # `classes` is 10 or 3: the Dense's size is not known (None), its rank is
    assert shapes(code, 0) == [(None, 4), (None, None)]
    rows, _ = infer_file(models)[0]
    assert isinstance(rows[1].params, Unknown)


def test_tuple_unpacking_swaps_and_binds_literals() -> None:
    code = (
        HEADER
        + """
rows, cols = 28, 14
rows, cols = cols, rows
inputs = keras.Input(shape=(rows, cols))
model = keras.Model(inputs, layers.Dense(3)(inputs))
"""
    )
    assert shapes(code) == [(None, 14, 28), (None, 14, 3)]


def test_mutually_exclusive_branches_are_never_merged() -> None:
    code = (
        HEADER
        + """
if big:
    units = 64
else:
    units = 8
inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, layers.Dense(units)(inputs))
"""
    )
    # 64 or 8: neither is guessed, the size stays not known
    assert shapes(code) == [(None, 4), (None, None)]


def _show(tmp_path, code: str, *args: str):
    import subprocess
    import sys

    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, "-m", "kerascheck", "show", *args, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


RESIDUAL = (
    HEADER
    + """
inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
x = layers.Add()([x, inputs])
model = keras.Model(inputs, layers.Dense(2, activation="softmax")(x))
"""
)


def test_show_text_table_names_where_each_node_comes_from(tmp_path) -> None:
    result = _show(tmp_path, RESIDUAL)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[3].split() == ["#", "line", "layer", "units", "activation", "output", "shape"] + [
        "params",
        "from",
    ]
    assert lines[6].split()[:3] == ["2", "6", "Add"] and lines[6].endswith("1, 0")


def test_show_json_for_tools(tmp_path) -> None:
    import json

    result = _show(tmp_path, RESIDUAL, "--format", "json")
    assert result.returncode == 0, result.stderr
    (model,) = json.loads(result.stdout)
    assert model["name"] == "model" and model["kind"] == "functional" and model["line"] == 7
    assert model["fully_known"] is True
    assert [(n["kind"], n["line"], n["output_shape"], n["params"]) for n in model["layers"]] == [
        ("Input", 4, [None, 8], 0),
        ("Dense", 5, [None, 8], 72),
        ("Add", 6, [None, 8], 0),
        ("Dense", 7, [None, 2], 18),
    ]


def test_show_mermaid_and_dot_draw_the_merge(tmp_path) -> None:
    mermaid = _show(tmp_path, RESIDUAL, "--format", "mermaid").stdout
    assert mermaid.startswith("```mermaid\nflowchart TD\n")
    assert "  m0n1 --> m0n2\n  m0n0 --> m0n2\n" in mermaid
    dot = _show(tmp_path, RESIDUAL, "--format", "dot").stdout
    assert dot.startswith('digraph m0 {\n  label="model (functional)";')
    assert '  n2 [label="Add (None, 8)"];' in dot and "  n0 -> n2;" in dot


def test_show_json_says_when_a_size_is_left_unknown(tmp_path) -> None:
    import json

    code = HEADER + (
        "inputs = keras.Input(shape=(40, len(chars)))\n"
        "model = keras.Model(inputs, layers.LSTM(8)(inputs))\n"
    )
    result = _show(tmp_path, code, "--format", "json")
    (model,) = json.loads(result.stdout)
    # the rank is known, the features and so the LSTM's parameters are not
    assert [n["output_shape"] for n in model["layers"]] == [[None, 40, None], [None, 8]]
    assert model["layers"][1]["params"] is None
    # every output shape is known (a list), not every size in it
    assert (model["fully_known"], model["sizes_known"]) == (True, False)
