//! G18: the master password is managed by Secrets Manager.
//!
//! A master password passed through Terraform sits in clear text in the state file, in plan
//! files and often in CI variables. With `manage_master_user_password`, RDS generates the password
//! into a Secrets Manager secret, rotates it, and Terraform never sees it. No scanner checks this
//! (organisations usually enforce it with an SCP), so dbrail does.

use crate::guardrails::cluster::{self, Switch, Verdict};
use crate::{Context, Control, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G18",
    title: "Master password managed by Secrets Manager",
    description: "\
Checks that an Aurora cluster lets RDS manage the master password in Secrets Manager \
(`manage_master_user_password = true`) instead of taking it from configuration \
(`master_password`).

Unset fails: the password then comes from configuration and is stored in the Terraform state. A \
value unknown until apply leaves the rule undecided. No Security Hub, checkov or trivy check \
covers this; organisations usually enforce it with a service control policy.

**Strictness:** an error in every tier: a state file leaks the same way in every environment, and \
a leaked development password often opens a copy of production data.",
    rationale: "A password in Terraform state is readable by everyone who can read the state \
bucket, plan artifacts or CI logs, and is rarely rotated because rotation means a change to \
configuration. PCI DSS forbids hard-coding passwords of system accounts in configuration files and \
requires authentication factors to be unreadable in storage; Secrets Manager also rotates the \
password, which serves PCI DSS 8.6.3 (unconfirmed).",
    controls: &[
        Control::pci_dss("8.6.2"),
        Control::pci_dss("8.3.2"),
        Control::soc2("CC6.1"),
    ],
    fix: "Set manage_master_user_password = true and remove master_password from configuration; \
read the secret's ARN from the cluster's master_user_secret attribute.",
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
        attribute: "manage_master_user_password",
        fact: cluster.manage_master_user_password,
        wanted: true,
        when_unset: Some("the master password comes from configuration and is kept in state"),
        severity: Severity::Error,
        problem: "the master password comes from configuration and is kept in clear text in the \
                  Terraform state",
        fix: "set manage_master_user_password = true and remove master_password",
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
    fn passes_with_a_managed_password() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [Outcome::Pass { rule: "G18" }]
        );
    }

    #[test]
    fn a_configured_password_is_an_error_in_every_tier() {
        for fact in [Fact::Known(false), Fact::Absent] {
            let cluster = dbrail_cluster().with_manage_master_user_password(fact);
            let outcomes = evaluate_cluster(&RULE, cluster, &in_tier(Tier::Staging));
            assert_eq!(failed_at(&outcomes), ["manage_master_user_password"]);
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        }
    }

    #[test]
    fn unknown_is_undecided() {
        let cluster = dbrail_cluster().with_manage_master_user_password(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["manage_master_user_password"]
        );
    }

    #[test]
    fn a_waiver_for_another_rule_does_not_cover_it() {
        let waivers = [Waiver::new("G5", "legacy app", date("2030-01-01"))];
        let cluster = dbrail_cluster().with_manage_master_user_password(Fact::Known(false));
        let outcomes = evaluate_cluster(&RULE, cluster, &production().with_waivers(&waivers));
        assert_eq!(failures(&outcomes).len(), 1);
    }
}
