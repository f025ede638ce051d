//! What the scan's progress display says besides the count: the targets in flight and the
//! slowest of them, with the probes it still waits on (issue 23: a bar that froze for 14 s
//! while a server hung said nothing of what it waited on).
//!
//! A target counts as in flight from its first record until it has one record per selected
//! probe; the display is redrawn on a clock (`kensa scan`'s bar ticks every 200 ms), so the
//! elapsed time of the slowest target keeps moving while no record arrives.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// After this long without a record, the display says so.
const QUIET: Duration = Duration::from_secs(2);

/// The targets with some but not all of their records.
#[derive(Debug)]
pub struct InFlight {
    probes: Vec<String>,
    targets: HashMap<String, (Instant, BTreeSet<String>)>,
    done: u64,
    /// When the last record arrived (or the display started).
    last: Instant,
}

impl InFlight {
    /// Track targets that each get one record per probe of `probes`.
    pub fn new(probes: Vec<String>) -> Self {
        Self {
            probes,
            targets: HashMap::new(),
            done: 0,
            last: Instant::now(),
        }
    }

    /// A record of `probe` for `target` arrived at `now`.
    pub fn record(&mut self, target: &str, probe: &str, now: Instant) {
        self.last = self.last.max(now);
        let entry = self
            .targets
            .entry(target.to_owned())
            .or_insert_with(|| (now, BTreeSet::new()));
        entry.1.insert(probe.to_owned());
        if self.probes.iter().all(|p| entry.1.contains(p)) {
            self.targets.remove(target);
            self.done += 1;
        }
    }

    /// Targets with every record.
    pub fn done(&self) -> u64 {
        self.done
    }

    /// Targets in flight.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether no target is in flight.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The slowest target in flight at `now`: its id, how long since its first record, and
    /// the probes it waits on.
    pub fn slowest(&self, now: Instant) -> Option<(&str, Duration, Vec<&str>)> {
        let (id, (since, seen)) = self
            .targets
            .iter()
            .min_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| a.0.cmp(b.0)))?;
        let waiting = self
            .probes
            .iter()
            .filter(|p| !seen.contains(*p))
            .map(String::as_str)
            .collect();
        Some((id, now.saturating_duration_since(*since), waiting))
    }

    /// One line: `2 targets in flight; slowest acme/api:443 for 14 s, waiting on tls.scan`.
    pub fn message(&self, now: Instant) -> String {
        let n = self.len();
        let mut s = format!("{n} target{} in flight", if n == 1 { "" } else { "s" });
        if let Some((id, age, waiting)) = self.slowest(now) {
            s.push_str(&format!("; slowest {id} for {} s", age.as_secs()));
            if !waiting.is_empty() {
                s.push_str(&format!(", waiting on {}", waiting.join(", ")));
            }
        }
        // A target counts as in flight from its first record: one that hangs in its first
        // probe is not listed, so say how long nothing has arrived.
        let quiet = now.saturating_duration_since(self.last);
        if quiet >= QUIET {
            s.push_str(&format!("; no probe finished for {} s", quiet.as_secs()));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slowest_target_and_what_it_waits_on_issue_23() {
        let t0 = Instant::now();
        let probes = vec!["dns.resolve".to_owned(), "tls.scan".to_owned()];
        let mut f = InFlight::new(probes);
        assert_eq!(f.message(t0), "0 targets in flight");
        f.record("p/slow:443", "dns.resolve", t0);
        f.record("p/fast:443", "dns.resolve", t0 + Duration::from_secs(1));
        assert_eq!(f.len(), 2);
        // Time passes with no record: the slowest target's clock moves.
        assert_eq!(
            f.message(t0 + Duration::from_secs(14)),
            "2 targets in flight; slowest p/slow:443 for 14 s, waiting on tls.scan; \
             no probe finished for 13 s"
        );
        f.record("p/fast:443", "tls.scan", t0 + Duration::from_secs(2));
        assert_eq!(f.done(), 1);
        assert_eq!(
            f.message(t0 + Duration::from_secs(20)),
            "1 target in flight; slowest p/slow:443 for 20 s, waiting on tls.scan; \
             no probe finished for 18 s"
        );
        f.record("p/slow:443", "tls.scan", t0 + Duration::from_secs(21));
        assert!(f.is_empty());
        assert_eq!(f.done(), 2);
        assert_eq!(
            f.message(t0 + Duration::from_secs(22)),
            "0 targets in flight"
        );
    }

    /// A target that hangs in its first probe has no record yet: the display still says
    /// that nothing has arrived, and for how long.
    #[test]
    fn a_hang_before_any_record_is_shown_issue_23() {
        let f = InFlight::new(vec!["tls.scan".to_owned()]);
        let t = Instant::now() + Duration::from_secs(5);
        assert_eq!(
            f.message(t),
            "0 targets in flight; no probe finished for 5 s"
        );
    }
}
