"""Runtime mode with real TensorFlow/Keras (the dev extra): no mocks.

Most tests share the run's worker through the Python API, as the CLI does for
all files of a run; a few run the real CLI in a subprocess, as users do.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fixtures import expected

from kerascheck.checks import RULES
from kerascheck.checks.pages import example
from kerascheck.commands.show import render
from kerascheck.ir.extract.walker import extract
from kerascheck.ir.input_shape import Skip
from kerascheck.ir.shapes import infer
from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_text
from kerascheck.runtime.client import Session
from kerascheck.runtime.plan import plan
from kerascheck.runtime.results import results_of, session

if importlib.util.find_spec("tensorflow") is None:  # not imported here: the worker does
    pytest.skip("runtime tests need TensorFlow (the dev extra)", allow_module_level=True)

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "runtime_fixtures"
ALL_RUNTIME = Settings(select=("ALL",), ignore=("KC406",), runtime=True)  # KC406 is opt-in

CONV_ON_2D = textwrap.dedent("""\
    import keras
    from keras import layers

    open("EXECUTED", "w").write("the linted file ran")

    model = keras.Sequential([
        keras.Input(shape=(32, 32)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
""")


def run(*args: str, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "kerascheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, **(env or {})),
    )


def kfile_of(code: str):
    return extract(cst.parse_module(textwrap.dedent(code)))


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.name)
def test_runtime_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = lint_text(text, str(path), ALL_RUNTIME)
    assert result.error is None
    assert sorted((d.span.line, d.code) for d in result.diagnostics) == expected(text)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.name)
def test_runtime_rules_are_silent_without_runtime(path: Path) -> None:
    result = lint_text(path.read_text(encoding="utf-8"), str(path), Settings(select=("ALL",)))
    assert [d for d in result.diagnostics if RULES[d.code].needs_runtime] == []


STATIC_SHAPE_ADVICE = sorted((ROOT / "tests" / "fixtures").glob("kc50[23]_*.py"))


@pytest.mark.parametrize(
    "path", sorted(FIXTURES.glob("*.py")) + STATIC_SHAPE_ADVICE, ids=lambda p: p.name
)
def test_static_kc502_kc503_are_the_runtime_ones(path: Path) -> None:
    """Where static shapes decide KC502/KC503, runtime mode says the same once
    (and Keras builds the shapes the messages quote)."""
    text = path.read_text(encoding="utf-8")

    def found(settings: Settings) -> list[tuple[int, str, str]]:
        result = lint_text(text, str(path), settings)
        return sorted(
            (d.span.line, d.code, d.message)
            for d in result.diagnostics
            if d.code in ("KC502", "KC503")
        )

    static = found(Settings(select=("ALL",)))
    with_runtime = found(ALL_RUNTIME)
    assert set(static) <= set(with_runtime)
    assert len(with_runtime) == len(set(with_runtime))


def test_static_shapes_agree_with_keras() -> None:
    """Every shape and parameter count shapes.py works out is the one Keras builds."""
    compared = 0
    for path in [*FIXTURES.glob("*.py"), *(ROOT / "examples").glob("*.py")]:
        kfile = extract(cst.parse_module(path.read_text(encoding="utf-8")))
        from kerascheck.runtime.results import attach

        kfile, _, _ = attach(kfile)
        for model, result in zip(kfile.models, results_of(kfile)):
            if result.status != "built":
                continue
            rows, _ = infer(model)
            for index, row in enumerate(rows):
                if isinstance(row.shape, tuple):
                    assert row.shape == result.shapes[index], (path.name, model.name, index)
                    compared += 1
                if isinstance(row.params, int):
                    assert row.params == result.params[index], (path.name, model.name, index)
    assert compared > 40


def test_cli_reports_the_conv_with_the_same_message_and_never_runs_the_file(tmp_path: Path) -> None:
    (tmp_path / "conv.py").write_text(CONV_ON_2D)
    # Keras warns about input_shape on a layer; the user must not see it.
    (tmp_path / "warns.py").write_text(
        textwrap.dedent("""\
        import keras
        model = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(8,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
    """)
    )
    result = run("check", "--runtime", "conv.py", "warns.py", cwd=tmp_path)
    assert result.stderr == ""  # no TensorFlow start-up chatter, no Keras warnings
    assert result.returncode == 1
    assert result.stdout == textwrap.dedent("""\
        conv.py:8:5: KC211 `model` does not build: `Conv2D` needs at least 4-D input (batch, height, width, channels), but gets 3-D input of shape (None, 32, 32)
          |
        8 |     layers.Conv2D(32, 3, activation="relu"),
          |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          = help: give the input a channels axis: `shape=(32, 32, 1)` for one channel

        Found 1 problem in 2 checked files.
        """)
    assert not (tmp_path / "EXECUTED").exists()


def test_hung_worker_is_one_message_and_static_results_still_print(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(
        textwrap.dedent("""\
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10, activation="relu")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
    """)
    )
    result = run(
        "check", "--runtime", "model.py", cwd=tmp_path, env={"KERASCHECK_RUNTIME_TIMEOUT": "0.001"}
    )
    assert result.returncode == 2
    assert "model.py:4:53: KC101" in result.stdout
    assert result.stderr == (
        "kerascheck: error: model.py: runtime: `model` did not build "
        "within 0.001 s (worker stopped)\n"
    )


def test_without_tensorflow_runtime_names_the_pip_line(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(CONV_ON_2D)
    hide = (
        "import sys; sys.modules['tensorflow'] = None; sys.modules['keras'] = None; "
        "from kerascheck.cli import main; main()"
    )
    for command in (["check", "--runtime", "model.py"], ["show", "--runtime", "model.py"]):
        result = subprocess.run(
            [sys.executable, "-c", hide, *command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"kerascheck: error: --runtime needs TensorFlow, and tensorflow and keras are not "
            f"installed for {sys.executable}; install it with: "
            f"{sys.executable} -m pip install 'kerascheck[runtime]'\n"
        )


def test_crashed_worker_is_an_answer_and_the_next_model_gets_a_new_one() -> None:
    own = Session()
    try:
        request = {"input": [None, 8], "layers": [{"class": "Dense", "config": {"units": 2}}]}
        assert own.build(request)["status"] == "built"
        own._worker.process.kill()
        crashed = own.build(request)
        assert crashed["status"] == "failed"
        assert crashed["message"].startswith("crashed the runtime worker (exit status -9")
        again = own.build(request)
        assert again["status"] == "built"
        assert again["layers"] == [{"shape": [None, 2], "params": 18}]
    finally:
        own.close()


def test_worker_refuses_classes_outside_the_catalog() -> None:
    answer = session().build(
        {
            "input": [None, 4],
            "layers": [
                {"class": "Dense", "config": {"units": 3}},
                {"class": "Lambda", "config": {"function": "print"}},
            ],
        }
    )
    assert answer["status"] == "error"
    assert answer["layer"] == 1
    assert answer["message"] == "`Lambda` is not a layer kerascheck builds"


@pytest.mark.parametrize(
    "code, reason",
    [
        (
            "m = keras.Sequential([keras.Input(shape=(4,)), layers.Lambda(lambda t: t)])",
            "`Lambda` runs a function from the linted code: never built",
        ),
        (
            "m = keras.Sequential([keras.Input(shape=(4,)), layers.TFSMLayer('saved/')])",
            "`TFSMLayer` loads a SavedModel from disk: never built",
        ),
        (
            "m = keras.Sequential([keras.Input(shape=(4,)), Block()])",
            "an element kerascheck cannot see into: `Block()`",
        ),
        (
            "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(n)])",
            "`Dense` argument `units=n` is not a literal",
        ),
        (
            "m = keras.Sequential([layers.Dense(4)])",
            "input shape unknown: no `Input`, `input_shape` or `build()`",
        ),
        (
            "m = keras.Sequential([keras.Input(shape=s), layers.Dense(4)])",
            "input shape unknown: `shape=s` is not a literal shape",
        ),
    ],
)
def test_plan_skips_what_is_not_fully_known_or_runs_code(code: str, reason: str) -> None:
    kfile = kfile_of("import keras\nfrom keras import layers\n" + code)
    assert plan(kfile.models[0]) == Skip(reason)


def test_plan_leaves_out_unknown_arguments_that_never_change_shapes() -> None:
    kfile = kfile_of("""\
        import keras
        from keras import layers, regularizers
        m = keras.Sequential([
            layers.Dense(4, input_shape=(3,), kernel_regularizer=regularizers.l2(1e-4),
                         activation=act, name=f"dense_{i}"),
        ])
    """)
    built = plan(kfile.models[0])
    assert built.to_json() == {
        "input": [None, 3],
        "layers": [{"class": "Dense", "config": {"units": 4}}],
    }


def test_show_prints_static_shapes_and_names_unknown_values(tmp_path: Path) -> None:
    path = tmp_path / "snippet.py"
    path.write_text(
        textwrap.dedent("""\
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(HIDDEN, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
    """)
    )
    result = run("show", str(path))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == textwrap.dedent(f"""\
        {path}:

        line 4: `model` (Sequential)
          line  layer         units   activation  output shape        params
             5  Input                             (None, 28, 28, 1)        0
             6  Conv2D        32      relu        (None, 26, 26, 32)     320
             7  MaxPooling2D                      (None, 13, 13, 32)       0
             8  Flatten                           (None, 5408)             0
             9  Dense         HIDDEN  relu        (None, None)             ?
            10  Dense         10      softmax     (None, 10)               ?
          unknown: `units=HIDDEN` of `Dense` is not a literal
        """)


def test_show_runtime_on_the_bundled_examples() -> None:
    text, failure = render(str(ROOT / "examples" / "review_sentiment.py"), runtime=True)
    assert failure is None
    assert text.splitlines()[2:] == [
        "line 7: `model` (Sequential)",
        "  line  layer                   units  activation  output shape        params",
        "     8  Input                                      (None, 200)              0",
        "     9  Embedding               64                 (None, 200, 64)  1,280,000",
        "    10  GlobalAveragePooling1D                     (None, 64)               0",
        "    11  Dense                   32     relu        (None, 32)           2,080",
        "    12  Dense                   2      softmax     (None, 2)               66",
        "  total: 1,282,146 parameters (Keras)",
    ]
    text, failure = render(str(ROOT / "examples" / "churn_functional.py"), runtime=True)
    assert failure is None
    assert "  total: 1,281 parameters (Keras)" in text
    assert "  not built by Keras: `Dense` argument `units=width` is not a literal" in text
    text, failure = render(str(ROOT / "examples" / "mnist_classifier.py"), runtime=True)
    assert "  unknown: input shape unknown: no `Input`, `input_shape` or `build()`" in text


def test_show_runtime_cli_marks_the_layer_keras_refused(tmp_path: Path) -> None:
    (tmp_path / "conv.py").write_text(CONV_ON_2D)
    result = run("show", "--runtime", "conv.py", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == textwrap.dedent("""\
        conv.py:

        line 6: `model` (Sequential)
          line  layer    units  activation  output shape    params
             7  Input                       (None, 32, 32)       0
             8  Conv2D   32     relu        error                ?
             9  Flatten                     ?                    0
            10  Dense    10     softmax     ?                    ?
          Keras: does not build: `Conv2D` needs at least 4-D input (batch, height, width, channels), but gets 3-D input of shape (None, 32, 32)
        """)
    assert not (tmp_path / "EXECUTED").exists()


def _page_block(code: str, title: str) -> str:
    """The python block under `## title` in rules/CODE.md."""
    found = example(code, title)
    assert found is not None
    return found


@pytest.mark.parametrize("code", ["KC501", "KC502", "KC503", "KC504"])
def test_rule_page_examples_with_runtime(code: str) -> None:
    def codes(source: str) -> list[str]:
        result = lint_text(source, f"{code}.py", ALL_RUNTIME)
        assert result.error is None
        return sorted({d.code for d in result.diagnostics if d.code != "KC406"})

    text = (ROOT / "rules" / f"{code}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {code}: {RULES[code].name}\n")
    assert codes(_page_block(code, "Example")) == [code]
    assert codes(_page_block(code, "Use instead")) == []


@pytest.mark.parametrize(
    "model, shape",
    [
        ("keras.Sequential([layers.Dense(4), layers.Dense(1)])\nm.build((None, 784))", (None, 784)),
        ("keras.Sequential([layers.Dense(4, input_dim=8)])", (None, 8)),
        ("keras.Sequential([layers.Dense(4, input_shape=[8])])", (None, 8)),
        ("keras.Sequential([layers.LSTM(4, batch_input_shape=(32, 10, 3))])", (32, 10, 3)),
        ("keras.Sequential([layers.InputLayer(input_shape=(8,)), layers.Dense(1)])", (None, 8)),
        ("keras.Sequential([keras.Input(shape=(8,), batch_size=4), layers.Dense(1)])", (4, 8)),
        ("keras.Sequential([keras.Input(batch_shape=(None, 5)), layers.Dense(1)])", (None, 5)),
        ("keras.Sequential([layers.Embedding(100, 8, input_shape=(20,))])", (None, 20)),
    ],
)
def test_input_shape_sources(model: str, shape: tuple) -> None:
    kfile = kfile_of("import keras\nfrom keras import layers\nm = " + model)
    built = plan(kfile.models[0])
    assert built.input_shape == shape
    answer = session().build(built.to_json())
    assert answer["status"] == "built", answer


def test_verbose_says_which_models_runtime_skipped() -> None:
    result = run("check", "--runtime", "--verbose", "--output-format", "json", "examples", cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "kerascheck: examples/churn_functional.py: runtime: `variant` not built: "
        "`Dense` argument `units=width` is not a literal",
        "kerascheck: examples/legacy_keras2.py: runtime: `model` not built: "
        "input shape unknown: `input_shape=(10)` is not a literal shape",
        "kerascheck: examples/mnist_classifier.py: runtime: `model` not built: "
        "input shape unknown: no `Input`, `input_shape` or `build()`",
    ]
    import json

    codes = sorted(d["code"] for d in json.loads(result.stdout))
    assert codes == [
        "KC101",
        "KC102",
        "KC103",
        "KC105",
        "KC201",
        "KC202",
        "KC203",
        "KC301",
        "KC401",
        "KC405",
        "KC407",
        "KC407",
    ]


def test_show_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import keras\nmodel = keras.Sequential([\n")
    (tmp_path / "plain.py").write_text("print('no models here')\n")
    missing = run("show", "nope.py", cwd=tmp_path)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == "kerascheck: error: nope.py: cannot read: No such file or directory\n"
    broken = run("show", "broken.py", cwd=tmp_path)
    assert (broken.returncode, broken.stdout) == (2, "")
    assert broken.stderr.startswith("kerascheck: error: broken.py: cannot parse: ")
    assert broken.stderr.count("\n") == 1
    plain = run("show", "plain.py", cwd=tmp_path)
    assert (plain.returncode, plain.stdout, plain.stderr) == (
        0,
        "plain.py: no Keras models found\n",
        "",
    )


def test_plan_maps_positional_arguments_of_preprocessing_layers() -> None:
    kfile = kfile_of("""\
        import keras
        from keras import layers
        m = keras.Sequential([
            keras.Input(shape=(32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.RandomFlip("horizontal"),
            layers.UpSampling2D(2),
            layers.GlobalAvgPool2D(),
        ])
    """)
    built = plan(kfile.models[0])
    assert [step.config for step in built.steps] == [
        {"scale": 1.0 / 255},
        {"mode": "horizontal"},
        {"size": 2},
        {},
    ]
    answer = session().build(built.to_json())
    assert answer["layers"][-1] == {"shape": [None, 3], "params": 0}


def test_every_catalogued_layer_exists_in_keras() -> None:
    code = (
        "import json, keras; from kerascheck.catalog.buildable import BUILDABLE; "
        "print(json.dumps(sorted(n for n in BUILDABLE if not hasattr(keras.layers, n))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    assert result.stdout.strip() == "[]"


_PADDING = st.sampled_from(["valid", "same"])
_CONV_LAYERS = st.one_of(
    st.builds(
        lambda f, k, s, p: f"layers.Conv2D({f}, {k}, strides={s}, padding={p!r})",
        st.integers(1, 8),
        st.integers(1, 5),
        st.integers(1, 3),
        _PADDING,
    ),
    st.builds(
        lambda k, s, p: f"layers.MaxPooling2D({k}, strides={s}, padding={p!r})",
        st.integers(1, 3),
        st.sampled_from([None, 1, 2, 3]),
        _PADDING,
    ),
    st.builds(
        lambda k, p: f"layers.AveragePooling2D(pool_size={k}, padding={p!r})",
        st.integers(1, 3),
        _PADDING,
    ),
    st.just("layers.BatchNormalization()"),
    st.just("layers.Dropout(0.1)"),
    # Kinds with a static rule since the model-graph work (issue 13).
    st.builds(
        lambda f, k, s, p: f"layers.Conv2DTranspose({f}, {k}, strides={s}, padding={p!r})",
        st.integers(1, 4),
        st.integers(1, 4),
        st.integers(1, 3),
        _PADDING,
    ),
    st.builds(
        lambda f, k, m, p: f"layers.SeparableConv2D({f}, {k}, depth_multiplier={m}, padding={p!r})",
        st.integers(1, 4),
        st.integers(1, 3),
        st.integers(1, 2),
        _PADDING,
    ),
    st.builds(
        lambda k, m, s: f"layers.DepthwiseConv2D({k}, depth_multiplier={m}, strides={s})",
        st.integers(1, 3),
        st.integers(1, 2),
        st.integers(1, 2),
    ),
    st.builds(lambda n: f"layers.UpSampling2D({n})", st.sampled_from([1, 2, "(2, 3)"])),
    st.builds(
        lambda n: f"layers.ZeroPadding2D({n})", st.sampled_from([1, "(1, 2)", "((1, 0), (2, 3))"])
    ),
    st.builds(
        lambda n: f"layers.Cropping2D({n})", st.sampled_from([1, "(1, 2)", "((1, 0), (0, 2))"])
    ),
    st.builds(lambda h, w: f"layers.Resizing({h}, {w})", st.integers(1, 9), st.integers(1, 9)),
    st.sampled_from(["layers.Permute((2, 1, 3))", "layers.PReLU()", "layers.Normalization()"]),
)
_HEADS = st.lists(
    st.sampled_from(["layers.Flatten()", "layers.GlobalAveragePooling2D()", "layers.Dense(3)"]),
    max_size=2,
)


@settings(max_examples=120, deadline=None)
@given(
    side=st.integers(1, 24),
    channels=st.integers(1, 3),
    body=st.lists(_CONV_LAYERS, min_size=1, max_size=4),
    head=_HEADS,
)
def test_static_shapes_match_keras_on_generated_models(side, channels, body, head) -> None:
    """Wherever static inference gives a shape, Keras agrees; where Keras refuses a
    layer, static inference has no shape for it."""
    layer_lines = ",\n    ".join(body + head)
    kfile = kfile_of(
        f"import keras\nfrom keras import layers\nm = keras.Sequential([\n"
        f"    keras.Input(shape=({side}, {side}, {channels})),\n"
        f"    {layer_lines},\n])\n"
    )
    model = kfile.models[0]
    rows, _ = infer(model)
    answer = session().build(plan(model).to_json())
    assert answer["status"] in ("built", "error"), answer
    for index, keras_layer in enumerate(answer["layers"], start=1):
        if isinstance(rows[index].shape, tuple):
            assert list(rows[index].shape) == keras_layer["shape"]
        if isinstance(rows[index].params, int):
            assert rows[index].params == keras_layer["params"]
    if answer["status"] == "error":
        assert not isinstance(rows[answer["layer"] + 1].shape, tuple), answer["message"]
    else:
        assert all(isinstance(row.shape, tuple) for row in rows)


def test_the_help_names_the_argument_that_gave_the_shape() -> None:
    # Static shapes see it (KC211), with runtime mode's words; KC501 does not repeat it.
    text = textwrap.dedent("""\
        import keras
        from keras import layers
        model = keras.Sequential([layers.Conv1D(8, 3, input_shape=(100,)), layers.Flatten()])
    """)
    [found] = lint_text(text, "conv1d.py", ALL_RUNTIME).diagnostics
    assert (found.code, found.span.line, found.span.column) == ("KC211", 3, 27)
    assert found.message == (
        "`model` does not build: `Conv1D` needs at least 3-D input "
        "(batch, steps, channels), but gets 2-D input of shape (None, 100)"
    )
    assert found.help == "give the input a channels axis: `input_shape=(100, 1)` for one channel"
