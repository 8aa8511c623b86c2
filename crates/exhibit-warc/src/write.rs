//! The writer: pages in, one `.wacz` out.
//!
//! The WARC is streamed straight into the ZIP as `archive/data.warc.gz` (stored, not
//! deflated, so replay tools can seek into it), one gzip member per record, while its
//! SHA-256, the CDXJ lines and the page list are collected. [`WaczWriter::finish`] then
//! adds the index, the page list, `datapackage.json` and `datapackage-digest.json`.
//!
//! Everything is written to a hidden temporary file beside the destination and renamed
//! over it only when complete, so a failed or abandoned export leaves nothing behind
//! (the temporary file is removed on error and on drop), and a reader never sees half a
//! WACZ under the final name.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use url::Url;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::cdx;
use crate::error::shown;
use crate::http::{request_head, response_head};
use crate::record::{format_warc_date, hex, sha256_label, write_head};
use crate::{
    DATAPACKAGE_DIGEST_PATH, DATAPACKAGE_PATH, INDEX_PATH, Limits, PAGES_PATH, WACZ_VERSION,
    WARC_PATH, WarcError,
};

/// Describes the whole WACZ, for `datapackage.json` and the `warcinfo` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczMeta {
    /// One line naming the collection, e.g. the case name.
    pub title: String,
    /// A longer description (Markdown; plain text is valid Markdown), if any.
    pub description: Option<String>,
    /// The software that made the WACZ, e.g. `Exhibit 0.1.0`.
    pub software: String,
    /// When the WACZ was made: `datapackage.json`'s `created`, the `warcinfo` record's
    /// date, and every ZIP entry's modification time.
    pub created: DateTime<Utc>,
}

/// One captured page: an entry of `pages/pages.jsonl` and the records behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCapture {
    /// The page's id in `pages.jsonl`, also written on each of its records as
    /// `WARC-Page-ID` (as Browsertrix does). Unique within the WACZ.
    pub id: String,
    pub url: String,
    pub title: Option<String>,
    /// When the page was captured (`ts` in `pages.jsonl`).
    pub ts: DateTime<Utc>,
    /// The network log: each becomes a `response` record and a `request` record that
    /// names it in `WARC-Concurrent-To`.
    pub exchanges: Vec<Exchange>,
    /// Other things captured with the page: screenshot, timestamp token, metadata. See
    /// [`resource_uri`] for the URIs replay tools recognise.
    pub resources: Vec<Resource>,
}

/// One HTTP request and its response, as captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// When the response was received: the WARC-Date of both records.
    pub date: DateTime<Utc>,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    /// As the capture reports it: `HTTP/1.1`, `1.1`, `h2`…
    pub http_version: String,
    pub status: u16,
    pub reason: String,
    pub response_headers: Vec<(String, String)>,
    /// The body as received after transfer decoding; any `Content-Encoding` kept.
    pub body: Vec<u8>,
    /// The server's IP address (a `host:port` or `[v6]:port` form is accepted too), for
    /// `WARC-IP-Address`.
    pub remote_addr: Option<String>,
}

/// A `resource` record: bytes that did not come over HTTP (a screenshot, a token), or
/// that did but are kept without the exchange that carried them (a picture the page
/// names, at its own URL, which replay tools serve there and [`crate::read_wacz`] links
/// to the page by its `WARC-Page-ID`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The record's WARC-Date.
    pub date: DateTime<Utc>,
    /// The record's WARC-Target-URI, e.g. from [`resource_uri`], or the URL the bytes
    /// were fetched from.
    pub uri: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The URI of something captured with a page: `urn:KIND:PAGE-URL`.
///
/// Kinds replay tools know: `view` (a screenshot of the page as seen, as ArchiveWeb.page
/// and Browsertrix write it), `thumbnail`, `text`, `pageinfo`. Any other kind (Exhibit
/// uses `timestamp` for an RFC 3161 token and `exhibit` for its capture record) is kept
/// and linked to the page in the same way by [`crate::read_wacz`].
pub fn resource_uri(kind: &str, page_url: &str) -> String {
    format!("urn:{kind}:{page_url}")
}

/// What [`WaczWriter::finish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczSummary {
    /// Where the WACZ is.
    pub path: PathBuf,
    pub pages: usize,
    /// WARC records, the `warcinfo` record included.
    pub records: usize,
    /// Size of the `.wacz` file.
    pub bytes: u64,
    /// SHA-256 of the `.wacz` file.
    pub sha256: [u8; 32],
    /// SHA-256 of `datapackage.json`, which covers every other entry's hash.
    pub datapackage_sha256: [u8; 32],
}

/// One line of `pages.jsonl`.
#[derive(Serialize)]
struct PageLine<'a> {
    id: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    ts: String,
}

#[derive(Serialize)]
struct PagesHeader {
    format: &'static str,
    id: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'static str,
    wacz_version: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    created: String,
    software: &'a str,
    resources: Vec<PackageResource>,
}

#[derive(Serialize)]
struct PackageResource {
    name: String,
    path: &'static str,
    hash: String,
    bytes: u64,
}

#[derive(Serialize)]
struct PackageDigest {
    path: &'static str,
    hash: String,
}

/// A record ready to be compressed, with what its index line needs.
struct Built {
    bytes: Vec<u8>,
    index: Option<IndexInfo>,
}

struct IndexInfo {
    url: String,
    date: DateTime<Utc>,
    mime: String,
    status: u16,
    digest: String,
}

type Zip = ZipWriter<BufWriter<File>>;

/// Builds one `.wacz` file. See the module overview of `write.rs` for how it stays
/// atomic; dropping it without [`WaczWriter::finish`] removes the partial file.
pub struct WaczWriter {
    path: PathBuf,
    temp: PathBuf,
    zip: Option<Zip>,
    meta: WaczMeta,
    mtime: zip::DateTime,
    warcinfo_id: String,
    warc_len: u64,
    warc_sha256: Sha256,
    cdx: Vec<String>,
    pages_jsonl: Vec<u8>,
    page_ids: HashSet<String>,
    pages: usize,
    records: usize,
    limits: Limits,
}

impl std::fmt::Debug for WaczWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaczWriter")
            .field("path", &self.path)
            .field("temp", &self.temp)
            .field("pages", &self.pages)
            .field("records", &self.records)
            .field("failed", &self.zip.is_none())
            .finish_non_exhaustive()
    }
}

impl WaczWriter {
    /// Starts a WACZ that [`WaczWriter::finish`] will put at `path` (replacing a file
    /// already there). Until then it is a hidden temporary file in the same folder.
    pub fn create(path: &Path, meta: WaczMeta) -> Result<Self, WarcError> {
        let cannot = |source| WarcError::CannotWrite {
            path: path.to_owned(),
            source,
        };
        let name = path.file_name().ok_or_else(|| {
            cannot(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path names no file",
            ))
        })?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        let temp = dir.join(format!(
            ".{}.{}.part",
            name.to_string_lossy(),
            uuid::Uuid::new_v4().simple()
        ));
        // Read too: finish hashes the finished file.
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(cannot)?;
        let mtime = zip::DateTime::try_from(meta.created.naive_utc()).unwrap_or_default();
        let mut writer = WaczWriter {
            path: path.to_owned(),
            temp,
            zip: Some(ZipWriter::new(BufWriter::new(file))),
            meta,
            mtime,
            warcinfo_id: record_id(),
            warc_len: 0,
            warc_sha256: Sha256::new(),
            cdx: Vec::new(),
            pages_jsonl: Vec::new(),
            page_ids: HashSet::new(),
            pages: 0,
            records: 0,
            limits: Limits::default(),
        };
        let options = writer.options(CompressionMethod::Stored);
        let started = writer.zip_mut()?.start_file(WARC_PATH, options);
        writer.check_zip(started)?;
        let warcinfo = writer.warcinfo();
        writer.write_records(vec![warcinfo])?;
        Ok(writer)
    }

    /// Adds one page and its records. Everything is checked before anything is
    /// written, so an error for bad input leaves the writer usable; an error writing
    /// removes the partial file, and every later call fails.
    pub fn add_page(&mut self, page: PageCapture) -> Result<(), WarcError> {
        if self.zip.is_none() {
            return Err(WarcError::WriterFailed);
        }
        let shown_id = shown(&page.id);
        let invalid = |reason: String| WarcError::InvalidCapture {
            page: shown_id.clone(),
            reason,
        };
        if page.id.trim().is_empty() {
            return Err(invalid("its id is empty".to_owned()));
        }
        if self.page_ids.contains(&page.id) {
            return Err(invalid(
                "another page in this WACZ has the same id".to_owned(),
            ));
        }
        let page_url = clean_url(&page.url, true).map_err(&invalid)?;
        let mut built = Vec::new();
        for ex in &page.exchanges {
            built.extend(self.exchange_records(&page.id, ex).map_err(&invalid)?);
        }
        for res in &page.resources {
            built.push(self.resource_record(&page.id, res).map_err(&invalid)?);
        }
        let mut total = self.warc_len;
        for b in &built {
            if b.bytes.len() as u64 > self.limits.max_record_bytes {
                return Err(WarcError::TooLargeToWrite {
                    page: shown_id,
                    detail: format!(
                        "one of its records holds {} bytes, and a record may hold {}",
                        b.bytes.len(),
                        self.limits.max_record_bytes
                    ),
                });
            }
            total += b.bytes.len() as u64;
        }
        // Compressed size is not known yet; the uncompressed size bounds it closely
        // enough for a limit this far from any real capture.
        if total > self.limits.max_entry_bytes {
            return Err(WarcError::TooLargeToWrite {
                page: shown_id,
                detail: format!(
                    "the archive would hold about {total} bytes, and one WARC may hold {}",
                    self.limits.max_entry_bytes
                ),
            });
        }
        let line = PageLine {
            id: &page.id,
            url: &page_url,
            title: page.title.as_deref(),
            ts: format_warc_date(page.ts),
        };
        let mut json = serde_json::to_vec(&line).unwrap_or_default();
        json.push(b'\n');
        self.write_records(built)?;
        self.pages_jsonl.extend(json);
        self.page_ids.insert(page.id);
        self.pages += 1;
        Ok(())
    }

    /// Writes the index, the page list and the data package, and moves the finished
    /// WACZ to its path.
    pub fn finish(mut self) -> Result<WaczSummary, WarcError> {
        if self.zip.is_none() {
            return Err(WarcError::WriterFailed);
        }
        let index = self.index_bytes();
        let pages = self.pages_bytes();
        let package_bytes = self.package_bytes(&index, &pages);
        let datapackage_sha256: [u8; 32] = Sha256::digest(&package_bytes).into();
        let digest_bytes = package_digest_bytes(&datapackage_sha256);
        self.write_entries([
            (INDEX_PATH, &index),
            (PAGES_PATH, &pages),
            (DATAPACKAGE_PATH, &package_bytes),
            (DATAPACKAGE_DIGEST_PATH, &digest_bytes),
        ])?;
        let (bytes, sha256) = self.close()?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename itself durable; not every platform can open a folder.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(WaczSummary {
            path: self.path.clone(),
            pages: self.pages,
            records: self.records,
            bytes,
            sha256,
            datapackage_sha256,
        })
    }

    /// `indexes/index.cdxj`: the CDXJ lines, sorted.
    fn index_bytes(&mut self) -> Vec<u8> {
        self.cdx.sort();
        let mut index = self.cdx.join("\n").into_bytes();
        index.push(b'\n');
        index
    }

    /// `pages/pages.jsonl`: its header line, then the pages.
    fn pages_bytes(&self) -> Vec<u8> {
        let header = PagesHeader {
            format: "json-pages-1.0",
            id: "pages",
            title: "All Pages",
        };
        let mut pages = serde_json::to_vec(&header).unwrap_or_default();
        pages.push(b'\n');
        pages.extend_from_slice(&self.pages_jsonl);
        pages
    }

    /// `datapackage.json`: the collection's metadata and the hash and size of the WARC
    /// (whose hash is finished here), the index and the page list.
    fn package_bytes(&mut self, index: &[u8], pages: &[u8]) -> Vec<u8> {
        let warc_hash = std::mem::take(&mut self.warc_sha256).finalize();
        let mut resources = vec![PackageResource {
            name: "data.warc.gz".to_owned(),
            path: WARC_PATH,
            hash: format!("sha256:{}", hex(&warc_hash)),
            bytes: self.warc_len,
        }];
        for (path, bytes) in [(INDEX_PATH, index), (PAGES_PATH, pages)] {
            resources.push(PackageResource {
                name: path.rsplit('/').next().unwrap_or(path).to_owned(),
                path,
                hash: sha256_label(bytes),
                bytes: bytes.len() as u64,
            });
        }
        let package = DataPackage {
            profile: "data-package",
            wacz_version: WACZ_VERSION,
            title: &self.meta.title,
            description: self.meta.description.as_deref().filter(|d| !d.is_empty()),
            created: self.meta.created.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            software: &self.meta.software,
            resources,
        };
        serde_json::to_vec_pretty(&package).unwrap_or_default()
    }

    /// Adds each of `entries`, deflated, to the ZIP.
    fn write_entries(&mut self, entries: [(&str, &Vec<u8>); 4]) -> Result<(), WarcError> {
        let deflated = self.options(CompressionMethod::Deflated);
        for (path, bytes) in entries {
            let started = self.zip_mut()?.start_file(path, deflated);
            self.check_zip(started)?;
            let written = self.zip_mut()?.write_all(bytes);
            self.check_io(written)?;
        }
        Ok(())
    }

    /// Finishes the ZIP, makes it durable, hashes it and renames it to its path: the
    /// file's size and SHA-256. On failure the temporary file is removed.
    fn close(&mut self) -> Result<(u64, [u8; 32]), WarcError> {
        let Some(zip) = self.zip.take() else {
            return Err(WarcError::WriterFailed);
        };
        let finished = zip.finish();
        let buffered = match finished {
            Ok(b) => b,
            Err(source) => {
                self.discard();
                return Err(WarcError::ZipWrite {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let done = buffered
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .and_then(|mut file| {
                file.sync_all()?;
                file.rewind()?;
                let (bytes, sha256) = hash_file(&mut file)?;
                drop(file);
                std::fs::rename(&self.temp, &self.path)?;
                Ok((bytes, sha256))
            });
        done.map_err(|source| {
            self.discard();
            WarcError::CannotWrite {
                path: self.path.clone(),
                source,
            }
        })
    }

    fn options(&self, method: CompressionMethod) -> SimpleFileOptions {
        SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.mtime)
            .unix_permissions(0o644)
    }

    fn zip_mut(&mut self) -> Result<&mut Zip, WarcError> {
        self.zip.as_mut().ok_or(WarcError::WriterFailed)
    }

    /// Drops the ZIP and removes the temporary file; later calls fail.
    fn discard(&mut self) {
        if let Some(zip) = self.zip.take() {
            // Dropping a ZipWriter writes its central directory; the file goes anyway.
            drop(zip);
        }
        let _ = std::fs::remove_file(&self.temp);
    }

    fn check_zip<T>(&mut self, r: Result<T, zip::result::ZipError>) -> Result<T, WarcError> {
        r.map_err(|source| {
            self.discard();
            WarcError::ZipWrite {
                path: self.path.clone(),
                source,
            }
        })
    }

    fn check_io<T>(&mut self, r: io::Result<T>) -> Result<T, WarcError> {
        r.map_err(|source| {
            self.discard();
            WarcError::CannotWrite {
                path: self.path.clone(),
                source,
            }
        })
    }

    /// Compresses each record into its own gzip member and appends it to the WARC.
    fn write_records(&mut self, built: Vec<Built>) -> Result<(), WarcError> {
        let filename = WARC_PATH.rsplit('/').next().unwrap_or(WARC_PATH);
        for b in built {
            let member = gzip(&b.bytes);
            let member = self.check_io(member)?;
            let written = self.zip_mut()?.write_all(&member);
            self.check_io(written)?;
            self.warc_sha256.update(&member);
            let offset = self.warc_len;
            self.warc_len += member.len() as u64;
            self.records += 1;
            if let Some(i) = b.index {
                self.cdx.push(cdx::line(&cdx::Entry {
                    url: &i.url,
                    date: i.date,
                    mime: &i.mime,
                    status: i.status,
                    digest: &i.digest,
                    offset,
                    length: member.len() as u64,
                    filename,
                }));
            }
        }
        Ok(())
    }

    fn warcinfo(&self) -> Built {
        let block = format!(
            "software: {}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
            one_line(&self.meta.software)
        )
        .into_bytes();
        let fields = [
            ("WARC-Type", "warcinfo".to_owned()),
            ("WARC-Record-ID", self.warcinfo_id.clone()),
            ("WARC-Date", format_warc_date(self.meta.created)),
            ("WARC-Filename", "data.warc.gz".to_owned()),
            ("Content-Type", "application/warc-fields".to_owned()),
            ("WARC-Block-Digest", sha256_label(&block)),
        ];
        Built {
            bytes: record_bytes(&fields, &block),
            index: None,
        }
    }

    /// An exchange's `response` record, then the `request` record that names it in
    /// `WARC-Concurrent-To`.
    fn exchange_records(&self, page_id: &str, ex: &Exchange) -> Result<Vec<Built>, String> {
        let url = clean_url(&ex.url, false)?;
        let parsed = Url::parse(&url).map_err(|e| e.to_string())?;
        check_method_and_status(ex, &url)?;
        let date = format_warc_date(ex.date);
        let response_id = record_id();
        let request_id = record_id();
        let response = self.response_record(page_id, ex, &url, &date, &response_id);

        let block = request_block(ex, &parsed, &url);
        let fields = [
            ("WARC-Type", "request".to_owned()),
            ("WARC-Record-ID", request_id),
            ("WARC-Date", date),
            ("WARC-Target-URI", url),
            ("WARC-Concurrent-To", response_id),
            ("WARC-Warcinfo-ID", self.warcinfo_id.clone()),
            ("WARC-Page-ID", one_line(page_id)),
            (
                "Content-Type",
                "application/http;msgtype=request".to_owned(),
            ),
            ("WARC-Block-Digest", sha256_label(&block)),
        ];
        let request = Built {
            bytes: record_bytes(&fields, &block),
            index: None,
        };
        // Response first, as warcio writes a pair, so a scan meets the response first.
        Ok(vec![response, request])
    }

    /// The `response` record of an exchange, with its index line.
    fn response_record(
        &self,
        page_id: &str,
        ex: &Exchange,
        url: &str,
        date: &str,
        response_id: &str,
    ) -> Built {
        let mut block = response_head(
            &ex.http_version,
            ex.status,
            &ex.reason,
            &ex.response_headers,
            ex.body.len(),
        );
        block.extend_from_slice(&ex.body);
        let payload_digest = sha256_label(&ex.body);
        let mut fields = vec![
            ("WARC-Type", "response".to_owned()),
            ("WARC-Record-ID", response_id.to_owned()),
            ("WARC-Date", date.to_owned()),
            ("WARC-Target-URI", url.to_owned()),
        ];
        if let Some(ip) = ex.remote_addr.as_deref().and_then(ip_address) {
            fields.push(("WARC-IP-Address", ip));
        }
        fields.extend([
            ("WARC-Warcinfo-ID", self.warcinfo_id.clone()),
            ("WARC-Page-ID", one_line(page_id)),
            (
                "Content-Type",
                "application/http;msgtype=response".to_owned(),
            ),
            ("WARC-Payload-Digest", payload_digest.clone()),
            ("WARC-Block-Digest", sha256_label(&block)),
        ]);
        let content_type = ex
            .response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        Built {
            bytes: record_bytes(&fields, &block),
            index: Some(IndexInfo {
                url: url.to_owned(),
                date: ex.date,
                mime: cdx::mime_of(content_type),
                status: ex.status,
                digest: payload_digest,
            }),
        }
    }

    fn resource_record(&self, page_id: &str, res: &Resource) -> Result<Built, String> {
        let uri = clean_url(&res.uri, false)?;
        let content_type = res.content_type.trim();
        if content_type.is_empty() || content_type.chars().any(char::is_control) {
            return Err(format!(
                "the content type \"{}\" of {} is empty or holds a control character",
                shown(&res.content_type),
                shown(&uri)
            ));
        }
        let digest = sha256_label(&res.bytes);
        let fields = [
            ("WARC-Type", "resource".to_owned()),
            ("WARC-Record-ID", record_id()),
            ("WARC-Date", format_warc_date(res.date)),
            ("WARC-Target-URI", uri.clone()),
            ("WARC-Warcinfo-ID", self.warcinfo_id.clone()),
            ("WARC-Page-ID", one_line(page_id)),
            ("Content-Type", content_type.to_owned()),
            ("WARC-Payload-Digest", digest.clone()),
            ("WARC-Block-Digest", digest.clone()),
        ];
        Ok(Built {
            bytes: record_bytes(&fields, &res.bytes),
            index: Some(IndexInfo {
                url: uri,
                date: res.date,
                mime: cdx::mime_of(Some(content_type)),
                status: 200,
                digest,
            }),
        })
    }
}

impl Drop for WaczWriter {
    fn drop(&mut self) {
        // Unfinished (abandoned, or failed): leave nothing behind.
        if self.zip.is_some() {
            self.discard();
        }
    }
}

/// `datapackage-digest.json`: the SHA-256 of `datapackage.json`.
fn package_digest_bytes(datapackage_sha256: &[u8; 32]) -> Vec<u8> {
    let digest = PackageDigest {
        path: DATAPACKAGE_PATH,
        hash: format!("sha256:{}", hex(datapackage_sha256)),
    };
    serde_json::to_vec_pretty(&digest).unwrap_or_default()
}

/// An exchange's method must be an HTTP token and its status three digits.
fn check_method_and_status(ex: &Exchange, url: &str) -> Result<(), String> {
    if ex.method.is_empty()
        || !ex
            .method
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
    {
        return Err(format!(
            "the request method \"{}\" of {} is not an HTTP method",
            shown(&ex.method),
            shown(url)
        ));
    }
    if !(100..=999).contains(&ex.status) {
        return Err(format!(
            "the status {} of {} is not a three-digit HTTP status",
            ex.status,
            shown(url)
        ));
    }
    Ok(())
}

/// The block of an exchange's `request` record: its HTTP head, for the path and query
/// of `parsed` and its host (the whole `url` when it has no host).
fn request_block(ex: &Exchange, parsed: &Url, url: &str) -> Vec<u8> {
    let (target, host) = match parsed.host_str() {
        Some(host) if !parsed.cannot_be_a_base() => {
            let mut target = parsed.path().to_owned();
            if let Some(q) = parsed.query() {
                target.push('?');
                target.push_str(q);
            }
            let host = match parsed.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            };
            (target, Some(host))
        }
        _ => (url.to_owned(), None),
    };
    request_head(
        &ex.method,
        &target,
        host.as_deref(),
        &ex.http_version,
        &ex.request_headers,
    )
}

/// A fresh `<urn:uuid:…>`.
fn record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// The whole record, uncompressed: head, block, and the two CRLFs that end it.
fn record_bytes(fields: &[(&str, String)], block: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 1024);
    write_head(&mut out, fields, block.len());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::default());
    enc.write_all(bytes)?;
    enc.finish()
}

/// A URL as it goes into a record: parsed and serialised by the WHATWG rules (so it is
/// ASCII, percent-encoded, with a lower-case host), without its fragment unless `keep
/// fragment` (a page's URL in `pages.jsonl` may have one; a request never does).
fn clean_url(url: &str, keep_fragment: bool) -> Result<String, String> {
    let mut parsed =
        Url::parse(url.trim()).map_err(|e| format!("\"{}\" is not a URL ({e})", shown(url)))?;
    if !keep_fragment {
        parsed.set_fragment(None);
    }
    let s = parsed.to_string();
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the URL \"{}\" holds a space or control character",
            shown(url)
        ));
    }
    Ok(s)
}

/// The IP address of `remote_addr` in any of the forms DevTools and sockets give.
fn ip_address(addr: &str) -> Option<String> {
    let addr = addr.trim();
    if let Ok(ip) = addr.parse::<std::net::IpAddr>() {
        return Some(ip.to_string());
    }
    if let Ok(sock) = addr.parse::<std::net::SocketAddr>() {
        return Some(sock.ip().to_string());
    }
    addr.strip_prefix('[')
        .and_then(|a| a.strip_suffix(']'))
        .and_then(|a| a.parse::<std::net::IpAddr>().ok())
        .map(|ip| ip.to_string())
}

/// A value safe for one header line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn hash_file(file: &mut File) -> io::Result<(u64, [u8; 32])> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((total, hasher.finalize().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_every_form() {
        assert_eq!(
            ip_address("93.184.216.34").as_deref(),
            Some("93.184.216.34")
        );
        assert_eq!(
            ip_address("93.184.216.34:443").as_deref(),
            Some("93.184.216.34")
        );
        assert_eq!(ip_address("[::1]:443").as_deref(), Some("::1"));
        assert_eq!(ip_address("[2001:db8::1]").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip_address("example.com"), None);
    }

    #[test]
    fn urls_are_normalised_or_refused() {
        assert_eq!(
            clean_url("https://Example.com/a b#frag", false).as_deref(),
            Ok("https://example.com/a%20b")
        );
        assert_eq!(
            clean_url("https://example.com/#x", true).as_deref(),
            Ok("https://example.com/#x")
        );
        assert_eq!(
            clean_url("urn:view:https://example.com/", false).as_deref(),
            Ok("urn:view:https://example.com/")
        );
        assert!(clean_url("not a url", false).is_err());
    }
}
