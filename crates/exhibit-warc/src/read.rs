//! The importer: reads a WACZ it must treat as hostile (see the crate overview), and
//! returns its pages with the records behind them.
//!
//! Order of work, so that nothing is used before it is checked:
//!
//! 1. The declared entry count is capped before the ZIP directory is parsed; every
//!    entry's name, type, encryption, compression and declared size are checked.
//! 2. `datapackage-digest.json` (when present) is checked against `datapackage.json`,
//!    and its signature (when it has one) in full; `datapackage.json` must list every
//!    other entry and only those.
//! 3. Every entry is streamed once, hashed and compared with `datapackage.json`. WARC
//!    entries are parsed on the way: each record's digests are checked as it passes
//!    (so a changed record is named before the entry's hash gives it away), and an
//!    index of all records is kept, without their payloads.
//! 4. Pages from `pages/pages.jsonl` are linked to records by URL (and `WARC-Page-ID`
//!    where the writer set one); redirects of the main document are followed. Each
//!    page's linked payloads are measured against [`Limits::max_page_bytes`].
//!    [`open_wacz`] returns here: every refusal of the file's content happened by now.
//! 5. Page by page ([`WaczReader::next_page`]), only that page's linked records are
//!    read again, by offset, for their payloads: a stored WARC is entered at the record,
//!    a deflated one read forward (and from its start again only when a page's records
//!    lie behind the last one read). Each is checked again on the way and must have the
//!    SHA-256 it had in step 3.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use chrono::{DateTime, Utc};
use flate2::bufread::GzDecoder;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use url::Url;
use zip::{CompressionMethod, ZipArchive};

use exhibit_zipguard::{DeclaredCount, declared_entry_count};

use crate::entry::{Budget, Charged, EntryDigest, EntryInfo, EntryReader, Tracked, unsafe_name};
use crate::error::{shown, shown_bytes};
use crate::http::{HttpHead, dechunk};
use crate::record::{
    Algo, Declared, DigestField, FaultKind, Hasher, ParsedRecord, RecordFault, parse_digest,
    parse_warc_date, read_record, timestamp14,
};
use crate::signature::{SignatureTrust, WaczSignature, verify_signed_data};
use crate::{DATAPACKAGE_DIGEST_PATH, DATAPACKAGE_PATH, Limits, PAGES_PATH, WarcError};

/// How many redirects of a page's main document are followed.
const MAX_REDIRECTS: usize = 10;

/// What a WACZ holds, as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczContents {
    pub meta: WaczInfo,
    /// The pages of `pages/pages.jsonl`, in its order.
    pub pages: Vec<ImportedPage>,
    /// WARC records read and checked, in all WARCs of the WACZ.
    pub records_checked: u64,
    /// Of those, records that carry no digest this crate can check (accepted, but
    /// nothing proves they are unchanged beyond `datapackage.json`'s hash of the WARC).
    pub unverified_records: u64,
}

/// The collection's metadata, from `datapackage.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczInfo {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The software that made the WACZ, e.g. `Browsertrix-Crawler 1.2.0`.
    pub software: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub wacz_version: Option<String>,
    /// SHA-256 of `datapackage.json`, which lists the hash of every other entry.
    pub datapackage_sha256: [u8; 32],
    /// Whether `datapackage-digest.json` was there (it then matched, or the import
    /// would have failed).
    pub datapackage_digest_checked: bool,
    /// Whether `datapackage-digest.json` carries a signature (`signedData`). When it
    /// does, it verified (or the import would have failed), and [`Self::signature`]
    /// says who signed and when.
    pub signature_present: bool,
    /// The verified signature; `None` for an unsigned WACZ.
    pub signature: Option<WaczSignature>,
}

/// One page of the WACZ and the records linked to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPage {
    /// The page's id; `TIMESTAMP/URL` when `pages.jsonl` gives none.
    pub id: String,
    pub url: String,
    pub ts: DateTime<Utc>,
    pub title: Option<String>,
    /// The response for the page's main document: the one for its URL nearest to
    /// `ts` (preferring records marked with this page's `WARC-Page-ID`), and when that
    /// is a redirect, the response it leads to, up to ten hops.
    pub response: Option<ImportedRecord>,
    /// `resource` and `metadata` records captured with the page: those whose URI is
    /// `urn:KIND:PAGE-URL` (screenshots, text, page info), and those that carry this
    /// page's `WARC-Page-ID` and either a `urn:` URI or, for a `resource` record, any
    /// URI other than the page's (a picture the page names, kept on its own).
    pub resources: Vec<ImportedRecord>,
    /// Every record whose target URI is the page's URL (request, response, revisit…),
    /// except those another page of the WACZ claims by `WARC-Page-ID`.
    pub records: Vec<ImportedRecord>,
}

/// One WARC record, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRecord {
    pub record_id: String,
    /// Lower case: `response`, `request`, `resource`, `revisit`, `metadata`…
    pub warc_type: String,
    /// The record's WARC-Date.
    pub date: DateTime<Utc>,
    pub target_uri: String,
    /// The payload's media type: the HTTP `Content-Type` of an HTTP record, the
    /// record's own `Content-Type` otherwise.
    pub content_type: Option<String>,
    /// The status code of an HTTP response.
    pub http_status: Option<u16>,
    /// The HTTP headers of an HTTP record, as stored.
    pub http_headers: Vec<(String, String)>,
    /// Every header field of the WARC record, in order.
    pub warc_headers: Vec<(String, String)>,
    /// The payload as stored: an HTTP body after the HTTP head (with any
    /// `Content-Encoding`, and chunked if the record kept `Transfer-Encoding: chunked`),
    /// or the whole block of other records.
    pub payload: Vec<u8>,
    /// SHA-256 of the record's whole block, whatever digest the record declares.
    pub block_sha256: [u8; 32],
    /// Whether the record declared a digest this crate could check, and every declared
    /// digest matched. False means the record carries no checkable digest.
    pub digest_verified: bool,
    /// The WACZ entry holding the record, e.g. `archive/data.warc.gz`.
    pub file: String,
    /// The record's offset in that entry (of its gzip member when compressed).
    pub offset: u64,
}

impl ImportedRecord {
    /// The HTTP body with any chunked transfer coding the record kept removed (some
    /// crawlers store the stream as it came), `Content-Encoding` still applied: what a
    /// live fetch would call the body. The payload itself when it is not chunked, or
    /// when its chunks do not parse.
    pub fn body(&self) -> Cow<'_, [u8]> {
        let head = HttpHead {
            status: self.http_status,
            headers: self.http_headers.clone(),
        };
        if head.is_chunked()
            && let Some(body) = dechunk(&self.payload)
        {
            return Cow::Owned(body);
        }
        Cow::Borrowed(&self.payload)
    }
}

/// A resource `datapackage.json` lists.
struct Listed {
    declared: Declared,
    bytes: Option<u64>,
}

/// A page as `pages.jsonl` lists it.
struct PageEntry {
    id: String,
    url: String,
    ts: DateTime<Utc>,
    title: Option<String>,
}

/// What the first pass keeps of a record: where it is and what links it.
struct Indexed {
    entry: usize,
    offset: u64,
    /// Its place in its gzip member (0 unless a member holds several records).
    nth: usize,
    warc_type: String,
    date: DateTime<Utc>,
    target: Option<String>,
    key: Option<String>,
    urn_key: Option<String>,
    status: Option<u16>,
    location: Option<String>,
    page_id: Option<String>,
    /// What was checked, to find the same record again.
    block_sha256: [u8; 32],
    /// The bytes its payload holds when read.
    payload_len: u64,
}

/// Shared state of one import.
struct Ctx {
    limits: Limits,
    budget: Budget,
    file_len: u64,
}

type Archive = ZipArchive<BufReader<File>>;

/// Reads and checks the WACZ at `path`. See the crate overview for what is checked and
/// what is refused; the first problem found is the error. A signature is checked against
/// the system's roots ([`SignatureTrust::system`]), loaded only when there is one.
pub fn read_wacz(path: &Path, limits: &Limits) -> Result<WaczContents, WarcError> {
    open(path, limits, None)?.collect_all()
}

/// [`read_wacz`] checking a signature against the roots of `trust` instead.
pub fn read_wacz_with(
    path: &Path,
    limits: &Limits,
    trust: &SignatureTrust,
) -> Result<WaczContents, WarcError> {
    open(path, limits, Some(trust))?.collect_all()
}

/// Reads and checks the WACZ at `path` as [`read_wacz`] does, every entry and every
/// record, and returns a reader that hands out its pages one at a time, so that only
/// one page's records are held in memory at once (see [`WaczReader`]).
pub fn open_wacz(path: &Path, limits: &Limits) -> Result<WaczReader, WarcError> {
    open(path, limits, None)
}

/// [`open_wacz`] checking a signature against the roots of `trust` instead.
pub fn open_wacz_with(
    path: &Path,
    limits: &Limits,
    trust: &SignatureTrust,
) -> Result<WaczReader, WarcError> {
    open(path, limits, Some(trust))
}

/// A WACZ read and checked in full, whose pages are handed out one at a time.
///
/// [`open_wacz`] has already streamed every entry, checked it against
/// `datapackage.json`, and checked every WARC record's digests; it kept only an index of
/// the records (where each is and what links it to a page, never a payload). Each
/// [`WaczReader::next_page`] then reads that page's records again from the file, by
/// offset (a stored WARC is entered at the record; a deflated one is read forward), and
/// checks that each has the same SHA-256 as when it was checked, so a page is exactly
/// what was verified even if the file changed since. A page's records are limited by
/// [`Limits::max_page_bytes`], checked for every page before the first is handed out.
/// Every refusal of the file's content therefore happens in [`open_wacz`]; `next_page`
/// fails only if the file cannot be read again or changed underneath.
pub struct WaczReader {
    meta: WaczInfo,
    records_checked: u64,
    unverified_records: u64,
    ctx: Ctx,
    file: File,
    /// The entries that hold content, as numbered in the index.
    contents: Vec<EntryInfo>,
    index: Vec<Indexed>,
    pages: std::vec::IntoIter<(PageEntry, Links)>,
    page_count: usize,
    /// Where reading stands in the WARC entries read most recently (a crawl keeps its
    /// screenshots in a WARC of their own, so a page's records are often in two).
    cursors: Vec<Cursor>,
}

impl std::fmt::Debug for WaczReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaczReader")
            .field("meta", &self.meta)
            .field("pages", &self.page_count)
            .field("records_checked", &self.records_checked)
            .finish_non_exhaustive()
    }
}

/// Where the second pass stands in one WARC entry.
struct Cursor {
    entry: usize,
    t: Tracked<EntryReader<'static>>,
}

impl WaczReader {
    /// The collection's metadata (and its verified signature).
    pub fn meta(&self) -> &WaczInfo {
        &self.meta
    }

    /// Pages in `pages/pages.jsonl`, all of which [`WaczReader::next_page`] hands out.
    pub fn page_count(&self) -> usize {
        self.page_count
    }

    /// WARC records read and checked, in all WARCs of the WACZ.
    pub fn records_checked(&self) -> u64 {
        self.records_checked
    }

    /// Of those, records that carry no digest this crate can check.
    pub fn unverified_records(&self) -> u64 {
        self.unverified_records
    }

    /// The next page of `pages.jsonl`, in its order, with its records; `None` after the
    /// last.
    pub fn next_page(&mut self) -> Option<Result<ImportedPage, WarcError>> {
        let (page, links) = self.pages.next()?;
        Some(self.page(page, links))
    }

    /// Every page at once, as [`read_wacz`] returns them.
    pub fn collect_all(mut self) -> Result<WaczContents, WarcError> {
        let mut pages = Vec::with_capacity(self.page_count);
        while let Some(page) = self.next_page() {
            pages.push(page?);
        }
        Ok(WaczContents {
            meta: self.meta,
            pages,
            records_checked: self.records_checked,
            unverified_records: self.unverified_records,
        })
    }

    fn page(&mut self, page: PageEntry, l: Links) -> Result<ImportedPage, WarcError> {
        // What to read, by entry and offset, each record once.
        let mut wanted: BTreeMap<(usize, u64), BTreeSet<usize>> = BTreeMap::new();
        for &i in l.response.iter().chain(&l.resources).chain(&l.records) {
            let r = &self.index[i];
            wanted.entry((r.entry, r.offset)).or_default().insert(r.nth);
        }
        let mut fetched: HashMap<(usize, u64, usize), ImportedRecord> = HashMap::new();
        for ((entry, offset), nths) in &wanted {
            self.fetch(*entry, *offset, nths, &mut fetched)?;
        }
        let index = &self.index;
        let contents = &self.contents;
        let take = |i: usize| -> Result<ImportedRecord, WarcError> {
            let r = &index[i];
            let found = fetched
                .get(&(r.entry, r.offset, r.nth))
                .filter(|f| f.block_sha256 == r.block_sha256);
            found.cloned().ok_or_else(|| WarcError::DamagedRecord {
                entry: contents
                    .get(r.entry)
                    .map(|e| shown(&e.name))
                    .unwrap_or_default(),
                offset: r.offset,
                record_id: None,
                detail: "the record could not be found again; the file changed while it was read"
                    .to_owned(),
            })
        };
        Ok(ImportedPage {
            response: l.response.map(take).transpose()?,
            resources: l
                .resources
                .into_iter()
                .map(take)
                .collect::<Result<_, _>>()?,
            records: l.records.into_iter().map(take).collect::<Result<_, _>>()?,
            id: page.id,
            url: page.url,
            ts: page.ts,
            title: page.title,
        })
    }

    /// Reads the records `nths` of the gzip member (or the plain record) at `offset` of
    /// content entry `entry`, with their payloads, checking them again on the way.
    fn fetch(
        &mut self,
        entry: usize,
        offset: u64,
        nths: &BTreeSet<usize>,
        out: &mut HashMap<(usize, u64, usize), ImportedRecord>,
    ) -> Result<(), WarcError> {
        let Some(e) = self.contents.get(entry) else {
            return Ok(());
        };
        // Reading forward from where the cursor stands is cheapest when the record is
        // ahead: always for a deflated entry (which can only be entered at its start),
        // and for a stored one when it is near.
        let found = self.cursors.iter().position(|c| c.entry == entry);
        let reuse = found.filter(|&i| {
            let pos = self.cursors[i].t.pos();
            pos <= offset && (e.method != CompressionMethod::Stored || offset - pos <= NEAR)
        });
        let mut cursor = match (reuse, found) {
            (Some(i), _) => self.cursors.remove(i),
            (None, found) => {
                if let Some(i) = found {
                    self.cursors.remove(i);
                }
                self.cursor_at(entry, e, offset)?
            }
        };
        let t = &mut cursor.t;
        if let Err(err) = t.skip_to(offset) {
            return Err(entry_failure(t, &e.name, err));
        }
        let last = nths.last().copied().unwrap_or_default();
        let mut on = |nth: usize, rec: ParsedRecord| -> Result<bool, WarcError> {
            if nths.contains(&nth) {
                out.insert((entry, offset, nth), imported(rec, &e.name, offset));
            }
            Ok(nth < last)
        };
        // The bytes were counted against the budget when they were checked; this pass
        // reads only those again.
        if let Err(fail) = records_at(t, &self.ctx, None, &|nth| nths.contains(&nth), &mut on) {
            return Err(record_error(*fail, t, &self.ctx, &e.name, offset));
        }
        // Kept for the next page, most recent last; the oldest goes past a few.
        self.cursors.push(cursor);
        if self.cursors.len() > MAX_CURSORS {
            self.cursors.remove(0);
        }
        Ok(())
    }

    /// A reader of content entry `entry` standing at `offset` (a stored entry), or at
    /// its start (a deflated one).
    fn cursor_at(&self, entry: usize, e: &EntryInfo, offset: u64) -> Result<Cursor, WarcError> {
        let cannot = |detail: String| WarcError::DamagedEntry {
            entry: shown(&e.name),
            detail,
        };
        let data_start = e
            .data_start
            .ok_or_else(|| cannot("its data cannot be found again".to_owned()))?;
        let skip = if e.method == CompressionMethod::Stored {
            offset.min(e.compressed)
        } else {
            0
        };
        let mut file = self
            .file
            .try_clone()
            .map_err(|err| cannot(format!("it cannot be read again ({err})")))?;
        file.seek(SeekFrom::Start(data_start.saturating_add(skip)))
            .map_err(|err| cannot(format!("it cannot be read again ({err})")))?;
        let raw = BufReader::with_capacity(64 * 1024, file).take(e.compressed - skip);
        let reader = EntryReader::from_raw(
            raw,
            e,
            &self.ctx.limits,
            None,
            self.ctx.file_len,
            Algo::Sha256,
            skip,
        );
        Ok(Cursor {
            entry,
            t: Tracked::at(reader, skip),
        })
    }
}

/// How far ahead in a stored entry a record may be for the cursor to read up to it
/// rather than seek.
const NEAR: u64 = 1024 * 1024;

/// How many WARC entries keep their place between pages.
const MAX_CURSORS: usize = 4;

/// Opens and checks the WACZ at `path`: steps 1 to 4 of the module overview, each in a
/// function of its own, in that order.
fn open(
    path: &Path,
    limits: &Limits,
    trust: Option<&SignatureTrust>,
) -> Result<WaczReader, WarcError> {
    let (file, file_len) = open_file(path)?;
    let mut archive = open_zip(path, file, file_len, limits)?;
    let entries = catalogue(&archive, limits)?;
    let ctx = Ctx {
        limits: *limits,
        budget: Budget::new(limits.max_total_bytes),
        file_len,
    };
    let by_name: HashMap<&str, &EntryInfo> = entries.iter().map(|e| (e.name.as_str(), e)).collect();
    let (meta, listed) = read_manifest(&mut archive, &by_name, &ctx, trust)?;
    let mut contents = listed_contents(&entries, &by_name, &listed)?;

    // First pass: every entry hashed, every record checked and indexed.
    let first = first_pass(&mut archive, &mut contents, &listed, &ctx)?;
    let pages = parse_pages(first.pages_bytes.as_deref().unwrap_or_default())?;

    // Linking; every page's records are measured before any is handed out, so a page
    // too large to hold refuses the file before anything is imported.
    let links = link(&pages, &first.index);
    check_page_sizes(&pages, &links, &first.index, limits)?;
    let page_count = pages.len();
    let file = archive.into_inner().into_inner();
    Ok(WaczReader {
        meta,
        records_checked: first.records_checked,
        unverified_records: first.unverified_records,
        ctx,
        file,
        contents,
        index: first.index,
        pages: pages.into_iter().zip(links).collect::<Vec<_>>().into_iter(),
        page_count,
        cursors: Vec::new(),
    })
}

/// The file at `path` could not be read.
fn cannot_read(path: &Path, source: io::Error) -> WarcError {
    WarcError::CannotRead {
        path: path.to_owned(),
        source,
    }
}

/// The file at `path` is not a WACZ: `detail` says why.
fn not_wacz(path: &Path, detail: String) -> WarcError {
    WarcError::NotAWacz {
        path: path.to_owned(),
        detail,
    }
}

/// The file at `path`, opened, and its length: a regular file that is not empty.
fn open_file(path: &Path) -> Result<(File, u64), WarcError> {
    // Look before opening: opening a FIFO would block.
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, e))?;
    if !meta.is_file() {
        return Err(not_wacz(
            path,
            "it is a folder or a device, not a file".to_owned(),
        ));
    }
    let file = File::open(path).map_err(|e| cannot_read(path, e))?;
    let file_len = file.metadata().map_err(|e| cannot_read(path, e))?.len();
    if file_len == 0 {
        return Err(not_wacz(path, "the file is empty".to_owned()));
    }
    Ok((file, file_len))
}

/// Step 1, the ZIP: its declared entry count capped before its directory is parsed,
/// then the directory, which must name each entry once and agree with the local
/// headers. The entries themselves are checked by [`catalogue`].
fn open_zip(path: &Path, file: File, file_len: u64, limits: &Limits) -> Result<Archive, WarcError> {
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    match declared_entry_count(&mut reader, file_len).map_err(|e| cannot_read(path, e))? {
        DeclaredCount::Found(n) if n > limits.max_entries => {
            return Err(WarcError::TooLargeToRead {
                entry: None,
                detail: format!(
                    "its ZIP directory declares {n} entries, more than the {} Exhibit reads",
                    limits.max_entries
                ),
            });
        }
        DeclaredCount::Found(_) => {}
        DeclaredCount::NoDirectory => {
            return Err(not_wacz(
                path,
                "no ZIP directory was found at its end, so it is cut short or not a ZIP archive at all"
                    .to_owned(),
            ));
        }
        DeclaredCount::Misplaced64 => {
            return Err(not_wacz(
                path,
                "its ZIP64 directory record is not where the ZIP says it is".to_owned(),
            ));
        }
    }
    let mut archive = ZipArchive::new(reader)
        .map_err(|e| not_wacz(path, format!("its ZIP directory is corrupt ({e})")))?;
    if archive.has_duplicate_names() {
        return Err(not_wacz(
            path,
            "its ZIP directory lists the same name more than once, so different tools could read different files"
                .to_owned(),
        ));
    }
    archive.validate_header_consistency().map_err(|e| {
        not_wacz(path, format!(
            "its local and central ZIP headers disagree ({e}), so different tools could read different files"
        ))
    })?;
    Ok(archive)
}

/// Step 2, the manifest: `datapackage.json`, checked against `datapackage-digest.json`
/// when there is one and against the signature that carries when it has one; its
/// metadata, and the resources it lists.
fn read_manifest(
    archive: &mut Archive,
    by_name: &HashMap<&str, &EntryInfo>,
    ctx: &Ctx,
    trust: Option<&SignatureTrust>,
) -> Result<(WaczInfo, BTreeMap<String, Listed>), WarcError> {
    // The manifest, and the digest that vouches for it.
    let Some(package_entry) = by_name.get(DATAPACKAGE_PATH) else {
        return Err(WarcError::MissingEntry {
            entry: DATAPACKAGE_PATH.to_owned(),
            context: "",
        });
    };
    let mut digest_checked = false;
    let mut signed_data: Option<Value> = None;
    let mut package_declared: Option<Declared> = None;
    if let Some(e) = by_name.get(DATAPACKAGE_DIGEST_PATH) {
        let (bytes, digest) = read_text(archive, e, ctx, Algo::Sha256)?;
        digest.check_crc()?;
        let (declared, signed) = parse_package_digest(&bytes)?;
        package_declared = Some(declared);
        signed_data = signed;
        digest_checked = true;
    }
    let (package_bytes, package_digest) = read_text(archive, package_entry, ctx, Algo::Sha256)?;
    let datapackage_sha256: [u8; 32] = Sha256::digest(&package_bytes).into();
    if let Some(d) = &package_declared {
        check_package_hash(d, &package_bytes)?;
    }
    package_digest.check_crc()?;
    let (info, listed) = parse_package(&package_bytes)?;
    // The signature vouches for datapackage.json, which vouches for everything else: it
    // is checked before anything listed there is trusted.
    let signature = match &signed_data {
        None => None,
        Some(signed) => Some(check_signature(signed, &package_bytes, trust)?),
    };
    let meta = WaczInfo {
        datapackage_sha256,
        datapackage_digest_checked: digest_checked,
        signature_present: signature.is_some(),
        signature,
        ..info
    };
    Ok((meta, listed))
}

/// `datapackage.json`'s bytes against the hash `datapackage-digest.json` declares.
fn check_package_hash(declared: &Declared, package_bytes: &[u8]) -> Result<(), WarcError> {
    let mut h = Hasher::new(declared.algo());
    h.update(package_bytes);
    let actual = h.finish();
    if actual != declared.value() {
        return Err(WarcError::EntryMismatch {
            entry: DATAPACKAGE_PATH.to_owned(),
            what: declared.algo().name(),
            expected: shown(declared.text()),
            actual: declared.spell(&actual),
            listed_in: DATAPACKAGE_DIGEST_PATH,
        });
    }
    Ok(())
}

/// The signature of `datapackage-digest.json` (its `signedData`), verified in full
/// over `datapackage.json`'s bytes against the roots of `trust`, or the system's when
/// none were given (loaded only now that there is a signature to check).
fn check_signature(
    signed: &Value,
    package_bytes: &[u8],
    trust: Option<&SignatureTrust>,
) -> Result<WaczSignature, WarcError> {
    let failed = |failure| WarcError::SignatureFailed {
        failure: Box::new(failure),
    };
    let system;
    let trust = match trust {
        Some(t) => t,
        None => {
            system = SignatureTrust::system().map_err(failed)?;
            &system
        }
    };
    verify_signed_data(signed, package_bytes, trust).map_err(failed)
}

/// Step 2, the listing: every resource `datapackage.json` lists is in the ZIP, and
/// every other entry is listed there. Returns the entries that hold content (all but
/// `datapackage.json` and its digest), which must include a WARC and the page list.
fn listed_contents(
    entries: &[EntryInfo],
    by_name: &HashMap<&str, &EntryInfo>,
    listed: &BTreeMap<String, Listed>,
) -> Result<Vec<EntryInfo>, WarcError> {
    for path in listed.keys() {
        if !by_name.contains_key(path.as_str()) {
            return Err(WarcError::MissingEntry {
                entry: shown(path),
                context: ", which datapackage.json lists",
            });
        }
    }
    let contents: Vec<EntryInfo> = entries
        .iter()
        .filter(|e| e.name != DATAPACKAGE_PATH && e.name != DATAPACKAGE_DIGEST_PATH)
        .cloned()
        .collect();
    for e in &contents {
        if !listed.contains_key(&e.name) {
            return Err(WarcError::UnlistedEntry {
                entry: shown(&e.name),
            });
        }
    }
    if !contents.iter().any(|e| is_warc(&e.name)) {
        return Err(WarcError::MissingEntry {
            entry: "archive/".to_owned(),
            context: " folder with a WARC file in it",
        });
    }
    if !by_name.contains_key(PAGES_PATH) {
        return Err(WarcError::MissingEntry {
            entry: PAGES_PATH.to_owned(),
            context: "",
        });
    }
    Ok(contents)
}

/// What the first pass keeps: the index of every record, the counts, and the page list.
struct FirstPass {
    index: Vec<Indexed>,
    records_checked: u64,
    unverified_records: u64,
    /// The bytes of `pages/pages.jsonl`, read on the way.
    pages_bytes: Option<Vec<u8>>,
}

/// Step 3, the first pass: every content entry streamed once, hashed and compared with
/// `datapackage.json`; a WARC's records checked and indexed on the way (and where its
/// raw bytes start noted, to enter it again at a record), the page list kept.
fn first_pass(
    archive: &mut Archive,
    contents: &mut [EntryInfo],
    listed: &BTreeMap<String, Listed>,
    ctx: &Ctx,
) -> Result<FirstPass, WarcError> {
    let mut first = FirstPass {
        index: Vec::new(),
        records_checked: 0,
        unverified_records: 0,
        pages_bytes: None,
    };
    for (n, e) in contents.iter_mut().enumerate() {
        let Some(l) = listed.get(&e.name) else {
            continue;
        };
        if is_warc(&e.name) {
            // Where its raw bytes start, to enter it again at a record.
            e.data_start = archive
                .by_index_raw(e.index)
                .ok()
                .and_then(|raw| raw.data_start());
        }
        let e = &*e;
        let algo = l.declared.algo();
        let digest = if is_warc(&e.name) {
            index_warc(
                archive,
                e,
                n,
                ctx,
                algo,
                &mut first.index,
                &mut first.records_checked,
                &mut first.unverified_records,
            )?
        } else if e.name == PAGES_PATH {
            let (bytes, digest) = read_text(archive, e, ctx, algo)?;
            first.pages_bytes = Some(bytes);
            digest
        } else {
            open_entry(archive, e, ctx, Some(&ctx.budget), algo)?.finish()?
        };
        compare_listed(&e.name, l, &digest)?;
        digest.check_crc()?;
    }
    Ok(first)
}

/// Step 4's measure: the payloads linked to each page, against
/// [`Limits::max_page_bytes`].
fn check_page_sizes(
    pages: &[PageEntry],
    links: &[Links],
    index: &[Indexed],
    limits: &Limits,
) -> Result<(), WarcError> {
    for (page, l) in pages.iter().zip(links) {
        let held: u64 = l
            .response
            .iter()
            .chain(&l.resources)
            .chain(&l.records)
            .map(|&i| index[i].payload_len)
            .fold(0, u64::saturating_add);
        if held > limits.max_page_bytes {
            return Err(WarcError::TooLargeToRead {
                entry: None,
                detail: format!(
                    "its page \"{}\" has {held} bytes of records, more than the {} Exhibit holds for one page",
                    shown(&page.id),
                    limits.max_page_bytes
                ),
            });
        }
    }
    Ok(())
}

/// Checks every entry's metadata and returns the file entries, in archive order.
fn catalogue(archive: &Archive, limits: &Limits) -> Result<Vec<EntryInfo>, WarcError> {
    let mut entries = Vec::new();
    let mut declared_total: u64 = 0;
    for index in 0..archive.len() {
        let Some(entry) = checked_entry(archive, index, limits)? else {
            continue;
        };
        declared_total = declared_total.saturating_add(entry.size);
        entries.push(entry);
    }
    if declared_total > limits.max_total_bytes {
        return Err(WarcError::TooLargeToRead {
            entry: None,
            detail: format!(
                "its entries declare {declared_total} bytes in all, more than the {} Exhibit reads from one file",
                limits.max_total_bytes
            ),
        });
    }
    Ok(entries)
}

/// Entry `index` of the ZIP, its metadata checked: a safe UTF-8 name, a type that is
/// neither a link nor another one refused, no encryption, stored or deflated, and a
/// declared size within [`Limits::max_entry_bytes`]. `None` for a folder entry, which
/// holds nothing.
fn checked_entry(
    archive: &Archive,
    index: usize,
    limits: &Limits,
) -> Result<Option<EntryInfo>, WarcError> {
    let e = archive
        .by_index_data(index)
        .map_err(|e| WarcError::UnsafeEntry {
            entry: format!("#{index}"),
            reason: format!("its ZIP header cannot be read ({e})"),
        })?;
    let raw = e.name_raw();
    let Ok(name) = std::str::from_utf8(raw) else {
        return Err(WarcError::UnsafeEntry {
            entry: shown_bytes(raw),
            reason: "its name is not UTF-8 text".to_owned(),
        });
    };
    let refuse = |reason: &str| WarcError::UnsafeEntry {
        entry: shown(name),
        reason: reason.to_owned(),
    };
    if let Some(reason) = unsafe_name(name) {
        return Err(refuse(reason));
    }
    let kind = exhibit_zipguard::entry_type(e.external_attributes(), name.ends_with('/'));
    if let Some(what) = kind.refused() {
        return Err(refuse(&format!("it is {what}")));
    }
    if name.ends_with('/') {
        if e.size() > 0 {
            return Err(refuse("it is a folder entry that carries content"));
        }
        return Ok(None);
    }
    if e.encrypted() {
        return Err(WarcError::Unsupported {
            entry: shown(name),
            feature: "encryption".to_owned(),
        });
    }
    let method = e.compression();
    if !matches!(
        method,
        CompressionMethod::Stored | CompressionMethod::Deflated
    ) {
        return Err(WarcError::Unsupported {
            entry: shown(name),
            feature: format!("the compression method {method}"),
        });
    }
    if e.size() > limits.max_entry_bytes {
        return Err(WarcError::TooLargeToRead {
            entry: Some(shown(name)),
            detail: format!(
                "it declares {} bytes, more than the {} Exhibit reads from one entry",
                e.size(),
                limits.max_entry_bytes
            ),
        });
    }
    Ok(Some(EntryInfo {
        index,
        name: name.to_owned(),
        method,
        size: e.size(),
        compressed: e.compressed_size(),
        crc: e.crc32(),
        data_start: None,
    }))
}

fn is_warc(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("archive/") && (lower.ends_with(".warc") || lower.ends_with(".warc.gz"))
}

fn open_entry<'a>(
    archive: &'a mut Archive,
    e: &EntryInfo,
    ctx: &'a Ctx,
    budget: Option<&'a Budget>,
    algo: Algo,
) -> Result<EntryReader<'a>, WarcError> {
    let raw = archive
        .by_index_raw(e.index)
        .map_err(|err| WarcError::DamagedEntry {
            entry: shown(&e.name),
            detail: format!("its data cannot be found ({err})"),
        })?;
    Ok(EntryReader::new(
        raw,
        e,
        &ctx.limits,
        budget,
        ctx.file_len,
        algo,
    ))
}

/// An entry small enough to hold: its bytes and digest.
fn read_text(
    archive: &mut Archive,
    e: &EntryInfo,
    ctx: &Ctx,
    algo: Algo,
) -> Result<(Vec<u8>, EntryDigest), WarcError> {
    let max = ctx.limits.max_text_bytes;
    if e.size > max {
        return Err(WarcError::TooLargeToRead {
            entry: Some(shown(&e.name)),
            detail: format!(
                "it declares {} bytes, more than the {max} Exhibit reads for this file",
                e.size
            ),
        });
    }
    let mut reader = open_entry(archive, e, ctx, Some(&ctx.budget), algo)?;
    let mut bytes = Vec::new();
    if let Err(err) = (&mut reader).take(max).read_to_end(&mut bytes) {
        return Err(reader
            .failure
            .take()
            .unwrap_or_else(|| WarcError::DamagedEntry {
                entry: shown(&e.name),
                detail: format!("its data cannot be read ({err})"),
            }));
    }
    let digest = reader.finish()?;
    Ok((bytes, digest))
}

fn compare_listed(name: &str, l: &Listed, digest: &EntryDigest) -> Result<(), WarcError> {
    if let Some(bytes) = l.bytes
        && bytes != digest.size
    {
        return Err(WarcError::EntryMismatch {
            entry: shown(name),
            what: "size",
            expected: format!("{bytes} bytes"),
            actual: format!("{} bytes", digest.size),
            listed_in: DATAPACKAGE_PATH,
        });
    }
    if digest.hash != l.declared.value() {
        return Err(WarcError::EntryMismatch {
            entry: shown(name),
            what: l.declared.algo().name(),
            expected: shown(l.declared.text()),
            actual: l.declared.spell(&digest.hash),
            listed_in: DATAPACKAGE_PATH,
        });
    }
    Ok(())
}

fn invalid_metadata(entry: &str, detail: String) -> WarcError {
    WarcError::InvalidMetadata {
        entry: entry.to_owned(),
        detail,
    }
}

/// A hash as WACZ writes it (`sha256:` and hex); sha1, base32 and base64 are read too.
fn package_hash(entry: &str, text: &str, whose: &str) -> Result<Declared, WarcError> {
    match parse_digest(text) {
        DigestField::Checkable(d) => Ok(d),
        DigestField::Unknown => Err(WarcError::Unsupported {
            entry: entry.to_owned(),
            feature: format!("the hash \"{}\" for {}", shown(text), shown(whose)),
        }),
    }
}

/// `datapackage-digest.json`: the declared hash of `datapackage.json`, and its
/// `signedData` when it has one (not null).
fn parse_package_digest(bytes: &[u8]) -> Result<(Declared, Option<Value>), WarcError> {
    let entry = DATAPACKAGE_DIGEST_PATH;
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| invalid_metadata(entry, format!("it is not JSON ({e})")))?;
    let path = v.get("path").and_then(Value::as_str);
    if path != Some(DATAPACKAGE_PATH) {
        return Err(invalid_metadata(
            entry,
            "its \"path\" is not \"datapackage.json\"".to_owned(),
        ));
    }
    let hash = v
        .get("hash")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid_metadata(entry, "it has no \"hash\" text".to_owned()))?;
    let declared = package_hash(entry, hash, DATAPACKAGE_PATH)?;
    let signed = v.get("signedData").filter(|s| !s.is_null()).cloned();
    Ok((declared, signed))
}

/// `datapackage.json`: the collection's metadata and the resources it lists.
fn parse_package(bytes: &[u8]) -> Result<(WaczInfo, BTreeMap<String, Listed>), WarcError> {
    let entry = DATAPACKAGE_PATH;
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| invalid_metadata(entry, format!("it is not JSON ({e})")))?;
    let Some(obj) = v.as_object() else {
        return Err(invalid_metadata(
            entry,
            "it is not a JSON object".to_owned(),
        ));
    };
    let text = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_owned);
    let Some(resources) = obj.get("resources").and_then(Value::as_array) else {
        return Err(invalid_metadata(
            entry,
            "it has no \"resources\" list".to_owned(),
        ));
    };
    let mut listed = BTreeMap::new();
    for (i, r) in resources.iter().enumerate() {
        let Some(path) = r.get("path").and_then(Value::as_str) else {
            return Err(invalid_metadata(
                entry,
                format!("resource {} has no \"path\"", i + 1),
            ));
        };
        let Some(hash) = r.get("hash").and_then(Value::as_str) else {
            return Err(invalid_metadata(
                entry,
                format!(
                    "the resource \"{}\" has no \"hash\", so it cannot be checked",
                    shown(path)
                ),
            ));
        };
        let declared = package_hash(entry, hash, path)?;
        let bytes = match r.get("bytes") {
            None | Some(Value::Null) => None,
            Some(b) => Some(b.as_u64().ok_or_else(|| {
                invalid_metadata(
                    entry,
                    format!(
                        "the \"bytes\" of the resource \"{}\" is not a size",
                        shown(path)
                    ),
                )
            })?),
        };
        if listed
            .insert(path.to_owned(), Listed { declared, bytes })
            .is_some()
        {
            return Err(invalid_metadata(
                entry,
                format!("it lists \"{}\" twice", shown(path)),
            ));
        }
    }
    let info = WaczInfo {
        title: text("title"),
        description: text("description"),
        software: text("software"),
        created: text("created").as_deref().and_then(parse_warc_date),
        wacz_version: text("wacz_version"),
        datapackage_sha256: [0; 32],
        datapackage_digest_checked: false,
        signature_present: false,
        signature: None,
    };
    Ok((info, listed))
}

/// `pages/pages.jsonl`: an optional header line with `format`, then one JSON object
/// per page with at least `url` and `ts`. Blank lines are skipped; anything else that
/// is not a page is an error.
fn parse_pages(bytes: &[u8]) -> Result<Vec<PageEntry>, WarcError> {
    let mut pages = Vec::new();
    let mut seen_content = false;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = i + 1;
        let bad = |detail: String| WarcError::InvalidPages {
            entry: PAGES_PATH.to_owned(),
            line: line_no,
            detail,
        };
        let Ok(line) = std::str::from_utf8(raw) else {
            return Err(bad("it is not UTF-8 text".to_owned()));
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| {
            bad(format!(
                "\"{}\" is not JSON ({e})",
                shown(&line.chars().take(60).collect::<String>())
            ))
        })?;
        let Some(obj) = v.as_object() else {
            return Err(bad("it is not a JSON object".to_owned()));
        };
        let first = !seen_content;
        seen_content = true;
        if first && obj.contains_key("format") && !obj.contains_key("url") {
            continue;
        }
        let Some(url) = obj.get("url").and_then(Value::as_str) else {
            return Err(bad("it has no \"url\"".to_owned()));
        };
        let Some(ts_text) = obj.get("ts").and_then(Value::as_str) else {
            return Err(bad("it has no \"ts\" date".to_owned()));
        };
        let Some(ts) = parse_warc_date(ts_text) else {
            return Err(bad(format!(
                "its \"ts\" \"{}\" is not a date",
                shown(ts_text)
            )));
        };
        let id = match obj.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("{}/{url}", timestamp14(ts)),
        };
        let title = obj.get("title").and_then(Value::as_str).map(str::to_owned);
        pages.push(PageEntry {
            id,
            url: url.to_owned(),
            ts,
            title,
        });
    }
    Ok(pages)
}

/// Why reading records stopped.
enum Fail {
    Record { fault: RecordFault, gzip: bool },
    Other(WarcError),
}

/// Reads the record, or the records of the gzip member, at the reader's position.
/// `keep(nth)` says whose payloads to keep; `on` gets each record and says whether to
/// go on. False means the data had ended.
fn records_at(
    t: &mut Tracked<EntryReader<'_>>,
    ctx: &Ctx,
    budget: Option<&Budget>,
    keep: &dyn Fn(usize) -> bool,
    on: &mut dyn FnMut(usize, ParsedRecord) -> Result<bool, WarcError>,
) -> Result<bool, Box<Fail>> {
    let io_fail = |e: io::Error, gzip: bool| {
        Box::new(Fail::Record {
            fault: RecordFault {
                record_id: None,
                kind: FaultKind::Io(e),
            },
            gzip,
        })
    };
    let head = t.peek(2).map_err(|e| io_fail(e, false))?;
    if head.is_empty() {
        return Ok(false);
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut member = BufReader::with_capacity(
            64 * 1024,
            Charged {
                inner: GzDecoder::new(&mut *t),
                budget,
            },
        );
        let mut nth = 0;
        loop {
            match read_record(&mut member, &ctx.limits, keep(nth)) {
                Ok(None) => break,
                Ok(Some(rec)) => {
                    if !on(nth, rec).map_err(|e| Box::new(Fail::Other(e)))? {
                        break;
                    }
                    nth += 1;
                }
                Err(fault) => return Err(Box::new(Fail::Record { fault, gzip: true })),
            }
        }
    } else {
        match read_record(t, &ctx.limits, keep(0)) {
            Ok(None) => return Ok(false),
            Ok(Some(rec)) => {
                on(0, rec).map_err(|e| Box::new(Fail::Other(e)))?;
            }
            Err(fault) => return Err(Box::new(Fail::Record { fault, gzip: false })),
        }
    }
    Ok(true)
}

/// Turns a failure to read records into the error to report: a failure of the entry
/// underneath (damage, a limit) first, then the import's byte limit, then the record's
/// own fault.
fn record_error(
    fail: Fail,
    t: &mut Tracked<EntryReader<'_>>,
    ctx: &Ctx,
    entry: &str,
    offset: u64,
) -> WarcError {
    let (fault, gzip) = match fail {
        Fail::Other(e) => return e,
        Fail::Record { fault, gzip } => (fault, gzip),
    };
    if let Some(e) = t.inner.failure.take() {
        return e;
    }
    let entry = shown(entry);
    if ctx.budget.exhausted() {
        return WarcError::TooLargeToRead {
            entry: Some(entry),
            detail: format!(
                "the WACZ expands to more than {} bytes in all, the most Exhibit reads from one file",
                ctx.budget.limit()
            ),
        };
    }
    let record_id = fault.record_id;
    match fault.kind {
        FaultKind::Damaged(detail) => WarcError::DamagedRecord {
            entry,
            offset,
            record_id,
            detail,
        },
        FaultKind::TooLarge(detail) => WarcError::TooLargeToRead {
            entry: Some(entry),
            detail: format!(
                "the WARC record {}at offset {offset}: {detail}",
                record_id.map(|id| format!("{id} ")).unwrap_or_default()
            ),
        },
        FaultKind::Digest {
            which,
            expected,
            actual,
        } => WarcError::DigestMismatch {
            entry,
            offset,
            record_id: record_id.unwrap_or_default(),
            which,
            expected,
            actual,
        },
        FaultKind::Io(e) => WarcError::DamagedRecord {
            entry,
            offset,
            record_id,
            detail: if gzip {
                format!("its gzip member is damaged or cut short ({e})")
            } else {
                format!("its data cannot be read ({e})")
            },
        },
    }
}

/// The first pass over one WARC entry: every record checked and indexed.
#[allow(clippy::too_many_arguments)]
fn index_warc(
    archive: &mut Archive,
    e: &EntryInfo,
    entry_no: usize,
    ctx: &Ctx,
    algo: Algo,
    index: &mut Vec<Indexed>,
    records_checked: &mut u64,
    unverified: &mut u64,
) -> Result<EntryDigest, WarcError> {
    let reader = open_entry(archive, e, ctx, Some(&ctx.budget), algo)?;
    let mut t = Tracked::new(reader);
    loop {
        if let Err(err) = t.skip_newlines() {
            return Err(entry_failure(&mut t, &e.name, err));
        }
        let offset = t.pos();
        let mut on = |nth: usize, rec: ParsedRecord| -> Result<bool, WarcError> {
            *records_checked += 1;
            if *records_checked > ctx.limits.max_records {
                return Err(WarcError::TooLargeToRead {
                    entry: None,
                    detail: format!(
                        "it holds more than {} WARC records, the most Exhibit reads",
                        ctx.limits.max_records
                    ),
                });
            }
            if !rec.digest_verified {
                *unverified += 1;
            }
            index.push(indexed(entry_no, offset, nth, &rec));
            Ok(true)
        };
        match records_at(&mut t, ctx, Some(&ctx.budget), &|_| false, &mut on) {
            Ok(true) => {}
            Ok(false) => break,
            Err(fail) => return Err(record_error(*fail, &mut t, ctx, &e.name, offset)),
        }
    }
    t.inner.finish()
}

fn entry_failure(t: &mut Tracked<EntryReader<'_>>, name: &str, err: io::Error) -> WarcError {
    t.inner
        .failure
        .take()
        .unwrap_or_else(|| WarcError::DamagedEntry {
            entry: shown(name),
            detail: format!("its data cannot be read ({err})"),
        })
}

fn indexed(entry: usize, offset: u64, nth: usize, rec: &ParsedRecord) -> Indexed {
    let target = rec.target_uri();
    let (status, location) = match &rec.http {
        Some(h) => (h.status, h.get("location").map(str::to_owned)),
        None => (None, None),
    };
    Indexed {
        entry,
        offset,
        nth,
        warc_type: rec.warc_type.clone(),
        date: rec.date,
        key: target.as_deref().map(url_key),
        urn_key: target.as_deref().and_then(urn_page_key),
        target,
        status,
        location,
        page_id: rec.fields.get("WARC-Page-ID").map(str::to_owned),
        block_sha256: rec.block_sha256,
        payload_len: rec.payload_len,
    }
}

fn imported(rec: ParsedRecord, file: &str, offset: u64) -> ImportedRecord {
    let target_uri = rec.target_uri().unwrap_or_default();
    let (http_status, http_headers, content_type) = match rec.http {
        Some(h) => {
            let ct = h.get("content-type").map(str::to_owned);
            (h.status, h.headers, ct)
        }
        None => (
            None,
            Vec::new(),
            rec.fields.get("Content-Type").map(str::to_owned),
        ),
    };
    ImportedRecord {
        record_id: rec.record_id,
        warc_type: rec.warc_type,
        date: rec.date,
        target_uri,
        content_type,
        http_status,
        http_headers,
        warc_headers: rec.fields.0,
        payload: rec.payload.unwrap_or_default(),
        block_sha256: rec.block_sha256,
        digest_verified: rec.digest_verified,
        file: file.to_owned(),
        offset,
    }
}

/// The form URLs are compared in: WHATWG-serialised, without fragment.
fn url_key(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    match Url::parse(url) {
        Ok(u) => u.to_string(),
        Err(_) => url.to_owned(),
    }
}

/// The page a `urn:KIND:URL` resource belongs to.
fn urn_page_key(target: &str) -> Option<String> {
    let rest = target.strip_prefix("urn:")?;
    let (_kind, page) = rest.split_once(':')?;
    page.contains("://").then(|| url_key(page))
}

/// Indexes (into the record index) of what belongs to one page.
struct Links {
    response: Option<usize>,
    resources: Vec<usize>,
    records: Vec<usize>,
}

/// Links each page to its records: its main document's response, its resources, and
/// every record of its URL.
fn link(pages: &[PageEntry], index: &[Indexed]) -> Vec<Links> {
    let lookup = Lookup::new(pages, index);
    pages.iter().map(|page| lookup.links(page)).collect()
}

/// The record index looked up by URL, by the page of a `urn:` URI and by
/// `WARC-Page-ID`, for linking pages.
struct Lookup<'a> {
    index: &'a [Indexed],
    /// The ids of the pages of `pages.jsonl`.
    known_ids: HashSet<&'a str>,
    by_key: HashMap<&'a str, Vec<usize>>,
    by_urn: HashMap<&'a str, Vec<usize>>,
    by_page: HashMap<&'a str, Vec<usize>>,
}

/// The records under `key` in one of the [`Lookup`]'s maps; none when it has none.
fn under<'m>(map: &'m HashMap<&str, Vec<usize>>, key: &str) -> &'m [usize] {
    map.get(key).map(Vec::as_slice).unwrap_or_default()
}

impl<'a> Lookup<'a> {
    fn new(pages: &'a [PageEntry], index: &'a [Indexed]) -> Lookup<'a> {
        let known_ids: HashSet<&str> = pages.iter().map(|p| p.id.as_str()).collect();
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_urn: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_page: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in index.iter().enumerate() {
            if let Some(k) = r.key.as_deref() {
                by_key.entry(k).or_default().push(i);
            }
            if let Some(k) = r.urn_key.as_deref() {
                by_urn.entry(k).or_default().push(i);
            }
            if let Some(p) = r.page_id.as_deref() {
                by_page.entry(p).or_default().push(i);
            }
        }
        Lookup {
            index,
            known_ids,
            by_key,
            by_urn,
            by_page,
        }
    }

    /// What belongs to `page`.
    fn links(&self, page: &PageEntry) -> Links {
        let key = url_key(&page.url);
        let records = self.of_url(page, &key);
        let response = self.main_response(page, &key, &records);
        let resources = self.resources(page, &key);
        Links {
            response,
            resources,
            records,
        }
    }

    /// Whether record `i` carries the `WARC-Page-ID` of another page of the WACZ.
    fn claimed_elsewhere(&self, page: &PageEntry, i: usize) -> bool {
        self.index[i]
            .page_id
            .as_deref()
            .is_some_and(|id| id != page.id && self.known_ids.contains(id))
    }

    /// The records of the URL `key`, but those another page claims.
    fn of_url(&self, page: &PageEntry, key: &str) -> Vec<usize> {
        under(&self.by_key, key)
            .iter()
            .copied()
            .filter(|&i| !self.claimed_elsewhere(page, i))
            .collect()
    }

    /// The `response` records among `cands`.
    fn responses(&self, cands: &[usize]) -> Vec<usize> {
        cands
            .iter()
            .copied()
            .filter(|&i| self.index[i].warc_type == "response")
            .collect()
    }

    /// The response for the page's main document among `records` (those of its URL
    /// `key`), or a `resource` record when there is none; when that is a redirect, the
    /// response it leads to, up to [`MAX_REDIRECTS`] hops.
    fn main_response(&self, page: &PageEntry, key: &str, records: &[usize]) -> Option<usize> {
        let index = self.index;
        let mut response = pick(&self.responses(records), index, &page.id, page.ts, None);
        if response.is_none() {
            let resources: Vec<usize> = records
                .iter()
                .copied()
                .filter(|&i| index[i].warc_type == "resource")
                .collect();
            response = pick(&resources, index, &page.id, page.ts, None);
        }
        let mut visited: HashSet<String> = HashSet::from([key.to_owned()]);
        for _ in 0..MAX_REDIRECTS {
            let Some(current) = response else { break };
            let r = &index[current];
            let Some(next) = redirect_target(r) else {
                break;
            };
            if !visited.insert(next.clone()) {
                break;
            }
            match pick(
                &self.responses(&self.of_url(page, &next)),
                index,
                &page.id,
                r.date,
                Some(r.date),
            ) {
                Some(n) => response = Some(n),
                None => break,
            }
        }
        response
    }

    /// The `resource` and `metadata` records captured with the page at `key`: those
    /// whose URI is `urn:KIND:` and its URL, and those it claims by id.
    fn resources(&self, page: &PageEntry, key: &str) -> Vec<usize> {
        let index = self.index;
        let mut resources: BTreeSet<usize> = under(&self.by_urn, key)
            .iter()
            .copied()
            .filter(|&i| !self.claimed_elsewhere(page, i))
            .collect();
        // What the page claims by id: its `urn:` records, and `resource` records at
        // another URL (a picture it names, kept on its own). Its other exchanges
        // are not linked: a crawl's every subresource would be held in memory.
        resources.extend(
            under(&self.by_page, page.id.as_str())
                .iter()
                .copied()
                .filter(|&i| {
                    let r = &index[i];
                    let elsewhere = r.key.as_deref() != Some(key);
                    r.urn_key.is_some() || (r.warc_type == "resource" && elsewhere)
                }),
        );
        resources
            .into_iter()
            .filter(|&i| matches!(index[i].warc_type.as_str(), "resource" | "metadata"))
            .collect()
    }
}

/// Where a 3xx response leads, as a comparison key.
fn redirect_target(r: &Indexed) -> Option<String> {
    if !(300..400).contains(&r.status?) {
        return None;
    }
    let location = r.location.as_deref()?;
    let base = Url::parse(r.target.as_deref()?).ok()?;
    let next = base.join(location).ok()?;
    Some(url_key(next.as_str()))
}

/// The best of `cands`: records this page claims by `WARC-Page-ID` first, then (with
/// `after`) those not older than it, then the nearest in time to `near`, then the first.
fn pick(
    cands: &[usize],
    index: &[Indexed],
    page_id: &str,
    near: DateTime<Utc>,
    after: Option<DateTime<Utc>>,
) -> Option<usize> {
    cands.iter().copied().min_by_key(|&i| {
        let r = &index[i];
        let foreign = r.page_id.as_deref() != Some(page_id);
        let older = after.is_some_and(|a| r.date < a);
        let distance = (r.date - near).num_milliseconds().unsigned_abs();
        (foreign, older, distance, i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_without_fragment_and_case_of_host() {
        assert_eq!(url_key("https://Example.com#top"), "https://example.com/");
        assert_eq!(
            urn_page_key("urn:view:https://example.com/a"),
            Some("https://example.com/a".to_owned())
        );
        assert_eq!(urn_page_key("urn:uuid:1234"), None);
        assert_eq!(urn_page_key("https://example.com/"), None);
    }

    #[test]
    fn a_chunked_body_is_dechunked_and_any_other_kept() {
        let record = |headers: &[(&str, &str)], payload: &[u8]| ImportedRecord {
            record_id: "<urn:uuid:1>".to_owned(),
            warc_type: "response".to_owned(),
            date: DateTime::<Utc>::UNIX_EPOCH,
            target_uri: "https://e.com/".to_owned(),
            content_type: None,
            http_status: Some(200),
            http_headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            warc_headers: Vec::new(),
            payload: payload.to_vec(),
            block_sha256: [0; 32],
            digest_verified: true,
            file: "archive/a.warc".to_owned(),
            offset: 0,
        };
        let chunked = record(
            &[("Transfer-Encoding", "chunked")],
            b"4\r\nWiki\r\n0\r\n\r\n",
        );
        assert_eq!(&*chunked.body(), b"Wiki");
        let broken = record(&[("Transfer-Encoding", "chunked")], b"zz\r\n");
        assert_eq!(&*broken.body(), b"zz\r\n");
        let plain = record(&[("Content-Length", "4")], b"4\r\nab");
        assert_eq!(&*plain.body(), b"4\r\nab");
    }

    #[test]
    fn pages_need_url_and_ts() {
        let ok = br#"{"format":"json-pages-1.0","id":"pages","title":"All Pages"}
{"id":"a","url":"https://e.com/","ts":"2024-01-01T00:00:00Z","title":"T"}

{"url":"https://e.com/b","ts":"2024-01-01T00:00:01.5Z"}
"#;
        let pages = parse_pages(ok).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].id, "20240101000001/https://e.com/b");
        for bad in [
            &b"{\"format\":\"json-pages-1.0\"}\nnot json\n"[..],
            b"{\"url\":\"https://e.com/\"}\n",
            b"[1,2]\n",
            b"{\"url\":\"https://e.com/\",\"ts\":\"yesterday\"}\n",
            b"{\"url\":\"x\",\"ts\":\"2024-01-01T00:00:00Z\"}\n\xff\n",
        ] {
            match parse_pages(bad) {
                Err(WarcError::InvalidPages { .. }) => {}
                other => panic!("{:?}", other.map(|p| p.len())),
            }
        }
    }
}
