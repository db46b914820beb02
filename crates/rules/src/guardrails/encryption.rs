//! G1: cluster storage encrypted with a customer-managed KMS key.
//!
//! Two parts with different weights. Unencrypted storage cannot be fixed in place (AWS replaces
//! the cluster), and non-production clusters often hold copies of production data, so it blocks
//! everywhere. The customer-managed key is what lets a team restrict and audit who can decrypt,
//! and share encrypted snapshots across accounts (snapshots under the AWS-managed key cannot be
//! shared); it blocks in production and warns elsewhere.

use crate::guardrails::cluster::{
    self, Switch, Verdict, at, is_customer_managed_key, production_error,
};
use crate::{
    Context, Control, Fact, GlobalClusterSubject, Outcome, Rule, Severity, Strictness, Subject,
    SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G1",
    title: "Cluster storage encrypted with a customer-managed KMS key",
    description: "\
Checks that an Aurora cluster's storage is encrypted (`storage_encrypted = true`) and that the key \
is a customer-managed KMS key (`kms_key_id` set, and not the AWS-managed `alias/aws/rds`).

Unset `storage_encrypted` fails: AWS leaves provisioned Aurora storage unencrypted by default. \
Unset `kms_key_id` fails the key part: AWS then uses its managed key. A key given by id or key \
ARN is accepted as customer-managed; only an `alias/aws/...` reference is recognisably \
AWS-managed without asking KMS. A value unknown until apply (such as the ARN of a key created in \
the same plan) leaves the rule undecided until the next plan. Both settings force replacement of \
the cluster, so they are best right at creation.

On an Aurora global database (`aws_rds_global_cluster`) only `storage_encrypted` is checked \
(unset fails: AWS leaves it off unless the global cluster is created from an encrypted cluster). \
A global cluster has no key of its own: each regional member cluster is encrypted with a key of \
its region, and the key part is judged on those member clusters.

**Strictness:** unencrypted storage is an error in every tier; a missing customer-managed key is \
an error in production and a warning in staging and development.",
    rationale: "Encryption at rest protects data on disks, in automated backups, snapshots and \
replicas. A customer-managed key adds control over who may decrypt (key policy, grants), an audit \
trail of key use in CloudTrail, the option to revoke access by disabling the key, and cross-account \
snapshot sharing. PCI DSS expects stored account data protected and its keys managed; storage \
encryption alone does not satisfy PCI DSS 3.5.1 for PAN (3.5.1.2 limits disk-level encryption as \
the sole protection to removable media), so it is a layer, not the whole of 3.5.1 (unconfirmed).",
    controls: &[
        Control::security_hub("RDS.27"),
        Control::checkov("CKV_AWS_96"),
        Control::checkov("CKV_AWS_327"),
        Control::trivy("AVD-AWS-0079"),
        Control::pci_dss("3.6.1"),
        Control::soc2("CC6.1"),
    ],
    fix: "Set storage_encrypted = true and kms_key_id to a customer-managed KMS key (both force \
replacement: restore from an encrypted snapshot copy to migrate an existing cluster). On a global \
cluster, set storage_encrypted = true; the key is set on each regional member cluster.",
    applies_to: &[SubjectKind::Cluster, SubjectKind::GlobalCluster],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, context: &Context<'_>) -> Vec<Outcome> {
    if let Some(global) = subject.as_global_cluster() {
        return check_global(global);
    }
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    let encrypted = Switch {
        attribute: "storage_encrypted",
        fact: cluster.storage_encrypted,
        wanted: true,
        when_unset: Some("AWS leaves provisioned Aurora storage unencrypted by default"),
        severity: Severity::Error,
        problem: "the cluster's storage, backups and snapshots are not encrypted",
        fix: "set storage_encrypted = true (forces replacement)",
    }
    .judge(&mut verdict);
    if encrypted || cluster.storage_encrypted.is_unknown() {
        judge_key(&mut verdict, &cluster.kms_key_id, production_error(context));
    }
    verdict.finish()
}

/// A global cluster: the encryption part only, since the key belongs to each regional member.
fn check_global(global: &GlobalClusterSubject) -> Vec<Outcome> {
    let mut verdict = Verdict::new(RULE.id);
    Switch {
        attribute: "storage_encrypted",
        fact: global.storage_encrypted,
        wanted: true,
        when_unset: Some(
            "AWS leaves a global database unencrypted unless it is created from an encrypted \
             cluster (the KMS key is judged on each member cluster)",
        ),
        severity: Severity::Error,
        problem: "every regional cluster of the global database stores its data unencrypted (the \
                  KMS key is judged on each member cluster)",
        fix: "set storage_encrypted = true (forces replacement)",
    }
    .judge(&mut verdict);
    verdict.finish()
}

fn judge_key(verdict: &mut Verdict, key: &Fact<String>, severity: Severity) {
    const FIX: &str = "set kms_key_id to a customer-managed KMS key (forces replacement)";
    match key.as_deref() {
        Fact::Known(key) if is_customer_managed_key(key) => {}
        Fact::Known(key) => verdict.fail(
            severity,
            at("kms_key_id"),
            format!("kms_key_id = {key:?} is the AWS-managed key, whose use cannot be restricted"),
            FIX,
        ),
        Fact::Absent => verdict.fail(
            severity,
            at("kms_key_id"),
            "kms_key_id is not set, so AWS encrypts with its managed key, whose use cannot be \
             restricted and whose snapshots cannot be shared across accounts",
            FIX,
        ),
        Fact::Unknown => verdict.unknown("kms_key_id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        date, dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, undecided,
    };
    use crate::{Tier, Waiver};

    const PASS: Outcome = Outcome::Pass { rule: "G1" };

    #[test]
    fn passes_encrypted_storage_with_a_customer_managed_key() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [PASS]
        );
        let alias = dbrail_cluster().with_kms_key_id(Fact::Known("alias/payments".to_owned()));
        assert_eq!(evaluate_cluster(&RULE, alias, &production()), [PASS]);
    }

    #[test]
    fn unencrypted_storage_is_an_error_in_every_tier() {
        for fact in [Fact::Known(false), Fact::Absent] {
            for tier in [Tier::Production, Tier::Development] {
                let cluster = dbrail_cluster().with_storage_encrypted(fact);
                let found = failures(&evaluate_cluster(&RULE, cluster, &in_tier(tier)));
                assert_eq!(found.len(), 1, "{fact:?}");
                assert_eq!(found[0].attribute.to_string(), "storage_encrypted");
                assert_eq!(found[0].severity, Severity::Error);
            }
        }
    }

    #[test]
    fn the_aws_managed_key_is_an_error_in_production_and_a_warning_below() {
        for key in [Fact::Absent, Fact::Known("alias/aws/rds".to_owned())] {
            let cluster = || dbrail_cluster().with_kms_key_id(key.clone());
            let found = failures(&evaluate_cluster(&RULE, cluster(), &production()));
            assert_eq!(
                failed_at(&evaluate_cluster(&RULE, cluster(), &production())),
                ["kms_key_id"]
            );
            assert_eq!(found[0].severity, Severity::Error);
            let found = failures(&evaluate_cluster(&RULE, cluster(), &in_tier(Tier::Staging)));
            assert_eq!(found[0].severity, Severity::Warning);
        }
    }

    #[test]
    fn unknown_values_are_undecided() {
        let cluster = dbrail_cluster()
            .with_storage_encrypted(Fact::Unknown)
            .with_kms_key_id(Fact::Unknown);
        let outcomes = evaluate_cluster(&RULE, cluster, &production());
        assert_eq!(undecided(&outcomes), ["storage_encrypted", "kms_key_id"]);
        assert!(failures(&outcomes).is_empty());
    }

    fn global(encrypted: Fact<bool>) -> Vec<Outcome> {
        let global = GlobalClusterSubject::new()
            .with_storage_encrypted(encrypted)
            .with_deletion_protection(Fact::Known(true));
        RULE.evaluate(&Subject::from(global), &production())
    }

    #[test]
    fn a_global_cluster_is_judged_on_encryption_alone() {
        assert_eq!(global(Fact::Known(true)), [PASS]);
        for fact in [Fact::Known(false), Fact::Absent] {
            let outcomes = global(fact);
            assert_eq!(failed_at(&outcomes), ["storage_encrypted"], "{fact:?}");
            let found = failures(&outcomes);
            assert_eq!(found[0].severity, Severity::Error);
            assert!(
                found[0].message.contains("member cluster"),
                "{}",
                found[0].message
            );
        }
        let outcomes = global(Fact::Unknown);
        assert_eq!(undecided(&outcomes), ["storage_encrypted"]);
        assert!(failures(&outcomes).is_empty());
    }

    #[test]
    fn a_valid_waiver_waives_and_an_expired_one_is_an_error() {
        let waivers = [Waiver::new(
            "G1",
            "legacy cluster, migrating to a CMK by restore",
            date("2025-07-31"),
        )];
        let cluster = || dbrail_cluster().with_kms_key_id(Fact::Absent);
        let outcomes = evaluate_cluster(&RULE, cluster(), &production().with_waivers(&waivers));
        assert!(matches!(
            outcomes.as_slice(),
            [Outcome::Waived { rule: "G1", .. }]
        ));

        let later = Context::new(Tier::Production, date("2025-08-01")).with_waivers(&waivers);
        let found = failures(&evaluate_cluster(&RULE, cluster(), &later));
        assert_eq!(found.len(), 2);
        assert!(found[1].message.contains("expired on 2025-07-31"));
    }
}
