//! Free text (override reasons, waiver reasons) stored in AWS tag values.
//!
//! RDS tag values allow only letters, digits, spaces and `_ . : / = + - @`. Any other character
//! is written as `=XX` (its UTF-8 bytes in hex), with `=` itself written `=3D`, so any text
//! round-trips exactly and ordinary sentences stay readable in the AWS console.

/// RDS's limit on a tag value.
pub(crate) const MAX_TAG_VALUE: usize = 256;

fn allowed(c: char) -> bool {
    (c.is_alphanumeric() || c == ' ' || "_.:/+-@".contains(c)) && c != '='
}

/// Encodes a reason into a tag value.
pub(crate) fn encode(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    for c in reason.chars() {
        if allowed(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("={byte:02X}"));
            }
        }
    }
    out
}

/// Decodes a tag value; malformed escapes are kept as written.
pub(crate) fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=')
            .then(|| value.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let Some(byte) = escaped {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_reason() {
        for reason in [
            "orders API p99 target is 500 ms",
            "ticket DB-42, approved by the CAB (2026-11-01)",
            "a=b; c\"d' — ünïcode ✓",
            "",
        ] {
            let encoded = encode(reason);
            assert!(
                encoded
                    .chars()
                    .all(|c| allowed(c) || c == '=' || c.is_ascii_hexdigit()),
                "{encoded}"
            );
            assert_eq!(decode(&encoded), reason);
        }
    }

    #[test]
    fn plain_reasons_stay_readable() {
        assert_eq!(encode("p99 target is 500 ms"), "p99 target is 500 ms");
        assert_eq!(encode("a,b"), "a=2Cb");
    }
}
