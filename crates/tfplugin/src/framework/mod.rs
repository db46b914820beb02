//! The typed resource framework: what resource code implements.
//!
//! The core [`Resource`] trait is small: a schema and create / read / update / delete on a typed
//! state struct. Everything else is an opt-in capability (config validation, plan modification,
//! import, state upgrade) that a resource offers by returning itself from the matching accessor.
//! The [`erase`](dyn_resource::erase) adapter turns a typed resource into the value-level
//! [`DynResource`] the server dispatches to, and holds the protocol rules every resource shares:
//! computed attributes become unknown when they may change, `requires_replace` attributes force
//! replacement, write-only attributes never reach state, and a missing remote object leaves state
//! with a warning. Data sources ([`DataSource`]) follow the same pattern with one typed `read`.

mod capabilities;
mod context;
mod data_source;
mod dyn_resource;
mod planning;
mod provider;
mod resource;
pub(crate) mod validate;

pub use capabilities::{ImportState, ModifyPlan, PlanChange, UpgradeState, ValidateConfig};
pub use context::Context;
pub use data_source::{
    DataReadRequest, DataReadResponse, DataReadResult, DataSource, DynDataSource, erase_data_source,
};
pub use dyn_resource::{
    ApplyRequest, ApplyResponse, DynResource, ImportResponse, PlanRequest, PlanResponse,
    ReadResponse, erase,
};
pub use provider::Provider;
pub use resource::{
    ApplyResult, CreateRequest, DeleteRequest, ReadRequest, ReadResult, Resource, UpdateRequest,
};
