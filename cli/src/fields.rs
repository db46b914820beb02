//! One JSON object's members, left unparsed until a rule asks for one.
//!
//! A plan of a thousand databases holds megabytes of attribute values, of which the rules read
//! a few dozen per resource. Building a tree of every value cost most of a check's time and
//! memory, so a resource's `values` (and its `after_unknown` mask) are split once into member
//! names and the raw text of each member, borrowed from the input; an attribute is parsed only
//! when it is read, and only that attribute. Splitting walks text the parser has already
//! checked ([`Raw`]) instead of parsing it again.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::raw::Raw;

/// The members of one JSON object, by name, each as raw JSON text.
#[derive(Debug, Clone, Default)]
pub struct Fields<'a> {
    /// Sorted by name (stable, so among repeated names the last one wins, as in a parsed
    /// object), each with its [`prefix`].
    members: Vec<(u64, Cow<'a, str>, Raw<'a>)>,
}

/// A name's first eight bytes, big-endian and zero-padded. Ordering by prefix, then by the
/// whole name, is the names' own order; a lookup compares whole names only on a tie, which
/// keeps byte-by-byte comparison out of almost every step of the search.
pub(crate) fn prefix(name: &str) -> u64 {
    if let Some(first) = name.as_bytes().first_chunk::<8>() {
        return u64::from_be_bytes(*first);
    }
    let mut bytes = [0u8; 8];
    for (to, from) in bytes.iter_mut().zip(name.bytes()) {
        *to = from;
    }
    u64::from_be_bytes(bytes)
}

impl<'a> Fields<'a> {
    /// The members of `raw` when it is an object, no members when it is `null`, and `Err` with
    /// the kind of value found otherwise.
    pub fn of(raw: &'a RawValue) -> Result<Self, &'static str> {
        Self::split(Raw::from(raw))
    }

    /// [`Fields::of`] for text already split from a checked value.
    pub fn split(raw: Raw<'a>) -> Result<Self, &'static str> {
        if raw.is_null() {
            return Ok(Self::default());
        }
        let Some(members) = raw.members() else {
            return Err(raw.kind());
        };
        Ok(Self::sorted(
            members
                .into_iter()
                .map(|(name, value)| (prefix(&name), name, value))
                .collect(),
        ))
    }

    /// The members an object's reader found, in document order, each with its [`prefix`].
    pub(crate) fn sorted(mut members: Vec<(u64, Cow<'a, str>, Raw<'a>)>) -> Self {
        // Terraform writes members sorted; anything else is sorted here once.
        if !members.is_sorted_by(|a, b| (a.0, &a.1) <= (b.0, &b.1)) {
            members.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        }
        Fields { members }
    }

    /// [`Fields::split`], with anything but an object read as no members.
    pub fn lenient(raw: Option<Raw<'a>>) -> Self {
        raw.and_then(|raw| Self::split(raw).ok())
            .unwrap_or_default()
    }

    /// The raw text of member `name`.
    pub fn get(&self, name: &str) -> Option<Raw<'a>> {
        let wanted = prefix(name);
        let end = self
            .members
            .partition_point(|(p, key, _)| *p < wanted || (*p == wanted && key.as_ref() <= name));
        match end.checked_sub(1).and_then(|last| self.members.get(last)) {
            Some((_, key, raw)) if key == name => Some(*raw),
            _ => None,
        }
    }

    /// Reads each member's name and the start of its value once, in order. The rules read a
    /// resource's attributes long after the parser wrote them, one lookup at a time, each
    /// waiting on memory; reading them together first lets the processor fetch many at once,
    /// and the lookups that follow find them in cache.
    pub fn preload(&self) {
        let first = |text: &str| u64::from(text.as_bytes().first().copied().unwrap_or(0));
        let sum = self.members.iter().fold(0, |sum, (prefix, name, raw)| {
            sum ^ prefix ^ first(name) ^ first(raw.get())
        });
        std::hint::black_box(sum);
    }

    /// The number of distinct members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut members: Vec<(u64, Cow<'de, str>, Raw<'de>)> =
            Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(Text(key)) = map.next_key()? {
            let value: &'de RawValue = map.next_value()?;
            members.push((prefix(&key), key, Raw::from(value)));
        }
        Ok(Fields::sorted(members))
    }
}

/// An object's members, or what was found instead of an object, read in one pass so that a
/// caller can word its own error.
pub enum ObjectOr<'a> {
    /// An object (or `null`: no members).
    Object(Fields<'a>),
    /// Not an object: the kind of value found, as [`kind_of`] names it.
    Not(&'static str),
}

impl<'de: 'a, 'a> Deserialize<'de> for ObjectOr<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectOrVisitor)
    }
}

struct ObjectOrVisitor;

impl<'de> Visitor<'de> for ObjectOrVisitor {
    type Value = ObjectOr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        FieldsVisitor.visit_map(map).map(ObjectOr::Object)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(ObjectOr::Object(Fields::default()))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ObjectOr::Not("an array"))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ObjectOr::Not("a boolean"))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Not("a number"))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Not("a number"))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Not("a number"))
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ObjectOr::Not("a string"))
    }
}

/// A string (a member name or value), borrowed from the input unless it has escapes.
pub struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).expect("valid JSON")
    }

    #[test]
    fn members_are_found_by_name_and_left_unparsed() {
        let value = raw(r#"{"b": [1, {"x": 2}], "a": "s", "c": null}"#);
        let fields = Fields::of(&value).expect("object");
        assert_eq!(fields.len(), 3);
        assert_eq!(fields.get("a").map(Raw::get), Some(r#""s""#));
        assert_eq!(fields.get("b").map(Raw::get), Some(r#"[1, {"x": 2}]"#));
        assert!(fields.get("c").is_some_and(Raw::is_null));
        assert!(fields.get("d").is_none());
        assert!(fields.get("").is_none());
    }

    #[test]
    fn a_repeated_name_reads_as_its_last_value() {
        let value = raw(r#"{"a": 1, "b": 2, "a": 3}"#);
        let fields = Fields::of(&value).expect("object");
        assert_eq!(fields.get("a").map(Raw::get), Some("3"));
        assert_eq!(fields.get("b").map(Raw::get), Some("2"));
    }

    #[test]
    fn names_sharing_a_prefix_or_unsorted_are_told_apart() {
        let value = raw(
            r#"{"performance_insights_kms_key_id": 2, "performance_insights_enabled": 1,
                "perf": 0, "a": 5, "performance": 3, "performance\u0000": 4}"#,
        );
        let fields = Fields::of(&value).expect("object");
        for (name, want) in [
            ("performance_insights_enabled", "1"),
            ("performance_insights_kms_key_id", "2"),
            ("perf", "0"),
            ("performance", "3"),
            ("performance\0", "4"),
            ("a", "5"),
        ] {
            assert_eq!(fields.get(name).map(Raw::get), Some(want), "{name}");
        }
        assert!(fields.get("performance_insights").is_none());
        assert!(fields.get("per").is_none());
    }

    #[test]
    fn prefixes_order_names_as_the_names_order() {
        let names = [
            "",
            "a",
            "ab",
            "ab\0",
            "abcdefgh",
            "abcdefghi",
            "abcdefgi",
            "b",
            "\u{7f}",
        ];
        for x in names {
            for y in names {
                let by_prefix = (prefix(x), x).cmp(&(prefix(y), y));
                assert_eq!(by_prefix, x.cmp(y), "{x:?} vs {y:?}");
            }
        }
    }

    #[test]
    fn a_value_that_is_not_an_object_is_named_in_the_same_pass() {
        for (text, found) in [
            ("[1, [2]]", Some("an array")),
            ("\"s\"", Some("a string")),
            ("-1", Some("a number")),
            ("1.5", Some("a number")),
            ("true", Some("a boolean")),
            ("null", None),
            ("{\"a\": 1}", None),
        ] {
            match serde_json::from_str::<ObjectOr<'_>>(text).expect("valid JSON") {
                ObjectOr::Not(kind) => assert_eq!(Some(kind), found, "{text}"),
                ObjectOr::Object(fields) => {
                    assert_eq!(found, None, "{text}");
                    assert_eq!(fields.len(), usize::from(text.starts_with('{')));
                }
            }
        }
    }

    #[test]
    fn escaped_names_are_decoded() {
        let value = raw(r#"{"a\u0062": true}"#);
        let fields = Fields::of(&value).expect("object");
        assert_eq!(fields.get("ab").map(Raw::get), Some("true"));
    }

    #[test]
    fn only_objects_and_null_have_members() {
        assert!(Fields::of(&raw("null")).expect("null").is_empty());
        assert_eq!(Fields::of(&raw("[1]")).err(), Some("an array"));
        assert_eq!(Fields::of(&raw("\"x\"")).err(), Some("a string"));
        assert_eq!(Fields::of(&raw("7")).err(), Some("a number"));
        assert_eq!(Fields::of(&raw("false")).err(), Some("a boolean"));
        assert!(Fields::lenient(Some(Raw::from(&*raw("true")))).is_empty());
        assert!(Fields::lenient(None).is_empty());
    }
}
