//! The environment variables that tune the harness, in one place.
//!
//! They are read from the test process's environment; none of them is passed on to terraform
//! (which gets a clean environment of its own, see `terraform.rs`). The README lists them.

use std::time::Duration;

/// Path to a prebuilt provider binary; when unset, the harness builds it with cargo.
pub const PROVIDER_BIN: &str = "DBRAIL_PROVIDER_BIN";
/// Python interpreter that has moto installed (default `python3`).
pub const PYTHON: &str = "DBRAIL_PYTHON";
/// The terraform CLI to drive (default `terraform` on PATH).
pub const TERRAFORM: &str = "DBRAIL_TERRAFORM";
/// Per-command time limit for terraform, in seconds (default 180).
pub const COMMAND_TIMEOUT_SECS: &str = "DBRAIL_ACC_COMMAND_TIMEOUT_SECS";
/// Time limit for building the provider, in seconds (default 1800: a cold build is slow).
pub const BUILD_TIMEOUT_SECS: &str = "DBRAIL_ACC_BUILD_TIMEOUT_SECS";
/// Time limit for the emulator to become ready, in seconds (default 60).
pub const EMULATOR_START_TIMEOUT_SECS: &str = "DBRAIL_ACC_EMULATOR_START_TIMEOUT_SECS";
/// When set (e.g. `TRACE`), terraform runs with `TF_LOG` at that level, logging to a file per
/// command in the workspace's `logs/` directory.
pub const TF_LOG: &str = "DBRAIL_ACC_TF_LOG";
/// When set to `1`, temp dirs (workspaces, mirrors, emulator logs) are kept and their paths
/// printed, for a post-mortem.
pub const KEEP_TEMP: &str = "DBRAIL_ACC_KEEP";

/// The value of a knob, if set and non-empty.
pub fn get(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A duration knob in whole seconds, or `default` when unset or unparsable.
pub fn secs(name: &str, default: u64) -> Duration {
    Duration::from_secs(
        get(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&s| s > 0)
            .unwrap_or(default),
    )
}

/// True when temp dirs should be kept.
pub fn keep_temp() -> bool {
    get(KEEP_TEMP).is_some_and(|v| v.trim() == "1")
}

/// Creates a temp dir with a recognizable prefix, kept on disk when [`KEEP_TEMP`] is set.
pub(crate) fn temp_dir(prefix: &str) -> Result<tempfile::TempDir, crate::HarnessError> {
    let mut dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| crate::HarnessError::io("creating a temp dir", e))?;
    if keep_temp() {
        dir.disable_cleanup(true);
        eprintln!("[dbrail-acc] keeping {}", dir.path().display());
    }
    Ok(dir)
}
