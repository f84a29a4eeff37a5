"""Reading a file into text, keeping what a fix must write back the same way."""

from __future__ import annotations

import codecs
import io
import sys
import tokenize
from dataclasses import dataclass


class SourceError(Exception):
    """A file that cannot be read as Python source: one clear line."""


@dataclass(frozen=True)
class SourceFile:
    """`text` keeps the file's own line endings (it is never newline-translated),
    so a fix writes them back unchanged with `encoding` and `bom`."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False


def decode(data: bytes, path: str) -> SourceFile:
    if b"\0" in data:
        raise SourceError(f"{path}: not a Python file (it contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if "unknown encoding" in str(error):  # a cookie naming no known codec
            raise SourceError(f"{path}: {error.msg}") from None
        encoding = "utf-8"  # no cookie and not UTF-8: say where, below
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        hint = "" if encoding != "utf-8" else (
            "; declare the encoding with a `# -*- coding: ... -*-` line")
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            f"{path}: line {line} is not valid {encoding}{hint}") from None
    return SourceFile(path, text, encoding, bom)


def read_source(path: str) -> SourceFile:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {error.strerror or error}") from None
    return decode(data, path)


def read_stdin(name: str) -> SourceFile:
    """Standard input (`-`), to be reported as `name` (--stdin-filename)."""
    return decode(sys.stdin.buffer.read(), name)
