//! G9 and G10 on a cluster, through its effective cluster parameter group.
//!
//! TLS enforcement and audit logging live in the cluster parameter group, yet the compliance
//! question is asked of the cluster: "does this cluster require TLS?". No scanner answers it for
//! Aurora (Security Hub RDS.38/39 and checkov CKV2_AWS_69 look at instances only). The caller
//! states the group the cluster will run with (a `dbrail_parameter_baseline`'s merged result, or
//! the `aws_rds_cluster_parameter_group` a plain cluster names), and the same requirements that
//! judge the group judge it here; findings are reported at the cluster's `parameter_baseline`
//! attribute, naming the parameter in the message. A cluster whose group the caller cannot tell
//! stays undecided.

use std::borrow::Cow;

use crate::guardrails::requirement::{self, Requirement};
use crate::{AttrPath, ClusterSubject, Fact, Outcome};

/// Evaluates a parameter-requirement rule on a cluster's effective cluster parameter group.
pub(crate) fn evaluate(
    rule: &'static str,
    requirements: &[Requirement],
    cluster: &ClusterSubject,
) -> Vec<Outcome> {
    if cluster.engine.is_absent() {
        return Vec::new();
    }
    let Some(group) = &cluster.cluster_parameters else {
        return vec![Outcome::Undecided {
            rule,
            attribute: at(),
            reason: "the cluster parameter group the cluster will use is not known, so its \
                     parameters cannot be checked"
                .to_owned(),
        }];
    };
    // The cluster's engine decides; the group is copied only when it states another one.
    let group = match cluster.engine {
        Fact::Known(engine) if group.engine != Fact::Known(engine) => {
            Cow::Owned(group.clone().with_engine(Fact::Known(engine)))
        }
        _ => Cow::Borrowed(group),
    };
    requirement::evaluate_group(rule, requirements, &group)
        .into_iter()
        .map(relocate)
        .collect()
}

/// `parameter_baseline`.
fn at() -> AttrPath {
    AttrPath::attribute("parameter_baseline")
}

/// Moves an outcome about the group to the cluster's `parameter_baseline` attribute, keeping
/// what it said about the parameter.
fn relocate(outcome: Outcome) -> Outcome {
    match outcome {
        Outcome::Fail(mut finding) => {
            finding.message = format!("cluster parameter group: {}", finding.message);
            finding.fix = format!("in the cluster parameter group, {}", finding.fix);
            finding.attribute = at();
            Outcome::Fail(finding)
        }
        Outcome::Undecided {
            rule,
            attribute,
            reason,
        } => Outcome::Undecided {
            rule,
            attribute: at(),
            reason: format!("cluster parameter group {attribute}: {reason}"),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::baseline::{self, Override};
    use crate::testing::{
        dbrail_cluster, dbrail_mysql_cluster, evaluate_cluster, failed_at, failures, in_tier,
        production, undecided,
    };
    use crate::{ClusterSubject, Fact, Outcome, Scope, Severity, Tier, rule};

    fn g9() -> &'static crate::Rule {
        rule("G9").unwrap()
    }

    fn g10() -> &'static crate::Rule {
        rule("G10").unwrap()
    }

    fn without_parameters() -> ClusterSubject {
        let mut cluster = dbrail_cluster();
        cluster.cluster_parameters = None;
        cluster
    }

    #[test]
    fn the_merged_baseline_passes_on_both_engines() {
        for cluster in [dbrail_cluster(), dbrail_mysql_cluster()] {
            for rule in [g9(), g10()] {
                assert_eq!(
                    evaluate_cluster(rule, cluster.clone(), &production()),
                    [Outcome::Pass { rule: rule.id }]
                );
            }
        }
    }

    #[test]
    fn a_weak_group_fails_at_parameter_baseline_naming_the_parameter() {
        let mut weak = baseline::merge("aurora-postgresql16", &[])
            .subject(Scope::Cluster)
            .unwrap();
        weak.parameters
            .insert("rds.force_ssl".to_owned(), Fact::Known("0".to_owned()));
        weak.parameters.remove("pgaudit.log");
        let cluster = || dbrail_cluster().with_cluster_parameters(weak.clone());

        let found = failures(&evaluate_cluster(g10(), cluster(), &production()));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].attribute.to_string(), "parameter_baseline");
        assert!(
            found[0].message.contains("rds.force_ssl"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].severity, Severity::Error);

        let outcomes = evaluate_cluster(g9(), cluster(), &in_tier(Tier::Staging));
        assert_eq!(failed_at(&outcomes), ["parameter_baseline"]);
        assert_eq!(failures(&outcomes)[0].severity, Severity::Warning);
        assert!(failures(&outcomes)[0].message.contains("pgaudit.log"));
    }

    #[test]
    fn an_unknown_group_or_parameter_is_undecided() {
        for rule in [g9(), g10()] {
            let outcomes = evaluate_cluster(rule, without_parameters(), &production());
            assert_eq!(undecided(&outcomes), ["parameter_baseline"], "{}", rule.id);
        }
        let overrides = [Override::new("rds.force_ssl", Fact::Unknown).because("testing")];
        let group = baseline::merge("aurora-postgresql16", &overrides)
            .subject(Scope::Cluster)
            .unwrap();
        let outcomes = evaluate_cluster(
            g10(),
            dbrail_cluster().with_cluster_parameters(group),
            &production(),
        );
        assert_eq!(undecided(&outcomes), ["parameter_baseline"]);
        assert!(!outcomes.iter().any(|o| matches!(o, Outcome::Pass { .. })));
    }

    #[test]
    fn the_cluster_engine_decides_which_requirements_apply() {
        // A MySQL cluster pointed at a PostgreSQL group: MySQL's parameters are missing.
        let group = baseline::merge("aurora-postgresql16", &[])
            .subject(Scope::Cluster)
            .unwrap();
        let cluster = dbrail_mysql_cluster().with_cluster_parameters(group);
        assert_eq!(
            failures(&evaluate_cluster(g10(), cluster, &production())).len(),
            2
        );
    }

    #[test]
    fn clusters_of_other_engines_are_not_checked() {
        let mut cluster = without_parameters();
        cluster.engine = Fact::Absent;
        assert!(evaluate_cluster(g10(), cluster, &production()).is_empty());
    }
}
