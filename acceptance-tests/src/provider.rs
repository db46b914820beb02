//! The provider under test, and how terraform finds it.
//!
//! Terraform installs providers only from a registry or a mirror. The harness lays out a
//! filesystem mirror (the "unpacked" layout) holding the freshly built binary and writes a CLI
//! configuration that installs `dbrail/dbrail` from that mirror only, so tests exercise exactly
//! the code in this workspace and never reach for the network.
//!
//! The binary is located once per test process: `DBRAIL_PROVIDER_BIN` when set, otherwise
//! `cargo build --workspace --bins` in the workspace root. Concurrent test binaries
//! may each build; cargo's own lock serializes them and the second build is a no-op.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::{HarnessError, knobs, process};

/// The provider's source address as terraform spells it in full.
pub const PROVIDER_SOURCE: &str = "registry.terraform.io/dbrail/dbrail";
/// The opening of every test configuration: `required_providers` for dbrail and an empty
/// provider block (region and endpoint come from `AWS_REGION` / `AWS_ENDPOINT_URL`), laid out as
/// `terraform fmt` would, followed by a blank line.
pub fn config_header() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    dbrail = {{\n      source  = \"{PROVIDER_SHORT_SOURCE}\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n\n# Region and endpoint come from AWS_REGION / AWS_ENDPOINT_URL.\nprovider \"dbrail\" {{}}\n\n"
    )
}

/// The short source address used in `required_providers`.
pub const PROVIDER_SHORT_SOURCE: &str = "dbrail/dbrail";
/// The provider's version: the workspace version, which the provider binary shares.
pub const PROVIDER_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The cargo package (and binary) name of the provider.
pub const PROVIDER_PACKAGE: &str = "terraform-provider-dbrail";

static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();

/// The provider binary: `DBRAIL_PROVIDER_BIN`, or built with cargo (once per process).
pub fn provider_binary() -> Result<PathBuf, HarnessError> {
    BINARY
        .get_or_init(locate)
        .clone()
        .map_err(|detail| HarnessError::Provider { detail })
}

/// The workspace root (the directory holding the workspace's Cargo.toml).
pub fn workspace_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.parent().unwrap_or(crate_dir).to_path_buf()
}

/// Terraform's name for this machine's platform, e.g. `linux_amd64`.
pub fn os_arch() -> Result<String, HarnessError> {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "arm",
        other => {
            return Err(HarnessError::Provider {
                detail: format!("no terraform platform name known for architecture {other}"),
            });
        }
    };
    Ok(format!("{os}_{arch}"))
}

/// A filesystem mirror holding one provider binary, plus a CLI configuration that uses it.
#[derive(Debug)]
pub struct ProviderMirror {
    dir: tempfile::TempDir,
    mirror: PathBuf,
    cli_config: PathBuf,
}

impl ProviderMirror {
    /// A mirror of the dbrail provider built from this workspace.
    pub fn dbrail() -> Result<Self, HarnessError> {
        Self::with_binary(&provider_binary()?)
    }

    /// A mirror serving `binary` as `dbrail/dbrail` at [`PROVIDER_VERSION`].
    pub fn with_binary(binary: &Path) -> Result<Self, HarnessError> {
        let binary = binary.canonicalize().map_err(|e| HarnessError::Provider {
            detail: format!("{}: {e}", binary.display()),
        })?;
        let dir = knobs::temp_dir("dbrail-mirror-")?;
        let mirror = dir.path().join("mirror");
        let platform_dir = mirror
            .join(PROVIDER_SOURCE)
            .join(PROVIDER_VERSION)
            .join(os_arch()?);
        std::fs::create_dir_all(&platform_dir)
            .map_err(|e| HarnessError::io(format!("creating {}", platform_dir.display()), e))?;
        let link = platform_dir.join(format!("{PROVIDER_PACKAGE}_v{PROVIDER_VERSION}"));
        std::os::unix::fs::symlink(&binary, &link)
            .map_err(|e| HarnessError::io(format!("linking {}", link.display()), e))?;

        let cli_config = dir.path().join("terraform.rc");
        write(&cli_config, &cli_config_text(&mirror))?;
        Ok(Self {
            dir,
            mirror,
            cli_config,
        })
    }

    /// The mirror's root directory.
    pub fn path(&self) -> &Path {
        &self.mirror
    }

    /// The CLI configuration file to hand terraform as `TF_CLI_CONFIG_FILE`.
    pub fn cli_config(&self) -> &Path {
        &self.cli_config
    }

    /// The temp dir holding mirror and configuration.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// The CLI configuration: dbrail from the mirror only, everything else as usual (direct).
/// No `plugin_cache_dir`: each working dir installs from the mirror on its own.
pub fn cli_config_text(mirror: &Path) -> String {
    format!(
        "# Written by the dbrail acceptance-test harness.\n\
         provider_installation {{\n  \
           filesystem_mirror {{\n    \
             path    = {path}\n    \
             include = [\"{PROVIDER_SOURCE}\"]\n  \
           }}\n  \
           direct {{\n    \
             exclude = [\"{PROVIDER_SOURCE}\"]\n  \
           }}\n\
         }}\n",
        path = hcl_string(&mirror.to_string_lossy()),
    )
}

/// Quotes a string for HCL (JSON escaping is a valid subset for plain paths; `${` and `%{`
/// are escaped so a path is never read as a template).
pub fn hcl_string(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_owned()).to_string();
    quoted.replace("${", "$${").replace("%{", "%%{")
}

pub(crate) fn write(path: &Path, content: &str) -> Result<(), HarnessError> {
    std::fs::write(path, content)
        .map_err(|e| HarnessError::io(format!("writing {}", path.display()), e))
}

fn locate() -> Result<PathBuf, String> {
    if let Some(path) = knobs::get(knobs::PROVIDER_BIN) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "{} points at {}, which is not a file",
                knobs::PROVIDER_BIN,
                path.display()
            ))
        };
    }
    build()
}

fn build() -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let root = workspace_root();
    let logs = knobs::temp_dir("dbrail-provider-build-").map_err(|e| e.to_string())?;
    // The whole workspace's binaries, as `make test` builds them: cargo unifies dependency
    // features over the packages selected, so building the provider alone would compile the
    // AWS SDK a second time with other features.
    let args = [
        "build",
        "--workspace",
        "--bins",
        "--message-format=json-render-diagnostics",
    ];
    let display = process::display(&cargo, &args);
    let mut cmd = Command::new(&cargo);
    cmd.args(args);
    let finished = process::run_bounded(
        cmd,
        &process::Bounds {
            display: &display,
            dir: &root,
            stdout: &logs.path().join("build.stdout"),
            stderr: &logs.path().join("build.stderr"),
            timeout: knobs::secs(knobs::BUILD_TIMEOUT_SECS, 1800),
            missing_hint: "Install Rust with rustup, or set DBRAIL_PROVIDER_BIN.",
        },
    )
    .map_err(|e| e.to_string())?;
    if finished.code != Some(0) {
        return Err(format!(
            "`{display}` failed ({:?}) in {}:\n{}",
            finished.code,
            root.display(),
            finished.stderr
        ));
    }
    executable_from_messages(&finished.stdout).ok_or_else(|| {
        format!(
            "`{display}` succeeded but reported no executable for {PROVIDER_PACKAGE}:\n{}",
            finished.stderr
        )
    })
}

/// Finds the provider's executable in cargo's JSON messages.
fn executable_from_messages(stdout: &str) -> Option<PathBuf> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == PROVIDER_PACKAGE)
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .next_back()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_executable_in_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"dbrail-rules"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"terraform-provider-dbrail"},"executable":"/t/debug/terraform-provider-dbrail"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executable_from_messages(messages),
            Some(PathBuf::from("/t/debug/terraform-provider-dbrail"))
        );
        assert_eq!(executable_from_messages(""), None);
    }

    #[test]
    fn cli_config_installs_dbrail_from_the_mirror_only() {
        let text = cli_config_text(Path::new("/m/ir ror"));
        assert!(text.contains(r#"path    = "/m/ir ror""#), "{text}");
        assert!(text.contains("filesystem_mirror"), "{text}");
        assert!(
            text.contains(r#"exclude = ["registry.terraform.io/dbrail/dbrail"]"#),
            "{text}"
        );
        assert!(!text.contains("plugin_cache_dir"), "{text}");
    }

    #[test]
    fn hcl_strings_escape_templates() {
        assert_eq!(hcl_string(r#"a"b\c${x}"#), r#""a\"b\\c$${x}""#);
    }

    #[test]
    fn platform_name_is_terraforms() {
        let name = os_arch().unwrap();
        assert!(name.contains('_'), "{name}");
        assert!(!name.contains("x86_64"), "{name}");
    }
}
