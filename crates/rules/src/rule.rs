//! The rule object shared by every caller.
//!
//! A rule is data plus one pure function. The data (id, title, markdown description, rationale,
//! external controls, fix, the subjects it applies to, how strict it is per tier) feeds the
//! generated documentation and the reports; the function inspects a subject. [`Rule::evaluate`]
//! wraps the function with what every rule shares: applicability, tier strictness and waivers,
//! so each check only states what is wrong.

use std::fmt;

use crate::{Context, Control, Outcome, Severity, Subject, SubjectKind, Tier, waiver};

/// The signature of a rule's check: the raw outcomes for one subject, before tier strictness
/// and waivers are applied.
pub type CheckFn = fn(&Subject, &Context<'_>) -> Vec<Outcome>;

/// How a rule's failures weigh in each tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Strictness {
    /// Failures are errors in every tier.
    Everywhere,
    /// Failures are errors in production and warnings in staging and development.
    WarnBelowProduction,
}

impl Strictness {
    /// The severity of a failure in `tier`.
    pub fn severity(self, tier: Tier) -> Severity {
        match self {
            Strictness::Everywhere => Severity::Error,
            Strictness::WarnBelowProduction if tier.is_production() => Severity::Error,
            Strictness::WarnBelowProduction => Severity::Warning,
        }
    }

    /// A sentence for documentation.
    pub fn describe(self) -> &'static str {
        match self {
            Strictness::Everywhere => "An error in every tier.",
            Strictness::WarnBelowProduction => {
                "An error in production; a warning in staging and development."
            }
        }
    }
}

/// One guardrail.
#[non_exhaustive]
pub struct Rule {
    /// Stable id: `G<n>` for the numbered guardrails, `DB-<TOPIC>` for dbrail's own checks.
    pub id: &'static str,
    /// One line.
    pub title: &'static str,
    /// Markdown: what the rule checks, on which engines and subjects, and how strictly.
    pub description: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// External controls the rule corresponds to.
    pub controls: &'static [Control],
    /// How to fix a failure, in general terms (each finding carries a specific fix).
    pub fix: &'static str,
    /// The kinds of subject the rule inspects; others get no outcome.
    pub applies_to: &'static [SubjectKind],
    /// How failures weigh in each tier.
    pub strictness: Strictness,
    /// The check itself.
    pub check: CheckFn,
}

impl Rule {
    /// Whether the rule inspects this subject.
    pub fn applies(&self, subject: &Subject) -> bool {
        self.applies_to.contains(&subject.kind())
    }

    /// Evaluates the rule on a subject in a context.
    ///
    /// Returns nothing when the rule does not apply. Otherwise the check's outcomes, with
    /// failures given the tier's severity, failures covered by a valid waiver turned into
    /// [`Outcome::Waived`], and an error for every expired or reasonless waiver of this rule.
    pub fn evaluate(&self, subject: &Subject, context: &Context<'_>) -> Vec<Outcome> {
        if !self.applies(subject) {
            return Vec::new();
        }
        let severity = self.strictness.severity(context.tier);
        let outcomes = (self.check)(subject, context)
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Fail(mut finding) => {
                    finding.severity = finding.severity.min(severity);
                    Outcome::Fail(finding)
                }
                other => other,
            })
            .collect();
        waiver::apply(self.id, outcomes, context)
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .field("title", &self.title)
            .field("controls", &self.controls)
            .field("applies_to", &self.applies_to)
            .field("strictness", &self.strictness)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictness_by_tier() {
        use Severity::{Error, Warning};
        assert_eq!(Strictness::Everywhere.severity(Tier::Development), Error);
        assert_eq!(
            Strictness::WarnBelowProduction.severity(Tier::Production),
            Error
        );
        assert_eq!(
            Strictness::WarnBelowProduction.severity(Tier::Staging),
            Warning
        );
        assert_eq!(
            Strictness::WarnBelowProduction.severity(Tier::Development),
            Warning
        );
    }
}
