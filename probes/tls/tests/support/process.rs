//! Real TLS servers run as child processes: `openssl s_server` (Debian OpenSSL 3.0.19) and
//! `gnutls-serv` (Debian GnuTLS 3.7.9), with throwaway keys made by `openssl` in a temp dir.
//!
//! Ports are always chosen by the kernel: s_server is told `-accept 127.0.0.1:0` and prints
//! the port it got (`ACCEPT 127.0.0.1:PORT`); gnutls-serv is told `-p 0` and its listening
//! port is read from `/proc` (it prints 0). A server is killed when its handle is dropped.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::LOOPBACK;

/// Run `openssl ARGS` in `dir`; panics with its stderr when it fails.
pub(crate) fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Key material in a temp dir: an RSA 2048 self-signed `rsa.pem`/`rsa.key` and a P-256
/// `ec.pem`/`ec.key`, both for CN=localhost.
pub(crate) struct Keys {
    pub(crate) dir: tempfile::TempDir,
}

impl Keys {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-days",
                "30",
                "-keyout",
                "rsa.key",
                "-out",
                "rsa.pem",
            ],
        );
        openssl(
            d,
            &[
                "ecparam",
                "-name",
                "prime256v1",
                "-genkey",
                "-noout",
                "-out",
                "ec.key",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-new",
                "-key",
                "ec.key",
                "-subj",
                "/CN=localhost",
                "-days",
                "30",
                "-out",
                "ec.pem",
            ],
        );
        Self { dir }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn arg(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }
}

/// A server child process, killed on drop.
pub(crate) struct ServerProcess {
    child: Child,
    _stdin: Option<ChildStdin>,
    /// The kernel-chosen port on 127.0.0.1.
    pub(crate) port: u16,
    log: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// What the server printed so far (stdout and stderr).
    pub(crate) fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copy a child's output into `log`, sending each line to `lines` too.
fn drain(stream: impl Read + Send + 'static, log: Arc<Mutex<String>>, lines: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Ok(mut l) = log.lock() {
                l.push_str(&line);
                l.push('\n');
            }
            let _ = lines.send(line);
        }
    });
}

/// Wait until `127.0.0.1:port` accepts a TCP connection (closed at once).
fn wait_accepting(port: u16) {
    let addr = SocketAddr::new(LOOPBACK, port);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(Instant::now() < deadline, "port {port} never accepted");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `openssl s_server -accept 127.0.0.1:0` with `args` (key, cert and the configuration under
/// test). It serves one connection at a time and keeps accepting. Its stdin is a pipe that
/// stays open and silent (s_server quits at EOF on stdin). Not `-www`: that mode sleeps one
/// second whenever a read would block after the handshake (e.g. at a renegotiation hello), and
/// buffers the session tickets until its HTTP answer, which stalls every queued connection.
/// s_server speaking TLS 1.3 only, with two suites (AES-256-GCM, ChaCha20-Poly1305) and two
/// groups (X25519, P-256), and the RSA certificate of `keys`.
#[allow(dead_code)]
pub(crate) fn s_server_tls13_two_suites(keys: &Keys) -> ServerProcess {
    s_server(&[
        "-cert",
        &keys.arg("rsa.pem"),
        "-key",
        &keys.arg("rsa.key"),
        "-tls1_3",
        "-ciphersuites",
        "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
        "-groups",
        "X25519:P-256",
    ])
}

pub(crate) fn s_server(args: &[&str]) -> ServerProcess {
    let mut child = Command::new("openssl")
        .args(["s_server", "-accept", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl is installed");
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = mpsc::channel();
    drain(
        child.stdout.take().expect("stdout"),
        Arc::clone(&log),
        tx.clone(),
    );
    drain(child.stderr.take().expect("stderr"), Arc::clone(&log), tx);
    let stdin = child.stdin.take();
    let deadline = Instant::now() + Duration::from_secs(10);
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(p) = line
                    .strip_prefix("ACCEPT 127.0.0.1:")
                    .and_then(|p| p.trim().parse::<u16>().ok())
                {
                    break p;
                }
            }
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "s_server {args:?} did not start: {}",
                    log.lock().map(|l| l.clone()).unwrap_or_default()
                );
            }
        }
    };
    wait_accepting(port);
    ServerProcess {
        child,
        _stdin: stdin,
        port,
        log,
    }
}

/// Socket inodes a process holds open.
fn socket_inodes(pid: u32) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .filter_map(|l| {
            l.to_string_lossy()
                .strip_prefix("socket:[")
                .and_then(|s| s.strip_suffix(']'))
                .map(str::to_owned)
        })
        .collect()
}

/// The IPv4 TCP port a process listens on, read from /proc/net/tcp by socket inode.
fn listening_port(pid: u32) -> Option<u16> {
    let inodes = socket_inodes(pid);
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    table.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        let (local, state, inode) = (cols.get(1)?, cols.get(3)?, cols.get(9)?);
        if *state != "0A" || !inodes.iter().any(|i| i == inode) {
            return None;
        }
        u16::from_str_radix(local.rsplit(':').next()?, 16).ok()
    })
}

/// `gnutls-serv -p 0 --echo` with `args`. gnutls-serv has no bind option: it listens on
/// every local address (0.0.0.0 and ::), though the tests only ever connect to 127.0.0.1.
pub(crate) fn gnutls_serv(args: &[&str]) -> ServerProcess {
    let mut child = Command::new("gnutls-serv")
        .args(["-p", "0", "--echo"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gnutls-serv is installed (apt-get install gnutls-bin)");
    let log = Arc::new(Mutex::new(String::new()));
    let (tx, _rx) = mpsc::channel();
    drain(
        child.stdout.take().expect("stdout"),
        Arc::clone(&log),
        tx.clone(),
    );
    drain(child.stderr.take().expect("stderr"), Arc::clone(&log), tx);
    let stdin = child.stdin.take();
    let deadline = Instant::now() + Duration::from_secs(10);
    let port = loop {
        if let Some(p) = listening_port(child.id()) {
            break p;
        }
        if Instant::now() > deadline || matches!(child.try_wait(), Ok(Some(_))) {
            let _ = child.kill();
            panic!(
                "gnutls-serv {args:?} did not start: {}",
                log.lock().map(|l| l.clone()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    wait_accepting(port);
    ServerProcess {
        child,
        _stdin: stdin,
        port,
        log,
    }
}

/// Whether a program is on the PATH.
pub(crate) fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// `(code point, OpenSSL name, Kx, Au)` for each suite of `openssl ciphers -V -s FLAGS LIST`.
pub(crate) fn openssl_ciphers(flags: &[&str], list: &str) -> Vec<(u16, String, String, String)> {
    let mut args = vec!["ciphers", "-V", "-s"];
    args.extend_from_slice(flags);
    args.push(list);
    let out = openssl(Path::new("/"), &args);
    String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|line| {
            // 0xC0,0x2C - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=ECDSA Enc=... Mac=...
            let cols: Vec<&str> = line.split_whitespace().collect();
            let code = cols.first()?;
            let (hi, lo) = code.split_once(',')?;
            let hi = u8::from_str_radix(hi.strip_prefix("0x")?, 16).ok()?;
            let lo = u8::from_str_radix(lo.strip_prefix("0x")?, 16).ok()?;
            let field = |k: &str| {
                cols.iter()
                    .find_map(|c| c.strip_prefix(k))
                    .map(str::to_owned)
            };
            Some((
                u16::from_be_bytes([hi, lo]),
                (*cols.get(2)?).to_owned(),
                field("Kx=")?,
                field("Au=")?,
            ))
        })
        .collect()
}
