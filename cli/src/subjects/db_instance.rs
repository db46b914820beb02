//! `aws_db_instance`: a standalone RDS instance, judged by the cluster rules where they mean the
//! same thing.
//!
//! Applied: G1 (encryption), G3 (public access), G4 (deletion protection), G5 (IAM auth),
//! G6 (backup retention), G8 (log exports, Aurora engines only), G11 (minor upgrades and
//! versions), G13 (monitoring, Performance Insights), G14 (copy tags, required tags),
//! G15 (admin name and port), G18 (managed master password). Left out: G9 and G10 (the
//! instance's parameter group is not followed yet), G12 (an instance has `multi_az`, not
//! readers), and `DB-LOG-STATEMENT`.

use std::collections::BTreeSet;

use dbrail_rules::{ClusterSubject, Engine, Fact, Subject};

use super::{Target, attrs};
use crate::error::InputError;
use crate::plan::Resource;
use crate::vocabulary::Vocabulary;

/// Rules not meaningful for a standalone instance.
pub(crate) const SKIPPED: &[&str] = &["G9", "G10", "G12", "DB-LOG-STATEMENT"];

/// An `aws_db_instance` target.
pub(super) fn target(file: &str, resource: &Resource) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let engine = match a.string("engine")? {
        Fact::Known(name) => Engine::from_name(&name).map_or(Fact::Absent, Fact::Known),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    };
    let tags = match a.string_map("tags_all")? {
        Fact::Absent => a.string_map("tags")?,
        other => other,
    };
    let cluster = ClusterSubject::new(engine)
        .with_engine_version(a.non_empty("engine_version")?)
        .with_storage_encrypted(a.bool("storage_encrypted", Some(false))?)
        .with_kms_key_id(a.non_empty("kms_key_id")?)
        .with_publicly_accessible(a.bool("publicly_accessible", Some(false))?)
        .with_deletion_protection(a.bool("deletion_protection", Some(false))?)
        .with_iam_database_authentication(
            a.bool("iam_database_authentication_enabled", Some(false))?,
        )
        .with_backup_retention_days(a.u32("backup_retention_period", Some(0))?)
        .with_log_exports(a.strings("enabled_cloudwatch_logs_exports")?)
        .with_auto_minor_version_upgrade(a.bool("auto_minor_version_upgrade", Some(true))?)
        .with_readers(Fact::Known(0))
        .with_availability_zones(Fact::Known(BTreeSet::new()))
        .with_monitoring_interval(a.u32("monitoring_interval", Some(0))?)
        .with_performance_insights(a.bool("performance_insights_enabled", Some(false))?)
        .with_performance_insights_kms_key_id(a.non_empty("performance_insights_kms_key_id")?)
        .with_copy_tags_to_snapshot(a.bool("copy_tags_to_snapshot", Some(false))?)
        .with_tags(tags)
        .with_master_username(a.non_empty("username")?)
        .with_port(
            a.u32("port", None)?
                .map(|p| u16::try_from(p).unwrap_or(u16::MAX)),
        )
        .with_manage_master_user_password(a.bool("manage_master_user_password", Some(false))?);
    let mut target = Target::new(
        resource,
        Subject::Cluster(cluster),
        Vocabulary::AwsDbInstance,
    );
    target.skipped_rules = SKIPPED;
    Ok(target)
}
