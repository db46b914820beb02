//! The role in AWS: converge to the desired state, read it back (with what import needs to
//! rebuild the configuration), delete it.

use super::desired::{Account, Desired};
use super::documents::normalise;
use super::model::{OidcModel, State, TargetModel};
use crate::client::DbrailClient;
use crate::resources::common::user_tags;
use dbrail_aws::iam::{self, Role, RoleChange, RoleSpec};
use dbrail_aws::{CancellationToken, Deadline, OperationError};
use serde_json::Value;
use std::collections::BTreeMap;

/// The name of dbrail's one inline policy on every access role.
pub(crate) const POLICY_NAME: &str = "dbrail-access";
/// Tags recording configuration that IAM does not hold, so import can rebuild it.
const TIER_TAG: &str = "dbrail:access-tier";
const ENVIRONMENT_TAG: &str = "dbrail:environment";
const ENGINE_TAG: &str = "dbrail:engine";
const SCHEMA_TAG: &str = "dbrail:schema";

/// AWS access for one operation.
pub(crate) struct Remote<'a> {
    pub(crate) client: &'a DbrailClient,
    pub(crate) deadline: Deadline,
    pub(crate) cancel: &'a CancellationToken,
}

/// The account ARNs are built in.
pub(crate) fn account(client: &DbrailClient) -> Account {
    Account {
        partition: client.aws.partition.clone(),
        region: client.aws.region.clone(),
        account_id: client.aws.account_id.clone(),
    }
}

fn all_tags(client: &DbrailClient, state: &State) -> BTreeMap<String, String> {
    let mut tags = client.tags_with_defaults(&state.tags.clone().unwrap_or_default());
    let recorded = [
        (TIER_TAG, state.tier.clone()),
        (ENVIRONMENT_TAG, state.environment.clone()),
        (ENGINE_TAG, state.engine.clone()),
        (SCHEMA_TAG, state.schema.clone()),
    ];
    for (key, value) in recorded {
        if let Some(value) = value {
            tags.insert(key.to_owned(), value);
        }
    }
    tags
}

/// Whether dbrail created the role: every role it creates carries the tier tag (from the same
/// `CreateRole` call, so no role of dbrail's exists without it). Such a role found at create
/// time is what an interrupted earlier apply left behind, and is adopted; any other role of
/// that name belongs to someone else and is never taken over.
pub(crate) fn created_by_dbrail(role: &Role) -> bool {
    role.tags.contains_key(TIER_TAG)
}

fn seconds(state: &State) -> i32 {
    state
        .max_session_duration
        .and_then(|s| i32::try_from(s).ok())
        .unwrap_or(3600)
}

impl Remote<'_> {
    fn iam(&self) -> &aws_sdk_iam::Client {
        &self.client.aws.iam
    }

    /// Creates or updates the role and its policy to match `state`.
    pub(crate) async fn converge(
        &self,
        state: &State,
        desired: &Desired,
    ) -> Result<(), OperationError> {
        let trust = desired.trust_policy_json();
        let tags = all_tags(self.client, state);
        match iam::find_role(self.iam(), &state.name, self.deadline, self.cancel).await? {
            None => {
                let spec = RoleSpec {
                    name: state.name.clone(),
                    description: Some(format!(
                        "dbrail {} database access",
                        state.tier.as_deref().unwrap_or_default()
                    )),
                    trust_policy: trust,
                    permissions_boundary_arn: state.permissions_boundary_arn.clone(),
                    max_session_duration: Some(seconds(state)),
                    tags,
                };
                iam::create_role(self.iam(), &spec, self.deadline, self.cancel).await?;
            }
            Some(role) => {
                let change = changes(&role, state, &trust, &tags);
                if change != RoleChange::default() {
                    iam::update_role(self.iam(), &state.name, &change, self.deadline, self.cancel)
                        .await?;
                }
            }
        }
        let Some(policy) = desired.policy_json() else {
            return Ok(());
        };
        let current = iam::find_role_policy(
            self.iam(),
            &state.name,
            POLICY_NAME,
            self.deadline,
            self.cancel,
        )
        .await?;
        if current.as_deref().map(normalise) != Some(policy.clone()) {
            iam::put_role_policy(
                self.iam(),
                &state.name,
                POLICY_NAME,
                &policy,
                self.deadline,
                self.cancel,
            )
            .await?;
        }
        Ok(())
    }

    /// Reads the role into `state`; `None` when it is gone. Also returns the policies on the
    /// role that dbrail did not put there.
    pub(crate) async fn refresh(
        &self,
        mut state: State,
    ) -> Result<Option<(State, Vec<String>)>, OperationError> {
        let Some(role) =
            iam::find_role(self.iam(), &state.name, self.deadline, self.cancel).await?
        else {
            return Ok(None);
        };
        let policy = iam::find_role_policy(
            self.iam(),
            &state.name,
            POLICY_NAME,
            self.deadline,
            self.cancel,
        )
        .await?;
        let mut extra: Vec<String> =
            iam::list_role_policies(self.iam(), &state.name, self.deadline, self.cancel)
                .await?
                .into_iter()
                .filter(|p| p != POLICY_NAME)
                .map(|p| format!("inline policy {p}"))
                .collect();
        extra.extend(
            iam::list_attached_role_policies(self.iam(), &state.name, self.deadline, self.cancel)
                .await?,
        );
        let importing = state.tier.is_none();
        if importing {
            rebuild(&mut state, &role, policy.as_deref());
        }
        state.id = Some(role.name.clone());
        state.arn = Some(role.arn.clone());
        state.trust_policy_json = Some(normalise(&role.trust_policy));
        state.policy_json = policy.as_deref().map(normalise);
        state.permissions_boundary_arn = role.permissions_boundary_arn.clone();
        state.max_session_duration = role.max_session_duration.map(i64::from);
        let own = user_tags(&role.tags, &self.client.default_tags, state.tags.as_ref());
        state.tags = (!own.is_empty()).then_some(own);
        Ok(Some((state, extra)))
    }

    /// Deletes the role (emptying it first).
    pub(crate) async fn delete(&self, name: &str) -> Result<(), OperationError> {
        iam::delete_role(self.iam(), name, self.deadline, self.cancel).await
    }
}

fn changes(role: &Role, state: &State, trust: &str, tags: &BTreeMap<String, String>) -> RoleChange {
    let mut change = RoleChange::default();
    if normalise(&role.trust_policy) != trust {
        change.trust_policy = Some(trust.to_owned());
    }
    if role.permissions_boundary_arn != state.permissions_boundary_arn {
        change.permissions_boundary_arn = Some(state.permissions_boundary_arn.clone());
    }
    if role.max_session_duration != Some(seconds(state)) {
        change.max_session_duration = Some(seconds(state));
    }
    change.remove_tags = role
        .tags
        .keys()
        .filter(|k| !tags.contains_key(*k))
        .cloned()
        .collect();
    change.add_tags = tags
        .iter()
        .filter(|(k, v)| role.tags.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    change
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn statements(doc: &Value) -> Vec<Value> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(single @ Value::Object(_)) => vec![single.clone()],
        _ => Vec::new(),
    }
}

/// Import: the configuration rebuilt from the role, its tags and its documents.
fn rebuild(state: &mut State, role: &Role, policy: Option<&str>) {
    state.tier = role.tags.get(TIER_TAG).cloned();
    state.environment = Some(
        role.tags
            .get(ENVIRONMENT_TAG)
            .cloned()
            .unwrap_or_else(|| "production".to_owned()),
    );
    state.engine = role.tags.get(ENGINE_TAG).cloned();
    state.schema = role.tags.get(SCHEMA_TAG).cloned();
    let trust: Value = serde_json::from_str(&role.trust_policy).unwrap_or_default();
    let (mut roles, mut services, mut oidc) = (Vec::new(), Vec::new(), Vec::new());
    for s in statements(&trust) {
        let principal = s.get("Principal");
        roles.extend(strings(principal.and_then(|p| p.get("AWS"))));
        services.extend(strings(principal.and_then(|p| p.get("Service"))));
        for provider_arn in strings(principal.and_then(|p| p.get("Federated"))) {
            let subject = s
                .get("Condition")
                .and_then(|c| c.get("StringEquals"))
                .and_then(Value::as_object)
                .and_then(|m| m.iter().find(|(k, _)| k.ends_with(":sub")))
                .and_then(|(_, v)| strings(Some(v)).into_iter().next())
                .unwrap_or_default();
            oidc.push(OidcModel {
                provider_arn,
                subject,
            });
        }
    }
    state.trusted_role_arns = (!roles.is_empty()).then_some(roles);
    state.trusted_services = (!services.is_empty()).then_some(services);
    state.oidc = (!oidc.is_empty()).then_some(oidc);
    let doc: Value = policy
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default();
    let resources: Vec<String> = statements(&doc)
        .iter()
        .flat_map(|s| strings(s.get("Resource")))
        .collect();
    if state.tier.as_deref() == Some("break_glass") {
        state.master_secret_arn = resources.into_iter().next();
        return;
    }
    let mut targets: Vec<TargetModel> = resources
        .iter()
        .filter_map(|arn| arn.split_once(":dbuser:"))
        .filter_map(|(_, rest)| rest.split_once('/'))
        .map(|(cluster, user)| TargetModel {
            cluster_resource_id: cluster.to_owned(),
            db_user: user.to_owned(),
        })
        .collect();
    if targets.len() == 1 {
        let t = targets.remove(0);
        state.cluster_resource_id = Some(t.cluster_resource_id);
        state.db_user = Some(t.db_user);
    } else {
        state.target = (!targets.is_empty()).then_some(targets);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(tags: &[(&str, &str)]) -> Role {
        Role {
            name: "orders-ro".to_owned(),
            arn: "arn:aws:iam::123456789012:role/orders-ro".to_owned(),
            tags: tags
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            role_id: "AROAEXAMPLE".to_owned(),
            trust_policy: "{}".to_owned(),
            permissions_boundary_arn: None,
            max_session_duration: Some(3600),
        }
    }

    #[test]
    fn a_role_carrying_the_tier_tag_is_dbrails_own() {
        assert!(created_by_dbrail(&role(&[
            (TIER_TAG, "read_only"),
            ("team", "payments")
        ])));
    }

    #[test]
    fn a_role_without_the_tier_tag_is_foreign() {
        assert!(!created_by_dbrail(&role(&[])));
        assert!(!created_by_dbrail(&role(&[("team", "payments")])));
        // Another dbrail record is not proof: only the create call sets the tier tag.
        assert!(!created_by_dbrail(&role(&[(
            ENGINE_TAG,
            "aurora-postgresql"
        )])));
    }
}
