//! Backup policies in `policy check`: `dbrail_backup_policy` in dbrail's names, and
//! `aws_backup_plan` joined with its vault and vault lock, in the AWS provider's names.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::Status;
use serde_json::{Value, json};

const POLICY: &str = "dbrail_backup_policy.gold";
const PLAN: &str = "aws_backup_plan.gold";
const HOME_VAULT: &str = "arn:aws:backup:eu-west-1:111122223333:backup-vault:gold";
const DR_VAULT: &str = "arn:aws:backup:eu-central-1:111122223333:backup-vault:gold";

fn policy_plan() -> Value {
    plan(vec![resource(
        POLICY,
        "dbrail_backup_policy",
        json!({
            "name": "gold",
            "tier": "production",
            "vault_kms_key_arn": CMK,
            "vault_arn": HOME_VAULT,
            "retention_days": 14,
            "continuous": true,
            "copy_to": [{"region": "eu-central-1", "vault_arn": null, "retention_days": null}],
            "vault_lock": {"mode": "compliance", "min_retention_days": 7, "max_retention_days": 35, "changeable_for_days": 3},
        }),
    )])
}

fn aws_backup_plan() -> Value {
    plan(vec![
        resource(
            "aws_backup_vault.gold",
            "aws_backup_vault",
            json!({"name": "gold", "kms_key_arn": CMK, "arn": HOME_VAULT}),
        ),
        resource(
            "aws_backup_vault_lock_configuration.gold",
            "aws_backup_vault_lock_configuration",
            json!({"backup_vault_name": "gold", "min_retention_days": 7, "max_retention_days": 35, "changeable_for_days": 3}),
        ),
        resource(
            PLAN,
            "aws_backup_plan",
            json!({
                "name": "gold",
                "rule": [{
                    "rule_name": "daily",
                    "target_vault_name": "gold",
                    "enable_continuous_backup": true,
                    "lifecycle": [{"delete_after": 14}],
                    "copy_action": [{"destination_vault_arn": DR_VAULT, "lifecycle": []}],
                }],
            }),
        ),
    ])
}

#[test]
fn a_compliant_backup_policy_passes() {
    assert_eq!(not_passed(&check(&policy_plan())), vec![]);
    assert_eq!(not_passed(&check(&aws_backup_plan())), vec![]);
}

#[test]
fn lowering_retention_under_the_lock_fails_on_the_attribute() {
    let mut p = policy_plan();
    values(&mut p, POLICY)["retention_days"] = json!(5);
    let failures = not_passed(&check(&p));
    assert!(
        failures.contains(&(
            POLICY.into(),
            "G7".into(),
            Status::Failed,
            "retention_days".into()
        )),
        "{failures:#?}"
    );
    assert!(
        failures.contains(&(
            POLICY.into(),
            "G6".into(),
            Status::Failed,
            "retention_days".into()
        )),
        "{failures:#?}"
    );

    let mut p = aws_backup_plan();
    values(&mut p, PLAN)["rule"][0]["lifecycle"][0]["delete_after"] = json!(5);
    let failures = not_passed(&check(&p));
    assert!(
        failures.contains(&(
            PLAN.into(),
            "G7".into(),
            Status::Failed,
            "rule.lifecycle.delete_after".into()
        )),
        "{failures:#?}"
    );
}

#[test]
fn aws_plan_without_copy_key_or_compliance_lock_fails_in_aws_names() {
    let mut p = aws_backup_plan();
    values(&mut p, PLAN)["rule"][0]["copy_action"] = json!([]);
    values(&mut p, "aws_backup_vault.gold")["kms_key_arn"] = Value::Null;
    values(&mut p, "aws_backup_vault_lock_configuration.gold")["changeable_for_days"] = Value::Null;
    let attributes: Vec<String> = not_passed(&check(&p))
        .into_iter()
        .filter(|(_, rule, _, _)| rule == "G7")
        .map(|(_, _, _, at)| at)
        .collect();
    assert_eq!(
        attributes,
        [
            "aws_backup_vault.kms_key_arn",
            "rule.copy_action",
            "aws_backup_vault_lock_configuration.changeable_for_days"
        ]
    );
}

#[test]
fn a_copy_whose_source_is_not_known_yet_is_undecided() {
    let mut p = policy_plan();
    values(&mut p, POLICY)["vault_arn"] = Value::Null;
    make_unknown(&mut p, POLICY, "vault_arn");
    let report = check(&p);
    assert!(
        not_passed(&report).contains(&(
            POLICY.into(),
            "G7".into(),
            Status::Undecided,
            "copy_to".into()
        )),
        "{:#?}",
        not_passed(&report)
    );
}
