//! Which resource another one points at.
//!
//! A cluster names its parameter group and an instance names its cluster by a string, which is
//! often unknown until apply (`name = aws_rds_cluster_parameter_group.pg.name` on a group being
//! created). The configuration section of a plan still records the expression's `references`, so
//! the link is known at plan time: this module resolves a reference to a resource in the same
//! module instance.

use crate::plan::Resource;

/// The resource part of a reference (`aws_rds_cluster.main.id` → `aws_rds_cluster.main`), or
/// `None` for references to variables, locals, modules and the like.
pub(crate) fn referenced_resource(reference: &str) -> Option<&str> {
    let parts: Vec<&str> = reference.splitn(4, '.').collect();
    let take = match parts.first() {
        Some(&"data") => 3,
        Some(&("var" | "local" | "module" | "each" | "count" | "path" | "terraform" | "self")) => {
            return None;
        }
        _ => 2,
    };
    if parts.len() < take {
        return None;
    }
    let length: usize = parts[..take].iter().map(|p| p.len()).sum::<usize>() + take - 1;
    Some(crate::plan::strip_index(&reference[..length]))
}

/// Whether `target` is what `from`'s attribute `name` references.
#[allow(
    dead_code,
    reason = "the one-pair form of the indexed lookups in `groups` and `aws_cluster`"
)]
pub(crate) fn references(from: &Resource, name: &str, target: &Resource) -> bool {
    from.module == target.module
        && from.references.get(name).is_some_and(|refs| {
            refs.iter()
                .filter_map(|r| referenced_resource(r))
                .any(|local| local == target.local)
        })
}

/// The index suffix of an address (`[0]`, `["a"]`), empty when there is none.
pub(crate) fn index_of(address: &str) -> &str {
    match address.rfind('[') {
        Some(at) if address.ends_with(']') && !address[at..].contains('.') => &address[at..],
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_resource_references_only() {
        assert_eq!(
            referenced_resource("aws_rds_cluster.main.id"),
            Some("aws_rds_cluster.main")
        );
        assert_eq!(
            referenced_resource("aws_rds_cluster.main"),
            Some("aws_rds_cluster.main")
        );
        assert_eq!(
            referenced_resource("aws_rds_cluster.main[0]"),
            Some("aws_rds_cluster.main")
        );
        assert_eq!(
            referenced_resource("data.aws_iam_policy_document.x.json"),
            Some("data.aws_iam_policy_document.x")
        );
        assert_eq!(referenced_resource("var.name"), None);
        assert_eq!(referenced_resource("module.db.name"), None);
        assert_eq!(referenced_resource("aws_rds_cluster"), None);
    }

    #[test]
    fn index_suffixes() {
        assert_eq!(index_of("aws_rds_cluster.a[0]"), "[0]");
        assert_eq!(index_of("aws_rds_cluster.a[\"x\"]"), "[\"x\"]");
        assert_eq!(index_of("module.m[0].aws_rds_cluster.a"), "");
    }
}
