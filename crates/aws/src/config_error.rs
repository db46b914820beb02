//! Configure-time errors: what is wrong with the provider block or the environment, and which
//! attribute to fix.
//!
//! The provider turns each into a diagnostic on [`ConfigError::attribute`] with
//! [`ConfigError::hint`] as its detail. Messages carry what AWS or the credential chain said, but
//! never a credential: the SDK's credential types redact themselves and we never format
//! [`crate::Secret`]s.

use std::time::Duration;

/// Why [`crate::connect`] could not produce working clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region in the provider block, the environment or the shared config file.
    #[error("no AWS region configured")]
    MissingRegion,

    /// A setting is malformed (e.g. an empty `assume_role.role_arn`, a region with spaces).
    #[error("invalid {attribute}: {reason}")]
    InvalidSetting {
        /// Provider attribute path.
        attribute: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// An `endpoints.<service>` value is not a usable URL.
    #[error("invalid {attribute} {url:?}: {reason}")]
    InvalidEndpoint {
        /// Provider attribute path, e.g. `endpoints.rds`.
        attribute: &'static str,
        /// The value given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The credential chain found no usable credentials, or a source in it failed.
    #[error("no valid AWS credentials: {detail}")]
    Credentials {
        /// `profile` when a named profile was selected, `access_key` for static credentials,
        /// otherwise none (environment / default chain).
        attribute: Option<&'static str>,
        /// What the credential chain reported.
        detail: String,
    },

    /// Assuming `assume_role.role_arn` failed.
    #[error("could not assume role {role_arn}: {detail}")]
    AssumeRole {
        /// The role ARN.
        role_arn: String,
        /// What STS reported.
        detail: String,
    },

    /// AWS rejected the credentials (invalid key, bad signature, expired token...).
    #[error("AWS rejected the credentials: {code}: {message}")]
    CredentialsRejected {
        /// Attribute that supplied the identity, as for [`ConfigError::Credentials`].
        attribute: Option<&'static str>,
        /// AWS error code, e.g. `InvalidClientTokenId`, `ExpiredToken`.
        code: String,
        /// AWS error message.
        message: String,
    },

    /// STS could not be reached (connection refused, DNS, TLS...).
    #[error("could not reach the STS endpoint{}: {detail}", endpoint_suffix(.endpoint.as_deref()))]
    Unreachable {
        /// `endpoints.sts` when that override was used.
        attribute: Option<&'static str>,
        /// The endpoint URL, when one was configured explicitly or in the environment.
        endpoint: Option<String>,
        /// The transport error.
        detail: String,
    },

    /// Verifying the identity took longer than the configure-time bound.
    #[error("verifying AWS credentials did not finish within {}s", .after.as_secs())]
    Timeout {
        /// `endpoints.sts` when that override was used.
        attribute: Option<&'static str>,
        /// The bound that was exceeded.
        after: Duration,
    },

    /// STS answered `GetCallerIdentity` with something unexpected.
    #[error("GetCallerIdentity failed: {detail}")]
    Identity {
        /// What went wrong.
        detail: String,
    },

    /// The provider was stopped while configuring.
    #[error("configuring the AWS provider was cancelled")]
    Cancelled,
}

fn endpoint_suffix(endpoint: Option<&str>) -> String {
    endpoint.map(|e| format!(" {e}")).unwrap_or_default()
}

impl ConfigError {
    /// The provider attribute to attach the diagnostic to, e.g. `region`, `endpoints.rds`,
    /// `assume_role.role_arn`, `profile`; `None` when the problem is in the environment.
    pub fn attribute(&self) -> Option<&'static str> {
        match self {
            Self::MissingRegion => Some("region"),
            Self::InvalidSetting { attribute, .. } | Self::InvalidEndpoint { attribute, .. } => {
                Some(attribute)
            }
            Self::AssumeRole { .. } => Some("assume_role.role_arn"),
            Self::Credentials { attribute, .. }
            | Self::CredentialsRejected { attribute, .. }
            | Self::Unreachable { attribute, .. }
            | Self::Timeout { attribute, .. } => *attribute,
            Self::Identity { .. } | Self::Cancelled => None,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &str {
        match self {
            Self::MissingRegion => {
                "Set `region` in the provider block, or the AWS_REGION environment variable, or \
                 `region` in the shared config file for the selected profile."
            }
            Self::InvalidSetting { .. } => "Correct the value of this attribute.",
            Self::InvalidEndpoint { .. } => {
                "Use a full URL with scheme and host, e.g. `https://rds.eu-west-1.amazonaws.com` \
                 or `http://127.0.0.1:5000`."
            }
            Self::Credentials {
                attribute: Some("profile"),
                ..
            } => {
                "Check that the profile exists in ~/.aws/config or ~/.aws/credentials (or the \
                 files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) and has \
                 credentials; for SSO profiles run `aws sso login --profile <name>`."
            }
            Self::Credentials { .. } => {
                "The standard AWS credential chain was searched: environment \
                 (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN), shared \
                 config and credentials files (AWS_PROFILE or `profile`), web identity \
                 (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN), container and instance \
                 metadata. Set one of these, or `profile` in the provider block."
            }
            Self::AssumeRole { .. } => {
                "Check the role ARN, that the role's trust policy allows the base identity \
                 (and the external id, if one is required), and that STS is reachable \
                 (`endpoints.sts`)."
            }
            Self::CredentialsRejected { code, .. }
                if code.starts_with("Expired") || code == "RequestExpired" =>
            {
                "The session token has expired: refresh the credentials (for SSO, `aws sso \
                 login`) and run again."
            }
            Self::CredentialsRejected { .. } => {
                "The access key is unknown or the secret does not match. Check which \
                 credentials are in use (environment variables win over profiles) and that \
                 the key is active."
            }
            Self::Unreachable {
                attribute: Some(_), ..
            } => "Check `endpoints.sts`: is the URL right and is the service listening?",
            Self::Unreachable {
                endpoint: Some(_), ..
            } => {
                "The STS endpoint comes from AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL (or \
                 `endpoint_url` in the shared config): check it, or set `endpoints.sts`."
            }
            Self::Unreachable { .. } => {
                "Check network access to AWS (proxy settings HTTPS_PROXY / NO_PROXY, DNS, \
                 firewall) and the region."
            }
            Self::Timeout { .. } => {
                "STS did not answer in time. Check network access, proxy settings and \
                 `endpoints.sts`; a credential source that prompts or hangs (credential_process, \
                 SSO) can also cause this."
            }
            Self::Identity { .. } => "Check `endpoints.sts` and the credentials in use.",
            Self::Cancelled => "The provider was asked to stop.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_hints() {
        assert_eq!(ConfigError::MissingRegion.attribute(), Some("region"));
        assert!(ConfigError::MissingRegion.hint().contains("AWS_REGION"));
        let ep = ConfigError::InvalidEndpoint {
            attribute: "endpoints.rds",
            url: "not a url".into(),
            reason: "missing scheme".into(),
        };
        assert_eq!(ep.attribute(), Some("endpoints.rds"));
        assert_eq!(
            ep.to_string(),
            "invalid endpoints.rds \"not a url\": missing scheme"
        );
        let role = ConfigError::AssumeRole {
            role_arn: "arn:aws:iam::1:role/x".into(),
            detail: "AccessDenied".into(),
        };
        assert_eq!(role.attribute(), Some("assume_role.role_arn"));
        let profile = ConfigError::Credentials {
            attribute: Some("profile"),
            detail: "profile `x` not found".into(),
        };
        assert_eq!(profile.attribute(), Some("profile"));
        assert!(profile.hint().contains("profile"));
        let chain = ConfigError::Credentials {
            attribute: None,
            detail: "no providers in chain provided credentials".into(),
        };
        assert!(chain.hint().contains("AWS_ACCESS_KEY_ID"));
        let expired = ConfigError::CredentialsRejected {
            attribute: None,
            code: "ExpiredToken".into(),
            message: "expired".into(),
        };
        assert!(expired.hint().contains("expired"));
        let unreachable = ConfigError::Unreachable {
            attribute: Some("endpoints.sts"),
            endpoint: Some("http://127.0.0.1:1".into()),
            detail: "connection refused".into(),
        };
        assert_eq!(unreachable.attribute(), Some("endpoints.sts"));
        assert_eq!(
            unreachable.to_string(),
            "could not reach the STS endpoint http://127.0.0.1:1: connection refused"
        );
    }
}
