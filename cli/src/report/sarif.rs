//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.
//!
//! The rule catalogue becomes `tool.driver.rules`; each result that is not a pass becomes a
//! result whose logical location is the resource address (a plan has no source lines). Waived
//! results carry a `suppressions` entry with the waiver's reason, so dashboards show them as
//! suppressed rather than hiding them; undecided ones are `kind: review`.

use serde_json::{Value, json};

use super::{Report, Status};
use crate::catalogue;

/// The SARIF log for a report.
pub fn render(report: &Report) -> String {
    let rules = catalogue::entries();
    let results: Vec<Value> = report
        .entries()
        .filter(|(_, e)| e.status != Status::Passed)
        .map(|(resource, entry)| {
            let (kind, level) = match entry.status {
                Status::Failed => ("fail", "error"),
                Status::Warning => ("fail", "warning"),
                Status::Waived => ("fail", "note"),
                Status::Undecided | Status::Passed => ("review", "none"),
            };
            let mut text = entry.message.clone();
            if let Some(attribute) = &entry.attribute {
                text = format!("{}: {text}", attribute);
            }
            let mut result = json!({
                "ruleId": entry.rule,
                "kind": kind,
                "level": level,
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": report.input}},
                    "logicalLocations": [{
                        "fullyQualifiedName": resource.address,
                        "name": resource.address,
                        "kind": "resource",
                    }],
                }],
                "properties": {
                    "status": entry.status,
                    "resourceType": resource.kind,
                    "attribute": entry.attribute,
                    "fix": entry.fix,
                    "controls": entry.controls.iter().map(ToString::to_string).collect::<Vec<_>>(),
                },
            });
            if let Some(index) = rules.iter().position(|r| r.id == entry.rule) {
                result["ruleIndex"] = json!(index);
            }
            if entry.status == Status::Waived
                && let Some(waiver) = &entry.waiver
            {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!(
                        "{} (owner: {}, expires {})",
                        waiver.reason,
                        if waiver.owner.is_empty() { "-" } else { &waiver.owner },
                        waiver.expires
                    ),
                }]);
            }
            result
        })
        .collect();
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "name": rule.id,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.description.trim(), "markdown": rule.description.trim()},
                "help": {"text": rule.fix},
                "properties": {
                    "controls": rule.controls.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "tags": ["security", "database"],
                },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dbrail",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": driver_rules,
            }},
            "artifacts": [{"location": {"uri": report.input}}],
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
