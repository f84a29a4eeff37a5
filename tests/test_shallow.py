"""The scan that spares most files the nesting guard's parse (source/shallow.py):
it calls a file shallow only when CPython certainly accepts its nesting."""

from __future__ import annotations

import ast
import sys
import warnings

import pytest

from kerascheck.source.nesting import nesting_error
from kerascheck.source.shallow import surely_shallow

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="the scan is used up to Python 3.11 only"
)

TYPICAL = '''\
"""A training script: docstring, comments, strings of every kind."""
import keras
from keras import layers

# a comment with ( brackets [ and "quotes'
model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.Flatten(),
        layers.Dense(10, activation='softmax'),
    ]
)
model.compile(loss="categorical_crossentropy", optimizer=r"adam", metrics=[b"x".decode()])
print(f"{model.count_params()} parameters, {len(model.layers)} layers", rf"\\d{1}")
text = """multi
line ( [ {
"""
x = 1 + \\
    2
'''

NOT_PROVEN = {
    "brackets-64": "x = " + "[" * 64 + "1" + "]" * 64,
    "long-statement": "x = (" + "\n+ 1" * 500 + ")",
    "long-sum-one-line": "x = " + " + ".join(["a"] * 400),
    "long-data-literal": "x = [\n" + "    1,\n" * 200 + "]",
    "f-string-brackets": "x = f'{" + "(" * 64 + "1" + ")" * 64 + "}'",
    "f-string-weight": "x = f'{" + "-" * 1000 + "1}'",
    "elif-chain": "if a: pass\n" + "elif a: pass\n" * 100,
    "hex-escape": "x = '\\x41'",
    "named-escape": "x = '\\N{BULLET}'",
    "non-ascii-bytes": "x = b'caf\u00e9'",
    "tab-indentation": "if x:\n" + "\t" * 12 + "pass",
    "unterminated-string": "x = 'abc\ny = 1",
    "unclosed-bracket": "x = (1,\n",
    "stray-close": "x = 1)\n",
    "stray-backslash": "x = 1 \\ 2\n",
}


def test_a_typical_script_is_shallow() -> None:
    assert surely_shallow(TYPICAL)
    assert surely_shallow("")
    assert surely_shallow("x = 'caf\u00e9'  # non-ASCII outside bytes\n")
    assert surely_shallow('"""' + "a long docstring ( [ { " * 200 + '"""\n')


@pytest.mark.parametrize("name", sorted(NOT_PROVEN))
def test_near_a_limit_or_unrecognised_is_not_proven(name: str) -> None:
    assert not surely_shallow(NOT_PROVEN[name])


@pytest.mark.parametrize(
    "text",
    [
        *NOT_PROVEN.values(),
        TYPICAL,
        "x = " + "-" * 10_000 + "1",
        "x = " + "[" * 1000 + "1" + "]" * 1000,
        "f = " + "lambda: " * 3000 + "1",
        "".join("    " * i + "if x:\n" for i in range(101)) + "    " * 101 + "pass\n",
    ],
)
def test_shallow_means_python_accepts_the_nesting(text: str) -> None:
    if surely_shallow(text):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ast.parse(text)
            except SyntaxError as error:  # another syntax error is LibCST's to report
                assert nesting_error(text) is None, error


def test_the_guard_still_refuses_what_python_refuses() -> None:
    error = nesting_error("x = " + "[" * 1000 + "1" + "]" * 1000)
    assert error is not None and error.msg == "too many nested parentheses"
