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
