"""The Sequential and functional models of every .py and .ipynb file under some
directories, read through whichever kerascheck is importable (so
PYTHONPATH=/path/to/checkout measures an older one): what the corpus
measurements count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import libcst as cst

from kerascheck.ir.extract.walker import extract
from kerascheck.notebooks.notebook import to_python

try:  # where notebooks are read moved; older checkouts keep it in notebook.py
    from kerascheck.notebooks.reading import read_notebook
except ImportError:
    from kerascheck.notebooks.notebook import read_notebook


def _text(path: Path) -> str | None:
    try:
        if path.suffix == ".ipynb":
            return to_python(read_notebook(str(path))).text
        return path.read_text(encoding="utf-8")
    except Exception:
        return None


def models_in(directories: list[str]) -> Iterator[tuple]:
    """(file, model, the models of its file) for each Sequential or functional model."""
    for directory in directories:
        for path in sorted(Path(directory).rglob("*")):
            if path.suffix not in (".py", ".ipynb"):
                continue
            text = _text(path)
            if text is None:
                continue
            try:
                kfile = extract(cst.parse_module(text))
            except Exception:
                continue
            for model in kfile.models:
                if model.kind in ("sequential", "functional"):
                    yield path, model, kfile.models
