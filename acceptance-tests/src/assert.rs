//! Text assertions that explain themselves.
//!
//! Terraform wraps diagnostics to the terminal width (78 columns when not on a terminal) and
//! frames them with box-drawing characters, so a message can be split across lines at any space.
//! Matching therefore ignores that framing and treats any run of whitespace as one space; a
//! failure prints the raw text it searched, so the test log shows what terraform actually said.

/// Panics, printing `haystack`, unless it contains `needle` (modulo wrapping, see module docs).
#[track_caller]
pub fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        contains_normalized(haystack, needle),
        "expected to find {needle:?} in:\n-----\n{haystack}\n-----"
    );
}

/// Panics, printing `haystack`, if it contains `needle` (modulo wrapping, see module docs).
#[track_caller]
pub fn assert_not_contains(haystack: &str, needle: &str) {
    assert!(
        !contains_normalized(haystack, needle),
        "expected NOT to find {needle:?} in:\n-----\n{haystack}\n-----"
    );
}

/// True when `haystack` contains `needle`, ignoring diagnostic framing and line wrapping.
pub fn contains_normalized(haystack: &str, needle: &str) -> bool {
    normalize(haystack).contains(&normalize(needle))
}

/// Drops terraform's diagnostic framing (`╷ │ ╵` at line starts) and collapses whitespace.
pub fn normalize(text: &str) -> String {
    text.lines()
        .map(|line| line.trim_start().trim_start_matches(['╷', '│', '╵']))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn matches_across_wrapped_diagnostics() {
        let stderr = "╷\n│ Error: Invalid override\n│\n│ rds.force_ssl is locked by rule\n│ G10 and must not be\n│ overridden\n╵\n";
        assert!(contains_normalized(stderr, "locked by rule G10"));
        assert!(contains_normalized(stderr, "must not be overridden"));
        assert!(!contains_normalized(stderr, "G11"));
        assert_contains(stderr, "Invalid  override");
        assert_not_contains(stderr, "Warning");
    }

    #[test]
    #[should_panic(expected = "expected to find")]
    fn failure_prints_the_haystack() {
        assert_contains("abc", "xyz");
    }
}
