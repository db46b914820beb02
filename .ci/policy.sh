#!/usr/bin/env bash
# The policy stage: plans every example stack and checks each plan with
# `dbrail policy check --format gitlab`. Publishes, under reports/:
#   gl-code-quality-report.json   all findings (artifacts:reports:codequality)
#   terraform/<example>.json      create/update/delete counts (artifacts:reports:terraform)
#   plans/<example>.json          `terraform show -json` of each plan
#
# Where the plans run: against AWS when DBRAIL_PLAN_TARGET=aws (credentials from the job's
# environment, e.g. an OIDC role); otherwise against the embedded AWS API emulator, started
# for this job by the acceptance-test harness (`dbrail-with-emulator`), so the stage also runs
# without any account (forks, gitlab-ci-local, a laptop). Where the state lives: GitLab-managed
# Terraform state (the `http` backend, with locking) when GitLab's variables are present, a
# local state otherwise; see plan-examples.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

binary=$(build_bins)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dev_mirror "$work" "$binary"
copy_tracked "$work/src"
export DBRAIL_CI_WORK="$work/src"
export DBRAIL_CLI="$TARGET_DIR/debug/dbrail"

case "${DBRAIL_PLAN_TARGET:-emulator}" in
  aws)
    log "planning the examples against AWS"
    bash "$ROOT/.ci/plan-examples.sh"
    ;;
  emulator)
    log "planning the examples against the embedded AWS API emulator"
    "$TARGET_DIR/debug/dbrail-with-emulator" -- bash "$ROOT/.ci/plan-examples.sh"
    ;;
  *) die "DBRAIL_PLAN_TARGET must be aws or emulator, not ${DBRAIL_PLAN_TARGET}" ;;
esac
