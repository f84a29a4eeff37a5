"""A real language client talking to a real `kerascheck server` over a stdio
pipe (pygls's own client): what the server tests and the latency benchmark drive."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

TIMEOUT = 30.0  # seconds for one answer on a loaded 2-core machine


class Session:
    """Start with `await Session.start(...)`; `diagnostics[uri]` is the last
    publication for each document, `versions[uri]` its version."""

    def __init__(self) -> None:
        self.client = LanguageClient("kerascheck-tests", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.versions: dict[str, int | None] = {}
        self.messages: list[str] = []
        self.publications: list[tuple[str, int | None]] = []  # (uri, version), in order
        self.changed = asyncio.Condition()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: types.PublishDiagnosticsParams) -> None:
            async with self.changed:
                self.diagnostics[params.uri] = params.diagnostics
                self.versions[params.uri] = params.version
                self.publications.append((params.uri, params.version))
                self.changed.notify_all()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    @classmethod
    async def start(
        cls, root: Path, options: dict | None = None, notebooks: bool = True
    ) -> Session:
        session = cls()
        await session.client.start_io(sys.executable, "-m", "kerascheck", "server", cwd=root)
        capabilities = types.ClientCapabilities(
            notebook_document=types.NotebookDocumentClientCapabilities(
                synchronization=types.NotebookDocumentSyncClientCapabilities()
            )
            if notebooks
            else None,
        )
        result = await session.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=root.as_uri(),
                initialization_options=options,
            )
        )
        session.capabilities = result.capabilities
        session.client.initialized(types.InitializedParams())
        return session

    async def wait_for(
        self, uri: str, ready: Callable[[list[types.Diagnostic]], bool], version: int | None = None
    ) -> list[types.Diagnostic]:
        """The first publication for `uri` (of `version`, if given) that is `ready`."""

        def done() -> bool:
            if uri not in self.diagnostics:
                return False
            if version is not None and self.versions.get(uri) != version:
                return False
            return ready(self.diagnostics[uri])

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(done), TIMEOUT)
        return self.diagnostics[uri]

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=version, text=text
                )
            )
        )

    def change(self, uri: str, text: str, version: int) -> None:
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def code_actions(
        self, uri: str, line: int, only: list[str] | None = None
    ) -> list[types.CodeAction]:
        where = types.Range(
            start=types.Position(line=line, character=0),
            end=types.Position(line=line, character=0),
        )
        found = await asyncio.wait_for(
            self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=where,
                    context=types.CodeActionContext(diagnostics=[], only=only),
                )
            ),
            TIMEOUT,
        )
        return found or []

    async def stop(self) -> int | None:
        """shutdown, exit, and the server's exit code."""
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)
        return self.client._server.returncode if self.client._server else None
