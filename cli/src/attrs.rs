//! Typed access to one resource's planned values.
//!
//! Terraform's JSON leaves an unknown value out of `values` and marks it `true` in
//! `after_unknown`; a value that is not set is `null` or missing. [`Attrs`] reads both at once
//! and answers with a [`Fact`], so "unknown until apply" can never be mistaken for "not set", and
//! a value of the wrong type is an error naming its JSON path rather than a silent default.
//!
//! Values stay raw text ([`Fields`]) until read; each accessor parses only its attribute.

use std::borrow::Cow;
use std::collections::BTreeMap;

use std::fmt;

use dbrail_rules::Fact;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::InputError;
use crate::fields::Fields;
use crate::raw::Raw;

/// One object of values with its unknown mask.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    file: &'a str,
    values: Cow<'a, Fields<'a>>,
    unknown: Cow<'a, Fields<'a>>,
    /// The JSON path of the parent object; with `step`, of this one. Written out only for an
    /// error message or a grandchild, since most objects are read without either.
    path: Cow<'a, str>,
    step: Option<(&'a str, Option<usize>)>,
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

/// [`any_unknown`] on raw text; most masks hold no `true` at all and are not parsed.
fn raw_any_unknown(mask: Raw<'_>) -> bool {
    mask.get().contains("true")
        && serde_json::from_str::<Value>(mask.get()).is_ok_and(|m| any_unknown(&m))
}

/// The contents of a JSON string without escapes, which are its text as it stands: the text was
/// checked when the document was read, so it holds no control characters either. `None` when
/// the string has escapes to decode.
fn plain_string(raw: Raw<'_>) -> Option<&str> {
    let inner = raw.get().strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// A JSON number written as plain digits that fits a `u32`; anything else (fractions,
/// exponents, signs, overflow) is left to the full parse and its error messages.
fn plain_u32(raw: Raw<'_>) -> Option<u32> {
    let text = raw.get();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Reads a list of blocks in one pass, keeping the members named in `.0` of each block, as
/// unescaped strings or null (absent). Anything else (an escape, another type, a block that is
/// not an object) is an error, which sends the caller to the general reading.
struct PickBlocks<'k, const N: usize>(&'k [&'k str; N]);

/// One block of [`PickBlocks`].
struct PickBlock<'k, const N: usize>(&'k [&'k str; N]);

impl<'de, const N: usize> DeserializeSeed<'de> for PickBlocks<'_, N> {
    type Value = Vec<[Fact<String>; N]>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for PickBlocks<'_, N> {
    type Value = Vec<[Fact<String>; N]>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of blocks")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        let mut blocks = Vec::with_capacity(seq.size_hint().unwrap_or(8));
        while let Some(block) = seq.next_element_seed(PickBlock(self.0))? {
            blocks.push(block);
        }
        Ok(blocks)
    }
}

impl<'de, const N: usize> DeserializeSeed<'de> for PickBlock<'_, N> {
    type Value = [Fact<String>; N];

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for PickBlock<'_, N> {
    type Value = [Fact<String>; N];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a block")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut out = [const { Fact::Absent }; N];
        while let Some(key) = map.next_key::<&'de str>()? {
            match self.0.iter().position(|wanted| *wanted == key) {
                Some(at) => {
                    let value: Option<&'de str> = map.next_value()?;
                    if let Some(slot) = out.get_mut(at) {
                        *slot = value.map_or(Fact::Absent, |v| Fact::Known(v.to_owned()));
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// An array of plain strings; `None` for anything else.
fn plain_strings(raw: Raw<'_>) -> Option<Vec<String>> {
    raw.items()?
        .into_iter()
        .map(|item| plain_string(item).map(str::to_owned))
        .collect()
}

/// A plain string as known, `null` as absent; `None` for anything else.
fn plain_fact(raw: Raw<'_>) -> Option<Fact<String>> {
    if raw.is_null() {
        return Some(Fact::Absent);
    }
    plain_string(raw).map(|text| Fact::Known(text.to_owned()))
}

fn kind_of_value(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Attrs<'a> {
    /// The values at `path` (a JSON path for messages) with their unknown mask.
    pub fn new(
        file: &'a str,
        values: &'a Fields<'a>,
        unknown: &'a Fields<'a>,
        path: &'a str,
    ) -> Self {
        Self {
            file,
            values: Cow::Borrowed(values),
            unknown: Cow::Borrowed(unknown),
            path: Cow::Borrowed(path),
            step: None,
        }
    }

    /// This object's JSON path.
    fn path(&self) -> Cow<'a, str> {
        match self.step {
            None => self.path.clone(),
            Some((name, None)) => Cow::Owned(format!("{}.{name}", self.path)),
            Some((name, Some(i))) => Cow::Owned(format!("{}.{name}[{i}]", self.path)),
        }
    }

    fn error(&self, name: &str, expected: &str, found: &str) -> InputError {
        InputError::structure(
            self.file,
            format!("{}.{name}", self.path()),
            format!("expected {expected}, found {found}"),
        )
    }

    fn is_unknown(&self, name: &str) -> bool {
        self.unknown.get(name).is_some_and(raw_any_unknown)
    }

    /// The raw text: unknown if the mask marks any part of it, absent if null or missing.
    fn raw(&self, name: &str) -> Fact<Raw<'a>> {
        if self.is_unknown(name) {
            return Fact::Unknown;
        }
        self.present(name)
    }

    fn present(&self, name: &str) -> Fact<Raw<'a>> {
        match self.values.get(name) {
            Some(raw) if !raw.is_null() => Fact::Known(raw),
            _ => Fact::Absent,
        }
    }

    /// For a nested block or list of blocks: the raw text when the value is there, even if
    /// parts of it are unknown (the mask is then a list or object of its own, handed to the
    /// children, which answer unknown for exactly those parts); unknown when the mask marks the
    /// value as a whole.
    fn container(&self, name: &str) -> Fact<Raw<'a>> {
        match self.unknown.get(name) {
            Some(mask) if mask.get().starts_with(['[', '{']) => match self.present(name) {
                Fact::Absent if raw_any_unknown(mask) => Fact::Unknown,
                other => other,
            },
            _ => self.raw(name),
        }
    }

    /// The value, parsed.
    pub fn value(&self, name: &str) -> Result<Fact<Value>, InputError> {
        match self.raw(name) {
            Fact::Known(raw) => serde_json::from_str(raw.get())
                .map(Fact::Known)
                .map_err(|e| self.error(name, "a JSON value", &e.to_string())),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    /// A string attribute.
    pub fn string(&self, name: &str) -> Result<Fact<String>, InputError> {
        match self.raw(name) {
            Fact::Known(raw) if raw.get().starts_with('"') => match plain_string(raw) {
                Some(text) => Ok(Fact::Known(text.to_owned())),
                None => serde_json::from_str(raw.get())
                    .map(Fact::Known)
                    .map_err(|_| self.error(name, "a string", "an unreadable string")),
            },
            Fact::Known(other) => Err(self.error(name, "a string", other.kind())),
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
            Fact::Known(raw) => match raw.get() {
                "true" => Ok(Fact::Known(true)),
                "false" => Ok(Fact::Known(false)),
                _ => Err(self.error(name, "a boolean", raw.kind())),
            },
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(default.into()),
        }
    }

    /// A non-negative whole number; `default` when not set.
    pub fn u32(&self, name: &str, default: Option<u32>) -> Result<Fact<u32>, InputError> {
        if let Fact::Known(raw) = self.raw(name)
            && let Some(n) = plain_u32(raw)
        {
            return Ok(Fact::Known(n));
        }
        match self.value(name)? {
            Fact::Known(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Fact::Known)
                .ok_or_else(|| self.error(name, "a whole number from 0 to 4294967295", "a number")),
            Fact::Known(other) => Err(self.error(name, "a number", kind_of_value(&other))),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(default.into()),
        }
    }

    /// A list or set of strings.
    pub fn strings(&self, name: &str) -> Result<Fact<Vec<String>>, InputError> {
        if let Fact::Known(raw) = self.raw(name)
            && let Some(items) = plain_strings(raw)
        {
            return Ok(Fact::Known(items));
        }
        match self.value(name)? {
            Fact::Known(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    other => Err(self.error(name, "an array of strings", kind_of_value(&other))),
                })
                .collect::<Result<_, _>>()
                .map(Fact::Known),
            Fact::Known(other) => {
                Err(self.error(name, "an array of strings", kind_of_value(&other)))
            }
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    /// A map of strings; a value unknown on its own is unknown in the map.
    pub fn string_map(
        &self,
        name: &str,
    ) -> Result<Fact<BTreeMap<String, Fact<String>>>, InputError> {
        if let Some(map) = self.plain_string_map(name) {
            return Ok(Fact::Known(map));
        }
        let mask: Value = match self.unknown.get(name) {
            Some(raw) if raw_any_unknown(raw) => {
                serde_json::from_str(raw.get()).unwrap_or(Value::Null)
            }
            _ => Value::Null,
        };
        if mask.is_boolean() && any_unknown(&mask) {
            return Ok(Fact::Unknown);
        }
        let value = match self.values.get(name) {
            Some(raw) if !raw.is_null() => serde_json::from_str(raw.get())
                .map_err(|e| self.error(name, "an object of strings", &e.to_string()))?,
            _ => Value::Null,
        };
        match value {
            Value::Null if any_unknown(&mask) => Ok(Fact::Unknown),
            Value::Null => Ok(Fact::Absent),
            Value::Object(map) => {
                let mut out: BTreeMap<String, Fact<String>> = map
                    .into_iter()
                    .map(|(key, value)| match value {
                        Value::String(s) => Ok((key, Fact::Known(s))),
                        Value::Null => Ok((key, Fact::Absent)),
                        other => Err(self.error(
                            &format!("{name}[{key:?}]"),
                            "a string",
                            kind_of_value(&other),
                        )),
                    })
                    .collect::<Result<_, _>>()?;
                if let Value::Object(unknown) = mask {
                    for (key, flag) in unknown {
                        if any_unknown(&flag) {
                            out.insert(key, Fact::Unknown);
                        }
                    }
                }
                Ok(Fact::Known(out))
            }
            other => Err(self.error(name, "an object of strings", kind_of_value(&other))),
        }
    }

    /// [`Self::string_map`] for the common case, read without building a JSON tree: an object
    /// of plain strings (or nulls) with nothing unknown. `None` sends every other case (and
    /// every error) through the full reading.
    fn plain_string_map(&self, name: &str) -> Option<BTreeMap<String, Fact<String>>> {
        if self.unknown.get(name).is_some_and(raw_any_unknown) {
            return None;
        }
        let members = self.values.get(name)?.members()?;
        members
            .into_iter()
            .map(|(key, value)| Some((key.into_owned(), plain_fact(value)?)))
            .collect()
    }

    /// The string members `keys` of each block of a list of blocks, read without splitting
    /// every block into [`Fields`]: a parameter group holds dozens of blocks and its subject
    /// needs two members of each. Only for a known list whose mask marks nothing unknown and
    /// whose wanted members are plain strings or null (absent); `None` sends every other case,
    /// and every error, through [`Self::blocks`].
    pub fn string_blocks<const N: usize>(
        &self,
        name: &str,
        keys: [&str; N],
    ) -> Option<Vec<[Fact<String>; N]>> {
        if self.unknown.get(name).is_some_and(raw_any_unknown) {
            return None;
        }
        let raw = self.values.get(name)?;
        let mut reader = serde_json::Deserializer::from_str(raw.get());
        let blocks = PickBlocks(&keys).deserialize(&mut reader).ok()?;
        reader.end().ok()?;
        Some(blocks)
    }

    /// A nested object (a single nested block or object attribute).
    pub fn object(&self, name: &'a str) -> Result<Fact<Attrs<'a>>, InputError> {
        match self.container(name) {
            Fact::Known(raw) if raw.get().starts_with('{') => Ok(Fact::Known(self.child(
                name,
                raw,
                self.unknown.get(name),
                None,
            ))),
            // Some providers write a single block as a one-element list.
            Fact::Known(raw) if raw.get().starts_with('[') => {
                let items = self.items(name, raw)?;
                match items.as_slice() {
                    [] => Ok(Fact::Absent),
                    [item] => {
                        let mask = self.item_masks(name).first().copied();
                        Ok(Fact::Known(self.child(name, *item, mask, Some(0))))
                    }
                    _ => Err(self.error(name, "an object", "an array of several")),
                }
            }
            Fact::Known(other) => Err(self.error(name, "an object", other.kind())),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    /// A list or set of nested blocks.
    pub fn blocks(&self, name: &'a str) -> Result<Fact<Vec<Attrs<'a>>>, InputError> {
        match self.container(name) {
            Fact::Known(raw) if raw.get().starts_with('[') => {
                let masks = self.item_masks(name);
                Ok(Fact::Known(
                    self.items(name, raw)?
                        .into_iter()
                        .enumerate()
                        .map(|(i, item)| self.child(name, item, masks.get(i).copied(), Some(i)))
                        .collect(),
                ))
            }
            Fact::Known(other) => Err(self.error(name, "an array of blocks", other.kind())),
            Fact::Unknown => Ok(Fact::Unknown),
            Fact::Absent => Ok(Fact::Absent),
        }
    }

    fn items(&self, name: &str, raw: Raw<'a>) -> Result<Vec<Raw<'a>>, InputError> {
        raw.items()
            .ok_or_else(|| self.error(name, "an array", raw.kind()))
    }

    /// The masks of the items of a list attribute, read once for all its blocks; none when
    /// the mask is not a list.
    fn item_masks(&self, name: &str) -> Vec<Raw<'a>> {
        match self.unknown.get(name) {
            Some(raw) => raw.items().unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn child(
        &self,
        name: &'a str,
        value: Raw<'a>,
        mask: Option<Raw<'a>>,
        index: Option<usize>,
    ) -> Attrs<'a> {
        Attrs {
            file: self.file,
            // A block that is not an object has no attributes to read.
            values: Cow::Owned(Fields::lenient(Some(value))),
            unknown: Cow::Owned(Fields::lenient(mask)),
            path: self.path(),
            step: Some((name, index)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).expect("valid JSON")
    }

    #[test]
    fn fast_readings_agree_with_the_full_ones_or_defer_to_them() {
        let values = raw(
            r#"{"p": [{"name": "a", "value": "1", "x": [1]}, {"name": null, "value": "2"}],
                "q": [{"name": "a\u0041", "value": "1"}], "r": [{"name": "a", "value": 1}],
                "s": [{"name": "a", "value": "1"}], "n": 14, "big": 4294967296, "f": 1.5,
                "t": "x\ty", "l": ["a", "b"], "m": {"k": "v", "z": null}}"#,
        );
        let mask = raw(r#"{"s": [{"value": true}]}"#);
        let (values, mask) = (
            Fields::of(&values).expect("v"),
            Fields::of(&mask).expect("m"),
        );
        let a = Attrs::new("plan.json", &values, &mask, "values");
        assert_eq!(
            a.string_blocks("p", ["name", "value"]),
            Some(vec![
                [Fact::Known("a".into()), Fact::Known("1".into())],
                [Fact::Absent, Fact::Known("2".into())],
            ])
        );
        // Escapes, other types and unknown parts go through the full reading.
        assert_eq!(a.string_blocks("q", ["name", "value"]), None);
        assert_eq!(a.string_blocks("r", ["name", "value"]), None);
        assert_eq!(a.string_blocks("s", ["name", "value"]), None);
        assert_eq!(a.u32("n", None).expect("n"), Fact::Known(14));
        assert!(a.u32("big", None).is_err());
        assert!(a.u32("f", None).is_err());
        assert_eq!(a.string("t").expect("t"), Fact::Known("x\ty".into()));
        assert_eq!(
            a.strings("l").expect("l"),
            Fact::Known(vec!["a".into(), "b".into()])
        );
        let Fact::Known(map) = a.string_map("m").expect("m") else {
            panic!("the map is known");
        };
        assert_eq!(map.get("k"), Some(&Fact::Known("v".into())));
        assert_eq!(map.get("z"), Some(&Fact::Absent));
    }

    #[test]
    fn unknown_parts_of_blocks_stay_with_the_parts() {
        let values = raw(r#"{"rule": [{"name": "a", "days": 7}, {"name": "b"}], "one": {"x": 1}}"#);
        let mask = raw(r#"{"rule": [{}, {"days": true}], "one": {"y": true}, "gone": true}"#);
        let (values, mask) = (
            Fields::of(&values).expect("v"),
            Fields::of(&mask).expect("m"),
        );
        let a = Attrs::new("plan.json", &values, &mask, "values");
        let Fact::Known(rules) = a.blocks("rule").expect("blocks") else {
            panic!("the list is known");
        };
        assert_eq!(rules[0].u32("days", None).expect("days"), Fact::Known(7));
        assert_eq!(rules[1].u32("days", None).expect("days"), Fact::Unknown);
        assert_eq!(
            rules[1].string("name").expect("name"),
            Fact::Known("b".into())
        );
        let Fact::Known(one) = a.object("one").expect("object") else {
            panic!("the object is known");
        };
        assert_eq!(one.u32("x", None).expect("x"), Fact::Known(1));
        assert_eq!(one.string("y").expect("y"), Fact::Unknown);
        // Unknown as a whole: absent from the values, `true` in the mask.
        assert!(a.blocks("gone").expect("gone").is_unknown());
        assert!(a.object("gone").expect("gone").is_unknown());
        // A wrong type names the child's path.
        let error = rules[0].string("days").expect_err("a number");
        assert!(error.to_string().contains("values.rule[0].days"), "{error}");
    }
}
