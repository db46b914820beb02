//! `grant_sql` executed by a real PostgreSQL server, proving the statements are valid and grant
//! what each tier promises.
//!
//! The test starts a throwaway server (`initdb` + `pg_ctl` into a temporary directory, on a free
//! loopback port, trust authentication), creates `rds_iam` as RDS does, runs the generated SQL
//! for every tier twice (it must be re-runnable), and asks the server for the privileges with
//! `has_table_privilege` / `has_schema_privilege` / `pg_has_role`. PostgreSQL refuses to run as
//! root, so under root the server commands run as the `postgres` user (`runuser`). A machine
//! without PostgreSQL fails the test with the install command (`.ci/deps.sh` installs it); the
//! test is never skipped.

use super::grant_sql::grant_sql;
use dbrail_rules::Engine;
use dbrail_rules::access::AccessTier;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The directory holding `initdb` and `pg_ctl`: on `PATH`, else Debian's versioned directory.
fn server_bin_dir() -> Result<PathBuf, String> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file());
    if let Some(dir) = on_path {
        return Ok(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions
        .into_iter()
        .rev()
        .find(|dir| dir.join("initdb").is_file())
        .ok_or_else(|| {
            "PostgreSQL server binaries (initdb, pg_ctl) not found; install them with \
             `apt-get install -y postgresql` (or run .ci/deps.sh)"
                .to_owned()
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A server command, as the `postgres` user when running as root.
fn server_command(bin: &Path, tool: &str) -> Command {
    let program = bin.join(tool);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) -> Output {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A running throwaway server; stopped on drop.
struct Server {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let bin = server_bin_dir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        if is_root() {
            // The postgres user must be able to create the data directory inside.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777))
                .unwrap_or_else(|e| panic!("chmod: {e}"));
        }
        let data = dir.path().join("data");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("free port: {e}"));
        let mut init = server_command(&bin, "initdb");
        init.arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync"]);
        run(init, "initdb");
        let mut start = server_command(&bin, "pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.path().join("server.log"))
            .arg("-o")
            .arg(format!(
                "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
                dir.path().display()
            ))
            .args(["-w", "-t", "60", "start"]);
        run(start, "pg_ctl start");
        Self {
            bin,
            data,
            port,
            _dir: dir,
        }
    }

    /// Runs `sql` with psql as the superuser; `ON_ERROR_STOP` makes any error fail.
    fn psql(&self, sql: &str) -> String {
        let psql = self.bin.join("psql");
        let program = if psql.is_file() {
            psql
        } else {
            PathBuf::from("psql")
        };
        let mut c = Command::new(program);
        c.args([
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-X",
            "-q",
            "-At",
        ])
        .args(["-v", "ON_ERROR_STOP=1", "-p"])
        .arg(self.port.to_string())
        .arg("-c")
        .arg(sql);
        String::from_utf8_lossy(&run(c, &format!("psql: {sql}")).stdout)
            .trim()
            .to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let mut stop = server_command(&self.bin, "pg_ctl");
        stop.arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "stop"]);
        let _ = stop.output();
    }
}

fn privileges(server: &Server, user: &str, table: &str) -> String {
    server.psql(&format!(
        "SELECT concat_ws(',', \
           CASE WHEN has_table_privilege('{user}', '{table}', 'SELECT') THEN 'select' END, \
           CASE WHEN has_table_privilege('{user}', '{table}', 'INSERT') THEN 'insert' END, \
           CASE WHEN has_table_privilege('{user}', '{table}', 'UPDATE') THEN 'update' END, \
           CASE WHEN has_table_privilege('{user}', '{table}', 'DELETE') THEN 'delete' END, \
           CASE WHEN has_table_privilege('{user}', '{table}', 'TRUNCATE') THEN 'truncate' END, \
           CASE WHEN has_schema_privilege('{user}', 'public', 'CREATE') THEN 'create' END, \
           CASE WHEN pg_has_role('{user}', 'rds_iam', 'MEMBER') THEN 'rds_iam' END, \
           CASE WHEN (SELECT rolcanlogin FROM pg_roles WHERE rolname = '{user}') THEN 'login' END)"
    ))
}

#[test]
fn generated_sql_runs_on_postgres_and_grants_what_each_tier_promises() {
    let server = Server::start();
    // What RDS provides: the rds_iam role, and an application table.
    server.psql("CREATE ROLE rds_iam");
    server.psql("CREATE TABLE public.orders (id serial PRIMARY KEY, note text)");
    let tiers = [
        (AccessTier::ReadOnly, "orders_ro"),
        (AccessTier::ReadWrite, "orders_rw"),
        (AccessTier::Migration, "orders_ddl"),
    ];
    for (tier, user) in tiers {
        let sql = grant_sql(Engine::AuroraPostgresql, tier, &[user.to_owned()], None);
        server.psql(&sql);
        // Running it again must succeed too (an apply after a partial run, a second cluster).
        server.psql(&sql);
    }
    // A table created after the grants is covered by the default privileges.
    server.psql("CREATE TABLE public.refunds (id serial PRIMARY KEY)");

    for table in ["public.orders", "public.refunds"] {
        assert_eq!(
            privileges(&server, "orders_ro", table),
            "select,rds_iam,login",
            "{table}"
        );
        assert_eq!(
            privileges(&server, "orders_rw", table),
            "select,insert,update,delete,rds_iam,login",
            "{table}"
        );
        assert_eq!(
            privileges(&server, "orders_ddl", table),
            "select,insert,update,delete,truncate,create,rds_iam,login",
            "{table}"
        );
    }
    // The read-write user can use the serial's sequence; the read-only one cannot write it.
    assert_eq!(
        server.psql("SELECT has_sequence_privilege('orders_rw', 'public.orders_id_seq', 'USAGE')"),
        "t"
    );
    assert_eq!(
        server.psql("SELECT has_sequence_privilege('orders_ro', 'public.orders_id_seq', 'USAGE')"),
        "f"
    );
}

#[test]
fn a_custom_schema_is_quoted_and_granted() {
    let server = Server::start();
    server.psql("CREATE ROLE rds_iam");
    server.psql("CREATE SCHEMA \"Billing\"; CREATE TABLE \"Billing\".invoices (id int)");
    let sql = grant_sql(
        Engine::AuroraPostgresql,
        AccessTier::ReadOnly,
        &["billing_ro".to_owned()],
        Some("Billing"),
    );
    server.psql(&sql);
    assert_eq!(
        server.psql("SELECT has_table_privilege('billing_ro', '\"Billing\".invoices', 'SELECT')"),
        "t"
    );
    assert_eq!(
        server.psql("SELECT has_table_privilege('billing_ro', '\"Billing\".invoices', 'INSERT')"),
        "f"
    );
}
