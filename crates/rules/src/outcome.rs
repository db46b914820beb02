//! Outcomes: the result of evaluating one rule against one subject.
//!
//! A rule says more than pass or fail. A value unknown until apply leaves it undecided (which a
//! caller may show, but must never count as a pass), and a failure covered by a valid waiver is
//! recorded as waived so the exception stays visible in reports and audit evidence.

use serde::Serialize;

use crate::{AttrPath, Date, Finding};

/// What evaluating a rule against a subject concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The subject meets the rule.
    Pass {
        /// The rule's id.
        rule: &'static str,
    },
    /// The subject does not meet the rule.
    Fail(Finding),
    /// A value the rule needs is unknown until apply.
    Undecided {
        /// The rule's id.
        rule: &'static str,
        /// The attribute whose value is unknown.
        attribute: AttrPath,
        /// Why the rule cannot decide, for display.
        reason: String,
    },
    /// The subject fails the rule, but a valid waiver accepts that.
    Waived {
        /// The rule's id.
        rule: &'static str,
        /// The waiver's reason.
        reason: String,
        /// The last day the waiver is valid.
        expires: Date,
        /// The finding the waiver covers.
        finding: Finding,
    },
}

impl Outcome {
    /// The id of the rule this outcome belongs to.
    pub fn rule_id(&self) -> &'static str {
        match self {
            Outcome::Pass { rule }
            | Outcome::Undecided { rule, .. }
            | Outcome::Waived { rule, .. } => rule,
            Outcome::Fail(finding) => finding.rule_id,
        }
    }

    /// The finding, if the outcome is a failure.
    pub fn finding(&self) -> Option<&Finding> {
        match self {
            Outcome::Fail(finding) => Some(finding),
            Outcome::Pass { .. } | Outcome::Undecided { .. } | Outcome::Waived { .. } => None,
        }
    }

    /// Whether the outcome is a failure of error severity.
    pub fn is_blocking(&self) -> bool {
        self.finding().is_some_and(Finding::is_error)
    }

    /// Whether the outcome is undecided.
    pub fn is_undecided(&self) -> bool {
        matches!(self, Outcome::Undecided { .. })
    }
}
