//! Asks terraform for the provider's schema.
//!
//! `terraform providers schema -json` is run in an empty temporary directory whose only
//! configuration requires `dbrail/dbrail`, with a private CLI configuration whose
//! `dev_overrides` point at the given provider binary. With an override terraform starts the
//! binary directly, so no `terraform init`, registry, mirror or network is involved, and the
//! caller's own CLI configuration, plugin cache and `TF_*` variables cannot change the result:
//! the environment is cleared except for `PATH` and the locale.

use crate::error::DocgenError;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long terraform may take to start the provider and print its schema.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The JSON text of `terraform providers schema -json` for the provider binary `provider`
/// (registered as `dbrail/dbrail`). `terraform` names the terraform executable.
pub fn provider_schema_json(terraform: &str, provider: &Path) -> Result<Vec<u8>, DocgenError> {
    let provider = provider
        .canonicalize()
        .map_err(|e| DocgenError::io(provider, e))?;
    let bin_dir = provider.parent().ok_or_else(|| DocgenError::Terraform {
        detail: format!("{} has no parent directory", provider.display()),
    })?;
    let dir = tempfile::Builder::new()
        .prefix("dbrail-docgen-")
        .tempdir()
        .map_err(|e| DocgenError::io(std::env::temp_dir(), e))?;
    let cli_config = dir.path().join("terraform.rc");
    let bin_dir = serde_json::to_string(&bin_dir.to_string_lossy())?;
    write(
        &cli_config,
        &format!(
            "provider_installation {{\n  dev_overrides {{\n    \"registry.terraform.io/dbrail/dbrail\" = {bin_dir}\n  }}\n  direct {{}}\n}}\n"
        ),
    )?;
    write(
        &dir.path().join("main.tf"),
        "terraform {\n  required_providers {\n    dbrail = {\n      source = \"dbrail/dbrail\"\n    }\n  }\n}\n",
    )?;
    let stdout_path = dir.path().join("schema.json");
    let stderr_path = dir.path().join("stderr.txt");
    let stdout =
        std::fs::File::create(&stdout_path).map_err(|e| DocgenError::io(&stdout_path, e))?;
    let stderr =
        std::fs::File::create(&stderr_path).map_err(|e| DocgenError::io(&stderr_path, e))?;
    let mut command = Command::new(terraform);
    command
        .args(["providers", "schema", "-json"])
        .current_dir(dir.path())
        .env_clear()
        .envs(
            ["PATH", "LANG", "LC_ALL", "TMPDIR"]
                .into_iter()
                .filter_map(|key| std::env::var_os(key).map(|v| (key, v))),
        )
        .env("HOME", dir.path())
        .env("TF_CLI_CONFIG_FILE", &cli_config)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    let mut child = command.spawn().map_err(|e| DocgenError::Terraform {
        detail: format!("cannot start `{terraform}` ({e}); install terraform 1.11 or newer"),
    })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(DocgenError::Terraform {
                    detail: format!("no answer within {} s", TIMEOUT.as_secs()),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(DocgenError::io(terraform, e)),
        }
    };
    let out = read(&stdout_path)?;
    if !status.success() {
        let err = String::from_utf8_lossy(&read(&stderr_path)?).into_owned();
        return Err(DocgenError::Terraform {
            detail: format!("{status}\n{err}{}", String::from_utf8_lossy(&out)),
        });
    }
    Ok(out)
}

fn write(path: &Path, text: &str) -> Result<(), DocgenError> {
    std::fs::write(path, text).map_err(|e| DocgenError::io(path, e))
}

fn read(path: &Path) -> Result<Vec<u8>, DocgenError> {
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut buf))
        .map_err(|e| DocgenError::io(path, e))?;
    Ok(buf)
}
