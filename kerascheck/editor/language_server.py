"""`kerascheck server`: the language server (pygls, the `lsp` extra).

Each unit — a Python text document, or a notebook whose cells are one program
— is linted off the event loop, in one worker thread, on open, change and
save. Every change bumps the unit's generation; a result computed for an older
generation is dropped and the newest text is linted instead, so the editor
never waits and never sees diagnostics of text it no longer holds.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from kerascheck import __version__
from kerascheck.editor import lsp
from kerascheck.editor.analysis import (
    PYTHON_LANGUAGES,
    Outcome,
    Snapshot,
    analyse,
    path_of,
    text_snapshot,
)
from kerascheck.editor.cells import CellSource
from kerascheck.editor.settings import ProjectSettings
from kerascheck.results import Located

log = logging.getLogger(__name__)

NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            notebook="*", cells=[types.NotebookCellLanguage(language="python")]
        )
    ],
    save=True,
)


@dataclass
class Published:
    """What the client was last shown for a unit: the answer to code actions."""

    snapshot: Snapshot
    layout: lsp.Layout
    diagnostics: list[Located]


class KerascheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("kerascheck", __version__, notebook_document_sync=NOTEBOOK_SYNC)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kerascheck")
        self.project = ProjectSettings()
        self.generations: dict[str, int] = {}  # unit -> changes seen
        self.tasks: dict[str, asyncio.Task] = {}
        self.published: dict[str, Published] = {}  # unit -> last shown
        self.shown_uris: dict[str, set[str]] = {}  # unit -> documents given diagnostics
        self.text_units: set[str] = set()  # open Python text documents

    # ------------------------------------------------------------ scheduling

    def changed(self, key: str) -> None:
        self.generations[key] = self.generations.get(key, 0) + 1
        task = self.tasks.get(key)
        if task is None or task.done():
            self.tasks[key] = asyncio.get_running_loop().create_task(self._lint(key))

    def closed(self, key: str) -> None:
        self.generations.pop(key, None)
        self.published.pop(key, None)
        for uri in self.shown_uris.pop(key, set()):
            self._publish(uri, [], None)

    def relint_all(self) -> None:
        for key in list(self.generations):
            self.changed(key)

    async def _lint(self, key: str) -> None:
        loop = asyncio.get_running_loop()
        while key in self.generations:
            generation = self.generations[key]
            snapshot = self.snapshot(key)
            if snapshot is None:
                return
            outcome: Outcome = await loop.run_in_executor(self.executor, analyse, snapshot)
            if self.generations.get(key) != generation:
                continue  # the text changed meanwhile: this result is stale
            self.show(snapshot, outcome)
            return

    # ------------------------------------------------------------ snapshots

    def snapshot(self, key: str) -> Snapshot | None:
        if key in self.text_units:
            document = self.workspace.get_text_document(key)
            return text_snapshot(key, document.source, self.project.for_path(path_of(key)))
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        if notebook is None:
            return None
        texts, cells = {}, []
        for number, cell in enumerate(notebook.cells, start=1):
            if cell.kind != types.NotebookCellKind.Code:
                continue
            document = self.workspace.get_text_document(cell.document)
            if document.language_id not in PYTHON_LANGUAGES:
                continue
            texts[number] = (cell.document, document.source)
            cells.append(CellSource(number, document.source))
        filename = path_of(key)
        return Snapshot(key, filename, texts, tuple(cells), self.project.for_path(filename))

    def layout(self, snapshot: Snapshot) -> lsp.Layout:
        documents = {cell: lsp.Document(uri, text) for cell, (uri, text) in snapshot.texts.items()}
        return lsp.Layout(documents, self.workspace.position_codec)

    # ------------------------------------------------------------ publishing

    def show(self, snapshot: Snapshot, outcome: Outcome) -> None:
        for error in self.project.errors:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=error)
            )
        self.project.errors.clear()
        if outcome.error:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Warning, message=outcome.error)
            )
        layout = self.layout(snapshot)
        self.published[snapshot.key] = Published(snapshot, layout, outcome.diagnostics)
        by_uri: dict[str, list[types.Diagnostic]] = {uri: [] for uri, _ in snapshot.texts.values()}
        for located in outcome.diagnostics:
            uri = layout.document(located.cell).uri
            by_uri.setdefault(uri, []).append(lsp.diagnostic(located, layout))
        gone = self.shown_uris.get(snapshot.key, set()) - by_uri.keys()
        for uri in gone:  # a cell deleted since: its diagnostics go too
            self._publish(uri, [], None)
        for uri, diagnostics in by_uri.items():
            self._publish(uri, diagnostics, self._version(uri))
        self.shown_uris[snapshot.key] = set(by_uri)

    def _version(self, uri: str) -> int | None:
        try:
            return self.workspace.get_text_document(uri).version
        except KeyError:
            return None

    def _publish(self, uri: str, diagnostics: list[types.Diagnostic], version) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def current(self, uri: str) -> Published | None:
        """The last results for the unit holding `uri`, if its text is still
        the one they were computed on (else no action: the client asks again)."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        key = notebook.uri if notebook is not None else uri
        published = self.published.get(key)
        if published is None:
            return None
        for cell_uri, text in published.snapshot.texts.values():
            try:
                if self.workspace.get_text_document(cell_uri).source != text:
                    return None
            except KeyError:
                return None
        return published
