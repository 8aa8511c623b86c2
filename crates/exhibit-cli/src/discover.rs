//! `exhibit discover` and `exhibit capture --discovered-from`: the listings a captured
//! store or search page links to, and a batch that captures those the case lacks.

use exhibit::{BatchOptions, Case, Discovery};

use std::path::PathBuf;

use crate::passphrase::PassphraseSource;
use crate::print::{self, clean};
use crate::{Failure, open, run_batch};

/// `exhibit discover`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct DiscoverArgs {
    case: PathBuf,
    /// The capture of the store or search page (`exhibit list`).
    capture_id: i64,
    #[arg(long)]
    json: bool,
}

/// `exhibit discover CASE CAPTURE_ID [--json]`.
pub(crate) fn discover(args: DiscoverArgs, source: &PassphraseSource) -> Result<u8, Failure> {
    let DiscoverArgs {
        case,
        capture_id,
        json,
    } = args;
    let case = open(&case, source)?;
    let found = case.discover(capture_id)?;
    if json {
        print::json(&found)?;
        return Ok(0);
    }
    println!("{}", headline(&found));
    for l in &found.listings {
        let held = match l.case_listing {
            Some(id) => format!("in case (listing {id})"),
            None => "new".to_owned(),
        };
        println!(
            "  {:<12} {:<20} {:<22} {}",
            clean(&l.marketplace),
            clean(&l.listing_id),
            held,
            clean(&l.url)
        );
    }
    for note in &found.notes {
        println!("Note: {note}");
    }
    let new = found.listings.len() - found.in_case;
    if new > 0 {
        println!("`exhibit capture CASE --discovered-from {capture_id}` captures the {new} new.");
    }
    Ok(0)
}

/// `exhibit capture CASE --discovered-from CAPTURE_ID [...]`.
pub(crate) fn capture(case: &Case, capture_id: i64, options: BatchOptions) -> Result<u8, Failure> {
    let found = case.discover(capture_id)?;
    println!("{}", headline(&found));
    for note in &found.notes {
        println!("Note: {note}");
    }
    let new = found.new_listings().count();
    if new == 0 {
        println!("Nothing to capture: the case holds every listing the page links to.");
        return Ok(0);
    }
    run_batch(new, |progress| {
        case.capture_discovered(&found, options, progress)
    })
}

fn headline(found: &Discovery) -> String {
    let n = found.listings.len();
    format!(
        "Capture {} is a {} page{}: it links to {n} listing{}, {} already in the case.",
        found.capture_id,
        clean(&found.page_kind),
        found
            .marketplace
            .as_deref()
            .map(|m| format!(" on {}", clean(m)))
            .unwrap_or_default(),
        if n == 1 { "" } else { "s" },
        found.in_case
    )
}
