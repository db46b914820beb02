//! Waivers: time-boxed, reasoned exceptions to a rule.
//!
//! Audits accept exceptions when they are documented, approved and reviewed: a waiver names the
//! rule, says why, and expires. A waived failure stays visible as [`Outcome::Waived`]; a waiver
//! past its expiry date, or one without a reason, no longer covers anything and is itself an
//! error, so stale exceptions cannot linger unnoticed.
//!
//! Findings about a waiver point at `waivers[i]`, `i` being its position in
//! [`Context::waivers`]; a caller that holds waivers elsewhere rewrites that prefix.

use serde::{Deserialize, Serialize};

use crate::{AttrPath, Context, Date, Finding, Outcome};

/// An accepted exception to one rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Waiver {
    /// The id of the waived rule, e.g. `G9`.
    pub rule_id: String,
    /// Why the exception is accepted (and, ideally, by whom).
    pub reason: String,
    /// The last day the waiver is valid.
    pub expires: Date,
}

impl Waiver {
    /// A waiver of `rule_id` until `expires` inclusive.
    pub fn new(rule_id: impl Into<String>, reason: impl Into<String>, expires: Date) -> Self {
        Self {
            rule_id: rule_id.into(),
            reason: reason.into(),
            expires,
        }
    }

    /// Whether the waiver is past its expiry date on `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        today > self.expires
    }

    fn names(&self, rule_id: &str) -> bool {
        self.rule_id.trim().eq_ignore_ascii_case(rule_id)
    }
}

/// Applies the context's waivers for `rule_id` to that rule's outcomes on one subject.
///
/// Failures are waived by the valid waiver that lasts longest. Every expired or reasonless
/// waiver of the rule adds an error finding, whether or not the rule fails.
pub(crate) fn apply(
    rule_id: &'static str,
    outcomes: Vec<Outcome>,
    context: &Context<'_>,
) -> Vec<Outcome> {
    let mut problems = Vec::new();
    let mut best: Option<&Waiver> = None;
    for (index, waiver) in context.waivers.iter().enumerate() {
        if !waiver.names(rule_id) {
            continue;
        }
        let at = AttrPath::attribute("waivers").index(index);
        if waiver.reason.trim().is_empty() {
            problems.push(Outcome::Fail(Finding::error(
                rule_id,
                at.attr("reason"),
                format!("waiver for {rule_id} has no reason, so it is not applied"),
                "state why the exception is accepted and who accepted it",
            )));
        } else if waiver.is_expired(context.today) {
            problems.push(Outcome::Fail(Finding::error(
                rule_id,
                at.attr("expires"),
                format!(
                    "waiver for {rule_id} expired on {}; it no longer covers this resource",
                    waiver.expires
                ),
                "review the exception and renew it with a new expiry date, or remove the waiver \
                 and fix what it covered",
            )));
        } else if best.is_none_or(|current| waiver.expires > current.expires) {
            best = Some(waiver);
        }
    }

    let mut result: Vec<Outcome> = match best {
        None => outcomes,
        Some(waiver) => outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Fail(finding) => Outcome::Waived {
                    rule: rule_id,
                    reason: waiver.reason.clone(),
                    expires: waiver.expires,
                    finding,
                },
                other => other,
            })
            .collect(),
    };
    result.extend(problems);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Severity, Tier};

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn failure() -> Outcome {
        Outcome::Fail(Finding::error(
            "G10",
            AttrPath::attribute("parameters").key("rds.force_ssl"),
            "rds.force_ssl is 0",
            "set rds.force_ssl = 1",
        ))
    }

    #[test]
    fn a_valid_waiver_waives_failures_on_its_last_day() {
        let waivers = [Waiver::new(
            "G10",
            "legacy client until migration",
            date("2025-06-30"),
        )];
        let context = Context::new(Tier::Production, date("2025-06-30")).with_waivers(&waivers);
        let outcomes = apply("G10", vec![failure()], &context);
        assert!(matches!(
            outcomes.as_slice(),
            [Outcome::Waived { rule: "G10", expires, .. }] if *expires == date("2025-06-30")
        ));
    }

    #[test]
    fn an_expired_waiver_leaves_the_failure_and_adds_an_error() {
        let waivers = [Waiver::new("G10", "legacy client", date("2025-06-30"))];
        let context = Context::new(Tier::Development, date("2025-07-01")).with_waivers(&waivers);
        let outcomes = apply("G10", vec![failure()], &context);
        assert_eq!(outcomes.len(), 2);
        assert_eq!(outcomes[0], failure());
        let expired = outcomes[1].finding().unwrap();
        assert_eq!(expired.rule_id, "G10");
        assert_eq!(expired.severity, Severity::Error);
        assert!(
            expired.message.contains("expired on 2025-06-30"),
            "{}",
            expired.message
        );
        assert_eq!(expired.attribute.to_string(), "waivers[0].expires");
    }

    #[test]
    fn an_expired_waiver_is_reported_even_when_the_rule_passes() {
        let waivers = [Waiver::new("G10", "legacy client", date("2025-06-30"))];
        let context = Context::new(Tier::Production, date("2026-01-01")).with_waivers(&waivers);
        let outcomes = apply("G10", vec![Outcome::Pass { rule: "G10" }], &context);
        assert_eq!(outcomes.len(), 2);
        assert!(outcomes[1].is_blocking());
    }

    #[test]
    fn a_waiver_without_reason_is_not_applied() {
        let waivers = [Waiver::new("G10", "  ", date("2030-01-01"))];
        let context = Context::new(Tier::Production, date("2025-01-01")).with_waivers(&waivers);
        let outcomes = apply("G10", vec![failure()], &context);
        assert_eq!(outcomes[0], failure());
        assert_eq!(
            outcomes[1].finding().unwrap().attribute.to_string(),
            "waivers[0].reason"
        );
    }

    #[test]
    fn waivers_of_other_rules_are_ignored() {
        let waivers = [Waiver::new(
            "G9",
            "audit off in a sandbox",
            date("2020-01-01"),
        )];
        let context = Context::new(Tier::Production, date("2025-01-01")).with_waivers(&waivers);
        assert_eq!(apply("G10", vec![failure()], &context), vec![failure()]);
    }

    #[test]
    fn the_longest_valid_waiver_is_reported() {
        let waivers = [
            Waiver::new("g10", "short", date("2025-03-01")),
            Waiver::new("G10", "long", date("2025-09-01")),
        ];
        let context = Context::new(Tier::Production, date("2025-02-01")).with_waivers(&waivers);
        let outcomes = apply("G10", vec![failure()], &context);
        assert!(matches!(
            outcomes.as_slice(),
            [Outcome::Waived { reason, .. }] if reason == "long"
        ));
    }
}
