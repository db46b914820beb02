//! Between the rules crate and Terraform: facts from values, findings to diagnostics.
//!
//! The rules crate knows nothing of Terraform; it reports findings at its own attribute paths.
//! Here each finding becomes a diagnostic whose summary carries the rule id and whose detail
//! carries the mapped control ids and the fix, so a plan-time error reads the same as the CI
//! report for the same rule.

use dbrail_rules::{AttrPath, Fact, Finding, PathStep};
use dbrail_tfplugin::diagnostics::{Diagnostic, Severity};
use dbrail_tfplugin::path::AttributePath;
use dbrail_tfplugin::value::Value;

/// A string fact from an optional value: unknown stays unknown, null is absent.
pub(crate) fn string_fact(value: Option<&Value>) -> Fact<String> {
    match value {
        None | Some(Value::Null) => Fact::Absent,
        Some(v) if v.is_unknown() => Fact::Unknown,
        Some(v) => v
            .as_str()
            .map_or(Fact::Absent, |s| Fact::Known(s.to_owned())),
    }
}

/// A string fact from a typed option.
pub(crate) fn option_fact(value: Option<&String>) -> Fact<String> {
    value.map_or(Fact::Absent, |v| Fact::Known(v.clone()))
}

/// Converts a rules path with `map_step` deciding how each step reads in this resource's schema.
pub(crate) fn convert_path(
    path: &AttrPath,
    mut map_step: impl FnMut(&[PathStep], usize) -> Option<AttributePath>,
) -> AttributePath {
    map_step(path.steps(), 0).unwrap_or_else(|| {
        path.steps()
            .iter()
            .fold(AttributePath::root(), |at, step| match step {
                PathStep::Attribute(name) => at.then_attr(name.clone()),
                PathStep::Key(key) => at.then_key(key.clone()),
                PathStep::Index(index) => at.then_index(*index),
            })
    })
}

/// A finding as a diagnostic at `at`.
pub(crate) fn finding_diagnostic(finding: &Finding, at: AttributePath) -> Diagnostic {
    let controls = dbrail_rules::rule(finding.rule_id)
        .map(|rule| {
            rule.controls
                .iter()
                .map(|c| format!("{} {}", c.framework, c.id))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|c| !c.is_empty());
    let mut detail = format!("{}.\n\nFix: {}.", finding.message, finding.fix);
    if let Some(controls) = controls {
        detail.push_str(&format!("\n\nControls: {controls}."));
    }
    let title = dbrail_rules::rule(finding.rule_id).map_or("dbrail check", |r| r.title);
    let severity = if finding.is_error() {
        Severity::Error
    } else {
        Severity::Warning
    };
    Diagnostic {
        severity,
        summary: format!("[{}] {title}", finding.rule_id),
        detail: detail.replace("..", "."),
        attribute: None,
    }
    .at(at)
}

/// Today's date in UTC, for waiver expiry.
pub(crate) fn today() -> dbrail_rules::Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or_default();
    dbrail_rules::Date::from_days_since_epoch(i64::try_from(days).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_from_values() {
        assert_eq!(string_fact(None), Fact::Absent);
        assert_eq!(string_fact(Some(&Value::unknown())), Fact::Unknown);
        assert_eq!(
            string_fact(Some(&Value::String("x".into()))),
            Fact::Known("x".to_owned())
        );
    }

    #[test]
    fn finding_diagnostics_name_rule_controls_and_fix() {
        let finding = Finding::error(
            "G10",
            AttrPath::attribute("parameters").key("rds.force_ssl"),
            "rds.force_ssl must be 1",
            "remove this override",
        );
        let d = finding_diagnostic(
            &finding,
            AttributePath::attr("overrides").then_key("rds.force_ssl"),
        );
        assert!(d.summary.starts_with("[G10]"));
        assert!(d.detail.contains("Fix: remove this override"));
        assert!(
            d.detail.contains("RDS.38") || d.detail.contains("Controls:"),
            "{}",
            d.detail
        );
        assert_eq!(
            d.attribute.unwrap().to_string(),
            "overrides[\"rds.force_ssl\"]"
        );
    }
}
