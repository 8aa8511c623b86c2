//! Accuracy test against the hand-checked real marketplace pages in
//! `tests/fixtures/real-pages` (or `$EXHIBIT_REAL_PAGES`).
//!
//! Each page is extracted exactly as the end-to-end tests serve it: from
//! `http://127.0.0.1:8000/<file>` (the host says nothing), HTTP 200 and
//! `Content-Type: text/html` without a charset.

use exhibit_extract::{Extraction, Page, PageKind, extract};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Instant;

fn fixtures_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("EXHIBIT_REAL_PAGES") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/real-pages"),
    };
    dir.join("expected.json").is_file().then_some(dir)
}

/// Trim and collapse runs of Unicode whitespace to one ASCII space.
fn norm(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn expected_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(norm)
}

fn got_str(s: &Option<String>) -> Option<String> {
    s.as_deref().map(norm)
}

fn kind_name(k: PageKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

struct Field {
    name: &'static str,
    ok: usize,
    total: usize,
}

#[test]
fn real_pages_accuracy() {
    let Some(dir) = fixtures_dir() else {
        panic!(
            "real-pages fixtures not found in the repository (tests/fixtures/real-pages); set EXHIBIT_REAL_PAGES to their folder"
        );
    };
    let expected_text =
        std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json");
    let expected: Vec<Value> = serde_json::from_str(&expected_text).expect("parse expected.json");
    assert!(!expected.is_empty(), "expected.json lists no pages");

    let mut fields = [
        Field {
            name: "page_kind",
            ok: 0,
            total: 0,
        },
        Field {
            name: "marketplace",
            ok: 0,
            total: 0,
        },
        Field {
            name: "listing_id",
            ok: 0,
            total: 0,
        },
        Field {
            name: "title",
            ok: 0,
            total: 0,
        },
        Field {
            name: "price+currency",
            ok: 0,
            total: 0,
        },
        Field {
            name: "seller",
            ok: 0,
            total: 0,
        },
    ];
    let mut mismatches: Vec<String> = Vec::new();
    let mut blocked_as_listing: Vec<String> = Vec::new();
    let mut timings: Vec<(String, usize, f64)> = Vec::new();

    for exp in &expected {
        let file = exp
            .get("file")
            .and_then(Value::as_str)
            .expect("entry without file");
        let body = std::fs::read(dir.join(file)).expect("read fixture page");
        let url = url::Url::parse(&format!("http://127.0.0.1:8000/{file}")).expect("fixture url");
        let page = Page {
            url: &url,
            http_status: Some(200),
            content_type: Some("text/html"),
            body: &body,
        };
        let start = Instant::now();
        let got: Extraction = extract(&page);
        timings.push((
            file.to_owned(),
            body.len(),
            start.elapsed().as_secs_f64() * 1000.0,
        ));

        let exp_kind = expected_str(exp, "page_kind");
        let got_kind = Some(kind_name(got.page_kind));
        if exp_kind.as_deref() == Some("blocked") && got.page_kind == PageKind::Listing {
            blocked_as_listing.push(file.to_owned());
        }
        let exp_price = match (expected_str(exp, "price"), expected_str(exp, "currency")) {
            (None, None) => None,
            (p, c) => Some(format!(
                "{} {}",
                p.unwrap_or_default(),
                c.unwrap_or_default()
            )),
        };
        let got_price = match (got_str(&got.price), got_str(&got.currency)) {
            (None, None) => None,
            (p, c) => Some(format!(
                "{} {}",
                p.unwrap_or_default(),
                c.unwrap_or_default()
            )),
        };
        let pairs = [
            (exp_kind, got_kind),
            (expected_str(exp, "marketplace"), got_str(&got.marketplace)),
            (expected_str(exp, "listing_id"), got_str(&got.listing_id)),
            (expected_str(exp, "title"), got_str(&got.title)),
            (exp_price, got_price),
            (expected_str(exp, "seller"), got_str(&got.seller)),
        ];
        for (field, (e, g)) in fields.iter_mut().zip(pairs) {
            field.total += 1;
            if e == g {
                field.ok += 1;
            } else {
                let why = match (field.name, got.reason.as_deref()) {
                    ("page_kind", Some(r)) => format!(" (reason: {r})"),
                    _ => String::new(),
                };
                mismatches.push(format!(
                    "  {file} [{}]\n      expected: {}\n      got:      {}{why}",
                    field.name,
                    e.as_deref().unwrap_or("null"),
                    g.as_deref().unwrap_or("null")
                ));
            }
        }
    }

    println!("\nreal-pages accuracy ({} pages)", expected.len());
    println!("  {:<16} {:>7} {:>8}", "field", "ok", "percent");
    for f in &fields {
        println!(
            "  {:<16} {:>3}/{:<3} {:>7.1}%",
            f.name,
            f.ok,
            f.total,
            pct(f)
        );
    }
    if !mismatches.is_empty() {
        println!("\nmismatches:");
        for m in &mismatches {
            println!("{m}");
        }
    }
    let total_ms: f64 = timings.iter().map(|t| t.2).sum();
    let total_bytes: usize = timings.iter().map(|t| t.1).sum();
    println!(
        "\ntiming: {} pages, {:.1} MB, {:.0} ms total ({:.1} ms/page, debug build of this crate)",
        timings.len(),
        total_bytes as f64 / 1e6,
        total_ms,
        total_ms / timings.len().max(1) as f64
    );
    if let Some(slowest) = timings.iter().max_by(|a, b| a.2.total_cmp(&b.2)) {
        println!(
            "  slowest: {} ({:.1} MB, {:.0} ms)",
            slowest.0,
            slowest.1 as f64 / 1e6,
            slowest.2
        );
    }

    assert!(
        blocked_as_listing.is_empty(),
        "blocked pages judged listing: {blocked_as_listing:?}"
    );
    let bar = [
        ("page_kind", 95.0),
        ("listing_id", 90.0),
        ("title", 90.0),
        ("price+currency", 80.0),
        ("seller", 70.0),
    ];
    for (name, min) in bar {
        let f = fields
            .iter()
            .find(|f| f.name == name)
            .expect("field in table");
        assert!(
            pct(f) >= min,
            "{name} accuracy {:.1}% is below {min}%",
            pct(f)
        );
    }
}

fn pct(f: &Field) -> f64 {
    if f.total == 0 {
        100.0
    } else {
        f.ok as f64 * 100.0 / f.total as f64
    }
}

/// The account a real page greets, read from the header only. Pages whose header invites
/// the visitor to sign in name nobody.
#[test]
fn real_pages_logged_in_identity() {
    let Some(dir) = fixtures_dir() else {
        panic!("real-pages fixtures not found in the repository; set EXHIBIT_REAL_PAGES");
    };
    let expected_text =
        std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json");
    let expected: Vec<Value> = serde_json::from_str(&expected_text).expect("parse expected.json");
    let url = url::Url::parse("http://127.0.0.1:8000/page.html").expect("url");
    let mut found = std::collections::BTreeMap::new();
    for case in &expected {
        let file = case["file"].as_str().expect("file");
        let body = std::fs::read(dir.join(file)).expect("read fixture");
        let ex = extract(&Page {
            url: &url,
            http_status: Some(200),
            content_type: Some("text/html"),
            body: &body,
        });
        if let Some(who) = ex.logged_in_as {
            found.insert(file.to_string(), who);
        }
    }
    let names: std::collections::BTreeSet<&str> = found.values().map(String::as_str).collect();
    assert!(names.contains("Samir"), "amazon greeting: {found:?}");
    assert!(names.contains("tb000000000"), "taobao nick: {found:?}");
    assert!(names.contains("jd_REDACTED"), "jd nickname: {found:?}");
    assert!(
        !names.iter().any(|n| n.to_lowercase().contains("sign")),
        "a sign-in prompt taken for a name: {found:?}"
    );
    assert!(found.len() <= 6, "too many identities found: {found:?}");
}

/// The seller's id on every real page equals the one read off the page by hand and
/// recorded, with where it was read, in `tests/seller_ids.json` (null: the page shows
/// none that belongs to the listing's seller, and the extractor must say None too).
#[test]
fn real_pages_seller_ids() {
    check_recorded("seller_ids.json", "seller_id", |ex| ex.seller_id);
}

/// The main product image of every real page equals the one read off the page by hand and
/// recorded, with where it was read, in `tests/main_images.json` (null: not a listing, or
/// the page shows no product photo, and the extractor must say None too).
#[test]
fn real_pages_main_images() {
    check_recorded("main_images.json", "main_image", |ex| ex.main_image);
}

/// Every fixture page's `field`, as `read` takes it from the extraction, equals the
/// value recorded by hand in `tests/RECORD` (under `pages`), and the record names exactly
/// the fixture pages.
fn check_recorded(
    record: &str,
    field: &str,
    read: fn(exhibit_extract::Extraction) -> Option<String>,
) {
    let Some(dir) = fixtures_dir() else {
        panic!("real-pages fixtures not found in the repository; set EXHIBIT_REAL_PAGES");
    };
    let expected_text =
        std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json");
    let expected: Vec<Value> = serde_json::from_str(&expected_text).expect("parse expected.json");
    let recorded_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(record);
    let recorded: Value = serde_json::from_str(
        &std::fs::read_to_string(&recorded_path).unwrap_or_else(|e| panic!("read {record}: {e}")),
    )
    .unwrap_or_else(|e| panic!("parse {record}: {e}"));
    let pages = recorded["pages"]
        .as_object()
        .unwrap_or_else(|| panic!("{record}: pages"));

    let files: Vec<&str> = expected
        .iter()
        .map(|e| e["file"].as_str().expect("file"))
        .collect();
    let unrecorded: Vec<&&str> = files.iter().filter(|f| !pages.contains_key(**f)).collect();
    assert!(
        unrecorded.is_empty(),
        "pages with no recorded {field}: {unrecorded:?}"
    );
    let extra: Vec<&String> = pages
        .keys()
        .filter(|k| !files.contains(&k.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "recorded pages that are not fixtures: {extra:?}"
    );

    let mut wrong = Vec::new();
    for file in files {
        let want = pages[file][field].as_str();
        let body = std::fs::read(dir.join(file)).expect("read fixture page");
        let url = url::Url::parse(&format!("http://127.0.0.1:8000/{file}")).expect("fixture url");
        let got = read(extract(&Page {
            url: &url,
            http_status: Some(200),
            content_type: Some("text/html"),
            body: &body,
        }));
        println!("  {file:<70} {}", got.as_deref().unwrap_or("-"));
        if got.as_deref() != want {
            wrong.push(format!(
                "  {file}\n      recorded: {}\n      got:      {}",
                want.unwrap_or("null"),
                got.as_deref().unwrap_or("null")
            ));
        }
    }
    assert!(wrong.is_empty(), "{field} differs:\n{}", wrong.join("\n"));
}
