//! G4: deletion protection (`deletion_guard`).
//!
//! Aurora's automated backups expire with the cluster, so an accidental delete (a mistyped
//! `terraform destroy`, a resource renamed into a replacement) can lose the data itself. Below
//! production clusters are torn down routinely and the protection gets in the way, so there it
//! only warns.

use crate::guardrails::cluster::{self, Switch, Verdict};
use crate::{Context, Control, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G4",
    title: "Deletion protection",
    description: "\
Checks that an Aurora cluster has deletion protection on (`deletion_guard = true` in \
`dbrail_cluster`, `deletion_protection = true` in `aws_rds_cluster`). With it on, AWS refuses to \
delete the cluster until the protection is turned off in a separate change.

Unset fails: AWS leaves deletion protection off by default. A value unknown until apply leaves \
the rule undecided.

An Aurora global database (`aws_rds_global_cluster`) has a protection of its own, checked at its \
`deletion_protection`; its regional member clusters are checked as clusters.

**Strictness:** an error in production; a warning in staging and development, where clusters are \
created and destroyed routinely and a final snapshot is usually protection enough.",
    rationale: "Automated backups are deleted with the cluster, so deleting a production cluster \
by mistake can destroy the data and its point-in-time history together. Deletion protection turns \
a one-step accident into a deliberate two-step change that review can catch. It supports the \
availability commitments of SOC 2 A1.2 (unconfirmed).",
    controls: &[
        Control::security_hub("RDS.7"),
        Control::security_hub("RDS.8"),
        Control::checkov("CKV_AWS_139"),
        Control::checkov("CKV_AWS_293"),
        Control::trivy("AVD-AWS-0343"),
        Control::trivy("AVD-AWS-0177"),
    ],
    fix: "Set deletion_guard = true (deletion_protection = true on aws_rds_cluster and \
aws_rds_global_cluster).",
    applies_to: &[SubjectKind::Cluster, SubjectKind::GlobalCluster],
    strictness: Strictness::WarnBelowProduction,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    if let Some(global) = subject.as_global_cluster() {
        let mut verdict = Verdict::new(RULE.id);
        Switch {
            attribute: "deletion_protection",
            fact: global.deletion_protection,
            wanted: true,
            when_unset: Some("AWS leaves deletion protection off by default"),
            severity: Severity::Error,
            problem: "one destroy deletes the global database",
            fix: "set deletion_protection = true",
        }
        .judge(&mut verdict);
        return verdict.finish();
    }
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    Switch {
        attribute: "deletion_guard",
        fact: cluster.deletion_protection,
        wanted: true,
        when_unset: Some("AWS leaves deletion protection off by default"),
        severity: Severity::Error,
        problem: "one destroy deletes the cluster and its automated backups",
        fix: "set deletion_guard = true",
    }
    .judge(&mut verdict);
    verdict.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        date, dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, undecided,
    };
    use crate::{Fact, Tier, Waiver};

    #[test]
    fn passes_with_deletion_protection() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [Outcome::Pass { rule: "G4" }]
        );
    }

    #[test]
    fn off_or_unset_is_an_error_in_production_and_a_warning_below() {
        for fact in [Fact::Known(false), Fact::Absent] {
            let cluster = || dbrail_cluster().with_deletion_protection(fact);
            let outcomes = evaluate_cluster(&RULE, cluster(), &production());
            assert_eq!(failed_at(&outcomes), ["deletion_guard"]);
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
            for tier in [Tier::Staging, Tier::Development] {
                let found = failures(&evaluate_cluster(&RULE, cluster(), &in_tier(tier)));
                assert_eq!(found[0].severity, Severity::Warning, "{tier:?}");
            }
        }
    }

    #[test]
    fn unknown_is_undecided() {
        let cluster = dbrail_cluster().with_deletion_protection(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["deletion_guard"]
        );
    }

    #[test]
    fn a_global_cluster_is_judged_at_its_own_deletion_protection() {
        let global = |fact| {
            Subject::from(
                crate::GlobalClusterSubject::new()
                    .with_storage_encrypted(Fact::Known(true))
                    .with_deletion_protection(fact),
            )
        };
        assert_eq!(
            RULE.evaluate(&global(Fact::Known(true)), &production()),
            [Outcome::Pass { rule: "G4" }]
        );
        for fact in [Fact::Known(false), Fact::Absent] {
            let outcomes = RULE.evaluate(&global(fact), &production());
            assert_eq!(failed_at(&outcomes), ["deletion_protection"]);
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
            let below = RULE.evaluate(&global(fact), &in_tier(Tier::Development));
            assert_eq!(failures(&below)[0].severity, Severity::Warning);
        }
        let outcomes = RULE.evaluate(&global(Fact::Unknown), &production());
        assert_eq!(undecided(&outcomes), ["deletion_protection"]);
    }

    #[test]
    fn a_valid_waiver_waives_and_an_expired_one_is_an_error() {
        let waivers = [Waiver::new(
            "G4",
            "cluster being decommissioned, ticket OPS-142",
            date("2025-06-15"),
        )];
        let cluster = || dbrail_cluster().with_deletion_protection(Fact::Known(false));
        let valid = evaluate_cluster(&RULE, cluster(), &production().with_waivers(&waivers));
        assert!(matches!(
            valid.as_slice(),
            [Outcome::Waived { rule: "G4", .. }]
        ));

        let later =
            Context::new(crate::Tier::Production, date("2025-06-16")).with_waivers(&waivers);
        let found = failures(&evaluate_cluster(&RULE, cluster(), &later));
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].attribute.to_string(), "waivers[0].expires");
    }
}
