//! In-process tests of the gRPC server: a real tonic client talks to the real services over an
//! in-memory duplex stream, with a small provider defined here. No Terraform, no sockets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::{
    ApplyResult, Context, CreateRequest, DeleteRequest, DynResource, ImportState, ModifyPlan,
    PlanChange, Provider, ReadRequest, ReadResult, Resource, UpdateRequest, ValidateConfig, erase,
};
use crate::path::AttributePath;
use crate::plugin::test_support::connect_in_memory;
use crate::proto::tfplugin6 as wire;
use crate::proto::tfplugin6::provider_client::ProviderClient;
use crate::schema::{Attribute, Block, Schema};
use crate::value::{Type, Value};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub(super) struct TestProvider;

pub(super) struct Client {
    pub(super) prefix: String,
}

#[async_trait]
impl Provider for TestProvider {
    type Client = Client;
    fn type_name(&self) -> &'static str {
        "test"
    }
    fn schema(&self) -> Schema {
        Schema::new(Block::new("").attribute(Attribute::string("prefix").optional()))
    }
    async fn configure(
        &self,
        config: &Value,
        _: &CancellationToken,
    ) -> Result<Client, Diagnostics> {
        match config.attr("prefix").and_then(Value::as_str) {
            Some("bad") => Err(Diagnostic::error("bad prefix", "use another")
                .at(AttributePath::attr("prefix"))
                .into()),
            other => Ok(Client {
                prefix: other.unwrap_or("id").to_owned(),
            }),
        }
    }
    fn resources(&self) -> Vec<Arc<dyn DynResource<Client>>> {
        vec![erase(Thing)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn crate::framework::DynDataSource<Client>>> {
        vec![crate::framework::erase_data_source(
            super::tests_data_source::Lookup,
        )]
    }
}

struct Thing;

#[derive(Serialize, Deserialize)]
struct ThingState {
    id: Option<String>,
    name: String,
    size: Option<i64>,
    secret: Option<String>,
}

#[async_trait]
impl Resource for Thing {
    type Client = Client;
    type State = ThingState;
    fn type_name(&self) -> &'static str {
        "test_thing"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new("")
                .attribute(Attribute::string("id").computed().stable())
                .attribute(Attribute::string("name").required().requires_replace())
                .attribute(Attribute::number("size").default_value(Value::Number(1i64.into())))
                .attribute(Attribute::string("secret").optional().write_only()),
        )
    }
    async fn create(
        &self,
        ctx: &Context<Client>,
        req: CreateRequest<ThingState>,
    ) -> ApplyResult<ThingState> {
        if req.planned.name == "panic" {
            panic!("the thing exploded");
        }
        if req.planned.name == "wait" {
            tokio::select! {
                () = ctx.cancel().cancelled() => return ApplyResult::failed(Diagnostic::error("cancelled", "")),
                () = tokio::time::sleep(Duration::from_secs(30)) => {}
            }
        }
        let prefix = match ctx.client() {
            Ok(c) => c.prefix.clone(),
            Err(d) => return ApplyResult::failed(d),
        };
        ApplyResult::ok(ThingState {
            id: Some(format!("{prefix}-{}", req.planned.name)),
            secret: Some("must not persist".into()),
            ..req.planned
        })
    }
    async fn read(
        &self,
        _: &Context<Client>,
        req: ReadRequest<ThingState>,
    ) -> ReadResult<ThingState> {
        if req.state.name == "gone" {
            ReadResult::gone()
        } else {
            ReadResult::found(req.state)
        }
    }
    async fn update(
        &self,
        _: &Context<Client>,
        req: UpdateRequest<ThingState>,
    ) -> ApplyResult<ThingState> {
        ApplyResult::ok(req.planned)
    }
    async fn delete(&self, _: &Context<Client>, _: DeleteRequest<ThingState>) -> Diagnostics {
        Diagnostics::new()
    }
    fn as_validate_config(&self) -> Option<&dyn ValidateConfig> {
        Some(self)
    }
    fn as_modify_plan(&self) -> Option<&dyn ModifyPlan<Client>> {
        Some(self)
    }
    fn as_import_state(&self) -> Option<&dyn ImportState<Client, ThingState>> {
        Some(self)
    }
}

impl ValidateConfig for Thing {
    fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        if config.attr("name").and_then(Value::as_str) == Some("") {
            d.error_at(
                AttributePath::attr("name"),
                "name is empty",
                "give it a name",
            );
        }
        d
    }
}

#[async_trait]
impl ModifyPlan<Client> for Thing {
    async fn modify_plan(&self, _: &Context<Client>, _: &mut PlanChange) -> Diagnostics {
        Diagnostics::new()
    }
    async fn plan_destroy(&self, _: &Context<Client>, prior: &Value) -> Diagnostics {
        if prior.attr("name").and_then(Value::as_str) == Some("guarded") {
            return Diagnostic::error("guarded", "turn the guard off")
                .at(AttributePath::attr("name"))
                .into();
        }
        Diagnostics::new()
    }
}

#[async_trait]
impl ImportState<Client, ThingState> for Thing {
    async fn import_state(&self, _: &Context<Client>, id: &str) -> Result<ThingState, Diagnostics> {
        Ok(ThingState {
            id: Some(id.to_owned()),
            name: id.to_owned(),
            size: Some(1),
            secret: None,
        })
    }
}

fn thing_type() -> Type {
    Thing.schema().block.value_type()
}

pub(super) fn dv(value: &Value, ty: &Type) -> Option<wire::DynamicValue> {
    Some(wire::DynamicValue {
        msgpack: value.to_msgpack(ty).unwrap(),
        json: vec![],
    })
}

pub(super) fn obj(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn config(name: &str) -> Value {
    obj(&[
        ("id", Value::Null),
        ("name", Value::String(name.into())),
        ("size", Value::Null),
        ("secret", Value::String("s3cret".into())),
    ])
}

pub(super) async fn client() -> ProviderClient<tonic::transport::Channel> {
    let channel = connect_in_memory(crate::Services::new(TestProvider)).await;
    let mut client = ProviderClient::new(channel);
    let provider_type = TestProvider.schema().block.value_type();
    let resp = client
        .configure_provider(wire::configure_provider::Request {
            config: dv(
                &obj(&[("prefix", Value::String("t".into()))]),
                &provider_type,
            ),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty());
    client
}

async fn plan(
    client: &mut ProviderClient<tonic::transport::Channel>,
    prior: &Value,
    config: &Value,
) -> wire::plan_resource_change::Response {
    let ty = thing_type();
    client
        .plan_resource_change(wire::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(prior, &ty),
            proposed_new_state: dv(config, &ty),
            config: dv(config, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
}

async fn apply(
    client: &mut ProviderClient<tonic::transport::Channel>,
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> wire::apply_resource_change::Response {
    let ty = thing_type();
    client
        .apply_resource_change(wire::apply_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(prior, &ty),
            planned_state: dv(planned, &ty),
            config: dv(config, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
}

fn decode(value: &Option<wire::DynamicValue>) -> Value {
    Value::from_msgpack(&value.as_ref().unwrap().msgpack, &thing_type()).unwrap()
}

#[tokio::test]
async fn schema_lists_the_resource_with_markdown_descriptions() {
    let mut client = client().await;
    let schema = client
        .get_provider_schema(wire::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let thing = &schema.resource_schemas["test_thing"];
    let names: Vec<_> = thing
        .block
        .as_ref()
        .unwrap()
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["id", "name", "size", "secret"]);
    assert!(schema.server_capabilities.unwrap().plan_destroy);
    let meta = client
        .get_metadata(wire::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(meta.resources[0].type_name, "test_thing");
}

#[tokio::test]
async fn create_plan_then_apply_fills_computed_and_drops_write_only() {
    let mut client = client().await;
    let cfg = config("a");
    let planned = plan(&mut client, &Value::Null, &cfg).await;
    assert!(planned.diagnostics.is_empty(), "{:?}", planned.diagnostics);
    let planned_value = decode(&planned.planned_state);
    assert!(planned_value.attr("id").unwrap().is_unknown());
    assert_eq!(
        planned_value.attr("size"),
        Some(&Value::Number(1i64.into()))
    );
    assert_eq!(planned_value.attr("secret"), Some(&Value::Null));

    let applied = apply(&mut client, &Value::Null, &planned_value, &cfg).await;
    assert!(applied.diagnostics.is_empty(), "{:?}", applied.diagnostics);
    let state = decode(&applied.new_state);
    assert_eq!(state.attr("id"), Some(&Value::String("t-a".into())));
    assert_eq!(
        state.attr("secret"),
        Some(&Value::Null),
        "write-only value reached state"
    );

    // Second plan against the new state: nothing changes.
    let mut cfg2 = cfg.clone();
    if let Value::Object(m) = &mut cfg2 {
        m.insert("id".into(), Value::Null);
    }
    let mut proposed = state.clone();
    if let Value::Object(m) = &mut proposed {
        m.insert("secret".into(), Value::Null);
    }
    let ty = thing_type();
    let second = client
        .plan_resource_change(wire::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(&state, &ty),
            proposed_new_state: dv(&proposed, &ty),
            config: dv(&cfg2, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(decode(&second.planned_state), state);
    assert!(second.requires_replace.is_empty());
}

#[tokio::test]
async fn changing_a_replace_attribute_requests_replacement() {
    let mut client = client().await;
    let prior = obj(&[
        ("id", Value::String("t-a".into())),
        ("name", Value::String("a".into())),
        ("size", Value::Number(1i64.into())),
        ("secret", Value::Null),
    ]);
    let mut proposed = prior.clone();
    if let Value::Object(m) = &mut proposed {
        m.insert("name".into(), Value::String("b".into()));
    }
    let ty = thing_type();
    let resp = client
        .plan_resource_change(wire::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(&prior, &ty),
            proposed_new_state: dv(&proposed, &ty),
            config: dv(&config("b"), &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.requires_replace.len(), 1);
    use wire::attribute_path::step::Selector;
    assert_eq!(
        resp.requires_replace[0].steps[0].selector,
        Some(Selector::AttributeName("name".into()))
    );
}

#[tokio::test]
async fn validation_errors_carry_the_attribute_path() {
    let mut client = client().await;
    let resp = client
        .validate_resource_config(wire::validate_resource_config::Request {
            type_name: "test_thing".into(),
            config: dv(&config(""), &thing_type()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.diagnostics.len(), 1);
    let path = resp.diagnostics[0].attribute.as_ref().unwrap();
    use wire::attribute_path::step::Selector;
    assert_eq!(
        path.steps[0].selector,
        Some(Selector::AttributeName("name".into()))
    );
}

#[tokio::test]
async fn a_panic_becomes_a_diagnostic_and_the_server_keeps_serving() {
    let mut client = client().await;
    let cfg = config("panic");
    let planned = decode(&plan(&mut client, &Value::Null, &cfg).await.planned_state);
    let resp = apply(&mut client, &Value::Null, &planned, &cfg).await;
    let d = &resp.diagnostics[0];
    assert_eq!(d.severity, wire::diagnostic::Severity::Error as i32);
    assert!(d.detail.contains("the thing exploded"), "{}", d.detail);
    assert!(!d.detail.contains("backtrace"));
    // Still serving.
    let ok = plan(&mut client, &Value::Null, &config("fine")).await;
    assert!(ok.diagnostics.is_empty());
}

#[tokio::test]
async fn stop_provider_cancels_in_flight_operations_without_killing_the_server() {
    let mut client = client().await;
    let cfg = config("wait");
    let planned = decode(&plan(&mut client, &Value::Null, &cfg).await.planned_state);
    let mut waiting = client.clone();
    let started = std::time::Instant::now();
    let handle =
        tokio::spawn(async move { apply(&mut waiting, &Value::Null, &planned, &cfg).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopped = client
        .stop_provider(wire::stop_provider::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(stopped.error.is_empty());
    let resp = handle.await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(resp.diagnostics[0].summary.contains("cancelled"));
    // The server still serves, and new operations are not cancelled.
    let fresh = plan(&mut client, &Value::Null, &config("after")).await;
    assert!(fresh.diagnostics.is_empty());
}

#[tokio::test]
async fn destroy_plans_reach_the_resource_and_can_be_refused() {
    let mut client = client().await;
    let prior = obj(&[
        ("id", Value::String("t-g".into())),
        ("name", Value::String("guarded".into())),
        ("size", Value::Number(1i64.into())),
        ("secret", Value::Null),
    ]);
    let ty = thing_type();
    let resp = client
        .plan_resource_change(wire::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(&prior, &ty),
            proposed_new_state: dv(&Value::Null, &ty),
            config: dv(&Value::Null, &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.diagnostics[0].summary, "guarded");
}

#[tokio::test]
async fn read_of_a_vanished_object_removes_it_with_a_warning() {
    let mut client = client().await;
    let state = obj(&[
        ("id", Value::String("t-x".into())),
        ("name", Value::String("gone".into())),
        ("size", Value::Number(1i64.into())),
        ("secret", Value::Null),
    ]);
    let resp = client
        .read_resource(wire::read_resource::Request {
            type_name: "test_thing".into(),
            current_state: dv(&state, &thing_type()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(decode(&resp.new_state), Value::Null);
    assert_eq!(
        resp.diagnostics[0].severity,
        wire::diagnostic::Severity::Warning as i32
    );
}

#[tokio::test]
async fn import_returns_state_for_the_id_and_unknown_types_are_named() {
    let mut client = client().await;
    let resp = client
        .import_resource_state(wire::import_resource_state::Request {
            type_name: "test_thing".into(),
            id: "abc".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let state = Value::from_msgpack(
        &resp.imported_resources[0].state.as_ref().unwrap().msgpack,
        &thing_type(),
    )
    .unwrap();
    assert_eq!(state.attr("name"), Some(&Value::String("abc".into())));

    let resp = client
        .import_resource_state(wire::import_resource_state::Request {
            type_name: "test_nope".into(),
            id: "abc".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics[0].detail.contains("test_thing"));
}

#[tokio::test]
async fn configure_errors_point_at_the_provider_attribute() {
    let channel = connect_in_memory(crate::Services::new(TestProvider)).await;
    let mut client = ProviderClient::new(channel);
    let ty = TestProvider.schema().block.value_type();
    let resp = client
        .configure_provider(wire::configure_provider::Request {
            config: dv(&obj(&[("prefix", Value::String("bad".into()))]), &ty),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(resp.diagnostics[0].summary, "bad prefix");
    assert!(resp.diagnostics[0].attribute.is_some());
}

#[tokio::test]
async fn upgrade_accepts_json_state_and_drops_attributes_an_older_release_had() {
    let mut client = client().await;
    let raw = br#"{"id":"t-a","name":"a","size":2,"secret":null,"legacy":"x"}"#.to_vec();
    let resp = client
        .upgrade_resource_state(wire::upgrade_resource_state::Request {
            type_name: "test_thing".into(),
            version: 0,
            raw_state: Some(wire::RawState {
                json: raw,
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let v = decode(&resp.upgraded_state);
    assert_eq!(v.attr("size"), Some(&Value::Number(2i64.into())));
}
