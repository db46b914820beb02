#!/usr/bin/env bash
# Installs what dbrail's tests need and a fresh machine may lack. Safe to run repeatedly.
set -euo pipefail

need_terraform="1.11"
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform is not on PATH. Install Terraform ${need_terraform} or newer (https://developer.hashicorp.com/terraform/install) and re-run." >&2
  exit 1
fi
have=$(terraform version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])' 2>/dev/null || echo 0)
if [ "$(printf '%s\n%s\n' "$need_terraform" "$have" | sort -V | head -n1)" != "$need_terraform" ]; then
  echo "terraform ${have} is too old; dbrail needs ${need_terraform} or newer." >&2
  exit 1
fi

if ! command -v moto_server >/dev/null 2>&1 && ! python3 -c 'import moto.server' >/dev/null 2>&1; then
  echo "installing the AWS API emulator (moto[server])"
  python3 -m pip install --quiet --disable-pip-version-check 'moto[server]>=5,<6'
fi
python3 -c 'import moto.server, flask' >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check 'moto[server]>=5,<6'

# gitlab-ci-local validates .gitlab-ci.yml and runs its lint, test and policy jobs in
# `make test` (acceptance-tests/tests/pipeline.rs). Pinned: 4.60.x is the last line that runs on
# Node 20. Installed per user, outside the work tree, so fresh clones on one machine share it.
gcl_version=4.60.1
gcl_prefix=${DBRAIL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dbrail/tools}/gitlab-ci-local-${gcl_version}
# DBRAIL_DEPS_SKIP_GITLAB_CI_LOCAL=1 skips both (GitLab's own jobs, which are the pipeline).
if [ "${DBRAIL_DEPS_SKIP_GITLAB_CI_LOCAL:-}" = 1 ]; then
  :
elif [ ! -x "$gcl_prefix/node_modules/.bin/gitlab-ci-local" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is not on PATH; install Node.js 20 (Debian: apt-get install nodejs npm) and re-run." >&2
    exit 1
  fi
  echo "installing gitlab-ci-local ${gcl_version} into ${gcl_prefix}"
  mkdir -p "$gcl_prefix"
  npm install --prefix "$gcl_prefix" --no-audit --no-fund --loglevel=error "gitlab-ci-local@${gcl_version}"
fi
if [ "${DBRAIL_DEPS_SKIP_GITLAB_CI_LOCAL:-}" != 1 ] && ! command -v rsync >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing rsync (gitlab-ci-local needs it)"
    apt-get update -qq && apt-get install -y -qq rsync >/dev/null
  else
    echo "rsync is not on PATH; gitlab-ci-local needs it (Debian: apt-get install rsync)." >&2
    exit 1
  fi
fi

# A throwaway PostgreSQL server runs the SQL dbrail_access_role generates (grant_sql tests).
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL (server binaries for the grant_sql tests)"
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi

# Report schema validation in the policy command's tests (SARIF: JSON schema; JUnit: XSD).
python3 -c 'import jsonschema, xmlschema' >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check 'jsonschema>=4,<5' 'xmlschema>=3,<5'
