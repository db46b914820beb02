//! What the role should be, from a fully known configuration: its documents, connect ARNs and
//! `grant_sql`, plus the structural checks the rules do not cover (a role must be assumable by
//! someone, connect somewhere, and a break-glass role must name the secret).

use super::documents::render;
use super::grant_sql::grant_sql;
use super::model::State;
use dbrail_rules::Engine;
use dbrail_rules::access::documents::{self, OidcTrust};
use dbrail_rules::access::{AccessTier, PolicyStatement};
use dbrail_tfplugin::diagnostics::Diagnostics;
use dbrail_tfplugin::path::AttributePath;

/// Where ARNs point: from the provider's verified identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Account {
    pub(crate) partition: String,
    pub(crate) region: String,
    pub(crate) account_id: String,
}

/// The role to converge to.
#[derive(Debug, Clone)]
pub(crate) struct Desired {
    pub(crate) tier: AccessTier,
    pub(crate) engine: Option<Engine>,
    pub(crate) targets: Vec<(String, String)>,
    pub(crate) role_arns: Vec<String>,
    pub(crate) services: Vec<String>,
    pub(crate) oidc: Vec<OidcTrust>,
    pub(crate) master_secret_arn: Option<String>,
    pub(crate) schema: Option<String>,
    pub(crate) account: Option<Account>,
}

impl Desired {
    /// The desired role from state or a known configuration; structural problems as
    /// diagnostics on their attributes.
    pub(crate) fn from_state(state: &State, account: Option<Account>) -> Result<Self, Diagnostics> {
        let mut diags = Diagnostics::new();
        let tier = state
            .tier
            .as_deref()
            .and_then(AccessTier::from_name)
            .unwrap_or(AccessTier::ReadOnly);
        let desired = Self {
            tier,
            engine: state.engine.as_deref().and_then(Engine::from_name),
            targets: state.targets(),
            role_arns: state.trusted_role_arns.clone().unwrap_or_default(),
            services: state.trusted_services.clone().unwrap_or_default(),
            oidc: state
                .oidc
                .iter()
                .flatten()
                .map(|o| OidcTrust {
                    provider_arn: o.provider_arn.clone(),
                    subject: o.subject.clone(),
                })
                .collect(),
            master_secret_arn: state.master_secret_arn.clone(),
            schema: state.schema.clone(),
            account,
        };
        let half_pair = state.cluster_resource_id.is_some() != state.db_user.is_some();
        if half_pair {
            let missing = if state.db_user.is_none() {
                "db_user"
            } else {
                "cluster_resource_id"
            };
            diags.error_at(
                AttributePath::attr(missing),
                "cluster_resource_id and db_user go together",
                "Set both, or neither and use `target` blocks.",
            );
        }
        if desired.role_arns.is_empty() && desired.services.is_empty() && desired.oidc.is_empty() {
            diags.error_at(
                AttributePath::attr("trusted_role_arns"),
                "Nobody may assume this role",
                "Set trusted_role_arns, trusted_services or an oidc block.",
            );
        }
        // A half-set pair was reported above; "connects to nothing" would repeat it.
        match tier {
            AccessTier::BreakGlass if desired.master_secret_arn.is_none() => diags.error_at(
                AttributePath::attr("master_secret_arn"),
                "break_glass needs the cluster's master secret",
                "Set master_secret_arn = dbrail_cluster.<name>.master_user_secret_arn; it is the only thing a break-glass role may read.",
            ),
            AccessTier::BreakGlass => {}
            _ if desired.targets.is_empty() && !half_pair => diags.error_at(
                AttributePath::attr("db_user"),
                "The role connects to nothing",
                "Set cluster_resource_id and db_user, or add target blocks.",
            ),
            _ => {}
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(desired)
        }
    }

    /// The `rds-db:connect` resources, when the account is known.
    pub(crate) fn connect_arns(&self) -> Option<Vec<String>> {
        let a = self.account.as_ref()?;
        if self.tier == AccessTier::BreakGlass {
            return Some(Vec::new());
        }
        let mut arns: Vec<String> = self
            .targets
            .iter()
            .map(|(cluster, user)| {
                documents::connect_resource_arn(
                    &a.partition,
                    &a.region,
                    &a.account_id,
                    cluster,
                    user,
                )
            })
            .collect();
        arns.dedup();
        Some(arns)
    }

    /// The permissions policy statements, when the account is known.
    pub(crate) fn permission_statements(&self) -> Option<Vec<PolicyStatement>> {
        let arns = self.connect_arns()?;
        Some(documents::permissions(
            self.tier,
            &arns,
            self.master_secret_arn.as_deref(),
        ))
    }

    /// The trust policy statements.
    pub(crate) fn trust_statements(&self) -> Vec<PolicyStatement> {
        documents::trust(self.tier, &self.role_arns, &self.services, &self.oidc)
    }

    /// The permissions policy, normalised JSON.
    pub(crate) fn policy_json(&self) -> Option<String> {
        self.permission_statements().map(|s| render(&s))
    }

    /// The trust policy, normalised JSON.
    pub(crate) fn trust_policy_json(&self) -> String {
        render(&self.trust_statements())
    }

    /// `grant_sql`, when the engine is known.
    pub(crate) fn grant_sql(&self) -> Option<String> {
        let users: Vec<String> = self.targets.iter().map(|(_, u)| u.clone()).collect();
        self.engine
            .map(|engine| grant_sql(engine, self.tier, &users, self.schema.as_deref()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn account() -> Option<Account> {
        Some(Account {
            partition: "aws".into(),
            region: "eu-west-1".into(),
            account_id: "111122223333".into(),
        })
    }

    fn state(tier: &str) -> State {
        State {
            name: "orders".into(),
            tier: Some(tier.into()),
            engine: Some("aurora-postgresql".into()),
            cluster_resource_id: Some("cluster-ABC".into()),
            db_user: Some("orders_ro".into()),
            trusted_role_arns: Some(vec!["arn:aws:iam::111122223333:role/app".into()]),
            ..State::default()
        }
    }

    fn error_paths(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .filter_map(|d| d.attribute.as_ref().map(ToString::to_string))
            .collect()
    }

    #[test]
    fn a_connect_role_grants_exactly_its_arns() {
        let d = Desired::from_state(&state("read_only"), account()).unwrap();
        assert_eq!(
            d.connect_arns().unwrap(),
            ["arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/orders_ro"]
        );
        let policy: serde_json::Value = serde_json::from_str(&d.policy_json().unwrap()).unwrap();
        assert_eq!(policy["Statement"]["Action"], "rds-db:connect");
        assert!(d.grant_sql().unwrap().contains("GRANT rds_iam"));
        // Without the provider's identity the ARNs are not known yet.
        let d = Desired::from_state(&state("read_only"), None).unwrap();
        assert!(d.policy_json().is_none());
    }

    #[test]
    fn structural_problems_name_their_attribute() {
        let mut s = state("break_glass");
        s.trusted_role_arns = None;
        let err = Desired::from_state(&s, account()).unwrap_err();
        assert_eq!(
            error_paths(&err),
            ["trusted_role_arns", "master_secret_arn"]
        );

        let mut s = state("read_write");
        s.db_user = None;
        let err = Desired::from_state(&s, account()).unwrap_err();
        assert_eq!(error_paths(&err), ["db_user"]);
    }
}
