//! The typed state of `dbrail_parameter_baseline`; field names are the schema's attribute names.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One entry of `overrides`, keyed by parameter name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OverrideModel {
    pub(crate) value: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) apply_method: Option<String>,
}

/// State of one baseline: a cluster parameter group and an instance parameter group.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) id: Option<String>,
    pub(crate) name: String,
    pub(crate) family: String,
    pub(crate) overrides: Option<BTreeMap<String, OverrideModel>>,
    pub(crate) tags: Option<BTreeMap<String, String>>,
    pub(crate) cluster_parameter_group_name: Option<String>,
    pub(crate) cluster_parameter_group_arn: Option<String>,
    pub(crate) instance_parameter_group_name: Option<String>,
    pub(crate) instance_parameter_group_arn: Option<String>,
    pub(crate) effective_cluster_parameters: Option<BTreeMap<String, String>>,
    pub(crate) effective_instance_parameters: Option<BTreeMap<String, String>>,
    pub(crate) pending_reboot: Option<bool>,
}

/// The cluster group's name for a baseline name.
pub(crate) fn cluster_group_name(name: &str) -> String {
    format!("{name}-cluster")
}

/// The instance group's name for a baseline name.
pub(crate) fn instance_group_name(name: &str) -> String {
    format!("{name}-instance")
}
