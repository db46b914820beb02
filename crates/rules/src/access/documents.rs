//! The IAM documents of an access role, rendered once for every caller.
//!
//! The provider turns these statements into the JSON it sends to IAM; the CI command builds the
//! same statements from a plan to judge a `dbrail_access_role`; the rules judge the statements.
//! Rendering them in one place means the document that is checked is the document that is
//! applied.

use super::{AccessTier, PolicyCondition, PolicyStatement};
use crate::guardrails::MFA_KEY;

/// `arn:PARTITION:rds-db:REGION:ACCOUNT:dbuser:RESOURCE_ID/DB_USER`, the resource of
/// `rds-db:connect`.
pub fn connect_resource_arn(
    partition: &str,
    region: &str,
    account: &str,
    cluster_resource_id: &str,
    db_user: &str,
) -> String {
    format!("arn:{partition}:rds-db:{region}:{account}:dbuser:{cluster_resource_id}/{db_user}")
}

/// The role's permissions: `rds-db:connect` on exactly `connect_arns`, or for `break_glass`
/// reading exactly the master secret.
pub fn permissions(
    tier: AccessTier,
    connect_arns: &[String],
    master_secret_arn: Option<&str>,
) -> Vec<PolicyStatement> {
    let (actions, resources): (&[&str], Vec<String>) = match tier {
        AccessTier::BreakGlass => (
            &[
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
            ],
            master_secret_arn.map(str::to_owned).into_iter().collect(),
        ),
        _ => (&["rds-db:connect"], connect_arns.to_vec()),
    };
    vec![PolicyStatement {
        allow: true,
        actions: actions.iter().map(|a| (*a).to_owned()).collect(),
        resources,
        ..PolicyStatement::default()
    }]
}

/// An OIDC identity allowed to assume the role (a Kubernetes service account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcTrust {
    /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`.
    pub provider_arn: String,
    /// The token subject, e.g. `system:serviceaccount:payments:orders`.
    pub subject: String,
}

impl OidcTrust {
    /// The provider's host and path, the prefix of its condition keys.
    pub fn issuer(&self) -> &str {
        self.provider_arn
            .split_once(":oidc-provider/")
            .map_or(self.provider_arn.as_str(), |(_, issuer)| issuer)
    }
}

/// The trust policy: one statement per kind of principal. `break_glass` adds the MFA condition
/// to every statement.
pub fn trust(
    tier: AccessTier,
    role_arns: &[String],
    services: &[String],
    oidc: &[OidcTrust],
) -> Vec<PolicyStatement> {
    let mut statements = Vec::new();
    if !role_arns.is_empty() {
        statements.push(assume(
            role_arns.iter().map(|a| format!("AWS:{a}")).collect(),
            "sts:AssumeRole",
            Vec::new(),
        ));
    }
    if !services.is_empty() {
        statements.push(assume(
            services.iter().map(|s| format!("Service:{s}")).collect(),
            "sts:AssumeRole",
            Vec::new(),
        ));
    }
    for identity in oidc {
        let issuer = identity.issuer();
        statements.push(assume(
            vec![format!("Federated:{}", identity.provider_arn)],
            "sts:AssumeRoleWithWebIdentity",
            vec![
                condition(
                    "StringEquals",
                    &format!("{issuer}:aud"),
                    "sts.amazonaws.com",
                ),
                condition("StringEquals", &format!("{issuer}:sub"), &identity.subject),
            ],
        ));
    }
    if tier == AccessTier::BreakGlass {
        for statement in &mut statements {
            statement
                .conditions
                .push(condition("Bool", MFA_KEY, "true"));
        }
    }
    statements
}

fn assume(
    principals: Vec<String>,
    action: &str,
    conditions: Vec<PolicyCondition>,
) -> PolicyStatement {
    PolicyStatement {
        allow: true,
        actions: vec![action.to_owned()],
        resources: Vec::new(),
        principals,
        conditions,
    }
}

fn condition(operator: &str, key: &str, value: &str) -> PolicyCondition {
    PolicyCondition {
        operator: operator.to_owned(),
        key: key.to_owned(),
        values: vec![value.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_arns_name_the_resource_id_and_user() {
        assert_eq!(
            connect_resource_arn("aws", "eu-west-1", "111122223333", "cluster-ABC", "app"),
            "arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/app"
        );
    }

    #[test]
    fn break_glass_reads_only_the_secret_and_needs_mfa() {
        let secret = "arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster-x";
        let p = permissions(AccessTier::BreakGlass, &["ignored".into()], Some(secret));
        assert_eq!(p[0].resources, [secret]);
        assert!(
            p[0].actions
                .iter()
                .all(|a| a.starts_with("secretsmanager:"))
        );
        let t = trust(
            AccessTier::BreakGlass,
            &["arn:aws:iam::1:role/oncall".into()],
            &[],
            &[],
        );
        assert!(t.iter().all(|s| s.requires_true(MFA_KEY)));
        let t = trust(
            AccessTier::ReadOnly,
            &["arn:aws:iam::1:role/app".into()],
            &[],
            &[],
        );
        assert!(!t[0].requires_true(MFA_KEY));
    }

    #[test]
    fn oidc_trust_pins_audience_and_subject() {
        let oidc = OidcTrust {
            provider_arn: "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB"
                .into(),
            subject: "system:serviceaccount:payments:orders".into(),
        };
        let t = trust(AccessTier::ReadWrite, &[], &[], &[oidc]);
        assert_eq!(t[0].actions, ["sts:AssumeRoleWithWebIdentity"]);
        let keys: Vec<&str> = t[0].conditions.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "oidc.eks.eu-west-1.amazonaws.com/id/AB:aud",
                "oidc.eks.eu-west-1.amazonaws.com/id/AB:sub"
            ]
        );
    }
}
