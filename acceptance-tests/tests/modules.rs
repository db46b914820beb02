//! Every module example, exactly as committed, against the emulator: `init` → `apply` → what it
//! created read back from the emulator (cluster, access roles with their exact inline policy,
//! backup vaults and plans) → a plan with no changes → `dbrail policy check` of that plan passes
//! → decommission (when there is a guarded cluster) → `destroy`, leaving nothing behind.
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
    Emulator, EmulatorBackup, EmulatorIam, EmulatorRds, HarnessError, Output, REGION, Workspace,
    step, workspace_root,
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
        // Only the variables the example declares: the access module's needs neither.
        let main = std::fs::read_to_string(dir.join("main.tf"))
            .map_err(|e| HarnessError::io("reading the example", e))?;
        let mut vars = serde_json::Map::new();
        if main.contains("variable \"subnet_ids\"") {
            vars.insert("subnet_ids".to_owned(), json!(subnets));
        }
        if main.contains("variable \"kms_key_id\"") {
            vars.insert("kms_key_id".to_owned(), json!(emulator.create_kms_key()?));
        }
        std::fs::write(
            dir.join("terraform.tfvars.json"),
            Value::Object(vars).to_string(),
        )
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

/// `dbrail policy check` of a `terraform show -json` plan, as the pipeline runs it.
fn policy_check(plan_json: &str) -> dbrail_cli::report::Report {
    check_plan(
        "plan.json",
        plan_json.as_bytes(),
        &CheckOptions {
            tier: None,
            today: today(),
            waivers: Vec::new(),
        },
    )
    .unwrap_or_else(|e| panic!("policy check could not read the plan: {e}"))
}

const ACCOUNT: &str = "123456789012";
/// The inline policy every access role carries.
const ACCESS_POLICY: &str = "dbrail-access";
/// The permissions boundary the production examples name by default.
const BOUNDARY: &str = "db-access-boundary";

/// The cluster an example creates: its identifier, how many instances its tier gives it and the
/// rules its tier lets through as warnings.
struct ClusterExpect<'a> {
    name: &'a str,
    instances: usize,
    warned: Vec<&'a str>,
}

/// What one access role of an example may do.
enum Grant<'a> {
    /// `rds-db:connect` as this database user on the example's cluster.
    Connect(&'a str),
    /// Read the cluster's master secret (break glass), with MFA required to assume the role.
    MasterSecret,
}

/// One access role of an example: its IAM name, its grant and whether it carries the boundary.
struct RoleExpect<'a> {
    name: &'a str,
    grant: Grant<'a>,
    bounded: bool,
}

/// Where the roles of an example point: a cluster it creates, fixed ids it is given, or no
/// cluster at all (backup tiers).
enum Target<'a> {
    Creates(ClusterExpect<'a>),
    Given {
        cluster_resource_id: &'a str,
        master_secret_arn: &'a str,
    },
    NoCluster,
}

/// A backup policy an example creates: its name, retention, and whether the vault is locked in
/// compliance mode with a copy to another region (the production shape).
struct BackupExpect<'a> {
    name: &'a str,
    retention_days: i64,
    locked_with_copy: bool,
}

/// Each policy's vault and plan exist in the emulator as configured.
fn assert_backups(backup: &EmulatorBackup, policies: &[BackupExpect]) -> Result<(), HarnessError> {
    for policy in policies {
        let name = policy.name;
        let vault = backup
            .vault(name)?
            .unwrap_or_else(|| panic!("no vault {name}"));
        assert!(vault.kms_key_arn.is_some(), "{name}: {vault:?}");
        assert_eq!(
            vault.locked && vault.compliance,
            policy.locked_with_copy,
            "{name}: {vault:?}"
        );
        let plan = backup
            .plan(name)?
            .unwrap_or_else(|| panic!("no backup plan {name}"));
        assert_eq!(plan.retention_days, Some(policy.retention_days), "{plan:?}");
        assert_eq!(!plan.copies.is_empty(), policy.locked_with_copy, "{plan:?}");
    }
    Ok(())
}

/// The cluster resource id and master secret ARN of `cluster`, read from the emulator.
fn cluster_ids(rds: &EmulatorRds, cluster: &str) -> Result<(String, String), HarnessError> {
    let described = rds
        .block_on(
            rds.client()
                .describe_db_clusters()
                .db_cluster_identifier(cluster)
                .send(),
        )
        .map_err(|e| HarnessError::Aws {
            operation: format!("DescribeDBClusters({cluster})"),
            detail: format!("{e:?}"),
        })?;
    let found = &described.db_clusters()[0];
    let resource_id = found.db_cluster_resource_id().expect("resource id");
    let secret = found
        .master_user_secret()
        .and_then(|s| s.secret_arn())
        .expect("master secret");
    Ok((resource_id.to_owned(), secret.to_owned()))
}

/// Each role exists in the emulator's IAM with exactly its one inline policy, the trust its
/// grant implies and, where expected, the boundary.
fn assert_roles(
    iam: &EmulatorIam,
    roles: &[RoleExpect],
    resource_id: &str,
    secret: &str,
) -> Result<(), HarnessError> {
    for role in roles {
        let name = role.name;
        assert_eq!(iam.role_policy_names(name)?, [ACCESS_POLICY], "{name}");
        let policy = iam
            .role_policy(name, ACCESS_POLICY)?
            .unwrap_or_else(|| panic!("{name} has no {ACCESS_POLICY} policy"));
        let trust = iam.trust_policy(name)?.expect("trust policy");
        match role.grant {
            Grant::Connect(user) => {
                let expected = json!({"Version": "2012-10-17", "Statement": {
                    "Effect": "Allow", "Action": "rds-db:connect",
                    "Resource": format!("arn:aws:rds-db:{REGION}:{ACCOUNT}:dbuser:{resource_id}/{user}")}});
                assert_eq!(policy, expected, "{name}");
            }
            Grant::MasterSecret => {
                assert_eq!(policy["Statement"]["Resource"], secret, "{policy:#}");
                assert_eq!(
                    policy["Statement"]["Action"],
                    json!([
                        "secretsmanager:DescribeSecret",
                        "secretsmanager:GetSecretValue"
                    ]),
                    "{policy:#}"
                );
                assert_eq!(
                    trust["Statement"]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true",
                    "{trust:#}"
                );
            }
        }
        let got = iam
            .block_on(iam.client().get_role().role_name(name).send())
            .map_err(|e| HarnessError::Aws {
                operation: format!("GetRole({name})"),
                detail: format!("{e:?}"),
            })?;
        let boundary = got
            .role()
            .and_then(|r| r.permissions_boundary())
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_owned);
        let expected = role
            .bounded
            .then(|| format!("arn:aws:iam::{ACCOUNT}:policy/{BOUNDARY}"));
        assert_eq!(boundary, expected, "boundary of {name}");
    }
    Ok(())
}

/// The whole life of one example: apply, its cluster and roles read back from the emulator, a
/// plan with no changes, `dbrail policy check` of that plan, then (for a cluster, after a
/// refused destroy and the decommission apply) destroy, leaving nothing behind.
fn example_lifecycle(
    module: &str,
    scenario: &str,
    target: Target,
    roles: &[RoleExpect],
    policies: &[BackupExpect],
) -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let run = ExampleRun::new(module, scenario, &emulator)?;
    let rds = EmulatorRds::connect(&emulator)?;
    let iam = EmulatorIam::connect(&emulator)?;
    let backup = EmulatorBackup::connect(&emulator)?;
    iam.create_policy(
        BOUNDARY,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds-db:connect","secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}]}"#,
    )?;

    step(&format!("{module}/{scenario}: init and apply"));
    run.run_ok(&["init", "-input=false", "-no-color"])?;
    // The pipeline's policy job checks this first plan, where ids are still unknown.
    run.run_ok(&["plan", "-input=false", "-no-color", "-out=create.tfplan"])?;
    let create = run
        .run_ok(&["show", "-json", "-no-color", "create.tfplan"])?
        .stdout;
    let report = policy_check(&create);
    let text = dbrail_cli::report::render_text(&report, false);
    assert_eq!(
        report.exit_code, 0,
        "policy check of the first plan:\n{text}"
    );
    run.run_ok(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "create.tfplan",
    ])?;
    let outputs: Value =
        serde_json::from_str(&run.run_ok(&["output", "-json", "-no-color"])?.stdout).unwrap();
    let (resource_id, secret) = match &target {
        Target::Creates(cluster) => {
            let view = rds
                .cluster(cluster.name)?
                .unwrap_or_else(|| panic!("cluster {} was not created", cluster.name));
            assert!(
                view.deletion_protection && view.iam_database_authentication_enabled,
                "{view:?}"
            );
            assert_eq!(view.members.len(), cluster.instances, "{view:?}");
            assert!(
                view.db_cluster_parameter_group
                    .as_deref()
                    .is_some_and(|g| g.starts_with(cluster.name)),
                "{view:?}"
            );
            let compliance = outputs["compliance"]["value"]
                .as_object()
                .expect("compliance output");
            assert!(!compliance.is_empty());
            // A failed rule here is one the tier makes a warning (the plan went through); which
            // ones is part of what the example promises.
            let failed: Vec<&str> = compliance
                .iter()
                .filter(|(_, v)| *v == "failed")
                .map(|(k, _)| k.as_str())
                .collect();
            assert_eq!(
                failed, cluster.warned,
                "guardrail outcomes after apply: {compliance:?}"
            );
            if let Some(policy) = policies.first() {
                assert_eq!(
                    view.tags.get("dbrail:backup-policy").map(String::as_str),
                    Some(policy.name),
                    "{view:?}"
                );
                assert_eq!(
                    view.backup_retention_period.map(i64::from),
                    Some(policy.retention_days.min(35)),
                    "the cluster's backups follow the policy's floor: {view:?}"
                );
            }
            cluster_ids(&rds, cluster.name)?
        }
        Target::Given {
            cluster_resource_id,
            master_secret_arn,
        } => (
            (*cluster_resource_id).to_owned(),
            (*master_secret_arn).to_owned(),
        ),
        Target::NoCluster => (String::new(), String::new()),
    };
    assert_backups(&backup, policies)?;
    step(&format!(
        "{module}/{scenario}: the access roles, read back from IAM"
    ));
    assert_roles(&iam, roles, &resource_id, &secret)?;

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
    let report = policy_check(&plan_json);
    let text = dbrail_cli::report::render_text(&report, false);
    assert_eq!(report.exit_code, 0, "policy check failed:\n{text}");
    assert!(
        report.summary.passed > 0,
        "policy check judged nothing:\n{text}"
    );
    let checked = |kind: &str| report.resources.iter().any(|r| r.address.contains(kind));
    if matches!(target, Target::Creates(_)) {
        assert!(
            checked("dbrail_cluster.this"),
            "the module's cluster was not checked:\n{text}"
        );
    }
    if matches!(target, Target::NoCluster) {
        assert!(
            checked("dbrail_backup_policy.this"),
            "the module's backup policies were not checked:\n{text}"
        );
    }
    if !roles.is_empty() {
        assert!(
            checked("dbrail_access_role.this"),
            "the module's access roles were not checked:\n{text}"
        );
    }

    match &target {
        Target::Creates(cluster) => {
            let cluster = cluster.name;
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
        }
        Target::Given { .. } | Target::NoCluster => {
            step(&format!("{module}/{scenario}: destroy"));
            run.run_ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])?;
        }
    }
    let left: Vec<String> = iam
        .role_names()?
        .into_iter()
        .filter(|n| roles.iter().any(|r| r.name == n))
        .collect();
    assert!(left.is_empty(), "roles left behind: {left:?}");
    for policy in policies {
        assert!(
            backup.vault(policy.name)?.is_none(),
            "vault {} left behind",
            policy.name
        );
    }
    assert!(run.dir.join("terraform.tfstate").is_file());
    Ok(())
}

#[test]
fn aurora_postgresql_production_example() -> Result<(), HarnessError> {
    example_lifecycle(
        "aurora-postgresql",
        "production",
        // No backup policy in this example: no backup plan covers the cluster (G7, a warning
        // in every tier).
        Target::Creates(ClusterExpect {
            name: "orders",
            instances: 3,
            warned: vec!["G7"],
        }),
        &[
            RoleExpect {
                name: "orders-app",
                grant: Grant::Connect("orders_app"),
                bounded: true,
            },
            RoleExpect {
                name: "orders-oncall",
                grant: Grant::MasterSecret,
                bounded: true,
            },
        ],
        &[],
    )
}

#[test]
fn aurora_mysql_development_example() -> Result<(), HarnessError> {
    // No readers (G12) and no enhanced monitoring (G13): warnings in development.
    example_lifecycle(
        "aurora-mysql",
        "development",
        Target::Creates(ClusterExpect {
            name: "ledger-dev",
            instances: 1,
            warned: vec!["G12", "G13"],
        }),
        &[RoleExpect {
            name: "ledger-dev-reporting",
            grant: Grant::Connect("ledger_reporting"),
            bounded: false,
        }],
        &[BackupExpect {
            name: "ledger-dev-standard",
            retention_days: 14,
            locked_with_copy: false,
        }],
    )
}

#[test]
fn access_service_example() -> Result<(), HarnessError> {
    let connect = |name, user| RoleExpect {
        name,
        grant: Grant::Connect(user),
        bounded: true,
    };
    example_lifecycle(
        "access",
        "service",
        Target::Given {
            cluster_resource_id: "cluster-ORDERSEXAMPLE0000000000000",
            master_secret_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-orders-AbCdEf",
        },
        &[
            connect("orders-app", "orders_app"),
            connect("orders-reporting", "orders_reporting"),
            connect("orders-migrations", "orders_ddl"),
            RoleExpect {
                name: "orders-oncall",
                grant: Grant::MasterSecret,
                bounded: true,
            },
        ],
        &[],
    )
}

#[test]
fn backup_policy_tiers_example() -> Result<(), HarnessError> {
    example_lifecycle(
        "backup-policy",
        "tiers",
        Target::NoCluster,
        &[],
        &[
            BackupExpect {
                name: "standard",
                retention_days: 14,
                locked_with_copy: false,
            },
            BackupExpect {
                name: "pci-gold",
                retention_days: 35,
                locked_with_copy: true,
            },
        ],
    )
}

/// Wrong inputs a caller can be told about at plan time are refused by the modules' variable
/// validation, before any AWS call, each with a message naming what to change.
#[test]
fn module_inputs_are_validated_at_plan_time() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let ws = Workspace::new(&[], &emulator)?;
    for module in [
        "aurora-postgresql",
        "aurora-mysql",
        "access",
        "backup-policy",
    ] {
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

    // Access roles: what each variable says on its own.
    let config = format!(
        "{}{}",
        dbrail_acceptance_tests::config_header(),
        r#"module "pg" {
  source     = "./modules/aurora-postgresql"
  name       = "orders"
  tier       = "development"
  subnet_ids = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
  kms_key_id = "key-1"

  access_roles = {
    app = {
      db_user = "orders-app"
      tier    = "admin"
    }
    reporting = {
      db_user           = "orders_reporting"
      tier              = "read_only"
      trusted_role_arns = ["orders-reporting"]
    }
  }
}

module "backup" {
  source            = "./modules/backup-policy"
  vault_kms_key_arn = "alias/backup"
  backup_role_arn   = "backup"
  policies = {
    gold = {
      tier              = "prod"
      retention_days    = 60
      continuous        = true
      copy_to_region    = "us-west-2"
      copy_to_vault_arn = "arn:aws:backup:us-west-2:123456789012:backup-vault:gold"
      vault_lock        = { mode = "strict" }
    }
  }
}

module "access" {
  source              = "./modules/access"
  name                = "orders"
  cluster_resource_id = "orders"
  engine              = "postgres"
  environment         = "prod"
  roles = {
    app = {
      db_user          = "orders_app"
      tier             = "read_write"
      trusted_services = ["ecs-tasks.amazonaws.com"]
    }
  }
}
"#
    );
    ws.write_file("main.tf", &config)?;
    ws.init()?;
    let text = ws.plan_detailed()?.expect_error()?.combined();
    for expected in [
        "access_roles tier must be one of read_only, read_write, migration, break_glass",
        "access_roles db_user must start with a letter or `_`",
        "Every access role needs someone who may assume it",
        "access_roles trusted_role_arns must be IAM role ARNs",
        "cluster_resource_id must be a cluster resource id",
        "engine must be aurora-postgresql or aurora-mysql",
        "environment must be one of production, staging, development",
        "vault_kms_key_arn must be a KMS key ARN",
        "backup_role_arn must be an IAM role ARN",
        "policies tier must be one of production, staging, development",
        "at most 35 with continuous backup",
        "copies either to another region (copy_to_region) or to a vault",
        "policies vault_lock mode must be governance or compliance",
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

  permissions_boundary_arn = null

  access_roles = {
    Reporting = {
      db_user           = "orders_reporting"
      tier              = "read_only"
      trusted_role_arns = ["arn:aws:iam::123456789012:role/orders-reporting"]
    }
  }
}

module "access" {
  source              = "./modules/access"
  name                = "orders"
  cluster_resource_id = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0"
  engine              = "aurora-mysql"
  environment         = "staging"
  roles = {
    oncall = {
      tier              = "break_glass"
      db_user           = "orders_admin"
      trusted_role_arns = ["arn:aws:iam::123456789012:role/dba"]
    }
    app = {
      tier             = "read_write"
      db_user          = "orders_application_service_writer"
      trusted_services = ["ecs-tasks.amazonaws.com"]
    }
  }
}
"#
    );
    ws.write_file("main.tf", &config)?;
    let text = ws.plan_detailed()?.expect_error()?.combined();
    for expected in [
        "readers must be a whole number from 0 to 15, and at least 1 in the production tier",
        "monitoring_role_arn must be an IAM role ARN",
        "access_roles keys must be lower-case letters",
        "every access role needs a permissions boundary (rule DB-ACCESS-BOUNDARY)",
        // The break-glass role names a user; the other's is longer than MySQL's 32 characters.
        "roles db_user must start with a letter or `_`",
        "A break_glass role needs master_secret_arn",
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
        "access/examples/service",
        "backup-policy/examples/tiers",
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
