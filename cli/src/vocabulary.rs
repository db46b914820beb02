//! Attribute names in each resource's own vocabulary.
//!
//! Rules name attributes as `dbrail_cluster` spells them; a finding on an `aws_rds_cluster` must
//! name the argument its author wrote (`deletion_protection`, not `deletion_guard`), and a
//! finding on a parameter group must name its `parameter` block. The translation table for
//! clusters is the rules crate's own ([`cluster_attribute_aliases`]), so it cannot drift.

use std::sync::LazyLock;

use dbrail_rules::{AttrPath, cluster_attribute_aliases, cluster_instance_attributes};

/// Which names a resource type uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// The rules' own names: `dbrail_cluster`'s, and those of AWS resources whose rules already
    /// name their arguments (`aws_db_proxy`, `aws_rds_global_cluster`, IAM policies, ...).
    Dbrail,
    /// `aws_rds_cluster` (and its instances).
    AwsCluster,
    /// `aws_db_instance`.
    AwsDbInstance,
    /// `aws_db_snapshot`, whose encryption flag is `encrypted`.
    AwsDbSnapshot,
    /// `aws_backup_plan`, whose vault and lock live in other resources.
    AwsBackupPlan,
    /// A parameter group whose parameters live in the named attribute or block.
    Parameters(&'static str),
}

/// Names to replace in a message, with the bytes any of them starts with, so that most
/// positions of a message are passed over after one table lookup.
struct Renames {
    pairs: Vec<(&'static str, &'static str)>,
    starts: [bool; 256],
}

impl Renames {
    fn new(pairs: Vec<(&'static str, &'static str)>) -> Self {
        let mut starts = [false; 256];
        for (from, _) in &pairs {
            if let Some(&first) = from.as_bytes().first() {
                starts[usize::from(first)] = true;
            }
        }
        Self { pairs, starts }
    }

    /// The first rename (`from`, `to`) whose `from` is a whole name at the start of `rest`.
    fn at(&self, rest: &[u8]) -> Option<(usize, &'static str)> {
        let first = *rest.first()?;
        if !self.starts[usize::from(first)] {
            return None;
        }
        self.pairs.iter().find_map(|(from, to)| {
            let from = from.as_bytes();
            let whole = rest.starts_with(from)
                && !rest
                    .get(from.len())
                    .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_');
            whole.then_some((from.len(), *to))
        })
    }
}

/// The renames of an `aws_rds_cluster`'s messages: every cluster attribute whose argument has
/// another name, in the alias table's order. Built once, as every finding is rewritten.
static CLUSTER_RENAMES: LazyLock<Renames> = LazyLock::new(|| renames(None));

/// [`CLUSTER_RENAMES`] plus `aws_db_instance`'s own name for the admin user.
static DB_INSTANCE_RENAMES: LazyLock<Renames> =
    LazyLock::new(|| renames(Some(("master_username", "username"))));

/// `aws_db_snapshot`'s encryption flag.
static SNAPSHOT_RENAMES: LazyLock<Renames> =
    LazyLock::new(|| Renames::new(vec![("storage_encrypted", "encrypted")]));

fn renames(extra: Option<(&'static str, &'static str)>) -> Renames {
    Renames::new(
        cluster_attribute_aliases()
            .iter()
            .copied()
            .filter(|(dbrail, aws)| dbrail != aws && !aws.starts_with('('))
            .chain(extra)
            .collect(),
    )
}

/// Whether a byte continues an attribute name (a path's dots included).
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'.'
}

/// `text` with each whole name `from` that does not continue another name replaced by `to`.
/// Spans without a rename are copied whole; only a position after a non-name character (a
/// name's possible start) is compared against the renames.
fn rename(text: &str, renames: &Renames) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    // `text[..copied]` is in `out`; the output so far ends with a name byte when `in_name`.
    let (mut copied, mut at, mut in_name) = (0, 0, false);
    while let Some(&byte) = bytes.get(at) {
        if !in_name && let Some((length, to)) = bytes.get(at..).and_then(|r| renames.at(r)) {
            // A match starts and ends with ASCII, so both ends are character boundaries.
            out.push_str(text.get(copied..at).unwrap_or_default());
            out.push_str(to);
            at += length;
            copied = at;
            in_name = to.bytes().last().is_some_and(is_name_byte);
            continue;
        }
        in_name = is_name_byte(byte);
        at += 1;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// What follows a leading `from` in `path` when `from` ends at a step boundary.
fn after_step<'p>(path: &'p str, from: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(from)?;
    (rest.is_empty() || rest.starts_with(['.', '['])).then_some(rest)
}

/// Whether `path` starts with the steps `from`.
fn starts_with_step(path: &str, from: &str) -> bool {
    after_step(path, from).is_some()
}

/// Replaces a leading `from` in `path` (at a step boundary) with `to`.
fn replace_prefix(path: &str, from: &str, to: &str) -> Option<String> {
    after_step(path, from).map(|rest| format!("{to}{rest}"))
}

impl Vocabulary {
    /// The attribute as the resource's author wrote it.
    pub fn translate(self, path: &AttrPath) -> String {
        self.translate_text(path.to_string())
    }

    /// [`Self::translate`] of a path already written out.
    pub fn translate_text(self, text: String) -> String {
        match self {
            Vocabulary::Dbrail => text,
            Vocabulary::Parameters(to) => replace_prefix(&text, "parameters", to).unwrap_or(text),
            Vocabulary::AwsDbSnapshot => {
                replace_prefix(&text, "storage_encrypted", "encrypted").unwrap_or(text)
            }
            Vocabulary::AwsBackupPlan => [
                ("retention_days", "rule.lifecycle.delete_after"),
                ("continuous", "rule.enable_continuous_backup"),
                ("copy_to", "rule.copy_action"),
                ("vault_kms_key_arn", "aws_backup_vault.kms_key_arn"),
                (
                    "vault_lock.mode",
                    "aws_backup_vault_lock_configuration.changeable_for_days",
                ),
                ("vault_lock", "aws_backup_vault_lock_configuration"),
            ]
            .iter()
            .find_map(|(dbrail, aws)| replace_prefix(&text, dbrail, aws))
            .unwrap_or(text),
            Vocabulary::AwsCluster | Vocabulary::AwsDbInstance => {
                if self == Vocabulary::AwsDbInstance
                    && let Some(t) = replace_prefix(&text, "master_username", "username")
                {
                    return t;
                }
                cluster_attribute_aliases()
                    .iter()
                    .filter_map(|(dbrail, aws)| replace_prefix(&text, dbrail, aws))
                    .max_by_key(String::len)
                    .unwrap_or(text)
            }
        }
    }

    /// A finding's message or fix with the rules' attribute names replaced by the resource's own,
    /// so that "set deletion_guard = true" on an `aws_rds_cluster` reads "set
    /// deletion_protection = true". Only whole names are replaced; names without a counterpart
    /// argument (`readers`, `backup_policy`) are left as they are.
    pub fn words(self, text: &str) -> String {
        match self {
            Vocabulary::AwsCluster => rename(text, &CLUSTER_RENAMES),
            Vocabulary::AwsDbInstance => rename(text, &DB_INSTANCE_RENAMES),
            Vocabulary::AwsDbSnapshot => rename(text, &SNAPSHOT_RENAMES),
            Vocabulary::Dbrail | Vocabulary::AwsBackupPlan | Vocabulary::Parameters(_) => {
                text.to_owned()
            }
        }
    }

    /// Whether the attribute is set on the cluster's instances rather than the cluster.
    pub fn is_instance_level(self, path: &AttrPath) -> bool {
        self.is_instance_level_text(&path.to_string())
    }

    /// [`Self::is_instance_level`] of a path already written out.
    pub fn is_instance_level_text(self, text: &str) -> bool {
        self == Vocabulary::AwsCluster
            && cluster_instance_attributes()
                .iter()
                .any(|name| starts_with_step(text, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_cluster_attributes_to_aws_names() {
        let aws = Vocabulary::AwsCluster;
        assert_eq!(
            aws.translate(&AttrPath::attribute("deletion_guard")),
            "deletion_protection"
        );
        assert_eq!(
            aws.translate(&AttrPath::attribute("backup").attr("retention_days")),
            "backup_retention_period"
        );
        assert_eq!(
            aws.translate(&AttrPath::attribute("parameter_baseline").key("rds.force_ssl")),
            "db_cluster_parameter_group_name[\"rds.force_ssl\"]"
        );
        assert_eq!(
            aws.translate(&AttrPath::attribute("backup_policy")),
            "(backup selection)"
        );
        assert!(aws.is_instance_level(&AttrPath::attribute("publicly_accessible")));
        assert!(!aws.is_instance_level(&AttrPath::attribute("port")));
        assert_eq!(
            Vocabulary::AwsDbInstance.translate(&AttrPath::attribute("master_username")),
            "username"
        );
        assert_eq!(
            Vocabulary::Parameters("parameter")
                .translate(&AttrPath::attribute("parameters").key("rds.force_ssl")),
            "parameter[\"rds.force_ssl\"]"
        );
        assert_eq!(
            Vocabulary::AwsDbSnapshot.translate(&AttrPath::attribute("storage_encrypted")),
            "encrypted"
        );
        assert_eq!(
            Vocabulary::AwsDbSnapshot.translate(&AttrPath::attribute("shared_accounts")),
            "shared_accounts"
        );
    }

    #[test]
    fn messages_name_the_resource_own_arguments() {
        let aws = Vocabulary::AwsCluster;
        assert_eq!(
            aws.words("deletion_guard = false: set deletion_guard = true."),
            "deletion_protection = false: set deletion_protection = true."
        );
        assert_eq!(
            aws.words("backup.retention_days = 1; performance_insights = false"),
            "backup_retention_period = 1; performance_insights_enabled = false"
        );
        // Whole names only, and names without an argument of their own stay.
        assert_eq!(
            aws.words("performance_insights_kms_key_id, my_log_exports, readers = 0, x.port"),
            "performance_insights_kms_key_id, my_log_exports, readers = 0, x.port"
        );
        assert_eq!(
            Vocabulary::AwsDbInstance.words("master_username = \"admin\""),
            "username = \"admin\""
        );
        assert_eq!(
            Vocabulary::AwsDbSnapshot.words("storage_encrypted is not known"),
            "encrypted is not known"
        );
        assert_eq!(
            Vocabulary::Dbrail.words("set deletion_guard = true"),
            "set deletion_guard = true"
        );
    }
}
