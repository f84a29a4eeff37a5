"""Line and column of a few nodes, without positions for the whole tree.

LibCST's PositionProvider records a range for every node of the module; on a
training script that costs several times the parse itself (measured ~10x a
plain code generation). A diagnostic needs the range of one or two nodes. So we
regenerate the code once with a state that watches only those nodes, counts
lines only when one of them starts or ends, and stops as soon as the last one
is placed. The ranges are exactly PositionProvider's (a test compares them,
and fails first should LibCST's internal CodegenState, used here, change).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext

import libcst as cst
from libcst._nodes.internal import CodegenState

# (line, column): 1-based line, 0-based column, as LibCST counts them.
Position = tuple[int, int]
Range = tuple[Position, Position]

# How LibCST splits a token into lines when it counts positions.
_NEWLINE = re.compile(r"\r\n?|\n")
# What every node that is not watched gets: nothing to record, nothing to build.
_NO_RECORD = nullcontext()


class _AllPlaced(Exception):
    """Raised to stop code generation once every wanted node is placed."""


class _WatchingState(CodegenState):
    def __init__(self, module: cst.Module, wanted: Iterable[cst.CSTNode]) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        self.targets = {id(node) for node in wanted}
        self.wanted = set(self.targets)  # targets and the nodes their ranges need
        self.missing = len(self.targets)
        self.ranges: dict[int, Range] = {}
        self._starts: dict[int, Position] = {}
        self._counted = 0  # tokens already folded into line/column
        self._line, self._column = 1, 0

    def position(self) -> Position:
        tokens = self.tokens
        for index in range(self._counted, len(tokens)):
            segments = _NEWLINE.split(tokens[index])
            if len(segments) == 1:
                self._column += len(segments[0])
            else:
                self._line += len(segments) - 1
                self._column = len(segments[-1])
        self._counted = len(tokens)
        return self._line, self._column

    def _place(self, key: int, where: Range) -> None:
        if key in self.ranges:
            return
        self.ranges[key] = where
        if key in self.targets:
            self.missing -= 1
            if self.missing == 0:
                raise _AllPlaced

    # Nodes without a syntactic range (LibCST then keeps the whitespace-inclusive one).
    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self._starts[id(node)] = self.position()

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted and key not in self.ranges:
            self._place(key, (self._starts[key], self.position()))

    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ):
        # Called for every node: the shared no-op context for all but the wanted.
        if id(node) not in self.wanted:
            return _NO_RECORD
        return self._record(node, start_node, end_node)

    @contextmanager
    def _record(
        self, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None
    ) -> Iterator[None]:
        key = id(node)
        # A statement's range ends where its body ends: watch the body too.
        for helper in (start_node, end_node):
            if helper is not None:
                self.wanted.add(id(helper))
        start = self.position()
        yield
        end = self.position()
        if start_node is not None:
            start = self.ranges[id(start_node)][0]
        if end_node is not None:
            end = self.ranges[id(end_node)][1]
        self._place(key, (start, end))


def node_ranges(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, Range]:
    """Ranges of `nodes` (keyed by id), as PositionProvider would give them."""
    wanted = list(nodes)
    if not wanted:
        return {}
    state = _WatchingState(module, wanted)
    try:
        module._codegen(state)
    except _AllPlaced:
        pass
    return state.ranges
