//! A batch of 1,000 listings from a local server at concurrency 16, against a plain
//! reqwest loop (same concurrency, same server, same pages) that stores nothing.
//!
//! Pages are the real listing pages of `tests/fixtures/real-pages`, cycled.
//! Run: `cargo bench -p exhibit-e2e --bench batch`

mod common;

use std::time::{Duration, Instant};

use common::{PASS, median};
use exhibit::{BatchOptions, Case, Passphrase};
use exhibit_e2e::{TestServer, expected_pages, real_pages_dir};
use futures_util::StreamExt;

const LISTINGS: usize = 1000;
const CONCURRENCY: usize = 16;
const ROUNDS: usize = 3;

fn main() {
    let server = TestServer::start();
    let listing_files: Vec<String> = expected_pages()
        .iter()
        .filter(|p| p["page_kind"] == "listing")
        .filter_map(|p| p["file"].as_str().map(str::to_owned))
        .collect();
    let mut total_page_bytes = 0usize;
    let urls: Vec<String> = (0..LISTINGS)
        .map(|i| {
            let file = &listing_files[i % listing_files.len()];
            let bytes = std::fs::read(real_pages_dir().join(file)).expect("fixture");
            total_page_bytes += bytes.len();
            let path = format!("/listing/{i}");
            server.mount(&path, 200, Some("text/html"), bytes);
            server.http_url(&path)
        })
        .collect();
    println!(
        "{LISTINGS} listings cycled from {} real listing pages, {:.1} MB in all, concurrency {CONCURRENCY}",
        listing_files.len(),
        total_page_bytes as f64 / 1e6
    );

    let mut ours = Vec::new();
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().expect("tempdir");
        let case = Case::create(
            &dir.path().join("batch.exhibit"),
            &Passphrase::new(PASS.into()),
            "Batch bench",
            None,
        )
        .expect("create");
        let options = BatchOptions {
            concurrency: CONCURRENCY,
            ..BatchOptions::default()
        };
        let t = Instant::now();
        let summary = case
            .capture_urls(urls.clone(), options, |_| {})
            .expect("batch");
        let took = t.elapsed();
        assert_eq!(summary.ok, LISTINGS, "{summary:?}");
        println!(
            "  exhibit round {round}: {:.0} captures/s",
            LISTINGS as f64 / took.as_secs_f64()
        );
        ours.push(took);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let mut peer = Vec::new();
    for round in 0..ROUNDS {
        let t = Instant::now();
        let fetched: usize = runtime.block_on(async {
            futures_util::stream::iter(urls.iter().cloned())
                .map(|u| {
                    let client = client.clone();
                    async move {
                        let r = client.get(u).send().await.expect("send");
                        r.bytes().await.expect("body").len()
                    }
                })
                .buffer_unordered(CONCURRENCY)
                .fold(0usize, |n, _| async move { n + 1 })
                .await
        });
        let took = t.elapsed();
        assert_eq!(fetched, LISTINGS);
        println!(
            "  reqwest round {round}: {:.0} fetches/s",
            LISTINGS as f64 / took.as_secs_f64()
        );
        peer.push(took);
    }
    let rate = |d: Duration| LISTINGS as f64 / d.as_secs_f64();
    let (o, p) = (median(ours), median(peer));
    println!("batch of {LISTINGS} at concurrency {CONCURRENCY}, median of {ROUNDS}:");
    println!(
        "  exhibit capture (fetch + extract + hash + encrypt + commit each): {:.0} captures/s",
        rate(o)
    );
    println!(
        "  plain reqwest loop, stores nothing:                              {:.0} fetches/s",
        rate(p)
    );
    println!(
        "  ratio exhibit / reqwest:                                         {:.2}",
        rate(o) / rate(p)
    );
}
