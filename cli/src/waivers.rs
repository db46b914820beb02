//! The waivers file: exceptions kept beside the pipeline rather than in each resource.
//!
//! A YAML or JSON list of `{ rule, resource, reason, owner, expires }`. `resource` is an address
//! pattern where `*` matches any run of characters, so one entry can cover every instance of a
//! module. The rules crate decides what a waiver does (waive, or fail when expired or
//! reasonless); this module only reads the file and picks the entries for an address.

use dbrail_rules::{Date, Waiver};
use serde::Deserialize;

use crate::error::{InputError, bare_message, byte_offset, line_column};

/// One entry of the waivers file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverEntry {
    /// The waived rule's id.
    pub rule: String,
    /// The resource address pattern (`*` matches anything).
    pub resource: String,
    /// Why the exception is accepted.
    pub reason: String,
    /// Who accepted it.
    #[serde(default)]
    pub owner: String,
    /// The last day it is valid.
    pub expires: Date,
}

impl WaiverEntry {
    /// Whether the entry covers `address`.
    pub fn covers(&self, address: &str) -> bool {
        crate::glob::star(self.resource.trim(), address)
    }

    /// Whether the entry is past its expiry on `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        today > self.expires
    }

    /// The waiver the rules apply.
    pub fn waiver(&self) -> Waiver {
        Waiver::new(self.rule.clone(), self.reason.clone(), self.expires)
    }
}

/// Reads a waivers file (JSON when it starts with `[` or `{`, YAML otherwise); every rule id must
/// be known.
pub fn parse(file: &str, input: &[u8]) -> Result<Vec<WaiverEntry>, InputError> {
    parse_allowing(file, input, false)
}

/// [`parse`]; with `custom_rules`, ids outside the catalogue are accepted, since they may name
/// rules of a `--policy-dir`.
pub fn parse_allowing(
    file: &str,
    input: &[u8],
    custom_rules: bool,
) -> Result<Vec<WaiverEntry>, InputError> {
    let text = std::str::from_utf8(input).map_err(|e| {
        let (line, column) = line_column(input, e.valid_up_to());
        InputError::Syntax {
            file: file.to_owned(),
            format: "YAML",
            offset: e.valid_up_to(),
            line,
            column,
            detail: "the file is not UTF-8 text; expected UTF-8 YAML or JSON".to_owned(),
        }
    })?;
    let entries: Vec<WaiverEntry> = if text.trim_start().starts_with(['[', '{']) {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                InputError::Syntax {
                    file: file.to_owned(),
                    format: "JSON",
                    offset: byte_offset(input, inner.line(), inner.column()),
                    line: inner.line(),
                    column: inner.column(),
                    detail: bare_message(&inner.to_string(), "."),
                }
            } else {
                let offset = byte_offset(input, inner.line(), inner.column());
                let detail = bare_message(&inner.to_string(), &path);
                InputError::structure(
                    file,
                    path,
                    format!(
                        "{detail} (byte {offset}, line {}, column {}); {EXPECTED}",
                        inner.line(),
                        inner.column()
                    ),
                )
            }
        })?
    } else {
        let deserializer = serde_norway::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            match inner.location() {
                Some(at) if path == "." || path.is_empty() => InputError::Syntax {
                    file: file.to_owned(),
                    format: "YAML",
                    offset: at.index(),
                    line: at.line(),
                    column: at.column(),
                    detail: format!("{}; {EXPECTED}", bare_message(&inner.to_string(), ".")),
                },
                Some(at) => {
                    let detail = bare_message(&inner.to_string(), &path);
                    InputError::structure(
                        file,
                        path,
                        format!(
                            "{detail} (byte {}, line {}, column {}); {EXPECTED}",
                            at.index(),
                            at.line(),
                            at.column()
                        ),
                    )
                }
                None => InputError::structure(
                    file,
                    &path,
                    format!("{}; {EXPECTED}", bare_message(&inner.to_string(), &path)),
                ),
            }
        })?
    };
    for (index, entry) in entries.iter().enumerate() {
        let known = dbrail_rules::rule(&entry.rule).is_some();
        if !known && !custom_rules {
            return Err(InputError::structure(
                file,
                format!("[{index}].rule"),
                format!(
                    "unknown rule {:?}; expected one of {}",
                    entry.rule,
                    known_rules().join(", ")
                ),
            ));
        }
    }
    Ok(entries)
}

const EXPECTED: &str = "expected a list of { rule, resource, reason, owner, expires: YYYY-MM-DD }";

fn known_rules() -> Vec<&'static str> {
    dbrail_rules::catalogue().iter().map(|r| r.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_yaml_and_json() {
        let yaml = b"- rule: G4\n  resource: aws_rds_cluster.*\n  reason: migration\n  owner: dba\n  expires: 2030-01-01\n";
        let entries = parse("w.yaml", yaml).unwrap();
        assert_eq!(entries.len(), 1);
        assert!(entries[0].covers("aws_rds_cluster.main"));
        let json =
            br#"[{"rule":"G4","resource":"x","reason":"r","owner":"o","expires":"2030-01-01"}]"#;
        assert_eq!(parse("w.json", json).unwrap()[0].rule, "G4");
    }

    #[test]
    fn rejects_bad_entries_with_a_path() {
        let error = parse(
            "w.yaml",
            b"- rule: G99\n  resource: x\n  reason: r\n  expires: 2030-01-01\n",
        )
        .unwrap_err();
        assert!(error.to_string().contains("[0].rule"), "{error}");
        let error = parse(
            "w.yaml",
            b"- rule: G4\n  resource: x\n  reason: r\n  expires: 2030-13-01\n",
        )
        .unwrap_err();
        assert!(error.to_string().contains("w.yaml"), "{error}");
        assert!(error.to_string().contains("expires"), "{error}");
        let error = parse("w.json", b"[{\"rule\": ").unwrap_err();
        assert!(error.is_syntax(), "{error}");
    }
}
