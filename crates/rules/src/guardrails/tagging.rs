//! G14: snapshots copy the cluster's tags, and the cluster carries the required tags.
//!
//! Tags are how an organisation finds what is in PCI scope, who owns it, and which backup plan
//! selects it; a snapshot without them is an orphan nobody can classify. Which keys are required
//! is organisation policy, so they come from the [`Context`] (none by default) rather than the
//! rule.

use crate::guardrails::cluster::{self, Switch, Verdict, at, production_error};
use crate::{
    AttrPath, Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G14",
    title: "Snapshots copy tags; required tags present",
    description: "\
Checks that an Aurora cluster copies its tags to snapshots (`copy_tags_to_snapshot = true`) and \
carries every tag key the organisation requires, each with a non-blank value. The required keys \
are configured (for example `owner`, `data-classification`); none are required by default. Keys \
compare exactly, as AWS tag keys are case-sensitive; the effective tags count, including provider \
default tags (`tags_all` for `aws_rds_cluster`).

Unset `copy_tags_to_snapshot` fails: AWS does not copy tags by default. A missing required tag \
is reported at `tags[\"<key>\"]`. A value unknown until apply leaves the rule undecided.

**Strictness:** a missing required tag is an error in every tier, because the organisation asked \
for it in every environment; `copy_tags_to_snapshot` turned off is an error in production and a \
warning in staging and development.",
    rationale: "Tags identify the owner, the data classification and the compliance scope of a \
cluster and of every snapshot taken from it, and AWS Backup plans and tag-based access policies \
select resources by them. An untagged snapshot of a card-data cluster is outside every inventory \
and every tag-scoped policy; PCI DSS 12.5.1 asks for an inventory of in-scope components \
(unconfirmed as a mapping for tags).",
    controls: &[
        Control::security_hub("RDS.16"),
        Control::security_hub("RDS.47"),
        Control::security_hub("RDS.48"),
        Control::security_hub("RDS.28"),
        Control::checkov("CKV_AWS_313"),
    ],
    fix: "Set copy_tags_to_snapshot = true and add the required tags to tags (or to the \
provider's default tags).",
    applies_to: &[SubjectKind::Cluster],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, context: &Context<'_>) -> Vec<Outcome> {
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    Switch {
        attribute: "copy_tags_to_snapshot",
        fact: cluster.copy_tags_to_snapshot,
        wanted: true,
        when_unset: Some("AWS does not copy the cluster's tags to its snapshots by default"),
        severity: production_error(context),
        problem: "snapshots lose the cluster's owner, classification and scope tags",
        fix: "set copy_tags_to_snapshot = true",
    }
    .judge(&mut verdict);
    if context.required_tags.is_empty() {
        return verdict.finish();
    }
    let empty = Default::default();
    let tags = match &cluster.tags {
        Fact::Known(tags) => tags,
        Fact::Absent => &empty,
        Fact::Unknown => {
            verdict.undecided(
                at("tags"),
                "the cluster's tags are unknown until apply, so the required tags cannot be checked",
            );
            return verdict.finish();
        }
    };
    let mut seen = Vec::new();
    for key in context.required_tags.iter().copied() {
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let at = AttrPath::attribute("tags").key(key);
        let fix = format!("add the tag {key:?} with a value to tags (or to the default tags)");
        match tags.get(key).map(Fact::as_deref) {
            Some(Fact::Known(value)) if !value.trim().is_empty() => {}
            Some(Fact::Known(_)) => verdict.fail(
                Severity::Error,
                at,
                format!("the required tag {key:?} has a blank value"),
                fix,
            ),
            None | Some(Fact::Absent) => verdict.fail(
                Severity::Error,
                at,
                format!("the required tag {key:?} is missing"),
                fix,
            ),
            Some(Fact::Unknown) => verdict.undecided(
                at,
                format!("the value of the required tag {key:?} is unknown until apply"),
            ),
        }
    }
    verdict.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        date, dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, tags,
        undecided,
    };
    use crate::{Tier, Waiver};

    const PASS: Outcome = Outcome::Pass { rule: "G14" };
    const REQUIRED: &[&str] = &["owner", "data-classification"];

    #[test]
    fn passes_with_copied_tags_and_no_or_present_required_tags() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [PASS]
        );
        let context = production().with_required_tags(REQUIRED);
        assert_eq!(evaluate_cluster(&RULE, dbrail_cluster(), &context), [PASS]);
    }

    #[test]
    fn tags_are_not_required_by_default() {
        let cluster = dbrail_cluster().with_tags(Fact::Absent);
        assert_eq!(evaluate_cluster(&RULE, cluster, &production()), [PASS]);
    }

    #[test]
    fn missing_or_blank_required_tags_are_errors_in_every_tier() {
        let context = in_tier(Tier::Development).with_required_tags(REQUIRED);
        let cluster = dbrail_cluster().with_tags(Fact::Known(tags(&[
            ("Owner", "payments"),
            ("data-classification", " "),
        ])));
        let outcomes = evaluate_cluster(&RULE, cluster, &context);
        assert_eq!(
            failed_at(&outcomes),
            ["tags[\"owner\"]", "tags[\"data-classification\"]"]
        );
        let found = failures(&outcomes);
        assert!(found.iter().all(|f| f.severity == Severity::Error));
        assert!(found[0].message.contains("missing"));
        assert!(found[1].message.contains("blank"));

        let untagged = dbrail_cluster().with_tags(Fact::Absent);
        assert_eq!(
            failures(&evaluate_cluster(&RULE, untagged, &context)).len(),
            2
        );
    }

    #[test]
    fn copy_tags_off_is_an_error_in_production_and_a_warning_below() {
        for fact in [Fact::Known(false), Fact::Absent] {
            let cluster = || dbrail_cluster().with_copy_tags_to_snapshot(fact);
            let outcomes = evaluate_cluster(&RULE, cluster(), &production());
            assert_eq!(failed_at(&outcomes), ["copy_tags_to_snapshot"]);
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
            let found = failures(&evaluate_cluster(&RULE, cluster(), &in_tier(Tier::Staging)));
            assert_eq!(found[0].severity, Severity::Warning);
        }
    }

    #[test]
    fn unknown_values_are_undecided() {
        let context = production().with_required_tags(REQUIRED);
        let cluster = dbrail_cluster()
            .with_tags(Fact::Unknown)
            .with_copy_tags_to_snapshot(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &context)),
            ["copy_tags_to_snapshot", "tags"]
        );
        let mut tagged = tags(&[("owner", "payments")]);
        tagged.insert("data-classification".to_owned(), Fact::Unknown);
        let cluster = dbrail_cluster().with_tags(Fact::Known(tagged));
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &context)),
            ["tags[\"data-classification\"]"]
        );
    }

    #[test]
    fn a_valid_waiver_waives_and_an_expired_one_is_an_error() {
        let waivers = [Waiver::new(
            "G14",
            "tags arrive with the CMDB sync",
            date("2025-06-30"),
        )];
        let context = production()
            .with_required_tags(&["owner"])
            .with_waivers(&waivers);
        let cluster = || dbrail_cluster().with_tags(Fact::Absent);
        let outcomes = evaluate_cluster(&RULE, cluster(), &context);
        assert!(matches!(
            outcomes.as_slice(),
            [Outcome::Waived { rule: "G14", .. }]
        ));

        let later = Context::new(Tier::Production, date("2025-07-01"))
            .with_required_tags(&["owner"])
            .with_waivers(&waivers);
        let found = failures(&evaluate_cluster(&RULE, cluster(), &later));
        assert_eq!(found.len(), 2);
        assert!(found[1].message.contains("expired on 2025-06-30"));
    }
}
