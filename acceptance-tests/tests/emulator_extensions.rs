//! The emulator extensions in `emulator/` have their own tests (Python's unittest, boto3 against
//! moto in-process); this runs them as part of `cargo test`, checks each extension is live in
//! the emulator the acceptance tests start (through the Rust SDK), and checks the harness's
//! cluster helpers (`Emulator::default_subnets`, `EmulatorRds::cluster`, ...).

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

/// The error code of a failed SDK call.
fn code<E: aws_sdk_rds::error::ProvideErrorMetadata>(error: &E) -> String {
    error.code().unwrap_or("no code").to_owned()
}

/// A cluster (and, with `writer`, its first instance) created through the SDK.
fn create_cluster(rds: &EmulatorRds, id: &str, log_exports: &[&str]) {
    rds.block_on(
        rds.client()
            .create_db_cluster()
            .db_cluster_identifier(id)
            .engine("aurora-postgresql")
            .engine_version("16.6")
            .master_username("dbadmin")
            .master_user_password("password-123")
            .set_enable_cloudwatch_logs_exports(Some(
                log_exports.iter().map(|t| (*t).to_owned()).collect(),
            ))
            .backup_retention_period(7)
            .deletion_protection(true)
            .storage_encrypted(true)
            .tags(
                aws_sdk_rds::types::Tag::builder()
                    .key("env")
                    .value("test")
                    .build(),
            )
            .send(),
    )
    .unwrap();
}

fn create_instance(rds: &EmulatorRds, id: &str, cluster: &str, zone: &str) {
    rds.block_on(
        rds.client()
            .create_db_instance()
            .db_instance_identifier(id)
            .db_cluster_identifier(cluster)
            .engine("aurora-postgresql")
            .db_instance_class("db.r6g.large")
            .availability_zone(zone)
            .enable_performance_insights(true)
            .monitoring_interval(30)
            .monitoring_role_arn("arn:aws:iam::123456789012:role/rds-monitoring")
            .send(),
    )
    .unwrap();
}

#[test]
fn started_emulator_reports_performance_insights_and_monitoring() {
    let emulator = Emulator::start().unwrap();
    let rds = EmulatorRds::connect(&emulator).unwrap();
    create_cluster(&rds, "pi-check", &[]);
    create_instance(&rds, "pi-check-1", "pi-check", "us-east-1a");

    let instances = rds.instances_of("pi-check").unwrap();
    assert_eq!(instances.len(), 1);
    let writer = &instances[0];
    assert!(writer.performance_insights_enabled);
    assert_eq!(writer.performance_insights_retention_period, Some(7));
    let key = writer.performance_insights_kms_key_id.as_deref().unwrap();
    assert!(key.starts_with("arn:aws:kms:us-east-1:"), "{key}");
    assert!(key.contains(":key/"), "{key}");
    assert_eq!(writer.monitoring_interval, 30);
    assert_eq!(
        writer.monitoring_role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/rds-monitoring")
    );

    // AWS's validation: an interval outside 0/1/5/10/15/30/60, and an interval without a role.
    let invalid = rds
        .block_on(
            rds.client()
                .modify_db_instance()
                .db_instance_identifier("pi-check-1")
                .monitoring_interval(45)
                .send(),
        )
        .unwrap_err();
    assert_eq!(code(&invalid), "InvalidParameterValue");
    let no_role = rds
        .block_on(
            rds.client()
                .create_db_instance()
                .db_instance_identifier("pi-check-2")
                .db_cluster_identifier("pi-check")
                .engine("aurora-postgresql")
                .db_instance_class("db.r6g.large")
                .monitoring_interval(60)
                .send(),
        )
        .unwrap_err();
    assert_eq!(code(&no_role), "InvalidParameterCombination");

    // Turning both off in place.
    rds.block_on(
        rds.client()
            .modify_db_instance()
            .db_instance_identifier("pi-check-1")
            .monitoring_interval(0)
            .enable_performance_insights(false)
            .apply_immediately(true)
            .send(),
    )
    .unwrap();
    let off = &rds.instances_of("pi-check").unwrap()[0];
    assert_eq!(off.monitoring_interval, 0);
    assert!(!off.performance_insights_enabled);
    assert_eq!(off.performance_insights_kms_key_id, None);
}

#[test]
fn started_emulator_modifies_log_exports_and_iam_auth() {
    let emulator = Emulator::start().unwrap();
    let rds = EmulatorRds::connect(&emulator).unwrap();
    create_cluster(&rds, "logs-check", &["postgresql"]);
    let before = rds.cluster("logs-check").unwrap().unwrap();
    assert!(!before.iam_database_authentication_enabled);

    rds.block_on(
        rds.client()
            .modify_db_cluster()
            .db_cluster_identifier("logs-check")
            .cloudwatch_logs_export_configuration(
                aws_sdk_rds::types::CloudwatchLogsExportConfiguration::builder()
                    .enable_log_types("iam-db-auth-error")
                    .disable_log_types("postgresql")
                    .build(),
            )
            .enable_iam_database_authentication(true)
            .apply_immediately(true)
            .send(),
    )
    .unwrap();
    let after = rds.cluster("logs-check").unwrap().unwrap();
    assert_eq!(after.enabled_cloudwatch_logs_exports, ["iam-db-auth-error"]);
    assert!(after.iam_database_authentication_enabled);

    // `upgrade` is an RDS for PostgreSQL log type, not an Aurora PostgreSQL one.
    let refused = rds
        .block_on(
            rds.client()
                .modify_db_cluster()
                .db_cluster_identifier("logs-check")
                .cloudwatch_logs_export_configuration(
                    aws_sdk_rds::types::CloudwatchLogsExportConfiguration::builder()
                        .enable_log_types("upgrade")
                        .build(),
                )
                .send(),
        )
        .unwrap_err();
    assert_eq!(code(&refused), "InvalidParameterCombination");

    // An unknown cluster is DBClusterNotFoundFault, not an HTML 500 retried until the deadline.
    let missing = rds
        .block_on(
            rds.client()
                .modify_db_cluster()
                .db_cluster_identifier("absent")
                .backup_retention_period(3)
                .send(),
        )
        .unwrap_err();
    assert_eq!(code(&missing), "DBClusterNotFoundFault");
}

#[test]
fn started_emulator_serves_engine_versions() {
    let emulator = Emulator::start().unwrap();
    let rds = EmulatorRds::connect(&emulator).unwrap();
    let defaults = rds
        .block_on(
            rds.client()
                .describe_db_engine_versions()
                .engine("aurora-postgresql")
                .engine_version("16")
                .default_only(true)
                .send(),
        )
        .unwrap();
    let listed = defaults.db_engine_versions();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].major_engine_version(), Some("16"));
    assert_eq!(
        listed[0].db_parameter_group_family(),
        Some("aurora-postgresql16")
    );
    assert!(
        listed[0]
            .engine_version()
            .is_some_and(|v| v.starts_with("16.")),
        "{listed:?}"
    );

    // The SDK's paginator follows Marker through pages of 20.
    let all = rds
        .block_on(
            rds.client()
                .describe_db_engine_versions()
                .max_records(20)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .unwrap();
    assert!(all.len() > 20, "{}", all.len());
    assert!(all.iter().any(|v| v.engine() == Some("aurora-mysql")));

    let unknown = rds
        .block_on(
            rds.client()
                .describe_db_engine_versions()
                .engine("aurora-postgresql99")
                .send(),
        )
        .unwrap();
    assert!(unknown.db_engine_versions().is_empty());
}

#[test]
fn default_subnets_span_distinct_zones() {
    let emulator = Emulator::start().unwrap();
    let subnets = emulator.default_subnets().unwrap();
    let zones: std::collections::BTreeSet<&str> =
        subnets.iter().map(|(_, zone)| zone.as_str()).collect();
    assert!(zones.len() >= 2, "{subnets:?}");
    assert_eq!(zones.len(), subnets.len(), "one default subnet per zone");
    assert!(subnets.iter().all(|(id, _)| id.starts_with("subnet-")));
    let sorted: Vec<&str> = subnets.iter().map(|(_, zone)| zone.as_str()).collect();
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "{sorted:?}");

    // They are real subnets: RDS accepts them for a subnet group.
    let rds = EmulatorRds::connect(&emulator).unwrap();
    rds.block_on(
        rds.client()
            .create_db_subnet_group()
            .db_subnet_group_name("two-zones")
            .db_subnet_group_description("two zones")
            .subnet_ids(&subnets[0].0)
            .subnet_ids(&subnets[1].0)
            .send(),
    )
    .unwrap();
}

#[test]
fn cluster_helpers_read_and_drift_the_emulator() {
    let emulator = Emulator::start().unwrap();
    let rds = EmulatorRds::connect(&emulator).unwrap();
    assert_eq!(rds.cluster("helpers").unwrap(), None);
    assert!(rds.instances_of("helpers").unwrap().is_empty());
    create_cluster(&rds, "helpers", &["postgresql"]);
    create_instance(&rds, "helpers-1", "helpers", "us-east-1a");
    create_instance(&rds, "helpers-2", "helpers", "us-east-1b");

    let cluster = rds.cluster("helpers").unwrap().unwrap();
    assert_eq!(cluster.identifier, "helpers");
    assert_eq!(cluster.engine, "aurora-postgresql");
    assert_eq!(cluster.engine_version, "16.6");
    assert!(cluster.deletion_protection);
    assert_eq!(cluster.backup_retention_period, Some(7));
    assert_eq!(cluster.members.len(), 2);
    assert_eq!(cluster.writer(), Some("helpers-1"));
    assert_eq!(cluster.tags.get("env").map(String::as_str), Some("test"));
    assert!(cluster.db_cluster_parameter_group.is_some());
    assert_eq!(cluster.enabled_cloudwatch_logs_exports, ["postgresql"]);

    let instances = rds.instances_of("helpers").unwrap();
    let placed: Vec<(&str, Option<&str>)> = instances
        .iter()
        .map(|i| (i.identifier.as_str(), i.availability_zone.as_deref()))
        .collect();
    assert_eq!(
        placed,
        [
            ("helpers-1", Some("us-east-1a")),
            ("helpers-2", Some("us-east-1b"))
        ]
    );
    assert!(instances.iter().all(|i| i.instance_class == "db.r6g.large"));

    // Out-of-band changes: a minor upgrade, drift of protection and retention, a lost reader.
    rds.set_cluster_engine_version("helpers", "16.8").unwrap();
    rds.modify_cluster_drift("helpers", Some(false), Some(1))
        .unwrap();
    rds.modify_cluster_drift("helpers", None, None).unwrap();
    rds.delete_instance("helpers-2").unwrap();
    let drifted = rds.cluster("helpers").unwrap().unwrap();
    assert_eq!(drifted.engine_version, "16.8");
    assert!(!drifted.deletion_protection);
    assert_eq!(drifted.backup_retention_period, Some(1));
    assert_eq!(drifted.members.len(), 1);
    assert_eq!(rds.instances_of("helpers").unwrap().len(), 1);

    // A final snapshot, found by id and listed among the manual ones.
    assert_eq!(rds.cluster_snapshot("helpers-final").unwrap(), None);
    rds.delete_instance("helpers-1").unwrap();
    rds.block_on(
        rds.client()
            .delete_db_cluster()
            .db_cluster_identifier("helpers")
            .final_db_snapshot_identifier("helpers-final")
            .send(),
    )
    .unwrap();
    assert_eq!(rds.cluster("helpers").unwrap(), None);
    let snapshot = rds.cluster_snapshot("helpers-final").unwrap().unwrap();
    assert_eq!(snapshot.cluster_identifier, "helpers");
    assert_eq!(snapshot.snapshot_type, "manual");
    assert!(snapshot.storage_encrypted);
    assert_eq!(rds.cluster_snapshot_ids().unwrap(), ["helpers-final"]);
}
