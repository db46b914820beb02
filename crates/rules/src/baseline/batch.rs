//! Splitting parameters into modify calls.
//!
//! `ModifyDBClusterParameterGroup` and `ModifyDBParameterGroup` take at most 20 parameters per
//! call, each call targets one group (so one scope), and coupled parameters must travel in the
//! same call. Batches are filled in order; a coupling group is placed whole, starting a new batch
//! when it does not fit, and a partner listed later is pulled forward to join its group.

use crate::Scope;
use crate::baseline::EffectiveParameter;
use crate::baseline::coupling::coupling_group;

/// The most parameters one modify call accepts.
pub const MAX_BATCH: usize = 20;

/// Splits parameters into batches of at most [`MAX_BATCH`], cluster scope first. No batch mixes
/// scopes, coupled parameters of the same scope share a batch, and the input order is otherwise
/// kept.
pub fn batches(parameters: &[EffectiveParameter]) -> Vec<Vec<&EffectiveParameter>> {
    let mut batches = Vec::new();
    for scope in [Scope::Cluster, Scope::Instance] {
        let members: Vec<&EffectiveParameter> =
            parameters.iter().filter(|p| p.scope == scope).collect();
        let mut current: Vec<&EffectiveParameter> = Vec::new();
        for unit in units(&members) {
            if !current.is_empty() && current.len() + unit.len() > MAX_BATCH {
                batches.push(std::mem::take(&mut current));
            }
            current.extend(unit);
        }
        if !current.is_empty() {
            batches.push(current);
        }
    }
    batches
}

/// Groups parameters into units that must share a batch, in order of first appearance.
fn units<'a>(members: &[&'a EffectiveParameter]) -> Vec<Vec<&'a EffectiveParameter>> {
    let mut placed = vec![false; members.len()];
    let mut units = Vec::new();
    for (i, parameter) in members.iter().enumerate() {
        if placed[i] {
            continue;
        }
        placed[i] = true;
        let mut unit = vec![*parameter];
        if let Some(group) = coupling_group(&parameter.name) {
            for (j, partner) in members.iter().enumerate().skip(i + 1) {
                let coupled = group
                    .iter()
                    .any(|member| member.eq_ignore_ascii_case(partner.name.trim()));
                if !placed[j] && coupled {
                    placed[j] = true;
                    unit.push(*partner);
                }
            }
        }
        units.push(unit);
    }
    units
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Fact;
    use crate::baseline::{ApplyMethod, Source};

    fn parameter(name: &str, scope: Scope) -> EffectiveParameter {
        EffectiveParameter {
            name: name.to_owned(),
            value: Fact::Known("1".to_owned()),
            scope,
            apply_method: ApplyMethod::Immediate,
            source: Source::Baseline,
        }
    }

    /// `count` cluster parameters named p0, p1, ..., with `replace` substituted by position.
    fn set(count: usize, replace: &[(usize, &str)]) -> Vec<EffectiveParameter> {
        (0..count)
            .map(|i| {
                let name = replace
                    .iter()
                    .find(|(at, _)| *at == i)
                    .map_or_else(|| format!("p{i}"), |(_, name)| (*name).to_owned());
                parameter(&name, Scope::Cluster)
            })
            .collect()
    }

    fn names(batches: &[Vec<&EffectiveParameter>]) -> Vec<Vec<String>> {
        batches
            .iter()
            .map(|batch| batch.iter().map(|p| p.name.clone()).collect())
            .collect()
    }

    fn batch_of(batches: &[Vec<&EffectiveParameter>], name: &str) -> usize {
        batches
            .iter()
            .position(|batch| batch.iter().any(|p| p.name == name))
            .unwrap()
    }

    #[test]
    fn forty_five_parameters_make_batches_of_20_20_and_5() {
        let params = set(45, &[]);
        let batches = batches(&params);
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [20, 20, 5]);
        let flat: Vec<String> = names(&batches).concat();
        let expected: Vec<String> = (0..45).map(|i| format!("p{i}")).collect();
        assert_eq!(flat, expected);
    }

    #[test]
    fn a_pair_straddling_the_boundary_moves_to_the_next_batch_together() {
        let params = set(
            45,
            &[
                (19, "ssl_min_protocol_version"),
                (20, "ssl_max_protocol_version"),
            ],
        );
        let batches = batches(&params);
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [19, 20, 6]);
        assert_eq!(batch_of(&batches, "ssl_min_protocol_version"), 1);
        assert_eq!(batch_of(&batches, "ssl_max_protocol_version"), 1);
    }

    #[test]
    fn a_pair_ending_exactly_at_the_boundary_stays_put() {
        let params = set(
            45,
            &[
                (18, "password_encryption"),
                (19, "rds.accepted_password_auth_method"),
            ],
        );
        let batches = batches(&params);
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [20, 20, 5]);
        assert_eq!(batch_of(&batches, "password_encryption"), 0);
        assert_eq!(batch_of(&batches, "rds.accepted_password_auth_method"), 0);
    }

    #[test]
    fn a_partner_listed_far_later_is_pulled_into_its_group_batch() {
        let params = set(
            45,
            &[
                (3, "ssl_max_protocol_version"),
                (40, "ssl_min_protocol_version"),
            ],
        );
        let batches = batches(&params);
        assert_eq!(batch_of(&batches, "ssl_max_protocol_version"), 0);
        assert_eq!(batch_of(&batches, "ssl_min_protocol_version"), 0);
        assert_eq!(
            names(&batches)[0][3..5],
            ["ssl_max_protocol_version", "ssl_min_protocol_version"]
        );
        assert!(batches.iter().all(|b| b.len() <= MAX_BATCH));
        assert_eq!(batches.iter().map(Vec::len).sum::<usize>(), 45);
    }

    #[test]
    fn scopes_never_share_a_batch() {
        let mut params = set(25, &[]);
        params.extend((0..3).map(|i| parameter(&format!("i{i}"), Scope::Instance)));
        params.insert(0, parameter("i_first", Scope::Instance));
        let batches = batches(&params);
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        assert_eq!(sizes, [20, 5, 4]);
        for batch in &batches {
            assert!(batch.iter().all(|p| p.scope == batch[0].scope));
        }
        assert_eq!(batches[2][0].name, "i_first");
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(batches(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn batches_respect_size_scope_coupling_and_completeness(
            layout in prop::collection::vec((0u8..6, any::<bool>()), 0..70)
        ) {
            // Kinds 0..4 are plain parameters; 4 and 5 place a member of a coupling group.
            let coupled = ["ssl_min_protocol_version", "ssl_max_protocol_version", "password_encryption", "rds.accepted_password_auth_method"];
            let mut used = std::collections::BTreeSet::new();
            let params: Vec<EffectiveParameter> = layout
                .iter()
                .enumerate()
                .map(|(i, (kind, instance))| {
                    let scope = if *instance { Scope::Instance } else { Scope::Cluster };
                    let name = match kind {
                        4 | 5 => coupled
                            .iter()
                            .find(|name| !used.contains(&(**name, scope)))
                            .map_or_else(|| format!("p{i}"), |name| (*name).to_owned()),
                        _ => format!("p{i}"),
                    };
                    if let Some(name) = coupled.iter().find(|c| **c == name) {
                        used.insert((*name, scope));
                    }
                    parameter(&name, scope)
                })
                .collect();

            let batches = batches(&params);
            prop_assert_eq!(batches.iter().map(Vec::len).sum::<usize>(), params.len());
            for batch in &batches {
                prop_assert!(!batch.is_empty() && batch.len() <= MAX_BATCH);
                prop_assert!(batch.iter().all(|p| p.scope == batch[0].scope));
            }
            for group in crate::baseline::coupling::COUPLED {
                for scope in [Scope::Cluster, Scope::Instance] {
                    let homes: std::collections::BTreeSet<usize> = batches
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| b.iter().any(|p| p.scope == scope && group.contains(&p.name.as_str())))
                        .map(|(i, _)| i)
                        .collect();
                    prop_assert!(homes.len() <= 1, "{:?} split across {:?}", group, homes);
                }
            }
        }
    }
}
