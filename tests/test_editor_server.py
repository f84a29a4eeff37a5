"""`kerascheck server` driven by a real language client over a real stdio pipe:
initialize, didOpen, didChange, codeAction, hover, notebook didOpen/didChange,
shutdown and exit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsp_session import Session
from lsprotocol import types

RELU = """\
from tensorflow import keras

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu")])
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(lr=0.1))
"""


def run(coroutine):
    return asyncio.run(coroutine)


def codes(diagnostics) -> list[tuple[str, int, int]]:
    return [(d.code, d.range.start.line, d.range.start.character) for d in diagnostics]


def test_diagnostics_on_open_and_change_then_cleared(tmp_path: Path) -> None:
    async def session() -> None:
        lsp = await Session.start(tmp_path)
        assert list(lsp.capabilities.code_action_provider.code_action_kinds) == [
            "quickfix",
            "source.fixAll.kerascheck",
        ]
        assert lsp.capabilities.notebook_document_sync is not None
        uri = (tmp_path / "model.py").as_uri()
        lsp.open(uri, RELU)
        found = await lsp.wait_for(uri, bool, version=1)
        assert codes(found) == [("KC101", 2, 45), ("KC401", 3, 79)]
        relu = found[0]
        assert relu.message.startswith("Output activation `relu` with `categorical_crossentropy`")
        assert "\nhelp: use `activation='softmax'` on the output layer" in relu.message
        assert relu.severity == types.DiagnosticSeverity.Error
        assert relu.source == "kerascheck"
        assert relu.code_description.href.endswith("/rules/KC101.md")
        [related] = relu.related_information
        assert related.location.uri == uri and related.location.range.start.line == 3

        fixed = RELU.replace('"relu"', '"softmax"').replace("lr=", "learning_rate=")
        lsp.change(uri, fixed, version=2)
        assert not await lsp.wait_for(uri, lambda d: True, version=2)

        lsp.change(uri, "def broken(:\n    from tensorflow import keras\n", version=3)
        [syntax] = await lsp.wait_for(uri, bool, version=3)
        assert syntax.code == "KC001" and syntax.range.start.line == 0
        lsp.change(uri, RELU, version=4)  # the server lived on
        assert len(await lsp.wait_for(uri, bool, version=4)) == 2
        assert await lsp.stop() == 0

    run(session())


def test_code_actions_quick_fix_noqa_and_fix_all(tmp_path: Path) -> None:
    async def session() -> None:
        lsp = await Session.start(tmp_path)
        uri = (tmp_path / "model.py").as_uri()
        lsp.open(uri, RELU)
        await lsp.wait_for(uri, bool, version=1)
        actions = await lsp.code_actions(uri, line=3)
        titles = [a.title for a in actions]
        assert titles == [
            "Fix KC401: rename it: `learning_rate=0.1`",
            "Silence KC401 on this line with # noqa: KC401",
            "kerascheck: fix all safe problems",
        ]
        rename, noqa, fix_all = actions
        assert rename.kind == "quickfix" and rename.is_preferred
        [edit] = rename.edit.changes[uri]
        assert edit.new_text == "learning_rate=0.1"
        assert (edit.range.start.line, edit.range.start.character) == (3, 79)
        [comment] = noqa.edit.changes[uri]
        assert comment.new_text == "  # noqa: KC401" and comment.range.start.character == 87
        assert fix_all.kind == "source.fixAll.kerascheck"
        [whole] = fix_all.edit.changes[uri]
        assert whole.new_text == RELU.replace("lr=", "learning_rate=")

        unsafe = await lsp.code_actions(uri, line=2, only=["quickfix"])
        assert unsafe[0].title.endswith("(unsafe fix)") and not unsafe[0].is_preferred
        assert unsafe[0].edit.changes[uri][0].new_text == '"softmax"'
        on_save = await lsp.code_actions(uri, line=0, only=["source.fixAll"])
        assert [a.kind for a in on_save] == ["source.fixAll.kerascheck"]
        await lsp.stop()

    run(session())


def test_hover_on_a_noqa_code_shows_the_rule_page(tmp_path: Path) -> None:
    async def session() -> None:
        lsp = await Session.start(tmp_path)
        uri = (tmp_path / "model.py").as_uri()
        lsp.open(uri, "x = 1  # noqa: KC101\n")
        await lsp.wait_for(uri, lambda d: True)
        hover = await lsp.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=0, character=17),
            )
        )
        assert hover.contents.value.startswith("# KC101")
        await lsp.stop()

    run(session())


def test_settings_from_pyproject_and_editor(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.kerascheck]\nignore = ["KC401"]\n')

    async def session(options) -> list[str]:
        lsp = await Session.start(tmp_path, options=options)
        uri = (tmp_path / "model.py").as_uri()
        lsp.open(uri, RELU)
        found = await lsp.wait_for(uri, lambda d: True)
        await lsp.stop()
        return [d.code for d in found]

    assert run(session(None)) == ["KC101"]
    assert not run(session({"settings": {"ignore": ["KC101"]}}))  # laid over the project's
    assert run(session({"settings": {"select": ["KC4"]}})) == ["KC401"]  # a fresh selection


def test_pyproject_reread_and_editor_settings_changed(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.kerascheck]\nignore = ["KC401"]\n')

    async def session() -> None:
        lsp = await Session.start(tmp_path)
        uri = (tmp_path / "model.py").as_uri()
        lsp.open(uri, RELU)
        assert [d.code for d in await lsp.wait_for(uri, bool)] == ["KC101"]
        config.write_text('[tool.kerascheck]\nignore = ["KC101"]\n')
        lsp.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        found = await lsp.wait_for(uri, lambda d: [x.code for x in d] == ["KC401"])
        assert [d.code for d in found] == ["KC401"]
        lsp.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"kerascheck": {"ignore": ["KC4"]}})
        )
        assert not await lsp.wait_for(uri, lambda d: not d)
        await lsp.stop()

    run(session())


def test_rapid_changes_publish_only_the_newest_text(tmp_path: Path) -> None:
    async def session() -> None:
        lsp = await Session.start(tmp_path)
        uri = (tmp_path / "model.py").as_uri()
        lsp.open(uri, RELU)
        last = 30
        for version in range(2, last + 1):  # typing faster than the analysis
            lsp.change(uri, RELU + f"x = {version}\n", version)
        found = await lsp.wait_for(uri, bool, version=last)
        assert [d.code for d in found] == ["KC101", "KC401"]
        versions = [v for u, v in lsp.publications if u == uri]
        # Never an older text after a newer one, and the newest one last. (How many
        # intermediate texts get published depends on the machine's speed: a
        # count would make this test flaky.)
        assert versions == sorted(versions) and versions[-1] == last
        await lsp.stop()

    run(session())


NOTEBOOK_CELLS = [
    (types.NotebookCellKind.Code, "%matplotlib inline\nfrom tensorflow import keras\n"),
    (types.NotebookCellKind.Markup, "# The model"),
    (
        types.NotebookCellKind.Code,
        'model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu")])\n',
    ),
    (types.NotebookCellKind.Code, 'model.compile(loss="categorical_crossentropy")\n'),
]


def test_notebook_document_cells_are_one_program(tmp_path: Path) -> None:
    notebook_uri = (tmp_path / "train.ipynb").as_uri()
    cell_uris = [f"vscode-notebook-cell:{tmp_path}/train.ipynb#cell{i}" for i in range(4)]

    async def session() -> None:
        lsp = await Session.start(tmp_path)
        lsp.client.notebook_document_did_open(
            types.DidOpenNotebookDocumentParams(
                notebook_document=types.NotebookDocument(
                    uri=notebook_uri,
                    notebook_type="jupyter-notebook",
                    version=1,
                    cells=[
                        types.NotebookCell(kind=kind, document=uri)
                        for (kind, _), uri in zip(NOTEBOOK_CELLS, cell_uris)
                    ],
                ),
                cell_text_documents=[
                    types.TextDocumentItem(
                        uri=uri,
                        language_id="python" if kind == types.NotebookCellKind.Code else "markdown",
                        version=1,
                        text=text,
                    )
                    for (kind, text), uri in zip(NOTEBOOK_CELLS, cell_uris)
                ],
            )
        )
        # The relu output layer is in the third cell; the loss it clashes with in the fourth.
        [relu] = await lsp.wait_for(cell_uris[2], bool)
        assert relu.code == "KC101" and relu.range.start.line == 0
        assert relu.related_information[0].location.uri == cell_uris[3]
        # The other cells get their (empty) publication too, in the same round.
        assert not await lsp.wait_for(cell_uris[0], lambda d: not d)
        assert not await lsp.wait_for(cell_uris[3], lambda d: not d)

        lsp.client.notebook_document_did_change(
            types.DidChangeNotebookDocumentParams(
                notebook_document=types.VersionedNotebookDocumentIdentifier(
                    uri=notebook_uri, version=2
                ),
                change=types.NotebookDocumentChangeEvent(
                    cells=types.NotebookDocumentCellChanges(
                        text_content=[
                            types.NotebookDocumentCellContentChanges(
                                document=types.VersionedTextDocumentIdentifier(
                                    uri=cell_uris[3], version=2
                                ),
                                changes=[
                                    types.TextDocumentContentChangeWholeDocument(
                                        text='model.compile(loss="mse")\n'
                                    )
                                ],
                            )
                        ]
                    )
                ),
            )
        )
        assert not await lsp.wait_for(cell_uris[2], lambda d: not d)
        await lsp.stop()

    run(session())


def test_jupyterlab_single_document_masks_magics(tmp_path: Path) -> None:
    # jupyter-lsp sends a notebook as one Python document named like it.
    text = "%matplotlib inline\n" + "".join(text for kind, text in NOTEBOOK_CELLS if kind == 2)
    uri = (tmp_path / ".virtual_documents" / "train.ipynb").as_uri()

    async def session() -> None:
        lsp = await Session.start(tmp_path, notebooks=False)
        lsp.open(uri, text)
        found = await lsp.wait_for(uri, bool)
        assert codes(found) == [("KC101", 3, 45)]
        await lsp.stop()

    run(session())
