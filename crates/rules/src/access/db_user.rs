//! Database user names that IAM authentication can serve, per engine.
//!
//! The name appears three times: in the `rds-db:connect` resource ARN, in the database's
//! catalogue, and in the token the client presents. It must be the same string in all three,
//! so dbrail accepts only names every place reads the same way: ASCII letters, digits and `_`
//! (and `$` after the first character), starting with a letter or `_`. PostgreSQL allows 63
//! bytes (`NAMEDATALEN - 1`), MySQL 32 characters. Names owned by RDS or by the engine are
//! refused, because granting IAM login to them would either fail or hand out administrative
//! access: `rdsadmin`, the roles RDS manages, PostgreSQL's `pg_*` namespace and the usual master
//! user names (`postgres`, `admin`, `root`).

use crate::Engine;

/// Longest PostgreSQL identifier in bytes.
pub const POSTGRES_MAX_LEN: usize = 63;
/// Longest MySQL user name in characters.
pub const MYSQL_MAX_LEN: usize = 32;

/// Names RDS or the engine own, for either engine.
const RESERVED_ANY: &[&str] = &["rdsadmin", "rdsrepladmin", "rdstopmgr", "root", "public"];
/// Names Aurora PostgreSQL owns (lower case).
const RESERVED_POSTGRES: &[&str] = &[
    "postgres",
    "rds_superuser",
    "rds_iam",
    "rds_replication",
    "rds_password",
    "rds_ad",
    "rds_pgaudit",
    "rds_extension",
];
/// Names Aurora MySQL owns (lower case).
const RESERVED_MYSQL: &[&str] = &[
    "admin",
    "rds_superuser_role",
    "mysql.sys",
    "mysql.session",
    "mysql.infoschema",
    "aws_superuser",
];

/// Checks `name` for `engine` (both engines' rules when the engine is not known); the error
/// says what is wrong.
pub fn validate(engine: Option<Engine>, name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the database user name is empty".to_owned());
    }
    if name.contains('*') || name.contains('?') {
        return Err(format!(
            "{name:?} is a wildcard; IAM would let the role log in as every matching user"
        ));
    }
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        return Err(format!(
            "{name:?} must start with a letter or `_` and contain only ASCII letters, digits, `_` and `$`"
        ));
    }
    let lower = name.to_ascii_lowercase();
    let engines: &[Engine] = match engine {
        Some(Engine::AuroraPostgresql) => &[Engine::AuroraPostgresql],
        Some(Engine::AuroraMysql) => &[Engine::AuroraMysql],
        None => &Engine::ALL,
    };
    for engine in engines {
        let (max, reserved) = match engine {
            Engine::AuroraPostgresql => (POSTGRES_MAX_LEN, RESERVED_POSTGRES),
            Engine::AuroraMysql => (MYSQL_MAX_LEN, RESERVED_MYSQL),
        };
        if name.len() > max {
            return Err(format!(
                "{name:?} is {} characters long; {} allows {max}",
                name.len(),
                engine.name()
            ));
        }
        if RESERVED_ANY.contains(&lower.as_str()) || reserved.contains(&lower.as_str()) {
            return Err(format!(
                "{name:?} is reserved on {}: it belongs to RDS or is a master user name",
                engine.name()
            ));
        }
        if *engine == Engine::AuroraPostgresql && lower.starts_with("pg_") {
            return Err(format!(
                "{name:?} is in PostgreSQL's reserved `pg_` namespace"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass_on_both_engines() {
        for name in ["app", "orders_ro", "_svc", "svc$1", "A1"] {
            assert_eq!(validate(None, name), Ok(()), "{name}");
        }
    }

    #[test]
    fn wildcards_bad_characters_and_empty_names_fail() {
        for name in [
            "*", "app*", "ap?", "", "1app", "app-ro", "app ro", "o'brien", "app\"x",
        ] {
            assert!(validate(None, name).is_err(), "{name}");
        }
    }

    #[test]
    fn reserved_names_depend_on_the_engine() {
        let pg = Some(Engine::AuroraPostgresql);
        let my = Some(Engine::AuroraMysql);
        assert!(validate(pg, "rdsadmin").is_err());
        assert!(validate(my, "RDSADMIN").is_err());
        assert!(validate(pg, "postgres").is_err());
        assert!(validate(my, "postgres").is_ok());
        assert!(validate(my, "admin").is_err());
        assert!(validate(pg, "admin").is_ok());
        assert!(validate(pg, "pg_monitor").is_err());
        assert!(validate(my, "pg_monitor").is_ok());
        assert!(validate(None, "postgres").is_err());
        assert!(validate(None, "admin").is_err());
    }

    #[test]
    fn lengths_follow_the_engine() {
        let forty = "a".repeat(40);
        assert!(validate(Some(Engine::AuroraPostgresql), &forty).is_ok());
        assert!(validate(Some(Engine::AuroraMysql), &forty).is_err());
        assert!(validate(None, &forty).is_err());
        assert!(validate(Some(Engine::AuroraPostgresql), &"a".repeat(64)).is_err());
    }
}
