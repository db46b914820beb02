//! Subjects: what a rule looks at.
//!
//! A subject is a protocol-free description of one resource's guardrail-relevant settings, built
//! by the provider from a plan's proposed state or by the CI command from `terraform show -json`.
//! Neither caller's types leak in, so one rule serves both. Every value is a [`Fact`], because a
//! plan may not know it yet.
//!
//! The enum is non-exhaustive: instance and IAM subjects join it as their rules arrive, and each
//! rule declares the [`SubjectKind`]s it applies to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::access::{AccessRoleSubject, IamPolicySubject};
use crate::{
    BackupPolicySubject, ClusterSubject, Engine, Fact, GlobalClusterSubject, ProxySubject,
    SnapshotSubject,
};

/// The kinds of subject a rule can apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SubjectKind {
    /// A DB cluster parameter group: settings shared by every instance of a cluster.
    ClusterParameterGroup,
    /// A DB (instance) parameter group: settings of individual instances.
    InstanceParameterGroup,
    /// An Aurora cluster with its instances (`dbrail_cluster`, or `aws_rds_cluster` with its
    /// `aws_rds_cluster_instance`s).
    Cluster,
    /// An IAM policy document (`aws_iam_policy`, `aws_iam_role_policy`, ...).
    IamPolicy,
    /// An IAM role granting database access (`dbrail_access_role`).
    AccessRole,
    /// An AWS Backup policy: vault, plan rule and vault lock (`dbrail_backup_policy`, or
    /// `aws_backup_plan` with the vault and lock it targets).
    BackupPolicy,
    /// A manual DB cluster or DB instance snapshot (`aws_db_cluster_snapshot`,
    /// `aws_db_snapshot`).
    Snapshot,
    /// An RDS Proxy (`aws_db_proxy`).
    Proxy,
    /// An Aurora global database (`aws_rds_global_cluster`), whose regional members are
    /// clusters.
    GlobalCluster,
}

impl SubjectKind {
    /// A short description for documentation.
    pub fn describe(self) -> &'static str {
        match self {
            SubjectKind::ClusterParameterGroup => "cluster parameter groups",
            SubjectKind::InstanceParameterGroup => "instance parameter groups",
            SubjectKind::Cluster => "clusters",
            SubjectKind::IamPolicy => "IAM policy documents",
            SubjectKind::AccessRole => "database access roles",
            SubjectKind::BackupPolicy => "backup policies",
            SubjectKind::Snapshot => "snapshots",
            SubjectKind::Proxy => "RDS proxies",
            SubjectKind::GlobalCluster => "global clusters",
        }
    }
}

/// Something the rules can evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "one subject is built per resource and evaluated in place; boxing would only add \
              an indirection to every pattern"
)]
pub enum Subject {
    /// A parameter group with its effective parameters.
    ParameterGroup(ParameterGroupSubject),
    /// An Aurora cluster with its instances and effective cluster parameter group.
    Cluster(ClusterSubject),
    /// An IAM policy document.
    IamPolicy(IamPolicySubject),
    /// An IAM role granting database access.
    AccessRole(AccessRoleSubject),
    /// An AWS Backup vault, plan rule and vault lock.
    BackupPolicy(BackupPolicySubject),
    /// A manual snapshot.
    Snapshot(SnapshotSubject),
    /// An RDS Proxy.
    Proxy(ProxySubject),
    /// An Aurora global cluster.
    GlobalCluster(GlobalClusterSubject),
}

impl Subject {
    /// The subject's kind, which decides the rules that apply.
    pub fn kind(&self) -> SubjectKind {
        match self {
            Subject::ParameterGroup(group) => match group.scope {
                Scope::Cluster => SubjectKind::ClusterParameterGroup,
                Scope::Instance => SubjectKind::InstanceParameterGroup,
            },
            Subject::Cluster(_) => SubjectKind::Cluster,
            Subject::IamPolicy(_) => SubjectKind::IamPolicy,
            Subject::AccessRole(_) => SubjectKind::AccessRole,
            Subject::BackupPolicy(_) => SubjectKind::BackupPolicy,
            Subject::Snapshot(_) => SubjectKind::Snapshot,
            Subject::Proxy(_) => SubjectKind::Proxy,
            Subject::GlobalCluster(_) => SubjectKind::GlobalCluster,
        }
    }

    /// The parameter group, if the subject is one.
    pub fn as_parameter_group(&self) -> Option<&ParameterGroupSubject> {
        match self {
            Subject::ParameterGroup(group) => Some(group),
            Subject::Cluster(_)
            | Subject::IamPolicy(_)
            | Subject::AccessRole(_)
            | Subject::BackupPolicy(_)
            | Subject::Snapshot(_)
            | Subject::Proxy(_)
            | Subject::GlobalCluster(_) => None,
        }
    }

    /// The cluster, if the subject is one.
    pub fn as_cluster(&self) -> Option<&ClusterSubject> {
        match self {
            Subject::Cluster(cluster) => Some(cluster),
            Subject::ParameterGroup(_)
            | Subject::IamPolicy(_)
            | Subject::AccessRole(_)
            | Subject::BackupPolicy(_)
            | Subject::Snapshot(_)
            | Subject::Proxy(_)
            | Subject::GlobalCluster(_) => None,
        }
    }

    /// The backup policy, if the subject is one.
    pub fn as_backup_policy(&self) -> Option<&BackupPolicySubject> {
        match self {
            Subject::BackupPolicy(policy) => Some(policy),
            Subject::ParameterGroup(_)
            | Subject::Cluster(_)
            | Subject::IamPolicy(_)
            | Subject::AccessRole(_)
            | Subject::Snapshot(_)
            | Subject::Proxy(_)
            | Subject::GlobalCluster(_) => None,
        }
    }

    /// The snapshot, if the subject is one.
    pub fn as_snapshot(&self) -> Option<&SnapshotSubject> {
        match self {
            Subject::Snapshot(snapshot) => Some(snapshot),
            _ => None,
        }
    }

    /// The proxy, if the subject is one.
    pub fn as_proxy(&self) -> Option<&ProxySubject> {
        match self {
            Subject::Proxy(proxy) => Some(proxy),
            _ => None,
        }
    }

    /// The global cluster, if the subject is one.
    pub fn as_global_cluster(&self) -> Option<&GlobalClusterSubject> {
        match self {
            Subject::GlobalCluster(global) => Some(global),
            _ => None,
        }
    }
}

impl From<SnapshotSubject> for Subject {
    fn from(snapshot: SnapshotSubject) -> Self {
        Subject::Snapshot(snapshot)
    }
}

impl From<ProxySubject> for Subject {
    fn from(proxy: ProxySubject) -> Self {
        Subject::Proxy(proxy)
    }
}

impl From<GlobalClusterSubject> for Subject {
    fn from(global: GlobalClusterSubject) -> Self {
        Subject::GlobalCluster(global)
    }
}

impl From<BackupPolicySubject> for Subject {
    fn from(policy: BackupPolicySubject) -> Self {
        Subject::BackupPolicy(policy)
    }
}

impl From<ClusterSubject> for Subject {
    fn from(cluster: ClusterSubject) -> Self {
        Subject::Cluster(cluster)
    }
}

impl From<IamPolicySubject> for Subject {
    fn from(policy: IamPolicySubject) -> Self {
        Subject::IamPolicy(policy)
    }
}

impl From<AccessRoleSubject> for Subject {
    fn from(role: AccessRoleSubject) -> Self {
        Subject::AccessRole(role)
    }
}

impl From<ParameterGroupSubject> for Subject {
    fn from(group: ParameterGroupSubject) -> Self {
        Subject::ParameterGroup(group)
    }
}

/// Where a parameter lives: the cluster's parameter group or the instances'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The DB cluster parameter group (`ModifyDBClusterParameterGroup`).
    Cluster,
    /// The DB parameter group of the instances (`ModifyDBParameterGroup`).
    Instance,
}

impl Scope {
    /// `cluster` or `instance`.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Cluster => "cluster",
            Scope::Instance => "instance",
        }
    }
}

/// A parameter group and the parameter values that take effect with it.
///
/// Findings about a parameter point at `parameters["<name>"]`, using the name exactly as it is
/// spelled in [`parameters`](Self::parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParameterGroupSubject {
    /// The engine, when the resource states it. Rules fall back to the family's engine.
    pub engine: Fact<Engine>,
    /// The parameter group family, e.g. `aurora-postgresql16`.
    pub family: Fact<String>,
    /// Cluster or instance parameter group.
    pub scope: Scope,
    /// The effective value of every parameter the group sets, by name. A parameter missing here
    /// is not set by the group and takes the engine default.
    pub parameters: BTreeMap<String, Fact<String>>,
    /// `false` when the plan leaves part of the parameter set itself unknown, so a parameter
    /// missing from [`parameters`](Self::parameters) may still be set: rules then report it as
    /// undecided rather than missing.
    pub parameters_complete: bool,
}

impl ParameterGroupSubject {
    /// A group of `family` at `scope` with no parameters set and no stated engine.
    pub fn new(scope: Scope, family: Fact<String>) -> Self {
        Self {
            engine: Fact::Absent,
            family,
            scope,
            parameters: BTreeMap::new(),
            parameters_complete: true,
        }
    }

    /// The same group with the engine stated.
    #[must_use]
    pub fn with_engine(mut self, engine: Fact<Engine>) -> Self {
        self.engine = engine;
        self
    }

    /// The same group with one more parameter.
    #[must_use]
    pub fn with_parameter(mut self, name: impl Into<String>, value: Fact<String>) -> Self {
        self.parameters.insert(name.into(), value);
        self
    }

    /// The same group, marked as having parameters the plan cannot list yet.
    #[must_use]
    pub fn with_unknown_parameters(mut self) -> Self {
        self.parameters_complete = false;
        self
    }

    /// The engine the group belongs to: the stated engine, else the family's. `Absent` means the
    /// group is not for an Aurora engine dbrail knows (or states neither).
    pub fn resolved_engine(&self) -> Fact<Engine> {
        if let Fact::Known(engine) = self.engine {
            return Fact::Known(engine);
        }
        match &self.family {
            Fact::Known(family) => Engine::from_family(family).into(),
            Fact::Unknown => Fact::Unknown,
            Fact::Absent => self.engine,
        }
    }

    /// A parameter by name, ignoring ASCII case as the engines do: the name as spelled in the
    /// group and its value.
    pub fn parameter(&self, name: &str) -> Option<(&str, &Fact<String>)> {
        self.parameters
            .iter()
            .find(|(key, _)| key.trim().eq_ignore_ascii_case(name))
            .map(|(key, value)| (key.as_str(), value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(text: &str) -> Fact<String> {
        Fact::Known(text.to_owned())
    }

    #[test]
    fn kind_follows_scope() {
        let cluster = Subject::from(ParameterGroupSubject::new(Scope::Cluster, Fact::Absent));
        let instance = Subject::from(ParameterGroupSubject::new(Scope::Instance, Fact::Absent));
        assert_eq!(cluster.kind(), SubjectKind::ClusterParameterGroup);
        assert_eq!(instance.kind(), SubjectKind::InstanceParameterGroup);
        let cluster = Subject::from(ClusterSubject::new(Fact::Known(Engine::AuroraMysql)));
        assert_eq!(cluster.kind(), SubjectKind::Cluster);
        assert!(cluster.as_cluster().is_some());
        assert!(cluster.as_parameter_group().is_none());
    }

    #[test]
    fn engine_falls_back_to_family() {
        let group = ParameterGroupSubject::new(Scope::Cluster, known("aurora-mysql8.0"));
        assert_eq!(group.resolved_engine(), Fact::Known(Engine::AuroraMysql));

        let group = ParameterGroupSubject::new(Scope::Cluster, known("postgres16"));
        assert_eq!(group.resolved_engine(), Fact::Absent);

        let group = ParameterGroupSubject::new(Scope::Cluster, Fact::Unknown);
        assert_eq!(group.resolved_engine(), Fact::Unknown);

        let group = ParameterGroupSubject::new(Scope::Cluster, Fact::Unknown)
            .with_engine(Fact::Known(Engine::AuroraPostgresql));
        assert_eq!(
            group.resolved_engine(),
            Fact::Known(Engine::AuroraPostgresql)
        );

        let group =
            ParameterGroupSubject::new(Scope::Cluster, Fact::Absent).with_engine(Fact::Unknown);
        assert_eq!(group.resolved_engine(), Fact::Unknown);
    }

    #[test]
    fn parameter_lookup_ignores_case_and_keeps_the_spelling() {
        let group = ParameterGroupSubject::new(Scope::Cluster, Fact::Absent)
            .with_parameter("Require_Secure_Transport", known("ON"));
        let (name, value) = group.parameter("require_secure_transport").unwrap();
        assert_eq!(name, "Require_Secure_Transport");
        assert_eq!(value, &known("ON"));
        assert!(group.parameter("tls_version").is_none());
    }
}
