"""`--runtime`: check that TensorFlow is there, and start the Keras worker early."""

from __future__ import annotations

import click


def require_runtime() -> bool:
    """False (after saying why) when runtime mode cannot run here."""
    from kerascheck.runtime.client import RuntimeUnavailable, check_available

    try:
        check_available()
    except RuntimeUnavailable as error:
        click.echo(f"kerascheck: error: {error}", err=True)
        return False
    from kerascheck.runtime.results import session

    session().start()  # Keras imports in the worker while the files are parsed
    return True
