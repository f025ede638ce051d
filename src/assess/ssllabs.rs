//! The SSL Labs letter: Qualys's SSL Server Rating Guide, as data in `profiles/ssl-labs.toml`.
//!
//! The guide (version 2009, with its later changes) rates a server in three categories:
//! protocol support (30 %), key exchange (30 %) and cipher strength (40 %), each 0..100;
//! protocol support and cipher strength are the mean of the best and worst values offered.
//! The weighted total maps to a letter (A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20, F below), a
//! zero in any category gives F, and then rules cap the grade (e.g. TLS 1.0 offered → B, no
//! TLS 1.2 → C, SSL 2.0 → F) or lift it (A+ for HSTS with a long max-age and no warnings).
//! Untrusted certificates give T, a name mismatch M, outside the ladder.
//!
//! In kensa the category scores are CEL expressions (`[[score]]`) and each cap is a control
//! whose `on_fail` is the cap, so the whole rubric is data an evaluator can read and change.
//! The score letter starts at the top of the ladder (`A+`): the A+ conditions are controls
//! capping at `A`, the warnings controls capping at `A-`. Rules kensa cannot evaluate yet are
//! listed in the profile's `[[not_evaluated]]` and in every report.

use serde::{Deserialize, Serialize};

use super::doc::TargetDoc;
use super::eval::{Bindings, gate};
use super::profile::Profile;

/// The category scores of one target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Each category: name, weight and score (`None` when it could not be computed).
    pub categories: Vec<Category>,
    /// The weighted total, when every category was computed.
    pub total: Option<f64>,
    /// The letter the total gives before caps.
    pub letter: Option<String>,
}

/// One category score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// The category name.
    pub name: String,
    /// Weight, percent.
    pub weight: u32,
    /// The score, 0..100.
    pub score: Option<f64>,
    /// Why it could not be computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Compute the category scores and the uncapped letter of one target.
pub fn scores(profile: &Profile, doc: &TargetDoc, b: &Bindings<'_, '_>) -> Scores {
    let mut categories = Vec::new();
    for s in &profile.scores {
        let (score, error) = match gate(&s.needs, doc) {
            Some(why) => (None, Some(why)),
            None => match b.run(&s.prog) {
                Ok(v) => match v.as_f64() {
                    Some(x) if (0.0..=100.0).contains(&x) => (Some(x), None),
                    _ => (
                        None,
                        Some(format!("the score expression gave {v}, not 0..100")),
                    ),
                },
                Err(e) => (None, Some(format!("the score could not be computed: {e}"))),
            },
        };
        categories.push(Category {
            name: s.name.clone(),
            weight: s.weight,
            score,
            error,
        });
    }
    let total = categories
        .iter()
        .map(|c| c.score.map(|s| s * f64::from(c.weight) / 100.0))
        .sum::<Option<f64>>();
    let any_zero = categories.iter().any(|c| c.score == Some(0.0));
    let total = total.map(|t| if any_zero { 0.0 } else { t });
    let letter = total.map(|t| letter_for(profile, t));
    Scores {
        categories,
        total,
        letter,
    }
}

/// The letter a total score gives: the first threshold it reaches, else the last level.
pub fn letter_for(profile: &Profile, total: f64) -> String {
    profile
        .thresholds
        .iter()
        .find(|t| total >= t.min)
        .map(|t| t.level.clone())
        .or_else(|| profile.levels.last().cloned())
        .unwrap_or_default()
}
