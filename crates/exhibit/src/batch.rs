//! Batch capture: many URLs, bounded concurrency, each capture committed on its own.
//!
//! Fetching runs on a small Tokio runtime; extraction, the picture's hash and the
//! compression run on blocking threads so a large page never stalls the network side,
//! and the commits on the batch's one writer thread (the `writer` module). A capture is
//! reported done only after its transaction committed, so anything reported survives a
//! crash.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use exhibit_capture::{FetchOptions, Fetcher};
use exhibit_domain::{CaptureContext, CaptureStatus, Collector};
use futures_util::StreamExt;

use crate::browsing::BrowserSlot;
use crate::judge::{assemble, assemble_browser, assemble_extracted, environment, extract_fetched};
use crate::main_image::{self, MainImage};
use crate::relisting::Prepared;
use crate::trusted_time::{PreparedTsa, TrustedTime};
use crate::writer::Writer;
use crate::{Case, Error, Result};

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Limits, DNS overrides and extra roots; the browser honours them too.
    pub fetch: FetchOptions,
    /// Captures in flight at once (at least 1): connections in HTTP mode, tabs in browser mode.
    pub concurrency: usize,
    pub mode: CaptureMode,
    /// Set to stop the batch: no URL starts after it is set, captures in flight finish
    /// and are kept, and each URL not started is reported [`BatchEvent::Cancelled`].
    pub cancel: Option<Arc<AtomicBool>>,
    /// The time-stamp authorities to ask once each capture is committed; `None`: no
    /// trusted time.
    pub tsa: Option<Arc<PreparedTsa>>,
}

/// One URL to capture, and why Exhibit chose it (none: the user gave it).
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub url: String,
    pub context: Option<CaptureContext>,
}

/// How pages are fetched.
#[derive(Debug, Clone, Default)]
pub enum CaptureMode {
    /// A plain HTTP request: the raw page exactly as the server sent it.
    #[default]
    Http,
    /// The system's Chromium renders the page: screenshot, MHTML, DOM, PDF, text and
    /// network log, as a shopper sees it.
    Browser(crate::BrowserSettings),
}

/// What one capture produced, before it is judged and stored.
pub(crate) enum Taken {
    Http(Box<HttpTaken>),
    /// Browser mode refused the URL (a bad scheme, say) or could not start the browser,
    /// so the browser never saw it; recorded as a browser capture that failed.
    BrowserRefused(Box<exhibit_capture::Fetched>),
    /// The browser's capture, and its main image (the browser's copy, else fetched).
    Browser(Box<exhibit_browser::BrowserCapture>, Option<MainImage>),
}

/// A page fetched over HTTP, read, and its main image fetched after it.
pub(crate) struct HttpTaken {
    pub fetched: exhibit_capture::Fetched,
    /// What the extractor read off the page; `None` when it has not run yet.
    pub extraction: Option<Option<exhibit_extract::Extraction>>,
    pub image: Option<MainImage>,
}

/// What a batch's captures are committed with: who took them, on what, and the thread
/// that stores them.
pub(crate) struct Committer {
    pub collector: Collector,
    pub environment: exhibit_domain::Environment,
    /// The batch's writer thread; `None` stores on the calling thread.
    pub writer: Option<Writer>,
}

/// Fetches a page, reads it on a blocking thread, and fetches the main image a page
/// judged `ok` names.
async fn take_http(fetcher: &Fetcher, url: &str) -> HttpTaken {
    let fetched = Arc::new(fetcher.fetch(url).await);
    let extraction = tokio::task::spawn_blocking({
        let fetched = Arc::clone(&fetched);
        move || extract_fetched(&fetched)
    })
    .await
    .ok();
    let fetched = Arc::try_unwrap(fetched).unwrap_or_else(|shared| (*shared).clone());
    let image = match extraction
        .as_ref()
        .and_then(|x| main_image::wanted(&fetched, x.as_ref()))
    {
        Some(image_url) => Some(main_image::fetch(fetcher, &image_url, "").await),
        None => None,
    };
    HttpTaken {
        fetched,
        extraction,
        image,
    }
}

/// The thing that takes captures in this batch.
#[derive(Clone)]
enum Taker {
    Http(Fetcher),
    /// The browser, and the fetcher for main images the page did not load.
    Browser(Box<BrowserSlot>, Fetcher),
}

impl Taker {
    async fn take(&self, url: &str) -> Taken {
        match self {
            Taker::Http(f) => Taken::Http(Box::new(take_http(f, url).await)),
            Taker::Browser(slot, fetcher) => {
                // Refuse what HTTP mode refuses, before a browser sees it.
                if let Err(e) = exhibit_capture::parse_capture_url(url) {
                    return Taken::BrowserRefused(Box::new(exhibit_capture::Fetched::refused(
                        url, e,
                    )));
                }
                let begun = std::time::Instant::now();
                let browser = match slot.get().await {
                    Ok(b) => b,
                    Err(e) => {
                        return Taken::BrowserRefused(Box::new(exhibit_capture::Fetched::refused(
                            url,
                            exhibit_capture::FetchError {
                                kind: exhibit_capture::FetchErrorKind::Network,
                                message: format!("The browser could not be started: {e}"),
                            },
                        )));
                    }
                };
                timing(url, "browser ready", begun);
                let begun = std::time::Instant::now();
                let mut capture = browser.capture(url).await;
                if capture.error.is_some() && !browser.is_alive() {
                    capture.notes.push(
                        "Chromium stopped during this capture; Exhibit restarted it for the rest of the batch.".into(),
                    );
                }
                let image = main_image::for_browser(&mut capture, fetcher).await;
                timing(url, "take", begun);
                Taken::Browser(Box::new(capture), image)
            }
        }
    }
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            fetch: FetchOptions::default(),
            concurrency: 8,
            mode: CaptureMode::Http,
            cancel: None,
            tsa: None,
        }
    }
}

/// What happened to one URL.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
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
    /// The trusted time it got, when authorities were asked; `None` when none was
    /// configured or it could not be saved.
    pub trusted_time: Option<TrustedTime>,
}

/// Progress of a batch, as it happens.
#[derive(Debug, Clone)]
pub enum BatchEvent {
    /// A URL's capture has begun.
    Started { index: usize, url: String },
    /// A URL's capture has been committed (or could not be saved).
    Finished(CaptureOutcome),
    /// The batch was cancelled before this URL started; nothing was recorded for it.
    Cancelled { index: usize, url: String },
}

/// How one URL of a batch ended.
enum Done {
    Captured(CaptureOutcome),
    Cancelled { index: usize, url: String },
}

/// The end of a batch.
#[derive(Debug, Clone, Default, serde::Serialize, ts_rs::TS)]
pub struct BatchSummary {
    pub total: usize,
    pub ok: usize,
    pub blocked: usize,
    pub removed: usize,
    pub failed: usize,
    /// URLs whose capture could not be saved in the case (disk full, say).
    pub unsaved: usize,
    /// URLs not started because the batch was cancelled.
    pub cancelled: usize,
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
        self.failed == 0 && self.unsaved == 0 && self.cancelled == 0
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
        progress: impl FnMut(&BatchEvent),
    ) -> Result<BatchSummary> {
        let targets = urls
            .into_iter()
            .map(|url| Target { url, context: None })
            .collect();
        self.capture_targets(targets, options, progress)
    }

    /// [`Case::capture_urls`] for URLs Exhibit chose, each recording why it was taken.
    pub(crate) fn capture_targets(
        &self,
        targets: Vec<Target>,
        options: BatchOptions,
        mut progress: impl FnMut(&BatchEvent),
    ) -> Result<BatchSummary> {
        self.ensure_writable()?;
        let started = std::time::Instant::now();
        let mut fetch = options.fetch;
        fetch.concurrency_hint = options.concurrency.max(1);
        let fetcher = Fetcher::new(fetch).map_err(|e| Error::Input(e.0))?;
        let environment = environment(fetcher.options());
        let taker = match &options.mode {
            CaptureMode::Http => Taker::Http(fetcher),
            CaptureMode::Browser(settings) => Taker::Browser(
                Box::new(BrowserSlot::new(self, settings, fetcher.options())?),
                fetcher,
            ),
        };
        let committer =
            Arc::new(Committer {
                collector: self.collector()?.unwrap_or_default(),
                environment,
                writer: Some(Writer::start().map_err(|e| {
                    Error::Internal(format!("could not start the case's writer: {e}"))
                })?),
            });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(options.concurrency.clamp(2, 32))
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("could not start the network runtime: {e}")))?;
        let mut summary = BatchSummary {
            total: targets.len(),
            ..BatchSummary::default()
        };
        let cancel = options.cancel.clone();
        let tsa = options.tsa.clone();
        let (started_tx, mut started_rx) =
            tokio::sync::mpsc::unbounded_channel::<(usize, String)>();
        // `concurrency` bounds the captures being taken (connections, tabs). A capture
        // gives its slot back as soon as it has what it fetched (in browser mode, its
        // tab), and is judged and committed (extraction or the screenshot's JPEG print,
        // SQLCipher) while the next page loads; as many again may wait for their commit,
        // so that a commit waiting on the disk does not leave the network idle.
        let taking = options.concurrency.max(1);
        let in_flight = taking * 2;
        let slots = Arc::new(tokio::sync::Semaphore::new(taking));
        runtime.block_on(async {
            let mut results = futures_util::stream::iter(targets.into_iter().enumerate())
                .map(|(index, Target { url, context })| {
                    let taker = taker.clone();
                    let case = self.clone();
                    let committer = Arc::clone(&committer);
                    let cancel = cancel.clone();
                    let tsa = tsa.clone();
                    let started_tx = started_tx.clone();
                    let slots = Arc::clone(&slots);
                    async move {
                        // The semaphore is fair: URLs start in the order given.
                        let slot = slots.acquire_owned().await;
                        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                            return Done::Cancelled { index, url };
                        }
                        let _ = started_tx.send((index, url.clone()));
                        let taken = taker.take(&url).await;
                        drop(slot);
                        let begun = std::time::Instant::now();
                        let committed = tokio::task::spawn_blocking({
                            let url = url.clone();
                            let case = case.clone();
                            move || case.commit_taken(index, url, taken, context, &committer)
                        })
                        .await;
                        timing(&url, "commit", begun);
                        let mut outcome = committed.unwrap_or_else(|e| CaptureOutcome {
                            index,
                            url,
                            capture_id: None,
                            status: CaptureStatus::Failed,
                            http_status: None,
                            title: None,
                            error: Some(format!(
                                "Exhibit hit an internal problem while saving this capture: {e}."
                            )),
                            trusted_time: None,
                        });
                        // Committed first, stamped after: no authority can cost a capture.
                        if let (Some(tsa), Some(id)) = (&tsa, outcome.capture_id) {
                            outcome.trusted_time =
                                Some(case.stamp_capture(id, tsa).await.unwrap_or_else(|e| {
                                    TrustedTime::Missing {
                                        reason: format!(
                                            "The trusted time could not be saved in the case: {e}"
                                        ),
                                    }
                                }));
                        }
                        Done::Captured(outcome)
                    }
                })
                .buffer_unordered(in_flight);
            loop {
                tokio::select! {
                    biased;
                    Some((index, url)) = started_rx.recv() => {
                        progress(&BatchEvent::Started { index, url });
                    }
                    next = results.next() => match next {
                        Some(done) => {
                            // A URL's start is always reported before its end.
                            while let Ok((index, url)) = started_rx.try_recv() {
                                progress(&BatchEvent::Started { index, url });
                            }
                            match done {
                                Done::Captured(outcome) => {
                                    summary.count(&outcome);
                                    progress(&BatchEvent::Finished(outcome));
                                }
                                Done::Cancelled { index, url } => {
                                    summary.cancelled += 1;
                                    progress(&BatchEvent::Cancelled { index, url });
                                }
                            }
                        }
                        None => break,
                    },
                }
            }
            if let Taker::Browser(slot, _) = &taker {
                slot.close().await;
            }
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
        summary.elapsed_ms = started.elapsed().as_millis();
        Ok(summary)
    }

    /// Commits what a capture took: assembles the record and its artifacts, hashes the
    /// main image for relisting, and stores them all in one transaction.
    pub(crate) fn commit_taken(
        &self,
        index: usize,
        url: String,
        taken: Taken,
        context: Option<CaptureContext>,
        committer: &Committer,
    ) -> CaptureOutcome {
        let Committer {
            collector,
            environment,
            writer,
        } = committer;
        let (mut record, artifacts) = match taken {
            Taken::Http(taken) => {
                let HttpTaken {
                    fetched,
                    extraction,
                    image,
                } = *taken;
                let (mut record, mut artifacts) = match extraction {
                    Some(x) => assemble_extracted(fetched, x, collector, environment),
                    None => assemble(fetched, collector, environment),
                };
                if let Some(image) = image {
                    main_image::attach(&mut record, &mut artifacts, image);
                }
                (record, artifacts)
            }
            Taken::BrowserRefused(fetched) => {
                let (mut record, artifacts) = assemble(*fetched, collector, environment);
                record.mode = "browser".into();
                (record, artifacts)
            }
            Taken::Browser(capture, image) => {
                let begun = std::time::Instant::now();
                let (mut record, mut artifacts) =
                    assemble_browser(*capture, collector, environment);
                if let Some(image) = image {
                    main_image::attach(&mut record, &mut artifacts, image);
                }
                timing(&url, "judge and extract", begun);
                let begun = std::time::Instant::now();
                artifacts.extend(print_screenshot(&artifacts));
                timing(&url, "print screenshot", begun);
                (record, artifacts)
            }
        };
        record.context = context;
        let begun = std::time::Instant::now();
        let prepared = Prepared::new(artifacts);
        timing(&url, "image hash and compression", begun);
        let mut outcome = CaptureOutcome {
            index,
            url,
            capture_id: None,
            status: record.status,
            http_status: record.http_status,
            title: record.facts.title.clone(),
            error: record.error.clone(),
            trusted_time: None,
        };
        let begun = std::time::Instant::now();
        let case = self.clone();
        let store = move || {
            case.add_capture_prepared(&record, &prepared)
                .map_err(|e| e.to_string())
        };
        let saved = match writer {
            Some(writer) => writer.run(store).unwrap_or_else(|| {
                Err("Exhibit's thread that writes to the case stopped (an internal problem); the captures reported before this one are kept".into())
            }),
            None => store(),
        };
        timing(&outcome.url, "store", begun);
        match saved {
            Ok(id) => outcome.capture_id = Some(id),
            Err(e) => {
                outcome.status = CaptureStatus::Failed;
                outcome.error = Some(format!("The capture could not be saved in the case: {e}"));
            }
        }
        outcome
    }
}

/// Reports one step's time under `exhibit::timing` (see exhibit-browser's timing module):
/// `EXHIBIT_LOG=exhibit::timing=debug` prints where a batch's time goes, on stderr.
fn timing(url: &str, step: &'static str, since: std::time::Instant) {
    tracing::debug!(
        target: "exhibit::timing",
        step,
        ms = since.elapsed().as_secs_f64() * 1000.0,
        url,
    );
}

/// The screenshot as packets print it, made now so that exports copy it
/// ([`exhibit_domain::artifact_kind::SCREENSHOT_PRINT`]); `None` when there is no
/// screenshot or it does not decode (the export then says so where it would print).
fn print_screenshot(
    artifacts: &[exhibit_domain::NewArtifact],
) -> Option<exhibit_domain::NewArtifact> {
    let shot = artifacts
        .iter()
        .find(|a| a.kind() == exhibit_browser::artifact_kind::SCREENSHOT)?;
    match exhibit_pdf::print_picture(shot.bytes()) {
        Ok(printed) => Some(exhibit_domain::NewArtifact::new(
            exhibit_domain::artifact_kind::SCREENSHOT_PRINT,
            "image/jpeg",
            printed.jpeg,
        )),
        Err(reason) => {
            tracing::debug!("the screenshot was not printed ahead: {reason}");
            None
        }
    }
}
