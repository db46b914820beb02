//! Reading parameter values the way the engines do.
//!
//! Parameter values arrive as strings in whatever spelling the user wrote: `ON`, `on`, `1`;
//! comma-separated lists with or without spaces or quotes. Rules compare meanings, not spellings.

/// The items of a comma-separated list value, trimmed, unquoted and lower-cased; empty items are
/// dropped.
pub(crate) fn items(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|item| {
            item.trim()
                .trim_matches(|c| c == '\'' || c == '"')
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|item| !item.is_empty())
        .collect()
}

/// Whether a boolean parameter value is on. Accepts the spellings both engines accept for "on":
/// `1`, `on`, `true`, `yes` (any case).
pub(crate) fn is_on(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "on" | "true" | "yes"
    )
}

/// Whether a TLS protocol version name is TLS 1.2 or newer (`TLSv1.2`, `TLSv1.3`, any case).
pub(crate) fn is_modern_tls(version: &str) -> bool {
    matches!(
        version.trim().to_ascii_lowercase().as_str(),
        "tlsv1.2" | "tlsv1.3"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lists_loosely() {
        assert_eq!(
            items(" pg_stat_statements , 'PGAUDIT' ,,"),
            ["pg_stat_statements", "pgaudit"]
        );
        assert!(items("").is_empty());
    }

    #[test]
    fn reads_booleans() {
        for on in ["1", "ON", "on", "True", "yes", " 1 "] {
            assert!(is_on(on), "{on}");
        }
        for off in ["0", "OFF", "false", "", "2", "enabled"] {
            assert!(!is_on(off), "{off}");
        }
    }

    #[test]
    fn recognises_modern_tls() {
        assert!(is_modern_tls("TLSv1.2"));
        assert!(is_modern_tls("tlsv1.3"));
        assert!(!is_modern_tls("TLSv1.1"));
        assert!(!is_modern_tls("TLSv1"));
        assert!(!is_modern_tls("SSLv3"));
    }
}
