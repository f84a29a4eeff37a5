"""Which files can hold Keras code at all, decided on the text, before parsing.

Most files of a project never touch Keras, and parsing is the dearest step.
The extractor recognises Keras only through an import path (`keras`,
`tensorflow.keras`, `tf.keras`, `tf_keras`, `keras_core` all contain `keras`;
`import tensorflow as tf` contains `tensorflow`) or, in a pasted snippet without
imports, through a bare Keras name (`Sequential`, `Dense`, `layers.…`). A file
with none of these words yields no diagnostic, so it is not parsed. (It also
gets no KC001: a syntax error in a file that is not Keras code is not ours.)

The vocabulary is the extractor's own, so the two cannot drift apart.
"""

from __future__ import annotations

import re

from kerascheck.catalog.api import SNIPPET_LAYERS, SNIPPET_MODULES, SNIPPET_TOP_LEVEL

_IMPORT_WORDS = ("keras", "tensorflow")
# Snippet modules count only as the receiver of an attribute: `layers.Dense`.
_SNIPPET_NAMES = re.compile(
    r"\b(?:{})\b|\b(?:{})\s*\.".format(
        "|".join(sorted(SNIPPET_TOP_LEVEL | SNIPPET_LAYERS, key=lambda n: (-len(n), n))),
        "|".join(sorted(m for m in SNIPPET_MODULES if m not in _IMPORT_WORDS)),
    )
)


def may_hold_keras(text: str) -> bool:
    """False only when the file certainly holds nothing kerascheck reports on."""
    return any(word in text for word in _IMPORT_WORDS) or _SNIPPET_NAMES.search(text) is not None
