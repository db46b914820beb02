//! dbrail's managed resource types, one module each.

mod access_role;
mod backup_policy;
mod cluster;
mod common;
mod parameter_baseline;

use crate::client::DbrailClient;
use dbrail_tfplugin::framework::{DynResource, erase};
use std::sync::Arc;

/// Every resource type the provider serves.
pub(crate) fn all() -> Vec<Arc<dyn DynResource<DbrailClient>>> {
    vec![
        erase(parameter_baseline::ParameterBaseline),
        erase(cluster::ClusterResource),
        erase(access_role::AccessRole),
        erase(backup_policy::BackupPolicy),
    ]
}
