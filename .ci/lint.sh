#!/usr/bin/env bash
# The lint stage: rustfmt, clippy -D warnings, terraform fmt, and terraform validate of every
# directory holding tracked Terraform configuration (modules, examples, module examples).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
# The top-level directories holding Terraform files (examples/, modules/, ...), so new ones
# are checked too and target/ is never walked.
mapfile -t tops < <(tf_tops)
[ ${#tops[@]} -gt 0 ] || die "no Terraform configuration found"
log "terraform fmt -check -recursive ${tops[*]}"
terraform fmt -check -recursive -diff "${tops[@]}"

binary=$(build_bins)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dev_mirror "$work" "$binary"
copy_tracked "$work/src"

# validate DIR: init without a backend (the provider from the dev mirror), then validate.
validate() {
  local out
  if ! out=$(terraform -chdir="$1" init -backend=false -input=false -no-color 2>&1); then
    printf '%s\n' "$out" >&2
    return 1
  fi
  terraform -chdir="$1" validate -no-color
}

failed=0
count=0
while read -r dir; do
  [ -n "$dir" ] || continue
  count=$((count + 1))
  log "terraform validate $dir"
  if ! validate "$work/src/$dir"; then
    echo "FAILED: $dir" >&2
    failed=1
  fi
done < <(tf_dirs)
[ "$count" -gt 0 ] || die "no Terraform configuration found to validate"
log "validated $count configurations"
exit "$failed"
