//! The one error shape every command rejects with: `{ code, message }`.
//!
//! `code` is what the UI branches on: the facade's `exhibit::Error::code()`, or one of the
//! shell's own codes below. `message` is one plain sentence for a person.

use serde::Serialize;

/// A command's failure, as the web UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(rename = "AppError")]
pub struct CmdError {
    pub code: String,
    pub message: String,
}

/// The shell's own codes (APP-API.md); every other code comes from the facade.
pub mod codes {
    /// A command needs an unlocked case and none is open.
    pub const NO_CASE: &str = "no_case";
    /// A batch or an export is already running.
    pub const BUSY: &str = "busy";
    /// `snap_tab` with no capture browser open.
    pub const NO_BROWSER_SESSION: &str = "no_browser_session";
    /// `packet_bytes` for a file this app did not just export.
    pub const NOT_EXPORTED: &str = "not_exported";
    /// A command named a file the user did not choose in the app's dialog (or drop on its
    /// window) for that use; see `chosen.rs`.
    pub const PATH_NOT_CHOSEN: &str = "path_not_chosen";
    /// The user cancelled an export (only inside `export-done`).
    pub const CANCELLED: &str = "cancelled";
    /// An argument the UI sent does not have the expected shape (the facade's code for
    /// unusable input).
    pub const BAD_INPUT: &str = "bad_input";
    /// Writing the app's own files (preferences) failed.
    pub const OUTPUT: &str = "output";
    /// Something in the shell failed that should not have.
    pub const INTERNAL: &str = "internal";
}

impl CmdError {
    pub fn new(code: &str, message: impl Into<String>) -> CmdError {
        CmdError {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub fn no_case() -> CmdError {
        CmdError::new(
            codes::NO_CASE,
            "No case is open. Open or create a case first.",
        )
    }

    pub fn busy(what: &str) -> CmdError {
        CmdError::new(
            codes::BUSY,
            format!("{what} Wait for it to finish, or cancel it, and try again."),
        )
    }

    pub fn bad_input(message: impl Into<String>) -> CmdError {
        CmdError::new(codes::BAD_INPUT, message)
    }

    pub fn internal(what: impl std::fmt::Display) -> CmdError {
        CmdError::new(
            codes::INTERNAL,
            format!("Exhibit hit an internal problem: {what}. Nothing already stored was lost."),
        )
    }
}

impl From<exhibit::Error> for CmdError {
    fn from(e: exhibit::Error) -> CmdError {
        CmdError::new(e.code(), e.to_string())
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for CmdError {}

pub type CmdResult<T> = Result<T, CmdError>;

/// Reads a structured argument sent by the UI, so a malformed one rejects with
/// `bad_input` in the usual shape rather than Tauri's own error string.
pub fn from_arg<T: serde::de::DeserializeOwned>(
    what: &str,
    value: serde_json::Value,
) -> CmdResult<T> {
    serde_json::from_value(value)
        .map_err(|e| CmdError::bad_input(format!("The {what} is not in the expected shape: {e}.")))
}
