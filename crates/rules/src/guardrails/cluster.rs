//! Shared pieces of the cluster rules.
//!
//! Every cluster rule asks the same few questions: is a switch set the safe way, is a KMS key
//! customer-managed, how heavily does this part weigh in this tier. Answering them once keeps the
//! messages and the treatment of unknown and unset values identical across the rules, and keeps
//! the invariant in one place: a rule passes only when none of its parts failed or stayed
//! undecided.
//!
//! A rule's [`Strictness`](crate::Strictness) is the ceiling [`Rule::evaluate`](crate::Rule)
//! applies. A rule whose parts weigh differently declares `Everywhere` and reports the lighter
//! parts as warnings itself (through [`production_error`] or [`Severity::Warning`]); its
//! description says which part weighs how.

use crate::{AttrPath, ClusterSubject, Context, Engine, Fact, Finding, Outcome, Severity, Subject};

/// The outcomes of one rule on one cluster, collected part by part.
pub(crate) struct Verdict {
    rule: &'static str,
    outcomes: Vec<Outcome>,
}

impl Verdict {
    /// An empty verdict for `rule`.
    pub(crate) fn new(rule: &'static str) -> Self {
        Self {
            rule,
            outcomes: Vec::new(),
        }
    }

    /// Records a failed part.
    pub(crate) fn fail(
        &mut self,
        severity: Severity,
        at: AttrPath,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let mut finding = Finding::error(self.rule, at, message, fix);
        finding.severity = severity;
        self.outcomes.push(Outcome::Fail(finding));
    }

    /// Records a part that cannot be decided.
    pub(crate) fn undecided(&mut self, at: AttrPath, reason: impl Into<String>) {
        self.outcomes.push(Outcome::Undecided {
            rule: self.rule,
            attribute: at,
            reason: reason.into(),
        });
    }

    /// Records that `attribute`'s value is unknown until apply.
    pub(crate) fn unknown(&mut self, attribute: &'static str) {
        self.undecided(at(attribute), format!("{attribute} is unknown until apply"));
    }

    /// The outcomes: a single pass when no part failed or stayed undecided.
    pub(crate) fn finish(self) -> Vec<Outcome> {
        if self.outcomes.is_empty() {
            vec![Outcome::Pass { rule: self.rule }]
        } else {
            self.outcomes
        }
    }
}

/// The cluster, when the subject is one.
pub(crate) fn subject(subject: &Subject) -> Option<&ClusterSubject> {
    subject.as_cluster()
}

/// The path of a top-level `dbrail_cluster` attribute.
pub(crate) fn at(attribute: &str) -> AttrPath {
    AttrPath::attribute(attribute)
}

/// An error in production, a warning in staging and development.
pub(crate) fn production_error(context: &Context<'_>) -> Severity {
    if context.tier.is_production() {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// A boolean setting that must have one value.
pub(crate) struct Switch {
    /// The `dbrail_cluster` attribute findings point at.
    pub(crate) attribute: &'static str,
    /// The setting as the plan sees it.
    pub(crate) fact: Fact<bool>,
    /// The value the guardrail requires.
    pub(crate) wanted: bool,
    /// What leaving it unset means: `None` when the AWS default is the required value,
    /// otherwise why an unset value fails.
    pub(crate) when_unset: Option<&'static str>,
    /// The weight of a failure.
    pub(crate) severity: Severity,
    /// What is wrong when the value is not the required one.
    pub(crate) problem: &'static str,
    /// What to change.
    pub(crate) fix: &'static str,
}

impl Switch {
    /// Judges the switch into `verdict`; returns whether it is set as required.
    pub(crate) fn judge(self, verdict: &mut Verdict) -> bool {
        match self.fact {
            Fact::Known(value) if value == self.wanted => true,
            Fact::Known(value) => {
                verdict.fail(
                    self.severity,
                    at(self.attribute),
                    format!("{} = {value}: {}", self.attribute, self.problem),
                    self.fix,
                );
                false
            }
            Fact::Absent => match self.when_unset {
                None => true,
                Some(why) => {
                    verdict.fail(
                        self.severity,
                        at(self.attribute),
                        format!("{} is not set: {why}", self.attribute),
                        self.fix,
                    );
                    false
                }
            },
            Fact::Unknown => {
                verdict.unknown(self.attribute);
                false
            }
        }
    }
}

/// The engine, when the rule's engine-specific part applies: a known Aurora engine. An engine
/// unknown until apply records an undecided part at `attribute`; an engine outside the catalogue
/// leaves the part out.
pub(crate) fn engine(
    verdict: &mut Verdict,
    cluster: &ClusterSubject,
    attribute: &'static str,
) -> Option<Engine> {
    match cluster.engine {
        Fact::Known(engine) => Some(engine),
        Fact::Absent => None,
        Fact::Unknown => {
            verdict.undecided(
                at(attribute),
                format!(
                    "the engine is unknown until apply, so what {attribute} must be is not known"
                ),
            );
            None
        }
    }
}

/// Whether a KMS key reference names a customer-managed key.
///
/// A blank reference and the AWS-managed RDS key (`alias/aws/rds`, or any `alias/aws/...`, also
/// as an alias ARN) are not. A key id or key ARN cannot be told apart from the AWS-managed key's
/// own id without asking KMS, so it counts as customer-managed.
pub(crate) fn is_customer_managed_key(key: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    !key.is_empty() && !key.starts_with("alias/aws/") && !key.contains(":alias/aws/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_aws_managed_keys() {
        for key in [
            "",
            "  ",
            "alias/aws/rds",
            "ALIAS/AWS/RDS",
            "arn:aws:kms:eu-west-1:111122223333:alias/aws/rds",
        ] {
            assert!(!is_customer_managed_key(key), "{key:?}");
        }
        for key in [
            "alias/payments-db",
            "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:eu-west-1:111122223333:alias/payments-db",
        ] {
            assert!(is_customer_managed_key(key), "{key:?}");
        }
    }

    fn switch(fact: Fact<bool>, when_unset: Option<&'static str>) -> Switch {
        Switch {
            attribute: "deletion_guard",
            fact,
            wanted: true,
            when_unset,
            severity: Severity::Warning,
            problem: "the cluster can be deleted",
            fix: "set deletion_guard = true",
        }
    }

    #[test]
    fn a_switch_passes_fails_or_stays_undecided() {
        let mut verdict = Verdict::new("G4");
        assert!(switch(Fact::Known(true), Some("off")).judge(&mut verdict));
        assert!(switch(Fact::Absent, None).judge(&mut verdict));
        assert_eq!(verdict.finish(), [Outcome::Pass { rule: "G4" }]);

        let mut verdict = Verdict::new("G4");
        assert!(!switch(Fact::Known(false), None).judge(&mut verdict));
        assert!(!switch(Fact::Absent, Some("AWS leaves it off")).judge(&mut verdict));
        assert!(!switch(Fact::Unknown, None).judge(&mut verdict));
        let outcomes = verdict.finish();
        assert_eq!(outcomes.len(), 3);
        let first = outcomes[0].finding().unwrap();
        assert_eq!(first.severity, Severity::Warning);
        assert_eq!(
            first.message,
            "deletion_guard = false: the cluster can be deleted"
        );
        assert!(
            outcomes[1]
                .finding()
                .unwrap()
                .message
                .contains("not set: AWS leaves it off")
        );
        assert!(outcomes[2].is_undecided());
    }
}
