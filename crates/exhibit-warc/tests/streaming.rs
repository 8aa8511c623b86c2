//! The streaming import gives exactly what the whole-file import gave before it: the
//! same pages, the same records, the same bytes. The fingerprints below were taken with
//! the reader as it was before imports streamed (commit 75a6ada, which read every linked
//! payload into one `WaczContents`), on the real WACZ committed in `tests/fixtures/wacz/`
//! and on the hand-built shapes of `support/shapes.rs`.

#[path = "support/shapes.rs"]
mod shapes;
#[path = "support/signed_wacz.rs"]
mod signed_wacz;
mod support;

use std::path::{Path, PathBuf};

use exhibit_warc::{Limits, WaczContents, WarcError, open_wacz, read_wacz};
use shapes::{fingerprint, shapes};
use signed_wacz::fixtures;

/// The same WACZ read page by page through [`open_wacz`].
fn streamed(path: &Path, limits: &Limits) -> WaczContents {
    let mut reader = open_wacz(path, limits).unwrap_or_else(|e| panic!("{e}"));
    let mut pages = Vec::new();
    while let Some(page) = reader.next_page() {
        pages.push(page.unwrap_or_else(|e| panic!("{e}")));
    }
    assert_eq!(pages.len(), reader.page_count());
    WaczContents {
        meta: reader.meta().clone(),
        pages,
        records_checked: reader.records_checked(),
        unverified_records: reader.unverified_records(),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn the_real_signed_example_imports_exactly_as_before() {
    let path = fixtures().join("valid_signed_example_1.wacz");
    let whole = read_wacz(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let (text, hash) = fingerprint(&whole);
    assert_eq!(whole.pages.len(), 1);
    assert_eq!(whole.records_checked, 4);
    let response = whole.pages[0].response.as_ref();
    assert_eq!(
        response.map(|r| r.target_uri.as_str()),
        Some("https://example.com/")
    );
    assert_eq!(hash, GOLDEN_VALID_EXAMPLE, "{text}");
    for limits in [Limits::default(), Limits::streaming()] {
        let (text, hash) = fingerprint(&streamed(&path, &limits));
        assert_eq!(hash, GOLDEN_VALID_EXAMPLE, "{text}");
    }
}

#[test]
fn every_shape_imports_exactly_as_before_page_by_page() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, bytes) in shapes() {
        let path = write(dir.path(), "shape.wacz", &bytes);
        let expected = GOLDEN_SHAPES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, h)| *h)
            .unwrap_or_else(|| panic!("no golden for {name}"));
        let whole = read_wacz(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(whole.pages.len(), 6, "{name}");
        let (text, hash) = fingerprint(&whole);
        assert_eq!(hash, expected, "{name}: {text}");
        let (text, hash) = fingerprint(&streamed(&path, &Limits::streaming()));
        assert_eq!(hash, expected, "{name}, streamed: {text}");
        // The redirect was followed and the screenshot found, whatever the shape.
        let page2 = whole.pages.iter().find(|p| p.id == "page-2");
        let final_uri = page2
            .and_then(|p| p.response.as_ref())
            .map(|r| &r.target_uri);
        assert_eq!(
            final_uri.map(String::as_str),
            Some("https://shop.example.com/item/2/final"),
            "{name}"
        );
        assert!(
            whole.pages.iter().all(|p| p
                .resources
                .iter()
                .any(|r| r.target_uri.starts_with("urn:view:"))),
            "{name}"
        );
    }
}

#[test]
fn pages_whose_records_lie_in_two_deflated_warcs_import_whole() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = write(dir.path(), "two.wacz", &shapes::two_warcs());
    let got = streamed(&path, &Limits::streaming());
    assert_eq!(got.pages.len(), 6);
    assert_eq!(got.records_checked, 6 * 3 + 1);
    for p in &got.pages {
        let shot = p
            .resources
            .iter()
            .find(|r| r.target_uri.starts_with("urn:view:"));
        assert_eq!(
            shot.map(|r| r.file.as_str()),
            Some("archive/screenshots.warc.gz"),
            "{}",
            p.id
        );
        let body = p
            .response
            .as_ref()
            .map(|r| r.payload.clone())
            .unwrap_or_default();
        let needle = format!("<title>{}</title>", p.title.clone().unwrap_or_default());
        assert!(
            body.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{}",
            p.id
        );
    }
    let whole = read_wacz(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fingerprint(&whole), fingerprint(&got));
}

#[test]
fn a_page_too_large_to_hold_refuses_the_file_before_any_page() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_, bytes) = shapes().swap_remove(0);
    let path = write(dir.path(), "shape.wacz", &bytes);
    let limits = Limits {
        max_page_bytes: 4000,
        ..Limits::streaming()
    };
    let e = open_wacz(&path, &limits).expect_err("a page over the limit");
    assert_eq!(e.code(), "too_large", "{e}");
    let text = e.to_string();
    assert!(
        text.contains("more than the 4000 Exhibit holds for one page"),
        "{text}"
    );
}

#[test]
fn a_file_changed_after_it_was_checked_gives_no_unchecked_page() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (_, bytes) = shapes().swap_remove(2);
    assert!(bytes.windows(7).any(|w| w == b"Item 3<"));
    let path = write(dir.path(), "plain.wacz", &bytes);
    let mut reader = open_wacz(&path, &Limits::streaming()).unwrap_or_else(|e| panic!("{e}"));
    // Every record was checked; now a body changes in place, as another program might.
    let mut changed = bytes.clone();
    let at = changed
        .windows(7)
        .position(|w| w == b"Item 3<")
        .unwrap_or_else(|| panic!("body"));
    changed[at + 5] = b'8';
    std::fs::write(&path, &changed).unwrap_or_else(|e| panic!("{e}"));
    let mut failed = None;
    while let Some(page) = reader.next_page() {
        match page {
            Ok(p) => {
                let body = p.response.map(|r| r.payload).unwrap_or_default();
                assert!(!body.windows(7).any(|w| w == b"Item 8<"), "{}", p.id);
            }
            Err(e) => failed = Some(e),
        }
    }
    // The changed record fails its own digest when read again (a record without one
    // would fail the comparison with the SHA-256 taken when it was checked).
    match failed {
        Some(WarcError::DigestMismatch { .. }) => {}
        Some(WarcError::DamagedRecord { detail, .. }) => {
            assert!(detail.contains("changed while it was read"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}

/// Taken with the whole-file reader (commit 75a6ada).
const GOLDEN_VALID_EXAMPLE: &str =
    "62c6bdd06615c453507f57064bb15d6a9a8a9978168bec5e8eadaa1354014a18";

/// Taken with the whole-file reader (commit 75a6ada).
const GOLDEN_SHAPES: [(&str, &str); 4] = [
    (
        "gzip members, stored",
        "013d6c5fca336ef7d113e83f2bb68abd3417396c7383bc2d90e4606686ed5186",
    ),
    (
        "gzip members, deflated",
        "013d6c5fca336ef7d113e83f2bb68abd3417396c7383bc2d90e4606686ed5186",
    ),
    (
        "plain WARC, stored",
        "28758bdc2febdaeee693d458c94bf638d976c152829f80d43150b41de5f2f474",
    ),
    (
        "one member per page",
        "e41121f493dcfc4f64a8fdd90cc441351083b5a5a300c5d6e975698ab9fb97d7",
    ),
];
