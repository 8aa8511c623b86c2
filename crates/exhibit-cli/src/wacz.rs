//! `exhibit export --wacz` and `exhibit import`: one facade call each, and their output.
//! Text from an imported file (URLs, titles, the software's name) is printed escaped.

use std::path::Path;

use exhibit::Case;

use crate::Failure;
use crate::print::{clean, json as print_json};

pub fn export(case: &Case, path: &Path, json: bool) -> Result<u8, Failure> {
    let report = case.export_wacz(path)?;
    // A capture left out is evidence missing from the archive: scripts must notice.
    let code = u8::from(!report.skipped.is_empty());
    if json {
        print_json(&report)?;
        return Ok(code);
    }
    for s in &report.skipped {
        println!("left out #{}: {}", s.capture_id, clean(&s.reason));
    }
    println!(
        "Wrote {} page{} ({} WARC records, {} bytes) to {}.",
        report.pages,
        if report.pages == 1 { "" } else { "s" },
        report.records,
        report.bytes,
        report.path.display()
    );
    println!("SHA-256 {}", report.sha256);
    println!(
        "Check it with `wacz validate -f {}`; the export is in the custody log.",
        report.path.display()
    );
    Ok(code)
}

pub fn import(case: &Case, path: &Path, json: bool) -> Result<u8, Failure> {
    let report = case.import_wacz(path)?;
    if json {
        print_json(&report)?;
        return Ok(0);
    }
    for c in &report.captures {
        let tail = match (&c.error, &c.title) {
            (Some(e), _) => format!(" — {}", clean(e)),
            (None, Some(t)) => format!(" — {}", clean(t)),
            _ => String::new(),
        };
        println!(
            "imported #{} {} {}{tail}",
            c.capture_id,
            c.status,
            clean(&c.url)
        );
    }
    println!(
        "Imported {} page{} from {} (written by {}; {} WARC records checked{}), SHA-256 {}.",
        report.captures.len(),
        if report.captures.len() == 1 { "" } else { "s" },
        path.display(),
        clean(report.software.as_deref().unwrap_or("unnamed software")),
        report.records_checked,
        if report.unverified_records > 0 {
            format!(
                ", {} without a digest of their own",
                report.unverified_records
            )
        } else {
            String::new()
        },
        report.sha256
    );
    match &report.signature {
        Some(s) => println!("The WACZ's signature verified: {}.", clean(&s.describe())),
        None => println!(
            "The WACZ is unsigned: its hashes held, but nothing vouches for who made it or when."
        ),
    }
    Ok(0)
}
