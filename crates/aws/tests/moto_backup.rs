//! AWS Backup against a local moto server with dbrail's emulator extensions: vault with key and
//! lock, plan create/update with continuous backup and a copy rule, tag-based selections,
//! recovery points, and the order destroy needs (selection, plan, vault).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;
use std::time::Duration;

use dbrail_aws::backup::{
    self, CopyRule, PlanRule, PlanSpec, SelectionSpec, TagCondition, VaultLockSpec, VaultSpec,
};
use dbrail_aws::{CancellationToken, Clients, Deadline, connect};
use support::Moto;

const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::123456789012:role/backup";
const CLUSTER: &str = "arn:aws:rds:us-east-1:123456789012:cluster:orders";
const COPY_VAULT: &str = "arn:aws:backup:eu-west-1:123456789012:backup-vault:dr";

fn deadline() -> Deadline {
    Deadline::from_timeout(Duration::from_secs(60))
}

async fn connected(moto: &Moto) -> Clients {
    connect(&moto.settings(), &CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("connect to moto failed: {e}"))
}

fn plan_spec(retention: u32) -> PlanSpec {
    PlanSpec {
        name: "pci-gold".into(),
        rules: vec![PlanRule {
            name: "pci-gold".into(),
            vault_name: "pci-gold".into(),
            schedule: Some("cron(0 5 ? * * *)".into()),
            retention_days: Some(retention),
            continuous: true,
            copies: vec![CopyRule {
                destination_vault_arn: COPY_VAULT.into(),
                retention_days: Some(30),
            }],
        }],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vault_plan_selection_lifecycle() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let b = &clients.backup;
    let cancel = CancellationToken::new();

    assert!(
        backup::find_vault(b, "pci-gold", deadline(), &cancel)
            .await
            .unwrap()
            .is_none()
    );
    let vault = backup::create_vault(
        b,
        &VaultSpec {
            name: "pci-gold".into(),
            kms_key_arn: Some(KEY.into()),
            tags: HashMap::from([("team".into(), "db".into())]),
        },
        deadline(),
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(vault.kms_key_arn.as_deref(), Some(KEY));
    assert!(!vault.locked);
    assert!(
        vault.arn.ends_with(":backup-vault:pci-gold"),
        "{}",
        vault.arn
    );
    let tags = backup::list_tags(b, &vault.arn, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(tags.get("team").map(String::as_str), Some("db"), "{tags:?}");

    backup::put_vault_lock(
        b,
        "pci-gold",
        VaultLockSpec {
            min_retention_days: Some(7),
            max_retention_days: Some(35),
            changeable_for_days: Some(3),
        },
        deadline(),
        &cancel,
    )
    .await
    .unwrap();
    let locked = backup::find_vault(b, "pci-gold", deadline(), &cancel)
        .await
        .unwrap()
        .unwrap();
    assert!(locked.compliance());
    assert_eq!(
        (locked.min_retention_days, locked.max_retention_days),
        (Some(7), Some(35))
    );

    let plan = backup::create_plan(b, &plan_spec(14), deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(plan.rules, plan_spec(14).rules);
    let updated = backup::update_plan(b, &plan.id, &plan_spec(21), deadline(), &cancel)
        .await
        .unwrap();
    assert_ne!(updated.version_id, plan.version_id);
    assert_eq!(updated.rules[0].retention_days, Some(21));
    let by_name = backup::find_plan_by_name(b, "pci-gold", deadline(), &cancel)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_name.id, plan.id);

    let selection = SelectionSpec {
        name: "pci-gold".into(),
        iam_role_arn: ROLE.into(),
        tags: vec![TagCondition {
            key: "dbrail:backup-policy".into(),
            value: "pci-gold".into(),
        }],
        resources: Vec::new(),
    };
    let id = backup::create_selection(b, &plan.id, &selection, deadline(), &cancel)
        .await
        .unwrap();
    let read = backup::find_selection(b, &plan.id, &id, deadline(), &cancel)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.tags, selection.tags);
    assert_eq!(read.iam_role_arn, ROLE);
    let listed = backup::list_selections(b, &plan.id, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);

    // A plan with a selection cannot go first.
    let err = backup::delete_plan(b, &plan.id, deadline(), &cancel)
        .await
        .unwrap_err();
    assert!(!err.is_not_found(), "{err}");

    backup::delete_selection(b, &plan.id, &id, deadline(), &cancel)
        .await
        .unwrap();
    backup::delete_selection(b, &plan.id, &id, deadline(), &cancel)
        .await
        .unwrap();
    assert!(
        backup::find_selection(b, &plan.id, &id, deadline(), &cancel)
            .await
            .unwrap()
            .is_none()
    );
    backup::delete_plan(b, &plan.id, deadline(), &cancel)
        .await
        .unwrap();
    assert!(
        backup::find_plan(b, &plan.id, deadline(), &cancel)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        backup::find_plan_by_name(b, "pci-gold", deadline(), &cancel)
            .await
            .unwrap()
            .is_none()
    );
    backup::delete_vault_lock(b, "pci-gold", deadline(), &cancel)
        .await
        .unwrap();
    backup::delete_vault(b, "pci-gold", deadline(), &cancel)
        .await
        .unwrap();
    backup::delete_vault(b, "pci-gold", deadline(), &cancel)
        .await
        .unwrap();
    assert!(
        backup::find_vault(b, "pci-gold", deadline(), &cancel)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_points_are_listed_newest_first_and_validation_is_typed() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let b = &clients.backup;
    let cancel = CancellationToken::new();
    let spec = VaultSpec {
        name: "v".into(),
        kms_key_arn: Some(KEY.into()),
        tags: HashMap::new(),
    };
    backup::create_vault(b, &spec, deadline(), &cancel)
        .await
        .unwrap();
    assert!(
        backup::list_recovery_points(b, CLUSTER, deadline(), &cancel)
            .await
            .unwrap()
            .is_empty()
    );
    let first = backup::start_backup_job(b, "v", CLUSTER, ROLE, Some(7), deadline(), &cancel)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = backup::start_backup_job(b, "v", CLUSTER, ROLE, Some(7), deadline(), &cancel)
        .await
        .unwrap();
    let points = backup::list_recovery_points(b, CLUSTER, deadline(), &cancel)
        .await
        .unwrap();
    let arns: Vec<&str> = points.iter().map(|p| p.arn.as_str()).collect();
    assert_eq!(arns, [second.as_str(), first.as_str()]);
    assert_eq!(points[0].status.as_deref(), Some("COMPLETED"));
    assert!(points[0].created.unwrap() > points[1].created.unwrap());

    // Continuous backup keeps at most 35 days: a validation error, not retried.
    let mut long = plan_spec(36);
    long.rules[0].vault_name = "v".into();
    let err = backup::create_plan(b, &long, deadline(), &cancel)
        .await
        .unwrap_err();
    assert!(err.aws_error().unwrap().is_validation(), "{err}");
    // A selection without a role is refused by the SDK or the service, never sent half-built.
    let err = backup::create_selection(
        b,
        "no-such-plan",
        &SelectionSpec {
            name: "s".into(),
            iam_role_arn: ROLE.into(),
            tags: vec![TagCondition {
                key: "k".into(),
                value: "v".into(),
            }],
            resources: Vec::new(),
        },
        deadline(),
        &cancel,
    )
    .await
    .unwrap_err();
    assert!(err.aws_error().unwrap().is_validation(), "{err}");
}
