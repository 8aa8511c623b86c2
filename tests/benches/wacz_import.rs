//! Importing a crawl's WACZ of many gigabytes with the release `exhibit import`: wall
//! time, MB/s and the peak resident memory of the process, at two sizes ten times apart,
//! to show that memory stays flat while the file grows. The peer in the same run is
//! `sha256sum` of the same file: reading it once and hashing it, the least any import
//! that checks the file can do (Exhibit reads it more than once: its SHA-256 before and
//! after the check, every entry and record checked, then each page's records again).
//!
//! The WACZ is written by the project's own `WaczWriter`, as a crawl is laid out (a
//! stored `archive/data.warc.gz` of one gzip member per record, a CDXJ index, pages,
//! `datapackage.json` and its digest): N listing pages of 190 kB each, an HTML head
//! with a title and a price, then base64-alphabet text that gzip shrinks by a quarter, each page a
//! `request` and a `response` record. Each import goes into a new case, made with
//! `exhibit init` before the clock starts.
//!
//! Memory: the peak resident set of the `exhibit import` process (`/usr/bin/time`'s
//! maximum RSS, which is the kernel's VmHWM).
//!
//! Run: `cargo bench -p exhibit-e2e --bench wacz_import`. `WACZ_IMPORT_PAGES=1400,14000`
//! (the default: about 0.2 and 2 GB) picks the sizes in pages; `WACZ_IMPORT_ROUNDS=3` the runs of each. The files are made
//! in a temporary folder (`TMPDIR`) and removed after; the large size needs about 5 GB
//! free there (the WACZ and the case it imports into).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use common::{PASS, median};
use exhibit_e2e::cli::exhibit_bin;
use exhibit_warc::{Exchange, PageCapture, WaczMeta, WaczWriter};

const BODY: usize = 190_000;

fn main() {
    let sizes: Vec<usize> = std::env::var("WACZ_IMPORT_PAGES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_400, 14_000]);
    let rounds: usize = std::env::var("WACZ_IMPORT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let bin = exhibit_bin();
    let mut rows = Vec::new();
    for &pages in &sizes {
        let dir = tempfile::tempdir().expect("tempdir");
        let wacz = dir.path().join(format!("crawl-{pages}.wacz"));
        let t = Instant::now();
        write_crawl(&wacz, pages);
        let bytes = std::fs::metadata(&wacz).expect("wacz").len();
        println!(
            "{pages} pages: wrote {:.0} MB of WACZ in {:.1} s",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        let mut peer = Vec::new();
        for round in 0..rounds {
            let case = dir.path().join(format!("import-{round}.exhibit"));
            run(
                &bin,
                &[
                    "init",
                    case.to_str().expect("path"),
                    "--title",
                    "Import bench",
                ],
            );
            let (took, peak, report) = import(&bin, &case, &wacz, dir.path());
            assert_eq!(report["pages"], pages, "{report}");
            let captures = report["captures"].as_array().map_or(0, Vec::len);
            assert_eq!(captures, pages, "every page became a capture");
            println!(
                "  round {round}: {:.1} s, {:.0} MB/s, peak RSS {:.1} MiB, {} records checked",
                took.as_secs_f64(),
                bytes as f64 / 1e6 / took.as_secs_f64(),
                peak as f64 / 1024.0,
                report["records_checked"]
            );
            times.push(took);
            peaks.push(peak);
            let _ = std::fs::remove_file(&case);
            peer.push(sha256sum(&wacz));
        }
        peaks.sort_unstable();
        let (t, p, s) = (median(times), peaks[peaks.len() / 2], median(peer));
        rows.push((pages, bytes, t, p, s));
        drop(dir);
    }

    println!("\nexhibit import of a WACZ written by WaczWriter, median of {rounds}:");
    println!("| pages | WACZ | import | MB/s | peak RSS | sha256sum of the file (peer) |");
    println!("|---|---|---|---|---|---|");
    for (pages, bytes, t, peak, s) in &rows {
        println!(
            "| {pages} | {:.0} MB | {:.1} s | {:.0} | {:.1} MiB | {:.1} s ({:.0} MB/s) |",
            *bytes as f64 / 1e6,
            t.as_secs_f64(),
            *bytes as f64 / 1e6 / t.as_secs_f64(),
            *peak as f64 / 1024.0,
            s.as_secs_f64(),
            *bytes as f64 / 1e6 / s.as_secs_f64()
        );
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last())
        && rows.len() > 1
    {
        println!(
            "file {:.1}× larger; peak memory {:.2}×; time {:.1}×",
            last.1 as f64 / first.1 as f64,
            last.3 as f64 / first.3 as f64,
            last.2.as_secs_f64() / first.2.as_secs_f64()
        );
    }
}

/// A listing page's body: an HTML head a marketplace page would have, then `BODY` bytes
/// of base64-alphabet text that gzip shrinks by a quarter at most.
fn body(i: usize) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Bench listing {i}</title>\
         <meta property=\"og:title\" content=\"Bench listing {i}\">\
         <meta property=\"product:price:amount\" content=\"{}.99\">\
         <meta property=\"product:price:currency\" content=\"USD\"></head><body>\
         <h1>Bench listing {i}</h1><div class=\"description\"><!--",
        10 + i % 90
    )
    .into_bytes();
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while out.len() < BODY {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend(
            x.to_le_bytes()
                .iter()
                .map(|b| ALPHABET[usize::from(b & 63)]),
        );
    }
    out.extend_from_slice(b"--></div></body></html>");
    out
}

fn write_crawl(path: &Path, pages: usize) {
    let ts = |i: usize| {
        Utc.timestamp_opt(1_780_000_000 + i as i64, 0)
            .single()
            .expect("time")
    };
    let mut writer = WaczWriter::create(
        path,
        WaczMeta {
            title: format!("Bench crawl of {pages} listings"),
            description: None,
            software: "exhibit-e2e wacz_import bench".to_owned(),
            created: ts(0),
        },
    )
    .expect("create wacz");
    for i in 0..pages {
        let url = format!("https://shop.example.com/item/{i}.html");
        writer
            .add_page(PageCapture {
                id: format!("page-{i}"),
                url: url.clone(),
                title: Some(format!("Bench listing {i}")),
                ts: ts(i),
                exchanges: vec![Exchange {
                    date: ts(i),
                    method: "GET".to_owned(),
                    url,
                    request_headers: vec![("User-Agent".to_owned(), "BenchCrawler/1.0".to_owned())],
                    http_version: "HTTP/1.1".to_owned(),
                    status: 200,
                    reason: "OK".to_owned(),
                    response_headers: vec![(
                        "Content-Type".to_owned(),
                        "text/html; charset=utf-8".to_owned(),
                    )],
                    body: body(i),
                    remote_addr: None,
                }],
                resources: Vec::new(),
            })
            .expect("add page");
    }
    writer.finish().expect("finish wacz");
}

fn run(bin: &Path, args: &[&str]) {
    let out = Command::new(bin)
        .args(args)
        .env("EXHIBIT_PASSPHRASE", PASS)
        .stdin(Stdio::null())
        .output()
        .expect("run exhibit");
    assert!(out.status.success(), "{args:?}: {out:?}");
}

/// One `exhibit import` under `/usr/bin/time`: wall time, peak RSS in KiB, its report.
fn import(bin: &Path, case: &Path, wacz: &Path, dir: &Path) -> (Duration, u64, serde_json::Value) {
    let rss_file = dir.join("import.rss");
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&rss_file)
        .arg(bin)
        .arg("import")
        .arg(case)
        .arg(wacz)
        .arg("--json")
        .env("EXHIBIT_PASSPHRASE", PASS)
        .stdin(Stdio::null())
        .output()
        .expect("run exhibit import");
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last().and_then(|l| l.trim().parse().ok()))
        .unwrap_or(0);
    (
        took,
        peak,
        serde_json::from_slice(&out.stdout).expect("report"),
    )
}

fn sha256sum(path: &Path) -> Duration {
    let t = Instant::now();
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    assert!(out.status.success());
    t.elapsed()
}
