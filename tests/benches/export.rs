//! Exporting an Alibaba IPP complaint over N listings, each a browser capture with a
//! 1280 × 4000 screenshot and the page's text, for N = 10, 100 and 1,000: time, peak
//! memory and PDF bytes per listing of the release `exhibit export`, against a peer in
//! the same run: Chromium printing to PDF one HTML page of the same content (each
//! listing's facts, the same screenshot PNG as an `<img>`, the same text).
//!
//! The screenshots are real: Chromium draws four listing pages (a header, a gallery and
//! description photos with grain, a specification table, paragraphs and reviews in
//! Chinese and English) and screenshots each at 1280 × 4000; every listing gets one of
//! the four with a text chunk of its own, so no two screenshots have the same bytes.
//! Cases are seeded through the store, which stores what a capture stores.
//!
//! Memory: for Exhibit, the peak resident set of the `exhibit export` process
//! (`/usr/bin/time`'s maximum RSS); for Chromium, the sum over all its processes of PSS
//! (shared pages counted once), sampled every 50 ms, with the RSS sum beside it.
//!
//! Run: `cargo bench -p exhibit-e2e --bench export`

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{PASS, median};
use exhibit_e2e::cli::exhibit_bin;
use exhibit_e2e::pictures::with_note;

const SIZES: [usize; 3] = [10, 100, 1000];
const VARIANTS: u64 = 4;
const TIME: &str = "2026-11-28T12:00:00Z";
/// Chromium gets this long per run before it counts as failed.
const PEER_LIMIT: Duration = Duration::from_secs(240);

/// Runs of each size: medians of three where a run takes seconds.
fn rounds(n: usize) -> usize {
    if n <= 10 { 3 } else { 1 }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chromium = exhibit_browser::find_browser(None).expect("chromium");
    let pages: Vec<Page> = (0..VARIANTS)
        .map(|v| Page::new(v, &chromium, dir.path()))
        .collect();
    for p in &pages {
        println!(
            "screenshot variant {}: {} bytes of PNG, {} bytes of text, printed ahead in {} ms \
             to {} bytes of JPEG (done at capture)",
            p.seed,
            p.png.len(),
            p.text.len(),
            p.print_time.as_millis(),
            p.printed.len()
        );
    }
    let bin = exhibit_bin();
    let complaint = complaint(dir.path());
    let mut table = Vec::new();
    // `EXPORT_BENCH_SIZES=10,100` runs only those sizes.
    let sizes: Vec<usize> = std::env::var("EXPORT_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| SIZES.to_vec());
    for n in sizes {
        let case = seed_case(dir.path(), n, &pages);
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        let mut pdf_bytes = 0u64;
        let mut bundle_bytes = 0u64;
        let mut pdf_pages = 0u64;
        for round in 0..rounds(n) {
            let out = dir.path().join(format!("out-{n}-{round}"));
            let (t, peak_kib, report) = export(&bin, &case, &complaint, &out);
            times.push(t);
            peaks.push(peak_kib);
            pdf_bytes = file_size(&report["packet"]);
            bundle_bytes = file_size(&report["bundle"]);
            pdf_pages = report["pages"].as_u64().unwrap_or(0);
            if round + 1 < rounds(n) {
                let _ = std::fs::remove_dir_all(&out);
            }
        }
        let t = median(times);
        let peak = peaks.iter().copied().max().unwrap_or(0);
        println!(
            "exhibit export, {n} listings (median of {}): {:.2} s, peak RSS {:.0} MiB, packet {pdf_pages} pages {:.1} MB = {:.0} KB a listing, bundle {:.1} MB",
            rounds(n),
            t.as_secs_f64(),
            peak as f64 / 1024.0,
            pdf_bytes as f64 / 1e6,
            pdf_bytes as f64 / 1e3 / n as f64,
            bundle_bytes as f64 / 1e6,
        );

        // `EXPORT_BENCH_NO_PEER=1` leaves Chromium out (for profiling runs).
        if std::env::var_os("EXPORT_BENCH_NO_PEER").is_some() {
            continue;
        }
        let html = peer_html(dir.path(), n, &pages);
        let mut peer_times = Vec::new();
        let mut peer_peak = (0u64, 0u64);
        let mut peer_size = None;
        for round in 0..rounds(n) {
            let pdf = dir.path().join(format!("peer-{n}-{round}.pdf"));
            match print_to_pdf(&chromium, &html, &pdf, dir.path()) {
                Some((t, pss, rss)) => {
                    peer_times.push(t);
                    peer_peak = (peer_peak.0.max(pss), peer_peak.1.max(rss));
                    peer_size = std::fs::metadata(&pdf).ok().map(|m| m.len());
                }
                None => println!("  chromium did not print {n} listings"),
            }
            let _ = std::fs::remove_file(&pdf);
        }
        let peer_t = (!peer_times.is_empty()).then(|| median(peer_times));
        if let (Some(pt), Some(ps)) = (peer_t, peer_size) {
            println!(
                "chromium --print-to-pdf, {n} listings: {:.2} s, peak PSS {:.0} MiB (RSS sum {:.0} MiB), {:.1} MB = {:.0} KB a listing",
                pt.as_secs_f64(),
                peer_peak.0 as f64 / 1024.0,
                peer_peak.1 as f64 / 1024.0,
                ps as f64 / 1e6,
                ps as f64 / 1e3 / n as f64,
            );
            println!(
                "  ratio exhibit / chromium: time {:.2}, size {:.2}, memory {:.2} (RSS / PSS)",
                t.as_secs_f64() / pt.as_secs_f64(),
                pdf_bytes as f64 / ps as f64,
                peak as f64 / peer_peak.0.max(1) as f64,
            );
        }
        table.push((n, t, peak, pdf_bytes, peer_t, peer_peak, peer_size));
        let _ = std::fs::remove_file(&case);
    }
    println!();
    println!(
        "| listings | exhibit time | exhibit peak RSS | exhibit KB/listing | chromium time | chromium peak PSS (RSS sum) | chromium KB/listing | time ratio | size ratio | memory ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (n, t, peak, bytes, pt, pp, ps) in table {
        let peer = match (pt, ps) {
            (Some(pt), Some(ps)) => format!(
                "{:.1} s | {:.0} MiB ({:.0} MiB) | {:.0} | {:.2} | {:.3} | {:.2}",
                pt.as_secs_f64(),
                pp.0 as f64 / 1024.0,
                pp.1 as f64 / 1024.0,
                ps as f64 / 1e3 / n as f64,
                t.as_secs_f64() / pt.as_secs_f64(),
                bytes as f64 / ps as f64,
                peak as f64 / pp.0.max(1) as f64
            ),
            _ => "failed | | | | | ".to_string(),
        };
        println!(
            "| {n} | {:.1} s | {:.0} MiB | {:.0} | {peer} |",
            t.as_secs_f64(),
            peak as f64 / 1024.0,
            bytes as f64 / 1e3 / n as f64,
        );
    }
}

/// One listing page: its screenshot and its visible text.
struct Page {
    seed: u64,
    png: Vec<u8>,
    text: String,
    /// The screenshot as a browser capture prints it ahead (`screenshot-print`), and
    /// how long that took: the work an export no longer does, done once at capture.
    printed: Vec<u8>,
    print_time: Duration,
}

impl Page {
    fn new(seed: u64, chromium: &Path, dir: &Path) -> Page {
        let (html, text) = listing_html(seed);
        let file = dir.join(format!("listing-{seed}.html"));
        std::fs::write(&file, html).expect("listing page");
        let shot = dir.join(format!("listing-{seed}.png"));
        let out = Command::new(chromium)
            .args(chromium_flags(&dir.join(format!("profile-shot-{seed}"))))
            .arg("--hide-scrollbars")
            .arg("--window-size=1280,4000")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", file.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("chromium screenshot");
        assert!(out.success(), "chromium could not take the screenshot");
        let png = std::fs::read(&shot).expect("screenshot");
        let t = Instant::now();
        let printed = exhibit_pdf::print_picture(&png).expect("the screenshot prints");
        Page {
            seed,
            png,
            text,
            printed: printed.jpeg,
            print_time: t.elapsed(),
        }
    }
}

fn chromium_flags(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// xorshift64: the same pages on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// An English sentence of `n` words.
    fn sent(&mut self, n: usize) -> String {
        const WORDS: &[&str] = &[
            "lantern",
            "camping",
            "outdoor",
            "LED",
            "rechargeable",
            "waterproof",
            "portable",
            "light",
            "battery",
            "hours",
            "brightness",
            "lumens",
            "warm",
            "white",
            "tent",
            "hiking",
            "emergency",
            "original",
            "genuine",
            "brand",
            "new",
            "stock",
            "shipping",
            "free",
            "returns",
            "seller",
            "rating",
            "reviews",
            "quality",
            "model",
            "size",
            "colour",
        ];
        let s: Vec<&str> = (0..n)
            .map(|_| WORDS[self.below(WORDS.len() as u64) as usize])
            .collect();
        format!("{}.", s.join(" "))
    }

    /// A Chinese sentence of `n` characters.
    fn csent(&mut self, n: usize) -> String {
        let s: String = (0..n).map(|_| self.cjk()).collect();
        format!("{s}。")
    }

    fn cjk(&mut self) -> char {
        const CJK: &str = "露营灯户外照明充电防水便携式电池小时亮度流明暖白帐篷徒步应急正品全新现货包邮退货卖家评分评价质量产品型号尺寸颜色黑绿橙";
        let n = CJK.chars().count() as u64;
        CJK.chars().nth(self.below(n) as usize).unwrap_or('灯')
    }
}

/// A listing page like a marketplace's, and the text a capture would read off it.
fn listing_html(seed: u64) -> (String, String) {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut text = Vec::new();
    let mut html = String::from(
        r#"<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;font-family:"Noto Sans CJK SC",sans-serif;color:#222;background:#fff}header{background:#ff5000;color:#fff;padding:14px 40px;font-size:22px}nav{background:#f5f5f5;padding:8px 40px;font-size:13px;color:#666}.wrap{display:flex;padding:20px 40px;gap:30px}.gal{width:520px}.gal canvas{display:block;margin-bottom:8px}.info{flex:1}h1{font-size:22px;margin:0 0 10px}.price{color:#ff5000;font-size:34px;margin:10px 0}table{border-collapse:collapse;font-size:13px;width:100%}td{border:1px solid #e5e5e5;padding:6px}.desc{padding:10px 40px;font-size:14px;line-height:1.6}.rev{border-bottom:1px solid #eee;padding:10px 0}.btn{display:inline-block;background:#ff5000;color:#fff;padding:10px 30px;border-radius:4px;margin:6px}</style></head><body>"#,
    );
    let head = r.csent(12);
    html += &format!(
        "<header>淘宝网 Taobao &nbsp; <span style=\"font-size:14px\">{head}</span></header>"
    );
    let nav = format!("{} &gt; {} &gt; {}", r.csent(4), r.csent(5), r.csent(6));
    html += &format!("<nav>{nav}</nav>");
    html +=
        r#"<div class="wrap"><div class="gal"><canvas id="c0" width="520" height="520"></canvas>"#;
    for i in 1..5 {
        html += &format!(
            r#"<canvas id="c{i}" width="100" height="100" style="display:inline-block;margin-right:5px"></canvas>"#
        );
    }
    html += r#"</div><div class="info">"#;
    let title = format!("ACME {} {}", r.csent(14), r.sent(8));
    let price = format!("¥ {}.{:02}", 20 + r.below(180), r.below(100));
    let blurb = format!("{} {}", r.csent(30), r.sent(20));
    html += &format!(
        "<h1>{title}</h1><div class=\"price\">{price}</div><p style=\"font-size:13px;color:#666\">{blurb}</p><table>"
    );
    text.extend([head, title, price, blurb]);
    for _ in 0..10 {
        let row = [r.csent(3), r.sent(3), r.csent(4), r.sent(2)];
        html += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            row[0], row[1], row[2], row[3]
        );
        text.push(row.join(" "));
    }
    html += r#"</table><div><span class="btn">立即购买 Buy now</span><span class="btn" style="background:#ffb400">加入购物车 Add to cart</span></div></div></div>"#;
    html += &format!("<div class=\"desc\"><h2>{} Description</h2>", r.csent(4));
    for i in 0..8 {
        let p = format!("{} {} {}", r.csent(60), r.sent(40), r.csent(40));
        html += &format!("<p>{p}</p>");
        text.push(p);
        if i % 3 == 1 {
            html += &format!(r#"<canvas id="d{i}" width="1200" height="380"></canvas>"#);
        }
    }
    html += &format!("<h2>{} Reviews</h2>", r.csent(4));
    for _ in 0..14 {
        let review = format!("{} {}", r.csent(50), r.sent(25));
        let (who, star, day) = (r.cjk(), 1 + r.below(9), 1 + r.below(28));
        html += &format!(
            "<div class=\"rev\"><b>{who}***{star}</b> ★★★★☆ <span style=\"color:#999\">2026-11-{day:02}</span><br>{review}</div>"
        );
        text.push(review);
    }
    html += "</div><script>";
    html += r#"function paint(id, seed){const c=document.getElementById(id); if(!c) return; const g=c.getContext("2d"); let s=seed; const rnd=()=>{s=(s*1103515245+12345)&0x7fffffff; return s/0x7fffffff};
const w=c.width,h=c.height; const gr=g.createLinearGradient(0,0,w,h); gr.addColorStop(0,`hsl(${rnd()*360},50%,70%)`); gr.addColorStop(1,`hsl(${rnd()*360},40%,30%)`); g.fillStyle=gr; g.fillRect(0,0,w,h);
for(let i=0;i<40;i++){g.fillStyle=`hsla(${rnd()*360},60%,${30+rnd()*50}%,0.5)`; g.beginPath(); g.arc(rnd()*w,rnd()*h,rnd()*w/5,0,7); g.fill();}
const im=g.getImageData(0,0,w,h); const d=im.data; for(let i=0;i<d.length;i+=4){const n=(rnd()-0.5)*10; d[i]+=n; d[i+1]+=n; d[i+2]+=n;} g.putImageData(im,0,0);}
"#;
    for i in 0..5 {
        html += &format!("paint(\"c{i}\",{});", seed * 10 + i);
    }
    for i in 0..8 {
        html += &format!("paint(\"d{i}\",{});", seed * 10 + i + 5);
    }
    html += "</script></body></html>";
    (html, text.join("\n"))
}

/// One listing's capture record, as a browser capture of a Taobao page records it.
fn record(i: usize) -> exhibit_domain::CaptureRecord {
    let secs = i % 60;
    let mins = (i / 60) % 60;
    let at = format!("2026-11-01T08:{mins:02}:{secs:02}.000Z");
    let id = 700_000_000_000u64 + i as u64;
    serde_json::from_value(serde_json::json!({
        "mode": "browser",
        "requested_url": format!("https://item.taobao.com/item.htm?id={id}"),
        "final_url": null,
        "redirects": [],
        "http_version": "HTTP/1.1",
        "http_status": 200,
        "headers": [],
        "remote_addr": "127.0.0.1:443",
        "tls": null,
        "started_at": at,
        "finished_at": at,
        "status": "ok",
        "error": null,
        "notes": [],
        "facts": {
            "marketplace": "taobao",
            "page_kind": "listing",
            "listing_id": id.to_string(),
            "title": format!("ACME 露营灯 户外照明 #{i}"),
            "price": "59.00",
            "currency": "CNY",
            "seller": format!("店铺 {} Store", i % 97),
            "canonical_url": null,
            "charset": "utf-8"
        },
        "collector": {"name": "Bench", "organization": null, "role": null, "contact": null},
        "environment": exhibit_domain::Environment::default(),
    }))
    .expect("a capture record")
}

/// The screenshot listing `i` stores: its page's PNG with a note of its own.
fn screenshot(i: usize, pages: &[Page]) -> Vec<u8> {
    with_note(&pages[i % pages.len()].png, &format!("listing {i}"))
}

fn seed_case(dir: &Path, n: usize, pages: &[Page]) -> PathBuf {
    let path = dir.join(format!("case-{n}.exhibit"));
    let pass = exhibit::Passphrase::new(PASS.into());
    let t = Instant::now();
    drop(
        exhibit::Case::create(&path, &pass, &format!("Export bench, {n} listings"), None)
            .expect("create"),
    );
    let mut store = exhibit_store::Store::open(&path, &pass).expect("open");
    for i in 0..n {
        let page = &pages[i % pages.len()];
        store
            .add_capture(
                &record(i),
                &[
                    exhibit::NewArtifact::new("screenshot", "image/png", screenshot(i, pages)),
                    // As a browser capture stores it: the note changes the PNG's bytes,
                    // not its pixels, so the page's print is this listing's print.
                    exhibit::NewArtifact::new(
                        "screenshot-print",
                        "image/jpeg",
                        page.printed.clone(),
                    ),
                    exhibit::NewArtifact::new(
                        "text",
                        "text/plain; charset=utf-8",
                        page.text.clone().into_bytes(),
                    ),
                ],
            )
            .expect("add capture");
    }
    drop(store);
    println!(
        "seeded {n} listings in {:.1} s ({:.0} MB case)",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&path).map_or(0, |m| m.len()) as f64 / 1e6
    );
    path
}

/// The example Alibaba IPP complaint (every ok capture, counterfeits of one trademark).
fn complaint(dir: &Path) -> PathBuf {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let out = dir.join("complaint");
    std::fs::create_dir_all(out.join("certificates")).expect("mkdir");
    for entry in std::fs::read_dir(examples.join("certificates")).expect("certificates") {
        let entry = entry.expect("entry");
        std::fs::copy(
            entry.path(),
            out.join("certificates").join(entry.file_name()),
        )
        .expect("copy certificate");
    }
    let path = out.join("alibaba-ipp.toml");
    std::fs::copy(examples.join("alibaba-ipp.toml"), &path).expect("copy complaint");
    path
}

/// One `exhibit export` under `/usr/bin/time`: wall time, peak RSS in KiB, its report.
fn export(
    bin: &Path,
    case: &Path,
    complaint: &Path,
    out: &Path,
) -> (Duration, u64, serde_json::Value) {
    let rss_file = out.with_extension("rss");
    let t = Instant::now();
    let mut command = Command::new("/usr/bin/time");
    command.arg("-f").arg("%M").arg("-o").arg(&rss_file);
    // `EXPORT_BENCH_PERF=DIR` records each export with `perf record -g` into DIR, to see
    // where the time goes (`perf report -i DIR/…`); the times are then perf's too.
    if let Some(dir) = std::env::var_os("EXPORT_BENCH_PERF") {
        let name = out
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        command
            .args(["perf", "record", "-F", "499", "-g", "-o"])
            .arg(Path::new(&dir).join(name).with_extension("perf"))
            .arg("--");
    }
    let run = command
        .arg(bin)
        .args(["export"])
        .arg(case)
        .arg("--complaint")
        .arg(complaint)
        .arg("--out")
        .arg(out)
        .args(["--time", TIME, "--json"])
        .env("EXHIBIT_PASSPHRASE", PASS)
        .stdin(Stdio::null())
        .output()
        .expect("run exhibit export");
    let elapsed = t.elapsed();
    assert!(
        run.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let peak = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last().and_then(|l| l.trim().parse().ok()))
        .unwrap_or(0);
    let report = serde_json::from_slice(&run.stdout).expect("export report");
    (elapsed, peak, report)
}

fn file_size(path: &serde_json::Value) -> u64 {
    path.as_str()
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len())
}

/// The peer's input: one HTML page with, for each listing, a sheet of its facts, its
/// screenshot (the same PNG, as a file) and its text, each starting a new page.
fn peer_html(dir: &Path, n: usize, pages: &[Page]) -> PathBuf {
    let shots = dir.join(format!("peer-shots-{n}"));
    std::fs::create_dir_all(&shots).expect("mkdir");
    let mut html = String::from(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Evidence packet</title><style>
body{font-family:"Noto Sans CJK SC",sans-serif;font-size:10.5pt} .ex{break-before:page}
table{border-collapse:collapse;width:100%;font-size:9pt} td{border:1px solid #999;padding:3px;word-break:break-all}
img{width:100%} .text{white-space:pre-wrap;break-before:page}</style></head><body>
<h1>Evidence packet</h1><h2>Summary of listings</h2><table>"#,
    );
    for i in 0..n {
        let r = record(i);
        html += &format!(
            "<tr><td>Exhibit {}</td><td>taobao</td><td>{}</td><td>{}</td><td>59.00 CNY</td><td>{}</td><td>ok</td></tr>",
            i + 1,
            r.facts.listing_id.unwrap_or_default(),
            r.facts.seller.unwrap_or_default(),
            r.started_at
        );
    }
    html += "</table>";
    for i in 0..n {
        let png = screenshot(i, pages);
        let file = shots.join(format!("exhibit-{:04}.png", i + 1));
        std::fs::write(&file, &png).expect("screenshot file");
        let r = record(i);
        let sha = sha256_hex(&png);
        let text = &pages[i % pages.len()].text;
        html += &format!(
            r#"<div class="ex"><h2>Exhibit {n1}: {title}</h2><table>
<tr><td>Capture</td><td>#{n1}</td></tr><tr><td>Requested URL</td><td>{url}</td></tr>
<tr><td>Status</td><td>ok (live listing)</td></tr><tr><td>Marketplace</td><td>taobao</td></tr>
<tr><td>Listing id</td><td>{id}</td></tr><tr><td>Seller</td><td>{seller}</td></tr>
<tr><td>Price</td><td>59.00 CNY</td></tr><tr><td>Captured (UTC)</td><td>{at}</td></tr>
<tr><td>screenshot SHA-256</td><td>{sha}</td></tr><tr><td>text SHA-256</td><td>{tsha}</td></tr></table>
<h3 style="break-before:page">Exhibit {n1}: screenshot</h3><img src="file://{img}">
<p>Full-page screenshot of {url}. The original PNG is in the bundle.</p>
<div class="text"><h3>Exhibit {n1}: text of the page</h3>{text}</div></div>"#,
            n1 = i + 1,
            title = r.facts.title.unwrap_or_default(),
            url = r.requested_url,
            id = r.facts.listing_id.unwrap_or_default(),
            seller = r.facts.seller.unwrap_or_default(),
            at = r.started_at,
            tsha = sha256_hex(text.as_bytes()),
            img = file.display(),
        );
    }
    html += "</body></html>";
    let path = dir.join(format!("peer-{n}.html"));
    std::fs::write(&path, html).expect("peer page");
    path
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Chromium prints `html` to `pdf`: wall time and peak memory (PSS and RSS sums, KiB)
/// over every process of its own profile, or `None` if it failed or ran out of time.
fn print_to_pdf(
    chromium: &Path,
    html: &Path,
    pdf: &Path,
    dir: &Path,
) -> Option<(Duration, u64, u64)> {
    let profile = dir.join(format!("profile-{}", pdf.file_stem()?.to_string_lossy()));
    let needle = profile.to_string_lossy().into_owned();
    let t = Instant::now();
    let mut child = Command::new(chromium)
        .args(chromium_flags(&profile))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let (mut peak_pss, mut peak_rss) = (0u64, 0u64);
    let status = loop {
        if let Some(status) = child.try_wait().ok()? {
            break status;
        }
        if t.elapsed() > PEER_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        let (mut pss, mut rss) = memory_of(child.id()).unwrap_or_default();
        for pid in processes_mentioning(&needle) {
            if pid == child.id() {
                continue;
            }
            let (p, r) = memory_of(pid).unwrap_or_default();
            pss += p;
            rss += r;
        }
        peak_pss = peak_pss.max(pss);
        peak_rss = peak_rss.max(rss);
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = t.elapsed();
    let _ = std::fs::remove_dir_all(&profile);
    (status.success() && pdf.exists()).then_some((elapsed, peak_pss, peak_rss))
}

/// `(pss_kib, rss_kib)` of one process, if it still exists.
fn memory_of(pid: u32) -> Option<(u64, u64)> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        rollup.lines().find_map(|l| {
            l.strip_prefix(name)
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
    };
    Some((field("Pss:")?, field("Rss:")?))
}

/// Every process whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle))
        })
        .collect()
}
