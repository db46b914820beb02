//! The access role's guardrails: a rules subject from configuration (values may be unknown at
//! plan time), evaluated by the shared catalogue, reported on `dbrail_access_role` attributes.
//!
//! The trust and permissions policies in the subject are rendered by the same functions apply
//! uses ([`super::desired`]), so the rules judge the documents that will be sent to IAM.

use super::desired::Desired;
use crate::rules_bridge::{convert_path, finding_diagnostic, today};
use dbrail_rules::access::{AccessRoleSubject, AccessTarget, AccessTier, TrustSource};
use dbrail_rules::{AttrPath, Context, Engine, Fact, Outcome, Subject, Tier};
use dbrail_tfplugin::diagnostics::Diagnostics;
use dbrail_tfplugin::value::Value;

fn string(value: Option<&Value>) -> Fact<String> {
    match value {
        None | Some(Value::Null) => Fact::Absent,
        Some(v) if !v.is_wholly_known() => Fact::Unknown,
        Some(v) => v
            .as_str()
            .map_or(Fact::Absent, |s| Fact::Known(s.to_owned())),
    }
}

/// The environment named in configuration (production when unknown: the strictest reading).
pub(crate) fn environment(config: &Value) -> Tier {
    match config.attr("environment").and_then(Value::as_str) {
        Some("development") => Tier::Development,
        Some("staging") => Tier::Staging,
        _ => Tier::Production,
    }
}

/// The role as the rules see it; `desired` is the fully known configuration, when it is.
pub(crate) fn subject(config: &Value, desired: Option<&Desired>) -> AccessRoleSubject {
    let tier = match string(config.attr("tier")) {
        Fact::Known(t) => AccessTier::from_name(&t).map_or(Fact::Absent, Fact::Known),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    };
    let engine = match string(config.attr("engine")) {
        Fact::Known(e) => Engine::from_name(&e).map_or(Fact::Absent, Fact::Known),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    };
    let seconds = match config.attr("max_session_duration") {
        None | Some(Value::Null) => Fact::Known(3600),
        Some(v) if !v.is_wholly_known() => Fact::Unknown,
        Some(v) => v
            .as_number()
            .and_then(|n| n.as_u64())
            .map_or(Fact::Known(0), |n| {
                Fact::Known(u32::try_from(n).unwrap_or(u32::MAX))
            }),
    };
    let mut role = AccessRoleSubject::new(tier)
        .with_engine(engine)
        .with_permissions_boundary_arn(string(config.attr("permissions_boundary_arn")))
        .with_max_session_duration(seconds);
    let cluster = string(config.attr("cluster_resource_id"));
    let user = string(config.attr("db_user"));
    if !cluster.is_absent() || !user.is_absent() {
        role = role.with_target(AccessTarget {
            at: AttrPath::root(),
            cluster_resource_id: cluster,
            db_user: user,
        });
    }
    for (i, block) in list(config.attr("target")).iter().enumerate() {
        role = role.with_target(AccessTarget {
            at: AttrPath::attribute("target").index(i),
            cluster_resource_id: string(block.attr("cluster_resource_id")),
            db_user: string(block.attr("db_user")),
        });
    }
    for (name, can_present_mfa) in [("trusted_role_arns", true), ("trusted_services", false)] {
        match config.attr(name) {
            Some(v) if v.is_unknown() => {
                role = role.with_trust_source(TrustSource {
                    at: AttrPath::attribute(name),
                    value: Fact::Unknown,
                    can_present_mfa,
                })
            }
            _ => {
                for (i, item) in list(config.attr(name)).iter().enumerate() {
                    role = role.with_trust_source(TrustSource {
                        at: AttrPath::attribute(name).index(i),
                        value: string(Some(item)),
                        can_present_mfa,
                    });
                }
            }
        }
    }
    for (i, block) in list(config.attr("oidc")).iter().enumerate() {
        for field in ["provider_arn", "subject"] {
            role = role.with_trust_source(TrustSource {
                at: AttrPath::attribute("oidc").index(i).attr(field),
                value: string(block.attr(field)),
                can_present_mfa: false,
            });
        }
    }
    match desired {
        Some(d) => role
            .with_trust_policy(Fact::Known(d.trust_statements()))
            .with_policy(d.permission_statements().map_or(Fact::Unknown, Fact::Known)),
        None => role
            .with_trust_policy(Fact::Unknown)
            .with_policy(Fact::Unknown),
    }
}

fn list(value: Option<&Value>) -> Vec<Value> {
    value
        .and_then(Value::as_list)
        .map(<[Value]>::to_vec)
        .unwrap_or_default()
}

/// Evaluates every rule for the role and turns failures into diagnostics on its attributes.
pub(crate) fn evaluate(subject: AccessRoleSubject, tier: Tier) -> (Vec<Outcome>, Diagnostics) {
    let context = Context::new(tier, today());
    let outcomes = dbrail_rules::evaluate(&Subject::AccessRole(subject), &context);
    let mut diagnostics = Diagnostics::new();
    for finding in outcomes.iter().filter_map(Outcome::finding) {
        diagnostics.push(finding_diagnostic(
            finding,
            convert_path(&finding.attribute, |_, _| None),
        ));
    }
    (outcomes, diagnostics)
}
