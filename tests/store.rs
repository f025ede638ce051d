//! The run database: migrations, reopening, refusing files that are not kensa's (and leaving
//! them byte for byte as they were), a reader during an open write transaction, idempotent
//! imports, the history queries, and `kensa scan` recording its run.

mod common;
#[path = "common/runs.rs"]
mod runs;

use std::path::Path;

use kensa::store::{APPLICATION_ID, Imported, Store, StoreError, latest_version};
use runs::*;

fn two_provider_run(
    dir: &Path,
    run_id: &str,
    started: &str,
    acme_fixture: &str,
) -> std::path::PathBuf {
    write_run(
        dir,
        run_id,
        started,
        &[
            provider("acme", "Acme Cloud", "JP", "kensa-level-2"),
            provider("beta", "Beta Hosting", "JP", "ncsc-nl-2025"),
        ],
        &[
            target("acme", "www.acme.test", acme_fixture, |_| {}),
            target("beta", "api.beta.test", "intermediate", |_| {}),
        ],
    )
}

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn migrations_from_empty_create_the_schema_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    // A path whose directory does not exist yet.
    let path = dir.path().join("sub/kensa.db");
    let st = Store::open(&path).unwrap();
    assert_eq!(st.schema_version().unwrap(), latest_version());
    let c = raw(&path);
    let app: i32 = c
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    let mode: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let mut tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    assert_eq!(
        tables,
        [
            "api_tokens",
            "audit",
            "evidence",
            "findings",
            "grades",
            "providers",
            "run_lines",
            "runs",
            "targets"
        ]
    );
    assert!(st.counts().unwrap().values().all(|n| *n == 0));
}

#[test]
fn an_empty_sqlite_file_is_claimed_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    // A valid SQLite file with no tables and no application id.
    raw(&path).execute_batch("VACUUM").unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    let st = Store::open(&path).unwrap();
    assert_eq!(st.schema_version().unwrap(), latest_version());
}

#[test]
fn reopening_keeps_the_runs_and_imports_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kensa.db");
    let run = two_provider_run(dir.path(), "run-1", "2026-11-01T00:00:00.000000Z", "modern");
    let mut st = Store::open(&path).unwrap();
    let first = st.import_run(&run).unwrap();
    let Imported::Written {
        records, findings, ..
    } = first
    else {
        panic!("first import wrote nothing: {first:?}");
    };
    // Two targets with six probe records each.
    assert_eq!(records, 12);
    assert!(findings > 0);
    let counts = st.counts().unwrap();
    assert_eq!(counts["runs"], 1);
    assert_eq!(counts["providers"], 2);
    assert_eq!(counts["targets"], 2);
    assert_eq!(counts["evidence"], 12);
    assert_eq!(counts["findings"], i64::try_from(findings).unwrap());
    drop(st);

    // Reopened: the same content, and importing again changes nothing.
    let mut st = Store::open(&path).unwrap();
    assert_eq!(st.counts().unwrap(), counts);
    assert_eq!(
        st.import_run(&run).unwrap(),
        Imported::AlreadyPresent {
            run_id: "run-1".into()
        }
    );
    // The evidence file itself names the same run.
    assert_eq!(
        st.import_run(&run.join("evidence.jsonl")).unwrap(),
        Imported::AlreadyPresent {
            run_id: "run-1".into()
        }
    );
    assert_eq!(st.counts().unwrap(), counts);
    // Grades: acme is judged with the kensa levels (its applies_for is one), beta also with
    // ncsc-nl-2025, the built-in profile it applies for.
    let acme: Vec<String> = st
        .grades("run-1", "acme")
        .unwrap()
        .into_iter()
        .map(|g| g.profile)
        .collect();
    assert_eq!(acme, ["kensa-level-1", "kensa-level-2", "kensa-level-3"]);
    let beta: Vec<String> = st
        .grades("run-1", "beta")
        .unwrap()
        .into_iter()
        .map(|g| g.profile)
        .collect();
    assert_eq!(
        beta,
        [
            "kensa-level-1",
            "kensa-level-2",
            "kensa-level-3",
            "ncsc-nl-2025"
        ]
    );
}

fn assert_refused_untouched(path: &Path, check: impl Fn(&StoreError) -> bool) {
    let before = std::fs::read(path).unwrap();
    let err = Store::open(path).expect_err("the file must be refused");
    assert!(check(&err), "unexpected error: {err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("untouched"), "{msg}");
    // open_existing refuses it the same way.
    assert!(Store::open_existing(path).is_err());
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "the file was modified"
    );
    let name = path.file_name().unwrap().to_string_lossy();
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(
            !path.with_file_name(format!("{name}{suffix}")).exists(),
            "{suffix} file created next to a refused database"
        );
    }
}

#[test]
fn random_bytes_and_damaged_sqlite_files_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    // Random bytes (deterministic: a simple LCG).
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 56) as u8
        })
        .collect();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, &bytes).unwrap();
    assert_refused_untouched(&garbage, |e| matches!(e, StoreError::NotSqlite { .. }));

    // The SQLite header followed by random bytes.
    let damaged = dir.path().join("damaged.db");
    let mut d = b"SQLite format 3\0".to_vec();
    d.extend_from_slice(&bytes);
    std::fs::write(&damaged, &d).unwrap();
    assert_refused_untouched(&damaged, |e| matches!(e, StoreError::Corrupt { .. }));

    // A kensa database whose schema pages were overwritten.
    let broken = dir.path().join("broken.db");
    {
        let st = Store::open(&broken).unwrap();
        drop(st);
        let c = raw(&broken);
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let mut b = std::fs::read(&broken).unwrap();
    assert!(b.len() > 4096 + 200);
    for (i, byte) in b.iter_mut().enumerate().skip(100).take(3000) {
        *byte = (i % 251) as u8;
    }
    std::fs::write(&broken, &b).unwrap();
    assert_refused_untouched(&broken, |e| {
        matches!(e, StoreError::Corrupt { .. } | StoreError::Foreign { .. })
    });

    // An empty file is not a database either.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert_refused_untouched(&empty, |e| matches!(e, StoreError::NotSqlite { .. }));
}

#[test]
fn a_foreign_sqlite_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("app.db");
    raw(&plain)
        .execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('mine');")
        .unwrap();
    assert_refused_untouched(&plain, |e| {
        matches!(
            e,
            StoreError::Foreign {
                found: 0,
                tables: 1,
                ..
            }
        )
    });

    // Another application's id, even without tables.
    let other = dir.path().join("other.db");
    raw(&other)
        .pragma_update(None, "application_id", 0x1234_5678)
        .unwrap();
    assert_refused_untouched(&other, |e| {
        matches!(
            e,
            StoreError::Foreign {
                found: 0x1234_5678,
                ..
            }
        )
    });
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Store::open(&path).unwrap());
    {
        let c = raw(&path);
        c.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        // Back to a single file so "untouched" covers everything.
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    assert_refused_untouched(
        &path,
        |e| matches!(e, StoreError::TooNew { found, .. } if *found == latest_version() + 1),
    );
}

#[test]
fn a_missing_database_is_an_error_for_readers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let err = Store::open_existing(&path).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }), "{err:?}");
    assert!(!path.exists());
}

#[test]
fn readers_work_while_a_writer_holds_a_write_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kensa.db");
    let run = two_provider_run(dir.path(), "run-1", "2026-11-01T00:00:00.000000Z", "modern");
    Store::open(&path).unwrap().import_run(&run).unwrap();

    // A writer opens a write transaction and leaves it open.
    let writer = raw(&path);
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    writer
        .execute(
            "INSERT INTO runs (run_id, run_dir, head, integrity, imported)
             VALUES ('uncommitted', '/x', 'h', 'intact', 'now')",
            [],
        )
        .unwrap();
    writer
        .execute(
            "INSERT INTO providers (run_id, provider, fails_applies_for)
             VALUES ('uncommitted', 'acme', 0)",
            [],
        )
        .unwrap();

    // A second connection reads at once (no busy wait: WAL), without the uncommitted row.
    let started = std::time::Instant::now();
    let reader = Store::open(&path).unwrap();
    let runs = reader.provider_runs("acme").unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].run_id, "run-1");
    assert_eq!(reader.latest_run_per_provider().unwrap().len(), 2);

    // Once committed, the reader sees it.
    writer.execute_batch("COMMIT").unwrap();
    assert_eq!(reader.provider_runs("acme").unwrap().len(), 2);
}

#[test]
fn history_queries_order_runs_and_find_the_previous_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kensa.db");
    let mut st = Store::open(&path).unwrap();
    // Imported out of order: the start time decides.
    let r2 = two_provider_run(dir.path(), "run-2", "2026-11-02T00:00:00.000000Z", "legacy");
    let r1 = two_provider_run(dir.path(), "run-1", "2026-11-01T00:00:00.000000Z", "modern");
    let r3 = write_run(
        dir.path(),
        "run-3",
        "2026-11-03T00:00:00.000000Z",
        &[provider("acme", "Acme Cloud", "JP", "kensa-level-2")],
        &[target("acme", "www.acme.test", "modern", |_| {})],
    );
    for r in [&r2, &r1, &r3] {
        st.import_run(r).unwrap();
    }
    let acme = st.provider_runs("acme").unwrap();
    let ids: Vec<&str> = acme.iter().map(|r| r.run_id.as_str()).collect();
    assert_eq!(ids, ["run-1", "run-2", "run-3"]);
    assert_eq!(acme[0].name.as_deref(), Some("Acme Cloud"));
    assert_eq!(acme[0].grades.len(), 3);
    // modern passes level 2 at least; legacy does not pass level 1.
    assert_ne!(acme[0].grade, acme[1].grade);
    assert_eq!(acme[1].grade.as_deref(), Some("none"));
    assert_eq!(acme[0].run_dir, std::path::absolute(&r1).unwrap());

    let prev = st.previous_run("acme", "run-3").unwrap().unwrap();
    assert_eq!(prev.run_id, "run-2");
    assert_eq!(prev.run_dir, std::path::absolute(&r2).unwrap());
    assert!(st.previous_run("acme", "run-1").unwrap().is_none());
    // beta is not in run-3: its previous run before run-2 is run-1.
    assert_eq!(
        st.previous_run("beta", "run-2").unwrap().unwrap().run_id,
        "run-1"
    );
    // A run not imported yet: the latest one is the previous.
    assert_eq!(
        st.previous_run("acme", "run-9").unwrap().unwrap().run_id,
        "run-3"
    );

    let latest = st.latest_run_per_provider().unwrap();
    let l: Vec<(&str, &str)> = latest
        .iter()
        .map(|r| (r.provider.as_str(), r.run_id.as_str()))
        .collect();
    assert_eq!(l, [("acme", "run-3"), ("beta", "run-2")]);
    assert_eq!(st.providers().unwrap(), ["acme", "beta"]);

    let tls = st.evidence_for("run-3", "acme", "tls.scan").unwrap();
    assert_eq!(tls.len(), 1);
    assert_eq!(tls[0].outcome, "success");
    assert_eq!(
        tls[0].observation["groups"]["tls13_preferred"],
        "X25519MLKEM768"
    );
}

#[test]
fn a_tampered_run_is_not_imported() {
    let dir = tempfile::tempdir().unwrap();
    let run = two_provider_run(dir.path(), "run-1", "2026-11-01T00:00:00.000000Z", "modern");
    let file = run.join("evidence.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("www.acme.test", "www.evil.test", 1)).unwrap();
    let mut st = Store::open(&dir.path().join("kensa.db")).unwrap();
    let err = st.import_run(&run).unwrap_err();
    assert!(err.to_string().contains("tampered"), "{err}");
    assert_eq!(st.counts().unwrap()["runs"], 0);
}

fn scan_latency(out: &Path, port: u16, extra: &[&str], db: Option<&Path>) -> (i32, String) {
    let mut c = common::kensa();
    c.args([
        "scan",
        &format!("127.0.0.1:{port}"),
        "--allow-private",
        "--probes",
        "latency.tcp",
        "--samples",
        "1",
        "--out",
        out.to_str().unwrap(),
    ])
    .args(extra);
    if let Some(db) = db {
        c.env("KENSA_DB", db);
    }
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn kensa_scan_records_its_run_in_the_database() {
    let l = common::listener();
    let port = l.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runs.db");

    // KENSA_DB names the database.
    let (code, stderr) = scan_latency(&dir.path().join("a"), port, &[], Some(&db));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("run database:"), "{stderr}");
    let st = Store::open_existing(&db).unwrap();
    let runs = st.provider_runs("adhoc").unwrap();
    assert_eq!(runs.len(), 1, "{:?}", st.providers());
    assert_eq!(st.counts().unwrap()["evidence"], 1);

    // --db overrides it; --no-db writes nothing. -q silences the status line (issue 23), not
    // the recording.
    let other = dir.path().join("other.db");
    let (code, stderr) = scan_latency(
        &dir.path().join("b"),
        port,
        &["--db", other.to_str().unwrap(), "--quiet"],
        Some(&db),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(other.exists());
    assert!(!stderr.contains("run database"), "{stderr}");
    assert_eq!(
        Store::open_existing(&other)
            .unwrap()
            .provider_runs("adhoc")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(st.provider_runs("adhoc").unwrap().len(), 1);
    let (code, stderr) = scan_latency(&dir.path().join("c"), port, &["--no-db"], Some(&db));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("run database"), "{stderr}");
    assert_eq!(st.provider_runs("adhoc").unwrap().len(), 1);

    // A database that is not kensa's: the scan still completes, says why on stderr, keeps the
    // evidence and leaves the file alone; the run is partial (issue 23: exit 3, it was 0).
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, b"not a database at all").unwrap();
    let out = dir.path().join("d");
    let (code, stderr) = scan_latency(&out, port, &[], Some(&bad));
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("not recorded"), "{stderr}");
    assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
    assert!(out.join("evidence.jsonl").is_file());
    assert_eq!(std::fs::read(&bad).unwrap(), b"not a database at all");
    drop(l);
}

/// Issue 23: a run recorded before it completed (no run-end: killed, or imported while
/// interrupted) is replaced when its chain is continued (`scan --resume`); never by a run
/// that only shares its id, and a complete run is never replaced.
#[test]
fn a_continued_run_replaces_its_incomplete_record_and_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let full = two_provider_run(dir.path(), "run-1", "2026-11-01T00:00:00.000000Z", "modern");
    let text = std::fs::read_to_string(full.join("evidence.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The first half of the chain, without run-end: what a killed scan leaves.
    let cut = dir.path().join("cut");
    std::fs::create_dir_all(&cut).unwrap();
    std::fs::write(
        cut.join("evidence.jsonl"),
        lines[..lines.len() / 2].join("\n") + "\n",
    )
    .unwrap();
    // Another run with the same id and other content.
    let other = dir.path().join("other");
    let forged = two_provider_run(&other, "run-1", "2026-11-02T00:00:00.000000Z", "legacy");

    let db = dir.path().join("k.db");
    let mut st = Store::open(&db).unwrap();
    assert!(matches!(
        st.import_run(&cut).unwrap(),
        Imported::Written { .. }
    ));
    assert_eq!(st.provider_runs("acme").unwrap()[0].integrity, "incomplete");
    // Same id, but not a continuation of the recorded chain: left as it is.
    assert!(matches!(
        st.import_run(&forged).unwrap(),
        Imported::AlreadyPresent { .. }
    ));
    // The continuation replaces it.
    match st.import_run(&full).unwrap() {
        Imported::Replaced {
            run_id, records, ..
        } => {
            assert_eq!(run_id, "run-1");
            assert!(records > 0);
        }
        other => panic!("{other:?}"),
    }
    let runs = st.provider_runs("acme").unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (runs[0].status.as_deref(), runs[0].integrity.as_str()),
        (Some("complete"), "intact")
    );
    assert_eq!(st.counts().unwrap()["runs"], 1);
    // A complete run is never replaced, not even by a prefix of itself.
    assert!(matches!(
        st.import_run(&cut).unwrap(),
        Imported::AlreadyPresent { .. }
    ));
    use kensa::store::RunStore as _;
    assert_eq!(
        st.load_run("run-1").unwrap().status,
        Some(kensa::evidence::RunStatus::Complete)
    );
}

/// The import grades the run while it writes the evidence (issue 21): the rows are the same
/// as recording a run graded beforehand, and a grading error rolls back the evidence already
/// written — nothing of the run is left.
#[test]
fn grading_beside_the_writes_records_the_same_rows_and_a_grading_error_leaves_nothing() {
    use kensa::store::{LoadedRun, RunStore as _};
    let dir = tempfile::tempdir().unwrap();
    let run = two_provider_run(dir.path(), "run-g", "2026-11-01T00:00:00.000000Z", "legacy");
    let loaded = LoadedRun::read(&run).unwrap();

    let before = dir.path().join("before.db");
    let mut st = Store::open(&before).unwrap();
    let assessment = kensa::pipeline::grade(&loaded).unwrap();
    let a = st.record_run(&loaded, &assessment).unwrap();
    let beside = dir.path().join("beside.db");
    let mut st2 = Store::open(&beside).unwrap();
    let b = st2
        .record_run_graded(&loaded, &kensa::pipeline::grade)
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(st.counts().unwrap(), st2.counts().unwrap());
    let rows = |path: &Path, table: &str| -> Vec<String> {
        let c = raw(path);
        let mut s = c
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, rowid"))
            .unwrap();
        let n = s.column_count();
        s.query_map([], |r| {
            Ok((0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect::<Vec<_>>()
                .join("|"))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    for table in [
        "providers",
        "targets",
        "evidence",
        "grades",
        "findings",
        "run_lines",
    ] {
        assert_eq!(rows(&before, table), rows(&beside, table), "{table}");
    }

    let failing = dir.path().join("failing.db");
    let mut st3 = Store::open(&failing).unwrap();
    let err = st3
        .record_run_graded(&loaded, &|_: &LoadedRun| {
            Err(StoreError::NoRunId("a grading that fails".into()))
        })
        .unwrap_err();
    assert!(err.to_string().contains("a grading that fails"), "{err}");
    assert!(!st3.has_run("run-g").unwrap());
    let counts = st3.counts().unwrap();
    for table in ["runs", "providers", "targets", "evidence", "findings"] {
        assert_eq!(counts[table], 0, "{table}: {counts:?}");
    }
}
