#!/usr/bin/env bash
# The acceptance stage: every integration test (real terraform, real provider, an emulator
# started by the harness inside the job for each test), reported as JUnit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
mkdir -p "$REPORTS"
DBRAIL_PROVIDER_BIN=$(build_bins)
export DBRAIL_PROVIDER_BIN
status=0
cargo nextest run --workspace --profile ci --no-fail-fast -E 'kind(test)' || status=$?
cp "$TARGET_DIR/nextest/ci/junit.xml" "$REPORTS/junit-acceptance.xml"
exit "$status"
