"""Runtime mode on functional graphs: merges, several inputs and outputs, shared
layers, rebuilt with the functional API from the same IR as static shapes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kerascheck.ir.extract.walker import extract
from kerascheck.ir.input_shape import Skip
from kerascheck.ir.model import Model
from kerascheck.ir.shapes import infer_graph
from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_text
from kerascheck.runtime import results as runtime
from kerascheck.runtime.graph_plan import GraphPlan, plan_for

if importlib.util.find_spec("tensorflow") is None:  # not imported here: the worker does
    pytest.skip("runtime tests need TensorFlow (the dev extra)", allow_module_level=True)

FIXTURES = Path(__file__).parent / "runtime_fixtures"
GRAPHS = FIXTURES / "kc501_graph.py"
RUNTIME_ONLY = Settings(select=("KC5",), runtime=True)


def kfile_of(code: str):
    return extract(cst.parse_module(textwrap.dedent(code)))


def model_named(kfile, name: str) -> Model:
    return next(m for m in kfile.models if m.name == name)


def assert_static_equals_keras(
    model: Model, result: runtime.ModelResult, models: tuple[Model, ...] = ()
) -> int:
    """Every node shape and every layer's parameter count static shapes know
    is Keras's (a shared layer's on each of its calls); the number compared."""
    rows, _ = infer_graph(model, models)
    compared = 0
    for index, row in enumerate(rows):
        if isinstance(row.shape, tuple) and index in result.node_shapes:
            assert row.shape == result.node_shapes[index], (model.name, index)
            compared += 1
        if isinstance(row.params, int) and index in result.node_params:
            assert row.params == result.node_params[index], (model.name, index)
            compared += 1
    return compared


def test_a_shared_layer_is_built_once_and_called_twice() -> None:
    kfile = extract(cst.parse_module(GRAPHS.read_text(encoding="utf-8")))
    model = model_named(kfile, "two_heads")
    built = plan_for(model)
    assert isinstance(built, GraphPlan)
    assert [kind for kind, _ in built.layers] == [
        "Dense",
        "Concatenate",
        "Add",
        "Concatenate",
        "Dense",
        "Dense",
    ]
    assert [s.layer for s in built.steps if s.layer is not None].count(0) == 4
    assert built.output_names == ("price", "kind")
    result = runtime.run(model, runtime.session())
    assert result.status == "built", result.message
    assert result.total == 136 + 25 + 75  # the shared Dense counted once
    assert result.node_params[1] == result.node_params[3] == 136  # on each call, as statically
    assert result.node_shapes[8] == (None, 24)


def test_merges_and_list_outputs_build_with_the_shapes_keras_gives() -> None:
    kfile = extract(cst.parse_module(GRAPHS.read_text(encoding="utf-8")))
    model = model_named(kfile, "listed")
    result = runtime.run(model, runtime.session())
    assert result.status == "built", result.message
    assert [result.node_shapes[i] for i in model.graph.outputs] == [(None, 6), (None, 2)]
    assert result.total == 42 + 14


def test_a_refused_merge_blames_the_merge_node() -> None:
    kfile = extract(cst.parse_module(GRAPHS.read_text(encoding="utf-8")))
    model = model_named(kfile, "scorer")
    result = runtime.run(model, runtime.session())
    assert result.status == "error"
    assert result.blamed(model).kind == "Dot"
    assert result.error_node == 2
    assert model.layers[result.error_index] is result.blamed(model)  # the chain's last element
    assert "Incompatible input shapes" in result.message


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (
            """\
            a = keras.Input(shape=(4,))
            block = keras.Sequential([layers.Dense(4)])
            m = keras.Model(a, block(a))
            """,
            "a nested model kerascheck cannot see into: `block`",
        ),
        (
            """\
            a = keras.Input(shape=(4,))
            m = keras.Model(a, layers.Lambda(lambda t: t * 2)(a))
            """,
            "`Lambda` runs a function from the linted code: never built",
        ),
        (
            """\
            a = keras.Input(shape=(4,))
            b = keras.Input(shape=(4,))
            m = keras.Model([a, b], layers.Add()([layers.Dense(n)(a), b]))
            """,
            "`Dense` argument `units=n` is not a literal",
        ),
        (
            """\
            a = keras.Input(shape=(4,))
            out, h, c = layers.LSTM(3, return_state=True)(layers.Reshape((4, 1))(a))
            m = keras.Model(a, out)
            """,
            None,  # whatever the walk makes of it, never built
        ),
    ],
)
def test_graph_plans_skip_what_they_cannot_express(code: str, reason: str | None) -> None:
    kfile = kfile_of("import keras\nfrom keras import layers\n" + textwrap.dedent(code))
    built = plan_for(kfile.models[-1])
    assert isinstance(built, Skip)
    if reason is not None:
        assert built.reason == reason


def test_every_graph_model_built_in_the_fixtures_has_keras_shapes_statically() -> None:
    """Over the runtime fixtures, the static fixtures and the examples."""
    compared = built = 0
    tests = Path(__file__).parent
    paths = [*FIXTURES.glob("*.py"), *(tests / "fixtures").glob("*.py")]
    for path in sorted([*paths, *(tests.parent / "examples").glob("*.py")]):
        kfile = extract(cst.parse_module(path.read_text(encoding="utf-8")))
        for model in kfile.models:
            if model.kind != "functional":
                continue
            result = runtime.run(model, runtime.session(), kfile.models)
            if result.status != "built":
                continue
            built += 1
            compared += assert_static_equals_keras(model, result, kfile.models)
    assert (built, compared) >= (3, 30), (built, compared)


_BRANCH = st.lists(st.sampled_from(["layers.Dense({u})", "layers.Dropout(0.1)"]), max_size=2)
_MERGE = st.sampled_from(
    [
        "layers.Add()",
        "layers.Subtract()",
        "layers.Multiply()",
        "layers.Average()",
        "layers.Maximum()",
        "layers.Minimum()",
        "layers.Concatenate()",
        "layers.Dot(axes=1)",
    ]
)


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    units=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    branches=st.tuples(_BRANCH, _BRANCH),
    merge=_MERGE,
    shared=st.booleans(),
)
def test_static_shapes_match_keras_on_generated_graphs(sizes, units, branches, merge, shared):
    """Two inputs, a branch on each (through one shared Dense or not), a merge
    and two outputs: wherever static shapes know a value, Keras agrees; where
    Keras refuses the model, static shapes have no shape for that node."""
    lines = [f"a = keras.Input(shape=({sizes[0]},))", f"b = keras.Input(shape=({sizes[1]},))"]
    if shared:
        lines += [f"s = layers.Dense({units[0]})", "x = s(a)", "y = s(b)"]
    else:
        lines += ["x = a", "y = b"]
    for name, branch, unit in zip("xy", branches, units):
        lines += [f"{name} = {layer.format(u=unit)}({name})" for layer in branch]
    lines += [f"m = {merge}([x, y])", "model = keras.Model([a, b], [m, layers.Dense(2)(m)])"]
    kfile = kfile_of("import keras\nfrom keras import layers\n" + "\n".join(lines))
    model = kfile.models[-1]
    result = runtime.run(model, runtime.session())
    assert result.status in ("built", "error"), result.message
    assert_static_equals_keras(model, result)
    rows, _ = infer_graph(model)
    if result.status == "error":
        assert not isinstance(rows[result.error_node].shape, tuple), result.message


def test_show_runtime_json_gives_keras_shapes_per_node() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kerascheck", "show", "--runtime", "--format", "json", str(GRAPHS)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    models = {m["name"]: m for m in json.loads(result.stdout)}
    heads = models["two_heads"]["layers"]
    assert [n["runtime_output_shape"] for n in heads] == [
        [None, 16],
        [None, 8],
        [None, 16],
        [None, 8],
        [None, 16],
        [None, 8],
        [None, 8],
        [None, 8],
        [None, 24],
        [None, 1],
        [None, 3],
    ]
    assert [n["runtime_output_shape"] for n in heads] == [n["output_shape"] for n in heads]
    scorer = models["scorer"]["layers"]
    assert [n["runtime_output_shape"] for n in scorer] == [[None, 8], [None, 4], None]


@pytest.mark.parametrize("kind", ["BatchNormalization", "LayerNormalization"])
@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("scale", [True, False])
def test_normalization_parameters_follow_center_and_scale(kind, center, scale) -> None:
    kfile = kfile_of(f"""\
        import keras
        from keras import layers
        a = keras.Input(shape=(6, 10))
        m = keras.Model(a, layers.{kind}(center={center}, scale={scale})(a))
    """)
    model = kfile.models[0]
    result = runtime.run(model, runtime.session())
    assert result.status == "built", result.message
    assert infer_graph(model)[0][1].params == result.node_params[1]


NESTED = """\
import keras
from keras import layers

augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
head = keras.Sequential([layers.Flatten(), layers.Dense(10)])
own = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])

inputs = keras.Input(shape=(32, 32, 3))
y = head(layers.Conv2D(8, 3)(augment(inputs)))
z = head(layers.Conv2D(8, 3)(inputs))
model = keras.Model(inputs, layers.add([y, z]))

bad = keras.Sequential([layers.Dense(4), layers.Conv1D(4, 3)])
i2 = keras.Input(shape=(8,))
model2 = keras.Model(i2, bad(i2))

i3 = keras.Input(shape=(4,))
model3 = keras.Model(i3, own(i3))
"""


def test_sequential_blocks_are_called_layer_by_layer_and_shared() -> None:
    kfile = kfile_of(NESTED)
    model = model_named(kfile, "model")
    built = plan_for(model, kfile.models)
    assert [step.to_json() for step in built.steps if "block" in step.to_json()] == [
        {"block": [0, 1], "inputs": [0]},
        {"block": [3, 4], "inputs": [2]},
        {"block": [3, 4], "inputs": [4]},  # `head` again: the same two layers
    ]
    result = runtime.run(model, runtime.session(), kfile.models)
    assert result.status == "built", result.message
    assert result.total == 224 * 2 + 72_010  # `head` holds its weights once
    assert result.node_shapes[3] == (None, 10) and result.node_params[3] == 72_010
    assert assert_static_equals_keras(model, result, kfile.models) == 14


def test_a_layer_refused_inside_a_block_is_named() -> None:
    kfile = kfile_of(NESTED)
    result = runtime.run(model_named(kfile, "model2"), runtime.session(), kfile.models)
    assert result.status == "error"
    assert result.error_node == 1
    assert result.error_layer.kind == "Conv1D"
    assert plan_for(model_named(kfile, "model3"), kfile.models) == Skip(
        "the nested `own` has an input shape of its own"
    )


def test_kc501_points_at_the_layer_inside_the_block() -> None:
    # KC211 already sees `bad`'s Conv1D statically: KC501 does not repeat it.
    assert [d.code for d in lint_text(NESTED, "nested.py", RUNTIME_ONLY).diagnostics] == []
    text = textwrap.dedent("""\
        import keras
        from keras import layers
        block = keras.Sequential([layers.Dense(4), layers.ConvLSTM2D(filters=4, kernel_size=3)])
        i = keras.Input(shape=(8,))
        model = keras.Model(i, block(i))
    """)
    [found] = lint_text(text, "block.py", RUNTIME_ONLY).diagnostics
    assert (found.code, found.span.line, found.span.column) == ("KC501", 3, 44)
    assert found.message == (
        "`model` does not build: `ConvLSTM2D` needs 5-D input "
        "(batch, time, height, width, channels), but gets 2-D input of shape (None, 4)"
    )


@pytest.mark.parametrize(
    ("first", "second", "axes"),
    [
        ((5, 3), (3, 3), "(2, 1)"),
        ((4, 3), (4, 2), "1"),
        ((4, 3), (5, 3), "-1"),
        ((4, 3), (5, 3), "2"),
        ((6,), (6,), "-1"),
        ((4, 3), (3,), "(2, 1)"),
        ((4, 3), (2, 3), "(1, 2)"),
    ],
)
def test_dot_static_shapes_are_keras_s(first, second, axes) -> None:
    kfile = kfile_of(f"""\
        import keras
        from keras import layers
        a = keras.Input(shape={first})
        b = keras.Input(shape={second})
        m = keras.Model([a, b], layers.Dot(axes={axes})([a, b]))
    """)
    model = kfile.models[0]
    result = runtime.run(model, runtime.session())
    rows, _ = infer_graph(model)
    if result.status == "built":
        assert rows[2].shape == result.node_shapes[2]
    else:
        assert result.status == "error" and rows[2].refused, result.message


@pytest.mark.parametrize("shape", [(1,), (5,), (4, 3)])
@pytest.mark.parametrize("axis", ["None", "-1"])
def test_normalization_static_parameters_are_keras_s(shape, axis) -> None:
    kfile = kfile_of(f"""\
        import keras
        from keras import layers
        a = keras.Input(shape={shape})
        m = keras.Model(a, layers.Normalization(axis={axis})(a))
    """)
    model = kfile.models[0]
    result = runtime.run(model, runtime.session())
    assert result.status == "built", result.message
    row = infer_graph(model)[0][1]
    assert (row.shape, row.params) == (result.node_shapes[1], result.node_params[1])
