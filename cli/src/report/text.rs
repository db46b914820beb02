//! `--format text`: findings grouped by resource address, for people reading CI logs.
//!
//! Passes are counted, not listed; everything else (failures, warnings, waived and undecided
//! results) is listed with its controls, attribute and fix, so nothing waived is hidden.

use std::fmt::Write as _;

use dbrail_rules::Tier;

use super::{Report, Status};

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn paint(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }

    fn status(self, status: Status) -> String {
        let code = match status {
            Status::Failed => "1;31",
            Status::Warning => "33",
            Status::Waived => "36",
            Status::Undecided => "35",
            Status::Passed => "32",
        };
        self.paint(code, status.label())
    }
}

/// The text report; `colour` adds ANSI colours.
pub fn render(report: &Report, colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = String::new();
    for resource in &report.resources {
        let listed: Vec<_> = resource
            .results
            .iter()
            .filter(|e| e.status != Status::Passed)
            .collect();
        let passed = resource.results.len() - listed.len();
        let tier = match resource.tier {
            Tier::Production => "production",
            Tier::Staging => "staging",
            Tier::Development => "development",
        };
        let _ = writeln!(
            out,
            "{} ({}, tier {tier}): {passed} passed",
            paint.paint("1", &resource.address),
            resource.kind,
        );
        for entry in listed {
            let _ = write!(out, "  {} {}", paint.status(entry.status), entry.rule);
            if let Some(attribute) = &entry.attribute {
                let _ = write!(out, " at {attribute}");
                if entry.instance_level && !resource.instances.is_empty() {
                    let _ = write!(out, " (on {})", resource.instances.join(", "));
                }
            }
            let _ = writeln!(out, ": {}", entry.message);
            if let Some(waiver) = &entry.waiver {
                let owner = if waiver.owner.is_empty() {
                    String::new()
                } else {
                    format!(", owner {}", waiver.owner)
                };
                let _ = writeln!(
                    out,
                    "      waiver ({} #{}): {}{owner}, expires {}",
                    waiver.source, waiver.index, waiver.reason, waiver.expires
                );
            }
            if !entry.controls.is_empty() {
                let controls: Vec<String> =
                    entry.controls.iter().map(ToString::to_string).collect();
                let _ = writeln!(out, "      controls: {}", controls.join(", "));
            }
            if matches!(
                entry.status,
                Status::Failed | Status::Warning | Status::Undecided
            ) {
                let _ = writeln!(out, "      fix: {}", entry.fix);
            }
        }
    }
    let s = &report.summary;
    let verdict = if report.exit_code == 0 {
        paint.paint("32", "compliant")
    } else {
        paint.paint("1;31", "not compliant")
    };
    let _ = writeln!(
        out,
        "{verdict}: {} resources; {} passed, {} failed, {} warnings, {} waived, {} undecided \
         (undecided results are decided at apply and do not fail the check)",
        s.resources, s.passed, s.failed, s.warnings, s.waived, s.undecided
    );
    out
}
