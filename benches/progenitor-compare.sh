#!/usr/bin/env bash
# The same synthetic API through graphgen and through progenitor, timed.
#
# graphgen writes the synthetic specs and exports them as OpenAPI; progenitor
# (cargo-progenitor, from crates.io) generates its client from that
# document, graphgen from the specs. Prints both generation times and their
# ratio. Not part of CI; it does nothing where cargo-progenitor is missing.
#
#   cargo install cargo-progenitor     # once
#   benches/progenitor-compare.sh      # N = 193, the size of oxide's nexus API
#   N=1000 benches/progenitor-compare.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-193}
if ! command -v cargo-progenitor >/dev/null 2>&1; then
  echo "cargo-progenitor is not installed (cargo install cargo-progenitor); nothing to compare"
  exit 0
fi
work=$(mktemp -d /tmp/graphgen-vs-progenitor-XXXX)
cargo build -q --release -p graphgen --manifest-path "$root/Cargo.toml"
graphgen="$root/target/release/graphgen"
"$graphgen" synthetic --operations "$n" --out "$work/specs" >/dev/null
"$graphgen" openapi --specs "$work/specs" --format json > "$work/openapi.json"

seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

ours=$(seconds "$graphgen" generate --specs "$work/specs" --out "$work/graphgen-client")
theirs=$(seconds cargo progenitor -i "$work/openapi.json" -o "$work/progenitor-client" -n synthetic-client -v 0.1.0)
printf 'synthetic API of %d operations\n' "$n"
printf '  graphgen (specs -> Rust crate and Markdown docs): %8.3f s  %6.2f ms/op\n' "$ours" "$(echo "$ours * 1000 / $n" | bc -l)"
printf '  progenitor (OpenAPI -> Rust crate):                %8.3f s  %6.2f ms/op\n' "$theirs" "$(echo "$theirs * 1000 / $n" | bc -l)"
printf '  ratio (progenitor / graphgen): %.1fx\n' "$(echo "$theirs / $ours" | bc -l)"
echo "outputs in $work"
