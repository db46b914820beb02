//! A plan with 1,000 databases is checked quickly. The targets (30 ms, 40 MiB in a release
//! build) are measured by `make bench-policy` (benches/policy.sh, against checkov in the same
//! run); this test keeps a loose bound so a quadratic regression fails CI even in a debug build
//! on a busy machine.

#![allow(clippy::unwrap_used, reason = "test")]

mod common;

use common::*;
use serde_json::json;

/// 1,000 compliant clusters, each with two instances, its own parameter group and its own backup
/// selection.
pub fn big_plan() -> serde_json::Value {
    let mut resources = Vec::new();
    for i in 0..1000 {
        for mut r in aws_resources() {
            let address = r["address"]
                .as_str()
                .unwrap()
                .replace("orders", &format!("db{i}"));
            let address = address.replace("writer", &format!("writer{i}"));
            let address = address.replace("reader", &format!("reader{i}"));
            r["address"] = json!(address);
            r["name"] = json!(address.rsplit('.').next().unwrap());
            let v = &mut r["values"];
            for key in [
                "cluster_identifier",
                "arn",
                "name",
                "db_cluster_parameter_group_name",
            ] {
                if let Some(s) = v[key].as_str() {
                    v[key] = json!(format!("{s}-{i}"));
                }
            }
            // Each cluster's own backup selection lists its ARN.
            if let Some(arns) = v["resources"].as_array_mut() {
                for arn in arns {
                    *arn = json!(format!("{}-{i}", arn.as_str().unwrap()));
                }
            }
            resources.push(r);
        }
    }
    plan(resources)
}

#[test]
fn a_thousand_databases_are_checked_in_linear_time() {
    let bytes = serde_json::to_vec(&big_plan()).unwrap();
    let start = std::time::Instant::now();
    let report = dbrail_cli::check_plan("plan.json", &bytes, &options(None)).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(report.summary.resources, 2000);
    assert_eq!(report.exit_code, 0, "{:?}", report.summary);
    assert_eq!(
        report.summary.warnings, 0,
        "every cluster is covered by its selection: {:?}",
        report.summary
    );
    assert!(
        report
            .resources
            .iter()
            .filter(|r| r.kind == "aws_rds_cluster")
            .all(|r| r.instances.len() == 2)
    );
    eprintln!(
        "1,000 databases ({} bytes) checked in {elapsed:?}",
        bytes.len()
    );
    assert!(elapsed < std::time::Duration::from_secs(5), "{elapsed:?}");
}

#[test]
#[ignore = "timing breakdown, run by hand"]
fn timing_breakdown() {
    let bytes = serde_json::to_vec(&big_plan()).unwrap();
    if let Some(path) = std::env::var_os("DBRAIL_BIG_PLAN") {
        std::fs::write(path, &bytes).unwrap();
    }
    let start = std::time::Instant::now();
    let plan = dbrail_cli::plan::Plan::parse("plan.json", &bytes).unwrap();
    let parsed = start.elapsed();
    let targets = dbrail_cli::subjects::targets("plan.json", &plan).unwrap();
    let built = start.elapsed();
    let context = dbrail_rules::Context::new(dbrail_rules::Tier::Production, today());
    let rules_start = std::time::Instant::now();
    let outcomes: usize = targets
        .iter()
        .map(|t| dbrail_rules::evaluate(&t.subject, &context).len())
        .sum();
    eprintln!(
        "rules alone: {:?} for {outcomes} outcomes",
        rules_start.elapsed()
    );
    let start = std::time::Instant::now();
    let report = dbrail_cli::check_plan("plan.json", &bytes, &options(None)).unwrap();
    let all = start.elapsed();
    eprintln!(
        "parse {parsed:?}, subjects {:?}, full check {all:?} ({} targets, {})",
        built - parsed,
        targets.len(),
        report.summary.resources
    );
}
