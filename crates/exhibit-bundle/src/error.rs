//! The one error type of this crate, with a stable code for each variant.
//!
//! An error means the job could not be done at all: a bundle could not be written, or a
//! file could not be read as a bundle. What the verifier *finds* in a readable bundle is
//! not an error but a [`crate::Problem`] in the report.

use std::path::PathBuf;

/// Why a bundle could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// A path given to the writer breaks the naming rule (see the crate overview).
    #[error("The name \"{path}\" cannot go into an evidence bundle: {reason}.")]
    InvalidPath {
        /// The name as given, escaped for display.
        path: String,
        reason: &'static str,
    },
    /// The writer was given the same path twice.
    #[error("The name \"{path}\" was added to the evidence bundle twice.")]
    DuplicatePath { path: String },
    /// The path is one the writer fills itself (`SHA256SUMS`).
    #[error("The name \"{path}\" is reserved: Exhibit writes that file itself.")]
    ReservedPath { path: String },
    /// The bundle would exceed a limit the verifier enforces, so no one could verify it.
    #[error("The evidence bundle would be too large to verify: {detail}.")]
    TooLarge { detail: String },
    /// Writing the ZIP failed (usually the destination: disk full, permission).
    #[error("The evidence bundle could not be written: {source}")]
    Write {
        #[source]
        source: zip::result::ZipError,
    },
    /// A file's source gave other bytes than it was added with (see
    /// [`crate::BundleWriter::add_reader`]): it changed, or could not be read.
    #[error("The evidence bundle was not written: {path} {detail}.")]
    SourceChanged {
        path: String,
        detail: String,
        /// The reader's own error, when reading failed.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The bundle file could not be opened or read at all.
    #[error("Exhibit could not read {}: {source}", path.display())]
    CannotRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a ZIP, or its ZIP structure is truncated or corrupt.
    #[error("This file is not an Exhibit evidence bundle, or it is damaged: {detail}.")]
    NotABundle { detail: String },
}

impl BundleError {
    /// A stable machine-readable code, so callers branch on codes and never on text.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::InvalidPath { .. } => "invalid_path",
            BundleError::DuplicatePath { .. } => "duplicate_path",
            BundleError::ReservedPath { .. } => "reserved_path",
            BundleError::TooLarge { .. } => "bundle_too_large",
            BundleError::Write { .. } => "write_failed",
            BundleError::SourceChanged { .. } => "source_changed",
            BundleError::CannotRead { .. } => "cannot_read",
            BundleError::NotABundle { .. } => "not_a_bundle",
        }
    }
}
