"""Reading a .ipynb file: its JSON, its code cells and its kernel's language."""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass

from kerascheck.notebooks.notebook import Cell, NotebookError, PythonView, to_python
from kerascheck.notebooks.writing import diff, write_back
from kerascheck.source.read import SourceError, read_bytes


@dataclass
class Notebook:
    path: str
    data: bytes  # the file as read: write_back returns it when nothing changed
    text: str  # the JSON text, BOM removed
    bom: bool
    cells: list[Cell]  # code cells only
    language: str | None  # the kernel's language, when the notebook says

    @property
    def is_python(self) -> bool:
        # "python", "Python", "python3": xeus-python, ipykernel, pyspark kernels ...
        return self.language is None or self.language.lower().startswith("python")

    def python(self) -> PythonView | None:
        return to_python(self) if self.is_python else None

    def write_back(self, view: PythonView, edited: str) -> bytes:
        return write_back(self, view, edited)

    def diff(self, view: PythonView, edited: str) -> str:
        return diff(self, view, edited)


def read_notebook(path: str) -> Notebook:
    try:
        data = read_bytes(path)
    except SourceError as error:
        raise NotebookError(str(error)) from None
    return load_notebook(data, path)


def load_notebook(data: bytes, path: str) -> Notebook:
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise NotebookError(f"{path}: not a notebook: line {line} is not valid UTF-8") from None
    if not text.strip():
        raise NotebookError(f"{path}: not a notebook: the file is empty")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"{path}: {_json_problem(text, error)}") from None
    except RecursionError:
        raise NotebookError(f"{path}: not a notebook: JSON nested too deeply") from None
    return Notebook(path, data, text, bom, _code_cells(document, path), _language(document))


def _json_problem(text: str, error: json.JSONDecodeError) -> str:
    # A trailing comma is the usual way a hand-edited notebook breaks: say so.
    before = text[: error.pos].rstrip()
    if before.endswith(",") and text[error.pos : error.pos + 1] in ("]", "}"):
        comma = len(before) - 1
        line = text.count("\n", 0, comma) + 1
        column = comma - text.rfind("\n", 0, comma)
        return (
            f"not valid JSON: trailing comma at line {line} column {column} "
            f"(Jupyter cannot open it either)"
        )
    return f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"


def _code_cells(document: object, path: str) -> list[Cell]:
    if isinstance(document, dict) and "worksheets" in document and "cells" not in document:
        raise NotebookError(
            f"{path}: nbformat 3 notebooks are not supported; "
            f"open and save it in Jupyter to upgrade it"
        )
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise NotebookError(f'{path}: not a Jupyter notebook (no "cells" list)')
    found = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"{path}: not a Jupyter notebook (cell {number} is not an object)")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f'{path}: cell {number} has an invalid "source"')
        found.append(Cell(number, source))
    return found


def _language(document: dict) -> str | None:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return section[field]
    return None
