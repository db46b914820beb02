//! `dbrail_parameter_baseline`, end to end: the real terraform CLI drives the real provider
//! against the emulator, and every step is checked twice — in what terraform says, and in what
//! the emulator holds afterwards (read back through the AWS SDK, independently of the provider).
//!
//! The lifecycle covers create, an in-place update, repair of out-of-band drift, import into a
//! fresh working directory, destroy, and the vanished-resource path. Two more tests cover the
//! configurations that must be rejected at plan time (rule G10, a missing reason, an unknown
//! family) and the attributes that force replacement.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use dbrail_acceptance_tests::tfjson::{output_value, resource_values};
use dbrail_acceptance_tests::{
    Emulator, EmulatorRds, HarnessError, PROVIDER_SHORT_SOURCE, PROVIDER_VERSION, Workspace,
    assert_contains, config_header, step,
};

const NAME: &str = "orders-pg16";
const FAMILY: &str = "aurora-postgresql16";
/// A second supported family, for the replacement test.
const OTHER_FAMILY: &str = "aurora-postgresql15";
const CLUSTER_GROUP: &str = "orders-pg16-cluster";
const INSTANCE_GROUP: &str = "orders-pg16-instance";
const ADDRESS: &str = "dbrail_parameter_baseline.pg";
const REASON: &str = "orders API p99 target is 500 ms";

/// One entry of the `overrides` map, laid out as `terraform fmt` would.
fn override_block(name: &str, value: &str, reason: Option<&str>) -> String {
    match reason {
        Some(reason) => format!(
            "    \"{name}\" = {{\n      value  = \"{value}\"\n      reason = \"{reason}\"\n    }}\n"
        ),
        None => format!("    \"{name}\" = {{\n      value = \"{value}\"\n    }}\n"),
    }
}

/// The configuration under test: one baseline with the given family and override blocks.
fn config(name: &str, family: &str, overrides: &[String]) -> String {
    let header = config_header();
    format!(
        r#"{header}resource "dbrail_parameter_baseline" "pg" {{
  name   = "{name}"
  family = "{family}"
  overrides = {{
{overrides}  }}
  tags = {{
    team = "payments"
  }}
}}

output "cluster_parameters" {{
  value = dbrail_parameter_baseline.pg.effective_cluster_parameters
}}
"#,
        overrides = overrides.concat()
    )
}

/// The configuration with `log_min_duration_statement` overridden to `value`.
fn config_with_duration(value: &str) -> String {
    config(
        NAME,
        FAMILY,
        &[override_block(
            "log_min_duration_statement",
            value,
            Some(REASON),
        )],
    )
}

fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    params
        .get(name)
        .unwrap_or_else(|| panic!("parameter {name} is not set; the group holds {params:#?}"))
}

/// The aurora-postgresql baseline (both groups together), with `log_min_duration_statement` at
/// `duration`.
fn assert_baseline(params: &BTreeMap<String, String>, duration: &str) {
    assert_eq!(param(params, "rds.force_ssl"), "1", "{params:#?}");
    assert_eq!(
        param(params, "ssl_min_protocol_version"),
        "TLSv1.2",
        "{params:#?}"
    );
    let preload = param(params, "shared_preload_libraries");
    for library in ["pg_stat_statements", "pgaudit"] {
        assert!(
            preload.split(',').any(|l| l.trim() == library),
            "shared_preload_libraries = {preload:?} lacks {library}"
        );
    }
    assert!(!param(params, "pgaudit.log").is_empty(), "{params:#?}");
    assert_eq!(param(params, "log_connections"), "1", "{params:#?}");
    assert_eq!(param(params, "log_disconnections"), "1", "{params:#?}");
    assert_eq!(param(params, "log_statement"), "ddl", "{params:#?}");
    assert_eq!(
        param(params, "log_min_duration_statement"),
        duration,
        "{params:#?}"
    );
}

/// Both groups exist in the emulator with `family`, tagged, and the cluster group holds the
/// baseline; returns the cluster group's parameters.
fn assert_emulator_holds_baseline(
    rds: &EmulatorRds,
    family: &str,
    duration: &str,
) -> Result<BTreeMap<String, String>, HarnessError> {
    let cluster = rds
        .cluster_parameter_group(CLUSTER_GROUP)?
        .unwrap_or_else(|| panic!("the emulator has no cluster parameter group {CLUSTER_GROUP}"));
    assert_eq!(cluster.family, family, "{cluster:?}");
    let instance = rds
        .instance_parameter_group(INSTANCE_GROUP)?
        .unwrap_or_else(|| panic!("the emulator has no DB parameter group {INSTANCE_GROUP}"));
    assert_eq!(instance.family, family, "{instance:?}");
    for arn in [&cluster.arn, &instance.arn] {
        let tags = rds.tags(arn)?;
        assert_eq!(
            tags.get("team").map(String::as_str),
            Some("payments"),
            "tags of {arn}: {tags:#?}"
        );
    }
    let cluster = rds.cluster_parameters(CLUSTER_GROUP)?;
    assert_eq!(
        param(&cluster, "rds.force_ssl"),
        "1",
        "TLS belongs in the cluster group: {cluster:#?}"
    );
    let mut both = cluster.clone();
    both.extend(rds.instance_parameters(INSTANCE_GROUP)?);
    assert_baseline(&both, duration);
    Ok(cluster)
}

/// What terraform holds for the baseline agrees with the emulator.
fn assert_state_matches_emulator(
    ws: &Workspace,
    rds: &EmulatorRds,
    duration: &str,
) -> Result<(), HarnessError> {
    let show = ws.show_json()?;
    let values = resource_values(&show, ADDRESS)
        .unwrap_or_else(|| panic!("{ADDRESS} is not in the state: {show:#}"));
    let text = |key: &str| -> String {
        values[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} is not a string in {values:#}"))
            .to_owned()
    };
    assert_eq!(text("id"), NAME);
    assert_eq!(text("cluster_parameter_group_name"), CLUSTER_GROUP);
    assert_eq!(text("instance_parameter_group_name"), INSTANCE_GROUP);
    let cluster = rds
        .cluster_parameter_group(CLUSTER_GROUP)?
        .expect("cluster group");
    let instance = rds
        .instance_parameter_group(INSTANCE_GROUP)?
        .expect("instance group");
    assert_eq!(text("cluster_parameter_group_arn"), cluster.arn);
    assert_eq!(text("instance_parameter_group_arn"), instance.arn);
    assert!(values["pending_reboot"].is_boolean(), "{values:#}");

    for (attribute, actual) in [
        (
            "effective_cluster_parameters",
            rds.cluster_parameters(CLUSTER_GROUP)?,
        ),
        (
            "effective_instance_parameters",
            rds.instance_parameters(INSTANCE_GROUP)?,
        ),
    ] {
        let effective = values[attribute]
            .as_object()
            .unwrap_or_else(|| panic!("{attribute} is not a map in {values:#}"));
        for (name, value) in effective {
            assert_eq!(
                Some(value.as_str().unwrap_or_default()),
                actual.get(name).map(String::as_str),
                "{attribute}[{name}] disagrees with the emulator ({actual:#?})"
            );
        }
    }
    let effective = &values["effective_cluster_parameters"];
    let instance = &values["effective_instance_parameters"];
    let duration_value = if effective["log_min_duration_statement"].is_null() {
        &instance["log_min_duration_statement"]
    } else {
        &effective["log_min_duration_statement"]
    };
    assert_eq!(duration_value, duration, "{values:#}");
    assert_eq!(effective["rds.force_ssl"], "1", "{effective:#}");

    let outputs = ws.output_json()?;
    let output = output_value(&outputs, "cluster_parameters")
        .unwrap_or_else(|| panic!("no output cluster_parameters in {outputs:#}"));
    assert_eq!(
        output, effective,
        "the output must be the effective cluster parameters"
    );
    Ok(())
}

/// Names of every parameter group (cluster or instance) the emulator holds for the baseline.
fn leftover_groups(rds: &EmulatorRds) -> Result<Vec<String>, HarnessError> {
    let mut names = rds.cluster_parameter_group_names()?;
    names.extend(rds.instance_parameter_group_names()?);
    names.retain(|n| n.starts_with(NAME));
    Ok(names)
}

#[test]
fn lifecycle_create_update_drift_import_destroy() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let rds = EmulatorRds::connect(&emulator)?;
    let ws = Workspace::new(&[("main.tf", &config_with_duration("500"))], &emulator)?;

    step("init installs the provider from the test mirror");
    let init = ws.init()?;
    assert_contains(
        &init.stdout,
        &format!("Installed {PROVIDER_SHORT_SOURCE} v{PROVIDER_VERSION}"),
    );

    step("plan: one resource to add, nothing created yet");
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} will be created"));
    assert_contains(&plan.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert!(
        leftover_groups(&rds)?.is_empty(),
        "plan must not create anything"
    );

    step("apply creates both parameter groups with the baseline and the override");
    let apply = ws.apply()?;
    assert_contains(
        &apply.stdout,
        "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.",
    );
    assert_emulator_holds_baseline(&rds, FAMILY, "500")?;
    assert_state_matches_emulator(&ws, &rds, "500")?;

    step("plan after apply is empty");
    ws.plan_detailed()?.expect_no_changes()?;

    step("changing the override updates in place");
    ws.write_file("main.tf", &config_with_duration("250"))?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} will be updated in-place"));
    assert_contains(&plan.stdout, "log_min_duration_statement");
    assert_contains(&plan.stdout, "Plan: 0 to add, 1 to change, 0 to destroy.");
    let apply = ws.apply()?;
    assert_contains(
        &apply.stdout,
        "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
    );
    assert_emulator_holds_baseline(&rds, FAMILY, "250")?;
    assert_state_matches_emulator(&ws, &rds, "250")?;
    ws.plan_detailed()?.expect_no_changes()?;

    step("drift made out of band is detected");
    rds.modify_cluster_parameters(CLUSTER_GROUP, &[("rds.force_ssl", "0")])?;
    rds.modify_instance_parameters(INSTANCE_GROUP, &[("log_min_duration_statement", "9999")])?;
    let drifted = rds.cluster_parameters(CLUSTER_GROUP)?;
    assert_eq!(param(&drifted, "rds.force_ssl"), "0");
    let drifted = rds.instance_parameters(INSTANCE_GROUP)?;
    assert_eq!(param(&drifted, "log_min_duration_statement"), "9999");
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, "log_min_duration_statement");
    assert_contains(&plan.stdout, "rds.force_ssl");

    step("apply repairs the drift");
    let apply = ws.apply()?;
    assert_contains(
        &apply.stdout,
        "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
    );
    assert_emulator_holds_baseline(&rds, FAMILY, "250")?;
    ws.plan_detailed()?.expect_no_changes()?;

    step("import into a fresh working directory yields an empty plan");
    let fresh = Workspace::new(&[("main.tf", &config_with_duration("250"))], &emulator)?;
    fresh.init()?;
    let import = fresh.import(ADDRESS, NAME)?;
    assert_contains(&import.stdout, "Import successful!");
    fresh.plan_detailed()?.expect_no_changes()?;
    assert_state_matches_emulator(&fresh, &rds, "250")?;

    step("destroy (from the imported state) removes both groups");
    let destroy = fresh.destroy()?;
    assert_contains(&destroy.stdout, "Destroy complete! Resources: 1 destroyed.");
    let left = leftover_groups(&rds)?;
    assert!(left.is_empty(), "parameter groups left behind: {left:?}");

    step("the original working directory sees the baseline gone and plans to create it");
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, "Plan: 1 to add, 0 to change, 0 to destroy.");
    Ok(())
}

#[test]
fn invalid_configurations_fail_at_plan_time() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let rds = EmulatorRds::connect(&emulator)?;
    let ws = Workspace::new(&[("main.tf", &config_with_duration("500"))], &emulator)?;
    ws.init()?;

    step("control: the valid configuration plans");
    ws.plan_detailed()?.expect_changes()?;

    step("overriding a parameter locked by rule G10 is rejected");
    ws.write_file(
        "main.tf",
        &config(
            NAME,
            FAMILY,
            &[override_block(
                "rds.force_ssl",
                "0",
                Some("legacy client cannot do TLS"),
            )],
        ),
    )?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "G10");
    assert_contains(&failed.stderr, "rds.force_ssl");
    // Terraform quotes the configuration line the diagnostic points at: the override itself.
    assert_contains(&failed.stderr, "\"rds.force_ssl\" = {");

    step("an override without a reason is rejected");
    ws.write_file(
        "main.tf",
        &config(
            NAME,
            FAMILY,
            &[override_block("log_min_duration_statement", "500", None)],
        ),
    )?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "reason");
    assert_contains(&failed.stderr, "\"log_min_duration_statement\" = {");

    step("an unknown family is rejected, naming the supported ones");
    ws.write_file(
        "main.tf",
        &config(
            NAME,
            "aurora-postgresql99",
            &[override_block(
                "log_min_duration_statement",
                "500",
                Some(REASON),
            )],
        ),
    )?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "family");
    assert_contains(&failed.stderr, "aurora-postgresql99");
    assert_contains(&failed.stderr, FAMILY);
    assert_contains(&failed.stderr, "family = \"aurora-postgresql99\"");

    step("nothing was created along the way");
    let left = leftover_groups(&rds)?;
    assert!(left.is_empty(), "a failed plan created {left:?}");
    Ok(())
}

#[test]
fn changing_family_or_name_forces_replacement() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let rds = EmulatorRds::connect(&emulator)?;
    let ws = Workspace::new(&[("main.tf", &config_with_duration("500"))], &emulator)?;
    ws.init()?;
    ws.apply()?;
    assert_emulator_holds_baseline(&rds, FAMILY, "500")?;

    step("a new name is planned as a replacement");
    ws.write_file(
        "main.tf",
        &config(
            "orders-pg16-b",
            FAMILY,
            &[override_block(
                "log_min_duration_statement",
                "500",
                Some(REASON),
            )],
        ),
    )?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} must be replaced"));
    assert_contains(&plan.stdout, "# forces replacement");

    step("a new family is planned as a replacement");
    let other = config(
        NAME,
        OTHER_FAMILY,
        &[override_block(
            "log_min_duration_statement",
            "500",
            Some(REASON),
        )],
    );
    ws.write_file("main.tf", &other)?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} must be replaced"));
    assert_contains(&plan.stdout, "# forces replacement");
    assert_contains(&plan.stdout, "Plan: 1 to add, 0 to change, 1 to destroy.");

    step("applying the replacement leaves groups of the new family only");
    ws.apply()?;
    assert_emulator_holds_baseline(&rds, OTHER_FAMILY, "500")?;
    ws.plan_detailed()?.expect_no_changes()?;

    step("destroy");
    ws.destroy()?;
    let left = leftover_groups(&rds)?;
    assert!(left.is_empty(), "parameter groups left behind: {left:?}");
    Ok(())
}

/// The test's own HCL is well-formed: it carries the schema's attributes and is exactly as
/// `terraform fmt` would lay it out (so a syntax slip cannot masquerade as a provider bug).
#[test]
fn test_configurations_are_well_formed() -> Result<(), HarnessError> {
    let with_reason = config_with_duration("500");
    for needle in [
        "source  = \"dbrail/dbrail\"",
        "name   = \"orders-pg16\"",
        "family = \"aurora-postgresql16\"",
        "overrides = {",
        "reason = \"orders API p99 target is 500 ms\"",
        "team = \"payments\"",
        "effective_cluster_parameters",
    ] {
        assert_contains(&with_reason, needle);
    }
    let without_reason = config(NAME, FAMILY, &[override_block("x", "1", None)]);
    assert!(!without_reason.contains("reason"), "{without_reason}");
    assert_contains(&without_reason, "\"x\" = {");
    let two = config(
        NAME,
        FAMILY,
        &[
            override_block("a", "1", Some("r")),
            override_block("b", "2", Some("r")),
        ],
    );

    let emulator = Emulator::start()?;
    let ws = Workspace::without_provider(
        &[
            ("with_reason.tf", &with_reason),
            ("without_reason.tf", &without_reason),
            ("two.tf", &two),
        ],
        &emulator,
    )?;
    ws.run_ok(&["fmt", "-check", "-diff", "-no-color"])?;
    Ok(())
}
