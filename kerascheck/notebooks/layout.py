"""Where each cell's `source` sits in a notebook's JSON text, and how the file
writes strings: so that a fix rewrites only those bytes, and a diagnostic can
point at the characters of the file itself (SARIF)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cached_property

from kerascheck.results import Located
from kerascheck.source.span import Span


def with_file_spans(text: str, diagnostics: list[Located]) -> list[Located]:
    """Diagnostics placed in cells, with the same places in the notebook's JSON
    text `text` (for tools that show the .ipynb file itself)."""
    if not diagnostics:
        return []
    layout = JsonLayout(text)
    return [
        replace(
            d,
            file_span=layout.file_span(d.cell, d.span),
            related_file_spans=tuple(
                layout.file_span(cell, span) for cell, (span, _) in zip(d.related_cells, d.related)
            ),
        )
        for d in diagnostics
    ]


class JsonLayout:
    """Where the cells' sources are in the JSON text, and how it writes them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii() and re.search(r"\\u(?!00[0-7])[0-9a-fA-F]{4}", text) is not None

    @cached_property
    def source_spans(self) -> dict[int, tuple[int, int]]:
        """Cell number -> (start, end) of its `source` value in the text."""
        spans = {}
        _, members = _members(self.text, _skip(self.text, 0))
        cells_start = next(start for key, start, _ in members if key == "cells")
        _, items = _items(self.text, cells_start)
        for number, (start, _) in enumerate(items, start=1):
            _, cell_members = _members(self.text, start)
            for key, value_start, value_end in cell_members:
                if key == "source":
                    spans[number] = (value_start, value_end)
        return spans

    def file_span(self, cell: int, span: Span) -> Span:
        """A span in a cell -> the same place in the JSON text, so that a tool
        showing the .ipynb file (SARIF viewers) marks the right characters."""
        start = self._file_position(cell, span.line, span.column)
        end = self._file_position(cell, span.end_line, span.end_column)
        return Span(*start, *end)

    def _file_position(self, cell: int, line: int, column: int) -> tuple[int, int]:
        start, end = self.source_spans[cell]
        strings = [(start, end)] if self.text[start] == '"' else _items(self.text, start)[1]
        pieces = [json.loads(self.text[s:e]) for s, e in strings]
        source = "".join(pieces)
        offset = sum(len(part) for part in source.split("\n")[: line - 1]) + line - 1
        offset += column - 1
        for (s, _), piece in zip(strings, pieces):
            if offset < len(piece) or s == strings[-1][0]:
                # The file's escapes, not the characters, decide the column.
                at = s + len(self.string(piece[:offset])) - 1
                return self.text.count("\n", 0, at) + 1, at - self.text.rfind("\n", 0, at)
            offset -= len(piece)
        return self.text.count("\n", 0, start) + 1, 1  # an empty source

    def string(self, value: str) -> str:
        return json.dumps(value, ensure_ascii=self.ascii)

    def source_json(self, old: str, source: str) -> str:
        if old.startswith('"'):
            return self.string(source)
        lines = [line for line in re.split(r"(?<=\n)", source) if line]  # as Jupyter splits
        _, items = _items(old, 0)
        opening = old[1 : items[0][0]] if items else ""
        closing = old[items[-1][1] : -1] if items else ""
        if len(items) > 1:
            separator = old[items[0][1] : items[1][0]]
        else:
            separator = "," + opening if opening else ", "
        return "[" + opening + separator.join(map(self.string, lines)) + closing + "]"


_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, i: int) -> int:
    return _WHITESPACE.match(text, i).end()


def _value_end(text: str, i: int) -> int:
    return _DECODER.raw_decode(text, i)[1]


def _members(text: str, i: int) -> tuple[int, list[tuple[str, int, int]]]:
    """An object at text[i] -> (its end, [(key, value start, value end)])."""
    members, i = [], _skip(text, i + 1)
    while text[i] != "}":
        key, i = json.decoder.scanstring(text, i + 1)
        start = _skip(text, _skip(text, i) + 1)  # past the colon
        end = _value_end(text, start)
        members.append((key, start, end))
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return i + 1, members


def _items(text: str, i: int) -> tuple[int, list[tuple[int, int]]]:
    """An array at text[i] -> (its end, [(item start, item end)])."""
    items, i = [], _skip(text, i + 1)
    while text[i] != "]":
        end = _value_end(text, i)
        items.append((i, end))
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return i + 1, items
