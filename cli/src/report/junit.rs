//! `--format junit`: JUnit XML, which nearly every CI system renders as a test report.
//!
//! One `testsuite` per resource address, one `testcase` per rule: a blocking failure is a
//! `failure`; waived and undecided results are `skipped` with the reason (so they show, but do
//! not fail); warnings pass with the finding in `system-out`. The document validates against the
//! JUnit XSD Jenkins uses, which is the strictest reader: the reason of a `skipped` is its text
//! (the schema allows no `message` attribute there) and `testsuites` carries no `skipped` count.

use std::fmt::Write as _;

use super::{Entry, Report, Status};

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

fn describe(entry: &Entry) -> String {
    match &entry.attribute {
        Some(attribute) => format!("{attribute}: {}", entry.message),
        None => entry.message.clone(),
    }
}

/// The JUnit XML for a report.
pub fn render(report: &Report) -> String {
    let mut suites = String::new();
    let (mut total, mut total_failures) = (0, 0);
    for resource in &report.resources {
        let mut rules: Vec<&str> = Vec::new();
        for entry in &resource.results {
            if !rules.contains(&entry.rule.as_ref()) {
                rules.push(&entry.rule);
            }
        }
        let mut cases = String::new();
        let (mut failures, mut skipped) = (0, 0);
        for rule in &rules {
            let entries: Vec<&Entry> = resource
                .results
                .iter()
                .filter(|e| e.rule == *rule)
                .collect();
            let failed: Vec<&&Entry> = entries
                .iter()
                .filter(|e| e.status == Status::Failed)
                .collect();
            let held: Vec<&&Entry> = entries
                .iter()
                .filter(|e| matches!(e.status, Status::Waived | Status::Undecided))
                .collect();
            let warned: Vec<&&Entry> = entries
                .iter()
                .filter(|e| e.status == Status::Warning)
                .collect();
            let _ = writeln!(
                cases,
                "    <testcase name=\"{}\" classname=\"{}\">",
                escape(rule),
                escape(&resource.address)
            );
            if !failed.is_empty() {
                failures += 1;
                let text: Vec<String> = failed
                    .iter()
                    .map(|e| format!("{}\nfix: {}", describe(e), e.fix))
                    .collect();
                let _ = writeln!(
                    cases,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&describe(failed[0])),
                    escape(rule),
                    escape(&text.join("\n\n"))
                );
            } else if !held.is_empty() {
                skipped += 1;
                let reasons: Vec<String> = held
                    .iter()
                    .map(|e| match (&e.status, &e.waiver) {
                        (Status::Waived, Some(w)) => {
                            format!("waived until {} ({}): {}", w.expires, w.reason, describe(e))
                        }
                        _ => describe(e),
                    })
                    .collect();
                let _ = writeln!(
                    cases,
                    "      <skipped>{}</skipped>",
                    escape(&reasons.join("; "))
                );
            }
            if !warned.is_empty() {
                let text: Vec<String> = warned
                    .iter()
                    .map(|e| format!("warning: {}", describe(e)))
                    .collect();
                let _ = writeln!(
                    cases,
                    "      <system-out>{}</system-out>",
                    escape(&text.join("\n"))
                );
            }
            cases.push_str("    </testcase>\n");
        }
        total += rules.len();
        total_failures += failures;
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n",
            escape(&resource.address),
            rules.len()
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dbrail policy check\" \
         tests=\"{total}\" failures=\"{total_failures}\" errors=\"0\">\n\
         {suites}</testsuites>\n"
    )
}
