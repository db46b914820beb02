#!/usr/bin/env bash
# The test stage: unit tests (libraries and binaries) under cargo-nextest, whose JUnit report
# (profile `ci` in .config/nextest.toml) lands in reports/junit-unit.xml for GitLab.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
mkdir -p "$REPORTS"
status=0
cargo nextest run --workspace --lib --bins --profile ci --no-fail-fast || status=$?
cp "$TARGET_DIR/nextest/ci/junit.xml" "$REPORTS/junit-unit.xml"
log "JUnit report: $REPORTS/junit-unit.xml"
exit "$status"
