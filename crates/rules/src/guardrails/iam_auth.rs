//! G5: IAM database authentication.
//!
//! Turning IAM authentication on does not stop password logins; it makes short-lived, audited,
//! role-bound tokens available so applications and people need no long-lived database password.
//! It costs nothing and changes in place, so it is required in every tier.

use crate::guardrails::cluster::{self, Switch, Verdict};
use crate::{Context, Control, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G5",
    title: "IAM database authentication",
    description: "\
Checks that an Aurora cluster has IAM database authentication on (`iam_database_authentication = \
true`; `iam_database_authentication_enabled` in `aws_rds_cluster`), so database users can log in \
with 15-minute tokens issued to IAM roles (`rds-db:connect`) instead of stored passwords.

Unset fails: AWS leaves it off by default. A value unknown until apply leaves the rule undecided. \
The rule cannot see whether database users are actually granted `rds_iam` (PostgreSQL) or created \
`IDENTIFIED WITH AWSAuthenticationPlugin` (MySQL).

**Strictness:** an error in every tier: it is free, changes in place, and lets every environment \
use the same password-free access path.",
    rationale: "Long-lived database passwords end up in configuration files, CI variables and \
laptops, and are rarely rotated. IAM tokens expire in 15 minutes, are issued only to \
authenticated IAM principals under their policies, and every issue is recorded in CloudTrail, \
which supports SOC 2's logical access controls. It also serves PCI DSS 8.2.1 and 8.3.1 (unique, \
authenticated identities) (unconfirmed).",
    controls: &[
        Control::security_hub("RDS.12"),
        Control::security_hub("RDS.10"),
        Control::checkov("CKV_AWS_162"),
        Control::checkov("CKV_AWS_161"),
        Control::trivy("AVD-AWS-0176"),
        Control::soc2("CC6.1"),
    ],
    fix: "Set iam_database_authentication = true and grant database users rds_iam (PostgreSQL) or \
create them IDENTIFIED WITH AWSAuthenticationPlugin (MySQL).",
    applies_to: &[SubjectKind::Cluster],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    Switch {
        attribute: "iam_database_authentication",
        fact: cluster.iam_database_authentication,
        wanted: true,
        when_unset: Some("AWS leaves IAM database authentication off by default"),
        severity: Severity::Error,
        problem: "database users can only log in with long-lived passwords",
        fix: "set iam_database_authentication = true",
    }
    .judge(&mut verdict);
    verdict.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, undecided,
    };
    use crate::{Fact, Tier};

    #[test]
    fn passes_with_iam_authentication() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [Outcome::Pass { rule: "G5" }]
        );
    }

    #[test]
    fn off_or_unset_is_an_error_in_every_tier() {
        for fact in [Fact::Known(false), Fact::Absent] {
            let cluster = dbrail_cluster().with_iam_database_authentication(fact);
            let outcomes = evaluate_cluster(&RULE, cluster, &in_tier(Tier::Development));
            assert_eq!(failed_at(&outcomes), ["iam_database_authentication"]);
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        }
    }

    #[test]
    fn unknown_is_undecided() {
        let cluster = dbrail_cluster().with_iam_database_authentication(Fact::Unknown);
        let outcomes = evaluate_cluster(&RULE, cluster, &production());
        assert_eq!(undecided(&outcomes), ["iam_database_authentication"]);
        assert!(!outcomes.iter().any(|o| matches!(o, Outcome::Pass { .. })));
    }
}
