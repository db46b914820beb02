//! In-process tests of the data source RPCs, over the same in-memory gRPC connection and test
//! provider as the resource tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::tests::{Client, client, dv, obj};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::{Context, DataReadRequest, DataReadResult, DataSource, ValidateConfig};
use crate::path::AttributePath;
use crate::proto::tfplugin6 as wire;
use crate::schema::{Attribute, Block, Schema};
use crate::value::{Type, Value};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Looks a key up: `greeting` is computed from the client's prefix; `limit` below the key's
/// length fails the read with an error on `limit`.
pub(super) struct Lookup;

#[derive(Serialize, Deserialize)]
pub(super) struct LookupState {
    key: String,
    limit: Option<i64>,
    greeting: Option<String>,
}

#[async_trait]
impl DataSource for Lookup {
    type Client = Client;
    type State = LookupState;
    fn type_name(&self) -> &'static str {
        "test_lookup"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("")
                .attribute(Attribute::string("key").required())
                .attribute(Attribute::number("limit").optional())
                .attribute(Attribute::string("greeting").computed()),
        )
    }
    async fn read(
        &self,
        ctx: &Context<Client>,
        req: DataReadRequest<LookupState>,
    ) -> DataReadResult<LookupState> {
        if req.config.key == "panic" {
            panic!("lookup exploded");
        }
        let prefix = match ctx.client() {
            Ok(c) => c.prefix.clone(),
            Err(d) => return DataReadResult::failed(d),
        };
        let state = LookupState {
            greeting: Some(format!("{prefix}:{}", req.config.key)),
            ..req.config
        };
        match state.limit {
            Some(limit) if limit < state.key.len() as i64 => DataReadResult::with_diagnostics(
                state,
                Diagnostic::error("key too long", "raise limit").at(AttributePath::attr("limit")),
            ),
            _ => DataReadResult::ok(state),
        }
    }
    fn as_validate_config(&self) -> Option<&dyn ValidateConfig> {
        Some(self)
    }
}

impl ValidateConfig for Lookup {
    fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        if config.attr("key").and_then(Value::as_str) == Some("") {
            d.error_at(AttributePath::attr("key"), "key is empty", "name a key");
        }
        d
    }
}

fn lookup_type() -> Type {
    Lookup.schema().block.value_type()
}

fn config(key: &str, limit: Option<i64>) -> Value {
    obj(&[
        ("key", Value::String(key.into())),
        (
            "limit",
            limit.map_or(Value::Null, |l| Value::Number(l.into())),
        ),
        ("greeting", Value::Null),
    ])
}

async fn read(key: &str, limit: Option<i64>) -> wire::read_data_source::Response {
    client()
        .await
        .read_data_source(wire::read_data_source::Request {
            type_name: "test_lookup".into(),
            config: dv(&config(key, limit), &lookup_type()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn schema_and_metadata_list_the_data_source() {
    let mut client = client().await;
    let schema = client
        .get_provider_schema(wire::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let lookup = &schema.data_source_schemas["test_lookup"];
    let names: Vec<_> = lookup
        .block
        .as_ref()
        .unwrap()
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["key", "limit", "greeting"]);
    assert!(!schema.resource_schemas.contains_key("test_lookup"));
    let meta = client
        .get_metadata(wire::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(meta.data_sources.len(), 1);
    assert_eq!(meta.data_sources[0].type_name, "test_lookup");
}

#[tokio::test]
async fn read_fills_computed_attributes_from_the_configured_client() {
    let resp = read("k1", None).await;
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let state = Value::from_msgpack(&resp.state.unwrap().msgpack, &lookup_type()).unwrap();
    assert_eq!(state.attr("greeting").and_then(Value::as_str), Some("t:k1"));
    assert_eq!(state.attr("key").and_then(Value::as_str), Some("k1"));
}

#[tokio::test]
async fn a_failed_read_is_an_error_on_the_attribute() {
    let resp = read("longkey", Some(2)).await;
    assert_eq!(resp.diagnostics.len(), 1);
    let diag = &resp.diagnostics[0];
    assert_eq!(diag.summary, "key too long");
    assert_eq!(diag.severity, wire::diagnostic::Severity::Error as i32);
    let step = &diag.attribute.as_ref().unwrap().steps[0];
    assert_eq!(
        step.selector,
        Some(wire::attribute_path::step::Selector::AttributeName(
            "limit".into()
        ))
    );
}

#[tokio::test]
async fn a_panicking_read_is_an_error_and_the_server_keeps_serving() {
    let resp = read("panic", None).await;
    assert!(resp.state.is_none());
    assert_eq!(resp.diagnostics.len(), 1);
    assert!(resp.diagnostics[0].detail.contains("lookup exploded"));
    assert!(read("k2", None).await.diagnostics.is_empty());
}

#[tokio::test]
async fn validation_runs_the_opt_in_check_and_unknown_types_are_named() {
    let mut client = client().await;
    let resp = client
        .validate_data_resource_config(wire::validate_data_resource_config::Request {
            type_name: "test_lookup".into(),
            config: dv(&config("", None), &lookup_type()),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.diagnostics.len(), 1);
    assert_eq!(resp.diagnostics[0].summary, "key is empty");

    let resp = client
        .read_data_source(wire::read_data_source::Request {
            type_name: "test_nothing".into(),
            config: dv(&config("k", None), &lookup_type()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.state.is_none());
    assert!(resp.diagnostics[0].summary.contains("test_nothing"));
    assert!(resp.diagnostics[0].detail.contains("test_lookup"));
}
