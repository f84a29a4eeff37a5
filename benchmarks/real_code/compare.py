#!/usr/bin/env python3
"""usage: compare.py OLD_DIR NEW_DIR

For each corpus (<corpus>.json written by run.sh in both directories), print the
diagnostics found only in NEW ("+") and only in OLD ("-"). A diagnostic is keyed
by file (relative to its corpus directory), cell (notebooks), row, code and
message; identical keys are compared as a multiset. Columns and fixes are
ignored, so a diagnostic that only moved sideways or changed its fix is not shown.
Also reports changes in file-level error lines (<corpus>.stderr).
"""

import collections
import json
import os
import sys


def rel(path, corpus):
    marker = os.sep + corpus + os.sep
    i = path.rfind(marker)
    return path[i + len(marker) :] if i >= 0 else path


def load(d, corpus):
    p = os.path.join(d, corpus + ".json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        diags = json.load(f)
    return collections.Counter(
        (rel(x["filename"], corpus), x.get("cell"), x["location"]["row"], x["code"], x["message"])
        for x in diags
    )


def errlines(d, corpus):
    p = os.path.join(d, corpus + ".stderr")
    if not os.path.exists(p):
        return collections.Counter()
    with open(p) as f:
        return collections.Counter(line.rstrip("\n") for line in f if line.strip())


def sortkey(k):
    f, cell, row, code, msg = k
    return (f, -1 if cell is None else cell, row, code, msg)


def where(k):
    f, cell, row, code, msg = k
    loc = f"{f}:cell {cell}:{row}" if cell is not None else f"{f}:{row}"
    return f"{loc}: {code} {msg}"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    old_dir, new_dir = sys.argv[1:]
    corpora = sorted(
        {n[:-5] for d in (old_dir, new_dir) for n in os.listdir(d) if n.endswith(".json")}
    )
    tot_new = tot_gone = 0
    per_code = collections.Counter()
    for c in corpora:
        old, new = load(old_dir, c), load(new_dir, c)
        if old is None or new is None:
            print(f"== {c}: missing in {'OLD' if old is None else 'NEW'}\n")
            continue
        only_new, only_old = new - old, old - new
        e_new = errlines(new_dir, c) - errlines(old_dir, c)
        e_old = errlines(old_dir, c) - errlines(new_dir, c)
        n_new, n_gone = sum(only_new.values()), sum(only_old.values())
        tot_new += n_new
        tot_gone += n_gone
        print(f"== {c}: {sum(old.values())} -> {sum(new.values())}  (+{n_new} new, -{n_gone} gone)")
        for sign, cnt in (("+", only_new), ("-", only_old)):
            for k in sorted(cnt, key=sortkey):
                per_code[(k[3], sign)] += cnt[k]
                for _ in range(cnt[k]):
                    print(f"  {sign} {where(k)}")
        for sign, cnt in (("+", e_new), ("-", e_old)):
            for line in sorted(cnt.elements()):
                print(f"  {sign} [stderr] {line}")
        print()
    print(f"TOTAL: +{tot_new} new, -{tot_gone} gone")
    for code in sorted({k[0] for k in per_code}):
        print(f"  {code}: +{per_code[(code, '+')]} -{per_code[(code, '-')]}")


if __name__ == "__main__":
    main()
