//! The staff exit PIN's guard: a few free tries, then waits that double with every further
//! wrong PIN, so a visitor cannot guess their way out of kiosk mode.

use std::time::{Duration, Instant};

/// Wrong PINs allowed before the first wait.
const FREE_TRIES: u32 = 3;
const FIRST_WAIT: Duration = Duration::from_secs(60);
const LONGEST_WAIT: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitVerdict {
    Open,
    Wrong,
    /// No PIN is even checked for this many more seconds.
    Locked(u64),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExitGuard {
    failures: u32,
    locked_until: Option<Instant>,
}

impl ExitGuard {
    /// Checks a typed PIN with `pin_ok` unless the guard is waiting.
    pub fn check(&mut self, now: Instant, pin_ok: impl FnOnce() -> bool) -> ExitVerdict {
        if let Some(until) = self.locked_until.filter(|until| *until > now) {
            return ExitVerdict::Locked((until - now).as_secs().max(1));
        }
        if pin_ok() {
            *self = ExitGuard::default();
            return ExitVerdict::Open;
        }
        self.failures += 1;
        if self.failures < FREE_TRIES {
            return ExitVerdict::Wrong;
        }
        let doublings = (self.failures - FREE_TRIES).min(16);
        let wait = FIRST_WAIT.saturating_mul(1 << doublings).min(LONGEST_WAIT);
        self.locked_until = Some(now + wait);
        ExitVerdict::Locked(wait.as_secs())
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_pins_lock_the_exit_for_longer_and_longer() {
        let mut guard = ExitGuard::default();
        let t0 = Instant::now();
        assert_eq!(guard.check(t0, || false), ExitVerdict::Wrong);
        assert_eq!(guard.check(t0, || false), ExitVerdict::Wrong);
        assert_eq!(guard.check(t0, || false), ExitVerdict::Locked(60));
        // While locked even the right PIN is not checked.
        let checked = std::cell::Cell::new(false);
        let verdict = guard.check(t0 + Duration::from_secs(30), || {
            checked.set(true);
            true
        });
        assert_eq!(verdict, ExitVerdict::Locked(30));
        assert!(!checked.get());
        let t1 = t0 + Duration::from_secs(61);
        assert_eq!(guard.check(t1, || false), ExitVerdict::Locked(120));
        let t2 = t1 + Duration::from_secs(121);
        assert_eq!(guard.check(t2, || true), ExitVerdict::Open);
        assert_eq!(guard.failures(), 0);
    }

    #[test]
    fn the_wait_stops_growing_at_half_an_hour() {
        let mut guard = ExitGuard::default();
        let mut now = Instant::now();
        let mut last = ExitVerdict::Wrong;
        for _ in 0..40 {
            last = guard.check(now, || false);
            now += Duration::from_secs(3600);
        }
        assert_eq!(last, ExitVerdict::Locked(1800));
    }
}
