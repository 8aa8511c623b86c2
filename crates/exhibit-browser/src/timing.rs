//! Where a capture's time goes: one `debug` event per step under the target
//! `exhibit::timing`, so `EXHIBIT_LOG=exhibit::timing=debug` (the browser batch bench
//! sets it) prints the breakdown on stderr. Silent otherwise: nothing reaches stdout.

use std::time::Instant;

/// Consecutive laps of one capture: each [`Laps::lap`] reports the time since the last.
pub(crate) struct Laps<'a> {
    url: &'a str,
    last: Instant,
}

impl<'a> Laps<'a> {
    pub(crate) fn new(url: &'a str) -> Self {
        Laps {
            url,
            last: Instant::now(),
        }
    }

    /// Report the time since the previous lap (or since creation) as `step`.
    pub(crate) fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        tracing::debug!(
            target: "exhibit::timing",
            step,
            ms = now.duration_since(self.last).as_secs_f64() * 1000.0,
            url = self.url,
        );
        self.last = now;
    }
}

/// Report the time since `since` as `step`.
pub(crate) fn since(url: &str, step: &'static str, since: Instant) {
    tracing::debug!(
        target: "exhibit::timing",
        step,
        ms = since.elapsed().as_secs_f64() * 1000.0,
        url,
    );
}
