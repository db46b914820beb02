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
}
