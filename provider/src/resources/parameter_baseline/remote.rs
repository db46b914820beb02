//! The two parameter groups in AWS: create, bring into line with the desired baseline, read.
//!
//! Both groups are handled by the same code through [`GroupKind`]. Changes are minimal: only
//! parameters whose value differs are modified (in batches of at most 20 that keep coupled
//! parameters together), parameters dbrail no longer sets are reset, and tags are diffed.

use super::desired::Desired;
use super::model::{cluster_group_name, instance_group_name};
use crate::client::DbrailClient;
use dbrail_aws::rds::{
    self, GroupKind, ParameterGroup, ParameterGroupSpec, ParameterReset, ParameterUpdate, Tags,
};
use dbrail_aws::{CancellationToken, Deadline, OperationError};
use dbrail_rules::Scope;
use dbrail_rules::baseline::{self, ApplyMethod};
use std::collections::BTreeMap;

/// The two groups of a baseline, by scope.
pub(crate) const GROUPS: [(Scope, GroupKind); 2] = [
    (Scope::Cluster, GroupKind::Cluster),
    (Scope::Instance, GroupKind::Instance),
];

/// A group's name for a baseline name.
pub(crate) fn group_name(kind: GroupKind, baseline: &str) -> String {
    match kind {
        GroupKind::Cluster => cluster_group_name(baseline),
        GroupKind::Instance => instance_group_name(baseline),
    }
}

/// What AWS holds for one group.
pub(crate) struct RemoteGroup {
    pub(crate) group: ParameterGroup,
    pub(crate) parameters: BTreeMap<String, String>,
    pub(crate) tags: Tags,
}

/// Shared arguments of every call.
pub(crate) struct Remote<'a> {
    pub(crate) client: &'a DbrailClient,
    pub(crate) deadline: Deadline,
    pub(crate) cancel: &'a CancellationToken,
}

impl Remote<'_> {
    fn rds(&self) -> &aws_sdk_rds::Client {
        &self.client.aws.rds
    }

    /// Creates the group, or adopts it when an interrupted earlier create already made it.
    pub(crate) async fn create(
        &self,
        kind: GroupKind,
        name: &str,
        family: &str,
        tags: Tags,
    ) -> Result<ParameterGroup, OperationError> {
        let spec = ParameterGroupSpec {
            name: name.to_owned(),
            family: family.to_owned(),
            description: format!("dbrail parameter baseline for {family}"),
            tags,
        };
        rds::create_parameter_group(self.rds(), kind, &spec, self.deadline, self.cancel).await
    }

    /// Reads one group, or `None` when it does not exist.
    pub(crate) async fn read(
        &self,
        kind: GroupKind,
        name: &str,
    ) -> Result<Option<RemoteGroup>, OperationError> {
        let Some(group) =
            rds::find_parameter_group(self.rds(), kind, name, self.deadline, self.cancel).await?
        else {
            return Ok(None);
        };
        let parameters = match rds::list_user_parameters(
            self.rds(),
            kind,
            &group.name,
            self.deadline,
            self.cancel,
        )
        .await
        {
            Ok(list) => list,
            Err(err) if err.is_not_found() => return Ok(None),
            Err(err) => return Err(err),
        };
        let tags = rds::list_tags(self.rds(), &group.arn, self.deadline, self.cancel).await?;
        Ok(Some(RemoteGroup {
            parameters: parameters
                .into_iter()
                .filter_map(|p| p.value.map(|v| (p.name, v)))
                .collect(),
            group,
            tags,
        }))
    }

    /// Brings one group's parameters in line with `desired`; returns whether a static
    /// (pending-reboot) parameter changed.
    pub(crate) async fn sync_parameters(
        &self,
        kind: GroupKind,
        scope: Scope,
        name: &str,
        desired: &Desired,
        current: &BTreeMap<String, String>,
    ) -> Result<bool, OperationError> {
        let differs = |p: &baseline::EffectiveParameter| {
            p.value
                .known()
                .is_some_and(|v| current.get(&p.name) != Some(v))
        };
        // A changed parameter travels with its coupling partners (AWS wants, for example,
        // ssl_min_protocol_version and ssl_max_protocol_version in the same call).
        let partners: Vec<&str> = desired
            .parameters(scope)
            .filter(|p| differs(p))
            .filter_map(|p| baseline::coupling_group(&p.name))
            .flatten()
            .copied()
            .collect();
        let changed: Vec<_> = desired
            .parameters(scope)
            .filter(|p| differs(p) || partners.iter().any(|n| n.eq_ignore_ascii_case(&p.name)))
            .cloned()
            .collect();
        let mut static_changed = false;
        for batch in baseline::batches(&changed) {
            let updates: Vec<ParameterUpdate> = batch
                .iter()
                .filter_map(|p| {
                    p.value.known().map(|value| ParameterUpdate {
                        name: p.name.clone(),
                        value: value.clone(),
                        apply_method: sdk_apply_method(p.apply_method),
                    })
                })
                .collect();
            static_changed |= batch
                .iter()
                .any(|p| p.apply_method == ApplyMethod::PendingReboot);
            rds::modify_parameters(self.rds(), kind, name, &updates, self.deadline, self.cancel)
                .await?;
        }
        let wanted: Vec<&str> = desired.parameters(scope).map(|p| p.name.as_str()).collect();
        let stale: Vec<ParameterReset> = current
            .keys()
            .filter(|k| !wanted.contains(&k.as_str()))
            .map(|k| ParameterReset {
                name: k.clone(),
                apply_method: reset_method(desired, k),
            })
            .collect();
        for batch in stale.chunks(rds::MAX_PARAMETERS_PER_CALL) {
            static_changed |= batch
                .iter()
                .any(|p| p.apply_method == rds::ApplyMethod::PendingReboot);
            rds::reset_parameters(self.rds(), kind, name, batch, self.deadline, self.cancel)
                .await?;
        }
        Ok(static_changed)
    }

    /// Makes the group's tags equal `desired`.
    pub(crate) async fn sync_tags(
        &self,
        arn: &str,
        current: &Tags,
        desired: &Tags,
    ) -> Result<(), OperationError> {
        let (add, remove) = rds::diff_tags(current, desired);
        if !remove.is_empty() {
            rds::remove_tags(self.rds(), arn, &remove, self.deadline, self.cancel).await?;
        }
        if !add.is_empty() {
            rds::add_tags(self.rds(), arn, &add, self.deadline, self.cancel).await?;
        }
        Ok(())
    }

    /// Deletes one group; a group already gone is fine.
    pub(crate) async fn delete(&self, kind: GroupKind, name: &str) -> Result<(), OperationError> {
        rds::delete_parameter_group(self.rds(), kind, name, self.deadline, self.cancel).await
    }
}

fn sdk_apply_method(method: ApplyMethod) -> rds::ApplyMethod {
    match method {
        ApplyMethod::Immediate => rds::ApplyMethod::Immediate,
        ApplyMethod::PendingReboot => rds::ApplyMethod::PendingReboot,
    }
}

/// Resetting a parameter the family knows as static needs a reboot; anything else applies now.
fn reset_method(desired: &Desired, parameter: &str) -> rds::ApplyMethod {
    desired
        .family()
        .and_then(|f| f.parameter(parameter))
        .map_or(rds::ApplyMethod::Immediate, |p| {
            sdk_apply_method(p.apply_method)
        })
}
