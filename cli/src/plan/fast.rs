//! The document pass on the fast JSON reader, for documents of the usual shape.
//!
//! This builds exactly the [`Document`] that serde would build from the same text, reading it
//! with [`Cursor`], which checks the whole text far faster than serde_json does. It only takes
//! the common road: anything unusual (a duplicate member, a struct written as an array, a
//! non-object where an object belongs, modules nested very deep) gives `None`, and the caller
//! reads the text with serde instead, which decides what the unusual text means or explains
//! why it is wrong. So serde stays the definition of what is accepted, and this is a shortcut
//! that must agree with it (tests and the fuzz target compare the two).
//!
//! A large plan's `planned_values` is read on a second thread while this one reads the rest:
//! its end is found by counting brackets, which takes a fraction of the time reading it does,
//! and the second thread's reader must stop exactly there. A planned change's `after`, which
//! Terraform writes as the same text as the resource's planned values, is only located, and
//! compared with that text once both are read ([`Located`]).

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::config::Configuration;
use super::document::{
    Change, Document, Mask, Module, RawResource, ResourceChange, ResourceValues, Values,
};
use super::{inspected_kind, is_inspected};
use crate::beside;
use crate::fields::{Fields, Gatherer};
use crate::json::{Cursor, Quotes};

/// Deeper module nesting than this is left to serde, which limits its own recursion.
const MAX_MODULE_DEPTH: usize = 32;

/// From a document this large on, `planned_values` is read on a second thread while this one
/// reads the rest, mostly `resource_changes`: the two are about the same size, and a thread
/// costs far less than reading a megabyte.
const TWO_THREADS_FROM: usize = 1 << 20;

/// The document in `text`, or `None` when the text is not of the usual shape.
pub(super) fn read(text: &str) -> Option<Document<'_>> {
    read_sharing(text, TWO_THREADS_FROM)
}

/// [`read`], with `planned_values` on a second thread from `two_threads_from` bytes on. Its
/// end is found here by counting brackets, so the rest can be read meanwhile; the second
/// thread's reader, which checks the value, must stop exactly there.
fn read_sharing(text: &str, two_threads_from: usize) -> Option<Document<'_>> {
    let quotes = Quotes::find(text.as_bytes())?;
    let mut cursor = Cursor::new(text, &quotes);
    std::thread::scope(|scope| {
        let mut document = Document::default();
        let mut seen = Seen::default();
        let mut located = Located::default();
        let mut helper = None;
        cursor.object(|c, name| match name.as_ref() {
            "planned_values" if text.len() >= two_threads_from && c.next_byte()? == b'{' => {
                seen.first(1)?;
                let there = c.elsewhere(c.position());
                // The helper starts first: finding the end is this thread's work too.
                match beside::spawn(scope, move || values_and_end(there)) {
                    Some(handle) => {
                        let (_, end) = c.locate()?;
                        helper = Some((handle, end));
                    }
                    // No thread to be had: read it here.
                    None => document.planned_values = Some(values(c)?),
                }
                Some(())
            }
            _ => member(c, &name, &mut document, &mut seen, &mut located),
        })?;
        cursor.finish()?;
        if let Some((handle, end)) = helper {
            let (planned, ended) = beside::join(handle)?;
            // The helper's reader checked the value; it must end where the rest was read from.
            (ended == end).then_some(())?;
            document.planned_values = Some(planned);
        }
        located.check(&cursor, &document)?;
        Some(document)
    })
}

/// The planned `after` values of `resource_changes`, located by counting brackets but not yet
/// checked. Terraform writes each as the same text as the resource's `values` in
/// `planned_values`, which the reader checks as it splits them; comparing the two texts once
/// both are read costs a fraction of checking the `after` text byte by byte. An `after` that
/// differs, or has no planned values to compare with, is checked then.
#[derive(Default)]
struct Located<'a> {
    afters: Vec<After<'a>>,
}

/// One located `after`: its resource's address, and where its text starts and ends.
struct After<'a> {
    address: Cow<'a, str>,
    start: usize,
    end: usize,
}

impl<'a> Located<'a> {
    /// Checks every located `after`. `cursor` is on the document, whose planned values (or
    /// state values) are read.
    fn check(&self, cursor: &Cursor<'a, '_>, document: &Document<'a>) -> Option<()> {
        if self.afters.is_empty() {
            return Some(());
        }
        let mut planned = Vec::new();
        if let Some(values) = &document.planned_values {
            values_texts(&values.root_module, &mut planned);
        }
        // Terraform lists changes in the order of the planned values; an address met out of
        // that order is looked up.
        let mut next = 0;
        let mut by_address: Option<HashMap<&str, &str>> = None;
        for after in &self.afters {
            let text = cursor.text().get(after.start..after.end)?;
            let same = match planned.get(next) {
                Some(&(address, values)) if address == after.address.as_ref() => {
                    next += 1;
                    values == text
                }
                _ => {
                    by_address
                        .get_or_insert_with(|| planned.iter().copied().collect())
                        .get(after.address.as_ref())
                        == Some(&text)
                }
            };
            if !same {
                let mut c = cursor.elsewhere(after.start);
                c.skip()?;
                (c.position() == after.end).then_some(())?;
            }
        }
        Some(())
    }
}

/// Each resource's address and `values` text, in document order.
fn values_texts<'d, 'a>(module: &'d Module<'a>, out: &mut Vec<(&'d str, &'a str)>) {
    for resource in &module.resources {
        if let Some(text) = resource.values_text {
            out.push((&resource.address, text));
        }
    }
    for child in &module.child_modules {
        values_texts(child, out);
    }
}

/// The values object at the cursor, and the byte after it.
fn values_and_end<'a>(mut c: Cursor<'a, '_>) -> Option<(Values<'a>, usize)> {
    let read = values(&mut c)?;
    Some((read, c.position()))
}

/// One top-level member, read into `document`.
fn member<'a>(
    c: &mut Cursor<'a, '_>,
    name: &str,
    document: &mut Document<'a>,
    seen: &mut Seen,
    located: &mut Located<'a>,
) -> Option<()> {
    match name {
        "format_version" => {
            seen.first(0)?;
            document.format_version = c.optional(|c| c.string().map(Cow::into_owned))?;
            Some(())
        }
        "planned_values" => {
            seen.first(1)?;
            document.planned_values = c.optional(values)?;
            Some(())
        }
        "values" => {
            seen.first(2)?;
            document.values = c.optional(values)?;
            Some(())
        }
        "resource_changes" => {
            seen.first(3)?;
            let mut gatherer = Gatherer::new(c.text());
            c.array(|c| {
                document
                    .resource_changes
                    .push(resource_change(c, &mut gatherer, located)?);
                Some(())
            })
        }
        "configuration" => {
            seen.first(4)?;
            let raw = c.raw()?;
            document.configuration =
                serde_json::from_str::<Option<Configuration<'_>>>(raw.get()).ok()?;
            Some(())
        }
        _ => c.skip(),
    }
}

/// Which members of a struct have been read: serde refuses a struct with a repeated member.
#[derive(Default)]
struct Seen(u8);

impl Seen {
    fn first(&mut self, field: u8) -> Option<()> {
        let bit = 1 << field;
        (self.0 & bit == 0).then(|| self.0 |= bit)
    }
}

fn values<'a>(c: &mut Cursor<'a, '_>) -> Option<Values<'a>> {
    let mut values = Values::default();
    let mut seen = Seen::default();
    c.object(|c, name| match name.as_ref() {
        "root_module" => {
            seen.first(0)?;
            values.root_module = module(c, 0, &mut Gatherer::new(c.text()))?;
            Some(())
        }
        _ => c.skip(),
    })?;
    Some(values)
}

fn module<'a>(
    c: &mut Cursor<'a, '_>,
    depth: usize,
    gatherer: &mut Gatherer<'a>,
) -> Option<Module<'a>> {
    if depth > MAX_MODULE_DEPTH {
        return None;
    }
    let mut module = Module::default();
    let mut seen = Seen::default();
    c.object(|c, name| match name.as_ref() {
        "address" => {
            seen.first(0)?;
            module.address = c.optional(|c| c.string().map(Cow::into_owned))?;
            Some(())
        }
        "resources" => {
            seen.first(1)?;
            c.array(|c| {
                module.resources.push(resource(c, gatherer)?);
                Some(())
            })
        }
        "child_modules" => {
            seen.first(2)?;
            c.array(|c| {
                module
                    .child_modules
                    .push(self::module(c, depth + 1, gatherer)?);
                Some(())
            })
        }
        _ => c.skip(),
    })?;
    Some(module)
}

/// One resource; like serde's visitor for it, a repeated member's last value wins.
fn resource<'a>(c: &mut Cursor<'a, '_>, gatherer: &mut Gatherer<'a>) -> Option<RawResource<'a>> {
    let (mut address, mut mode, mut kind, mut name) = (None, None, None, None);
    let mut values = ResourceValues::Absent;
    let mut values_text = None;
    c.object(|c, member| {
        match member.as_ref() {
            "address" => address = Some(c.string()?),
            "mode" => mode = c.optional(Cursor::string)?,
            "type" => kind = Some(c.string()?),
            "name" => name = c.optional(Cursor::string)?,
            "values" => {
                c.next_byte()?;
                let start = c.position();
                values = match kind.as_deref() {
                    Some(k) if is_inspected(k) => match c.next_byte()? {
                        b'{' => ResourceValues::Fields(fields(c, gatherer)?),
                        // Anything else is an error serde words better.
                        _ if c.null()? => ResourceValues::Fields(Fields::default()),
                        _ => return None,
                    },
                    Some(_) => {
                        c.skip()?;
                        ResourceValues::Absent
                    }
                    None => ResourceValues::Raw(c.raw()?),
                };
                values_text = c.text().get(start..c.position());
            }
            _ => c.skip()?,
        }
        Some(())
    })?;
    let mut resource = RawResource::new(address?, mode.as_deref(), &kind?, name, values);
    resource.values_text = values_text;
    Some(resource)
}

/// An object's members, each value kept as checked text.
fn fields<'a>(c: &mut Cursor<'a, '_>, gatherer: &mut Gatherer<'a>) -> Option<Fields<'a>> {
    let read = c.object(|c, name| {
        gatherer.push(name, c.raw()?);
        Some(())
    });
    // Ready for the next object either way.
    let fields = gatherer.finish();
    read.map(|()| fields)
}

fn resource_change<'a>(
    c: &mut Cursor<'a, '_>,
    gatherer: &mut Gatherer<'a>,
    located: &mut Located<'a>,
) -> Option<ResourceChange<'a>> {
    let (mut address, mut kind, mut change) = (None, None, Change::default());
    let mut after = None;
    let mut seen = Seen::default();
    c.object(|c, name| match name.as_ref() {
        "address" => {
            seen.first(0)?;
            address = Some(c.string()?);
            Some(())
        }
        "type" => {
            seen.first(1)?;
            kind = c.optional(Cursor::string)?;
            Some(())
        }
        "change" => {
            seen.first(2)?;
            let mut seen = Seen::default();
            c.object(|c, name| match name.as_ref() {
                "after_unknown" => {
                    seen.first(0)?;
                    change.after_unknown = match c.next_byte()? {
                        b'{' => Some(Mask::Fields(fields(c, gatherer)?)),
                        _ => c.optional(|c| c.raw().map(Mask::Raw))?,
                    };
                    Some(())
                }
                // Left for later (see `Located`); a repeated one is checked now.
                "after" if after.is_none() && c.next_byte()? == b'{' => {
                    after = Some(c.locate()?);
                    Some(())
                }
                _ => c.skip(),
            })
        }
        _ => c.skip(),
    })?;
    let (address, kind) = match kind.as_deref().map(inspected_kind) {
        // As for planned values (`RawResource::new`): the address is copied while in cache,
        // and the type named from the list, so collecting reads neither from the document.
        Some(Some(inspected)) => (
            Cow::Owned(address?.into_owned()),
            Some(Cow::Borrowed(inspected)),
        ),
        _ => (address?, kind),
    };
    if let Some((start, end)) = after {
        located.afters.push(After {
            address: address.clone(),
            start,
            end,
        });
    }
    Some(ResourceChange {
        address,
        kind,
        change,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{Document, Plan};
    use super::{read, read_sharing};

    const SEEDS: [&str; 3] = [
        include_str!("../../../fuzz/seeds/plan_reader/two_databases.json"),
        include_str!("../../../fuzz/seeds/plan_reader/snapshot_proxy_global.json"),
        include_str!("../../../fuzz/seeds/plan_reader/state.json"),
    ];

    /// The plan each reader makes of `text`, as text to compare; `None` from the fast reader
    /// means it left the document to serde. The fast reader must read it the same on one
    /// thread and on two.
    fn both(text: &str) -> (Option<String>, Option<String>) {
        let reduce = |document: Document<'_>| format!("{:?}", Plan::reduce("p", document));
        let fast = read(text).map(reduce);
        let shared = read_sharing(text, 0).map(reduce);
        assert_eq!(fast, shared, "one thread and two read {text} differently");
        let serde = serde_json::from_str::<Document<'_>>(text).ok().map(reduce);
        (fast, serde)
    }

    #[test]
    fn usual_documents_take_the_fast_road_to_the_same_plan() {
        for seed in SEEDS {
            let (fast, serde) = both(seed);
            assert!(fast.is_some(), "the fast reader refused a usual document");
            assert_eq!(fast, serde);
        }
    }

    #[test]
    fn unusual_documents_are_left_to_serde() {
        for text in [
            r#"{"format_version": "1.2", "format_version": "1.2"}"#,
            r#"{"planned_values": [{"resources": []}]}"#,
            r#"{"values": {"root_module": {"resources": [{"address": "a", "type": "aws_db_instance", "values": 5}]}}}"#,
            r#"{"resource_changes": null}"#,
            r#"{"values": {"root_module": {}}} trailing"#,
            r#"{"planned_values": {"root_module": {"resources": [}]}}"#,
            r#"{"planned_values": {"root_module": {}}, "planned_values": {}}"#,
            r#"{"planned_values": {"root_module": {"resources": [1 2]}}, "resource_changes": []}"#,
            r#"{"prior_state": {"a": tru}, "resource_changes": []}"#,
            r#"{"planned_values": {"root_module": {}}, "resource_changes": [{"address": "a"]}"#,
            // An `after` unlike the planned values is read, and this one is not JSON.
            r#"{"planned_values": {"root_module": {"resources": [{"address": "a", "type": "t",
                "values": {"x": 1}}]}}, "resource_changes": [{"address": "a", "type": "t",
                "change": {"after": {"x": tru}}}]}"#,
            r#"{"resource_changes": [{"address": "a", "change": {"after": {"x": [}}}]}"#,
        ] {
            assert!(read(text).is_none(), "{text}");
            assert!(read_sharing(text, 0).is_none(), "{text}");
        }
    }

    #[test]
    fn an_after_is_taken_as_checked_only_when_it_matches_the_planned_values() {
        let plan = |after: &str, order: &str| {
            let changes = [
                format!(r#"{{"address": "a", "type": "t", "change": {{"after": {after}}}}}"#),
                r#"{"address": "b", "type": "t", "change": {"after": {"y": [2]}}}"#.to_owned(),
            ];
            let changes = if order == "reversed" {
                format!("{}, {}", changes[1], changes[0])
            } else {
                format!("{}, {}", changes[0], changes[1])
            };
            format!(
                r#"{{"planned_values": {{"root_module": {{"resources": [
                    {{"address": "a", "type": "t", "values": {{"x": 1}}}},
                    {{"address": "b", "type": "t", "values": {{"y": [2]}}}}]}}}},
                    "resource_changes": [{changes}]}}"#
            )
        };
        for order in ["planned", "reversed"] {
            for after in [r#"{"x": 1}"#, r#"{"x": 2}"#, r#"{"x":1}"#, "{}", "null"] {
                let text = plan(after, order);
                let (fast, serde) = both(&text);
                assert!(fast.is_some(), "refused {text}");
                assert_eq!(fast, serde);
            }
            for after in [
                r#"{"x": 01}"#,
                r#"{"x": 1,}"#,
                r#"{"x" 1}"#,
                r#"{"x": "\q"}"#,
            ] {
                let text = plan(after, order);
                assert!(read(&text).is_none(), "took {text}");
                assert!(read_sharing(&text, 0).is_none(), "took {text}");
            }
        }
    }

    /// Planned values of the shapes `afters_are_read_as_serde_reads_them` uses.
    const VALUES: [&str; 5] = [
        r#"{"storage_encrypted": true, "engine": "postgres"}"#,
        r#"{"x": [1, {"y": "}"}]}"#,
        "{}",
        "null",
        "[1]",
    ];

    /// `text` cut at `at`, or with one of a few troublesome pieces inserted there.
    fn damaged(text: &str, at: usize, piece: usize) -> String {
        const PIECES: [&str; 12] = [
            "\"", ",", "}", "]", "01", "tru", "[", "{", ":", "\\", " ", "\"a\":1",
        ];
        let at = at % (text.len() + 1);
        match PIECES.get(piece % (PIECES.len() + 1)) {
            _ if !text.is_char_boundary(at) => text.to_owned(),
            Some(piece) => format!("{}{piece}{}", &text[..at], &text[at..]),
            None => text[..at].to_owned(),
        }
    }

    proptest! {
        /// An `after` is compared with the planned values or read, never taken unchecked:
        /// whatever the order of members and documents, repeated and damaged `after`s, and
        /// states, the fast reader accepts nothing serde refuses and reads what it accepts as
        /// serde does.
        #[test]
        fn afters_are_read_as_serde_reads_them(
            kinds in prop::collection::vec(
                prop_oneof![Just("aws_db_instance"), Just("aws_rds_cluster"), Just("t")], 1..4),
            values in prop::collection::vec(0..VALUES.len(), 4),
            changes in prop::collection::vec((0..6usize, any::<bool>(), 0..4usize), 1..5),
            damage in (any::<usize>(), any::<usize>()),
            changes_first in any::<bool>(),
            state in any::<bool>(),
        ) {
            let value = |i: usize| VALUES[values[i % values.len()]];
            let resources: Vec<String> = kinds
                .iter()
                .enumerate()
                .map(|(i, kind)| if i % 2 == 0 {
                    format!(r#"{{"address": "{kind}.r{i}", "mode": "managed", "type": "{kind}",
                        "name": "r{i}", "values": {}}}"#, value(i))
                } else {
                    // `values` before `type`: kept whole until the type is known.
                    format!(r#"{{"address": "{kind}.r{i}", "values": {}, "type": "{kind}"}}"#,
                        value(i))
                })
                .collect();
            let changes: Vec<String> = changes
                .iter()
                .map(|&(of, damage_it, form)| {
                    let i = of % kinds.len();
                    let after = if damage_it {
                        damaged(value(i), damage.0, damage.1)
                    } else {
                        value(i).to_owned()
                    };
                    let change = match form {
                        0 => format!(r#"{{"after": {after}, "after_unknown": {{}}}}"#),
                        1 => format!(r#"{{"after_unknown": {{"x": true}}, "after": {after}}}"#),
                        2 => format!(r#"{{"after": {after}, "after": {after}}}"#),
                        _ => format!(r#"{{"after": null, "after": {after}, "before": {after}}}"#),
                    };
                    format!(r#"{{"address": "{}.r{i}", "type": "{}", "change": {change}}}"#,
                        kinds[i], kinds[i])
                })
                .collect();
            let values_key = if state { "values" } else { "planned_values" };
            let values = format!(
                r#""{values_key}": {{"root_module": {{"resources": [{}],
                    "child_modules": [{{"address": "module.m", "resources": [{}]}}]}}}}"#,
                resources.join(", "),
                resources.join(", ")
            );
            let changes = format!(r#""resource_changes": [{}]"#, changes.join(", "));
            let text = if changes_first {
                format!("{{{changes}, {values}}}")
            } else {
                format!("{{{values}, {changes}}}")
            };
            let (fast, serde) = both(&text);
            if fast.is_some() {
                prop_assert_eq!(fast, serde, "{}", text);
            }
        }

        #[test]
        fn a_damaged_document_reads_the_same_or_is_left_to_serde(
            seed in 0..SEEDS.len(),
            at in any::<prop::sample::Index>(),
            insert in prop_oneof![
                Just("\""), Just(","), Just("}"), Just("]"), Just("null"), Just("\"address\":\"x\","),
                Just("\"values\":{},"), Just("\\"), Just(" "), Just("1"),
            ],
            cut in any::<bool>(),
        ) {
            let text = SEEDS[seed];
            let at = at.index(text.len());
            if !text.is_char_boundary(at) {
                return Ok(());
            }
            let damaged = if cut {
                text[..at].to_owned()
            } else {
                format!("{}{insert}{}", &text[..at], &text[at..])
            };
            let (fast, serde) = both(&damaged);
            if fast.is_some() {
                prop_assert_eq!(fast, serde);
            }
        }
    }
}
