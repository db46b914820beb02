//! Parameters inside a parameter group: list the user-set ones, modify, reset.
//!
//! Why `Source = "user"`: a group reports every engine parameter (hundreds, mostly
//! `engine-default`/`system`); the provider manages only what the user set, so it asks AWS for
//! `user` parameters only and pages through them with `Marker`.
//!
//! ## What the moto emulator does (moto 5.2.1, `moto/rds/`)
//! - `DescribeDB(Cluster)Parameters` ignores `Source`, `MaxRecords` and `Marker`: it returns
//!   every stored parameter in one page with no marker. A group stores only parameters that were
//!   modified (no engine defaults), so the answer equals AWS's `Source=user` answer. The stored
//!   entries are what was sent (`ParameterName`, `ParameterValue`, `ApplyMethod`): no `Source`,
//!   no `ApplyType`. We therefore keep parameters whose source is `user` **or absent**, stop
//!   paging when no marker comes back, and never loop on a repeated marker.
//! - `ModifyDB(Cluster)ParameterGroup` merges each sent parameter into the stored one; it
//!   neither validates names/values against the family nor enforces the 20-per-call limit.
//! - `ResetDB(Cluster)ParameterGroup` is **not implemented**: moto answers HTML
//!   `500 Internal Server Error`, which is indistinguishable from a real 5xx and so is retried
//!   until the deadline. Tests that reset run moto with the small shim in
//!   `crates/aws/tests/support/moto_server.py`, which removes the named parameters — the same
//!   effect a reset has on AWS's `Source=user` listing.
//! - Engine-default listings (`DescribeEngineDefault(Cluster)Parameters`) are not implemented.
//!
//! On AWS a modify is limited to 20 parameters per call; callers batch (see
//! [`MAX_PARAMETERS_PER_CALL`]) because some parameters must travel together in one call (e.g.
//! `ssl_min_protocol_version` with `ssl_max_protocol_version`).

use aws_sdk_rds::types::Parameter as SdkParameter;
use tokio_util::sync::CancellationToken;

use super::parameter_group::GroupKind;
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, ErrorClass, OperationError};
use crate::retry::retry;

/// AWS's limit on parameters per `Modify…`/`Reset…ParameterGroup` call.
pub const MAX_PARAMETERS_PER_CALL: usize = 20;

/// Page size for listing parameters (AWS allows 20–100).
const PAGE_SIZE: i32 = 100;

/// When a parameter change takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplyMethod {
    /// Now (dynamic parameters only).
    Immediate,
    /// At the next reboot (required for static parameters).
    PendingReboot,
}

impl ApplyMethod {
    /// The AWS spelling: `immediate` or `pending-reboot`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Immediate => "immediate",
            Self::PendingReboot => "pending-reboot",
        }
    }

    /// Parses the AWS spelling.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "immediate" => Some(Self::Immediate),
            "pending-reboot" => Some(Self::PendingReboot),
            _ => None,
        }
    }

    fn to_sdk(self) -> aws_sdk_rds::types::ApplyMethod {
        match self {
            Self::Immediate => aws_sdk_rds::types::ApplyMethod::Immediate,
            Self::PendingReboot => aws_sdk_rds::types::ApplyMethod::PendingReboot,
        }
    }
}

/// A parameter as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Name, e.g. `rds.force_ssl`.
    pub name: String,
    /// Current value, if any.
    pub value: Option<String>,
    /// `immediate` or `pending-reboot`, when reported.
    pub apply_method: Option<String>,
    /// `static` or `dynamic`, when reported (moto does not).
    pub apply_type: Option<String>,
    /// `user`, `engine-default`, `system`, when reported (moto does not).
    pub source: Option<String>,
}

/// A value to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterUpdate {
    /// Parameter name.
    pub name: String,
    /// New value.
    pub value: String,
    /// When it takes effect.
    pub apply_method: ApplyMethod,
}

/// A parameter to return to its engine default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterReset {
    /// Parameter name.
    pub name: String,
    /// When the reset takes effect.
    pub apply_method: ApplyMethod,
}

fn from_sdk(p: SdkParameter) -> Option<Parameter> {
    Some(Parameter {
        name: p.parameter_name?,
        value: p.parameter_value,
        apply_method: p.apply_method.map(|m| m.as_str().to_owned()),
        apply_type: p.apply_type,
        source: p.source,
    })
}

/// Lists the parameters the user set on a group (`Source = user`), sorted by name.
///
/// A missing group ends with an error for which `is_not_found()` holds.
pub async fn list_user_parameters(
    rds: &aws_sdk_rds::Client,
    kind: GroupKind,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Vec<Parameter>, OperationError> {
    let mut params = Vec::new();
    let mut marker: Option<String> = None;
    let mut seen_markers = std::collections::HashSet::new();
    loop {
        let (page, next) = match kind {
            GroupKind::Cluster => {
                const OP: &str = "DescribeDBClusterParameters";
                retry(OP, deadline, cancel, || {
                    let request = rds
                        .describe_db_cluster_parameters()
                        .db_cluster_parameter_group_name(name)
                        .source("user")
                        .max_records(PAGE_SIZE)
                        .set_marker(marker.clone());
                    async move {
                        let out = request.send().await.map_err(|e| classify(OP, e))?;
                        Ok((out.parameters.unwrap_or_default(), out.marker))
                    }
                })
                .await?
            }
            GroupKind::Instance => {
                const OP: &str = "DescribeDBParameters";
                retry(OP, deadline, cancel, || {
                    let request = rds
                        .describe_db_parameters()
                        .db_parameter_group_name(name)
                        .source("user")
                        .max_records(PAGE_SIZE)
                        .set_marker(marker.clone());
                    async move {
                        let out = request.send().await.map_err(|e| classify(OP, e))?;
                        Ok((out.parameters.unwrap_or_default(), out.marker))
                    }
                })
                .await?
            }
        };
        params.extend(
            page.into_iter()
                .filter_map(from_sdk)
                .filter(|p| p.source.as_deref().is_none_or(|s| s == "user")),
        );
        match next.filter(|m| !m.is_empty()) {
            Some(next) if seen_markers.insert(next.clone()) => marker = Some(next),
            _ => break,
        }
    }
    params.sort_by(|a, b| a.name.cmp(&b.name));
    params.dedup_by(|a, b| a.name == b.name);
    Ok(params)
}

fn check_batch(operation: &'static str, len: usize) -> Result<(), OperationError> {
    if len > MAX_PARAMETERS_PER_CALL {
        return Err(AwsError::new(operation, ErrorClass::Validation)
            .with_message(format!(
                "at most {MAX_PARAMETERS_PER_CALL} parameters per call, got {len}"
            ))
            .into());
    }
    Ok(())
}

/// Sets parameters on a group, in one call. `batch` holds at most
/// [`MAX_PARAMETERS_PER_CALL`] entries; an empty batch does nothing.
pub async fn modify_parameters(
    rds: &aws_sdk_rds::Client,
    kind: GroupKind,
    name: &str,
    batch: &[ParameterUpdate],
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    let params: Vec<SdkParameter> = batch
        .iter()
        .map(|p| {
            SdkParameter::builder()
                .parameter_name(&p.name)
                .parameter_value(&p.value)
                .apply_method(p.apply_method.to_sdk())
                .build()
        })
        .collect();
    match kind {
        GroupKind::Cluster => {
            const OP: &str = "ModifyDBClusterParameterGroup";
            check_batch(OP, params.len())?;
            if params.is_empty() {
                return Ok(());
            }
            retry(OP, deadline, cancel, || {
                let request = rds
                    .modify_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(name)
                    .set_parameters(Some(params.clone()));
                async move {
                    request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(())
                }
            })
            .await
        }
        GroupKind::Instance => {
            const OP: &str = "ModifyDBParameterGroup";
            check_batch(OP, params.len())?;
            if params.is_empty() {
                return Ok(());
            }
            retry(OP, deadline, cancel, || {
                let request = rds
                    .modify_db_parameter_group()
                    .db_parameter_group_name(name)
                    .set_parameters(Some(params.clone()));
                async move {
                    request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(())
                }
            })
            .await
        }
    }
}

/// Returns parameters to their engine defaults, in one call. `batch` holds at most
/// [`MAX_PARAMETERS_PER_CALL`] entries; an empty batch does nothing (it never resets the whole
/// group).
pub async fn reset_parameters(
    rds: &aws_sdk_rds::Client,
    kind: GroupKind,
    name: &str,
    batch: &[ParameterReset],
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    let params: Vec<SdkParameter> = batch
        .iter()
        .map(|p| {
            SdkParameter::builder()
                .parameter_name(&p.name)
                .apply_method(p.apply_method.to_sdk())
                .build()
        })
        .collect();
    match kind {
        GroupKind::Cluster => {
            const OP: &str = "ResetDBClusterParameterGroup";
            check_batch(OP, params.len())?;
            if params.is_empty() {
                return Ok(());
            }
            retry(OP, deadline, cancel, || {
                let request = rds
                    .reset_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(name)
                    .reset_all_parameters(false)
                    .set_parameters(Some(params.clone()));
                async move {
                    request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(())
                }
            })
            .await
        }
        GroupKind::Instance => {
            const OP: &str = "ResetDBParameterGroup";
            check_batch(OP, params.len())?;
            if params.is_empty() {
                return Ok(());
            }
            retry(OP, deadline, cancel, || {
                let request = rds
                    .reset_db_parameter_group()
                    .db_parameter_group_name(name)
                    .reset_all_parameters(false)
                    .set_parameters(Some(params.clone()));
                async move {
                    request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(())
                }
            })
            .await
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn apply_method_round_trips() {
        for m in [ApplyMethod::Immediate, ApplyMethod::PendingReboot] {
            assert_eq!(ApplyMethod::from_name(m.as_str()), Some(m));
            assert_eq!(m.to_sdk().as_str(), m.as_str());
        }
        assert_eq!(ApplyMethod::from_name("later"), None);
    }

    #[test]
    fn oversized_batches_are_rejected_without_a_call() {
        assert!(check_batch("ModifyDBClusterParameterGroup", 20).is_ok());
        let e = check_batch("ModifyDBClusterParameterGroup", 21).unwrap_err();
        assert!(
            matches!(&e, OperationError::Aws(a) if a.is_validation()),
            "{e:?}"
        );
        assert!(e.to_string().contains("at most 20"), "{e}");
    }

    #[test]
    fn sdk_parameters_convert() {
        let p = SdkParameter::builder()
            .parameter_name("rds.force_ssl")
            .parameter_value("1")
            .apply_method(aws_sdk_rds::types::ApplyMethod::PendingReboot)
            .apply_type("static")
            .source("user")
            .build();
        assert_eq!(
            from_sdk(p),
            Some(Parameter {
                name: "rds.force_ssl".into(),
                value: Some("1".into()),
                apply_method: Some("pending-reboot".into()),
                apply_type: Some("static".into()),
                source: Some("user".into()),
            })
        );
        assert_eq!(from_sdk(SdkParameter::builder().build()), None);
    }
}
