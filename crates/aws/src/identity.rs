//! Verifying who we are, at configure time.
//!
//! `sts:GetCallerIdentity` needs no permissions, so it is the cheapest call that proves the
//! whole chain works: region, endpoint, network, credentials, assumed role. Its answer also gives
//! the account id and partition that resources need to build ARNs (e.g. `rds-db:connect`
//! policies). Failures are mapped onto [`ConfigError`] naming what to fix.

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::classify::{class_for_code, classify, error_chain, find_in_chain};
use crate::config_error::ConfigError;
use crate::error::ErrorClass;

/// The verified caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) account_id: String,
    pub(crate) partition: String,
    pub(crate) caller_arn: String,
}

/// What the probe needs to know to attribute a failure.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProbeContext {
    /// Attribute that supplied the base identity (`profile`, `access_key`) if any.
    pub(crate) credentials_attribute: Option<&'static str>,
    /// The role being assumed; base credentials were verified before the probe.
    pub(crate) assume_role_arn: Option<String>,
    /// `Some("endpoints.sts")` when that override is in use.
    pub(crate) sts_attribute: Option<&'static str>,
    /// The STS endpoint URL in use, when not the AWS default.
    pub(crate) sts_endpoint: Option<String>,
}

/// Builds the [`Identity`] from a `GetCallerIdentity` answer.
pub(crate) fn identity_from(
    account: Option<&str>,
    arn: Option<&str>,
) -> Result<Identity, ConfigError> {
    let arn = arn.ok_or_else(|| ConfigError::Identity {
        detail: "the response has no caller ARN".into(),
    })?;
    let (partition, arn_account) = parse_arn(arn).ok_or_else(|| ConfigError::Identity {
        detail: format!("the caller ARN {arn:?} is not an ARN"),
    })?;
    let account_id = account
        .filter(|a| !a.is_empty())
        .unwrap_or(arn_account)
        .to_owned();
    if account_id.is_empty() {
        return Err(ConfigError::Identity {
            detail: "the response has no account id".into(),
        });
    }
    Ok(Identity {
        account_id,
        partition: partition.to_owned(),
        caller_arn: arn.to_owned(),
    })
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` → `(partition, account)`.
pub(crate) fn parse_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, _service, _region, account, _resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (prefix == "arn" && !partition.is_empty()).then_some((partition, account))
}

/// Maps a failed `GetCallerIdentity` onto the configuration problem behind it.
pub(crate) fn probe_error(
    err: SdkError<GetCallerIdentityError, HttpResponse>,
    ctx: &ProbeContext,
) -> ConfigError {
    if let Some(creds) = find_in_chain::<CredentialsError>(&err) {
        let detail = error_chain(creds);
        return match &ctx.assume_role_arn {
            Some(role_arn) => ConfigError::AssumeRole {
                role_arn: role_arn.clone(),
                detail,
            },
            None => ConfigError::Credentials {
                attribute: ctx.credentials_attribute,
                detail,
            },
        };
    }
    if let (SdkError::ServiceError(_), Some(code)) = (&err, err.code())
        && class_for_code(code) == Some(ErrorClass::AccessDenied)
    {
        return ConfigError::CredentialsRejected {
            attribute: if ctx.assume_role_arn.is_some() {
                Some("assume_role.role_arn")
            } else {
                ctx.credentials_attribute
            },
            code: code.to_owned(),
            message: err.message().unwrap_or_default().to_owned(),
        };
    }
    let classified = classify("GetCallerIdentity", err);
    match classified.class {
        ErrorClass::Transient | ErrorClass::Throttling if classified.code.is_none() => {
            ConfigError::Unreachable {
                attribute: ctx.sts_attribute,
                endpoint: ctx.sts_endpoint.clone(),
                detail: classified.message.unwrap_or_default(),
            }
        }
        _ => ConfigError::Identity {
            detail: classified.to_string(),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    #[test]
    fn parses_partition_and_account() {
        assert_eq!(
            parse_arn("arn:aws:sts::123456789012:assumed-role/deployer/session"),
            Some(("aws", "123456789012"))
        );
        assert_eq!(
            parse_arn("arn:aws-us-gov:iam::111122223333:user/ci"),
            Some(("aws-us-gov", "111122223333"))
        );
        assert_eq!(parse_arn("arn:aws:sts"), None);
        assert_eq!(parse_arn("not-an-arn:aws:sts::1:x"), None);
        let id = identity_from(None, Some("arn:aws-cn:sts::210987654321:user/x")).unwrap();
        assert_eq!(id.partition, "aws-cn");
        assert_eq!(id.account_id, "210987654321");
        assert!(identity_from(Some("1"), None).is_err());
    }

    fn ctx() -> ProbeContext {
        ProbeContext {
            credentials_attribute: Some("profile"),
            assume_role_arn: None,
            sts_attribute: Some("endpoints.sts"),
            sts_endpoint: Some("http://127.0.0.1:1".into()),
        }
    }

    #[test]
    fn refused_connection_names_the_sts_endpoint() {
        let err = SdkError::dispatch_failure(ConnectorError::io(
            std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused").into(),
        ));
        let e = probe_error(err, &ctx());
        assert_eq!(e.attribute(), Some("endpoints.sts"));
        assert!(matches!(e, ConfigError::Unreachable { .. }), "{e:?}");
    }

    #[test]
    fn missing_credentials_name_the_profile_or_role() {
        let err = || {
            SdkError::dispatch_failure(ConnectorError::other(
                CredentialsError::not_loaded("profile `nope` not found").into(),
                None,
            ))
        };
        let e = probe_error(err(), &ctx());
        assert_eq!(e.attribute(), Some("profile"));
        assert!(e.to_string().contains("nope"), "{e}");
        let mut role = ctx();
        role.assume_role_arn = Some("arn:aws:iam::1:role/x".into());
        let e = probe_error(err(), &role);
        assert_eq!(e.attribute(), Some("assume_role.role_arn"));
    }

    #[test]
    fn rejected_keys_are_credentials_errors() {
        let meta = ErrorMetadata::builder()
            .code("InvalidClientTokenId")
            .message("The security token included in the request is invalid.")
            .build();
        let err = SdkError::service_error(
            GetCallerIdentityError::generic(meta),
            HttpResponse::new(StatusCode::try_from(403).unwrap(), SdkBody::empty()),
        );
        let e = probe_error(err, &ctx());
        assert!(
            matches!(e, ConfigError::CredentialsRejected { .. }),
            "{e:?}"
        );
        assert_eq!(e.attribute(), Some("profile"));
    }
}
