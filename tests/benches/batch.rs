//! A batch of 1,000 listings from a local server at concurrency 16, against a plain
//! reqwest loop (same concurrency, same server, same pages) that stores nothing.
//!
//! Pages are the real listing pages of `tests/fixtures/real-pages`, cycled. Each names
//! its main image on a marketplace CDN, which Exhibit fetches after the page; the
//! bench serves those pictures (an 800×800 JPEG each) from the same local server, the CDN
//! hosts resolved to it, so that no capture waits on a resolver that cannot answer. The
//! peer is timed twice: the page alone, and the page then its image.
//! Run: `cargo bench -p exhibit-e2e --bench batch`

mod common;

use std::time::{Duration, Instant};

use common::{PASS, median};
use exhibit::{BatchOptions, Case, Passphrase};
use exhibit_capture::{FetchOptions, ResolveOverride};
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
    let images = serve_main_images(&server, &listing_files);
    let mut total_page_bytes = 0usize;
    let urls: Vec<(String, Option<String>)> = (0..LISTINGS)
        .map(|i| {
            let n = i % listing_files.len();
            let bytes = std::fs::read(real_pages_dir().join(&listing_files[n])).expect("fixture");
            total_page_bytes += bytes.len();
            let path = format!("/listing/{i}");
            server.mount(&path, 200, Some("text/html"), bytes);
            (server.http_url(&path), images.urls[n].clone())
        })
        .collect();
    println!(
        "{LISTINGS} listings cycled from {} real listing pages, {:.1} MB in all, concurrency {CONCURRENCY}; \
         {} of them name a main image, served from {} CDN hosts resolved to the local server",
        listing_files.len(),
        total_page_bytes as f64 / 1e6,
        images.urls.iter().filter(|u| u.is_some()).count(),
        images.fetch.resolve.len(),
    );
    let page_urls: Vec<String> = urls.iter().map(|(u, _)| u.clone()).collect();

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
            fetch: images.fetch.clone(),
            ..BatchOptions::default()
        };
        let t = Instant::now();
        let summary = case
            .capture_urls(page_urls.clone(), options, |_| {})
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
    let mut client = reqwest::Client::builder().no_proxy();
    for r in &images.fetch.resolve {
        client = client.resolve(&r.host, std::net::SocketAddr::new(r.addr, r.port));
    }
    let client = client
        .tls_certs_merge(
            reqwest::Certificate::from_pem_bundle(server.ca_pem().as_bytes()).expect("ca"),
        )
        .build()
        .expect("client");
    let mut peer = Vec::new();
    let mut peer_images = Vec::new();
    for round in 0..ROUNDS {
        for with_image in [false, true] {
            let t = Instant::now();
            let fetched: usize = runtime.block_on(async {
                futures_util::stream::iter(urls.iter().cloned())
                    .map(|(page, image)| {
                        let client = client.clone();
                        async move {
                            let r = client.get(page).send().await.expect("send");
                            let mut n = r.bytes().await.expect("body").len();
                            if let Some(image) = image.filter(|_| with_image)
                                && let Ok(r) = client.get(image).send().await
                            {
                                n += r.bytes().await.map_or(0, |b| b.len());
                            }
                            n
                        }
                    })
                    .buffer_unordered(CONCURRENCY)
                    .fold(0usize, |n, _| async move { n + 1 })
                    .await
            });
            let took = t.elapsed();
            assert_eq!(fetched, LISTINGS);
            println!(
                "  reqwest round {round}{}: {:.0} fetches/s",
                if with_image { ", page and image" } else { "" },
                LISTINGS as f64 / took.as_secs_f64()
            );
            if with_image {
                peer_images.push(took);
            } else {
                peer.push(took);
            }
        }
    }
    let rate = |d: Duration| LISTINGS as f64 / d.as_secs_f64();
    let (o, p, pi) = (median(ours), median(peer), median(peer_images));
    println!("batch of {LISTINGS} at concurrency {CONCURRENCY}, median of {ROUNDS}:");
    println!(
        "  exhibit capture (fetch page + image, extract, hash, encrypt, commit each): {:.0} captures/s",
        rate(o)
    );
    println!(
        "  plain reqwest loop, page only, stores nothing:                            {:.0} fetches/s",
        rate(p)
    );
    println!(
        "  plain reqwest loop, page then its image, stores nothing:                  {:.0} fetches/s",
        rate(pi)
    );
    println!(
        "  ratio exhibit / reqwest (page only):                                      {:.3}",
        rate(o) / rate(p)
    );
    println!(
        "  ratio exhibit / reqwest (page and image):                                 {:.3}",
        rate(o) / rate(pi)
    );
}

/// The main images of the listing pages, served by the local server.
struct MainImages {
    /// For each listing file (same order), the URL of its main image, if it names one.
    urls: Vec<Option<String>>,
    /// Fetch options that send every image host to the local server and trust its CA.
    fetch: FetchOptions,
}

/// Mounts an 800×800 JPEG at the path of each page's main image (as
/// `crates/exhibit-extract/tests/main_images.json` records it) and resolves the
/// image hosts to the server's listener for their scheme.
fn serve_main_images(server: &TestServer, files: &[String]) -> MainImages {
    let known: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../crates/exhibit-extract/tests/main_images.json"),
        )
        .expect("main_images.json"),
    )
    .expect("main_images.json is JSON");
    let mut hosts = std::collections::BTreeMap::new();
    let urls = files
        .iter()
        .enumerate()
        .map(|(n, file)| {
            let url = known["pages"][file.as_str()]["main_image"].as_str()?;
            let parsed = reqwest::Url::parse(url).expect("image URL");
            let port = match parsed.scheme() {
                "http" => server.http_port(),
                _ => server.https_port(),
            };
            // A host named over both schemes (eBay's) goes to the HTTPS listener: the
            // one `http:` picture then fails for Exhibit and the peer alike.
            let host = parsed.host_str().expect("image host").to_owned();
            let was = hosts.insert(host, port);
            if was.is_some_and(|p| p != port) {
                hosts.insert(
                    parsed.host_str().expect("image host").to_owned(),
                    server.https_port(),
                );
            }
            let path = match parsed.query() {
                Some(q) => format!("{}?{q}", parsed.path()),
                None => parsed.path().to_owned(),
            };
            server.mount(&path, 200, Some("image/jpeg"), product_jpeg(n as u64));
            Some(url.to_owned())
        })
        .collect();
    let fetch = FetchOptions {
        resolve: hosts
            .into_iter()
            .map(|(host, port)| ResolveOverride {
                host,
                port,
                addr: std::net::Ipv4Addr::LOCALHOST.into(),
            })
            .collect(),
        extra_root_pems: vec![server.ca_pem().as_bytes().to_vec()],
        ..FetchOptions::default()
    };
    MainImages { urls, fetch }
}

/// A product photo's worth of JPEG: 800×800, a gradient with grain (about 100 KB).
fn product_jpeg(seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let picture = image::RgbImage::from_fn(800, 800, |i, j| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let grain = (x % 24) as u8;
        let t = ((i + j) * 255 / 1600) as u8;
        image::Rgb([
            t.saturating_add(grain),
            (255 - t).saturating_add(grain / 2),
            ((seed * 40) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&picture)
        .expect("jpeg");
    out
}
