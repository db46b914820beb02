//! Snapshots: what G2 looks at.
//!
//! A manual snapshot outlives its cluster and can be shared with other accounts, or with every
//! account (`all`), which is how database copies leak. Whether it is encrypted is not chosen on
//! the snapshot: it follows the cluster or instance it is taken from. A plan therefore rarely
//! knows it from the snapshot alone, and a caller that can see the source in the same plan
//! states the source's setting and names the source, so a finding can say where to fix it.

use crate::Fact;

/// A DB cluster snapshot (`aws_db_cluster_snapshot`) or DB instance snapshot
/// (`aws_db_snapshot`).
///
/// Findings name `storage_encrypted` and `shared_accounts`; callers translate them for resources
/// that spell the encryption flag differently (`encrypted` on `aws_db_snapshot`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnapshotSubject {
    /// Whether the snapshot is encrypted.
    pub storage_encrypted: Fact<bool>,
    /// The resource whose setting [`storage_encrypted`](Self::storage_encrypted) was taken from
    /// (an address such as `aws_rds_cluster.main`), when the snapshot itself does not state it
    /// yet; `None` when the snapshot states it.
    pub encryption_source: Option<String>,
    /// The accounts the snapshot is shared with; `all` makes it public. `Absent` shares it with
    /// no one.
    pub shared_accounts: Fact<Vec<String>>,
}

impl SnapshotSubject {
    /// A snapshot about which nothing is known yet.
    pub fn new() -> Self {
        Self {
            storage_encrypted: Fact::Unknown,
            encryption_source: None,
            shared_accounts: Fact::Unknown,
        }
    }

    /// The same snapshot with its own encryption setting stated.
    #[must_use]
    pub fn with_storage_encrypted(mut self, value: Fact<bool>) -> Self {
        self.storage_encrypted = value;
        self.encryption_source = None;
        self
    }

    /// The same snapshot with the encryption setting of the source it is taken from, named by
    /// `source`.
    #[must_use]
    pub fn with_source_encryption(mut self, source: impl Into<String>, value: Fact<bool>) -> Self {
        self.storage_encrypted = value;
        self.encryption_source = Some(source.into());
        self
    }

    /// The same snapshot with the accounts it is shared with stated.
    #[must_use]
    pub fn with_shared_accounts(mut self, value: Fact<Vec<String>>) -> Self {
        self.shared_accounts = value;
        self
    }
}

impl Default for SnapshotSubject {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_snapshot_knows_nothing_and_the_source_is_recorded_with_its_fact() {
        let snapshot = SnapshotSubject::new();
        assert!(snapshot.storage_encrypted.is_unknown());
        assert!(snapshot.shared_accounts.is_unknown());
        let joined = snapshot.with_source_encryption("aws_rds_cluster.main", Fact::Known(false));
        assert_eq!(joined.storage_encrypted, Fact::Known(false));
        assert_eq!(
            joined.encryption_source.as_deref(),
            Some("aws_rds_cluster.main")
        );
        let own = joined.with_storage_encrypted(Fact::Known(true));
        assert!(own.encryption_source.is_none());
    }
}
