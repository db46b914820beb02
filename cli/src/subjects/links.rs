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
    let mut dots = reference
        .bytes()
        .enumerate()
        .filter_map(|(at, b)| (b == b'.').then_some(at));
    let first_dot = dots.next()?;
    let take = match reference.get(..first_dot)? {
        "data" => 3,
        "var" | "local" | "module" | "each" | "count" | "path" | "terraform" | "self" => {
            return None;
        }
        _ => 2,
    };
    // The resource part ends at the `take`-th dot, or with the reference when it has exactly
    // `take` parts.
    let (end, parts) = match dots.nth(take - 2) {
        Some(at) => (at, take),
        None => (reference.len(), 2 + dots_after(reference, first_dot)),
    };
    (parts >= take).then(|| crate::plan::strip_index(reference.get(..end).unwrap_or_default()))
}

/// The number of dots after position `from`.
fn dots_after(reference: &str, from: usize) -> usize {
    reference
        .bytes()
        .skip(from + 1)
        .filter(|&b| b == b'.')
        .count()
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
