"""The LSP messages kerascheck answers, registered on a KerascheckServer."""

from __future__ import annotations

import asyncio
import os

from lsprotocol import types

from kerascheck.editor import lsp
from kerascheck.editor.analysis import PYTHON_LANGUAGES, fix_all, path_of
from kerascheck.editor.language_server import KerascheckServer, Published
from kerascheck.editor.settings import EditorSettings
from kerascheck.results import Applicability

CONFIG_NAME = "pyproject.toml"


def build() -> KerascheckServer:
    server = KerascheckServer()
    _documents(server)
    _notebooks(server)
    _workspace(server)
    _actions(server)
    return server


def _is_python(document: types.TextDocumentItem) -> bool:
    return document.language_id in PYTHON_LANGUAGES or document.uri.endswith((".py", ".pyi"))


def _documents(server: KerascheckServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KerascheckServer, params: types.DidOpenTextDocumentParams) -> None:
        if _is_python(params.text_document):
            ls.text_units.add(params.text_document.uri)
            ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KerascheckServer, params: types.DidChangeTextDocumentParams) -> None:
        if params.text_document.uri in ls.text_units:
            ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: KerascheckServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(path_of(uri)) == CONFIG_NAME:  # settings edited in the editor
            ls.project.forget()
            ls.relint_all()
        elif uri in ls.text_units:
            ls.changed(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KerascheckServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.text_units:
            ls.text_units.discard(uri)
            ls.closed(uri)


def _notebooks(server: KerascheckServer) -> None:
    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls: KerascheckServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.changed(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls: KerascheckServer, params: types.DidChangeNotebookDocumentParams) -> None:
        ls.changed(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def did_save(ls: KerascheckServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.changed(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls: KerascheckServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.closed(params.notebook_document.uri)


def _workspace(server: KerascheckServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: KerascheckServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and "settings" in options:
            options = options["settings"]
        ls.project.editor = EditorSettings.from_client(options)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(
        ls: KerascheckServer, params: types.DidChangeConfigurationParams
    ) -> None:
        if params.settings is not None:  # some clients send null and expect a pull
            ls.project.editor = EditorSettings.from_client(params.settings)
        ls.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: KerascheckServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        if any(os.path.basename(path_of(c.uri)) == CONFIG_NAME for c in params.changes):
            ls.project.forget()
            ls.relint_all()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: KerascheckServer, params: types.InitializedParams) -> None:
        # Ask to hear of pyproject.toml changes made outside the editor (git
        # checkout, another tool), where the client can register watchers.
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if not (watched and watched.dynamic_registration):
            return
        try:
            await ls.client_register_capability_async(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="kerascheck-pyproject",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[types.FileSystemWatcher(glob_pattern="**/pyproject.toml")]
                            ),
                        )
                    ]
                )
            )
        except Exception:  # a client that refuses: the mtime check still re-reads it
            pass


def _wants(only: list[str] | None, kind: str) -> bool:
    """A requested kind covers ours when it is ours or a parent (`source`)."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def _actions(server: KerascheckServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=list(lsp.CODE_ACTION_KINDS)),
    )
    async def code_action(
        ls: KerascheckServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        published = ls.current(params.text_document.uri)
        if published is None:
            return None
        only = params.context.only
        actions: list[types.CodeAction] = []
        if _wants(only, types.CodeActionKind.QuickFix):
            actions += _quick_fixes(published, params)
        has_safe_fix = any(
            d.fix is not None and d.fix.applicability is Applicability.SAFE
            for d in published.diagnostics
        )
        # Asked for by kind (on save, "Fix all"), or offered beside a quick fix.
        offered = _wants(only, lsp.FIX_ALL_KIND) if only is not None else bool(actions)
        if has_safe_fix and offered:
            action = await _fix_all(ls, published)
            if action is not None:
                actions.append(action)
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: KerascheckServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        lines = document.lines
        if params.position.line >= len(lines):
            return None
        where = document.position_codec.position_from_client_units(lines, params.position)
        return lsp.noqa_hover(lines[where.line], where.character)


def _quick_fixes(published: Published, params: types.CodeActionParams) -> list[types.CodeAction]:
    layout, uri = published.layout, params.text_document.uri
    first, last = params.range.start.line, params.range.end.line
    actions = []
    for located in published.diagnostics:
        if layout.document(located.cell).uri != uri:
            continue
        start, end = located.span.line - 1, located.span.end_line - 1
        if start <= last and first <= end:
            actions += lsp.quick_fixes(located, layout)
    return actions


async def _fix_all(ls: KerascheckServer, published: Published) -> types.CodeAction | None:
    loop = asyncio.get_running_loop()
    changed = await loop.run_in_executor(ls.executor, fix_all, published.snapshot)
    if not changed or ls.current(published.snapshot.key) is None:
        return None  # nothing to fix, or the text moved on while fixing
    layout = published.layout
    return types.CodeAction(
        title="kerascheck: fix all safe problems",
        kind=lsp.FIX_ALL_KIND,
        edit=types.WorkspaceEdit(
            changes={
                layout.document(cell).uri: [lsp.whole_document_edit(layout, cell, text)]
                for cell, text in changed.items()
            }
        ),
    )
