//! Attribute names in each resource's own vocabulary.
//!
//! Rules name attributes as `dbrail_cluster` spells them; a finding on an `aws_rds_cluster` must
//! name the argument its author wrote (`deletion_protection`, not `deletion_guard`), and a
//! finding on a parameter group must name its `parameter` block. The translation table for
//! clusters is the rules crate's own ([`cluster_attribute_aliases`]), so it cannot drift.

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

/// Replaces a leading `from` in `path` (at a step boundary) with `to`.
fn replace_prefix(path: &str, from: &str, to: &str) -> Option<String> {
    let rest = path.strip_prefix(from)?;
    (rest.is_empty() || rest.starts_with(['.', '['])).then(|| format!("{to}{rest}"))
}

impl Vocabulary {
    /// The attribute as the resource's author wrote it.
    pub fn translate(self, path: &AttrPath) -> String {
        let text = path.to_string();
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
        let renames: Vec<(&str, &str)> = match self {
            Vocabulary::AwsCluster | Vocabulary::AwsDbInstance => cluster_attribute_aliases()
                .iter()
                .copied()
                .filter(|(dbrail, aws)| dbrail != aws && !aws.starts_with('('))
                .chain(
                    (self == Vocabulary::AwsDbInstance).then_some(("master_username", "username")),
                )
                .collect(),
            Vocabulary::AwsDbSnapshot => vec![("storage_encrypted", "encrypted")],
            Vocabulary::Dbrail | Vocabulary::AwsBackupPlan | Vocabulary::Parameters(_) => {
                return text.to_owned();
            }
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        'scan: while !rest.is_empty() {
            let at_boundary =
                !out.ends_with(|c: char| c.is_ascii_alphanumeric() || "_.".contains(c));
            if at_boundary {
                for (dbrail, aws) in &renames {
                    if let Some(after) = rest.strip_prefix(dbrail)
                        && !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    {
                        out.push_str(aws);
                        rest = after;
                        continue 'scan;
                    }
                }
            }
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        }
        out
    }

    /// Whether the attribute is set on the cluster's instances rather than the cluster.
    pub fn is_instance_level(self, path: &AttrPath) -> bool {
        let text = path.to_string();
        self == Vocabulary::AwsCluster
            && cluster_instance_attributes()
                .iter()
                .any(|name| replace_prefix(&text, name, name).is_some())
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
