//! Fixtures for the WACZ tests: the real Python tools (py-wacz, warcio), a WACZ builder
//! for hand-made hostile archives, and small helpers.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

#[path = "noise.rs"]
mod noise;
pub use noise::noise;

/// Where scripts/setup.sh installs the Python tools.
pub fn pydeps() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pydeps")
}

/// `python3` with the project's Python packages first on its path.
pub fn python() -> Command {
    let mut cmd = Command::new("python3");
    let mut path = pydeps().into_os_string();
    if let Some(existing) = std::env::var_os("PYTHONPATH") {
        path.push(":");
        path.push(existing);
    }
    cmd.env("PYTHONPATH", path);
    cmd
}

/// Runs python3 with `args`; panics with everything it printed unless it succeeds.
pub fn run_python(args: &[&str], dir: &Path) -> Output {
    let out = python()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); run scripts/setup.sh"));
    if !out.status.success() {
        panic!(
            "python3 {args:?} failed ({}); if a module is missing, run scripts/setup.sh\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// `wacz validate -f FILE` (py-wacz), which must succeed; returns what it printed.
pub fn wacz_validate(wacz: &Path) -> String {
    let path = wacz.to_str().unwrap_or_else(|| panic!("path"));
    let dir = wacz.parent().unwrap_or_else(|| panic!("dir"));
    let out = run_python(&["-m", "wacz", "validate", "-f", path], dir);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `warcio check -v FILE`, which must succeed; returns what it printed.
pub fn warcio_check(warc: &Path) -> String {
    let path = warc.to_str().unwrap_or_else(|| panic!("path"));
    let dir = warc.parent().unwrap_or_else(|| panic!("dir"));
    let out = run_python(
        &[
            "-c",
            "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))",
            "check",
            "-v",
            path,
        ],
        dir,
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `warcio index` of every record, as JSON objects.
pub fn warcio_index(warc: &Path) -> Vec<serde_json::Value> {
    let path = warc.to_str().unwrap_or_else(|| panic!("path"));
    let dir = warc.parent().unwrap_or_else(|| panic!("dir"));
    let out = run_python(
        &[
            "-c",
            "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))",
            "index",
            "-f",
            "warc-type,warc-target-uri,warc-date,warc-record-id,warc-concurrent-to,warc-ip-address,content-type,http:status,offset,length",
            path,
        ],
        dir,
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

pub fn date(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .unwrap_or_else(|| panic!("date"))
        + chrono::Duration::milliseconds(ms)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    enc.finish().unwrap_or_else(|e| panic!("{e}"))
}

pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

/// One entry of the named ZIP.
pub fn zip_entry(zip_path: &Path, name: &str) -> Vec<u8> {
    let file = std::fs::File::open(zip_path).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    let mut entry = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut out = Vec::new();
    entry
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

/// Where an entry's data starts in the ZIP file, and how it is compressed.
pub fn entry_data_start(zip_path: &Path, name: &str) -> (u64, zip::CompressionMethod) {
    let file = std::fs::File::open(zip_path).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    let entry = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (
        entry
            .data_start()
            .unwrap_or_else(|| panic!("no data start")),
        entry.compression(),
    )
}

/// A plain ZIP of `entries` (name, bytes, deflated?), in that order.
pub fn build_zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, deflate) in entries {
        let method = if *deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options)
            .unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// The entries (name, bytes, deflated?) of a WACZ around `warc` with a consistent
/// `datapackage.json` and digest, so whatever is wrong inside the WARC is what the
/// reader meets. `extra` entries are added and listed too. Tests may change the parts
/// before zipping them with [`zip_parts`].
pub fn wacz_parts(
    warc_name: &str,
    warc: &[u8],
    pages: &[u8],
    extra: &[(&str, &[u8])],
) -> Vec<(String, Vec<u8>, bool)> {
    let mut files: Vec<(String, Vec<u8>, bool)> = vec![
        (warc_name.to_owned(), warc.to_vec(), false),
        ("pages/pages.jsonl".to_owned(), pages.to_vec(), true),
    ];
    for (n, b) in extra {
        files.push(((*n).to_owned(), b.to_vec(), true));
    }
    let resources: Vec<serde_json::Value> = files
        .iter()
        .map(|(n, b, _)| {
            serde_json::json!({
                "name": n.rsplit('/').next(),
                "path": n,
                "hash": format!("sha256:{}", sha256_hex(b)),
                "bytes": b.len(),
            })
        })
        .collect();
    let package = serde_json::to_vec_pretty(&serde_json::json!({
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "resources": resources,
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let digest = serde_json::to_vec(&serde_json::json!({
        "path": "datapackage.json",
        "hash": format!("sha256:{}", sha256_hex(&package)),
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    files.push(("datapackage.json".to_owned(), package, true));
    files.push(("datapackage-digest.json".to_owned(), digest, true));
    files
}

pub fn zip_parts(parts: &[(String, Vec<u8>, bool)]) -> Vec<u8> {
    let entries: Vec<(&str, &[u8], bool)> = parts
        .iter()
        .map(|(n, b, d)| (n.as_str(), b.as_slice(), *d))
        .collect();
    build_zip(&entries)
}

/// [`wacz_parts`], zipped.
pub fn build_wacz(warc_name: &str, warc: &[u8], pages: &[u8], extra: &[(&str, &[u8])]) -> Vec<u8> {
    zip_parts(&wacz_parts(warc_name, warc, pages, extra))
}

/// A pages.jsonl with one page.
pub fn one_page(url: &str) -> Vec<u8> {
    format!(
        "{{\"format\":\"json-pages-1.0\",\"id\":\"pages\"}}\n{{\"id\":\"p\",\"url\":\"{url}\",\"ts\":\"2024-01-01T00:00:00Z\"}}\n"
    )
    .into_bytes()
}

/// A WARC record with a correct block digest (sha256, hex).
pub fn warc_record(warc_type: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "WARC/1.1\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:{}>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nWARC-Block-Digest: sha256:{}\r\nContent-Length: {}\r\n\r\n",
        sha256_hex(uri.as_bytes()),
        sha256_hex(block),
        block.len()
    )
    .into_bytes();
    v.extend_from_slice(block);
    v.extend_from_slice(b"\r\n\r\n");
    v
}

/// A response record for `uri` with an HTML body.
pub fn response_record(uri: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    block.extend_from_slice(body);
    warc_record("response", uri, "application/http;msgtype=response", &block)
}
