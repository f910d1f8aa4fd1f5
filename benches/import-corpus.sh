#!/usr/bin/env bash
# The whole Graph reference through the importer: every operation page of
# both versions imported (release build, timed), the specs validated, the
# largest set that validates generated, and the generated crate built with
# v1.0 and every area (then with both versions).
#
#   benches/import-corpus.sh ../shared/graph-docs/2021
#   BUILD=none benches/import-corpus.sh DOCS     # import and generate only
#   BUILD=both benches/import-corpus.sh DOCS     # also build v1.0 + beta
#
# Not part of CI: the corpus is not in the repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
docs=${1:?usage: benches/import-corpus.sh DOCS_ROOT}
work=${BENCH_DIR:-$(mktemp -d /tmp/graphgen-corpus-XXXX)}
build=${BUILD:-v1}
export CARGO_TERM_COLOR=never

cargo build -q --release -p graphgen --manifest-path "$root/Cargo.toml"
graphgen="$root/target/release/graphgen"

echo "== import (every operation page of both versions)"
rm -rf "$work/specs" "$work/generated"
/usr/bin/time -f "import: %e s wall, %M KiB peak" \
  "$graphgen" import --all --docs "$docs" --out "$work/specs" --quiet
echo "== validate, keep the largest set that validates"
"$graphgen" import --all --docs "$docs" --out "$work/specs-checked" --validate --prune --quiet --reasons 10 >"$work/report.md"
cat "$work/report.md"
"$graphgen" validate --specs "$work/specs-checked"

echo "== generate"
/usr/bin/time -f "generate: %e s wall, %M KiB peak" \
  "$graphgen" generate --specs "$work/specs-checked" --out "$work/generated"
[ "$build" = none ] && exit 0

sed -i "s|path = \"../runtime\"|path = \"$root/runtime\"|" "$work/generated/Cargo.toml"
printf '[workspace]\nresolver = "2"\nmembers = ["generated"]\n' > "$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"
# Every area feature of the generated crate.
areas=$(sed -n '/^\[features\]/,/^\[/p' "$work/generated/Cargo.toml" \
  | grep -E '^[a-z0-9-]+ = \[\]' | cut -d' ' -f1 | grep -v -E '^(v1_0|beta)$' | paste -sd, -)
export CARGO_TARGET_DIR="$work/target"
echo "== build: v1.0, every area ($(echo "$areas" | tr ',' '\n' | wc -l) areas)"
/usr/bin/time -f "build v1.0: %e s wall, %M KiB peak" \
  cargo build -q --manifest-path "$work/Cargo.toml" -p msgraph-client \
  --no-default-features --features "reqwest,v1_0,$areas"
if [ "$build" = both ]; then
  echo "== build: v1.0 and beta, every area"
  /usr/bin/time -f "build v1.0+beta: %e s wall, %M KiB peak" \
    cargo build -q --manifest-path "$work/Cargo.toml" -p msgraph-client --all-features
fi
