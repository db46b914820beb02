//! A reader that walks a JSON document once, checking it as it goes.
//!
//! The plan reader knows the shape it wants (a few members at each level) and skips the rest, so
//! it needs a pull reader rather than a tree: open an object, look at each member's name, read
//! or skip its value. Skipping still checks every byte, because a plan that is not JSON must be
//! refused however little of it the rules read. Strings are crossed in one jump using the quote
//! positions found beforehand ([`Quotes`]), which also checked their contents; every byte
//! outside strings is checked here against JSON's grammar, the same grammar serde_json accepts.
//!
//! Any method returns `None` as soon as the text is not what was asked for. The cursor does not
//! say why: the caller reads the document again with serde_json, which does.

use std::borrow::Cow;

use super::quotes::Quotes;
use crate::raw::Raw;

/// A position in a document whose strings have been located.
pub(crate) struct Cursor<'a, 'q> {
    text: &'a str,
    quotes: &'q Quotes,
    at: usize,
    /// Open containers while skipping a value: `true` for an object.
    open: Vec<bool>,
}

impl<'a, 'q> Cursor<'a, 'q> {
    /// A cursor at the start of `text`, whose strings are `quotes`.
    pub(crate) fn new(text: &'a str, quotes: &'q Quotes) -> Self {
        Cursor {
            text,
            quotes,
            at: 0,
            open: Vec::new(),
        }
    }

    /// Another cursor on the same text, at byte `at`.
    pub(crate) fn elsewhere(&self, at: usize) -> Self {
        Cursor {
            at,
            ..Cursor::new(self.text, self.quotes)
        }
    }

    /// The whole text the cursor walks.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// The byte the cursor is at.
    pub(crate) fn position(&self) -> usize {
        self.at
    }

    /// Moves past the next value and gives its bounds. An object or an array is crossed by
    /// counting brackets, without checking what is inside; whoever reads it later checks it,
    /// and must stop exactly at its end. Any other value is checked here.
    pub(crate) fn locate(&mut self) -> Option<(usize, usize)> {
        let start = match self.next_byte()? {
            b'{' | b'[' => {
                let start = self.at;
                self.at = self.quotes.container_end(self.text.as_bytes(), start)?;
                start
            }
            _ => {
                let start = self.at;
                self.skip()?;
                start
            }
        };
        Some((start, self.at))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// The first byte of the next value, after whitespace; nothing is consumed.
    pub(crate) fn next_byte(&mut self) -> Option<u8> {
        self.space();
        self.peek()
    }

    /// Consumes `byte` after whitespace.
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next_byte()? == byte).then(|| self.at += 1)
    }

    /// Moves past the string whose opening quote is at the cursor; its contents were checked
    /// when the quotes were found.
    fn cross_string(&mut self) -> Option<()> {
        self.at = self.quotes.next_after(self.at)? + 1;
        Some(())
    }

    /// A string value, decoded; borrowed from the text unless it has escapes.
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.next_byte()? != b'"' {
            return None;
        }
        let start = self.at;
        self.cross_string()?;
        let whole = self.text.get(start..self.at)?;
        let inner = whole.get(1..whole.len() - 1)?;
        if self.quotes.may_have_backslash(start + 1, self.at - 1)
            && memchr::memchr(b'\\', inner.as_bytes()).is_some()
        {
            unescape(whole).map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(inner))
        }
    }

    /// `null`, consumed; `false` (consuming nothing) for any other value.
    pub(crate) fn null(&mut self) -> Option<bool> {
        if self.next_byte()? != b'n' {
            return Some(false);
        }
        self.literal(b"null")?;
        Some(true)
    }

    /// `None` for `null`, else what `read` makes of the value.
    pub(crate) fn optional<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.null()? {
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    /// The text of the next value, checked.
    pub(crate) fn raw(&mut self) -> Option<Raw<'a>> {
        self.space();
        let start = self.at;
        self.skip()?;
        Some(Raw::checked(self.text.get(start..self.at)?))
    }

    /// Calls `member` with each member's name, the cursor at its value, which `member` must
    /// consume; `None` if the value is not an object.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        self.container(b'{', b'}', |c| {
            let name = c.string()?;
            c.expect(b':')?;
            member(c, name)
        })
    }

    /// Calls `item` with the cursor at each item, which `item` must consume; `None` if the
    /// value is not an array.
    pub(crate) fn array(&mut self, item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.container(b'[', b']', item)
    }

    /// `open`, then entries read by `entry` separated by commas, then `close`.
    fn container(
        &mut self,
        open: u8,
        close: u8,
        mut entry: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.expect(open)?;
        if self.next_byte()? == close {
            self.at += 1;
            return Some(());
        }
        loop {
            entry(self)?;
            match self.next_byte()? {
                b',' => self.at += 1,
                b if b == close => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Whether only whitespace is left.
    pub(crate) fn finish(&mut self) -> Option<()> {
        self.space();
        (self.at == self.text.len()).then_some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.text.as_bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    /// A number by JSON's grammar: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// A member name and its colon, inside a value being skipped.
    fn name(&mut self) -> Option<()> {
        if self.next_byte()? != b'"' {
            return None;
        }
        self.cross_string()?;
        self.expect(b':')
    }

    /// Moves past the next value, checking it. Nesting is tracked on a heap stack, so depth is
    /// not limited by the call stack (serde_json skips values the same way).
    pub(crate) fn skip(&mut self) -> Option<()> {
        self.open.clear();
        loop {
            match self.next_byte()? {
                b'{' => {
                    self.at += 1;
                    if self.next_byte()? == b'}' {
                        self.at += 1;
                    } else {
                        self.open.push(true);
                        self.name()?;
                        continue;
                    }
                }
                b'[' => {
                    self.at += 1;
                    if self.next_byte()? == b']' {
                        self.at += 1;
                    } else {
                        self.open.push(false);
                        continue;
                    }
                }
                b'"' => self.cross_string()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => self.number()?,
            }
            // A value ended: close the containers it ends, until one has another value.
            loop {
                let Some(&object) = self.open.last() else {
                    return Some(());
                };
                match self.next_byte()? {
                    b',' => {
                        self.at += 1;
                        if object {
                            self.name()?;
                        }
                        break;
                    }
                    b'}' if object => self.at += 1,
                    b']' if !object => self.at += 1,
                    _ => return None,
                }
                self.open.pop();
            }
        }
    }
}

/// The contents of a string with escapes. Plans escape the quotes of instance keys
/// (`module.db["x"]`), which this decodes directly; a string with a `\u` escape is left to
/// serde_json.
fn unescape(whole: &str) -> Option<String> {
    let mut rest = whole.get(1..whole.len().checked_sub(1)?)?;
    let mut out = String::with_capacity(rest.len());
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(rest.get(..at)?);
        out.push(match rest.as_bytes().get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return serde_json::from_str(whole).ok(),
            _ => return None,
        });
        rest = rest.get(at + 2..)?;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IgnoredAny;

    /// Whether the cursor accepts `text` as exactly one JSON value.
    fn accepts(text: &str) -> bool {
        reading(text, |c| {
            c.skip()?;
            c.finish()
        })
        .is_some()
    }

    /// What `read` makes of `text` from its start; `None` when its strings are malformed.
    fn reading<T>(text: &str, read: impl FnOnce(&mut Cursor<'_, '_>) -> Option<T>) -> Option<T> {
        let quotes = Quotes::find(text.as_bytes())?;
        read(&mut Cursor::new(text, &quotes))
    }

    fn serde_accepts(text: &str) -> bool {
        serde_json::from_str::<IgnoredAny>(text).is_ok()
    }

    #[test]
    fn accepts_what_json_allows() {
        for text in [
            "0",
            "-0.5e+10",
            "1E-3",
            "true",
            " null ",
            "\"\\u00e9\\n\"",
            "[]",
            "{}",
            "[1, [2, [3, {}]], {\"a\": {\"b\": []}}]",
            "{\"a\" : 1 , \"b\":[true,false,null]}",
            "\n\t{\r\n}\n",
        ] {
            assert!(accepts(text), "{text:?}");
            assert!(serde_accepts(text), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_json_does_not() {
        for text in [
            "",
            " ",
            "01",
            "1.",
            "-",
            ".5",
            "1e",
            "+1",
            "tru",
            "nulll",
            "[1,]",
            "[,1]",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{1:2}",
            "[1 2]",
            "{\"a\":1}}",
            "[",
            "\"abc",
            "[\"a\\\"]",
            "{\"a\":1} x",
            "\\\"a\"",
            "[\"a\"\\]",
            "NaN",
        ] {
            assert!(!accepts(text), "{text:?}");
            assert!(!serde_accepts(text), "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(accepts(&text));
        assert!(!accepts(&text[1..]));
    }

    #[test]
    fn members_and_items_are_handed_out_in_order() {
        let text = r#"{"a": [1, "x"], "b\u0021": null, "c": {"d": 2}}"#;
        let quotes = Quotes::find(text.as_bytes()).expect("strings are fine");
        let mut cursor = Cursor::new(text, &quotes);
        let mut seen = Vec::new();
        cursor
            .object(|c, name| {
                let value = match name.as_ref() {
                    "a" => {
                        let mut items = Vec::new();
                        c.array(|c| {
                            items.push(c.raw()?.get().to_owned());
                            Some(())
                        })?;
                        items.join("|")
                    }
                    "b!" => format!("{:?}", c.optional(|c| c.string())?),
                    _ => c.raw()?.get().to_owned(),
                };
                seen.push((name.into_owned(), value));
                Some(())
            })
            .expect("an object");
        cursor.finish().expect("nothing after");
        assert_eq!(
            seen,
            [
                ("a".into(), "1|\"x\"".into()),
                ("b!".into(), "None".into()),
                ("c".into(), "{\"d\": 2}".into()),
            ]
        );
    }

    #[test]
    fn values_are_located_and_read_again_from_elsewhere() {
        let text = r#"{"a": {"b": ["]", {"c": "}"}]}, "d": 12, "e": [}"#;
        let quotes = Quotes::find(text.as_bytes()).expect("strings are fine");
        let mut cursor = Cursor::new(text, &quotes);
        let mut found = Vec::new();
        let whole = cursor.object(|c, name| {
            let (start, end) = c.locate()?;
            found.push((name.into_owned(), &text[start..end]));
            Some(())
        });
        // Brackets are counted, not matched: `[}` is located, and the object it ended is
        // then left unclosed.
        assert!(whole.is_none());
        assert_eq!(
            found,
            [
                ("a".to_owned(), r#"{"b": ["]", {"c": "}"}]}"#),
                ("d".to_owned(), "12"),
                ("e".to_owned(), "[}")
            ]
        );
        let start = text.find("{\"b\"").expect("there");
        let mut again = cursor.elsewhere(start);
        assert!(again.raw().is_some());
        assert_eq!(again.position(), start + found[0].1.len());
        // Located by counting brackets, but not checked: reading it is what checks it.
        let text = r#"{"a": [1 2]}"#;
        let quotes = Quotes::find(text.as_bytes()).expect("strings are fine");
        let mut cursor = Cursor::new(text, &quotes);
        assert_eq!(cursor.object(|c, _| c.locate().map(drop)), Some(()));
        assert!(cursor.elsewhere(6).skip().is_none());
    }

    #[test]
    fn asking_for_the_wrong_kind_fails() {
        assert!(reading("[1]", |c| c.object(|c, _| c.skip())).is_none());
        assert!(reading("{\"a\": 1}", |c| c.array(|c| c.skip())).is_none());
        assert!(reading("7", |c| c.string().map(Cow::into_owned)).is_none());
        assert_eq!(reading("[1]", |c| c.skip()), Some(()));
    }

    fn json_fragment() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("-12.5e3".to_owned()),
            Just("0".to_owned()),
            "[a-z\\\\\"\u{e9}]{0,6}".prop_map(|s| format!("\"{s}\"")),
            Just("\"\\u12G4\"".to_owned()),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                proptest::collection::vec(("[a-z]{1,3}", inner), 0..5).prop_map(|members| {
                    let members: Vec<String> = members
                        .iter()
                        .map(|(k, v)| format!("\"{k}\": {v}"))
                        .collect();
                    format!("{{{}}}", members.join(", "))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn strings_decode_as_serde_json_decodes_them(
            inner in "([a-z\u{e9}/ ]|\\\\[\"\\\\/bfnrt]|\\\\u00[0-7][0-9a-f]){0,12}"
        ) {
            let whole = format!("\"{inner}\"");
            let decoded = reading(&whole, |c| c.string().map(Cow::into_owned));
            prop_assert_eq!(decoded, serde_json::from_str::<String>(&whole).ok(), "{}", whole);
        }

        #[test]
        fn agrees_with_serde_json_on_generated_text(text in json_fragment()) {
            prop_assert_eq!(accepts(&text), serde_accepts(&text), "{}", text);
        }

        #[test]
        fn agrees_with_serde_json_on_damaged_text(
            text in json_fragment(),
            at in any::<prop::sample::Index>(),
            byte in prop_oneof![Just(b'"'), Just(b'\\'), Just(b','), Just(b']'), Just(b'}'),
                                Just(b':'), Just(b'\n'), Just(b'1'), Just(b'e'), Just(b'.')],
            cut in any::<bool>(),
        ) {
            let mut bytes = text.into_bytes();
            let at = at.index(bytes.len().max(1)).min(bytes.len());
            if cut {
                bytes.truncate(at);
            } else {
                bytes.insert(at, byte);
            }
            if let Ok(text) = String::from_utf8(bytes) {
                prop_assert_eq!(accepts(&text), serde_accepts(&text), "{}", text);
            }
        }
    }
}
