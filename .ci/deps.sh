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

# Report schema validation in the policy command's tests (SARIF: JSON schema; JUnit: XSD).
python3 -c 'import jsonschema, xmlschema' >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check 'jsonschema>=4,<5' 'xmlschema>=3,<5'
