# Shared helpers for the pipeline's job scripts (sourced, not run).
#
# Every job of .gitlab-ci.yml is a script in this directory, so a job runs the same way in
# GitLab, under gitlab-ci-local (acceptance-tests/tests/pipeline.rs) and on a laptop.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
REPORTS=${DBRAIL_REPORTS:-$ROOT/reports}
PROVIDER_SOURCE=registry.terraform.io/dbrail/dbrail

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The workspace version (what the provider binary reports and the examples pin).
workspace_version() {
  python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["workspace"]["package"]["version"])' "$ROOT/Cargo.toml"
}

# Terraform's name for this platform, e.g. linux_amd64.
os_arch() {
  printf '%s_%s\n' "$(uname -s | tr '[:upper:]' '[:lower:]')" \
    "$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')"
}

# Builds the workspace's binaries (the same package selection as the test build, so cargo
# reuses what is compiled) and prints the provider's path.
build_bins() {
  (cd "$ROOT" && cargo build --workspace --bins >&2)
  echo "$TARGET_DIR/debug/terraform-provider-dbrail"
}

# dev_mirror DIR BINARY: lays BINARY out as an unpacked filesystem mirror in DIR/mirror and
# writes DIR/terraform.rc installing dbrail from it (everything else directly), then exports
# TF_CLI_CONFIG_FILE.
dev_mirror() {
  local dir=$1 binary=$2 version platform
  version=$(workspace_version)
  platform=$(os_arch)
  mkdir -p "$dir/mirror/$PROVIDER_SOURCE/$version/$platform"
  ln -sf "$binary" "$dir/mirror/$PROVIDER_SOURCE/$version/$platform/terraform-provider-dbrail_v$version"
  cat >"$dir/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$dir/mirror"
    include = ["$PROVIDER_SOURCE"]
  }
  direct {
    exclude = ["$PROVIDER_SOURCE"]
  }
}
RC
  export TF_CLI_CONFIG_FILE=$dir/terraform.rc
}

# Directories under examples/ and modules/ holding tracked Terraform configuration (modules,
# examples, module examples), one per line: new modules and examples are picked up without
# editing the pipeline. Test fixtures elsewhere (which may be invalid on purpose) are not.
tf_dirs() {
  (cd "$ROOT" && git ls-files -- '*.tf' | grep -E '^(examples|modules)/' | xargs -r -n1 dirname \
    | sort -u)
}

# The top-level directories holding Terraform configuration (examples, modules, ...).
tf_tops() {
  tf_dirs | cut -d/ -f1 | sort -u
}

# copy_tracked DEST: the tracked files of those top-level directories copied to DEST with
# their relative paths (so `source = "../.."` keeps working), minus lock files, which pin the
# released provider's checksums rather than those of the build under test.
copy_tracked() {
  local dest=$1
  mkdir -p "$dest"
  (cd "$ROOT" && tf_tops | xargs -r git ls-files -z -- | xargs -0 -r cp --parents -t "$dest")
  find "$dest" -name .terraform.lock.hcl -delete
}
