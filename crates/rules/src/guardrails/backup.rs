//! G6: automated backup retention at or above a floor.
//!
//! Aurora's automated backups cannot be turned off, but their window can be as short as one day,
//! which leaves no time to notice a bad migration or a silent corruption before the last good
//! point in time is gone. The floor is policy, not a constant: it comes from the
//! [`Context`] (7 days unless a backup policy raises it), so the rule and the policy cannot
//! disagree about the number. A backup policy is held to the same floor: the policy *is* the
//! floor its clusters are raised to, so a policy below it would lower every cluster it covers.

use crate::guardrails::cluster::{self, Verdict};
use crate::{
    AttrPath, Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G6",
    title: "Backup retention at or above the floor",
    description: "\
Checks that an Aurora cluster keeps automated backups (point-in-time restore) for at least the \
backup floor: 7 days by default, raised by a backup policy where one applies \
(`backup.retention_days` in `dbrail_cluster`, `backup_retention_period` in `aws_rds_cluster`; \
Aurora accepts 1–35 days).

For a backup policy (`retention_days` in `dbrail_backup_policy`, `lifecycle.delete_after` \
of an `aws_backup_plan` rule) the same floor applies to the days recovery points are kept.

Unset fails: AWS then keeps one day. A value unknown until apply leaves the rule undecided. \
Automated backups expire when the cluster is deleted, so a final snapshot (and, for restore \
evidence and copies, a backup plan: G7) is needed besides.

**Strictness:** an error in production; a warning in staging and development, where a shorter \
window saves storage and losing a day of test data is acceptable.",
    rationale: "A short window means a problem noticed late (a faulty migration, a bug that \
corrupts rows slowly, ransomware) can no longer be undone by a point-in-time restore. SOC 2 \
expects data backup processes that meet the entity's recovery objectives.",
    controls: &[
        Control::security_hub("RDS.50"),
        Control::security_hub("RDS.11"),
        Control::checkov("CKV_AWS_133"),
        Control::trivy("AVD-AWS-0077"),
        Control::soc2("A1.2"),
    ],
    fix: "Set backup.retention_days (backup_retention_period on aws_rds_cluster) to at least the \
floor, 7 days unless your backup policy asks for more.",
    applies_to: &[SubjectKind::Cluster, SubjectKind::BackupPolicy],
    strictness: Strictness::WarnBelowProduction,
    check,
};

/// The path findings point at: `backup.retention_days`.
fn at() -> AttrPath {
    AttrPath::attribute("backup").attr("retention_days")
}

fn check(subject: &Subject, context: &Context<'_>) -> Vec<Outcome> {
    if let Some(policy) = subject.as_backup_policy() {
        return check_policy(&policy.retention_days, context);
    }
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let floor = context.backup_floor_days;
    let fix = format!("set backup.retention_days to at least {floor}");
    let mut verdict = Verdict::new(RULE.id);
    match cluster.backup_retention_days {
        Fact::Known(days) if days >= floor => {}
        Fact::Known(days) => verdict.fail(
            Severity::Error,
            at(),
            format!(
                "backup.retention_days = {days}: point-in-time restore reaches back fewer than \
                 the required {floor} days"
            ),
            fix,
        ),
        Fact::Absent => verdict.fail(
            Severity::Error,
            at(),
            format!(
                "backup.retention_days is not set, so AWS keeps 1 day of backups; at least \
                 {floor} are required"
            ),
            fix,
        ),
        Fact::Unknown => verdict.undecided(at(), "backup.retention_days is unknown until apply"),
    }
    verdict.finish()
}

/// A backup policy keeps recovery points for at least the floor.
fn check_policy(retention: &Fact<u32>, context: &Context<'_>) -> Vec<Outcome> {
    let floor = context.backup_floor_days;
    let at = || AttrPath::attribute("retention_days");
    let fix = format!("set retention_days to at least {floor}");
    let mut verdict = Verdict::new(RULE.id);
    match retention {
        Fact::Known(days) if *days >= floor => {}
        Fact::Known(days) => verdict.fail(
            Severity::Error,
            at(),
            format!(
                "retention_days = {days}: recovery points are kept fewer than the required \
                 {floor} days"
            ),
            fix,
        ),
        Fact::Absent => verdict.fail(
            Severity::Error,
            at(),
            format!("retention_days is not set; at least {floor} days are required"),
            fix,
        ),
        Fact::Unknown => verdict.undecided(at(), "retention_days is unknown until apply"),
    }
    verdict.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        date, dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, undecided,
    };
    use crate::{Tier, Waiver};

    const PASS: Outcome = Outcome::Pass { rule: "G6" };

    fn keeping(days: Fact<u32>) -> crate::ClusterSubject {
        dbrail_cluster().with_backup_retention_days(days)
    }

    #[test]
    fn passes_at_and_above_the_default_floor() {
        for days in [7, 8, 35] {
            assert_eq!(
                evaluate_cluster(&RULE, keeping(Fact::Known(days)), &production()),
                [PASS],
                "{days}"
            );
        }
    }

    #[test]
    fn fails_below_the_floor_or_unset() {
        for days in [Fact::Known(1), Fact::Known(6), Fact::Absent] {
            let outcomes = evaluate_cluster(&RULE, keeping(days), &production());
            assert_eq!(failed_at(&outcomes), ["backup.retention_days"], "{days:?}");
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        }
    }

    #[test]
    fn the_floor_comes_from_the_context() {
        let strict = production().with_backup_floor(14);
        let found = failures(&evaluate_cluster(&RULE, keeping(Fact::Known(7)), &strict));
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("required 14 days"),
            "{}",
            found[0].message
        );
        assert!(found[0].fix.contains("at least 14"));
        assert_eq!(
            evaluate_cluster(&RULE, keeping(Fact::Known(14)), &strict),
            [PASS]
        );
    }

    #[test]
    fn only_warns_below_production() {
        for tier in [Tier::Staging, Tier::Development] {
            let found = failures(&evaluate_cluster(
                &RULE,
                keeping(Fact::Known(1)),
                &in_tier(tier),
            ));
            assert_eq!(found[0].severity, Severity::Warning, "{tier:?}");
        }
    }

    #[test]
    fn a_backup_policy_is_held_to_the_floor() {
        let policy =
            |days| Subject::from(crate::BackupPolicySubject::new().with_retention_days(days));
        assert_eq!(
            RULE.evaluate(&policy(Fact::Known(7)), &production()),
            [PASS]
        );
        for days in [Fact::Known(3), Fact::Absent] {
            let outcomes = RULE.evaluate(&policy(days), &production());
            assert_eq!(failed_at(&outcomes), ["retention_days"], "{days:?}");
        }
        let strict = production().with_backup_floor(30);
        let found = failures(&RULE.evaluate(&policy(Fact::Known(14)), &strict));
        assert!(found[0].message.contains("required 30 days"));
        assert_eq!(
            undecided(&RULE.evaluate(&policy(Fact::Unknown), &production())),
            ["retention_days"]
        );
    }

    #[test]
    fn unknown_is_undecided() {
        assert_eq!(
            undecided(&evaluate_cluster(
                &RULE,
                keeping(Fact::Unknown),
                &production()
            )),
            ["backup.retention_days"]
        );
    }

    #[test]
    fn a_valid_waiver_waives_and_an_expired_one_is_an_error() {
        let waivers = [Waiver::new(
            "G6",
            "AWS Backup plan keeps 35 days of snapshots instead",
            date("2025-12-31"),
        )];
        let valid = production().with_waivers(&waivers);
        let outcomes = evaluate_cluster(&RULE, keeping(Fact::Known(1)), &valid);
        assert!(matches!(
            outcomes.as_slice(),
            [Outcome::Waived { rule: "G6", .. }]
        ));

        let expired = Context::new(Tier::Production, date("2026-01-01")).with_waivers(&waivers);
        let found = failures(&evaluate_cluster(&RULE, keeping(Fact::Known(1)), &expired));
        assert_eq!(found.len(), 2);
        assert!(found[1].message.contains("expired on 2025-12-31"));
    }
}
