"""`kerascheck show FILE`: each model found, as a table of its layers.

This is what kerascheck understood of the code: the layers it saw, their
units and activations, and the output shapes and parameter counts it could
work out, from static shape inference or, with --runtime, from Keras itself.
Whatever it could not work out is a `?` with the reason below the table.
"""

from __future__ import annotations

import json
import os
from typing import Any

from kerascheck.catalog.errors import plain_words
from kerascheck.commands.graph_view import json_models, node_views, to_dot, to_mermaid
from kerascheck.ir.model import Layer, Model, ModelKind, Unknown
from kerascheck.ir.shapes import format_shape, infer, infer_file
from kerascheck.ir.verdicts import BuildStatus
from kerascheck.notebooks.notebook import is_notebook
from kerascheck.project.discover import discover
from kerascheck.project.settings import Settings
from kerascheck.results import FileResult, Located
from kerascheck.run.engine import analyse
from kerascheck.run.guard import isolated, run_deep

# show reads models, not diagnostics: only a syntax error is worth reporting.
_SYNTAX_ONLY = Settings(select=("KC001",))

# The argument shown in the units/filters column, by layer kind.
_SIZE_ARGS = ("units", "filters", "output_dim", "n", "rate", "target_shape", "pool_size")
_KIND_WORDS = {
    ModelKind.SEQUENTIAL: "Sequential",
    ModelKind.FUNCTIONAL: "functional model",
    ModelKind.SUBCLASS: "subclassed model",
    ModelKind.EXTERNAL: "model loaded from elsewhere",
    ModelKind.PARAMETER: "model handed to a function",
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


def _table(rows: list[list[str]], graph: bool = False) -> list[str]:
    header = ["line", "layer", "units", "activation", "output shape", "params"]
    if graph:  # node numbers and where each node's inputs come from
        header = ["#", *header, "from"]
    rows = [header] + rows
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {0, 1, 6} if graph else {0, 5}  # numbers line up on the right
    out = []
    for row in rows:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def _graph_rows(
    model: Model, line_of, static, result=None
) -> tuple[list[list[str]], int | None, str | None]:
    """A functional model's nodes: a layer called twice is two rows; `from`
    names the rows a node's inputs come from (a merge has several). Keras's
    shapes (runtime) win over static ones."""
    static_rows, reason = static
    rows, total = [], 0
    for index, view in enumerate(node_views(model, static_rows, line_of, result)):
        layer = view.layer
        cells = [layer.kind, _size(layer), _activation(layer)] if layer else [view.kind, "", ""]
        sources = ", ".join("?" if i is None else str(i) for i in view.inputs)
        shape, params = view.shape, view.params
        if view.runtime_shape is not None:
            shape = view.runtime_shape
            params = view.runtime_params if view.runtime_params is not None else params
        if view.refused:
            params = Unknown("refused")
        shown = "error" if view.refused else format_shape(shape)
        rows.append([str(index), str(view.line), *cells, shown, _count(params), sources])
        total = total + params if isinstance(params, int) and total is not None else None
    return rows, total, reason


def _rows(model: Model, line_of, result, static) -> tuple[list[list[str]], int | None, str | None]:
    """Table rows; the total parameter count when every layer's is known; the
    first reason a static shape is unknown. Keras's shapes (runtime) win over
    static ones; the layer Keras refused says so."""
    static_rows, reason = static if model.kind == ModelKind.SEQUENTIAL else infer(model)
    rows, total = [], 0
    for index, element in enumerate(model.layers):
        shape, params = static_rows[index].shape, static_rows[index].params
        if result is not None and index in result.shapes:
            shape, params = result.shapes[index], result.params.get(index, params)
        refused = (
            result is not None
            and result.status is BuildStatus.ERROR
            and index == result.error_index
        )
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
    if status is BuildStatus.ERROR:
        blamed = result.blamed(model)
        kind = blamed.kind if isinstance(blamed, Layer) else ""
        notes.append(f"Keras: does not build: {plain_words(kind, result.message)}")
    elif status is BuildStatus.TOO_LARGE:
        notes.append(
            f"not built: {result.total:,} parameters, over the runtime budget of {result.budget:,}"
        )
    elif status is BuildStatus.SKIPPED or (status is BuildStatus.FAILED and result.whole_run):
        notes.append(f"not built by Keras: {result.message}")
    elif status is BuildStatus.FAILED:
        notes.append(f"not built by Keras: `{model.name}` {result.message}")
    if reason and status not in (BuildStatus.BUILT, BuildStatus.ERROR):
        notes.append(f"unknown: {reason}")
    return notes


def _model_lines(model: Model, line_of, result=None, static=None) -> list[str]:
    role = "block" if model.is_block else _KIND_WORDS.get(model.kind, model.kind)
    where = line_of(model.loc)
    lines = [f"{'line ' if isinstance(where, int) else ''}{where}: `{model.name}` ({role})"]
    if model.kind == ModelKind.SUBCLASS:
        return lines + ["  its layers are created by its own class code: not listed"]
    if model.kind == ModelKind.EXTERNAL:
        return lines + ["  loaded or made elsewhere: its layers are not in this file"]
    if model.kind == ModelKind.PARAMETER:
        return lines + ["  a function's parameter: its layers are wherever the model was built"]
    static = static or infer(model)
    graph = model.kind == ModelKind.FUNCTIONAL and bool(model.graph.nodes)
    if graph:
        rows, total, reason = _graph_rows(model, line_of, static, result)
    else:
        rows, total, reason = _rows(model, line_of, result, static)
    lines += _table(rows, graph)
    by_keras = result is not None and result.status is BuildStatus.BUILT
    if by_keras and graph and result.total is not None:
        total = result.total  # a layer called twice holds its parameters once
    if total is not None:
        lines.append(
            f"  total: {total:,} parameters ({'Keras' if by_keras else 'static shape inference'})"
        )
    return lines + [f"  {note}" for note in _notes(model, result, reason)]


def render(path: str, runtime: bool = False, fmt: str = "text") -> tuple[Any, str | None]:
    """The tables of every model in `path` (with `fmt` json: a list of model
    dicts; mermaid or dot: the graphs), and runtime mode's failure if any;
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
    if fmt != "text":
        return _drawn(path, models, runtime, fmt)
    if not models:
        lines.append(f"{path}: no Keras models found")
        return "\n".join(lines) + "\n", None
    blocks = [f"{path}:", *lines]
    failure = None
    for kfile, line_of in models:
        kfile, results, failure = _with_runtime(kfile, runtime, failure)
        seen = set()
        static = infer_file(kfile.models)
        for model, model_result, rows in zip(kfile.models, results, static):
            if model.loc in seen:
                continue
            seen.add(model.loc)
            blocks.append("\n".join(_model_lines(model, line_of, model_result, rows)))
    return "\n\n".join(blocks) + "\n", failure


def _with_runtime(kfile, runtime: bool, failure: str | None) -> tuple[Any, tuple, str | None]:
    """The file's models with what Keras said of each (None each without --runtime)."""
    if not runtime:
        return kfile, (None,) * len(kfile.models), failure
    from kerascheck.runtime.results import attach, results_of

    kfile, failure, _ = attach(kfile)
    return kfile, results_of(kfile), failure


def _drawn(path: str, models: list, runtime: bool, fmt: str) -> tuple[Any, str | None]:
    """`--format json` (a list of model dicts), `mermaid` or `dot` (text)."""
    out: list = []
    failure = None
    for kfile, line_of in models:
        kfile, results, failure = _with_runtime(kfile, runtime, failure)
        if fmt == "json":
            out += json_models(path, kfile.models, line_of, results, runtime)
        elif fmt == "mermaid":
            out.append(to_mermaid(kfile.models, line_of))
        else:
            out.append(to_dot(kfile.models, line_of))
    return (out if fmt == "json" else "".join(out)), failure


def _syntax(diagnostic: Located) -> str:
    """`Syntax error: ... (line 3)`, or `(cell 2, line 3)` in a notebook."""
    cell = f"cell {diagnostic.cell}, " if diagnostic.cell else ""
    return f"{diagnostic.message} ({cell}line {diagnostic.span.line})"


def show_paths(paths: list[str], runtime: bool, echo, error, fmt: str = "text") -> int:
    """`kerascheck show PATHS`: every .py/.ipynb file under them, as `check`
    walks them; the exit code (2 when a file could not be shown). With
    `fmt` json, one JSON list of every file's models."""
    files, status = [], 0
    collected: list = []
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
            text, failure = render(path, runtime=runtime, fmt=fmt)
        except ShowError as problem:
            error(str(problem))
            status = 2
            continue
        if fmt == "json":
            collected += text
        elif fmt == "text":
            echo(("\n" if shown else "") + text)  # a blank line between files
        else:
            echo(text)
        shown += 1
        if failure:
            error(f"{path}: {failure}")
            status = 2
    if fmt == "json":
        echo(json.dumps(collected, indent=2) + "\n")
    return status
