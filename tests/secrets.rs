//! What kensa writes holds no secrets of the machine (issue 9, "Security of what kensa
//! writes"): a scan and a bundle made with canary values in the environment, a canary home
//! directory and user name, and only relative paths on the command line, contain none of
//! them, nor the absolute path of the working directory the user never typed.

mod common;

use std::path::Path;

const CANARY: &str = "kensa-canary-7f3a91c2e5";

fn kensa_in(cwd: &Path, home: &Path, args: &[&str]) -> (i32, String) {
    let o = common::kensa()
        .current_dir(cwd)
        .env("KENSA_CANARY_SECRET", CANARY)
        .env("AWS_SECRET_ACCESS_KEY", CANARY)
        .env("HOME", home)
        .env("USER", "kensacanaryuser")
        .env("LOGNAME", "kensacanaryuser")
        .args(args)
        .output()
        .expect("kensa runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn assert_clean(what: &str, bytes: &[u8], forbidden: &[String]) {
    let text = String::from_utf8_lossy(bytes);
    for f in forbidden {
        assert!(!text.contains(f.as_str()), "{what} contains {f:?}");
    }
}

#[test]
fn evidence_and_bundles_hold_no_environment_or_local_paths() {
    let Some((server, port)) =
        common::openssl_server("leaf-rsa.pem", None, "keys/leaf-rsa.key", &[])
    else {
        eprintln!("openssl missing: skipped");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let cwd = dir.path().join("work-canary-dir");
    let home = dir.path().join("home-canary-dir");
    std::fs::create_dir_all(&cwd).expect("cwd");
    std::fs::create_dir_all(&home).expect("home");
    common::write(
        &cwd,
        "catalog.toml",
        &common::provider_toml("p", "JP", &[port]),
    );
    let (code, err) = kensa_in(
        &cwd,
        &home,
        &[
            "scan",
            "catalog.toml",
            "--allow-private",
            "--probes",
            "latency.tcp,tls.scan,x509.chain,http.headers,geo.residency",
            "--samples",
            "1",
            "--out",
            "run",
            "-q",
        ],
    );
    drop(server);
    assert!(code == 0 || code == 1, "scan exit {code}: {err}");
    let (code, err) = kensa_in(&cwd, &home, &["keygen", "-o", "k"]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = kensa_in(
        &cwd,
        &home,
        &["bundle", "run", "--sign", "k", "-o", "run.kensa"],
    );
    assert_eq!(code, 0, "{err}");

    let mut forbidden = vec![
        CANARY.to_string(),
        "kensacanaryuser".to_string(),
        home.display().to_string(),
        cwd.display().to_string(),
        dir.path().display().to_string(),
        env!("CARGO_MANIFEST_DIR").to_string(),
    ];
    // The machine's own user and home, where the test runs with real ones.
    for var in ["HOME", "USER"] {
        if let Ok(v) = std::env::var(var)
            && v.len() >= 6
            && v != "/root"
        {
            forbidden.push(v);
        }
    }
    if let Ok(h) = std::fs::read_to_string("/etc/hostname") {
        let h = h.trim().to_string();
        if h.len() >= 8 {
            forbidden.push(h);
        }
    }
    let evidence = std::fs::read(cwd.join("run/evidence.jsonl")).expect("evidence");
    assert!(evidence.len() > 1000, "the scan recorded evidence");
    assert_clean("evidence.jsonl", &evidence, &forbidden);
    let bundle = std::fs::read(cwd.join("run.kensa")).expect("bundle");
    assert_clean("the bundle", &bundle, &forbidden);
    // The signing key's secret half is not in the bundle either.
    let key = std::fs::read_to_string(cwd.join("k")).expect("key");
    for line in key.lines().filter(|l| l.len() > 20) {
        assert!(
            !String::from_utf8_lossy(&bundle).contains(line),
            "key material in bundle"
        );
    }
}
