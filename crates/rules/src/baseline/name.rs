//! Parameter name syntax.
//!
//! A malformed name (a stray space, `name=value` pasted as a name, a quote) fails only when AWS
//! receives it, in the middle of an apply. Checking the shape at plan time turns that into a
//! diagnostic on the override that caused it. The check is syntactic: whether the family knows
//! the name is for AWS to say.

/// The longest parameter name accepted.
pub const MAX_NAME_LEN: usize = 255;

/// Whether `name` is shaped like an RDS parameter name: an ASCII letter or `_`, then ASCII
/// letters, digits, `_`, `.` or `-`; no empty segment between dots; not ending in `.` or `-`.
pub fn is_valid(name: &str) -> bool {
    let bytes = name.as_bytes();
    let Some((&first, _)) = bytes.split_first() else {
        return false;
    };
    bytes.len() <= MAX_NAME_LEN
        && (first.is_ascii_alphabetic() || first == b'_')
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && !name.contains("..")
        && !name.ends_with(['.', '-'])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn accepts_real_parameter_names() {
        for name in [
            "rds.force_ssl",
            "pgaudit.log",
            "shared_preload_libraries",
            "require_secure_transport",
            "character-set-client-handshake",
            "_internal",
            "aurora_binlog_replication_max_yield_seconds",
        ] {
            assert!(is_valid(name), "{name}");
        }
    }

    #[test]
    fn rejects_malformed_names() {
        for name in [
            "",
            " rds.force_ssl",
            "rds.force_ssl ",
            "rds.force_ssl=1",
            "rds..force_ssl",
            "pgaudit.",
            "1st",
            ".log",
            "log statement",
            "\"quoted\"",
            "naïve",
        ] {
            assert!(!is_valid(name), "{name:?}");
        }
        assert!(!is_valid(&"a".repeat(MAX_NAME_LEN + 1)));
        assert!(is_valid(&"a".repeat(MAX_NAME_LEN)));
    }

    proptest! {
        #[test]
        fn names_with_forbidden_characters_are_rejected(
            prefix in "[a-z][a-z0-9_]{0,10}",
            bad in "[ =,;'\"\\\\/()\t\n]",
            suffix in "[a-z0-9_]{0,10}",
        ) {
            let name = format!("{prefix}{bad}{suffix}");
            prop_assert!(!is_valid(&name));
        }

        #[test]
        fn well_formed_dotted_names_are_accepted(segments in prop::collection::vec("[a-z_][a-z0-9_-]{0,8}[a-z0-9_]", 1..4)) {
            prop_assert!(is_valid(&segments.join(".")));
        }
    }
}
