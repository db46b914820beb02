//! Provider settings as plain data: what the provider block says, before any AWS call.
//!
//! The provider crate fills [`Settings`] from its configuration; [`crate::connect`] turns it into
//! clients. Anything not set here falls back to the SDK's standard sources (environment
//! variables, shared config/credentials files, web identity), exactly like the AWS CLI, so a
//! user's existing setup just works.

use std::fmt;

/// Default total attempts per SDK call (1 try + 4 retries) when `max_retries` is not set.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// Everything [`crate::connect`] needs to build AWS clients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// AWS region (`region`). Falls back to `AWS_REGION` / `AWS_DEFAULT_REGION`, then the shared
    /// config file's `region` for the selected profile.
    pub region: Option<String>,
    /// Named profile from the shared config/credentials files (`profile`). Falls back to
    /// `AWS_PROFILE`, then `default`.
    pub profile: Option<String>,
    /// Static credentials (`access_key`, `secret_key`, `token`). Prefer the credential chain;
    /// when set, these replace it for the base identity.
    pub credentials: Option<StaticCredentials>,
    /// Role to assume on top of the base identity (`assume_role`).
    pub assume_role: Option<AssumeRole>,
    /// Per-service endpoint overrides (`endpoints`). They win over `AWS_ENDPOINT_URL*`.
    pub endpoints: Endpoints,
    /// Maximum retries the SDK makes per call (`max_retries`); attempts = retries + 1.
    /// `None` means [`DEFAULT_MAX_ATTEMPTS`] attempts.
    pub max_retries: Option<u32>,
}

impl Settings {
    /// Total SDK attempts per call derived from `max_retries`.
    pub fn max_attempts(&self) -> u32 {
        self.max_retries
            .map_or(DEFAULT_MAX_ATTEMPTS, |retries| retries.saturating_add(1))
    }
}

/// The `assume_role` block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssumeRole {
    /// ARN of the role to assume (`assume_role.role_arn`).
    pub role_arn: String,
    /// Session name recorded in CloudTrail (`assume_role.session_name`); defaults to `dbrail`.
    pub session_name: Option<String>,
    /// External id required by the role's trust policy (`assume_role.external_id`).
    pub external_id: Option<String>,
}

/// Endpoint overrides, one per service the provider may call (`endpoints.<service>`).
///
/// Each is a full URL such as `http://127.0.0.1:5000`. Unset services use
/// `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the regional AWS endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// `endpoints.rds`
    pub rds: Option<String>,
    /// `endpoints.iam`
    pub iam: Option<String>,
    /// `endpoints.sts` (also used by `assume_role`)
    pub sts: Option<String>,
    /// `endpoints.backup`
    pub backup: Option<String>,
    /// `endpoints.secretsmanager`
    pub secretsmanager: Option<String>,
    /// `endpoints.kms`
    pub kms: Option<String>,
    /// `endpoints.ec2`
    pub ec2: Option<String>,
}

impl Endpoints {
    /// Every override with its provider attribute path, for validation and diagnostics.
    pub fn entries(&self) -> [(&'static str, Option<&str>); 7] {
        [
            ("endpoints.rds", self.rds.as_deref()),
            ("endpoints.iam", self.iam.as_deref()),
            ("endpoints.sts", self.sts.as_deref()),
            ("endpoints.backup", self.backup.as_deref()),
            ("endpoints.secretsmanager", self.secretsmanager.as_deref()),
            ("endpoints.kms", self.kms.as_deref()),
            ("endpoints.ec2", self.ec2.as_deref()),
        ]
    }
}

/// Static credentials from the provider block.
#[derive(Clone, PartialEq, Eq)]
pub struct StaticCredentials {
    /// Access key id (`access_key`). Not secret on its own, but not logged either.
    pub access_key_id: String,
    /// Secret access key (`secret_key`).
    pub secret_access_key: Secret,
    /// Session token for temporary credentials (`token`).
    pub session_token: Option<Secret>,
}

impl fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &"** redacted **")
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .finish()
    }
}

/// A string that must never be printed: `Debug` is redacted and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for handing to the SDK. Never log the result.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_attempts_defaults_and_adds_one() {
        let mut settings = Settings::default();
        assert_eq!(settings.max_attempts(), DEFAULT_MAX_ATTEMPTS);
        settings.max_retries = Some(0);
        assert_eq!(settings.max_attempts(), 1);
        settings.max_retries = Some(u32::MAX);
        assert_eq!(settings.max_attempts(), u32::MAX);
    }

    #[test]
    fn debug_never_shows_secrets() {
        let creds = StaticCredentials {
            access_key_id: "AKIAEXAMPLEKEYID".into(),
            secret_access_key: Secret::new("very-secret-value"),
            session_token: Some(Secret::new("session-token-value")),
        };
        let settings = Settings {
            credentials: Some(creds),
            ..Settings::default()
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("very-secret-value"), "{shown}");
        assert!(!shown.contains("session-token-value"), "{shown}");
        assert!(!shown.contains("AKIAEXAMPLEKEYID"), "{shown}");
    }
}
