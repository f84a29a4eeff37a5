"""`# noqa`, `# noqa: KC101` and `# kerascheck: ignore-file`."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from kerascheck.run.engine import lint_text
from kerascheck.source.noqa import noqa_codes, statement_index

MODEL = """\
import keras
from keras import layers

model = keras.Sequential([{first}
    keras.Input(shape=(20,)),
    layers.Dense(10, activation="relu"),{reported}
]){last}
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""


def codes(text: str) -> list[tuple[int, str]]:
    return [(d.span.line, d.code) for d in lint_text(text, "model.py").diagnostics]


def model(first: str = "", reported: str = "", last: str = "") -> str:
    return MODEL.format(first=first, reported=reported, last=last)


def test_unsuppressed_baseline() -> None:
    assert codes(model()) == [(6, "KC101")]


@pytest.mark.parametrize("where", ["first", "reported", "last"])
@pytest.mark.parametrize(
    "comment",
    [
        "  # noqa",
        "  # noqa: KC101",
        "  #noqa:KC101",
        "  # NOQA: E501, KC101",
        "  # noqa: KC102,KC101 why",
    ],
)
def test_noqa_on_the_reported_first_or_last_line_of_the_statement(where: str, comment: str) -> None:
    assert codes(model(**{where: comment})) == []


@pytest.mark.parametrize(
    "comment",
    [
        "  # noqa: KC102",
        "  # noqa: E501",
        "  # no qa",
        "  # see noqa-policy.md",
        "  # noqa-policy",
        "  # noqanope",
    ],
)
def test_other_codes_or_no_noqa_do_not_suppress(comment: str) -> None:
    assert codes(model(reported=comment)) == [(6, "KC101")]


def test_noqa_on_another_statement_does_not_suppress() -> None:
    text = model() + "x = 1  # noqa\n"
    assert codes("# noqa\n" + text) == [(7, "KC101")]
    assert codes(text) == [(6, "KC101")]


def test_noqa_inside_a_block_uses_the_inner_statement() -> None:
    text = textwrap.dedent("""\
        import keras
        from keras import layers

        with strategy.scope():  # noqa: KC101 (the with header is not the statement)
            model = keras.Sequential([
                keras.Input(shape=(20,)),
                layers.Dense(10, activation="relu"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy")
    """)
    assert codes(text) == [(7, "KC101")]
    assert codes(text.replace("])\n", "])  # noqa: KC101\n")) == []


def test_ignore_file() -> None:
    assert codes("# kerascheck: ignore-file\n" + model()) == []
    assert codes(model() + "    #  kerascheck:ignore-file  (generated)\n") == []
    # Not a comment of its own: not a file-level switch.
    assert codes(model() + 'x = "# kerascheck: ignore-file"\n') == [(6, "KC101")]
    # It silences syntax errors too: the file is not read at all.
    assert codes("# kerascheck: ignore-file\nmodel = keras.Sequential([\n") == []


def test_noqa_codes() -> None:
    assert noqa_codes("x = 1") is False
    assert noqa_codes("x = 1  # noqa") is None
    assert noqa_codes("x = 1  # noqa:KC101,E501") == frozenset({"KC101", "E501"})
    assert noqa_codes("x = 1  # noqa: kc101 kc102") == frozenset({"KC101", "KC102"})


def test_statement_lines_of_compound_statements() -> None:
    text = textwrap.dedent("""\
        def build(
            units,
        ):
            x = [
                1,
            ]
            if x:
                y = 2
            else:
                z = f(
                    3)
            return x
    """)
    module = cst.parse_module(text)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    index = statement_index(module, positions)
    assert [index.get(line, (line, line)) for line in range(1, 13)] == [
        (1, 3),
        (1, 3),
        (1, 3),  # the def header
        (4, 6),
        (4, 6),
        (4, 6),
        (7, 7),
        (8, 8),
        (9, 9),  # `else:` is no statement of its own
        (10, 11),
        (10, 11),
        (12, 12),
    ]


def test_noqa_through_the_cli(tmp_path) -> None:
    (tmp_path / "model.py").write_text(model(reported="  # noqa: KC101"))
    result = subprocess.run(
        [sys.executable, "-m", "kerascheck", "check", "model.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")
