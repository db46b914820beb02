//! GetMetadata and GetProviderSchema.

use super::schema_wire::schema_to_wire;
use super::state::ProviderState;
use crate::framework::Provider;
use crate::proto::tfplugin6 as wire;

fn capabilities() -> wire::ServerCapabilities {
    wire::ServerCapabilities {
        // Resources see destroy plans, so guards can stop a destroy before any API call.
        plan_destroy: true,
        get_provider_schema_optional: false,
        move_resource_state: false,
        generate_resource_config: false,
    }
}

pub(crate) fn metadata<P: Provider>(state: &ProviderState<P>) -> wire::get_metadata::Response {
    wire::get_metadata::Response {
        server_capabilities: Some(capabilities()),
        resources: state
            .resources
            .keys()
            .map(|name| wire::get_metadata::ResourceMetadata {
                type_name: (*name).to_owned(),
            })
            .collect(),
        data_sources: state
            .data_sources
            .keys()
            .map(|name| wire::get_metadata::DataSourceMetadata {
                type_name: (*name).to_owned(),
            })
            .collect(),
        ..Default::default()
    }
}

pub(crate) fn provider_schema<P: Provider>(
    state: &ProviderState<P>,
) -> wire::get_provider_schema::Response {
    wire::get_provider_schema::Response {
        provider: Some(schema_to_wire(&state.provider_schema)),
        resource_schemas: state
            .resources
            .iter()
            .map(|(name, r)| ((*name).to_owned(), schema_to_wire(r.schema())))
            .collect(),
        data_source_schemas: state
            .data_sources
            .iter()
            .map(|(name, d)| ((*name).to_owned(), schema_to_wire(d.schema())))
            .collect(),
        server_capabilities: Some(capabilities()),
        ..Default::default()
    }
}
