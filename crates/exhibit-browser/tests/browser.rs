//! Real Chromium against a local HTTP server with pages that only show their content after
//! script runs. Chromium must be installed: if it is not, these tests fail with the install
//! hint (they never skip silently).
//!
//! The tests take a shared lock so that only one Chromium runs at a time on a small machine.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use exhibit_browser::{
    Browser, BrowserCapture, BrowserOptions, Redirect, artifact_kind, find_browser,
};
use exhibit_e2e::{Reply, TestServer};
use sha2::{Digest as _, Sha256};

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const TITLE: &str = "Counterfeit Handbag 42";

const LISTING_HTML: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Loading…</title>
<style>body{margin:0;font-family:sans-serif;background:#fafafa}
header{background:#c0392b;color:white;padding:20px;font-size:28px}
.price{color:#27ae60;font-size:40px;padding:20px}</style></head>
<body><header>Shop</header><h1 id="title"></h1><div class="price" id="price"></div>
<script>
addEventListener('load', () => setTimeout(() => {
  document.getElementById('title').textContent = 'Counterfeit Handbag 42';
  document.getElementById('price').textContent = '¥ 199.00';
  document.title = 'Counterfeit Handbag 42';
}, 500));
</script></body></html>"#;

const LAZY_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Lazy images</title></head><body style="margin:0">
<h1>Lazy images below the fold</h1>
<div style="height:3000px;background:linear-gradient(#fff,#ddd)"></div>
<img loading="lazy" src="/img/1.png" width="300" height="200">
<div style="height:1500px"></div>
<img loading="lazy" src="/img/2.png" width="300" height="200">
<div style="height:1500px"></div>
<img loading="lazy" src="/img/3.png" width="300" height="200">
</body></html>"#;

/// Drawn taller by a timer after the scroll pass has begun; its picture is loaded by a
/// scroll listener, the older kind of lazy loading (a full-page screenshot, which loads
/// `loading="lazy"` pictures by itself, fires no scroll event).
const LATE_LAZY_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Drawn late</title></head><body style="margin:0">
<h1>Short at first</h1><div id="more"></div>
<script>
addEventListener('load', () => setTimeout(() => {
  document.getElementById('more').innerHTML =
    '<div style="height:4000px;background:linear-gradient(#fff,#ddd)"></div>' +
    '<img id="late" width="300" height="200">';
  addEventListener('scroll', () => {
    if (scrollY + innerHeight > 3000) document.getElementById('late').src = '/img/late.png';
  });
}, 450));
</script></body></html>"#;

/// Drawn taller by a timer while the quiet period runs, with a scroll listener that loads
/// its picture only until 750 ms after the load event; and a line drawn at 600 ms, which
/// the capture must still wait for.
const DRAWN_DURING_QUIET_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Drawn during the quiet</title></head><body style="margin:0">
<h1>Short at first</h1><div id="more"></div>
<script>
addEventListener('load', () => {
  const lazy = () => {
    if (scrollY + innerHeight > 3000) document.getElementById('quiet').src = '/img/quiet.png';
  };
  setTimeout(() => {
    document.getElementById('more').innerHTML =
      '<div style="height:4000px;background:linear-gradient(#fff,#ddd)"></div>' +
      '<img id="quiet" width="300" height="200">';
    addEventListener('scroll', lazy);
  }, 300);
  setTimeout(() => {
    const p = document.createElement('p');
    p.textContent = 'Drawn at 0.6 s';
    document.body.appendChild(p);
  }, 600);
  setTimeout(() => removeEventListener('scroll', lazy), 750);
});
</script></body></html>"#;

/// Drawn taller three times while the quiet period runs, the quiet kept going by a slow
/// data request started at 0.7 s; the picture drawn last, at 1.1 s, loads on a scroll.
/// The quiet scrolls a page at most twice, so only the pass after the quiet reaches it.
const GROWS_THRICE_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Grows three times</title></head><body style="margin:0">
<h1>Short at first</h1><div id="more"></div>
<script>
const grow = (html) => document.getElementById('more').insertAdjacentHTML('beforeend',
  '<div style="height:2000px;background:linear-gradient(#fff,#ddd)"></div>' + html);
addEventListener('load', () => {
  setTimeout(() => grow(''), 300);
  setTimeout(() => { fetch('/slow-data'); grow(''); }, 700);
  setTimeout(() => {
    grow('<img id="thrice" width="300" height="200">');
    addEventListener('scroll', () => {
      if (scrollY + innerHeight > 6000) document.getElementById('thrice').src = '/img/thrice.png';
    });
  }, 1100);
});
</script></body></html>"#;

const TALL_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Tall page</title></head><body style="margin:0">
<div style="height:20000px;background:linear-gradient(#e74c3c,#3498db)">top of a very tall page</div>
</body></html>"#;

const ALERT_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Alert page</title></head><body><h1>Alert page</h1>
<script>alert('Welcome to the shop');</script><p>after the alert</p></body></html>"#;

const SCRIPT_REDIRECT_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Old page</title></head><body><h1>Moving…</h1>
<script>addEventListener('load', () => setTimeout(() => { location.href = '/landing'; }, 200));</script>
</body></html>"#;

const LANDING_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Landing</title></head><body><h1>Landing page</h1></body></html>"#;

const HANG_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Hanging fetch</title></head><body><h1>Waiting forever</h1>
<script>fetch('/never').then(r => r.text()).then(t => { document.body.append(t); });</script>
</body></html>"#;

const HANG_IMAGE_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Hanging image</title></head><body><h1>An image that never arrives</h1>
<img src="/never" width="100" height="100"></body></html>"#;

const PLAIN_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Plain page</title></head><body><h1>Plain page</h1><p>Nothing moves here.</p></body></html>"#;

const POPUP_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Pop-up page</title></head><body><h1>Pop-up page</h1>
<script>window.open('/plain', '_blank');</script></body></html>"#;

/// A tiny HTTP/1.1 server on 127.0.0.1, one thread per connection.
/// The shared test server (`exhibit_e2e::TestServer`) on 127.0.0.1 with this file's
/// pages mounted over every path: every response carries two `X-Exhibit-Test` headers,
/// so the capture's header order and repeats can be checked.
struct Server(TestServer);

fn small_png(rgb: [u8; 3]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 30, 20);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().expect("png header");
        let data: Vec<u8> = (0..30 * 20).flat_map(|_| rgb).collect();
        writer.write_image_data(&data).expect("png data");
    }
    out
}

fn reply(status: u16, extra: &[(&str, &str)], ctype: &str, body: &[u8]) -> Reply {
    let mut headers = vec![("X-Exhibit-Test".to_owned(), "first".to_owned())];
    headers.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    headers.push(("X-Exhibit-Test".to_owned(), "second".to_owned()));
    Reply {
        status,
        content_type: Some(ctype.to_owned()),
        headers,
        body: body.to_vec(),
    }
}

fn route(path: &str) -> Reply {
    let html = "text/html; charset=utf-8";
    let page = |body: &str| reply(200, &[], html, body.as_bytes());
    match path {
        "/listing" => page(LISTING_HTML),
        "/lazy" => page(LAZY_HTML),
        "/late-lazy" => page(LATE_LAZY_HTML),
        "/drawn-during-quiet" => page(DRAWN_DURING_QUIET_HTML),
        "/grows-thrice" => page(GROWS_THRICE_HTML),
        "/slow-data" => {
            std::thread::sleep(Duration::from_secs(1));
            reply(200, &[], "application/json", b"{}")
        }
        "/tall" => page(TALL_HTML),
        "/alert" => page(ALERT_HTML),
        "/script-redirect" => page(SCRIPT_REDIRECT_HTML),
        "/landing" => page(LANDING_HTML),
        "/hang" => page(HANG_HTML),
        "/hang-image" => page(HANG_IMAGE_HTML),
        "/plain" => page(PLAIN_HTML),
        "/popup" => page(POPUP_HTML),
        "/moved" => reply(302, &[("Location", "/plain")], html, b"moved"),
        "/never" => {
            // Headers never come: the request stays open until the test process ends.
            std::thread::sleep(Duration::from_secs(300));
            reply(204, &[], html, b"")
        }
        p if p.starts_with("/img/") => {
            let color = match p {
                "/img/1.png" => [200, 30, 30],
                "/img/2.png" => [30, 200, 30],
                _ => [30, 30, 200],
            };
            reply(200, &[], "image/png", &small_png(color))
        }
        _ => reply(404, &[], html, b"<h1>not found</h1>"),
    }
}

impl Server {
    fn start() -> Server {
        let server = TestServer::start();
        server.mount_prefix("/", route);
        Server(server)
    }
    fn hits(&self, path: &str) -> usize {
        self.0.hits(path)
    }
    fn url(&self, path: &str) -> String {
        self.0.http_url(path)
    }
}

/// Returns once the server has been asked for `path` (it counts a request as it arrives):
/// the signal that the browser is at that point, instead of a guess at how long it takes.
async fn requested(server: &Server, path: &str) {
    let started = Instant::now();
    while server.hits(path) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the browser never asked for {path}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn chromium() -> PathBuf {
    find_browser(None).unwrap_or_else(|e| panic!("{e}"))
}

fn options(profile: &Path) -> BrowserOptions {
    let mut opts = BrowserOptions::new(chromium(), profile.join("profile"));
    opts.page_timeout = Duration::from_secs(20);
    opts
}

async fn launch(opts: BrowserOptions) -> Browser {
    Browser::launch(opts)
        .await
        .unwrap_or_else(|e| panic!("Chromium did not launch: {e}"))
}

fn artifact<'a>(cap: &'a BrowserCapture, kind: &str) -> &'a [u8] {
    cap.artifact(kind)
        .unwrap_or_else(|| panic!("no {kind} artifact in {cap:#?}"))
        .bytes()
}

fn text_of(cap: &BrowserCapture, kind: &str) -> String {
    String::from_utf8(artifact(cap, kind).to_vec()).expect("utf-8")
}

/// Decode the PNG: (width, height, whether its pixels vary).
fn png_facts(bytes: &[u8]) -> (u32, u32, bool) {
    let decoder =
        png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png::Limits { bytes: 1 << 30 });
    let mut reader = decoder.read_info().expect("the screenshot is a PNG");
    let size = reader.output_buffer_size().expect("buffer size");
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let data = &buf[..info.buffer_size()];
    let px = info.color_type.samples();
    let first = &data[..px];
    let varies = data.chunks(px).any(|p| p != first);
    (info.width, info.height, varies)
}

fn assert_hashes(cap: &BrowserCapture) {
    assert!(!cap.artifacts.is_empty());
    for a in &cap.artifacts {
        let digest: [u8; 32] = Sha256::digest(a.bytes()).into();
        assert_eq!(a.sha256().0, digest, "hash of {}", a.kind());
    }
}

fn run_tool(tool: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (apt-get install poppler-utils qpdf): {e}"));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{tool} rejected the PDF: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn network_log(cap: &BrowserCapture) -> Vec<serde_json::Value> {
    let log: serde_json::Value =
        serde_json::from_slice(artifact(cap, artifact_kind::NETWORK)).expect("network log JSON");
    log.as_array().expect("a JSON array").clone()
}

/// Whether the capture's network log holds a request for a URL ending in `path`.
fn asked_for(cap: &BrowserCapture, path: &str) -> bool {
    network_log(cap)
        .iter()
        .any(|e| e["url"].as_str().is_some_and(|u| u.ends_with(path)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_drawn_by_script_is_captured_with_every_artifact() {
    let _serial = SERIAL.lock().await;
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let browser = launch(options(dir.path())).await;
    let facts = browser.version().await;
    assert!(facts.product.contains("Chrome/"), "{facts:?}");
    assert!(facts.extensions.is_empty(), "{facts:?}");
    assert_eq!(facts.viewport, (1366, 900));
    assert_eq!(facts.locale, "en-US");
    assert!(!facts.timezone.is_empty());

    let url = server.url("/listing");
    let cap = browser.capture(&url).await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(cap.requested_url, url);
    assert_eq!(cap.final_url.as_deref(), Some(url.as_str()));
    assert_eq!(cap.http_status, Some(200));
    assert_eq!(cap.http_version.as_deref(), Some("HTTP/1.1"));
    assert!(cap.redirects.is_empty());
    assert!(
        cap.remote_addr
            .as_deref()
            .unwrap_or_default()
            .starts_with("127.0.0.1:")
    );
    assert_eq!(cap.tls_certificate_der, None);
    assert!(cap.started_at <= cap.finished_at);
    // Headers in wire order, repeats kept.
    let names: Vec<&str> = cap.headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Content-Type",
            "X-Exhibit-Test",
            "X-Exhibit-Test",
            "Content-Length",
            "Connection"
        ]
    );
    assert_eq!(cap.headers[2].value, "second");
    assert_eq!(cap.browser.viewport, (1366, 900));
    assert_eq!(cap.browser.device_scale, 1.0);

    // Every artifact kind, hashed over its exact bytes.
    let kinds: Vec<&str> = cap.artifacts.iter().map(|a| a.kind()).collect();
    for kind in [
        "screenshot",
        "mhtml",
        "dom",
        "pdf",
        "text",
        "network",
        "body",
    ] {
        assert!(kinds.contains(&kind), "missing {kind} in {kinds:?}");
    }
    assert_hashes(&cap);
    let media = |k: &str| cap.artifact(k).map(|a| a.media_type().to_string());
    assert_eq!(media("screenshot").as_deref(), Some("image/png"));
    assert_eq!(media("mhtml").as_deref(), Some("multipart/related"));
    assert_eq!(media("pdf").as_deref(), Some("application/pdf"));
    assert_eq!(media("network").as_deref(), Some("application/json"));
    assert_eq!(media("body").as_deref(), Some("text/html"));

    // The raw body is exactly what the server sent.
    assert_eq!(artifact(&cap, "body"), LISTING_HTML.as_bytes());

    // The script-drawn title is in the DOM and the text.
    let dom = text_of(&cap, "dom");
    assert!(dom.starts_with("<!DOCTYPE html>"), "{}", &dom[..40]);
    assert!(dom.contains(&format!("<title>{TITLE}</title>")), "{dom}");
    assert_eq!(cap.rendered_html.as_deref(), Some(dom.as_str()));
    assert!(text_of(&cap, "text").contains(TITLE));

    // The screenshot: viewport width by page height, and not blank.
    let (w, h, varies) = png_facts(artifact(&cap, "screenshot"));
    assert_eq!((w, h), (1366, 900));
    assert!(varies, "the screenshot is blank");
    assert_eq!(cap.screenshot_cut, None);

    // MHTML starts with MIME headers and holds the title.
    let mhtml = text_of(&cap, "mhtml").replace("=\r\n", "");
    let head = &mhtml[..mhtml.find("\r\n\r\n").expect("MIME header block")];
    assert!(head.contains("MIME-Version: 1.0"), "{head}");
    assert!(head.contains("Content-Type: multipart/related"), "{head}");
    assert!(mhtml.contains(TITLE));

    // The PDF is well formed, and A4.
    let pdf = dir.path().join("page.pdf");
    std::fs::write(&pdf, artifact(&cap, "pdf")).expect("write pdf");
    let info = run_tool("pdfinfo", &[], &pdf);
    assert!(info.contains("(A4)"), "{info}");
    run_tool("qpdf", &["--check"], &pdf);

    // The network log: the main document with its headers, timing and address.
    let log = network_log(&cap);
    let main = log
        .iter()
        .find(|e| e["main_document"] == true)
        .expect("main document in the network log");
    assert_eq!(main["url"], url.as_str());
    assert_eq!(main["status"], 200);
    assert_eq!(main["method"], "GET");
    assert_eq!(main["remote_ip"], "127.0.0.1");
    assert!(main["timing"].is_object(), "{main}");
    assert!(
        main["response_headers"]["X-Exhibit-Test"].is_string(),
        "{main}"
    );
    assert!(main["request_headers"].is_object(), "{main}");
    assert!(
        main["started_at"].is_string() && main["finished_at"].is_string(),
        "{main}"
    );

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lazy_images_load_and_tall_pages_are_cut_at_the_cap() {
    let _serial = SERIAL.lock().await;
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let browser = launch(options(dir.path())).await;

    // Two tabs at once, as the batch pool does.
    let (lazy, tall) = (server.url("/lazy"), server.url("/tall"));
    let (cap, tall_cap) = tokio::join!(browser.capture(&lazy), browser.capture(&tall));
    assert_eq!(cap.error, None, "{cap:#?}");
    let log = network_log(&cap);
    for img in ["/img/1.png", "/img/2.png", "/img/3.png"] {
        let entry = log
            .iter()
            .find(|e| e["url"].as_str().is_some_and(|u| u.ends_with(img)))
            .unwrap_or_else(|| panic!("{img} was never requested: the scroll did not load it"));
        assert_eq!(entry["status"], 200, "{entry}");
    }
    let dom = text_of(&cap, "dom");
    assert!(dom.contains("loading=\"lazy\""));
    let (w, h, varies) = png_facts(artifact(&cap, "screenshot"));
    assert_eq!(w, 1366);
    assert!(h > 6000, "full page height, got {h}");
    assert!(varies);

    // A page drawn taller after the scroll pass began is scrolled again.
    let late = browser.capture(&server.url("/late-lazy")).await;
    assert_eq!(late.error, None, "{late:#?}");
    assert!(
        asked_for(&late, "/img/late.png"),
        "the picture drawn late was never requested"
    );
    let (_, h, _) = png_facts(artifact(&late, "screenshot"));
    assert!(h > 4000, "full page height, got {h}");

    // A page drawn taller while the quiet period runs is scrolled through while it runs,
    // not only after it (its loader stops listening before the quiet ends), and the quiet
    // still runs its full length (the line drawn at 0.6 s is in the capture).
    let quiet = browser.capture(&server.url("/drawn-during-quiet")).await;
    assert_eq!(quiet.error, None, "{quiet:#?}");
    assert!(
        asked_for(&quiet, "/img/quiet.png"),
        "the picture drawn during the quiet was not scrolled to while the quiet ran"
    );
    assert!(text_of(&quiet, "text").contains("Drawn at 0.6 s"));

    // A page that grows more often than the quiet scrolls it is scrolled once more after it.
    let thrice = browser.capture(&server.url("/grows-thrice")).await;
    assert_eq!(thrice.error, None, "{thrice:#?}");
    assert!(
        asked_for(&thrice, "/img/thrice.png"),
        "the picture drawn third was not scrolled to after the quiet"
    );

    let cap = tall_cap;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(cap.screenshot_cut, Some((20_000, 16_384)));
    assert!(
        cap.notes.iter().any(|n| n.contains("20000 px tall")),
        "{:?}",
        cap.notes
    );
    let (w, h, varies) = png_facts(artifact(&cap, "screenshot"));
    assert_eq!((w, h), (1366, 16_384));
    assert!(varies);
    assert_hashes(&cap);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dialogs_script_navigation_pop_ups_and_hanging_requests_do_not_hang_a_capture() {
    let _serial = SERIAL.lock().await;
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options(dir.path());
    opts.page_timeout = Duration::from_secs(8);
    let browser = launch(opts).await;

    // alert() on load is dismissed and noted.
    let cap = browser.capture(&server.url("/alert")).await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert!(
        cap.notes
            .iter()
            .any(|n| n.contains("alert() dialog was dismissed: \"Welcome to the shop\"")),
        "{:?}",
        cap.notes
    );
    assert!(text_of(&cap, "text").contains("after the alert"));
    assert_hashes(&cap);

    // A 302 is recorded as a redirect hop.
    let cap = browser.capture(&server.url("/moved")).await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(
        cap.redirects,
        vec![Redirect {
            url: server.url("/moved"),
            status: 302,
            location: "/plain".to_string(),
        }]
    );
    assert_eq!(cap.final_url, Some(server.url("/plain")));
    assert_eq!(cap.http_status, Some(200));
    assert_eq!(artifact(&cap, "body"), PLAIN_HTML.as_bytes());
    let log = network_log(&cap);
    let main = log
        .iter()
        .find(|e| e["main_document"] == true)
        .expect("main");
    assert_eq!(main["redirects"][0]["status"], 302);

    // A page that moves itself by script is captured where it ends up, with a note.
    let cap = browser.capture(&server.url("/script-redirect")).await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(cap.final_url, Some(server.url("/landing")));
    assert!(
        cap.notes
            .iter()
            .any(|n| n.contains("navigated away by script to") && n.contains("/landing")),
        "{:?}",
        cap.notes
    );
    assert!(text_of(&cap, "text").contains("Landing page"));
    assert_eq!(artifact(&cap, "body"), LANDING_HTML.as_bytes());

    // A pop-up neither hangs the capture nor stays open.
    let cap = browser.capture(&server.url("/popup")).await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert!(text_of(&cap, "text").contains("Pop-up page"));

    // A request that never finishes: captured within the page time limit, with a note.
    let started = Instant::now();
    let cap = browser.capture(&server.url("/hang")).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert_eq!(cap.error, None, "{cap:#?}");
    assert!(
        cap.notes
            .iter()
            .any(|n| n.contains("still open") && n.contains("/never")),
        "{:?}",
        cap.notes
    );
    assert!(text_of(&cap, "text").contains("Waiting forever"));
    let log = network_log(&cap);
    let never = log
        .iter()
        .find(|e| e["url"].as_str().is_some_and(|u| u.ends_with("/never")))
        .expect("the hanging fetch is logged");
    assert_eq!(never["unfinished"], true);

    // A page whose load event never fires (an image that never arrives) is still captured.
    let started = Instant::now();
    let cap = browser.capture(&server.url("/hang-image")).await;
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(cap.error, None, "{cap:#?}");
    assert!(
        cap.notes
            .iter()
            .any(|n| n.contains("load event had not fired")),
        "{:?}",
        cap.notes
    );
    assert!(text_of(&cap, "text").contains("An image that never arrives"));

    // Navigation errors fail fast, in one sentence, with the network's own words.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let refused = format!("http://{}/", closed.local_addr().expect("addr"));
    drop(closed);
    let started = Instant::now();
    let cap = browser.capture(&refused).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        cap.error.as_deref(),
        Some("The page could not be loaded (net::ERR_CONNECTION_REFUSED).")
    );
    assert!(cap.artifact("network").is_some());

    // A renderer crash fails that capture only.
    let cap = browser.capture("chrome://crash").await;
    assert_eq!(cap.error.as_deref(), Some("The page's renderer crashed."));
    assert!(browser.is_alive());
    let cap = browser.capture(&server.url("/plain")).await;
    assert_eq!(cap.error, None, "{cap:#?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_chromium_mid_capture_fails_fast_and_marks_the_browser_dead() {
    let _serial = SERIAL.lock().await;
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let browser = launch(options(dir.path())).await;
    let pid = browser.pid().expect("pid");
    assert!(browser.is_alive());

    let capturing = {
        let browser = browser.clone();
        let url = server.url("/hang");
        tokio::spawn(async move { browser.capture(&url).await })
    };
    requested(&server, "/hang").await;
    let killed = Instant::now();
    let status = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let cap = tokio::time::timeout(Duration::from_secs(5), capturing)
        .await
        .expect("the capture returned within 5 s of the crash")
        .expect("join");
    assert!(cap.error.is_some(), "{cap:#?}");
    assert!(
        cap.error
            .as_deref()
            .unwrap_or_default()
            .contains("stopped running"),
        "{cap:#?}"
    );
    // What was seen before the crash is kept.
    assert!(cap.artifact("network").is_some());
    let deadline = Instant::now() + Duration::from_secs(5);
    while browser.is_alive() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!browser.is_alive());
    eprintln!("the crash was reported after {:?}", killed.elapsed());

    let again = browser.capture(&server.url("/plain")).await;
    assert_eq!(again.error.as_deref(), Some("The browser is not running."));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snap_captures_the_open_tab_without_reloading_it() {
    let _serial = SERIAL.lock().await;
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let browser = launch(options(dir.path())).await;
    let url = server.url("/moved");
    browser.open_tab(&url).await.expect("open a tab");
    // The user looks at the page, loaded.
    requested(&server, "/plain").await;
    let cap = browser.snap_current().await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(server.hits("/plain"), 1, "the tab was reloaded");
    assert_eq!(cap.requested_url, server.url("/plain"));
    assert_eq!(cap.final_url, Some(server.url("/plain")));
    assert_eq!(cap.redirects.len(), 1);
    assert_eq!(cap.http_status, Some(200));
    assert_eq!(artifact(&cap, "body"), PLAIN_HTML.as_bytes());
    assert!(text_of(&cap, "text").contains("Nothing moves here."));
    assert!(
        cap.notes.iter().any(|n| n.contains("without reloading")),
        "{:?}",
        cap.notes
    );
    let (w, h, _) = png_facts(artifact(&cap, "screenshot"));
    assert_eq!((w, h), (1366, 900));
    assert_hashes(&cap);
    // A second snap of the same tab still does not reload it.
    let again = browser.snap_current().await;
    assert_eq!(again.error, None, "{again:#?}");
    assert_eq!(server.hits("/plain"), 1);
    browser.close().await;
}

/// The visible window needs a display: run it with
/// `xvfb-run -a cargo test -p exhibit-browser -- --ignored visible` (Debian: apt-get install xvfb).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn visible_window_snaps_the_tab_the_user_navigated() {
    let _serial = SERIAL.lock().await;
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no DISPLAY: run this test under xvfb-run"
    );
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = options(dir.path());
    opts.headless = false;
    let browser = launch(opts).await;
    assert!(!browser.version().await.headless);
    // The user navigates in the window's first tab (we stand in for them over DevTools).
    browser
        .open_tab(&server.url("/listing"))
        .await
        .expect("open a tab");
    requested(&server, "/listing").await;
    let cap = browser.snap_current().await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(server.hits("/listing"), 1, "the tab was reloaded");
    assert!(text_of(&cap, "text").contains(TITLE));
    assert!(!cap.browser.headless);
    let (w, h, varies) = png_facts(artifact(&cap, "screenshot"));
    assert!(w > 0 && h > 0 && varies, "{w}x{h}");
    assert_eq!(cap.browser.viewport.0, w);
    // A capture in the visible browser opens and closes its own tab.
    let cap = browser.capture(&server.url("/alert")).await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(cap.browser.viewport, (1366, 900));
    browser.close().await;
}

/// openssl s_server, killed when dropped.
struct TlsServer(std::process::Child);

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("openssl is needed for the TLS test (apt-get install openssl): {e}")
        });
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extra_root_is_trusted_in_its_own_profile_only() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Exhibit Test Root",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=shop.test",
        ],
    );
    std::fs::write(
        d.join("ext.cnf"),
        "subjectAltName=DNS:shop.test\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .expect("ext");
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
    openssl(
        d,
        &[
            "x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der",
        ],
    );
    let www = d.join("www");
    std::fs::create_dir(&www).expect("www");
    std::fs::write(www.join("item.html"), PLAIN_HTML).expect("page");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let _tls = TlsServer(
        Command::new("openssl")
            .args([
                "s_server",
                "-quiet",
                "-WWW",
                "-accept",
                &format!("127.0.0.1:{port}"),
                "-cert",
                "../leaf.pem",
                "-key",
                "../leaf.key",
            ])
            .current_dir(&www)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("openssl s_server"),
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "openssl s_server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = "https://shop.test/item.html";
    let rule = format!("MAP shop.test:443 127.0.0.1:{port}");

    let mut trusting = options(&d.join("case-a"));
    trusting.host_resolver_rules = vec![rule.clone()];
    trusting.extra_root_pems = vec![std::fs::read(d.join("ca.pem")).expect("ca")];
    let browser = launch(trusting).await;
    let cap = browser.capture(url).await;
    browser.close().await;
    assert_eq!(cap.error, None, "{cap:#?}");
    assert_eq!(cap.http_status, Some(200));
    assert_eq!(cap.remote_addr, Some(format!("127.0.0.1:{port}")));
    assert!(text_of(&cap, "text").contains("Nothing moves here."));
    let leaf = std::fs::read(d.join("leaf.der")).expect("leaf");
    assert_eq!(cap.tls_certificate_der.as_deref(), Some(leaf.as_slice()));
    let log = network_log(&cap);
    let main = log
        .iter()
        .find(|e| e["main_document"] == true)
        .expect("main");
    assert_eq!(
        main["security_details"]["subjectName"], "shop.test",
        "{main}"
    );

    // Another case's profile does not trust that root.
    let mut other = options(&d.join("case-b"));
    other.host_resolver_rules = vec![rule];
    let browser = launch(other).await;
    let cap = browser.capture(url).await;
    browser.close().await;
    let error = cap.error.unwrap_or_default();
    assert!(error.contains("ERR_CERT_AUTHORITY_INVALID"), "{error}");
}

#[test]
fn a_missing_browser_names_what_to_install() {
    let err = find_browser(Some(Path::new("/no/such/chromium"))).expect_err("not found");
    assert!(
        err.to_string().contains(
            "Install Chromium (on Debian: apt-get install chromium) or Google Chrome, or pass --browser PATH;"
        ),
        "{err}"
    );
}

/// `cargo test -p exhibit-browser --release -- --ignored --nocapture bench` prints the median
/// warm capture time and a cold `chromium --headless --screenshot` on the same page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_capture_against_a_cold_screenshot() {
    let _serial = SERIAL.lock().await;
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.url("/listing");
    let browser = launch(options(dir.path())).await;
    let warm = browser.capture(&url).await;
    assert_eq!(warm.error, None);
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let cap = browser.capture(&url).await;
        times.push(t.elapsed());
        assert_eq!(cap.error, None);
    }
    browser.close().await;
    times.sort();
    let median = (times[4] + times[5]) / 2;

    let mut cold = Vec::new();
    for i in 0..3 {
        let profile = dir.path().join(format!("cold-{i}"));
        let shot = dir.path().join(format!("cold-{i}.png"));
        let t = Instant::now();
        let status = Command::new(chromium())
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--window-size=1366,900",
                &format!("--user-data-dir={}", profile.display()),
                &format!("--screenshot={}", shot.display()),
                &url,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("chromium");
        cold.push(t.elapsed());
        assert!(status.success() && shot.exists());
    }
    cold.sort();
    let cold_median = cold[1];
    eprintln!(
        "warm capture (screenshot, MHTML, DOM, PDF, text, network, body): median {:.3} s over 10 (min {:.3}, max {:.3})",
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[9].as_secs_f64()
    );
    eprintln!(
        "cold chromium --headless --screenshot: median {:.3} s over 3; ratio warm/cold {:.2}",
        cold_median.as_secs_f64(),
        median.as_secs_f64() / cold_median.as_secs_f64()
    );
}

/// The processes whose command line names `needle` (a profile folder).
#[cfg(target_os = "linux")]
fn processes_naming(needle: &Path) -> Vec<String> {
    let needle = needle.display().to_string();
    std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| {
                    e.file_name()
                        .to_str()
                        .is_some_and(|n| n.parse::<u32>().is_ok())
                })
                .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
                .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
                .filter(|c| c.contains(&needle))
                .collect()
        })
        .unwrap_or_default()
}

/// A launcher script that runs the browser as its child instead of replacing itself with
/// it (Debian's `chromium-headless-shell` is one): when Exhibit kills what it started, the
/// browser under the script goes too, and does not hold the profile.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_behind_a_launcher_script_dies_with_it() {
    use std::os::unix::fs::PermissionsExt;
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let launcher = dir.path().join("launcher");
    std::fs::write(
        &launcher,
        format!("#!/bin/sh\n\"{}\" \"$@\"\n", chromium().display()),
    )
    .expect("write launcher");
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut opts = options(dir.path());
    opts.executable = launcher;
    let profile = opts.profile_dir.clone();
    let browser = launch(opts).await;
    assert!(browser.is_alive());
    let running = processes_naming(&profile);
    assert!(
        running.iter().any(|c| !c.starts_with("/bin/sh")),
        "no browser under the launcher: {running:?}"
    );
    // Dropped without a polite close: the watchdog kills what it started.
    drop(browser);
    let started = Instant::now();
    while !processes_naming(&profile).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still running after the kill: {:?}",
            processes_naming(&profile)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
