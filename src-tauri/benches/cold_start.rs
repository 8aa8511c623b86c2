//! Cold start of the app to an interactive first screen, under Xvfb.
//!
//! Each run starts a new WebDriver session, which launches a new app process (the
//! release binary), and ends when `[data-testid=case-new]` is in the page and enabled;
//! then the session ends and the process is gone before the next run. "Cold" means a
//! new process each time; the OS file cache is warm after the first run.
//!
//! Run: `cargo bench -p exhibit-app --bench cold_start` (runs: `EXHIBIT_BENCH_RUNS`, 10)

#[path = "../tests/harness/mod.rs"]
mod harness;

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use harness::{AppEnv, Driver, Ui, Xvfb, max, median, min, target_dir};
use serde_json::Value;

// No process-start breakdown: /proc's boot time has a resolution of one second, which
// made "app process exec" land up to a second off (even before the request).

fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

const READY: &str = "const e = document.querySelector('[data-testid=\"case-new\"]');\
    if (!e || e.disabled) return null;\
    const nav = performance.getEntriesByType('navigation')[0];\
    const fcp = performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint');\
    return { now: performance.now(), origin: performance.timeOrigin,\
             dcl: nav ? nav.domContentLoadedEventEnd : null, load: nav ? nav.loadEventEnd : null,\
             fcp: fcp ? fcp.startTime : null };";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs: usize = std::env::var("EXHIBIT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let app = Path::new(env!("CARGO_BIN_EXE_exhibit-app"));
    let xvfb = Xvfb::start();
    let env = AppEnv::new();
    let driver = Driver::start(
        app,
        &xvfb.display,
        &env,
        &target_dir().join("bench-logs/cold_start.log"),
    );

    let mut total = Vec::new();
    let mut session = Vec::new();
    let mut native = Vec::new();
    let mut page = Vec::new();
    let mut dcl = Vec::new();
    let mut fcp = Vec::new();
    for i in 0..runs {
        let wall0 = SystemTime::now();
        let t0 = Instant::now();
        let client = driver.session().await;
        let t_session = t0.elapsed();
        let ui = Ui::new(client, vec![]);
        let ready: Value = loop {
            match ui.c.execute(READY, vec![]).await {
                Ok(v) if !v.is_null() => break v,
                _ => {}
            }
            if t0.elapsed() > Duration::from_secs(60) {
                ui.fail("the first screen never became interactive").await;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        let t_ready = t0.elapsed();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let origin = ready["origin"].as_f64().unwrap_or(f64::NAN);
        let nav_ms = origin - epoch_ms(wall0);
        total.push(ms(t_ready));
        session.push(ms(t_session));
        native.push(nav_ms);
        page.push(ready["now"].as_f64().unwrap_or(f64::NAN));
        dcl.push(ready["dcl"].as_f64().unwrap_or(f64::NAN));
        fcp.push(ready["fcp"].as_f64().unwrap_or(f64::NAN));
        println!(
            "run {:>2}: total {:>6.0} ms | navigation start at {:>5.0} ms | \
             DOMContentLoaded +{:>4.0} ms | first paint +{:>4} | case-new seen +{:>4.0} ms | session returned at {:>5.0} ms",
            i + 1,
            ms(t_ready),
            nav_ms,
            ready["dcl"].as_f64().unwrap_or(f64::NAN),
            ready["fcp"]
                .as_f64()
                .map_or("n/a".to_owned(), |v| format!("{v:.0} ms")),
            ready["now"].as_f64().unwrap_or(f64::NAN),
            ms(t_session),
        );
        ui.close().await;
        assert!(
            driver.wait_app_gone(Duration::from_secs(20)),
            "the app did not exit"
        );
    }

    let row = |name: &str, v: &[f64]| {
        let v: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            println!("| {name} | n/a | | |");
        } else {
            println!(
                "| {name} | {:.0} ms | {:.0} ms | {:.0} ms |",
                median(&v),
                min(&v),
                max(&v)
            );
        }
    };
    println!();
    println!(
        "Cold start to an interactive first screen, release build, Xvfb, {runs} runs (target <= 1 s):"
    );
    println!();
    println!("| what | median | min | max |");
    println!("|---|---|---|---|");
    row(
        "**total: new session requested → `case-new` present and enabled**",
        &total,
    );
    row(
        "  request → webview navigation start (tauri-driver and WebKitWebDriver launch the app; GTK, WebKitGTK and Tauri start)",
        &native,
    );
    row(
        "  navigation start → `case-new` seen (the app's own page time, polled every ~5 ms)",
        &page,
    );
    row("    of which navigation start → DOMContentLoaded", &dcl);
    row(
        "    of which navigation start → first contentful paint (when WebKit reports it)",
        &fcp,
    );
    row(
        "WebDriver new session returned (app window and webview up)",
        &session,
    );
    let met = median(&total) <= 1000.0;
    println!();
    println!(
        "median total {:.0} ms: target {}.",
        median(&total),
        if met { "met" } else { "NOT met" },
    );
    drop(driver);
    drop(xvfb);
}
