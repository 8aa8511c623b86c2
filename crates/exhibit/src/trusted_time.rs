//! Trusted time: asking independent RFC 3161 time-stamp authorities to sign a time for
//! each capture and each export, and recording honestly when none could.
//!
//! A capture is committed first and stamped after, so a missing or failing authority
//! never costs a capture: it ends with "no trusted time" on record (a
//! `timestamp.missed` custody event naming each authority and why), and
//! [`Case::timestamp_missing`] (`exhibit timestamp CASE`) fills the gap later, the delay
//! between the capture and the authority's time stored with the token. What is stamped
//! for a capture is its [`TimestampStatement`]: its record hash and every artifact hash.
//! Tokens are verified in full by `exhibit-tsa` before anything is stored.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use exhibit_domain::{TimestampStatement, sha256};
use exhibit_store::{MissedAttempt, NewTimestamp, TimestampSubject};
use serde::Serialize;

use crate::{Case, Error, Result};

pub use exhibit_tsa::DEFAULT_TSAS;

/// Which authorities to ask, and which roots to trust for their certificates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TsaSettings {
    /// Tried in order; the first verified answer wins. Empty: no trusted time.
    pub urls: Vec<String>,
    /// PEM files of extra roots for TSA certificates (`--tsa-ca`), on top of the
    /// system's.
    pub extra_roots: Vec<PathBuf>,
    /// Time limit for each authority.
    pub timeout: Duration,
}

impl TsaSettings {
    /// The default time limit for one authority.
    pub const TIMEOUT: Duration = Duration::from_secs(10);

    pub fn new(urls: Vec<String>, extra_roots: Vec<PathBuf>) -> Self {
        TsaSettings {
            urls,
            extra_roots,
            timeout: Self::TIMEOUT,
        }
    }

    /// Reads the roots once, so a batch does not re-read them for every capture. A
    /// missing or unreadable root file is the user's to fix, before anything runs.
    pub fn prepare(&self) -> Result<Option<Arc<PreparedTsa>>> {
        if self.urls.is_empty() {
            return Ok(None);
        }
        for url in &self.urls {
            let ok = url::Url::parse(url)
                .ok()
                .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
            if !ok {
                return Err(Error::Input(format!(
                    "'{url}' is not a time-stamp authority URL; give an http:// or https:// address."
                )));
            }
        }
        let trust = exhibit_tsa::Trust::system_and(&self.extra_roots)
            .map_err(|e| Error::Input(e.to_string()))?;
        Ok(Some(Arc::new(PreparedTsa {
            urls: self.urls.clone(),
            trust,
            timeout: if self.timeout.is_zero() {
                Self::TIMEOUT
            } else {
                self.timeout
            },
        })))
    }
}

/// [`TsaSettings`] with the roots loaded.
pub struct PreparedTsa {
    urls: Vec<String>,
    trust: exhibit_tsa::Trust,
    timeout: Duration,
}

impl std::fmt::Debug for PreparedTsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedTsa")
            .field("urls", &self.urls)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl PreparedTsa {
    async fn stamp(
        &self,
        digest: &[u8; 32],
    ) -> std::result::Result<exhibit_tsa::Stamp, exhibit_tsa::NoTrustedTime> {
        exhibit_tsa::stamp(&self.urls, &self.trust, digest, self.timeout).await
    }
}

/// What one capture got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TrustedTime {
    /// An authority signed a time for it.
    Stamped {
        /// The authority's time, RFC 3339 UTC.
        gen_time: String,
        tsa_name: String,
        serial: String,
        /// How long after the capture ended.
        delay_ms: i64,
    },
    /// No authority gave a time that verified; the reason names each one tried.
    Missing { reason: String },
}

/// The end of `exhibit timestamp CASE`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TimestampSummary {
    /// Captures that had no token before.
    pub missing: usize,
    pub stamped: usize,
    pub still_missing: usize,
}

fn delay_ms(gen_time: &DateTime<Utc>, since: &str) -> i64 {
    DateTime::parse_from_rfc3339(since)
        .map(|t| (*gen_time - t.with_timezone(&Utc)).num_milliseconds())
        .unwrap_or(0)
}

impl Case {
    /// Stamps one committed capture and records the outcome. Authorities failing is an
    /// outcome, not an error; only the case failing to store it is an error.
    pub(crate) async fn stamp_capture(&self, id: i64, tsa: &PreparedTsa) -> Result<TrustedTime> {
        let capture = {
            let case = self.clone();
            tokio::task::spawn_blocking(move || case.capture(id))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??
        };
        let statement = TimestampStatement::for_capture(&capture).to_bytes();
        let digest = sha256(&statement);
        let outcome = tsa.stamp(&digest.0).await;
        let finished_at = capture.record.finished_at.clone();
        let case = self.clone();
        tokio::task::spawn_blocking(move || {
            case.record_stamp(id, &statement, &finished_at, outcome)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
    }

    fn record_stamp(
        &self,
        id: i64,
        statement: &[u8],
        finished_at: &str,
        outcome: std::result::Result<exhibit_tsa::Stamp, exhibit_tsa::NoTrustedTime>,
    ) -> Result<TrustedTime> {
        match outcome {
            Ok(stamp) => {
                let gen_time = exhibit_domain::rfc3339_millis(&stamp.gen_time);
                let delay_ms = delay_ms(&stamp.gen_time, finished_at);
                self.store().add_timestamp(&NewTimestamp {
                    subject: TimestampSubject::Capture(id),
                    data: statement,
                    tsa_url: &stamp.tsa_url,
                    tsa_name: &stamp.tsa_name,
                    gen_time: &gen_time,
                    serial: &stamp.serial,
                    policy: &stamp.policy,
                    response: &stamp.response,
                    delay_ms,
                })?;
                Ok(TrustedTime::Stamped {
                    gen_time,
                    tsa_name: stamp.tsa_name,
                    serial: stamp.serial,
                    delay_ms,
                })
            }
            Err(missed) => {
                let attempts = attempts_of(&missed);
                self.store().record_missed_timestamp(
                    TimestampSubject::Capture(id),
                    &sha256(statement),
                    &attempts,
                )?;
                Ok(TrustedTime::Missing {
                    reason: missed.to_string(),
                })
            }
        }
    }

    /// Stamps one capture now, from a synchronous caller.
    pub fn timestamp_capture(&self, id: i64, tsa: &PreparedTsa) -> Result<TrustedTime> {
        let runtime = tsa_runtime()?;
        runtime.block_on(self.stamp_capture(id, tsa))
    }

    /// Stamps every capture that has no token yet (`exhibit timestamp CASE`), oldest
    /// first, and calls `progress` with each capture's id and outcome. The delay since
    /// each capture is stored with its token and printed in the packet.
    pub fn timestamp_missing(
        &self,
        tsa: &PreparedTsa,
        mut progress: impl FnMut(i64, &TrustedTime),
    ) -> Result<TimestampSummary> {
        self.ensure_writable()?;
        let ids = self.store().captures_without_timestamp()?;
        let runtime = tsa_runtime()?;
        let mut summary = TimestampSummary {
            missing: ids.len(),
            ..TimestampSummary::default()
        };
        for id in ids {
            let outcome = runtime.block_on(self.stamp_capture(id, tsa))?;
            match &outcome {
                TrustedTime::Stamped { .. } => summary.stamped += 1,
                TrustedTime::Missing { .. } => summary.still_missing += 1,
            }
            progress(id, &outcome);
        }
        Ok(summary)
    }

    /// What the newest stored token of a capture says, if it has one.
    pub fn trusted_time(&self, id: i64) -> Result<Option<TrustedTime>> {
        Ok(self
            .store()
            .capture_timestamps(id)?
            .pop()
            .map(|t| TrustedTime::Stamped {
                gen_time: t.gen_time,
                tsa_name: t.tsa_name,
                serial: t.serial,
                delay_ms: t.delay_ms,
            }))
    }

    /// Stamps an export's manifest. `None` when no authority gave a verified time (the
    /// miss is on record); the export goes on without it.
    pub(crate) fn stamp_export(
        &self,
        manifest: &[u8],
        started: &DateTime<Utc>,
        tsa: &PreparedTsa,
    ) -> Result<Option<exhibit_tsa::Stamp>> {
        let digest = sha256(manifest);
        let runtime = tsa_runtime()?;
        match runtime.block_on(tsa.stamp(&digest.0)) {
            Ok(stamp) => {
                let gen_time = exhibit_domain::rfc3339_millis(&stamp.gen_time);
                self.store().add_timestamp(&NewTimestamp {
                    subject: TimestampSubject::Export,
                    data: manifest,
                    tsa_url: &stamp.tsa_url,
                    tsa_name: &stamp.tsa_name,
                    gen_time: &gen_time,
                    serial: &stamp.serial,
                    policy: &stamp.policy,
                    response: &stamp.response,
                    delay_ms: (stamp.gen_time - *started).num_milliseconds(),
                })?;
                Ok(Some(stamp))
            }
            Err(missed) => {
                let attempts = attempts_of(&missed);
                self.store().record_missed_timestamp(
                    TimestampSubject::Export,
                    &digest,
                    &attempts,
                )?;
                Ok(None)
            }
        }
    }
}

/// Each authority tried and why it gave no time, for the custody log.
fn attempts_of(missed: &exhibit_tsa::NoTrustedTime) -> Vec<MissedAttempt> {
    missed
        .attempts
        .iter()
        .map(|(url, e)| MissedAttempt {
            url: url.clone(),
            reason: e.to_string(),
        })
        .collect()
}

fn tsa_runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("could not start the network runtime: {e}")))
}
