//! DB-ACCESS-SESSION: access role sessions are as short as their purpose.
//!
//! A schema migration runs from CI for minutes; a session that outlives the job is a credential
//! lying around. IAM allows 1–12 hours; dbrail caps `migration` and `break_glass` at 1 hour.

use crate::access::AccessRoleSubject;
use crate::guardrails::cluster::Verdict;
use crate::{
    AttrPath, Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// IAM's shortest maximum session duration, in seconds.
pub(crate) const MIN_SESSION: u32 = 3600;
/// IAM's longest maximum session duration, in seconds.
pub(crate) const MAX_SESSION: u32 = 43_200;

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "DB-ACCESS-SESSION",
    title: "Access role sessions are short",
    description: "\
Checks a `dbrail_access_role`'s `max_session_duration`: within IAM's range of 3600–43200 \
seconds, and at most 3600 seconds (1 hour) for the `migration` and `break_glass` tiers. Unset \
means IAM's default of 3600 seconds. A value or tier unknown until apply leaves the rule \
undecided.

**Strictness:** an error in every tier.",
    rationale: "Schema changes and emergency access are the most powerful database sessions; \
keeping them to one hour limits what a stolen session token can do and forces a fresh, \
logged assumption for more work.",
    controls: &[Control::pci_dss("8.2.8"), Control::soc2("CC6.1")],
    fix: "Set max_session_duration = 3600 (or less) for migration and break_glass roles.",
    applies_to: &[SubjectKind::AccessRole],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Subject::AccessRole(role) = subject else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    judge(role, &mut verdict);
    verdict.finish()
}

fn judge(role: &AccessRoleSubject, verdict: &mut Verdict) {
    let at = AttrPath::attribute("max_session_duration");
    let seconds = match role.max_session_duration {
        Fact::Known(s) => s,
        Fact::Absent => MIN_SESSION,
        Fact::Unknown => return verdict.unknown("max_session_duration"),
    };
    if !(MIN_SESSION..=MAX_SESSION).contains(&seconds) {
        return verdict.fail(
            Severity::Error,
            at,
            format!(
                "max_session_duration = {seconds}: IAM accepts {MIN_SESSION}–{MAX_SESSION} seconds"
            ),
            "choose a value between 3600 and 43200",
        );
    }
    let tier = match role.tier {
        Fact::Known(tier) => tier,
        Fact::Unknown => return verdict.unknown("tier"),
        Fact::Absent => return,
    };
    if let Some(limit) = tier.max_session_seconds().filter(|limit| seconds > *limit) {
        verdict.fail(
            Severity::Error,
            at,
            format!(
                "max_session_duration = {seconds}: {} sessions may last at most {limit} seconds",
                tier.name()
            ),
            format!("set max_session_duration = {limit} or less"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::AccessTier;
    use crate::testing::{failed_at, production, undecided};

    fn role(tier: AccessTier, seconds: Fact<u32>) -> Subject {
        Subject::AccessRole(
            AccessRoleSubject::new(Fact::Known(tier)).with_max_session_duration(seconds),
        )
    }

    #[test]
    fn migration_sessions_are_capped_at_an_hour() {
        let outcomes = RULE.evaluate(
            &role(AccessTier::Migration, Fact::Known(7200)),
            &production(),
        );
        assert_eq!(failed_at(&outcomes), ["max_session_duration"]);
        let outcomes = RULE.evaluate(
            &role(AccessTier::Migration, Fact::Known(3600)),
            &production(),
        );
        assert_eq!(outcomes, [Outcome::Pass { rule: RULE.id }]);
        let outcomes = RULE.evaluate(
            &role(AccessTier::ReadOnly, Fact::Known(7200)),
            &production(),
        );
        assert_eq!(outcomes, [Outcome::Pass { rule: RULE.id }]);
    }

    #[test]
    fn out_of_range_fails_unset_passes_unknown_is_undecided() {
        for bad in [0, 900, 43_201] {
            let outcomes =
                RULE.evaluate(&role(AccessTier::ReadOnly, Fact::Known(bad)), &production());
            assert_eq!(failed_at(&outcomes), ["max_session_duration"], "{bad}");
        }
        let outcomes = RULE.evaluate(&role(AccessTier::Migration, Fact::Absent), &production());
        assert_eq!(outcomes, [Outcome::Pass { rule: RULE.id }]);
        let outcomes = RULE.evaluate(&role(AccessTier::Migration, Fact::Unknown), &production());
        assert_eq!(undecided(&outcomes), ["max_session_duration"]);
    }
}
