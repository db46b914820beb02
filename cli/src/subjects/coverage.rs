//! Whether a backup plan covers a cluster: the `aws_backup_selection`s of the plan that target it.
//!
//! A cluster is covered when some selection assigns it to a backup plan. AWS Backup decides that
//! from the selection's parts: the resources it lists (`resources`, ARNs in which `*` matches
//! any run of characters) or the tags it names (`selection_tag`, `STRINGEQUALS` only, any one
//! matching), then every `condition` on the resource's tags, then the exclusions in
//! `not_resources`. A selection naming neither resources nor tags selects every resource its
//! conditions allow. A cluster's ARN is often unknown until apply, but an expression such as
//! `resources = [aws_rds_cluster.main.arn]` is recorded in the plan's configuration, so a
//! selection referencing the cluster in the same module instance covers it. A
//! `dbrail_backup_policy` is a selection too: it selects every resource tagged
//! `dbrail:backup-policy = <its name>`, which is how a plain `aws_rds_cluster` can join it.
//!
//! Each part is judged three-valued: a selection whose resources or tags are unknown until apply
//! and might select the cluster leaves coverage unknown rather than guessed. The selections are
//! indexed once (by exact ARN, by cluster identifier, by reference, by tag), so each cluster
//! judges only the selections that could select it, and the check stays linear on large plans;
//! only selections that cannot be indexed (wildcard ARNs, conditions alone, values unknown until
//! apply) are judged for every cluster.

use std::collections::BTreeMap;

use dbrail_rules::Fact;
use rustc_hash::FxHashMap as HashMap;

use super::{attrs, links};
use crate::attrs::Attrs;
use crate::error::InputError;
use crate::glob::star_and_question;
use crate::plan::{Plan, Resource};

/// The tag a `dbrail_backup_policy`'s own selection selects, valued with the policy's name.
const POLICY_TAG: &str = "dbrail:backup-policy";

/// The prefix of a tag key in a selection's `condition` (and, optionally, `selection_tag`).
const TAG_KEY_PREFIX: &str = "aws:ResourceTag/";

/// What a cluster offers a selection to match against.
#[derive(Debug)]
pub(super) struct ClusterFacts<'a> {
    /// The cluster resource (for its module instance and configuration address).
    pub(super) resource: &'a Resource<'a>,
    /// Its ARN; anything but `Known` means "not known at plan time".
    pub(super) arn: Fact<String>,
    /// Its cluster identifier, the last part of its ARN.
    pub(super) identifier: Fact<String>,
    /// The tags AWS will see on it.
    pub(super) tags: Fact<BTreeMap<String, Fact<String>>>,
}

/// One tag test of a `condition` block.
#[derive(Debug, Clone, Copy)]
enum Test {
    Equals,
    Like,
    NotEquals,
    NotLike,
}

/// A tag comparison: the tag key (without `aws:ResourceTag/`) and the value or pattern.
#[derive(Debug)]
struct TagTest {
    test: Test,
    key: Fact<String>,
    value: Fact<String>,
}

/// An `aws_backup_selection`, read once.
#[derive(Debug)]
struct Selection<'a> {
    resource: &'a Resource<'a>,
    resources: Fact<Vec<String>>,
    not_resources: Fact<Vec<String>>,
    /// `selection_tag` blocks (any one matching selects).
    tags: Fact<Vec<TagTest>>,
    /// `condition` tests (all must hold).
    conditions: Fact<Vec<TagTest>>,
}

/// The plan's backup selections, indexed by what can select a cluster.
#[derive(Debug, Default)]
pub(super) struct Selections<'a> {
    all: Vec<Selection<'a>>,
    /// Literal ARNs in `resources`.
    by_arn: HashMap<String, Vec<usize>>,
    /// The cluster identifier of literal cluster ARNs, for clusters whose ARN is unknown.
    by_identifier: HashMap<String, Vec<usize>>,
    /// Resources referenced by `resources`: (module instance, resource without index).
    by_reference: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// `selection_tag` key → value → selections.
    by_tag: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Selections that every cluster must consider.
    general: Vec<usize>,
}

fn is_pattern(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// Stands for a part of an ARN not known at plan time; no pattern contains it.
const HIDDEN: &str = "\u{1}";

/// Whether the ARN `pattern` matches the cluster.
///
/// With the ARN unknown, a pattern whose wildcards cover the unknown parts (region, account)
/// matches; one that names them may or may not; one whose service, resource type or identifier
/// differ does not. A literal partition (`arn:aws:...`) is taken as the cluster's: a selection
/// selects resources of its own account only, so one naming another partition selects nothing
/// at all. A literal ARN cannot name a cluster whose identifier is itself unknown until apply.
fn arn_matches(pattern: &str, cluster: &ClusterFacts<'_>) -> Fact<bool> {
    if let Fact::Known(arn) = &cluster.arn {
        return Fact::Known(star_and_question(pattern, arn));
    }
    let identifier = cluster.identifier.known().map_or(HIDDEN, String::as_str);
    let partition = match pattern.split(':').nth(1) {
        Some(partition) if !partition.is_empty() && !is_pattern(partition) => partition,
        _ => HIDDEN,
    };
    let template = format!("arn:{partition}:rds:{HIDDEN}:{HIDDEN}:cluster:{identifier}");
    if star_and_question(pattern, &template) {
        return Fact::Known(true);
    }
    if !is_pattern(pattern) && cluster.identifier.known().is_none() {
        return Fact::Known(false);
    }
    let parts: Vec<&str> = pattern.split(':').collect();
    let [arn, _, service, _, _, kind, id] = parts.as_slice() else {
        return if is_pattern(pattern) {
            Fact::Unknown
        } else {
            Fact::Known(false)
        };
    };
    let fits = star_and_question(arn, "arn")
        && star_and_question(service, "rds")
        && star_and_question(kind, "cluster")
        && cluster
            .identifier
            .known()
            .is_none_or(|i| star_and_question(id, i));
    if fits {
        Fact::Unknown
    } else {
        Fact::Known(false)
    }
}

/// Three-valued OR: one known `true` settles it, else an unknown leaves it unknown.
fn any(facts: impl IntoIterator<Item = Fact<bool>>) -> Fact<bool> {
    settle(facts, true)
}

/// Three-valued AND: one known `false` settles it, else an unknown leaves it unknown.
fn all(facts: impl IntoIterator<Item = Fact<bool>>) -> Fact<bool> {
    settle(facts, false)
}

/// The first known `decisive` value decides; without one, any unknown leaves the result
/// unknown, and otherwise it is the opposite of `decisive`. Absent facts do not count.
fn settle(facts: impl IntoIterator<Item = Fact<bool>>, decisive: bool) -> Fact<bool> {
    let mut unknown = false;
    for fact in facts {
        match fact {
            Fact::Known(value) if value == decisive => return Fact::Known(decisive),
            Fact::Known(_) | Fact::Absent => {}
            Fact::Unknown => unknown = true,
        }
    }
    if unknown {
        Fact::Unknown
    } else {
        Fact::Known(!decisive)
    }
}

fn not(fact: Fact<bool>) -> Fact<bool> {
    fact.map(|b| !b)
}

fn tag_key(key: String) -> String {
    match key.strip_prefix(TAG_KEY_PREFIX) {
        Some(rest) => rest.to_owned(),
        None => key,
    }
}

impl TagTest {
    fn read(test: Test, block: &Attrs<'_>) -> Result<Self, InputError> {
        Ok(Self {
            test,
            key: block.string("key")?.map(tag_key),
            value: block.string("value")?,
        })
    }

    /// Whether the cluster's tags pass the test. A missing tag fails `StringEquals` and
    /// `StringLike` and passes their negations, as in IAM condition keys.
    fn holds(&self, tags: &Fact<BTreeMap<String, Fact<String>>>) -> Fact<bool> {
        let (Fact::Known(key), Fact::Known(wanted)) = (&self.key, &self.value) else {
            return Fact::Unknown;
        };
        let tags = match tags {
            Fact::Known(tags) => tags,
            Fact::Unknown => return Fact::Unknown,
            Fact::Absent => &BTreeMap::new(),
        };
        let equal = match tags.get(key) {
            Some(Fact::Known(value)) => Fact::Known(match self.test {
                Test::Equals | Test::NotEquals => value == wanted,
                Test::Like | Test::NotLike => star_and_question(wanted, value),
            }),
            Some(Fact::Unknown) => Fact::Unknown,
            Some(Fact::Absent) | None => Fact::Known(false),
        };
        match self.test {
            Test::Equals | Test::Like => equal,
            Test::NotEquals | Test::NotLike => not(equal),
        }
    }
}

/// The `selection_tag` blocks of a selection.
fn selection_tags(a: &Attrs<'_>) -> Result<Fact<Vec<TagTest>>, InputError> {
    Ok(match a.blocks("selection_tag")? {
        Fact::Known(blocks) => Fact::Known(
            blocks
                .iter()
                .map(|b| {
                    // ListOfTags supports STRINGEQUALS only; AWS rejects anything else.
                    TagTest::read(Test::Equals, b)
                })
                .collect::<Result<_, _>>()?,
        ),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Known(Vec::new()),
    })
}

/// The tests of a selection's `condition` blocks.
fn conditions(a: &Attrs<'_>) -> Result<Fact<Vec<TagTest>>, InputError> {
    let blocks = match a.blocks("condition")? {
        Fact::Known(blocks) => blocks,
        Fact::Unknown => return Ok(Fact::Unknown),
        Fact::Absent => return Ok(Fact::Known(Vec::new())),
    };
    let mut tests = Vec::new();
    for block in &blocks {
        for (name, test) in [
            ("string_equals", Test::Equals),
            ("string_like", Test::Like),
            ("string_not_equals", Test::NotEquals),
            ("string_not_like", Test::NotLike),
        ] {
            match block.blocks(name)? {
                Fact::Known(items) => {
                    for item in &items {
                        tests.push(TagTest::read(test, item)?);
                    }
                }
                Fact::Unknown => return Ok(Fact::Unknown),
                Fact::Absent => {}
            }
        }
    }
    Ok(Fact::Known(tests))
}

/// The resources an attribute references in the same module instance.
fn referenced<'a>(resource: &'a Resource<'a>, name: &str) -> impl Iterator<Item = &'a str> + 'a {
    resource
        .references
        .get(name)
        .into_iter()
        .flatten()
        .filter_map(|r| links::referenced_resource(r))
}

impl<'a> Selection<'a> {
    fn read(file: &str, resource: &'a Resource<'a>) -> Result<Self, InputError> {
        let a = attrs(file, resource);
        Ok(Self {
            resource,
            resources: a.strings("resources")?,
            not_resources: a.strings("not_resources")?,
            tags: selection_tags(&a)?,
            conditions: conditions(&a)?,
        })
    }

    /// The selection a `dbrail_backup_policy` makes: resources tagged with its name.
    fn of_policy(file: &str, resource: &'a Resource<'a>) -> Result<Self, InputError> {
        Ok(Self {
            resource,
            resources: Fact::Absent,
            not_resources: Fact::Absent,
            tags: Fact::Known(vec![TagTest {
                test: Test::Equals,
                key: Fact::Known(POLICY_TAG.to_owned()),
                value: attrs(file, resource).string("name")?,
            }]),
            conditions: Fact::Known(Vec::new()),
        })
    }

    /// Whether the cluster's configuration is referenced by `name` (`resources`, `not_resources`).
    fn references(&self, name: &str, cluster: &ClusterFacts<'_>) -> bool {
        self.resource.module == cluster.resource.module
            && referenced(self.resource, name).any(|local| local == cluster.resource.local)
    }

    /// Whether `name`, unknown until apply, can hold only what its expression references: every
    /// reference is to a managed resource (`[aws_rds_cluster.main.arn]`), none to a variable,
    /// local value, module output or data source, any of which could hold any ARN. (A literal
    /// ARN written beside a reference is not recorded in the plan; such a mix is taken to
    /// select the referenced resources only.)
    fn only_referenced(&self, name: &str) -> bool {
        self.resource.references.get(name).is_some_and(|refs| {
            !refs.is_empty()
                && refs
                    .iter()
                    .all(|r| !r.starts_with("data.") && links::referenced_resource(r).is_some())
        })
    }

    /// Whether the ARN list `list` (read from `name`) names the cluster.
    fn names(
        &self,
        name: &str,
        list: &Fact<Vec<String>>,
        cluster: &ClusterFacts<'_>,
    ) -> Fact<bool> {
        if self.references(name, cluster) {
            return Fact::Known(true);
        }
        match list {
            Fact::Known(patterns) => any(patterns.iter().map(|p| arn_matches(p, cluster))),
            Fact::Unknown if self.only_referenced(name) => Fact::Known(false),
            Fact::Unknown => Fact::Unknown,
            Fact::Absent => Fact::Known(false),
        }
    }

    /// Whether the selection assigns the cluster to its plan.
    fn selects(&self, cluster: &ClusterFacts<'_>) -> Fact<bool> {
        let lists_resources = !matches!(&self.resources, Fact::Known(r) if r.is_empty())
            && !self.resources.is_absent();
        let lists_tags = !matches!(&self.tags, Fact::Known(t) if t.is_empty());
        let chosen = if lists_resources || lists_tags {
            let by_resource = if lists_resources {
                self.names("resources", &self.resources, cluster)
            } else {
                Fact::Known(false)
            };
            let by_tag = match &self.tags {
                Fact::Known(tests) => any(tests.iter().map(|t| t.holds(&cluster.tags))),
                _ => Fact::Unknown,
            };
            any([by_resource, by_tag])
        } else {
            Fact::Known(true)
        };
        let conditions = match &self.conditions {
            Fact::Known(tests) => all(tests.iter().map(|t| t.holds(&cluster.tags))),
            _ => Fact::Unknown,
        };
        let excluded = self.names("not_resources", &self.not_resources, cluster);
        all([chosen, conditions, not(excluded)])
    }

    /// Whether the selection can only select clusters found through the index.
    fn is_indexed(&self) -> bool {
        let resources_bounded = match &self.resources {
            Fact::Known(patterns) => !patterns.iter().any(|p| is_pattern(p)),
            Fact::Absent => true,
            Fact::Unknown => self.only_referenced("resources"),
        };
        let tags_bounded = match &self.tags {
            Fact::Known(tests) => tests
                .iter()
                .all(|t| t.key.known().is_some() && t.value.known().is_some()),
            _ => false,
        };
        let lists_something = matches!(&self.resources, Fact::Known(r) if !r.is_empty())
            || (self.resources.is_unknown() && self.only_referenced("resources"))
            || matches!(&self.tags, Fact::Known(t) if !t.is_empty());
        resources_bounded && tags_bounded && lists_something
    }
}

/// The identifier of a cluster ARN (`arn:aws:rds:REGION:ACCOUNT:cluster:ID`).
fn cluster_identifier(arn: &str) -> Option<&str> {
    match arn.split(':').collect::<Vec<_>>().as_slice() {
        ["arn", _, "rds", _, _, "cluster", id] => Some(id),
        _ => None,
    }
}

impl<'a> Selections<'a> {
    /// Indexes the plan's `aws_backup_selection`s (and `dbrail_backup_policy` selections) once.
    pub(super) fn index(file: &str, plan: &'a Plan<'a>) -> Result<Self, InputError> {
        let mut index = Self::default();
        for resource in plan.resources.iter().filter(|r| !r.data) {
            let selection = match resource.kind.as_str() {
                "aws_backup_selection" => Selection::read(file, resource)?,
                "dbrail_backup_policy" => Selection::of_policy(file, resource)?,
                _ => continue,
            };
            let at = index.all.len();
            if selection.is_indexed() {
                if let Fact::Known(arns) = &selection.resources {
                    for arn in arns {
                        index.by_arn.entry(arn.clone()).or_default().push(at);
                        if let Some(id) = cluster_identifier(arn) {
                            index
                                .by_identifier
                                .entry(id.to_owned())
                                .or_default()
                                .push(at);
                        }
                    }
                }
                if let Fact::Known(tests) = &selection.tags {
                    for test in tests {
                        if let (Fact::Known(key), Fact::Known(value)) = (&test.key, &test.value) {
                            index
                                .by_tag
                                .entry(key.clone())
                                .or_default()
                                .entry(value.clone())
                                .or_default()
                                .push(at);
                        }
                    }
                }
            } else {
                index.general.push(at);
            }
            for target in referenced(resource, "resources") {
                index
                    .by_reference
                    .entry((resource.module.as_str(), target))
                    .or_default()
                    .push(at);
            }
            index.all.push(selection);
        }
        Ok(index)
    }

    /// The selections that could select the cluster, each once.
    fn candidates(&self, cluster: &ClusterFacts<'_>) -> Vec<usize> {
        let mut found: Vec<usize> = self.general.clone();
        let mut add = |ids: Option<&Vec<usize>>| found.extend(ids.into_iter().flatten());
        match (&cluster.arn, &cluster.identifier) {
            (Fact::Known(arn), _) => add(self.by_arn.get(arn)),
            (_, Fact::Known(id)) => add(self.by_identifier.get(id)),
            _ => {}
        }
        add(self.by_reference.get(&(
            cluster.resource.module.as_str(),
            cluster.resource.local.as_str(),
        )));
        match &cluster.tags {
            Fact::Known(tags) => {
                for (key, value) in tags {
                    let Some(values) = self.by_tag.get(key) else {
                        continue;
                    };
                    match value {
                        Fact::Known(value) => add(values.get(value)),
                        Fact::Unknown => values.values().for_each(|ids| add(Some(ids))),
                        Fact::Absent => {}
                    }
                }
            }
            Fact::Unknown => {
                for values in self.by_tag.values() {
                    values.values().for_each(|ids| add(Some(ids)));
                }
            }
            Fact::Absent => {}
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Whether some selection of the plan covers the cluster: `Known(false)` when none does
    /// (or the plan has none), `Unknown` when one may but cannot be told until apply.
    pub(super) fn coverage(&self, cluster: &ClusterFacts<'_>) -> Fact<bool> {
        any(self
            .candidates(cluster)
            .into_iter()
            .map(|at| self.all[at].selects(cluster)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_valued_logic_never_turns_unknown_into_known_without_cause() {
        assert_eq!(any([Fact::Unknown, Fact::Known(true)]), Fact::Known(true));
        assert_eq!(any([Fact::Unknown, Fact::Known(false)]), Fact::Unknown);
        assert_eq!(any(Vec::new()), Fact::Known(false));
        assert_eq!(all([Fact::Unknown, Fact::Known(false)]), Fact::Known(false));
        assert_eq!(all([Fact::Unknown, Fact::Known(true)]), Fact::Unknown);
        assert_eq!(not(Fact::Unknown), Fact::Unknown);
    }

    #[test]
    fn cluster_identifiers_of_arns() {
        assert_eq!(
            cluster_identifier("arn:aws:rds:eu-west-1:111122223333:cluster:orders"),
            Some("orders")
        );
        assert_eq!(
            cluster_identifier("arn:aws:rds:eu-west-1:1:db:orders"),
            None
        );
    }
}
