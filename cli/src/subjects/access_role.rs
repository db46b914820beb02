//! `dbrail_access_role` as a rules subject, built the way the provider builds it at plan time:
//! targets and trusted principals from configuration, the trust policy rendered by the rules
//! crate's own [`documents::trust`], the permissions policy from the planned `policy_json`.

use dbrail_rules::access::documents::{self, OidcTrust};
use dbrail_rules::access::{AccessRoleSubject, AccessTarget, AccessTier, TrustSource};
use dbrail_rules::{AttrPath, Engine, Fact, Subject, Tier};

use super::{Target, attrs};
use crate::attrs::Attrs;
use crate::error::InputError;
use crate::plan::Resource;
use crate::vocabulary::Vocabulary;

/// The access role as a target.
pub(crate) fn target(file: &str, resource: &Resource) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let tier = match a.string("tier")? {
        Fact::Known(name) => AccessTier::from_name(&name).map_or(Fact::Absent, Fact::Known),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    };
    let engine = match a.string("engine")? {
        Fact::Known(name) => Engine::from_name(&name).map_or(Fact::Absent, Fact::Known),
        other => other.map(|_| Engine::AuroraPostgresql),
    };
    let mut role = AccessRoleSubject::new(tier)
        .with_engine(engine)
        .with_permissions_boundary_arn(a.non_empty("permissions_boundary_arn")?)
        .with_max_session_duration(a.u32("max_session_duration", Some(3600))?);
    let top_user = a.string("db_user")?;
    if let cluster @ (Fact::Known(_) | Fact::Unknown) = a.string("cluster_resource_id")? {
        role = role.with_target(AccessTarget {
            at: AttrPath::root(),
            cluster_resource_id: cluster,
            db_user: top_user.clone(),
        });
    }
    if let Fact::Known(blocks) = a.blocks("target")? {
        for (i, block) in blocks.iter().enumerate() {
            role = role.with_target(AccessTarget {
                at: AttrPath::attribute("target").index(i),
                cluster_resource_id: block.string("cluster_resource_id")?,
                db_user: block.string("db_user")?,
            });
        }
    }
    let (roles, services, oidc, trust_known) = trust_sources(&a, &mut role)?;
    let trust = match (tier, trust_known) {
        (Fact::Known(tier), true) => Fact::Known(documents::trust(tier, &roles, &services, &oidc)),
        (Fact::Absent, _) => Fact::Absent,
        _ => Fact::Unknown,
    };
    role = role.with_trust_policy(trust);
    role = role.with_policy(match a.string("policy_json")? {
        Fact::Known(text) => Fact::Known(
            serde_json::from_str(&text)
                .map(|doc| crate::iam::statements(&doc))
                .unwrap_or_default(),
        ),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    });
    let mut target = Target::new(resource, Subject::AccessRole(role), Vocabulary::Dbrail);
    target.tier = match a.string("environment")? {
        Fact::Known(name) => Some(match name.as_str() {
            "development" => Tier::Development,
            "staging" => Tier::Staging,
            _ => Tier::Production,
        }),
        _ => None,
    };
    Ok(target)
}

type Trust = (Vec<String>, Vec<String>, Vec<OidcTrust>, bool);

/// Records every trusted principal on `role` and returns the known ones for rendering, with
/// whether all of them are known.
fn trust_sources(a: &Attrs<'_>, role: &mut AccessRoleSubject) -> Result<Trust, InputError> {
    let mut all_known = true;
    let mut lists = [Vec::new(), Vec::new()];
    for (slot, (name, can_present_mfa)) in
        [("trusted_role_arns", true), ("trusted_services", false)]
            .into_iter()
            .enumerate()
    {
        match a.strings(name)? {
            Fact::Known(values) => {
                for (i, value) in values.iter().enumerate() {
                    role.trust_sources.push(TrustSource {
                        at: AttrPath::attribute(name).index(i),
                        value: Fact::Known(value.clone()),
                        can_present_mfa,
                    });
                }
                lists[slot] = values;
            }
            Fact::Unknown => {
                all_known = false;
                role.trust_sources.push(TrustSource {
                    at: AttrPath::attribute(name),
                    value: Fact::Unknown,
                    can_present_mfa,
                });
            }
            Fact::Absent => {}
        }
    }
    let mut oidc = Vec::new();
    match a.blocks("oidc")? {
        Fact::Known(blocks) => {
            for (i, block) in blocks.iter().enumerate() {
                let provider = block.string("provider_arn")?;
                let subject = block.string("subject")?;
                for (field, fact) in [("provider_arn", &provider), ("subject", &subject)] {
                    role.trust_sources.push(TrustSource {
                        at: AttrPath::attribute("oidc").index(i).attr(field),
                        value: fact.clone(),
                        can_present_mfa: false,
                    });
                }
                match (provider, subject) {
                    (Fact::Known(provider_arn), Fact::Known(subject)) => oidc.push(OidcTrust {
                        provider_arn,
                        subject,
                    }),
                    _ => all_known = false,
                }
            }
        }
        Fact::Unknown => all_known = false,
        Fact::Absent => {}
    }
    let [roles, services] = lists;
    Ok((roles, services, oidc, all_known))
}
