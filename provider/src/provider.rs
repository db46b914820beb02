//! The dbrail provider: configuration and the resource catalogue.

use crate::client::DbrailClient;
use crate::config;
use crate::diagnostics::config_error;
use crate::resources;
use async_trait::async_trait;
use dbrail_tfplugin::diagnostics::Diagnostics;
use dbrail_tfplugin::framework::{DynDataSource, DynResource, Provider};
use dbrail_tfplugin::schema::Schema;
use dbrail_tfplugin::value::Value;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The provider.
pub(crate) struct DbrailProvider;

#[async_trait]
impl Provider for DbrailProvider {
    type Client = DbrailClient;

    fn type_name(&self) -> &'static str {
        "dbrail"
    }

    fn schema(&self) -> Schema {
        config::schema()
    }

    async fn configure(
        &self,
        config: &Value,
        cancel: &CancellationToken,
    ) -> Result<DbrailClient, Diagnostics> {
        let config = config::read(config)?;
        let aws = dbrail_aws::connect(&config.settings, cancel)
            .await
            .map_err(|err| Diagnostics::from(config_error(&err)))?;
        tracing::info!(region = %aws.region, account = %aws.account_id, "configured AWS access");
        Ok(DbrailClient {
            aws,
            default_tags: config.default_tags,
        })
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource<DbrailClient>>> {
        resources::all()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<DbrailClient>>> {
        crate::data_sources::all()
    }
}
