//! G7: backups an auditor accepts — a backup plan whose recovery points are encrypted with a
//! customer key, copied out of the region or account, and kept in a locked vault.
//!
//! Automated backups (G6) live and die with the cluster and its account: a deleted cluster, a
//! compromised account or a regional outage takes them along. A backup plan with a copy
//! elsewhere and a compliance-mode vault lock is what survives those. The lock's bounds and the
//! plan's retention must also agree, or AWS Backup fails every job: that mismatch is an error in
//! every tier, found at plan time instead of at the first failed job days later.
//!
//! A well-built plan protects nothing until a selection assigns the database to it, so G7 also
//! asks of every cluster whether some selection covers it (Security Hub RDS.26, checkov
//! CKV2_AWS_8). That part is only a warning: a plan cannot see selections made elsewhere (another
//! stack, an AWS Organizations backup policy), and an error would block clusters that are in fact
//! covered.

use crate::guardrails::cluster::{Verdict, production_error};
use crate::{
    AttrPath, BackupPolicySubject, Context, Control, Fact, LockMode, Outcome, Rule, Severity,
    Strictness, Subject, SubjectKind,
};

/// The longest retention AWS Backup accepts for continuous backups.
pub(crate) const CONTINUOUS_MAX_DAYS: u32 = 35;

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G7",
    title: "Backup plan with copy and vault lock",
    description: "\
Checks a backup policy (`dbrail_backup_policy`, or an `aws_backup_plan` rule with the \
`aws_backup_vault` and `aws_backup_vault_lock_configuration` it targets):

- the vault is encrypted with a customer-managed KMS key (`vault_kms_key_arn`; unset means the \
AWS-managed `aws/backup` key);
- recovery points are copied to another region or another account (`copy_to`);
- the vault is locked in compliance mode (`vault_lock.mode`), so nobody, the root user \
included, can delete recovery points before their time;
- the retention agrees with the lock: `retention_days` below the lock's `min_retention_days`, \
or a lock whose `max_retention_days` would cut retention short, makes AWS Backup fail every \
backup job; continuous backups (`continuous`) keep at most 35 days.

Checks that every Aurora cluster is covered by a backup plan: a `dbrail_cluster` through \
`backup_policy`, any cluster through an `aws_backup_selection` that lists its ARN (wildcards \
included), references it, or selects it by tag (`selection_tag`, `condition`), and does not \
exclude it in `not_resources`. The plan cannot see selections made outside it (another stack, \
an AWS Organizations backup policy): waive G7 on the cluster, naming the plan that covers it.

Unknown values leave their part undecided, as does a selection whose resources or tags are \
unknown until apply and might select the cluster.

**Strictness:** an error in every tier for a retention that contradicts the lock or the \
continuous-backup limit; the key, the copy and the compliance lock are an error in production \
and a warning in staging and development; a cluster no selection covers is a warning in every \
tier.",
    rationale: "Backups inside the same account and region as the database share its fate: \
an attacker with the account, an operator mistake or a regional outage can remove both. PCI DSS \
and SOC 2 (A1.2, A1.3) expect backups that are protected, kept as long as policy says and \
restorable; an immutable, copied vault is the evidence.",
    controls: &[
        Control::security_hub("RDS.26"),
        Control::checkov("CKV2_AWS_8"),
        Control::checkov("CKV_AWS_166"),
        Control::soc2("A1.2"),
        Control::soc2("A1.3"),
    ],
    fix: "Give the policy a customer-managed vault_kms_key_arn, a copy_to block with another \
region or another account's vault, and vault_lock { mode = \"compliance\" } whose \
min_retention_days ≤ retention_days ≤ max_retention_days. Cover every cluster: set \
backup_policy on a dbrail_cluster, or add an aws_backup_selection targeting it.",
    applies_to: &[SubjectKind::BackupPolicy, SubjectKind::Cluster],
    strictness: Strictness::Everywhere,
    check,
};

/// The path of a dotted `dbrail_backup_policy` attribute such as `vault_lock.mode`.
fn at(path: &str) -> AttrPath {
    let mut steps = path.split('.');
    let first = steps.next().unwrap_or_default();
    steps.fold(AttrPath::attribute(first), AttrPath::attr)
}

fn check(subject: &Subject, context: &Context<'_>) -> Vec<Outcome> {
    if let Some(cluster) = subject.as_cluster() {
        return judge_coverage(&cluster.backup_coverage);
    }
    let Some(policy) = subject.as_backup_policy() else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    let severity = production_error(context);
    judge_key(&mut verdict, &policy.vault_kms_key_arn, severity);
    judge_copies(&mut verdict, policy, severity);
    judge_lock(&mut verdict, policy, severity);
    judge_continuous(&mut verdict, policy);
    verdict.finish()
}

/// Whether a backup plan covers a cluster; nothing when the caller does not judge coverage.
fn judge_coverage(coverage: &Fact<bool>) -> Vec<Outcome> {
    let mut verdict = Verdict::new(RULE.id);
    match coverage {
        Fact::Absent => return Vec::new(),
        Fact::Known(true) => {}
        Fact::Known(false) => verdict.fail(
            Severity::Warning,
            at("backup_policy"),
            "no backup plan covers this cluster: no backup_policy and no aws_backup_selection in \
             this plan targets it, so only automated backups protect it; selections made \
             outside the plan (another stack, an AWS Organizations backup policy) are not \
             visible here",
            "set backup_policy = dbrail_backup_policy.<name> (dbrail_cluster) or add an \
             aws_backup_selection targeting the cluster; if a plan outside this configuration \
             covers it, waive G7 on the cluster naming that plan",
        ),
        Fact::Unknown => verdict.undecided(
            at("backup_policy"),
            "a backup selection may cover this cluster, but the resources or tags it selects \
             are unknown until apply",
        ),
    }
    verdict.finish()
}

fn judge_key(verdict: &mut Verdict, key: &Fact<String>, severity: Severity) {
    match key {
        Fact::Known(key) if !key.trim().is_empty() && !key.contains("alias/aws/") => {}
        Fact::Known(key) => verdict.fail(
            severity,
            at("vault_kms_key_arn"),
            format!("vault_kms_key_arn = \"{key}\" is an AWS-managed key"),
            "set vault_kms_key_arn to a customer-managed KMS key",
        ),
        Fact::Absent => verdict.fail(
            severity,
            at("vault_kms_key_arn"),
            "vault_kms_key_arn is not set, so the vault uses the AWS-managed aws/backup key",
            "set vault_kms_key_arn to a customer-managed KMS key",
        ),
        Fact::Unknown => verdict.undecided(
            at("vault_kms_key_arn"),
            "vault_kms_key_arn is unknown until apply",
        ),
    }
}

fn judge_copies(verdict: &mut Verdict, policy: &BackupPolicySubject, severity: Severity) {
    let fix = "add copy_to { region = \"<another region>\" } or copy_to { vault_arn = \
               \"<a vault in another account>\" }";
    match &policy.copies {
        Fact::Known(copies) => {
            if copies
                .iter()
                .any(|c| matches!(c.leaves_source, Fact::Known(true)))
            {
                return;
            }
            if copies.iter().any(|c| c.leaves_source.is_unknown()) {
                verdict.undecided(at("copy_to"), "the copy destination is unknown until apply");
                return;
            }
            let message = if copies.is_empty() {
                "no copy_to: every recovery point stays in the source region and account"
            } else {
                "copy_to stays in the source region and account: it does not survive a \
                 regional outage or a compromised account"
            };
            verdict.fail(severity, at("copy_to"), message, fix);
        }
        Fact::Absent => verdict.fail(
            severity,
            at("copy_to"),
            "no copy_to: every recovery point stays in the source region and account",
            fix,
        ),
        Fact::Unknown => verdict.undecided(at("copy_to"), "copy_to is unknown until apply"),
    }
}

fn judge_lock(verdict: &mut Verdict, policy: &BackupPolicySubject, severity: Severity) {
    let lock = match &policy.vault_lock {
        Fact::Known(lock) => lock,
        Fact::Absent => {
            verdict.fail(
                severity,
                at("vault_lock"),
                "the vault is not locked: recovery points can be deleted before their time",
                "add vault_lock { mode = \"compliance\", min_retention_days = ... }",
            );
            return;
        }
        Fact::Unknown => {
            verdict.undecided(at("vault_lock"), "vault_lock is unknown until apply");
            return;
        }
    };
    match lock.mode {
        Fact::Known(LockMode::Compliance) => {}
        Fact::Known(LockMode::Governance) | Fact::Absent => verdict.fail(
            severity,
            at("vault_lock.mode"),
            "vault_lock.mode = \"governance\": anyone with enough IAM permissions can lift \
             the lock",
            "set vault_lock.mode = \"compliance\"",
        ),
        Fact::Unknown => verdict.undecided(
            at("vault_lock.mode"),
            "vault_lock.mode is unknown until apply",
        ),
    }
    if let (Fact::Known(min), Fact::Known(max)) = (lock.min_retention_days, lock.max_retention_days)
        && min > max
    {
        verdict.fail(
            Severity::Error,
            at("vault_lock.min_retention_days"),
            format!("vault_lock.min_retention_days = {min} is above max_retention_days = {max}"),
            "make min_retention_days at most max_retention_days",
        );
    }
    let Fact::Known(retention) = policy.retention_days else {
        return;
    };
    if let Fact::Known(min) = lock.min_retention_days
        && retention < min
    {
        verdict.fail(
            Severity::Error,
            at("retention_days"),
            format!(
                "retention_days = {retention} is below the vault lock's min_retention_days = \
                 {min}: AWS Backup would fail every backup job"
            ),
            format!("keep retention_days at {min} or more while the lock requires it"),
        );
    }
    if let Fact::Known(max) = lock.max_retention_days
        && retention > max
    {
        let mode = lock.mode.known().map_or("the", |m| m.name());
        verdict.fail(
            Severity::Error,
            at("vault_lock.max_retention_days"),
            format!(
                "{mode} vault lock's max_retention_days = {max} would shorten retention_days = \
                 {retention}: AWS Backup would fail every backup job"
            ),
            format!("raise vault_lock.max_retention_days to at least {retention}"),
        );
    }
}

fn judge_continuous(verdict: &mut Verdict, policy: &BackupPolicySubject) {
    if let (Fact::Known(true), Fact::Known(retention)) = (policy.continuous, policy.retention_days)
        && retention > CONTINUOUS_MAX_DAYS
    {
        verdict.fail(
            Severity::Error,
            at("retention_days"),
            format!(
                "retention_days = {retention} with continuous = true: continuous backups keep \
                 at most {CONTINUOUS_MAX_DAYS} days"
            ),
            format!(
                "set retention_days to {CONTINUOUS_MAX_DAYS} or less, or keep longer snapshots \
                 with continuous = false"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{CMK, failures, in_tier, production, undecided};
    use crate::{BackupCopy, Tier, VaultLock};

    fn compliant() -> BackupPolicySubject {
        BackupPolicySubject::new()
            .with_vault_kms_key_arn(Fact::Known(CMK.to_owned()))
            .with_retention_days(Fact::Known(14))
            .with_continuous(Fact::Known(true))
            .with_copies(Fact::Known(vec![BackupCopy::new(
                Fact::Known(true),
                Fact::Known(14),
            )]))
            .with_vault_lock(Fact::Known(VaultLock::new(
                Fact::Known(LockMode::Compliance),
                Fact::Known(7),
                Fact::Known(35),
            )))
    }

    fn judge(policy: BackupPolicySubject, context: &Context<'_>) -> Vec<Outcome> {
        RULE.evaluate(&Subject::from(policy), context)
    }

    fn failed(outcomes: &[Outcome]) -> Vec<(String, Severity)> {
        failures(outcomes)
            .into_iter()
            .map(|f| (f.attribute.to_string(), f.severity))
            .collect()
    }

    fn lock(mode: LockMode, min: u32, max: u32) -> Fact<VaultLock> {
        Fact::Known(VaultLock::new(
            Fact::Known(mode),
            Fact::Known(min),
            Fact::Known(max),
        ))
    }

    #[test]
    fn a_compliant_policy_passes() {
        assert_eq!(
            judge(compliant(), &production()),
            [Outcome::Pass { rule: "G7" }]
        );
    }

    #[test]
    fn production_needs_key_copy_and_compliance_lock() {
        let weak = compliant()
            .with_vault_kms_key_arn(Fact::Absent)
            .with_copies(Fact::Known(vec![BackupCopy::new(
                Fact::Known(false),
                Fact::Absent,
            )]))
            .with_vault_lock(lock(LockMode::Governance, 7, 35));
        let expected = |severity| {
            vec![
                ("vault_kms_key_arn".to_owned(), severity),
                ("copy_to".to_owned(), severity),
                ("vault_lock.mode".to_owned(), severity),
            ]
        };
        assert_eq!(
            failed(&judge(weak.clone(), &production())),
            expected(Severity::Error)
        );
        assert_eq!(
            failed(&judge(weak, &in_tier(Tier::Development))),
            expected(Severity::Warning)
        );
        let unlocked = compliant()
            .with_vault_lock(Fact::Absent)
            .with_copies(Fact::Absent);
        assert_eq!(
            failed(&judge(unlocked, &production())),
            [
                ("copy_to".to_owned(), Severity::Error),
                ("vault_lock".to_owned(), Severity::Error)
            ]
        );
    }

    #[test]
    fn retention_that_contradicts_the_lock_is_an_error_in_every_tier() {
        for tier in [Tier::Production, Tier::Development] {
            let below = compliant()
                .with_retention_days(Fact::Known(5))
                .with_vault_lock(lock(LockMode::Compliance, 7, 35));
            let found = failures(&judge(below, &in_tier(tier)));
            assert_eq!(found.len(), 1, "{found:#?}");
            assert_eq!(found[0].attribute.to_string(), "retention_days");
            assert_eq!(found[0].severity, Severity::Error);
            assert!(found[0].message.contains("min_retention_days = 7"));
            assert!(found[0].fix.contains("7 or more"));

            let shortened = compliant().with_vault_lock(lock(LockMode::Compliance, 1, 10));
            let found = failures(&judge(shortened, &in_tier(tier)));
            assert_eq!(
                found[0].attribute.to_string(),
                "vault_lock.max_retention_days"
            );
            assert!(found[0].message.starts_with("compliance vault lock"));
            assert_eq!(found[0].severity, Severity::Error);
        }
    }

    #[test]
    fn inverted_bounds_and_long_continuous_retention_are_errors() {
        let inverted = compliant()
            .with_retention_days(Fact::Known(20))
            .with_vault_lock(lock(LockMode::Compliance, 30, 10));
        let at: Vec<String> = failed(&judge(inverted, &production()))
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        assert_eq!(
            at,
            [
                "vault_lock.min_retention_days",
                "retention_days",
                "vault_lock.max_retention_days"
            ]
        );
        let long = compliant()
            .with_retention_days(Fact::Known(36))
            .with_vault_lock(lock(LockMode::Compliance, 7, 100));
        assert_eq!(
            failed(&judge(long.clone(), &production())),
            [("retention_days".to_owned(), Severity::Error)]
        );
        assert_eq!(
            judge(long.with_continuous(Fact::Known(false)), &production()),
            [Outcome::Pass { rule: "G7" }]
        );
    }

    #[test]
    fn unknown_values_are_undecided_never_passed() {
        let outcomes = judge(BackupPolicySubject::new(), &production());
        assert_eq!(
            undecided(&outcomes),
            ["vault_kms_key_arn", "copy_to", "vault_lock"]
        );
        let copy_unknown = compliant().with_copies(Fact::Known(vec![BackupCopy::new(
            Fact::Unknown,
            Fact::Absent,
        )]));
        assert_eq!(undecided(&judge(copy_unknown, &production())), ["copy_to"]);
    }

    fn covered(coverage: Fact<bool>) -> crate::ClusterSubject {
        crate::testing::dbrail_cluster().with_backup_coverage(coverage)
    }

    #[test]
    fn a_covered_cluster_passes() {
        assert_eq!(
            crate::testing::evaluate_cluster(&RULE, covered(Fact::Known(true)), &production()),
            [Outcome::Pass { rule: "G7" }]
        );
    }

    #[test]
    fn an_uncovered_cluster_is_a_warning_in_every_tier() {
        for tier in [Tier::Production, Tier::Staging, Tier::Development] {
            let outcomes = crate::testing::evaluate_cluster(
                &RULE,
                covered(Fact::Known(false)),
                &in_tier(tier),
            );
            let found = failures(&outcomes);
            assert_eq!(found.len(), 1, "{tier:?}: {outcomes:#?}");
            assert_eq!(found[0].attribute.to_string(), "backup_policy");
            assert_eq!(found[0].severity, Severity::Warning, "{tier:?}");
            assert!(found[0].message.contains("outside the plan"));
            assert!(found[0].fix.contains("aws_backup_selection"));
            assert!(found[0].fix.contains("waive G7"));
        }
    }

    #[test]
    fn coverage_unknown_until_apply_is_undecided() {
        let outcomes =
            crate::testing::evaluate_cluster(&RULE, covered(Fact::Unknown), &production());
        assert_eq!(undecided(&outcomes), ["backup_policy"]);
        assert!(failures(&outcomes).is_empty());
    }

    #[test]
    fn a_caller_that_does_not_judge_coverage_gets_nothing() {
        let cluster = Subject::from(crate::testing::dbrail_cluster());
        assert!(RULE.evaluate(&cluster, &production()).is_empty());
    }

    #[test]
    fn a_waiver_naming_the_covering_plan_waives_an_uncovered_cluster() {
        let waivers = [crate::Waiver::new(
            "G7",
            "covered by the organisation backup policy org-gold",
            crate::testing::date("2025-12-31"),
        )];
        let context = production().with_waivers(&waivers);
        let outcomes =
            crate::testing::evaluate_cluster(&RULE, covered(Fact::Known(false)), &context);
        assert!(
            matches!(outcomes.as_slice(), [Outcome::Waived { rule: "G7", .. }]),
            "{outcomes:#?}"
        );
    }
}
