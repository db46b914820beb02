//! `dbrail-demo`: runs one example configuration end to end against a local AWS API emulator,
//! the way a user would run it against AWS: `terraform init`, `apply`, `output`, `destroy`.
//!
//! Why a binary, and why this one: `make demo` has to work on a fresh machine with nothing but
//! terraform, Python and Rust, without an AWS account and without touching one. The
//! acceptance-test harness already knows how to do each part safely (start moto with dbrail's
//! extensions on a port the kernel picks, lay the freshly built provider out as a filesystem
//! mirror, give terraform a clean environment whose only AWS endpoint is that emulator), so the
//! demo reuses it rather than re-implementing it in shell, where cleanup on Ctrl-C is fragile.
//!
//! ```text
//! cargo run -p dbrail-acceptance-tests --bin dbrail-demo -- examples/parameter-baseline
//! ```
//!
//! Only the example's configuration files (`*.tf`, `*.tf.json`, `*.tfvars`, `*.tfvars.json`) are
//! copied into a temp working directory: a lock file or state from a real run beside them would
//! not match the locally built provider or the empty emulator. Terraform gets no variable from
//! the caller's environment besides `PATH` and locale (no `AWS_PROFILE`, no real credentials),
//! so the demo cannot reach a real account.
//!
//! Cleanup: the emulator and all temp dirs are dropped when `run` returns, on success and on
//! every error. The first Ctrl-C (or SIGTERM) is forwarded to the running terraform command as
//! an interrupt, so terraform stops its provider cleanly; the demo then skips the remaining steps,
//! cleans up and exits 130. A second Ctrl-C kills the terraform command and exits at once (the
//! emulator then exits by itself, because the stdin pipe the demo held closes).
//!
//! Knobs (see the harness's README): `DBRAIL_PROVIDER_BIN`, `DBRAIL_TERRAFORM`,
//! `DBRAIL_PYTHON`, `DBRAIL_ACC_COMMAND_TIMEOUT_SECS`, and `DBRAIL_ACC_KEEP=1` to keep the
//! working directory and the logs of every command for a post-mortem.

// A demo's whole purpose is to print to the terminal.
#![allow(clippy::print_stdout)]

use std::fs::File;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use dbrail_acceptance_tests::{
    DEFAULT_COMMAND_TIMEOUT, Emulator, Output, ProviderMirror, Workspace, knobs, provider_binary,
    workspace_root,
};

/// How many interrupts (SIGINT or SIGTERM) the demo has received.
static SIGNALS: AtomicU32 = AtomicU32::new(0);
/// Process group of the terraform command now running (0: none).
static RUNNING_GROUP: AtomicU32 = AtomicU32::new(0);
/// How long terraform may take to stop after it was interrupted before it is killed.
const INTERRUPT_GRACE: Duration = Duration::from_secs(20);
/// Exit code after an interrupt (128 + SIGINT), as shells report it.
const EXIT_INTERRUPTED: u8 = 130;
/// Lines of terraform's output worth showing on success (the rest is in the logs).
const SUMMARY_MARKERS: &[&str] = &[
    "- Installed ",
    ": Creation complete",
    ": Modifications complete",
    ": Destruction complete",
    "Apply complete!",
    "Destroy complete!",
];

/// The demo was interrupted; reported with exit code 130.
#[derive(Debug)]
struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted; remaining steps skipped, emulator stopped")
    }
}

impl std::error::Error for Interrupted {}

fn main() -> ExitCode {
    let result = install_signal_handlers().and_then(|()| run());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<Interrupted>() => {
            eprintln!("dbrail-demo: {e}");
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(e) => {
            eprintln!("\ndbrail-demo: FAILED: {e:#}");
            eprintln!(
                "(set DBRAIL_ACC_KEEP=1 to keep the working directory and every command's logs)"
            );
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let example = example_dir()?;
    let files = config_files(&example)?;
    let started = Instant::now();

    step(&format!("Example {}", example.display()));
    for (name, _) in &files {
        println!("    {name}");
    }

    step("Locating the provider binary");
    let binary = provider_binary()?;
    println!("    {}", binary.display());
    check_interrupt()?;

    step("Starting the AWS API emulator (moto, with dbrail's extensions)");
    let emulator = Emulator::start()?;
    println!("    {}", emulator.endpoint());
    check_interrupt()?;

    step("Laying out the provider mirror and a temp working directory");
    let mirror = Arc::new(ProviderMirror::with_binary(&binary)?);
    println!("    mirror {}", mirror.path().display());
    let mut ws = Workspace::with_mirror(&[], &emulator, mirror)?;
    for (name, content) in &files {
        ws.write_file(name, content)?;
    }
    println!("    working dir {}", ws.dir().display());
    supply_emulator_variables(&mut ws, &emulator, &files)?;
    // A guarded example is taken down the deliberate way: guard off in its own apply, then destroy.
    let decommission = files
        .iter()
        .any(|(_, c)| c.contains("variable \"decommission\""));

    let runner = Runner::new(&ws);
    runner.terraform(&["init", "-input=false", "-no-color"])?;
    runner.terraform(&["apply", "-auto-approve", "-input=false", "-no-color"])?;
    let outputs = runner.terraform(&["output", "-no-color"])?;
    println!();
    print!("{}", outputs.stdout);
    println!();
    if decommission {
        runner.terraform(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-var",
            "decommission=true",
        ])?;
        runner.terraform(&[
            "destroy",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-var",
            "decommission=true",
        ])?;
    } else {
        runner.terraform(&["destroy", "-auto-approve", "-input=false", "-no-color"])?;
    }

    step("Stopping the emulator and removing temp dirs");
    drop(ws);
    drop(emulator);
    println!(
        "\nDemo complete in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Examples that need infrastructure from outside Terraform declare it as variables; the
/// emulator supplies it: `subnet_ids` (its default subnets, one per availability zone, up to
/// three) and `kms_key_id` (a key it creates).
fn supply_emulator_variables(
    ws: &mut Workspace,
    emulator: &Emulator,
    files: &[(String, String)],
) -> Result<()> {
    let declares = |name: &str| {
        files
            .iter()
            .any(|(_, content)| content.contains(&format!("variable \"{name}\"")))
    };
    if declares("subnet_ids") {
        let subnets = emulator.default_subnets()?;
        let ids: Vec<String> = subnets
            .iter()
            .take(3)
            .map(|(id, _)| format!("{id:?}"))
            .collect();
        println!("    subnet_ids = [{}]", ids.join(", "));
        ws.set_env("TF_VAR_subnet_ids", format!("[{}]", ids.join(",")));
    }
    if declares("kms_key_id") {
        let key = emulator.create_kms_key()?;
        println!("    kms_key_id = {key}");
        ws.set_env("TF_VAR_kms_key_id", key);
    }
    Ok(())
}

/// The example directory: the one argument, relative to the current directory or, failing
/// that, to the workspace root (so the demo also runs from elsewhere).
fn example_dir() -> Result<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    let (Some(arg), None) = (args.next(), args.next()) else {
        bail!("usage: dbrail-demo <example-dir>   (e.g. examples/parameter-baseline)");
    };
    let given = PathBuf::from(arg);
    let candidates = [given.clone(), workspace_root().join(&given)];
    let dir = candidates
        .iter()
        .find(|p| p.is_dir())
        .with_context(|| format!("{} is not a directory", given.display()))?;
    dir.canonicalize()
        .with_context(|| format!("resolving {}", dir.display()))
}

/// The configuration files directly inside `dir`, as (file name, content), sorted by name.
fn config_files(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("reading {}", dir.display()))?
            .path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let is_config = [".tf", ".tf.json", ".tfvars", ".tfvars.json"]
            .iter()
            .any(|ext| name.ends_with(ext));
        if path.is_file() && is_config {
            let content = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            files.push((name.to_owned(), content));
        }
    }
    if !files.iter().any(|(name, _)| name.ends_with(".tf")) {
        bail!("{} holds no terraform configuration (*.tf)", dir.display());
    }
    files.sort();
    Ok(files)
}

/// Runs terraform commands in a workspace, each bounded in time and interruptible.
struct Runner<'a> {
    ws: &'a Workspace,
    terraform: String,
    timeout: Duration,
    seq: std::cell::Cell<u32>,
}

impl<'a> Runner<'a> {
    fn new(ws: &'a Workspace) -> Self {
        Self {
            ws,
            terraform: knobs::get(knobs::TERRAFORM).unwrap_or_else(|| "terraform".to_owned()),
            timeout: knobs::secs(
                knobs::COMMAND_TIMEOUT_SECS,
                DEFAULT_COMMAND_TIMEOUT.as_secs(),
            ),
            seq: std::cell::Cell::new(0),
        }
    }

    /// Runs `terraform <args>` with the workspace's environment and requires exit code 0.
    /// Prints a step header, then the summary lines of its output.
    fn terraform(&self, args: &[&str]) -> Result<Output> {
        check_interrupt()?;
        let shown: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| !matches!(*a, "-no-color" | "-input=false"))
            .collect();
        step(&format!("terraform {}", shown.join(" ")));

        let seq = self.seq.get() + 1;
        self.seq.set(seq);
        let stem = format!("{seq:02}-{}", args.first().copied().unwrap_or("terraform"));
        let stdout_path = self.ws.logs_dir().join(format!("{stem}.stdout"));
        let stderr_path = self.ws.logs_dir().join(format!("{stem}.stderr"));
        let command = std::iter::once(self.terraform.as_str())
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");

        // A process group of its own: a terminal's Ctrl-C reaches only the demo, which forwards
        // it to terraform alone (the provider must not be interrupted mid-call; terraform stops
        // it), and a kill reaches terraform's children too.
        let mut cmd = Command::new(&self.terraform);
        cmd.args(args)
            .env_clear()
            .envs(self.ws.env())
            .current_dir(self.ws.dir())
            .stdin(Stdio::null())
            .stdout(create(&stdout_path)?)
            .stderr(create(&stderr_path)?)
            .process_group(0);
        let mut child = cmd.spawn().with_context(|| {
            format!("could not start `{command}`: is terraform (1.11 or newer) on PATH? (or set DBRAIL_TERRAFORM)")
        })?;
        RUNNING_GROUP.store(child.id(), Ordering::SeqCst);

        let started = Instant::now();
        let mut interrupted_at: Option<Instant> = None;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) => {}
                Err(e) => {
                    kill_group(child.id());
                    RUNNING_GROUP.store(0, Ordering::SeqCst);
                    let _ = child.wait();
                    return Err(e).with_context(|| format!("waiting for `{command}`"));
                }
            }
            if interrupted_at.is_none() && SIGNALS.load(Ordering::SeqCst) > 0 {
                signal_process("INT", child.id());
                interrupted_at = Some(Instant::now());
            }
            let too_slow = interrupted_at.is_some_and(|t| t.elapsed() > INTERRUPT_GRACE);
            if too_slow || started.elapsed() > self.timeout {
                kill_group(child.id());
                RUNNING_GROUP.store(0, Ordering::SeqCst);
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        RUNNING_GROUP.store(0, Ordering::SeqCst);

        let output = Output {
            command,
            dir: self.ws.dir().to_path_buf(),
            code: status.and_then(|s| s.code()),
            stdout: read_lossy(&stdout_path),
            stderr: read_lossy(&stderr_path),
        };
        if SIGNALS.load(Ordering::SeqCst) > 0 {
            return Err(Interrupted.into());
        }
        if status.is_none() {
            return Err(output
                .into_error(format!(
                    "completion within {:?} (it was killed)",
                    self.timeout
                ))
                .into());
        }
        let output = output.expect_code(0)?;
        for line in output.stdout.lines() {
            if SUMMARY_MARKERS.iter().any(|m| line.contains(m)) {
                println!("    {}", line.trim());
            }
        }
        Ok(output)
    }
}

/// Prints a step header (flushed: the next step may take a while).
fn step(header: &str) {
    println!("==> {header}");
    let _ = std::io::stdout().flush();
}

fn check_interrupt() -> Result<()> {
    if SIGNALS.load(Ordering::SeqCst) > 0 {
        return Err(Interrupted.into());
    }
    Ok(())
}

/// Handles SIGINT and SIGTERM on a thread of their own: the first one asks the running
/// terraform command to stop (see [`Runner::terraform`]); the second kills it and exits.
fn install_signal_handlers() -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the signal-handling runtime")?;
    // Registered here, before any child is started, so no interrupt is missed.
    let (mut interrupt, mut terminate) = runtime
        .block_on(async {
            Ok::<_, std::io::Error>((
                signal(SignalKind::interrupt())?,
                signal(SignalKind::terminate())?,
            ))
        })
        .context("installing signal handlers")?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            loop {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
                if SIGNALS.fetch_add(1, Ordering::SeqCst) == 0 {
                    eprintln!(
                        "\ndbrail-demo: interrupted; stopping terraform, then cleaning up \
                         (interrupt again to quit at once)"
                    );
                } else {
                    let group = RUNNING_GROUP.load(Ordering::SeqCst);
                    if group != 0 {
                        kill_group(group);
                    }
                    eprintln!("\ndbrail-demo: interrupted twice; quitting now");
                    std::process::exit(i32::from(EXIT_INTERRUPTED));
                }
            }
        });
    });
    Ok(())
}

/// Sends `signal` to one process. Through kill(1): this crate forbids `unsafe`, so no libc.
fn signal_process(signal: &str, pid: u32) {
    let _ = Command::new("kill")
        .args(["-s", signal, "--", &pid.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Kills the process group `group` (terraform and the provider it started).
fn kill_group(group: u32) {
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{group}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn create(path: &Path) -> Result<File> {
    File::create(path).with_context(|| format!("creating {}", path.display()))
}

fn read_lossy(path: &Path) -> String {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}
