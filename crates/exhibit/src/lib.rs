//! The Exhibit facade: the one API that the CLI and the desktop shell call.
//!
//! [`Case`] is an open case file. Its methods each do one user-level job (capture a
//! batch of URLs, verify, export an artifact, change the passphrase) by combining the
//! store (`exhibit-store`), the fetcher (`exhibit-capture`) and the extractor
//! (`exhibit-extract`). Front ends map arguments in and [`Error`]s out, and hold no
//! business logic of their own. Errors carry a stable [`Error::code`] so a UI branches on
//! codes, never on message text.

mod app;
mod batch;
mod browsing;
mod campaign;
mod defendants;
mod discover;
mod export;
mod history;
mod inputs;
mod judge;
mod main_image;
mod packet;
mod perceptual;
mod purchases;
mod recapture;
mod relisting;
pub mod rules;
mod schedule_a;
mod session;
mod test_buy;
mod trusted_time;
mod view;
mod wacz;
mod writer;

pub use app::{
    Attachment, CapturePage, CaptureQuery, CustodyStatus, GalleryItem, MAX_ATTACHMENT_BYTES,
    Strength, passphrase_strength,
};
pub use batch::{BatchEvent, BatchOptions, BatchSummary, CaptureMode, CaptureOutcome};
pub use browsing::{BrowserSettings, data_dir};
pub use campaign::{
    Change, Counts, Deadline, FiledListingView, FilingRequest, FilingView, GoodFaith, HistoryEntry,
    ListingFiling, ListingHistory, ListingView, OutcomeRequest, RepeatSeller, STAY_DOWN_DAYS,
    SellerView, Stats,
};
pub use defendants::DefendantView;
pub use discover::{DiscoveredListing, Discovery};
pub use exhibit_capture::{FetchOptions, ResolveOverride};
pub use exhibit_defendants::{Defendant, Gap, Pair};
pub use exhibit_domain::campaign::Outcome;
pub use exhibit_domain::{
    ArtifactSummary, Capture, CaptureRecord, CaptureStatus, Collector, CustodyEvent, Digest,
    IpRight, IpRightKind, NewArtifact, Party, PartyRole, sha256, snap_request,
};
pub use exhibit_store::{
    ItemCustodyRow, LATEST_VERSION, OutcomeRow, Passphrase, Problem, PurchaseFileRow, PurchaseRow,
    PurchaseUpdateRow, StoreError, VerdictRow, VerifyReport,
};
pub use exhibit_venues::{ComplaintFile, Issue, Severity};
pub use exhibit_warc::WarcError;
pub use history::{Timeline, Week};
pub use purchases::{
    ItemCustodyRequest, MAX_PURCHASE_FILE_BYTES, PURCHASE_FILE_KINDS, PurchaseRequest,
    PurchaseUpdateRequest, PurchaseView, VERDICTS, VerdictRequest,
};
pub use recapture::{
    RecaptureMode, RecaptureOptions, RecaptureResult, RecaptureSelection, RecaptureSummary,
    SaidRemoved,
};
pub use relisting::{
    Candidate, DEFAULT_IMAGE_THRESHOLD, IMAGE_HASH_ALGORITHM, Reason, Relistings, image_hash,
    normalise_title,
};
pub use schedule_a::SchedulePreview;
// What an imported capture records of its web archive and that archive's signature.
pub use exhibit_domain::{ArchiveSignature, ArchiveSource};
pub use export::{
    BundleCheck, BundleProblemView, ComplaintCheck, ExportOptions, ExportReport, ExportStep,
    ExportTarget, verify_bundle,
};
pub use inputs::{MAX_URL_LIST_BYTES, read_url_list};
pub use session::BrowseSession;
pub use trusted_time::{DEFAULT_TSAS, PreparedTsa, TimestampSummary, TrustedTime, TsaSettings};
pub use view::{CaptureDetail, CaptureView};
pub use wacz::{ImportReport, ImportedCapture, SkippedCapture, WaczReport};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use exhibit_domain::CustodyEventKind;
use exhibit_store::Store;

/// Everything a front end can be told went wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The case file could not be opened or used.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The user's input (a URL list, an option) is not usable.
    #[error("{0}")]
    Input(String),
    /// Writing an output file failed.
    #[error("Could not write {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// No usable browser, or it would not start.
    #[error("{message}")]
    Browser { code: &'static str, message: String },
    /// The complaint does not meet the venue's rules; each issue names the field and
    /// what to do.
    #[error("{}", complaint_message(.0))]
    Complaint(Vec<exhibit_venues::Issue>),
    /// The packet could not be laid out (no font for the text, say).
    #[error("{message}")]
    Render { code: &'static str, message: String },
    /// A bundle could not be read at all.
    #[error("{message}")]
    Bundle { code: &'static str, message: String },
    /// A WACZ web archive could not be written, or a WACZ to import was refused (damaged,
    /// altered, hostile or not a WACZ); nothing of a refused file was imported.
    #[error(transparent)]
    Archive(Box<exhibit_warc::WarcError>),
    /// The user cancelled the work; everything committed before it is kept.
    #[error("Cancelled. Everything finished before you cancelled is kept.")]
    Cancelled,
    /// Something inside Exhibit failed that should not have.
    #[error("Exhibit hit an internal problem: {0}. Nothing already stored was lost.")]
    Internal(String),
}

fn complaint_message(issues: &[exhibit_venues::Issue]) -> String {
    let mut s = format!(
        "The complaint is not ready to file ({} problem{} to fix):",
        issues.len(),
        if issues.len() == 1 { "" } else { "s" }
    );
    for i in issues {
        s.push_str(&format!("\n  - {} ({})", i.message, i.field));
    }
    s
}

impl Error {
    /// A stable code for front ends.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Store(e) => e.code(),
            Error::Input(_) => "bad_input",
            Error::Output { .. } => "output",
            Error::Browser { code, .. } => code,
            Error::Complaint(_) => "complaint_invalid",
            Error::Render { code, .. } => code,
            Error::Bundle { code, .. } => code,
            Error::Archive(e) => e.code(),
            Error::Cancelled => "cancelled",
            Error::Internal(_) => "internal",
        }
    }

    /// Whether the case could not be opened at all (wrong passphrase, locked, …).
    pub fn is_open_failure(&self) -> bool {
        matches!(self, Error::Store(e) if e.is_open_failure())
    }

    /// Whether the user asked for something that is not there or not valid: a usage
    /// error rather than a failure of the work itself.
    pub fn is_usage_error(&self) -> bool {
        matches!(
            self,
            Error::Input(_)
                | Error::Browser { .. }
                | Error::Complaint(_)
                | Error::Bundle { .. }
                | Error::Store(
                    StoreError::NoSuchCapture(_)
                        | StoreError::NoSuchListing(_)
                        | StoreError::NoSuchArtifact { .. }
                        | StoreError::NoSuchPurchase(_)
                        | StoreError::VerdictGiven(_),
                )
        ) || matches!(self, Error::Archive(e) if wacz::is_refusal(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An open, unlocked case.
#[derive(Debug, Clone)]
pub struct Case {
    store: Arc<Mutex<Store>>,
}

impl Case {
    /// Creates a case file. Refuses to overwrite and refuses a weak passphrase.
    pub fn create(
        path: &Path,
        passphrase: &Passphrase,
        title: &str,
        collector: Option<&Collector>,
    ) -> Result<Case> {
        let mut store = Store::create(path, passphrase, title)?;
        if let Some(c) = collector {
            store.set_collector(c)?;
        }
        Ok(Case {
            store: Arc::new(Mutex::new(store)),
        })
    }

    /// Opens and unlocks a case file.
    pub fn open(path: &Path, passphrase: &Passphrase) -> Result<Case> {
        Ok(Case {
            store: Arc::new(Mutex::new(Store::open(path, passphrase)?)),
        })
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions
        // roll back), so a poisoned lock is safe to keep using.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn title(&self) -> Result<String> {
        Ok(self.store().title()?)
    }

    pub fn collector(&self) -> Result<Option<Collector>> {
        Ok(self.store().collector()?)
    }

    pub fn set_collector(&self, c: &Collector) -> Result<()> {
        Ok(self.store().set_collector(c)?)
    }

    pub fn captures(&self) -> Result<Vec<Capture>> {
        Ok(self.store().captures()?)
    }

    pub fn capture(&self, id: i64) -> Result<Capture> {
        Ok(self.store().capture(id)?)
    }

    /// Up to `limit` captures, oldest first, after the first `offset`: a page of
    /// [`Case::captures`] that costs the same in a case of ten or ten thousand.
    pub fn capture_range(&self, offset: u64, limit: u64) -> Result<Vec<Capture>> {
        Ok(self.store().capture_range(offset, limit)?)
    }

    /// Writes one artifact to `out`, checking it against its hash on the way. If the
    /// bytes no longer match, the file is removed and the error says so.
    pub fn export_artifact(
        &self,
        capture_id: i64,
        kind: &str,
        out: &Path,
    ) -> Result<ArtifactSummary> {
        let store = self.store();
        // Check both exist before creating the output file.
        let capture = store.capture(capture_id)?;
        if !capture.artifacts.iter().any(|a| a.kind == kind) {
            let known: Vec<_> = capture.artifacts.iter().map(|a| a.kind.as_str()).collect();
            return Err(Error::Input(format!(
                "Capture {capture_id} has no '{kind}' artifact; it has: {}.",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        }
        let output_error = |source| Error::Output {
            path: out.to_owned(),
            source,
        };
        let mut file = std::fs::File::create(out).map_err(output_error)?;
        let written = store.write_artifact(capture_id, kind, &mut file);
        let synced = file.sync_all();
        match (written, synced) {
            (Ok(summary), Ok(())) => {
                drop(store);
                Ok(summary)
            }
            (Err(e), _) => {
                let _ = std::fs::remove_file(out);
                Err(match e {
                    StoreError::Io { source, .. } => output_error(source),
                    other => other.into(),
                })
            }
            (Ok(_), Err(e)) => {
                let _ = std::fs::remove_file(out);
                Err(output_error(e))
            }
        }
    }

    /// Re-hashes every stored byte and walks the custody chain, then records that a
    /// verification ran (when the case can still be written). `every_page` adds a scan
    /// of every page of the file, including pages that hold no evidence.
    pub fn verify(&self, every_page: bool) -> Result<VerifyReport> {
        let mut store = self.store();
        let report = store.verify(every_page)?;
        let _ = store.record_event(
            CustodyEventKind::VerificationRun,
            &serde_json::json!({
                "ok": report.ok,
                "problems": report.problems.len(),
                "artifacts_checked": report.artifacts_checked,
                "bytes_checked": report.bytes_checked,
                "every_page": every_page,
                "head_before": report.custody_head,
            }),
        );
        Ok(report)
    }

    pub fn custody_log(&self) -> Result<Vec<CustodyEvent>> {
        Ok(self.store().custody_log()?)
    }

    /// Changes the passphrase; the old one stops working at once.
    pub fn change_passphrase(&self, new: &Passphrase) -> Result<()> {
        self.ensure_writable()?;
        Ok(self.store().change_passphrase(new)?)
    }

    /// Refuses at once, before any work starts, when the case was opened from a medium
    /// that cannot be written (it opens for reading and verifying only).
    pub fn ensure_writable(&self) -> Result<()> {
        Ok(self.store().ensure_writable()?)
    }

    /// Whether the case was opened from a medium that cannot be written.
    pub fn is_read_only(&self) -> bool {
        self.store().is_read_only()
    }
}
