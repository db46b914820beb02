//! `--format gitlab`: GitLab Code Quality, shown in merge request widgets.
//!
//! An array of issues with `description`, `check_name`, `fingerprint`, `severity` and
//! `location { path, lines { begin } }`. A plan has no source lines, so the location is the
//! plan file, line 1, and the description names the resource address. The fingerprint is a
//! stable hash of rule, address and attribute, so GitLab tracks an issue across pipelines.

use serde_json::{Value, json};

use super::{Report, Status};

/// 64-bit FNV-1a, written out so fingerprints never change with a dependency.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The Code Quality report.
pub fn render(report: &Report) -> String {
    let issues: Vec<Value> = report
        .entries()
        .filter(|(_, e)| e.status != Status::Passed)
        .map(|(resource, entry)| {
            let attribute = entry.attribute.clone().unwrap_or_default();
            let severity = match entry.status {
                Status::Failed => "critical",
                Status::Warning => "minor",
                Status::Waived | Status::Undecided | Status::Passed => "info",
            };
            let prefix = match entry.status {
                Status::Waived => "waived: ",
                Status::Undecided => "undecided: ",
                _ => "",
            };
            let path = if resource.module.is_empty() {
                report.input.clone()
            } else {
                format!("{} ({})", report.input, resource.module)
            };
            json!({
                "description": format!(
                    "{prefix}{} {} at {}: {} Fix: {}",
                    entry.rule, resource.address, attribute, entry.message, entry.fix
                ),
                "check_name": entry.rule,
                "fingerprint": fingerprint(&[&entry.rule, &resource.address, &attribute]),
                "severity": severity,
                "location": {"path": path, "lines": {"begin": 1}},
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}
