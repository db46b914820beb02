//! Database engines dbrail guards.
//!
//! dbrail manages Aurora PostgreSQL and Aurora MySQL only. Rules that depend on the engine
//! (parameter names differ completely between the two) match on this enum; anything else is
//! outside the catalogue, so rules do not apply to it rather than fail on it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An Aurora engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Engine {
    /// Aurora PostgreSQL-Compatible Edition (`aurora-postgresql`).
    #[serde(rename = "aurora-postgresql")]
    AuroraPostgresql,
    /// Aurora MySQL-Compatible Edition (`aurora-mysql`).
    #[serde(rename = "aurora-mysql")]
    AuroraMysql,
}

impl Engine {
    /// Every engine, in catalogue order.
    pub const ALL: [Engine; 2] = [Engine::AuroraPostgresql, Engine::AuroraMysql];

    /// The engine name as the RDS API spells it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::AuroraPostgresql => "aurora-postgresql",
            Engine::AuroraMysql => "aurora-mysql",
        }
    }

    /// The port the engine listens on unless told otherwise: 5432 for PostgreSQL, 3306 for MySQL.
    pub fn default_port(self) -> u16 {
        match self {
            Engine::AuroraPostgresql => 5432,
            Engine::AuroraMysql => 3306,
        }
    }

    /// The engine for an RDS engine name (`aurora-postgresql`, `aurora-mysql`).
    pub fn from_name(name: &str) -> Option<Engine> {
        Engine::ALL
            .into_iter()
            .find(|engine| engine.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The engine of a parameter group family such as `aurora-postgresql16` or
    /// `aurora-mysql8.0`, whether or not dbrail's baseline supports that version.
    pub fn from_family(family: &str) -> Option<Engine> {
        let family = family.trim().to_ascii_lowercase();
        Engine::ALL.into_iter().find(|engine| {
            family
                .strip_prefix(engine.name())
                .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
        })
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_engine_names() {
        assert_eq!(Engine::from_name("aurora-mysql"), Some(Engine::AuroraMysql));
        assert_eq!(
            Engine::from_name("Aurora-PostgreSQL"),
            Some(Engine::AuroraPostgresql)
        );
        assert_eq!(Engine::from_name("postgres"), None);
        assert_eq!(Engine::from_name("aurora"), None);
    }

    #[test]
    fn knows_default_ports() {
        assert_eq!(Engine::AuroraPostgresql.default_port(), 5432);
        assert_eq!(Engine::AuroraMysql.default_port(), 3306);
    }

    #[test]
    fn derives_the_engine_from_a_family() {
        assert_eq!(
            Engine::from_family("aurora-postgresql16"),
            Some(Engine::AuroraPostgresql)
        );
        assert_eq!(
            Engine::from_family("aurora-mysql8.0"),
            Some(Engine::AuroraMysql)
        );
        assert_eq!(
            Engine::from_family("aurora-mysql5.7"),
            Some(Engine::AuroraMysql)
        );
        assert_eq!(Engine::from_family("postgres16"), None);
        assert_eq!(Engine::from_family("aurora5.6"), None);
        assert_eq!(Engine::from_family("aurora-postgresql"), None);
    }
}
