//! dbrail's data source types, one module each.

mod backup_status;

use crate::client::DbrailClient;
use dbrail_tfplugin::framework::{DynDataSource, erase_data_source};
use std::sync::Arc;

/// Every data source type the provider serves.
pub(crate) fn all() -> Vec<Arc<dyn DynDataSource<DbrailClient>>> {
    vec![erase_data_source(backup_status::BackupStatus)]
}
