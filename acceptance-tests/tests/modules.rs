//! Every module example, exactly as committed, against the emulator: `init` → `apply` → a plan
//! with no changes → `dbrail policy check` of that plan passes → decommission → `destroy`.
//!
//! The module is copied with its directory layout (`modules/<module>/examples/<scenario>`), so
//! the example's `source = "../../"` resolves as it does in the repository, and terraform runs
//! there through `-chdir`. Only the values a caller brings (subnet ids, the KMS key) come from
//! the emulator, through a `terraform.tfvars.json` beside the example. Each example gets its own
//! emulator and workspace, so the tests run in parallel.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test"
)]

use std::path::{Path, PathBuf};

use dbrail_acceptance_tests::{
    Emulator, EmulatorRds, HarnessError, Output, Workspace, step, workspace_root,
};
use dbrail_cli::{CheckOptions, check_plan};
use dbrail_rules::Date;
use serde_json::{Value, json};

/// Copies the `.tf` files of `from` and its subdirectories to `to`, keeping the layout.
fn copy_tf_tree(from: &Path, to: &Path) -> Result<(), HarnessError> {
    std::fs::create_dir_all(to)
        .map_err(|e| HarnessError::io(format!("creating {}", to.display()), e))?;
    let entries = std::fs::read_dir(from)
        .map_err(|e| HarnessError::io(format!("reading {}", from.display()), e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| HarnessError::io("reading a module dir", e))?
            .path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() && path.file_name().is_some_and(|n| n != ".terraform") {
            copy_tf_tree(&path, &target)?;
        } else if path.extension().is_some_and(|e| e == "tf") {
            std::fs::copy(&path, &target)
                .map_err(|e| HarnessError::io(format!("copying to {}", target.display()), e))?;
        }
    }
    Ok(())
}

/// One example of one module, laid out in its own workspace.
struct ExampleRun {
    ws: Workspace,
    chdir: String,
    dir: PathBuf,
}

impl ExampleRun {
    fn new(module: &str, scenario: &str, emulator: &Emulator) -> Result<Self, HarnessError> {
        let ws = Workspace::new(&[], emulator)?;
        copy_tf_tree(
            &workspace_root().join("modules").join(module),
            &ws.dir().join("modules").join(module),
        )?;
        let relative = format!("modules/{module}/examples/{scenario}");
        let dir = ws.dir().join(&relative);
        assert!(dir.join("main.tf").is_file(), "no example {relative}");
        let subnets: Vec<String> = emulator
            .default_subnets()?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let vars = json!({ "subnet_ids": subnets, "kms_key_id": emulator.create_kms_key()? });
        std::fs::write(dir.join("terraform.tfvars.json"), vars.to_string())
            .map_err(|e| HarnessError::io("writing terraform.tfvars.json", e))?;
        Ok(Self {
            ws,
            chdir: format!("-chdir={relative}"),
            dir,
        })
    }

    fn run(&self, args: &[&str]) -> Result<Output, HarnessError> {
        let mut full = vec![self.chdir.as_str()];
        full.extend_from_slice(args);
        self.ws.run(&full)
    }

    fn run_ok(&self, args: &[&str]) -> Result<Output, HarnessError> {
        let mut full = vec![self.chdir.as_str()];
        full.extend_from_slice(args);
        self.ws.run_ok(&full)
    }
}

fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    Date::from_days_since_epoch(i64::try_from(days).unwrap())
}

/// The whole life of one example; `cluster` is the identifier the example creates, `instances`
/// how many instances its tier gives it and `warned` the rules its tier lets through as warnings.
fn example_lifecycle(
    module: &str,
    scenario: &str,
    cluster: &str,
    instances: usize,
    warned: Vec<&str>,
) -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let run = ExampleRun::new(module, scenario, &emulator)?;
    let rds = EmulatorRds::connect(&emulator)?;

    step(&format!("{module}/{scenario}: init and apply"));
    run.run_ok(&["init", "-input=false", "-no-color"])?;
    run.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"])?;
    let view = rds
        .cluster(cluster)?
        .unwrap_or_else(|| panic!("cluster {cluster} was not created"));
    assert!(
        view.deletion_protection && view.iam_database_authentication_enabled,
        "{view:?}"
    );
    assert_eq!(view.members.len(), instances, "{view:?}");
    assert!(
        view.db_cluster_parameter_group
            .as_deref()
            .is_some_and(|g| g.starts_with(cluster)),
        "{view:?}"
    );
    let outputs: Value =
        serde_json::from_str(&run.run_ok(&["output", "-json", "-no-color"])?.stdout).unwrap();
    let compliance = outputs["compliance"]["value"]
        .as_object()
        .expect("compliance output");
    assert!(!compliance.is_empty());
    // A failed rule here is one the tier makes a warning (the plan went through); which ones
    // is part of what the example promises.
    let failed: Vec<&str> = compliance
        .iter()
        .filter(|(_, v)| *v == "failed")
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(
        failed, warned,
        "guardrail outcomes after apply: {compliance:?}"
    );

    step(&format!(
        "{module}/{scenario}: a second plan has no changes"
    ));
    let plan = run.run(&[
        "plan",
        "-detailed-exitcode",
        "-input=false",
        "-no-color",
        "-out=plan.tfplan",
    ])?;
    assert_eq!(
        plan.code,
        Some(0),
        "expected no changes:\n{}",
        plan.combined()
    );

    step(&format!(
        "{module}/{scenario}: dbrail policy check of the plan"
    ));
    let plan_json = run
        .run_ok(&["show", "-json", "-no-color", "plan.tfplan"])?
        .stdout;
    let report = check_plan(
        "plan.json",
        plan_json.as_bytes(),
        &CheckOptions {
            tier: None,
            today: today(),
            waivers: Vec::new(),
        },
    )
    .unwrap_or_else(|e| panic!("policy check could not read the plan: {e}"));
    let text = dbrail_cli::report::render_text(&report, false);
    assert_eq!(report.exit_code, 0, "policy check failed:\n{text}");
    assert!(
        report.summary.passed > 0,
        "policy check judged nothing:\n{text}"
    );
    assert!(
        report
            .resources
            .iter()
            .any(|r| r.address.contains("dbrail_cluster.this")),
        "the module's cluster was not checked:\n{text}"
    );

    step(&format!("{module}/{scenario}: decommission, then destroy"));
    let refused = run.run(&["destroy", "-auto-approve", "-input=false", "-no-color"])?;
    assert_ne!(
        refused.code,
        Some(0),
        "a guarded cluster must not be destroyed:\n{}",
        refused.combined()
    );
    assert!(rds.cluster(cluster)?.is_some());
    run.run_ok(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-var",
        "decommission=true",
    ])?;
    run.run_ok(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-var",
        "decommission=true",
    ])?;
    assert!(
        rds.cluster(cluster)?.is_none(),
        "cluster {cluster} still exists after destroy"
    );
    assert!(run.dir.join("terraform.tfstate").is_file());
    Ok(())
}

#[test]
fn aurora_postgresql_production_example() -> Result<(), HarnessError> {
    example_lifecycle("aurora-postgresql", "production", "orders", 3, vec![])
}

#[test]
fn aurora_mysql_development_example() -> Result<(), HarnessError> {
    // No readers (G12) and no enhanced monitoring (G13): warnings in development.
    example_lifecycle(
        "aurora-mysql",
        "development",
        "ledger-dev",
        1,
        vec!["G12", "G13"],
    )
}

/// Wrong inputs a caller can be told about at plan time are refused by the modules' variable
/// validation, before any AWS call, each with a message naming what to change.
#[test]
fn module_inputs_are_validated_at_plan_time() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let ws = Workspace::new(&[], &emulator)?;
    for module in ["aurora-postgresql", "aurora-mysql"] {
        copy_tf_tree(
            &workspace_root().join("modules").join(module),
            &ws.dir().join("modules").join(module),
        )?;
    }
    let config = format!(
        "{}{}",
        dbrail_acceptance_tests::config_header(),
        r#"module "pg" {
  source     = "./modules/aurora-postgresql"
  name       = "Orders_DB"
  tier       = "production"
  readers    = 0
  subnet_ids = ["subnet-0a1b2c3d4e5f60001"]
  kms_key_id = "alias/aws/rds"
}

module "mysql" {
  source         = "./modules/aurora-mysql"
  name           = "ledger"
  tier           = "prod"
  engine_version = "5.7"
  subnet_ids     = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  kms_key_id     = "key-1"
}
"#
    );
    ws.write_file("main.tf", &config)?;
    ws.init()?;
    let plan = ws.plan_detailed()?.expect_error()?;
    let text = plan.combined();
    for expected in [
        "name must be 1 to 60 lower-case letters",
        "subnet_ids must hold at least two subnet ids",
        "kms_key_id must name a customer-managed key",
        "tier must be one of production, staging, development",
        "engine_version must be a supported Aurora MySQL major version",
    ] {
        dbrail_acceptance_tests::assert_contains(&text, expected);
    }

    // Rules between variables (tier and readers, tier and monitoring) are judged once every
    // variable on its own is valid.
    let config = format!(
        "{}{}",
        dbrail_acceptance_tests::config_header(),
        r#"module "pg" {
  source     = "./modules/aurora-postgresql"
  name       = "orders"
  tier       = "production"
  readers    = 0
  subnet_ids = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  kms_key_id = "key-1"
}
"#
    );
    ws.write_file("main.tf", &config)?;
    let text = ws.plan_detailed()?.expect_error()?.combined();
    for expected in [
        "readers must be a whole number from 0 to 15, and at least 1 in the production tier",
        "monitoring_role_arn must be an IAM role ARN",
    ] {
        dbrail_acceptance_tests::assert_contains(&text, expected);
    }
    let rds = EmulatorRds::connect(&emulator)?;
    assert!(
        rds.cluster_parameter_group_names()?.is_empty(),
        "nothing may be created"
    );
    Ok(())
}

/// Every example directory under `modules/` is exercised above: a new one fails here until it
/// gets its test.
#[test]
fn every_module_example_has_a_test() {
    let tested = [
        "aurora-postgresql/examples/production",
        "aurora-mysql/examples/development",
    ];
    let modules = workspace_root().join("modules");
    let mut found = Vec::new();
    for module in std::fs::read_dir(&modules).unwrap() {
        let examples = module.unwrap().path().join("examples");
        let Ok(entries) = std::fs::read_dir(&examples) else {
            continue;
        };
        for example in entries {
            let path = example.unwrap().path();
            found.push(
                path.strip_prefix(&modules)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    found.sort();
    let mut expected: Vec<String> = tested.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert_eq!(found, expected);
}
