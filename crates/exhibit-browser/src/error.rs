//! The one error type of this crate, with a stable code for each variant.

use std::path::PathBuf;

/// What to tell a user who has no browser. Quoted verbatim by [`BrowserError::NotFound`].
pub const INSTALL_HINT: &str = "Install Chromium (on Debian: apt-get install chromium) or Google Chrome, or pass --browser PATH; or capture the raw page without a browser with --mode http.";

/// Why a browser could not be found, prepared or started.
///
/// A failed *capture* is not an error of this type: it comes back as a
/// [`crate::BrowserCapture`] whose `error` says what went wrong, with whatever was
/// captured before the failure.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// No Chrome or Chromium executable was found where we looked.
    #[error("No Chrome or Chromium browser was found ({looked}). {INSTALL_HINT}")]
    NotFound {
        /// Where we looked, in plain words.
        looked: String,
    },
    /// The profile folder (or the private home folder inside it) could not be created.
    #[error("The browser profile folder {path} could not be prepared: {source}")]
    Profile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An extra root certificate was given but `certutil` (NSS tools) is not installed.
    #[error(
        "certutil was not found, so the extra root certificates cannot be trusted in the browser. Install libnss3-tools (on Debian: apt-get install libnss3-tools)."
    )]
    CertutilMissing,
    /// An extra root certificate could not be read or added to the profile's trust store.
    #[error("The extra root certificates could not be trusted in the browser profile: {0}")]
    Trust(String),
    /// The browser executable could not be started at all.
    #[error("The browser {path} could not be started: {source}")]
    Spawn {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The browser started but never offered its DevTools endpoint, or exited at once.
    #[error("The browser did not start properly: {0}")]
    Launch(String),
    /// The DevTools connection failed.
    #[error("The browser's DevTools connection failed: {0}")]
    Protocol(String),
}

impl BrowserError {
    /// A stable code for user interfaces to branch on (never branch on the message).
    pub fn code(&self) -> &'static str {
        match self {
            BrowserError::NotFound { .. } => "browser_not_found",
            BrowserError::Profile { .. } => "browser_profile",
            BrowserError::CertutilMissing => "certutil_missing",
            BrowserError::Trust(_) => "browser_trust",
            BrowserError::Spawn { .. } => "browser_spawn",
            BrowserError::Launch(_) => "browser_launch",
            BrowserError::Protocol(_) => "browser_protocol",
        }
    }
}
