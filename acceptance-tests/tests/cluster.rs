//! `dbrail_cluster`, end to end: the real terraform CLI drives the real provider against the
//! emulator, and every step is checked twice — in what terraform says, and in what the emulator
//! holds afterwards (read back through the AWS SDK, independently of the provider).
//!
//! The lifecycle covers create (a writer and two readers in distinct zones, every guardrail
//! passed), reader changes 2 → 0 (under a G12 waiver) → 1 that touch only readers, a minor
//! version AWS applies on its own, the deletion guard refusing replacement and destroy, repair
//! of out-of-band drift, import into a fresh working directory, and destroy with a final
//! snapshot once the guard is off (in production that needs a G4 waiver: rule G4 refuses
//! `deletion_guard = false` otherwise). A second test covers guardrail failures at plan time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use dbrail_acceptance_tests::tfjson::{output_value, resource_values, state_attributes};
use dbrail_acceptance_tests::{
    ClusterView, Emulator, EmulatorRds, HarnessError, InstanceView, Workspace, assert_contains,
    assert_not_contains, config_header, step,
};
use serde_json::Value;

const NAME: &str = "orders";
const ADDRESS: &str = "dbrail_cluster.orders";
const BASELINE_ADDRESS: &str = "dbrail_parameter_baseline.pg";
const BASELINE: &str = "orders-pg16";
const CLUSTER_GROUP: &str = "orders-pg16-cluster";
const INSTANCE_GROUP: &str = "orders-pg16-instance";
const WRITER: &str = "orders-1";
const MONITORING_ROLE: &str = "arn:aws:iam::123456789012:role/rds-monitoring";
const WAIVER_REASON: &str = "single-AZ while the reader fleet is rebuilt (CHG-42)";
const DECOMMISSION_REASON: &str = "decommissioning: destroyed next, a final snapshot is kept";
/// Every rule the compliance summary of a PostgreSQL cluster with a baseline reports.
const RULES: &[&str] = &[
    "G1", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12", "G13", "G14", "G15", "G18",
];
/// The rules the scenarios' cluster fails with a warning: it has no `backup_policy`, so no backup
/// plan in the configuration covers it (G7).
const WARNED: &[&str] = &["G7"];

/// One `waiver` block.
struct Waiver<'a> {
    rule: &'a str,
    reason: &'a str,
    expires: &'a str,
}

/// The configuration under test; every knob a scenario turns.
struct Config<'a> {
    subnets: &'a [String],
    kms_key: &'a str,
    name: &'a str,
    engine: &'a str,
    engine_version: &'a str,
    /// The baseline's family.
    family: &'a str,
    readers: u32,
    deletion_guard: Option<bool>,
    master_username: Option<&'a str>,
    waiver: Option<Waiver<'a>>,
}

impl<'a> Config<'a> {
    fn new(subnets: &'a [String], kms_key: &'a str) -> Self {
        Self {
            subnets,
            kms_key,
            name: NAME,
            engine: "aurora-postgresql",
            engine_version: "16",
            family: "aurora-postgresql16",
            readers: 2,
            deletion_guard: None,
            master_username: None,
            waiver: None,
        }
    }

    /// The same cluster on Aurora MySQL 8.0, with a baseline of that family.
    fn mysql(mut self) -> Self {
        self.engine = "aurora-mysql";
        self.engine_version = "8.0";
        self.family = "aurora-mysql8.0";
        self
    }

    fn readers(mut self, readers: u32) -> Self {
        self.readers = readers;
        self
    }

    fn waiver(mut self, rule: &'a str, reason: &'a str, expires: &'a str) -> Self {
        self.waiver = Some(Waiver {
            rule,
            reason,
            expires,
        });
        self
    }

    /// The HCL, laid out exactly as `terraform fmt` would.
    fn hcl(&self) -> String {
        let subnets = self
            .subnets
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let main = aligned(&[
            ("name", format!("\"{}\"", self.name)),
            ("engine", format!("\"{}\"", self.engine)),
            ("engine_version", format!("\"{}\"", self.engine_version)),
            ("tier", "\"production\"".to_owned()),
            ("instance_class", "\"db.r6g.large\"".to_owned()),
            ("readers", self.readers.to_string()),
            ("subnet_ids", format!("[{subnets}]")),
            ("kms_key_id", format!("\"{}\"", self.kms_key)),
            ("monitoring_role_arn", format!("\"{MONITORING_ROLE}\"")),
            (
                "parameter_baseline",
                "dbrail_parameter_baseline.pg".to_owned(),
            ),
            (
                "tags",
                "{ team = \"payments\", owner = \"orders\" }".to_owned(),
            ),
        ]);
        let mut optional = Vec::new();
        if let Some(guard) = self.deletion_guard {
            optional.push(("deletion_guard", guard.to_string()));
        }
        if let Some(user) = self.master_username {
            optional.push(("master_username", format!("\"{user}\"")));
        }
        let optional = if optional.is_empty() {
            String::new()
        } else {
            format!("\n{}", aligned(&optional))
        };
        let waiver = self.waiver.as_ref().map_or_else(String::new, |w| {
            format!(
                "\n  waiver {{\n{}  }}\n",
                aligned(&[
                    ("rule", format!("\"{}\"", w.rule)),
                    ("reason", format!("\"{}\"", w.reason)),
                    ("expires", format!("\"{}\"", w.expires)),
                ])
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
            )
        });
        let header = config_header();
        format!(
            r#"{header}resource "dbrail_parameter_baseline" "pg" {{
  name   = "{BASELINE}"
  family = "{family}"
}}

resource "dbrail_cluster" "orders" {{
{main}{optional}{waiver}}}

output "compliance" {{
  value = dbrail_cluster.orders.compliance
}}

output "writer_instance_id" {{
  value = dbrail_cluster.orders.writer_instance_id
}}
"#,
            family = self.family,
        )
    }
}

/// `key = value` lines indented by two, with the `=` aligned as `terraform fmt` aligns them.
fn aligned(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| format!("  {k:width$} = {v}\n"))
        .collect()
}

/// Three default subnets in distinct availability zones, and a customer-managed key.
fn fixtures(emulator: &Emulator) -> Result<(Vec<String>, String), HarnessError> {
    let subnets = emulator.default_subnets()?;
    let zones: BTreeSet<&str> = subnets.iter().take(3).map(|(_, z)| z.as_str()).collect();
    assert_eq!(zones.len(), 3, "need 3 zones, got {subnets:?}");
    let ids = subnets.iter().take(3).map(|(id, _)| id.clone()).collect();
    Ok((ids, emulator.create_kms_key()?))
}

fn cluster(rds: &EmulatorRds) -> Result<ClusterView, HarnessError> {
    Ok(rds
        .cluster(NAME)?
        .unwrap_or_else(|| panic!("the emulator has no cluster {NAME}")))
}

/// The writer's identity: its identifier, ARN and creation time (a recreated instance of the
/// same name has a new creation time).
fn writer_identity(rds: &EmulatorRds) -> Result<(String, String, String), HarnessError> {
    let out = rds
        .block_on(
            rds.client()
                .describe_db_instances()
                .db_instance_identifier(WRITER)
                .send(),
        )
        .map_err(|e| HarnessError::Aws {
            operation: format!("DescribeDBInstances({WRITER})"),
            detail: format!("{e:?}"),
        })?;
    let instance = out.db_instances().first().expect("the writer instance");
    Ok((
        instance
            .db_instance_identifier()
            .unwrap_or_default()
            .to_owned(),
        instance.db_instance_arn().unwrap_or_default().to_owned(),
        instance
            .instance_create_time()
            .map(ToString::to_string)
            .expect("InstanceCreateTime"),
    ))
}

/// The cluster's instances: `orders-1` the writer plus `readers` readers, all of the cluster,
/// in distinct zones, with the baseline's instance group, monitoring and Performance Insights.
fn assert_instances(
    rds: &EmulatorRds,
    kms_key: &str,
    readers: usize,
) -> Result<Vec<InstanceView>, HarnessError> {
    let instances = rds.instances_of(NAME)?;
    assert_eq!(instances.len(), 1 + readers, "{instances:#?}");
    let view = cluster(rds)?;
    assert_eq!(view.writer(), Some(WRITER), "{view:#?}");
    assert_eq!(view.members.len(), 1 + readers, "{view:#?}");
    let zones: BTreeSet<&str> = instances
        .iter()
        .filter_map(|i| i.availability_zone.as_deref())
        .collect();
    assert_eq!(
        zones.len(),
        instances.len(),
        "zones not distinct: {instances:#?}"
    );
    for instance in &instances {
        assert_eq!(instance.cluster_identifier.as_deref(), Some(NAME));
        assert_eq!(instance.instance_class, "db.r6g.large");
        assert_eq!(instance.db_parameter_group.as_deref(), Some(INSTANCE_GROUP));
        assert_eq!(instance.monitoring_interval, 60, "{instance:#?}");
        assert_eq!(
            instance.monitoring_role_arn.as_deref(),
            Some(MONITORING_ROLE)
        );
        assert!(instance.performance_insights_enabled, "{instance:#?}");
        assert_eq!(
            instance.performance_insights_kms_key_id.as_deref(),
            Some(kms_key)
        );
    }
    Ok(instances)
}

/// The cluster as dbrail creates it: guarded, IAM auth, encrypted with the key, the baseline's
/// cluster group, 7 days of backups, tagged.
fn assert_guarded_cluster(rds: &EmulatorRds, kms_key: &str) -> Result<ClusterView, HarnessError> {
    let view = cluster(rds)?;
    assert_eq!(view.engine, "aurora-postgresql");
    // dbrail resolves the configured major ("16") to AWS's default 16.x version
    // (DescribeDBEngineVersions, modelled by the emulator extension) and creates with that.
    assert!(view.engine_version.starts_with("16."), "{view:#?}");
    assert!(view.deletion_protection, "{view:#?}");
    assert!(view.iam_database_authentication_enabled, "{view:#?}");
    assert_eq!(
        view.db_cluster_parameter_group.as_deref(),
        Some(CLUSTER_GROUP)
    );
    assert_eq!(view.backup_retention_period, Some(7), "{view:#?}");
    assert_eq!(view.enabled_cloudwatch_logs_exports, ["postgresql"]);
    assert_eq!(view.tags.get("team").map(String::as_str), Some("payments"));
    assert_eq!(view.tags.get("owner").map(String::as_str), Some("orders"));
    assert_eq!(
        view.tags.get("dbrail:tier").map(String::as_str),
        Some("production")
    );
    let out = rds
        .block_on(
            rds.client()
                .describe_db_clusters()
                .db_cluster_identifier(NAME)
                .send(),
        )
        .map_err(|e| HarnessError::Aws {
            operation: format!("DescribeDBClusters({NAME})"),
            detail: format!("{e:?}"),
        })?;
    let raw = out.db_clusters().first().expect("the cluster");
    assert_eq!(raw.storage_encrypted(), Some(true), "{raw:#?}");
    assert_eq!(raw.kms_key_id(), Some(kms_key), "{raw:#?}");
    assert_eq!(raw.copy_tags_to_snapshot(), Some(true), "{raw:#?}");
    assert!(raw.master_user_secret().is_some(), "{raw:#?}");
    assert_eq!(raw.master_username(), Some("dbrail_admin"));
    assert_eq!(raw.port(), Some(5433));
    Ok(view)
}

/// The cluster's attributes in `terraform show -json`.
fn values(ws: &Workspace) -> Result<Value, HarnessError> {
    let show = ws.show_json()?;
    Ok(resource_values(&show, ADDRESS)
        .unwrap_or_else(|| panic!("{ADDRESS} is not in the state: {show:#}"))
        .clone())
}

/// State agrees with the emulator on the instances and version.
fn assert_state_matches(ws: &Workspace, rds: &EmulatorRds) -> Result<Value, HarnessError> {
    let values = values(ws)?;
    let view = cluster(rds)?;
    let instances = rds.instances_of(NAME)?;
    assert_eq!(values["id"], NAME);
    assert_eq!(values["arn"], view.arn.as_str());
    assert_eq!(values["writer_instance_id"], WRITER);
    assert_eq!(
        values["engine_version_actual"],
        view.engine_version.as_str()
    );
    let mut readers: Vec<&str> = values["reader_instance_ids"]
        .as_array()
        .unwrap_or_else(|| panic!("reader_instance_ids: {values:#}"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    readers.sort_unstable();
    let actual: Vec<&str> = instances
        .iter()
        .map(|i| i.identifier.as_str())
        .filter(|id| *id != WRITER)
        .collect();
    assert_eq!(readers, actual, "{values:#}");
    assert_eq!(values["readers"], actual.len());
    let zones: BTreeSet<&str> = values["availability_zones"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let actual_zones: BTreeSet<&str> = instances
        .iter()
        .filter_map(|i| i.availability_zone.as_deref())
        .collect();
    assert_eq!(zones, actual_zones);
    assert_eq!(values["deletion_guard"], view.deletion_protection);
    Ok(values)
}

/// The compliance summary, from `terraform output` and from the state, which must agree.
fn compliance(ws: &Workspace) -> Result<serde_json::Map<String, Value>, HarnessError> {
    let outputs = ws.output_json()?;
    let output = output_value(&outputs, "compliance")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("no compliance output in {outputs:#}"))
        .clone();
    let state = ws.state_json()?;
    let attributes = state_attributes(&state, "dbrail_cluster", "orders")
        .unwrap_or_else(|| panic!("no dbrail_cluster.orders in {state:#}"));
    assert_eq!(
        attributes["compliance"],
        Value::Object(output.clone()),
        "state and output disagree"
    );
    Ok(output)
}

fn assert_compliance(ws: &Workspace, waived: &[&str]) -> Result<(), HarnessError> {
    let summary = compliance(ws)?;
    for rule in RULES {
        let wanted = if waived.contains(rule) {
            "waived"
        } else if WARNED.contains(rule) {
            "failed"
        } else {
            "passed"
        };
        assert_eq!(
            summary.get(*rule).and_then(Value::as_str),
            Some(wanted),
            "compliance[{rule}] in {summary:#?}"
        );
    }
    for (rule, outcome) in &summary {
        let wanted = if waived.contains(&rule.as_str()) {
            "waived"
        } else if WARNED.contains(&rule.as_str()) {
            "failed"
        } else {
            "passed"
        };
        assert_eq!(outcome, wanted, "compliance[{rule}] in {summary:#?}");
    }
    Ok(())
}

/// A reader change: planned in place, never a replacement, and the apply changes one resource.
fn apply_reader_change(ws: &Workspace, config: &Config<'_>) -> Result<(), HarnessError> {
    ws.write_file("main.tf", &config.hcl())?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} will be updated in-place"));
    assert_contains(&plan.stdout, "readers");
    assert_not_contains(&plan.stdout, "must be replaced");
    assert_not_contains(&plan.stdout, "forces replacement");
    assert_contains(&plan.stdout, "Plan: 0 to add, 1 to change, 0 to destroy.");
    let apply = ws.apply()?;
    assert_contains(
        &apply.stdout,
        "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
    );
    Ok(())
}

#[test]
fn lifecycle_create_readers_version_guard_drift_import_destroy() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let rds = EmulatorRds::connect(&emulator)?;
    let (subnets, kms_key) = fixtures(&emulator)?;
    let base = || Config::new(&subnets, &kms_key);
    let ws = Workspace::new(&[("main.tf", &base().hcl())], &emulator)?;
    ws.init()?;

    step("plan: the baseline and the cluster to add, nothing created yet");
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} will be created"));
    assert_contains(&plan.stdout, "Plan: 2 to add, 0 to change, 0 to destroy.");
    assert!(
        rds.cluster(NAME)?.is_none(),
        "plan must not create anything"
    );

    step("apply creates the guarded cluster, a writer and two readers in distinct zones");
    let apply = ws.apply()?;
    assert_contains(
        &apply.stdout,
        "Apply complete! Resources: 2 added, 0 changed, 0 destroyed.",
    );
    assert_guarded_cluster(&rds, &kms_key)?;
    let instances = assert_instances(&rds, &kms_key, 2)?;
    let ids: Vec<&str> = instances.iter().map(|i| i.identifier.as_str()).collect();
    assert_eq!(ids, ["orders-1", "orders-2", "orders-3"]);
    let created = assert_state_matches(&ws, &rds)?;
    assert_eq!(created["guarded_settings"]["storage_encrypted"], "true");
    assert_eq!(
        created["guarded_settings"]["iam_database_authentication"],
        "true"
    );
    let writer = writer_identity(&rds)?;

    step("plan after create is empty; every guardrail passed");
    ws.plan_detailed()?.expect_no_changes()?;
    assert_compliance(&ws, &[])?;

    step("readers 2 → 0 (G12 waived): only the readers are deleted, in place");
    let expires = "2099-12-31";
    apply_reader_change(
        &ws,
        &base().readers(0).waiver("G12", WAIVER_REASON, expires),
    )?;
    assert_instances(&rds, &kms_key, 0)?;
    assert_eq!(
        writer_identity(&rds)?,
        writer,
        "the writer must stay the same instance"
    );
    assert!(
        cluster(&rds)?.tags.contains_key("dbrail:waiver:G12"),
        "the waiver is recorded on the cluster"
    );
    assert_state_matches(&ws, &rds)?;
    ws.plan_detailed()?.expect_no_changes()?;
    assert_compliance(&ws, &["G12"])?;

    step("readers 0 → 1 (waiver removed): exactly one reader is created, in place");
    apply_reader_change(&ws, &base().readers(1))?;
    let instances = assert_instances(&rds, &kms_key, 1)?;
    let ids: Vec<&str> = instances.iter().map(|i| i.identifier.as_str()).collect();
    assert_eq!(ids, ["orders-1", "orders-2"]);
    assert_eq!(
        writer_identity(&rds)?,
        writer,
        "the writer must stay the same instance"
    );
    assert!(!cluster(&rds)?.tags.contains_key("dbrail:waiver:G12"));
    assert_state_matches(&ws, &rds)?;
    ws.plan_detailed()?.expect_no_changes()?;
    assert_compliance(&ws, &[])?;
    let one_reader = base().readers(1);

    step("a minor version AWS applies out of band causes no diff and shows after refresh");
    rds.set_cluster_engine_version(NAME, "16.6")?;
    assert_eq!(cluster(&rds)?.engine_version, "16.6");
    ws.plan_detailed()?.expect_no_changes()?;
    ws.run_ok(&[
        "apply",
        "-refresh-only",
        "-auto-approve",
        "-input=false",
        "-no-color",
    ])?;
    assert_eq!(values(&ws)?["engine_version_actual"], "16.6");
    assert_eq!(values(&ws)?["engine_version"], "16");
    ws.plan_detailed()?.expect_no_changes()?;

    step("the deletion guard refuses changes that would replace the cluster");
    let other_key = emulator.create_kms_key()?;
    let before = cluster(&rds)?;
    for (attribute, config) in [
        ("engine", base().readers(1).mysql()),
        (
            "kms_key_id",
            Config {
                kms_key: &other_key,
                ..base().readers(1)
            },
        ),
        (
            "name",
            Config {
                name: "orders-b",
                ..base().readers(1)
            },
        ),
        (
            "master_username",
            Config {
                master_username: Some("orders_admin"),
                ..base().readers(1)
            },
        ),
    ] {
        ws.write_file("main.tf", &config.hcl())?;
        let failed = ws.plan_detailed()?.expect_error()?;
        assert_contains(
            &failed.stderr,
            &format!("Changing {attribute} would replace the cluster"),
        );
        assert_contains(&failed.stderr, "deletion_guard is on");
        assert_contains(
            &failed.stderr,
            &format!("AWS cannot change `{attribute}` in place"),
        );
        // The plan failed for the cluster: it is not among what terraform would do.
        assert_not_contains(&failed.stdout, &format!("# {ADDRESS}"));
    }
    ws.write_file("main.tf", &one_reader.hcl())?;

    step("the deletion guard refuses destroy, before any API call");
    let refused = ws.run(&["destroy", "-auto-approve", "-input=false", "-no-color"])?;
    assert_eq!(refused.code, Some(1), "{}", refused.combined());
    assert_contains(&refused.stderr, "deletion_guard protects cluster orders");
    let after = cluster(&rds)?;
    assert_eq!(
        after, before,
        "a refused change or destroy must not touch the cluster"
    );
    assert_eq!(rds.instances_of(NAME)?.len(), 2);
    assert!(rds.cluster_parameter_group(CLUSTER_GROUP)?.is_some());
    assert!(rds.instance_parameter_group(INSTANCE_GROUP)?.is_some());
    ws.plan_detailed()?.expect_no_changes()?;

    step("out-of-band drift: protection off, retention 1, the reader deleted");
    rds.modify_cluster_drift(NAME, Some(false), Some(1))?;
    rds.delete_instance("orders-2")?;
    let drifted = cluster(&rds)?;
    assert!(!drifted.deletion_protection);
    assert_eq!(drifted.backup_retention_period, Some(1));
    assert_eq!(rds.instances_of(NAME)?.len(), 1);
    let plan = ws.plan_detailed()?.expect_changes()?;
    let text = plan.combined();
    assert_contains(&text, &format!("{ADDRESS} will be updated in-place"));
    assert_contains(
        &text,
        "[G4] Deletion protection was turned off outside Terraform",
    );
    assert_contains(
        &text,
        "[G12] A reader instance was removed outside Terraform",
    );
    assert_contains(&text, "[G6] Backup retention was lowered outside Terraform");
    // The guard is configuration; what AWS reports shows in `guarded_settings`.
    assert_contains(
        &text,
        "\"deletion_protection\"         = \"false\" -> \"true\"",
    );
    assert_contains(&text, "retention_days");
    assert_contains(&text, "readers");
    assert_not_contains(&text, "must be replaced");

    step("apply repairs the drift");
    ws.apply()?;
    let repaired = assert_guarded_cluster(&rds, &kms_key)?;
    assert!(repaired.deletion_protection);
    assert_eq!(repaired.backup_retention_period, Some(7));
    let instances = assert_instances(&rds, &kms_key, 1)?;
    assert_eq!(instances.len(), 2);
    assert_eq!(
        writer_identity(&rds)?,
        writer,
        "the writer must stay the same instance"
    );
    assert_state_matches(&ws, &rds)?;
    ws.plan_detailed()?.expect_no_changes()?;
    assert_compliance(&ws, &[])?;

    step("import into a fresh working directory yields an empty plan");
    let fresh = Workspace::new(&[("main.tf", &one_reader.hcl())], &emulator)?;
    fresh.init()?;
    let import = fresh.import(BASELINE_ADDRESS, BASELINE)?;
    assert_contains(&import.stdout, "Import successful!");
    let import = fresh.import(ADDRESS, NAME)?;
    assert_contains(&import.stdout, "Import successful!");
    fresh.plan_detailed()?.expect_no_changes()?;
    let imported = assert_state_matches(&fresh, &rds)?;
    let original = values(&ws)?;
    for attribute in [
        "arn",
        "cluster_resource_id",
        "kms_key_id",
        "tier",
        "port",
        "master_username",
        "db_subnet_group_name",
        "subnet_ids",
        "final_snapshot_identifier",
        "parameter_baseline",
        "compliance",
    ] {
        assert_eq!(
            imported[attribute], original[attribute],
            "{attribute} differs after import"
        );
    }

    step("guard off without a waiver: G4 refuses it in production");
    let unguarded = Config {
        deletion_guard: Some(false),
        ..base().readers(1)
    };
    ws.write_file("main.tf", &unguarded.hcl())?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "[G4] Deletion protection");
    assert_contains(&failed.stderr, "deletion_guard = false");
    assert!(cluster(&rds)?.deletion_protection);

    step("guard off under a G4 waiver, applied alone: AWS deletion protection goes off");
    let unguarded = unguarded.waiver("G4", DECOMMISSION_REASON, "2099-12-31");
    ws.write_file("main.tf", &unguarded.hcl())?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, "deletion_guard");
    assert_contains(&plan.stdout, "Plan: 0 to add, 1 to change, 0 to destroy.");
    ws.apply()?;
    let view = cluster(&rds)?;
    assert!(!view.deletion_protection, "{view:#?}");
    assert!(view.tags.contains_key("dbrail:waiver:G4"), "{view:#?}");
    ws.plan_detailed()?.expect_no_changes()?;
    assert_compliance(&ws, &["G4"])?;
    let snapshot_name = values(&ws)?["final_snapshot_identifier"]
        .as_str()
        .expect("final_snapshot_identifier")
        .to_owned();
    assert!(
        snapshot_name.starts_with("orders-final-"),
        "{snapshot_name}"
    );

    step("destroy deletes the instances and the cluster, leaving the final snapshot");
    assert!(rds.cluster_snapshot_ids()?.is_empty());
    let destroy = ws.destroy()?;
    assert_contains(&destroy.stdout, "Destroy complete! Resources: 2 destroyed.");
    assert!(rds.cluster(NAME)?.is_none(), "the cluster is still there");
    let left = rds.instances_of(NAME)?;
    assert!(left.is_empty(), "instances left behind: {left:#?}");
    let all = rds
        .block_on(rds.client().describe_db_instances().send())
        .map_err(|e| HarnessError::Aws {
            operation: "DescribeDBInstances".into(),
            detail: format!("{e:?}"),
        })?;
    assert!(all.db_instances().is_empty(), "instances left: {all:#?}");
    let groups = rds
        .block_on(rds.client().describe_db_subnet_groups().send())
        .map_err(|e| HarnessError::Aws {
            operation: "DescribeDBSubnetGroups".into(),
            detail: format!("{e:?}"),
        })?;
    assert!(
        groups
            .db_subnet_groups()
            .iter()
            .all(|g| g.db_subnet_group_name() != Some("orders-subnets")),
        "dbrail's subnet group is left: {groups:#?}"
    );
    assert_eq!(rds.cluster_snapshot_ids()?, [snapshot_name.as_str()]);
    let snapshot = rds
        .cluster_snapshot(&snapshot_name)?
        .expect("the final snapshot");
    assert_eq!(snapshot.cluster_identifier, NAME);
    assert!(snapshot.storage_encrypted, "{snapshot:#?}");
    assert_eq!(snapshot.kms_key_id.as_deref(), Some(kms_key.as_str()));
    assert_eq!(
        snapshot.tags.get("team").map(String::as_str),
        Some("payments")
    );
    assert!(rds.cluster_parameter_group(CLUSTER_GROUP)?.is_none());
    Ok(())
}

#[test]
fn guardrail_failures_at_plan_time() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let rds = EmulatorRds::connect(&emulator)?;
    let (subnets, kms_key) = fixtures(&emulator)?;
    let base = || Config::new(&subnets, &kms_key);
    let ws = Workspace::new(&[("main.tf", &base().hcl())], &emulator)?;
    ws.init()?;

    step("control: the valid configuration plans");
    ws.plan_detailed()?.expect_changes()?;

    step("production without readers fails G12 on readers");
    ws.write_file("main.tf", &base().readers(0).hcl())?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "[G12]");
    assert_contains(&failed.stderr, "readers = 0");
    assert_contains(&failed.stderr, "with dbrail_cluster.orders");

    step("a well-known admin user name fails G15 on master_username");
    let postgres = Config {
        master_username: Some("postgres"),
        ..base()
    };
    ws.write_file("main.tf", &postgres.hcl())?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "[G15]");
    assert_contains(&failed.stderr, "master_username = \"postgres\"");

    step("an expired waiver fails, naming the waiver");
    let expired = base().readers(0).waiver("G12", WAIVER_REASON, "2020-01-01");
    ws.write_file("main.tf", &expired.hcl())?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "[G12]");
    assert_contains(&failed.stderr, "waiver for G12 expired on 2020-01-01");
    assert_contains(&failed.stderr, "expires = \"2020-01-01\"");

    step("a valid waiver lets production plan without readers");
    let waived = base().readers(0).waiver("G12", WAIVER_REASON, "2099-12-31");
    ws.write_file("main.tf", &waived.hcl())?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} will be created"));
    assert_not_contains(&plan.combined(), "[G12]");

    step("nothing was created along the way");
    assert!(rds.cluster(NAME)?.is_none());
    assert!(rds.cluster_parameter_group(CLUSTER_GROUP)?.is_none());
    Ok(())
}

/// The test's own HCL is exactly as `terraform fmt` lays it out, in every variant used.
#[test]
fn test_configurations_are_well_formed() -> Result<(), HarnessError> {
    let subnets = vec!["subnet-a".to_owned(), "subnet-b".to_owned()];
    let key = "arn:aws:kms:us-east-1:123456789012:key/k";
    let base = || Config::new(&subnets, key);
    let variants = [
        base(),
        base().readers(0).waiver("G12", WAIVER_REASON, "2099-12-31"),
        base().mysql(),
        Config {
            deletion_guard: Some(false),
            master_username: Some("postgres"),
            ..base()
        }
        .waiver("G4", DECOMMISSION_REASON, "2099-12-31"),
    ];
    let files: Vec<(String, String)> = variants
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("v{i}.tf"), c.hcl()))
        .collect();
    for (index, needle) in [
        (0, "  readers             = 2\n"),
        (1, "  readers             = 0\n"),
        (1, "    rule    = \"G12\"\n"),
        (2, "  engine              = \"aurora-mysql\"\n"),
        (2, "  family = \"aurora-mysql8.0\"\n"),
        (
            3,
            "  deletion_guard  = false\n  master_username = \"postgres\"\n",
        ),
        (3, "    expires = \"2099-12-31\"\n"),
    ] {
        assert!(
            files[index].1.contains(needle),
            "{needle:?} in:\n{}",
            files[index].1
        );
    }
    let emulator = Emulator::start()?;
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_str()))
        .collect();
    let ws = Workspace::without_provider(&refs, &emulator)?;
    ws.run_ok(&["fmt", "-check", "-diff", "-no-color"])?;
    Ok(())
}

/// A configuration with baselines for Aurora PostgreSQL 15 and 16 side by side (a cluster moves
/// between them in a major upgrade; the old one is removed only afterwards, as it is in use).
fn upgrade_hcl(
    subnets: &[String],
    kms_key: &str,
    version: &str,
    baseline: &str,
    allow: bool,
) -> String {
    let subnets = subnets
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let header = config_header();
    format!(
        r#"{header}resource "dbrail_parameter_baseline" "pg15" {{
  name   = "orders-pg15"
  family = "aurora-postgresql15"
}}

resource "dbrail_parameter_baseline" "pg16" {{
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}}

resource "dbrail_cluster" "orders" {{
  name                        = "{NAME}"
  engine                      = "aurora-postgresql"
  engine_version              = "{version}"
  allow_major_version_upgrade = {allow}
  tier                        = "production"
  instance_class              = "db.r6g.large"
  readers                     = 1
  subnet_ids                  = [{subnets}]
  kms_key_id                  = "{kms_key}"
  monitoring_role_arn         = "{MONITORING_ROLE}"
  parameter_baseline          = dbrail_parameter_baseline.{baseline}
  tags                        = {{ team = "payments", owner = "orders" }}
}}
"#
    )
}

#[test]
fn major_upgrade_is_one_plan_with_the_new_family() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let rds = EmulatorRds::connect(&emulator)?;
    let (subnets, kms_key) = fixtures(&emulator)?;
    let ws = Workspace::new(
        &[(
            "main.tf",
            &upgrade_hcl(&subnets, &kms_key, "15", "pg15", false),
        )],
        &emulator,
    )?;
    ws.init()?;

    step("a cluster on Aurora PostgreSQL 15 with the 15 baseline");
    ws.apply()?;
    let before = cluster(&rds)?;
    assert!(before.engine_version.starts_with("15."), "{before:#?}");
    assert_eq!(
        before.db_cluster_parameter_group.as_deref(),
        Some("orders-pg15-cluster")
    );
    let writer_before = writer_identity(&rds)?;
    ws.plan_detailed()?.expect_no_changes()?;

    step("16 with the 15 baseline is refused: the family must match");
    ws.write_file(
        "main.tf",
        &upgrade_hcl(&subnets, &kms_key, "16", "pg15", true),
    )?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "aurora-postgresql15");
    assert_contains(&failed.stderr, "aurora-postgresql16");
    assert_contains(&failed.stderr, "parameter_baseline");

    step("16 with the 16 baseline but without allow_major_version_upgrade is refused");
    ws.write_file(
        "main.tf",
        &upgrade_hcl(&subnets, &kms_key, "16", "pg16", false),
    )?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "major version upgrade");
    assert_contains(&failed.stderr, "allow_major_version_upgrade");
    assert_eq!(
        cluster(&rds)?.engine_version,
        before.engine_version,
        "a refused plan changed AWS"
    );

    step("with both, one in-place update moves version and parameter groups together");
    ws.write_file(
        "main.tf",
        &upgrade_hcl(&subnets, &kms_key, "16", "pg16", true),
    )?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} will be updated in-place"));
    assert_not_contains(&plan.stdout, "must be replaced");
    ws.apply()?;
    let after = cluster(&rds)?;
    assert!(after.engine_version.starts_with("16."), "{after:#?}");
    assert_eq!(
        after.db_cluster_parameter_group.as_deref(),
        Some("orders-pg16-cluster")
    );
    assert_eq!(
        writer_identity(&rds)?,
        writer_before,
        "the upgrade must not recreate the writer"
    );
    ws.plan_detailed()?.expect_no_changes()?;
    let values = values(&ws)?;
    assert_eq!(values["engine_version"], "16");
    assert!(
        values["engine_version_actual"]
            .as_str()
            .is_some_and(|v| v.starts_with("16.")),
        "{values:#}"
    );
    Ok(())
}

/// A development-tier cluster: no KMS key of its own (AWS's key; G1 only warns below
/// production), with optional extra lines.
fn development_hcl(subnets: &[String], baseline: bool, extra: &str) -> String {
    let subnets = subnets
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let baseline_line = if baseline {
        "  parameter_baseline  = dbrail_parameter_baseline.pg\n"
    } else {
        ""
    };
    let header = config_header();
    format!(
        r#"{header}resource "dbrail_parameter_baseline" "pg" {{
  name   = "{BASELINE}"
  family = "aurora-postgresql16"
}}

resource "dbrail_cluster" "orders" {{
  name                = "{NAME}"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "development"
  instance_class      = "db.r6g.large"
  readers             = 1
  subnet_ids          = [{subnets}]
  monitoring_role_arn = "{MONITORING_ROLE}"
{baseline_line}{extra}}}
"#
    )
}

#[test]
fn guard_defaults_and_ownership_hold_in_edge_cases() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let rds = EmulatorRds::connect(&emulator)?;
    let (subnets, _) = fixtures(&emulator)?;

    step("a cluster with the name of one dbrail did not create is not taken over");
    rds.block_on(
        rds.client()
            .create_db_cluster()
            .db_cluster_identifier(NAME)
            .engine("aurora-postgresql")
            .master_username("someone")
            .manage_master_user_password(true)
            .send(),
    )
    .map_err(|e| HarnessError::Aws {
        operation: "CreateDBCluster(foreign)".to_owned(),
        detail: format!("{e:?}"),
    })?;
    let ws = Workspace::new(
        &[("main.tf", &development_hcl(&subnets, true, ""))],
        &emulator,
    )?;
    ws.init()?;
    let failed = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"])?;
    assert_ne!(failed.code, Some(0), "{}", failed.stdout);
    assert_contains(&failed.stderr, "already exists");
    assert_contains(&failed.stderr, "terraform import");
    assert!(
        rds.instances_of(NAME)?.is_empty(),
        "no instance may be added to a foreign cluster"
    );
    rds.block_on(
        rds.client()
            .delete_db_cluster()
            .db_cluster_identifier(NAME)
            .skip_final_snapshot(true)
            .send(),
    )
    .map_err(|e| HarnessError::Aws {
        operation: "DeleteDBCluster(foreign)".to_owned(),
        detail: format!("{e:?}"),
    })?;
    ws.run(&["state", "rm", BASELINE_ADDRESS])?;

    step("without a parameter baseline, TLS cannot be shown: [G10] on parameter_baseline");
    ws.write_file("main.tf", &development_hcl(&subnets, false, ""))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "[G10]");
    assert_contains(&failed.stderr, "parameter_baseline");

    step("development tier without kms_key_id creates cleanly and plans empty");
    ws.write_file(
        "main.tf",
        &development_hcl(&subnets, true, "  master_username     = \"orders_admin\"\n"),
    )?;
    ws.apply()?;
    ws.plan_detailed()?.expect_no_changes()?;
    assert_eq!(values(&ws)?["kms_key_id"], Value::Null);

    step("going back to the default master_username is a replacement, refused by the guard");
    ws.write_file("main.tf", &development_hcl(&subnets, true, ""))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(
        &failed.stderr,
        "Changing master_username would replace the cluster",
    );

    step("deletion protection switched off outside Terraform does not switch the guard off");
    ws.write_file(
        "main.tf",
        &development_hcl(&subnets, true, "  master_username     = \"orders_admin\"\n"),
    )?;
    rds.modify_cluster_drift(NAME, Some(false), None)?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, "deletion_protection");
    let destroy = ws.run(&["destroy", "-auto-approve", "-input=false", "-no-color"])?;
    assert_ne!(
        destroy.code,
        Some(0),
        "destroy must be refused: {}",
        destroy.stdout
    );
    assert_contains(&destroy.stderr, "deletion_guard");
    assert!(
        rds.cluster(NAME)?.is_some(),
        "the guarded cluster was deleted"
    );
    ws.apply()?;
    assert!(
        cluster(&rds)?.deletion_protection,
        "apply restores deletion protection"
    );
    ws.plan_detailed()?.expect_no_changes()?;
    Ok(())
}
