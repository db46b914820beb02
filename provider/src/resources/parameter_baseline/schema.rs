//! The schema of `dbrail_parameter_baseline`.

use dbrail_tfplugin::schema::{Attribute, Block, Nesting, Schema, Validator};

/// Longest baseline name: AWS allows 255 characters for a group name, minus `-instance`.
pub(crate) const MAX_NAME_LEN: usize = 246;

pub(crate) fn schema() -> Schema {
    let families = dbrail_rules::baseline::families()
        .iter()
        .map(|f| format!("`{}`", f.name()))
        .collect::<Vec<_>>()
        .join(", ");
    Schema::new(
        Block::new(
            "dbrail's parameter baseline for one Aurora engine family: a DB **cluster** parameter \
             group and a DB **instance** parameter group holding the settings auditors check \
             (TLS in transit, audit logging, connection logging), merged with your `overrides`. \
             Every override needs a reason, which is also recorded as a tag on the group. \
             Parameters that guardrails depend on may be tightened but never weakened.",
        )
        .attribute(Attribute::string("id").computed().stable().description("The baseline's name."))
        .attribute(
            Attribute::string("name")
                .required()
                .requires_replace()
                .description("Name of the baseline. The groups are named `<name>-cluster` and `<name>-instance`.")
                .validate(Validator::length_between(1, MAX_NAME_LEN))
                .validate(super::super::common::identifier_validator("parameter group name")),
        )
        .attribute(
            Attribute::string("family")
                .required()
                .requires_replace()
                .description(format!("Engine family of both groups. Supported: {families}.")),
        )
        .attribute(
            Attribute::nested(
                "overrides",
                Nesting::Map,
                vec![
                    Attribute::string("value").required().description("The value to set."),
                    Attribute::string("reason").optional().description(
                        "Why the baseline value does not fit. Required; recorded on the parameter group as a tag.",
                    ),
                    Attribute::string("scope")
                        .optional()
                        .description("`cluster` or `instance`. Defaults to where the baseline keeps the parameter, else `cluster`.")
                        .validate(Validator::one_of(&["cluster", "instance"])),
                    Attribute::string("apply_method")
                        .optional()
                        .description("`immediate` or `pending-reboot`. Defaults to what the parameter needs.")
                        .validate(Validator::one_of(&["immediate", "pending-reboot"])),
                ],
            )
            .optional()
            .description("Parameters that differ from the baseline, keyed by parameter name."),
        )
        .attribute(Attribute::string_map("tags").optional().validate(super::super::common::tags_validator()).description("Tags for both parameter groups."))
        .attribute(Attribute::string("cluster_parameter_group_name").computed().stable().description("Name of the DB cluster parameter group."))
        .attribute(Attribute::string("cluster_parameter_group_arn").computed().stable().description("ARN of the DB cluster parameter group."))
        .attribute(Attribute::string("instance_parameter_group_name").computed().stable().description("Name of the DB instance parameter group."))
        .attribute(Attribute::string("instance_parameter_group_arn").computed().stable().description("ARN of the DB instance parameter group."))
        .attribute(Attribute::string_map("effective_cluster_parameters").computed().description("Every parameter dbrail sets in the cluster group, baseline and overrides merged."))
        .attribute(Attribute::string_map("effective_instance_parameters").computed().description("Every parameter dbrail sets in the instance group."))
        .attribute(Attribute::bool("pending_reboot").computed().description(
            "True when the most recent change touched a static parameter, which takes effect when each instance next reboots. It stays true until a later change touches only dynamic parameters; dbrail does not track the reboots themselves.",
        )),
    )
}
