//! Time `extract` over the real-pages fixtures (or `$EXHIBIT_REAL_PAGES`).
//!
//! `cargo run --release -p exhibit-extract --example bench_pages -- [--repeat N] [--listing-only] [--dump]`
//!
//! Prints the median total time of one pass over the `listing` pages and over
//! all pages, and the median time per page. `--dump` prints each page's
//! extraction as a JSON line instead (several URL/status variants and cut-off
//! copies of each page), for comparing two builds.

use exhibit_extract::{Page, extract};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Instant;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let mut repeat = 10usize;
    let mut dump = false;
    let mut listing_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => {
                repeat = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--repeat needs a number");
            }
            "--dump" => dump = true,
            "--listing-only" => listing_only = true,
            other => panic!("unknown argument {other}"),
        }
    }
    let dir = std::env::var_os("EXHIBIT_REAL_PAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/real-pages")
        });
    let expected: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json"),
    )
    .expect("parse expected.json");
    let pages: Vec<(String, bool, Vec<u8>)> = expected
        .iter()
        .map(|e| {
            let file = e["file"].as_str().expect("file").to_owned();
            let listing = e["page_kind"] == "listing";
            let body = std::fs::read(dir.join(&file)).expect("read page");
            (file, listing, body)
        })
        .filter(|(_, listing, _)| *listing || !listing_only)
        .collect();

    if dump {
        for (file, _, body) in &pages {
            let urls = [
                format!("http://127.0.0.1:8000/{file}"),
                "https://www.amazon.com/dp/B00N150YS4".to_owned(),
                "https://item.taobao.com/item.htm?id=562283240178".to_owned(),
            ];
            let cuts = [body.len(), body.len() / 3, body.len() * 2 / 3];
            for (ui, url) in urls.iter().enumerate() {
                let url = url::Url::parse(url).expect("url");
                for status in [Some(200), None, Some(403)] {
                    for (ci, &cut) in cuts.iter().enumerate() {
                        if ci > 0 && (ui > 0 || status != Some(200)) {
                            continue;
                        }
                        let page = Page {
                            url: &url,
                            http_status: status,
                            content_type: Some("text/html"),
                            body: body.get(..cut).unwrap_or(body),
                        };
                        let ex = extract(&page);
                        println!(
                            "{file}\t{url}\t{status:?}\t{cut}\t{}",
                            serde_json::to_string(&ex).expect("serialise")
                        );
                    }
                }
            }
        }
        return;
    }

    let mut listing_totals = Vec::new();
    let mut all_totals = Vec::new();
    let mut per_page: Vec<Vec<f64>> = vec![Vec::new(); pages.len()];
    for _ in 0..repeat {
        let (mut listing_ms, mut all_ms) = (0.0, 0.0);
        for (i, (file, listing, body)) in pages.iter().enumerate() {
            let url = url::Url::parse(&format!("http://127.0.0.1:8000/{file}")).expect("url");
            let page = Page {
                url: &url,
                http_status: Some(200),
                content_type: Some("text/html"),
                body,
            };
            let start = Instant::now();
            let ex = extract(&page);
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(ex);
            all_ms += ms;
            if *listing {
                listing_ms += ms;
            }
            if let Some(v) = per_page.get_mut(i) {
                v.push(ms);
            }
        }
        listing_totals.push(listing_ms);
        all_totals.push(all_ms);
    }
    for ((file, listing, body), times) in pages.iter().zip(per_page.iter_mut()) {
        println!(
            "{:>8.2} ms  {:>9} B  {}  {file}",
            median(times),
            body.len(),
            if *listing { "L" } else { " " }
        );
    }
    let n_listing = pages.iter().filter(|p| p.1).count();
    println!(
        "median of {repeat}: {n_listing} listing pages {:.1} ms, all {} pages {:.1} ms",
        median(&mut listing_totals),
        pages.len(),
        median(&mut all_totals)
    );
}
