//! The test's own view of the emulator, through the real AWS SDK.
//!
//! Acceptance tests check what terraform says *and* what AWS now holds, and they change AWS
//! behind terraform's back to create drift. This client is built here, from the SDK directly,
//! and shares no code with the provider's client construction: a bug there cannot hide itself
//! from the assertions. It is synchronous (it owns a small runtime), like the rest of the harness.
//!
//! Finders return `Ok(None)` for a group that does not exist, whether the API says so with
//! `DBParameterGroupNotFound` (AWS, and moto for cluster groups) or with an empty list (moto's
//! `DescribeDBParameterGroups` for an unknown name).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use aws_sdk_rds::Client;
use aws_sdk_rds::config::timeout::TimeoutConfig;
use aws_sdk_rds::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_rds::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_rds::types::{ApplyMethod, Parameter, Tag};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

use crate::terraform::{ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
use crate::{Emulator, HarnessError};

/// A parameter group as the emulator reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterGroup {
    /// Its name.
    pub name: String,
    /// Its family, e.g. `aurora-postgresql16`.
    pub family: String,
    /// Its ARN.
    pub arn: String,
    /// Its description.
    pub description: String,
}

/// A synchronous RDS client bound to one emulator.
#[derive(Debug)]
pub struct EmulatorRds {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl EmulatorRds {
    /// A client for `emulator`, in the harness's region with its dummy credentials.
    pub fn connect(emulator: &Emulator) -> Result<Self, HarnessError> {
        Self::with_endpoint(&emulator.endpoint())
    }

    /// A client for any endpoint URL (an emulator's).
    pub fn with_endpoint(endpoint: &str) -> Result<Self, HarnessError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| HarnessError::io("starting a runtime for the AWS client", e))?;
        let http_client = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let config = aws_sdk_rds::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new(
                ACCESS_KEY_ID,
                SECRET_ACCESS_KEY,
                None,
                None,
                "dbrail-acceptance-tests",
            ))
            .http_client(http_client)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_timeout(Duration::from_secs(60))
                    .build(),
            )
            .build();
        Ok(Self {
            runtime,
            client: Client::from_conf(config),
        })
    }

    /// The underlying SDK client, for calls the helpers do not cover (use with [`Self::block_on`]).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs a future (typically an SDK call) to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The cluster parameter group `name`, if it exists.
    pub fn cluster_parameter_group(
        &self,
        name: &str,
    ) -> Result<Option<ParameterGroup>, HarnessError> {
        let result = self.block_on(
            self.client
                .describe_db_cluster_parameter_groups()
                .db_cluster_parameter_group_name(name)
                .send(),
        );
        match result {
            Ok(out) => Ok(out
                .db_cluster_parameter_groups()
                .iter()
                .find(|g| g.db_cluster_parameter_group_name() == Some(name))
                .map(|g| ParameterGroup {
                    name: name.to_owned(),
                    family: g.db_parameter_group_family().unwrap_or_default().to_owned(),
                    arn: g
                        .db_cluster_parameter_group_arn()
                        .unwrap_or_default()
                        .to_owned(),
                    description: g.description().unwrap_or_default().to_owned(),
                })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_db_parameter_group_not_found_fault()) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_error(
                format!("DescribeDBClusterParameterGroups({name})"),
                &e,
            )),
        }
    }

    /// The (instance) DB parameter group `name`, if it exists.
    pub fn instance_parameter_group(
        &self,
        name: &str,
    ) -> Result<Option<ParameterGroup>, HarnessError> {
        let result = self.block_on(
            self.client
                .describe_db_parameter_groups()
                .db_parameter_group_name(name)
                .send(),
        );
        match result {
            Ok(out) => Ok(out
                .db_parameter_groups()
                .iter()
                .find(|g| g.db_parameter_group_name() == Some(name))
                .map(|g| ParameterGroup {
                    name: name.to_owned(),
                    family: g.db_parameter_group_family().unwrap_or_default().to_owned(),
                    arn: g.db_parameter_group_arn().unwrap_or_default().to_owned(),
                    description: g.description().unwrap_or_default().to_owned(),
                })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_db_parameter_group_not_found_fault()) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_error(format!("DescribeDBParameterGroups({name})"), &e)),
        }
    }

    /// Names of all cluster parameter groups.
    pub fn cluster_parameter_group_names(&self) -> Result<Vec<String>, HarnessError> {
        let groups = self
            .block_on(
                self.client
                    .describe_db_cluster_parameter_groups()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error("DescribeDBClusterParameterGroups".into(), &e))?;
        Ok(groups
            .iter()
            .filter_map(|g| g.db_cluster_parameter_group_name().map(str::to_owned))
            .collect())
    }

    /// Names of all (instance) DB parameter groups.
    pub fn instance_parameter_group_names(&self) -> Result<Vec<String>, HarnessError> {
        let groups = self
            .block_on(
                self.client
                    .describe_db_parameter_groups()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error("DescribeDBParameterGroups".into(), &e))?;
        Ok(groups
            .iter()
            .filter_map(|g| g.db_parameter_group_name().map(str::to_owned))
            .collect())
    }

    /// The parameters of cluster parameter group `name`, as name → value (unset values omitted).
    pub fn cluster_parameters(&self, name: &str) -> Result<BTreeMap<String, String>, HarnessError> {
        let params = self
            .block_on(
                self.client
                    .describe_db_cluster_parameters()
                    .db_cluster_parameter_group_name(name)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error(format!("DescribeDBClusterParameters({name})"), &e))?;
        Ok(to_map(&params))
    }

    /// The parameters of (instance) DB parameter group `name`, as name → value.
    pub fn instance_parameters(
        &self,
        name: &str,
    ) -> Result<BTreeMap<String, String>, HarnessError> {
        let params = self
            .block_on(
                self.client
                    .describe_db_parameters()
                    .db_parameter_group_name(name)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error(format!("DescribeDBParameters({name})"), &e))?;
        Ok(to_map(&params))
    }

    /// Sets parameters of cluster parameter group `name` out of band (`immediate`), e.g. to
    /// create drift. Sends at most 20 per call, as AWS requires.
    pub fn modify_cluster_parameters(
        &self,
        name: &str,
        params: &[(&str, &str)],
    ) -> Result<(), HarnessError> {
        for chunk in params.chunks(20) {
            self.block_on(
                self.client
                    .modify_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(name)
                    .set_parameters(Some(to_parameters(chunk)))
                    .send(),
            )
            .map_err(|e| aws_error(format!("ModifyDBClusterParameterGroup({name})"), &e))?;
        }
        Ok(())
    }

    /// Sets parameters of (instance) DB parameter group `name` out of band (`immediate`).
    pub fn modify_instance_parameters(
        &self,
        name: &str,
        params: &[(&str, &str)],
    ) -> Result<(), HarnessError> {
        for chunk in params.chunks(20) {
            self.block_on(
                self.client
                    .modify_db_parameter_group()
                    .db_parameter_group_name(name)
                    .set_parameters(Some(to_parameters(chunk)))
                    .send(),
            )
            .map_err(|e| aws_error(format!("ModifyDBParameterGroup({name})"), &e))?;
        }
        Ok(())
    }

    /// Creates a cluster parameter group out of band (e.g. to prepare an import).
    pub fn create_cluster_parameter_group(
        &self,
        name: &str,
        family: &str,
        description: &str,
    ) -> Result<ParameterGroup, HarnessError> {
        let out = self
            .block_on(
                self.client
                    .create_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(name)
                    .db_parameter_group_family(family)
                    .description(description)
                    .send(),
            )
            .map_err(|e| aws_error(format!("CreateDBClusterParameterGroup({name})"), &e))?;
        let group = out.db_cluster_parameter_group();
        Ok(ParameterGroup {
            name: name.to_owned(),
            family: family.to_owned(),
            arn: group
                .and_then(|g| g.db_cluster_parameter_group_arn())
                .unwrap_or_default()
                .to_owned(),
            description: description.to_owned(),
        })
    }

    /// Deletes a cluster parameter group out of band.
    pub fn delete_cluster_parameter_group(&self, name: &str) -> Result<(), HarnessError> {
        self.block_on(
            self.client
                .delete_db_cluster_parameter_group()
                .db_cluster_parameter_group_name(name)
                .send(),
        )
        .map_err(|e| aws_error(format!("DeleteDBClusterParameterGroup({name})"), &e))?;
        Ok(())
    }

    /// The tags on the resource `arn`, as key → value.
    pub fn tags(&self, arn: &str) -> Result<BTreeMap<String, String>, HarnessError> {
        let out = self
            .block_on(
                self.client
                    .list_tags_for_resource()
                    .resource_name(arn)
                    .send(),
            )
            .map_err(|e| aws_error(format!("ListTagsForResource({arn})"), &e))?;
        Ok(out
            .tag_list()
            .iter()
            .filter_map(|t: &Tag| {
                Some((
                    t.key()?.to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                ))
            })
            .collect())
    }
}

fn to_map(params: &[Parameter]) -> BTreeMap<String, String> {
    params
        .iter()
        .filter_map(|p| {
            Some((
                p.parameter_name()?.to_owned(),
                p.parameter_value()?.to_owned(),
            ))
        })
        .collect()
}

fn to_parameters(params: &[(&str, &str)]) -> Vec<Parameter> {
    params
        .iter()
        .map(|(name, value)| {
            Parameter::builder()
                .parameter_name(*name)
                .parameter_value(*value)
                .apply_method(ApplyMethod::Immediate)
                .build()
        })
        .collect()
}

fn aws_error<E>(operation: String, error: &E) -> HarnessError
where
    E: std::error::Error + ProvideErrorMetadata,
{
    let code = error.code().unwrap_or("no error code");
    HarnessError::Aws {
        operation,
        detail: format!("[{code}] {}", DisplayErrorContext(error)),
    }
}
