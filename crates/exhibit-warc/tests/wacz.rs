//! WACZ export and import, checked with the tools archivists use: py-wacz's
//! `wacz validate` and `wacz create`, and warcio's `check`, `index` and `WARCWriter`.
//! They come from PyPI into target/pydeps (scripts/setup.sh).

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use exhibit_warc::{
    Exchange, Limits, PageCapture, Resource, WaczMeta, WaczWriter, WarcError, read_wacz,
    resource_uri,
};
use support::*;
use url::Url;

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn normalized(url: &str) -> String {
    Url::parse(url)
        .unwrap_or_else(|e| panic!("{url}: {e}"))
        .to_string()
}

fn html_exchange(date: DateTime<Utc>, url: &str, body: Vec<u8>) -> Exchange {
    Exchange {
        date,
        method: "GET".to_owned(),
        url: url.to_owned(),
        request_headers: h(&[("User-Agent", "Exhibit/0.1"), ("Accept", "text/html")]),
        http_version: "HTTP/1.1".to_owned(),
        status: 200,
        reason: "OK".to_owned(),
        response_headers: h(&[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", &body.len().to_string()),
        ]),
        body,
        remote_addr: Some("192.0.2.10".to_owned()),
    }
}

struct Sample {
    meta: WaczMeta,
    pages: Vec<PageCapture>,
    /// The gzip body of page 1, as stored.
    gzip_body: Vec<u8>,
    gbk_body: Vec<u8>,
    png: Vec<u8>,
    tsr: Vec<u8>,
}

/// Three pages: a gzip body sent chunked; Chinese text in UTF-8 and a GBK body; a
/// screenshot, a timestamp token and a JSON record.
fn sample() -> Sample {
    let url1 = "https://shop.example.com/item/1";
    let html1 = "<!doctype html><title>Leather handbag</title><h1>Genuine leather</h1>".repeat(50);
    let gzip_body = gzip(html1.as_bytes());
    let page1 = PageCapture {
        id: "capture-1".to_owned(),
        url: url1.to_owned(),
        title: Some("Leather handbag".to_owned()),
        ts: date(2024, 3, 1, 10, 0, 0, 0),
        exchanges: vec![
            Exchange {
                date: date(2024, 3, 1, 10, 0, 0, 250),
                method: "GET".to_owned(),
                url: url1.to_owned(),
                request_headers: h(&[("User-Agent", "Exhibit/0.1"), ("Accept-Encoding", "gzip")]),
                http_version: "HTTP/1.1".to_owned(),
                status: 200,
                reason: "OK".to_owned(),
                response_headers: h(&[
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "chunked"),
                    ("Set-Cookie", "session=1\nlang=en"),
                ]),
                body: gzip_body.clone(),
                remote_addr: Some("93.184.216.34:443".to_owned()),
            },
            Exchange {
                date: date(2024, 3, 1, 10, 0, 1, 5),
                method: "GET".to_owned(),
                url: "https://shop.example.com/style.css".to_owned(),
                request_headers: h(&[(":authority", "shop.example.com"), (":path", "/style.css")]),
                http_version: "h2".to_owned(),
                status: 200,
                reason: String::new(),
                response_headers: h(&[(":status", "200"), ("content-type", "text/css")]),
                body: b"h1 { color: #333 }\n".to_vec(),
                remote_addr: Some("[2001:db8::1]:443".to_owned()),
            },
        ],
        resources: vec![],
    };

    let url2 = "https://二手.example.cn/商品/2?颜色=黑";
    let html2 =
        "<!doctype html><meta charset=utf-8><title>二手相机 九成新</title><p>价格：¥1,299</p>";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(
        "<html><head><meta charset=gbk></head><body>二手相机，九成新，价格面议</body></html>",
    );
    assert!(!unmappable);
    let gbk_body = gbk.into_owned();
    let mut gbk_exchange = html_exchange(
        date(2024, 3, 1, 11, 0, 0, 900),
        "https://二手.example.cn/legacy.html",
        gbk_body.clone(),
    );
    // The original length header lies about the stored body.
    gbk_exchange.response_headers = h(&[
        ("Content-Type", "text/html; charset=gbk"),
        ("Content-Length", "9999"),
    ]);
    let page2 = PageCapture {
        id: "capture-2".to_owned(),
        url: url2.to_owned(),
        title: Some("二手相机 九成新".to_owned()),
        ts: date(2024, 3, 1, 11, 0, 0, 0),
        exchanges: vec![
            html_exchange(
                date(2024, 3, 1, 11, 0, 0, 400),
                url2,
                html2.as_bytes().to_vec(),
            ),
            gbk_exchange,
        ],
        resources: vec![],
    };

    let url3 = "https://market.example.org/listing/3";
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(noise(1, 20_000));
    let mut tsr = vec![0x30, 0x82, 0x03, 0x00];
    tsr.extend(noise(2, 764));
    let page3 = PageCapture {
        id: "capture-3".to_owned(),
        url: url3.to_owned(),
        title: None,
        ts: date(2024, 3, 1, 12, 0, 0, 0),
        exchanges: vec![html_exchange(
            date(2024, 3, 1, 12, 0, 0, 120),
            url3,
            b"<html><title>Listing 3</title></html>".to_vec(),
        )],
        resources: vec![
            Resource {
                date: date(2024, 3, 1, 12, 0, 2, 0),
                uri: resource_uri("view", url3),
                content_type: "image/png".to_owned(),
                bytes: png.clone(),
            },
            Resource {
                date: date(2024, 3, 1, 12, 0, 3, 500),
                uri: resource_uri("timestamp", url3),
                content_type: "application/timestamp-reply".to_owned(),
                bytes: tsr.clone(),
            },
            Resource {
                date: date(2024, 3, 1, 12, 0, 4, 0),
                uri: resource_uri("exhibit", url3),
                content_type: "application/json".to_owned(),
                bytes: br#"{"venue":"market","listing":"3"}"#.to_vec(),
            },
            // The listing's main picture, kept at its own URL on another host.
            Resource {
                date: date(2024, 3, 1, 12, 0, 4, 0),
                uri: MAIN_IMAGE_3.to_owned(),
                content_type: "image/jpeg".to_owned(),
                bytes: jpeg3(),
            },
        ],
    };
    Sample {
        meta: WaczMeta {
            title: "Case 2024-17: counterfeit handbags".to_owned(),
            description: Some("Captures for the complaint.".to_owned()),
            software: "Exhibit 0.1.0".to_owned(),
            created: date(2024, 3, 2, 9, 30, 0, 0),
        },
        pages: vec![page1, page2, page3],
        gzip_body,
        gbk_body,
        png,
        tsr,
    }
}

/// Where page 3's main picture was fetched from.
const MAIN_IMAGE_3: &str = "https://img.example.org/listing/3/main.jpg";

/// Bytes that start as a JPEG does: the writer and reader do not decode pictures.
fn jpeg3() -> Vec<u8> {
    let mut jpeg = b"\xFF\xD8\xFF\xE0".to_vec();
    jpeg.extend(noise(3, 5_000));
    jpeg
}

fn write_sample(dir: &Path) -> (Sample, PathBuf, exhibit_warc::WaczSummary) {
    let s = sample();
    let path = dir.join("export.wacz");
    let mut w = WaczWriter::create(&path, s.meta.clone()).unwrap_or_else(|e| panic!("{e}"));
    for p in &s.pages {
        w.add_page(p.clone()).unwrap_or_else(|e| panic!("{e}"));
    }
    let summary = w.finish().unwrap_or_else(|e| panic!("{e}"));
    (s, path, summary)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn export_passes_wacz_validate_and_warcio_check() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (s, path, summary) = write_sample(dir.path());
    assert_eq!(summary.pages, 3);
    // warcinfo, a response and a request per exchange, and the four resources.
    assert_eq!(summary.records, 1 + 2 * 5 + 4);
    assert_eq!(
        summary.bytes,
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
    );
    assert_eq!(files_in(dir.path()), vec!["export.wacz".to_owned()]);

    let validate = wacz_validate(&path);
    assert!(
        validate.contains("Validation succeeded"),
        "wacz validate said:\n{validate}"
    );

    // The WARC is stored (replay tools seek into it), and entries carry the WACZ's date.
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    for expected in [
        "archive/data.warc.gz",
        "indexes/index.cdxj",
        "pages/pages.jsonl",
        "datapackage.json",
        "datapackage-digest.json",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    {
        let warc_entry = archive
            .by_name("archive/data.warc.gz")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(warc_entry.compression(), zip::CompressionMethod::Stored);
        let modified = warc_entry
            .last_modified()
            .unwrap_or_else(|| panic!("no date"));
        assert_eq!(
            (modified.year(), modified.month(), modified.day()),
            (2024, 3, 2)
        );
    }

    let warc = zip_entry(&path, "archive/data.warc.gz");
    let warc_path = dir.path().join("data.warc.gz");
    std::fs::write(&warc_path, &warc).unwrap_or_else(|e| panic!("{e}"));
    let check = warcio_check(&warc_path);
    assert!(!check.contains("failed"), "warcio check said:\n{check}");
    assert_eq!(
        check.matches("digest pass").count(),
        summary.records,
        "warcio check said:\n{check}"
    );

    // warcio reads every record, with the dates given (not the time of writing).
    let index = warcio_index(&warc_path);
    assert_eq!(index.len(), summary.records);
    let mut expected_dates: HashMap<(String, String), DateTime<Utc>> = HashMap::new();
    for p in &s.pages {
        for ex in &p.exchanges {
            for t in ["request", "response"] {
                expected_dates.insert((t.to_owned(), normalized(&ex.url)), ex.date);
            }
        }
        for r in &p.resources {
            expected_dates.insert(("resource".to_owned(), r.uri.clone()), r.date);
        }
    }
    let mut response_ids = HashMap::new();
    for rec in &index {
        let field = |k: &str| {
            rec.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let warc_type = field("warc-type");
        let written = DateTime::parse_from_rfc3339(&field("warc-date"))
            .unwrap_or_else(|e| panic!("{rec}: {e}"))
            .with_timezone(&Utc);
        if warc_type == "warcinfo" {
            assert_eq!(written, s.meta.created);
            continue;
        }
        let key = (warc_type.clone(), field("warc-target-uri"));
        assert_eq!(expected_dates.get(&key), Some(&written), "{rec}");
        if warc_type == "response" {
            response_ids.insert(field("warc-record-id"), key.1.clone());
            assert_eq!(field("http:status"), "200");
            assert!(!field("warc-ip-address").is_empty(), "{rec}");
        }
    }
    for rec in index.iter().filter(|r| r["warc-type"] == "request") {
        let to = rec["warc-concurrent-to"].as_str().unwrap_or_default();
        assert_eq!(
            response_ids.get(to).map(String::as_str),
            rec["warc-target-uri"].as_str(),
            "{rec}"
        );
    }

    // The CDXJ index: sorted, one line per response and resource, each pointing at the
    // gzip member of its record.
    let cdx = String::from_utf8(zip_entry(&path, "indexes/index.cdxj")).unwrap_or_default();
    let lines: Vec<&str> = cdx.lines().collect();
    assert_eq!(lines.len(), 5 + 4, "{cdx}");
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    for line in &lines {
        let json: serde_json::Value =
            serde_json::from_str(line.splitn(3, ' ').nth(2).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{line}: {e}"));
        let offset: usize = json["offset"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(usize::MAX);
        let length: usize = json["length"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let member = warc
            .get(offset..offset + length)
            .unwrap_or_else(|| panic!("{line}"));
        let record = String::from_utf8_lossy(&gunzip(member)).into_owned();
        let url = json["url"].as_str().unwrap_or_default();
        assert!(
            record.contains(&format!("WARC-Target-URI: {url}\r\n")),
            "{line}"
        );
        assert!(record.contains(&format!(
            "WARC-Payload-Digest: {}\r\n",
            json["digest"].as_str().unwrap_or_default()
        )));
    }

    // The page list.
    let pages = String::from_utf8(zip_entry(&path, "pages/pages.jsonl")).unwrap_or_default();
    let mut page_lines = pages.lines();
    assert_eq!(
        page_lines.next(),
        Some(r#"{"format":"json-pages-1.0","id":"pages","title":"All Pages"}"#)
    );
    let second: serde_json::Value =
        serde_json::from_str(page_lines.nth(1).unwrap_or_default()).unwrap_or_default();
    assert_eq!(second["title"], "二手相机 九成新");
    assert_eq!(second["url"], normalized(&s.pages[1].url));
    assert_eq!(second["ts"], "2024-03-01T11:00:00Z");
}

#[test]
fn export_reads_back_with_every_record_verified() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (s, path, summary) = write_sample(dir.path());
    let contents = read_wacz(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(contents.records_checked, summary.records as u64);
    assert_eq!(contents.unverified_records, 0);
    assert_eq!(contents.meta.title.as_deref(), Some(s.meta.title.as_str()));
    assert_eq!(contents.meta.software.as_deref(), Some("Exhibit 0.1.0"));
    assert_eq!(contents.meta.created, Some(s.meta.created));
    assert_eq!(contents.meta.wacz_version.as_deref(), Some("1.1.1"));
    assert!(contents.meta.datapackage_digest_checked);
    assert_eq!(contents.meta.datapackage_sha256, summary.datapackage_sha256);
    assert_eq!(contents.pages.len(), 3);

    let p1 = &contents.pages[0];
    assert_eq!(
        (p1.id.as_str(), p1.url.as_str()),
        ("capture-1", "https://shop.example.com/item/1")
    );
    assert_eq!(p1.title.as_deref(), Some("Leather handbag"));
    assert_eq!(p1.ts, s.pages[0].ts);
    let r1 = p1
        .response
        .as_ref()
        .unwrap_or_else(|| panic!("no response"));
    assert_eq!(r1.payload, s.gzip_body);
    assert_eq!(r1.http_status, Some(200));
    assert_eq!(r1.date, s.pages[0].exchanges[0].date);
    assert!(r1.digest_verified);
    let header = |name: &str| {
        r1.http_headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(header("Transfer-Encoding"), Vec::<&str>::new());
    assert_eq!(header("X-Archive-Orig-Transfer-Encoding"), vec!["chunked"]);
    assert_eq!(header("Content-Encoding"), vec!["gzip"]);
    assert_eq!(header("Set-Cookie"), vec!["session=1", "lang=en"]);
    assert_eq!(gunzip(&r1.payload).len(), 50 * 69);
    assert_eq!(p1.records.len(), 2, "the page's response and request");
    assert!(p1.resources.is_empty());

    let p2 = &contents.pages[1];
    assert_eq!(p2.url, normalized(&s.pages[1].url));
    assert!(p2.url.starts_with("https://xn--"), "{}", p2.url);
    assert_eq!(p2.title.as_deref(), Some("二手相机 九成新"));
    let r2 = p2
        .response
        .as_ref()
        .unwrap_or_else(|| panic!("no response"));
    assert!(String::from_utf8_lossy(&r2.payload).contains("价格：¥1,299"));

    // The GBK exchange is not the page's URL, so it is not among the page's records;
    // it is in the archive, with its lying length renamed.
    assert!(
        p2.records
            .iter()
            .all(|r| !r.target_uri.ends_with("legacy.html"))
    );
    let warc = gunzip(&zip_entry(&path, "archive/data.warc.gz"));
    let gbk_at = warc
        .windows(s.gbk_body.len())
        .position(|w| w == s.gbk_body.as_slice())
        .unwrap_or_else(|| panic!("GBK body stored as is"));
    let head = String::from_utf8_lossy(&warc[gbk_at.saturating_sub(300)..gbk_at]).into_owned();
    assert!(
        head.contains("X-Archive-Orig-Content-Length: 9999\r\n"),
        "{head}"
    );
    assert!(
        head.contains(&format!("\r\nContent-Length: {}\r\n", s.gbk_body.len())),
        "{head}"
    );

    let p3 = &contents.pages[2];
    assert_eq!(p3.title, None);
    let kinds: Vec<(&str, &str)> = p3
        .resources
        .iter()
        .map(|r| {
            (
                r.target_uri.as_str(),
                r.content_type.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let url3 = &s.pages[2].url;
    assert_eq!(
        kinds,
        vec![
            (resource_uri("view", url3).as_str(), "image/png"),
            (
                resource_uri("timestamp", url3).as_str(),
                "application/timestamp-reply"
            ),
            (resource_uri("exhibit", url3).as_str(), "application/json"),
            // Not a urn: of the page, but a resource record the page claims by id.
            (MAIN_IMAGE_3, "image/jpeg"),
        ]
    );
    assert_eq!(p3.resources[3].payload, jpeg3());
    assert_eq!(p3.resources[0].payload, s.png);
    assert_eq!(p3.resources[1].payload, s.tsr);
    assert_eq!(p3.resources[1].date, s.pages[2].resources[1].date);
    assert!(
        p3.resources
            .iter()
            .all(|r| r.digest_verified && r.file == "archive/data.warc.gz")
    );
}

#[test]
fn a_failed_or_abandoned_export_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let s = sample();
    let missing = dir.path().join("no-such-folder").join("x.wacz");
    match WaczWriter::create(&missing, s.meta.clone()) {
        Err(e) => assert_eq!(e.code(), "write_failed", "{e}"),
        Ok(_) => panic!("created a WACZ in a folder that does not exist"),
    }

    let path = dir.path().join("x.wacz");
    let mut w = WaczWriter::create(&path, s.meta.clone()).unwrap_or_else(|e| panic!("{e}"));
    let mut bad = s.pages[0].clone();
    bad.exchanges[0].url = "not a url".to_owned();
    let err = w
        .add_page(bad)
        .err()
        .unwrap_or_else(|| panic!("accepted a bad URL"));
    assert_eq!(err.code(), "invalid_capture");
    assert!(err.to_string().contains("capture-1"), "{err}");
    // Bad input leaves the writer usable; a repeated id is refused.
    w.add_page(s.pages[0].clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let again = w
        .add_page(s.pages[0].clone())
        .err()
        .unwrap_or_else(|| panic!("same id twice"));
    assert_eq!(again.code(), "invalid_capture");
    assert_eq!(
        files_in(dir.path()).len(),
        1,
        "only the hidden partial file"
    );
    drop(w);
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

fn crawl_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/make_crawl.py");
    let script = script.to_str().unwrap_or_else(|| panic!("path"));
    let out = dir.path().to_str().unwrap_or_else(|| panic!("path"));
    run_python(&[script, out], dir.path());
    dir
}

fn expected(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("expected.json")).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn wacz_create(dir: &Path, out: &str, warc: &str, pages: &str) -> PathBuf {
    run_python(&["-m", "wacz", "create", "-o", out, warc, "-p", pages], dir);
    dir.join(out)
}

#[test]
fn imports_a_warcio_crawl_packaged_by_py_wacz() {
    let dir = crawl_dir();
    let x = expected(dir.path());
    let wacz = wacz_create(
        dir.path(),
        "crawl.wacz",
        "crawl.warc.gz",
        "crawl-pages.jsonl",
    );
    let contents = read_wacz(&wacz, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        contents
            .meta
            .software
            .as_deref()
            .unwrap_or_default()
            .starts_with("py-wacz")
    );
    assert!(contents.meta.datapackage_digest_checked);
    assert_eq!(
        contents.unverified_records, 0,
        "warcio writes sha1 digests on every record"
    );
    assert_eq!(contents.pages.len(), 2);

    let a = &contents.pages[0];
    assert_eq!(a.id, "page-a");
    assert_eq!(a.url, x["page_a"]["url"]);
    assert_eq!(a.title.as_deref(), Some("Leather handbag"));
    assert_eq!(a.ts, date(2024, 3, 1, 10, 0, 0, 0));
    // The page's URL answers with a redirect; its response is where that leads.
    let r = a.response.as_ref().unwrap_or_else(|| panic!("no response"));
    assert_eq!(r.target_uri, x["page_a"]["final_url"]);
    assert_eq!(r.record_id, x["page_a"]["final_id"]);
    assert_eq!(r.http_status, Some(200));
    assert_eq!(sha256_hex(&r.payload), x["page_a"]["body_sha256"]);
    assert_eq!(r.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(r.digest_verified);
    let types: Vec<&str> = a.records.iter().map(|r| r.warc_type.as_str()).collect();
    assert_eq!(types, vec!["response", "request"]);
    assert_eq!(a.records[0].record_id, x["page_a"]["redirect_id"]);
    assert_eq!(a.records[0].http_status, Some(301));
    assert_eq!(a.resources.len(), 1);
    assert_eq!(a.resources[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(
        sha256_hex(&a.resources[0].payload),
        x["page_a"]["png_sha256"]
    );

    let b = &contents.pages[1];
    assert_eq!(b.title.as_deref(), Some("二手相机 九成新"));
    let rb = b.response.as_ref().unwrap_or_else(|| panic!("no response"));
    assert_eq!(rb.record_id, x["page_b"]["id"]);
    assert_eq!(sha256_hex(&rb.payload), x["page_b"]["body_sha256"]);
    assert!(String::from_utf8_lossy(&rb.payload).contains("<title>二手相机 九成新</title>"));
    let ip = rb
        .warc_headers
        .iter()
        .find(|(n, _)| n == "WARC-IP-Address")
        .map(|(_, v)| v.as_str());
    assert_eq!(ip, Some("192.0.2.7"));
}

fn flip(bytes: &mut [u8], at: usize) {
    bytes[at] ^= 0x20;
}

#[test]
fn a_changed_byte_in_a_record_is_refused_naming_the_record() {
    let dir = crawl_dir();
    let x = expected(dir.path());

    // Uncompressed WARC: the byte is found by its text and flipped in the stored entry.
    let wacz = wacz_create(dir.path(), "plain.wacz", "plain.warc", "plain-pages.jsonl");
    let clean = read_wacz(&wacz, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let r = clean.pages[0]
        .response
        .as_ref()
        .unwrap_or_else(|| panic!("no response"));
    assert_eq!(r.record_id, x["plain"]["id"]);
    assert_eq!(sha256_hex(&r.payload), x["plain"]["body_sha256"]);
    let mut bytes = std::fs::read(&wacz).unwrap_or_else(|e| panic!("{e}"));
    let marker = b"UNIQUE-MARKER-0123456789";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap_or_else(|| panic!("marker not found"));
    flip(&mut bytes, at + 3);
    let flipped = dir.path().join("plain-flipped.wacz");
    std::fs::write(&flipped, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let err = read_wacz(&flipped, &Limits::default())
        .err()
        .unwrap_or_else(|| panic!("a changed record was imported"));
    assert_eq!(err.code(), "digest_mismatch", "{err}");
    assert!(err.is_tampering());
    let msg = err.to_string();
    eprintln!("refused as expected: {msg}");
    for part in [
        "\"archive/plain.warc\"",
        x["plain"]["id"].as_str().unwrap_or("?"),
        &format!("offset {}", r.offset),
    ] {
        assert!(msg.contains(part), "{part} not in: {msg}");
    }

    // Compressed WARC: a byte near the end of a record's gzip member.
    let wacz = wacz_create(
        dir.path(),
        "crawl.wacz",
        "crawl.warc.gz",
        "crawl-pages.jsonl",
    );
    let clean = read_wacz(&wacz, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let rb = clean.pages[1]
        .response
        .as_ref()
        .unwrap_or_else(|| panic!("no response"));
    let warc_path = dir.path().join("crawl.warc.gz");
    let member_len = warcio_index(&warc_path)
        .iter()
        .find(|rec| rec["warc-record-id"] == x["page_b"]["id"])
        .and_then(|rec| rec["length"].as_str().and_then(|l| l.parse::<u64>().ok()))
        .unwrap_or_else(|| panic!("record not indexed"));
    let (start, method) = entry_data_start(&wacz, "archive/crawl.warc.gz");
    assert_eq!(method, zip::CompressionMethod::Stored);
    let mut bytes = std::fs::read(&wacz).unwrap_or_else(|e| panic!("{e}"));
    flip(&mut bytes, (start + rb.offset + member_len - 40) as usize);
    let flipped = dir.path().join("crawl-flipped.wacz");
    std::fs::write(&flipped, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let err = read_wacz(&flipped, &Limits::default())
        .err()
        .unwrap_or_else(|| panic!("a changed record was imported"));
    assert!(
        matches!(err.code(), "digest_mismatch" | "damaged_record"),
        "{err}"
    );
    let msg = err.to_string();
    eprintln!("refused as expected: {msg}");
    for part in [
        "\"archive/crawl.warc.gz\"",
        x["page_b"]["id"].as_str().unwrap_or("?"),
        &format!("offset {}", rb.offset),
    ] {
        assert!(msg.contains(part), "{part} not in: {msg}");
    }
}

/// Writes `bytes` as a file and imports it; it must fail with `code`, and the message
/// must hold each of `parts`.
fn refused_with(bytes: &[u8], limits: &Limits, code: &str, parts: &[&str]) -> WarcError {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("hostile.wacz");
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    let err = read_wacz(&path, limits)
        .err()
        .unwrap_or_else(|| panic!("imported a hostile file expected to fail with {code}"));
    assert_eq!(err.code(), code, "{err}");
    let msg = err.to_string();
    eprintln!("refused as expected: {msg}");
    for part in parts {
        assert!(msg.contains(part), "{part:?} not in: {msg}");
    }
    assert!(!msg.contains('\n'), "one sentence: {msg}");
    err
}

const PAGE_URL: &str = "https://example.com/";

fn good_warc() -> Vec<u8> {
    [
        gzip(&response_record(PAGE_URL, b"<html>one</html>")),
        gzip(&response_record(
            "https://example.com/2",
            b"<html>two</html>",
        )),
    ]
    .concat()
}

fn import_bytes(wacz: &[u8]) -> exhibit_warc::WaczContents {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("ok.wacz");
    std::fs::write(&path, wacz).unwrap_or_else(|e| panic!("{e}"));
    read_wacz(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn hand_built_waczs_of_every_shape_import() {
    let second = "https://example.com/2";
    let response = |c: &exhibit_warc::WaczContents| {
        c.pages[0]
            .response
            .as_ref()
            .unwrap_or_else(|| panic!("no response"))
            .clone()
    };

    // One gzip member per record, stored in the ZIP: the shape WACZ asks for.
    let c = import_bytes(&build_wacz(
        "archive/data.warc.gz",
        &good_warc(),
        &one_page(PAGE_URL),
        &[],
    ));
    assert_eq!(c.records_checked, 2);
    let r = response(&c);
    assert_eq!(r.payload, b"<html>one</html>");
    // A block digest alone verifies a record.
    assert!(r.digest_verified);

    // The whole WARC in one gzip member, and deflated in the ZIP besides: the second
    // record is found again inside the member.
    let one_member = gzip(
        &[
            response_record(PAGE_URL, b"<html>one</html>"),
            response_record(second, b"<html>two</html>"),
        ]
        .concat(),
    );
    let mut parts = wacz_parts("archive/data.warc.gz", &one_member, &one_page(second), &[]);
    parts[0].2 = true;
    let c = import_bytes(&zip_parts(&parts));
    let r = response(&c);
    assert_eq!(
        (r.payload.as_slice(), r.offset),
        (&b"<html>two</html>"[..], 0)
    );

    // Uncompressed, and a record with no digest at all: accepted, marked unverified.
    let bare = "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:bare>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: urn:view:https://example.com/\r\nContent-Type: image/png\r\nContent-Length: 3\r\n\r\nPNG\r\n\r\n";
    let warc = [
        response_record(PAGE_URL, b"<html>one</html>"),
        bare.as_bytes().to_vec(),
    ]
    .concat();
    let c = import_bytes(&build_wacz(
        "archive/data.warc",
        &warc,
        &one_page(PAGE_URL),
        &[],
    ));
    assert_eq!((c.records_checked, c.unverified_records), (2, 1));
    let shot = &c.pages[0].resources;
    assert_eq!(shot.len(), 1);
    assert_eq!(shot[0].payload, b"PNG");
    assert!(!shot[0].digest_verified);
    assert_eq!(shot[0].offset, warc.len() as u64 - bare.len() as u64);
}

#[test]
fn not_a_zip_is_refused() {
    refused_with(
        b"<html>this is a web page, not a WACZ</html>",
        &Limits::default(),
        "not_a_wacz",
        &["not a WACZ file"],
    );
    refused_with(b"", &Limits::default(), "not_a_wacz", &["empty"]);
    // A real ZIP cut in half has lost its directory.
    let wacz = build_wacz(
        "archive/data.warc.gz",
        &good_warc(),
        &one_page(PAGE_URL),
        &[],
    );
    refused_with(
        &wacz[..wacz.len() / 2],
        &Limits::default(),
        "not_a_wacz",
        &["cut short"],
    );
}

#[test]
fn a_zip_bomb_is_refused() {
    // 64 MiB of zeros deflate to about 64 KiB: a ratio of 1000.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let pages = one_page(PAGE_URL);
    let bomb = build_wacz(
        "archive/data.warc.gz",
        &good_warc(),
        &pages,
        &[("logs/crawl.log", &zeros)],
    );
    refused_with(
        &bomb,
        &Limits::default(),
        "too_large",
        &["\"logs/crawl.log\"", "times its"],
    );
    // With no ratio limit, the per-entry limit stops it.
    let limits = Limits {
        max_ratio: u64::MAX,
        max_entry_bytes: 8 * 1024 * 1024,
        ..Limits::default()
    };
    refused_with(
        &bomb,
        &limits,
        "too_large",
        &["\"logs/crawl.log\"", "8388608"],
    );
    // A header that declares a small size is not believed: the bytes produced count.
    let mut lying = bomb.clone();
    patch_declared_size(&mut lying, b"logs/crawl.log", 1000);
    refused_with(
        &lying,
        &Limits {
            max_ratio: u64::MAX,
            ..Limits::default()
        },
        "too_large",
        &[
            "\"logs/crawl.log\"",
            "more than the 1000 bytes its ZIP header declares",
        ],
    );
}

/// Sets the uncompressed size the local and the central header of `name` declare.
fn patch_declared_size(wacz: &mut [u8], name: &[u8], size: u32) {
    let mut patched = 0;
    for i in 0..wacz.len().saturating_sub(46) {
        if wacz[i..].starts_with(b"PK\x03\x04") && wacz[i + 30..].starts_with(name) {
            wacz[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
        if wacz[i..].starts_with(b"PK\x01\x02") && wacz[i + 46..].starts_with(name) {
            wacz[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2);
}

#[test]
fn an_entry_declaring_a_huge_size_is_refused_before_it_is_read() {
    let mut wacz = build_wacz(
        "archive/data.warc.gz",
        &good_warc(),
        &one_page(PAGE_URL),
        &[],
    );
    // Declare 3 GiB for the WARC in both its local and central headers.
    patch_declared_size(&mut wacz, b"archive/data.warc.gz", 3 * 1024 * 1024 * 1024);
    refused_with(
        &wacz,
        &Limits::default(),
        "too_large",
        &["\"archive/data.warc.gz\"", "declares 3221225472 bytes"],
    );
}

#[test]
fn a_truncated_gzip_member_is_refused() {
    let first = gzip(&response_record(PAGE_URL, b"<html>one</html>"));
    let second = gzip(&response_record("https://example.com/2", &noise(3, 5000)));
    let warc = [first.clone(), second[..second.len() / 2].to_vec()].concat();
    let wacz = build_wacz("archive/data.warc.gz", &warc, &one_page(PAGE_URL), &[]);
    refused_with(
        &wacz,
        &Limits::default(),
        "damaged_record",
        &[
            "\"archive/data.warc.gz\"",
            &format!("offset {}", first.len()),
            "gzip member",
        ],
    );
}

#[test]
fn a_header_block_without_end_is_refused() {
    let mut warc = b"WARC/1.1\r\nWARC-Type: response\r\n".to_vec();
    for i in 0..60_000 {
        warc.extend_from_slice(format!("X-Filler-{i}: yes\r\n").as_bytes());
    }
    let wacz = build_wacz("archive/data.warc", &warc, &one_page(PAGE_URL), &[]);
    refused_with(
        &wacz,
        &Limits::default(),
        "damaged_record",
        &["offset 0", "without the blank line"],
    );
    // Cut short instead: the data ends inside the header.
    let wacz = build_wacz("archive/data.warc", &warc[..200], &one_page(PAGE_URL), &[]);
    refused_with(
        &wacz,
        &Limits::default(),
        "damaged_record",
        &["ends inside its header block"],
    );
}

#[test]
fn a_content_length_beyond_the_data_is_refused() {
    let record = response_record(PAGE_URL, b"<html>one</html>");
    let text = String::from_utf8_lossy(&record).into_owned();
    // The WARC head's last line is its Content-Length.
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("head"));
    let (fields, _length) = head.rsplit_once("\r\n").unwrap_or_else(|| panic!("fields"));
    let record = format!("{fields}\r\nContent-Length: 999999\r\n\r\n{rest}").into_bytes();
    let wacz = build_wacz(
        "archive/data.warc.gz",
        &gzip(&record),
        &one_page(PAGE_URL),
        &[],
    );
    refused_with(
        &wacz,
        &Limits::default(),
        "damaged_record",
        &["urn:uuid:", "Content-Length says 999999 bytes"],
    );
    // Over the record limit, it is refused before anything is read.
    let limits = Limits {
        max_record_bytes: 1000,
        ..Limits::default()
    };
    refused_with(&wacz, &limits, "too_large", &["999999"]);
}

#[test]
fn non_utf8_headers_are_refused() {
    let mut record = response_record(PAGE_URL, b"<html>one</html>");
    let at = record
        .windows(9)
        .position(|w| w == b"WARC-Date")
        .unwrap_or_else(|| panic!("no date"));
    record.splice(at..at, b"X-Note: caf\xe9\r\n".iter().copied());
    let wacz = build_wacz(
        "archive/data.warc.gz",
        &gzip(&record),
        &one_page(PAGE_URL),
        &[],
    );
    refused_with(
        &wacz,
        &Limits::default(),
        "damaged_record",
        &["not UTF-8", "caf\\xe9"],
    );
}

#[test]
fn a_wacz_without_datapackage_is_refused() {
    let pages = one_page(PAGE_URL);
    let zip = build_zip(&[
        ("archive/data.warc.gz", &good_warc(), false),
        ("pages/pages.jsonl", &pages, true),
    ]);
    refused_with(
        &zip,
        &Limits::default(),
        "missing_entry",
        &["datapackage.json"],
    );
}

#[test]
fn an_entry_climbing_out_of_its_folder_is_refused() {
    let wacz = build_wacz(
        "archive/data.warc.gz",
        &good_warc(),
        &one_page(PAGE_URL),
        &[("../../home/user/.bashrc", b"echo pwned\n")],
    );
    refused_with(
        &wacz,
        &Limits::default(),
        "unsafe_entry",
        &["../../home/user/.bashrc", "'..'"],
    );
    let wacz = build_wacz(
        "archive/data.warc.gz",
        &good_warc(),
        &one_page(PAGE_URL),
        &[("/etc/cron.d/x", b"x")],
    );
    refused_with(&wacz, &Limits::default(), "unsafe_entry", &["absolute"]);
}

#[test]
fn a_link_entry_is_refused() {
    let parts = wacz_parts(
        "archive/data.warc.gz",
        &good_warc(),
        &one_page(PAGE_URL),
        &[],
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, _) in &parts {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        std::io::Write::write_all(&mut zip, bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.add_symlink(
        "archive/other.warc.gz",
        "/etc/passwd",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let bytes = zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
    refused_with(
        &bytes,
        &Limits::default(),
        "unsafe_entry",
        &["\"archive/other.warc.gz\"", "symbolic link"],
    );
}

#[test]
fn junk_in_the_page_list_is_refused() {
    let pages = format!(
        "{{\"format\":\"json-pages-1.0\",\"id\":\"pages\"}}\n{{\"url\":\"{PAGE_URL}\",\"ts\":\"2024-01-01T00:00:00Z\"}}\n<<<junk>>>\n"
    );
    let wacz = build_wacz("archive/data.warc.gz", &good_warc(), pages.as_bytes(), &[]);
    refused_with(
        &wacz,
        &Limits::default(),
        "invalid_pages",
        &["Line 3", "pages/pages.jsonl", "<<<junk>>>"],
    );
    let wacz = build_wacz(
        "archive/data.warc.gz",
        &good_warc(),
        b"{\"url\":\"https://e.com/\"}\n",
        &[],
    );
    refused_with(
        &wacz,
        &Limits::default(),
        "invalid_pages",
        &["Line 1", "\"ts\""],
    );
}

#[test]
fn entries_that_disagree_with_the_datapackage_are_refused() {
    let pages = one_page(PAGE_URL);
    let parts = wacz_parts("archive/data.warc.gz", &good_warc(), &pages, &[]);
    let part = |parts: &mut Vec<(String, Vec<u8>, bool)>, name: &str| -> usize {
        parts
            .iter()
            .position(|(n, _, _)| n == name)
            .unwrap_or_else(|| panic!("{name}"))
    };

    // The stored WARC changed where no record digest looks: a gzip header's date.
    let mut wacz = zip_parts(&parts);
    let gzip_at = wacz
        .windows(3)
        .position(|w| w == [0x1f, 0x8b, 0x08])
        .unwrap_or_else(|| panic!("gzip"));
    wacz[gzip_at + 4] ^= 0x01;
    refused_with(
        &wacz,
        &Limits::default(),
        "entry_mismatch",
        &[
            "\"archive/data.warc.gz\"",
            "SHA-256",
            "datapackage.json lists",
        ],
    );

    // The page list changed after the data package was written.
    let mut changed = parts.clone();
    let i = part(&mut changed, "pages/pages.jsonl");
    changed[i].1 = one_page("https://example.com/other");
    refused_with(
        &zip_parts(&changed),
        &Limits::default(),
        "entry_mismatch",
        &["\"pages/pages.jsonl\""],
    );

    // datapackage.json no longer matches its digest.
    let mut changed = parts.clone();
    let i = part(&mut changed, "datapackage.json");
    changed[i].1.extend_from_slice(b"\n");
    refused_with(
        &zip_parts(&changed),
        &Limits::default(),
        "entry_mismatch",
        &["\"datapackage.json\"", "datapackage-digest.json lists"],
    );

    // An entry datapackage.json does not list.
    let mut extra = parts.clone();
    extra.push(("archive/extra.warc.gz".to_owned(), b"x".to_vec(), false));
    refused_with(
        &zip_parts(&extra),
        &Limits::default(),
        "unlisted_entry",
        &["\"archive/extra.warc.gz\""],
    );

    // An entry datapackage.json lists that is not there.
    let mut missing = parts.clone();
    let i = part(&mut missing, "pages/pages.jsonl");
    missing.remove(i);
    refused_with(
        &zip_parts(&missing),
        &Limits::default(),
        "missing_entry",
        &["\"pages/pages.jsonl\"", "which datapackage.json lists"],
    );
}

#[test]
fn errors_never_print_control_characters_from_the_file() {
    let record = response_record(PAGE_URL, b"x");
    let text = String::from_utf8_lossy(&record).replace("WARC/1.1", "\u{1b}[31mEVIL");
    let wacz = build_wacz(
        "archive/data.warc.gz",
        &gzip(text.as_bytes()),
        &one_page(PAGE_URL),
        &[],
    );
    let err = refused_with(
        &wacz,
        &Limits::default(),
        "damaged_record",
        &["\\u{1b}[31mEVIL"],
    );
    assert!(!err.to_string().contains('\u{1b}'));
}
