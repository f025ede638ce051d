//! Helpers shared by the loopback end-to-end tests: the kensa binary, listeners, catalogs.
#![allow(dead_code, missing_docs, unreachable_pub)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// The kensa binary with a clean environment for logs and colour, and a run database
/// (`KENSA_DB`) of its own in a fresh temporary directory, so no test writes `./kensa.db`.
/// The per-host connection rate is off (`KENSA_RATE_PER_HOST=0`): the tests' servers are
/// their own, many targets share 127.0.0.1, and the rate has its own test (`tests/rate.rs`,
/// which passes `--rate-per-host`).
pub fn kensa() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kensa"));
    c.env("NO_COLOR", "1")
        .env_remove("KENSA_LOG")
        .env("KENSA_RATE_PER_HOST", "0")
        .env("KENSA_DB", fresh_db());
    c
}

/// A database path in a fresh temporary directory (kept: the process that uses it outlives
/// this call). The directories are under cargo's `target/tmp` for integration tests, so
/// `cargo clean` removes them and the system's temporary directory does not fill up.
pub fn fresh_db() -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix("kensa-test-db-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temporary directory")
        .keep();
    dir.join("kensa.db")
}

/// Run kensa with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out: Output = kensa().args(args).output().expect("kensa runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A listener on 127.0.0.1 that never accepts: the kernel completes handshakes into its
/// backlog (128), which is all the latency probe needs.
pub fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind loopback")
}

/// A port on 127.0.0.1 with nothing listening.
pub fn closed_port() -> u16 {
    let l = listener();
    let port = l.local_addr().expect("addr").port();
    drop(l);
    port
}

/// A listener whose accept queue is full, so a new connect never completes: returns the
/// listener and the connections that fill its queue (keep both alive).
pub fn full_backlog() -> (socket2::Socket, Vec<TcpStream>, SocketAddr) {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    s.bind(&addr.into()).expect("bind");
    s.listen(0).expect("listen");
    let addr = s
        .local_addr()
        .expect("addr")
        .as_socket()
        .expect("inet addr");
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(c) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            fillers.push(c);
        }
    }
    (s, fillers, addr)
}

/// Write `text` as `name` in `dir` and return its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write file");
    p
}

/// A catalog entry for one provider with endpoints on 127.0.0.1 at `ports`.
pub fn provider_toml(id: &str, country: &str, ports: &[u16]) -> String {
    let mut s = format!(
        "[[provider]]\nid = \"{id}\"\nname = \"Provider {id}\"\ndeclared_country = \"{country}\"\napplies_for = \"kensa-level-1\"\n"
    );
    for p in ports {
        s.push_str(&format!(
            "\n[[provider.endpoint]]\nhost = \"127.0.0.1\"\nport = {p}\nservice = \"svc{p}\"\n"
        ));
    }
    s.push('\n');
    s
}

/// The evidence records (type `evidence`) of a run, as JSON.
pub fn evidence(run_dir: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(run_dir.join("evidence.jsonl")).expect("evidence file");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "evidence")
        .map(|v| v["data"].clone())
        .collect()
}

/// The last record of a run.
pub fn last_record(run_dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(run_dir.join("evidence.jsonl")).expect("evidence file");
    text.lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .expect("a last record")
}

/// A child process killed (and reaped) when dropped.
pub struct Child(pub std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A file of the fixture PKI (`fixtures/pki/`).
pub fn pki(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pki")
        .join(name)
}

/// `openssl s_server` on 127.0.0.1 serving `cert` (+ `chain`) with `key` from the fixture
/// PKI, plus `extra` arguments; `None` when openssl is missing. Waits until it accepts.
pub fn openssl_server(
    cert: &str,
    chain: Option<&str>,
    key: &str,
    extra: &[&str],
) -> Option<(Child, u16)> {
    use std::process::Stdio;
    use std::time::Instant;
    if !kensa_probe::testing::tool_available("openssl", &["version"]) {
        return None;
    }
    let port = closed_port();
    let mut cmd = Command::new("openssl");
    cmd.args([
        "s_server",
        "-accept",
        &format!("127.0.0.1:{port}"),
        "-quiet",
    ])
    .args(extra)
    .arg("-cert")
    .arg(pki(cert))
    .arg("-key")
    .arg(pki(key));
    if let Some(c) = chain {
        cmd.arg("-cert_chain").arg(pki(c));
    }
    let child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let server = Child(child);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "s_server did not start"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    Some((server, port))
}

/// The lab DNS server (kensa-lab, in process) for one unsigned zone `origin` with `zone` as
/// its text, on its own runtime thread; it lives until the returned sender is dropped.
pub fn lab_dns(
    origin: &'static str,
    zone: &'static str,
) -> (SocketAddr, std::sync::mpsc::Sender<()>) {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let dir = tempfile::tempdir().expect("tempdir");
            let lab = kensa_lab::dns::DnsLab::start(
                &[kensa_lab::dns::Zone::plain(origin, zone)],
                dir.path(),
            )
            .await
            .expect("lab DNS starts");
            addr_tx.send(lab.addr).expect("address sent");
            let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
            lab.stop().await;
        });
    });
    (addr_rx.recv().expect("lab DNS address"), stop_tx)
}
