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
# All integration tests but tests/pipeline.rs, which runs this pipeline's jobs under
# gitlab-ci-local: inside GitLab the pipeline itself is that check.
cargo nextest run --workspace --profile ci --no-fail-fast -E 'kind(test) - binary(pipeline)' \
  || status=$?
cp "$TARGET_DIR/nextest/ci/junit.xml" "$REPORTS/junit-acceptance.xml"
exit "$status"
