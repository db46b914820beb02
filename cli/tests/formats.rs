//! SARIF, JUnit and GitLab Code Quality output.
//!
//! SARIF is validated against the official SARIF 2.1.0 JSON schema and JUnit XML against the
//! JUnit XSD Jenkins uses, both vendored in `tests/schemas/` and applied by
//! `tests/schemas/validate.py` (Python's `jsonschema` and `xmlschema`, installed by
//! `.ci/deps.sh`: no Rust crate validates XSD, and one validator for both keeps them alike).
//! On top, SARIF is checked for the kind/level rule the schema cannot express, and JUnit is
//! parsed with quick-xml for the counts consumers display. GitLab issues are checked for the
//! fields GitLab documents as required.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test")]

mod common;

use common::*;
use dbrail_cli::report::{Report, render_gitlab, render_junit, render_sarif};
use dbrail_cli::waivers;
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};

/// A report with a failure, a waived finding, an undecided result and a warning.
fn mixed_report() -> Report {
    let mut plan = aws_plan();
    values(&mut plan, "aws_rds_cluster.orders")["deletion_protection"] = json!(false);
    values(&mut plan, "aws_rds_cluster.orders")["copy_tags_to_snapshot"] = json!(false);
    let blocks = values(&mut plan, "aws_rds_cluster_parameter_group.orders")["parameter"]
        .as_array_mut()
        .unwrap();
    for block in blocks {
        if block["name"] == "rds.force_ssl" {
            block["value"] = json!("0");
        }
    }
    make_unknown(
        &mut plan,
        "aws_rds_cluster.orders",
        "backup_retention_period",
    );
    let mut options = options(Some(dbrail_rules::Tier::Staging));
    options.waivers = waivers::parse(
        "w.yaml",
        b"- rule: G4\n  resource: aws_rds_cluster.orders\n  reason: \"migration <&>'\"\n  owner: dba\n  expires: 2030-01-01\n",
    )
    .unwrap();
    let report = check_with(&plan, &options);
    let statuses: Vec<_> = report.entries().map(|(_, e)| e.status).collect();
    use dbrail_cli::report::Status::*;
    for status in [Failed, Waived, Undecided, Warning] {
        assert!(statuses.contains(&status), "{status:?}: {statuses:?}");
    }
    report
}

fn is_string(v: &Value) -> bool {
    v.as_str().is_some()
}

#[test]
fn sarif_meets_the_sarif_2_1_0_constraints() {
    let report = mixed_report();
    let log: Value = serde_json::from_str(&render_sarif(&report)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "dbrail");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), dbrail_cli::catalogue::entries().len());
    for rule in rules {
        assert!(is_string(&rule["id"]));
        assert!(is_string(&rule["shortDescription"]["text"]));
        assert!(is_string(&rule["fullDescription"]["text"]));
        assert!(rule["properties"]["controls"].is_array());
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        assert!(is_string(&result["message"]["text"]));
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        let level = result["level"].as_str().unwrap();
        assert!(["none", "note", "warning", "error"].contains(&level));
        let kind = result["kind"].as_str().unwrap();
        assert!(
            [
                "notApplicable",
                "pass",
                "fail",
                "review",
                "open",
                "informational"
            ]
            .contains(&kind)
        );
        if kind != "fail" {
            assert_eq!(
                level, "none",
                "SARIF §3.27.9: only kind fail may carry a level"
            );
        }
        let location = &result["locations"][0];
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            "plan.json"
        );
        let address = location["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        assert!(
            report.resources.iter().any(|r| r.address == address),
            "{address}"
        );
        assert!(result["properties"]["controls"].is_array());
        if let Some(suppressions) = result.get("suppressions") {
            for s in suppressions.as_array().unwrap() {
                assert!(["inSource", "external"].contains(&s["kind"].as_str().unwrap()));
                assert!(
                    ["accepted", "underReview", "rejected"]
                        .contains(&s["status"].as_str().unwrap())
                );
                assert!(s["justification"].as_str().unwrap().contains("migration"));
            }
        }
    }
    let waived = results.iter().find(|r| r["ruleId"] == "G4").unwrap();
    assert!(
        waived.get("suppressions").is_some(),
        "waived results are suppressed, not hidden"
    );
}

#[test]
fn junit_has_a_suite_per_resource_and_a_case_per_rule() {
    let report = mixed_report();
    let xml = render_junit(&report);
    let mut reader = Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures, mut skipped, mut roots) = (0, 0, 0, 0, 0);
    let mut suite_names = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                let attrs: std::collections::BTreeMap<String, String> = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.unescape_value().unwrap().into_owned(),
                        )
                    })
                    .collect();
                match name.as_str() {
                    "testsuites" => roots += 1,
                    "testsuite" => {
                        suites += 1;
                        for required in ["name", "tests", "failures", "errors", "skipped"] {
                            assert!(attrs.contains_key(required), "{required}");
                        }
                        suite_names.push(attrs["name"].clone());
                    }
                    "testcase" => {
                        cases += 1;
                        assert!(attrs.contains_key("name") && attrs.contains_key("classname"));
                    }
                    "failure" => {
                        failures += 1;
                        assert!(attrs.contains_key("message") && attrs.contains_key("type"));
                    }
                    "skipped" => skipped += 1,
                    "system-out" => {}
                    other => panic!("unexpected element {other}"),
                }
            }
            _ => {}
        }
    }
    assert_eq!(roots, 1);
    assert_eq!(suites, report.resources.len());
    assert_eq!(suite_names[0], "aws_rds_cluster.orders");
    assert!(cases >= 15);
    assert!(failures >= 1, "G10 fails in every tier");
    assert!(skipped >= 2, "waived G4 and undecided G6");
    assert!(xml.contains("migration &lt;&amp;&gt;&apos;"), "{xml}");
}

#[test]
fn gitlab_issues_have_every_required_field_and_stable_fingerprints() {
    let report = mixed_report();
    let issues: Value = serde_json::from_str(&render_gitlab(&report)).unwrap();
    let issues = issues.as_array().unwrap();
    assert!(!issues.is_empty());
    let mut fingerprints = std::collections::BTreeSet::new();
    for issue in issues {
        assert!(is_string(&issue["description"]));
        assert!(is_string(&issue["check_name"]));
        let severity = issue["severity"].as_str().unwrap();
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&severity));
        assert!(is_string(&issue["location"]["path"]));
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()));
    }
    let again: Value = serde_json::from_str(&render_gitlab(&mixed_report())).unwrap();
    assert_eq!(&again.as_array().unwrap()[..], issues, "stable across runs");
    assert_eq!(
        dbrail_cli::report::fingerprint(&["G4", "aws_rds_cluster.orders", "deletion_protection"]),
        dbrail_cli::report::fingerprint(&["G4", "aws_rds_cluster.orders", "deletion_protection"])
    );
    assert_ne!(
        dbrail_cli::report::fingerprint(&["G4", "a", "b"]),
        dbrail_cli::report::fingerprint(&["G4", "ab", ""])
    );
}

/// Runs the vendored schema validator on `text`; `Err` carries its report.
fn validate(kind: &str, text: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("report.{kind}"));
    std::fs::write(&file, text).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/validate.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(kind)
        .arg(&file)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    match output.status.code() {
        Some(0) => Ok(()),
        Some(1) => Err(said),
        other => panic!("validator could not run ({other:?}): {said}"),
    }
}

#[test]
fn sarif_validates_against_the_official_sarif_2_1_0_schema() {
    for report in [mixed_report(), check(&aws_plan())] {
        let sarif = render_sarif(&report);
        if let Err(errors) = validate("sarif", &sarif) {
            panic!("SARIF does not validate:\n{errors}\n{sarif}");
        }
    }
}

#[test]
fn the_sarif_schema_check_rejects_what_the_schema_forbids() {
    let mut log: Value = serde_json::from_str(&render_sarif(&mixed_report())).unwrap();
    log["runs"][0]["results"][0]["level"] = json!("fatal");
    log["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let errors = validate("sarif", &log.to_string()).unwrap_err();
    assert!(errors.contains("'fatal' is not one of"), "{errors}");
    assert!(errors.contains("'name' is a required property"), "{errors}");
}

#[test]
fn junit_validates_against_the_junit_xsd() {
    for report in [mixed_report(), check(&aws_plan())] {
        let xml = render_junit(&report);
        if let Err(errors) = validate("junit", &xml) {
            panic!("JUnit XML does not validate:\n{errors}\n{xml}");
        }
    }
}

#[test]
fn the_junit_schema_check_rejects_what_the_xsd_forbids() {
    let xml = render_junit(&mixed_report());
    let broken = xml.replacen("<testcase ", "<testcase bogus=\"1\" ", 1);
    assert_ne!(broken, xml);
    let errors = validate("junit", &broken).unwrap_err();
    assert!(errors.contains("bogus"), "{errors}");
    let errors = validate("junit", "<testsuites><testsuite/></testsuites>").unwrap_err();
    assert!(errors.contains("name"), "{errors}");
}
