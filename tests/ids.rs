//! Stable ids: the lists of probe and outcome ids are snapshotted, so a rename or removal
//! shows in review; retired ids must never come back.

use kensa::probes::ProbeId;
use kensa_probe::Outcome;

#[test]
fn probe_ids_are_stable_and_unique() {
    let ids: Vec<&str> = ProbeId::ALL.iter().map(|p| p.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate probe id");
    for id in &ids {
        assert!(
            !ProbeId::RETIRED.contains(id),
            "retired probe id {id} reused"
        );
    }
    let listing: Vec<String> = ProbeId::ALL
        .iter()
        .map(|p| format!("{}  {}", p.as_str(), p.description()))
        .collect();
    insta::assert_snapshot!("probe_ids", listing.join("\n"));
}

#[test]
fn outcome_ids_are_stable_and_unique() {
    let ids: Vec<&str> = Outcome::ALL.iter().map(|o| o.id()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate outcome id");
    let listing: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| {
            let fault = serde_json::to_string(&o.fault()).unwrap_or_default();
            format!(
                "{}  fault={}  {}",
                o.id(),
                fault.trim_matches('"'),
                o.description()
            )
        })
        .collect();
    insta::assert_snapshot!("outcome_ids", listing.join("\n"));
}

/// The ids of the control ledger text (`ID  DIGITS` lines; `#` lines are comments).
fn ledger_ids(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

/// The first 16 hex digits of sha256(`prev` + `id`): one link of the ledger's chain.
fn link(prev: &str, id: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, format!("{prev}{id}").as_bytes());
    d.as_ref()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Check the ledger's chain and header; `Err` says what is wrong and what would be right.
fn check_ledger(text: &str) -> Result<Vec<String>, String> {
    let mut prev = String::new();
    let mut ids = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(id), digits) = (parts.next(), parts.next()) else {
            continue;
        };
        let want = link(&prev, id);
        if digits != Some(want.as_str()) {
            return Err(format!(
                "tests/control_ids.txt line {}: `{line}` breaks the chain (ids are never removed \
                 or edited); a new id is appended as `{id}  {want}`",
                n + 1
            ));
        }
        ids.push(id.to_owned());
        prev = want;
    }
    let header = text
        .lines()
        .find_map(|l| l.strip_prefix("# count: "))
        .ok_or("tests/control_ids.txt has no `# count: N  head: DIGITS` line")?;
    let want = format!("{}  head: {prev}", ids.len());
    if header.trim() != want {
        return Err(format!(
            "tests/control_ids.txt header says `count: {}` but the ledger is `count: {want}`: \
             ids are never removed; after appending one, set the header to that",
            header.trim()
        ));
    }
    Ok(ids)
}

/// Every control id ever released, one per line (`tests/control_ids.txt`), hash-chained with a
/// count and head in its header: append-only. A control id in use must be listed; a listed id
/// must be in use or retired; a retired id must not come back; and every id of every committed
/// version of the ledger (git history, when git and the history are there) is still listed.
/// So the set only grows.
#[test]
fn control_ids_are_stable_unique_and_only_grow() {
    use kensa::assess::control::RETIRED;
    let lib = kensa::assess::profile::Library::builtin().expect("built-in controls load");
    let current: Vec<&str> = lib.controls().keys().map(String::as_str).collect();
    let ledger_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/control_ids.txt"),
    )
    .expect("tests/control_ids.txt");
    let ledger = check_ledger(&ledger_text).unwrap_or_else(|e| panic!("{e}"));
    let mut sorted = ledger.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ledger.len(),
        "duplicate id in tests/control_ids.txt"
    );
    for id in &current {
        assert!(
            ledger.iter().any(|l| l == id),
            "new control id {id}: append it to tests/control_ids.txt"
        );
        assert!(!RETIRED.contains(id), "retired control id {id} reused");
    }
    for id in &ledger {
        assert!(
            current.contains(&id.as_str()) || RETIRED.contains(&id.as_str()),
            "control id {id} disappeared: ids are never removed; retire it (control::RETIRED)"
        );
    }
    let listing: Vec<String> = lib
        .controls()
        .values()
        .map(|c| format!("{}  {}  {}", c.id, c.severity.as_str(), c.title))
        .collect();
    insta::assert_snapshot!("control_ids", listing.join("\n"));
}

/// Removing an id from both the controls and the ledger is caught by the chain or the header.
#[test]
fn the_ledger_detects_a_removed_id() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/control_ids.txt"),
    )
    .expect("tests/control_ids.txt");
    assert!(check_ledger(&text).is_ok());
    let lines: Vec<&str> = text.lines().collect();
    let ids: Vec<usize> = (0..lines.len())
        .filter(|i| !lines[*i].starts_with('#') && !lines[*i].trim().is_empty())
        .collect();
    for drop in [ids[0], ids[ids.len() / 2], ids[ids.len() - 1]] {
        let edited: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, l)| *l)
            .collect();
        let err = check_ledger(&edited.join("\n")).expect_err("a removed id must be caught");
        assert!(err.contains("never removed"), "{err}");
    }
}

/// The ids of every committed version of the ledger are still in the ledger.
#[test]
fn control_ids_only_grow_across_git_history() {
    use std::process::Command;
    let root = env!("CARGO_MANIFEST_DIR");
    let now = ledger_ids(
        &std::fs::read_to_string(std::path::Path::new(root).join("tests/control_ids.txt"))
            .expect("tests/control_ids.txt"),
    );
    let log = Command::new("git")
        .args([
            "-C",
            root,
            "log",
            "--format=%H",
            "--",
            "tests/control_ids.txt",
        ])
        .output();
    let Some(log) = log.ok().filter(|o| o.status.success()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "git or the repository history is missing but CI is set"
        );
        eprintln!("no git history: skipped");
        return;
    };
    let commits = String::from_utf8_lossy(&log.stdout).to_string();
    for c in commits.lines().filter(|l| !l.is_empty()) {
        let Ok(old) = Command::new("git")
            .args(["-C", root, "show", &format!("{c}:tests/control_ids.txt")])
            .output()
        else {
            continue;
        };
        for id in ledger_ids(&String::from_utf8_lossy(&old.stdout)) {
            assert!(
                now.contains(&id),
                "control id {id} (in tests/control_ids.txt at {c}) was removed: ids only grow"
            );
        }
    }
}

/// Certificate lint ids (issue 22), guarded as control ids are: every id ever released is in
/// the hash-chained, append-only `probes/x509/lint_ids.txt`; a defined lint must be listed, a
/// listed id must be defined or retired, a retired id never comes back, every id of every
/// committed version of the ledger is still there; the listing (id, severity, clause, title)
/// is snapshotted.
#[test]
fn lint_ids_are_stable_unique_and_only_grow() {
    use kensa_probe_x509::lint::{LINTS, RETIRED};
    use std::process::Command;
    let root = env!("CARGO_MANIFEST_DIR");
    let path = "probes/x509/lint_ids.txt";
    let text = std::fs::read_to_string(std::path::Path::new(root).join(path)).expect(path);
    let ledger = check_ledger(&text)
        .map_err(|e| e.replace("tests/control_ids.txt", path))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut sorted = ledger.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ledger.len(), "duplicate id in {path}");
    let current: Vec<&str> = LINTS.iter().map(|l| l.id).collect();
    for id in &current {
        assert!(
            ledger.iter().any(|l| l == id),
            "new lint id {id}: append it to {path}"
        );
        assert!(!RETIRED.contains(id), "retired lint id {id} reused");
    }
    for id in &ledger {
        assert!(
            current.contains(&id.as_str()) || RETIRED.contains(&id.as_str()),
            "lint id {id} disappeared: ids are never removed; retire it (lint::RETIRED)"
        );
    }
    if let Some(log) = Command::new("git")
        .args(["-C", root, "log", "--format=%H", "--", path])
        .output()
        .ok()
        .filter(|o| o.status.success())
    {
        for c in String::from_utf8_lossy(&log.stdout).lines() {
            let Ok(old) = Command::new("git")
                .args(["-C", root, "show", &format!("{c}:{path}")])
                .output()
            else {
                continue;
            };
            for id in ledger_ids(&String::from_utf8_lossy(&old.stdout)) {
                assert!(
                    ledger.contains(&id),
                    "lint id {id} (in {path} at {c}) was removed: ids only grow"
                );
            }
        }
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "git or the repository history is missing but CI is set"
        );
    }
    let listing: Vec<String> = LINTS
        .iter()
        .map(|l| {
            format!(
                "{}  {}  {}  {}{}",
                l.id,
                l.severity.as_str(),
                l.clause(),
                l.title,
                l.effective
                    .map(|d| format!("  (from {d})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    insta::assert_snapshot!("lint_ids", listing.join("\n"));
}
