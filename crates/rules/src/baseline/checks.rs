//! The checks `merge` performs on a baseline and its overrides, documented like rules.
//!
//! These are not catalogue rules: they judge dbrail's own configuration (a family name, a list of
//! overrides) rather than a resource's effective settings, so they need no subject, and they are
//! errors in every tier and cannot be waived: each one points at an input that is malformed or
//! would be refused by AWS, or at an override that would weaken a guardrail. Overrides that
//! weaken a locked parameter are reported under the locking rule's own id (`G9`, `G10`,
//! `DB-LOG-STATEMENT`) and documented with that rule.
//!
//! Ids follow the catalogue's scheme: `G<n>` for the numbered guardrails, `DB-<TOPIC>` for
//! dbrail's own checks.

/// A documented check performed by [`merge`](crate::baseline::merge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MergeCheck {
    /// The id findings carry.
    pub id: &'static str,
    /// One line.
    pub title: &'static str,
    /// Markdown: when it fires and what happens to the override.
    pub description: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// `DB-FAMILY-UNSUPPORTED`.
pub const FAMILY_UNSUPPORTED: &str = "DB-FAMILY-UNSUPPORTED";
/// `DB-OVERRIDE-NAME`.
pub const OVERRIDE_NAME: &str = "DB-OVERRIDE-NAME";
/// `DB-OVERRIDE-DUPLICATE`.
pub const OVERRIDE_DUPLICATE: &str = "DB-OVERRIDE-DUPLICATE";
/// `DB-OVERRIDE-REASON`.
pub const OVERRIDE_REASON: &str = "DB-OVERRIDE-REASON";
/// `DB-OVERRIDE-VALUE`.
pub const OVERRIDE_VALUE: &str = "DB-OVERRIDE-VALUE";
/// `DB-OVERRIDE-SCOPE`.
pub const OVERRIDE_SCOPE: &str = "DB-OVERRIDE-SCOPE";
/// `DB-OVERRIDE-APPLY-METHOD`.
pub const OVERRIDE_APPLY_METHOD: &str = "DB-OVERRIDE-APPLY-METHOD";

static CHECKS: [MergeCheck; 7] = [
    MergeCheck {
        id: FAMILY_UNSUPPORTED,
        title: "Supported parameter group family",
        description: "The family must be one dbrail has a baseline for. The finding lists the \
supported families and, for a family dbrail excludes on purpose, says why. No effective parameters \
are produced.",
        fix: "Use one of the supported families.",
    },
    MergeCheck {
        id: OVERRIDE_NAME,
        title: "Well-formed parameter name",
        description: "An override's name must look like an RDS parameter name: an ASCII letter or \
`_`, then letters, digits, `_`, `.` or `-`. A malformed override is ignored.",
        fix: "Correct the parameter name (no spaces, quotes or `=`).",
    },
    MergeCheck {
        id: OVERRIDE_DUPLICATE,
        title: "One override per parameter",
        description: "A parameter may be overridden once (names compare without regard to case). \
The first override counts; later ones are ignored.",
        fix: "Remove the duplicate override.",
    },
    MergeCheck {
        id: OVERRIDE_REASON,
        title: "Every override states a reason",
        description: "Each departure from the baseline must say why, so reviews and audits can \
tell a decision from an accident. A missing or blank reason is an error; the override still takes \
effect in the plan. A reason unknown until apply is accepted at plan time.",
        fix: "Add a reason explaining why the baseline value does not fit.",
    },
    MergeCheck {
        id: OVERRIDE_VALUE,
        title: "Every override sets a value",
        description: "An override without a value (null) is ignored: leaving a parameter to the \
engine default is done by not overriding it.",
        fix: "Set a value, or remove the override.",
    },
    MergeCheck {
        id: OVERRIDE_SCOPE,
        title: "Override scope matches the parameter",
        description: "A baseline parameter belongs to the cluster or the instance parameter group; \
an override that names the other scope is refused.",
        fix: "Remove the scope from the override or set it to the parameter's scope.",
    },
    MergeCheck {
        id: OVERRIDE_APPLY_METHOD,
        title: "Static parameters wait for a reboot",
        description: "AWS rejects `immediate` for static parameters such as \
`shared_preload_libraries`; such an override is refused.",
        fix: "Use apply_method = pending-reboot, or leave it unset.",
    },
];

/// Every check `merge` performs besides the locks of catalogue rules.
pub fn checks() -> &'static [MergeCheck] {
    &CHECKS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_distinct_from_the_catalogue() {
        let mut ids = std::collections::BTreeSet::new();
        for check in checks() {
            assert!(ids.insert(check.id), "{}", check.id);
            assert!(crate::rule(check.id).is_none(), "{}", check.id);
            assert!(check.id.starts_with("DB-"));
            assert!(!check.fix.is_empty() && !check.description.is_empty());
        }
    }
}
