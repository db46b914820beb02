//! The emulator extensions in `emulator/` have their own tests (Python's unittest, boto3 against
//! moto in-process); this runs them as part of `cargo test`, and checks the extension is live
//! in the emulator the acceptance tests start.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use dbrail_acceptance_tests::{Emulator, EmulatorRds};
use std::process::Command;

#[test]
fn extension_unit_tests_pass() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/emulator");
    let out = Command::new("python3")
        .args(["-m", "unittest", "discover", "-s", dir, "-v"])
        .current_dir(dir)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "emulator extension tests failed:\n{stderr}"
    );
    assert!(
        stderr.contains("Ran ") && !stderr.contains("Ran 0 tests"),
        "{stderr}"
    );
}

#[test]
fn started_emulator_serves_parameter_resets() {
    let emulator = Emulator::start().unwrap();
    let rds = EmulatorRds::connect(&emulator).unwrap();
    rds.create_cluster_parameter_group("reset-check", "aurora-postgresql16", "reset check")
        .unwrap();
    rds.modify_cluster_parameters("reset-check", &[("a", "1"), ("b", "2")])
        .unwrap();
    rds.block_on(
        rds.client()
            .reset_db_cluster_parameter_group()
            .db_cluster_parameter_group_name("reset-check")
            .parameters(
                aws_sdk_rds::types::Parameter::builder()
                    .parameter_name("a")
                    .build(),
            )
            .send(),
    )
    .unwrap();
    let left = rds.cluster_parameters("reset-check").unwrap();
    assert_eq!(left.keys().collect::<Vec<_>>(), ["b"]);
}
