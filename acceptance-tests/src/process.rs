//! Running a child process to completion within a time limit.
//!
//! Terraform starts the provider as a child of its own, and cargo starts rustc; killing only the
//! direct child on a timeout would leave the grandchildren running. So every bounded command
//! runs in a process group of its own, and a timeout kills the whole group, while its leader has
//! not yet been reaped (so the group id cannot have been reused by then).
//!
//! Output goes to files, not pipes: a grandchild that outlives its parent cannot then keep a
//! reader blocked, and the files stay behind for a post-mortem when temp dirs are kept.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::HarnessError;
use crate::error::CommandTimeout;

/// How a bounded command ended.
#[derive(Debug, Clone)]
pub(crate) struct Finished {
    /// Exit code; `None` when it was ended by a signal.
    pub code: Option<i32>,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr.
    pub stderr: String,
}

/// Where a bounded command writes, and how to describe it in errors.
pub(crate) struct Bounds<'a> {
    /// The command line as shown in errors.
    pub display: &'a str,
    /// Working directory (also shown in errors).
    pub dir: &'a Path,
    /// File receiving stdout.
    pub stdout: &'a Path,
    /// File receiving stderr.
    pub stderr: &'a Path,
    /// Time limit.
    pub timeout: Duration,
    /// Shown when the program is not installed.
    pub missing_hint: &'a str,
}

/// Runs `cmd` to completion, or kills its process group once `bounds.timeout` has passed.
pub(crate) fn run_bounded(mut cmd: Command, bounds: &Bounds<'_>) -> Result<Finished, HarnessError> {
    let stdout = create(bounds.stdout)?;
    let stderr = create(bounds.stderr)?;
    cmd.current_dir(bounds.dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0);
    let mut child = cmd
        .spawn()
        .map_err(|e| spawn_error(&cmd, e, bounds.missing_hint))?;

    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        let status = child
            .try_wait()
            .map_err(|e| HarnessError::io(format!("waiting for `{}`", bounds.display), e))?;
        if let Some(status) = status {
            return Ok(Finished {
                code: status.code(),
                stdout: read_lossy(bounds.stdout),
                stderr: read_lossy(bounds.stderr),
            });
        }
        if started.elapsed() >= bounds.timeout {
            kill_group(&mut child);
            return Err(HarnessError::Timeout(Box::new(CommandTimeout {
                command: bounds.display.to_owned(),
                dir: bounds.dir.to_path_buf(),
                timeout: bounds.timeout,
                stdout: read_lossy(bounds.stdout),
                stderr: read_lossy(bounds.stderr),
            })));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

/// Kills the process group led by `child` (which must not have been reaped yet), then reaps it.
pub(crate) fn kill_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let killed = Command::new("kill")
        .args(["-s", "KILL", "--", &group])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !killed {
        // Fall back to the leader alone; better than leaving it running.
        let _ = child.kill();
    }
    let _ = child.wait();
}

/// Renders a command line for humans: program and arguments, space-separated.
pub(crate) fn display(program: &str, args: &[&str]) -> String {
    std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a file as text, replacing invalid UTF-8; a missing file reads as empty.
pub(crate) fn read_lossy(path: &Path) -> String {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

fn create(path: &Path) -> Result<File, HarnessError> {
    File::create(path).map_err(|e| HarnessError::io(format!("creating {}", path.display()), e))
}

fn spawn_error(cmd: &Command, e: std::io::Error, hint: &str) -> HarnessError {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let detail = if e.kind() == std::io::ErrorKind::NotFound {
        format!("not found on PATH. {hint}")
    } else {
        format!("{e}. {hint}")
    };
    HarnessError::Spawn { program, detail }
}
