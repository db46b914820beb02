//! The typed state of `dbrail_access_role`; field names are the schema's attribute names.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One `target` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TargetModel {
    pub(crate) cluster_resource_id: String,
    pub(crate) db_user: String,
}

/// One `oidc` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OidcModel {
    pub(crate) provider_arn: String,
    pub(crate) subject: String,
}

/// State of one access role.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) id: Option<String>,
    pub(crate) name: String,
    pub(crate) tier: Option<String>,
    pub(crate) environment: Option<String>,
    pub(crate) engine: Option<String>,
    pub(crate) cluster_resource_id: Option<String>,
    pub(crate) db_user: Option<String>,
    pub(crate) trusted_role_arns: Option<Vec<String>>,
    pub(crate) trusted_services: Option<Vec<String>>,
    pub(crate) permissions_boundary_arn: Option<String>,
    pub(crate) max_session_duration: Option<i64>,
    pub(crate) schema: Option<String>,
    pub(crate) master_secret_arn: Option<String>,
    pub(crate) tags: Option<BTreeMap<String, String>>,
    pub(crate) arn: Option<String>,
    pub(crate) policy_json: Option<String>,
    pub(crate) trust_policy_json: Option<String>,
    pub(crate) connect_resource_arns: Option<Vec<String>>,
    pub(crate) grant_sql: Option<String>,
    pub(crate) target: Option<Vec<TargetModel>>,
    pub(crate) oidc: Option<Vec<OidcModel>>,
}

impl State {
    /// Every (cluster resource id, db user) pair: the top-level one first, then `target`s.
    pub(crate) fn targets(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let (Some(cluster), Some(user)) = (&self.cluster_resource_id, &self.db_user) {
            out.push((cluster.clone(), user.clone()));
        }
        for t in self.target.iter().flatten() {
            out.push((t.cluster_resource_id.clone(), t.db_user.clone()));
        }
        out
    }
}
