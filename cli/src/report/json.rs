//! `--format json`: the report as documented in `docs/policy-report.md`.

use super::Report;

/// The report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    // Serialising plain data with string keys cannot fail; fall back to a minimal object anyway.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        format!(
            "{{\"version\":{},\"error\":{:?}}}",
            report.version,
            e.to_string()
        )
    });
    text.push('\n');
    text
}
