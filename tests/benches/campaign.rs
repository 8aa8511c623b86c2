//! `stats` and `relisted` on a case of 10,000 listings with 30,000 captures and 10,000
//! main-image hashes, after the key is derived; and `relisted` against a brute-force
//! comparison of every removed listing with every other listing, in the same run.
//!
//! The case is built through the store (no network): 1,000 sellers of 10 listings each,
//! three captures a listing a week apart, 3,000 listings removed at their third capture,
//! 300 of them back under a new id with the same photo (two bits flipped), ten filings
//! of 300 listings with an answer each.
//! Run: `cargo bench -p exhibit-e2e --bench campaign`

mod common;

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use common::{PASS, median, ms};
use exhibit::{Case, Passphrase};
use exhibit_domain::{CaptureRecord, CaptureStatus, Collector, Environment, ListingFacts};
use exhibit_store::{NewFiling, NewOutcome, Store};

const LISTINGS: usize = 10_000;
const CAPTURES_EACH: usize = 3;
const REMOVED: usize = 3_000;
const RELISTED: usize = 300;
const ROUNDS: usize = 5;

fn day(n: usize) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
        + chrono::Days::new(n as u64);
    format!("{}T10:00:00.000Z", d.format("%Y-%m-%d"))
}

fn record(listing: usize, k: usize, removed: bool) -> CaptureRecord {
    let first_day = listing / 100;
    CaptureRecord {
        mode: "http".into(),
        requested_url: format!(
            "https://item.taobao.com/item.htm?id={}",
            600_000_000_000usize + listing
        ),
        final_url: None,
        redirects: vec![],
        http_version: Some("HTTP/1.1".into()),
        http_status: Some(if removed { 404 } else { 200 }),
        headers: vec![],
        remote_addr: None,
        tls: None,
        started_at: day(first_day + 7 * k),
        finished_at: day(first_day + 7 * k),
        status: if removed {
            CaptureStatus::Removed
        } else {
            CaptureStatus::Ok
        },
        error: None,
        notes: vec![],
        facts: ListingFacts {
            marketplace: Some("taobao".into()),
            page_kind: Some(if removed { "removed" } else { "listing" }.into()),
            listing_id: Some((600_000_000_000usize + listing).to_string()),
            title: (!removed)
                .then(|| format!("ACME brass camping lantern model {}", listing % 5000)),
            price: (!removed).then(|| format!("{}.00", 50 + listing % 90)),
            currency: (!removed).then(|| "CNY".into()),
            seller: (!removed).then(|| format!("Shop {}", listing % 1000)),
            seller_id: (!removed).then(|| format!("{}", 100_000 + listing % 1000)),
            main_image: None,
            canonical_url: None,
            charset: Some("UTF-8".into()),
            ..ListingFacts::default()
        },
        collector: Collector::default(),
        environment: Environment::default(),
        browser: None,
        archive: None,
        context: None,
    }
}

/// A 64-bit pseudo-random hash for listing `n`.
fn hash(n: u64) -> u64 {
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

fn build(path: &std::path::Path) {
    let mut store =
        Store::create(path, &Passphrase::new(PASS.into()), "Campaign bench").expect("create");
    let t = Instant::now();
    let mut first_capture = Vec::with_capacity(LISTINGS);
    for n in 0..LISTINGS {
        for k in 0..CAPTURES_EACH {
            let removed = n < REMOVED && k == CAPTURES_EACH - 1;
            let id = store.add_capture(&record(n, k, removed), &[]).expect("add");
            if k == 0 {
                first_capture.push(id);
            }
        }
    }
    // One main image a listing; the relistings (the last RELISTED listings) carry the
    // photo of a removed listing with two bits flipped.
    for (n, capture) in first_capture.iter().enumerate() {
        let h = if n >= LISTINGS - RELISTED {
            hash((n - (LISTINGS - RELISTED)) as u64) ^ 0b101
        } else {
            hash(n as u64)
        };
        store
            .add_image_hash(*capture, "dhash-64", &format!("{h:016x}"))
            .expect("hash");
    }
    let listings: Vec<i64> = store
        .listings()
        .expect("listings")
        .iter()
        .map(|l| l.id)
        .collect();
    for f in 0..10 {
        let chunk: Vec<(i64, Option<i64>)> = listings[f * 300..(f + 1) * 300]
            .iter()
            .map(|l| (*l, None))
            .collect();
        let filing = store
            .add_filing(&NewFiling {
                venue: "alibaba-ipp",
                reference: &format!("IPP-{f}"),
                filed_on: "2026-01-20",
                export_sha256: None,
                listings: &chunk,
            })
            .expect("filing");
        for (i, (l, _)) in chunk.iter().enumerate() {
            store
                .add_outcome(&NewOutcome {
                    filing,
                    listing: *l,
                    outcome: if i % 10 == 0 { "rejected" } else { "removed" },
                    on_date: "2026-01-25",
                    reason: None,
                    attachment: None,
                })
                .expect("outcome");
        }
    }
    println!(
        "built {LISTINGS} listings, {} captures, {LISTINGS} image hashes, 10 filings of 300 in {:.0} s",
        LISTINGS * CAPTURES_EACH,
        t.elapsed().as_secs_f64()
    );
}

/// Every removed listing against every other listing, with the same rules as
/// `relisted`: same marketplace, first seen after the removal, and the same seller id,
/// the same title or main images within 10 bits.
fn brute_force(path: &std::path::Path) -> (Duration, usize) {
    let t = Instant::now();
    let store = Store::open(path, &Passphrase::new(PASS.into())).expect("open");
    let derive = t.elapsed();
    let t = Instant::now();
    let rows = store.timeline(None).expect("timeline");
    let hashes = store.image_hashes("dhash-64").expect("hashes");
    #[derive(Default)]
    struct F {
        first: String,
        removed: Option<String>,
        sellers: BTreeSet<String>,
        titles: BTreeSet<String>,
        images: Vec<u64>,
    }
    let mut facts: HashMap<i64, F> = HashMap::new();
    for r in &rows {
        let Some(l) = r.listing else { continue };
        let f = facts.entry(l).or_default();
        if f.first.is_empty() {
            f.first = r.finished_at.clone();
        }
        if r.status == "removed" && f.removed.is_none() {
            f.removed = Some(r.finished_at.clone());
        }
        f.sellers.extend(r.seller_id.clone());
        f.titles
            .extend(r.title.as_deref().map(exhibit::normalise_title));
    }
    // The platform's word counts too, from the start of the day it was given.
    for filing in store.filings().expect("filings") {
        for l in &filing.listings {
            for o in l.outcomes.iter().filter(|o| o.outcome == "removed") {
                let said = format!("{}T00:00:00.000Z", o.on_date);
                if let Some(f) = facts.get_mut(&l.listing) {
                    f.removed = Some(match f.removed.take() {
                        Some(c) if c < said => c,
                        _ => said,
                    });
                }
            }
        }
    }
    for (_, l, h) in hashes {
        if let (Some(f), Ok(h)) = (facts.get_mut(&l), u64::from_str_radix(&h, 16)) {
            f.images.push(h);
        }
    }
    let all: Vec<&F> = facts.values().collect();
    let mut found = 0;
    for o in &all {
        let Some(removed) = &o.removed else { continue };
        for c in &all {
            if std::ptr::eq(*o, *c) || c.first < *removed {
                continue;
            }
            let seller = o.sellers.intersection(&c.sellers).next().is_some();
            let title = o.titles.intersection(&c.titles).next().is_some();
            let image = o
                .images
                .iter()
                .any(|a| c.images.iter().any(|b| (a ^ b).count_ones() <= 10));
            if seller || title || image {
                found += 1;
            }
        }
    }
    let _ = derive;
    (t.elapsed(), found)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("campaign.exhibit");
    build(&path);

    let t = Instant::now();
    let case = Case::open(&path, &Passphrase::new(PASS.into())).expect("open");
    println!("  key derived and case opened in {:.0} ms", ms(t.elapsed()));
    let (mut stats, mut relisted) = (Vec::new(), Vec::new());
    let mut candidates = 0;
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let s = case.stats(None).expect("stats");
        stats.push(t.elapsed());
        assert_eq!(s.counts.reported, 3000);
        let t = Instant::now();
        let r = case.relistings(10).expect("relisted");
        relisted.push(t.elapsed());
        candidates = r.candidates.len();
    }
    drop(case);
    let mut brute = Vec::new();
    let mut brute_found = 0;
    for _ in 0..3 {
        let (d, n) = brute_force(&path);
        brute.push(d);
        brute_found = n;
    }
    assert_eq!(candidates, brute_found, "both find the same pairs");
    let (s, r, b) = (median(stats), median(relisted), median(brute));
    println!(
        "{LISTINGS} listings, {} captures, {LISTINGS} images; after the key is derived:",
        LISTINGS * CAPTURES_EACH
    );
    println!(
        "  stats, median of {ROUNDS}:                        {:.0} ms",
        ms(s)
    );
    println!(
        "  relisted, median of {ROUNDS} ({candidates} candidates):   {:.0} ms",
        ms(r)
    );
    println!(
        "  brute force, every removed × every listing, median of 3: {:.0} ms",
        ms(b)
    );
    println!(
        "  ratio brute force / relisted:                     {:.1}",
        ms(b) / ms(r)
    );
}
