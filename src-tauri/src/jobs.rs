//! The long jobs: a capture batch (of URLs, or of the listings a store or search page
//! links to), a recapture of reported listings and an export. Each
//! runs on its own thread (never the main one), reports progress as events, and stops
//! early when its cancel flag is set; the facade checks the flag, and whatever was
//! committed before stays committed.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use exhibit::{
    BatchEvent, BatchOptions, BatchSummary, Case, ComplaintFile, Discovery, ExportReport,
    RecaptureOptions, RecaptureResult, RecaptureSummary,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime};

use crate::error::CmdError;
use crate::state::AppState;

pub const CAPTURE_PROGRESS: &str = "capture-progress";
pub const CAPTURE_DONE: &str = "capture-done";
pub const EXPORT_PROGRESS: &str = "export-progress";
pub const EXPORT_DONE: &str = "export-done";
pub const RECAPTURE_PROGRESS: &str = "recapture-progress";
pub const RECAPTURE_RESULT: &str = "recapture-result";
pub const RECAPTURE_DONE: &str = "recapture-done";

/// `capture-progress`: one URL of a batch changed state.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaptureProgress {
    pub batch_id: u64,
    pub index: usize,
    pub url: String,
    /// `capturing`, `ok`, `blocked`, `removed`, `failed` or `cancelled`.
    #[ts(type = "ProgressState")]
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub capture_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub title: Option<String>,
    /// Why it is not `ok`, in one sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
}

impl CaptureProgress {
    fn from_event(batch_id: u64, event: &BatchEvent) -> CaptureProgress {
        let plain = |index: usize, url: &str, state| CaptureProgress {
            batch_id,
            index,
            url: url.to_owned(),
            state,
            capture_id: None,
            title: None,
            reason: None,
        };
        match event {
            BatchEvent::Started { index, url } => plain(*index, url, "capturing"),
            BatchEvent::Cancelled { index, url } => plain(*index, url, "cancelled"),
            BatchEvent::Finished(o) => CaptureProgress {
                batch_id,
                index: o.index,
                url: o.url.clone(),
                state: o.status.as_str(),
                capture_id: o.capture_id,
                title: o.title.clone(),
                reason: o.error.clone(),
            },
        }
    }
}

/// `capture-done`: the batch ended.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaptureDone {
    pub batch_id: u64,
    pub summary: BatchSummary,
    /// Whether the user cancelled it.
    pub cancelled: bool,
    /// Set only when the batch could not run at all (no browser found, say); then no
    /// URL was captured.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<CmdError>,
}

/// `recapture-progress`: one listing's capture changed state (as `capture-progress`;
/// `index` counts within the listings taken in one mode, so the URL is what names it).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RecaptureProgress {
    pub job_id: u64,
    pub index: usize,
    pub url: String,
    /// `capturing`, `ok`, `blocked`, `removed`, `failed` or `cancelled`.
    #[ts(type = "ProgressState")]
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub capture_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
}

impl RecaptureProgress {
    fn from_event(job_id: u64, event: &BatchEvent) -> RecaptureProgress {
        let p = CaptureProgress::from_event(job_id, event);
        RecaptureProgress {
            job_id,
            index: p.index,
            url: p.url,
            state: p.state,
            capture_id: p.capture_id,
            reason: p.reason,
        }
    }
}

/// `recapture-result`: what became of one listing (the facade's `RecaptureResult`).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RecaptureResultEvent {
    pub job_id: u64,
    pub result: RecaptureResult,
}

/// `recapture-done`: the recapture ended, with every listing's result.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RecaptureDone {
    pub job_id: u64,
    pub summary: RecaptureSummary,
    pub results: Vec<RecaptureResult>,
    /// Whether the user cancelled it.
    pub cancelled: bool,
    /// Set only when it could not run at all (no filing yet, no browser found); then no
    /// listing was captured.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<CmdError>,
}

/// `export-progress`: one step of an export.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportProgress {
    pub job_id: u64,
    pub step: String,
    pub done: usize,
    pub total: usize,
}

/// `export-done`: the export ended, with its report or its error (`cancelled` when the
/// user cancelled it).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportDone {
    pub job_id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub report: Option<ExportReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<CmdError>,
}

fn emit<R: Runtime, T: Serialize + Clone>(app: &AppHandle<R>, event: &str, payload: T) {
    if let Err(e) = app.emit(event, payload) {
        tracing::warn!("could not send the {event} event: {e}");
    }
}

/// Runs a capture batch on its own thread.
pub fn spawn_capture<R: Runtime>(
    app: AppHandle<R>,
    state: AppState,
    case: Case,
    batch_id: u64,
    urls: Vec<String>,
    options: BatchOptions,
    cancel: Arc<AtomicBool>,
) -> std::io::Result<()> {
    let total = urls.len();
    spawn_batch(
        app,
        state,
        case,
        batch_id,
        total,
        cancel,
        move |case, progress| case.capture_urls(urls, options, progress),
    )
}

/// Runs the batch that captures the listings a store or search page links to and the case
/// lacks (`Case::capture_discovered`), reporting as any capture batch does.
pub fn spawn_capture_discovered<R: Runtime>(
    app: AppHandle<R>,
    state: AppState,
    case: Case,
    batch_id: u64,
    found: Discovery,
    options: BatchOptions,
    cancel: Arc<AtomicBool>,
) -> std::io::Result<()> {
    let total = found.new_listings().count();
    spawn_batch(
        app,
        state,
        case,
        batch_id,
        total,
        cancel,
        move |case, progress| case.capture_discovered(&found, options, progress),
    )
}

/// One capture batch on its own thread: `run` takes the captures, each event becomes a
/// `capture-progress`, and its end a `capture-done`.
fn spawn_batch<R: Runtime>(
    app: AppHandle<R>,
    state: AppState,
    case: Case,
    batch_id: u64,
    total: usize,
    cancel: Arc<AtomicBool>,
    run: impl FnOnce(&Case, &mut dyn FnMut(&BatchEvent)) -> exhibit::Result<BatchSummary>
    + Send
    + 'static,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(format!("exhibit-capture-{batch_id}"))
        .spawn(move || {
            let result = run(&case, &mut |event| {
                emit(
                    &app,
                    CAPTURE_PROGRESS,
                    CaptureProgress::from_event(batch_id, event),
                );
            });
            let cancelled = cancel.load(std::sync::atomic::Ordering::Relaxed);
            let done = match result {
                Ok(summary) => CaptureDone {
                    batch_id,
                    cancelled: cancelled || summary.cancelled > 0,
                    summary,
                    error: None,
                },
                Err(e) => CaptureDone {
                    batch_id,
                    summary: BatchSummary {
                        total,
                        ..BatchSummary::default()
                    },
                    cancelled,
                    error: Some(e.into()),
                },
            };
            // Let go of the case before saying so: the UI may close and reopen it at once,
            // and the case file is locked while any handle to it lives.
            drop(case);
            // Free the slot before saying so, so the UI may start the next job at once.
            state.finish_job(batch_id);
            emit(&app, CAPTURE_DONE, done);
        })
        .map(drop)
}

/// Runs a recapture on its own thread.
pub fn spawn_recapture<R: Runtime>(
    app: AppHandle<R>,
    state: AppState,
    case: Case,
    job_id: u64,
    options: RecaptureOptions,
    cancel: Arc<AtomicBool>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(format!("exhibit-recapture-{job_id}"))
        .spawn(move || {
            let result = case.recapture(
                options,
                |event| {
                    emit(
                        &app,
                        RECAPTURE_PROGRESS,
                        RecaptureProgress::from_event(job_id, event),
                    );
                },
                |r| {
                    emit(
                        &app,
                        RECAPTURE_RESULT,
                        RecaptureResultEvent {
                            job_id,
                            result: r.clone(),
                        },
                    );
                },
            );
            let cancelled = cancel.load(std::sync::atomic::Ordering::Relaxed);
            let done = match result {
                Ok((summary, results)) => RecaptureDone {
                    job_id,
                    cancelled: cancelled || summary.cancelled > 0,
                    summary,
                    results,
                    error: None,
                },
                Err(e) => RecaptureDone {
                    job_id,
                    summary: RecaptureSummary::default(),
                    results: Vec::new(),
                    cancelled,
                    error: Some(e.into()),
                },
            };
            // As for a batch: no handle to the case outlives the job's end, and the slot
            // is free before the UI hears of it.
            drop(case);
            state.finish_job(job_id);
            emit(&app, RECAPTURE_DONE, done);
        })
        .map(drop)
}

/// What to export and where.
#[derive(Debug)]
pub struct ExportJob {
    pub draft: ComplaintFile,
    pub out_dir: PathBuf,
    pub bates_prefix: Option<String>,
    /// Time-stamp authorities for the manifest's trusted time, from the settings.
    pub tsa: Option<Arc<exhibit::PreparedTsa>>,
}

/// Runs an export on its own thread.
pub fn spawn_export<R: Runtime>(
    app: AppHandle<R>,
    state: AppState,
    case: Case,
    job_id: u64,
    job: ExportJob,
    cancel: Arc<AtomicBool>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(format!("exhibit-export-{job_id}"))
        .spawn(move || {
            let target = exhibit::ExportTarget {
                out_dir: job.out_dir,
                bates_prefix: job.bates_prefix,
                time: chrono::Utc::now(),
                tsa: job.tsa,
            };
            let mut progress = |s: &exhibit::ExportStep| {
                emit(
                    &app,
                    EXPORT_PROGRESS,
                    ExportProgress {
                        job_id,
                        step: s.step.clone(),
                        done: s.done,
                        total: s.total,
                    },
                );
            };
            let result = case.export_draft(&job.draft, &target, &mut progress, &cancel);
            let done = match result {
                Ok(report) => {
                    state.add_exported(&report.packet, &report.bundle);
                    state.add_exported_files(
                        [
                            &report.filing_sheet,
                            &report.schedule_a_csv,
                            &report.joinder_report,
                            &report.test_buy_report,
                        ]
                        .into_iter()
                        .flatten()
                        .map(PathBuf::as_path),
                    );
                    ExportDone {
                        job_id,
                        report: Some(report),
                        error: None,
                    }
                }
                Err(e) => ExportDone {
                    job_id,
                    report: None,
                    error: Some(e.into()),
                },
            };
            // As for a batch: no handle to the case outlives the job's end.
            drop(case);
            state.finish_job(job_id);
            emit(&app, EXPORT_DONE, done);
        })
        .map(drop)
}
