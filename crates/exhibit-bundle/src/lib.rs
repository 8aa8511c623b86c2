//! The evidence bundle of Exhibit: a ZIP that a machine, or anyone with `sha256sum -c`,
//! can check.
//!
//! A bundle holds the packet, `manifest.json` ([`Manifest`]: case, captures, artifacts,
//! attachments, custody head), `SHA256SUMS` (every other file, in the format
//! `sha256sum -c` reads), the original artifacts, and `custody.jsonl` (the custody log,
//! see [`custody_jsonl`]).
//!
//! - [`BundleWriter`] takes files as bytes in memory or as readers it opens when it
//!   writes (each with the size and hash it must have), adds `SHA256SUMS`, and writes a
//!   deterministic ZIP one file at a time, so memory stays flat: same files and time in,
//!   same bytes out. It returns a [`BundleSummary`] with every file's hash and the hash
//!   of the ZIP itself.
//! - [`verify_bundle`] reads a bundle from disk and returns a [`BundleReport`] whose
//!   [`Problem`]s each carry a stable code and one plain sentence. [`BundleError`] is for
//!   files that cannot be read as a bundle at all.
//!
//! # Threat model of the verifier
//!
//! The bundle comes from someone else and may be built to hurt the machine that checks
//! it. The verifier therefore:
//!
//! - never writes to disk, never extracts, never follows or creates links: it reads the
//!   one file it was given and hashes entries as they stream past;
//! - reports, rather than trusts, names that could escape a folder or collide when
//!   extracted (`..`, absolute and drive paths, backslashes, control characters,
//!   duplicates, names equal but for letter case), link and device entries, and ZIPs whose
//!   local and central headers disagree;
//! - counts the bytes decompression actually produces, never the sizes the ZIP declares,
//!   and stops at the [`Limits`]: entry count, bytes per entry, bytes in total, and
//!   expansion ratio;
//! - keeps memory small and bounded: only `SHA256SUMS`, `manifest.json` and the custody
//!   log are held, each up to [`Limits::max_text_bytes`];
//! - never panics on any input.
//!
//! What it proves: the files match `SHA256SUMS` and the manifest, and the custody log is
//! an unbroken chain ending at the head the manifest records. It cannot prove who made
//! the bundle: anyone can rebuild a consistent one. The manifest digest printed in the
//! packet, and later trusted timestamps, anchor it to something outside the bundle.
//!
//! This crate does no SQL and no networking.

mod error;
mod manifest;
mod path;
mod sums;
mod verify;
mod write;

pub use error::BundleError;
pub use manifest::{
    MANIFEST_FORMAT, Manifest, ManifestArtifact, ManifestAttachment, ManifestCapture, ManifestCase,
    ManifestCustody, ManifestTimestamp, custody_jsonl,
};
pub use verify::{
    BombReason, BundleReport, CustodyHead, Problem, verify_bundle, verify_bundle_with,
};
pub use write::{BundleFile, BundleSummary, BundleWriter};

/// The file list every bundle carries.
pub const SUMS_PATH: &str = "SHA256SUMS";
/// The manifest every bundle carries.
pub const MANIFEST_PATH: &str = "manifest.json";
/// Where the writer puts the custody log (the manifest says where the verifier finds it).
pub const CUSTODY_PATH: &str = "custody.jsonl";

/// How much a bundle may hold. The verifier reports anything beyond these as a
/// `decompression_bomb`; the writer refuses to write a bundle its own verifier would
/// reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries in the ZIP's directory (checked before the directory is parsed).
    pub max_entries: u64,
    /// Bytes one entry may decompress to.
    pub max_entry_bytes: u64,
    /// Bytes all entries together may decompress to.
    pub max_total_bytes: u64,
    /// The largest allowed ratio of bytes produced to compressed bytes…
    pub max_ratio: u64,
    /// …checked only once an entry has produced more than this many bytes.
    pub ratio_floor: u64,
    /// Bytes of `SHA256SUMS`, `manifest.json` or the custody log held in memory.
    pub max_text_bytes: u64,
}

const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_entry_bytes: 2 * GIB,
            max_total_bytes: 4 * GIB,
            max_ratio: 200,
            ratio_floor: MIB,
            max_text_bytes: 64 * MIB,
        }
    }
}

impl Limits {
    /// Whether `produced` bytes out of `compressed` bytes is past the ratio limit
    /// (the rule `exhibit_zipguard::ratio_exceeded` shares with the WACZ reader).
    pub(crate) fn ratio_exceeded(&self, produced: u64, compressed: u64) -> bool {
        exhibit_zipguard::ratio_exceeded(produced, compressed, self.max_ratio, self.ratio_floor)
    }
}
