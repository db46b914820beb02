//! AWS Backup finders and operations, returning plain crate types.
//!
//! What a `dbrail_backup_policy` owns: a [`Vault`] encrypted with a customer key and optionally
//! locked ([`put_vault_lock`]), a [`Plan`] of one rule (schedule, retention, continuous backup,
//! copy actions), and a tag-based [`Selection`] assigning every resource tagged
//! `dbrail:backup-policy = <name>` to the plan. [`list_recovery_points`] is the evidence side:
//! what was actually backed up, newest first.
//!
//! Every call goes through [`crate::retry`] with the caller's [`crate::Deadline`] and
//! cancellation token. Finders return `Ok(None)` for a missing object (`ResourceNotFoundException`,
//! or a plan AWS reports as deleted); deletes of a missing object succeed, like the AWS provider.
//!
//! ## What the moto emulator does (moto 5.2.1, `moto/backup/`, plus dbrail's extension)
//! moto has vaults, plans, vault lock and tags; selections, plan updates, backup jobs and
//! recovery points come from the acceptance tests' `backup_selections.py` extension, which models
//! AWS's documented validation. moto keeps a deleted plan readable (with a `DeletionDate`), as AWS
//! does for a while; [`find_plan`] treats such a plan as gone.

mod common;
mod plan;
mod recovery_point;
mod selection;
mod vault;

/// The AWS Backup client type, for callers that hold one from [`crate::Clients`].
pub use aws_sdk_backup::Client;
pub use plan::{
    CopyRule, Plan, PlanRule, PlanSpec, create_plan, delete_plan, find_plan, find_plan_by_name,
    update_plan,
};
pub use recovery_point::{RecoveryPoint, list_recovery_points, start_backup_job};
pub use selection::{
    Selection, SelectionSpec, TagCondition, create_selection, delete_selection, find_selection,
    list_selections,
};
pub use vault::{
    Vault, VaultLockSpec, VaultSpec, create_vault, delete_vault, delete_vault_lock, find_vault,
    list_tags, put_vault_lock,
};
