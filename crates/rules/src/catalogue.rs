//! The catalogue: every rule, looked up by id.
//!
//! Both callers iterate the same static list, so a rule added here is enforced at plan time by
//! the provider, in CI by the policy command, and documented, with no further wiring.

use crate::guardrails::RULES;
use crate::{Context, Outcome, Rule, Subject};

/// Every rule, in a stable order.
pub fn catalogue() -> &'static [Rule] {
    &RULES
}

/// The rule with this id (`G10`, `g10` and ` G10 ` all find it).
pub fn rule(id: &str) -> Option<&'static Rule> {
    let id = id.trim();
    RULES.iter().find(|rule| rule.id.eq_ignore_ascii_case(id))
}

/// Evaluates every rule that applies to the subject, in catalogue order.
pub fn evaluate(subject: &Subject, context: &Context<'_>) -> Vec<Outcome> {
    // Most rules give one outcome when they apply: one list of that size is never regrown.
    let mut outcomes = Vec::with_capacity(RULES.len());
    for rule in RULES.iter() {
        outcomes.extend(rule.evaluate(subject, context));
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::testing::{cluster, dbrail_cluster, dbrail_mysql_cluster, instance, production};
    use crate::{ComplianceStatus, compliance_summary};

    #[test]
    fn ids_are_unique_and_every_rule_is_documented_and_actionable() {
        let mut ids = BTreeSet::new();
        for rule in catalogue() {
            assert!(
                ids.insert(rule.id.to_ascii_uppercase()),
                "duplicate id {}",
                rule.id
            );
            assert!(!rule.controls.is_empty(), "{} has no controls", rule.id);
            assert!(!rule.fix.trim().is_empty(), "{} has no fix", rule.id);
            assert!(!rule.title.trim().is_empty(), "{} has no title", rule.id);
            assert!(
                !rule.description.trim().is_empty(),
                "{} has no description",
                rule.id
            );
            assert!(
                !rule.rationale.trim().is_empty(),
                "{} has no rationale",
                rule.id
            );
            assert!(
                !rule.applies_to.is_empty(),
                "{} applies to nothing",
                rule.id
            );
        }
    }

    #[test]
    fn descriptions_state_the_strictness_the_rule_applies() {
        for rule in catalogue() {
            let line = rule
                .description
                .lines()
                .find(|line| line.starts_with("**Strictness:**"))
                .unwrap_or_else(|| panic!("{} does not state its strictness", rule.id));
            let expected = match rule.strictness {
                crate::Strictness::Everywhere => "an error in every tier",
                crate::Strictness::WarnBelowProduction => "a warning in staging and development",
            };
            assert!(line.contains(expected), "{}: {line}", rule.id);
        }
    }

    #[test]
    fn ids_follow_the_scheme() {
        for rule in catalogue() {
            let numbered = rule
                .id
                .strip_prefix('G')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            let own = rule.id.strip_prefix("DB-").is_some_and(|topic| {
                !topic.is_empty() && topic.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
            });
            assert!(numbered || own, "{}", rule.id);
        }
    }

    #[test]
    fn looks_rules_up_by_id() {
        assert_eq!(rule("G10").map(|r| r.id), Some("G10"));
        assert_eq!(rule(" g9 ").map(|r| r.id), Some("G9"));
        assert!(rule("G99").is_none());
    }

    #[test]
    fn evaluates_only_the_rules_that_apply() {
        let outcomes = evaluate(&instance("aurora-postgresql16", &[]).into(), &production());
        let ids: Vec<&str> = outcomes.iter().map(Outcome::rule_id).collect();
        assert_eq!(ids, ["DB-LOG-STATEMENT"]);

        let outcomes = evaluate(&cluster("aurora-postgresql16", &[]).into(), &production());
        let ids: BTreeSet<&str> = outcomes.iter().map(Outcome::rule_id).collect();
        assert_eq!(ids, BTreeSet::from(["G9", "G10", "DB-LOG-STATEMENT"]));

        let outcomes = evaluate(&dbrail_cluster().into(), &production());
        let ids: BTreeSet<&str> = outcomes.iter().map(Outcome::rule_id).collect();
        let expected = [
            "G1", "G3", "G4", "G5", "G6", "G8", "G9", "G10", "G11", "G12", "G13", "G14", "G15",
            "G18",
        ];
        assert_eq!(ids, BTreeSet::from(expected));
    }

    #[test]
    fn a_default_dbrail_cluster_passes_everything_in_production() {
        let required = ["owner", "data-classification"];
        let context = production().with_required_tags(&required);
        for cluster in [dbrail_cluster(), dbrail_mysql_cluster()] {
            let outcomes = evaluate(&cluster.into(), &context);
            let summary = compliance_summary(&outcomes);
            assert_eq!(summary.len(), 14);
            let not_passed: Vec<_> = outcomes
                .iter()
                .filter(|o| !matches!(o, Outcome::Pass { .. }))
                .collect();
            assert!(not_passed.is_empty(), "{not_passed:#?}");
            assert!(summary.values().all(|s| *s == ComplianceStatus::Passed));
        }
    }

    #[test]
    fn snapshots_proxies_and_global_clusters_get_their_rules_and_unknowns_pass_nothing() {
        let cases: [(Subject, &[&str]); 3] = [
            (crate::SnapshotSubject::new().into(), &["G2"]),
            (crate::ProxySubject::new().into(), &["G5", "G10"]),
            (crate::GlobalClusterSubject::new().into(), &["G1", "G4"]),
        ];
        for (subject, expected) in cases {
            let outcomes = evaluate(&subject, &production());
            let ids: BTreeSet<&str> = outcomes.iter().map(Outcome::rule_id).collect();
            assert_eq!(ids, expected.iter().copied().collect(), "{subject:?}");
            assert!(outcomes.iter().all(Outcome::is_undecided), "{outcomes:#?}");
        }
    }

    #[test]
    fn a_cluster_about_which_nothing_is_known_passes_nothing() {
        let unknown = crate::ClusterSubject::new(crate::Fact::Unknown);
        let outcomes = evaluate(
            &unknown.into(),
            &production().with_required_tags(&["owner"]),
        );
        assert!(!outcomes.is_empty());
        assert!(outcomes.iter().all(Outcome::is_undecided), "{outcomes:#?}");
    }
}
