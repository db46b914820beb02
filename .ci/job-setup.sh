#!/usr/bin/env bash
# Installs what a job needs and its image lacks; a no-op where everything is present (a
# developer machine, or gitlab-ci-local's shell executor). Safe to run repeatedly.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

missing_apt=()
for tool in unzip zip rsync git curl; do
  command -v "$tool" >/dev/null 2>&1 || missing_apt+=("$tool")
done
python3 -c 'import pip' >/dev/null 2>&1 || missing_apt+=(python3-pip)
if [ ${#missing_apt[@]} -gt 0 ]; then
  log "installing ${missing_apt[*]}"
  apt-get update -qq && apt-get install -y -qq "${missing_apt[@]}" >/dev/null
fi

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done

if ! command -v terraform >/dev/null 2>&1; then
  version=${TERRAFORM_VERSION:-1.11.4}
  log "installing terraform $version"
  curl -fsSLo /tmp/terraform.zip \
    "https://releases.hashicorp.com/terraform/${version}/terraform_${version}_$(os_arch).zip"
  unzip -qo /tmp/terraform.zip terraform -d /usr/local/bin
fi

if [ "${1:-}" = "--nextest" ] && ! cargo nextest --version >/dev/null 2>&1; then
  log "installing cargo-nextest"
  mkdir -p "${CARGO_HOME:-$HOME/.cargo}/bin"
  curl -fsSL https://get.nexte.st/latest/linux | tar zxf - -C "${CARGO_HOME:-$HOME/.cargo}/bin"
fi

# The pipeline test (gitlab-ci-local) is not run inside the pipeline it checks.
DBRAIL_DEPS_SKIP_GITLAB_CI_LOCAL=1 bash "$ROOT/.ci/deps.sh"
