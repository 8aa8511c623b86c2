//! The commands the web UI invokes, exactly as `docs/APP-API.md` lists them.
//!
//! Each maps its arguments, makes one call into the `exhibit` facade on a blocking
//! thread (never the main thread, which draws the window), and maps the error to
//! `{ code, message }`. Structured arguments arrive as JSON values and are read here, so
//! a malformed one rejects with `bad_input` in that same shape. No business logic lives
//! here; the few checks the shell owns (a case is open, one job at a time, the capture
//! browser is open, the packet was exported by this run, the file was chosen by the
//! user) are its own error codes.
//!
//! **Files.** A command never reads or writes a path only because the webview named it:
//! `choose_path` opens the native dialog in the backend and remembers the answer, and
//! each command that takes a path refuses one the user did not choose for that use with
//! `path_not_chosen` (see `chosen.rs`).

use std::path::{Path, PathBuf};

use exhibit::{
    Attachment, BatchOptions, BrowserSettings, BundleCheck, Candidate, CaptureDetail, CaptureMode,
    CaptureOutcome, CapturePage, CaptureQuery, Case, Collector, ComplaintCheck, ComplaintFile,
    CustodyStatus, DEFAULT_IMAGE_THRESHOLD, DefendantView, Discovery, FetchOptions, FilingRequest,
    FilingView, ItemCustodyRequest, ListingHistory, ListingView, OutcomeRequest, Passphrase,
    PurchaseRequest, PurchaseUpdateRequest, PurchaseView, RecaptureMode, RecaptureOptions,
    RecaptureSelection, Relistings, SellerView, Stats, Strength, Timeline, VerdictRequest,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State, WebviewWindow};

use crate::chosen::{self, Purpose};
use crate::error::{CmdError, CmdResult, codes, from_arg};
use crate::jobs::{self, ExportJob};
use crate::prefs::{CaptureModeSetting, RecentCase, Settings};
use crate::state::{AppState, JobKind, OpenCase};

/// Runs `f` on Tauri's blocking pool and waits for it without blocking the caller.
async fn blocking<T, F>(f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> CmdResult<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| CmdError::internal(format!("a background task failed ({e})")))?
}

/// What the app shows about the open case.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaseInfo {
    pub path: String,
    pub title: String,
    pub captures: i64,
    pub collector: Option<Collector>,
}

fn case_info_of(open: &OpenCase) -> CmdResult<CaseInfo> {
    Ok(CaseInfo {
        path: open.path.to_string_lossy().into_owned(),
        title: open.case.title()?,
        captures: open.case.capture_count()?,
        collector: open.case.collector()?,
    })
}

/// After a case is opened or created: it becomes the app's case, and joins the recent list.
fn adopt(state: &AppState, case: Case, path: PathBuf) -> CmdResult<CaseInfo> {
    let open = OpenCase { case, path };
    let info = case_info_of(&open)?;
    state.replace_case(Some(open));
    if let Err(e) = state
        .prefs()
        .remember_case(Path::new(&info.path), &info.title)
    {
        // The case is open all the same; only the start screen's list missed it.
        tracing::warn!("could not update the recent cases: {e}");
    }
    Ok(info)
}

// ---- Files the user chooses ----

/// Opens the native dialog for `purpose` and remembers the answer for the commands that
/// use it; a save dialog suggests `suggested_name` (a file name only). Returns the chosen
/// path (to show, and to name in that command), or `null` when the user cancelled.
#[tauri::command]
pub async fn choose_path<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    purpose: String,
    suggested_name: Option<String>,
) -> CmdResult<Option<String>> {
    let state = state.inner().clone();
    let purpose: Purpose = from_arg("dialog purpose", serde_json::Value::String(purpose))?;
    blocking(move || {
        let Some(path) = chosen::choose(&window, purpose, suggested_name.as_deref())? else {
            return Ok(None);
        };
        state.chosen().remember(purpose, &path);
        Ok(Some(path.to_string_lossy().into_owned()))
    })
    .await
}

/// Opens the native dialog that picks several files for `purpose` (a test purchase's
/// files, or photos from the camera roll) and remembers each: `choose_path` for a dialog
/// that picks several. Returns the chosen paths, or none when the user cancelled.
#[tauri::command]
pub async fn choose_paths<R: Runtime>(
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    purpose: String,
) -> CmdResult<Vec<String>> {
    let state = state.inner().clone();
    let purpose: Purpose = from_arg("dialog purpose", serde_json::Value::String(purpose))?;
    blocking(move || {
        let paths = chosen::choose_many(&window, purpose)?;
        for p in &paths {
            state.chosen().remember(purpose, p);
        }
        Ok(paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect())
    })
    .await
}

// ---- Cases ----

#[tauri::command]
pub async fn recent_cases(state: State<'_, AppState>) -> CmdResult<Vec<RecentCase>> {
    let state = state.inner().clone();
    blocking(move || state.prefs().recent_cases()).await
}

#[tauri::command]
pub async fn passphrase_strength(passphrase: String, inputs: Vec<String>) -> CmdResult<Strength> {
    blocking(move || {
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        Ok(exhibit::passphrase_strength(&passphrase, &inputs))
    })
    .await
}

#[tauri::command]
pub async fn create_case(
    state: State<'_, AppState>,
    path: String,
    title: String,
    passphrase: String,
    collector: serde_json::Value,
) -> CmdResult<CaseInfo> {
    let state = state.inner().clone();
    let collector: Option<Collector> = from_arg("collector", collector)?;
    let passphrase = Passphrase::new(passphrase);
    blocking(move || {
        state.ensure_idle()?;
        let path = state.chosen().require(Purpose::CaseNew, &path)?;
        let case = Case::create(&path, &passphrase, &title, collector.as_ref())?;
        drop(passphrase);
        adopt(&state, case, path)
    })
    .await
}

#[tauri::command]
pub async fn open_case(
    state: State<'_, AppState>,
    path: String,
    passphrase: String,
) -> CmdResult<CaseInfo> {
    let state = state.inner().clone();
    let passphrase = Passphrase::new(passphrase);
    blocking(move || {
        state.ensure_idle()?;
        let path = state.chosen_case(&path)?;
        // Close the current case first: it may be this very file, whose lock this
        // process holds.
        state.replace_case(None);
        let case = Case::open(&path, &passphrase)?;
        drop(passphrase);
        adopt(&state, case, path)
    })
    .await
}

#[tauri::command]
pub async fn close_case(state: State<'_, AppState>) -> CmdResult<()> {
    let state = state.inner().clone();
    blocking(move || {
        state.ensure_idle()?;
        state.replace_case(None);
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn case_info(state: State<'_, AppState>) -> CmdResult<Option<CaseInfo>> {
    let state = state.inner().clone();
    blocking(move || state.open_case().as_ref().map(case_info_of).transpose()).await
}

// ---- Rights and the complaint draft ----

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> CmdResult<Option<ComplaintFile>> {
    let case = state.case()?;
    blocking(move || Ok(case.draft()?)).await
}

#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, draft: serde_json::Value) -> CmdResult<()> {
    let case = state.case()?;
    let draft: ComplaintFile = from_arg("complaint draft", draft)?;
    blocking(move || Ok(case.save_draft(&draft)?)).await
}

#[tauri::command]
pub async fn attach_file(state: State<'_, AppState>, path: String) -> CmdResult<Attachment> {
    let case = state.case()?;
    let path = state.chosen().require(Purpose::Certificate, &path)?;
    blocking(move || Ok(case.attach(&path)?)).await
}

#[tauri::command]
pub async fn attachments(state: State<'_, AppState>) -> CmdResult<Vec<Attachment>> {
    let case = state.case()?;
    blocking(move || Ok(case.attachments()?)).await
}

#[tauri::command]
pub async fn check_draft(
    state: State<'_, AppState>,
    draft: serde_json::Value,
) -> CmdResult<ComplaintCheck> {
    let case = state.case()?;
    let draft: ComplaintFile = from_arg("complaint draft", draft)?;
    blocking(move || Ok(case.check_draft(&draft)?)).await
}

// ---- Capture ----

#[tauri::command]
pub async fn read_url_list(state: State<'_, AppState>, path: String) -> CmdResult<Vec<String>> {
    let path = state.chosen().require(Purpose::UrlList, &path)?;
    blocking(move || Ok(exhibit::read_url_list(&path)?)).await
}

/// `start_capture`'s result.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BatchStarted {
    pub batch_id: u64,
}

/// Whether the visible capture browser is open (or busy snapping): a browser batch
/// shares the case's profile with it, which Chromium opens once at a time.
fn browser_window_open(state: &AppState) -> bool {
    match state.try_browser() {
        Some(slot) => slot.as_ref().is_some_and(|s| s.is_open()),
        None => true,
    }
}

/// A capture batch's options, as the settings give them.
fn batch_options(
    browser: bool,
    concurrency: usize,
    cancel: &std::sync::Arc<std::sync::atomic::AtomicBool>,
    tsa: Option<std::sync::Arc<exhibit::PreparedTsa>>,
) -> BatchOptions {
    BatchOptions {
        fetch: FetchOptions::default(),
        concurrency,
        mode: if browser {
            CaptureMode::Browser(BrowserSettings {
                executable: None,
                visible: false,
            })
        } else {
            CaptureMode::Http
        },
        cancel: Some(cancel.clone()),
        tsa,
    }
}

#[tauri::command]
pub async fn start_capture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    urls: Vec<String>,
    mode: String,
) -> CmdResult<BatchStarted> {
    let state = state.inner().clone();
    let mode: CaptureModeSetting = from_arg("capture mode", serde_json::Value::String(mode))
        .map_err(|_| CmdError::bad_input("The capture mode must be \"browser\" or \"http\"."))?;
    let case = state.case()?;
    let browser = mode == CaptureModeSetting::Browser;
    blocking(move || {
        let settings = state.prefs().settings()?;
        if browser && browser_window_open(&state) {
            return Err(CmdError::busy(
                "The capture browser is open, and a browser batch needs its profile. Close it first.",
            ));
        }
        let tsa = settings.tsa()?;
        let (batch_id, cancel) = state.start_job(JobKind::Capture { browser })?;
        let options = batch_options(browser, settings.concurrency as usize, &cancel, tsa);
        if let Err(e) = jobs::spawn_capture(app, state.clone(), case, batch_id, urls, options, cancel)
        {
            state.finish_job(batch_id);
            return Err(CmdError::internal(format!("could not start the batch ({e})")));
        }
        Ok(BatchStarted { batch_id })
    })
    .await
}

#[tauri::command]
pub fn cancel_capture(state: State<'_, AppState>, batch_id: u64) {
    state.cancel_job(batch_id, false);
}

#[tauri::command]
pub async fn open_browser(state: State<'_, AppState>, urls: Vec<String>) -> CmdResult<()> {
    let state = state.inner().clone();
    let case = state.case()?;
    blocking(move || {
        if state.browser_batch_running() {
            return Err(CmdError::busy(
                "A browser batch is running with this case's browser profile.",
            ));
        }
        let mut slot = state.browser();
        if slot.as_ref().is_some_and(|s| s.is_open()) {
            return Err(CmdError::busy("The capture browser is already open."));
        }
        if let Some(old) = slot.take() {
            old.close();
        }
        let settings = BrowserSettings {
            executable: None,
            visible: true,
        };
        *slot = Some(case.browse(&settings, FetchOptions::default(), &urls)?);
        Ok(())
    })
    .await
}

/// `browser_status`'s result.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BrowserStatus {
    pub open: bool,
    pub snaps: usize,
}

#[tauri::command]
pub async fn browser_status(state: State<'_, AppState>) -> CmdResult<BrowserStatus> {
    let state = state.inner().clone();
    blocking(move || {
        let slot = state.browser();
        Ok(BrowserStatus {
            open: slot.as_ref().is_some_and(|s| s.is_open()),
            snaps: slot.as_ref().map_or(0, |s| s.snaps()),
        })
    })
    .await
}

#[tauri::command]
pub async fn snap_tab(state: State<'_, AppState>) -> CmdResult<CaptureOutcome> {
    let state = state.inner().clone();
    let case = state.case()?;
    blocking(move || {
        let mut slot = state.browser();
        let no_session = || {
            CmdError::new(
                codes::NO_BROWSER_SESSION,
                "The capture browser is not open. Open it, go to the listing, and snap again.",
            )
        };
        if slot.as_ref().is_some_and(|s| !s.is_open()) {
            // The user closed the window: tidy up what is left of it.
            if let Some(old) = slot.take() {
                old.close();
            }
        }
        let session = slot.as_mut().ok_or_else(no_session)?;
        Ok(session.snap(&case))
    })
    .await
}

#[tauri::command]
pub async fn close_browser(state: State<'_, AppState>) -> CmdResult<()> {
    let state = state.inner().clone();
    blocking(move || {
        state.close_browser();
        Ok(())
    })
    .await
}

// ---- Review ----

#[tauri::command]
pub async fn capture_page(
    state: State<'_, AppState>,
    query: serde_json::Value,
) -> CmdResult<CapturePage> {
    let case = state.case()?;
    let query: CaptureQuery = from_arg("gallery query", query)?;
    blocking(move || Ok(case.capture_page(&query)?)).await
}

#[tauri::command]
pub async fn capture_detail(state: State<'_, AppState>, id: i64) -> CmdResult<CaptureDetail> {
    let case = state.case()?;
    blocking(move || Ok(CaptureDetail::from(&case.capture(id)?))).await
}

// ---- Export ----

/// `start_export`'s result.
#[derive(Debug, Clone, Serialize)]
pub struct ExportStarted {
    pub job_id: u64,
}

#[tauri::command]
pub async fn start_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    draft: serde_json::Value,
    out_dir: String,
    bates_prefix: Option<String>,
) -> CmdResult<ExportStarted> {
    let state = state.inner().clone();
    let case = state.case()?;
    let draft: ComplaintFile = from_arg("complaint draft", draft)?;
    let tsa = {
        let state = state.clone();
        blocking(move || state.prefs().settings()?.tsa()).await?
    };
    let job = ExportJob {
        draft,
        out_dir: state.chosen().require(Purpose::ExportFolder, &out_dir)?,
        bates_prefix: bates_prefix.filter(|p| !p.trim().is_empty()),
        tsa,
    };
    let (job_id, cancel) = state.start_job(JobKind::Export)?;
    if let Err(e) = jobs::spawn_export(app, state.clone(), case, job_id, job, cancel) {
        state.finish_job(job_id);
        return Err(CmdError::internal(format!(
            "could not start the export ({e})"
        )));
    }
    Ok(ExportStarted { job_id })
}

#[tauri::command]
pub fn cancel_export(state: State<'_, AppState>, job_id: u64) {
    state.cancel_job(job_id, true);
}

#[tauri::command]
pub async fn packet_bytes(
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<tauri::ipc::Response> {
    let state = state.inner().clone();
    blocking(move || {
        let path = Path::new(&path);
        if !state.was_exported(path) {
            return Err(CmdError::new(
                codes::NOT_EXPORTED,
                "Only a packet this app has just exported can be previewed. Export it again.",
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            CmdError::bad_input(format!(
                "The packet {} could not be read: {e}. Export it again.",
                path.display()
            ))
        })?;
        Ok(tauri::ipc::Response::new(bytes))
    })
    .await
}

/// Shows a packet this run exported, or a file the export wrote beside it (the filing
/// sheet, Schedule A's CSV, the joinder and test-buy reports), in the system's file
/// manager. The web UI cannot name any other path: it has no file-manager permission of
/// its own, so a compromised page cannot probe or reveal the user's folders.
#[tauri::command]
pub async fn reveal_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = PathBuf::from(path);
    if !state.may_reveal(&path) {
        return Err(CmdError::new(
            codes::NOT_EXPORTED,
            "Only a packet or file this app has just exported can be shown in its folder. Export it again.",
        ));
    }
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        CmdError::bad_input(format!(
            "The folder of {} could not be shown ({e}). Open it from the file manager.",
            path.display()
        ))
    })
}

// ---- The campaign: filings, outcomes, recapture, relisting and the figures ----

#[tauri::command]
pub async fn listings(state: State<'_, AppState>) -> CmdResult<Vec<ListingView>> {
    let case = state.case()?;
    blocking(move || Ok(case.listings()?)).await
}

#[tauri::command]
pub async fn listing_history(state: State<'_, AppState>, id: i64) -> CmdResult<ListingHistory> {
    let case = state.case()?;
    blocking(move || Ok(case.listing_history(id)?)).await
}

#[tauri::command]
pub async fn sellers(state: State<'_, AppState>) -> CmdResult<Vec<SellerView>> {
    let case = state.case()?;
    blocking(move || Ok(case.sellers()?)).await
}

#[tauri::command]
pub async fn filings(state: State<'_, AppState>) -> CmdResult<Vec<FilingView>> {
    let case = state.case()?;
    blocking(move || Ok(case.filings()?)).await
}

/// `add_filing`'s argument: the facade's `FilingRequest` as the UI sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilingArgs {
    venue: String,
    reference: String,
    filed: String,
    #[serde(default)]
    listings: Vec<i64>,
    #[serde(default)]
    export: Option<String>,
}

#[tauri::command]
pub async fn add_filing(
    state: State<'_, AppState>,
    filing: serde_json::Value,
) -> CmdResult<FilingView> {
    let case = state.case()?;
    let a: FilingArgs = from_arg("filing", filing)?;
    let request = FilingRequest {
        venue: a.venue,
        reference: a.reference,
        filed: a.filed,
        listings: a.listings,
        export: a.export.filter(|e| !e.trim().is_empty()),
    };
    blocking(move || Ok(case.add_filing(&request)?)).await
}

/// `record_outcome`'s argument: the facade's `OutcomeRequest`, with the attachment as a
/// path the user chose for `outcome_answer` (or dropped).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeArgs {
    filing: i64,
    listing: i64,
    outcome: String,
    date: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    attach: Option<String>,
}

#[tauri::command]
pub async fn record_outcome(
    state: State<'_, AppState>,
    outcome: serde_json::Value,
) -> CmdResult<FilingView> {
    let case = state.case()?;
    let a: OutcomeArgs = from_arg("outcome", outcome)?;
    let attach = match a.attach.as_deref() {
        Some(p) => Some(state.chosen().require(Purpose::OutcomeAnswer, p)?),
        None => None,
    };
    let request = OutcomeRequest {
        filing: a.filing,
        listing: a.listing,
        outcome: a.outcome,
        date: a.date,
        reason: a.reason,
        attach,
    };
    blocking(move || Ok(case.record_outcome(&request)?)).await
}

/// `start_recapture`'s result.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RecaptureStarted {
    pub job_id: u64,
}

/// Takes listings again and says what became of each: `exhibit recapture` through the
/// same facade call. Which ones, as the CLI's flags choose them: `filing` (one filing's),
/// `listings` (these case ids), `all` (every listing of the case), else every reported
/// listing; `mode` `"http"` or `"browser"` for all of them, else each in the mode of its
/// last capture. Concurrency and trusted time come from the settings, as for a batch.
/// Returns at once; `recapture-progress`, `recapture-result` and `recapture-done` report
/// it. It is a capture batch like any other: one long job at a time, and when it may use
/// the case's browser profile it is refused while the visible capture browser is open.
#[tauri::command]
pub async fn start_recapture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    filing: Option<i64>,
    listings: Option<Vec<i64>>,
    all: Option<bool>,
    mode: Option<String>,
) -> CmdResult<RecaptureStarted> {
    let state = state.inner().clone();
    let case = state.case()?;
    let listings = listings.unwrap_or_default();
    let all = all.unwrap_or(false);
    let chosen =
        usize::from(filing.is_some()) + usize::from(!listings.is_empty()) + usize::from(all);
    if chosen > 1 {
        return Err(CmdError::bad_input(
            "Choose one of a filing, a set of listings or all listings to recapture, not several.",
        ));
    }
    let selection = match (filing, all) {
        (Some(id), _) => RecaptureSelection::Filing(id),
        (None, true) => RecaptureSelection::All,
        (None, false) if !listings.is_empty() => RecaptureSelection::Listings(listings),
        (None, false) => RecaptureSelection::Reported,
    };
    let mode = match mode.as_deref() {
        None => RecaptureMode::AsLast,
        Some("http") => RecaptureMode::Http,
        Some("browser") => RecaptureMode::Browser,
        Some(_) => {
            return Err(CmdError::bad_input(
                "The recapture mode must be \"browser\" or \"http\" (or left out: each listing's last).",
            ));
        }
    };
    let may_use_browser = mode != RecaptureMode::Http;
    blocking(move || {
        let settings = state.prefs().settings()?;
        if may_use_browser {
            let open = match state.try_browser() {
                Some(slot) => slot.as_ref().is_some_and(|s| s.is_open()),
                None => true,
            };
            if open {
                return Err(CmdError::busy(
                    "The capture browser is open, and a recapture may need its profile. Close it first.",
                ));
            }
        }
        let tsa = settings.tsa()?;
        let (job_id, cancel) = state.start_job(JobKind::Capture {
            browser: may_use_browser,
        })?;
        let browser = BrowserSettings {
            executable: None,
            visible: false,
        };
        let options = RecaptureOptions {
            selection,
            mode,
            browser: browser.clone(),
            batch: BatchOptions {
                fetch: FetchOptions::default(),
                concurrency: settings.concurrency as usize,
                // The facade picks each listing's mode; this one is not used.
                mode: CaptureMode::Http,
                cancel: Some(cancel.clone()),
                tsa,
            },
            // As a browser batch of the Capture step runs.
            browser_concurrency: (settings.concurrency as usize).max(1),
        };
        if let Err(e) = jobs::spawn_recapture(app, state.clone(), case, job_id, options, cancel) {
            state.finish_job(job_id);
            return Err(CmdError::internal(format!(
                "could not start the recapture ({e})"
            )));
        }
        Ok(RecaptureStarted { job_id })
    })
    .await
}

#[tauri::command]
pub fn cancel_recapture(state: State<'_, AppState>, job_id: u64) {
    state.cancel_job(job_id, false);
}

#[tauri::command]
pub async fn relistings(
    state: State<'_, AppState>,
    threshold: Option<u32>,
) -> CmdResult<Relistings> {
    let case = state.case()?;
    let threshold = threshold.unwrap_or(DEFAULT_IMAGE_THRESHOLD);
    blocking(move || Ok(case.relistings(threshold)?)).await
}

#[tauri::command]
pub async fn decide_relisting(
    state: State<'_, AppState>,
    original: i64,
    relisting: i64,
    confirmed: bool,
    threshold: Option<u32>,
) -> CmdResult<Candidate> {
    let case = state.case()?;
    let threshold = threshold.unwrap_or(DEFAULT_IMAGE_THRESHOLD);
    blocking(move || Ok(case.decide_relisting(original, relisting, confirmed, threshold)?)).await
}

#[tauri::command]
pub async fn stats(state: State<'_, AppState>, since: Option<String>) -> CmdResult<Stats> {
    let case = state.case()?;
    let since = since.filter(|s| !s.trim().is_empty());
    blocking(move || Ok(case.stats(since.as_deref())?)).await
}

/// The campaign week by week (`Case::timeline`): the figures the agency packet's "Week
/// by week" chart and table print, for the app's chart.
#[tauri::command]
pub async fn timeline(state: State<'_, AppState>) -> CmdResult<Timeline> {
    let case = state.case()?;
    blocking(move || Ok(case.timeline()?)).await
}

// ---- Test purchases ----

#[tauri::command]
pub async fn purchases(state: State<'_, AppState>) -> CmdResult<Vec<PurchaseView>> {
    let case = state.case()?;
    blocking(move || Ok(case.purchases()?)).await
}

#[tauri::command]
pub async fn purchase(state: State<'_, AppState>, id: i64) -> CmdResult<PurchaseView> {
    let case = state.case()?;
    blocking(move || Ok(case.purchase(id)?)).await
}

/// `add_purchase`'s argument: the facade's `PurchaseRequest` as the UI sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PurchaseArgs {
    listing: i64,
    order: String,
    date: String,
    amount: String,
    currency: String,
    ship_to: String,
    #[serde(default)]
    buyer: Option<String>,
    #[serde(default)]
    payment: Option<String>,
}

/// Records a test purchase of one listing: `exhibit purchase add`'s facade call.
#[tauri::command]
pub async fn add_purchase(
    state: State<'_, AppState>,
    purchase: serde_json::Value,
) -> CmdResult<PurchaseView> {
    let case = state.case()?;
    let a: PurchaseArgs = from_arg("purchase", purchase)?;
    let request = PurchaseRequest {
        listing: a.listing,
        order: a.order,
        date: a.date,
        amount: a.amount,
        currency: a.currency,
        ship_to: a.ship_to,
        buyer: a.buyer.filter(|b| !b.trim().is_empty()),
        payment: a.payment.filter(|p| !p.trim().is_empty()),
    };
    blocking(move || Ok(case.add_purchase(&request)?)).await
}

/// `update_purchase`'s argument: the facade's `PurchaseUpdateRequest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PurchaseUpdateArgs {
    purchase: i64,
    #[serde(default)]
    tracking: Option<String>,
    #[serde(default)]
    carrier: Option<String>,
    #[serde(default)]
    ship_from: Option<String>,
    #[serde(default)]
    delivered: Option<String>,
}

/// Records shipping facts of a purchase as they arrive: `exhibit purchase update`.
#[tauri::command]
pub async fn update_purchase(
    state: State<'_, AppState>,
    update: serde_json::Value,
) -> CmdResult<PurchaseView> {
    let case = state.case()?;
    let a: PurchaseUpdateArgs = from_arg("shipping update", update)?;
    let given = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    let request = PurchaseUpdateRequest {
        purchase: a.purchase,
        tracking: given(a.tracking),
        carrier: given(a.carrier),
        ship_from: given(a.ship_from),
        delivered: given(a.delivered),
    };
    blocking(move || Ok(case.update_purchase(&request)?)).await
}

/// Attaches files of one kind to a purchase: `exhibit purchase attach`. Each path must be
/// one the user chose for a purchase ("Choose files…" or "Import photos…") or dropped
/// on the window; one that is not refuses the lot with `path_not_chosen`, nothing read.
#[tauri::command]
pub async fn attach_purchase_files(
    state: State<'_, AppState>,
    purchase: i64,
    kind: String,
    paths: Vec<String>,
) -> CmdResult<PurchaseView> {
    let case = state.case()?;
    let chosen = state.chosen();
    let paths = paths
        .iter()
        .map(|p| {
            chosen
                .require(Purpose::PurchaseFile, p)
                .or_else(|_| chosen.require(Purpose::PurchasePhotos, p))
        })
        .collect::<CmdResult<Vec<PathBuf>>>()?;
    blocking(move || Ok(case.attach_purchase_files(purchase, &kind, &paths)?)).await
}

/// `purchase_verdict`'s argument: the facade's `VerdictRequest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerdictArgs {
    purchase: i64,
    verdict: String,
    by: String,
    method: String,
}

/// Records the comparison's verdict, once a purchase: `exhibit purchase verdict`.
#[tauri::command]
pub async fn purchase_verdict(
    state: State<'_, AppState>,
    verdict: serde_json::Value,
) -> CmdResult<PurchaseView> {
    let case = state.case()?;
    let a: VerdictArgs = from_arg("verdict", verdict)?;
    let request = VerdictRequest {
        purchase: a.purchase,
        verdict: a.verdict,
        by: a.by,
        method: a.method,
    };
    blocking(move || Ok(case.purchase_verdict(&request)?)).await
}

/// `item_custody`'s argument: the facade's `ItemCustodyRequest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoverArgs {
    purchase: i64,
    from: String,
    to: String,
    at: String,
    place: String,
    #[serde(default)]
    seal: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Records one handover of a purchased item: `exhibit item custody`.
#[tauri::command]
pub async fn item_custody(
    state: State<'_, AppState>,
    handover: serde_json::Value,
) -> CmdResult<PurchaseView> {
    let case = state.case()?;
    let a: HandoverArgs = from_arg("handover", handover)?;
    let request = ItemCustodyRequest {
        purchase: a.purchase,
        from: a.from,
        to: a.to,
        at: a.at,
        place: a.place,
        seal: a.seal.filter(|s| !s.trim().is_empty()),
        note: a.note.filter(|n| !n.trim().is_empty()),
    };
    blocking(move || Ok(case.item_custody(&request)?)).await
}

// ---- Sellers as defendants ----

/// Every seller as a possible defendant in `forum` (the facade's default, `US-IL`, when
/// none is given): its listings, storefront, checkout and test purchases, and what a
/// Schedule A exhibit would still lack, in plain words. `Case::defendants`.
#[tauri::command]
pub async fn defendants(
    state: State<'_, AppState>,
    forum: Option<String>,
) -> CmdResult<Vec<DefendantView>> {
    let case = state.case()?;
    let forum = forum.filter(|f| !f.trim().is_empty());
    blocking(move || Ok(case.defendants(forum.as_deref())?)).await
}

// ---- Discovery: from a store or search page to its listings ----

/// The listings a captured store or search page links to, each with whether the case
/// holds it: `exhibit discover`'s facade call.
#[tauri::command]
pub async fn discover(state: State<'_, AppState>, capture_id: i64) -> CmdResult<Discovery> {
    let case = state.case()?;
    blocking(move || Ok(case.discover(capture_id)?)).await
}

/// Captures the listings a store or search page links to that the case lacks:
/// `exhibit capture --discovered-from`. A capture batch like `start_capture`'s (the same
/// events, the same `cancel_capture`, one long job at a time); `urls` says what it takes,
/// in the order of the events' `index`.
#[tauri::command]
pub async fn start_capture_discovered<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    capture_id: i64,
    mode: String,
) -> CmdResult<DiscoveredBatch> {
    let state = state.inner().clone();
    let mode: CaptureModeSetting = from_arg("capture mode", serde_json::Value::String(mode))
        .map_err(|_| CmdError::bad_input("The capture mode must be \"browser\" or \"http\"."))?;
    let case = state.case()?;
    let browser = mode == CaptureModeSetting::Browser;
    blocking(move || {
        let found = case.discover(capture_id)?;
        let urls: Vec<String> = found.new_listings().map(|l| l.url.clone()).collect();
        if urls.is_empty() {
            return Err(CmdError::bad_input(
                "Nothing to capture: the case holds every listing the page links to.",
            ));
        }
        let settings = state.prefs().settings()?;
        if browser && browser_window_open(&state) {
            return Err(CmdError::busy(
                "The capture browser is open, and a browser batch needs its profile. Close it first.",
            ));
        }
        let tsa = settings.tsa()?;
        let (batch_id, cancel) = state.start_job(JobKind::Capture { browser })?;
        let options = batch_options(browser, settings.concurrency as usize, &cancel, tsa);
        if let Err(e) = jobs::spawn_capture_discovered(
            app,
            state.clone(),
            case,
            batch_id,
            found,
            options,
            cancel,
        ) {
            state.finish_job(batch_id);
            return Err(CmdError::internal(format!("could not start the batch ({e})")));
        }
        Ok(DiscoveredBatch { batch_id, urls })
    })
    .await
}

/// `start_capture_discovered`'s result.
#[derive(Debug, Clone, Serialize)]
pub struct DiscoveredBatch {
    pub batch_id: u64,
    /// The listings it captures, in the order of the events' `index`.
    pub urls: Vec<String>,
}

// ---- Verify and custody ----

#[tauri::command]
pub async fn verify_bundle(state: State<'_, AppState>, path: String) -> CmdResult<BundleCheck> {
    let state = state.inner().clone();
    blocking(move || Ok(exhibit::verify_bundle(&chosen_bundle(&state, &path)?)?)).await
}

/// Checks the open case as `exhibit verify` does (`Case::verify`): with `quick` false,
/// the HMAC of every page of the case file straight from disk; then every artifact
/// re-hashed and the custody chain walked; `quick` skips the pages that hold no evidence.
/// The facade's report is passed through as it is, and the facade logs that it ran. It
/// holds the job slot while it runs (seconds for a large case), so it is refused with
/// `busy` while a batch, an export or a WACZ import or export runs, and they while it runs.
#[tauri::command]
pub async fn verify_case(
    state: State<'_, AppState>,
    quick: bool,
) -> CmdResult<exhibit::VerifyReport> {
    let state = state.inner().clone();
    let case = state.case()?;
    blocking(move || {
        let (id, _) = state.start_job(JobKind::Verify)?;
        let result = case.verify(!quick);
        state.finish_job(id);
        Ok(result?)
    })
    .await
}

/// A bundle to verify: one the user chose or dropped, or one this run just exported
/// ("Verify now" after an export).
fn chosen_bundle(state: &AppState, path: &str) -> CmdResult<PathBuf> {
    match state.chosen().require(Purpose::Bundle, path) {
        Ok(p) => Ok(p),
        Err(e) => match state.exported_bundle(Path::new(path)) {
            Some(p) => Ok(p),
            None => Err(e),
        },
    }
}

// ---- Web archives (WACZ) ----

/// Imports a WACZ the user chose (or dropped) as captures: `exhibit import`'s facade call.
/// The facade's report is passed through as it is.
#[tauri::command]
pub async fn import_wacz(
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<exhibit::ImportReport> {
    let state = state.inner().clone();
    let case = state.case()?;
    let path = state.chosen().require(Purpose::WaczImport, &path)?;
    blocking(move || {
        // It adds captures, which a batch or an export running would race with.
        let (id, _) = state.start_job(JobKind::Archive)?;
        let result = case.import_wacz(&path);
        state.finish_job(id);
        Ok(result?)
    })
    .await
}

/// Writes every capture into a WACZ where the user chose to save it: what
/// `exhibit export --wacz` calls.
#[tauri::command]
pub async fn export_wacz(
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<exhibit::WaczReport> {
    let state = state.inner().clone();
    let case = state.case()?;
    let path = state.chosen().require(Purpose::WaczExport, &path)?;
    blocking(move || {
        let (id, _) = state.start_job(JobKind::Archive)?;
        let result = case.export_wacz(&path);
        state.finish_job(id);
        Ok(result?)
    })
    .await
}

#[tauri::command]
pub async fn custody(state: State<'_, AppState>) -> CmdResult<CustodyStatus> {
    let case = state.case()?;
    blocking(move || Ok(case.custody_status()?)).await
}

// ---- Settings ----

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> CmdResult<Settings> {
    let state = state.inner().clone();
    blocking(move || state.prefs().settings()).await
}

#[tauri::command]
pub async fn save_settings(
    state: State<'_, AppState>,
    settings: serde_json::Value,
) -> CmdResult<()> {
    let state = state.inner().clone();
    let settings: Settings = from_arg("settings", settings)?;
    blocking(move || {
        // A root file is read to check it, so it too must be one the user chose (or one
        // already in the saved settings, chosen in an earlier run).
        let saved = state.prefs().settings()?;
        for root in &settings.tsa_roots {
            if !saved.tsa_roots.contains(root) {
                state.chosen().require(Purpose::TsaRoot, root)?;
            }
        }
        state.prefs().save_settings(&settings)
    })
    .await
}

// ---- About and updates (see `updates.rs`) ----

#[tauri::command]
pub fn about<R: Runtime>(app: AppHandle<R>) -> crate::updates::About {
    crate::updates::about(&app)
}

/// The update address from the settings, or `updates_off`.
fn update_url(state: &AppState) -> CmdResult<String> {
    state.prefs().settings()?.update_url.ok_or_else(|| {
        CmdError::new(
            crate::updates::UPDATES_OFF,
            "Updates are off: set the update address in About Exhibit first.",
        )
    })
}

/// Asks the update address whether a newer version exists; `null` when up to date.
#[tauri::command]
pub async fn check_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<crate::updates::UpdateOffer>> {
    let url = update_url(&state)?;
    let update = crate::updates::check(&app, &url).await?;
    Ok(update.as_ref().map(Into::into))
}

/// Downloads the update, installs it only if its signature verifies, and restarts.
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    // Installing restarts the app, which would cut a running job short.
    state.ensure_idle()?;
    let url = update_url(&state)?;
    let Some(update) = crate::updates::check(&app, &url).await? else {
        return Err(CmdError::new(
            crate::updates::UPDATES_OFF,
            "Exhibit is already up to date.",
        ));
    };
    crate::updates::install(&update).await?;
    app.restart()
}
