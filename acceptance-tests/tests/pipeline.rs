//! The GitLab pipeline must not rot: `gitlab-ci-local` (installed by `make deps`) validates
//! `.gitlab-ci.yml` against GitLab's schema and runs its `lint`, `test` and `policy` jobs on
//! this machine (`--force-shell-executor`), so a broken job fails here before it fails in GitLab.
//!
//! Cost: the jobs run in the work tree itself (gitlab-ci-local's default for the shell
//! executor: no copy) with `CARGO_TARGET_DIR` pointing at this build's own target dir and
//! `CARGO_HOME` at the developer's, so they reuse what `make test` compiled instead of building
//! from scratch. The `test` job runs the unit tests only; the acceptance suite is not run again
//! from inside it. gitlab-ci-local's own state goes under the target dir, and the jobs' reports
//! under `reports/` (ignored by git), which the test clears first so stale files cannot pass.
//!
//! The jobs get a minimal environment (no `CI_*`, `TF_*`, `AWS_*` or cargo test variables from
//! this process), so the policy job plans against the embedded emulator with local state.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use dbrail_acceptance_tests::{step, workspace_root};

/// Pinned in `.ci/deps.sh`.
const GCL_VERSION: &str = "4.60.1";
/// Upper bound for the three jobs together (they mostly reuse compiled code).
const JOBS_TIMEOUT_SECS: &str = "1200";
/// Variables passed to gitlab-ci-local and its jobs; nothing else of this process's environment.
const PASSTHROUGH: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "PYENV_ROOT",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "DBRAIL_PYTHON",
    "DBRAIL_TERRAFORM",
];

/// gitlab-ci-local: `DBRAIL_GITLAB_CI_LOCAL`, else where `.ci/deps.sh` installs it.
fn gitlab_ci_local() -> PathBuf {
    if let Some(path) = std::env::var_os("DBRAIL_GITLAB_CI_LOCAL").filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    let tools = std::env::var_os("DBRAIL_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME").map(|c| PathBuf::from(c).join("dbrail/tools"))
        })
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/dbrail/tools")))
        .expect("HOME is not set");
    let path = tools
        .join(format!("gitlab-ci-local-{GCL_VERSION}"))
        .join("node_modules/.bin/gitlab-ci-local");
    assert!(
        path.is_file(),
        "gitlab-ci-local {GCL_VERSION} is not installed at {}: run `make deps` (or bash .ci/deps.sh)",
        path.display()
    );
    path
}

/// This build's target dir (the one holding the test binary), so the jobs reuse it.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // <target>/debug/deps/pipeline-<hash>
    exe.ancestors()
        .nth(3)
        .expect("the test binary lives in <target>/<profile>/deps")
        .to_path_buf()
}

/// A gitlab-ci-local command run in the workspace root with a minimal environment, its state
/// under `state_dir` (relative to the root, as gitlab-ci-local requires).
/// `home` replaces the user's home for gitlab-ci-local's own settings (`--home`), so a
/// developer's `~/.gitlab-ci-local/variables.yml` cannot change the outcome.
fn gcl(root: &Path, state_dir: &str, home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("timeout");
    cmd.args(["--kill-after=20", JOBS_TIMEOUT_SECS])
        .arg(gitlab_ci_local())
        .args(["--state-dir", state_dir])
        .arg("--home")
        .arg(home)
        .args(args)
        .current_dir(root)
        .env_clear();
    for name in PASSTHROUGH {
        if let Some(value) = std::env::var_os(name) {
            cmd.env(name, value);
        }
    }
    cmd.env("NO_COLOR", "1").env("FORCE_COLOR", "0");
    cmd
}

fn run(mut cmd: Command) -> (Output, String) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

/// The relative path from the workspace root to a dir inside it, or a dir of its own.
fn state_dir(root: &Path, target: &Path) -> String {
    target
        .strip_prefix(root)
        .map(|rel| rel.join("gitlab-ci-local").to_string_lossy().into_owned())
        .unwrap_or_else(|_| ".gitlab-ci-local".to_owned())
}

#[test]
fn pipeline_validates_and_its_lint_test_and_policy_jobs_pass_locally() {
    let root = workspace_root();
    let target = target_dir();
    let state = state_dir(&root, &target);
    let home = tempfile::tempdir().unwrap();

    step("gitlab-ci-local --list validates .gitlab-ci.yml against GitLab's schema");
    let (out, text) = run(gcl(&root, &state, home.path(), &["--list"]));
    assert!(out.status.success(), "--list failed:\n{text}");
    assert!(text.contains("json schema validated"), "{text}");
    for job in ["lint", "test", "acceptance", "policy", "package"] {
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().next() == Some(job)),
            "job {job} missing from the pipeline:\n{text}"
        );
    }

    step("a pipeline that breaks GitLab's schema is refused (the validation can fail)");
    let broken_rel = format!("{state}/broken-gitlab-ci.yml");
    std::fs::create_dir_all(root.join(&state)).unwrap();
    std::fs::write(
        root.join(&broken_rel),
        "stages: [lint]\nlint:\n  stage: lint\n  when: sometimes\n  script: [\"true\"]\n",
    )
    .unwrap();
    let (out, text) = run(gcl(
        &root,
        &state,
        home.path(),
        &["--file", &broken_rel, "--list"],
    ));
    assert!(
        !out.status.success(),
        "a schema violation must fail --list:\n{text}"
    );
    assert!(text.to_lowercase().contains("schema"), "{text}");

    step("the lint, test and policy jobs pass under gitlab-ci-local");
    let reports = root.join("reports");
    if reports.exists() {
        std::fs::remove_dir_all(&reports).unwrap();
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let started = Instant::now();
    let (out, text) = run(gcl(
        &root,
        &state,
        home.path(),
        &[
            "--force-shell-executor",
            "--variable",
            &format!("CARGO_HOME={}", cargo_home.display()),
            "--variable",
            &format!("CARGO_TARGET_DIR={}", target.display()),
            "lint",
            "test",
            "policy",
        ],
    ));
    let elapsed = started.elapsed();
    eprintln!("[dbrail-acc] lint, test and policy jobs took {elapsed:.1?}");
    assert!(out.status.success(), "the jobs failed:\n{text}");
    for job in ["lint", "test", "policy"] {
        assert!(
            text.lines()
                .any(|l| l.contains("PASS") && l.split_whitespace().any(|w| w == job)),
            "job {job} did not pass:\n{text}"
        );
    }

    step("the jobs published their reports");
    let junit = std::fs::read_to_string(reports.join("junit-unit.xml")).unwrap();
    assert!(junit.contains("<testcase"), "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
    let quality: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("gl-code-quality-report.json")).unwrap(),
    )
    .unwrap();
    assert!(quality.is_array(), "{quality}");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("terraform/examples-parameter-baseline.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(summary["create"], 1, "{summary}");
    assert_eq!(summary["delete"], 0, "{summary}");
    assert!(
        reports.join("plans/examples-cluster.json").is_file(),
        "the cluster example was not planned"
    );
}

/// A stand-in for GitLab's Terraform state API on 127.0.0.1 (port picked by the kernel): it
/// records each request's method, path and `Authorization` header, answers `GET` of a state
/// with 404 (no state yet) and lock/unlock with 200, as GitLab does for a new state.
const STATE_API: &str = r#"
import http.server, sys
log = open(sys.argv[1], "a", buffering=1)
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def answer(self, code):
        log.write(f"{self.command} {self.path} {self.headers.get('Authorization', '-')}\n")
        self.send_response(code); self.send_header("Content-Length", "0"); self.end_headers()
    def do_GET(self): self.answer(404)
    def do_POST(self): self.answer(200)
    def do_DELETE(self): self.answer(200)
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

#[test]
fn policy_job_keeps_example_state_in_gitlab_with_locking_when_in_gitlab() {
    use std::io::BufRead;

    let root = workspace_root();
    let tmp = tempfile::tempdir().unwrap();
    let requests = tmp.path().join("requests.log");
    let mut server = Command::new("python3")
        .args(["-c", STATE_API])
        .arg(&requests)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let port = port.trim().to_owned();

    step("the policy job, with GitLab's variables set, plans against the emulator");
    let token = "job-token-never-printed";
    let mut cmd = Command::new("bash");
    cmd.arg(root.join(".ci/policy.sh")).env_clear();
    for name in PASSTHROUGH {
        if let Some(value) = std::env::var_os(name) {
            cmd.env(name, value);
        }
    }
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        cmd.env("CARGO_HOME", home);
    }
    let out = cmd
        .env("CARGO_TARGET_DIR", target_dir())
        .env("DBRAIL_REPORTS", tmp.path().join("reports"))
        .env("GITLAB_CI", "true")
        .env("CI_JOB_TOKEN", token)
        .env("CI_API_V4_URL", format!("http://127.0.0.1:{port}/api/v4"))
        .env("CI_PROJECT_ID", "42")
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "policy.sh failed:\n{text}");
    assert!(!text.contains(token), "the job token was printed:\n{text}");

    step("each example's state was read from GitLab under a lock taken and released");
    let log = std::fs::read_to_string(&requests).unwrap();
    // base64("gitlab-ci-token:job-token-never-printed")
    let auth = "Basic Z2l0bGFiLWNpLXRva2VuOmpvYi10b2tlbi1uZXZlci1wcmludGVk";
    for example in ["examples-cluster", "examples-parameter-baseline"] {
        let state = format!("/api/v4/projects/42/terraform/state/dbrail-{example}-emulator");
        for request in [
            format!("POST {state}/lock {auth}"),
            format!("GET {state} {auth}"),
            format!("DELETE {state}/lock {auth}"),
        ] {
            assert!(
                log.lines().any(|l| l == request),
                "missing request `{request}` in:\n{log}"
            );
        }
    }
}
