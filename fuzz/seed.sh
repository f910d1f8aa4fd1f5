#!/usr/bin/env bash
# Seeds a corpus for the load_spec target from the repository's specs and
# invalid fixtures. An input is one byte naming the kind of spec file
# (0 operation, 1 type, 2 service) followed by the file's bytes.
# Usage: fuzz/seed.sh [CORPUS_DIR]   (default: fuzz/corpus/load_spec)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-fuzz/corpus/load_spec}"
mkdir -p "$corpus"
seed() { # KIND_BYTE FILE
  local name
  name="$(echo "$2" | tr '/' '_')"
  { printf "\\x$1"; cat "$2"; } >"$corpus/seed-$name"
}
for f in specs/operations/*.yaml tests/fixtures/invalid/operations/*.yaml; do seed 00 "$f"; done
for f in specs/types/*.yaml tests/fixtures/invalid/types/*.yaml; do seed 01 "$f"; done
for f in specs/service.yaml tests/fixtures/invalid/service/*.yaml; do seed 02 "$f"; done
echo "seeded $(ls "$corpus" | wc -l) inputs in $corpus"
