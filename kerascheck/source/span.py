"""A place in a text as users see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """1-based lines and columns, as users see them; end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int
