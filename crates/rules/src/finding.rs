//! Findings: what a failed check reports.
//!
//! A finding carries everything either caller needs to show it without looking anything up: the
//! rule id (to link the docs and match waivers), a severity, the attribute it is about, a message
//! naming the offending value, and a concrete fix.

use std::fmt;

use serde::Serialize;

use crate::AttrPath;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Reported but does not block: the provider emits a warning diagnostic.
    Warning,
    /// Blocks: the provider emits an error diagnostic, the CI command exits non-zero.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A failed check at one attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule that failed (`G10`, `DB-OVERRIDE-REASON`, ...).
    pub rule_id: &'static str,
    /// How serious it is in the evaluated tier.
    pub severity: Severity,
    /// The attribute the finding is about.
    pub attribute: AttrPath,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// What to change.
    pub fix: String,
}

impl Finding {
    /// An error finding.
    pub fn error(
        rule_id: &'static str,
        attribute: AttrPath,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            rule_id,
            severity: Severity::Error,
            attribute,
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A warning finding.
    pub fn warning(
        rule_id: &'static str,
        attribute: AttrPath,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(rule_id, attribute, message, fix)
        }
    }

    /// Whether the finding blocks.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.severity, self.rule_id)?;
        if !self.attribute.is_root() {
            write!(f, " at {}", self.attribute)?;
        }
        write!(f, ": {} (fix: {})", self.message, self.fix)
    }
}
