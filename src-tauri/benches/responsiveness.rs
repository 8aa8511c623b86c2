//! How responsive the app's window stays while a 100-URL batch captures.
//!
//! The app (release build) runs under Xvfb with a case open on the Capture step. A
//! batch of 100 URLs is started from the UI against a local server that answers each
//! request after a delay. While it runs, and again for as long with no batch running:
//!
//! - **keystroke → next frame**: the bench types one character every ~50 ms into the
//!   URL box through WebDriver (real key events through WebKit). In the page, a
//!   `keydown` listener takes the event's timestamp; after the `input` handler has run,
//!   `requestAnimationFrame` and then `setTimeout(0)` fire after the next frame is
//!   produced, and that moment minus the keydown timestamp is the latency. (The URL box
//!   re-parses its 100 lines on every keystroke, as a user's typing would.)
//! - **keystroke round trip**: the same keystrokes timed from the bench, WebDriver
//!   included (bench → tauri-driver → WebKitWebDriver → the app's UI process → the page
//!   and back), which also shows when the app's main thread is slow to take input.
//! - **event-loop lag**: every 50 ms the page schedules `setTimeout(0)` and records how
//!   late it runs.
//!
//! Two batches: HTTP mode against real listing pages (200 ms latency), and browser
//! mode against small script-drawn listings (100 ms latency); `EXHIBIT_BENCH_BROWSER=0`
//! skips the second.
//!
//! Run: `cargo bench -p exhibit-app --bench responsiveness`

#[path = "../tests/harness/mod.rs"]
mod harness;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use exhibit_e2e::{expected_pages, real_pages_dir};
use harness::{
    AppEnv, Driver, SlowServer, Ui, Xvfb, floats, max, median, quantile, target_dir, tid, unlock,
};
use serde_json::{Value, json};

const PASSPHRASE: &str = "lantern harbor quietly 7 copper maple";

/// Installs the in-page probes (idempotent) and clears their samples.
const PROBES: &str = r#"
const b = window.__bench || (window.__bench = {});
b.lag = []; b.input = []; b.on = true;
if (!b.installed) {
  b.installed = true;
  let key = null;
  document.addEventListener('keydown', e => { key = e.timeStamp; }, true);
  document.addEventListener('input', () => {
    const t = key; key = null;
    if (t === null || !b.on) return;
    requestAnimationFrame(() => setTimeout(() => b.input.push(performance.now() - t), 0));
  }, false);
  const tick = () => {
    if (b.on) { const t0 = performance.now(); setTimeout(() => b.lag.push(performance.now() - t0), 0); }
    setTimeout(tick, 50);
  };
  tick();
}
return true;
"#;

const COLLECT: &str =
    "const b = window.__bench; b.on = false; return { lag: b.lag, input: b.input };";

const PROGRESS: &str = "const p = document.querySelector('[data-testid=\"capture-progress\"]');\
    const s = document.querySelector('[data-testid=\"capture-summary\"]');\
    return p ? { done: Number(p.getAttribute('value')), max: Number(p.getAttribute('max')),\
                 running: !!document.querySelector('[data-testid=\"capture-cancel\"]'),\
                 summary: s ? s.textContent.trim() : '' } : null;";

#[derive(Debug, Default)]
struct Samples {
    input: Vec<f64>,
    roundtrip: Vec<f64>,
    lag: Vec<f64>,
    seconds: f64,
}

/// Types into the URL box every ~50 ms until `until` says stop; returns the samples.
async fn measure(ui: &Ui, mut until: impl AsyncFnMut(&Ui, Duration) -> bool) -> Samples {
    ui.js(PROBES, vec![]).await;
    let field = ui.find(&tid("urls")).await;
    let start = Instant::now();
    let mut roundtrip = Vec::new();
    let mut last_check = Instant::now();
    loop {
        let t = Instant::now();
        field.send_keys("a").await.expect("type");
        roundtrip.push(t.elapsed().as_secs_f64() * 1000.0);
        if last_check.elapsed() > Duration::from_millis(500) {
            last_check = Instant::now();
            if until(ui, start.elapsed()).await {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let seconds = start.elapsed().as_secs_f64();
    // Let the last frames land.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let got = ui.js(COLLECT, vec![]).await;
    Samples {
        input: floats(&got["input"]),
        roundtrip,
        lag: floats(&got["lag"]),
        seconds,
    }
}

/// Replaces the URL box's text (set as a paste would, not typed key by key).
async fn paste_urls(ui: &Ui, urls: &[String]) {
    ui.js(
        "const e = document.querySelector('[data-testid=\"urls\"]'); e.focus(); e.value = arguments[0];\
         e.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(urls.join("\n"))],
    )
    .await;
    ui.wait_js(
        "the URL count",
        harness::SHORT,
        "return document.querySelector('[data-testid=\"urls-count\"]').textContent.startsWith(arguments[0]);",
        vec![json!(format!("{} URLs ready", urls.len()))],
    )
    .await;
}

/// Runs one batch and measures while it runs; returns (during, idle, summary, seconds).
async fn batch(ui: &Ui, urls: &[String], mode: &str) -> (Samples, Samples, String) {
    paste_urls(ui, urls).await;
    ui.click(&tid(&format!("mode-{mode}"))).await;
    // Idle first, for a fixed 20 s, with the same 100 lines in the box.
    let idle = measure(ui, async |_, t| t > Duration::from_secs(20)).await;
    paste_urls(ui, urls).await;
    ui.click(&tid("capture-start")).await;
    ui.wait_js(
        "the batch to start",
        harness::SHORT,
        "return !!document.querySelector('[data-testid=\"capture-cancel\"]');",
        vec![],
    )
    .await;
    let during = measure(ui, async |ui, _| {
        let p = ui.js(PROGRESS, vec![]).await;
        !p["running"].as_bool().unwrap_or(true) && p["done"] == p["max"]
    })
    .await;
    let p = ui.js(PROGRESS, vec![]).await;
    (
        during,
        idle,
        p["summary"].as_str().unwrap_or_default().to_owned(),
    )
}

fn report(title: &str, during: &Samples, idle: &Samples, summary: &str) {
    println!();
    println!("### {title}");
    println!();
    println!(
        "Batch: {summary}; measured over {:.1} s of the batch and {:.1} s idle.",
        during.seconds, idle.seconds
    );
    println!();
    println!(
        "| metric | n (batch / idle) | median batch | median idle | ratio | p95 batch | p95 idle | ratio | max batch | max idle |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let row = |name: &str, b: &[f64], i: &[f64]| {
        let (mb, mi) = (median(b), median(i));
        let (pb, pi) = (quantile(b, 0.95), quantile(i, 0.95));
        println!(
            "| {name} | {} / {} | {mb:.1} ms | {mi:.1} ms | {:.2} | {pb:.1} ms | {pi:.1} ms | {:.2} | {:.1} ms | {:.1} ms |",
            b.len(),
            i.len(),
            mb / mi,
            pb / pi,
            max(b),
            max(i)
        );
    };
    row(
        "keystroke → next frame (in page)",
        &during.input,
        &idle.input,
    );
    row(
        "keystroke round trip via WebDriver",
        &during.roundtrip,
        &idle.roundtrip,
    );
    row(
        "event-loop lag, setTimeout(0) every 50 ms",
        &during.lag,
        &idle.lag,
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let app = Path::new(env!("CARGO_BIN_EXE_exhibit-app"));
    let work = tempfile::tempdir().expect("tempdir");
    let case_path = work.path().join("bench.exhibit");
    exhibit::Case::create(
        &case_path,
        &exhibit::Passphrase::new(PASSPHRASE.into()),
        "Responsiveness bench",
        Some(&exhibit::Collector {
            name: "Bench".into(),
            organization: None,
            role: None,
            contact: None,
        }),
    )
    .expect("create the case");

    // HTTP batch: 100 URLs over the real listing pages (ok listings), 200 ms latency.
    let pages = real_pages_dir();
    let listing_files: Vec<String> = expected_pages()
        .iter()
        .filter(|p| p["page_kind"] == "listing")
        .filter_map(|p| p["file"].as_str().map(str::to_owned))
        .collect();
    let mut routes: HashMap<String, Arc<Vec<u8>>> = HashMap::new();
    let bodies: Vec<Arc<Vec<u8>>> = listing_files
        .iter()
        .map(|f| Arc::new(std::fs::read(pages.join(f)).expect("real page")))
        .collect();
    let mut http_paths = Vec::new();
    for i in 0..100 {
        let path = format!("/http/item.htm?id={}", 700_000_000 + i);
        routes.insert(path.clone(), bodies[i % bodies.len()].clone());
        http_paths.push(path);
    }
    let http_server = SlowServer::start(Duration::from_millis(200), routes);
    let http_urls: Vec<String> = http_paths.iter().map(|p| http_server.url(p)).collect();
    let total_bytes: usize = (0..100).map(|i| bodies[i % bodies.len()].len()).sum();

    // Browser batch: 100 small listings drawn by script after load, 100 ms latency.
    let mut routes: HashMap<String, Arc<Vec<u8>>> = HashMap::new();
    let mut browser_paths = Vec::new();
    for i in 0..100 {
        let path = format!("/drawn/{i}");
        let page = format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Loading…</title></head><body><div id=\"app\">Loading…</div>\
             <script>setTimeout(function () {{ document.title = 'Brass lantern {i} 黄铜灯笼';\
             document.getElementById('app').innerHTML = '<h1>Brass lantern {i} 黄铜灯笼</h1><p class=\"price\">¥{p}.00</p>' +\
             '<div style=\"height:2000px;background:linear-gradient(#fff,#c63)\"></div>'; }}, 300);</script></body></html>",
            p = 100 + i
        );
        routes.insert(path.clone(), Arc::new(page.into_bytes()));
        browser_paths.push(path);
    }
    let browser_server = SlowServer::start(Duration::from_millis(100), routes);
    let browser_urls: Vec<String> = browser_paths
        .iter()
        .map(|p| browser_server.url(p))
        .collect();

    let xvfb = Xvfb::start();
    let env = AppEnv::new();
    let driver = Driver::start(
        app,
        &xvfb.display,
        &env,
        &target_dir().join("bench-logs/responsiveness.log"),
    );
    let ui = Ui::new(driver.session().await, vec![]);
    unlock(&ui, &env, &case_path, PASSPHRASE).await;
    ui.click(&tid("nav-capture")).await;
    ui.find(&tid("urls")).await;

    println!(
        "UI responsiveness during a 100-URL batch capture (release build, Xvfb, 2 noisy cores)."
    );
    println!(
        "Method: see the header of src-tauri/benches/responsiveness.rs; \
         one keystroke every ~50 ms into the URL box, setTimeout(0) lag sampled every 50 ms."
    );

    let (during, idle, summary) = batch(&ui, &http_urls, "http").await;
    report(
        &format!(
            "HTTP mode: 100 real listing pages ({:.1} MB in all), 200 ms server latency, concurrency 4",
            total_bytes as f64 / 1e6
        ),
        &during,
        &idle,
        &summary,
    );

    if std::env::var("EXHIBIT_BENCH_BROWSER").is_ok_and(|v| v == "0") {
        println!("\n(browser-mode batch skipped: EXHIBIT_BENCH_BROWSER=0)");
    } else {
        let (during, idle, summary) = batch(&ui, &browser_urls, "browser").await;
        report(
            "Browser mode: 100 script-drawn listings, 100 ms server latency, concurrency 4 (headless Chromium on the same 2 cores)",
            &during,
            &idle,
            &summary,
        );
    }
    let count: Value = ui
        .js(
            "return document.querySelector('[data-testid=\"capture-count\"]').dataset.count;",
            vec![],
        )
        .await;
    println!("\ncaptures in the case afterwards: {count}");
    ui.close().await;
    drop(driver);
    drop(xvfb);
}
