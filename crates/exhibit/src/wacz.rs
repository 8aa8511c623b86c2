//! Web archives: the case's captures out as a WACZ, and WACZ files made elsewhere in as
//! captures. The format itself (WARC records, the ZIP, every digest) is
//! `exhibit-warc`'s; this module only maps captures to pages and back.
//!
//! # Export: one page per capture
//!
//! [`Case::export_wacz`] writes every capture as a page `capture-ID` of
//! `pages/pages.jsonl` (its requested URL, its title, `ts` = when it started), with:
//!
//! - **the network log** as `request`/`response` pairs. The main document's exchange
//!   carries the body artifact exactly as stored (any `Content-Encoding` kept), the
//!   recorded status, HTTP version and response headers, and the request headers known
//!   (at least the `User-Agent`); each redirect hop is its own exchange (status and
//!   `Location`, empty body). A browser capture's network log adds every other request
//!   it lists, with its own headers, status and times, but with an **empty body and an
//!   `X-Exhibit-Note` header saying so**: Exhibit keeps only the main document's body, and
//!   an empty body that says it is one is easier to read honestly than a missing record.
//!   Their `Content-Encoding`, which no longer describes the body, becomes
//!   `X-Archive-Orig-Content-Encoding`.
//! - **resources**: the screenshot of a browser capture (`urn:view:URL`, as ArchiveWeb.page
//!   and Browsertrix write one), the canonical record JSON (`urn:exhibit:URL`), and each
//!   RFC 3161 token (`urn:timestamp:URL`, `application/timestamp-reply`) with the exact
//!   statement it covers (`urn:exhibit-timestamp-statement:URL`, JSON), so
//!   `openssl ts -verify -data` works on what the WACZ holds.
//! - **the main image** (the `image` artifact) as a `resource` record at the URL the page
//!   names it by, with its media type, so a replay serves it there. A browser log's own
//!   answer for that URL (an empty body) is then left out, as for the page's own URL.
//!
//! Every record is dated by the capture, never by the export: an HTTP capture records no
//! time per request, so its exchanges carry `started_at` (WARC 1.1 dates a record by when
//! its capture began); a browser capture's requests carry the times its network log
//! gives (`response_at`, else `started_at`); the record JSON and the screenshot carry
//! `finished_at`, a token its authority's time. The WACZ is read back in full before the
//! export is reported done, and `wacz.exported` is logged (bookkeeping, like
//! `export.made`).
//!
//! Request headers never carry the collector's credentials: `Cookie`, `Authorization`
//! and `Proxy-Authorization` are left out, since a WACZ is made to be shared.
//!
//! # Import: one capture per page
//!
//! [`Case::import_wacz`] reads the whole WACZ with `exhibit_warc::open_wacz`, which checks
//! every hash and digest, **before** it adds anything: a refused file imports nothing.
//! It then takes the pages one at a time (`WaczReader::next_page`, which reads a page's
//! records again and checks they are the bytes checked), so memory holds one page, not
//! the archive, and a crawl's WACZ of many gigabytes imports under
//! `Limits::streaming()`. Each page then becomes a capture of mode `import`, assembled exactly as an HTTP fetch
//! is (`judge::assemble`): the response payload is the `body` artifact, the extractor and
//! the judgement run on it, and the times are the response record's WARC-Date. The notes
//! name the file, its SHA-256, the software that wrote it, the page and the WARC record
//! the body came from. A `resource` record the page claims (by `WARC-Page-ID`) at the
//! URL of its main image (as the extractor reads the body, else as Exhibit's record
//! beside it says) becomes the `image` artifact, checked as a fetched one is (a real
//! picture, not a pixel, under the 10 MB cap), and its perceptual hash is stored as a
//! capture's is, so relisting compares imported pictures too. `import.made` is logged
//! after the captures, naming them.
//!
//! A signed WACZ (Webrecorder's signing spec) is imported only when its signature and
//! time signature verify in full (`exhibit_warc` checks them before anything is read
//! from the archive); one that fails is refused with `signature_invalid`,
//! `signer_untrusted` or `time_signature_invalid` and imports nothing. Each capture
//! records its archive in [`exhibit_domain::CaptureRecord::archive`]: the file, the page,
//! and the signer (a domain, or a key's fingerprint), the signed time and the time
//! signature's time and authority, or that it was unsigned. The packet and `show` print
//! it; the report returns it.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use exhibit_capture::{FetchError, FetchErrorKind, FetchOptions, Fetched};
use exhibit_domain::{
    ArchiveSignature, ArchiveSource, Capture, CaptureStatus, CustodyEventKind, Header, NewArtifact,
    Redirect, artifact_kind, rfc3339_millis,
};
use exhibit_store::Store;
use exhibit_warc::{
    Exchange, ImportedPage, ImportedRecord, Limits, PageCapture, Resource, Signer, WaczMeta,
    WaczSignature, WaczWriter, WarcError, open_wacz, resource_uri,
};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::judge::{assemble, environment, standard_reason};
use crate::relisting::Prepared;
use crate::{Case, Error, Result};

/// Artifact kinds of browser captures this module reads (named in `exhibit-browser`).
const SCREENSHOT: &str = "screenshot";
const NETWORK: &str = "network";

/// The header added to a response whose body Exhibit did not keep.
const NOT_KEPT: (&str, &str) = (
    "X-Exhibit-Note",
    "body not captured; Exhibit keeps the body of the main document only",
);

/// Request headers that carry the collector's credentials, never written to a WACZ.
const CREDENTIALS: [&str; 3] = ["cookie", "authorization", "proxy-authorization"];

/// What [`Case::export_wacz`] wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct WaczReport {
    pub path: PathBuf,
    /// Pages written: one per capture, less those skipped.
    pub pages: usize,
    /// WARC records, the `warcinfo` record included.
    pub records: usize,
    /// Size of the `.wacz` file.
    pub bytes: u64,
    /// SHA-256 of the `.wacz` file, hex.
    pub sha256: String,
    /// SHA-256 of its `datapackage.json`, which lists every other entry's hash.
    pub datapackage_sha256: String,
    /// Captures that could not be written as a page (a requested URL that is not a URL,
    /// say), each with why.
    pub skipped: Vec<SkippedCapture>,
}

/// A capture left out of a WACZ.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SkippedCapture {
    pub capture_id: i64,
    /// One sentence.
    pub reason: String,
}

/// What [`Case::import_wacz`] brought in.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ImportReport {
    pub path: PathBuf,
    /// SHA-256 of the `.wacz` file, hex.
    pub sha256: String,
    /// SHA-256 of its `datapackage.json`, hex.
    pub datapackage_sha256: String,
    /// The software that wrote it, as its `datapackage.json` says.
    pub software: Option<String>,
    /// Pages in its page list: each became one capture.
    pub pages: usize,
    /// WARC records read and checked.
    pub records_checked: u64,
    /// Of those, records that declare no digest (only `datapackage.json`'s hash of their
    /// WARC vouches for them).
    pub unverified_records: u64,
    /// Whether `datapackage-digest.json` carries a signature; when it does, it verified
    /// (a signature that fails imports nothing) and `signature` describes it.
    pub signature_present: bool,
    /// Who signed the WACZ and when, as verified; `None`: it is unsigned. Every capture
    /// imported records the same in its `archive`.
    pub signature: Option<ArchiveSignature>,
    /// `signature`'s signer on its own (a domain, or `key sha256:…`), for a front end
    /// that shows one line.
    pub signer: Option<String>,
    /// `signature`'s signed time on its own, RFC 3339 UTC.
    pub signed_at: Option<String>,
    pub captures: Vec<ImportedCapture>,
}

/// One page of a WACZ, imported.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ImportedCapture {
    pub capture_id: i64,
    /// The page's id in the WACZ's page list.
    pub page_id: String,
    pub url: String,
    pub status: CaptureStatus,
    pub http_status: Option<u16>,
    pub title: Option<String>,
    /// Why it is not `ok`, in one sentence.
    pub error: Option<String>,
    /// The WARC record its body came from.
    pub record_id: Option<String>,
}

impl From<WarcError> for Error {
    fn from(e: WarcError) -> Self {
        // Boxed: the archive's errors carry paths and details, and every Result of the
        // facade would otherwise grow to their size.
        Error::Archive(Box::new(e))
    }
}

/// Whether a WACZ error is the input's fault (a file refused or unreadable), as opposed to
/// a failure writing one.
///
/// A signature that fails is not counted here: it is evidence failing verification, as
/// when `verify` fails, not a wrong request, so the CLI exits 1 for it.
pub(crate) fn is_refusal(e: &WarcError) -> bool {
    !matches!(
        e,
        WarcError::CannotWrite { .. }
            | WarcError::ZipWrite { .. }
            | WarcError::InvalidCapture { .. }
            | WarcError::TooLargeToWrite { .. }
            | WarcError::WriterFailed
            | WarcError::SignatureFailed { .. }
    )
}

/// The verified signature as the capture record keeps it.
fn archive_signature(s: &WaczSignature) -> ArchiveSignature {
    let (method, certificate_sha256) = match &s.signer {
        Signer::Domain {
            certificate_sha256, ..
        } => ("domain", Some(certificate_sha256.clone())),
        Signer::Key { .. } => ("key", None),
    };
    ArchiveSignature {
        method: method.to_owned(),
        signer: s.signer.name(),
        certificate_sha256,
        signed_at: rfc3339_millis(&s.created),
        software: s.software.clone(),
        time_stamped_at: s
            .time_signature
            .as_ref()
            .map(|t| rfc3339_millis(&t.gen_time)),
        time_stamp_authority: s.time_signature.as_ref().map(|t| t.tsa_name.clone()),
    }
}

fn software() -> String {
    format!("Exhibit {}", env!("CARGO_PKG_VERSION"))
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The URL as the WACZ writes it (WHATWG-serialised), or as given when it does not parse.
fn normal_url(url: &str) -> String {
    url::Url::parse(url.trim()).map_or_else(|_| url.trim().to_owned(), |u| u.to_string())
}

fn same_url(a: &str, b: &str) -> bool {
    let strip = |u: &str| {
        let mut n = normal_url(u);
        if let Some(i) = n.find('#') {
            n.truncate(i);
        }
        n
    };
    strip(a) == strip(b)
}

fn pairs(headers: &[Header]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect()
}

fn without_credentials(headers: Vec<(String, String)>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .filter(|(n, _)| !CREDENTIALS.contains(&n.to_ascii_lowercase().as_str()))
        .collect()
}

fn with_user_agent(mut headers: Vec<(String, String)>, ua: &str) -> Vec<(String, String)> {
    if !ua.is_empty()
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("user-agent"))
    {
        headers.push(("User-Agent".to_owned(), ua.to_owned()));
    }
    headers
}

/// Response headers for a response whose body is not in the archive.
fn body_not_kept(headers: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .into_iter()
        .map(|(n, v)| {
            if n.eq_ignore_ascii_case("content-encoding") {
                (format!("X-Archive-Orig-{n}"), v)
            } else {
                (n, v)
            }
        })
        .collect();
    out.push((NOT_KEPT.0.to_owned(), NOT_KEPT.1.to_owned()));
    out
}

fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// One request of a browser capture's network log (the `network` artifact's JSON), or one
/// redirect hop of it.
#[derive(Debug, Default)]
struct Logged {
    url: String,
    method: String,
    request_headers: Vec<(String, String)>,
    started_at: Option<DateTime<Utc>>,
    response_at: Option<DateTime<Utc>>,
    status: Option<u16>,
    reason: String,
    protocol: Option<String>,
    response_headers: Vec<(String, String)>,
    remote_addr: Option<String>,
    main_document: bool,
    hops: Vec<Logged>,
}

impl Logged {
    fn read(v: &Value) -> Option<Logged> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let time = |k: &str| v.get(k).and_then(Value::as_str).and_then(parse_time);
        let headers = |k: &str| -> Vec<(String, String)> {
            match v.get(k) {
                Some(Value::Object(m)) => m
                    .iter()
                    .map(|(n, v)| {
                        let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                        (n.clone(), v)
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        let remote_addr = match (
            text("remote_ip"),
            v.get("remote_port").and_then(Value::as_u64),
        ) {
            (Some(ip), Some(port)) if ip.contains(':') => Some(format!("[{ip}]:{port}")),
            (Some(ip), Some(port)) => Some(format!("{ip}:{port}")),
            (ip, _) => ip,
        };
        Some(Logged {
            url: text("url")?,
            method: text("method").unwrap_or_else(|| "GET".to_owned()),
            request_headers: headers("request_headers"),
            started_at: time("started_at"),
            response_at: time("response_at"),
            status: v
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok()),
            reason: text("status_text").unwrap_or_default(),
            protocol: text("protocol"),
            response_headers: headers("response_headers"),
            remote_addr,
            main_document: v.get("main_document").and_then(Value::as_bool) == Some(true),
            hops: v
                .get("redirects")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Logged::read).collect())
                .unwrap_or_default(),
        })
    }

    fn date(&self) -> Option<DateTime<Utc>> {
        self.response_at.or(self.started_at)
    }

    /// This request as an exchange whose body the archive does not hold, if it got an
    /// answer and is a web URL.
    fn exchange(&self, fallback: DateTime<Utc>, ua: &str) -> Option<Exchange> {
        let status = self.status.filter(|s| (100..=999).contains(s))?;
        if !is_web_url(&self.url) {
            return None;
        }
        Some(Exchange {
            date: self.date().unwrap_or(fallback),
            method: self.method.clone(),
            url: self.url.clone(),
            request_headers: with_user_agent(without_credentials(self.request_headers.clone()), ua),
            http_version: self.protocol.clone().unwrap_or_default(),
            status,
            reason: self.reason.clone(),
            response_headers: body_not_kept(self.response_headers.clone()),
            body: Vec::new(),
            remote_addr: self.remote_addr.clone(),
        })
    }
}

fn artifact(store: &Store, capture_id: i64, kind: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    store.write_artifact(capture_id, kind, &mut bytes)?;
    Ok(bytes)
}

/// One capture as a page of the WACZ. See the module overview for the mapping.
fn page_of(store: &Store, c: &Capture) -> Result<PageCapture> {
    let r = &c.record;
    let Some(started) = parse_time(&r.started_at) else {
        return Err(Error::Internal(format!(
            "capture {} has an unreadable start time '{}'",
            c.id, r.started_at
        )));
    };
    let finished = parse_time(&r.finished_at).unwrap_or(started);
    let page_url = normal_url(&r.requested_url);
    let has = |kind: &str| c.artifacts.iter().any(|a| a.kind == kind);
    let ua = r
        .browser
        .as_ref()
        .map_or(r.environment.user_agent.as_str(), |b| b.user_agent.as_str());

    let log: Vec<Logged> = if has(NETWORK) {
        serde_json::from_slice::<Value>(&artifact(store, c.id, NETWORK)?)
            .ok()
            .and_then(|v| {
                v.as_array()
                    .map(|a| a.iter().filter_map(Logged::read).collect())
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let main_url = r
        .final_url
        .clone()
        .unwrap_or_else(|| r.requested_url.clone());
    let main_log = log
        .iter()
        .filter(|l| l.main_document)
        .rfind(|l| same_url(&l.url, &main_url))
        .or_else(|| log.iter().rfind(|l| l.main_document));

    // The main image, kept at the URL the page names it by (not the page's own).
    let image = c
        .artifacts
        .iter()
        .find(|a| a.kind == artifact_kind::IMAGE)
        .zip(r.facts.main_image.as_deref())
        .filter(|(_, url)| {
            is_web_url(url) && !same_url(url, &main_url) && !same_url(url, &r.requested_url)
        })
        .map(|(a, url)| (a, normal_url(url)));

    let mut exchanges = Vec::new();
    for (i, hop) in r.redirects.iter().enumerate() {
        let logged = main_log
            .and_then(|m| m.hops.get(i))
            .filter(|h| same_url(&h.url, &hop.url));
        let mut headers = logged.map_or_else(Vec::new, |h| h.response_headers.clone());
        if !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("location"))
        {
            headers.push(("Location".to_owned(), hop.location.clone()));
        }
        let request_headers = logged.map_or_else(Vec::new, |h| h.request_headers.clone());
        exchanges.push(Exchange {
            date: logged.and_then(Logged::date).unwrap_or(started),
            method: logged.map_or_else(|| "GET".to_owned(), |h| h.method.clone()),
            url: hop.url.clone(),
            request_headers: with_user_agent(without_credentials(request_headers), ua),
            http_version: r.http_version.clone().unwrap_or_default(),
            status: hop.status,
            reason: standard_reason(hop.status).to_owned(),
            response_headers: headers,
            body: Vec::new(),
            remote_addr: None,
        });
    }
    if let Some(status) = r.http_status {
        let (body, response_headers) = if has(artifact_kind::BODY) {
            (
                artifact(store, c.id, artifact_kind::BODY)?,
                pairs(&r.headers),
            )
        } else {
            (Vec::new(), body_not_kept(pairs(&r.headers)))
        };
        let request_headers = main_log.map_or_else(Vec::new, |m| m.request_headers.clone());
        exchanges.push(Exchange {
            date: main_log.and_then(Logged::date).unwrap_or(started),
            method: main_log.map_or_else(|| "GET".to_owned(), |m| m.method.clone()),
            url: main_url.clone(),
            request_headers: with_user_agent(without_credentials(request_headers), ua),
            http_version: r.http_version.clone().unwrap_or_default(),
            status,
            reason: main_log
                .map(|m| m.reason.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| standard_reason(status).to_owned()),
            response_headers,
            body,
            remote_addr: r.remote_addr.clone(),
        });
    }
    // Everything else the browser loaded. Other answers for the page's own URLs are left
    // out, so a replay (and an import) finds the main document's body there; and for the
    // main image's URL when the picture is kept, so a replay finds it rather than the
    // log's empty body.
    for entry in &log {
        if main_log.is_some_and(|m| std::ptr::eq(m, entry))
            || same_url(&entry.url, &main_url)
            || same_url(&entry.url, &r.requested_url)
            || image
                .as_ref()
                .is_some_and(|(_, url)| same_url(&entry.url, url))
        {
            continue;
        }
        for hop in &entry.hops {
            exchanges.extend(hop.exchange(started, ua));
        }
        exchanges.extend(entry.exchange(started, ua));
    }

    let mut resources = Vec::new();
    if let Some(shot) = c.artifacts.iter().find(|a| a.kind == SCREENSHOT) {
        resources.push(Resource {
            date: finished,
            uri: resource_uri("view", &page_url),
            content_type: shot.media_type.clone(),
            bytes: artifact(store, c.id, SCREENSHOT)?,
        });
    }
    if let Some((a, url)) = image {
        resources.push(Resource {
            date: finished,
            uri: url,
            content_type: a.media_type.clone(),
            bytes: artifact(store, c.id, artifact_kind::IMAGE)?,
        });
    }
    resources.push(Resource {
        date: finished,
        uri: resource_uri("exhibit", &page_url),
        content_type: "application/json".to_owned(),
        bytes: store.record_json(c.id)?.into_bytes(),
    });
    for t in store.capture_timestamps(c.id)? {
        let date = parse_time(&t.gen_time).unwrap_or(finished);
        resources.push(Resource {
            date,
            uri: resource_uri("timestamp", &page_url),
            content_type: "application/timestamp-reply".to_owned(),
            bytes: t.response,
        });
        resources.push(Resource {
            date,
            uri: resource_uri("exhibit-timestamp-statement", &page_url),
            content_type: "application/json".to_owned(),
            bytes: t.data,
        });
    }
    Ok(PageCapture {
        id: format!("capture-{}", c.id),
        url: r.requested_url.clone(),
        title: r.facts.title.clone(),
        ts: started,
        exchanges,
        resources,
    })
}

fn file_sha256(path: &Path) -> Result<[u8; 32]> {
    let cannot = |source| {
        Error::from(WarcError::CannotRead {
            path: path.to_owned(),
            source,
        })
    };
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
    Ok(hasher.finalize().into())
}

/// Where an imported WACZ came from, for every capture's notes.
struct Source<'a> {
    name: &'a str,
    sha256: &'a str,
    software: &'a str,
    /// As `datapackage.json` names it, when it does.
    named_software: Option<&'a str>,
    signature: Option<&'a ArchiveSignature>,
}

fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn record_error(message: String) -> FetchError {
    // Only the message reaches the record; the kind is the nearest there is.
    FetchError {
        kind: FetchErrorKind::Network,
        message,
    }
}

/// One page of a WACZ as a capture record and its artifacts, judged as an HTTP fetch is.
fn capture_of(
    page: &ImportedPage,
    source: &Source<'_>,
    collector: &exhibit_domain::Collector,
    environment: &exhibit_domain::Environment,
) -> (exhibit_domain::CaptureRecord, Vec<NewArtifact>) {
    let response = page.response.as_ref();
    let mut notes = vec![format!(
        "Imported from the WACZ file {} (SHA-256 {}), written by {}; page \"{}\" of its page list.",
        source.name, source.sha256, source.software, page.id
    )];
    notes.push(match source.signature {
        Some(s) => format!("The WACZ is {}.", s.describe()),
        None => "The WACZ is unsigned: only its own hashes vouch for it, not who made it or when."
            .to_owned(),
    });

    // The page's own URL answered with a redirect when the response is for another URL.
    let mut redirects = Vec::new();
    let mut first_date = None;
    if let Some(resp) = response
        && !same_url(&resp.target_uri, &page.url)
    {
        let hop = page
            .records
            .iter()
            .filter(|r| r.warc_type == "response")
            .filter(|r| r.http_status.is_some_and(|s| (300..400).contains(&s)))
            .filter_map(|r| Some((r, header_value(&r.http_headers, "location")?)))
            .min_by_key(|(r, _)| (r.date - page.ts).num_milliseconds().unsigned_abs());
        if let Some((r, location)) = hop {
            redirects.push(Redirect {
                url: r.target_uri.clone(),
                status: r.http_status.unwrap_or_default(),
                location: location.to_owned(),
            });
            first_date = Some(r.date);
            let leads_to = url::Url::parse(&r.target_uri)
                .and_then(|u| u.join(location))
                .map(|u| u.to_string())
                .unwrap_or_default();
            if !same_url(&leads_to, &resp.target_uri) {
                notes.push(
                    "The redirect chain passed through more addresses than are recorded here: the first hop and the final page are."
                        .to_owned(),
                );
            }
        }
    }

    let mut environment = environment.clone();
    environment.user_agent = page
        .records
        .iter()
        .filter(|r| r.warc_type == "request")
        .find_map(|r| header_value(&r.http_headers, "user-agent"))
        .unwrap_or_default()
        .to_owned();

    let fetched = match response {
        Some(resp) => {
            let http = resp.warc_type == "response";
            let started = first_date.unwrap_or(resp.date).min(resp.date);
            let mut fetched = Fetched::recorded(&page.url, started, resp.date);
            fetched.final_url = url::Url::parse(&resp.target_uri).ok();
            fetched.redirects = redirects;
            fetched.remote_addr =
                header_value(&resp.warc_headers, "WARC-IP-Address").map(str::to_owned);
            if http {
                fetched.http_status = resp.http_status;
                fetched.headers = resp
                    .http_headers
                    .iter()
                    .map(|(n, v)| Header {
                        name: n.clone(),
                        value: v.clone(),
                        value_was_lossy: false,
                    })
                    .collect();
            }
            fetched.take_recorded_body(
                resp.body().into_owned(),
                exhibit_capture::DEFAULT_MAX_DECODED_BYTES,
            );
            if !http {
                fetched.error = Some(record_error(format!(
                    "The WACZ holds this page as a {} record, not an HTTP response, so there is no server answer to judge; its bytes are kept as the body.",
                    resp.warc_type
                )));
            } else if resp.http_status.is_none() {
                fetched.error = Some(record_error(
                    "The WARC response record for this page has no readable HTTP status line, so there is no server answer to judge; its bytes are kept as the body."
                        .to_owned(),
                ));
            }
            notes.push(body_note(resp));
            fetched
        }
        None => {
            let mut fetched = Fetched::recorded(&page.url, page.ts, page.ts);
            fetched.error = Some(record_error(
                "The WACZ holds no response for this page, only its entry in the page list; nothing was captured."
                    .to_owned(),
            ));
            fetched
        }
    };
    let (mut record, mut artifacts) = assemble(fetched, collector, &environment);
    record.mode = "import".into();
    record.archive = Some(ArchiveSource {
        file: source.name.to_owned(),
        sha256: source.sha256.to_owned(),
        software: source.named_software.map(str::to_owned),
        page_id: page.id.clone(),
        signature: source.signature.cloned(),
    });
    // Exhibit made no connection, so it knows nothing of a certificate.
    record.tls = None;

    let shot = page.resources.iter().find(|r| {
        r.target_uri.starts_with("urn:view:")
            && r.content_type
                .as_deref()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("image/png"))
    });
    if let Some(shot) = shot {
        artifacts.push(NewArtifact::new(
            SCREENSHOT,
            "image/png",
            shot.payload.clone(),
        ));
        notes.push(format!(
            "The screenshot is the payload of WARC record {}, dated {}.",
            shot.record_id,
            exhibit_domain::rfc3339_millis(&shot.date)
        ));
    }
    if let Some(kept) = kept_image(page, record.facts.main_image.as_deref()) {
        let checked = if kept.payload.len() as u64 > crate::main_image::MAX_IMAGE_BYTES {
            Err(format!(
                "it is {} bytes, over the {} byte cap on a main image",
                kept.payload.len(),
                crate::main_image::MAX_IMAGE_BYTES
            ))
        } else {
            crate::main_image::check(&kept.payload, kept.content_type.as_deref())
        };
        match checked {
            Ok(media_type) => {
                artifacts.push(NewArtifact::new(
                    artifact_kind::IMAGE,
                    media_type,
                    kept.payload.clone(),
                ));
                notes.push(format!(
                    "The main image {} is the payload of WARC record {}, dated {}.",
                    kept.target_uri,
                    kept.record_id,
                    rfc3339_millis(&kept.date)
                ));
            }
            Err(why) => notes.push(format!(
                "The WACZ's copy of the main image {} (WARC record {}) was not kept: {why}.",
                kept.target_uri, kept.record_id
            )),
        }
    }
    notes.append(&mut record.notes);
    record.notes = notes;
    (record, artifacts)
}

/// The page's main image as a WACZ keeps it: a `resource` record the page claims, at
/// the URL the page names its main image by. That URL is the extractor's reading of the
/// imported body, else what the capture record Exhibit wrote beside it says (a browser
/// capture read it off the rendered page, which the body may not name).
fn kept_image<'a>(page: &'a ImportedPage, extracted: Option<&str>) -> Option<&'a ImportedRecord> {
    let recorded: Option<String> = page
        .resources
        .iter()
        .find(|r| {
            r.target_uri
                .strip_prefix("urn:exhibit:")
                .is_some_and(|u| same_url(u, &page.url))
        })
        .and_then(|r| serde_json::from_slice::<Value>(&r.payload).ok())
        .and_then(|v| v["facts"]["main_image"].as_str().map(str::to_owned));
    [extracted, recorded.as_deref()]
        .into_iter()
        .flatten()
        .filter(|url| is_web_url(url))
        .find_map(|url| {
            page.resources
                .iter()
                .find(|r| r.warc_type == "resource" && same_url(&r.target_uri, url))
        })
}

fn body_note(resp: &ImportedRecord) -> String {
    let checked = if resp.digest_verified {
        "its digests matched when it was imported"
    } else {
        "it declares no digest, so only datapackage.json's hash of its WARC vouches for it"
    };
    format!(
        "The body is the payload of WARC record {} ({} at offset {}, block SHA-256 {}); {checked}.",
        resp.record_id,
        resp.file,
        resp.offset,
        hex::encode(resp.block_sha256)
    )
}

impl Case {
    /// Writes every capture of the case into a WACZ at `path` (replacing a file there),
    /// reads it back to check it, and logs `wacz.exported`. See the module overview for
    /// what each capture becomes.
    pub fn export_wacz(&self, path: &Path) -> Result<WaczReport> {
        self.ensure_writable()?;
        let title = self.title()?;
        let captures = self.captures()?;
        if captures.is_empty() {
            return Err(Error::Input(
                "The case has no captures yet, so there is nothing to put in a WACZ; capture some first."
                    .to_owned(),
            ));
        }
        let mut writer = WaczWriter::create(
            path,
            WaczMeta {
                title: title.clone(),
                description: Some(format!(
                    "{} capture{} of the Exhibit case \"{title}\". Each page carries its capture record (urn:exhibit:), its screenshot when it has one (urn:view:) and its RFC 3161 tokens (urn:timestamp:) with the statements they cover (urn:exhibit-timestamp-statement:).",
                    captures.len(),
                    if captures.len() == 1 { "" } else { "s" },
                )),
                software: software(),
                created: Utc::now(),
            },
        )?;
        let mut skipped = Vec::new();
        let mut written = Vec::new();
        for c in &captures {
            let page = page_of(&self.store(), c)?;
            match writer.add_page(page) {
                Ok(()) => written.push(c.id),
                Err(e @ (WarcError::InvalidCapture { .. } | WarcError::TooLargeToWrite { .. })) => {
                    skipped.push(SkippedCapture {
                        capture_id: c.id,
                        reason: e.to_string(),
                    });
                }
                Err(e) => return Err(e.into()),
            }
        }
        let summary = writer.finish()?;
        // Checked as a recipient would read it before it is called done.
        let fail = |detail: String| {
            let _ = std::fs::remove_file(&summary.path);
            Error::Internal(format!(
                "the WACZ just written does not read back ({detail}), so it was removed"
            ))
        };
        // Opening it reads and checks every entry and record; its pages are not needed.
        match open_wacz(&summary.path, &Limits::default()) {
            Ok(back) if back.page_count() == summary.pages => {}
            Ok(back) => {
                return Err(fail(format!(
                    "{} pages written, {} read",
                    summary.pages,
                    back.page_count()
                )));
            }
            Err(e) => return Err(fail(e.to_string())),
        }
        let report = WaczReport {
            path: summary.path.clone(),
            pages: summary.pages,
            records: summary.records,
            bytes: summary.bytes,
            sha256: hex::encode(summary.sha256),
            datapackage_sha256: hex::encode(summary.datapackage_sha256),
            skipped,
        };
        self.store().record_event(
            CustodyEventKind::WaczExported,
            &serde_json::json!({
                "file": path.file_name().map(|n| n.to_string_lossy().into_owned()),
                "sha256": report.sha256,
                "datapackage_sha256": report.datapackage_sha256,
                "bytes": report.bytes,
                "pages": report.pages,
                "records": report.records,
                "capture_ids": written,
                "skipped": report.skipped.iter().map(|s| s.capture_id).collect::<Vec<_>>(),
            }),
        )?;
        Ok(report)
    }

    /// Imports a WACZ made by any tool: reads and checks all of it first (a file that fails
    /// any check imports nothing), then adds one capture per page and logs `import.made`.
    /// See the module overview.
    pub fn import_wacz(&self, path: &Path) -> Result<ImportReport> {
        self.ensure_writable()?;
        let limits = Limits::streaming();
        if !path.is_file() {
            // open_wacz says why in its own words (missing, a folder, a device).
            open_wacz(path, &limits)?;
        }
        let before = file_sha256(path)?;
        // Every entry and record is checked here, before any capture is added; the pages
        // are then read one at a time, each checked again to be the bytes checked now.
        let mut reader = open_wacz(path, &limits)?;
        if file_sha256(path)? != before {
            return Err(Error::Input(format!(
                "{} changed while Exhibit read it, so nothing was imported; import it again once nothing is writing to it.",
                path.display()
            )));
        }
        if reader.page_count() == 0 {
            return Err(Error::Input(format!(
                "{} lists no pages, so there is nothing to import.",
                path.display()
            )));
        }
        let sha256 = hex::encode(before);
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let meta = reader.meta().clone();
        let page_count = reader.page_count();
        let software = meta.software.clone().filter(|s| !s.trim().is_empty());
        let signature = meta.signature.as_ref().map(archive_signature);
        let source = Source {
            name: &name,
            sha256: &sha256,
            software: software.as_deref().unwrap_or("software it does not name"),
            named_software: software.as_deref(),
            signature: signature.as_ref(),
        };
        let collector = self.collector()?.unwrap_or_default();
        let mut environment = environment(&FetchOptions::default());
        environment.clock_source = format!(
            "the WARC-Date of each record in {name}, as written by {}; Exhibit did not observe these times",
            source.software
        );

        let mut captures = Vec::with_capacity(page_count);
        let mut failure: Option<Error> = None;
        while let Some(page) = reader.next_page() {
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    failure = Some(e.into());
                    break;
                }
            };
            let (record, artifacts) = capture_of(&page, &source, &collector, &environment);
            // With its main image's hash, as a capture's, so relisting compares
            // imported pictures too.
            let saved = self.add_capture_prepared(&record, &Prepared::new(artifacts));
            match saved {
                Ok(id) => {
                    captures.push(ImportedCapture {
                        capture_id: id,
                        page_id: page.id.clone(),
                        url: page.url.clone(),
                        status: record.status,
                        http_status: record.http_status,
                        title: record.facts.title.clone(),
                        error: record.error.clone(),
                        record_id: page.response.as_ref().map(|r| r.record_id.clone()),
                    });
                }
                Err(e) => {
                    failure = Some(e.into());
                    break;
                }
            }
        }
        // Logged even when a capture could not be stored, so the ones that were are
        // accounted for.
        let logged = self.store().record_event(
            CustodyEventKind::ImportMade,
            &serde_json::json!({
                "file": name,
                "sha256": sha256,
                "datapackage_sha256": hex::encode(meta.datapackage_sha256),
                "software": software,
                "wacz_version": meta.wacz_version,
                "pages": page_count,
                "records_checked": reader.records_checked(),
                "unverified_records": reader.unverified_records(),
                "signature_present": meta.signature_present,
                "signature": signature,
                "capture_ids": captures.iter().map(|c| c.capture_id).collect::<Vec<_>>(),
                "complete": failure.is_none(),
            }),
        );
        if let Some(e) = failure {
            return Err(e);
        }
        logged?;
        Ok(ImportReport {
            path: path.to_owned(),
            sha256,
            datapackage_sha256: hex::encode(meta.datapackage_sha256),
            software,
            pages: page_count,
            records_checked: reader.records_checked(),
            unverified_records: reader.unverified_records(),
            signature_present: meta.signature_present,
            signer: signature.as_ref().map(|s| s.signer.clone()),
            signed_at: signature.as_ref().map(|s| s.signed_at.clone()),
            signature,
            captures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_leave_and_a_user_agent_is_always_there() {
        let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect()
        };
        let out = with_user_agent(
            without_credentials(h(&[
                ("Cookie", "session=1"),
                ("authorization", "Bearer x"),
                ("Accept", "text/html"),
            ])),
            "UA/1",
        );
        assert_eq!(out, h(&[("Accept", "text/html"), ("User-Agent", "UA/1")]));
        let kept = with_user_agent(h(&[("user-agent", "Own/2")]), "UA/1");
        assert_eq!(kept, h(&[("user-agent", "Own/2")]));
    }

    #[test]
    fn a_response_without_its_body_says_so() {
        let out = body_not_kept(vec![
            ("Content-Encoding".to_owned(), "gzip".to_owned()),
            ("Content-Type".to_owned(), "image/png".to_owned()),
        ]);
        assert_eq!(out[0].0, "X-Archive-Orig-Content-Encoding");
        assert_eq!(out[1].0, "Content-Type");
        assert_eq!(out[2].0, NOT_KEPT.0);
    }

    #[test]
    fn network_log_entries_read_leniently() {
        let v = serde_json::json!({
            "url": "https://cdn.example.com/a.png",
            "method": "GET",
            "main_document": false,
            "started_at": "2026-01-02T03:04:05.006Z",
            "response_at": "2026-01-02T03:04:05.106Z",
            "status": 200,
            "status_text": "OK",
            "protocol": "h2",
            "remote_ip": "2001:db8::1",
            "remote_port": 443,
            "request_headers": {"Cookie": "a=1", "Accept": "image/*"},
            "response_headers": {"content-type": "image/png", "content-length": "42"},
            "redirects": [{"url": "https://cdn.example.com/old.png", "status": 301,
                           "response_headers": {"location": "/a.png"}}]
        });
        let l = Logged::read(&v).unwrap_or_default();
        assert_eq!(l.hops.len(), 1);
        assert_eq!(l.remote_addr.as_deref(), Some("[2001:db8::1]:443"));
        let fallback = DateTime::<Utc>::UNIX_EPOCH;
        let ex = l.exchange(fallback, "UA/1");
        let ex = ex.as_ref();
        assert_eq!(ex.map(|e| e.date), parse_time("2026-01-02T03:04:05.106Z"));
        assert_eq!(ex.map(|e| e.body.len()), Some(0));
        assert!(ex.is_some_and(|e| !e.request_headers.iter().any(|(n, _)| n == "Cookie")));
        // A hop without a time takes the capture's; an entry without an answer is left out.
        assert_eq!(
            l.hops[0].exchange(fallback, "").map(|e| e.date),
            Some(fallback)
        );
        let unanswered = serde_json::json!({"url": "https://x.example/", "failed": "net::ERR"});
        assert!(
            Logged::read(&unanswered)
                .and_then(|l| l.exchange(fallback, ""))
                .is_none()
        );
        let data = serde_json::json!({"url": "data:image/png;base64,AA", "status": 200});
        assert!(
            Logged::read(&data)
                .and_then(|l| l.exchange(fallback, ""))
                .is_none()
        );
    }
}
