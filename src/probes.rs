//! The probes the harness knows, their stable ids, and the adapter from each probe crate to
//! the engine.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use kensa_probe::{Outcome, Scope, Target};
use serde::Serialize;

/// The stable id of a probe. Ids are never renamed and never reused once retired; the
/// `stable_ids` test guards the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ProbeId {
    /// `latency.tcp`: TCP connect-time distributions per address (crate kensa-probe-latency).
    LatencyTcp,
}

impl ProbeId {
    /// Every probe id in use.
    pub const ALL: [Self; 1] = [Self::LatencyTcp];

    /// Ids that were used once and must never be used again.
    pub const RETIRED: &'static [&'static str] = &[];

    /// The stable string id.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::LatencyTcp => kensa_probe_latency::PROBE_ID,
        }
    }

    /// One line saying what the probe observes.
    pub const fn description(self) -> &'static str {
        match self {
            Self::LatencyTcp => "TCP connect time per address: min/median/p90/max",
        }
    }
}

/// What one probe run produced: the fields of an evidence record that the probe decides.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeResult {
    /// How the probe ended.
    pub outcome: Outcome,
    /// The observation (the probe crate's `Observation`, as JSON).
    pub observation: Option<serde_json::Value>,
    /// Error text for a non-success outcome.
    pub error: Option<String>,
}

impl ProbeResult {
    /// A result with no observation.
    pub fn failed(outcome: Outcome, error: impl Into<String>) -> Self {
        Self {
            outcome,
            observation: None,
            error: Some(error.into()),
        }
    }

    fn observed<T: Serialize>(outcome: Outcome, obs: &T, error: Option<String>) -> Self {
        match serde_json::to_value(obs) {
            Ok(v) => Self {
                outcome,
                observation: Some(v),
                error,
            },
            Err(e) => Self::failed(
                Outcome::Internal,
                format!("cannot serialise observation: {e}"),
            ),
        }
    }
}

/// The future a [`Probe`] returns.
pub type ProbeFuture<'a> = Pin<Box<dyn Future<Output = ProbeResult> + Send + 'a>>;

/// A probe as the engine sees it. Implementations adapt a probe crate's `probe` function.
pub trait Probe: Send + Sync {
    /// The stable id (see [`ProbeId`]); test probes may use their own.
    fn id(&self) -> &'static str;
    /// The probe's version.
    fn version(&self) -> &'static str;
    /// Run against one target, connecting only through `scope`.
    fn run<'a>(&'a self, target: &'a Target, scope: &'a Scope) -> ProbeFuture<'a>;
}

/// The latency probe.
#[derive(Clone, Debug, Default)]
pub struct LatencyProbe {
    /// Its configuration.
    pub config: kensa_probe_latency::Config,
}

impl Probe for LatencyProbe {
    fn id(&self) -> &'static str {
        ProbeId::LatencyTcp.as_str()
    }

    fn version(&self) -> &'static str {
        kensa_probe_latency::PROBE_VERSION
    }

    fn run<'a>(&'a self, target: &'a Target, scope: &'a Scope) -> ProbeFuture<'a> {
        Box::pin(async move {
            match kensa_probe_latency::probe(scope, target.port, &self.config).await {
                Ok(obs) => ProbeResult::observed(obs.outcome(), &obs, obs.error()),
                Err(e) => ProbeResult::failed(e.outcome(), e.to_string()),
            }
        })
    }
}

/// The default probe set of a scan.
pub fn default_probes(latency: kensa_probe_latency::Config) -> Vec<Arc<dyn Probe>> {
    vec![Arc::new(LatencyProbe { config: latency })]
}
