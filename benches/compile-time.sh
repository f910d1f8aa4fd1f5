#!/usr/bin/env bash
# Compile time of the generated crate at Graph scale, with its dependencies
# prebuilt: `cargo build` and `cargo check` of the crate alone with all
# features, and of a consumer that enables one resource area only; lines of
# generated Rust per operation and the size of the release rlib.
#
#   benches/compile-time.sh            # N = 100 and 1000
#   SIZES="100 1000 10000" benches/compile-time.sh
#
# Not part of CI: it builds several crates from scratch.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d /tmp/graphgen-compile-XXXX)}
sizes=${SIZES:-"100 1000"}
export CARGO_TERM_COLOR=never

cargo build -q --release -p graphgen --manifest-path "$root/Cargo.toml"
graphgen="$root/target/release/graphgen"
export CARGO_TARGET_DIR="$work/target"

seconds() { # run a command, print its wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

printf '%6s %10s %10s %10s %10s %10s %10s %12s %12s\n' \
  ops "build s" "ms/op" "check s" "1-area b" "1-area c" "Rust l/op" "rlib KiB" "rlib B/op"
for n in $sizes; do
  dir="$work/n$n"
  rm -rf "$dir" && mkdir -p "$dir"
  "$graphgen" synthetic --operations "$n" --out "$dir/specs" >/dev/null
  "$graphgen" generate --specs "$dir/specs" --out "$dir/generated" >/dev/null
  # The generated manifest finds the runtime beside it; here it is elsewhere.
  sed -i "s|path = \"../runtime\"|path = \"$root/runtime\"|" "$dir/generated/Cargo.toml"
  mkdir -p "$dir/consumer/src"
  cat > "$dir/consumer/Cargo.toml" <<TOML
[package]
name = "one-area-consumer"
version = "0.0.0"
edition = "2021"
[dependencies]
msgraph-client = { path = "../generated", default-features = false, features = ["reqwest", "v1_0", "area0"] }
TOML
  echo 'fn main() { let _ = msgraph_client::v1_0::operations::GetWidget0x0::new("t", "w"); }' > "$dir/consumer/src/main.rs"
  # One workspace for both, with the repository's lockfile, so that they
  # share the prebuilt dependencies.
  printf '[workspace]\nresolver = "2"\nmembers = ["generated", "consumer"]\n' > "$dir/Cargo.toml"
  cp "$root/Cargo.lock" "$dir/Cargo.lock"
  manifest="$dir/Cargo.toml"
  # Prebuild every dependency (all features, dev and release).
  cargo build -q --manifest-path "$manifest" -p msgraph-client --all-features
  cargo check -q --manifest-path "$manifest" -p msgraph-client --all-features
  cargo build -q --manifest-path "$manifest" -p one-area-consumer
  cargo check -q --manifest-path "$manifest" -p one-area-consumer
  cargo build -q --release --manifest-path "$manifest" -p msgraph-client --all-features

  cargo clean -q --manifest-path "$manifest" -p msgraph-client
  build=$(seconds cargo build --manifest-path "$manifest" -p msgraph-client --all-features)
  cargo clean -q --manifest-path "$manifest" -p msgraph-client
  check=$(seconds cargo check --manifest-path "$manifest" -p msgraph-client --all-features)
  cargo clean -q --manifest-path "$manifest" -p msgraph-client -p one-area-consumer
  area_build=$(seconds cargo build --manifest-path "$manifest" -p one-area-consumer)
  cargo clean -q --manifest-path "$manifest" -p msgraph-client -p one-area-consumer
  area_check=$(seconds cargo check --manifest-path "$manifest" -p one-area-consumer)
  cargo clean -q --manifest-path "$manifest" -p msgraph-client --release
  cargo build -q --release --manifest-path "$manifest" -p msgraph-client --all-features
  rlib=$(stat -c %s "$CARGO_TARGET_DIR"/release/libmsgraph_client.rlib)
  lines=$(find "$dir/generated/src" -name '*.rs' -exec cat {} + | wc -l)
  printf '%6d %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %12.0f %12.0f\n' \
    "$n" "$build" "$(echo "$build * 1000 / $n" | bc -l)" "$check" "$area_build" "$area_check" \
    "$(echo "$lines / $n" | bc -l)" "$(echo "$rlib / 1024" | bc -l)" "$(echo "$rlib / $n" | bc -l)"
done
echo
echo "build/check: msgraph-client alone, all features, dev profile, dependencies prebuilt."
echo "1-area: a consumer enabling one area (10 operations) and v1_0; its time should not grow with N."
echo "targets: <= 30 ms of dev build per operation with all features."
