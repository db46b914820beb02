//! G12: Multi-AZ: at least one reader, instances in at least two availability zones.
//!
//! Aurora storage always spans three zones, but compute does not: a cluster with only a writer,
//! or with every instance in one zone, is down until AWS creates a replacement instance. A reader
//! in another zone is the failover target that makes an outage last seconds instead of minutes.
//! Findings point at `readers` for both parts, as adding or moving readers is the fix either way.

use crate::guardrails::cluster::{self, Verdict, at};
use crate::{Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G12",
    title: "Multi-AZ: readers in at least two availability zones",
    description: "\
Checks that an Aurora cluster has at least one reader (`readers >= 1`; for `aws_rds_cluster`, \
at least two `aws_rds_cluster_instance`s) and that its instances span at least two availability \
zones, so a failover target survives the loss of the writer's zone.

Unset `readers` counts as no reader. The zones are those of the instances (for `aws_rds_cluster`, \
each `aws_rds_cluster_instance`'s `availability_zone`), not the cluster's `availability_zones`, \
where Aurora storage always spans three zones. Zones left to AWS or unknown until apply leave the \
zone part undecided: AWS does not promise to place instances in different zones. Both parts are \
reported at `readers`.

**Strictness:** an error in production; a warning in staging and development, where a \
single-instance cluster is a deliberate saving and an outage costs little.",
    rationale: "Without a reader in a second zone, a zone outage or a writer failure leaves the \
database down until AWS provisions a new instance, which takes minutes; with one, Aurora promotes \
the reader in about a minute or less. SOC 2 expects recovery infrastructure that meets the \
entity's availability commitments.",
    controls: &[
        Control::security_hub("RDS.15"),
        Control::checkov("CKV_AWS_157"),
        Control::soc2("A1.2"),
    ],
    fix: "Set readers to at least 1 and place the instances in at least two availability zones.",
    applies_to: &[SubjectKind::Cluster],
    strictness: Strictness::WarnBelowProduction,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    let single = "the writer is the only instance: a failure or a zone outage leaves the \
                  database down until AWS replaces the instance";
    let fix = "set readers to at least 1, in an availability zone other than the writer's";
    match cluster.readers {
        Fact::Known(0) => {
            verdict.fail(
                Severity::Error,
                at("readers"),
                format!("readers = 0: {single}"),
                fix,
            );
            return verdict.finish();
        }
        Fact::Absent => {
            verdict.fail(
                Severity::Error,
                at("readers"),
                format!("readers is not set: {single}"),
                fix,
            );
            return verdict.finish();
        }
        Fact::Known(_) => {}
        Fact::Unknown => verdict.unknown("readers"),
    }
    match &cluster.availability_zones {
        Fact::Known(zones) if zones.len() >= 2 => {}
        Fact::Known(zones) => verdict.fail(
            Severity::Error,
            at("readers"),
            format!(
                "every instance is in {}: an outage of that zone takes down the writer and its \
                 readers together",
                if zones.is_empty() {
                    "an unnamed zone".to_owned()
                } else {
                    zones.iter().cloned().collect::<Vec<_>>().join(", ")
                }
            ),
            "place the readers in availability zones other than the writer's",
        ),
        Fact::Absent | Fact::Unknown => verdict.undecided(
            at("readers"),
            "the instances' availability zones are unknown until apply or left to AWS, which \
             does not promise to use two zones",
        ),
    }
    verdict.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, undecided,
        zones,
    };
    use crate::{ClusterSubject, Tier};

    const PASS: Outcome = Outcome::Pass { rule: "G12" };

    fn placed(readers: Fact<u32>, names: &[&str]) -> ClusterSubject {
        dbrail_cluster()
            .with_readers(readers)
            .with_availability_zones(Fact::Known(zones(names)))
    }

    #[test]
    fn passes_with_a_reader_in_another_zone() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [PASS]
        );
        let cluster = placed(Fact::Known(1), &["eu-west-1a", "eu-west-1b"]);
        assert_eq!(evaluate_cluster(&RULE, cluster, &production()), [PASS]);
    }

    #[test]
    fn fails_without_readers_once() {
        for readers in [Fact::Known(0), Fact::Absent] {
            let cluster = placed(readers, &["eu-west-1a"]);
            let outcomes = evaluate_cluster(&RULE, cluster, &production());
            assert_eq!(failed_at(&outcomes), ["readers"], "{readers:?}");
            assert!(failures(&outcomes)[0].message.contains("only instance"));
        }
    }

    #[test]
    fn fails_with_every_instance_in_one_zone() {
        let cluster = placed(Fact::Known(2), &["eu-west-1a"]);
        let found = failures(&evaluate_cluster(&RULE, cluster, &production()));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].attribute.to_string(), "readers");
        assert!(
            found[0].message.contains("eu-west-1a"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn only_warns_below_production() {
        for tier in [Tier::Staging, Tier::Development] {
            let cluster = placed(Fact::Known(0), &["eu-west-1a"]);
            let found = failures(&evaluate_cluster(&RULE, cluster, &in_tier(tier)));
            assert_eq!(found[0].severity, Severity::Warning, "{tier:?}");
        }
    }

    #[test]
    fn unknown_readers_or_zones_are_undecided() {
        let cluster = dbrail_cluster().with_availability_zones(Fact::Unknown);
        let outcomes = evaluate_cluster(&RULE, cluster, &production());
        assert_eq!(undecided(&outcomes), ["readers"]);
        assert!(!outcomes.contains(&PASS));

        let cluster = dbrail_cluster().with_availability_zones(Fact::Absent);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["readers"]
        );

        let cluster = dbrail_cluster().with_readers(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["readers"]
        );
    }
}
