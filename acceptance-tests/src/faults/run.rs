//! `terraform apply` running in the background, so a test can act on it mid-way: kill the
//! provider, kill terraform, or press Ctrl-C (SIGINT), at a point the proxy's hold reached.
//!
//! Like every harness command it runs in a process group of its own with its output in files,
//! and it is bounded: [`Background::wait`] kills the group when its time is up, and so does
//! dropping it. Signals are sent by pid with `kill(1)` to processes this handle started (the
//! terraform child, and the provider terraform started), never by name.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{HarnessError, Output, Workspace, knobs, process};

/// The prefix of the provider's process name (`comm`, at most 15 bytes, of
/// `terraform-provider-dbrail_v…`).
const PROVIDER_COMM: &str = "terraform-provi";

/// A terraform command running in the background.
#[derive(Debug)]
pub struct Background {
    child: Option<Child>,
    display: String,
    dir: PathBuf,
    stdout: PathBuf,
    stderr: PathBuf,
    started: Instant,
}

impl Background {
    /// Starts `terraform apply -auto-approve <extra>` in `ws`, with `ws`'s environment.
    pub fn apply(ws: &Workspace, extra: &[&str]) -> Result<Self, HarnessError> {
        let mut args = vec!["apply", "-auto-approve", "-input=false", "-no-color"];
        args.extend_from_slice(extra);
        Self::start(ws, &args)
    }

    /// Starts `terraform <args>` in `ws`.
    pub fn start(ws: &Workspace, args: &[&str]) -> Result<Self, HarnessError> {
        let terraform = knobs::get(knobs::TERRAFORM).unwrap_or_else(|| "terraform".to_owned());
        let display = process::display(&terraform, args);
        static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let stem = format!(
            "bg{seq:03}-{}",
            args.first().copied().unwrap_or("terraform")
        );
        let stdout = ws.logs_dir().join(format!("{stem}.stdout"));
        let stderr = ws.logs_dir().join(format!("{stem}.stderr"));
        let file = |path: &PathBuf| {
            std::fs::File::create(path)
                .map_err(|e| HarnessError::io(format!("creating {}", path.display()), e))
        };
        let mut cmd = Command::new(&terraform);
        cmd.args(args)
            .env_clear()
            .envs(ws.env())
            .current_dir(ws.dir())
            .stdin(Stdio::null())
            .stdout(file(&stdout)?)
            .stderr(file(&stderr)?)
            .process_group(0);
        let child = cmd.spawn().map_err(|e| HarnessError::Spawn {
            program: terraform.clone(),
            detail: e.to_string(),
        })?;
        Ok(Self {
            child: Some(child),
            display,
            dir: ws.dir().to_path_buf(),
            stdout,
            stderr,
            started: Instant::now(),
        })
    }

    /// terraform's pid.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The pids of the dbrail provider processes terraform has started and that still run.
    pub fn provider_pids(&self) -> Vec<u32> {
        let Some(root) = self.pid() else {
            return Vec::new();
        };
        descendants(root)
            .into_iter()
            .filter(|(_, comm)| comm.starts_with(PROVIDER_COMM))
            .map(|(pid, _)| pid)
            .collect()
    }

    /// SIGKILLs the provider terraform is talking to; its pid. Fails when none runs.
    pub fn kill_provider(&self) -> Result<u32, HarnessError> {
        let pids = self.provider_pids();
        let Some(&pid) = pids.first() else {
            return Err(HarnessError::io(
                format!("killing the provider of `{}`", self.display),
                std::io::Error::new(std::io::ErrorKind::NotFound, "no provider process runs"),
            ));
        };
        signal("KILL", &pid.to_string())?;
        Ok(pid)
    }

    /// SIGKILLs terraform alone (its provider is left running, as after an OOM kill).
    pub fn kill_terraform(&self) -> Result<(), HarnessError> {
        let pid = self.pid().ok_or_else(|| gone(&self.display))?;
        signal("KILL", &pid.to_string())
    }

    /// Sends SIGINT to terraform, as Ctrl-C in a terminal does.
    pub fn interrupt(&self) -> Result<(), HarnessError> {
        let pid = self.pid().ok_or_else(|| gone(&self.display))?;
        signal("INT", &pid.to_string())
    }

    /// Time since the command started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Waits for terraform to exit (killing its process group after `timeout`), then kills
    /// whatever of its group is left (a provider orphaned by a killed terraform).
    pub fn wait(mut self, timeout: Duration) -> Result<Output, HarnessError> {
        let Some(mut child) = self.child.take() else {
            return Err(gone(&self.display));
        };
        let started = Instant::now();
        loop {
            let status = child
                .try_wait()
                .map_err(|e| HarnessError::io(format!("waiting for `{}`", self.display), e))?;
            if let Some(status) = status {
                // The group id stays ours until the leader is reaped, which `try_wait` just
                // did; orphans, if any, are found by their parent instead.
                return Ok(Output {
                    command: self.display.clone(),
                    dir: self.dir.clone(),
                    code: status.code(),
                    stdout: process::read_lossy(&self.stdout),
                    stderr: process::read_lossy(&self.stderr),
                });
            }
            if started.elapsed() >= timeout {
                process::kill_group(&mut child);
                return Err(HarnessError::Timeout(Box::new(crate::CommandTimeout {
                    command: self.display.clone(),
                    dir: self.dir.clone(),
                    timeout,
                    stdout: process::read_lossy(&self.stdout),
                    stderr: process::read_lossy(&self.stderr),
                })));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the process group while its leader is unreaped (so the id is still ours).
    pub fn kill_all(&mut self) {
        if let Some(mut child) = self.child.take() {
            process::kill_group(&mut child);
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.kill_all();
    }
}

fn gone(display: &str) -> HarnessError {
    HarnessError::io(
        format!("signalling `{display}`"),
        std::io::Error::new(std::io::ErrorKind::NotFound, "already waited for"),
    )
}

fn signal(name: &str, target: &str) -> Result<(), HarnessError> {
    let status = Command::new("kill")
        .args(["-s", name, "--", target])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| HarnessError::io(format!("kill -s {name} {target}"), e))?;
    if status.success() {
        Ok(())
    } else {
        Err(HarnessError::io(
            format!("kill -s {name} {target}"),
            std::io::Error::other(format!("exited with {status}")),
        ))
    }
}

/// Every live descendant of `root`: pid and process name, from `/proc`.
fn descendants(root: u32) -> Vec<(u32, String)> {
    let mut table = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, comm)) = stat(pid) {
                table.push((pid, ppid, comm));
            }
        }
    }
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for (pid, ppid, comm) in &table {
            if *ppid == parent {
                found.push((*pid, comm.clone()));
                frontier.push(*pid);
            }
        }
    }
    found
}

/// Parent pid and name of `pid`, from `/proc/<pid>/stat` (`pid (comm) state ppid ...`).
fn stat(pid: u32) -> Option<(u32, String)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_owned();
    let ppid = text
        .get(close + 1..)?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((ppid, comm))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_its_own_children_by_parent() {
        let mut child = Command::new("sleep").arg("5").spawn().unwrap();
        let me = std::process::id();
        let found = descendants(me);
        assert!(
            found
                .iter()
                .any(|(pid, comm)| *pid == child.id() && comm == "sleep"),
            "{found:?}"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn reads_names_with_spaces_and_parens() {
        let (ppid, comm) = stat(std::process::id()).unwrap();
        assert!(ppid > 0);
        assert!(!comm.is_empty());
    }
}
