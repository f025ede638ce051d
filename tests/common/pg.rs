//! A throw-away PostgreSQL cluster for the loopback tests and benches: `initdb` into a fresh
//! temporary directory and `pg_ctl start` on a free 127.0.0.1 port, with password
//! (SCRAM-SHA-256) authentication for the user `kensa`; stopped (`-m immediate`) and removed
//! when dropped. No system service is used and no port is fixed.
//!
//! `initdb` refuses to run as root: as root, the cluster's directory is owned by the
//! `postgres` user (Debian's `postgresql` package creates it) and the server tools run as that
//! user through `runuser -u postgres --`.
//!
//! Without PostgreSQL (`/usr/lib/postgresql/*/bin/initdb`, or `initdb` on `PATH`),
//! [`PgCluster::start`] fails the test (a test that needs a tool never skips silently):
//! `scripts/test` installs Debian's `postgresql` package.
#![allow(dead_code, missing_docs, unreachable_pub)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The user and password of the test clusters.
pub const USER: &str = "kensa";
pub const PASSWORD: &str = "kensa-test-password";

/// A running PostgreSQL cluster of a test.
#[derive(Debug)]
pub struct PgCluster {
    bin: PathBuf,
    /// The cluster's directory (data, socket, log, password file).
    root: PathBuf,
    data: PathBuf,
    /// The loopback port it listens on.
    pub port: u16,
    as_postgres: bool,
}

/// The directory holding PostgreSQL's server binaries, if installed.
pub fn pg_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
        .collect();
    // The newest major version first (directory names are the major versions).
    found.sort_by_key(|b| {
        b.parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(b) = found.pop() {
        return Some(b);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn id_of(flag: &str) -> u32 {
    let out = Command::new("id")
        .args([flag, "postgres"])
        .output()
        .expect("id runs");
    assert!(
        out.status.success(),
        "running as root, the PostgreSQL tools must run as the `postgres` user, which does not \
         exist (install Debian's postgresql package)"
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a numeric id")
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    l.local_addr().expect("addr").port()
}

impl PgCluster {
    /// Start a new cluster (always `Some`; the `Option` is kept for the callers' `let … else`).
    /// Panics when PostgreSQL is not installed, and whenever the cluster cannot be started.
    pub fn start() -> Option<Self> {
        let Some(bin) = pg_bin() else {
            panic!(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, no initdb on \
                 PATH): apt-get install postgresql, or run scripts/test, which installs it"
            );
        };
        let as_postgres = is_root();
        let root = tempfile::Builder::new()
            .prefix("kensa-pg-")
            .tempdir()
            .expect("temporary directory")
            .keep();
        let data = root.join("data");
        let pwfile = root.join("pwfile");
        std::fs::write(&pwfile, PASSWORD).expect("password file");
        if as_postgres {
            let (uid, gid) = (id_of("-u"), id_of("-g"));
            for p in [&root, &pwfile] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid)).expect("chown to postgres");
            }
        }
        let c = Self {
            bin,
            root,
            data,
            port: 0,
            as_postgres,
        };
        let out = c.tool(
            "initdb",
            &[
                "-D",
                &c.data.display().to_string(),
                "-U",
                USER,
                "--auth=scram-sha-256",
                &format!("--pwfile={}", pwfile.display()),
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        assert!(out.status.success(), "initdb failed: {}", text(&out));
        let mut c = c;
        // The port was free a moment ago; another process may take it first: try again.
        let mut last = String::new();
        for _ in 0..5 {
            c.port = free_port();
            let out = c.pg_ctl_start();
            if out.status.success() {
                return Some(c);
            }
            last = format!("{}\n{}", text(&out), c.log());
        }
        panic!("pg_ctl start failed: {last}");
    }

    fn tool(&self, name: &str, args: &[&str]) -> Output {
        let exe = self.bin.join(name);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args)
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .env_remove("PGHOST")
            // Run from a directory the postgres user can read.
            .current_dir(&self.root)
            .output()
            .unwrap_or_else(|e| panic!("{} runs: {e}", exe.display()))
    }

    fn pg_ctl_start(&self) -> Output {
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            self.port,
            self.root.display()
        );
        self.tool(
            "pg_ctl",
            &[
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                &self.data.display().to_string(),
                "-l",
                &self.log_path().display().to_string(),
                "-o",
                &opts,
            ],
        )
    }

    fn log_path(&self) -> PathBuf {
        self.root.join("server.log")
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The URL of database `db` with the cluster's user and password.
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    /// The URL of database `db` with a wrong password.
    pub fn url_wrong_password(&self, db: &str) -> String {
        format!(
            "postgres://{USER}:not-the-password@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    /// Run SQL with `psql` in database `db` (`-v ON_ERROR_STOP=1`); returns its stdout.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &self.url(db),
                "-c",
                sql,
            ])
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "psql {sql}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Serve TLS with this certificate chain and key (PEM) and refuse every connection
    /// without TLS (`hostnossl … reject`); the server reloads its configuration. After this
    /// only [`PgCluster::tls_url`] connects.
    pub fn enable_tls(&self, chain_pem: &str, key_pem: &str) {
        let (crt, key) = (self.data.join("server.crt"), self.data.join("server.key"));
        std::fs::write(&crt, chain_pem).expect("write server.crt");
        std::fs::write(&key, key_pem).expect("write server.key");
        std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .expect("chmod server.key");
        if self.as_postgres {
            let (uid, gid) = (id_of("-u"), id_of("-g"));
            for p in [&crt, &key] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid)).expect("chown to postgres");
            }
        }
        for sql in [
            "ALTER SYSTEM SET ssl = on",
            "ALTER SYSTEM SET ssl_cert_file = 'server.crt'",
            "ALTER SYSTEM SET ssl_key_file = 'server.key'",
        ] {
            self.psql("postgres", sql);
        }
        let hba = self.data.join("pg_hba.conf");
        let old = std::fs::read_to_string(&hba).expect("read pg_hba.conf");
        std::fs::write(&hba, format!("hostnossl all all 0.0.0.0/0 reject\n{old}"))
            .expect("write pg_hba.conf");
        assert_eq!(self.psql("postgres", "SELECT pg_reload_conf()"), "t");
        std::thread::sleep(Duration::from_millis(500));
    }

    /// The URL of database `db` over TLS (`sslmode=require`).
    pub fn tls_url(&self, db: &str) -> String {
        self.url(db).replace("sslmode=disable", "sslmode=require")
    }

    /// Create a fresh database and return its URL.
    pub fn create_db(&self, name: &str) -> String {
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        self.url(name)
    }

    /// Restart the server (`pg_ctl restart -m fast`): clients lose their connections.
    pub fn restart(&self) {
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            self.port,
            self.root.display()
        );
        let out = self.tool(
            "pg_ctl",
            &[
                "restart",
                "-w",
                "-t",
                "60",
                "-m",
                "fast",
                "-D",
                &self.data.display().to_string(),
                "-l",
                &self.log_path().display().to_string(),
                "-o",
                &opts,
            ],
        );
        assert!(out.status.success(), "pg_ctl restart: {}", text(&out));
    }

    /// Wait until the server accepts connections (after a restart).
    pub fn wait_ready(&self, within: Duration) {
        let t = Instant::now();
        while t.elapsed() < within {
            let ok = Command::new(self.bin.join("pg_isready"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            if ok {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "PostgreSQL did not come back within {within:?}: {}",
            self.log()
        );
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self.tool(
            "pg_ctl",
            &[
                "stop",
                "-w",
                "-m",
                "immediate",
                "-D",
                &self.data.display().to_string(),
            ],
        );
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
