//! The campaign's commands: `listings`, `listing`, `sellers`, `filing add`, `filing
//! outcome`, `filings`, `recapture` and `stats`. One function a command; each opens the
//! case, makes one facade call and prints.

use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use exhibit::{
    BatchEvent, BatchOptions, BrowserSettings, Case, FilingRequest, FilingView, ListingHistory,
    ListingView, OutcomeRequest, RecaptureMode, RecaptureOptions, RecaptureSelection, SellerView,
    Stats,
};

use crate::passphrase::PassphraseSource;
use crate::print::{self, clean, truncate};
use crate::{Failure, Mode, NetArgs, TsaArgs, open};

/// `exhibit filing …`.
#[derive(Subcommand, Debug)]
pub enum FilingCommand {
    /// Record a complaint sent to a venue: its reference, the day, and its listings.
    Add {
        case: PathBuf,
        /// alibaba-ipp, amazon, ebay-vero, dmca, eu-dsa, ustr-notorious-markets or
        /// agency-letter.
        #[arg(long)]
        venue: String,
        /// The platform's own reference (IPP complaint id, Amazon case id, …).
        #[arg(long)]
        reference: String,
        /// The day it was sent: YYYY-MM-DD or an RFC 3339 time.
        #[arg(long, value_name = "DATE")]
        filed: String,
        /// The case's listing ids (`exhibit listings`), comma-separated.
        #[arg(
            long,
            value_name = "ID,…",
            value_delimiter = ',',
            required_unless_present = "export",
            conflicts_with = "export"
        )]
        listings: Vec<i64>,
        /// The manifest SHA-256 an `exhibit export` printed: the filing reported that
        /// export's listings.
        #[arg(long, value_name = "MANIFEST_SHA256")]
        export: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record an answer about one listing of a filing.
    Outcome {
        case: PathBuf,
        /// The filing's id (`exhibit filings`).
        filing: i64,
        /// The case's listing id.
        listing_id: i64,
        /// pending, removed, rejected, counter-noticed, reinstated, withdrawn or
        /// no-answer.
        #[arg(long)]
        outcome: String,
        /// The day of the answer: YYYY-MM-DD or an RFC 3339 time.
        #[arg(long, value_name = "DATE")]
        date: String,
        /// The reason given (the platform's for a rejection, the seller's for a
        /// counter-notice).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// The platform's answer (an email saved as .eml, a PDF, a screenshot): hashed
        /// and kept in the case.
        #[arg(long, value_name = "FILE")]
        attach: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

pub fn listings(case: &Case, json: bool) -> Result<u8, Failure> {
    let rows = case.listings()?;
    if json {
        print::json(&rows)?;
    } else {
        listing_table(&rows);
    }
    Ok(0)
}

fn listing_table(rows: &[ListingView]) {
    if rows.is_empty() {
        println!("No listings yet: a capture of a listing page adds one.");
        return;
    }
    println!(
        "{:>5}  {:<11} {:<18} {:<24} {:>4}  {:<8} {:<20} TITLE",
        "ID", "MARKETPLACE", "LISTING", "SELLER", "CAPS", "LAST", "LAST CAPTURED"
    );
    for r in rows {
        let seller = seller_text(r.seller_id.as_deref(), r.seller.as_deref());
        println!(
            "{:>5}  {:<11} {:<18} {:<24} {:>4}  {:<8} {:<20} {}",
            r.id,
            truncate(&r.marketplace, 11),
            truncate(&r.listing_id, 18),
            truncate(&seller, 24),
            r.captures,
            r.last_status,
            truncate(&r.last_captured_at, 20),
            truncate(r.title.as_deref().unwrap_or("-"), 60)
        );
    }
}

fn seller_text(id: Option<&str>, name: Option<&str>) -> String {
    match (id, name) {
        (Some(i), Some(n)) if i != n => format!("{n} ({i})"),
        (Some(i), _) => i.to_owned(),
        (None, Some(n)) => n.to_owned(),
        (None, None) => "-".to_owned(),
    }
}

/// `exhibit listing`'s arguments.
#[derive(clap::Args, Debug)]
pub struct ListingArgs {
    case: PathBuf,
    /// The case's listing id (`exhibit listings`).
    listing_id: i64,
    #[arg(long)]
    json: bool,
}

pub fn listing(args: ListingArgs, source: &PassphraseSource) -> Result<u8, Failure> {
    let ListingArgs {
        case,
        listing_id: id,
        json,
    } = args;
    let case = open(&case, source)?;
    let h = case.listing_history(id)?;
    if json {
        print::json(&h)?;
    } else {
        listing_history(&h);
    }
    Ok(0)
}

fn listing_history(h: &ListingHistory) {
    let l = &h.listing;
    println!(
        "Listing {} — {} {} ({} capture{})",
        l.id,
        clean(&l.marketplace),
        clean(&l.listing_id),
        l.captures,
        if l.captures == 1 { "" } else { "s" }
    );
    println!("  url      {}", clean(&l.url));
    println!(
        "  seller   {}",
        clean(&seller_text(l.seller_id.as_deref(), l.seller.as_deref()))
    );
    for c in &h.captures {
        let price = match (&c.price, &c.currency) {
            (Some(p), Some(cur)) => format!("{p} {cur}"),
            (Some(p), None) => p.clone(),
            _ => "-".into(),
        };
        println!(
            "  #{:<5} {}  {:<7} {:<8} {:<14} {}",
            c.capture_id,
            c.captured_at,
            c.mode,
            c.status,
            truncate(&price, 14),
            truncate(c.title.as_deref().unwrap_or("-"), 60)
        );
        for ch in &c.changed {
            println!(
                "           changed {}: {} → {}",
                ch.field,
                truncate(ch.from.as_deref().unwrap_or("-"), 50),
                truncate(ch.to.as_deref().unwrap_or("-"), 50)
            );
        }
    }
    for f in &h.filings {
        println!(
            "  filed {} with {} (filing {}, {}): {}",
            f.filed_on,
            f.venue,
            f.filing,
            clean(&f.reference),
            f.outcome
        );
    }
}

pub fn sellers(case: &Case, json: bool) -> Result<u8, Failure> {
    let rows = case.sellers()?;
    if json {
        print::json(&rows)?;
    } else {
        seller_table(&rows);
    }
    Ok(0)
}

fn seller_table(rows: &[SellerView]) {
    if rows.is_empty() {
        println!("No sellers yet: no captured page named one.");
        return;
    }
    println!(
        "{:<11} {:<22} {:<28} {:>8}  {:<24} {:<24}",
        "MARKETPLACE", "SELLER ID", "NAME", "LISTINGS", "FIRST SEEN", "LAST SEEN"
    );
    for s in rows {
        println!(
            "{:<11} {:<22} {:<28} {:>8}  {:<24} {:<24}",
            truncate(&s.marketplace, 11),
            truncate(s.seller_id.as_deref().unwrap_or("-"), 22),
            truncate(s.name.as_deref().unwrap_or("-"), 28),
            s.listings.len(),
            s.first_seen,
            s.last_seen
        );
    }
}

pub fn filing(command: FilingCommand, source: &PassphraseSource) -> Result<u8, Failure> {
    match command {
        FilingCommand::Add {
            case,
            venue,
            reference,
            filed,
            listings,
            export,
            json,
        } => {
            let case = open(&case, source)?;
            let f = case.add_filing(&FilingRequest {
                venue,
                reference,
                filed,
                listings,
                export,
            })?;
            if json {
                print::json(&f)?;
            } else {
                println!(
                    "Recorded filing {}: {} {} filed {}, {} listing{}.",
                    f.id,
                    f.venue,
                    clean(&f.reference),
                    f.filed_on,
                    f.listings.len(),
                    if f.listings.len() == 1 { "" } else { "s" }
                );
                deadlines(&f);
            }
            Ok(0)
        }
        FilingCommand::Outcome {
            case,
            filing,
            listing_id,
            outcome,
            date,
            reason,
            attach,
            json,
        } => {
            let case = open(&case, source)?;
            let f = case.record_outcome(&OutcomeRequest {
                filing,
                listing: listing_id,
                outcome,
                date,
                reason,
                attach,
            })?;
            if json {
                print::json(&f)?;
            } else if let Some(l) = f.listings.iter().find(|l| l.listing == listing_id) {
                let last = l.outcomes.last();
                println!(
                    "Recorded for listing {} of filing {}: {} on {}{}.",
                    listing_id,
                    f.id,
                    l.outcome,
                    last.map_or("-", |o| o.on_date.as_str()),
                    last.and_then(|o| o.attachment.as_deref())
                        .map(|a| format!(", answer kept as {}", clean(a)))
                        .unwrap_or_default()
                );
            }
            Ok(0)
        }
    }
}

fn deadlines(f: &FilingView) {
    for d in &f.deadlines {
        let state = if !d.open {
            "closed".to_owned()
        } else if d.days_left == 0 {
            "closes today".to_owned()
        } else {
            format!(
                "{} day{} left",
                d.days_left,
                if d.days_left == 1 { "" } else { "s" }
            )
        };
        println!("  {} window: until {} ({state})", d.what, d.closes_on);
    }
}

pub fn filings(case: &Case, json: bool) -> Result<u8, Failure> {
    let rows = case.filings()?;
    if json {
        print::json(&rows)?;
        return Ok(0);
    }
    if rows.is_empty() {
        println!("No filings yet. Record one with `exhibit filing add`.");
        return Ok(0);
    }
    for f in &rows {
        println!(
            "Filing {}: {} {} filed {}{}",
            f.id,
            f.venue,
            clean(&f.reference),
            f.filed_on,
            f.export_sha256
                .as_deref()
                .map(|s| format!(" (export {})", &s[..s.len().min(12)]))
                .unwrap_or_default()
        );
        deadlines(f);
        for l in &f.listings {
            let last = l.outcomes.last();
            println!(
                "  listing {:>5}  {:<11} {:<18} {:<16} {}{}",
                l.listing,
                truncate(l.marketplace.as_deref().unwrap_or("-"), 11),
                truncate(l.listing_id.as_deref().unwrap_or("-"), 18),
                l.outcome,
                last.map_or(String::new(), |o| format!("since {}", o.on_date)),
                last.and_then(|o| o.reason.as_deref())
                    .map(|r| format!(" — {}", truncate(r, 60)))
                    .unwrap_or_default()
            );
        }
    }
    Ok(0)
}

/// `exhibit recapture`'s arguments.
#[derive(clap::Args, Debug)]
pub struct RecaptureArgs {
    case: PathBuf,
    /// Only the listings of this filing.
    #[arg(long, conflicts_with_all = ["listings", "all"])]
    filing: Option<i64>,
    /// Only these listings (the case's ids), comma-separated.
    #[arg(
        long,
        value_name = "ID,…",
        value_delimiter = ',',
        conflicts_with = "all"
    )]
    listings: Vec<i64>,
    /// Every listing of the case, reported or not.
    #[arg(long)]
    all: bool,
    /// Take every listing in this mode [default: the mode of its last capture].
    #[arg(long, value_enum)]
    mode: Option<Mode>,
    /// Captures in flight at once [default: 2 in browser mode, 8 in http mode].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: Option<u16>,
    /// The Chrome or Chromium to run in browser mode (default: found on PATH).
    #[arg(long, value_name = "PATH")]
    browser: Option<PathBuf>,
    /// Time limit for each capture, in seconds.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    #[command(flatten)]
    net: NetArgs,
    #[command(flatten)]
    tsa: TsaArgs,
    #[arg(long)]
    json: bool,
}

pub fn recapture(a: RecaptureArgs, source: &PassphraseSource) -> Result<u8, Failure> {
    let tsa = a.tsa.prepare()?;
    let selection = if let Some(f) = a.filing {
        RecaptureSelection::Filing(f)
    } else if !a.listings.is_empty() {
        RecaptureSelection::Listings(a.listings)
    } else if a.all {
        RecaptureSelection::All
    } else {
        RecaptureSelection::Reported
    };
    let mut batch = BatchOptions {
        concurrency: usize::from(a.concurrency.unwrap_or(8)),
        tsa,
        ..BatchOptions::default()
    };
    batch.fetch.timeout = Duration::from_secs(a.timeout);
    a.net.apply(&mut batch.fetch)?;
    let case = open(&a.case, source)?;
    let json = a.json;
    let (summary, results) = case.recapture(
        RecaptureOptions {
            selection,
            mode: match a.mode {
                None => RecaptureMode::AsLast,
                Some(Mode::Http) => RecaptureMode::Http,
                Some(Mode::Browser) => RecaptureMode::Browser,
            },
            browser: BrowserSettings {
                executable: a.browser,
                visible: false,
            },
            batch,
            browser_concurrency: usize::from(a.concurrency.unwrap_or(2)),
        },
        // Each capture as it is committed, so what was said survives a kill.
        |event: &BatchEvent| {
            if let BatchEvent::Finished(o) = event
                && !json
            {
                println!("{}", print::outcome_line(o));
            }
        },
        |r| {
            if !json {
                println!(
                    "listing {:>5} {} #{}: {}",
                    r.listing,
                    r.result,
                    r.capture_id.map_or_else(|| "-".into(), |c| c.to_string()),
                    clean(&r.message)
                );
            }
        },
    )?;
    if json {
        print::json(&results)?;
    } else {
        println!(
            "{} recaptured in {:.1} s: {} live, {} removed, {} blocked, {} failed{}.",
            summary.total,
            summary.elapsed_ms as f64 / 1000.0,
            summary.live,
            summary.removed,
            summary.blocked,
            summary.failed,
            if summary.live_though_said_removed > 0 {
                format!(
                    "; {} STILL LIVE although the platform said removed",
                    summary.live_though_said_removed
                )
            } else {
                String::new()
            }
        );
    }
    Ok(if summary.failed == 0 && summary.cancelled == 0 {
        0
    } else {
        1
    })
}

/// `exhibit stats`'s arguments.
#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    case: PathBuf,
    /// Count only filings made on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn stats(args: StatsArgs, source: &PassphraseSource) -> Result<u8, Failure> {
    let StatsArgs { case, since, json } = args;
    let case = open(&case, source)?;
    let s = case.stats(since.as_deref())?;
    if json {
        print::json(&s)?;
    } else {
        stats_text(&s);
    }
    Ok(0)
}

fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "-".into(), |r| format!("{:.1} %", r * 100.0))
}

fn stats_text(s: &Stats) {
    let c = &s.counts;
    match &s.since {
        Some(d) => println!("Filings made on or after {d} (today {}):", s.today),
        None => println!("Every filing (today {}):", s.today),
    }
    println!("  reported          {}", c.reported);
    println!(
        "  removed           {} ({} on the platform's word alone)",
        c.removed, c.removed_by_word_only
    );
    if c.removed_but_live > 0 {
        println!(
            "  STILL LIVE        {} the platform said were removed",
            c.removed_but_live
        );
    }
    println!("  rejected          {}", c.rejected);
    println!(
        "  counter-noticed   {} ({} kept the listing up)",
        c.counter_noticed, c.counter_notice_succeeded
    );
    println!("  reinstated        {}", c.reinstated);
    println!("  pending           {}", c.pending);
    println!("  takedown rate     {}", pct(c.takedown_rate));
    println!(
        "  median days to removal  {}",
        s.median_days_to_removal
            .map_or_else(|| "-".into(), |d| format!("{d:.1}"))
    );
    println!(
        "  stay-down rate    {} (of {} removed at least {} days ago)",
        pct(s.stay_down_rate),
        s.stay_down_eligible,
        s.stay_down_days
    );
    println!(
        "  relisted          {} (relisting rate {})",
        s.relisted,
        pct(s.relisting_rate)
    );
    if let Some(g) = &s.good_faith {
        println!(
            "  Alibaba good faith, {} to {}: takedown rate {} (needs at least 90 %), successful counter-notices {} (at most 5 %): {}",
            g.from,
            g.to,
            pct(g.takedown_rate),
            pct(g.counter_notice_success_rate),
            if g.meets {
                "meets both"
            } else {
                "does not meet both"
            }
        );
    }
    for (title, map) in [
        ("venue", &s.by_venue),
        ("marketplace", &s.by_marketplace),
        ("seller", &s.by_seller),
    ] {
        if map.is_empty() {
            continue;
        }
        println!("  by {title}:");
        for (k, v) in map {
            println!(
                "    {:<30} reported {:>4}  removed {:>4}  rejected {:>4}  counter-noticed {:>4}  takedown {}",
                truncate(k, 30),
                v.reported,
                v.removed,
                v.rejected,
                v.counter_noticed,
                pct(v.takedown_rate)
            );
        }
    }
    if !s.repeat_sellers.is_empty() {
        println!("  repeat sellers:");
        for r in &s.repeat_sellers {
            println!(
                "    {:<30} {:<11} {} listings reported, {} relisted",
                truncate(&r.seller, 30),
                r.marketplace,
                r.reported_listings,
                r.relisted
            );
        }
    }
}

/// `ORIGINAL:RELISTING`, two of the case's listing ids.
fn pair(s: &str) -> Result<(i64, i64), Failure> {
    s.split_once(':')
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
        .ok_or_else(|| {
            crate::usage(format!(
                "--confirm and --dismiss take two listing ids as ORIGINAL:RELISTING (such as 3:17), not '{s}'."
            ))
        })
}

/// `exhibit relisted`'s arguments.
#[derive(clap::Args, Debug)]
pub struct RelistedArgs {
    case: PathBuf,
    /// Largest Hamming distance, of 64 bits, at which two main images count as the
    /// same photo [default: 10].
    #[arg(long, value_name = "BITS")]
    threshold: Option<u32>,
    /// Confirm that RELISTING is ORIGINAL back under a new link (the case's listing
    /// ids); repeatable.
    #[arg(long, value_name = "ORIGINAL:RELISTING")]
    confirm: Vec<String>,
    /// Dismiss a suggestion; repeatable.
    #[arg(long, value_name = "ORIGINAL:RELISTING")]
    dismiss: Vec<String>,
    #[arg(long)]
    json: bool,
}

pub fn relisted(args: RelistedArgs, source: &PassphraseSource) -> Result<u8, Failure> {
    let RelistedArgs {
        case,
        threshold,
        confirm,
        dismiss,
        json,
    } = args;
    let case = open(&case, source)?;
    let threshold = threshold.unwrap_or(exhibit::DEFAULT_IMAGE_THRESHOLD);
    let decisions: Vec<((i64, i64), bool)> = confirm
        .iter()
        .map(|p| pair(p).map(|p| (p, true)))
        .chain(dismiss.iter().map(|p| pair(p).map(|p| (p, false))))
        .collect::<Result<_, _>>()?;
    for ((original, relisting), confirmed) in &decisions {
        let c = case.decide_relisting(*original, *relisting, *confirmed, threshold)?;
        if !json {
            println!(
                "{} listing {} as a relisting of listing {}.",
                if *confirmed { "Confirmed" } else { "Dismissed" },
                c.relisting,
                c.original
            );
        }
    }
    let found = case.relistings(threshold)?;
    if json {
        print::json(&found)?;
        return Ok(0);
    }
    if found.candidates.is_empty() {
        println!(
            "No relisting suggested: no listing first seen after a removal shares a seller, main image (within {threshold} bits) or title with a removed one."
        );
        return Ok(0);
    }
    for c in &found.candidates {
        println!(
            "{:<10} listing {} ({} {}, removed {}) ← listing {} ({}, first seen {})",
            c.state,
            c.original,
            clean(&c.marketplace),
            clean(&c.original_listing_id),
            c.removed_on,
            c.relisting,
            clean(&c.relisting_listing_id),
            c.first_seen
        );
        for r in &c.reasons {
            let why = match r {
                exhibit::Reason::SameSellerId { seller_id } => {
                    format!("same seller id {}", clean(seller_id))
                }
                exhibit::Reason::SameSellerName { seller } => {
                    format!("same seller name {}", clean(seller))
                }
                exhibit::Reason::SameImage {
                    original_capture,
                    candidate_capture,
                    distance,
                    algorithm,
                } => format!(
                    "same main image: capture #{original_capture} and #{candidate_capture} are {distance} bits apart ({algorithm})"
                ),
                exhibit::Reason::SameTitle { title } => {
                    format!("same title \"{}\"", truncate(title, 60))
                }
            };
            println!("             {why}");
        }
    }
    println!(
        "{} suggestion{}, {} confirmed. Confirm with --confirm ORIGINAL:RELISTING, or --dismiss.",
        found.candidates.len(),
        if found.candidates.len() == 1 { "" } else { "s" },
        found.confirmed
    );
    Ok(0)
}
