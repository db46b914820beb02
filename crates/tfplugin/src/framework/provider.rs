//! The provider trait: configuration and the lists of resource and data source types.

use super::data_source::DynDataSource;
use super::dyn_resource::DynResource;
use crate::diagnostics::Diagnostics;
use crate::schema::Schema;
use crate::value::Value;
use async_trait::async_trait;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// A Terraform provider.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// What configuration produces and every resource receives.
    type Client: Send + Sync + 'static;

    /// The provider's local name (`dbrail`).
    fn type_name(&self) -> &'static str;

    /// The `provider "dbrail" { ... }` schema.
    fn schema(&self) -> Schema;

    /// Validation of the provider block beyond the schema (values may be unknown).
    fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Builds the client from the provider block. Misconfiguration is an error diagnostic naming
    /// the attribute; it must never hang (bound every network call) or panic.
    async fn configure(
        &self,
        config: &Value,
        cancel: &CancellationToken,
    ) -> Result<Self::Client, Diagnostics>;

    /// The managed resource types.
    fn resources(&self) -> Vec<Arc<dyn DynResource<Self::Client>>>;

    /// The data source types; none unless the provider offers some.
    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Self::Client>>> {
        Vec::new()
    }
}
