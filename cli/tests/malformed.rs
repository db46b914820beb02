//! Malformed input through the binary: every unreadable plan or waivers file exits 2 with a
//! message naming the file, where the problem is (byte offset with line and column, or JSON
//! path) and what was expected; never a panic, never a verdict.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use std::process::Command;

use common::*;

/// Runs `dbrail policy check` on `plan` (and `waivers`) written to files; returns the path of
/// the file named in the message and stderr, asserting exit code 2 and no panic.
fn rejected(plan: &[u8], waivers: Option<(&str, &[u8])>) -> (String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_dbrail"));
    command.args(["policy", "check"]).arg(&plan_path);
    let mut waivers_path = String::new();
    if let Some((name, bytes)) = waivers {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        command.arg("--waivers").arg(&path);
        waivers_path = path.display().to_string();
    }
    let output = command.env("NO_COLOR", "1").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty(), "no verdict on unreadable input");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (plan_path.display().to_string(), waivers_path, stderr)
}

fn compliant_plan() -> Vec<u8> {
    serde_json::to_vec(&aws_plan()).unwrap()
}

#[test]
fn an_empty_plan_file_is_a_truncated_document_at_byte_zero() {
    let (file, _, message) = rejected(b"", None);
    assert!(
        message.contains(&format!(
            "{file}: invalid JSON at byte 0 (line 1, column 0)"
        )),
        "{message}"
    );
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn invalid_utf8_in_a_plan_string_is_located_to_the_byte() {
    let mut plan = compliant_plan();
    let at = plan.windows(6).position(|w| w == b"orders").unwrap();
    plan[at] = 0xff;
    let (file, _, message) = rejected(&plan, None);
    assert!(
        message.contains(&format!(
            "{file}: invalid JSON at byte {at} (line 1, column {}): invalid UTF-8",
            at + 1
        )),
        "{message}"
    );
}

#[test]
fn values_that_are_not_an_object_name_their_path() {
    let mut plan = aws_plan();
    plan["planned_values"]["root_module"]["resources"][1]["values"] = serde_json::json!([1]);
    let (file, _, message) = rejected(&serde_json::to_vec(&plan).unwrap(), None);
    assert!(
        message.contains(&format!(
            "{file}: at planned_values.root_module.resources[1].values: expected an object"
        )),
        "{message}"
    );
}

#[test]
fn nesting_beyond_the_limit_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_rds_cluster.a","type":"aws_rds_cluster","values":{{"tags":{}{}}}}}]}}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (file, _, message) = rejected(deep.as_bytes(), None);
    assert!(
        message.contains(&format!(
            "{file}: at planned_values.root_module.resources[0].values"
        )),
        "{message}"
    );
    assert!(message.contains("recursion limit"), "{message}");
}

#[test]
fn a_resource_without_its_type_names_the_missing_field() {
    let plan = br#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"x.y"}]}}}"#;
    let (file, _, message) = rejected(plan, None);
    assert!(
        message.contains(&format!(
            "{file}: at planned_values.root_module.resources[0]: missing field `type`"
        )),
        "{message}"
    );
}

#[test]
fn waivers_yaml_errors_give_path_offset_and_expectation() {
    let cases: [(&[u8], &str); 4] = [
        (
            b"- rule: G4\n  resource: [x\n",
            "at [0].resource: invalid type: sequence, expected a string (byte 23, line 2, column 13)",
        ),
        (
            b"- rule: G4\n  resource: x\n  reason: r\n",
            "at [0]: missing field `expires` (byte 2, line 1, column 3)",
        ),
        (
            b"- rule: G4\n  resource: x\n  reason: r\n  expires: 2030-01-01\n  colour: red\n",
            "at [0].colour: unknown field `colour`",
        ),
        (
            b"rule: G4\n",
            "invalid YAML at byte 0 (line 1, column 1): invalid type: map, expected a sequence",
        ),
    ];
    for (waivers, expected) in cases {
        let (_, file, message) = rejected(&compliant_plan(), Some(("waivers.yaml", waivers)));
        assert!(
            message.contains(&format!("{file}: {expected}")),
            "{message}"
        );
        assert!(
            message.contains("expected a list of { rule, resource, reason, owner, expires"),
            "{message}"
        );
    }
}

#[test]
fn waivers_json_and_encoding_errors_give_the_byte_offset() {
    let (_, file, message) = rejected(
        &compliant_plan(),
        Some(("waivers.json", br#"[{"rule":"G4",}]"#)),
    );
    assert!(
        message.contains(&format!(
            "{file}: invalid JSON at byte 14 (line 1, column 15): trailing comma"
        )),
        "{message}"
    );
    let (_, file, message) = rejected(
        &compliant_plan(),
        Some((
            "waivers.json",
            br#"[{"rule":"G4","resource":"x","reason":"r","expires":"2030-1-1"}]"#,
        )),
    );
    assert!(
        message.contains(&format!(
            "{file}: at [0].expires: date \"2030-1-1\" is not of the form YYYY-MM-DD"
        )),
        "{message}"
    );
    let (_, file, message) = rejected(
        &compliant_plan(),
        Some(("waivers.yaml", b"- rule: G4\n  resource: x\xff\n")),
    );
    assert!(
        message.contains(&format!(
            "{file}: invalid YAML at byte 24 (line 2, column 14): the file is not UTF-8 text"
        )),
        "{message}"
    );
}
