"""Reading a file into text, keeping what a fix must write back the same way."""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import sys
import tokenize
from dataclasses import dataclass

_PYTHON_NEWLINE = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """The lines as Python numbers them. Unlike str.splitlines, only \\n, \\r\\n
    and \\r end a line: a form feed or U+2028 inside a line does not."""
    lines = _PYTHON_NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


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
        if data.startswith(codecs.BOM_UTF8):  # "encoding problem: utf-8"
            raise SourceError(
                f"{path}: the file starts with a UTF-8 byte order mark "
                "but its coding line names another encoding"
            ) from None
        encoding = "utf-8"  # no cookie and not UTF-8: say where, below
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8"
    if not _ascii_compatible(encoding):  # CPython refuses these too
        raise SourceError(f"{path}: {encoding} is not supported for Python source")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        hint = (
            ""
            if encoding != "utf-8"
            else ("; declare the encoding with a `# -*- coding: ... -*-` line")
        )
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(f"{path}: line {line} is not valid {encoding}{hint}") from None
    return SourceFile(path, text, encoding, bom)


# LibCST holds ~1 KB of tree per byte of source (a 3 MB file takes ~2.7 GB):
# larger files are refused with a clear line rather than exhausting memory.
MAX_SOURCE_BYTES = 8 * 1024 * 1024


def _ascii_compatible(encoding: str) -> bool:
    try:
        return "x = 1\n".encode(encoding) == b"x = 1\n"
    except (LookupError, UnicodeError):
        return False


def read_source(path: str) -> SourceFile:
    return decode(read_bytes(path), path)


def read_bytes(path: str) -> bytes:
    """A regular file's bytes, or SourceError with the one line to print."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read: {_reason(error)}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(f"{path}: is a directory")
        if not stat.S_ISREG(info.st_mode):  # FIFO, socket, device: may never end
            raise SourceError(f"{path}: not a regular file")
        if info.st_size > MAX_SOURCE_BYTES:
            raise SourceError(
                f"{path}: too large to analyse ({info.st_size / 2**20:.1f} MiB; "
                f"the limit is {MAX_SOURCE_BYTES // 2**20} MiB)"
            )
        try:
            data = handle.read(MAX_SOURCE_BYTES + 1)
        except OSError as error:
            raise SourceError(f"{path}: cannot read: {_reason(error)}") from None
    if len(data) > MAX_SOURCE_BYTES:  # grew while we read it
        raise SourceError(
            f"{path}: too large to analyse (the limit is {MAX_SOURCE_BYTES // 2**20} MiB)"
        )
    return data


def read_stdin_bytes() -> bytes:
    """Standard input (`-`), as bytes: a Python file or a notebook."""
    try:
        return sys.stdin.buffer.read()
    except OSError as error:
        raise SourceError(f"-: cannot read standard input: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    return error.strerror or str(error)
