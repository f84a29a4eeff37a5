#!/usr/bin/env bash
# usage: run.sh PYTHON CORPUS OUTDIR
#   Lints every corpus directory under CORPUS (made by build.sh) with
#   `PYTHON -m kerascheck` (all rules, no cache, no pyproject.toml), from CORPUS
#   so that paths read `kerasio_py/...`, and writes OUTDIR/<corpus>.json (diagnostics),
#   OUTDIR/<corpus>.stderr (file-level error lines) and OUTDIR/<corpus>.rc,
#   then prints diagnostic counts per rule code per corpus.
set -uo pipefail
if [ $# -ne 3 ]; then echo "usage: $0 PYTHON CORPUS OUTDIR" >&2; exit 2; fi
PY=$1; HERE=$(cd "$2" && pwd); OUT=$3
case $PY in */*) PY=$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY") ;; esac  # run from CORPUS
CORPORA="kerasio_py kerasio_nb kerasio_guides tfdocs_nb dlwp_nb keras2_course"
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
cd "$HERE"   # the corpus has no pyproject.toml; --isolated makes sure none is read
"$PY" -m kerascheck --version >"$OUT/VERSION" 2>&1 || true
for c in $CORPORA; do
  "$PY" -m kerascheck check --no-cache --isolated --select ALL --output-format json "$c" \
      >"$OUT/$c.json" 2>"$OUT/$c.stderr"
  echo $? >"$OUT/$c.rc"
done
python3 - "$OUT" $CORPORA <<'PY'
import json, sys, collections
out, corpora = sys.argv[1], sys.argv[2:]
counts, errs, rcs = {}, {}, {}
for c in corpora:
    try:
        diags = json.load(open(f"{out}/{c}.json"))
    except ValueError:
        diags = []
        print(f"warning: {c}.json is not valid JSON", file=sys.stderr)
    counts[c] = collections.Counter(d["code"] for d in diags)
    errs[c] = sum(1 for l in open(f"{out}/{c}.stderr") if l.strip())
    rcs[c] = open(f"{out}/{c}.rc").read().strip()
codes = sorted(set().union(*counts.values()))
w = max([len(c) for c in corpora] + [5])
short = {c: c for c in corpora}
head = f"{'code':<8}" + "".join(f"{c:>{w+1}}" for c in corpora) + f"{'TOTAL':>8}"
print(head); print("-" * len(head))
for code in codes:
    row = [counts[c][code] for c in corpora]
    print(f"{code:<8}" + "".join(f"{n:>{w+1}}" for n in row) + f"{sum(row):>8}")
print("-" * len(head))
tot = [sum(counts[c].values()) for c in corpora]
print(f"{'total':<8}" + "".join(f"{n:>{w+1}}" for n in tot) + f"{sum(tot):>8}")
e = [errs[c] for c in corpora]
print(f"{'stderr':<8}" + "".join(f"{n:>{w+1}}" for n in e) + f"{sum(e):>8}")
print(f"{'exit':<8}" + "".join(f"{rcs[c]:>{w+1}}" for c in corpora))
PY
