//! The harness's one error type.
//!
//! An acceptance test that fails must explain itself without a rerun: every variant carries
//! what was being done and what the other side said (the command line, its exit code, its
//! stdout and stderr; the AWS operation and the SDK's full error chain). `Debug` prints the same
//! text as `Display`, because a test returning `Result<(), HarnessError>` reports its error with
//! `{:?}`, and escaped one-line output would hide exactly the details that matter.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong while driving the emulator, the provider build or terraform.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum HarnessError {
    /// The Python interpreter or moto's server is not installed.
    #[error(
        "the AWS API emulator (moto's server) cannot be started with `{python}`: {detail}\n\
         Install it with: pip install 'moto[server]'\n\
         (or set DBRAIL_PYTHON to an interpreter that has it)"
    )]
    EmulatorMissing {
        /// The interpreter that was tried.
        python: String,
        /// Why it could not be used.
        detail: String,
    },

    /// The emulator process started but never became ready, or died.
    #[error("the AWS API emulator did not start: {detail}\n--- emulator log (tail) ---\n{log}")]
    EmulatorStart {
        /// What went wrong.
        detail: String,
        /// The end of the emulator's own log.
        log: String,
    },

    /// A request to the emulator's control plane (`/moto-api/...`) failed.
    #[error("emulator request `{request}` failed: {detail}")]
    EmulatorRequest {
        /// Method and path.
        request: String,
        /// What went wrong.
        detail: String,
    },

    /// A local I/O operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What the harness was doing.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A program could not be started at all (typically: not installed).
    #[error("could not start `{program}`: {detail}")]
    Spawn {
        /// The program.
        program: String,
        /// Why (including an install hint where one is known).
        detail: String,
    },

    /// The provider binary could not be built or located.
    #[error("the provider binary is not available: {detail}")]
    Provider {
        /// What went wrong, with the build's diagnostics.
        detail: String,
    },

    /// A command ran to completion but its exit code was not the expected one.
    #[error("{0}")]
    CommandFailed(Box<CommandFailure>),

    /// A command did not finish within its time limit and was killed.
    #[error("{0}")]
    Timeout(Box<CommandTimeout>),

    /// A command's output was expected to be JSON and was not.
    #[error("`{command}` did not print the expected JSON: {source}\n--- output ---\n{text}")]
    Json {
        /// The command line.
        command: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
        /// What it printed.
        text: String,
    },

    /// An AWS API call against the emulator failed.
    #[error("AWS call {operation} failed: {detail}")]
    Aws {
        /// Operation and its main argument.
        operation: String,
        /// The SDK's full error chain.
        detail: String,
    },
}

/// A command that exited with an unexpected code: everything needed to see why.
#[derive(Debug, Clone)]
pub struct CommandFailure {
    /// The command line.
    pub command: String,
    /// Its working directory.
    pub dir: PathBuf,
    /// Its exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// What was expected instead, in words.
    pub expected: String,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
}

impl fmt::Display for CommandFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` exited with {} (expected {})\n  in {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command,
            fmt_code(self.code),
            self.expected,
            self.dir.display(),
            self.stdout,
            self.stderr
        )
    }
}

/// A command killed for running past its time limit, with what it had printed by then.
#[derive(Debug, Clone)]
pub struct CommandTimeout {
    /// The command line.
    pub command: String,
    /// Its working directory.
    pub dir: PathBuf,
    /// The limit that was exceeded.
    pub timeout: Duration,
    /// What it had printed on stdout.
    pub stdout: String,
    /// What it had printed on stderr.
    pub stderr: String,
}

impl fmt::Display for CommandTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` timed out after {:?} and was killed\n  in {}\n\
             --- stdout so far ---\n{}\n--- stderr so far ---\n{}",
            self.command,
            self.timeout,
            self.dir.display(),
            self.stdout,
            self.stderr
        )
    }
}

impl fmt::Debug for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl HarnessError {
    /// Wraps an I/O error with what the harness was doing.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    /// True for a command that ran past its time limit.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// True when a required tool (moto, terraform, cargo) is not installed.
    pub fn is_missing_tool(&self) -> bool {
        matches!(self, Self::EmulatorMissing { .. } | Self::Spawn { .. })
    }
}

fn fmt_code(code: Option<i32>) -> String {
    match code {
        Some(code) => format!("exit code {code}"),
        None => "no exit code (killed by a signal)".to_owned(),
    }
}
