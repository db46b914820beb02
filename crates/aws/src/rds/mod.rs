//! Amazon RDS finders and operations, returning plain crate types.
//!
//! Every call goes through [`crate::retry`] with the caller's [`crate::Deadline`] and
//! cancellation token, and every error is classified, so resources only decide *what* to do.
//!
//! - Parameter groups and their parameters: [`create_parameter_group`], [`modify_parameters`], ...
//! - What a `dbrail_cluster` owns: its [`SubnetGroup`], the Aurora [`Cluster`] and its
//!   [`Instance`]s (one writer, N readers), waiters for each, and the final
//!   [`ClusterSnapshot`] taken on delete.
//! - Tags on any RDS ARN: [`list_tags`], [`add_tags`], [`remove_tags`], [`diff_tags`].
//!
//! Each module's docs say what the local emulator (moto) does differently from AWS; the
//! acceptance-test README collects those gaps.

mod cluster;
mod common;
mod engine_version;
mod instance;
mod parameter_group;
mod parameters;
mod snapshot;
mod subnet_group;
mod tags;
mod waiters;

pub use cluster::{
    Cluster, ClusterChange, ClusterMember, ClusterSpec, FixedSetting, LogExportsChange,
    create_cluster, delete_cluster, diff_log_exports, find_cluster, modify_cluster,
};
pub use engine_version::{default_engine_version, is_in_major_version};
pub use instance::{
    Instance, InstanceChange, InstanceSpec, create_instance, delete_instance, find_instance,
    list_cluster_instances, modify_instance,
};
pub use parameter_group::{
    GroupKind, ParameterGroup, ParameterGroupSpec, create_parameter_group, delete_parameter_group,
    find_parameter_group,
};
pub use parameters::{
    ApplyMethod, MAX_PARAMETERS_PER_CALL, Parameter, ParameterReset, ParameterUpdate,
    list_user_parameters, modify_parameters, reset_parameters,
};
pub use snapshot::{ClusterSnapshot, find_cluster_snapshot};
pub use subnet_group::{
    SubnetGroup, SubnetGroupSpec, SubnetGroupSubnet, create_subnet_group, delete_subnet_group,
    find_subnet_group, modify_subnet_group,
};
pub use tags::{Tags, add_tags, diff_tags, list_tags, remove_tags};
pub use waiters::{
    wait_for_cluster_available, wait_for_cluster_deleted, wait_for_cluster_snapshot_available,
    wait_for_instance_available, wait_for_instance_deleted,
};
