"""The closing lines of a text report about fixes (no LibCST here: a run
answered from the cache prints them too)."""

from __future__ import annotations

from kerascheck.fixes.apply import applicable
from kerascheck.results import Located


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else ('es' if noun.endswith('x') else 's')}"


def _hidden(count: int) -> str:
    return f"{_plural(count, 'hidden fix')} can be enabled with the `--unsafe-fixes` option"


def fix_summary(fixed: int | None, diagnostics: list[Located], unsafe: bool) -> str:
    """The end of a text report: what --fix did (fixed is None without --fix),
    then `[*] 2 fixable with the `--fix` option (1 hidden fix can be enabled
    with the `--unsafe-fixes` option).` Empty when there is nothing to say."""
    safe = sum(1 for d in diagnostics if applicable(d, False))
    hidden = sum(1 for d in diagnostics if applicable(d, True)) - safe
    if unsafe:
        safe, hidden = safe + hidden, 0
    lines = [] if fixed is None else [f"Fixed {_plural(fixed, 'problem')}."]
    if safe:
        lines.append(
            f"[*] {safe} fixable with the `--fix` option"
            + (f" ({_hidden(hidden)})." if hidden else ".")
        )
    elif hidden:
        lines.append(f"No fixes available ({_hidden(hidden)}).")
    return "".join(line + "\n" for line in lines)


def diff_summary(fixed: int, remaining: list[Located], unsafe: bool) -> str:
    """`Would fix 2 problems (1 hidden fix can be enabled ...).` for --diff."""
    hidden = 0 if unsafe else sum(1 for d in remaining if applicable(d, True))
    return (
        f"Would fix {_plural(fixed, 'problem')}"
        + (f" ({_hidden(hidden)})" if hidden else "")
        + ".\n"
    )
