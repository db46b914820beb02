//! A terraform working directory, and the real `terraform` CLI run in it.
//!
//! Each [`Workspace`] is a temp dir of its own (configuration, `.terraform/`, state, a private
//! `HOME`, and the logs of every command), so tests never share terraform state.
//!
//! Terraform runs with a clean environment: nothing leaks in from the developer's shell or CI
//! (no `TF_LOG`, `TF_CLI_CONFIG_FILE`, `AWS_PROFILE`, proxies...). It gets only what the harness
//! sets: the CLI configuration that installs dbrail from the test mirror, automation switches,
//! dummy credentials, and `AWS_ENDPOINT_URL` pointing at the test's emulator. The provider
//! honours the AWS SDK's standard endpoint variable, so configurations under test need no edit
//! to talk to the emulator. Every command has a time limit, and every failure carries the
//! command, its exit code and everything it printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::CommandFailure;
use crate::provider::{ProviderMirror, write};
use crate::{Emulator, HarnessError, knobs, process};

/// The region every test runs in.
pub const REGION: &str = "us-east-1";
/// Dummy credentials the emulator accepts.
pub const ACCESS_KEY_ID: &str = "testing";
/// Dummy credentials the emulator accepts.
pub const SECRET_ACCESS_KEY: &str = "testing";
/// Per-command time limit unless `DBRAIL_ACC_COMMAND_TIMEOUT_SECS` says otherwise.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(180);
/// Variables passed through from the test process (none of them is terraform's or AWS's).
const PASSTHROUGH: &[&str] = &[
    "PATH",
    "TMPDIR",
    "LANG",
    "LC_ALL",
    "RUST_BACKTRACE",
    "RUST_LOG",
];

/// What one terraform command did.
#[derive(Debug, Clone)]
pub struct Output {
    /// The command line, as run.
    pub command: String,
    /// Where it ran.
    pub dir: PathBuf,
    /// Exit code; `None` when ended by a signal.
    pub code: Option<i32>,
    /// Everything on stdout.
    pub stdout: String,
    /// Everything on stderr.
    pub stderr: String,
}

impl Output {
    /// True when the command exited 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// stdout followed by stderr, for assertions that do not care which stream.
    pub fn combined(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Turns this output into a rich error, saying what was expected instead.
    pub fn into_error(self, expected: impl Into<String>) -> HarnessError {
        HarnessError::CommandFailed(Box::new(CommandFailure {
            command: self.command,
            dir: self.dir,
            code: self.code,
            expected: expected.into(),
            stdout: self.stdout,
            stderr: self.stderr,
        }))
    }

    /// Ok when the exit code is `code`, else the rich error.
    pub fn expect_code(self, code: i32) -> Result<Self, HarnessError> {
        if self.code == Some(code) {
            Ok(self)
        } else {
            Err(self.into_error(format!("exit code {code}")))
        }
    }
}

/// The outcome of `terraform plan -detailed-exitcode`.
#[derive(Debug, Clone)]
pub enum PlanResult {
    /// Exit code 0: infrastructure matches the configuration.
    NoChanges(Output),
    /// Exit code 2: the plan has changes.
    Changes(Output),
    /// Exit code 1: the plan failed (diagnostics on stderr).
    Error(Output),
}

impl PlanResult {
    /// The command's output, whatever the outcome.
    pub fn output(&self) -> &Output {
        match self {
            Self::NoChanges(o) | Self::Changes(o) | Self::Error(o) => o,
        }
    }

    /// Ok with the output when the plan is empty, else an error showing the plan.
    pub fn expect_no_changes(self) -> Result<Output, HarnessError> {
        match self {
            Self::NoChanges(o) => Ok(o),
            Self::Changes(o) | Self::Error(o) => Err(o.into_error("exit code 0 (no changes)")),
        }
    }

    /// Ok with the output when the plan has changes, else an error showing the plan.
    pub fn expect_changes(self) -> Result<Output, HarnessError> {
        match self {
            Self::Changes(o) => Ok(o),
            Self::NoChanges(o) | Self::Error(o) => Err(o.into_error("exit code 2 (changes)")),
        }
    }

    /// Ok with the output when the plan failed, else an error showing the plan.
    pub fn expect_error(self) -> Result<Output, HarnessError> {
        match self {
            Self::Error(o) => Ok(o),
            Self::NoChanges(o) | Self::Changes(o) => {
                Err(o.into_error("exit code 1 (the plan must fail)"))
            }
        }
    }
}

/// A terraform working directory bound to one emulator.
#[derive(Debug)]
pub struct Workspace {
    root: tempfile::TempDir,
    work: PathBuf,
    home: PathBuf,
    logs: PathBuf,
    cli_config: PathBuf,
    endpoint: String,
    terraform: String,
    timeout: Duration,
    extra_env: Vec<(String, String)>,
    seq: AtomicU32,
    /// Keeps the mirror (and so the installed provider) alive as long as the workspace.
    _mirror: Option<Arc<ProviderMirror>>,
}

impl Workspace {
    /// A workspace whose terraform installs the dbrail provider built from this workspace.
    pub fn new(files: &[(&str, &str)], emulator: &Emulator) -> Result<Self, HarnessError> {
        Self::with_mirror(files, emulator, Arc::new(ProviderMirror::dbrail()?))
    }

    /// A workspace whose terraform installs `dbrail/dbrail` from the given mirror.
    pub fn with_mirror(
        files: &[(&str, &str)],
        emulator: &Emulator,
        mirror: Arc<ProviderMirror>,
    ) -> Result<Self, HarnessError> {
        let cli_config = mirror.cli_config().to_path_buf();
        Self::create(files, emulator, Some(mirror), Some(cli_config))
    }

    /// A workspace for configurations that need no provider but terraform's built-ins.
    pub fn without_provider(
        files: &[(&str, &str)],
        emulator: &Emulator,
    ) -> Result<Self, HarnessError> {
        Self::create(files, emulator, None, None)
    }

    /// A workspace (with the dbrail provider) holding copies of the files directly inside
    /// `fixture` (not recursive).
    pub fn from_fixture_dir(fixture: &Path, emulator: &Emulator) -> Result<Self, HarnessError> {
        let ws = Self::new(&[], emulator)?;
        let entries = std::fs::read_dir(fixture)
            .map_err(|e| HarnessError::io(format!("reading {}", fixture.display()), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| HarnessError::io("reading a fixture dir", e))?;
            if entry.path().is_file() {
                let target = ws.work.join(entry.file_name());
                std::fs::copy(entry.path(), &target)
                    .map_err(|e| HarnessError::io(format!("copying to {}", target.display()), e))?;
            }
        }
        Ok(ws)
    }

    fn create(
        files: &[(&str, &str)],
        emulator: &Emulator,
        mirror: Option<Arc<ProviderMirror>>,
        cli_config: Option<PathBuf>,
    ) -> Result<Self, HarnessError> {
        let root = knobs::temp_dir("dbrail-workspace-")?;
        let work = root.path().join("work");
        let home = root.path().join("home");
        let logs = root.path().join("logs");
        for dir in [&work, &home, &logs] {
            std::fs::create_dir_all(dir)
                .map_err(|e| HarnessError::io(format!("creating {}", dir.display()), e))?;
        }
        let cli_config = match cli_config {
            Some(path) => path,
            None => {
                // Still a harness-owned file: the developer's own CLI config must not apply.
                let path = root.path().join("terraform.rc");
                write(
                    &path,
                    "# Written by the dbrail acceptance-test harness: defaults.\n",
                )?;
                path
            }
        };
        let ws = Self {
            root,
            work,
            home,
            logs,
            cli_config,
            endpoint: emulator.endpoint(),
            terraform: knobs::get(knobs::TERRAFORM).unwrap_or_else(|| "terraform".to_owned()),
            timeout: knobs::secs(
                knobs::COMMAND_TIMEOUT_SECS,
                DEFAULT_COMMAND_TIMEOUT.as_secs(),
            ),
            extra_env: Vec::new(),
            seq: AtomicU32::new(0),
            _mirror: mirror,
        };
        for (name, content) in files {
            ws.write_file(name, content)?;
        }
        Ok(ws)
    }

    /// The working directory terraform runs in.
    pub fn dir(&self) -> &Path {
        &self.work
    }

    /// The directory holding each command's stdout and stderr (and TF_LOG files).
    pub fn logs_dir(&self) -> &Path {
        &self.logs
    }

    /// The temp dir holding everything of this workspace.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The CLI configuration terraform is given.
    pub fn cli_config(&self) -> &Path {
        &self.cli_config
    }

    /// The emulator endpoint terraform (and so the provider) is pointed at.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Changes the per-command time limit.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Adds (or overrides) one variable of terraform's environment, e.g. `TF_LOG`.
    pub fn set_env(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        self.extra_env.retain(|(k, _)| *k != key);
        self.extra_env.push((key, value.into()));
    }

    /// Writes (or replaces) a file in the working directory, e.g. to change `main.tf`.
    pub fn write_file(&self, name: &str, content: &str) -> Result<(), HarnessError> {
        write(&self.work.join(name), content)
    }

    /// Removes a file from the working directory.
    pub fn remove_file(&self, name: &str) -> Result<(), HarnessError> {
        let path = self.work.join(name);
        std::fs::remove_file(&path)
            .map_err(|e| HarnessError::io(format!("removing {}", path.display()), e))
    }

    /// Reads a file of the working directory.
    pub fn read_file(&self, name: &str) -> Result<String, HarnessError> {
        let path = self.work.join(name);
        std::fs::read_to_string(&path)
            .map_err(|e| HarnessError::io(format!("reading {}", path.display()), e))
    }

    /// The complete environment terraform runs with (before per-command `TF_LOG_PATH`).
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = PASSTHROUGH
            .iter()
            .filter_map(|k| std::env::var(k).ok().map(|v| ((*k).to_owned(), v)))
            .collect();
        if !env.iter().any(|(k, _)| k == "PATH") {
            env.push(("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()));
        }
        let home = self.home.to_string_lossy().into_owned();
        let cli_config = self.cli_config.to_string_lossy().into_owned();
        for (k, v) in [
            ("HOME", home.as_str()),
            ("TF_CLI_CONFIG_FILE", cli_config.as_str()),
            ("TF_IN_AUTOMATION", "1"),
            ("TF_INPUT", "0"),
            ("CHECKPOINT_DISABLE", "1"),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY),
            ("AWS_REGION", REGION),
            ("AWS_ENDPOINT_URL", self.endpoint.as_str()),
            // Never probe instance metadata for credentials or region: slow, and not ours.
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ] {
            env.push((k.to_owned(), v.to_owned()));
        }
        for (k, v) in &self.extra_env {
            env.retain(|(key, _)| key != k);
            env.push((k.clone(), v.clone()));
        }
        env
    }

    /// Runs `terraform <args>` and returns what it did, whatever its exit code.
    /// Errors only when it could not run or ran past the time limit (and was killed).
    pub fn run(&self, args: &[&str]) -> Result<Output, HarnessError> {
        let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        // Logs are named after the subcommand, also when global options (`-chdir=...`) precede it.
        let label = args
            .iter()
            .copied()
            .find(|a| !a.starts_with('-'))
            .unwrap_or("terraform");
        let stem = format!("{seq:03}-{label}");
        let display = process::display(&self.terraform, args);

        let mut cmd = Command::new(&self.terraform);
        cmd.args(args).env_clear().envs(self.env());
        if let Some(level) = knobs::get(knobs::TF_LOG)
            && !self.extra_env.iter().any(|(k, _)| k == "TF_LOG")
        {
            cmd.env("TF_LOG", level)
                .env("TF_LOG_PATH", self.logs.join(format!("{stem}.tflog")));
        }
        let finished = process::run_bounded(
            cmd,
            &process::Bounds {
                display: &display,
                dir: &self.work,
                stdout: &self.logs.join(format!("{stem}.stdout")),
                stderr: &self.logs.join(format!("{stem}.stderr")),
                timeout: self.timeout,
                missing_hint: "Install the terraform CLI (1.11 or newer) or set DBRAIL_TERRAFORM.",
            },
        )?;
        Ok(Output {
            command: display,
            dir: self.work.clone(),
            code: finished.code,
            stdout: finished.stdout,
            stderr: finished.stderr,
        })
    }

    /// Runs `terraform <args>` and requires exit code 0.
    pub fn run_ok(&self, args: &[&str]) -> Result<Output, HarnessError> {
        self.run(args)?.expect_code(0)
    }

    /// `terraform init`: installs providers (dbrail from the test mirror).
    pub fn init(&self) -> Result<Output, HarnessError> {
        self.run_ok(&["init", "-input=false", "-no-color"])
    }

    /// `terraform plan -detailed-exitcode`, classified by its exit code (0, 2, 1).
    pub fn plan_detailed(&self) -> Result<PlanResult, HarnessError> {
        let out = self.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"])?;
        match out.code {
            Some(0) => Ok(PlanResult::NoChanges(out)),
            Some(2) => Ok(PlanResult::Changes(out)),
            Some(1) => Ok(PlanResult::Error(out)),
            _ => Err(out.into_error("exit code 0, 1 or 2 from plan -detailed-exitcode")),
        }
    }

    /// `terraform apply -auto-approve`; requires success.
    pub fn apply(&self) -> Result<Output, HarnessError> {
        self.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `terraform destroy -auto-approve`; requires success.
    pub fn destroy(&self) -> Result<Output, HarnessError> {
        self.run_ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `terraform import ADDR ID`; requires success.
    pub fn import(&self, address: &str, id: &str) -> Result<Output, HarnessError> {
        self.run_ok(&["import", "-input=false", "-no-color", address, id])
    }

    /// `terraform show -json`: the state as terraform's JSON representation.
    pub fn show_json(&self) -> Result<serde_json::Value, HarnessError> {
        self.json(&["show", "-json", "-no-color"])
    }

    /// `terraform output -json`: every root output with its value and type.
    pub fn output_json(&self) -> Result<serde_json::Value, HarnessError> {
        self.json(&["output", "-json", "-no-color"])
    }

    /// `terraform state pull`: the raw state document (attributes as the provider stored them).
    pub fn state_json(&self) -> Result<serde_json::Value, HarnessError> {
        self.json(&["state", "pull"])
    }

    /// `terraform version -json`.
    pub fn version_json(&self) -> Result<serde_json::Value, HarnessError> {
        self.json(&["version", "-json"])
    }

    fn json(&self, args: &[&str]) -> Result<serde_json::Value, HarnessError> {
        let out = self.run_ok(args)?;
        serde_json::from_str(&out.stdout).map_err(|source| HarnessError::Json {
            command: out.command,
            source,
            text: out.stdout,
        })
    }
}
