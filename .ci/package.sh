#!/usr/bin/env bash
# The package stage: `make release` for the tag's version (v1.2.3 -> 1.2.3) or, on a branch,
# the workspace version. Imports the signing key when one is configured (GPG_PRIVATE_KEY, a
# file variable, and GPG_KEY_ID), so SHA256SUMS gets a detached signature. Writes
# dist/release.env (DBRAIL_VERSION) for the release job.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

version=${CI_COMMIT_TAG:-v$(workspace_version)}
version=${version#v}
if [ -n "${GPG_PRIVATE_KEY:-}" ] && [ -n "${GPG_KEY_ID:-}" ]; then
  gpg --batch --quiet --import "$GPG_PRIVATE_KEY"
fi
python3 .ci/release.py "$version" --out dist
echo "DBRAIL_VERSION=$version" >dist/release.env
