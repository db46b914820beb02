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
#[derive(Clone, Default)]
pub struct Fields<'a> {
    /// Sorted by name (stable, so among repeated names the last one wins, as in a parsed
    /// object), each with its [`prefix`].
    members: Members<'a>,
}

/// A member as the reader found it: its name's [`prefix`], its name and its value's text.
pub(crate) type Member<'a> = (u64, Cow<'a, str>, Raw<'a>);

/// The sorted members, in one of two forms.
#[derive(Clone)]
enum Members<'a> {
    /// Names as spans of the text they were read from: 32 bytes a member instead of 48. A plan
    /// of a thousand databases has over a hundred thousand members, and writing fresh memory is
    /// a large part of what a check costs. A name is read from the text only when its prefix
    /// ties with the one looked up.
    Spans {
        text: &'a str,
        list: Vec<Spanned<'a>>,
    },
    /// Any list with a name that is not in the text (one with escapes, decoded), or read by
    /// serde, which does not say where its text lies.
    Loose(Vec<Member<'a>>),
}

impl Default for Members<'_> {
    fn default() -> Self {
        Members::Loose(Vec::new())
    }
}

/// A member whose name is a span of a text.
#[derive(Debug, Clone, Copy)]
struct Spanned<'a> {
    prefix: u64,
    name: Span,
    value: Raw<'a>,
}

/// Where a part of a text lies in it; texts of 4 GiB and more keep their members loose.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// Where `part`, a slice of `text`, lies in it; `None` if it is not a slice of `text`.
    fn of(text: &str, part: &str) -> Option<Span> {
        let start = part.as_ptr().addr().checked_sub(text.as_ptr().addr())?;
        let end = start.checked_add(part.len())?;
        (end <= text.len()).then_some(Span {
            start: u32::try_from(start).ok()?,
            len: u32::try_from(part.len()).ok()?,
        })
    }

    /// The part of `text` this span covers.
    fn in_text(self, text: &str) -> &str {
        let start = self.start as usize;
        text.get(start..start + self.len as usize)
            .unwrap_or_default()
    }
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
        let mut gatherer = Gatherer::new(raw.get());
        for (name, value) in members {
            gatherer.push(name, value);
        }
        Ok(gatherer.finish())
    }

    /// [`Fields::split`], with anything but an object read as no members.
    pub fn lenient(raw: Option<Raw<'a>>) -> Self {
        raw.and_then(|raw| Self::split(raw).ok())
            .unwrap_or_default()
    }

    /// The raw text of member `name`.
    pub fn get(&self, name: &str) -> Option<Raw<'a>> {
        match &self.members {
            Members::Spans { text, list } => {
                let at = last_named(
                    list.len(),
                    name,
                    |at| list.get(at).map_or(0, |m| m.prefix),
                    |at| list.get(at).map_or("", |m| m.name.in_text(text)),
                )?;
                Some(list.get(at)?.value)
            }
            Members::Loose(list) => {
                let at = last_named(
                    list.len(),
                    name,
                    |at| list.get(at).map_or(0, |m| m.0),
                    |at| list.get(at).map_or("", |m| m.1.as_ref()),
                )?;
                list.get(at).map(|m| m.2)
            }
        }
    }

    /// Reads each member's name and the start of its value once, in order. The rules read a
    /// resource's attributes long after the parser wrote them, one lookup at a time, each
    /// waiting on memory; reading them together first lets the processor fetch many at once,
    /// and the lookups that follow find them in cache.
    pub fn preload(&self) {
        let first = |text: &str| u64::from(text.as_bytes().first().copied().unwrap_or(0));
        let sum = match &self.members {
            // The prefixes in the list stand for the names.
            Members::Spans { list, .. } => list
                .iter()
                .fold(0, |sum, m| sum ^ m.prefix ^ first(m.value.get())),
            Members::Loose(list) => list.iter().fold(0, |sum, (prefix, name, raw)| {
                sum ^ prefix ^ first(name) ^ first(raw.get())
            }),
        };
        std::hint::black_box(sum);
    }

    /// The number of distinct members.
    pub fn len(&self) -> usize {
        match &self.members {
            Members::Spans { list, .. } => list.len(),
            Members::Loose(list) => list.len(),
        }
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The members by name, whichever form holds them.
impl fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.members {
            Members::Spans { text, list } => f
                .debug_map()
                .entries(list.iter().map(|m| (m.name.in_text(text), m.value.get())))
                .finish(),
            Members::Loose(list) => f
                .debug_map()
                .entries(list.iter().map(|(_, name, raw)| (name.as_ref(), raw.get())))
                .finish(),
        }
    }
}

/// Gathers the members of one object after another, as a reader finds them in `text`: the
/// lists are reused from object to object, and each object's members are then stored in a list
/// of their exact number (growing a list from small would copy it several times and leave it
/// up to half empty).
pub(crate) struct Gatherer<'a> {
    text: &'a str,
    /// The members so far, while each name and value is a slice of `text`.
    spans: Vec<Spanned<'a>>,
    /// The members so far, once one is not.
    loose: Vec<Member<'a>>,
}

impl<'a> Gatherer<'a> {
    /// A gatherer of members read from `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Gatherer {
            text,
            spans: Vec::new(),
            loose: Vec::new(),
        }
    }

    /// The next member of the object being read.
    pub(crate) fn push(&mut self, name: Cow<'a, str>, value: Raw<'a>) {
        if self.loose.is_empty() {
            let text = self.text;
            if let Some(at) = Span::of(text, &name) {
                self.spans.push(Spanned {
                    prefix: prefix(&name),
                    name: at,
                    value,
                });
                return;
            }
            // A decoded name: this object's members are kept loose.
            self.loose.extend(self.spans.drain(..).map(|m| {
                let name = m.name.in_text(text);
                (m.prefix, Cow::Borrowed(name), m.value)
            }));
        }
        self.loose.push((prefix(&name), name, value));
    }

    /// The object's members; the gatherer is ready for the next object.
    pub(crate) fn finish(&mut self) -> Fields<'a> {
        let text = self.text;
        let members = if self.loose.is_empty() {
            let order = |a: &Spanned<'_>, b: &Spanned<'_>| {
                a.prefix
                    .cmp(&b.prefix)
                    .then_with(|| a.name.in_text(text).cmp(b.name.in_text(text)))
            };
            // Terraform writes members sorted; anything else is sorted here once.
            if !self.spans.is_sorted_by(|a, b| order(a, b).is_le()) {
                self.spans.sort_by(order);
            }
            let list = self.spans.to_vec();
            self.spans.clear();
            Members::Spans { text, list }
        } else {
            sort(&mut self.loose);
            Members::Loose(self.loose.drain(..).collect())
        };
        Fields { members }
    }
}

/// Sorts members by name unless they are sorted already, as Terraform writes them; stable, so
/// among repeated names the last one stays last.
fn sort(members: &mut [Member<'_>]) {
    if !members.is_sorted_by(|a, b| (a.0, &a.1) <= (b.0, &b.1)) {
        members.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    }
}

/// The position of the last member named `name` among `len` sorted members, whose prefixes and
/// names `prefix_at` and `name_at` give by position. Prefixes order names as the names do, so
/// a name is read only where prefixes tie: reading one means reading the input again.
fn last_named<'t>(
    len: usize,
    name: &str,
    prefix_at: impl Fn(usize) -> u64,
    name_at: impl Fn(usize) -> &'t str,
) -> Option<usize> {
    let wanted = prefix(name);
    // The first position whose member sorts after `name` (as `partition_point` finds it).
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        let p = prefix_at(middle);
        if p < wanted || (p == wanted && name_at(middle) <= name) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    let last = low.checked_sub(1)?;
    (name_at(last) == name).then_some(last)
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
        let mut members: Vec<Member<'de>> = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(Text(key)) = map.next_key()? {
            let value: &'de RawValue = map.next_value()?;
            members.push((prefix(&key), key, Raw::from(value)));
        }
        sort(&mut members);
        Ok(Fields {
            members: Members::Loose(members),
        })
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
    fn spans_and_loose_members_read_alike() {
        let text = r#"{"port": 5432, "engine": "aurora-postgresql", "port": 3306,
            "performance_insights_enabled": true, "performance": null, "a": [1]}"#;
        let value = raw(text);
        let spans = Fields::of(&value).expect("object");
        let loose: Fields<'_> = serde_json::from_str(text).expect("object");
        assert!(matches!(spans.members, Members::Spans { .. }));
        assert!(matches!(loose.members, Members::Loose(_)));
        assert_eq!(format!("{spans:?}"), format!("{loose:?}"));
        assert_eq!(spans.len(), loose.len());
        for name in [
            "port",
            "engine",
            "performance",
            "performance_insights_enabled",
            "a",
            "b",
        ] {
            assert_eq!(spans.get(name), loose.get(name), "{name}");
        }
        assert_eq!(spans.get("port").map(Raw::get), Some("3306"));
    }

    proptest::proptest! {
        /// Every form finds what a parsed object holds, the last value of a repeated name
        /// included: spans split from a value, serde's loose list, and a reused gatherer fed
        /// by the document reader.
        #[test]
        fn every_form_reads_as_a_parsed_object(
            names in proptest::collection::vec(proptest::sample::select(&NAMES[..]), 0..12),
            wanted in proptest::collection::vec(proptest::sample::select(&NAMES[..]), 1..6),
        ) {
            let names = names.iter().map(|(written, _)| written);
            // "zz" was the previous object's, in the reused gatherer.
            let wanted: Vec<&str> = wanted.iter().map(|(_, name)| *name).chain(["zz"]).collect();
            let members: Vec<String> =
                names.enumerate().map(|(i, name)| format!(r#""{name}": {i}"#)).collect();
            let text = format!("{{{}}}", members.join(", "));
            let parsed: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).expect("an object");
            let value = raw(&text);
            let spans = Fields::of(&value).expect("an object");
            let loose: Fields<'_> = serde_json::from_str(&text).expect("an object");
            let quotes = crate::json::Quotes::find(text.as_bytes()).expect("strings");
            let mut cursor = crate::json::Cursor::new(&text, &quotes);
            let mut gatherer = Gatherer::new(&text);
            gatherer.push(Cow::Borrowed("zz"), Raw::checked("0"));
            let _ = gatherer.finish();
            cursor
                .object(|c, name| {
                    gatherer.push(name, c.raw()?);
                    Some(())
                })
                .expect("an object");
            let gathered = gatherer.finish();
            for fields in [&spans, &loose, &gathered] {
                proptest::prop_assert_eq!(format!("{fields:?}"), format!("{loose:?}"));
                for name in &wanted {
                    let found = fields.get(name).map(|raw| raw.get().to_owned());
                    let want = parsed.get(*name).map(ToString::to_string);
                    proptest::prop_assert_eq!(found, want, "{} in {}", name, text);
                }
            }
        }
    }

    /// Names as written in the objects of `every_form_reads_as_a_parsed_object`, and as
    /// decoded: prefixes that tie, escapes, and NUL bytes.
    const NAMES: [(&str, &str); 12] = [
        ("a", "a"),
        ("ab", "ab"),
        ("abcdefgh", "abcdefgh"),
        ("abcdefghi", "abcdefghi"),
        ("abcdefgi", "abcdefgi"),
        ("", ""),
        ("b", "b"),
        ("a\\u0062", "ab"),
        ("port", "port"),
        ("performance", "performance"),
        ("\\u0000", "\0"),
        ("ab\\u0000", "ab\0"),
    ];

    #[test]
    fn escaped_names_are_decoded() {
        let value = raw(r#"{"a\u0062": true, "c": 1}"#);
        let fields = Fields::of(&value).expect("object");
        assert!(matches!(fields.members, Members::Loose(_)));
        assert_eq!(fields.get("ab").map(Raw::get), Some("true"));
        assert_eq!(fields.get("c").map(Raw::get), Some("1"));
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
