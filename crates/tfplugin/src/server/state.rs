//! What the RPC adapters share: the provider, its resources by type name, the configured client
//! and the current stop token.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::{Context, DynDataSource, DynResource, Provider};
use crate::schema::Schema;
use crate::value::Type;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use tokio_util::sync::CancellationToken;

pub(crate) struct ProviderState<P: Provider> {
    pub(crate) provider: P,
    pub(crate) provider_schema: Schema,
    pub(crate) provider_type: Type,
    pub(crate) resources: BTreeMap<&'static str, Arc<dyn DynResource<P::Client>>>,
    pub(crate) data_sources: BTreeMap<&'static str, Arc<dyn DynDataSource<P::Client>>>,
    client: RwLock<Option<Arc<P::Client>>>,
    stop: Mutex<CancellationToken>,
}

impl<P: Provider> ProviderState<P> {
    pub(crate) fn new(provider: P) -> Self {
        let provider_schema = provider.schema();
        let provider_type = provider_schema.block.value_type();
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| (r.type_name(), r))
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| (d.type_name(), d))
            .collect();
        Self {
            provider,
            provider_schema,
            provider_type,
            resources,
            data_sources,
            client: RwLock::new(None),
            stop: Mutex::new(CancellationToken::new()),
        }
    }

    /// The resource named by an RPC, or an error naming the types this provider has.
    pub(crate) fn resource(
        &self,
        type_name: &str,
    ) -> Result<Arc<dyn DynResource<P::Client>>, Diagnostics> {
        self.resources.get(type_name).cloned().ok_or_else(|| {
            Diagnostic::error(
                format!("Unknown resource type {type_name:?}"),
                format!(
                    "The dbrail provider offers: {}.",
                    self.resources
                        .keys()
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .into()
        })
    }

    /// The data source named by an RPC, or an error naming the data sources this provider has.
    pub(crate) fn data_source(
        &self,
        type_name: &str,
    ) -> Result<Arc<dyn DynDataSource<P::Client>>, Diagnostics> {
        self.data_sources.get(type_name).cloned().ok_or_else(|| {
            Diagnostic::error(
                format!("Unknown data source {type_name:?}"),
                format!(
                    "The dbrail provider offers the data sources: {}.",
                    self.data_sources
                        .keys()
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .into()
        })
    }

    pub(crate) fn set_client(&self, client: P::Client) {
        if let Ok(mut slot) = self.client.write() {
            *slot = Some(Arc::new(client));
        }
    }

    /// A context for one operation: the client and the current stop token.
    pub(crate) fn context(&self) -> Context<P::Client> {
        let client = self.client.read().ok().and_then(|c| c.clone());
        let cancel = self
            .stop
            .lock()
            .map(|t| t.clone())
            .unwrap_or_else(|_| CancellationToken::new());
        Context::new(client, cancel)
    }

    /// StopProvider: cancels every in-flight operation; later operations get a fresh token, so
    /// the server itself keeps serving.
    pub(crate) fn stop(&self) {
        if let Ok(mut token) = self.stop.lock() {
            token.cancel();
            *token = CancellationToken::new();
        }
    }
}
