//! The listing's main image kept as evidence (`image` artifact), against the local test
//! server: over HTTP it is fetched after the page with the same rules but its own, shorter
//! time limit; in the real Chromium it is taken from the browser's own response when the
//! page loaded it, else fetched. A picture that cannot be had (in time) never costs the
//! capture: it stays `ok` with a note, and has no `image` artifact.

use exhibit_e2e::cli::{CaseDir, assert_success, by_url, text};
use exhibit_e2e::{TestServer, real_pages_dir, sha256_hex};
use serde_json::Value;

/// A listing on a shop nobody has rules for: a JSON-LD product with a price, so the
/// extractor calls it a listing, and the og:image given.
fn listing(og_image: &str, body_extra: &str) -> Vec<u8> {
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Brass Lantern | Shop</title>
<meta property="og:image" content="{og_image}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Product","name":"Brass Camping Lantern","offers":{{"@type":"Offer","price":"49.00","priceCurrency":"USD"}}}}</script>
</head><body><h1>Brass Camping Lantern</h1><p class="price">$49.00</p>{body_extra}</body></html>"#
    )
    .into_bytes()
}

/// A real photograph (CC0, tests/fixtures/photos).
fn photo() -> Vec<u8> {
    let dir = real_pages_dir().join("../photos");
    std::fs::read(dir.join("coffee.png")).expect("read tests/fixtures/photos/coffee.png")
}

fn kinds(c: &Value) -> Vec<String> {
    c["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .map(|a| a["kind"].as_str().expect("kind").to_string())
        .collect()
}

fn notes(shown: &Value) -> Vec<String> {
    shown["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n.as_str().expect("note").to_string())
        .collect()
}

fn export_image(case: &CaseDir, id: &Value) -> Vec<u8> {
    case.artifact_bytes(&id.to_string(), "image")
}

#[test]
fn an_http_capture_keeps_the_og_image_as_an_image_artifact() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let photo = photo();
    server.mount("/img/lantern.png", 200, Some("image/png"), photo.clone());
    // The picture reached through a redirect, as CDNs do.
    server.mount_redirect("/img/short", 302, "/img/lantern.png");
    server.mount(
        "/item/1",
        200,
        Some("text/html; charset=utf-8"),
        listing(&server.http_url("/img/short"), ""),
    );
    let url = server.http_url("/item/1");
    let out = case.run(&["capture", "{case}", &url]);
    assert_success(&out);
    assert_eq!(server.hits("/img/lantern.png"), 1, "{}", text(&out));

    let captures = by_url(&case.captures());
    let c = &captures[&url];
    assert_eq!(c["status"], "ok", "{c}");
    let shown = case.json(&["show", "{case}", &c["id"].to_string(), "--json"]);
    let image = shown["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .find(|a| a["kind"] == "image")
        .unwrap_or_else(|| panic!("show --json lists no image artifact: {shown}"));
    assert_eq!(image["media_type"], "image/png", "{image}");
    assert_eq!(image["sha256"], sha256_hex(&photo), "{image}");
    assert_eq!(shown["main_image"], server.http_url("/img/short"));
    assert_eq!(export_image(&case, &c["id"]), photo);
    let said = notes(&shown);
    assert!(
        said.iter().any(|n| n.starts_with("The main image ")
            && n.contains("was fetched after the page")
            && n.contains("302")
            && n.contains("image/png")),
        "{said:?}"
    );
    // The record's times are the page's: the picture came after it.
    assert!(
        shown["finished_at"].as_str() <= said.iter().find_map(|n| n.split(" at ").nth(1)),
        "{shown}"
    );
}

#[test]
fn a_main_image_that_cannot_be_had_leaves_the_capture_ok_with_a_note() {
    let server = TestServer::start();
    let case = CaseDir::new();
    // 404; 11 MB of "PNG" (over the 10 MB cap); a web page served as a JPEG; a loop;
    // a 1×1 tracking pixel served with an innocent name.
    let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
    huge.resize(11_000_000, 0);
    server.mount("/img/huge.png", 200, Some("image/png"), huge);
    server.mount(
        "/img/fake.jpg",
        200,
        Some("image/jpeg"),
        b"<!doctype html><html><body>Not Found</body></html>".to_vec(),
    );
    server.mount_redirect("/img/a.jpg", 302, "/img/b.jpg");
    server.mount_redirect("/img/b.jpg", 302, "/img/a.jpg");
    let pixel = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    server.mount("/img/photo.gif", 200, Some("image/gif"), pixel.to_vec());
    let cases = [
        ("/item/missing", "/img/nowhere.jpg", "404"),
        ("/item/huge", "/img/huge.png", "limit"),
        ("/item/fake", "/img/fake.jpg", "not a PNG, JPEG"),
        ("/item/loop", "/img/a.jpg", "loop"),
        ("/item/pixel", "/img/photo.gif", "1×1"),
    ];
    let mut args = vec!["capture", "{case}"];
    let urls: Vec<String> = cases
        .iter()
        .map(|(page, image, _)| {
            server.mount(
                page,
                200,
                Some("text/html; charset=utf-8"),
                listing(&server.http_url(image), ""),
            );
            server.http_url(page)
        })
        .collect();
    args.extend(urls.iter().map(String::as_str));
    let out = case.run(&args);
    assert_success(&out);
    let captures = by_url(&case.captures());
    for ((page, image, why), url) in cases.iter().zip(&urls) {
        let c = &captures[url];
        assert_eq!(c["status"], "ok", "{page}: {c}");
        assert!(
            !kinds(c).iter().any(|k| k == "image"),
            "{page} kept an image: {c}"
        );
        let shown = case.json(&["show", "{case}", &c["id"].to_string(), "--json"]);
        let said = notes(&shown);
        let image_url = server.http_url(image);
        assert!(
            said.iter().any(|n| n.starts_with(&format!(
                "The main image {image_url} could not be fetched: "
            )) && n.contains(why)),
            "{page}: {said:?}"
        );
        assert_eq!(shown["error"], Value::Null, "{page}: {shown}");
    }
    // The cap is enforced before the body is read.
    assert_eq!(server.hits("/img/huge.png"), 1);
}

#[test]
fn a_main_image_server_that_never_finishes_holds_the_capture_only_for_the_image_limit() {
    let server = TestServer::start();
    let case = CaseDir::new();
    // One picture trickles a byte every 250 ms for as long as the server runs; the
    // other's server takes the request and never answers (for 120 s).
    let cases = [
        ("/item/trickle", "/trickle.png", "while sending the image"),
        ("/item/stall", "/stall-headers", "before answering"),
    ];
    let urls: Vec<String> = cases
        .iter()
        .map(|(page, image, _)| {
            server.mount(
                page,
                200,
                Some("text/html; charset=utf-8"),
                listing(&server.http_url(image), ""),
            );
            server.http_url(page)
        })
        .collect();
    // The page's own limit is far beyond both: only the image's own limit can end them.
    let began = std::time::Instant::now();
    let out = case.run(&["capture", "{case}", "--timeout", "600", &urls[0], &urls[1]]);
    let took = began.elapsed();
    assert_success(&out);
    // IMAGE_TIMEOUT is 10 s; the rest is margin for a loaded machine (and the case's
    // key derivation).
    assert!(
        took < std::time::Duration::from_secs(90),
        "the capture took {took:?}: {}",
        text(&out)
    );
    let limit = format!(
        "{} s allowed for a main image",
        exhibit_capture::IMAGE_TIMEOUT.as_secs()
    );
    let captures = by_url(&case.captures());
    for ((page, image, stage), url) in cases.iter().zip(&urls) {
        let c = &captures[url];
        assert_eq!(c["status"], "ok", "{page}: {c}");
        assert!(
            !kinds(c).iter().any(|k| k == "image"),
            "{page} kept an image: {c}"
        );
        let shown = case.json(&["show", "{case}", &c["id"].to_string(), "--json"]);
        assert_eq!(shown["error"], Value::Null, "{page}: {shown}");
        let said = notes(&shown);
        let image_url = server.http_url(image);
        assert!(
            said.iter().any(|n| n.starts_with(&format!(
                "The main image {image_url} could not be fetched: "
            )) && n.contains(&limit)
                && n.contains(stage)),
            "{page}: {said:?}"
        );
        assert_eq!(server.hits(image), 1, "{image}");
    }
}

#[test]
fn browser_mode_takes_the_main_image_from_the_browsers_own_response() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let photo = photo();
    server.mount("/img/shown.png", 200, Some("image/png"), photo.clone());
    server.mount("/img/named.png", 200, Some("image/png"), photo.clone());
    // The page shows its picture: the bytes come from Chromium's own response.
    server.mount(
        "/item/shown",
        200,
        Some("text/html; charset=utf-8"),
        listing(
            &server.http_url("/img/shown.png"),
            r#"<img src="/img/shown.png" width="300" alt="Brass Camping Lantern">"#,
        ),
    );
    // The page only names it: it is fetched after the page.
    server.mount(
        "/item/named",
        200,
        Some("text/html; charset=utf-8"),
        listing(&server.http_url("/img/named.png"), ""),
    );
    let urls = [
        server.http_url("/item/shown"),
        server.http_url("/item/named"),
    ];
    case.capture_in_browser(&[&urls[0], &urls[1]]);
    let captures = by_url(&case.captures());
    for (url, how, image) in [
        (
            &urls[0],
            "was taken from the browser's own response",
            "/img/shown.png",
        ),
        (
            &urls[1],
            "was fetched after the page (the browser had no usable copy: the page did not load it)",
            "/img/named.png",
        ),
    ] {
        let c = &captures[url];
        assert_eq!(c["status"], "ok", "{c}");
        assert_eq!(c["mode"], "browser");
        let shown = case.json(&["show", "{case}", &c["id"].to_string(), "--json"]);
        let said = notes(&shown);
        assert!(
            said.iter().any(|n| n.starts_with(&format!(
                "The main image {} {how}",
                server.http_url(image)
            ))),
            "{url}: {said:?}"
        );
        assert!(kinds(c).iter().any(|k| k == "image"), "{url}: {c}");
        assert_eq!(export_image(&case, &c["id"]), photo, "{url}");
        // One request each: Chromium's for the shown picture, Exhibit's for the other.
        assert_eq!(server.hits(image), 1, "{image}");
    }
}
