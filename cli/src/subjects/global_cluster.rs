//! `aws_rds_global_cluster`: encryption (G1) and deletion protection (G4) of an Aurora global
//! database.
//!
//! The global cluster holds no data and no KMS key of its own; its regional members are
//! `aws_rds_cluster`s, judged as clusters (key included). What the global cluster decides itself
//! is judged here. `storage_encrypted` defaults to off, except that a global cluster created
//! from an existing cluster (`source_db_cluster_identifier`) takes that cluster's setting, which
//! the plan cannot tell: undecided.

use dbrail_rules::{Fact, GlobalClusterSubject, Subject};

use super::{Target, attrs};
use crate::error::InputError;
use crate::plan::Resource;
use crate::vocabulary::Vocabulary;

/// An `aws_rds_global_cluster` target. The rules name its arguments as it spells them.
pub(super) fn target(file: &str, resource: &Resource) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let encrypted = match a.bool("storage_encrypted", None)? {
        // Unset is judged as unset (the rule names AWS's default); unless a source cluster
        // decides it.
        Fact::Absent => match a.non_empty("source_db_cluster_identifier")? {
            Fact::Absent => Fact::Absent,
            Fact::Known(_) | Fact::Unknown => Fact::Unknown,
        },
        other => other,
    };
    let global = GlobalClusterSubject::new()
        .with_storage_encrypted(encrypted)
        .with_deletion_protection(a.bool("deletion_protection", Some(false))?);
    Ok(Target::new(
        resource,
        Subject::GlobalCluster(global),
        Vocabulary::Dbrail,
    ))
}
