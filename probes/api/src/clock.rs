//! Time, behind a trait so that timing and validity checks can be tested deterministically.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// Wall-clock and monotonic time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current wall-clock time (for timestamps and certificate validity).
    fn now(&self) -> SystemTime;
    /// A monotonic instant (for measuring durations).
    fn instant(&self) -> Instant;
}

/// The real clocks of the operating system.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn instant(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told to, for tests.
#[derive(Debug)]
pub struct ManualClock {
    base_instant: Instant,
    state: Mutex<(SystemTime, Duration)>,
}

impl ManualClock {
    /// A clock standing at `now`.
    pub fn new(now: SystemTime) -> Self {
        Self {
            base_instant: Instant::now(),
            state: Mutex::new((now, Duration::ZERO)),
        }
    }

    /// Move both clocks forward by `by`.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut s) = self.state.lock() {
            s.0 += by;
            s.1 += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.state
            .lock()
            .map(|s| s.0)
            .unwrap_or(SystemTime::UNIX_EPOCH)
    }

    fn instant(&self) -> Instant {
        let offset = self.state.lock().map(|s| s.1).unwrap_or_default();
        self.base_instant + offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_advances() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let c = ManualClock::new(t0);
        let i0 = c.instant();
        c.advance(Duration::from_millis(1500));
        assert_eq!(c.now(), t0 + Duration::from_millis(1500));
        assert_eq!(c.instant() - i0, Duration::from_millis(1500));
    }
}
