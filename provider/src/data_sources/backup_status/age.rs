//! Ages and times as people read them in CI output.

/// Epoch seconds as RFC 3339 UTC (`2026-11-23T05:00:00Z`).
pub(super) fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let date = dbrail_rules::Date::from_days_since_epoch(days);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// `3d 4h`, `2h 5m`, `40s`.
pub(super) fn human(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// The evidence in one sentence.
pub(super) fn summary(
    cluster: &str,
    restorable: &Option<String>,
    newest_age: Option<i64>,
    count: usize,
) -> String {
    let restore = restorable.as_deref().map_or_else(
        || "point-in-time restore not reported".to_owned(),
        |t| format!("point-in-time restore reaches {t}"),
    );
    match newest_age {
        Some(age) => format!(
            "{cluster}: {restore}; {count} recovery point(s), the newest {} old.",
            human(age)
        ),
        None => format!("{cluster}: {restore}; no AWS Backup recovery point."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_ages_read_well() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(86_400 + 3661), "1970-01-02T01:01:01Z");
        assert_eq!(human(40), "40s");
        assert_eq!(human(125), "2m");
        assert_eq!(human(7_500), "2h 5m");
        assert_eq!(human(3 * 86_400 + 4 * 3600), "3d 4h");
        assert_eq!(
            summary("orders", &None, None, 0),
            "orders: point-in-time restore not reported; no AWS Backup recovery point."
        );
        assert!(
            summary("orders", &Some("t".into()), Some(60), 2)
                .contains("2 recovery point(s), the newest 1m old")
        );
    }
}
