"""Diagnostics where Keras is written: a language server (`kerascheck server`,
the `lsp` extra) and an IPython extension (`%load_ext kerascheck`).

Both are thin layers over the engine: `cells` lints notebook cells (the
editor's cells or a kernel's history) and `settings` finds a document's
project settings; `lsp` and `server` speak LSP; `ipython` and `display` run
inside a kernel. Nothing here imports TensorFlow.
"""
