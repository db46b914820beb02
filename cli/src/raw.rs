//! Raw JSON text already checked by the parser, and how to walk it without parsing it again.
//!
//! The document pass validates the whole plan once. What it keeps of a resource (its values,
//! its `after_unknown` mask) is the text of one JSON value, and the rules later need that value's
//! members or items, then each member's own text. Handing those back to a JSON parser would
//! check every byte a second time and cost more than the first pass did, so this module splits
//! text that is known to be valid by finding only where each member or item starts and ends.
//!
//! A [`Raw`] can only be made from a [`RawValue`] (which the parser has validated), by the
//! document reader from text it has validated, or by splitting another `Raw`, so the text it
//! holds is always one complete JSON value. The walkers
//! still never index out of bounds or panic: text that does not have the expected shape ends
//! the walk with `None`.

use std::borrow::Cow;

use serde_json::value::RawValue;

/// The text of one valid JSON value, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw<'a>(&'a str);

impl<'a> From<&'a RawValue> for Raw<'a> {
    fn from(raw: &'a RawValue) -> Self {
        Raw(raw.get())
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Raw<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(deserializer).map(Raw::from)
    }
}

impl<'a> Raw<'a> {
    /// Text that the document reader has checked to be exactly one JSON value.
    pub(crate) fn checked(text: &'a str) -> Self {
        Raw(text)
    }

    /// The JSON text.
    pub fn get(self) -> &'a str {
        self.0
    }

    /// What kind of JSON value this is, as error messages name it.
    pub fn kind(self) -> &'static str {
        match self.0.as_bytes().first() {
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            Some(b'"') => "a string",
            Some(b'[') => "an array",
            Some(b'{') => "an object",
            _ => "a number",
        }
    }

    /// Whether this is JSON `null`.
    pub fn is_null(self) -> bool {
        self.0 == "null"
    }

    /// The members of an object, in order, each name decoded; `None` if this is not an object.
    pub fn members(self) -> Option<Vec<(Cow<'a, str>, Raw<'a>)>> {
        let bytes = self.0.as_bytes();
        if bytes.first() != Some(&b'{') {
            return None;
        }
        let mut members = Vec::with_capacity(16);
        let mut at = skip_space(bytes, 1);
        if bytes.get(at) == Some(&b'}') {
            return Some(members);
        }
        loop {
            let (key_end, escaped) = string_end(bytes, at)?;
            let name = if escaped {
                Cow::Owned(serde_json::from_str::<String>(self.0.get(at..key_end)?).ok()?)
            } else {
                Cow::Borrowed(self.0.get(at + 1..key_end - 1)?)
            };
            at = skip_space(bytes, key_end);
            if bytes.get(at) != Some(&b':') {
                return None;
            }
            let start = skip_space(bytes, at + 1);
            let end = value_end(bytes, start)?;
            members.push((name, Raw(self.0.get(start..end)?)));
            at = skip_space(bytes, end);
            match bytes.get(at) {
                Some(b',') => at = skip_space(bytes, at + 1),
                Some(b'}') => return Some(members),
                _ => return None,
            }
        }
    }

    /// The items of an array, in order; `None` if this is not an array.
    pub fn items(self) -> Option<Vec<Raw<'a>>> {
        let bytes = self.0.as_bytes();
        if bytes.first() != Some(&b'[') {
            return None;
        }
        let mut items = Vec::new();
        let mut at = skip_space(bytes, 1);
        if bytes.get(at) == Some(&b']') {
            return Some(items);
        }
        loop {
            let end = value_end(bytes, at)?;
            items.push(Raw(self.0.get(at..end)?));
            at = skip_space(bytes, end);
            match bytes.get(at) {
                Some(b',') => at = skip_space(bytes, at + 1),
                Some(b']') => return Some(items),
                _ => return None,
            }
        }
    }
}

fn skip_space(bytes: &[u8], at: usize) -> usize {
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest
        .iter()
        .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        .unwrap_or(rest.len())
}

/// The position just past the string starting at `at` (which must be a quote), and whether
/// the string has escapes.
fn string_end(bytes: &[u8], at: usize) -> Option<(usize, bool)> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    let mut escaped = false;
    loop {
        i += memchr::memchr2(b'"', b'\\', bytes.get(i..)?)?;
        if bytes.get(i) == Some(&b'"') {
            return Some((i + 1, escaped));
        }
        escaped = true;
        i += 2;
    }
}

/// Bytes that end a run of bytes a container walk passes over: quotes and brackets.
const STRUCTURAL: [bool; 256] = table(b"\"{}[]");
/// Bytes that end a number, `true`, `false` or `null`.
const DELIMITER: [bool; 256] = table(b",}] \n\r\t");

const fn table(members: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < members.len() {
        table[members[i] as usize] = true;
        i += 1;
    }
    table
}

/// The position just past the value starting at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at).map(|(end, _)| end),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                i += bytes
                    .get(i..)?
                    .iter()
                    .position(|b| STRUCTURAL[usize::from(*b)])?;
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?.0;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    _ => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                }
                i += 1;
            }
        }
        _ => {
            let rest = bytes.get(at..)?;
            let length = rest
                .iter()
                .position(|b| DELIMITER[usize::from(*b)])
                .unwrap_or(rest.len());
            (length > 0).then_some(at + length)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).expect("valid JSON")
    }

    fn texts(members: &[(Cow<'_, str>, Raw<'_>)]) -> Vec<(String, String)> {
        members
            .iter()
            .map(|(k, v)| (k.to_string(), v.get().to_owned()))
            .collect()
    }

    #[test]
    fn members_keep_each_value_text_whole() {
        let value = parsed(
            r#" { "a" : "x,}]\"" , "b":[1,{"c":"]"}],"d" :{ "e": [ ] },"f":-1.5e3,"g":null,"h":true } "#
                .trim(),
        );
        let members = Raw::from(&*value).members().expect("object");
        assert_eq!(
            texts(&members),
            [
                ("a", r#""x,}]\"""#),
                ("b", r#"[1,{"c":"]"}]"#),
                ("d", r#"{ "e": [ ] }"#),
                ("f", "-1.5e3"),
                ("g", "null"),
                ("h", "true"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn escaped_names_are_decoded_and_plain_ones_borrowed() {
        let value = parsed(r#"{"a\u0062\"": 1, "plain": 2}"#);
        let members = Raw::from(&*value).members().expect("object");
        assert_eq!(members[0].0, "ab\"");
        assert!(matches!(members[0].0, Cow::Owned(_)));
        assert!(matches!(members[1].0, Cow::Borrowed("plain")));
    }

    #[test]
    fn items_of_arrays_and_empty_containers() {
        let value = parsed(r#"[ {"a": [1, 2]}, "s", 3 , [] , {} ]"#);
        let items: Vec<&str> = Raw::from(&*value)
            .items()
            .expect("array")
            .into_iter()
            .map(Raw::get)
            .collect();
        assert_eq!(items, [r#"{"a": [1, 2]}"#, r#""s""#, "3", "[]", "{}"]);
        assert_eq!(Raw::from(&*parsed("[]")).items(), Some(Vec::new()));
        assert_eq!(Raw::from(&*parsed("{ }")).members(), Some(Vec::new()));
    }

    #[test]
    fn the_wrong_kind_of_value_has_no_members_or_items() {
        for text in ["null", "1", "\"{\"", "true"] {
            let value = parsed(text);
            assert_eq!(Raw::from(&*value).members(), None, "{text}");
            assert_eq!(Raw::from(&*value).items(), None, "{text}");
        }
        assert_eq!(Raw::from(&*parsed("[1]")).members(), None);
        assert_eq!(Raw::from(&*parsed("{}")).items(), None);
    }

    #[test]
    fn walking_agrees_with_the_parser_on_generated_documents() {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            // Fractions that print and read back exactly: the parser's own float rounding is not
            // what this test is about.
            (-1_000_000i32..1_000_000).prop_map(|n| serde_json::Value::from(f64::from(n) / 64.0)),
            ".*".prop_map(serde_json::Value::String),
        ];
        let tree = leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(".*", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        });
        proptest!(|(value in tree, pretty in any::<bool>())| {
            let text = if pretty {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            }
            .expect("serialisable");
            let raw = parsed(&text);
            let raw = Raw::from(&*raw);
            match &value {
                serde_json::Value::Object(map) => {
                    let members = raw.members().expect("object");
                    prop_assert_eq!(members.len(), map.len());
                    for (name, member) in members {
                        let reparsed: serde_json::Value =
                            serde_json::from_str(member.get()).expect("member text is JSON");
                        prop_assert_eq!(Some(&reparsed), map.get(name.as_ref()));
                    }
                }
                serde_json::Value::Array(list) => {
                    let items = raw.items().expect("array");
                    prop_assert_eq!(items.len(), list.len());
                    for (item, want) in items.into_iter().zip(list) {
                        let reparsed: serde_json::Value =
                            serde_json::from_str(item.get()).expect("item text is JSON");
                        prop_assert_eq!(&reparsed, want);
                    }
                }
                _ => {
                    prop_assert!(raw.members().is_none());
                    prop_assert!(raw.items().is_none());
                }
            }
        });
    }
}
