#!/usr/bin/env bash
# Plans each example stack copied into DBRAIL_CI_WORK and checks the plan with DBRAIL_CLI
# (both set by policy.sh). Example stacks are the directories directly under examples/ and
# modules/*/examples/; examples/resources, examples/data-sources and examples/provider hold
# documentation snippets, validated in the lint stage but not planned.
#
# State: in GitLab (GITLAB_CI=true with a job token), each stack keeps its state in
# GitLab-managed Terraform state through the `http` backend with locking, configured here by
# TF_HTTP_* variables and a `_override.tf` file that adds the backend block; the examples
# themselves stay backend-free so `make demo` and local runs need no server. Elsewhere
# (gitlab-ci-local sets GITLAB_CI=false) the state is local and thrown away.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${DBRAIL_CI_WORK:?set by policy.sh}" "${DBRAIL_CLI:?set by policy.sh}"

gitlab_state() {
  [ "${GITLAB_CI:-}" = "true" ] && [ -n "${CI_JOB_TOKEN:-}" ] && [ -n "${CI_API_V4_URL:-}" ] \
    && [ -n "${CI_PROJECT_ID:-}" ]
}

# use_gitlab_state DIR NAME: the http backend for the stack in DIR, state NAME.
use_gitlab_state() {
  local dir=$1 name=$2
  export TF_HTTP_ADDRESS="${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/terraform/state/${name}"
  export TF_HTTP_LOCK_ADDRESS="${TF_HTTP_ADDRESS}/lock"
  export TF_HTTP_UNLOCK_ADDRESS="${TF_HTTP_ADDRESS}/lock"
  export TF_HTTP_LOCK_METHOD=POST
  export TF_HTTP_UNLOCK_METHOD=DELETE
  export TF_HTTP_USERNAME=gitlab-ci-token
  export TF_HTTP_PASSWORD="${CI_JOB_TOKEN}"
  export TF_HTTP_RETRY_WAIT_MIN=5
  printf 'terraform {\n  backend "http" {}\n}\n' >"$dir/dbrail_ci_backend_override.tf"
}

mkdir -p "$REPORTS/plans" "$REPORTS/terraform" "$REPORTS/codequality"
rm -f "$REPORTS"/plans/*.json "$REPORTS"/terraform/*.json "$REPORTS"/codequality/*.json
mapfile -t stacks < <(tf_dirs | grep -E '^(examples/[^/]+|modules/[^/]+/examples/[^/]+)$' \
  | grep -vE '^examples/(resources|data-sources|provider)$')
[ ${#stacks[@]} -gt 0 ] || die "no example stacks found"

failed=()
for stack in "${stacks[@]}"; do
  name=${stack//\//-}
  dir="$DBRAIL_CI_WORK/$stack"
  log "plan $stack"
  if gitlab_state; then
    use_gitlab_state "$dir" "${DBRAIL_STATE_PREFIX:-dbrail}-${name}-${DBRAIL_PLAN_TARGET:-emulator}"
  fi
  if ! terraform -chdir="$dir" init -input=false -no-color >"$dir/init.log" 2>&1; then
    cat "$dir/init.log" >&2
    failed+=("$stack (init)")
    continue
  fi
  if ! terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=120s -out=plan.tfplan; then
    failed+=("$stack (plan)")
    continue
  fi
  terraform -chdir="$dir" show -json plan.tfplan >"$REPORTS/plans/$name.json"
  python3 - "$REPORTS/plans/$name.json" >"$REPORTS/terraform/$name.json" <<'PY'
import json, sys
# GitLab's Terraform report: the numbers of resources the plan creates, updates, deletes.
plan = json.load(open(sys.argv[1]))
actions = [a for rc in plan.get("resource_changes") or [] for a in rc["change"]["actions"]]
print(json.dumps({k: actions.count(k) for k in ("create", "update", "delete")}))
PY
  log "dbrail policy check $stack"
  # Code Quality locations are paths in the repository: hand the checker a relative path.
  plan=$(realpath --relative-to="$ROOT" "$REPORTS/plans/$name.json")
  status=0
  (cd "$ROOT" && "$DBRAIL_CLI" policy check "$plan" --format gitlab) \
    >"$REPORTS/codequality/$name.json" || status=$?
  (cd "$ROOT" && "$DBRAIL_CLI" policy check "$plan" --format text) || true
  [ "$status" -eq 0 ] || failed+=("$stack (policy, exit $status)")
done

# One Code Quality report for the pipeline: the findings of every plan.
python3 - "$REPORTS/gl-code-quality-report.json" "$REPORTS"/codequality/*.json <<'PY'
import json, sys
findings = []
for path in sys.argv[2:]:
    findings += json.load(open(path))
json.dump(findings, open(sys.argv[1], "w"), indent=2)
print(f"==> {len(findings)} Code Quality findings from {len(sys.argv) - 2} plans", file=sys.stderr)
PY

if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
log "${#stacks[@]} example stacks planned and compliant"
