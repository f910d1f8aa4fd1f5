#!/usr/bin/env bash
# Seeds a corpus for the load_spec target from the repository's specs and
# invalid fixtures. An input is a byte naming the kind of spec file
# (0 operation, 1 type, 2 program, 3 service), a byte naming which real file of that
# kind it replaces (in sorted order; 255: none, it is added), then the
# file's bytes. Each real spec replaces itself, so the seeds validate.
# Usage: fuzz/seed.sh [CORPUS_DIR]   (default: fuzz/corpus/load_spec)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-fuzz/corpus/load_spec}"
mkdir -p "$corpus"
export LC_ALL=C # globs sorted by bytes, as graphgen sorts spec files
seed() { # KIND_BYTE INDEX_BYTE FILE
  local name
  name="$(echo "$3" | tr '/' '_')"
  { printf "\\x$1\\x$2"; cat "$3"; } >"$corpus/seed-$name"
}
index=0
for f in specs/operations/*.yaml; do seed 00 "$(printf %02x $index)" "$f"; index=$((index + 1)); done
index=0
for f in specs/types/*.yaml; do seed 01 "$(printf %02x $index)" "$f"; index=$((index + 1)); done
index=0
for f in specs/programs/*.rs; do seed 02 "$(printf %02x $index)" "$f"; index=$((index + 1)); done
seed 03 00 specs/service.yaml
for f in tests/fixtures/invalid/operations/*.yaml; do seed 00 ff "$f"; done
for f in tests/fixtures/invalid/types/*.yaml; do seed 01 ff "$f"; done
for f in tests/fixtures/invalid/programs/*.rs; do seed 02 ff "$f"; done
for f in tests/fixtures/invalid/service/*.yaml; do seed 03 00 "$f"; done
echo "seeded $(ls "$corpus" | wc -l) inputs in $corpus"
