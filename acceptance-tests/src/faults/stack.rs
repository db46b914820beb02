//! The configurations the fault, crash, cancellation and concurrency tests apply: `n` Aurora
//! PostgreSQL clusters, each with its parameter baseline, plus any extra HCL a test adds (other
//! resource types join the same scenarios that way).
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
    }
}
