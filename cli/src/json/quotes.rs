//! Where every string of a JSON document starts and ends, found for the whole document at once.
//!
//! Most of a plan's bytes are inside strings (member names, addresses, ARNs), and a reader that
//! walks them byte by byte spends most of its time there. This pass looks at 64 bytes at a time
//! with 16-byte vector compares (SSE2, which every x86_64 has; a portable version elsewhere),
//! the approach of the simdjson parser: one bit per byte for quotes, backslashes and control
//! characters, the escaped quotes removed, and a running parity telling which bytes are inside
//! a string. What comes out is one bit per byte for the quotes that open or close a string, so
//! the reader jumps from an opening quote to its closing one in a few instructions.
//!
//! The same pass checks what JSON requires inside strings and the reader would otherwise check:
//! no control character, and every backslash starting a valid escape. Everything outside strings
//! is left to the reader, which checks each of those bytes against the grammar.

use crate::beside;

/// The bytes of a document that open or close a string (bit `i % 64` of word `i / 64`), and
/// for each 64-byte block whether it holds a backslash and whether it starts inside a string.
#[derive(Debug, Clone)]
pub(crate) struct Quotes {
    bits: Vec<u64>,
    blocks: Vec<u8>,
}

/// A block holds a backslash.
const BACKSLASH: u8 = 1;
/// A block starts inside a string.
const STARTS_INSIDE: u8 = 2;

/// One 64-byte block's bits: quotes, backslashes and control characters (below 0x20).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Masks {
    quote: u64,
    backslash: u64,
    control: u64,
}

/// What a block hands on to the next: whether it ended inside a string, and whether its last
/// byte is a backslash that escapes the next block's first byte.
#[derive(Debug, Clone, Copy, Default)]
struct Carry {
    inside: u64,
    escape: bool,
}

/// From a document of this many blocks (1 MiB) on, its two halves are classified on two
/// threads.
const TWO_THREADS_FROM: usize = 1 << 14;

/// What classifying a run of blocks found besides their bits: what its last block carries, and
/// whether a control character sits inside a string, as the run was read and as it would be
/// read had it started on the other side of a quote.
struct Run {
    carry: Carry,
    control_in_string: bool,
    control_if_flipped: bool,
}

impl Quotes {
    /// Classifies `bytes`; `None` when a string holds a control character or a bad escape, or
    /// the last string is not closed.
    ///
    /// A large document's second half is classified on a second thread as if it started
    /// outside a string. Where a quote is and what a backslash escapes do not depend on that,
    /// only which bytes are inside strings; so when the first half ends inside a string the
    /// second half's bits stand, and only its control-character verdict and its block flags
    /// are taken the other way round. A first half ending on an escaping backslash (rare) has
    /// the second half classified again.
    pub(crate) fn find(bytes: &[u8]) -> Option<Self> {
        Self::find_sharing(bytes, TWO_THREADS_FROM)
    }

    /// [`Quotes::find`], on two threads from `two_threads_from` blocks on.
    fn find_sharing(bytes: &[u8], two_threads_from: usize) -> Option<Self> {
        let blocks = bytes.len().div_ceil(64);
        // Pages the runs do not write are never touched.
        let mut quotes = Quotes {
            bits: vec![0; blocks],
            blocks: vec![0; blocks],
        };
        let middle = if blocks >= two_threads_from {
            blocks / 2
        } else {
            blocks
        };
        let (bits, rest_bits) = quotes.bits.split_at_mut(middle);
        let (flags, rest_flags) = quotes.blocks.split_at_mut(middle);
        let (first, second) = std::thread::scope(|scope| {
            let helper = (middle < blocks)
                .then(|| {
                    beside::spawn(scope, || {
                        classify(bytes, middle, rest_bits, rest_flags, Carry::default())
                    })
                })
                .flatten();
            let first = classify(bytes, 0, bits, flags, Carry::default());
            let second = helper.map(beside::join);
            (first, second)
        });
        let first = first?;
        let (mut carry, mut control) = (first.carry, first.control_in_string);
        if middle < blocks {
            let (rest_bits, rest_flags) = (
                quotes.bits.get_mut(middle..)?,
                quotes.blocks.get_mut(middle..)?,
            );
            let second = match second {
                // Classified in place, as the first half left it.
                Some(_) | None if carry.escape => {
                    let again = classify(bytes, middle, rest_bits, rest_flags, carry)?;
                    control |= again.control_in_string;
                    again.carry
                }
                Some(second) => {
                    let second = second?;
                    if carry.inside == 0 {
                        control |= second.control_in_string;
                        second.carry
                    } else {
                        control |= second.control_if_flipped;
                        for flag in rest_flags.iter_mut() {
                            *flag ^= STARTS_INSIDE;
                        }
                        Carry {
                            inside: !second.carry.inside,
                            ..second.carry
                        }
                    }
                }
                // No thread to be had.
                None => {
                    let here = classify(bytes, middle, rest_bits, rest_flags, carry)?;
                    control |= here.control_in_string;
                    here.carry
                }
            };
            carry = second;
        }
        (!control && carry.inside == 0 && !carry.escape).then_some(quotes)
    }

    /// Where the object or array whose opening bracket is at `start` ends: one past its
    /// closing bracket, found by counting the brackets outside strings, 64 bytes at a time.
    /// This does not check the text between them; a reader that reads the value and stops
    /// elsewhere has found it wrong. `None` when `start` is not an opening bracket outside a
    /// string, or it is never closed.
    pub(crate) fn container_end(&self, bytes: &[u8], start: usize) -> Option<usize> {
        let first = start / 64;
        let mut carry = if self.blocks.get(first)? & STARTS_INSIDE == 0 {
            0
        } else {
            u64::MAX
        };
        let mut depth = 0u32;
        for n in first..self.bits.len() {
            let quotes = *self.bits.get(n)?;
            let (open, close) = match bytes.get(n * 64..n * 64 + 64) {
                Some(block) => brackets(block.try_into().ok()?),
                None => brackets(&padded(bytes.get(n * 64..)?)?),
            };
            let inside = prefix_xor(quotes) ^ carry;
            carry = if inside >> 63 == 1 { u64::MAX } else { 0 };
            let from = if n == first {
                u64::MAX << (start % 64)
            } else {
                u64::MAX
            };
            let (open, close) = (open & !inside & from, close & !inside & from);
            if n == first && open & 1 << (start % 64) == 0 {
                return None;
            }
            if depth > close.count_ones() {
                // The container cannot close in this block.
                depth = depth + open.count_ones() - close.count_ones();
                continue;
            }
            let mut rest = open | close;
            while rest != 0 {
                let at = rest.trailing_zeros();
                if open >> at & 1 == 1 {
                    depth += 1;
                } else {
                    depth -= 1;
                    if depth == 0 {
                        return Some(n * 64 + at as usize + 1);
                    }
                }
                rest &= rest - 1;
            }
        }
        None
    }

    /// The position of the first string-delimiting quote after `at`.
    #[inline]
    pub(crate) fn next_after(&self, at: usize) -> Option<usize> {
        let from = at + 1;
        let mut word = from / 64;
        let mut found = self.bits.get(word)? & (u64::MAX << (from % 64));
        while found == 0 {
            word += 1;
            found = *self.bits.get(word)?;
        }
        Some(word * 64 + found.trailing_zeros() as usize)
    }

    /// Whether a byte in `start..end` may be a backslash: `false` means certainly not. Only
    /// which 64-byte blocks hold a backslash is kept (a bit per byte would be an eighth of the
    /// document again); most blocks of a plan hold none.
    #[inline]
    pub(crate) fn may_have_backslash(&self, start: usize, end: usize) -> bool {
        start < end
            && self
                .blocks
                .get(start / 64..=(end - 1) / 64)
                .is_none_or(|blocks| blocks.iter().any(|b| b & BACKSLASH != 0))
    }
}

/// Classifies the blocks from `first` on into `bits` and `flags` (one each per block), starting
/// with `carry`; `None` at a bad escape.
fn classify(
    bytes: &[u8],
    first: usize,
    bits: &mut [u64],
    flags: &mut [u8],
    mut carry: Carry,
) -> Option<Run> {
    let (mut control_in_string, mut control_if_flipped) = (false, false);
    for (n, (bit, flag)) in (first..).zip(bits.iter_mut().zip(flags.iter_mut())) {
        let masks = match bytes.get(n * 64..n * 64 + 64) {
            Some(block) => masks(block.try_into().ok()?),
            None => masks(&padded(bytes.get(n * 64..)?)?),
        };
        let inside = if carry.inside == 0 { 0 } else { STARTS_INSIDE };
        let backslash = if masks.backslash == 0 { 0 } else { BACKSLASH };
        *flag = inside | backslash;
        let (quotes, inside) = step(bytes, n * 64, masks, &mut carry)?;
        control_in_string |= masks.control & inside != 0;
        control_if_flipped |= masks.control & !inside != 0;
        *bit = quotes;
    }
    Some(Run {
        carry,
        control_in_string,
        control_if_flipped,
    })
}

/// The last, short block of a document, padded with spaces, which are none of the bytes
/// looked for.
fn padded(tail: &[u8]) -> Option<[u8; 64]> {
    let mut block = [b' '; 64];
    block.get_mut(..tail.len())?.copy_from_slice(tail);
    Some(block)
}

/// The delimiting quotes of one block and which of its bytes are inside strings, given its
/// masks and what the previous block carried; `None` at a bad escape.
#[inline]
fn step(bytes: &[u8], offset: usize, masks: Masks, carry: &mut Carry) -> Option<(u64, u64)> {
    let escaped = if masks.backslash == 0 && !carry.escape {
        0
    } else {
        let escaped = escapes(masks.backslash, &mut carry.escape);
        let mut rest = escaped;
        while rest != 0 {
            if !valid_escape(bytes, offset + rest.trailing_zeros() as usize) {
                return None;
            }
            rest &= rest - 1;
        }
        escaped
    };
    let quotes = masks.quote & !escaped;
    // Bit i: inside a string at byte i (an opening quote counts as inside, a closing one not).
    let inside = prefix_xor(quotes) ^ carry.inside;
    carry.inside = if inside >> 63 == 1 { u64::MAX } else { 0 };
    Some((quotes, inside))
}

/// Bit i: the XOR of bits 0 to i.
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// The bytes escaped by a backslash. A backslash that is itself escaped escapes nothing. Blocks
/// with backslashes are rare in a plan (quoted instance keys), so a loop over them is enough.
fn escapes(backslash: u64, carry: &mut bool) -> u64 {
    let mut escaped = 0u64;
    let mut pending = backslash;
    if std::mem::take(carry) {
        escaped |= 1;
        pending &= !1;
    }
    while pending != 0 {
        let i = pending.trailing_zeros();
        if i == 63 {
            *carry = true;
            break;
        }
        escaped |= 1 << (i + 1);
        pending &= !(3u64 << i);
    }
    escaped
}

/// Whether the byte at `at`, which follows a backslash, starts a valid escape. A backslash
/// outside a string gets here too; the reader rejects it anyway.
fn valid_escape(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => true,
        Some(b'u') => bytes
            .get(at + 1..at + 5)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)),
        _ => false,
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn masks(block: &[u8; 64]) -> Masks {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };
    let quote = set_splat_i8_m128i(b'"' as i8);
    let backslash = set_splat_i8_m128i(b'\\' as i8);
    let below_space = set_splat_i8_m128i(0x1f);
    let mut masks = Masks {
        quote: 0,
        backslash: 0,
        control: 0,
    };
    for (n, part) in block.chunks_exact(16).enumerate() {
        let Ok(part) = <&[u8; 16]>::try_from(part) else {
            continue;
        };
        let v = load_unaligned_m128i(part);
        let bits = |m| u64::from(move_mask_i8_m128i(m) as u16) << (16 * n);
        masks.quote |= bits(cmp_eq_mask_i8_m128i(v, quote));
        masks.backslash |= bits(cmp_eq_mask_i8_m128i(v, backslash));
        // A byte is at most 0x1f exactly when the smaller of it and 0x1f is itself.
        masks.control |= bits(cmp_eq_mask_i8_m128i(min_u8_m128i(v, below_space), v));
    }
    masks
}

/// One block's opening brackets (`{`, `[`) and closing ones (`}`, `]`), strings not excluded.
#[cfg(target_arch = "x86_64")]
#[inline]
fn brackets(block: &[u8; 64]) -> (u64, u64) {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };
    // `[` and `{`, `]` and `}` differ only in bit 5.
    let bit5 = set_splat_i8_m128i(0x20);
    let open = set_splat_i8_m128i(b'{' as i8);
    let close = set_splat_i8_m128i(b'}' as i8);
    let (mut opens, mut closes) = (0, 0);
    for (n, part) in block.chunks_exact(16).enumerate() {
        let Ok(part) = <&[u8; 16]>::try_from(part) else {
            continue;
        };
        let folded = bitor_m128i(load_unaligned_m128i(part), bit5);
        let bits = |m| u64::from(move_mask_i8_m128i(m) as u16) << (16 * n);
        opens |= bits(cmp_eq_mask_i8_m128i(folded, open));
        closes |= bits(cmp_eq_mask_i8_m128i(folded, close));
    }
    (opens, closes)
}

#[cfg(not(target_arch = "x86_64"))]
fn brackets(block: &[u8; 64]) -> (u64, u64) {
    portable_brackets(block)
}

/// [`brackets`] one byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn portable_brackets(block: &[u8; 64]) -> (u64, u64) {
    let (mut opens, mut closes) = (0, 0);
    for (i, &b) in block.iter().enumerate() {
        opens |= u64::from(matches!(b, b'{' | b'[')) << i;
        closes |= u64::from(matches!(b, b'}' | b']')) << i;
    }
    (opens, closes)
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8; 64]) -> Masks {
    portable_masks(block)
}

/// The masks one byte at a time: the version for other architectures, and the reference the
/// vector version is tested against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn portable_masks(block: &[u8; 64]) -> Masks {
    let mut masks = Masks {
        quote: 0,
        backslash: 0,
        control: 0,
    };
    for (i, &b) in block.iter().enumerate() {
        masks.quote |= u64::from(b == b'"') << i;
        masks.backslash |= u64::from(b == b'\\') << i;
        masks.control |= u64::from(b < 0x20) << i;
    }
    masks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The delimiting quotes, found by walking the text one byte at a time.
    fn reference(bytes: &[u8]) -> Option<Vec<usize>> {
        let (mut inside, mut found, mut i) = (false, Vec::new(), 0);
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    inside = !inside;
                    found.push(i);
                }
                b'\\' => {
                    if !valid_escape(bytes, i + 1) {
                        return None;
                    }
                    i += 1;
                }
                b if b < 0x20 && inside => return None,
                _ => {}
            }
            i += 1;
        }
        (!inside).then_some(found)
    }

    /// Where the container opening at `start` ends, found by walking one byte at a time;
    /// `None` when `start` is not an opening bracket outside a string, or it is never closed.
    fn reference_end(bytes: &[u8], start: usize) -> Option<usize> {
        let (mut inside, mut i, mut depth) = (false, 0, 0u32);
        while let Some(&b) = bytes.get(i) {
            if i == start && (inside || !matches!(b, b'{' | b'[')) {
                return None;
            }
            match b {
                b'"' => inside = !inside,
                // The escaped byte is part of a string.
                b'\\' if i + 1 == start => return None,
                b'\\' => i += 1,
                _ if inside || i < start => {}
                b'{' | b'[' => depth += 1,
                _ if matches!(b, b'}' | b']') => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn positions(quotes: &Quotes, len: usize) -> Vec<usize> {
        (0..len)
            .filter(|&i| quotes.bits[i / 64] >> (i % 64) & 1 == 1)
            .collect()
    }

    fn check(text: &[u8]) {
        let whole = Quotes::find(text);
        let halves = Quotes::find_sharing(text, 0);
        assert_eq!(
            halves.as_ref().map(|q| (&q.bits, &q.blocks)),
            whole.as_ref().map(|q| (&q.bits, &q.blocks)),
            "halves: {:?}",
            String::from_utf8_lossy(text)
        );
        let found = whole.map(|q| positions(&q, text.len()));
        assert_eq!(
            found,
            reference(text),
            "{:?}",
            String::from_utf8_lossy(text)
        );
    }

    #[test]
    fn strings_and_escapes_across_block_edges() {
        for pad in 0..70 {
            let spaces = " ".repeat(pad);
            for body in [
                r#"{"a":"b"}"#,
                r#"["x\"y", "\\", "\\\"", "\u00e9\n"]"#,
                r#""ends with a backslash \\""#,
                r#""a\"b\\\\\"c""#,
            ] {
                check(format!("{spaces}{body}").as_bytes());
            }
        }
    }

    #[test]
    fn halves_meeting_inside_a_string_or_an_escape() {
        for at in 60..200 {
            let long = "x".repeat(at);
            for text in [
                format!("[\"{long}\", \"a\"]"),
                format!("[\"{long}\\\\\", \"a\"]"),
                format!("[\"{long}\\\"\", \"b\"]"),
                format!("[\"{long}\tb\"]"),
                format!("[\"{long}\", \n\"b\"]"),
                format!("[\"{long}\\q\"]"),
            ] {
                check(text.as_bytes());
            }
        }
    }

    #[test]
    fn bad_strings_are_refused() {
        for text in [
            "\"open",
            "\"tab\tinside\"",
            "\"bad \\x escape\"",
            "\"short \\u12\"",
            "\"trailing backslash\\",
            "\"new\nline\"",
        ] {
            assert!(Quotes::find(text.as_bytes()).is_none(), "{text:?}");
            assert!(reference(text.as_bytes()).is_none(), "{text:?}");
        }
        // Control characters outside strings are the reader's to judge.
        assert!(Quotes::find(b"{\n\t\"a\": 1\r\n}").is_some());
    }

    #[test]
    fn containers_end_at_their_own_closing_bracket() {
        for pad in 0..70 {
            let text = format!(
                "{}{{\"a]\": [1, {{\"}}\": \"\\\"[\"}}], \"b\": {{}}, \"{}\": [[]]}} ]",
                " ".repeat(pad),
                "x".repeat(pad * 3)
            );
            let bytes = text.as_bytes();
            let quotes = Quotes::find(bytes).expect("valid strings");
            for start in 0..bytes.len() {
                assert_eq!(
                    quotes.container_end(bytes, start),
                    reference_end(bytes, start),
                    "{start} in {text}"
                );
            }
            assert_eq!(quotes.container_end(bytes, pad), Some(text.len() - 2));
        }
    }

    #[test]
    fn a_long_string_is_crossed_in_one_jump() {
        let text = format!("[\"{}\", 1]", "x".repeat(1000));
        let quotes = Quotes::find(text.as_bytes()).expect("valid");
        assert_eq!(quotes.next_after(1), Some(1002));
    }

    #[test]
    fn a_backslash_is_never_missed_and_plain_blocks_are_passed() {
        let text = format!(
            "[\"{}\", \"a\\\"b\", \"{}\"]",
            "x".repeat(200),
            "y".repeat(200)
        );
        let quotes = Quotes::find(text.as_bytes()).expect("valid");
        let at = text.find('\\').expect("a backslash");
        for start in 0..text.len() {
            for end in start..=text.len() {
                if (start..end).contains(&at) {
                    assert!(quotes.may_have_backslash(start, end), "{start}..{end}");
                }
            }
        }
        assert!(!quotes.may_have_backslash(0, 64));
        assert!(!quotes.may_have_backslash(text.len() - 64, text.len()));
        assert!(!quotes.may_have_backslash(5, 5));
    }

    proptest! {
        #[test]
        fn matches_a_byte_by_byte_walk(text in proptest::collection::vec(
            prop_oneof![Just(b'"'), Just(b'\\'), Just(b'u'), Just(b'a'), Just(b'0'),
                        Just(b'\n'), Just(b' '), Just(0xc3u8), any::<u8>()],
            0..300,
        )) {
            check(&text);
        }

        #[test]
        fn container_ends_match_a_byte_by_byte_walk(text in proptest::collection::vec(
            prop_oneof![Just(b'"'), Just(b'\\'), Just(b'{'), Just(b'}'), Just(b'['), Just(b']'),
                        Just(b'a'), Just(b' ')],
            0..300,
        )) {
            if let Some(quotes) = Quotes::find(&text) {
                for start in 0..text.len() {
                    prop_assert_eq!(quotes.container_end(&text, start), reference_end(&text, start));
                }
            }
        }

        #[test]
        fn vector_masks_match_the_portable_ones(block in proptest::array::uniform32(any::<u8>()),
                                                  more in proptest::array::uniform32(any::<u8>())) {
            let mut whole = [0u8; 64];
            whole[..32].copy_from_slice(&block);
            whole[32..].copy_from_slice(&more);
            prop_assert_eq!(masks(&whole), portable_masks(&whole));
            prop_assert_eq!(brackets(&whole), portable_brackets(&whole));
        }
    }
}
