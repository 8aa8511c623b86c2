//! The WARC record format (ISO 28500:2017, WARC 1.1): dates, digests, the header block,
//! and a streaming reader for one record.
//!
//! A record is a version line, `Name: value` lines, a blank line, a block of exactly
//! `Content-Length` bytes, and two CRLFs. The reader never trusts a length: header
//! blocks are read line by line up to [`Limits::max_header_bytes`], a block is streamed
//! in fixed-size chunks and hashed as it passes, and its bytes are kept only when the
//! caller asks for them (and then at most [`Limits::max_record_bytes`]).

use std::io::{self, BufRead, Read};

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Timelike, Utc};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

use crate::Limits;
use crate::error::{shown, shown_bytes};
use crate::http::{HttpHead, dechunk, find_head_end, parse_http_head};

/// The version line this crate writes.
pub(crate) const WARC_VERSION: &str = "WARC/1.1";

const CHUNK: usize = 64 * 1024;

/// A WARC-Date: UTC, `Z`, and a fraction only when the time has one (as few digits as
/// represent it exactly), so a date written is the date given.
pub(crate) fn format_warc_date(date: DateTime<Utc>) -> String {
    let nanos = date.nanosecond() % 1_000_000_000;
    let format = if nanos == 0 {
        SecondsFormat::Secs
    } else if nanos.is_multiple_of(1_000_000) {
        SecondsFormat::Millis
    } else if nanos.is_multiple_of(1_000) {
        SecondsFormat::Micros
    } else {
        SecondsFormat::Nanos
    };
    date.to_rfc3339_opts(format, true)
}

/// Reads a WARC-Date, or a page's `ts`: RFC 3339 (what WARC 1.0 and 1.1 write), the same
/// without a zone (taken as UTC), or a 14-digit CDX timestamp.
pub(crate) fn parse_warc_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y%m%d%H%M%S"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(d.and_utc());
        }
    }
    None
}

/// The 14-digit timestamp of CDX lines and replay URLs.
pub(crate) fn timestamp14(date: DateTime<Utc>) -> String {
    date.format("%Y%m%d%H%M%S").to_string()
}

/// `sha256:` and lower-case hex, the digest this crate writes (as ArchiveWeb.page and
/// Browsertrix do); `warcio check` reads hex as well as base32.
pub(crate) fn sha256_label(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// Appends a header block: version line, fields, `Content-Length`, blank line.
pub(crate) fn write_head(out: &mut Vec<u8>, fields: &[(&str, String)], content_length: usize) {
    out.extend_from_slice(WARC_VERSION.as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in fields {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {content_length}\r\n\r\n").as_bytes());
}

/// A digest algorithm this crate can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algo {
    Sha1,
    Sha256,
}

impl Algo {
    pub(crate) fn from_label(label: &str) -> Option<Algo> {
        match label.to_ascii_lowercase().as_str() {
            "sha1" | "sha-1" => Some(Algo::Sha1),
            "sha256" | "sha-256" => Some(Algo::Sha256),
            _ => None,
        }
    }

    /// The name used in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Algo::Sha1 => "SHA-1",
            Algo::Sha256 => "SHA-256",
        }
    }

    fn len(self) -> usize {
        match self {
            Algo::Sha1 => 20,
            Algo::Sha256 => 32,
        }
    }
}

/// A running hash of one of the [`Algo`]s.
#[derive(Clone)]
pub(crate) enum Hasher {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl Hasher {
    pub(crate) fn new(algo: Algo) -> Hasher {
        match algo {
            Algo::Sha1 => Hasher::Sha1(Sha1::new()),
            Algo::Sha256 => Hasher::Sha256(Sha256::new()),
        }
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(bytes),
            Hasher::Sha256(h) => h.update(bytes),
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

/// How a digest value was spelled, so a mismatch is shown in the same spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    Hex,
    Base32,
    Base64,
}

/// A digest a record declares, e.g. `sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A`.
#[derive(Debug, Clone)]
pub(crate) struct Declared {
    algo: Algo,
    value: Vec<u8>,
    spelling: Spelling,
    label: String,
    /// The field as the record has it.
    text: String,
}

/// What a digest field holds: one this crate checks, or one it cannot (an unknown
/// algorithm or an undecodable value), which leaves the record unverified.
pub(crate) enum DigestField {
    Checkable(Declared),
    Unknown,
}

/// Parses `algorithm:value`. The value may be hex, base32 (with or without padding, any
/// case) or base64 (standard or URL-safe), which covers warcio (sha1, base32),
/// ArchiveWeb.page and Browsertrix (sha256, hex) and the rest of RFC 3548.
pub(crate) fn parse_digest(field: &str) -> DigestField {
    let Some((label, value)) = field.trim().split_once(':') else {
        return DigestField::Unknown;
    };
    let Some(algo) = Algo::from_label(label) else {
        return DigestField::Unknown;
    };
    let value = value.trim();
    let n = algo.len();
    let decoded = if value.len() == 2 * n {
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(value.as_bytes())
            .ok()
            .map(|v| (v, Spelling::Hex))
    } else {
        None
    };
    let decoded = decoded.or_else(|| {
        let upper = value.trim_end_matches('=').to_ascii_uppercase();
        data_encoding::BASE32_NOPAD
            .decode(upper.as_bytes())
            .ok()
            .map(|v| (v, Spelling::Base32))
    });
    let decoded = decoded.or_else(|| {
        let bare = value.trim_end_matches('=');
        [data_encoding::BASE64_NOPAD, data_encoding::BASE64URL_NOPAD]
            .iter()
            .find_map(|e| e.decode(bare.as_bytes()).ok())
            .map(|v| (v, Spelling::Base64))
    });
    match decoded {
        Some((value, spelling)) if value.len() == n => DigestField::Checkable(Declared {
            algo,
            value,
            spelling,
            label: label.to_owned(),
            text: field.trim().to_owned(),
        }),
        _ => DigestField::Unknown,
    }
}

impl Declared {
    pub(crate) fn algo(&self) -> Algo {
        self.algo
    }

    pub(crate) fn value(&self) -> &[u8] {
        &self.value
    }

    /// The digest as written where it was declared.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The computed digest in the spelling of the declared one.
    pub(crate) fn spell(&self, actual: &[u8]) -> String {
        let value = match self.spelling {
            Spelling::Hex => hex(actual),
            Spelling::Base32 => data_encoding::BASE32.encode(actual),
            Spelling::Base64 => data_encoding::BASE64.encode(actual),
        };
        format!("{}:{value}", self.label)
    }
}

/// The header fields of a record, in order, names as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields(pub(crate) Vec<(String, String)>);

impl Fields {
    /// The first field of that name, compared without regard to case.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One record as read: its header fields, HTTP head when it has one, and its payload
/// when it was asked for.
#[derive(Debug)]
pub(crate) struct ParsedRecord {
    pub(crate) record_id: String,
    pub(crate) warc_type: String,
    pub(crate) date: DateTime<Utc>,
    pub(crate) fields: Fields,
    pub(crate) http: Option<HttpHead>,
    /// The payload (the block after the HTTP head, or the whole block), when kept.
    pub(crate) payload: Option<Vec<u8>>,
    /// How many bytes the payload has, kept or not.
    pub(crate) payload_len: u64,
    pub(crate) block_sha256: [u8; 32],
    /// Whether the record declared a digest this crate could check, and every declared
    /// digest matched.
    pub(crate) digest_verified: bool,
}

impl ParsedRecord {
    pub(crate) fn target_uri(&self) -> Option<String> {
        self.fields.get("WARC-Target-URI").map(|u| {
            // WARC 1.0 drafts, and some tools still, wrap the URI in angle brackets.
            let u = u.trim();
            u.strip_prefix('<')
                .and_then(|u| u.strip_suffix('>'))
                .unwrap_or(u)
                .to_owned()
        })
    }
}

/// Why a record could not be read.
#[derive(Debug)]
pub(crate) struct RecordFault {
    /// The record's WARC-Record-ID, once its header was read that far.
    pub(crate) record_id: Option<String>,
    pub(crate) kind: FaultKind,
}

#[derive(Debug)]
pub(crate) enum FaultKind {
    /// The record breaks the format; the text completes "… is damaged: ".
    Damaged(String),
    /// The record is larger than a limit allows.
    TooLarge(String),
    /// A declared digest does not match.
    Digest {
        which: &'static str,
        expected: String,
        actual: String,
    },
    /// Reading failed underneath (a damaged gzip member, or a failure the caller
    /// recorded in its own reader).
    Io(io::Error),
}

fn damaged(record_id: &Option<String>, detail: String) -> RecordFault {
    RecordFault {
        record_id: record_id.clone(),
        kind: FaultKind::Damaged(detail),
    }
}

fn io_fault(record_id: &Option<String>, e: io::Error) -> RecordFault {
    RecordFault {
        record_id: record_id.clone(),
        kind: FaultKind::Io(e),
    }
}

/// Reads one line, counting it against the header budget. Returns the bytes read (0 at
/// the end of the data); a line cut short by the budget is an error.
fn read_line<R: BufRead>(
    r: &mut R,
    line: &mut Vec<u8>,
    budget: &mut u64,
    limit: u64,
    record_id: &Option<String>,
) -> Result<usize, RecordFault> {
    line.clear();
    let n = r
        .by_ref()
        .take(*budget)
        .read_until(b'\n', line)
        .map_err(|e| io_fault(record_id, e))?;
    *budget -= n as u64;
    if !line.ends_with(b"\n") && *budget == 0 {
        return Err(damaged(
            record_id,
            format!("its header block runs past {limit} bytes without the blank line that ends it"),
        ));
    }
    Ok(n)
}

fn strip_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Reads the next record from `r`, which must stand at a record's start (blank lines
/// before it are skipped). `Ok(None)` means the data ended cleanly. With `keep`, the
/// payload's bytes are returned too.
pub(crate) fn read_record<R: BufRead>(
    r: &mut R,
    limits: &Limits,
    keep: bool,
) -> Result<Option<ParsedRecord>, RecordFault> {
    let head_limit = limits.max_header_bytes;
    let mut budget = head_limit;
    let mut line = Vec::new();
    if !read_version_line(r, &mut line, &mut budget, head_limit)? {
        return Ok(None);
    }
    let mut record_id: Option<String> = None;
    let fields = read_fields(r, &mut line, &mut budget, head_limit, &mut record_id)?;
    let Required {
        id,
        warc_type,
        date,
        length,
    } = required_fields(&fields, &record_id, limits)?;
    let digests = declared_digests(&fields, &warc_type);

    let mut block = Block::new(is_http(&fields), keep, &digests);
    read_block(r, length, limits, &record_id, &mut block)?;
    let Block {
        sha256,
        hasher,
        payload_hasher,
        http,
        mut payload,
        payload_len,
        ..
    } = block;

    let block_sha256: [u8; 32] = sha256.finalize().into();
    if let Some(d) = &digests.block {
        check_block_digest(&id, d, hasher, &block_sha256)?;
    }
    if let (Some(d), Some(h)) = (&digests.payload, payload_hasher) {
        check_payload_digest(&id, d, h, &http, &payload)?;
    }
    if !keep {
        payload = None;
    }

    Ok(Some(ParsedRecord {
        record_id: id,
        warc_type,
        date,
        fields,
        http,
        payload,
        payload_len,
        block_sha256,
        digest_verified: digests.any() && digests.verifiable,
    }))
}

/// Skips blank lines to the version line and checks it starts with `WARC/`. False
/// means the data ended cleanly before it.
fn read_version_line<R: BufRead>(
    r: &mut R,
    line: &mut Vec<u8>,
    budget: &mut u64,
    head_limit: u64,
) -> Result<bool, RecordFault> {
    let record_id: Option<String> = None;
    loop {
        if read_line(r, line, budget, head_limit, &record_id)? == 0 {
            return Ok(false);
        }
        if !strip_eol(line).is_empty() {
            break;
        }
    }
    let version = strip_eol(line);
    if !version.starts_with(b"WARC/") {
        let start = &version[..version.len().min(40)];
        return Err(damaged(
            &record_id,
            format!(
                "it starts with \"{}\" where a WARC version line should be",
                shown_bytes(start)
            ),
        ));
    }
    Ok(true)
}

/// Reads the header lines after the version line, up to the blank line that ends
/// them, noting the record's WARC-Record-ID in `record_id` as soon as it is read.
fn read_fields<R: BufRead>(
    r: &mut R,
    line: &mut Vec<u8>,
    budget: &mut u64,
    head_limit: u64,
    record_id: &mut Option<String>,
) -> Result<Fields, RecordFault> {
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        if read_line(r, line, budget, head_limit, record_id)? == 0 || !line.ends_with(b"\n") {
            return Err(damaged(
                record_id,
                "the data ends inside its header block, before the blank line that ends it"
                    .to_owned(),
            ));
        }
        let text = strip_eol(line);
        if text.is_empty() {
            break;
        }
        let Ok(text) = std::str::from_utf8(text) else {
            return Err(damaged(
                record_id,
                format!(
                    "its header line \"{}\" is not UTF-8 text, as WARC requires",
                    shown_bytes(text)
                ),
            ));
        };
        add_field(&mut fields, text, record_id)?;
    }
    Ok(Fields(fields))
}

/// Adds one header line to `fields`: a field of its own, or (folded) the continuation
/// of the one before it.
fn add_field(
    fields: &mut Vec<(String, String)>,
    text: &str,
    record_id: &mut Option<String>,
) -> Result<(), RecordFault> {
    if text.starts_with([' ', '\t']) {
        // A folded line continues the field before it.
        return match fields.last_mut() {
            Some((_, value)) => {
                value.push(' ');
                value.push_str(text.trim());
                Ok(())
            }
            None => Err(damaged(
                record_id,
                "its first header line is a continuation line".to_owned(),
            )),
        };
    }
    let Some((name, value)) = text.split_once(':') else {
        return Err(damaged(
            record_id,
            format!("its header line \"{}\" has no colon", shown(text)),
        ));
    };
    let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
    if record_id.is_none() && name.eq_ignore_ascii_case("WARC-Record-ID") {
        *record_id = Some(shown(&value));
    }
    fields.push((name, value));
    Ok(())
}

/// The fields every record must have, read.
struct Required {
    id: String,
    /// Lower case.
    warc_type: String,
    date: DateTime<Utc>,
    /// The block's length, within [`Limits::max_record_bytes`].
    length: u64,
}

/// Reads the fields every record must have: WARC-Record-ID, WARC-Type, WARC-Date and
/// Content-Length.
fn required_fields(
    fields: &Fields,
    record_id: &Option<String>,
    limits: &Limits,
) -> Result<Required, RecordFault> {
    let required = |name: &str| -> Result<&str, RecordFault> {
        fields
            .get(name)
            .ok_or_else(|| damaged(record_id, format!("it has no {name} field")))
    };
    let id = required("WARC-Record-ID")?.to_owned();
    let warc_type = required("WARC-Type")?.to_ascii_lowercase();
    let date_text = required("WARC-Date")?;
    let date = parse_warc_date(date_text).ok_or_else(|| {
        damaged(
            record_id,
            format!("its WARC-Date \"{}\" is not a date", shown(date_text)),
        )
    })?;
    let length_text = required("Content-Length")?;
    let length: u64 = length_text.trim().parse().map_err(|_| {
        damaged(
            record_id,
            format!(
                "its Content-Length \"{}\" is not a number",
                shown(length_text)
            ),
        )
    })?;
    if length > limits.max_record_bytes {
        return Err(RecordFault {
            record_id: record_id.clone(),
            kind: FaultKind::TooLarge(format!(
                "its Content-Length is {length} bytes, more than the {} Exhibit reads for one record",
                limits.max_record_bytes
            )),
        });
    }
    Ok(Required {
        id,
        warc_type,
        date,
        length,
    })
}

/// Whether the record's block is an HTTP message (`Content-Type: application/http`).
fn is_http(fields: &Fields) -> bool {
    let content_type = fields.get("Content-Type").unwrap_or_default();
    content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("application/http")
}

/// The digests a record declares that this crate can check.
struct DeclaredDigests {
    block: Option<Declared>,
    payload: Option<Declared>,
    /// False when a digest field names one this crate cannot check.
    verifiable: bool,
}

impl DeclaredDigests {
    fn any(&self) -> bool {
        self.block.is_some() || self.payload.is_some()
    }
}

/// The record's WARC-Block-Digest and WARC-Payload-Digest, as far as they can be checked.
fn declared_digests(fields: &Fields, warc_type: &str) -> DeclaredDigests {
    let mut verifiable = true;
    let mut declared = |name: &str| match fields.get(name).map(parse_digest) {
        None => None,
        Some(DigestField::Checkable(d)) => Some(d),
        Some(DigestField::Unknown) => {
            verifiable = false;
            None
        }
    };
    let block = declared("WARC-Block-Digest");
    // A revisit's payload digest names the payload of the record it revisits.
    let payload = match warc_type {
        "revisit" => None,
        _ => declared("WARC-Payload-Digest"),
    };
    DeclaredDigests {
        block,
        payload,
        verifiable,
    }
}

/// A record's block as it streams past: hashed, an HTTP block split into head and
/// payload, the payload counted, hashed and kept when asked for.
struct Block {
    sha256: Sha256,
    /// Hashes the block for a declared block digest other than SHA-256. A declared
    /// SHA-256 block digest is checked against `sha256` itself, not hashed twice.
    hasher: Option<Hasher>,
    payload_hasher: Option<Hasher>,
    /// Whether the bytes still belong to the HTTP head, which `head` collects.
    in_head: bool,
    head: Vec<u8>,
    http: Option<HttpHead>,
    payload: Option<Vec<u8>>,
    payload_len: u64,
}

impl Block {
    fn new(is_http: bool, keep: bool, digests: &DeclaredDigests) -> Block {
        Block {
            sha256: Sha256::new(),
            hasher: digests
                .block
                .as_ref()
                .filter(|d| d.algo != Algo::Sha256)
                .map(|d| Hasher::new(d.algo)),
            payload_hasher: digests.payload.as_ref().map(|d| Hasher::new(d.algo)),
            in_head: is_http,
            head: Vec::new(),
            http: None,
            payload: keep.then(Vec::new),
            payload_len: 0,
        }
    }

    /// The next chunk of the block. Fails when an HTTP head runs past
    /// [`Limits::max_header_bytes`].
    fn take(
        &mut self,
        chunk: &[u8],
        limits: &Limits,
        record_id: &Option<String>,
    ) -> Result<(), RecordFault> {
        self.sha256.update(chunk);
        if let Some(h) = self.hasher.as_mut() {
            h.update(chunk);
        }
        if !self.in_head {
            self.take_body(chunk);
            return Ok(());
        }
        let searched = self.head.len().saturating_sub(3);
        self.head.extend_from_slice(chunk);
        match find_head_end(&self.head, searched) {
            Some(end) => {
                self.in_head = false;
                let body = self.head.split_off(end);
                let parsed = parse_http_head(&self.head);
                // A chunked payload may be digested either as stored or de-chunked;
                // keep it to try both.
                if parsed.is_chunked() && self.payload_hasher.is_some() && self.payload.is_none() {
                    self.payload = Some(Vec::new());
                }
                self.http = Some(parsed);
                self.take_body(&body);
            }
            None if self.head.len() as u64 > limits.max_header_bytes => {
                return Err(damaged(
                    record_id,
                    format!(
                        "its HTTP header block runs past {} bytes without the blank line that ends it",
                        limits.max_header_bytes
                    ),
                ));
            }
            None => {}
        }
        Ok(())
    }

    /// Bytes of the payload: counted, hashed, and kept when asked for.
    fn take_body(&mut self, body: &[u8]) {
        self.payload_len += body.len() as u64;
        if let Some(h) = self.payload_hasher.as_mut() {
            h.update(body);
        }
        if let Some(p) = self.payload.as_mut() {
            p.extend_from_slice(body);
        }
    }
}

/// Streams the block's `length` bytes from `r` into `block`, in chunks of [`CHUNK`].
fn read_block<R: Read>(
    r: &mut R,
    length: u64,
    limits: &Limits,
    record_id: &Option<String>,
    block: &mut Block,
) -> Result<(), RecordFault> {
    let mut remaining = length;
    let mut buf = vec![0u8; CHUNK];
    while remaining > 0 {
        let want = remaining.min(CHUNK as u64) as usize;
        let n = match r.read(&mut buf[..want]) {
            Ok(0) => {
                return Err(damaged(
                    record_id,
                    format!(
                        "its Content-Length says {length} bytes, but the data ends after {}",
                        length - remaining
                    ),
                ));
            }
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_fault(record_id, e)),
        };
        remaining -= n as u64;
        block.take(&buf[..n], limits, record_id)?;
    }
    if block.in_head {
        // The whole block is an HTTP head with no blank line after it (a request
        // without body, written by a lenient tool).
        block.http = Some(parse_http_head(&block.head));
    }
    Ok(())
}

/// A declared digest that does not match the one computed.
fn mismatch(id: &str, which: &'static str, d: &Declared, actual: &[u8]) -> RecordFault {
    RecordFault {
        record_id: Some(shown(id)),
        kind: FaultKind::Digest {
            which,
            expected: shown(&d.text),
            actual: d.spell(actual),
        },
    }
}

/// Checks the declared block digest: against `hasher` when it was hashed for one,
/// against the block's SHA-256 otherwise.
fn check_block_digest(
    id: &str,
    d: &Declared,
    hasher: Option<Hasher>,
    block_sha256: &[u8; 32],
) -> Result<(), RecordFault> {
    let actual = match hasher {
        Some(h) => h.finish(),
        None => block_sha256.to_vec(),
    };
    if actual != d.value {
        return Err(mismatch(id, "block", d, &actual));
    }
    Ok(())
}

/// Checks the declared payload digest against the payload as stored, and for a chunked
/// payload that does not match, against it de-chunked.
fn check_payload_digest(
    id: &str,
    d: &Declared,
    hasher: Hasher,
    http: &Option<HttpHead>,
    payload: &Option<Vec<u8>>,
) -> Result<(), RecordFault> {
    let actual = hasher.finish();
    if actual != d.value {
        let dechunked_matches = match (http, payload) {
            (Some(head), Some(p)) if head.is_chunked() => dechunk(p).is_some_and(|body| {
                let mut h = Hasher::new(d.algo);
                h.update(&body);
                h.finish() == d.value
            }),
            _ => false,
        };
        if !dechunked_matches {
            return Err(mismatch(id, "payload", d, &actual));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record(fields: &str, block: &[u8]) -> Vec<u8> {
        let mut v = format!(
            "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n{fields}Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        v.extend_from_slice(block);
        v.extend_from_slice(b"\r\n\r\n");
        v
    }

    fn read(bytes: &[u8]) -> Result<Option<ParsedRecord>, RecordFault> {
        read_record(&mut &bytes[..], &Limits::default(), true)
    }

    #[test]
    fn dates_round_trip_with_their_precision() {
        let d = Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).single();
        let d = d.unwrap_or_else(|| panic!("date"));
        assert_eq!(format_warc_date(d), "2024-05-06T07:08:09Z");
        let ms = d + chrono::Duration::milliseconds(120);
        assert_eq!(format_warc_date(ms), "2024-05-06T07:08:09.120Z");
        assert_eq!(parse_warc_date(&format_warc_date(ms)), Some(ms));
        assert_eq!(parse_warc_date("20240506070809"), Some(d));
        assert_eq!(timestamp14(ms), "20240506070809");
    }

    #[test]
    fn digests_in_every_spelling_are_checked() {
        let block = b"hello";
        let sha1_b32 = "sha1:".to_owned() + &data_encoding::BASE32.encode(&Sha1::digest(block));
        let sha256_hex = sha256_label(block);
        let sha256_b32 =
            "sha256:".to_owned() + &data_encoding::BASE32.encode(&Sha256::digest(block));
        let sha256_b64 =
            "sha-256:".to_owned() + &data_encoding::BASE64.encode(&Sha256::digest(block));
        for d in [sha1_b32, sha256_hex, sha256_b32, sha256_b64] {
            let bytes = record(&format!("WARC-Block-Digest: {d}\r\n"), block);
            let rec = read(&bytes)
                .unwrap_or_else(|e| panic!("{d}: {e:?}"))
                .unwrap_or_else(|| panic!("no record"));
            assert!(rec.digest_verified, "{d}");
            assert_eq!(rec.payload.as_deref(), Some(&block[..]));
        }
        let bad = record(
            "WARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
            block,
        );
        match read(&bad) {
            Err(RecordFault {
                kind: FaultKind::Digest { which, .. },
                record_id,
            }) => {
                assert_eq!(which, "block");
                assert_eq!(record_id.as_deref(), Some("<urn:uuid:1>"));
            }
            other => panic!("{other:?}"),
        }
        let unknown = record("WARC-Block-Digest: md5:abc\r\n", block);
        let rec = read(&unknown)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_else(|| panic!("no record"));
        assert!(!rec.digest_verified);
    }

    #[test]
    fn malformed_records_are_faults_not_panics() {
        let cases: Vec<Vec<u8>> = vec![
            b"WARC/1.1\r\nWARC-Type: resource\r\n".to_vec(),
            b"HTTP/1.1 200 OK\r\n\r\n".to_vec(),
            b"WARC/1.1\r\nno colon here\r\n\r\n".to_vec(),
            b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:x>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Length: 99\r\n\r\nshort".to_vec(),
            b"WARC/1.1\r\nWARC-Type: \xff\xfe\r\n\r\n".to_vec(),
            record("", b"x").split_off(10),
        ];
        for c in cases {
            assert!(read(&c).is_err(), "{:?}", String::from_utf8_lossy(&c));
        }
        let endless = [b"WARC/1.1\r\nX: ".to_vec(), vec![b'a'; 2_000_000]].concat();
        match read(&endless) {
            Err(RecordFault {
                kind: FaultKind::Damaged(d),
                ..
            }) => assert!(d.contains("without the blank line"), "{d}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(read(b"\r\n\r\n"), Ok(None)));
    }
}
