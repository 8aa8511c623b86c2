//! The files the user chose: the only paths a command reads or writes.
//!
//! The webview is the least trusted part of the app (it shows text from captured pages,
//! and a bug there must not reach the user's files), so it never names a file for the
//! backend to open on its word. Every file a command reads or writes was first chosen by
//! the user in a native dialog that the backend itself opened ([`choose`], behind the
//! `choose_path` command), or dropped on the window (the backend hears the drop from the
//! window system, not from the webview); a dialog that picks several files at once
//! ([`choose_many`], behind `choose_paths`, for a test purchase's files and photos) counts
//! each one. The backend remembers each such path with what
//! it was chosen for ([`Purpose`]), and a command that takes a path refuses any other
//! with `path_not_chosen`. The webview gets the chosen path back only to show it and to
//! name it in the command that uses it, as `packet_bytes` already works with exports.
//!
//! A path chosen for one purpose does not serve another: a file picked to be read as a
//! URL list cannot become the target a WACZ export overwrites, and a folder picked for
//! an export cannot be read as a bundle. A dropped file serves every purpose that only
//! reads ([`Purpose::reads`]). The case files in the recent list were chosen in an
//! earlier run, and `open_case` accepts them too (see `AppState::chosen_case`).
//!
//! # The test seam
//!
//! Tests cannot click a native dialog. With the cargo feature `test-dialogs` (enabled only
//! by this crate's own dev-dependency on itself, so only `cargo test` and `cargo bench`
//! builds have it; the packaged app, built by `tauri build` without dev-dependencies, has
//! no such code, and neither has `cargo build`), and
//! only when the environment variable [`ANSWER_VAR`] names a file, a dialog is not shown:
//! its answer is read from that file (`PURPOSE<TAB>PATH`, one line a file for a dialog
//! that picks several), which is then removed, and a
//! missing file or another purpose is answered as "cancelled". The webview can neither
//! set the environment of the process nor write files, so even in a test build it cannot
//! reach this; in any other build the code does not exist.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;

use crate::error::{CmdError, CmdResult, codes};

/// What a file dialog is opened for. Each has its own title, kind and filters, and a path
/// chosen for one serves only that one (and a dropped file every one that only reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// An existing case file to open.
    CaseOpen,
    /// Where a new case file is created.
    CaseNew,
    /// A certificate or other document to attach to the case.
    Certificate,
    /// A text or CSV file of listing URLs.
    UrlList,
    /// An evidence bundle (ZIP) to verify.
    Bundle,
    /// The folder an export writes the packet and bundle into.
    ExportFolder,
    /// A WACZ web archive to import.
    WaczImport,
    /// Where a WACZ web archive of the case is written.
    WaczExport,
    /// A root certificate (PEM) for the time-stamp authorities.
    TsaRoot,
    /// A platform's answer to a filing (an email, a PDF, a screenshot), attached to an
    /// outcome.
    OutcomeAnswer,
    /// Files of a test purchase (order confirmation, receipt, label, photos, the
    /// comparison), several at once.
    PurchaseFile,
    /// Photos of a test purchase imported from the phone's camera roll or the camera's
    /// card: several images at once, the dialog starting in the Pictures folder.
    PurchasePhotos,
}

/// Which native dialog a purpose opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    OpenFile,
    SaveFile,
    Folder,
}

impl Purpose {
    /// Its name in the IPC contract (`choose_path`'s argument) and the test seam.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::CaseOpen => "case_open",
            Purpose::CaseNew => "case_new",
            Purpose::Certificate => "certificate",
            Purpose::UrlList => "url_list",
            Purpose::Bundle => "bundle",
            Purpose::ExportFolder => "export_folder",
            Purpose::WaczImport => "wacz_import",
            Purpose::WaczExport => "wacz_export",
            Purpose::TsaRoot => "tsa_root",
            Purpose::OutcomeAnswer => "outcome_answer",
            Purpose::PurchaseFile => "purchase_file",
            Purpose::PurchasePhotos => "purchase_photos",
        }
    }

    /// Whether a command only reads the file (so a dropped file may serve).
    pub fn reads(self) -> bool {
        matches!(
            self,
            Purpose::CaseOpen
                | Purpose::Certificate
                | Purpose::UrlList
                | Purpose::Bundle
                | Purpose::WaczImport
                | Purpose::TsaRoot
                | Purpose::OutcomeAnswer
                | Purpose::PurchaseFile
                | Purpose::PurchasePhotos
        )
    }

    /// Whether its dialog picks several files at once (`choose_paths`); the others pick
    /// one (`choose_path`).
    pub fn multiple(self) -> bool {
        matches!(self, Purpose::PurchaseFile | Purpose::PurchasePhotos)
    }

    pub fn kind(self) -> DialogKind {
        match self {
            Purpose::CaseNew | Purpose::WaczExport => DialogKind::SaveFile,
            Purpose::ExportFolder => DialogKind::Folder,
            _ => DialogKind::OpenFile,
        }
    }

    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            Purpose::CaseOpen => "Open a case file",
            Purpose::CaseNew => "Where to save the new case file",
            Purpose::Certificate => "Choose a file to attach",
            Purpose::UrlList => "Choose a list of listing URLs",
            Purpose::Bundle => "Choose an evidence bundle to verify",
            Purpose::ExportFolder => "Choose the folder to export into",
            Purpose::WaczImport => "Choose a web archive (WACZ) to import",
            Purpose::WaczExport => "Where to save the web archive (WACZ)",
            Purpose::TsaRoot => "Choose a root certificate (PEM) for the time-stamp authorities",
            Purpose::OutcomeAnswer => "Choose the platform's answer to attach",
            Purpose::PurchaseFile => "Choose the files to attach to the test purchase",
            Purpose::PurchasePhotos => "Import photos of the test purchase",
        }
    }

    /// The dialog's file filters (name, extensions); every open dialog also offers all files.
    pub fn filters(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Purpose::CaseOpen | Purpose::CaseNew => &[("Exhibit case", &["exhibit"])],
            Purpose::Certificate => &[("Documents and images", &["pdf", "png", "jpg", "jpeg"])],
            Purpose::UrlList => &[("URL lists", &["txt", "csv"])],
            Purpose::Bundle => &[("Evidence bundle", &["zip"])],
            Purpose::WaczImport | Purpose::WaczExport => &[("Web archive", &["wacz"])],
            Purpose::TsaRoot => &[("Certificates", &["pem", "crt", "cer"])],
            Purpose::OutcomeAnswer => &[(
                "Emails, documents and images",
                &["eml", "msg", "pdf", "png", "jpg", "jpeg", "txt"],
            )],
            Purpose::PurchaseFile => &[(
                "Documents and images",
                &[
                    "pdf", "png", "jpg", "jpeg", "heic", "webp", "eml", "txt", "html", "mp4", "mov",
                ],
            )],
            Purpose::PurchasePhotos => &[(
                "Photos",
                &["jpg", "jpeg", "png", "heic", "heif", "webp", "tif", "tiff"],
            )],
            Purpose::ExportFolder => &[],
        }
    }

    /// The name a save dialog suggests.
    pub fn suggested_name(self) -> Option<&'static str> {
        match self {
            Purpose::CaseNew => Some("case.exhibit"),
            Purpose::WaczExport => Some("case.wacz"),
            _ => None,
        }
    }
}

/// The paths the user chose in this run, each with what it was chosen for.
#[derive(Debug, Default)]
pub struct ChosenPaths {
    chosen: Mutex<HashSet<(Purpose, PathBuf)>>,
    dropped: Mutex<HashSet<PathBuf>>,
}

/// The form a path is remembered and compared in: absolute, but not resolved, so that
/// `chosen/../elsewhere` is not the chosen path (`std::path::absolute` keeps `..`).
fn normal(path: &Path) -> Option<PathBuf> {
    std::path::absolute(path).ok()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The refusal of a path the user did not choose.
pub fn not_chosen(path: &str) -> CmdError {
    if path.trim().is_empty() {
        return CmdError::new(
            codes::PATH_NOT_CHOSEN,
            "No file was chosen. Choose one with its Choose… button.",
        );
    }
    CmdError::new(
        codes::PATH_NOT_CHOSEN,
        format!(
            "Exhibit only uses files you chose in its own dialog or dropped on its window, and {path} was not chosen that way. Choose it with its Choose… button."
        ),
    )
}

impl ChosenPaths {
    /// Remembers a path the user chose in a dialog for `purpose`.
    pub fn remember(&self, purpose: Purpose, path: &Path) {
        if let Some(p) = normal(path) {
            lock(&self.chosen).insert((purpose, p));
        }
    }

    /// Remembers files the user dropped on the window.
    pub fn remember_dropped(&self, paths: &[PathBuf]) {
        let mut dropped = lock(&self.dropped);
        dropped.extend(paths.iter().filter_map(|p| normal(p)));
    }

    /// Whether `path` was chosen for `purpose` (or dropped, for a purpose that reads).
    pub fn was_chosen(&self, purpose: Purpose, path: &Path) -> bool {
        let Some(p) = normal(path) else {
            return false;
        };
        if lock(&self.chosen).contains(&(purpose, p.clone())) {
            return true;
        }
        purpose.reads() && lock(&self.dropped).contains(&p)
    }

    /// The path the webview named, if the user chose it for `purpose`; else `path_not_chosen`.
    pub fn require(&self, purpose: Purpose, path: &str) -> CmdResult<PathBuf> {
        let p = Path::new(path);
        if path.trim().is_empty() || !self.was_chosen(purpose, p) {
            return Err(not_chosen(path));
        }
        normal(p).ok_or_else(|| not_chosen(path))
    }
}

/// The environment variable naming the test seam's answer file (see the module header).
pub const ANSWER_VAR: &str = "EXHIBIT_TEST_DIALOG_ANSWER";

/// A scripted answer, when the test seam is compiled in and a test set it up: `Some` of
/// the answer (`None` = cancelled), or `None` to show the real dialog.
#[cfg(feature = "test-dialogs")]
fn scripted(purpose: Purpose) -> Option<Option<PathBuf>> {
    let file = std::env::var_os(ANSWER_VAR).filter(|v| !v.is_empty())?;
    let text = std::fs::read_to_string(&file).ok();
    let _ = std::fs::remove_file(&file);
    Some(text.and_then(|t| {
        let (p, path) = t.trim_end_matches(['\r', '\n']).split_once('\t')?;
        (p == purpose.as_str() && !path.is_empty()).then(|| PathBuf::from(path))
    }))
}

#[cfg(not(feature = "test-dialogs"))]
fn scripted(_purpose: Purpose) -> Option<Option<PathBuf>> {
    None
}

/// As [`scripted`], for a dialog that picks several files: one `PURPOSE<TAB>PATH` line
/// for each file (an empty answer is "cancelled").
#[cfg(feature = "test-dialogs")]
fn scripted_many(purpose: Purpose) -> Option<Vec<PathBuf>> {
    let file = std::env::var_os(ANSWER_VAR).filter(|v| !v.is_empty())?;
    let text = std::fs::read_to_string(&file).ok();
    let _ = std::fs::remove_file(&file);
    let paths = text
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| l.trim_end_matches('\r').split_once('\t'))
        .filter(|(p, path)| *p == purpose.as_str() && !path.is_empty())
        .map(|(_, path)| PathBuf::from(path))
        .collect();
    Some(paths)
}

#[cfg(not(feature = "test-dialogs"))]
fn scripted_many(_purpose: Purpose) -> Option<Vec<PathBuf>> {
    None
}

/// Shows the native dialog for `purpose` over `window` and waits for the user (call it
/// on a blocking thread, never the main one); `None` when the user cancelled.
pub fn choose<R: tauri::Runtime>(
    window: &tauri::WebviewWindow<R>,
    purpose: Purpose,
    suggested_name: Option<&str>,
) -> CmdResult<Option<PathBuf>> {
    use tauri_plugin_dialog::DialogExt;

    if let Some(answer) = scripted(purpose) {
        return Ok(answer);
    }
    let mut dialog = window
        .dialog()
        .file()
        .set_parent(window)
        .set_title(purpose.title());
    for (name, extensions) in purpose.filters() {
        dialog = dialog.add_filter(*name, extensions);
    }
    if purpose.kind() == DialogKind::OpenFile {
        dialog = dialog.add_filter("All files", &["*"]);
    }
    if purpose.kind() == DialogKind::SaveFile {
        // The webview may suggest a name (from the case title), never a folder: only the
        // last component is kept, and the user sees and confirms it.
        let name = suggested_name
            .and_then(|n| Path::new(n).file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.trim().is_empty());
        if let Some(name) = name.as_deref().or(purpose.suggested_name()) {
            dialog = dialog.set_file_name(name);
        }
    }
    let picked = match purpose.kind() {
        DialogKind::OpenFile => dialog.blocking_pick_file(),
        DialogKind::SaveFile => dialog.blocking_save_file(),
        DialogKind::Folder => dialog.blocking_pick_folder(),
    };
    picked
        .map(|p| {
            p.into_path().map_err(|e| {
                CmdError::bad_input(format!(
                    "The dialog gave a location that is not a file path ({e})."
                ))
            })
        })
        .transpose()
}

/// Shows the native dialog that picks several files for `purpose` (one whose
/// [`Purpose::multiple`] holds) and waits for the user, as [`choose`] does; empty when the
/// user cancelled. Photos start in the user's Pictures folder, where a phone's camera roll
/// or a camera's card is usually copied.
pub fn choose_many<R: tauri::Runtime>(
    window: &tauri::WebviewWindow<R>,
    purpose: Purpose,
) -> CmdResult<Vec<PathBuf>> {
    use tauri::Manager;
    use tauri_plugin_dialog::DialogExt;

    if !purpose.multiple() {
        return Err(CmdError::bad_input(format!(
            "The {} dialog picks one file; open it with choose_path.",
            purpose.as_str()
        )));
    }
    if let Some(answer) = scripted_many(purpose) {
        return Ok(answer);
    }
    let mut dialog = window
        .dialog()
        .file()
        .set_parent(window)
        .set_title(purpose.title());
    for (name, extensions) in purpose.filters() {
        dialog = dialog.add_filter(*name, extensions);
    }
    dialog = dialog.add_filter("All files", &["*"]);
    if purpose == Purpose::PurchasePhotos
        && let Ok(pictures) = window.path().picture_dir()
        && pictures.is_dir()
    {
        dialog = dialog.set_directory(pictures);
    }
    dialog
        .blocking_pick_files()
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            p.into_path().map_err(|e| {
                CmdError::bad_input(format!(
                    "The dialog gave a location that is not a file path ({e})."
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_serves_only_the_purpose_it_was_chosen_for() {
        let chosen = ChosenPaths::default();
        chosen.remember(Purpose::UrlList, Path::new("/home/u/list.csv"));
        assert!(chosen.require(Purpose::UrlList, "/home/u/list.csv").is_ok());
        assert!(
            chosen
                .require(Purpose::UrlList, "/home/u/./list.csv")
                .is_ok()
        );
        for (purpose, path) in [
            (Purpose::Bundle, "/home/u/list.csv"),
            (Purpose::WaczExport, "/home/u/list.csv"),
            (Purpose::UrlList, "/home/u/other/../list.csv"),
            (Purpose::UrlList, "/home/u/list.csv.bak"),
            (Purpose::UrlList, "list.csv"),
            (Purpose::UrlList, ""),
        ] {
            let e = chosen.require(purpose, path).expect_err(path);
            assert_eq!(e.code, codes::PATH_NOT_CHOSEN, "{purpose:?} {path}");
        }
    }

    #[test]
    fn a_dropped_file_may_be_read_but_never_written() {
        let chosen = ChosenPaths::default();
        chosen.remember_dropped(&[PathBuf::from("/home/u/cert.pdf")]);
        for purpose in [
            Purpose::CaseOpen,
            Purpose::Certificate,
            Purpose::UrlList,
            Purpose::Bundle,
            Purpose::WaczImport,
            Purpose::TsaRoot,
            Purpose::OutcomeAnswer,
            Purpose::PurchaseFile,
            Purpose::PurchasePhotos,
        ] {
            assert!(
                chosen.was_chosen(purpose, Path::new("/home/u/cert.pdf")),
                "{purpose:?}"
            );
        }
        for purpose in [Purpose::CaseNew, Purpose::ExportFolder, Purpose::WaczExport] {
            assert!(
                !chosen.was_chosen(purpose, Path::new("/home/u/cert.pdf")),
                "{purpose:?}"
            );
        }
    }

    #[test]
    fn purposes_read_as_the_ipc_contract_names_them() {
        for p in [
            Purpose::CaseOpen,
            Purpose::CaseNew,
            Purpose::Certificate,
            Purpose::UrlList,
            Purpose::Bundle,
            Purpose::ExportFolder,
            Purpose::WaczImport,
            Purpose::WaczExport,
            Purpose::TsaRoot,
            Purpose::OutcomeAnswer,
            Purpose::PurchaseFile,
            Purpose::PurchasePhotos,
        ] {
            let back: Purpose =
                serde_json::from_value(serde_json::Value::String(p.as_str().into())).expect("name");
            assert_eq!(back, p);
        }
    }
}
