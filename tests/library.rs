//! The scan and everything after it as a library (issue 15): `scan::run` from two JSON
//! configurations at once in one runtime; a graded run equals the graded run read back from
//! the store; `diff` of two stored runs with their run directories gone; an edited stored
//! run refused; `kensa residency` on a tampered run refused.

mod common;

use kensa::assess::profile::Library;
use kensa::assess::set::ProfileSet;
use kensa::config::ScanConfig;
use kensa::store::{LoadedRun, RunStore, Store};

fn catalog_for(port: u16, id: &str) -> kensa::catalog::Catalog {
    let dir = tempfile::tempdir().unwrap();
    let cat = common::write(
        dir.path(),
        "c.toml",
        &common::provider_toml(id, "JP", &[port]),
    );
    kensa::catalog::load(&cat).unwrap()
}

/// Samples recorded per address by the latency probe in a run directory.
fn samples(run_dir: &std::path::Path) -> Vec<u64> {
    common::evidence(run_dir)
        .iter()
        .filter(|r| r["probe"] == "latency.tcp")
        .map(|r| r["observation"]["samples_per_address"].as_u64().unwrap())
        .collect()
}

#[test]
fn two_scans_run_at_once_in_one_runtime_from_json_configurations() {
    let a = common::listener();
    let b = common::listener();
    let cat_a = catalog_for(a.local_addr().unwrap().port(), "alpha");
    let cat_b = catalog_for(b.local_addr().unwrap().port(), "beta");
    let json_a = r#"{"probes": ["latency.tcp"], "samples": 2,
                     "settings": {"allow_private": true}}"#;
    let json_b = r#"{"probes": ["latency.tcp"], "samples": 3,
                     "settings": {"allow_private": true, "per_host": 2}}"#;
    let conf_a = ScanConfig::from_json(json_a).unwrap();
    let conf_b = ScanConfig::from_json(json_b).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (out.path().join("a"), out.path().join("b"));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (ra, rb) = rt.block_on(async {
        let (_tx, stop) = tokio::sync::watch::channel(false);
        tokio::join!(
            kensa::scan::run(
                &cat_a,
                &conf_a,
                kensa::scan::Sink::new(&dir_a),
                stop.clone()
            ),
            kensa::scan::run(
                &cat_b,
                &conf_b,
                kensa::scan::Sink::new(&dir_b),
                stop.clone()
            ),
        )
    });
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_ne!(ra.run_id, rb.run_id);
    assert_eq!(ra.records, 1);
    assert_eq!(rb.records, 1);
    assert_eq!(samples(&dir_a), vec![2]);
    assert_eq!(samples(&dir_b), vec![3]);
    for d in [&dir_a, &dir_b] {
        let v = kensa::evidence::verify(d).unwrap();
        assert_eq!(v.integrity, kensa::evidence::Integrity::Intact);
    }
    // Each run recorded its own configuration's options.
    let begin_a = &kensa::evidence::read_records(&dir_a).unwrap()[0];
    let text = serde_json::to_string(begin_a).unwrap();
    assert!(text.contains(r#""samples":2"#), "{text}");
}

fn scan_to(dir: &std::path::Path, port: u16) {
    let cat = catalog_for(port, "acme");
    let conf = ScanConfig::from_json(
        r#"{"probes": ["latency.tcp"], "samples": 1, "settings": {"allow_private": true}}"#,
    )
    .unwrap();
    kensa::scan::BlockingRunner
        .run_scan_into(&cat, &conf, dir)
        .unwrap();
}

trait RunInto {
    fn run_scan_into(
        &self,
        c: &kensa::catalog::Catalog,
        conf: &ScanConfig,
        dir: &std::path::Path,
    ) -> Result<kensa::scan::ScanReport, kensa::scan::ScanError>;
}

impl<T: kensa::scan::ScanRunner> RunInto for T {
    fn run_scan_into(
        &self,
        c: &kensa::catalog::Catalog,
        conf: &ScanConfig,
        dir: &std::path::Path,
    ) -> Result<kensa::scan::ScanReport, kensa::scan::ScanError> {
        self.run_scan(c, conf, kensa::scan::Sink::new(dir))
    }
}

#[test]
fn a_graded_run_equals_the_run_read_back_from_the_store_and_diff_needs_no_run_directory() {
    let l = common::listener();
    let port = l.local_addr().unwrap().port();
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    scan_to(&one, port);
    scan_to(&two, port);
    let db = tmp.path().join("k.db");
    let mut st = Store::open(&db).unwrap();
    let lib = Library::builtin().unwrap();
    let mut graded = Vec::new();
    let mut ids = Vec::new();
    for d in [&one, &two] {
        let loaded = LoadedRun::read(d).unwrap();
        let a = ProfileSet::for_run(&lib, &loaded.run, &[])
            .unwrap()
            .assess(&loaded.run);
        st.record_run(&loaded, &a).unwrap();
        ids.push(loaded.run.run_id.clone());
        graded.push(a);
    }
    // Read back from the store: the same grading, finding for finding.
    let back = st.load_run(&ids[0]).unwrap();
    let again = ProfileSet::for_run(&lib, &back, &[]).unwrap().assess(&back);
    let strip = |a: &kensa::assess::grade::Assessment| {
        let mut v = serde_json::to_value(a).unwrap();
        v["evidence"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&graded[0]), strip(&again));
    // The run directories go; diff works from the store alone.
    std::fs::remove_dir_all(&one).unwrap();
    std::fs::remove_dir_all(&two).unwrap();
    let d = kensa::diff::diff_loaded(
        &st.load_run(&ids[0]).unwrap(),
        &st.load_run(&ids[1]).unwrap(),
    )
    .unwrap();
    assert_eq!(d.old_run, ids[0]);
    assert_eq!(d.new_run, ids[1]);
    // And through the command line, by run id.
    let (code, out, err) = common::run(&["diff", &ids[0], &ids[1], "--db", db.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "{out}\n{err}");
    assert!(out.contains(&ids[1]), "{out}");
    drop(st);
    // A run edited inside the database is refused (its chain no longer ends in the recorded
    // head).
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE run_lines SET line = replace(line, '\"samples_per_address\":1', '\"samples_per_address\":9') WHERE run_id = ?1",
        [&ids[0]],
    )
    .unwrap();
    drop(conn);
    let st = Store::open(&db).unwrap();
    let e = st.load_run(&ids[0]).unwrap_err().to_string();
    assert!(e.contains("tampered") || e.contains("edited"), "{e}");
}

#[test]
fn residency_refuses_a_tampered_run() {
    let l = common::listener();
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("r");
    scan_to(&run, l.local_addr().unwrap().port());
    let file = run.join("evidence.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("\"samples_per_address\":1", "\"samples_per_address\":7", 1),
    )
    .unwrap();
    let (code, out, err) = common::run(&["residency", run.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("tampered"), "{err}");
}
