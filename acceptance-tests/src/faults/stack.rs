//! The configurations the fault, crash, cancellation and concurrency tests apply: `n` Aurora
//! PostgreSQL clusters, each with its parameter baseline and optionally its access roles (each
//! granting `rds-db:connect` on its cluster's resource id, so a role is created only once its
//! cluster exists, as in real use), plus any extra HCL a test adds.
//!
//! Clusters are in the `development` tier so a cluster without readers (fast on the emulator)
//! passes the guardrails with warnings only; every resource still goes through the same create
//! path as in production.

use crate::config_header;

/// What to apply.
#[derive(Debug, Clone)]
pub struct Stack {
    subnets: Vec<String>,
    kms_key: String,
    clusters: usize,
    readers: u32,
    create_timeout: Option<String>,
    prefix: String,
    roles_per_cluster: usize,
    boundary: String,
    extra: String,
}

impl Stack {
    /// One cluster (no readers) with its baseline, on `subnets`, encrypted with `kms_key`.
    pub fn new(subnets: &[String], kms_key: &str) -> Self {
        Self {
            subnets: subnets.to_vec(),
            kms_key: kms_key.to_owned(),
            clusters: 1,
            readers: 0,
            create_timeout: None,
            prefix: "fx".to_owned(),
            roles_per_cluster: 0,
            boundary: String::new(),
            extra: String::new(),
        }
    }

    /// `n` clusters, each with its own baseline.
    #[must_use]
    pub fn clusters(mut self, n: usize) -> Self {
        self.clusters = n;
        self
    }

    /// Readers per cluster.
    #[must_use]
    pub fn readers(mut self, readers: u32) -> Self {
        self.readers = readers;
        self
    }

    /// `timeouts { create = ... }` on every cluster.
    #[must_use]
    pub fn create_timeout(mut self, timeout: &str) -> Self {
        self.create_timeout = Some(timeout.to_owned());
        self
    }

    /// `n` `dbrail_access_role`s per cluster (alternately `read_only` and `read_write`), with
    /// the permissions boundary `boundary_arn` production requires.
    #[must_use]
    pub fn access_roles(mut self, n: usize, boundary_arn: &str) -> Self {
        self.roles_per_cluster = n;
        boundary_arn.clone_into(&mut self.boundary);
        self
    }

    /// Every access role as (role name, its cluster's name, database user), sorted by role.
    pub fn roles(&self) -> Vec<(String, String, String)> {
        let mut roles: Vec<(String, String, String)> = (0..self.clusters)
            .flat_map(|i| {
                let cluster = self.cluster_name(i);
                (0..self.roles_per_cluster).map(move |k| {
                    (
                        format!("{cluster}-app{k}"),
                        cluster.clone(),
                        format!("app{k}"),
                    )
                })
            })
            .collect();
        roles.sort();
        roles
    }

    /// Appends HCL (more resources) to the configuration.
    #[must_use]
    pub fn extra(mut self, hcl: &str) -> Self {
        self.extra.push_str(hcl);
        self
    }

    /// The name of cluster `i` (from 0).
    pub fn cluster_name(&self, i: usize) -> String {
        format!("{}{i}", self.prefix)
    }

    /// The names of every cluster, sorted.
    pub fn cluster_names(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..self.clusters).map(|i| self.cluster_name(i)).collect();
        names.sort();
        names
    }

    /// The cluster and instance parameter groups of every baseline, sorted.
    pub fn parameter_groups(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..self.clusters)
            .flat_map(|i| {
                let base = format!("{}-pg16", self.cluster_name(i));
                [format!("{base}-cluster"), format!("{base}-instance")]
            })
            .collect();
        names.sort();
        names
    }

    /// The instances every cluster should have (`<name>-1` the writer, then readers), sorted.
    pub fn instances(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..self.clusters)
            .flat_map(|i| {
                let name = self.cluster_name(i);
                (1..=1 + self.readers).map(move |n| format!("{name}-{n}"))
            })
            .collect();
        names.sort();
        names
    }

    /// The configuration.
    pub fn hcl(&self) -> String {
        let subnets = self
            .subnets
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let timeouts = self.create_timeout.as_ref().map_or_else(String::new, |t| {
            format!("\n  timeouts {{\n    create = \"{t}\"\n  }}\n")
        });
        let mut out = config_header();
        for i in 0..self.clusters {
            let name = self.cluster_name(i);
            out.push_str(&format!(
                r#"resource "dbrail_parameter_baseline" "{name}" {{
  name   = "{name}-pg16"
  family = "aurora-postgresql16"
}}

resource "dbrail_cluster" "{name}" {{
  name                = "{name}"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "development"
  instance_class      = "db.r6g.large"
  readers             = {readers}
  subnet_ids          = [{subnets}]
  kms_key_id          = "{kms}"
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.{name}
{timeouts}}}

"#,
                readers = self.readers,
                kms = self.kms_key,
            ));
            for k in 0..self.roles_per_cluster {
                let tier = if k % 2 == 0 {
                    "read_only"
                } else {
                    "read_write"
                };
                out.push_str(&format!(
                    r#"resource "dbrail_access_role" "{name}_app{k}" {{
  name                     = "{name}-app{k}"
  tier                     = "{tier}"
  engine                   = "aurora-postgresql"
  cluster_resource_id      = dbrail_cluster.{name}.cluster_resource_id
  db_user                  = "app{k}"
  trusted_role_arns        = ["arn:aws:iam::123456789012:role/{name}-service"]
  permissions_boundary_arn = "{boundary}"
}}

"#,
                    boundary = self.boundary,
                ));
            }
        }
        out.push_str(&self.extra);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_resource_the_stack_creates() {
        let stack = Stack::new(&["subnet-a".into()], "key")
            .clusters(2)
            .readers(1);
        assert_eq!(stack.cluster_names(), vec!["fx0", "fx1"]);
        assert_eq!(stack.instances(), vec!["fx0-1", "fx0-2", "fx1-1", "fx1-2"]);
        assert_eq!(
            stack.parameter_groups(),
            vec![
                "fx0-pg16-cluster",
                "fx0-pg16-instance",
                "fx1-pg16-cluster",
                "fx1-pg16-instance"
            ]
        );
        let hcl = stack.create_timeout("30s").hcl();
        assert_eq!(hcl.matches("resource \"dbrail_cluster\"").count(), 2);
        assert!(hcl.contains("create = \"30s\""), "{hcl}");
        assert!(hcl.contains("parameter_baseline  = dbrail_parameter_baseline.fx1"));
        assert_eq!(hcl.matches("resource \"dbrail_access_role\"").count(), 0);
    }

    #[test]
    fn access_roles_follow_their_clusters() {
        let stack = Stack::new(&["subnet-a".into()], "key")
            .clusters(2)
            .access_roles(2, "arn:aws:iam::123456789012:policy/boundary");
        assert_eq!(stack.roles().len(), 4);
        assert_eq!(
            stack.roles()[1],
            ("fx0-app1".to_owned(), "fx0".to_owned(), "app1".to_owned())
        );
        let hcl = stack.hcl();
        assert_eq!(hcl.matches("resource \"dbrail_access_role\"").count(), 4);
        assert!(hcl.contains("cluster_resource_id      = dbrail_cluster.fx1.cluster_resource_id"));
        assert!(hcl.contains("tier                     = \"read_write\""));
    }
}
