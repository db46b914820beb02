//! The per-rule compliance summary behind a resource's `compliance` attribute.
//!
//! Auditors and dashboards want one word per guardrail, not a list of findings: did this cluster
//! pass G1, was G4 waived, is G12 still undecided? A rule can report several outcomes for one
//! subject (one per failed part, plus errors about expired waivers), so the summary keeps the
//! worst of them. Undecided ranks worse than waived: a waived failure is known and accepted by
//! someone, while an undecided one may still turn out to fail without anyone having accepted it.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::Outcome;

/// How a subject stands against one rule, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ComplianceStatus {
    /// Every outcome of the rule passed.
    Passed,
    /// The rule failed, and a valid waiver accepts every failure.
    Waived,
    /// A value the rule needs is unknown until apply; nothing failed outright.
    Undecided,
    /// At least one outcome is a failure (warning or error) not covered by a waiver.
    Failed,
}

impl ComplianceStatus {
    /// The status of one outcome.
    pub fn of(outcome: &Outcome) -> Self {
        match outcome {
            Outcome::Pass { .. } => ComplianceStatus::Passed,
            Outcome::Waived { .. } => ComplianceStatus::Waived,
            Outcome::Undecided { .. } => ComplianceStatus::Undecided,
            Outcome::Fail(_) => ComplianceStatus::Failed,
        }
    }

    /// `passed`, `waived`, `undecided` or `failed`.
    pub fn name(self) -> &'static str {
        match self {
            ComplianceStatus::Passed => "passed",
            ComplianceStatus::Waived => "waived",
            ComplianceStatus::Undecided => "undecided",
            ComplianceStatus::Failed => "failed",
        }
    }
}

impl fmt::Display for ComplianceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One status per rule id among `outcomes`, the worst outcome of each rule winning. Rules that
/// produced no outcome (they do not apply) are absent.
pub fn compliance_summary(outcomes: &[Outcome]) -> BTreeMap<&'static str, ComplianceStatus> {
    let mut summary = BTreeMap::new();
    for outcome in outcomes {
        let status = ComplianceStatus::of(outcome);
        summary
            .entry(outcome.rule_id())
            .and_modify(|worst: &mut ComplianceStatus| *worst = (*worst).max(status))
            .or_insert(status);
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{date, dbrail_cluster, production};
    use crate::{AttrPath, Fact, Finding, Subject, Waiver, evaluate};

    fn fail(rule: &'static str) -> Outcome {
        Outcome::Fail(Finding::warning(rule, AttrPath::root(), "wrong", "fix it"))
    }

    fn undecided(rule: &'static str) -> Outcome {
        Outcome::Undecided {
            rule,
            attribute: AttrPath::attribute("port"),
            reason: "unknown".to_owned(),
        }
    }

    fn waived(rule: &'static str) -> Outcome {
        Outcome::Waived {
            rule,
            reason: "accepted".to_owned(),
            expires: date("2030-01-01"),
            finding: Finding::error(rule, AttrPath::root(), "wrong", "fix it"),
        }
    }

    #[test]
    fn displays_lower_case_words() {
        use ComplianceStatus::*;
        let names: Vec<String> = [Passed, Waived, Undecided, Failed]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(names, ["passed", "waived", "undecided", "failed"]);
    }

    #[test]
    fn the_worst_outcome_of_each_rule_wins() {
        let outcomes = [
            Outcome::Pass { rule: "G1" },
            waived("G4"),
            undecided("G4"),
            undecided("G12"),
            fail("G12"),
            waived("G14"),
            fail("G15"),
            Outcome::Pass { rule: "G15" },
        ];
        let summary = compliance_summary(&outcomes);
        assert_eq!(
            summary,
            BTreeMap::from([
                ("G1", ComplianceStatus::Passed),
                ("G4", ComplianceStatus::Undecided),
                ("G12", ComplianceStatus::Failed),
                ("G14", ComplianceStatus::Waived),
                ("G15", ComplianceStatus::Failed),
            ])
        );
        assert!(compliance_summary(&[]).is_empty());
    }

    #[test]
    fn an_expired_waiver_makes_a_passing_rule_fail() {
        let waivers = [Waiver::new("G5", "old exception", date("2025-01-01"))];
        let outcomes = evaluate(
            &Subject::from(dbrail_cluster()),
            &production().with_waivers(&waivers),
        );
        assert_eq!(
            compliance_summary(&outcomes).get("G5"),
            Some(&ComplianceStatus::Failed)
        );
    }

    #[test]
    fn summarises_a_cluster_per_rule() {
        let waivers = [Waiver::new("G4", "decommissioning", date("2025-12-31"))];
        let cluster = dbrail_cluster()
            .with_deletion_protection(Fact::Known(false))
            .with_readers(Fact::Unknown)
            .with_port(Fact::Known(5432));
        let outcomes = evaluate(
            &Subject::from(cluster),
            &production().with_waivers(&waivers),
        );
        let summary = compliance_summary(&outcomes);
        assert_eq!(summary["G4"], ComplianceStatus::Waived);
        assert_eq!(summary["G12"], ComplianceStatus::Undecided);
        assert_eq!(summary["G15"], ComplianceStatus::Failed);
        assert_eq!(summary["G1"], ComplianceStatus::Passed);
        assert!(!summary.contains_key("DB-LOG-STATEMENT"));
    }
}
