//! Amazon RDS finders and operations, returning plain crate types.
//!
//! Every call goes through [`crate::retry`] with the caller's [`crate::Deadline`] and
//! cancellation token, and every error is classified, so resources only decide *what* to do.

mod parameter_group;
mod parameters;
mod tags;

pub use parameter_group::{
    GroupKind, ParameterGroup, ParameterGroupSpec, create_parameter_group, delete_parameter_group,
    find_parameter_group,
};
pub use parameters::{
    ApplyMethod, MAX_PARAMETERS_PER_CALL, Parameter, ParameterReset, ParameterUpdate,
    list_user_parameters, modify_parameters, reset_parameters,
};
pub use tags::{Tags, add_tags, diff_tags, list_tags, remove_tags};
