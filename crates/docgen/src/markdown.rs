//! Small Markdown helpers shared by the provider pages and the module tables.

use serde_json::Value;

/// A type constraint from the schema JSON in words, as the registry shows it: `String`,
/// `List of String`, `Map of Object`.
pub fn type_name(ty: &Value) -> String {
    match ty {
        Value::String(s) => capitalise(s),
        Value::Array(parts) => match (parts.first().and_then(Value::as_str), parts.get(1)) {
            (Some(kind @ ("list" | "set" | "map")), Some(element)) => {
                format!("{} of {}", capitalise(kind), type_name(element))
            }
            (Some(kind), _) => capitalise(kind),
            (None, _) => "Dynamic".to_owned(),
        },
        _ => "Dynamic".to_owned(),
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Turns guardrail ids written in prose (`rule G12`, `rules G9 and G10`) into links to their
/// section of the rule catalogue at `rules_md` (a path relative to the page). Ids inside code
/// spans stay as they are.
pub fn link_rules(text: &str, rules_md: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut in_code = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
        }
        let boundary_before = i == 0
            || !(chars[i - 1].is_alphanumeric()
                || chars[i - 1] == '_'
                || chars[i - 1] == '['
                || chars[i - 1] == '#');
        if !in_code && c == 'G' && boundary_before {
            let digits: String = chars[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .collect();
            let end = i + 1 + digits.len();
            let boundary_after = chars
                .get(end)
                .is_none_or(|n| !(n.is_alphanumeric() || *n == '_' || *n == ']'));
            if !digits.is_empty() && digits.len() <= 2 && boundary_after {
                out.push_str(&format!("[G{digits}]({rules_md}#g{digits})"));
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Text made safe for one Markdown table cell: no line breaks, no unescaped pipes.
pub fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// Text as an inline code span, with a fence long enough for backticks inside it.
pub fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A YAML block scalar for frontmatter: `|-` followed by the text indented by two spaces.
pub fn yaml_block(text: &str) -> String {
    let mut out = String::from("|-");
    for line in text.trim().lines() {
        out.push('\n');
        if !line.is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test")]
    use super::*;
    use serde_json::json;

    #[test]
    fn types_read_like_the_registry() {
        assert_eq!(type_name(&json!("string")), "String");
        assert_eq!(type_name(&json!(["set", "string"])), "Set of String");
        assert_eq!(
            type_name(&json!(["map", ["object", {"a": "bool"}]])),
            "Map of Object"
        );
        assert_eq!(
            type_name(&json!(["list", ["list", "number"]])),
            "List of List of Number"
        );
        assert_eq!(type_name(&json!(null)), "Dynamic");
    }

    #[test]
    fn rule_ids_become_links_outside_code() {
        assert_eq!(
            link_rules("Rules G9 and G10; see `G12`.", "../rules.md"),
            "Rules [G9](../rules.md#g9) and [G10](../rules.md#g10); see `G12`."
        );
        assert_eq!(link_rules("(rule G15)", "r.md"), "(rule [G15](r.md#g15))");
        // Not ids: part of a word, three digits, already a link.
        assert_eq!(
            link_rules("GG1 G100 [G4](x) G", "r.md"),
            "GG1 G100 [G4](x) G"
        );
    }

    #[test]
    fn cells_and_code_spans_are_safe() {
        assert_eq!(cell("a | b\n  c"), "a \\| b c");
        assert_eq!(code("x"), "`x`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(yaml_block("one\n\ntwo"), "|-\n  one\n\n  two");
    }
}
