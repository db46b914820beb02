//! `--format text`: findings grouped by resource address, for people reading CI logs.
//!
//! Passes are counted, not listed; everything else (failures, warnings, waived and undecided
//! results) is listed with its controls, attribute and fix, so nothing waived is hidden.

use std::fmt::Write as _;

use dbrail_rules::Tier;

use super::{Entry, Report, ResourceReport, Status};

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    /// Writes `text` in colour `code`, straight into the report: a report of thousands of
    /// resources builds no string per line.
    fn write(self, out: &mut String, code: &str, text: &str) {
        if self.0 {
            let _ = write!(out, "\u{1b}[{code}m{text}\u{1b}[0m");
        } else {
            out.push_str(text);
        }
    }

    fn status(self, out: &mut String, status: Status) {
        let code = match status {
            Status::Failed => "1;31",
            Status::Warning => "33",
            Status::Waived => "36",
            Status::Undecided => "35",
            Status::Passed => "32",
        };
        self.write(out, code, status.label());
    }
}

/// The text report; `colour` adds ANSI colours.
pub fn render(report: &Report, colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = String::with_capacity(64 * report.resources.len() + 4096);
    for resource in &report.resources {
        write_resource(&mut out, paint, resource);
    }
    let s = &report.summary;
    let (code, verdict) = if report.exit_code == 0 {
        ("32", "compliant")
    } else {
        ("1;31", "not compliant")
    };
    paint.write(&mut out, code, verdict);
    let _ = writeln!(
        out,
        ": {} resources; {} passed, {} failed, {} warnings, {} waived, {} undecided \
         (undecided results are decided at apply and do not fail the check)",
        s.resources, s.passed, s.failed, s.warnings, s.waived, s.undecided
    );
    out
}

/// One resource: its heading with the number of passes, then every other result.
fn write_resource(out: &mut String, paint: Paint, resource: &ResourceReport) {
    let listed = || {
        resource
            .results
            .iter()
            .filter(|e| e.status != Status::Passed)
    };
    let passed = resource.results.len() - listed().count();
    let tier = match resource.tier {
        Tier::Production => "production",
        Tier::Staging => "staging",
        Tier::Development => "development",
    };
    paint.write(out, "1", &resource.address);
    let _ = writeln!(out, " ({}, tier {tier}): {passed} passed", resource.kind);
    for entry in listed() {
        write_entry(out, paint, resource, entry);
    }
}

fn write_entry(out: &mut String, paint: Paint, resource: &ResourceReport, entry: &Entry) {
    out.push_str("  ");
    paint.status(out, entry.status);
    let _ = write!(out, " {}", entry.rule);
    if let Some(attribute) = &entry.attribute {
        let _ = write!(out, " at {attribute}");
        if entry.instance_level && !resource.instances.is_empty() {
            let _ = write!(out, " (on {})", resource.instances.join(", "));
        }
    }
    let _ = writeln!(out, ": {}", entry.message);
    if let Some(waiver) = &entry.waiver {
        let _ = write!(
            out,
            "      waiver ({} #{}): {}",
            waiver.source, waiver.index, waiver.reason
        );
        if !waiver.owner.is_empty() {
            let _ = write!(out, ", owner {}", waiver.owner);
        }
        let _ = writeln!(out, ", expires {}", waiver.expires);
    }
    if let Some((first, rest)) = entry.controls.split_first() {
        let _ = write!(out, "      controls: {first}");
        for control in rest {
            let _ = write!(out, ", {control}");
        }
        out.push('\n');
    }
    if matches!(
        entry.status,
        Status::Failed | Status::Warning | Status::Undecided
    ) {
        let _ = writeln!(out, "      fix: {}", entry.fix);
    }
}
