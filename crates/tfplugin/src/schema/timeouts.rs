//! The conventional `timeouts { create = "60m" }` block and its parsing.
//!
//! Long operations (an Aurora cluster takes many minutes to create) must honour the user's
//! limits. Durations use Terraform's usual syntax: a sequence of numbers with units `h`, `m`, `s`
//! (`"1h30m"`, `"45s"`).

use super::{Attribute, Block, NestedBlock, Nesting};
use crate::path::AttributePath;
use crate::value::Value;
use std::time::Duration;

/// A `timeouts` nested block offering the given operations (`create`, `update`, `delete`, `read`).
pub fn timeouts_block(operations: &[&str]) -> NestedBlock {
    let mut block = Block::new("How long each operation may take before it fails.");
    for op in operations {
        block = block.attribute(Attribute::string(op).optional().description(format!(
            "How long `{op}` may take, as a duration such as `\"60m\"` or `\"1h30m\"`."
        )));
    }
    NestedBlock::new("timeouts", Nesting::Single, block)
}

/// Timeouts read from a resource value's `timeouts` block.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Create limit.
    pub create: Duration,
    /// Update limit.
    pub update: Duration,
    /// Delete limit.
    pub delete: Duration,
}

impl Timeouts {
    /// Reads the `timeouts` block of `value`, falling back to `defaults` per operation.
    ///
    /// A malformed duration is an error naming the attribute path.
    pub fn from_value(
        value: &Value,
        defaults: Timeouts,
    ) -> Result<Timeouts, (AttributePath, String)> {
        let block = value.attr("timeouts");
        let get = |op: &str, default: Duration| -> Result<Duration, (AttributePath, String)> {
            match block.and_then(|b| b.attr(op)).and_then(Value::as_str) {
                None => Ok(default),
                Some(text) => parse_duration(text)
                    .map_err(|e| (AttributePath::attr("timeouts").then_attr(op), e)),
            }
        };
        Ok(Timeouts {
            create: get("create", defaults.create)?,
            update: get("update", defaults.update)?,
            delete: get("delete", defaults.delete)?,
        })
    }
}

/// Parses `"1h30m"`, `"45s"`, `"90m"` into a duration.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "{text:?} is not a duration; write a number with a unit, such as \"30m\", \"1h30m\" or \"45s\""
        )
    };
    if text.is_empty() {
        return Err(bad());
    }
    let mut total = 0u64;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(bad()),
        };
        let n: u64 = digits.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn parses_terraform_durations() {
        assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("30").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("99999999999999999999h").is_err());
    }

    #[test]
    fn reads_block_with_defaults_and_names_bad_attribute() {
        let defaults = Timeouts {
            create: Duration::from_secs(1),
            update: Duration::from_secs(2),
            delete: Duration::from_secs(3),
        };
        let mut t = BTreeMap::new();
        t.insert("create".to_owned(), Value::String("10m".into()));
        t.insert("update".to_owned(), Value::Null);
        t.insert("delete".to_owned(), Value::Null);
        let mut root = BTreeMap::new();
        root.insert("timeouts".to_owned(), Value::Object(t.clone()));
        let got = Timeouts::from_value(&Value::Object(root), defaults).unwrap();
        assert_eq!(got.create, Duration::from_secs(600));
        assert_eq!(got.update, Duration::from_secs(2));

        t.insert("delete".to_owned(), Value::String("soon".into()));
        let mut root = BTreeMap::new();
        root.insert("timeouts".to_owned(), Value::Object(t));
        let (path, msg) = Timeouts::from_value(&Value::Object(root), defaults).unwrap_err();
        assert_eq!(path.to_string(), "timeouts.delete");
        assert!(msg.contains("soon"));
    }
}
