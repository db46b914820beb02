//! Diagnostics: how the provider talks to the person running Terraform.
//!
//! Every problem the provider reports — a non-compliant setting, a wrong attribute, an AWS error,
//! an internal panic — becomes a [`Diagnostic`]. An error diagnostic with an [`AttributePath`]
//! makes Terraform underline the offending part of the user's configuration, so paths are
//! attached wherever the location is known. The `detail` says how to fix the problem.

use crate::path::AttributePath;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The operation failed.
    Error,
    /// The operation went ahead, but something deserves attention.
    Warning,
}

/// One message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// One line: what is wrong.
    pub summary: String,
    /// Why it matters and how to fix it.
    pub detail: String,
    /// Where in the resource's configuration the problem is, when known.
    pub attribute: Option<AttributePath>,
}

impl Diagnostic {
    /// An error without a location.
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            attribute: None,
        }
    }

    /// A warning without a location.
    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(summary, detail)
        }
    }

    /// The same diagnostic, located at `path`.
    #[must_use]
    pub fn at(mut self, path: AttributePath) -> Self {
        self.attribute = (!path.is_root()).then_some(path);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// An ordered collection of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds an error at a path.
    pub fn error_at(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::error(summary, detail).at(path));
    }

    /// Adds a warning at a path.
    pub fn warning_at(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::warning(summary, detail).at(path));
    }

    /// Appends all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Whether there are no diagnostics at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// The diagnostics, consumed.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_path_is_not_attached() {
        let d = Diagnostic::error("x", "y").at(AttributePath::root());
        assert_eq!(d.attribute, None);
        let d = Diagnostic::error("x", "y").at(AttributePath::attr("name"));
        assert_eq!(d.attribute, Some(AttributePath::attr("name")));
    }

    #[test]
    fn errors_are_detected_among_warnings() {
        let mut diags = Diagnostics::new();
        diags.warning_at(AttributePath::attr("a"), "w", "");
        assert!(!diags.has_errors());
        diags.error_at(AttributePath::attr("b"), "e", "");
        assert!(diags.has_errors());
        assert_eq!(diags.iter().count(), 2);
    }
}
