//! Aurora global databases: what G1 and G4 look at on the global cluster.
//!
//! A global cluster (`aws_rds_global_cluster`) is a container for regional clusters. It states
//! whether storage is encrypted and whether it is protected from deletion, but it has no KMS key:
//! each regional member cluster is encrypted with a key of its own region, and those members are
//! judged as clusters. So the subject carries only what the global cluster itself decides, and G1
//! judges only the encryption part here.

use crate::Fact;

/// An Aurora global cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GlobalClusterSubject {
    /// Whether the global database's storage is encrypted.
    pub storage_encrypted: Fact<bool>,
    /// Whether deletion protection is on.
    pub deletion_protection: Fact<bool>,
}

impl GlobalClusterSubject {
    /// A global cluster about which nothing is known yet.
    pub fn new() -> Self {
        Self {
            storage_encrypted: Fact::Unknown,
            deletion_protection: Fact::Unknown,
        }
    }

    /// The same global cluster with storage encryption stated.
    #[must_use]
    pub fn with_storage_encrypted(mut self, value: Fact<bool>) -> Self {
        self.storage_encrypted = value;
        self
    }

    /// The same global cluster with deletion protection stated.
    #[must_use]
    pub fn with_deletion_protection(mut self, value: Fact<bool>) -> Self {
        self.deletion_protection = value;
        self
    }
}

impl Default for GlobalClusterSubject {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_global_cluster_knows_nothing() {
        let global = GlobalClusterSubject::new().with_deletion_protection(Fact::Known(true));
        assert!(global.storage_encrypted.is_unknown());
        assert_eq!(global.deletion_protection, Fact::Known(true));
    }
}
