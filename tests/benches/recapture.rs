//! Recapture of 1,000 reported listings over HTTP from a local server, against the same
//! URLs' first capture in the same run (same concurrency, same server, same pages).
//!
//! The pages are the real listing pages of the fixtures with numeric listing ids, each
//! copy given its own id so that 1,000 URLs are 1,000 listings.
//! Run: `cargo bench -p exhibit-e2e --bench recapture`

mod common;

use std::time::{Duration, Instant};

use common::{PASS, median};
use exhibit::{
    BatchOptions, BrowserSettings, Case, FilingRequest, Passphrase, RecaptureMode,
    RecaptureOptions, RecaptureSelection,
};
use exhibit_e2e::{TestServer, expected_pages, real_pages_dir};

const LISTINGS: usize = 1000;
const CONCURRENCY: usize = 16;
const ROUNDS: usize = 3;

fn main() {
    let server = TestServer::start();
    // Listing pages whose id is a number of 8 digits or more: a copy's id is the same
    // number with its last four digits replaced, which the page's own markup then names.
    let sources: Vec<(String, String)> = expected_pages()
        .iter()
        .filter(|p| p["page_kind"] == "listing")
        .filter_map(|p| {
            Some((
                p["file"].as_str()?.to_owned(),
                p["listing_id"].as_str()?.to_owned(),
            ))
        })
        .filter(|(_, id)| id.len() >= 8 && id.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let mut urls = Vec::new();
    for i in 0..LISTINGS {
        let (file, id) = &sources[i % sources.len()];
        let page = std::fs::read(real_pages_dir().join(file)).expect("fixture");
        let new_id = format!("{}{:04}", &id[..id.len() - 4], i);
        let page = String::from_utf8_lossy(&page).replace(id.as_str(), &new_id);
        let path = format!("/listing/{i}");
        server.mount(
            &path,
            200,
            Some("text/html; charset=utf-8"),
            page.into_bytes(),
        );
        urls.push(server.http_url(&path));
    }
    println!(
        "{LISTINGS} listings from {} real listing pages with numeric ids, concurrency {CONCURRENCY}",
        sources.len()
    );

    let (mut first, mut again) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().expect("tempdir");
        let case = Case::create(
            &dir.path().join("recapture.exhibit"),
            &Passphrase::new(PASS.into()),
            "Recapture bench",
            None,
        )
        .expect("create");
        let options = BatchOptions {
            concurrency: CONCURRENCY,
            ..BatchOptions::default()
        };
        let t = Instant::now();
        let summary = case
            .capture_urls(urls.clone(), options.clone(), |_| {})
            .expect("batch");
        let took_first = t.elapsed();
        assert_eq!(summary.ok, LISTINGS, "{summary:?}");
        let listings: Vec<i64> = case
            .listings()
            .expect("listings")
            .iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(listings.len(), LISTINGS, "every copy is its own listing");
        case.add_filing(&FilingRequest {
            venue: "alibaba-ipp".into(),
            reference: format!("BENCH-{round}"),
            filed: chrono::Utc::now().format("%Y-%m-%d").to_string(),
            listings,
            export: None,
        })
        .expect("filing");
        let t = Instant::now();
        let (s, results) = case
            .recapture(
                RecaptureOptions {
                    selection: RecaptureSelection::Reported,
                    mode: RecaptureMode::AsLast,
                    browser: BrowserSettings::default(),
                    batch: options,
                    browser_concurrency: 2,
                },
                |_| {},
                |_| {},
            )
            .expect("recapture");
        let took_again = t.elapsed();
        assert_eq!((s.live, results.len()), (LISTINGS, LISTINGS), "{s:?}");
        println!(
            "  round {round}: first capture {:.0}/s, recapture {:.0}/s",
            LISTINGS as f64 / took_first.as_secs_f64(),
            LISTINGS as f64 / took_again.as_secs_f64()
        );
        first.push(took_first);
        again.push(took_again);
    }
    let rate = |d: Duration| LISTINGS as f64 / d.as_secs_f64();
    let (f, a) = (median(first), median(again));
    println!("recapture of {LISTINGS} reported listings, median of {ROUNDS}:");
    println!(
        "  first capture of the same URLs:  {:.0} captures/s",
        rate(f)
    );
    println!(
        "  recapture (choose, take, judge): {:.0} captures/s",
        rate(a)
    );
    println!(
        "  ratio recapture / first capture: {:.2}",
        rate(a) / rate(f)
    );
}
