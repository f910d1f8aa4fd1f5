#!/usr/bin/env bash
# A short, bounded fuzzing run of the load_spec target for CI: seeds the
# corpus from specs/, fuzzes on one core for FUZZ_SECONDS (default 90), and
# exits non-zero on any finding (panic, overflow, timeout, out of memory).
# Installs cargo-fuzz when it is missing. Runs on the stable toolchain:
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the sanitizer flags.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-90}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

./seed.sh "$PWD/corpus/load_spec"
echo "== fuzzing load_spec for ${seconds}s"
# -s none: without AddressSanitizer the target runs about five times
# faster (see FUZZING.md). -timeout: an input that takes 10 s is a hang;
# -rss_limit_mb: one that needs 2 GiB is a finding. Findings are saved under
# artifacts/load_spec/.
cargo fuzz run -s none load_spec corpus/load_spec -- \
  -dict=spec.dict \
  -max_len=65536 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -max_total_time="$seconds" \
  -print_final_stats=1
