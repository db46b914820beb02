//! dbrail's own resources, read exactly as the provider reads them at plan time.
//!
//! `dbrail_cluster` fixes most settings itself (encryption, private access, IAM auth, managed
//! password, copy tags) and defaults the rest; the subject built here mirrors
//! `provider/src/resources/cluster/guardrails.rs` so that a plan the provider accepted gets the
//! same verdict in CI, and a plan edited after the fact does not. Coverage by a backup plan is
//! wider here than in the provider: besides `backup_policy`, an `aws_backup_selection` in the
//! plan can target the cluster.

use std::collections::{BTreeMap, BTreeSet};

use dbrail_rules::{
    ClusterSubject, Context, Date, Engine, Fact, ParameterGroupSubject, Scope, Subject, Tier,
    Waiver,
};

use super::coverage::{ClusterFacts, Selections};
use super::{Target, attrs};
use crate::attrs::Attrs;
use crate::error::InputError;
use crate::plan::Resource;
use crate::vocabulary::Vocabulary;

fn engine(name: &Fact<String>) -> Fact<Engine> {
    match name {
        Fact::Known(name) => Engine::from_name(name).map_or(Fact::Absent, Fact::Known),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    }
}

fn or_default<T>(fact: Fact<T>, default: impl FnOnce() -> T) -> Fact<T> {
    match fact {
        Fact::Absent => Fact::Known(default()),
        other => other,
    }
}

/// A `dbrail_cluster`.
pub(super) fn cluster(
    file: &str,
    selections: &Selections<'_>,
    resource: &Resource,
) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let engine_name = a.string("engine")?;
    let engine = engine(&engine_name);
    let mysql = matches!(engine, Fact::Known(Engine::AuroraMysql));
    let log_exports = or_default(a.strings("log_exports")?, || match engine {
        Fact::Known(e) => dbrail_rules::required_log_exports(e)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    });
    let port = or_default(a.u32("port", None)?, || if mysql { 3307 } else { 5433 })
        .map(|p| u16::try_from(p).unwrap_or(u16::MAX));
    let kms = a.non_empty("kms_key_id")?;
    let tags = or_default(a.string_map("tags")?, BTreeMap::new);
    let zones: Fact<BTreeSet<String>> = match a.strings("availability_zones")? {
        Fact::Known(zones) => Fact::Known(zones.into_iter().collect()),
        _ => Fact::Unknown,
    };
    let backup = match a.object("backup")? {
        Fact::Known(backup) => {
            backup.u32("retention_days", Some(Context::DEFAULT_BACKUP_FLOOR_DAYS))?
        }
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Known(Context::DEFAULT_BACKUP_FLOOR_DAYS),
    };
    let mut cluster = ClusterSubject::new(engine)
        .with_engine_version(a.string("engine_version")?)
        .with_storage_encrypted(Fact::Known(true))
        .with_kms_key_id(kms.clone())
        .with_publicly_accessible(Fact::Known(false))
        .with_deletion_protection(a.bool("deletion_guard", Some(true))?)
        .with_iam_database_authentication(Fact::Known(true))
        .with_backup_retention_days(backup)
        .with_log_exports(log_exports)
        .with_auto_minor_version_upgrade(Fact::Known(true))
        .with_readers(a.u32("readers", Some(1))?)
        .with_availability_zones(zones)
        .with_monitoring_interval(a.u32("monitoring_interval", Some(60))?)
        .with_performance_insights(a.bool("performance_insights", Some(true))?)
        .with_performance_insights_kms_key_id(kms)
        .with_copy_tags_to_snapshot(Fact::Known(true))
        .with_tags(tags)
        .with_master_username(or_default(a.string("master_username")?, || {
            "dbrail_admin".to_owned()
        }))
        .with_port(port)
        .with_manage_master_user_password(Fact::Known(true));
    match a.object("parameter_baseline")? {
        Fact::Known(baseline) => {
            cluster = cluster.with_cluster_parameters(group(
                &baseline,
                Scope::Cluster,
                "effective_cluster_parameters",
            )?);
        }
        Fact::Unknown => {
            cluster = cluster.with_cluster_parameters(
                ParameterGroupSubject::new(Scope::Cluster, Fact::Unknown).with_unknown_parameters(),
            );
        }
        Fact::Absent => {
            // As in the provider: no baseline means the engine's default group, which sets
            // nothing, so G9/G10 are judged on an empty group rather than skipped.
            let engine = cluster.engine;
            cluster = cluster.with_cluster_parameters(
                ParameterGroupSubject::new(Scope::Cluster, Fact::Absent).with_engine(engine),
            );
        }
    }
    let coverage = coverage(&a, selections, resource, &cluster.tags)?;
    let cluster = cluster.with_backup_coverage(coverage);
    let mut target = Target::new(resource, Subject::Cluster(cluster), Vocabulary::Dbrail);
    target.tier = match a.string("tier")? {
        Fact::Known(tier) => Some(match tier.as_str() {
            "development" => Tier::Development,
            "staging" => Tier::Staging,
            _ => Tier::Production,
        }),
        _ => None,
    };
    target.own_waivers = waivers(&a)?;
    Ok(target)
}

/// Whether a backup plan covers a `dbrail_cluster`: its `backup_policy` tags it for that policy's
/// selection, and any `aws_backup_selection` of the plan may target it too.
fn coverage(
    a: &Attrs<'_>,
    selections: &Selections<'_>,
    resource: &Resource,
    user_tags: &Fact<BTreeMap<String, Fact<String>>>,
) -> Result<Fact<bool>, InputError> {
    let policy = match a.object("backup_policy")? {
        Fact::Known(_) => Fact::Known(true),
        // Assigned a policy resource whose values are not all known yet: set all the same.
        Fact::Unknown
            if resource
                .references
                .get("backup_policy")
                .is_some_and(|refs| {
                    !refs.is_empty() && refs.iter().all(|r| r.starts_with("dbrail_backup_policy."))
                }) =>
        {
            Fact::Known(true)
        }
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Known(false),
    };
    if policy == Fact::Known(true) {
        return Ok(policy);
    }
    // The tags AWS sees: the user's and the tier dbrail records.
    let tier = or_default(a.string("tier")?, || "production".to_owned());
    let tags = user_tags.as_ref().map(|user| {
        let mut tags = user.clone();
        tags.insert("dbrail:tier".to_owned(), tier);
        tags
    });
    let facts = ClusterFacts {
        resource,
        arn: Fact::Absent,
        identifier: a.string("name")?,
        tags,
    };
    Ok(match (policy, selections.coverage(&facts)) {
        (_, Fact::Known(true)) => Fact::Known(true),
        (Fact::Unknown, _) => Fact::Unknown,
        (_, selected) => selected,
    })
}

/// The `waiver` blocks; a malformed expiry is an input error naming its path.
fn waivers(a: &Attrs<'_>) -> Result<Vec<Waiver>, InputError> {
    let Fact::Known(blocks) = a.blocks("waiver")? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for block in blocks {
        let (Fact::Known(rule), Fact::Known(reason), Fact::Known(expires)) = (
            block.string("rule")?,
            block.string("reason")?,
            block.string("expires")?,
        ) else {
            continue;
        };
        if let Ok(date) = expires.parse::<Date>() {
            out.push(Waiver::new(rule, reason, date));
        }
    }
    Ok(out)
}

/// A parameter group subject from a map attribute of effective parameters.
fn group(a: &Attrs<'_>, scope: Scope, map: &str) -> Result<ParameterGroupSubject, InputError> {
    let mut group = ParameterGroupSubject::new(scope, a.string("family")?);
    match a.string_map(map)? {
        Fact::Known(parameters) => {
            for (name, value) in parameters {
                group = group.with_parameter(name, value);
            }
        }
        Fact::Unknown | Fact::Absent => group = group.with_unknown_parameters(),
    }
    Ok(group)
}

/// A `dbrail_parameter_baseline`: its cluster group and its instance group.
pub(super) fn baseline(file: &str, resource: &Resource) -> Result<Vec<Target>, InputError> {
    let a = attrs(file, resource);
    Ok(vec![
        Target::new(
            resource,
            group(&a, Scope::Cluster, "effective_cluster_parameters")?.into(),
            Vocabulary::Parameters("effective_cluster_parameters"),
        ),
        Target::new(
            resource,
            group(&a, Scope::Instance, "effective_instance_parameters")?.into(),
            Vocabulary::Parameters("effective_instance_parameters"),
        ),
    ])
}

/// The cluster-scope group of a `dbrail_parameter_baseline`, for clusters that reference it.
pub(super) fn baseline_cluster_group(
    file: &str,
    resource: &Resource,
) -> Result<ParameterGroupSubject, InputError> {
    group(
        &attrs(file, resource),
        Scope::Cluster,
        "effective_cluster_parameters",
    )
}
