//! Override reasons recorded as tags on the parameter group.
//!
//! Auditors reading the AWS console see why each parameter departs from the baseline, and
//! `terraform import` recovers reasons exactly, so an imported baseline plans clean. RDS tag
//! values allow only letters, digits, spaces and `_ . : / = + - @`; any other character is
//! written as `=XX` (its UTF-8 bytes in hex), with `=` itself written `=3D`.

use std::collections::BTreeMap;

/// Prefix of reason tags; such tags are dbrail's and never reported as user tags.
pub(crate) const TAG_PREFIX: &str = "dbrail:override:";
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

/// The tag key for a parameter's reason.
pub(crate) fn key(parameter: &str) -> String {
    format!("{TAG_PREFIX}{parameter}")
}

/// Reasons found in a group's tags, by parameter name.
pub(crate) fn from_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(TAG_PREFIX)
                .map(|p| (p.to_owned(), decode(v)))
        })
        .collect()
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

    #[test]
    fn reads_reasons_from_tags_only_under_the_prefix() {
        let tags = BTreeMap::from([
            (key("log_min_duration_statement"), encode("p99, 500 ms")),
            ("team".to_owned(), "payments".to_owned()),
        ]);
        let reasons = from_tags(&tags);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons["log_min_duration_statement"], "p99, 500 ms");
    }
}
