//! The provider as a process: how it behaves when started by hand, by Terraform (the go-plugin
//! handshake), in `-debug` mode with Terraform reattaching to it, and what its logs look like
//! once Terraform relays them.
//!
//! The binary is the real one built from this workspace; the Terraform runs are the real CLI
//! against the emulator. Every process a test starts is bounded in time and killed when the
//! test ends (also when it fails), and each test has its own temp dirs, so they run in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use dbrail_acceptance_tests::{
    Emulator, PROVIDER_SOURCE, Workspace, assert_contains, config_header, provider_binary, step,
};

/// go-plugin's magic cookie for Terraform providers.
const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// How long a process that must exit at once may take.
const QUICK: Duration = Duration::from_secs(10);
/// How long the provider may take to print its handshake (or reattach) line.
const STARTUP: Duration = Duration::from_secs(30);
/// How Terraform names the provider in the log lines it relays.
const LOG_NAME: &str = "provider.terraform-provider-dbrail_v0.1.0";

/// A configuration with one `dbrail_parameter_baseline`, as in `parameter_baseline.rs`.
fn config() -> String {
    let header = config_header();
    format!(
        r#"{header}resource "dbrail_parameter_baseline" "pg" {{
  name   = "process-pg16"
  family = "aurora-postgresql16"
  overrides = {{
    "log_min_duration_statement" = {{
      value  = "750"
      reason = "checkout p99 target is 750 ms"
    }}
  }}
}}
"#
    )
}

/// The provider binary with an empty environment (plus PATH) and `vars`.
fn provider_command(args: &[&str], vars: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(provider_binary().unwrap());
    cmd.args(args)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .envs(vars.iter().copied())
        .stdin(Stdio::null());
    cmd
}

/// What a process that ran to completion did.
struct Exited {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

impl Exited {
    fn lines(&self) -> Vec<String> {
        self.stdout
            .lines()
            .chain(self.stderr.lines())
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// Runs `cmd`, which must exit within [`QUICK`]; kills it and fails the test otherwise.
fn run_quick(mut cmd: Command) -> Exited {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > QUICK {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the provider was still running after {QUICK:?}; it must exit at once");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Exited {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        took: started.elapsed(),
    }
}

fn drain(mut reader: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = reader.read_to_string(&mut text);
        text
    })
}

/// A provider process that keeps running; killed when dropped.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: PathBuf,
    _dir: tempfile::TempDir,
}

impl Running {
    /// Starts `cmd` with stdout read line by line and stderr going to a file.
    fn start(mut cmd: Command) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let stderr = dir.path().join("provider.stderr");
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines,
            stderr,
            _dir: dir,
        }
    }

    /// The first stdout line satisfying `wanted`, waiting at most [`STARTUP`].
    fn wait_for_line(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + STARTUP;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if wanted(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => panic!(
                    "no expected line on the provider's stdout within {STARTUP:?} \
                     (exit status {:?}); stdout so far: {seen:#?}; stderr: {}",
                    self.child.try_wait().ok().flatten(),
                    self.stderr()
                ),
            }
        }
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Sends `signal` (e.g. `INT`) to the process.
    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args(["-s", signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -s {signal} failed");
    }

    /// Waits (bounded) for the process to exit on its own; its exit code.
    fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "the provider was still running {limit:?} later; stderr: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the process (SIGKILL) and reaps it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}

/// True when `path` is a unix socket.
fn is_socket(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Starts the provider as Terraform would (cookie, protocol 6, no TLS), with its socket in
/// `socket_dir`, and returns it with the handshake line it printed.
fn start_managed(socket_dir: &Path, vars: &[(&str, &str)]) -> (Running, String) {
    let dir = socket_dir.to_string_lossy().into_owned();
    let mut all = vec![
        ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
        ("PLUGIN_PROTOCOL_VERSIONS", "6"),
        ("PLUGIN_UNIX_SOCKET_DIR", dir.as_str()),
    ];
    all.extend_from_slice(vars);
    let mut running = Running::start(provider_command(&[], &all));
    let line = running.wait_for_line(|_| true);
    (running, line)
}

#[test]
fn started_by_hand_it_explains_itself_in_one_line_and_exits() {
    let out = run_quick(provider_command(&[], &[]));
    assert_ne!(out.code, Some(0), "must exit non-zero");
    assert!(out.code.is_some(), "must exit, not be killed");
    assert!(out.took < Duration::from_secs(5), "took {:?}", out.took);
    let lines = out.lines();
    assert_eq!(lines.len(), 1, "exactly one line, got {lines:#?}");
    let line = &lines[0];
    assert!(line.contains("Terraform"), "{line}");
    assert!(line.contains("-debug"), "{line}");

    step("a wrong cookie is the same as none");
    let out = run_quick(provider_command(
        &[],
        &[("TF_PLUGIN_MAGIC_COOKIE", "not-the-cookie")],
    ));
    assert_ne!(out.code, Some(0));
    assert_eq!(out.lines().len(), 1, "{:#?}", out.lines());
    assert!(out.lines()[0].contains("-debug"));
}

#[test]
fn a_terraform_speaking_only_protocol_5_is_told_protocol_6_is_needed() {
    let out = run_quick(provider_command(
        &[],
        &[
            ("TF_PLUGIN_MAGIC_COOKIE", COOKIE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5"),
        ],
    ));
    assert_ne!(out.code, Some(0), "must exit non-zero");
    assert!(out.code.is_some(), "must exit, not be killed");
    assert!(
        out.stderr.contains("version 6"),
        "the message must name protocol 6: {:?}",
        out.stderr
    );
    assert!(
        out.stdout.trim().is_empty(),
        "no handshake line on stdout: {:?}",
        out.stdout
    );
}

#[test]
fn the_handshake_line_names_a_live_unix_socket() {
    let socket_dir = tempfile::tempdir().unwrap();
    let sentinel = socket_dir.path().join("keep-me");
    std::fs::write(&sentinel, "not the provider's").unwrap();

    let (mut provider, line) = start_managed(socket_dir.path(), &[]);
    let fields: Vec<&str> = line.split('|').collect();
    assert_eq!(fields.len(), 6, "six fields: {line:?}");
    assert_eq!(&fields[..3], ["1", "6", "unix"], "{line:?}");
    assert_eq!(fields[4], "grpc", "{line:?}");
    assert_eq!(
        fields[5], "",
        "no certificate without PLUGIN_CLIENT_CERT: {line:?}"
    );
    let socket = PathBuf::from(fields[3]);
    assert_eq!(
        socket.parent(),
        Some(socket_dir.path()),
        "the socket must be in PLUGIN_UNIX_SOCKET_DIR: {line:?}"
    );
    assert!(is_socket(&socket), "{} is not a socket", socket.display());
    std::os::unix::net::UnixStream::connect(&socket)
        .unwrap_or_else(|e| panic!("nothing accepts connections on {}: {e}", socket.display()));
    assert!(provider.is_running());

    step("Ctrl-C reaches the whole process group; Terraform, not SIGINT, stops the provider");
    provider.signal("INT");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        provider.is_running(),
        "SIGINT killed a provider Terraform started"
    );
    std::os::unix::net::UnixStream::connect(&socket).unwrap();

    step("killing the provider removes nothing it did not create");
    provider.kill();
    assert!(
        sentinel.exists(),
        "the provider removed a file it did not create"
    );
    let left: Vec<String> = entries(socket_dir.path())
        .into_iter()
        .filter(|n| n != "keep-me")
        .collect();
    let socket_name = socket.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        left.is_empty() || left == [socket_name],
        "the provider created more than its socket: {left:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&sentinel).unwrap(),
        "not the provider's"
    );
}

#[test]
fn the_provider_logs_hclog_json_only_when_asked() {
    step("without TF_LOG: not a byte on stderr");
    let dir = tempfile::tempdir().unwrap();
    let (mut quiet, _) = start_managed(dir.path(), &[]);
    // Give a (wrongly) chatty provider the time to say something.
    std::thread::sleep(Duration::from_millis(300));
    quiet.kill();
    assert_eq!(
        quiet.stderr(),
        "",
        "the provider must stay silent without TF_LOG"
    );

    step("with TF_LOG=info: JSON lines in the shape Terraform relays");
    let dir = tempfile::tempdir().unwrap();
    let (mut chatty, _) = start_managed(dir.path(), &[("TF_LOG", "info")]);
    let deadline = Instant::now() + STARTUP;
    while !chatty
        .stderr()
        .contains("serving Terraform plugin protocol 6")
    {
        assert!(
            Instant::now() < deadline,
            "no startup log line: {:?}",
            chatty.stderr()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    chatty.kill();
    let stderr = chatty.stderr();
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        let json: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line:?}"));
        for key in ["@level", "@message", "@module", "@timestamp"] {
            assert!(json[key].is_string(), "{key} missing in {line}");
        }
        assert_ne!(
            json["@level"], "debug",
            "TF_LOG=info must drop debug: {line}"
        );
    }
    let start: serde_json::Value = stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|j| j["@message"] == "serving Terraform plugin protocol 6")
        .unwrap();
    assert_eq!(start["@level"], "info");
    assert_eq!(start["tls"], false);
}

#[test]
fn debug_mode_prints_reattach_config_and_terraform_plans_through_it() {
    let emulator = Emulator::start().unwrap();
    let mut ws = Workspace::new(&[("main.tf", &config())], &emulator).unwrap();

    step("start the provider with -debug, in the environment terraform would give it");
    let env = ws.env();
    let socket_dir = tempfile::tempdir().unwrap();
    let socket_dir_text = socket_dir.path().to_string_lossy().into_owned();
    let mut cmd = provider_command(
        &["-debug"],
        &[
            ("TF_LOG", "debug"),
            ("PLUGIN_UNIX_SOCKET_DIR", socket_dir_text.as_str()),
        ],
    );
    cmd.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .current_dir(ws.dir());
    let mut provider = Running::start(cmd);
    let line = provider.wait_for_line(|l| l.contains("TF_REATTACH_PROVIDERS="));
    let value = line
        .trim()
        .strip_prefix("TF_REATTACH_PROVIDERS='")
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not TF_REATTACH_PROVIDERS='…': {line:?}"));
    let reattach: serde_json::Value = serde_json::from_str(value)
        .unwrap_or_else(|e| panic!("the reattach value is not JSON ({e}): {value}"));
    let entry = &reattach[PROVIDER_SOURCE];
    assert_eq!(entry["Protocol"], "grpc", "{reattach:#}");
    assert_eq!(entry["ProtocolVersion"], 6, "{reattach:#}");
    assert_eq!(entry["Pid"], provider.child.id(), "{reattach:#}");
    assert_eq!(entry["Addr"]["Network"], "unix", "{reattach:#}");
    let socket = PathBuf::from(entry["Addr"]["String"].as_str().unwrap());
    assert!(is_socket(&socket), "{} is not a socket", socket.display());

    step("terraform plans through the reattached provider");
    ws.set_env("TF_REATTACH_PROVIDERS", value);
    ws.init().unwrap();
    let plan = ws.plan_detailed().unwrap().expect_changes().unwrap();
    assert_contains(&plan.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert!(
        provider.stderr().contains("configuring provider"),
        "the plan did not go through the debug process; its stderr:\n{}",
        provider.stderr()
    );
    assert!(
        provider.is_running(),
        "terraform must leave a debug provider running"
    );

    step("a second command reuses the same process");
    ws.plan_detailed().unwrap().expect_changes().unwrap();
    assert!(provider.is_running());

    step("Ctrl-C stops the debug provider cleanly, removing its socket");
    provider.signal("INT");
    let code = provider.wait_exit(QUICK);
    assert_eq!(code, Some(0), "stderr: {}", provider.stderr());
    assert!(!socket.exists(), "{} was left behind", socket.display());
}

#[test]
fn tf_log_debug_shows_the_providers_own_lines_with_their_levels() {
    let emulator = Emulator::start().unwrap();
    let mut ws = Workspace::new(&[("main.tf", &config())], &emulator).unwrap();
    ws.init().unwrap();
    ws.set_env("TF_LOG", "debug");
    let plan = ws.plan_detailed().unwrap().expect_changes().unwrap();
    let stderr = &plan.stderr;
    let provider_lines: Vec<&str> = stderr.lines().filter(|l| l.contains(LOG_NAME)).collect();
    // hclog pads the level tag: `[INFO]  provider...`, `[DEBUG] provider...`.
    let has = |level: &str, message: &str| {
        provider_lines.iter().any(|l| {
            l.split_once(&format!("[{level}]"))
                .is_some_and(|(_, rest)| {
                    rest.trim_start()
                        .starts_with(&format!("{LOG_NAME}: {message}"))
                })
        })
    };
    assert!(
        has("DEBUG", "configuring provider"),
        "no relayed debug line from the provider; its lines were:\n{}",
        provider_lines.join("\n")
    );
    assert!(
        has("INFO", "configured AWS access"),
        "no relayed info line from the provider; its lines were:\n{}",
        provider_lines.join("\n")
    );
    assert!(
        has("INFO", "serving Terraform plugin protocol 6"),
        "no relayed startup line; the provider's lines were:\n{}",
        provider_lines.join("\n")
    );
    assert!(
        !stderr.contains("stack backtrace"),
        "a backtrace reached terraform's log:\n{stderr}"
    );
    assert!(
        !provider_lines.iter().any(|l| l.contains("{\"@level\"")),
        "terraform relayed raw JSON instead of parsed log lines:\n{}",
        provider_lines.join("\n")
    );
}

#[test]
fn without_tf_log_terraform_shows_no_provider_log_lines() {
    let emulator = Emulator::start().unwrap();
    let ws = Workspace::new(&[("main.tf", &config())], &emulator).unwrap();
    ws.init().unwrap();
    let plan = ws.plan_detailed().unwrap().expect_changes().unwrap();
    for text in [&plan.stdout, &plan.stderr] {
        for line in text.lines() {
            assert!(
                !line.contains("\"@level\"")
                    && !line.contains("\"@message\"")
                    && !line.contains(LOG_NAME),
                "a provider log line reached terraform's output: {line}\nstderr:\n{}",
                plan.stderr
            );
        }
    }
    assert!(!plan.stderr.contains("stack backtrace"), "{}", plan.stderr);
}

#[test]
fn terraform_shuts_the_provider_down_and_its_socket_goes_with_it() {
    // Terraform stops a provider through go-plugin's controller once a command is done; the
    // provider then exits cleanly and removes its socket rather than leaving it behind.
    let emulator = Emulator::start().unwrap();
    let mut ws = Workspace::new(&[("main.tf", &config())], &emulator).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    ws.set_env("TMPDIR", tmp.path().to_string_lossy());
    ws.init().unwrap();

    // Terraform shows what a provider printed before its handshake only in its own log.
    ws.set_env("TF_LOG", "debug");

    step("the provider binds its socket in the TMPDIR terraform passes on");
    ws.set_env("TMPDIR", tmp.path().join("missing").to_string_lossy());
    let failed = ws.plan_detailed().unwrap().expect_error().unwrap();
    assert_contains(&failed.stderr, "could not open the plugin socket");

    step("a plan starts and stops the provider several times and leaves no socket");
    ws.set_env("TMPDIR", tmp.path().to_string_lossy());
    let plan = ws.plan_detailed().unwrap().expect_changes().unwrap();
    let started = plan
        .stderr
        .matches("serving Terraform plugin protocol 6")
        .count();
    let stopped = plan
        .stderr
        .matches("Terraform asked the provider to shut down")
        .count();
    assert!(started >= 2, "{}", plan.stderr);
    assert_eq!(
        started, stopped,
        "every provider process must be shut down gracefully"
    );
    let leftovers: Vec<String> = entries(tmp.path())
        .into_iter()
        .filter(|n| n.starts_with("dbrail-plugin-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "sockets left behind in TMPDIR: {leftovers:?}"
    );
}
