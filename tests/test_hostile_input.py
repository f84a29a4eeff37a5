"""Bad input gets one clear `kerascheck: error:` line (or a KC001), never a
traceback, and every other file is still linted. Each case runs the real CLI."""

from __future__ import annotations

import ast
import codecs
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kerascheck.run.guard import crash_message, lint_isolated

RELU_OUTPUT = textwrap.dedent("""\
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=(20,)),
        layers.Dense(10, activation="relu"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
""")
KC101_LINE, KC101_COLUMN = 6, 5


def run(*args: str, cwd: Path, prefix: tuple[str, ...] = (), code: str | None = None):
    command = [sys.executable, "-m", "kerascheck"] if code is None else [sys.executable, "-c", code]
    return subprocess.run(
        [*prefix, *command, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def located(stdout: str) -> list[tuple[str, str, int, int]]:
    return [
        (Path(d["filename"]).name, d["code"], d["location"]["row"], d["location"]["column"])
        for d in json.loads(stdout)
    ]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.py").write_text(RELU_OUTPUT)
    return tmp_path


def check_bad_path(project: Path, name: str, message: str, *, prefix: tuple = ()) -> None:
    """`name` gets exactly one error line; model.py next to it is still reported."""
    result = run("check", name, "model.py", "--output-format", "json", cwd=project, prefix=prefix)
    assert result.stderr == f"kerascheck: error: {name}: {message}\n"
    assert result.returncode == 2
    assert located(result.stdout) == [("model.py", "KC101", KC101_LINE, KC101_COLUMN)]


# -- paths ------------------------------------------------------------------------


def test_missing_path(project: Path) -> None:
    check_bad_path(project, "nope.py", "no such file or directory")


def test_broken_symlink(project: Path) -> None:
    (project / "dangling.py").symlink_to(project / "gone.py")
    check_bad_path(project, "dangling.py", "broken symbolic link")


def test_symlink_loop_given_and_found_in_a_walk(project: Path) -> None:
    (project / "a.py").symlink_to(project / "b.py")
    (project / "b.py").symlink_to(project / "a.py")
    check_bad_path(project, "a.py", "symbolic link loop")
    result = run("check", ".", "--output-format", "json", cwd=project)
    assert result.stderr == (
        "kerascheck: error: ./a.py: cannot read: symbolic link loop\n"
        "kerascheck: error: ./b.py: cannot read: symbolic link loop\n"
    )
    assert located(result.stdout) == [("model.py", "KC101", KC101_LINE, KC101_COLUMN)]


def test_directory_symlink_loop_does_not_recurse_forever(project: Path) -> None:
    (project / "pkg").mkdir()
    (project / "pkg" / "again").symlink_to(project)  # os.walk does not follow it
    result = run("check", ".", "--output-format", "json", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    assert located(result.stdout) == [("model.py", "KC101", KC101_LINE, KC101_COLUMN)]


def test_directory_named_like_a_python_file(project: Path) -> None:
    package = project / "x.py"
    package.mkdir()
    (package / "inner.py").write_text(RELU_OUTPUT)
    # Found in a walk it is a directory, not a file to read...
    result = run("check", ".", "--output-format", "json", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    assert sorted(located(result.stdout)) == [
        ("inner.py", "KC101", KC101_LINE, KC101_COLUMN),
        ("model.py", "KC101", KC101_LINE, KC101_COLUMN),
    ]
    # ...and given by name it is walked like any directory.
    result = run("check", "x.py", "--output-format", "json", cwd=project)
    assert located(result.stdout) == [("inner.py", "KC101", KC101_LINE, KC101_COLUMN)]


def test_fifo_is_refused_without_blocking(project: Path) -> None:
    os.mkfifo(project / "pipe.py")  # opening it for reading would wait for a writer
    check_bad_path(project, "pipe.py", "not a regular file")


def test_device_is_refused(project: Path) -> None:
    os.symlink("/dev/zero", project / "zero.py")  # endless: never read it
    check_bad_path(project, "zero.py", "not a regular file")


# -- permissions ----------------------------------------------------------------------
# Root reads every file whatever its mode, so as root the CLI runs under setpriv
# without the two capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
# the same code path a normal user takes.


def _unprivileged() -> tuple[str, ...]:
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root reads every file")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


def test_unreadable_file(project: Path) -> None:
    prefix = _unprivileged()
    secret = project / "secret.py"
    secret.write_text(RELU_OUTPUT)
    secret.chmod(0)
    check_bad_path(project, "secret.py", "cannot read: Permission denied", prefix=prefix)


def test_unreadable_directory_is_reported_not_skipped(project: Path) -> None:
    prefix = _unprivileged()
    locked = project / "locked"
    locked.mkdir()
    (locked / "hidden.py").write_text(RELU_OUTPUT)
    locked.chmod(0o300)  # can enter, cannot list
    try:
        result = run("check", ".", "--output-format", "json", cwd=project, prefix=prefix)
    finally:
        locked.chmod(0o700)
    assert (
        result.stderr == "kerascheck: error: ./locked: cannot read directory: Permission denied\n"
    )
    assert result.returncode == 2
    assert located(result.stdout) == [("model.py", "KC101", KC101_LINE, KC101_COLUMN)]


def test_file_in_a_directory_without_search_permission(project: Path) -> None:
    prefix = _unprivileged()
    locked = project / "locked"
    locked.mkdir()
    (locked / "hidden.py").write_text(RELU_OUTPUT)
    locked.chmod(0o600)  # can list, cannot reach the files
    try:
        check_bad_path(project, "locked/hidden.py", "cannot read: Permission denied", prefix=prefix)
    finally:
        locked.chmod(0o700)


# -- contents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"\x00", b"import keras\x00\n", bytes(range(256)) * 4],
    ids=["nul", "nul-in-code", "binary"],
)
def test_binary_and_nul_bytes(project: Path, data: bytes) -> None:
    (project / "blob.py").write_bytes(data)
    check_bad_path(project, "blob.py", "not a Python file (it contains NUL bytes)")


def test_empty_and_blank_files_are_clean(project: Path) -> None:
    (project / "empty.py").write_bytes(b"")
    (project / "blank.py").write_bytes(b"\n\n   \n\t\n")
    (project / "comment.py").write_bytes(b"# only a comment")
    result = run("check", "empty.py", "blank.py", "comment.py", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (0, "All checks passed!\n", "")


def test_non_utf8_without_cookie(project: Path) -> None:
    (project / "latin.py").write_bytes(b"import keras\n\nname = 'caf\xe9'\n")
    check_bad_path(
        project,
        "latin.py",
        "line 3 is not valid utf-8; declare the encoding with a `# -*- coding: ... -*-` line",
    )


def test_non_utf8_with_cookie_is_linted(project: Path) -> None:
    text = "# -*- coding: latin-1 -*-\n# café\n" + RELU_OUTPUT
    (project / "latin.py").write_bytes(text.encode("latin-1"))
    result = run("check", "latin.py", "--output-format", "json", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    assert located(result.stdout) == [("latin.py", "KC101", KC101_LINE + 2, KC101_COLUMN)]


def test_cookie_that_does_not_match_the_bytes(project: Path) -> None:
    (project / "wrong.py").write_bytes(b"# coding: ascii\nname = 'caf\xc3\xa9'\n")
    check_bad_path(project, "wrong.py", "line 2 is not valid ascii")


def test_unknown_cookie(project: Path) -> None:
    (project / "odd.py").write_bytes(b"# -*- coding: klingon -*-\nx = 1\n")
    check_bad_path(project, "odd.py", "unknown encoding: klingon")


def test_utf8_bom_keeps_positions(project: Path) -> None:
    (project / "bom.py").write_bytes(codecs.BOM_UTF8 + RELU_OUTPUT.encode())
    result = run("check", "bom.py", "--output-format", "json", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    assert located(result.stdout) == [("bom.py", "KC101", KC101_LINE, KC101_COLUMN)]


def test_crlf_and_cr_line_endings_keep_positions(project: Path) -> None:
    (project / "crlf.py").write_bytes(RELU_OUTPUT.replace("\n", "\r\n").encode())
    (project / "mixed.py").write_bytes(RELU_OUTPUT.replace("\n", "\r\n", 3).encode())
    result = run("check", "crlf.py", "mixed.py", "--output-format", "json", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    assert located(result.stdout) == [
        ("crlf.py", "KC101", KC101_LINE, KC101_COLUMN),
        ("mixed.py", "KC101", KC101_LINE, KC101_COLUMN),
    ]
    text = run("check", "crlf.py", cwd=project).stdout
    assert '6 |     layers.Dense(10, activation="relu"),\n' in text  # no stray \r


def test_too_large_file_is_refused_without_reading_it(project: Path) -> None:
    with open(project / "huge.py", "wb") as handle:  # sparse: costs no disk
        handle.truncate(64 * 1024 * 1024)
    check_bad_path(project, "huge.py", "too large to analyse (64.0 MiB; the limit is 8 MiB)")


# -- syntax errors anywhere: KC001 where CPython puts it ----------------------------------

SYNTAX_ERRORS = {
    "first-line": "def (:\n    pass\n" + RELU_OUTPUT,
    "middle": RELU_OUTPUT + "x = = 1\n" + RELU_OUTPUT,
    "last-line-no-newline": RELU_OUTPUT + "model.fit(x, y",
    "unclosed-bracket": "import keras\nmodel = keras.Sequential([\n    keras.Input((3,)),\n",
    "unterminated-string": RELU_OUTPUT + "name = 'abc\n",
    "unterminated-triple-quote": 'x = 1\n"""never closed\n\n\n',
    "bad-indent": "import keras\nif True:\n    x = 1\n      y = 2\n",
    "unindent-mismatch": "if True:\n        x = 1\n    y = 2\n",
    "tab-after-spaces": "if True:\n        x = 1\n\ty = 2\n",
    "stray-close": "x = 1)\n",
    "keyword-as-name": "class = 3\n",
    "lone-backslash": "x = 1 + \\\n",
    "deep-indentation": "".join("    " * i + "if x:\n" for i in range(101))
    + "    " * 101
    + "pass\n",
    "crlf": "import keras\r\nx = (1,\r\ny = 2\r\n",
    "bom": "\ufeffimport keras\nx = )\n",
    # String literals LibCST does not decode (found by the fuzzer: it crashed).
    "bad-escape-in-keras-call": RELU_OUTPUT.replace('"relu"', '"rel\\uu"'),
    "truncated-hex-escape": "x = 1\ny = '\\x4'\n",
    "non-ascii-bytes": "data = b'caf\u00e9'\n",
}


def cpython_position(text: str) -> tuple[int, int]:
    try:
        ast.parse(text.lstrip("\ufeff"))
    except SyntaxError as error:
        return error.lineno, error.offset
    raise AssertionError("the sample must not parse")


@pytest.mark.parametrize("name", sorted(SYNTAX_ERRORS))
def test_syntax_error_is_kc001_at_cpythons_position(project: Path, name: str) -> None:
    text = SYNTAX_ERRORS[name]
    (project / "broken.py").write_bytes(text.encode("utf-8"))
    result = run("check", "broken.py", "model.py", "--output-format", "json", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    line, column = cpython_position(text)
    assert located(result.stdout) == [
        ("broken.py", "KC001", line, column),
        ("model.py", "KC101", KC101_LINE, KC101_COLUMN),
    ]


# -- an unexpected exception in one file ------------------------------------------------------

CRASH_ON_MARKER = """\
import sys
import kerascheck.run.engine as engine
real_extract = engine.extract
def extract(module):  # a bug that only this one file triggers
    if "CRASH_HERE" in module.code:
        raise KeyError("boom")
    return real_extract(module)
engine.extract = extract
from kerascheck.cli import main
sys.argv[0] = "kerascheck"
main()
"""


def test_internal_error_is_one_line_with_a_trace_hint_and_others_still_run(project: Path) -> None:
    (project / "a_crash.py").write_text("import keras\n# CRASH_HERE\n")
    (project / "z_model.py").write_text(RELU_OUTPUT)
    result = run("check", ".", "--output-format", "json", cwd=project, code=CRASH_ON_MARKER)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "kerascheck: error: ./a_crash.py: internal error: KeyError: 'boom' (at engine.py:"
    )
    assert result.stderr.endswith(" in _analyse_python; please report this)\n")
    assert located(result.stdout) == [
        ("model.py", "KC101", KC101_LINE, KC101_COLUMN),
        ("z_model.py", "KC101", KC101_LINE, KC101_COLUMN),
    ]


def test_crash_message_names_the_innermost_kerascheck_frame() -> None:
    from kerascheck.ir import values

    try:
        values.source_text(None)  # not a node: AttributeError deep inside
    except Exception as error:
        message = crash_message("m.py", error)
    else:
        raise AssertionError("expected an error")
    assert message.startswith("m.py: internal error: ")
    assert "(at values.py:" in message and message.endswith("; please report this)")
    assert "\n" not in message


def test_lint_isolated_turns_any_exception_into_the_files_error(
    tmp_path: Path, monkeypatch
) -> None:
    import kerascheck.run.engine as engine

    def explode(module):
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr(engine, "extract", explode)
    path = tmp_path / "m.py"
    path.write_text("import keras\n")
    result = lint_isolated(str(path))
    assert result.diagnostics == []
    assert result.error.startswith(f"{path}: internal error: RuntimeError: first line (at ")


def test_form_feed_and_unicode_line_separators_do_not_shift_lines(project: Path) -> None:
    # str.splitlines() ends lines at \f, \x1c and U+2028; Python does not.
    text = "\f# page one \u2028 still line one \x1c\n" + RELU_OUTPUT
    (project / "odd_lines.py").write_text(text, encoding="utf-8")
    result = run("check", "odd_lines.py", cwd=project)
    assert result.returncode == 1
    assert '7 |     layers.Dense(10, activation="relu"),\n' in result.stdout


@pytest.mark.parametrize("flag", ["always", "error"])
def test_python_warnings_never_reach_stderr(project: Path, flag: str) -> None:
    # "\d" warns in literal_eval (SyntaxWarning since 3.12) and `1if` in ast.parse:
    # either would be a stray line on stderr, or under -W error a crash.
    (project / "warns.py").write_text(
        RELU_OUTPUT.replace('activation="relu"', 'activation="relu", name="a\\d"')
        + "flag = 1if True else 2\n"
    )
    (project / "broken.py").write_text("x = 0x1for\n")
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            flag,
            "-m",
            "kerascheck",
            "check",
            "warns.py",
            "broken.py",
            "--output-format",
            "json",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert located(result.stdout) == [
        ("broken.py", "KC001", 1, 11),
        ("warns.py", "KC101", KC101_LINE, KC101_COLUMN),
    ]


def test_undecodable_string_literal_is_unknown_not_a_crash() -> None:
    import libcst as cst

    from kerascheck.ir.model import Unknown
    from kerascheck.ir.values import literal

    for token in ("'acc\\uracy'", "'\\x4'", "'\\N{nonsense}'"):
        assert literal(cst.parse_expression(token), lambda name: None) == Unknown(token)


@pytest.mark.parametrize(
    "raised, message",
    [
        (RecursionError, "too deeply nested to analyse"),
        (MemoryError, "out of memory while analysing this file"),
    ],
)
def test_lint_isolated_names_recursion_and_memory_exhaustion(
    tmp_path: Path, monkeypatch, raised, message
) -> None:
    import kerascheck.run.engine as engine

    def exhaust(module):
        raise raised()

    monkeypatch.setattr(engine, "extract", exhaust)
    path = tmp_path / "m.py"
    path.write_text("import keras\n")
    assert lint_isolated(str(path)).error == f"{path}: {message}"


def test_bom_that_contradicts_the_coding_line(project: Path) -> None:
    (project / "both.py").write_bytes(codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n")
    check_bad_path(
        project,
        "both.py",
        "the file starts with a UTF-8 byte order mark but its coding line names another encoding",
    )


def test_encoding_python_cannot_read_source_in(project: Path) -> None:
    (project / "wide.py").write_bytes(b"# coding: utf-16\nx = 1\n")
    check_bad_path(project, "wide.py", "utf-16 is not supported for Python source")


def test_cookie_on_the_second_line_in_vim_style_is_honoured(project: Path) -> None:
    text = "#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\n# é\n" + RELU_OUTPUT
    (project / "vim.py").write_bytes(text.encode("latin-1"))
    result = run("check", "vim.py", "--output-format", "json", cwd=project)
    assert (result.returncode, result.stderr) == (1, "")
    assert located(result.stdout) == [("vim.py", "KC101", KC101_LINE + 3, KC101_COLUMN)]


def test_without_a_big_stack_thread_the_file_is_still_linted(project: Path, monkeypatch) -> None:
    import kerascheck.run.guard as guard

    monkeypatch.setattr(guard, "STACK_BYTES", 1)  # an invalid size: no thread to be had
    result = lint_isolated(str(project / "model.py"))
    assert result.error is None
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("KC101", KC101_LINE)]
