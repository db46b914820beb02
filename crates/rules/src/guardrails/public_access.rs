//! G3: no instance of the cluster is publicly accessible.
//!
//! Only the half of the guardrail that configuration shows is checked. Whether a subnet of the
//! DB subnet group routes to an internet gateway depends on route tables that are neither in the
//! cluster's configuration nor necessarily in the same plan, so this rule neither checks nor
//! claims it: its pass means "no instance asks for a public address", and the description says so.

use crate::guardrails::cluster::{self, Switch, Verdict};
use crate::{Context, Control, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G3",
    title: "Not publicly accessible",
    description: "\
Checks that no instance of an Aurora cluster is publicly accessible (`publicly_accessible = \
false`; for `aws_rds_cluster`, on every `aws_rds_cluster_instance`).

Unset fails: without an explicit `false`, AWS decides from the subnet group and the VPC and can \
give the instance a public address. A value unknown until apply leaves the rule undecided.

**Not checked:** the other half of the guardrail, that no subnet of the DB subnet group has a \
route to an internet gateway (Security Hub RDS.46), cannot be decided from the cluster's \
configuration: it depends on the subnets' route tables. A pass of this rule says nothing about \
it; check subnet routing separately.

**Strictness:** an error in every tier: a database reachable from the internet is exposed \
whatever it holds, and non-production databases often hold copies of production data.",
    rationale: "A publicly accessible database is one security group rule away from the internet, \
where it is scanned and brute-forced within minutes. PCI DSS requires that system components \
storing cardholder data are not directly accessible from untrusted networks, and SOC 2 expects \
logical access restricted at the system boundary.",
    controls: &[
        Control::security_hub("RDS.2"),
        Control::checkov("CKV_AWS_17"),
        Control::trivy("AVD-AWS-0180"),
        Control::pci_dss("1.4.4"),
        Control::soc2("CC6.6"),
    ],
    fix: "Set publicly_accessible = false and reach the database through private networking \
(VPC peering, Transit Gateway, a bastion or SSM port forwarding).",
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
        attribute: "publicly_accessible",
        fact: cluster.publicly_accessible,
        wanted: false,
        when_unset: Some(
            "AWS then decides from the subnet group and the VPC, and can make the instance public",
        ),
        severity: Severity::Error,
        problem: "the instances get public addresses and can be reached from the internet",
        fix: "set publicly_accessible = false",
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
    fn passes_a_private_cluster() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [Outcome::Pass { rule: "G3" }]
        );
    }

    #[test]
    fn public_or_unset_is_an_error_in_every_tier() {
        for fact in [Fact::Known(true), Fact::Absent] {
            let cluster = dbrail_cluster().with_publicly_accessible(fact);
            let outcomes = evaluate_cluster(&RULE, cluster, &in_tier(Tier::Development));
            assert_eq!(failed_at(&outcomes), ["publicly_accessible"]);
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        }
    }

    #[test]
    fn unknown_is_undecided() {
        let cluster = dbrail_cluster().with_publicly_accessible(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["publicly_accessible"]
        );
    }

    #[test]
    fn the_description_admits_what_it_cannot_check() {
        assert!(RULE.description.contains("**Not checked:**"));
        assert!(RULE.description.contains("internet gateway"));
        assert!(!RULE.controls.contains(&Control::security_hub("RDS.46")));
    }
}
