"""A scan of the text that proves most files far from CPython's nesting limits,
so the nesting guard (nesting.py) need not parse them.

CPython refuses a file for its nesting when a bracket nests 200 deep, an
indentation 100 levels deep, its parser's stack passes 6,000 frames or its AST
passes three times the recursion limit; or for a string literal it cannot
decode. Measured on CPython 3.11, a bracket costs the parser at most 30 frames
(a lambda in parentheses; 24-29 for the others), an indentation level 6, an
`elif` 1, and any other character at most 1 (`-` in `----x`); an AST level
takes at least one character. So a file is certainly accepted when

- no backslash escape could be undecodable (`\\x`, `\\u`, `\\U`, `\\N`) and no
  bytes literal can hold a non-ASCII character;
- no line is indented by 12 characters or more with a tab among them, or by
  99 spaces (fewer than 99 levels either way);
- it has fewer than 100 `elif`;
- brackets nest fewer than 64 deep, and every f-string holds fewer than 64;
- every statement weighs under 1,000: its characters, less comments, a string
  literal counting one (its content is one token) and an f-string in full.

That bounds the parser's stack by 64 * 30 + 1,000 + 99 * 6 + 100 (under 3,700
of 6,000) and the AST's depth by 1,000 + 2 * 99 + 100 (under 1,300 of 3,000).
The scan follows strings and comments as the tokenizer does; whatever it does
not recognise (an unterminated string, a closing bracket too many) makes it
answer "not proven", and the parser decides. Up to 3.11 only: from 3.12 an
f-string may hold quotes of its own kind, which this scan does not follow.
"""

from __future__ import annotations

import re
import sys

_MAX_BRACKETS = 64
_MAX_WEIGHT = 1000
_MAX_ELIF = 100

_ESCAPES = re.compile(r"\\[xuUN]")
_BYTES_PREFIX = re.compile(r"(?<![A-Za-z0-9_])(?:b|br|rb)['\"]", re.I)
_DEEP_INDENT = re.compile(r"^(?:[ \f]{99}|(?=[ \f]*\t)[ \t\f]{12})", re.M)

_TOKENS = re.compile(
    r"""
      (?P<code>[^'"\#\\\r\n()\[\]{}]+)
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<newline>\r\n|\r|\n)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>
        (?: '''(?:[^'\\]|\\(?:\r\n|.)|'(?!''))*'''
          | \"\"\"(?:[^"\\]|\\(?:\r\n|.)|"(?!""))*\"\"\"
          | '(?:[^'\\\r\n]|\\(?:\r\n|.))*'
          | "(?:[^"\\\r\n]|\\(?:\r\n|.))*"
        ))
    | (?P<continuation>\\(?:\r\n|\r|\n))
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SCANNED = sys.version_info < (3, 12)


def surely_shallow(text: str) -> bool:
    """True when CPython certainly accepts the file's nesting and literals
    (see the module's docstring); False proves nothing."""
    if not _SCANNED:
        return False
    if _ESCAPES.search(text) is not None or text.count("elif") >= _MAX_ELIF:
        return False
    if not text.isascii() and _BYTES_PREFIX.search(text) is not None:
        return False
    if _DEEP_INDENT.search(text) is not None:
        return False
    depth = weight = 0
    for token in _TOKENS.finditer(text):
        kind = token.lastgroup
        if kind == "code":
            weight += token.end() - token.start()
            if weight >= _MAX_WEIGHT:
                return False
        elif kind == "open":
            depth += 1
            weight += 1
            if depth >= _MAX_BRACKETS:
                return False
        elif kind == "close":
            depth -= 1
            weight += 1
            if depth < 0:
                return False
        elif kind == "newline":
            if depth == 0:
                if weight >= _MAX_WEIGHT:
                    return False
                weight = 0
        elif kind == "string":
            # The prefix ended the code before it: an `f` among the two
            # characters before the quote may make it an f-string (`rf"`).
            start = token.start()
            if "f" in text[max(0, start - 2) : start].lower():
                literal = token.group()
                if literal.count("(") + literal.count("[") + literal.count("{") >= _MAX_BRACKETS:
                    return False
                weight += len(literal)
                if weight >= _MAX_WEIGHT:
                    return False
            else:
                weight += 1
        elif kind == "other":
            # A quote that opens no string the scan recognises, a stray
            # backslash: the parser decides.
            return False
        # comments and line continuations weigh nothing
    return weight < _MAX_WEIGHT and depth == 0
