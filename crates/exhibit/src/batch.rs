//! Batch capture: many URLs, bounded concurrency, each capture committed on its own.
//!
//! Fetching runs on a small Tokio runtime; extraction and the commit run on blocking
//! threads so a large page never stalls the network side. A capture is reported done
//! only after its transaction committed, so anything reported survives a crash.

use std::sync::Arc;
use std::time::Duration;

use exhibit_capture::{FetchOptions, Fetcher};
use exhibit_domain::{CaptureStatus, Collector};
use futures_util::StreamExt;

use crate::judge::{assemble, environment};
use crate::{Case, Error, Result};

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub fetch: FetchOptions,
    /// Captures in flight at once (at least 1).
    pub concurrency: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            fetch: FetchOptions::default(),
            concurrency: 8,
        }
    }
}

/// What happened to one URL.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaptureOutcome {
    /// Position of the URL in the input, from 0.
    pub index: usize,
    pub url: String,
    /// The stored capture's id; `None` only if it could not be saved.
    pub capture_id: Option<i64>,
    pub status: CaptureStatus,
    pub http_status: Option<u16>,
    pub title: Option<String>,
    /// Why it is not `ok`, in one sentence.
    pub error: Option<String>,
}

/// Progress of a batch, as it happens.
#[derive(Debug, Clone)]
pub enum BatchEvent {
    /// A URL's capture has been committed (or could not be saved).
    Finished(CaptureOutcome),
}

/// The end of a batch.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BatchSummary {
    pub total: usize,
    pub ok: usize,
    pub blocked: usize,
    pub removed: usize,
    pub failed: usize,
    /// URLs whose capture could not be saved in the case (disk full, say).
    pub unsaved: usize,
    pub elapsed_ms: u128,
}

impl BatchSummary {
    fn count(&mut self, o: &CaptureOutcome) {
        if o.capture_id.is_none() {
            self.unsaved += 1;
        }
        match o.status {
            CaptureStatus::Ok => self.ok += 1,
            CaptureStatus::Blocked => self.blocked += 1,
            CaptureStatus::Removed => self.removed += 1,
            CaptureStatus::Failed => self.failed += 1,
        }
    }

    /// True when every URL got a stored `ok`, `blocked` or `removed` record.
    pub fn all_recorded(&self) -> bool {
        self.failed == 0 && self.unsaved == 0
    }
}

impl Case {
    /// Captures every URL, `options.concurrency` at a time, and calls `progress` on the
    /// caller's thread as each capture is committed. Every URL ends as a stored record,
    /// failures included; none is dropped.
    pub fn capture_urls(
        &self,
        urls: Vec<String>,
        options: BatchOptions,
        mut progress: impl FnMut(&BatchEvent),
    ) -> Result<BatchSummary> {
        let started = std::time::Instant::now();
        let mut fetch = options.fetch;
        fetch.concurrency_hint = options.concurrency.max(1);
        let fetcher = Fetcher::new(fetch).map_err(|e| Error::Input(e.0))?;
        let environment = Arc::new(environment(fetcher.options()));
        let collector = Arc::new(self.collector()?.unwrap_or_default());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(options.concurrency.clamp(2, 32))
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("could not start the network runtime: {e}")))?;
        let mut summary = BatchSummary {
            total: urls.len(),
            ..BatchSummary::default()
        };
        runtime.block_on(async {
            let mut results = futures_util::stream::iter(urls.into_iter().enumerate())
                .map(|(index, url)| {
                    let fetcher = fetcher.clone();
                    let case = self.clone();
                    let environment = Arc::clone(&environment);
                    let collector = Arc::clone(&collector);
                    async move {
                        let fetched = fetcher.fetch(&url).await;
                        let committed = tokio::task::spawn_blocking({
                            let url = url.clone();
                            move || case.commit_fetch(index, url, fetched, &collector, &environment)
                        })
                        .await;
                        committed.unwrap_or_else(|e| CaptureOutcome {
                            index,
                            url,
                            capture_id: None,
                            status: CaptureStatus::Failed,
                            http_status: None,
                            title: None,
                            error: Some(format!(
                                "Exhibit hit an internal problem while saving this capture: {e}."
                            )),
                        })
                    }
                })
                .buffer_unordered(options.concurrency.max(1));
            while let Some(outcome) = results.next().await {
                summary.count(&outcome);
                progress(&BatchEvent::Finished(outcome));
            }
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
        summary.elapsed_ms = started.elapsed().as_millis();
        Ok(summary)
    }

    fn commit_fetch(
        &self,
        index: usize,
        url: String,
        fetched: exhibit_capture::Fetched,
        collector: &Collector,
        environment: &exhibit_domain::Environment,
    ) -> CaptureOutcome {
        let (record, artifacts) = assemble(fetched, collector, environment);
        let saved = self.store().add_capture(&record, &artifacts);
        let (capture_id, error) = match saved {
            Ok(id) => (Some(id), record.error.clone()),
            Err(e) => (
                None,
                Some(format!("The capture could not be saved in the case: {e}")),
            ),
        };
        CaptureOutcome {
            index,
            url,
            capture_id,
            status: if capture_id.is_some() {
                record.status
            } else {
                CaptureStatus::Failed
            },
            http_status: record.http_status,
            title: record.facts.title.clone(),
            error,
        }
    }
}
