//! `grant_sql`: the statements that create a database user for IAM authentication and grant
//! the tier's privileges, per engine.
//!
//! IAM decides who may obtain a token for a user; the database still decides what that user can
//! do. Generating both halves from one resource keeps them in step. Identifiers are quoted
//! (PostgreSQL `"…"`, MySQL `` `…` `` and `'…'` for account names) with embedded quotes doubled,
//! even though DB-ACCESS-DB-USER already restricts names to letters, digits, `_` and `$`, so a
//! relaxed rule could never turn into SQL injection. Statements are safe to run again: the
//! PostgreSQL role is created only when missing, MySQL uses `IF NOT EXISTS`.
//!
//! Privileges apply to one schema (PostgreSQL, default `public`) or one database (MySQL, no
//! default: without `schema` only the login is created, never a grant on `*.*`). `break_glass`
//! creates no user: it reads the master user's secret instead.

use dbrail_rules::Engine;
use dbrail_rules::access::AccessTier;

/// `"name"` with embedded `"` doubled.
pub(crate) fn pg_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with embedded `'` doubled (standard-conforming strings).
fn pg_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `` `name` `` with embedded backticks doubled.
fn mysql_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `'text'` with `\` and `'` escaped.
fn mysql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// The SQL for `users` (each once, in order) of a role of `tier` on `engine`.
pub(crate) fn grant_sql(
    engine: Engine,
    tier: AccessTier,
    users: &[String],
    schema: Option<&str>,
) -> String {
    if tier == AccessTier::BreakGlass {
        return "-- break_glass roles log in as the master user through its secret; no database user is created.\n"
            .to_owned();
    }
    let mut seen: Vec<&String> = Vec::new();
    let mut out = String::new();
    for user in users {
        if seen.contains(&user) {
            continue;
        }
        seen.push(user);
        out.push_str(&match engine {
            Engine::AuroraPostgresql => postgres(tier, user, schema.unwrap_or("public")),
            Engine::AuroraMysql => mysql(tier, user, schema),
            _ => String::new(),
        });
    }
    out
}

fn postgres(tier: AccessTier, user: &str, schema: &str) -> String {
    let u = pg_ident(user);
    let s = pg_ident(schema);
    let mut sql = format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {lit}) THEN CREATE ROLE {u} LOGIN; END IF; END $$;\n\
         GRANT rds_iam TO {u};\n",
        lit = pg_literal(user)
    );
    let (schema_privileges, tables, sequences) = match tier {
        AccessTier::ReadOnly => ("USAGE", "SELECT", "SELECT"),
        AccessTier::ReadWrite => ("USAGE", "SELECT, INSERT, UPDATE, DELETE", "USAGE, SELECT"),
        AccessTier::Migration | AccessTier::BreakGlass => ("USAGE, CREATE", "ALL", "ALL"),
    };
    sql.push_str(&format!(
        "GRANT {schema_privileges} ON SCHEMA {s} TO {u};\n\
         GRANT {tables} ON ALL TABLES IN SCHEMA {s} TO {u};\n\
         GRANT {sequences} ON ALL SEQUENCES IN SCHEMA {s} TO {u};\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT {tables} ON TABLES TO {u};\n\
         ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT {sequences} ON SEQUENCES TO {u};\n"
    ));
    sql
}

fn mysql(tier: AccessTier, user: &str, database: Option<&str>) -> String {
    let account = format!("{}@'%'", mysql_literal(user));
    let mut sql = format!(
        "CREATE USER IF NOT EXISTS {account} IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;\n"
    );
    let privileges = match tier {
        AccessTier::ReadOnly => "SELECT, SHOW VIEW",
        AccessTier::ReadWrite => "SELECT, INSERT, UPDATE, DELETE, SHOW VIEW",
        AccessTier::Migration | AccessTier::BreakGlass => {
            "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES, CREATE VIEW, SHOW VIEW, TRIGGER"
        }
    };
    match database {
        Some(db) => sql.push_str(&format!(
            "GRANT {privileges} ON {}.* TO {account};\n",
            mysql_ident(db)
        )),
        None => {
            sql.push_str("-- set `schema` to the database to grant the tier's privileges on.\n")
        }
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn postgres_creates_an_iam_login_with_tier_privileges() {
        let sql = grant_sql(
            Engine::AuroraPostgresql,
            AccessTier::ReadOnly,
            &users(&["orders_ro"]),
            None,
        );
        assert!(sql.contains("CREATE ROLE \"orders_ro\" LOGIN;"), "{sql}");
        assert!(sql.contains("GRANT rds_iam TO \"orders_ro\";"));
        assert!(sql.contains("GRANT SELECT ON ALL TABLES IN SCHEMA \"public\" TO \"orders_ro\";"));
        assert!(!sql.contains("INSERT"));
        let sql = grant_sql(
            Engine::AuroraPostgresql,
            AccessTier::ReadWrite,
            &users(&["app"]),
            Some("orders"),
        );
        assert!(sql.contains(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"orders\" TO \"app\";"
        ));
        assert!(!sql.contains("CREATE ON SCHEMA"));
        let sql = grant_sql(
            Engine::AuroraPostgresql,
            AccessTier::Migration,
            &users(&["ci"]),
            None,
        );
        assert!(sql.contains("GRANT USAGE, CREATE ON SCHEMA \"public\" TO \"ci\";"));
    }

    #[test]
    fn mysql_uses_the_aws_authentication_plugin() {
        let sql = grant_sql(
            Engine::AuroraMysql,
            AccessTier::ReadWrite,
            &users(&["app"]),
            Some("orders"),
        );
        assert!(sql.starts_with("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;\n"), "{sql}");
        assert!(sql.contains(
            "GRANT SELECT, INSERT, UPDATE, DELETE, SHOW VIEW ON `orders`.* TO 'app'@'%';"
        ));
        let sql = grant_sql(
            Engine::AuroraMysql,
            AccessTier::ReadOnly,
            &users(&["app"]),
            None,
        );
        assert!(!sql.contains("GRANT"), "{sql}");
        assert!(!sql.contains("*.*"));
    }

    #[test]
    fn quotes_are_doubled_so_names_cannot_escape() {
        assert_eq!(pg_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(pg_literal("o'b"), "'o''b'");
        assert_eq!(mysql_ident("a`b"), "`a``b`");
        assert_eq!(mysql_literal("o'b\\"), "'o''b\\\\'");
    }

    #[test]
    fn each_user_once_and_break_glass_creates_none() {
        let sql = grant_sql(
            Engine::AuroraPostgresql,
            AccessTier::ReadOnly,
            &users(&["a", "a", "b"]),
            None,
        );
        assert_eq!(sql.matches("GRANT rds_iam").count(), 2);
        let sql = grant_sql(
            Engine::AuroraMysql,
            AccessTier::BreakGlass,
            &users(&["a"]),
            None,
        );
        assert!(sql.starts_with("--") && !sql.contains("CREATE"));
    }
}
