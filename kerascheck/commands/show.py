"""`kerascheck show FILE`: each model found, as a table of its layers.

This is what kerascheck understood of the code: the layers it saw, their
units and activations, and the output shapes and parameter counts it could
work out, from static shape inference or, with --runtime, from Keras itself.
Whatever it could not work out is a `?` with the reason below the table.
"""

from __future__ import annotations

import os
from typing import Any

from kerascheck.ir.model import Layer, Model, Unknown
from kerascheck.ir.shapes import format_shape, infer
from kerascheck.notebooks.notebook import is_notebook
from kerascheck.project.discover import discover
from kerascheck.project.settings import Settings
from kerascheck.results import FileResult, Located
from kerascheck.run.engine import analyse
from kerascheck.run.guard import isolated, run_deep
from kerascheck.runtime.errors import plain_words

# show reads models, not diagnostics: only a syntax error is worth reporting.
_SYNTAX_ONLY = Settings(select=("KC001",))

# The argument shown in the units/filters column, by layer kind.
_SIZE_ARGS = ("units", "filters", "output_dim", "n", "rate", "target_shape", "pool_size")
_KIND_WORDS = {
    "sequential": "Sequential",
    "functional": "functional model",
    "subclass": "subclassed model",
    "external": "model loaded from elsewhere",
    "parameter": "model handed to a function",
}


class ShowError(Exception):
    """The file cannot be shown: one clear line."""


def _size(layer: Layer) -> str:
    for name in _SIZE_ARGS:
        arg = layer.args.get(name)
        if arg is not None:
            return str(arg.value) if not isinstance(arg.value, Unknown) else arg.text
    return ""


def _activation(layer: Layer) -> str:
    if isinstance(layer.activation, Unknown):
        return layer.activation.text
    return layer.activation or ""


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "?"


def _table(rows: list[list[str]]) -> list[str]:
    header = ["line", "layer", "units", "activation", "output shape", "params"]
    rows = [header] + rows
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {0, 5}  # numbers line up on the right
    out = []
    for row in rows:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def _rows(model: Model, line_of, result) -> tuple[list[list[str]], int | None, str | None]:
    """Table rows; the total parameter count when every layer's is known; the
    first reason a static shape is unknown. Keras's shapes (runtime) win over
    static ones; the layer Keras refused says so."""
    static_rows, reason = infer(model)
    rows, total = [], 0
    for index, element in enumerate(model.layers):
        shape, params = static_rows[index].shape, static_rows[index].params
        if result is not None and index in result.shapes:
            shape, params = result.shapes[index], result.params.get(index, params)
        refused = result is not None and result.status == "error" and index == result.error_index
        if refused:
            params = Unknown("refused")
        if isinstance(element, Layer):
            cells = [element.kind, _size(element), _activation(element)]
        else:
            cells = [element.text, "", ""]
        rows.append(
            [
                str(line_of(element.loc)),
                *cells,
                "error" if refused else format_shape(shape),
                _count(params),
            ]
        )
        total = total + params if isinstance(params, int) and total is not None else None
    return rows, total, reason


def _notes(model: Model, result, reason: str | None) -> list[str]:
    """What Keras said, or why a value is unknown."""
    notes = []
    status = result.status if result is not None else None
    if status == "error":
        kind = model.layers[result.error_index].kind
        notes.append(f"Keras: does not build: {plain_words(kind, result.message)}")
    elif status == "too_large":
        notes.append(
            f"not built: {result.total:,} parameters, over the runtime budget of {result.budget:,}"
        )
    elif status == "skipped" or (status == "failed" and result.whole_run):
        notes.append(f"not built by Keras: {result.message}")
    elif status == "failed":
        notes.append(f"not built by Keras: `{model.name}` {result.message}")
    if reason and status not in ("built", "error"):
        notes.append(f"unknown: {reason}")
    return notes


def _model_lines(model: Model, line_of, result=None) -> list[str]:
    role = "block" if model.is_block else _KIND_WORDS.get(model.kind, model.kind)
    where = line_of(model.loc)
    lines = [f"{'line ' if isinstance(where, int) else ''}{where}: `{model.name}` ({role})"]
    if model.kind == "subclass":
        return lines + ["  its layers are created by its own class code: not listed"]
    if model.kind == "external":
        return lines + ["  loaded or made elsewhere: its layers are not in this file"]
    if model.kind == "parameter":
        return lines + ["  a function's parameter: its layers are wherever the model was built"]
    rows, total, reason = _rows(model, line_of, result)
    lines += _table(rows)
    if total is not None:
        by_keras = result is not None and result.status == "built"
        lines.append(
            f"  total: {total:,} parameters ({'Keras' if by_keras else 'static shape inference'})"
        )
    return lines + [f"  {note}" for note in _notes(model, result, reason)]


def render(path: str, runtime: bool = False) -> tuple[str, str | None]:
    """The tables of every model in `path`, and runtime mode's failure if any;
    ShowError if the file cannot be analysed. The file goes through the engine
    like any `check` (the safety net, the deep-stack thread, notebooks, KC001)."""
    analysis = isolated(path, lambda: run_deep(analyse, path, _SYNTAX_ONLY, None, True))
    result = analysis if isinstance(analysis, FileResult) else analysis.result
    if result.error:
        raise ShowError(result.error)
    broken = [d for d in result.diagnostics if d.code == "KC001"]
    if broken and not is_notebook(path):  # a notebook's other cells are still shown
        raise ShowError(f"{path}: cannot parse: {_syntax(broken[0])}")
    lines = [f"{path}: cannot parse {_syntax(d)}" for d in broken]
    models = [] if isinstance(analysis, FileResult) else analysis.models
    if not models:
        lines.append(f"{path}: no Keras models found")
        return "\n".join(lines) + "\n", None
    blocks = [f"{path}:", *lines]
    failure = None
    for kfile, line_of in models:
        results: tuple = (None,) * len(kfile.models)
        if runtime:
            from kerascheck.runtime.results import attach, results_of

            kfile, failure, _ = attach(kfile)
            results = results_of(kfile)
        seen = set()
        for model, model_result in zip(kfile.models, results):
            if model.loc in seen:
                continue
            seen.add(model.loc)
            blocks.append("\n".join(_model_lines(model, line_of, model_result)))
    return "\n\n".join(blocks) + "\n", failure


def _syntax(diagnostic: Located) -> str:
    """`Syntax error: ... (line 3)`, or `(cell 2, line 3)` in a notebook."""
    cell = f"cell {diagnostic.cell}, " if diagnostic.cell else ""
    return f"{diagnostic.message} ({cell}line {diagnostic.span.line})"


def show_paths(paths: list[str], runtime: bool, echo, error) -> int:
    """`kerascheck show PATHS`: every .py/.ipynb file under them, as `check`
    walks them; the exit code (2 when a file could not be shown)."""
    files, status = [], 0
    for path in paths:  # a file named explicitly is shown whatever its name; a
        if not os.path.isdir(path):  # directory is walked as `check` walks it
            files.append(path)
            continue
        found = discover([path], Settings())
        files += found.files
        for problem in found.errors:
            error(problem)
            status = 2
    shown = 0
    for path in files:
        try:
            text, failure = render(path, runtime=runtime)
        except ShowError as problem:
            error(str(problem))
            status = 2
            continue
        echo(("\n" if shown else "") + text)  # a blank line between files
        shown += 1
        if failure:
            error(f"{path}: {failure}")
            status = 2
    return status
