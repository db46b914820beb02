//! Parameters AWS requires in the same modify call.
//!
//! Some parameters are validated against each other when they change: the TLS minimum and
//! maximum protocol versions, and the password hashing method with the accepted authentication
//! methods. Sending one member in a call and its partner in the next can leave an inconsistent
//! pair that AWS rejects, so batching keeps every member of a group that is present together.
//! A group is declared whether or not the baseline sets its members, because overrides can add
//! them.

/// The coupling groups, by parameter name (lower case).
pub const COUPLED: &[&[&str]] = &[
    &["ssl_min_protocol_version", "ssl_max_protocol_version"],
    &["password_encryption", "rds.accepted_password_auth_method"],
];

/// The coupling group `name` belongs to, if any.
pub fn coupling_group(name: &str) -> Option<&'static [&'static str]> {
    let name = name.trim();
    COUPLED
        .iter()
        .copied()
        .find(|group| group.iter().any(|member| member.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_group_of_either_member() {
        assert_eq!(coupling_group("SSL_MAX_PROTOCOL_VERSION"), Some(COUPLED[0]));
        assert_eq!(
            coupling_group("rds.accepted_password_auth_method"),
            Some(COUPLED[1])
        );
        assert_eq!(coupling_group("rds.force_ssl"), None);
    }

    #[test]
    fn groups_are_disjoint_and_fit_in_a_batch() {
        let mut seen = std::collections::BTreeSet::new();
        for group in COUPLED {
            assert!(group.len() <= crate::baseline::MAX_BATCH);
            for member in *group {
                assert!(seen.insert(*member), "{member} in two groups");
            }
        }
    }
}
