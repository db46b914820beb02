//! Tests of the harness itself; none needs the dbrail provider.
//!
//! They prove the pieces every acceptance test stands on: the emulator starts, answers, is
//! isolated per test and always stops (also when a test panics); terraform runs with exactly the
//! environment the harness gives it; the provider mirror installs `dbrail/dbrail` without any
//! network; a command past its time limit is killed together with its children; and a failing
//! command explains itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dbrail_acceptance_tests::{
    Emulator, EmulatorRds, HarnessError, PROVIDER_SHORT_SOURCE, PROVIDER_SOURCE, PROVIDER_VERSION,
    PlanResult, ProviderMirror, REGION, Workspace, assert_contains, assert_not_contains, step,
};

/// True while something accepts TCP connections on `addr`.
fn listening(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok()
}

/// Waits (bounded) for `addr` to stop accepting connections.
fn assert_stops_listening(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while listening(addr) {
        assert!(
            Instant::now() < deadline,
            "{addr} still accepts connections after the emulator was dropped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn emulator_starts_answers_resets_and_stops() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    assert_ne!(emulator.port(), 0);
    assert_eq!(
        emulator.endpoint(),
        format!("http://127.0.0.1:{}", emulator.port())
    );
    assert!(emulator.is_ready(), "the emulator must answer once started");

    step("the AWS SDK can talk to it");
    let rds = EmulatorRds::connect(&emulator).unwrap();
    let created = rds
        .create_cluster_parameter_group("smoke-cluster", "aurora-postgresql16", "smoke")
        .unwrap();
    assert_eq!(created.family, "aurora-postgresql16");
    let found = rds
        .cluster_parameter_group("smoke-cluster")
        .unwrap()
        .unwrap();
    assert_eq!(found.family, "aurora-postgresql16");
    assert!(found.arn.contains(":cluster-pg:smoke-cluster"), "{found:?}");
    assert!(
        found.arn.starts_with(&format!("arn:aws:rds:{REGION}:")),
        "{found:?}"
    );
    rds.modify_cluster_parameters("smoke-cluster", &[("log_statement", "ddl")])
        .unwrap();
    assert_eq!(
        rds.cluster_parameters("smoke-cluster").unwrap(),
        BTreeMap::from([("log_statement".to_owned(), "ddl".to_owned())])
    );
    assert!(
        rds.cluster_parameter_group("no-such-group")
            .unwrap()
            .is_none()
    );
    assert!(
        rds.instance_parameter_group("no-such-group")
            .unwrap()
            .is_none()
    );

    step("reset forgets all state");
    emulator.reset().unwrap();
    assert!(
        rds.cluster_parameter_group("smoke-cluster")
            .unwrap()
            .is_none()
    );
    assert!(rds.cluster_parameter_group_names().unwrap().is_empty());

    step("dropping it stops it");
    drop(rds);
    drop(emulator);
    assert_stops_listening(addr);
}

#[test]
fn emulator_is_stopped_when_its_test_panics() {
    let (tx, rx) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        let emulator = Emulator::start().unwrap();
        tx.send(emulator.addr()).unwrap();
        panic!("deliberate panic with a running emulator");
    })
    .join();
    assert!(outcome.is_err(), "the thread must have panicked");
    let addr = rx.recv().unwrap();
    assert_stops_listening(addr);
}

#[test]
fn two_emulators_get_different_ports_and_separate_state() {
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(Emulator::start);
        let b = s.spawn(Emulator::start);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_ne!(a.port(), b.port());
    assert!(a.is_ready() && b.is_ready());

    let rds_a = EmulatorRds::connect(&a).unwrap();
    let rds_b = EmulatorRds::connect(&b).unwrap();
    rds_a
        .create_cluster_parameter_group("only-in-a", "aurora-postgresql16", "isolation")
        .unwrap();
    assert!(
        rds_a
            .cluster_parameter_group("only-in-a")
            .unwrap()
            .is_some()
    );
    assert!(
        rds_b
            .cluster_parameter_group("only-in-a")
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_missing_moto_is_a_clear_error_not_a_skip() {
    let err = Emulator::start_with_python("/nonexistent/python3").unwrap_err();
    assert!(err.is_missing_tool(), "{err}");
    assert_contains(&err.to_string(), "pip install 'moto[server]'");

    // An interpreter that runs but cannot import moto (site-packages disabled with -S).
    let dir = tempfile::tempdir().unwrap();
    let python = dir.path().join("python-without-moto");
    std::fs::write(&python, "#!/bin/sh\nexec python3 -S \"$@\"\n").unwrap();
    make_executable(&python);
    let err = Emulator::start_with_python(python.to_str().unwrap()).unwrap_err();
    assert!(matches!(err, HarnessError::EmulatorMissing { .. }), "{err}");
    assert_contains(&err.to_string(), "moto");
    assert_contains(&err.to_string(), "pip install 'moto[server]'");
}

#[test]
fn terraform_reports_its_version() {
    let emulator = Emulator::start().unwrap();
    let ws = Workspace::without_provider(&[], &emulator).unwrap();
    let version = ws.version_json().unwrap();
    let text = version["terraform_version"].as_str().unwrap();
    let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap(), parts.next().unwrap());
    assert!(
        (major, minor) >= (1, 11),
        "terraform {text} is too old: 1.11 or newer is required"
    );
}

/// A configuration of built-ins only; its provisioner records the environment terraform has.
const PROBE: &str = r#"
resource "terraform_data" "probe" {
  input            = "hello"
  triggers_replace = "v1"
  provisioner "local-exec" {
    command = "env > env.txt"
  }
}

output "probe" {
  value = terraform_data.probe.output
}
"#;

#[test]
fn terraform_runs_with_exactly_the_harness_environment() {
    let emulator = Emulator::start().unwrap();
    let ws = Workspace::without_provider(&[("main.tf", PROBE)], &emulator).unwrap();

    step("init");
    let init = ws.init().unwrap();
    assert_contains(&init.stdout, "Terraform has been successfully initialized");

    step("plan shows one resource to add");
    let plan = ws.plan_detailed().unwrap().expect_changes().unwrap();
    assert_contains(&plan.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.");

    step("apply");
    let apply = ws.apply().unwrap();
    assert_contains(&apply.stdout, "Apply complete! Resources: 1 added");

    step("the environment terraform (and so a provider) saw");
    let env: BTreeMap<String, String> = ws
        .read_file("env.txt")
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let expect = |key: &str, value: &str| {
        assert_eq!(
            env.get(key).map(String::as_str),
            Some(value),
            "{key} in {env:#?}"
        );
    };
    expect("AWS_ENDPOINT_URL", &emulator.endpoint());
    expect("AWS_REGION", REGION);
    expect("AWS_ACCESS_KEY_ID", "testing");
    expect("AWS_SECRET_ACCESS_KEY", "testing");
    expect("TF_IN_AUTOMATION", "1");
    expect("TF_INPUT", "0");
    expect("CHECKPOINT_DISABLE", "1");
    expect("TF_CLI_CONFIG_FILE", ws.cli_config().to_str().unwrap());
    assert!(
        env.get("HOME")
            .is_some_and(|h| h.starts_with(ws.root().to_str().unwrap())),
        "HOME must be private to the workspace: {env:#?}"
    );
    let allowed_tf = ["TF_IN_AUTOMATION", "TF_INPUT", "TF_CLI_CONFIG_FILE"];
    for key in env.keys() {
        assert!(
            !key.starts_with("TF_") || allowed_tf.contains(&key.as_str()),
            "{key} leaked into terraform's environment: {env:#?}"
        );
        assert!(
            !key.starts_with("AWS_")
                || [
                    "AWS_ENDPOINT_URL",
                    "AWS_REGION",
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                    "AWS_EC2_METADATA_DISABLED"
                ]
                .contains(&key.as_str()),
            "{key} leaked into terraform's environment: {env:#?}"
        );
    }

    step("outputs, state and an empty plan");
    let outputs = ws.output_json().unwrap();
    assert_eq!(outputs["probe"]["value"], "hello");
    let state = ws.state_json().unwrap();
    assert_eq!(state["resources"][0]["type"], "terraform_data");
    let show = ws.show_json().unwrap();
    assert!(
        dbrail_acceptance_tests::tfjson::resource_values(&show, "terraform_data.probe").is_some(),
        "{show:#}"
    );
    ws.plan_detailed().unwrap().expect_no_changes().unwrap();

    step("a replacing change is planned in terraform's words, then destroy");
    ws.write_file("main.tf", &PROBE.replace("\"v1\"", "\"v2\""))
        .unwrap();
    let plan = ws.plan_detailed().unwrap().expect_changes().unwrap();
    assert_contains(&plan.stdout, "terraform_data.probe must be replaced");
    assert_contains(&plan.stdout, "Plan: 1 to add, 0 to change, 1 to destroy.");
    let destroy = ws.destroy().unwrap();
    assert_contains(&destroy.stdout, "Destroy complete! Resources: 1 destroyed.");
}

#[test]
fn the_mirror_installs_dbrail_without_network() {
    let emulator = Emulator::start().unwrap();
    // Init only installs a provider (it records its hash); it never runs it, so any file will do.
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake-provider");
    std::fs::write(&fake, "#!/bin/sh\nexit 1\n").unwrap();
    make_executable(&fake);
    let mirror = Arc::new(ProviderMirror::with_binary(&fake).unwrap());

    let config = format!(
        "terraform {{\n  required_providers {{\n    dbrail = {{ source = \"{PROVIDER_SHORT_SOURCE}\", version = \"{PROVIDER_VERSION}\" }}\n  }}\n}}\n"
    );
    let ws = Workspace::with_mirror(&[("main.tf", &config)], &emulator, mirror).unwrap();
    let init = ws.init().unwrap();
    assert_contains(
        &init.stdout,
        &format!("Installed {PROVIDER_SHORT_SOURCE} v{PROVIDER_VERSION}"),
    );
    let lock = ws.read_file(".terraform.lock.hcl").unwrap();
    assert_contains(&lock, &format!("provider \"{PROVIDER_SOURCE}\""));
    assert_contains(&lock, &format!("version = \"{PROVIDER_VERSION}\""));
}

#[test]
fn a_command_past_its_time_limit_is_killed_with_its_children() {
    let emulator = Emulator::start().unwrap();
    let config = r#"
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "echo $$ > sleeper.pid; exec sleep 120"
  }
}
"#;
    let mut ws = Workspace::without_provider(&[("main.tf", config)], &emulator).unwrap();
    ws.init().unwrap();
    ws.set_timeout(Duration::from_secs(8));
    let started = Instant::now();
    let err = ws.apply().unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the kill took too long"
    );
    assert_contains(&err.to_string(), "terraform apply");
    assert_contains(&err.to_string(), "timed out after 8s");

    // The provisioner's `sleep` (terraform's grandchild) must be gone too.
    let pid = ws.read_file("sleeper.pid").unwrap();
    let proc_dir = format!("/proc/{}", pid.trim());
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::path::Path::new(&proc_dir).exists()
        && !std::fs::read_to_string(format!("{proc_dir}/stat"))
            .unwrap_or_default()
            .contains(") Z ")
    {
        assert!(
            Instant::now() < deadline,
            "the sleeping child {pid} survived the timeout"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_failing_command_explains_itself() {
    let emulator = Emulator::start().unwrap();
    let ws = Workspace::without_provider(
        &[(
            "main.tf",
            "resource \"terraform_data\" \"x\" {\n  no_such_argument = 1\n}\n",
        )],
        &emulator,
    )
    .unwrap();
    ws.init().unwrap();
    let plan = ws.plan_detailed().unwrap();
    assert!(matches!(plan, PlanResult::Error(_)), "{plan:?}");
    let err = plan.expect_no_changes().unwrap_err().to_string();
    assert_contains(&err, "terraform plan -detailed-exitcode");
    assert_contains(&err, "exited with exit code 1");
    assert_contains(&err, "expected exit code 0");
    assert_contains(&err, "no_such_argument");
    assert_not_contains(&err, "\\n");
}

fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}
