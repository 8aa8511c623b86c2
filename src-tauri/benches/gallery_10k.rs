//! Opening a case of 10,000 captures and paging its Review gallery, in the real app.
//!
//! The case is seeded directly through `exhibit_store::Store::add_capture` (each capture
//! with a small PNG screenshot, titles varied and partly Chinese, a mix of statuses and
//! marketplaces) and kept in `target/bench-data/` for later runs. Then, in the app (the
//! release build, under Xvfb), five times:
//!
//! 1. on the Case step, with the path and passphrase typed, a script in the page clicks
//!    "Open case" and, as soon as the case is open, the Review step, and watches every
//!    animation frame for: the first page of 60 cards in the DOM ("cards"), and every
//!    thumbnail inside the window loaded (`img.complete && naturalWidth > 0`; thumbnails
//!    below the fold are `loading=lazy` and wait for a scroll, as in use);
//! 2. it then clicks "Next" and times the same for page 2;
//! 3. the case is locked for the next run (same app process).
//!
//! The times are the page's own clock (`performance.now()`), so WebDriver's overhead is
//! not in them. Target: first page ≤ 1 s from "Open case".
//!
//! Run: `cargo bench -p exhibit-app --bench gallery_10k`

#[path = "../tests/harness/mod.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use exhibit_domain::{
    CaptureRecord, CaptureStatus, Collector, Environment, ListingFacts, NewArtifact,
};
use exhibit_store::{Passphrase, Store};
use harness::{AppEnv, Driver, LONG, Ui, Xvfb, floats, max, median, min, target_dir, tid};
use serde_json::{Value, json};

const PASSPHRASE: &str = "lantern harbor quietly 7 copper maple";
const CAPTURES: usize = 10_000;
const RUNS: usize = 5;

const TITLES: &[&str] = &[
    "乳白亚克力外壳 60%键盘外壳 poker外壳无加强筋底壳透光外壳",
    "Brass Hurricane Lantern, ACME pattern, 12 inch",
    "火锅蘸料粒粒香老北京风味涮羊肉调料东北火锅调味料蘸料沾料包邮",
    "【官网价直降】Apple/苹果 iPhone 11 4G全网通智能手机正品",
    "Vintage Railroad Lantern Red Globe Kerosene",
    "2.10MUSEMOON｜缪斯月光抹胸拼接蕾丝长裙 文艺肌理感抹胸连衣裙",
    "LED Camping Lantern Rechargeable 1000LM",
    "ACME 黄铜灯笼 复古 户外 露营灯 手提 煤油灯",
];
const MARKETS: &[&str] = &["taobao", "tmall", "aliexpress", "1688", "amazon", "ebay"];

/// A small screenshot-like PNG: a header bar, a "photo" block and text lines, tinted by `i`.
fn screenshot_png(i: usize) -> Vec<u8> {
    let (w, h) = (390u32, 600u32);
    let hue = [(230, 90, 40), (40, 110, 200), (60, 160, 90), (170, 60, 150)][i % 4];
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        if y < 48 {
            image::Rgb([hue.0, hue.1, hue.2])
        } else if (70..330).contains(&y) && (20..370).contains(&x) {
            let shade = ((x + y + i as u32 * 7) % 64) as u8;
            image::Rgb([200 - shade, 190 - shade / 2, 170])
        } else if y > 350 && (y / 14) % 2 == 0 && x > 20 && x < 20 + ((y * 37 + i as u32) % 330) {
            image::Rgb([60, 60, 60])
        } else {
            image::Rgb([255, 255, 255])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode png");
    out
}

fn record(i: usize) -> CaptureRecord {
    let market = MARKETS[i % MARKETS.len()];
    let status = match i % 23 {
        0 => CaptureStatus::Blocked,
        11 => CaptureStatus::Removed,
        _ => CaptureStatus::Ok,
    };
    let id = 600_000_000_000u64 + i as u64;
    let title = format!("{} #{i}", TITLES[i % TITLES.len()]);
    let secs = i as i64;
    let at = |extra: i64| {
        (chrono::DateTime::parse_from_rfc3339("2026-11-01T08:00:00Z").expect("date")
            + chrono::Duration::seconds(secs * 3 + extra))
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    CaptureRecord {
        mode: "browser".into(),
        requested_url: format!("https://item.taobao.com/item.htm?id={id}"),
        final_url: None,
        redirects: vec![],
        http_version: Some("HTTP/1.1".into()),
        http_status: Some(200),
        headers: vec![],
        remote_addr: Some("127.0.0.1:443".into()),
        tls: None,
        started_at: at(0),
        finished_at: at(2),
        error: match status {
            CaptureStatus::Blocked => {
                Some("The marketplace showed a block page instead of the listing.".into())
            }
            CaptureStatus::Removed => Some("The listing is no longer available.".into()),
            _ => None,
        },
        status,
        notes: vec![],
        facts: ListingFacts {
            marketplace: Some(market.into()),
            page_kind: Some("listing".into()),
            listing_id: Some(id.to_string()),
            title: Some(title),
            price: Some(format!("{}.{:02}", 10 + i % 900, i % 100)),
            currency: Some(
                if market == "amazon" || market == "ebay" {
                    "USD"
                } else {
                    "CNY"
                }
                .into(),
            ),
            seller: Some(format!("店铺 {} Store", i % 97)),
            seller_id: None,
            main_image: None,
            canonical_url: None,
            charset: Some("utf-8".into()),
            ..ListingFacts::default()
        },
        collector: Collector {
            name: "Bench".into(),
            organization: None,
            role: None,
            contact: None,
        },
        environment: Environment::default(),
        browser: None,
        archive: None,
        context: None,
    }
}

/// The 10,000-capture case, seeded once and kept for later runs.
fn seeded_case() -> PathBuf {
    let dir = target_dir().join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench-data dir");
    let path = dir.join("gallery-10k.exhibit");
    let pass = Passphrase::new(PASSPHRASE.into());
    if path.exists() {
        match Store::open(&path, &pass).and_then(|s| s.capture_count()) {
            Ok(n) if n as usize == CAPTURES => return path,
            _ => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
        }
    }
    let t = Instant::now();
    let mut store = Store::create(&path, &pass, "10,000 captures").expect("create");
    store
        .set_collector(&Collector {
            name: "Bench".into(),
            organization: Some("Acme Lantern Co., Ltd.".into()),
            role: None,
            contact: None,
        })
        .expect("collector");
    let mut bytes = 0usize;
    for i in 0..CAPTURES {
        let png = screenshot_png(i);
        bytes += png.len();
        store
            .add_capture(
                &record(i),
                &[NewArtifact::new("screenshot", "image/png", png)],
            )
            .expect("add capture");
    }
    drop(store);
    println!(
        "seeded {CAPTURES} captures ({:.1} MB of PNG screenshots, {:.0} B average) in {:.1} s",
        bytes as f64 / 1e6,
        bytes as f64 / CAPTURES as f64,
        t.elapsed().as_secs_f64()
    );
    path
}

/// Runs in the page: open the case, go to Review, time the first page and the next.
const MEASURE: &str = r#"
const done = arguments[arguments.length - 1];
const q = (s) => document.querySelector(s);
const r = {};
const t0 = performance.now();
let t1 = null, firstId = null;
const cardsShown = () => {
  const cards = document.querySelectorAll('[data-testid="card"]');
  const st = q('[data-testid="page-status"]');
  return cards.length === 60 && st && !st.textContent.includes('Loading') ? cards : null;
};
const visibleThumbsLoaded = () => {
  const imgs = [...document.querySelectorAll('[data-testid="card"] img')].filter(i => {
    const b = i.getBoundingClientRect();
    return b.bottom > 0 && b.top < window.innerHeight && b.width > 0;
  });
  return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) ? imgs.length : 0;
};
const frame = () => {
  const now = performance.now();
  if (now - t0 > 60000) { r.timeout = true; done(r); return; }
  if (r.unlocked === undefined) {
    const nav = q('[data-testid="nav-review"]');
    if (nav && !nav.disabled && q('[data-testid="capture-count"]')) { r.unlocked = now - t0; nav.click(); }
  } else if (r.cards === undefined) {
    const cards = cardsShown();
    if (cards) { r.cards = now - t0; firstId = cards[0].dataset.captureId; r.total = q('[data-testid="page-status"]').dataset.total; }
  } else if (r.thumbs === undefined) {
    const n = visibleThumbsLoaded();
    if (n) { r.thumbs = now - t0; r.visible = n; t1 = performance.now(); q('[data-testid="page-next"]').click(); }
  } else if (r.next === undefined) {
    const cards = cardsShown();
    if (cards && cards[0].dataset.captureId !== firstId) { r.next = now - t1; r.nextStatus = q('[data-testid="page-status"]').textContent.trim(); }
  } else if (r.nextThumbs === undefined) {
    const n = visibleThumbsLoaded();
    if (n) { r.nextThumbs = now - t1; r.nextVisible = n; done(r); return; }
  }
  requestAnimationFrame(frame);
};
q('[data-testid="unlock-submit"]').click();
requestAnimationFrame(frame);
"#;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let app = Path::new(env!("CARGO_BIN_EXE_exhibit-app"));
    let case = seeded_case();
    let xvfb = Xvfb::start();
    let env = AppEnv::new();
    let driver = Driver::start(
        app,
        &xvfb.display,
        &env,
        &target_dir().join("bench-logs/gallery_10k.log"),
    );
    let ui = Ui::new(driver.session().await, vec![]);
    ui.c.update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
        Some(Duration::from_secs(90)),
        None,
        None,
    ))
    .await
    .expect("script timeout");

    let mut results: Vec<Value> = Vec::new();
    for run in 0..RUNS {
        ui.click(&tid("case-open")).await;
        harness::choose(
            &ui,
            &env,
            "case_open",
            &case,
            &tid("unlock-choose"),
            Some(&tid("unlock-path")),
        )
        .await;
        ui.type_text(&tid("unlock-passphrase"), PASSPHRASE).await;
        let t = Instant::now();
        let r =
            ui.c.execute_async(MEASURE, vec![])
                .await
                .expect("measure script");
        let wall = t.elapsed().as_secs_f64() * 1000.0;
        if r.get("timeout").is_some() {
            ui.fail(&format!("run {} timed out: {r}", run + 1)).await;
        }
        assert_eq!(r["total"], json!(CAPTURES.to_string()), "{r}");
        println!(
            "run {}: unlocked {:.0} ms, first page of cards {:.0} ms, its {} visible thumbnails {:.0} ms; \
             next page cards {:.0} ms, its {} visible thumbnails {:.0} ms ({}); wall incl. WebDriver {wall:.0} ms",
            run + 1,
            r["unlocked"].as_f64().unwrap_or(f64::NAN),
            r["cards"].as_f64().unwrap_or(f64::NAN),
            r["visible"],
            r["thumbs"].as_f64().unwrap_or(f64::NAN),
            r["next"].as_f64().unwrap_or(f64::NAN),
            r["nextVisible"],
            r["nextThumbs"].as_f64().unwrap_or(f64::NAN),
            r["nextStatus"].as_str().unwrap_or_default(),
        );
        results.push(r);
        ui.click(&tid("lock")).await;
        ui.wait_js(
            "the case to lock",
            LONG,
            "return !!document.querySelector('[data-testid=\"unlock-form\"]') && !document.querySelector('[data-testid=\"capture-count\"]');",
            vec![],
        )
        .await;
    }
    let col = |k: &str| {
        floats(&Value::Array(
            results.iter().map(|r| r[k].clone()).collect(),
        ))
    };
    println!();
    println!(
        "Review gallery of a {CAPTURES}-capture case, release build, Xvfb, {RUNS} runs, page clock (target: first page <= 1 s):"
    );
    println!();
    println!("| from \"Open case\" clicked to … | median | min | max |");
    println!("|---|---|---|---|");
    for (name, k) in [
        (
            "case open (passphrase checked, draft loaded; Review clicked at once)",
            "unlocked",
        ),
        ("**first page of 60 cards in the DOM**", "cards"),
        ("first page's thumbnails inside the window loaded", "thumbs"),
    ] {
        let v = col(k);
        println!(
            "| {name} | {:.0} ms | {:.0} ms | {:.0} ms |",
            median(&v),
            min(&v),
            max(&v)
        );
    }
    println!();
    println!("| from \"Next\" clicked to … | median | min | max |");
    println!("|---|---|---|---|");
    for (name, k) in [
        ("page 2's 60 cards in the DOM", "next"),
        ("page 2's thumbnails inside the window loaded", "nextThumbs"),
    ] {
        let v = col(k);
        println!(
            "| {name} | {:.0} ms | {:.0} ms | {:.0} ms |",
            median(&v),
            min(&v),
            max(&v)
        );
    }
    let first = median(&col("cards"));
    println!();
    println!(
        "first page median {first:.0} ms: target {}.",
        if first <= 1000.0 { "met" } else { "NOT met" }
    );
    ui.close().await;
    drop(driver);
    drop(xvfb);
}
