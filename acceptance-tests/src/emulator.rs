//! One AWS API emulator (moto's server) per test, on 127.0.0.1.
//!
//! Each test starts its own emulator, so tests share no AWS state and can run in parallel.
//! The port is chosen by the kernel inside the emulator process itself (bind to port 0) and
//! reported back on stdout, so there is no window in which another process could take it.
//!
//! The emulator never outlives its test: `Drop` kills it (also while a failing test unwinds),
//! and, should the test process be killed outright, the emulator exits on its own when the
//! stdin pipe the test holds is closed by the kernel. A missing moto is an error that names
//! the install command; the harness never skips a test because a tool is absent.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{HarnessError, http, knobs, process};

/// The bootstrap run by the Python interpreter; see the file for why it looks the way it does.
/// The boot script; it imports the extensions beside it in `emulator/`.
const BOOTSTRAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/emulator/boot.py");
const PORT_MARKER: &str = "DBRAIL_EMULATOR_PORT ";
const MISSING_MARKER: &str = "DBRAIL_EMULATOR_MISSING ";
const READINESS_PATH: &str = "/moto-api/";
const RESET_PATH: &str = "/moto-api/reset";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const LOG_TAIL_LINES: usize = 60;

/// A running emulator; killed when dropped.
pub struct Emulator {
    child: Child,
    /// Held open for the emulator's lifetime; its closing tells the emulator to exit.
    stdin: Option<ChildStdin>,
    port: u16,
    log: PathBuf,
    /// Holds the log; removed after the emulator has stopped (fields drop after `drop`).
    _dir: tempfile::TempDir,
}

enum Report {
    Port(u16),
    Missing(String),
    Garbled(String),
}

impl Emulator {
    /// Starts an emulator and waits until it answers HTTP requests. Moto runs under
    /// `DBRAIL_PYTHON`, or `python3` from PATH.
    pub fn start() -> Result<Self, HarnessError> {
        let python = knobs::get(knobs::PYTHON).unwrap_or_else(|| "python3".to_owned());
        Self::start_with_python(&python)
    }

    /// Like [`Emulator::start`], with moto run by the given Python interpreter.
    pub fn start_with_python(python: &str) -> Result<Self, HarnessError> {
        let python = python.to_owned();
        let timeout = knobs::secs(knobs::EMULATOR_START_TIMEOUT_SECS, 60);
        let deadline = Instant::now() + timeout;
        let dir = knobs::temp_dir("dbrail-emulator-")?;
        let log = dir.path().join("emulator.log");
        let log_file = std::fs::File::create(&log)
            .map_err(|e| HarnessError::io(format!("creating {}", log.display()), e))?;

        let mut cmd = Command::new(&python);
        cmd.args(["-u", BOOTSTRAP])
            .env_remove("MOTO_PORT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .process_group(0);
        let mut child = cmd.spawn().map_err(|e| HarnessError::EmulatorMissing {
            python: python.clone(),
            detail: if e.kind() == std::io::ErrorKind::NotFound {
                "the interpreter was not found on PATH".to_owned()
            } else {
                e.to_string()
            },
        })?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        // From here on, `Drop` cleans up on every error path.
        let mut emulator = Emulator {
            child,
            stdin,
            port: 0,
            log,
            _dir: dir,
        };

        let (tx, rx) = mpsc::channel();
        if let Some(stdout) = stdout {
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let report = if let Some(port) = line.strip_prefix(PORT_MARKER) {
                        match port.trim().parse() {
                            Ok(port) => Report::Port(port),
                            Err(_) => Report::Garbled(line.clone()),
                        }
                    } else if let Some(detail) = line.strip_prefix(MISSING_MARKER) {
                        Report::Missing(detail.to_owned())
                    } else {
                        continue;
                    };
                    // The receiver may be gone (start gave up); keep draining regardless.
                    let _ = tx.send(report);
                }
            });
        }

        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Report::Port(port)) => emulator.port = port,
            Ok(Report::Missing(detail)) => {
                return Err(HarnessError::EmulatorMissing { python, detail });
            }
            Ok(Report::Garbled(line)) => {
                return Err(emulator.start_error(format!("unexpected report {line:?}")));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(emulator.start_error(format!("no port reported within {timeout:?}")));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = emulator.child.wait().ok();
                return Err(emulator.start_error(format!(
                    "`{python}` exited ({status:?}) before reporting its port"
                )));
            }
        }

        emulator.wait_ready(deadline, timeout)?;
        Ok(emulator)
    }

    /// The endpoint URL to give to AWS clients, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The TCP port the emulator listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The socket address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// Forgets all emulated AWS state (moto's `/moto-api/reset`).
    pub fn reset(&self) -> Result<(), HarnessError> {
        let response =
            http::request(self.addr(), "POST", RESET_PATH, REQUEST_TIMEOUT).map_err(|e| {
                HarnessError::EmulatorRequest {
                    request: format!("POST {RESET_PATH}"),
                    detail: e.to_string(),
                }
            })?;
        if response.status != 200 {
            return Err(HarnessError::EmulatorRequest {
                request: format!("POST {RESET_PATH}"),
                detail: format!("HTTP {}: {}", response.status, response.body),
            });
        }
        Ok(())
    }

    /// True when the emulator answers its readiness request right now.
    pub fn is_ready(&self) -> bool {
        http::request(self.addr(), "GET", READINESS_PATH, REQUEST_TIMEOUT)
            .is_ok_and(|r| r.status == 200)
    }

    /// The last lines of the emulator's own log (requests, and tracebacks of failed ones:
    /// moto answers an action it does not implement with HTTP 500 and logs why here).
    pub fn log_tail(&self) -> String {
        let text = process::read_lossy(&self.log);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
    }

    fn wait_ready(&mut self, deadline: Instant, timeout: Duration) -> Result<(), HarnessError> {
        loop {
            if self.is_ready() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.start_error(format!("exited ({status}) before it was ready")));
            }
            if Instant::now() >= deadline {
                return Err(self.start_error(format!(
                    "GET {READINESS_PATH} on port {} did not answer 200 within {timeout:?}",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn start_error(&self, detail: String) -> HarnessError {
        HarnessError::EmulatorStart {
            detail,
            log: self.log_tail(),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        drop(self.stdin.take());
        // Kill only while the process is unreaped, so its group id cannot have been reused.
        if let Ok(None) = self.child.try_wait() {
            process::kill_group(&mut self.child);
        }
        if std::thread::panicking() && self.port != 0 {
            eprintln!(
                "[dbrail-acc] emulator on port {} (log tail follows)\n{}",
                self.port,
                self.log_tail()
            );
        }
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint())
            .field("pid", &self.child.id())
            .finish()
    }
}
