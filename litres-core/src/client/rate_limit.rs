//! Spacing of requests: at most one request per interval per client.
//!
//! Each caller reserves the next free slot under a short lock and then
//! sleeps until it, so concurrent callers queue in order and no lock is
//! held across an await.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Slot bookkeeping, kept apart from the clock so it can be unit tested.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slots {
    interval: Duration,
    next_free: Option<Instant>,
}

impl Slots {
    pub(crate) fn new(interval: Duration) -> Self {
        Self {
            interval,
            next_free: None,
        }
    }

    /// Reserves the first slot at or after `now` and returns its start.
    pub(crate) fn reserve(&mut self, now: Instant) -> Instant {
        let start = match self.next_free {
            Some(next_free) if next_free > now => next_free,
            _ => now,
        };
        self.next_free = Some(start + self.interval);
        start
    }
}

/// A limiter shared by a client and all its clones.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    slots: Mutex<Slots>,
}

impl RateLimiter {
    pub(crate) fn new(interval: Duration) -> Self {
        Self {
            slots: Mutex::new(Slots::new(interval)),
        }
    }

    /// Waits until this caller may send a request.
    pub(crate) async fn acquire(&self) {
        let start = {
            // A poisoned lock only means another caller panicked while
            // holding it; the slot data is still consistent.
            let mut slots = match self.slots.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            slots.reserve(Instant::now())
        };
        tokio::time::sleep_until(start).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn first_request_goes_at_once() {
        let now = Instant::now();
        let mut slots = Slots::new(SECOND);
        assert_eq!(slots.reserve(now), now);
    }

    #[test]
    fn back_to_back_requests_are_spaced() {
        let now = Instant::now();
        let mut slots = Slots::new(SECOND);
        assert_eq!(slots.reserve(now), now);
        assert_eq!(slots.reserve(now), now + SECOND);
        assert_eq!(slots.reserve(now), now + 2 * SECOND);
    }

    #[test]
    fn idle_time_is_not_banked() {
        let now = Instant::now();
        let mut slots = Slots::new(SECOND);
        slots.reserve(now);
        let later = now + 10 * SECOND;
        assert_eq!(slots.reserve(later), later);
        assert_eq!(slots.reserve(later), later + SECOND);
    }

    #[test]
    fn request_inside_interval_waits_for_rest() {
        let now = Instant::now();
        let mut slots = Slots::new(SECOND);
        slots.reserve(now);
        let soon = now + Duration::from_millis(300);
        assert_eq!(slots.reserve(soon), now + SECOND);
    }

    #[test]
    fn zero_interval_never_waits() {
        let now = Instant::now();
        let mut slots = Slots::new(Duration::ZERO);
        assert_eq!(slots.reserve(now), now);
        assert_eq!(slots.reserve(now), now);
    }

    #[tokio::test(start_paused = true)]
    async fn limiter_spaces_concurrent_callers() {
        let limiter = std::sync::Arc::new(RateLimiter::new(SECOND));
        let begin = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..3 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move {
                limiter.acquire().await;
                Instant::now()
            }));
        }
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap() - begin);
        }
        times.sort();
        assert_eq!(times, vec![Duration::ZERO, SECOND, 2 * SECOND]);
    }
}
