//! The listings a store or search page links to ([`exhibit_extract::listing_links`]), on
//! the real store and search pages of `tests/fixtures/real-pages` (or
//! `$EXHIBIT_REAL_PAGES`), against the ids read off each page by hand and recorded in
//! `tests/listing_links.json`; and on hostile pages.
//!
//! Pages are read as the end-to-end tests serve them: from
//! `http://127.0.0.1:8000/<file>`, HTTP 200, `text/html` without a charset.

use exhibit_extract::{MAX_LISTING_LINKS, Page, PageKind, extract, listing_links};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Instant;

fn fixtures_dir() -> PathBuf {
    let dir = match std::env::var_os("EXHIBIT_REAL_PAGES") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/real-pages"),
    };
    assert!(
        dir.join("expected.json").is_file(),
        "real-pages fixtures not found at {}; set EXHIBIT_REAL_PAGES to their folder",
        dir.display()
    );
    dir
}

fn read_json(path: PathBuf) -> Value {
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// Every real store and search page links to exactly the listings recorded by hand, in
/// page order, each once, on the page's own marketplace; and the record names exactly
/// those pages.
#[test]
fn real_store_and_search_pages() {
    let dir = fixtures_dir();
    let expected = read_json(dir.join("expected.json"));
    let recorded =
        read_json(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/listing_links.json"));
    let pages = recorded["pages"]
        .as_object()
        .expect("listing_links.json: pages");
    let mut checked = Vec::new();
    for exp in expected.as_array().expect("expected.json is an array") {
        let kind = exp["page_kind"].as_str().unwrap_or_default();
        if kind != "search" && kind != "store" {
            continue;
        }
        let file = exp["file"].as_str().expect("file");
        let record = pages
            .get(file)
            .unwrap_or_else(|| panic!("listing_links.json does not record {file}"));
        let body = std::fs::read(dir.join(file)).expect("read fixture page");
        let url = url::Url::parse(&format!("http://127.0.0.1:8000/{file}")).expect("url");
        let page = Page {
            url: &url,
            http_status: Some(200),
            content_type: Some("text/html"),
            body: &body,
        };
        let ex = extract(&page);
        assert!(
            matches!(ex.page_kind, PageKind::Search | PageKind::Store),
            "{file} is read as {:?}",
            ex.page_kind
        );
        let found = listing_links(&page, ex.marketplace.as_deref(), MAX_LISTING_LINKS);
        let got: Vec<&str> = found.links.iter().map(|l| l.listing_id.as_str()).collect();
        let want: Vec<&str> = record["listing_ids"]
            .as_array()
            .expect("listing_ids")
            .iter()
            .map(|v| v.as_str().expect("id"))
            .collect();
        assert_eq!(got, want, "{file}: listing ids");
        let market = record["marketplace"].as_str().expect("marketplace");
        for link in &found.links {
            assert_eq!(link.marketplace, market, "{file}: {}", link.url);
            assert!(
                link.url.starts_with("http://") || link.url.starts_with("https://"),
                "{file}: {}",
                link.url
            );
            assert!(!link.url.contains('#'), "{file}: {}", link.url);
        }
        assert!(!found.cut && !found.anchors_cut, "{file}");
        checked.push(file.to_owned());
    }
    let mut recorded_files: Vec<&String> = pages.keys().collect();
    recorded_files.sort();
    checked.sort();
    assert_eq!(
        recorded_files,
        checked.iter().collect::<Vec<_>>(),
        "listing_links.json records exactly the store and search pages"
    );
}

/// A page of 100,000 listing links, with script in the link text and in the hrefs: the
/// first 500 are kept, in order, the cut is said, and the work stays small.
#[test]
fn a_hundred_thousand_links() {
    let mut html = String::from("<!doctype html><html><body>");
    for i in 0..100_000u64 {
        html.push_str(&format!(
            r#"<a href="/itm/{}?x=<script>alert({i})</script>"><script>alert("{i}")</script>item {i}</a>"#,
            100_000_000_000 + i
        ));
    }
    html.push_str("</body></html>");
    let url = url::Url::parse("https://www.ebay.com/sch/i.html?_nkw=x").expect("url");
    let page = Page {
        url: &url,
        http_status: Some(200),
        content_type: Some("text/html; charset=utf-8"),
        body: html.as_bytes(),
    };
    let started = Instant::now();
    let found = listing_links(&page, Some("ebay"), MAX_LISTING_LINKS);
    let took = started.elapsed();
    assert_eq!(found.links.len(), MAX_LISTING_LINKS);
    assert!(found.cut);
    assert_eq!(found.links[0].listing_id, "100000000000");
    assert_eq!(found.links[499].listing_id, "100000000499");
    for l in &found.links {
        assert!(!l.url.contains('<') && !l.url.contains('>'), "{}", l.url);
    }
    assert!(took.as_secs() < 60, "took {took:?}");
}

/// Bytes that are not a page at all link to nothing, and never panic.
#[test]
fn not_a_page() {
    let url = url::Url::parse("https://www.amazon.com/s?k=x").expect("url");
    for body in [
        &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
        b"{\"url\": \"https://www.amazon.com/dp/B00N150YS4\"}",
        &[0xff; 4096],
    ] {
        let page = Page {
            url: &url,
            http_status: Some(200),
            content_type: None,
            body,
        };
        assert!(listing_links(&page, Some("amazon"), 10).links.is_empty());
    }
}
