//! The one error type of this crate, with a stable code for each variant.
//!
//! Writing fails on bad input or a failing disk; reading fails on the first thing that
//! cannot be trusted. Every text that comes from a file being read (entry names, record
//! ids, URLs) is escaped before it lands in a message, so a hostile file cannot write
//! control characters to a terminal or a log.

use std::path::PathBuf;

/// Why a WACZ could not be written or imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WarcError {
    /// The WACZ file (or its temporary file beside it) could not be created, written or
    /// moved into place.
    #[error(
        "Exhibit could not write the WACZ file {}: {source}; check that the folder exists, is writable and has free space.",
        path.display()
    )]
    CannotWrite {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The ZIP writer failed while writing the WACZ.
    #[error(
        "Exhibit could not write the WACZ file {}: {source}; check that the folder is writable and has free space.",
        path.display()
    )]
    ZipWrite {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
    /// A page given to the writer cannot be written as it is: an empty or repeated page
    /// id, a URL that is not a URL, a header or content type that would break the format.
    #[error(
        "The page \"{page}\" cannot be written into a WACZ: {reason}; fix the capture and export again."
    )]
    InvalidCapture { page: String, reason: String },
    /// Something given to the writer is larger than a reader (this crate's included)
    /// accepts by default, so the archive could not be imported again.
    #[error(
        "The page \"{page}\" cannot be written into a WACZ: {detail}, more than Exhibit can read back; leave it out or export it on its own."
    )]
    TooLargeToWrite { page: String, detail: String },
    /// An earlier call on this writer failed; its partial file has been removed.
    #[error(
        "This WACZ export already failed and its partial file was removed; start the export again."
    )]
    WriterFailed,
    /// The file to import could not be opened or read.
    #[error(
        "Exhibit could not read {}: {source}; check that the file exists and that you may read it.",
        path.display()
    )]
    CannotRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a ZIP archive, or its ZIP structure is truncated or corrupt.
    #[error(
        "{} is not a WACZ file, or it is damaged: {detail}; ask whoever made it for a fresh copy.",
        path.display()
    )]
    NotAWacz { path: PathBuf, detail: String },
    /// An entry whose name could escape a folder, a link or device entry, an encrypted
    /// entry, or ZIP headers that different tools would read differently.
    #[error(
        "The WACZ entry \"{entry}\" was refused: {reason}; the file may be built to harm the computer that opens it, so it was not imported."
    )]
    UnsafeEntry { entry: String, reason: String },
    /// A size limit of [`crate::Limits`] was reached: too many entries or records, or
    /// more bytes than allowed (often the sign of a decompression bomb).
    #[error(
        "{} is larger than Exhibit reads: {detail}; it may be a decompression bomb, so it was not imported (raise the import limits only if you trust the file).",
        entry.as_deref().map_or_else(|| "The WACZ".to_owned(), |e| format!("The WACZ entry \"{e}\""))
    )]
    TooLargeToRead {
        entry: Option<String>,
        detail: String,
    },
    /// A file every WACZ must hold is not there, or `datapackage.json` lists a file the
    /// ZIP does not hold.
    #[error(
        "The WACZ has no \"{entry}\"{context}; it is incomplete or not a WACZ, so it was not imported."
    )]
    MissingEntry {
        entry: String,
        /// Empty, or a clause such as ", which datapackage.json lists".
        context: &'static str,
    },
    /// An entry's bytes are damaged: a failed CRC, a truncated or corrupt deflate
    /// stream, fewer bytes than its header declares.
    #[error(
        "The WACZ entry \"{entry}\" is damaged: {detail}; ask whoever made it for a fresh copy."
    )]
    DamagedEntry { entry: String, detail: String },
    /// `datapackage.json` or `datapackage-digest.json` cannot be read as WACZ metadata.
    #[error(
        "The WACZ entry \"{entry}\" is not valid WACZ metadata: {detail}; the WACZ was not imported."
    )]
    InvalidMetadata { entry: String, detail: String },
    /// An entry's hash or size differs from what `datapackage.json` lists, or
    /// `datapackage.json`'s hash from what `datapackage-digest.json` lists.
    #[error(
        "The WACZ entry \"{entry}\" has changed since the WACZ was made: its {what} is {actual}, but {listed_in} lists {expected}; the file was altered or damaged, so it was not imported."
    )]
    EntryMismatch {
        entry: String,
        /// "SHA-256", "SHA-1" or "size".
        what: &'static str,
        expected: String,
        actual: String,
        /// The file that lists the expected value.
        listed_in: &'static str,
    },
    /// A file in the ZIP that `datapackage.json` does not list, so nothing vouches for it.
    #[error(
        "The WACZ entry \"{entry}\" is not listed in datapackage.json, so its integrity cannot be checked; the WACZ was altered or made by a faulty tool, so it was not imported."
    )]
    UnlistedEntry { entry: String },
    /// A line of `pages/pages.jsonl` is not a page entry.
    #[error(
        "Line {line} of the WACZ entry \"{entry}\" is not a valid page entry: {detail}; the page list is damaged, so the WACZ was not imported."
    )]
    InvalidPages {
        entry: String,
        line: usize,
        detail: String,
    },
    /// A WARC record cannot be parsed: a header block without end, a missing field,
    /// a `Content-Length` beyond the data, headers that are not UTF-8, a damaged gzip
    /// member.
    #[error(
        "The WARC record {}at offset {offset} of the WACZ entry \"{entry}\" is damaged: {detail}; the WACZ was not imported.",
        record_id.as_deref().map(|id| format!("{id} ")).unwrap_or_default()
    )]
    DamagedRecord {
        entry: String,
        offset: u64,
        record_id: Option<String>,
        detail: String,
    },
    /// A WARC record's block or payload does not match the digest it declares.
    #[error(
        "The WARC record {record_id} at offset {offset} of the WACZ entry \"{entry}\" has changed: its {which} digest is {actual}, but the record declares {expected}; the WACZ was altered or damaged, so it was not imported."
    )]
    DigestMismatch {
        entry: String,
        offset: u64,
        record_id: String,
        /// "block" or "payload".
        which: &'static str,
        expected: String,
        actual: String,
    },
    /// `datapackage-digest.json` carries a signature (`signedData`) that does not verify:
    /// the signed bytes, the signature, the signer's certificate or the time signature.
    #[error("The WACZ's signature failed, so nothing of it was imported: {failure}.")]
    SignatureFailed {
        // Boxed: every Result of this crate would otherwise grow to its size.
        failure: Box<crate::signature::SignatureFailure>,
    },
    /// The WACZ uses something this crate cannot verify (an unknown hash algorithm in
    /// `datapackage.json`, a compression method other than stored and deflate).
    #[error(
        "The WACZ entry \"{entry}\" uses {feature}, which Exhibit cannot check; the WACZ was not imported."
    )]
    Unsupported { entry: String, feature: String },
}

impl WarcError {
    /// A stable machine-readable code, so callers branch on codes and never on text.
    pub fn code(&self) -> &'static str {
        match self {
            WarcError::CannotWrite { .. } | WarcError::ZipWrite { .. } => "write_failed",
            WarcError::InvalidCapture { .. } => "invalid_capture",
            WarcError::TooLargeToWrite { .. } => "capture_too_large",
            WarcError::WriterFailed => "writer_failed",
            WarcError::CannotRead { .. } => "cannot_read",
            WarcError::NotAWacz { .. } => "not_a_wacz",
            WarcError::UnsafeEntry { .. } => "unsafe_entry",
            WarcError::TooLargeToRead { .. } => "too_large",
            WarcError::MissingEntry { .. } => "missing_entry",
            WarcError::DamagedEntry { .. } => "damaged_entry",
            WarcError::InvalidMetadata { .. } => "invalid_metadata",
            WarcError::EntryMismatch { .. } => "entry_mismatch",
            WarcError::UnlistedEntry { .. } => "unlisted_entry",
            WarcError::InvalidPages { .. } => "invalid_pages",
            WarcError::DamagedRecord { .. } => "damaged_record",
            WarcError::DigestMismatch { .. } => "digest_mismatch",
            WarcError::Unsupported { .. } => "unsupported",
            // `signature_invalid`, `signer_untrusted` or `time_signature_invalid`.
            WarcError::SignatureFailed { failure } => failure.code(),
        }
    }

    /// Whether the error says the file was changed or damaged after it was made (a hash
    /// or digest mismatch), as opposed to being malformed or too large from the start.
    pub fn is_tampering(&self) -> bool {
        matches!(
            self,
            WarcError::EntryMismatch { .. }
                | WarcError::DigestMismatch { .. }
                | WarcError::SignatureFailed { .. }
        )
    }
}

/// The most characters of outside text a message shows.
const SHOWN_MAX: usize = 300;

/// Makes text from a file being read safe to show: printable characters as they are,
/// control characters and backslashes escaped, at most 300 characters.
pub(crate) fn shown(text: &str) -> String {
    shown_bytes(text.as_bytes())
}

/// [`shown`] for raw bytes: UTF-8 where it is, every other byte as `\xNN`.
pub(crate) fn shown_bytes(raw: &[u8]) -> String {
    let mut out = String::new();
    let mut count = 0;
    for chunk in raw.utf8_chunks() {
        for c in chunk.valid().chars() {
            if count == SHOWN_MAX {
                out.push('…');
                return out;
            }
            count += 1;
            match c {
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&c.escape_default().to_string()),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            if count == SHOWN_MAX {
                out.push('…');
                return out;
            }
            count += 1;
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_escapes_what_a_terminal_would_act_on() {
        assert_eq!(shown("a\u{1b}[31m\\b"), "a\\u{1b}[31m\\\\b");
        assert_eq!(shown_bytes(b"ok\xff"), "ok\\xff");
        assert_eq!(shown("中文"), "中文");
        assert_eq!(shown(&"x".repeat(400)).chars().count(), 301);
    }
}
