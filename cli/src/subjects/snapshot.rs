//! `aws_db_cluster_snapshot` and `aws_db_snapshot`, joined with the cluster or instance they are
//! taken from.
//!
//! A snapshot's encryption is not an argument: AWS copies it from the source, so a plan leaves
//! `storage_encrypted` (`encrypted` on `aws_db_snapshot`) unknown until apply. When the source is
//! in the same plan, its own setting decides: found by the identifier the snapshot names, or,
//! when that identifier is itself unknown (`db_cluster_identifier = aws_rds_cluster.main.id` on a
//! cluster being created), through the configuration's `references`. A snapshot whose source is
//! elsewhere stays undecided. In a state file the snapshot states its encryption and that wins.

use dbrail_rules::{Fact, SnapshotSubject, Subject};
use rustc_hash::FxHashMap as HashMap;

use super::{Target, attrs, links};
use crate::error::InputError;
use crate::plan::{Plan, Resource};
use crate::vocabulary::Vocabulary;

/// A resource a snapshot can be taken from, with its storage encryption.
#[derive(Debug)]
struct Source<'a> {
    resource: &'a Resource<'a>,
    encrypted: Fact<bool>,
}

/// What each snapshot type is taken from: the attribute naming the source, and the source types
/// with the attribute holding their identifier.
struct Kind {
    snapshot: &'static str,
    names_source: &'static str,
    encryption: &'static str,
    sources: &'static [(&'static str, &'static str)],
}

const KINDS: [Kind; 2] = [
    Kind {
        snapshot: "aws_db_cluster_snapshot",
        names_source: "db_cluster_identifier",
        encryption: "storage_encrypted",
        sources: &[
            ("aws_rds_cluster", "cluster_identifier"),
            ("dbrail_cluster", "name"),
        ],
    },
    Kind {
        snapshot: "aws_db_snapshot",
        names_source: "db_instance_identifier",
        encryption: "encrypted",
        sources: &[("aws_db_instance", "identifier")],
    },
];

fn kind_of(snapshot: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.snapshot == snapshot)
}

/// The plan's possible snapshot sources, indexed once by identifier and by configuration
/// address, separately for cluster and instance snapshots.
#[derive(Debug, Default)]
pub(super) struct Sources<'a> {
    list: Vec<Source<'a>>,
    /// (snapshot type, identifier) → sources.
    by_identifier: HashMap<(&'static str, String), Vec<usize>>,
    /// (snapshot type, module instance, resource without index) → sources.
    by_local: HashMap<(&'static str, &'a str, &'a str), Vec<usize>>,
}

/// A source's storage encryption, with AWS's default where it is not set. `dbrail_cluster`
/// always encrypts.
fn encryption(file: &str, resource: &Resource) -> Result<Fact<bool>, InputError> {
    if resource.kind == "dbrail_cluster" {
        return Ok(Fact::Known(true));
    }
    attrs(file, resource).bool("storage_encrypted", Some(false))
}

impl<'a> Sources<'a> {
    /// Indexes the plan's clusters and instances that snapshots can name; a plan without
    /// snapshots of a kind reads none of their sources.
    pub(super) fn index(file: &str, plan: &'a Plan) -> Result<Self, InputError> {
        let mut index = Self::default();
        for kind in &KINDS {
            if plan.of_type(kind.snapshot).next().is_none() {
                continue;
            }
            for (source_type, identifier) in kind.sources {
                for resource in plan.of_type(source_type) {
                    let position = index.list.len();
                    index.list.push(Source {
                        resource,
                        encrypted: encryption(file, resource)?,
                    });
                    if let Fact::Known(id) = attrs(file, resource).string(identifier)? {
                        index
                            .by_identifier
                            .entry((kind.snapshot, id))
                            .or_default()
                            .push(position);
                    }
                    index
                        .by_local
                        .entry((
                            kind.snapshot,
                            resource.module.as_str(),
                            resource.local.as_str(),
                        ))
                        .or_default()
                        .push(position);
                }
            }
        }
        Ok(index)
    }

    /// The source `snapshot` is taken from, if the plan holds it: by the identifier it names,
    /// else through the configuration's references; among several (`count`), the one with the
    /// snapshot's own index.
    fn of(
        &self,
        kind: &Kind,
        snapshot: &Resource,
        identifier: &Fact<String>,
    ) -> Option<&Source<'a>> {
        let named: Vec<usize> = identifier
            .known()
            .and_then(|id| self.by_identifier.get(&(kind.snapshot, id.clone())))
            .cloned()
            .unwrap_or_default();
        let candidates = if named.is_empty() {
            let mut referenced: Vec<usize> = snapshot
                .references
                .get(kind.names_source)
                .into_iter()
                .flatten()
                .filter_map(|r| links::referenced_resource(r))
                .filter_map(|local| {
                    self.by_local
                        .get(&(kind.snapshot, snapshot.module.as_str(), local))
                })
                .flatten()
                .copied()
                .collect();
            referenced.sort_unstable();
            referenced.dedup();
            referenced
        } else {
            named
        };
        let sources: Vec<&Source<'a>> = candidates
            .iter()
            .filter_map(|i| self.list.get(*i))
            .collect();
        let index = links::index_of(&snapshot.address);
        sources
            .iter()
            .find(|s| links::index_of(&s.resource.address) == index)
            .or(sources.first())
            .copied()
    }
}

/// A snapshot target, or `None` for a type that is not a snapshot.
pub(super) fn target(
    file: &str,
    sources: &Sources<'_>,
    resource: &Resource,
) -> Result<Option<Target>, InputError> {
    let Some(kind) = kind_of(&resource.kind) else {
        return Ok(None);
    };
    let a = attrs(file, resource);
    let own = a.bool(kind.encryption, None)?;
    let identifier = a.string(kind.names_source)?;
    let mut snapshot = SnapshotSubject::new().with_shared_accounts(a.strings("shared_accounts")?);
    snapshot = match (own, sources.of(kind, resource, &identifier)) {
        (Fact::Known(encrypted), _) => snapshot.with_storage_encrypted(Fact::Known(encrypted)),
        (_, Some(source)) => {
            snapshot.with_source_encryption(source.resource.address.clone(), source.encrypted)
        }
        (own, None) => snapshot.with_storage_encrypted(own),
    };
    let vocabulary = if kind.encryption == "storage_encrypted" {
        Vocabulary::Dbrail
    } else {
        Vocabulary::AwsDbSnapshot
    };
    Ok(Some(Target::new(
        resource,
        Subject::Snapshot(snapshot),
        vocabulary,
    )))
}
