"""`%load_ext kerascheck`: lint each cell before it runs.

A cell is linted together with the cells this kernel ran before it (its
history: a model built in cell 3 and compiled in cell 5 is one model), as an
.ipynb file's cells are (only the earlier cells connected to it by names:
see history.py), and only the diagnostics located in the cell about to run, or
caused by it, are shown. In `%kerascheck strict` a cell with an error-severity
diagnostic is refused through IPython's own `InputRejected`, before anything
in it runs.

How it hooks in: the `pre_run_cell` event hands over the raw cell (magics and
all) before IPython compiles it; the refusal itself happens in an AST
transformer, the one place where IPython lets an extension refuse a cell. The
extension never raises into a user's cell: a failure of its own is one warning
and the cell runs.
"""

from __future__ import annotations

import ast
import os
import sys

from IPython.core.error import InputRejected, UsageError
from IPython.display import display

from kerascheck.checks.registry import Severity
from kerascheck.editor.cells import CellSource, lint_cells
from kerascheck.editor.display import CellReport, severity
from kerascheck.editor.history import History
from kerascheck.editor.settings import EditorSettings, ProjectSettings
from kerascheck.project.settings import SettingsError, match

# IPython reports a cell that does not parse in its own words: not ours to repeat.
_NOT_SHOWN = frozenset({"KC001"})
USAGE = "usage: %kerascheck on | off | status | strict | select [KC1,KC2 ...]"


class _Gate(ast.NodeTransformer):
    """Refuses the cell the extension judged, in strict mode."""

    def __init__(self, extension: CellLinter) -> None:
        self.extension = extension

    def visit(self, node: ast.AST) -> ast.AST:  # the module only: nothing to rewrite
        refusal, self.extension.refusal = self.extension.refusal, None
        if refusal is not None:
            raise InputRejected(refusal)
        return node


class CellLinter:
    def __init__(self, shell) -> None:
        self.shell = shell
        self.enabled = True
        self.strict = False
        self.project = ProjectSettings()
        self.history = History(_earlier_cells(shell))
        self.refusal: str | None = None  # set before a refused cell compiles
        self.gate = _Gate(self)
        self.failed = False  # one warning about our own failure, not one per cell

    # ------------------------------------------------------------ hooks

    def register(self) -> None:
        self.shell.events.register("pre_run_cell", self.pre_run_cell)
        self.shell.events.register("post_run_cell", self.post_run_cell)
        self.shell.ast_transformers.append(self.gate)

    def unregister(self) -> None:
        for event, callback in (
            ("pre_run_cell", self.pre_run_cell),
            ("post_run_cell", self.post_run_cell),
        ):
            try:
                self.shell.events.unregister(event, callback)
            except ValueError:
                pass
        if self.gate in self.shell.ast_transformers:
            self.shell.ast_transformers.remove(self.gate)

    def pre_run_cell(self, info) -> None:
        self.refusal = None
        if not self.enabled:
            return
        try:
            found = self.check(info.raw_cell)
        except Exception as error:  # never into the user's cell
            if not self.failed:
                self.failed = True
                print(
                    f"kerascheck: could not check this cell ({error!r}); "
                    f"cells run unchecked until it works again",
                    file=sys.stderr,
                )
            return
        if not found:
            return
        errors = [d for d in found if severity(d.code) is Severity.ERROR]
        refuse = self.strict and bool(errors)
        display(CellReport(found, cell=len(self.history) + 1, refused=refuse))
        if refuse:
            codes = ", ".join(sorted({d.code for d in errors}))
            self.refusal = (
                f"kerascheck strict mode: not run, the cell has errors ({codes}); "
                f"fix them, or `%kerascheck on` to run cells anyway"
            )

    def post_run_cell(self, result) -> None:
        self.refusal = None
        if getattr(result, "error_before_exec", None) is None:  # refused or not Python
            self.history.append(result.info.raw_cell)

    # ------------------------------------------------------------ linting

    def check(self, cell: str) -> list:
        """This cell's diagnostics, linted after the earlier cells it is connected to."""
        number = len(self.history) + 1
        earlier = self.history.relevant(cell)
        if earlier is None:
            return []
        cells = [CellSource(i, source) for i, source in earlier]
        cells.append(CellSource(number, cell))
        filename = self.filename()
        found = lint_cells(cells, filename, self.project.for_path(filename)).diagnostics
        self.failed = False
        # Located here, or made by this cell: a relu output layer of cell 3
        # becomes wrong in the cell that compiles it with a cross-entropy.
        return [
            d
            for d in found
            if (d.cell == number or number in d.related_cells) and d.code not in _NOT_SHOWN
        ]

    def filename(self) -> str:
        """The notebook's path when the front end says (VS Code sets
        __vsc_ipynb_file__, Jupyter the JPY_SESSION_NAME variable), for the
        project's per-file-ignores; else a name in the current directory."""
        for name in (
            self.shell.user_ns.get("__vsc_ipynb_file__"),
            os.environ.get("JPY_SESSION_NAME"),
        ):
            if isinstance(name, str) and name:
                return os.path.abspath(name)
        return os.path.join(os.getcwd(), "ipython.ipynb")

    # ------------------------------------------------------------ %kerascheck

    def magic(self, line: str) -> None:
        command, _, rest = line.strip().partition(" ")
        if command in ("", "status"):
            print(self.status())
        elif command == "on":
            self.enabled, self.strict = True, False
            print(self.status())
        elif command == "off":
            self.enabled, self.strict = False, False
            print(self.status())
        elif command == "strict":
            self.enabled, self.strict = True, True
            print(self.status())
        elif command == "select":
            self.select(rest)
            print(self.status())
        else:
            raise UsageError(USAGE)

    def select(self, value: str) -> None:
        selectors = tuple(
            part.strip() for part in value.replace(" ", ",").split(",") if part.strip()
        )
        for selector in selectors:
            try:
                match(selector)
            except SettingsError as error:
                raise UsageError(f"kerascheck: {error}") from None
        self.project.editor = EditorSettings(select=selectors or None)

    def status(self) -> str:
        mode = "off" if not self.enabled else "strict" if self.strict else "on"
        chosen = self.project.editor.select
        rules = ",".join(chosen) if chosen else "the project's rules"
        earlier = len(self.history)
        return f"kerascheck: {mode}; rules: {rules}; {earlier} earlier cells"


def _earlier_cells(shell) -> list[str]:
    """Cells this kernel ran before the extension was loaded (not the
    `%load_ext` cell itself: it is added when it finishes)."""
    manager = getattr(shell, "history_manager", None)
    cells = list(getattr(manager, "input_hist_raw", [])[1:]) if manager else []
    return cells[:-1]


_LOADED: dict[int, CellLinter] = {}


def load(shell) -> None:
    if id(shell) in _LOADED:
        return
    extension = CellLinter(shell)
    extension.register()
    shell.register_magic_function(extension.magic, "line", "kerascheck")
    _LOADED[id(shell)] = extension


def unload(shell) -> None:
    extension = _LOADED.pop(id(shell), None)
    if extension is not None:
        extension.unregister()
        shell.magics_manager.magics["line"].pop("kerascheck", None)
