//! Human-readable and JSON output. Captured text is printed with control characters
//! escaped, so a hostile page title cannot drive the terminal.

use exhibit::{
    BundleCheck, CaptureDetail, CaptureOutcome, CaptureView, ComplaintCheck, CustodyEvent,
    ExportReport, Severity, VerifyReport,
};
use serde::Serialize;

use crate::Failure;

/// Replaces control characters (escape sequences included) with visible escapes.
pub fn clean(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

pub fn truncate(s: &str, n: usize) -> String {
    let s = clean(s);
    if s.chars().count() > n {
        format!(
            "{}…",
            s.chars().take(n.saturating_sub(1)).collect::<String>()
        )
    } else {
        s
    }
}

pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
        code: 1,
        message: format!("Could not write JSON: {e}"),
    })?;
    println!("{text}");
    Ok(())
}

/// One line per finished capture: `captured #ID STATUS URL[ — title or reason]`.
/// One capture's trusted time, for `capture` and `timestamp`.
pub fn trusted_time_line(id: i64, t: &exhibit::TrustedTime) -> String {
    match t {
        exhibit::TrustedTime::Stamped {
            gen_time,
            tsa_name,
            serial,
            delay_ms,
        } => format!(
            "  #{id} trusted time {gen_time} from {} (serial {serial}, {:.1} s after the capture)",
            clean(tsa_name),
            *delay_ms as f64 / 1000.0
        ),
        exhibit::TrustedTime::Missing { reason } => {
            format!("  #{id} no trusted time: {}", clean(reason))
        }
    }
}

pub fn outcome_line(o: &CaptureOutcome) -> String {
    let id = o
        .capture_id
        .map_or_else(|| "-".to_owned(), |i| format!("#{i}"));
    let tail = match (&o.error, &o.title) {
        (Some(e), _) => format!(" — {}", clean(e)),
        (None, Some(t)) => format!(" — {}", truncate(t, 80)),
        _ => String::new(),
    };
    let verb = if o.capture_id.is_some() {
        "captured"
    } else {
        "unsaved"
    };
    let mut line = format!("{verb} {id} {} {}{tail}", o.status, clean(&o.url));
    if let (Some(t), Some(cid)) = (&o.trusted_time, o.capture_id) {
        line.push('\n');
        line.push_str(&trusted_time_line(cid, t));
    }
    line
}

/// The capture list as `exhibit list` prints it, one line each, ending in a newline.
pub fn capture_table(views: &[CaptureView]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if views.is_empty() {
        out.push_str("No captures yet. Add some with `exhibit capture CASE URL...`.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{:>5}  {:<8} {:>4}  {:<12} {:<18} {:<40} URL",
        "ID", "STATUS", "HTTP", "MARKETPLACE", "LISTING", "TITLE"
    );
    for v in views {
        let _ = writeln!(
            out,
            "{:>5}  {:<8} {:>4}  {:<12} {:<18} {:<40} {}",
            v.id,
            v.status.as_str(),
            v.http_status.map_or_else(|| "-".into(), |s| s.to_string()),
            truncate(v.marketplace.as_deref().unwrap_or("-"), 12),
            truncate(v.listing_id.as_deref().unwrap_or("-"), 18),
            truncate(v.title.as_deref().unwrap_or("-"), 40),
            clean(&v.requested_url)
        );
    }
    out
}

/// The line under a page of `exhibit list --limit/--offset`: which captures it showed
/// of how many, and how to ask for the next page.
pub fn page_footer(offset: u64, shown: u64, total: u64) -> String {
    if total == 0 {
        // The table already said there are none.
        return String::new();
    }
    if shown == 0 {
        return format!("No captures after the first {offset} (the case holds {total}).\n");
    }
    let last = offset + shown;
    let next = if last < total {
        format!("; --offset {last} for the next page")
    } else {
        String::new()
    };
    format!(
        "Captures {} to {last} of {total}, oldest first{next}.\n",
        offset + 1
    )
}

pub fn capture_detail(d: &CaptureDetail) {
    let s = &d.summary;
    let opt = |o: &Option<String>| o.as_deref().map(clean).unwrap_or_else(|| "-".into());
    println!("Capture {} ({} mode)", s.id, s.mode);
    println!("  status        {}", s.status);
    if let Some(e) = &s.error {
        println!("  why           {}", clean(e));
    }
    println!("  requested     {}", clean(&s.requested_url));
    for r in &s.redirects {
        println!("  redirect      {} → {}", r.status, clean(&r.location));
    }
    println!("  final         {}", opt(&s.final_url));
    println!(
        "  http          {} {}",
        opt(&d.http_version),
        s.http_status.map_or_else(|| "-".into(), |x| x.to_string())
    );
    println!("  remote        {}", opt(&s.remote_addr));
    if let Some(t) = &d.tls {
        println!(
            "  tls cert      sha256 {}",
            t.peer_certificate_sha256
                .map_or_else(|| "-".into(), |h| h.to_hex())
        );
    }
    println!("  started       {}", s.started_at);
    println!("  finished      {}", s.finished_at);
    println!("  marketplace   {}", opt(&s.marketplace));
    println!("  page kind     {}", opt(&s.page_kind));
    println!("  listing id    {}", opt(&s.listing_id));
    println!("  title         {}", opt(&s.title));
    println!("  price         {} {}", opt(&s.price), opt(&s.currency));
    println!("  seller        {}", opt(&s.seller));
    for line in store_lines(d).into_iter().chain(checkout_lines(d)) {
        println!("  {line}");
    }
    println!("  canonical     {}", opt(&d.canonical_url));
    println!("  charset       {}", opt(&d.charset));
    println!("  collector     {}", clean(&d.collector.name));
    println!(
        "  tool          {} {}",
        d.environment.tool, d.environment.tool_version
    );
    println!(
        "  host          {} ({})",
        clean(&d.environment.hostname),
        clean(&d.environment.os)
    );
    if let Some(b) = &d.browser {
        println!(
            "  browser       {} ({}x{} @{}x, {}, {}, {})",
            clean(&b.product),
            b.viewport.0,
            b.viewport.1,
            b.device_scale,
            clean(&b.locale),
            clean(&b.timezone),
            if b.headless { "headless" } else { "visible" }
        );
        if let Some(who) = &b.logged_in_as {
            println!("  logged in as  {}", clean(who));
        }
    }
    if let Some(a) = &d.archive {
        println!(
            "  archive       {} (sha256 {}), page {}",
            clean(&a.file),
            a.sha256,
            clean(&a.page_id)
        );
        match &a.signature {
            Some(s) => {
                println!("  signed by     {} ({})", clean(&s.signer), s.method);
                println!("  signed at     {}", s.signed_at);
                if let (Some(at), Some(tsa)) = (&s.time_stamped_at, &s.time_stamp_authority) {
                    println!("  time signed   {at} by {}", clean(tsa));
                }
            }
            None => println!("  signed by     nobody: the archive is unsigned"),
        }
    }
    for n in &d.notes {
        println!("  note          {}", clean(n));
    }
    println!("  record sha256 {}", s.record_sha256);
    println!("  headers:");
    for h in &d.headers {
        println!("    {}: {}", clean(&h.name), clean(&h.value));
    }
    println!("  artifacts:");
    for a in &s.artifacts {
        println!(
            "    {:<13} {:>10} bytes  {:<24} sha256 {}",
            a.kind, a.size, a.media_type, a.sha256
        );
    }
}

/// What a storefront showed about its seller, one labelled line per fact shown.
fn store_lines(d: &CaptureDetail) -> Vec<String> {
    let Some(s) = &d.store else {
        return Vec::new();
    };
    [
        ("shop name", &s.shop_name),
        ("business", &s.business_name),
        ("address", &s.address),
        ("location", &s.location),
        ("rating", &s.rating),
        ("opened", &s.opened),
    ]
    .into_iter()
    .filter_map(|(label, v)| v.as_deref().map(|v| format!("{label:<13} {}", clean(v))))
    .collect()
}

/// Where a checkout's order ships, what it costs, and what it buys from whom.
fn checkout_lines(d: &CaptureDetail) -> Vec<String> {
    let Some(c) = &d.checkout else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(to) = &c.ship_to {
        let region = c
            .ship_to_region
            .as_deref()
            .map(|r| format!(" ({})", clean(r)))
            .unwrap_or_default();
        lines.push(format!("ships to      {}{region}", clean(to)));
    }
    if let Some(t) = &c.total {
        let cur = c.currency.as_deref().map(clean).unwrap_or_default();
        lines.push(
            format!("order total   {} {cur}", clean(t))
                .trim_end()
                .to_owned(),
        );
    }
    if let Some(l) = &c.listing_id {
        lines.push(format!("buys listing  {}", clean(l)));
    }
    match (&c.seller, &c.seller_id) {
        (Some(n), Some(id)) => lines.push(format!("sold by       {} ({})", clean(n), clean(id))),
        (Some(n), None) => lines.push(format!("sold by       {}", clean(n))),
        (None, Some(id)) => lines.push(format!("sold by       {}", clean(id))),
        (None, None) => {}
    }
    lines
}

pub fn verify_report(r: &VerifyReport) {
    if r.ok {
        let pages = if r.pages_checked > 0 {
            format!(
                "All {} pages of the case file are as written; ",
                r.pages_checked
            )
        } else {
            "Quick check (pages that hold no evidence were not read): ".to_owned()
        };
        println!(
            "Verified. {pages}{} captures, {} artifacts ({} bytes) match their hashes, and the custody log's {} events form an unbroken chain.",
            r.captures_checked, r.artifacts_checked, r.bytes_checked, r.events_checked
        );
    } else {
        println!("Verification found {} problem(s):", r.problems.len());
        for p in &r.problems {
            println!("  [{}] {}", p.code, clean(&p.message));
        }
    }
    if let Some(h) = r.custody_head {
        println!("Custody log head: {h}");
    }
}

pub fn custody_log(events: &[CustodyEvent]) {
    for e in events {
        println!(
            "{:>5}  {}  {:<20} {}  {}",
            e.seq,
            e.at,
            e.kind,
            e.hash,
            clean(&e.detail)
        );
    }
}

/// What a complaint still needs, and how its listings will be filed.
pub fn complaint_check(c: &ComplaintCheck) {
    let errors = c
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    let warnings = c.issues.len() - errors;
    println!("Complaint for {}:", c.venue);
    for i in &c.issues {
        let tag = if i.severity == Severity::Error {
            "needs"
        } else {
            "note "
        };
        println!("  {tag}  {} ({})", clean(&i.message), clean(&i.field));
    }
    if errors == 0 {
        let sizes: Vec<String> = c.batches.iter().map(usize::to_string).collect();
        println!(
            "Ready to export: {} filing{} of {} listing{}{}.",
            c.batches.len(),
            if c.batches.len() == 1 { "" } else { "s" },
            sizes.join(" + "),
            if c.batches.iter().sum::<usize>() == 1 {
                ""
            } else {
                "s"
            },
            if warnings > 0 {
                format!(
                    ", with {warnings} note{}",
                    if warnings == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        );
    } else {
        println!(
            "Not ready: fix the {errors} item{} marked 'needs', then check again.",
            if errors == 1 { "" } else { "s" }
        );
    }
}

pub fn export_report(r: &ExportReport) {
    println!(
        "Wrote the packet {} ({} pages, {} to {}).",
        r.packet.display(),
        r.pages,
        r.bates_first,
        r.bates_last
    );
    println!(
        "Wrote the evidence bundle {} and verified it.",
        r.bundle.display()
    );
    if let Some(s) = &r.filing_sheet {
        println!("Wrote the filing sheet {}.", s.display());
    }
    for u in &r.url_lists {
        println!("Wrote the URL list {}.", u.display());
    }
    if let Some(first) = r.uploads.first()
        && let Some(dir) = first.parent()
    {
        println!(
            "Put {} file{} to upload as supporting evidence in {}.",
            r.uploads.len(),
            if r.uploads.len() == 1 { "" } else { "s" },
            dir.display()
        );
    }
    if let Some(csv) = &r.schedule_a_csv {
        println!(
            "Wrote Schedule A for the clerk {} ({} defendant{}).",
            csv.display(),
            r.defendants,
            if r.defendants == 1 { "" } else { "s" }
        );
    }
    if let Some(j) = &r.joinder_report {
        println!("Wrote the joinder report {}.", j.display());
    }
    if let Some(t) = &r.test_buy_report {
        println!(
            "Wrote the test-buy report {}: sign it or seal it, then upload it with the complaint.",
            t.display()
        );
    }
    for w in &r.warnings {
        println!("  note  {} ({})", clean(&w.message), clean(&w.field));
    }
    println!(
        "{} listing{} in {} filing{}. Manifest SHA-256 {}.",
        r.listings,
        if r.listings == 1 { "" } else { "s" },
        r.batches,
        if r.batches == 1 { "" } else { "s" },
        r.manifest_sha256
    );
}

pub fn bundle_report(path: &std::path::Path, r: &BundleCheck) {
    for p in &r.problems {
        println!("  problem  {} [{}]", clean(&p.message), p.code);
    }
    if r.intact {
        println!(
            "{} is intact: {} files match SHA256SUMS and the manifest, and the custody log is an unbroken chain to event {} ({}).",
            path.display(),
            r.files_checked,
            r.custody_head_seq.unwrap_or_default(),
            r.custody_head_hash.as_deref().unwrap_or("-")
        );
        if let Some(m) = &r.manifest_sha256 {
            println!("Manifest SHA-256 {m}: it must match the one printed on the packet's cover.");
        }
    } else {
        println!(
            "{} is NOT intact: {} problem{} found. Do not rely on it; ask the sender for a fresh copy.",
            path.display(),
            r.problems.len(),
            if r.problems.len() == 1 { "" } else { "s" }
        );
    }
}
