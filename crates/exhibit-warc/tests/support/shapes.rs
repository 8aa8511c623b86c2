//! Deterministic WACZ files of every shape the streaming reader must enter differently
//! (gzip members in a stored WARC, a deflated WARC, a plain WARC, several records in one
//! gzip member), with pages listed in the opposite order to their records, redirects
//! and screenshots; and a canonical fingerprint of what an import returns.
#![allow(dead_code)]

use exhibit_warc::{ImportedPage, ImportedRecord, WaczContents};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::support::{gzip, noise, response_record, wacz_parts, warc_record, zip_parts};

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Everything an import returns about a record, its payload by hash.
pub fn record(r: &ImportedRecord) -> Value {
    json!({
        "record_id": r.record_id,
        "warc_type": r.warc_type,
        "date": r.date.to_rfc3339(),
        "target_uri": r.target_uri,
        "content_type": r.content_type,
        "http_status": r.http_status,
        "http_headers": r.http_headers,
        "warc_headers": r.warc_headers,
        "payload_sha256": sha(&r.payload),
        "payload_len": r.payload.len(),
        "body_sha256": sha(&r.body()),
        "block_sha256": hex(&r.block_sha256),
        "digest_verified": r.digest_verified,
        "file": r.file,
        "offset": r.offset,
    })
}

pub fn page(p: &ImportedPage) -> Value {
    json!({
        "id": p.id,
        "url": p.url,
        "ts": p.ts.to_rfc3339(),
        "title": p.title,
        "response": p.response.as_ref().map(record),
        "resources": p.resources.iter().map(record).collect::<Vec<_>>(),
        "records": p.records.iter().map(record).collect::<Vec<_>>(),
    })
}

/// The whole import as one canonical JSON text, and its SHA-256.
pub fn fingerprint(c: &WaczContents) -> (String, String) {
    let m = &c.meta;
    let v = json!({
        "title": m.title,
        "description": m.description,
        "software": m.software,
        "created": m.created.map(|d| d.to_rfc3339()),
        "wacz_version": m.wacz_version,
        "datapackage_sha256": hex(&m.datapackage_sha256),
        "datapackage_digest_checked": m.datapackage_digest_checked,
        "signature_present": m.signature_present,
        "signer": m.signature.as_ref().map(|s| s.signer.name()),
        "records_checked": c.records_checked,
        "unverified_records": c.unverified_records,
        "pages": c.pages.iter().map(page).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string(&v).unwrap_or_else(|e| panic!("{e}"));
    let hash = sha(text.as_bytes());
    (text, hash)
}

const PAGES: usize = 6;

fn url(i: usize) -> String {
    format!("https://shop.example.com/item/{i}")
}

/// The records of page `i`: request, response (page 2 redirects to page 2's `/final`),
/// and a screenshot; each a separate WARC record.
fn page_records(i: usize) -> Vec<Vec<u8>> {
    let u = url(i);
    let request = warc_record(
        "request",
        &u,
        "application/http;msgtype=request",
        format!(
            "GET /item/{i} HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: Crawler/{i}\r\n\r\n"
        )
        .as_bytes(),
    );
    let mut body = format!("<html><title>Item {i}</title><body>").into_bytes();
    body.extend(
        noise(i as u64 + 7, 3000 + 1000 * i)
            .iter()
            .map(|b| b'a' + b % 26),
    );
    body.extend_from_slice(b"</body></html>");
    let mut out = vec![request];
    if i == 2 {
        let location = format!("{u}/final");
        let block = format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
        );
        out.push(warc_record(
            "response",
            &u,
            "application/http;msgtype=response",
            block.as_bytes(),
        ));
        out.push(response_record(&location, &body));
    } else {
        out.push(response_record(&u, &body));
    }
    out.push(warc_record(
        "resource",
        &format!("urn:view:{u}"),
        "image/png",
        &noise(100 + i as u64, 2000),
    ));
    out
}

/// Pages listed last to first, so their records are met in the other order.
fn pages_jsonl() -> Vec<u8> {
    let mut s =
        "{\"format\":\"json-pages-1.0\",\"id\":\"pages\",\"title\":\"All Pages\"}\n".to_owned();
    for i in (0..PAGES).rev() {
        s.push_str(&format!(
            "{{\"id\":\"page-{i}\",\"url\":\"{}\",\"ts\":\"2024-01-01T00:00:00Z\",\"title\":\"Item {i}\"}}\n",
            url(i)
        ));
    }
    s.into_bytes()
}

/// A crawl laid out as Browsertrix lays one out: the pages' exchanges in one WARC and
/// their screenshots in `screenshots.warc.gz`, both deflated here so that reading a
/// page's records goes back and forth between two entries that can only be read
/// forward.
pub fn two_warcs() -> Vec<u8> {
    let records: Vec<Vec<Vec<u8>>> = (0..PAGES).map(page_records).collect();
    let (mut data, mut shots) = (Vec::new(), Vec::new());
    for r in records.iter().flatten() {
        if r.windows(9).any(|w| w == b"urn:view:") {
            shots.extend(gzip(r));
        } else {
            data.extend(gzip(r));
        }
    }
    let mut parts = wacz_parts(
        "archive/data.warc.gz",
        &data,
        &pages_jsonl(),
        &[("archive/screenshots.warc.gz", &shots)],
    );
    for p in &mut parts {
        p.2 = true;
    }
    zip_parts(&parts)
}

/// The shapes, by name: the WACZ's bytes.
pub fn shapes() -> Vec<(&'static str, Vec<u8>)> {
    let records: Vec<Vec<Vec<u8>>> = (0..PAGES).map(page_records).collect();
    let members: Vec<u8> = records.iter().flatten().flat_map(|r| gzip(r)).collect();
    let plain: Vec<u8> = records.iter().flatten().flatten().copied().collect();
    // One gzip member per page, holding all its records.
    let per_page: Vec<u8> = records.iter().flat_map(|rs| gzip(&rs.concat())).collect();
    let pages = pages_jsonl();
    let stored = wacz_parts("archive/data.warc.gz", &members, &pages, &[]);
    let mut deflated = stored.clone();
    deflated[0].2 = true;
    vec![
        ("gzip members, stored", zip_parts(&stored)),
        ("gzip members, deflated", zip_parts(&deflated)),
        (
            "plain WARC, stored",
            zip_parts(&wacz_parts("archive/data.warc", &plain, &pages, &[])),
        ),
        (
            "one member per page",
            zip_parts(&wacz_parts("archive/data.warc.gz", &per_page, &pages, &[])),
        ),
    ]
}
