"""`--statistics`: how often each rule fired, most frequent first, instead of
the diagnostics themselves (as ruff prints it)."""

from __future__ import annotations

import json
from collections import Counter

from kerascheck.checks import RULES
from kerascheck.results import Located


def counts(diagnostics: list[Located]) -> list[dict]:
    counted = Counter(d.code for d in diagnostics)
    return [
        {"code": code, "name": RULES[code].name if code in RULES else "", "count": count}
        for code, count in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]


def render(diagnostics: list[Located], as_json: bool = False) -> str:
    rows = counts(diagnostics)
    if as_json:
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(row["count"])) for row in rows), default=1)
    return "".join(f"{row['count']:>{width}}\t{row['code']}\t{row['name']}\n" for row in rows)
