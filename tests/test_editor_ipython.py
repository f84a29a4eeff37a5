"""The IPython extension in a real InteractiveShell: cells run with
`%load_ext kerascheck`, linted with the cells run before them.

The Keras code sits in function bodies that are defined, never called: the
linter reads them, the kernel never imports TensorFlow."""

from __future__ import annotations

import pytest

pytest.importorskip("IPython")

from IPython.core.error import InputRejected
from IPython.core.interactiveshell import InteractiveShell

BUILD = """\
def build():
    from tensorflow import keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu")])
    return model
"""
COMPILE_IN_BUILD = BUILD.replace(
    "    return model\n",
    '    model.compile(loss="categorical_crossentropy", optimizer="adam")\n    return model\n',
)


@pytest.fixture
def shell():
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance()
    ip.run_cell("%load_ext kerascheck")
    yield ip
    ip.run_cell("%unload_ext kerascheck")
    InteractiveShell.clear_instance()


def test_a_cell_is_linted_before_it_runs_and_runs(shell, capsys) -> None:
    result = shell.run_cell(
        "def optimizer():\n    from tensorflow import keras\n    return keras.optimizers.Adam(lr=0.1)\nafter = 1"
    )
    out = capsys.readouterr().out
    assert "kerascheck: 1 problem in this cell" in out
    assert "line 3:34: KC401 [error] `Adam(lr=0.1)`: Keras 3 removed `lr`" in out
    assert "help: rename it: `learning_rate=0.1`" in out
    assert "rules/KC401.md" in out
    assert result.success and shell.user_ns["after"] == 1  # default mode: the cell runs


def test_earlier_cells_are_one_program_with_this_one(shell, capsys) -> None:
    shell.run_cell("%matplotlib --list\n!true\nUNITS = 3")
    assert "kerascheck" not in capsys.readouterr().out  # magics and escapes: masked, no noise
    shell.run_cell(BUILD)
    assert "kerascheck" not in capsys.readouterr().out  # no loss yet: nothing wrong
    shell.run_cell(COMPILE_IN_BUILD)
    out = capsys.readouterr().out
    assert (
        "line 3:50: KC101 [error] Output activation `relu` with `categorical_crossentropy`" in out
    )


def test_python_cell_magics_are_linted_other_cell_magics_skipped(shell, capsys) -> None:
    shell.run_cell(
        "%%capture\ndef f():\n    from tensorflow import keras\n    keras.optimizers.Adam(lr=0.1)"
    )
    assert "line 4:27: KC401" in capsys.readouterr().out  # the body, below the magic line
    shell.run_cell(
        "%%writefile /dev/null\nfrom tensorflow import keras\nkeras.optimizers.Adam(lr=0.1)"
    )
    assert "KC401" not in capsys.readouterr().out  # not Python: not ours


def test_only_this_cells_diagnostics_are_shown(shell, capsys) -> None:
    shell.run_cell("def f():\n    from tensorflow import keras\n    keras.optimizers.Adam(lr=0.1)")
    capsys.readouterr()
    shell.run_cell("x = 2")
    assert capsys.readouterr().out == ""


def test_strict_refuses_a_cell_with_an_error(shell, capsys) -> None:
    shell.run_cell("%kerascheck strict")
    assert "kerascheck: strict" in capsys.readouterr().out
    result = shell.run_cell(COMPILE_IN_BUILD + "refused_cell_ran = True")
    out = capsys.readouterr().out
    assert isinstance(result.error_before_exec, InputRejected)
    assert "refused_cell_ran" not in shell.user_ns  # nothing in the cell ran
    assert "strict mode: the cell was not run" in out
    assert "InputRejected" in out  # IPython's own refusal, in its own words
    assert "kerascheck strict mode: not run, the cell has errors (KC101)" in out
    # A clean cell still runs, and the refused cell is not part of the history.
    assert shell.run_cell("fine = True").success and shell.user_ns["fine"]
    shell.run_cell("%kerascheck on")
    result = shell.run_cell(COMPILE_IN_BUILD + "ran_anyway = True")
    assert result.success and shell.user_ns["ran_anyway"]


def test_strict_runs_a_cell_with_only_warnings(shell, capsys, monkeypatch) -> None:
    from dataclasses import replace

    from kerascheck.checks import RULES
    from kerascheck.checks.registry import Severity

    # Strict mode reads each rule's severity: a rule declared advice does not refuse.
    monkeypatch.setitem(RULES, "KC402", replace(RULES["KC402"], severity=Severity.WARNING))
    shell.run_cell("%kerascheck strict")
    result = shell.run_cell(
        "def opt():\n    from tensorflow import keras\n    return keras.optimizers.SGD(decay=1e-6)\nwarned_ran = True"
    )
    out = capsys.readouterr().out
    assert "KC402 [warning]" in out
    assert result.success and shell.user_ns["warned_ran"]


def test_off_select_and_status(shell, capsys) -> None:
    cell = "def f():\n    from tensorflow import keras\n    keras.optimizers.Adam(lr=0.1)"
    shell.run_cell("%kerascheck off")
    shell.run_cell(cell)
    assert "problem" not in capsys.readouterr().out
    shell.run_cell("%kerascheck on")
    shell.run_cell("%kerascheck select KC1")
    shell.run_cell(cell)
    out = capsys.readouterr().out
    assert "rules: KC1;" in out and "problem" not in out
    shell.run_cell("%kerascheck select")
    shell.run_cell(cell)
    assert "KC401" in capsys.readouterr().out
    shell.run_cell("%kerascheck status")
    assert capsys.readouterr().out.startswith("kerascheck: on; rules: the project's rules;")
    shell.run_cell("%kerascheck select KC999")
    assert "unknown rule selector 'KC999'" in capsys.readouterr().err


def test_a_failure_of_ours_never_reaches_the_cell(shell, capsys, monkeypatch) -> None:
    from kerascheck.editor import ipython

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ipython, "lint_cells", broken)
    result = shell.run_cell("survived = True")
    assert result.success and shell.user_ns["survived"]
    assert "kerascheck: could not check this cell (RuntimeError('boom'))" in capsys.readouterr().err


def test_html_for_jupyter(shell) -> None:
    from kerascheck.editor.display import CellReport
    from kerascheck.editor.ipython import _LOADED

    [extension] = _LOADED.values()
    found = extension.check(
        "def f():\n    from tensorflow import keras\n    keras.optimizers.Adam(lr=0.1)"
    )
    html = CellReport(found, cell=extension.history.__len__() + 1)._repr_html_()
    assert '<a href="https://github.com/kerascheck/kerascheck/blob/main/rules/KC401.md"' in html
    assert "help: rename it: `learning_rate=0.1`" in html


def test_import_kerascheck_loads_neither_libcst_nor_ipython() -> None:
    import subprocess
    import sys

    code = "import sys, kerascheck; print('libcst' in sys.modules, 'IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.split() == ["False", "False"]
