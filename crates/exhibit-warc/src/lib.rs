//! Web archives in the formats archivists replay: WACZ files holding WARC 1.1 records.
//!
//! - [`WaczWriter`] writes a `.wacz` from [`PageCapture`]s: each page's network log as
//!   `request`/`response` [`Exchange`]s and its other bytes (screenshot, timestamp token,
//!   metadata) as [`Resource`]s. The result passes `wacz validate` (py-wacz, WACZ 1.1.1)
//!   and `warcio check` (the tests run both), and is laid out as ReplayWeb.page reads a
//!   WACZ: a stored WARC and a sorted CDXJ index with the offset of each record.
//! - [`read_wacz`] imports a `.wacz` made by any tool (ArchiveWeb.page, Browsertrix,
//!   py-wacz, this crate) into [`WaczContents`]: its pages, each with its main
//!   document's response (redirects followed), the resources captured with it, and
//!   every record of its URL, as [`ImportedRecord`]s. [`open_wacz`] checks the same
//!   and returns a [`WaczReader`] that hands out those pages one at a time, so a
//!   crawl's WACZ of many gigabytes imports in the memory of one page.
//!
//! This crate knows WARC and WACZ, not Exhibit's case file: mapping captures to and from
//! it is the caller's business. It does no networking; checking a signed WACZ reads the
//! system's certificate bundle.
//!
//! # Layout of a WACZ this crate writes
//!
//! ```text
//! archive/data.warc.gz       stored; one gzip member per record; a warcinfo record first
//! indexes/index.cdxj         sorted CDXJ: SURT key, 14-digit timestamp, JSON
//! pages/pages.jsonl          {"format":"json-pages-1.0","id":"pages","title":"All Pages"}, then one page a line
//! datapackage.json           profile, wacz_version 1.1.1, every other entry's sha256 and size
//! datapackage-digest.json    the sha256 of datapackage.json
//! ```
//!
//! Records carry `WARC-Block-Digest` (and `WARC-Payload-Digest` where there is a
//! payload) as `sha256:` and hex, as Webrecorder's own tools write them; `warcio check`
//! accepts hex as well as base32. Every record has the date it was given, never the
//! time of writing.
//!
//! # Threat model of the reader
//!
//! A WACZ to import comes from someone else and may be built to hurt. [`read_wacz`]:
//!
//! - never extracts and never writes: it reads the one file it was given, streaming
//!   each entry from its raw bytes and hashing it on the way;
//! - refuses names that could escape a folder, links, encrypted entries, duplicate
//!   names and ZIPs whose local and central headers disagree;
//! - counts the bytes decompression actually produces, never the sizes declared, and
//!   stops at the [`Limits`] (entries, bytes per entry, bytes in all, expansion ratio,
//!   bytes per record and per header block, records);
//! - checks `datapackage-digest.json` against `datapackage.json`, `datapackage.json`
//!   against every entry (hash and size; an entry it does not list is refused), and
//!   every WARC record's block and payload digests (sha1 or sha256, hex, base32 or
//!   base64). A record without digests is accepted and marked unverified;
//! - checks a signature in `datapackage-digest.json` (Webrecorder's WACZ signing spec)
//!   in full before it trusts `datapackage.json`: the signed hash, the signature, the
//!   signer's certificate chain at the signed time and the RFC 3161 time signature
//!   (module `signature`). A signature that fails refuses the file; an unsigned WACZ
//!   is read as before and says so ([`WaczInfo::signature`] is `None`);
//! - reports the first problem as one [`WarcError`] naming the entry, and for a record
//!   its WARC-Record-ID and offset; never panics on any input.
//!
//! Memory stays bounded: records are streamed and hashed in chunks, and the first pass
//! keeps only an index of them (where each record is and what links it to a page, a few
//! hundred bytes a record, never a payload). [`WaczReader::next_page`] then reads one
//! page's records again, by offset, checking each is the record checked, and holds
//! only that page ([`Limits::max_page_bytes`], checked for every page before the first
//! is handed out). [`read_wacz`] collects every page into one [`WaczContents`], for
//! callers that want them all at once.

mod cdx;
mod entry;
mod error;
mod http;
mod read;
mod record;
mod signature;
mod write;

pub use error::WarcError;
pub use read::{
    ImportedPage, ImportedRecord, WaczContents, WaczInfo, WaczReader, open_wacz, open_wacz_with,
    read_wacz, read_wacz_with,
};
pub use signature::{
    SignatureFailure, SignatureTrust, Signer, TimeSignature, WaczSignature, verify_signed_data,
};
pub use write::{Exchange, PageCapture, Resource, WaczMeta, WaczSummary, WaczWriter, resource_uri};

/// The WACZ version this crate writes (the one `wacz validate` checks).
pub const WACZ_VERSION: &str = "1.1.1";
/// The one WARC of a WACZ this crate writes.
pub const WARC_PATH: &str = "archive/data.warc.gz";
/// The CDXJ index of a WACZ this crate writes.
pub const INDEX_PATH: &str = "indexes/index.cdxj";
/// The page list every WACZ carries.
pub const PAGES_PATH: &str = "pages/pages.jsonl";
/// The manifest every WACZ carries.
pub const DATAPACKAGE_PATH: &str = "datapackage.json";
/// The hash of the manifest.
pub const DATAPACKAGE_DIGEST_PATH: &str = "datapackage-digest.json";

/// How much an import may read. Anything beyond is refused as
/// [`WarcError::TooLargeToRead`]; the writer refuses to write what the defaults would
/// refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries in the ZIP's directory (checked before the directory is parsed).
    pub max_entries: u64,
    /// Bytes one ZIP entry may decompress to.
    pub max_entry_bytes: u64,
    /// Bytes one import may produce in all: every entry as decompressed from the ZIP,
    /// plus every gzip member of a WARC as decompressed.
    pub max_total_bytes: u64,
    /// Bytes one WARC record's block may hold (its `Content-Length`).
    pub max_record_bytes: u64,
    /// Bytes one WARC header block, or one HTTP head inside a record, may hold.
    pub max_header_bytes: u64,
    /// Bytes of `datapackage.json`, `datapackage-digest.json` or `pages.jsonl` held in
    /// memory.
    pub max_text_bytes: u64,
    /// WARC records in one WACZ.
    pub max_records: u64,
    /// Bytes of payload the records linked to one page may hold (its response, its
    /// resources and every record of its URL): what [`WaczReader`] holds at once.
    pub max_page_bytes: u64,
    /// The largest ratio of bytes produced to compressed bytes for a deflated entry…
    pub max_ratio: u64,
    /// …checked only once the entry has produced more than this many bytes.
    pub ratio_floor: u64,
}

const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_entry_bytes: 2 * GIB,
            max_total_bytes: 4 * GIB,
            max_record_bytes: 512 * MIB,
            max_header_bytes: MIB,
            max_text_bytes: 64 * MIB,
            max_records: 1_000_000,
            max_page_bytes: GIB,
            max_ratio: 200,
            ratio_floor: MIB,
        }
    }
}

impl Limits {
    /// Limits for an import that streams its pages ([`open_wacz`]), as a crawl's WACZ
    /// needs: memory no longer grows with the file, so one entry may hold 64 GiB and a
    /// file expand to 256 GiB in all, in up to 10 million records. Every other limit
    /// (a record, a header, a page, the expansion ratio) is the default's.
    pub fn streaming() -> Limits {
        Limits {
            max_entry_bytes: 64 * GIB,
            max_total_bytes: 256 * GIB,
            max_records: 10_000_000,
            ..Limits::default()
        }
    }

    /// Whether `produced` bytes out of `compressed` bytes is past the ratio limit.
    pub(crate) fn ratio_exceeded(&self, produced: u64, compressed: u64) -> bool {
        exhibit_zipguard::ratio_exceeded(produced, compressed, self.max_ratio, self.ratio_floor)
    }
}
