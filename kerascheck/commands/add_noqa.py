"""`check --add-noqa`: silence every reported line with `# noqa: KCnnn`.

A line that has a `# noqa: ...` already gets the new codes added to it; a
bare `# noqa` silences everything and is left as it is. A comment can only
end a line that ends outside a string and without a backslash continuation:
other lines are left alone (the tokenizer says which). The result must
compile to the same code as before, or the file is not touched: adding a
comment never breaks a file.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

import click

from kerascheck.commands.options import ExitCode
from kerascheck.results import FileResult
from kerascheck.source.noqa import NOQA, noqa_codes
from kerascheck.source.read import SourceError, read_source


def add_noqa(results: list[FileResult], errors: list[str]) -> ExitCode:
    added, problems = 0, list(errors)
    for result in results:
        if result.error:
            problems.append(result.error)
            continue
        if not result.diagnostics or result.filename == "-":
            continue
        if result.filename.endswith(".ipynb"):
            from kerascheck.commands.add_noqa_notebook import add_noqa_notebook

            count, problem = add_noqa_notebook(result)
        else:
            count, problem = _add_to_file(result)
        added += count
        if problem:
            problems.append(problem)
    for problem in problems:
        click.echo(f"kerascheck: error: {problem}", err=True)
    click.echo(f"Added {added} noqa directive{'' if added == 1 else 's'}.")
    return ExitCode.ERROR if problems else ExitCode.OK


def _add_to_file(result: FileResult) -> tuple[int, str | None]:
    from kerascheck.run.fixing import encode, write_atomic

    path = result.filename
    try:
        source = read_source(path)
    except SourceError as error:
        return 0, str(error)
    wanted: dict[int, set[str]] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.code != "KC001":  # a file that does not parse gets no comment
            wanted.setdefault(diagnostic.span.line, set()).add(diagnostic.code)
    text, count = with_noqa(source.text, wanted)
    if count:
        try:
            write_atomic(path, encode(source, text))
        except (OSError, UnicodeEncodeError) as error:
            return 0, f"{path}: cannot write: {error}"
    return count, None


def with_noqa(text: str, wanted: dict[int, set[str]]) -> tuple[str, int]:
    """`text` with `# noqa: CODES` ending each line of `wanted` that can take
    one, and how many lines changed; `text` itself if the result would not
    compile to the same code."""
    places = comment_lines(text)
    if places is None:
        return text, 0
    moved: dict[int, set[str]] = {}
    for number, codes in wanted.items():
        if number in places:
            moved.setdefault(places[number], set()).update(codes)
    # Lines as Python numbers them (only \n, \r\n and \r end one), each
    # with its own ending, so the text is put back together unchanged.
    parts = re.split(r"(\r\n|\r|\n)", text)
    lines, endings = parts[0::2], [*parts[1::2], ""]
    count = 0
    for number, codes in sorted(moved.items()):
        if number > len(lines):
            continue
        line = lines[number - 1]
        present = noqa_codes(line)
        if present is None:  # a bare noqa: silences everything already
            continue
        if present is False:
            lines[number - 1] = f"{line.rstrip()}  # noqa: {', '.join(sorted(codes))}"
        else:
            missing = codes - present
            if not missing:
                continue
            found = NOQA.search(line)
            merged = ", ".join(sorted(present | missing))
            lines[number - 1] = line[: found.start()] + f"# noqa: {merged}" + line[found.end() :]
        count += 1
    if not count:
        return text, 0
    changed = "".join(line + ending for line, ending in zip(lines, endings))
    if not _same_code(text, changed):
        return text, 0
    return changed, count


def comment_lines(text: str) -> dict[int, int] | None:
    """Each line -> the line its comment goes on: itself when its end is a
    token boundary (NEWLINE, NL or a comment), else the last line of its
    statement (a line ending inside a string or continued with a backslash;
    a noqa comment on a statement's last line covers all of it). None if the
    text does not tokenize."""
    found: dict[int, int] = {}
    first = 1  # first line of the logical line being read
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            row = token.start[0]
            if token.type in (tokenize.NL, tokenize.COMMENT):
                found.setdefault(row, row)
            elif token.type == tokenize.NEWLINE:
                found[row] = row
                for line in range(first, row):
                    found.setdefault(line, row)
                first = row + 1
            elif token.type in (tokenize.INDENT, tokenize.DEDENT):
                continue
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return found


def _same_code(before: str, after: str) -> bool:
    try:
        return ast.dump(ast.parse(before)) == ast.dump(ast.parse(after))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
