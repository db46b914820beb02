//! Wildcard matching, shared by waiver address patterns and AWS Backup selections.
//!
//! Both need the same backtracking match; they differ only in whether `?` is a wildcard. A
//! waiver's address pattern knows only `*` (a `?` can appear in a `for_each` key and must match
//! itself), while AWS Backup applies `*` and `?` to resource ARNs and `StringLike` to tag values.

/// `*` matches any run of characters; everything else, `?` included, matches itself.
pub fn star(pattern: &str, text: &str) -> bool {
    matches(pattern, text, false)
}

/// `*` matches any run of characters and `?` any one character, as AWS Backup matches ARNs and
/// `StringLike` conditions.
pub fn star_and_question(pattern: &str, text: &str) -> bool {
    matches(pattern, text, true)
}

fn matches(pattern: &str, text: &str, question: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    // The last `*` seen and the text position it has absorbed up to, to retry from on mismatch.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = t.get(ti) {
        match p.get(pi) {
            Some(&want) if want == c || (question && want == '?') => {
                pi += 1;
                ti += 1;
            }
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).unwrap_or_default().iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_runs_of_address_characters() {
        assert!(star("*", "aws_rds_cluster.a"));
        assert!(star(
            "module.db[*].aws_rds_cluster.main",
            "module.db[0].aws_rds_cluster.main"
        ));
        assert!(star("aws_rds_cluster.a", "aws_rds_cluster.a"));
        assert!(!star("aws_rds_cluster.a", "aws_rds_cluster.ab"));
        assert!(star("aws_*.a*", "aws_rds_cluster.ab"));
        assert!(!star("*.b", "a.bc"));
        assert!(star("a*a", "aa"));
        assert!(!star("a*a", "a"));
        assert!(star("", ""));
        assert!(!star("", "x"));
        // `?` is an ordinary character in an address pattern.
        assert!(star("x[\"a?\"]", "x[\"a?\"]"));
        assert!(!star("x[\"a?\"]", "x[\"ab\"]"));
    }

    #[test]
    fn star_and_question_match_arns_as_aws_backup_does() {
        assert!(star_and_question("*", "arn:aws:rds:eu-west-1:1:cluster:a"));
        assert!(star_and_question(
            "arn:aws:rds:*:*:cluster:*",
            "arn:aws:rds:eu-west-1:1:cluster:a"
        ));
        assert!(star_and_question(
            "arn:aws:rds:*:cluster:orders-*",
            "arn:aws:rds:eu:1:cluster:orders-1"
        ));
        assert!(!star_and_question(
            "arn:aws:rds:*:*:cluster:a",
            "arn:aws:rds:eu:1:cluster:ab"
        ));
        assert!(star_and_question("prod?", "prod1"));
        assert!(!star_and_question("prod?", "prod"));
        assert!(star_and_question("", ""));
        assert!(!star_and_question("", "x"));
    }
}
