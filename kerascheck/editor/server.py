"""`kerascheck server`: start the language server on stdin and stdout.

The server needs pygls (`pip install 'kerascheck[lsp]'`); the static install
does not, so pygls is imported only here, when the command runs.
"""

from __future__ import annotations

import sys

INSTALL_HINT = "kerascheck server needs pygls: pip install 'kerascheck[lsp]'"


def serve() -> None:
    try:
        from kerascheck.editor.handlers import build
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in ("pygls", "lsprotocol", "cattrs"):
            print(f"kerascheck: error: {INSTALL_HINT}", file=sys.stderr)
            sys.exit(2)
        raise
    build().start_io()
