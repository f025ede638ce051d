//! Snapshots of every output surface of `kensa scan` and `kensa verify`: the text table, the
//! JSON report, an evidence record, and each verification verdict. Times, ports, run ids and
//! hashes are redacted.

mod common;

use common::*;

fn redact(s: &str, ports: &[u16]) -> String {
    let mut s = s.to_owned();
    for (i, p) in ports.iter().enumerate() {
        s = s.replace(&format!(":{p}"), &format!(":[port{i}]"));
        s = s.replace(
            &format!("\"port\": {p}"),
            &format!("\"port\": \"[port{i}]\""),
        );
    }
    s
}

fn settings() -> insta::Settings {
    let mut st = insta::Settings::clone_current();
    st.add_filter(r"\d{8}T\d{6}Z-[0-9a-f]{6}", "[run-id]");
    st.add_filter(r"[0-9a-f]{64}", "[sha256]");
    st.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", "[time]");
    st.add_filter(r"\d+\.\d\d ms", "[ms]");
    st.add_filter(
        r#""(elapsed_us|min_us|median_us|p90_us|max_us)": \d+"#,
        "\"$1\": \"[µs]\"",
    );
    st.add_filter(r"(/tmp/|/private/)[^\s\x22]*/run", "[run-dir]");
    st.add_filter(r"\s\d+ connections", " [n] connections");
    st
}

#[test]
fn scan_outputs() {
    let l = listener();
    let good = l.local_addr().unwrap().port();
    let closed = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let ports = [good, closed];

    let out = dir.path().join("run");
    // Two providers, so the rows sort by provider id whatever the ports are.
    let catalog = [
        provider_toml("a-good", "JP", &[good]),
        provider_toml("b-closed", "JP", &[closed]),
    ]
    .concat();
    let cat = write(dir.path(), "catalog.toml", &catalog);
    let (code, text, _) = run(&[
        "scan",
        cat.to_str().unwrap(),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let out2 = dir.path().join("run2").join("run");
    let (code, json, _) = run(&[
        "scan",
        &format!("127.0.0.1:{good}"),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "2",
        "--json",
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let mut record: serde_json::Value = evidence(&out2).remove(0);
    // Sample lists vary in their values, not their shape.
    record["observation"]["addresses"][0]["samples_us"] = serde_json::json!(["[µs]", "[µs]"]);
    let record = serde_json::to_string_pretty(&record).unwrap();

    settings().bind(|| {
        insta::assert_snapshot!("scan_text", redact(&text, &ports));
        insta::assert_snapshot!("scan_json", redact(&json, &ports));
        insta::assert_snapshot!("evidence_record", redact(&record, &ports));
    });

    // Verification verdicts: intact, tampered, incomplete.
    let (_, intact, _) = run(&["verify", out.to_str().unwrap()]);
    let file = out.join("evidence.jsonl");
    let bytes = std::fs::read(&file).unwrap();
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    let cut = dir.path().join("cut").join("run");
    std::fs::create_dir_all(&cut).unwrap();
    std::fs::write(cut.join("evidence.jsonl"), lines[..3].concat()).unwrap();
    let (_, incomplete, _) = run(&["verify", cut.to_str().unwrap()]);
    let torn = dir.path().join("torn").join("run");
    std::fs::create_dir_all(&torn).unwrap();
    std::fs::write(
        torn.join("evidence.jsonl"),
        [lines[..2].concat(), lines[2][..40].to_vec()].concat(),
    )
    .unwrap();
    let (_, torn_text, _) = run(&["verify", torn.to_str().unwrap()]);
    let swapped = dir.path().join("swapped").join("run");
    std::fs::create_dir_all(&swapped).unwrap();
    std::fs::write(
        swapped.join("evidence.jsonl"),
        [lines[0], lines[2], lines[1], lines[3]].concat(),
    )
    .unwrap();
    let (_, tampered, _) = run(&["verify", swapped.to_str().unwrap()]);
    let (_, tampered_json, _) = run(&["verify", swapped.to_str().unwrap(), "--json"]);
    settings().bind(|| {
        insta::assert_snapshot!("verify_intact", intact);
        insta::assert_snapshot!("verify_incomplete", incomplete);
        insta::assert_snapshot!("verify_torn", torn_text);
        insta::assert_snapshot!("verify_tampered", tampered);
        insta::assert_snapshot!("verify_tampered_json", tampered_json);
    });
    drop(l);
}

#[test]
fn help_output() {
    let (code, help, _) = run(&["scan", "--help"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("scan_help", help);
}

/// The scan table's rows for the TLS and HTTP probes against `openssl s_server -www` (TLS 1.2
/// and 1.3, its defaults), with a key made for the test.
#[test]
fn tls_and_http_rows() {
    if std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: openssl is not installed (scripts/test installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let cert = dir.path().join("cert.pem");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-days", "30", "-keyout", key.to_str().unwrap()])
        .args(["-out", cert.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(made.status.success());
    let port = closed_port();
    let mut server = std::process::Command::new("openssl")
        .args([
            "s_server",
            "-accept",
            &format!("127.0.0.1:{port}"),
            "-www",
            "-quiet",
        ])
        .args([
            "-key",
            key.to_str().unwrap(),
            "-cert",
            cert.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed().as_secs() < 10, "s_server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = dir.path().join("run");
    let (code, text, stderr) = run(&[
        "scan",
        &format!("127.0.0.1:{port}"),
        "--allow-private",
        "--probes",
        "tls.scan,http.headers",
        "--read-timeout-ms",
        "3000",
        "--out",
        out.to_str().unwrap(),
    ]);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(code, 0, "{stderr}");
    let tls_row: String = text
        .lines()
        .filter(|l| l.contains("tls.scan"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut st = settings();
    st.add_filter(r"\d+ ms\b", "[ms]");
    st.bind(|| insta::assert_snapshot!("tls_row", redact(&tls_row, &[port])));
    let http_row = text.lines().find(|l| l.contains("http.headers")).unwrap();
    assert!(
        http_row.contains("success") && http_row.contains("200 HTTP/1"),
        "{http_row}"
    );
    assert!(http_row.contains("no HSTS"), "{http_row}");
}
