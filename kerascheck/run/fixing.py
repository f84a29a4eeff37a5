"""--fix, --unsafe-fixes and --diff: apply the fixes rules offer, never losing a line.

Computing the fixed text (`fix_text`) is kept apart from writing a file
(`fix_file`, `write_atomic`): a notebook fixes the joined text of its cells and
writes back only the cells that changed.

The fixed text is only accepted if it still parses. Overlapping edits wait for
the next round, which lints the new text again, until nothing applicable is
left, so a second run has nothing more to fix.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from kerascheck.fixes.apply import applicable, apply, choose
from kerascheck.notebooks.notebook import NotebookError, is_notebook
from kerascheck.notebooks.reading import load_notebook
from kerascheck.project.settings import Settings, fixable
from kerascheck.results import FileResult
from kerascheck.run.engine import lint_file, lint_text
from kerascheck.source.read import SourceError, SourceFile, decode, read_bytes

# Each round applies every fix that overlaps no other; a fix that makes room
# for another needs a new round. More than this means fixes feed each other.
MAX_ROUNDS = 10

Lint = Callable[[str, str, Settings], FileResult]


@dataclass
class FixedText:
    text: str  # the fixed text; the original when nothing could be applied
    fixed: int  # how many fixes were applied
    result: FileResult  # what the fixed text still reports
    error: str | None = None  # why fixes were left unapplied


def fix_text(
    text: str,
    filename: str,
    settings: Settings = Settings(),
    unsafe: bool = False,
    lint: Lint = lint_text,
) -> FixedText:
    """Apply fixes in rounds until none applies; the result always parses."""
    result = lint(text, filename, settings)
    current, fixed = text, 0
    strict = compiles(text)
    for round_ in range(MAX_ROUNDS + 1):
        chosen = choose(
            d.fix
            for d in result.diagnostics
            if applicable(d, unsafe) and fixable(settings, d.code)  # not `unfixable`
        )
        if not chosen:
            return FixedText(current, fixed, result)
        if round_ == MAX_ROUNDS:
            break
        candidate = apply(current, chosen)
        if candidate == current:  # edits that change nothing: nothing left to do
            return FixedText(current, fixed, result)
        problem = parse_problem(candidate, strict)
        if problem is not None:
            codes = ", ".join(sorted({d.code for d in result.diagnostics if d.fix in chosen}))
            return FixedText(
                text,
                0,
                lint(text, filename, settings),
                f"{filename}: fixes not applied: the fixed text would not parse "
                f"({problem}; fixes for {codes}); the file is left untouched, "
                f"please report this",
            )
        current, fixed = candidate, fixed + len(chosen)
        result = lint(current, filename, settings)
    return FixedText(
        current,
        fixed,
        result,
        f"{filename}: fixes did not settle after {MAX_ROUNDS} rounds; "
        f"the last text that parsed is kept, please report this",
    )


def compiles(text: str) -> bool:
    try:
        compile(text, "<kerascheck>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def parse_problem(candidate: str, strict: bool = True) -> str | None:
    """Why the fixed text does not parse, or None. With `strict` (the original
    compiled), CPython's compiler is asked too: it rejects what LibCST accepts,
    such as a repeated keyword argument. Without it, the original used syntax
    this Python does not know, and LibCST alone decides."""
    try:
        cst.parse_module(candidate)
    except cst.ParserSyntaxError as error:
        return f"line {error.raw_line}: {error.message}"
    if not strict:
        return None
    try:
        compile(candidate, "<fixed>", "exec", dont_inherit=True)
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    except ValueError as error:
        return str(error)
    return None


@dataclass
class FixedFile:
    result: FileResult  # what remains to report (or the file's error)
    fixed: int = 0
    diff: str = ""  # unified diff of the change, empty when nothing changed


def fix_file(
    path: str, settings: Settings = Settings(), unsafe: bool = False, write: bool = True
) -> FixedFile:
    """Fix one file; with write=False (for --diff) only compute the diff."""
    try:
        data = read_bytes(path)
    except SourceError as error:
        return FixedFile(FileResult(path, error=str(error)))
    outcome = fix_data(path, data, settings, unsafe)
    if outcome.data == data:
        return FixedFile(outcome.result)
    if write:
        try:
            write_atomic(path, outcome.data)
        except OSError as error:
            failed = lint_file(path, settings, data)
            failed.error = f"{path}: cannot write the fixes: {error}"
            return FixedFile(failed)
    return FixedFile(outcome.result, outcome.fixed, outcome.diff)


@dataclass
class FixedData:
    """A source fixed in memory: a file's bytes, or standard input's."""

    data: bytes  # the fixed bytes; the very bytes given when nothing changed
    fixed: int
    result: FileResult  # what remains (its error: why fixes were left unapplied)
    diff: str = ""


def fix_data(
    path: str, data: bytes, settings: Settings = Settings(), unsafe: bool = False
) -> FixedData:
    """Fix the bytes of a .py file or a notebook (per `path`'s kind); write nothing."""
    if is_notebook(path):
        return _fix_notebook(path, data, settings, unsafe)
    try:
        source = decode(data, path)
    except SourceError as error:
        return FixedData(data, 0, FileResult(path, error=str(error)))
    outcome = fix_text(source.text, path, settings, unsafe)
    result = outcome.result
    if outcome.error:
        result.error, result.python_runs = outcome.error, False
    if outcome.text == source.text:
        return FixedData(data, 0, result)
    try:
        fixed = encode(source, outcome.text)
    except UnicodeEncodeError as error:
        failed = lint_file(path, settings, data)
        failed.error = f"{path}: cannot write the fixes: {error}"
        return FixedData(data, 0, failed)
    return FixedData(fixed, outcome.fixed, result, unified_diff(path, source.text, outcome.text))


def _fix_notebook(path: str, data: bytes, settings: Settings, unsafe: bool) -> FixedData:
    """Fix the joined text of the code cells; write back only the changed cells."""
    try:
        notebook = load_notebook(data, path)
        view = notebook.python()
        if view is None or not view.chunks:
            return FixedData(data, 0, lint_file(path, settings, data))
        outcome = fix_text(view.text, path, settings, unsafe)
        fixed = notebook.write_back(view, outcome.text)
        result = lint_file(path, settings, fixed)
        if outcome.error:
            result.error, result.python_runs = outcome.error, False
        if fixed == data:
            return FixedData(data, 0, result)
        return FixedData(fixed, outcome.fixed, result, notebook.diff(view, outcome.text))
    except NotebookError as error:
        return FixedData(data, 0, FileResult(path, error=str(error)))


def encode(source: SourceFile, text: str) -> bytes:
    """The text as the file stored it: same encoding, same BOM. Line endings are
    the file's already (the text was never newline-translated)."""
    data = text.encode(source.encoding)
    return b"\xef\xbb\xbf" + data if source.bom else data


def write_atomic(path: str, data: bytes) -> None:
    """Write through a temporary file in the same directory and rename it over
    the target, so a crash leaves the old file or the new one, never half of
    one. The file keeps its permission bits; a symlink keeps pointing at it."""
    target = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    directory, name = os.path.split(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".kerascheck", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def unified_diff(path: str, before: str, after: str) -> str:
    def lines(text: str) -> list[str]:
        found = text.splitlines(keepends=True)
        if found and not found[-1].endswith(("\n", "\r")):
            found[-1] += "\n\\ No newline at end of file\n"
        return found

    return "".join(difflib.unified_diff(lines(before), lines(after), fromfile=path, tofile=path))
