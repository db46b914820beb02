#!/usr/bin/env bash
# The release stage (tags only): module archives to this project's Terraform module registry,
# provider archives (zips, SHA256SUMS and its signature, manifest, packed mirror) to its generic
# package registry, from where the release links them. Authenticates with CI_JOB_TOKEN.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
: "${CI_API_V4_URL:?}" "${CI_PROJECT_ID:?}" "${CI_JOB_TOKEN:?}"
source dist/release.env
api="${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/packages"
system=${MODULE_SYSTEM:-dbrail}

upload() {
  local file=$1 url=$2
  log "upload $(basename "$file")"
  curl --fail-with-body --silent --show-error --header "JOB-TOKEN: ${CI_JOB_TOKEN}" \
    --upload-file "$file" "$url"
  echo
}

shopt -s nullglob
for archive in dist/dbrail-module-*_"${DBRAIL_VERSION}".tgz; do
  module=$(basename "$archive" "_${DBRAIL_VERSION}.tgz")
  module=${module#dbrail-module-}
  upload "$archive" "${api}/terraform/modules/${module}/${system}/${DBRAIL_VERSION}/file"
done
for file in dist/terraform-provider-dbrail_"${DBRAIL_VERSION}"_*; do
  upload "$file" "${api}/generic/terraform-provider-dbrail/${DBRAIL_VERSION}/$(basename "$file")"
done
