#!/usr/bin/env bash
# usage: build.sh OUTDIR [MIRRORS]
#   Writes the real-code corpora the labels (benchmarks/labels) are about into
#   OUTDIR, from bare clones of the four repositories at the pinned commits.
#   MIRRORS holds the bare clones as OWNER+NAME/repo (made with
#   `git clone --bare https://github.com/OWNER/NAME MIRRORS/OWNER+NAME/repo`
#   when missing). Files are flattened: the path below the prefix, "/" -> "__",
#   and "/ipynb/" dropped for keras.io notebooks, so every name is unique and
#   none falls under kerascheck's default excludes (build, dist ...).
set -euo pipefail
if [ $# -lt 1 ]; then echo "usage: $0 OUTDIR [MIRRORS]" >&2; exit 2; fi
OUT=$1; MIRRORS=${2:-$OUT/.mirrors}
mkdir -p "$OUT" "$MIRRORS"

# repository and the commit the labels were made on
declare -A PINNED=(
  [LukeWood/keras-io]=e4799e8c9e6e0eb990f0ebfb197d88bf78ec0ae4
  [tensorflow/docs]=7c3650212740204359d4ceae481abc79345541be
  [fchollet/deep-learning-with-python-notebooks]=dea84a4e12cc3bb3cb61ce952a0168bca113d315
  [jeffheaton/t81_558_deep_learning]=e674d07b85289b0cfb4cc57ff213228fd2ae4dc4
)

mirror() {
  local repo=$1 dir=$MIRRORS/${1/\//+}/repo
  if [ ! -d "$dir" ]; then git clone -q --bare "https://github.com/$repo" "$dir"; fi
  echo "$dir"
}

# take REPO DEST PREFIX REGEX [keras-only]
take() {
  local g commit dest=$OUT/$2 prefix=$3 re=$4 kerasonly=${5:-}
  g=$(mirror "$1"); commit=${PINNED[$1]}
  rm -rf "$dest"; mkdir -p "$dest"
  git --git-dir="$g" ls-tree -r --name-only "$commit" | grep -E "$re" | while IFS= read -r f; do
    if ! git --git-dir="$g" cat-file -e "$commit:$f" 2>/dev/null; then
      echo "skip (blob absent): $f" >&2; continue
    fi
    local rel=${f#"$prefix"}; rel=${rel//\/ipynb\//\/}; rel=${rel//\//__}
    git --git-dir="$g" show "$commit:$f" > "$dest/$rel"
    if [ -n "$kerasonly" ] && ! grep -qi keras "$dest/$rel"; then rm -f "$dest/$rel"; fi
  done
}

take LukeWood/keras-io kerasio_py examples/ '^examples/.*\.py$'
take LukeWood/keras-io kerasio_nb examples/ '^examples/.*/ipynb/[^/]*\.ipynb$'
take LukeWood/keras-io kerasio_guides guides/ '^guides/[^/]*\.py$'
take tensorflow/docs tfdocs_nb site/en/ '^site/en/.*\.ipynb$' keras
take fchollet/deep-learning-with-python-notebooks dlwp_nb '' '\.ipynb$'
take jeffheaton/t81_558_deep_learning keras2_course '' '\.(py|ipynb)$' keras

for d in kerasio_py kerasio_nb kerasio_guides tfdocs_nb dlwp_nb keras2_course; do
  printf '%-16s %4d files\n' "$d" "$(find "$OUT/$d" -type f | wc -l)"
done
