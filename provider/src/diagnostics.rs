//! Turning AWS-layer and rules-layer errors into Terraform diagnostics.
//!
//! AWS errors name the operation and the AWS error code; configuration errors name the provider
//! attribute to fix; guardrail findings name the attribute, the rule id and its control ids.

use dbrail_aws::{ConfigError, OperationError};
use dbrail_tfplugin::diagnostics::Diagnostic;
use dbrail_tfplugin::path::AttributePath;

/// A provider-configuration error, located on the attribute it concerns.
pub(crate) fn config_error(err: &ConfigError) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        format!("Cannot configure dbrail: {err}"),
        err.hint().to_owned(),
    );
    match err.attribute() {
        Some(attribute) => diagnostic.at(dotted_path(attribute)),
        None => diagnostic,
    }
}

/// An AWS operation that failed, with what to do next.
pub(crate) fn operation_error(what: &str, err: &OperationError) -> Diagnostic {
    Diagnostic::error(
        format!("{what} failed"),
        format!(
            "{err}\n\nNothing beyond what state records was changed. Fix the cause and run \
             `terraform apply` again; dbrail resumes where it stopped."
        ),
    )
}

/// `endpoints.rds` → path `endpoints` → `rds`.
pub(crate) fn dotted_path(dotted: &str) -> AttributePath {
    dotted
        .split('.')
        .fold(AttributePath::root(), |path, step| path.then_attr(step))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_split_into_attributes() {
        assert_eq!(dotted_path("endpoints.rds").to_string(), "endpoints.rds");
        assert_eq!(dotted_path("region").steps().len(), 1);
    }

    #[test]
    fn config_errors_point_at_their_attribute() {
        let err = ConfigError::MissingRegion;
        let d = config_error(&err);
        assert_eq!(
            d.attribute.map(|p| p.to_string()).as_deref(),
            Some("region")
        );
        assert!(!d.detail.is_empty());
    }
}
