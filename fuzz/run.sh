#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target for FUZZ_SECONDS (default 30) each, from the seeds in
# fuzz/seeds/<target>, installing cargo-fuzz when absent. Usage: fuzz/run.sh [target...]
#
# libFuzzer needs the compiler's `-Z` flags; with only a stable toolchain, RUSTC_BOOTSTRAP=1
# lets stable rustc accept them. The targets are built without a sanitizer: the code under
# test forbids `unsafe`, so AddressSanitizer would add build time and find nothing Rust's own
# checks miss; debug assertions and overflow checks stay on. The build is unoptimised unless
# FUZZ_RELEASE=1: cargo-fuzz's release build uses one codegen unit for every dependency (tonic,
# rustls, regorus...), which takes many times longer to compile than short runs gain. New corpus entries go to a temp
# dir (the tree stays clean); a crash is kept in fuzz/artifacts/<target>/ and fails the run:
# turn it into a regression test beside the code it broke.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SECONDS_EACH=${FUZZ_SECONDS:-30}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(value_codec plan_reader waivers)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
cd "$HERE"
# Start from the workspace's lock file so the targets test the dependency versions dbrail ships.
[ -f Cargo.lock ] || cp ../Cargo.lock Cargo.lock

PROFILE=(--dev)
[ "${FUZZ_RELEASE:-0}" = 1 ] && PROFILE=()

CORPUS=$(mktemp -d "${TMPDIR:-/tmp}/dbrail-fuzz-XXXXXX")
trap 'rm -rf "$CORPUS"' EXIT
status=0
for target in "${TARGETS[@]}"; do
  mkdir -p "$CORPUS/$target"
  echo "== $target: ${SECONDS_EACH}s" >&2
  if cargo fuzz run "${PROFILE[@]}" --sanitizer none --debug-assertions "$target" "$CORPUS/$target" "seeds/$target" -- \
       -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       2>"$CORPUS/$target.log"; then
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$CORPUS/$target.log" >&2 || true
  else
    tail -n 40 "$CORPUS/$target.log" >&2
    echo "== $target FOUND A CRASH: see fuzz/artifacts/$target/" >&2
    status=1
  fi
done
exit $status
