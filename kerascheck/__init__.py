"""kerascheck: a linter for Keras model code."""

__version__ = "0.1.0"


def load_ipython_extension(ipython) -> None:
    """`%load_ext kerascheck`: lint each cell before it runs (see editor/ipython.py).
    Imported here, not at the top: `import kerascheck` stays free of LibCST and IPython."""
    from kerascheck.editor.ipython import load

    load(ipython)


def unload_ipython_extension(ipython) -> None:
    from kerascheck.editor.ipython import unload

    unload(ipython)
