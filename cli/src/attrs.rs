//! Typed access to one resource's planned values.
//!
//! Terraform's JSON leaves an unknown value out of `values` and marks it `true` in
//! `after_unknown`; a value that is not set is `null` or missing. [`Attrs`] reads both at once
//! and answers with a [`Fact`], so "unknown until apply" can never be mistaken for "not set", and
//! a value of the wrong type is an error naming its JSON path rather than a silent default.

use std::collections::BTreeMap;

use dbrail_rules::Fact;
use serde_json::Value;

use crate::error::InputError;

static NULL: Value = Value::Null;

/// One object of values with its unknown mask.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    file: &'a str,
    values: &'a Value,
    unknown: &'a Value,
    path: String,
}

/// Whether a mask marks anything inside it unknown.
pub fn any_unknown(mask: &Value) -> bool {
    match mask {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(any_unknown),
        Value::Object(map) => map.values().any(any_unknown),
        _ => false,
    }
}

impl<'a> Attrs<'a> {
    /// The values at `path` (a JSON path for messages) with their unknown mask.
    pub fn new(
        file: &'a str,
        values: &'a Value,
        unknown: &'a Value,
        path: impl Into<String>,
    ) -> Self {
        Self {
            file,
            values,
            unknown,
            path: path.into(),
        }
    }

    fn error(&self, name: &str, expected: &str, found: &Value) -> InputError {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        InputError::structure(
            self.file,
            format!("{}.{name}", self.path),
            format!("expected {expected}, found {found}"),
        )
    }

    /// The raw value: unknown if the mask marks any part of it, absent if null or missing.
    pub fn raw(&self, name: &str) -> Fact<&'a Value> {
        if self.unknown.get(name).is_some_and(any_unknown) {
            return Fact::Unknown;
        }
        match self.values.get(name) {
            None | Some(Value::Null) => Fact::Absent,
            Some(value) => Fact::Known(value),
        }
    }

    /// A string attribute.
    pub fn string(&self, name: &str) -> Result<Fact<String>, InputError> {
        match self.raw(name) {
            Fact::Known(Value::String(s)) => Ok(Fact::Known(s.clone())),
            Fact::Known(other) => Err(self.error(name, "a string", other)),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    /// A string attribute, empty strings counting as not set (as the AWS provider writes them).
    pub fn non_empty(&self, name: &str) -> Result<Fact<String>, InputError> {
        Ok(match self.string(name)? {
            Fact::Known(s) if s.is_empty() => Fact::Absent,
            other => other,
        })
    }

    /// A boolean attribute; `default` when not set.
    pub fn bool(&self, name: &str, default: Option<bool>) -> Result<Fact<bool>, InputError> {
        match self.raw(name) {
            Fact::Known(Value::Bool(b)) => Ok(Fact::Known(*b)),
            Fact::Known(other) => Err(self.error(name, "a boolean", other)),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(default.into()),
        }
    }

    /// A non-negative whole number; `default` when not set.
    pub fn u32(&self, name: &str, default: Option<u32>) -> Result<Fact<u32>, InputError> {
        match self.raw(name) {
            Fact::Known(value @ Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Fact::Known)
                .ok_or_else(|| self.error(name, "a whole number from 0 to 4294967295", value)),
            Fact::Known(other) => Err(self.error(name, "a number", other)),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(default.into()),
        }
    }

    /// A list or set of strings.
    pub fn strings(&self, name: &str) -> Result<Fact<Vec<String>>, InputError> {
        match self.raw(name) {
            Fact::Known(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(self.error(name, "an array of strings", other)),
                })
                .collect::<Result<_, _>>()
                .map(Fact::Known),
            Fact::Known(other) => Err(self.error(name, "an array of strings", other)),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    /// A map of strings; a value unknown on its own is unknown in the map.
    pub fn string_map(
        &self,
        name: &str,
    ) -> Result<Fact<BTreeMap<String, Fact<String>>>, InputError> {
        if self.unknown.get(name).is_some_and(Value::is_boolean) && self.raw(name).is_unknown() {
            return Ok(Fact::Unknown);
        }
        let mask = self.unknown.get(name).unwrap_or(&NULL);
        match self.values.get(name) {
            None | Some(Value::Null) if any_unknown(mask) => Ok(Fact::Unknown),
            None | Some(Value::Null) => Ok(Fact::Absent),
            Some(Value::Object(map)) => {
                let mut out: BTreeMap<String, Fact<String>> = map
                    .iter()
                    .map(|(key, value)| match value {
                        Value::String(s) => Ok((key.clone(), Fact::Known(s.clone()))),
                        Value::Null => Ok((key.clone(), Fact::Absent)),
                        other => Err(self.error(&format!("{name}[{key:?}]"), "a string", other)),
                    })
                    .collect::<Result<_, _>>()?;
                if let Value::Object(unknown) = mask {
                    for (key, flag) in unknown {
                        if any_unknown(flag) {
                            out.insert(key.clone(), Fact::Unknown);
                        }
                    }
                }
                Ok(Fact::Known(out))
            }
            Some(other) => Err(self.error(name, "an object of strings", other)),
        }
    }

    /// A nested object (a single nested block or object attribute).
    pub fn object(&self, name: &str) -> Result<Fact<Attrs<'a>>, InputError> {
        match self.raw(name) {
            Fact::Known(value @ Value::Object(_)) => Ok(Fact::Known(self.child(name, value, None))),
            // Some providers write a single block as a one-element list.
            Fact::Known(Value::Array(items)) if items.len() <= 1 => Ok(items
                .first()
                .map_or(Fact::Absent, |v| Fact::Known(self.child(name, v, Some(0))))),
            Fact::Known(other) => Err(self.error(name, "an object", other)),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    /// A list or set of nested blocks.
    pub fn blocks(&self, name: &str) -> Result<Fact<Vec<Attrs<'a>>>, InputError> {
        match self.raw(name) {
            Fact::Known(Value::Array(items)) => Ok(Fact::Known(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.child(name, item, Some(i)))
                    .collect(),
            )),
            Fact::Known(other) => Err(self.error(name, "an array of blocks", other)),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    fn child(&self, name: &str, value: &'a Value, index: Option<usize>) -> Attrs<'a> {
        let mask = self.unknown.get(name).unwrap_or(&NULL);
        let mask = match (index, mask) {
            (Some(i), Value::Array(items)) => items.get(i).unwrap_or(&NULL),
            (_, mask) => mask,
        };
        let path = match index {
            Some(i) => format!("{}.{name}[{i}]", self.path),
            None => format!("{}.{name}", self.path),
        };
        Attrs {
            file: self.file,
            values: value,
            unknown: mask,
            path,
        }
    }
}
