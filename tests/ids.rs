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

/// Every control id ever released, one per line (`tests/control_ids.txt`): append-only. A
/// control id in use must be listed; a listed id must be in use or retired; a retired id
/// must not come back. So the set only grows.
#[test]
fn control_ids_are_stable_unique_and_only_grow() {
    use kensa::assess::control::RETIRED;
    let lib = kensa::assess::profile::Library::builtin().expect("built-in controls load");
    let current: Vec<&str> = lib.controls().keys().map(String::as_str).collect();
    let ledger_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/control_ids.txt"),
    )
    .expect("tests/control_ids.txt");
    let ledger: Vec<&str> = ledger_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
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
            ledger.contains(id),
            "new control id {id}: append it to tests/control_ids.txt"
        );
        assert!(!RETIRED.contains(id), "retired control id {id} reused");
    }
    for id in &ledger {
        assert!(
            current.contains(id) || RETIRED.contains(id),
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
