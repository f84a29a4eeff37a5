"""Fuzzing: generated Keras programs and mangled fixtures never break kerascheck.

Mutations delete, duplicate and swap lines and tokens of every fixture and
example, and insert stray characters (quotes, backslashes, brackets, form
feeds, BOMs, keywords).

Properties, for every input: linting never raises, gives the same result twice,
and both reporters render it (the JSON always parses); with the fix engine,
`--fix` output always parses and a second pass changes nothing.

Bounded for CI: each property has a fixed `max_examples` and runs derandomized
(the same inputs on every run, so a CI failure reproduces locally); the inputs
tried per run are counted in INPUTS_PER_RUN below.
"""

from __future__ import annotations

import ast
import json
import os
import re
import tempfile
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerascheck.cli import main
from kerascheck.project.settings import Settings
from kerascheck.report import json as json_report
from kerascheck.report import text as text_report
from kerascheck.run.engine import lint_text

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.py"))
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))
ALL = Settings(select=("ALL",))
# A warning while linting would be a stray stderr line: here it fails the property.
pytestmark = pytest.mark.filterwarnings("error")

PROGRAMS, MUTANTS, CLI_RUNS, FIX_PROGRAMS, FIX_MUTANTS = 400, 600, 40, 200, 300
INPUTS_PER_RUN = PROGRAMS + MUTANTS + CLI_RUNS + FIX_PROGRAMS + FIX_MUTANTS  # 1,540


def bounded(examples: int) -> settings:
    """A fixed number of inputs, the same ones every run, no time limit per input."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- the seam to the fix engine (on the "fixes" branch) ---------------------------------
# `kerascheck.run.fixing.fix_text(text, filename, settings) -> str`: the text `--fix`
# would write for this input (safe fixes only). Until it exists, the fix
# properties are skipped, not lost.


def _fix_text():
    try:
        from kerascheck.run import fixing as fixes
    except ImportError:
        return None
    return getattr(fixes, "fix_text", None)


FIX_TEXT = _fix_text()
needs_fix_engine = pytest.mark.skipif(FIX_TEXT is None, reason="fix engine not importable")


# -- generated Keras programs ---------------------------------------------------------------

# (import lines, how to name the keras module, how to name a layer class)
IMPORT_STYLES = [
    ("import keras", "keras", "keras.layers.{}"),
    ("import keras\nfrom keras import layers", "keras", "layers.{}"),
    ("from tensorflow import keras", "keras", "keras.layers.{}"),
    ("import tensorflow as tf", "tf.keras", "tf.keras.layers.{}"),
    ("import tensorflow.keras as tfk\nfrom tensorflow.keras import layers as L", "tfk", "L.{}"),
    ("import tensorflow.compat.v1 as tf", "tf.keras", "tf.keras.layers.{}"),
    (
        "from keras.models import Sequential, Model\nfrom keras.layers import *\nimport keras",
        "keras",
        "{}",
    ),
    ("import torch.nn as keras", "keras", "keras.{}"),  # not Keras at all
    ("", "keras", "layers.{}"),  # a pasted snippet
]
ACTIVATIONS = [
    "None",
    "'relu'",
    "'softmax'",
    "'sigmoid'",
    "'linear'",
    "'tanh'",
    "'gelu'",
    "'swish'",
    "'leaky_relu'",
    "'softmaxx'",
    "ACT",
    "tf.nn.relu",
    "keras.activations.softmax",
    "'sig' 'moid'",
    "f'{ACT}'",
    "lambda x: x",
]
LOSSES = [
    "'categorical_crossentropy'",
    "'binary_crossentropy'",
    "'mse'",
    "'mae'",
    "'sparse_categorical_crossentropy'",
    "'binary_crossentopy'",
    "LOSS",
    "None",
    "keras.losses.CategoricalCrossentropy(from_logits=True)",
    "keras.losses.BinaryCrossentropy(from_logits=False)",
    "keras.losses.SparseCategoricalCrossentropy(True)",
    "['mse', 'mae']",
    "{'out': 'mse'}",
    "custom_loss",
    "**kwargs",
]
UNITS = ["1", "2", "10", "N", "0", "-1", "2 * 5", "N + 1", "num_classes", "(3)", "True", "1.5"]
SHAPES = ["(4,)", "(28, 28, 1)", "4", "(4)", "[4]", "SHAPE", "(None,)", "()", "(4, None)"]


@st.composite
def layer_calls(draw, layer: str) -> str:
    kind = draw(
        st.sampled_from(
            [
                "Dense",
                "Dense",
                "Conv2D",
                "Flatten",
                "Dropout",
                "Activation",
                "BatchNormalization",
                "LSTM",
                "Embedding",
                "Softmax",
                "MaxPooling2D",
                "Reshape",
                "GlobalAveragePooling2D",
                "TimeDistributed",
                "Lambda",
                "MyLayer",
            ]
        )
    )
    name = layer.format(kind)
    args: list[str] = []
    if kind in ("Dense", "LSTM"):
        args.append(draw(st.sampled_from(UNITS)))
    elif kind == "Conv2D":
        args += [draw(st.sampled_from(UNITS)), draw(st.sampled_from(["3", "(3, 3)", "K"]))]
    elif kind == "Dropout":
        args.append(draw(st.sampled_from(["0.5", "RATE", "1", "0"])))
    elif kind == "Activation":
        args.append(draw(st.sampled_from(ACTIVATIONS)))
    elif kind == "Embedding":
        args += ["1000", draw(st.sampled_from(UNITS))]
    elif kind == "Reshape":
        args.append(draw(st.sampled_from(SHAPES)))
    elif kind == "TimeDistributed":
        args.append(layer.format("Dense") + "(3)")
    elif kind == "Lambda":
        args.append("lambda t: t * 2")
    if kind in ("Dense", "Conv2D", "LSTM") and draw(st.booleans()):
        args.append(f"activation={draw(st.sampled_from(ACTIVATIONS))}")
    if draw(st.integers(0, 5)) == 0:
        args.append(f"input_shape={draw(st.sampled_from(SHAPES))}")
    if draw(st.integers(0, 6)) == 0:
        args.append(
            draw(
                st.sampled_from(
                    [
                        "name='dense'",
                        "name=NAME",
                        "**kwargs",
                        "*extra",
                        "kernel_initializer='he_normal'",
                        "init='uniform'",
                    ]
                )
            )
        )
    return f"{name}({', '.join(args)})"


@st.composite
def keras_programs(draw) -> str:
    imports, module, layer = draw(st.sampled_from(IMPORT_STYLES))
    chain = draw(st.lists(layer_calls(layer), min_size=0, max_size=8))
    if draw(st.integers(0, 3)):  # most models end in a classifier head: reach the output rules
        units, activation = draw(st.sampled_from(UNITS)), draw(st.sampled_from(ACTIVATIONS))
        chain.append(f"{layer.format('Dense')}({units}, activation={activation})")
    lines = [
        imports,
        "N = 10",
        "ACT = 'relu'",
        "LOSS = 'mse'",
        "SHAPE = (4,)",
        "class MyLayer(keras.layers.Layer if 'keras' in dir() else object):",
        "    pass",
    ]
    model = draw(st.sampled_from(["model", "self.model", "m", "models[0]"]))
    style = draw(st.sampled_from(["list", "add", "functional", "subclass", "builder"]))
    first_input = draw(st.booleans())
    head = [f"{module}.Input(shape={draw(st.sampled_from(SHAPES))})"] if first_input else []
    body: list[str] = []
    if style == "list":
        items = ",\n    ".join(head + chain)
        body.append(f"{model} = {module}.Sequential([\n    {items}\n])")
    elif style == "add":
        body.append(f"{model} = {module}.Sequential()")
        body += [f"{model}.add({call})" for call in head + chain]
    elif style == "functional":
        body.append(f"inputs = {module}.Input(shape={draw(st.sampled_from(SHAPES))})")
        body.append("x = inputs")
        body += [f"x = {call}(x)" for call in chain]
        body.append(f"{model} = {module}.Model(inputs=inputs, outputs=x)")
    elif style == "subclass":
        body += [
            f"class Net({module}.Model):",
            "    def __init__(self):",
            "        super().__init__()",
            f"        self.block = {module}.Sequential([{', '.join(chain)}])",
            "    def call(self, x):",
            "        return self.block(x)",
            f"{model} = Net()",
        ]
    else:
        items = ", ".join(head + chain)
        body += [
            "def build(n=N):",
            f"    return {module}.Sequential([{items}])",
            f"{model} = build()",
        ]
    if draw(st.integers(0, 3)):
        metrics = draw(
            st.sampled_from(
                ["['accuracy']", "['acc', 'mae']", "[['accuracy'], ['mae']]", "METRICS", "[]"]
            )
        )
        optimizer = draw(
            st.sampled_from(
                [
                    "'adam'",
                    f"{module}.optimizers.Adam(lr=0.1)",
                    f"{module}.optimizers.SGD(0.1, decay=1e-6)",
                    "opt",
                ]
            )
        )
        loss = draw(st.sampled_from(LOSSES))
        loss_arg = loss if loss == "**kwargs" else f"loss={loss}"
        body.append(f"{model}.compile(optimizer={optimizer}, {loss_arg}, metrics={metrics})")
    for _ in range(draw(st.integers(0, 2))):
        call = draw(
            st.sampled_from(
                [
                    "fit(x_train, y_train, validation_data=(x_test, y_test), epochs=2)",
                    "fit(x_train, y_train, validation_split=0.2, nb_epoch=3)",
                    "fit(ds_train, callbacks=[keras.callbacks.EarlyStopping()])",
                    "fit_generator(gen)",
                    "evaluate(x_test, y_test)",
                    "predict_classes(x)",
                    "summary()",
                    "build((None, 4))",
                    "save('m.keras')",
                ]
            )
        )
        body.append(f"{model}.{call}")
    wrapper = draw(st.sampled_from(["", "if", "def", "with", "for", "try"]))
    if wrapper:
        opener = {
            "if": "if TRAIN:",
            "def": "def main():",
            "with": "with strategy.scope():",
            "for": "for trial in range(3):",
            "try": "try:",
        }[wrapper]
        body = [opener] + ["    " + line for text in body for line in text.split("\n")]
        if wrapper == "try":
            body += ["except Exception as error:", "    model = None"]
    return "\n".join(lines + body) + "\n"


def lint_twice(text: str) -> list:
    first = lint_text(text, "fuzz.py", ALL)
    second = lint_text(text, "fuzz.py", ALL)
    assert first == second, "linting the same text twice gave different results"
    return first


def assert_reports_render(result) -> None:
    rendered = json_report.render(result.diagnostics, [], 1)
    parsed = json.loads(rendered)
    assert len(parsed) == len(result.diagnostics)
    for item, diagnostic in zip(parsed, result.diagnostics):
        assert item["code"] == diagnostic.code
        assert 1 <= item["location"]["row"] <= item["end_location"]["row"]
        assert item["location"]["column"] >= 1
    text_report.render(result.diagnostics, [], 1)


@bounded(PROGRAMS)
@given(keras_programs())
def test_generated_programs_lint_cleanly_and_deterministically(program: str) -> None:
    ast.parse(program)  # the generator writes valid Python
    result = lint_twice(program)
    assert result.error is None
    assert "KC001" not in [d.code for d in result.diagnostics]
    lines = program.splitlines()
    for diagnostic in result.diagnostics:
        assert 1 <= diagnostic.span.line <= len(lines)
        assert diagnostic.source_line == lines[diagnostic.span.line - 1]
    assert_reports_render(result)


# -- mutated fixtures -------------------------------------------------------------------------

TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")
# Stray characters and keywords; a backslash inserted into 'accuracy' found a crash.
NOISE = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    '"',
    "'",
    "\\",
    "#",
    "@",
    "=",
    ",",
    ".",
    "\t",
    "\r",
    "\n",
    "\f",
    "\u2028",
    "é",
    "\ufeff",
    '"""',
    "lambda",
    "if",
    "await",
    "*",
    "**",
    "async ",
    "match ",
    "case _:",
    "f'{",
    "0x",
    "1e",
    "...",
    "\\u",
    "\\x",
]


@st.composite
def mutants(draw) -> str:
    path = draw(st.sampled_from(FIXTURES + EXAMPLES))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):  # line-level
            lines = text.splitlines(keepends=True) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            operation = draw(st.sampled_from(["delete", "duplicate", "swap"]))
        else:  # token-level
            lines = TOKEN.findall(text) or [""]
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        if operation == "insert":
            lines.insert(i, draw(st.sampled_from(NOISE)))
        elif operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        text = "".join(lines)
    return text


@bounded(MUTANTS)
@given(mutants())
def test_mutated_fixtures_never_break_the_linter(text: str) -> None:
    result = lint_twice(text)
    # A mangled file may be a syntax error, or (rarely) valid Python LibCST
    # cannot read; never an internal error.
    assert result.error is None or ": cannot analyse: LibCST cannot parse" in result.error
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    else:  # valid Python is analysed, not called a syntax error
        assert "KC001" not in [d.code for d in result.diagnostics]
    assert_reports_render(result)


# -- the real CLI, end to end -------------------------------------------------------------------


@bounded(CLI_RUNS)
@given(st.one_of(keras_programs(), mutants()))
def test_cli_json_output_always_parses(text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "fuzz.py")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        outcome = CliRunner().invoke(main, ["check", path, "--output-format", "json"])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.output
    assert outcome.exit_code in (0, 1), outcome.output
    assert isinstance(json.loads(outcome.stdout), list)


# -- the fix engine -------------------------------------------------------------------------------


def assert_fix_is_sound(text: str) -> None:
    try:
        cst.parse_module(text)
    except cst.ParserSyntaxError:
        return  # nothing to fix in a file that does not parse
    fixed = FIX_TEXT(text, "fuzz.py", ALL, unsafe=True).text
    cst.parse_module(fixed)  # a fix never writes a file that does not parse
    again = FIX_TEXT(fixed, "fuzz.py", ALL, unsafe=True).text
    assert again == fixed, "a second --fix changed the file again"


@needs_fix_engine
@bounded(FIX_PROGRAMS)
@given(keras_programs())
def test_fix_output_parses_and_is_idempotent_on_generated_programs(program: str) -> None:
    assert_fix_is_sound(program)


@needs_fix_engine
@bounded(FIX_MUTANTS)
@given(mutants())
def test_fix_output_parses_and_is_idempotent_on_mutated_fixtures(text: str) -> None:
    assert_fix_is_sound(text)
