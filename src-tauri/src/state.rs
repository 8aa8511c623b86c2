//! What the shell holds between commands: the open case, the one long job running (a
//! capture batch, an export, a WACZ import or export, or a check of the case) with its
//! cancel flag, the visible capture browser, the packets exported in this run, and the
//! files the user chose (`chosen.rs`).
//!
//! Every lock here is held only for a moment, except the browser's, which a snap holds
//! while it captures (on a blocking thread, never the main one). The `Case` is cloned
//! out of its lock before any work, so a long job never holds the state.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use exhibit::{BrowseSession, Case};

use crate::chosen::{ChosenPaths, Purpose, not_chosen};
use crate::error::{CmdError, CmdResult};
use crate::prefs::Prefs;

/// The case the app has open, and where it is.
#[derive(Debug, Clone)]
pub struct OpenCase {
    pub case: Case,
    pub path: PathBuf,
}

/// Which long job is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Capture {
        browser: bool,
    },
    Export,
    /// A WACZ import or export: short, not cancellable, but it reads or adds captures.
    Archive,
    /// A check of the whole case (`verify_case`): seconds, not cancellable. It reads every
    /// page and artifact and then logs that it ran, so it is refused while a batch or an
    /// export changes the case, and they are refused while it runs.
    Verify,
}

/// The long job that is running.
#[derive(Debug)]
struct Job {
    id: u64,
    kind: JobKind,
    cancel: Arc<AtomicBool>,
}

#[derive(Debug)]
struct Inner {
    prefs: Prefs,
    case: Mutex<Option<OpenCase>>,
    job: Mutex<Option<Job>>,
    browser: Mutex<Option<BrowseSession>>,
    exported: Mutex<HashSet<PathBuf>>,
    exported_bundles: Mutex<HashSet<PathBuf>>,
    /// Files an export wrote beside its packet (filing sheet, Schedule A CSV, joinder and
    /// test-buy reports): "Show in folder" may reveal them, nothing may read them.
    exported_files: Mutex<HashSet<PathBuf>>,
    chosen: ChosenPaths,
    next_id: AtomicU64,
}

/// The shell's state, managed by Tauri; cheap to clone into a background thread.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

/// A poisoned lock only means a thread panicked while holding it; the data behind
/// these locks is always whole, so keep using it.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// `data_dir`: where preferences live; `None` for `exhibit::data_dir()`.
    pub fn new(data_dir: Option<PathBuf>) -> AppState {
        AppState(Arc::new(Inner {
            prefs: Prefs::new(data_dir),
            case: Mutex::new(None),
            job: Mutex::new(None),
            browser: Mutex::new(None),
            exported: Mutex::new(HashSet::new()),
            exported_bundles: Mutex::new(HashSet::new()),
            exported_files: Mutex::new(HashSet::new()),
            chosen: ChosenPaths::default(),
            next_id: AtomicU64::new(1),
        }))
    }

    pub fn prefs(&self) -> &Prefs {
        &self.0.prefs
    }

    /// The open case, or `no_case`.
    pub fn case(&self) -> CmdResult<Case> {
        self.open_case()
            .map(|o| o.case)
            .ok_or_else(CmdError::no_case)
    }

    pub fn open_case(&self) -> Option<OpenCase> {
        lock(&self.0.case).clone()
    }

    /// Closes the capture browser and the open case, then puts `new` in its place.
    /// Blocking: closing the browser waits for Chromium to write its profile.
    pub fn replace_case(&self, new: Option<OpenCase>) {
        self.close_browser();
        *lock(&self.0.case) = new;
    }

    /// Refuses while a batch or an export runs, because the case is in use.
    pub fn ensure_idle(&self) -> CmdResult<()> {
        match lock(&self.0.job).as_ref().map(|j| j.kind) {
            None => Ok(()),
            Some(JobKind::Export) => Err(CmdError::busy("An export is running.")),
            Some(JobKind::Capture { .. }) => Err(CmdError::busy("A capture batch is running.")),
            Some(JobKind::Archive) => Err(CmdError::busy(
                "A web archive is being imported or exported.",
            )),
            Some(JobKind::Verify) => Err(CmdError::busy("The case is being checked.")),
        }
    }

    /// Registers a new long job, or refuses with `busy` while one runs. Only one runs at
    /// a time: a batch adds captures that an export would otherwise race to include.
    pub fn start_job(&self, kind: JobKind) -> CmdResult<(u64, Arc<AtomicBool>)> {
        let mut job = lock(&self.0.job);
        if job.is_some() {
            drop(job);
            self.ensure_idle()?;
            return Err(CmdError::busy("Another job is running."));
        }
        let id = self.0.next_id.fetch_add(1, Ordering::Relaxed);
        let cancel = Arc::new(AtomicBool::new(false));
        *job = Some(Job {
            id,
            kind,
            cancel: Arc::clone(&cancel),
        });
        Ok((id, cancel))
    }

    /// Forgets a finished job (only if it is still the current one).
    pub fn finish_job(&self, id: u64) {
        let mut job = lock(&self.0.job);
        if job.as_ref().is_some_and(|j| j.id == id) {
            *job = None;
        }
    }

    /// Asks the job `id` of this kind to stop. Unknown or finished ids are ignored:
    /// cancelling twice, or just too late, is not an error.
    pub fn cancel_job(&self, id: u64, export: bool) {
        if let Some(j) = lock(&self.0.job).as_ref()
            && j.id == id
            && matches!(
                (j.kind, export),
                (JobKind::Export, true) | (JobKind::Capture { .. }, false)
            )
        {
            j.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Whether a browser-mode batch is running (it uses the case's browser profile).
    pub fn browser_batch_running(&self) -> bool {
        lock(&self.0.job)
            .as_ref()
            .is_some_and(|j| j.kind == JobKind::Capture { browser: true })
    }

    /// The capture browser's slot. Held while a snap runs or the browser opens.
    pub fn browser(&self) -> MutexGuard<'_, Option<BrowseSession>> {
        lock(&self.0.browser)
    }

    /// The browser's slot if nothing is using it right now.
    pub fn try_browser(&self) -> Option<MutexGuard<'_, Option<BrowseSession>>> {
        match self.0.browser.try_lock() {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// Closes the capture browser, if open, so it writes the profile (logins) to disk.
    pub fn close_browser(&self) {
        let session = self.browser().take();
        if let Some(s) = session {
            s.close();
        }
    }

    /// Remembers a packet and its bundle this run exported, so `packet_bytes` may read
    /// the packet and `verify_bundle` the bundle ("Verify now").
    pub fn add_exported(&self, packet: &Path, bundle: &Path) {
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_owned());
        lock(&self.0.exported).insert(canonical(packet));
        lock(&self.0.exported_bundles).insert(canonical(bundle));
    }

    /// Remembers the files an export wrote beside its packet, so "Show in folder" may
    /// reveal them too.
    pub fn add_exported_files<'a>(&self, files: impl IntoIterator<Item = &'a Path>) {
        let mut set = lock(&self.0.exported_files);
        for f in files {
            set.insert(f.canonicalize().unwrap_or_else(|_| f.to_owned()));
        }
    }

    /// Whether `path` is a packet, or a file written beside one, that this run exported.
    pub fn may_reveal(&self, path: &Path) -> bool {
        self.was_exported(path)
            || path
                .canonicalize()
                .is_ok_and(|p| lock(&self.0.exported_files).contains(&p))
    }

    /// `path` as this run exported it, if it is a bundle this run exported.
    pub fn exported_bundle(&self, path: &Path) -> Option<PathBuf> {
        let p = path.canonicalize().ok()?;
        lock(&self.0.exported_bundles).contains(&p).then_some(p)
    }

    /// The files the user chose in this run.
    pub fn chosen(&self) -> &ChosenPaths {
        &self.0.chosen
    }

    /// A case file to open: chosen in the open or new-case dialog, or on the recent list
    /// (chosen in an earlier run; the list is the backend's own file, never the webview's).
    pub fn chosen_case(&self, path: &str) -> CmdResult<PathBuf> {
        let p = Path::new(path);
        for purpose in [Purpose::CaseOpen, Purpose::CaseNew] {
            if self.0.chosen.was_chosen(purpose, p) {
                return self.0.chosen.require(purpose, path);
            }
        }
        let recent = self.prefs().recent_cases()?;
        if !path.trim().is_empty() && recent.iter().any(|r| Path::new(&r.path) == p) {
            return std::path::absolute(p).map_err(|_| not_chosen(path));
        }
        Err(not_chosen(path))
    }

    /// Whether `path` is a packet this run exported.
    pub fn was_exported(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|p| lock(&self.0.exported).contains(&p))
    }
}
