//! `exhibit-fuzz-seed OUT`: writes `OUT/bundle/*` and `OUT/wacz/*`, the generated seeds
//! of those two corpora. Everything is deterministic, so the same seeds come out each
//! time. The hostile cases are built with the crates' own test builders
//! (`crates/exhibit-bundle/tests/support`, `crates/exhibit-warc/tests/support`), so the
//! corpus starts where the hand-written tests stopped.
#![allow(clippy::unwrap_used)]
// Both test supports include exhibit-warc's `support/noise.rs`, so it is compiled twice
// here, once in each.
#![allow(clippy::duplicate_mod)]

#[path = "../../../crates/exhibit-bundle/tests/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod bundle_support;
#[path = "../../../crates/exhibit-warc/tests/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod warc_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use exhibit_warc::{Exchange, PageCapture, Resource, WaczMeta, WaczWriter, resource_uri};

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: exhibit-fuzz-seed OUT"),
    );
    bundles(&out.join("bundle"));
    waczs(&out.join("wacz"));
}

fn put(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

// ------------------------------------------------------------------------ bundles

/// A small intact bundle from the real writer: one capture with a body and a record, a
/// packet, the manifest and a two-event custody log.
fn small_bundle() -> Vec<u8> {
    use bundle_support::{BODY, PACKET, RECORD, Sample, artifact, capture, chain, manifest};
    let body = b"<html><body><h1>Walnut chair</h1><p>$129.99</p></body></html>\n".to_vec();
    let record = br#"{"mode":"http","requested_url":"https://market.example/item/1"}"#.to_vec();
    let packet = b"%PDF-1.7\n%%EOF\n".to_vec();
    let events = chain(&[
        ("case.created", r#"{"title":"Acme v. Sellers"}"#),
        ("capture.taken", r#"{"capture":1}"#),
    ]);
    let manifest = manifest(
        serde_json::json!({"venue": "dmca"}),
        capture(&record, vec![artifact("body", "text/html", BODY, &body)]),
        &events,
    );
    let mut files = BTreeMap::new();
    files.insert(BODY.to_owned(), body);
    files.insert(RECORD.to_owned(), record);
    files.insert(PACKET.to_owned(), packet);
    let sample = Sample {
        files,
        manifest,
        events,
    };
    let mut out = std::io::Cursor::new(Vec::new());
    sample
        .writer()
        .finish(&mut out, bundle_support::mtime())
        .unwrap();
    out.into_inner()
}

fn bundles(dir: &Path) {
    use bundle_support::{RawEntry, raw_zip};
    let good = small_bundle();
    put(dir, "intact.zip", &good);

    // The tests' hostile shapes, each beside an otherwise sound set of entries.
    let base = || {
        vec![
            RawEntry::stored(b"SHA256SUMS", b""),
            RawEntry::deflated(b"manifest.json", b"{}"),
        ]
    };
    let with = |extra: RawEntry| {
        let mut entries = base();
        entries.push(extra);
        raw_zip(&entries)
    };
    put(
        dir,
        "traversal.zip",
        &with(RawEntry::stored(b"../../etc/passwd", b"x")),
    );
    put(
        dir,
        "absolute.zip",
        &with(RawEntry::stored(b"/etc/passwd", b"x")),
    );
    put(dir, "drive.zip", &with(RawEntry::stored(b"C:/x.txt", b"x")));
    put(
        dir,
        "backslash.zip",
        &with(RawEntry::stored(b"a\\..\\b", b"x")),
    );
    put(
        dir,
        "control.zip",
        &with(RawEntry::stored(b"a\x1b[2Jb", b"x")),
    );
    let mut link = RawEntry::stored(b"link", b"/etc/passwd");
    link.external_attributes = 0o120_777 << 16;
    put(dir, "symlink.zip", &with(link));
    let mut folder = RawEntry::stored(b"dir/", b"content");
    folder.external_attributes = 0o040_755 << 16;
    put(dir, "folder-with-content.zip", &with(folder));
    let mut renamed = RawEntry::stored(b"a.txt", b"x");
    renamed.local_name = Some(b"b.txt".to_vec());
    put(dir, "local-central-disagree.zip", &with(renamed));
    let mut encrypted = RawEntry::stored(b"secret", b"x");
    encrypted.flags = 1;
    put(dir, "encrypted.zip", &with(encrypted));
    let mut method = RawEntry::stored(b"lzma", b"x");
    method.method = 14;
    put(dir, "unknown-method.zip", &with(method));
    let mut lying = RawEntry::deflated(b"lying", &[0u8; 20_000]);
    lying.size = 10;
    put(dir, "lying-size.zip", &with(lying));
    let mut crc = RawEntry::stored(b"crc", b"data");
    crc.crc ^= 1;
    put(dir, "bad-crc.zip", &with(crc));
    let mut entries = base();
    entries.push(RawEntry::stored(b"a.txt", b"1"));
    entries.push(RawEntry::stored(b"A.TXT", b"2"));
    entries.push(RawEntry::stored(b"a.txt", b"3"));
    put(dir, "duplicates.zip", &raw_zip(&entries));
    // A small bomb: 4 MiB of zeros deflated to a few KiB.
    put(
        dir,
        "bomb.zip",
        &with(RawEntry::deflated(b"zeros", &vec![0u8; 4 << 20])),
    );
    // The intact bundle cut short, and with a forged entry count in its end record.
    put(dir, "truncated.zip", &good[..good.len() / 2]);
    let mut forged = good.clone();
    if let Some(eocd) = forged.windows(4).rposition(|w| w == b"PK\x05\x06") {
        forged[eocd + 8..eocd + 12].copy_from_slice(&[0xff; 4]);
    }
    put(dir, "forged-count.zip", &forged);
}

// ------------------------------------------------------------------------ WACZ files

fn waczs(dir: &Path) {
    use warc_support::{build_wacz, gzip, one_page, response_record, wacz_parts, zip_parts};
    std::fs::create_dir_all(dir).unwrap();
    let page = "https://example.com/";

    // The real writer: one page, its exchange, a screenshot and a record.
    let when = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
    let path = dir.join("writer.wacz");
    let mut w = WaczWriter::create(
        &path,
        WaczMeta {
            title: "Acme v. Sellers".into(),
            description: Some("Fuzz seed".into()),
            software: "Exhibit 0.1.0".into(),
            created: when,
        },
    )
    .unwrap();
    let body = b"<html><head><title>Walnut chair</title></head><body>$129.99</body></html>";
    w.add_page(PageCapture {
        id: "p1".into(),
        url: page.into(),
        title: Some("Walnut chair".into()),
        ts: when,
        exchanges: vec![Exchange {
            date: when,
            method: "GET".into(),
            url: page.into(),
            request_headers: vec![("User-Agent".into(), "Exhibit/0.1".into())],
            http_version: "HTTP/1.1".into(),
            status: 200,
            reason: "OK".into(),
            response_headers: vec![
                ("Content-Type".into(), "text/html; charset=utf-8".into()),
                ("Transfer-Encoding".into(), "chunked".into()),
            ],
            body: b"10\r\n0123456789abcdef\r\n0\r\n\r\n".to_vec(),
            remote_addr: Some("192.0.2.10".into()),
        }],
        resources: vec![
            Resource {
                date: when,
                uri: resource_uri("view", page),
                content_type: "image/png".into(),
                bytes: b"\x89PNG\r\n\x1a\n".to_vec(),
            },
            Resource {
                date: when,
                uri: resource_uri("exhibit", page),
                content_type: "application/json".into(),
                bytes: body.to_vec(),
            },
        ],
    })
    .unwrap();
    w.finish().unwrap();

    // The tests' hand-built shapes: one gzip member per record, stored; one member for
    // the whole WARC, deflated; an uncompressed WARC with a record carrying no digest.
    let two = [
        gzip(&response_record(page, b"<html>one</html>")),
        gzip(&response_record(
            "https://example.com/2",
            b"<html>two</html>",
        )),
    ]
    .concat();
    put(
        dir,
        "members.wacz",
        &build_wacz("archive/data.warc.gz", &two, &one_page(page), &[]),
    );
    let one_member = gzip(
        &[
            response_record(page, b"<html>one</html>"),
            response_record("https://example.com/2", b"<html>two</html>"),
        ]
        .concat(),
    );
    let mut parts = wacz_parts("archive/data.warc.gz", &one_member, &one_page(page), &[]);
    parts[0].2 = true;
    put(dir, "one-member.wacz", &zip_parts(&parts));
    let bare = "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:bare>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: urn:view:https://example.com/\r\nContent-Type: image/png\r\nContent-Length: 3\r\n\r\nPNG\r\n\r\n";
    let plain = [
        response_record(page, b"<html>one</html>"),
        bare.as_bytes().to_vec(),
    ]
    .concat();
    put(
        dir,
        "plain-warc.wacz",
        &build_wacz("archive/data.warc", &plain, &one_page(page), &[]),
    );
    // A redirect to the page, and a revisit.
    let redirect = warc_support::warc_record(
        "response",
        "http://example.com/",
        "application/http;msgtype=response",
        b"HTTP/1.1 301 Moved\r\nLocation: https://example.com/\r\n\r\n",
    );
    let chain = [redirect, response_record(page, b"<html>one</html>")].concat();
    put(
        dir,
        "redirect.wacz",
        &build_wacz(
            "archive/data.warc",
            &chain,
            &one_page("http://example.com/"),
            &[],
        ),
    );
    // Hostile: a header block without end, a Content-Length beyond the data, non-UTF-8
    // headers, junk in the page list, an entry climbing out of its folder.
    let open_head = b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 5\r\n".to_vec();
    put(
        dir,
        "open-head.wacz",
        &build_wacz("archive/data.warc", &open_head, &one_page(page), &[]),
    );
    let mut long = response_record(page, b"<html>one</html>");
    let at = long
        .windows(16)
        .position(|w| w == b"Content-Length: ")
        .unwrap()
        + 16;
    long.insert(at, b'9');
    put(
        dir,
        "long-length.wacz",
        &build_wacz("archive/data.warc", &long, &one_page(page), &[]),
    );
    let latin = b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: urn:x:\xe9\r\nContent-Length: 0\r\n\r\n\r\n\r\n";
    put(
        dir,
        "latin1-head.wacz",
        &build_wacz("archive/data.warc", latin, &one_page(page), &[]),
    );
    put(
        dir,
        "junk-pages.wacz",
        &build_wacz(
            "archive/data.warc",
            &plain,
            b"{\"format\":\"json-pages-1.0\"}\nnot json\n",
            &[],
        ),
    );
    put(
        dir,
        "climbing.wacz",
        &build_wacz(
            "archive/data.warc",
            &plain,
            &one_page(page),
            &[("../evil.txt", b"x")],
        ),
    );
}
