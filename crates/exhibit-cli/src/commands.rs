//! One function per subcommand that main.rs does not hand to a module of its own
//! (campaign.rs, purchase.rs, discover.rs, wacz.rs, session.rs do the rest). Each takes
//! its arguments as clap parsed them, makes its facade calls, prints the result and
//! returns the exit code; `run` in main.rs only dispatches.

use std::path::{Path, PathBuf};
use std::time::Duration;

use exhibit::{
    BatchOptions, BrowserSettings, CaptureDetail, CaptureMode, CaptureView, Case, Collector,
};

use crate::passphrase::{PassphraseSource, read_new_passphrase};
use crate::{
    Failure, Mode, NetArgs, TsaArgs, discover, exhibit_capture_defaults, open, pager, print,
    run_batch, session, usage, wacz,
};

/// `exhibit init`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct InitArgs {
    case: PathBuf,
    #[arg(long)]
    title: String,
    /// Who collects the evidence.
    #[arg(long)]
    collector: Option<String>,
    #[arg(long)]
    organization: Option<String>,
    #[arg(long)]
    role: Option<String>,
    #[arg(long)]
    contact: Option<String>,
}

/// `exhibit init`: creates a case file.
pub(crate) fn cmd_init(source: &PassphraseSource, args: InitArgs) -> Result<u8, Failure> {
    let InitArgs {
        case,
        title,
        collector,
        organization,
        role,
        contact,
    } = args;
    if title.trim().is_empty() {
        return Err(usage("Give the case a title with --title."));
    }
    let p = read_new_passphrase(source, "EXHIBIT_PASSPHRASE", "New case passphrase: ")?;
    let collector = collector.map(|name| Collector {
        name,
        organization,
        role,
        contact,
    });
    Case::create(&case, &p, title.trim(), collector.as_ref())?;
    println!("Created case '{}' at {}.", title.trim(), case.display());
    println!("Keep the passphrase safe: no one, including Exhibit, can recover a lost one.");
    Ok(0)
}

/// `exhibit capture`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct CaptureArgs {
    case: PathBuf,
    /// URLs to capture.
    urls: Vec<String>,
    /// A text file (one URL a line) or a CSV file with a `url` column.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Capture the listings that this capture of a store or search page links to and
    /// the case does not hold yet (`exhibit discover` lists them).
    #[arg(long, value_name = "CAPTURE_ID", conflicts_with_all = ["urls", "from"])]
    discovered_from: Option<i64>,
    /// Captures in flight at once [default: 2 in browser mode, 8 in http mode].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: Option<u16>,
    /// `browser` (the default) renders the page in Chromium as a shopper sees it: a
    /// screenshot, MHTML, the DOM, a PDF, the visible text and a network log, plus the
    /// raw page. `http` fetches the raw page only: faster, no screenshot.
    #[arg(long, value_enum, default_value_t = Mode::Browser, env = "EXHIBIT_CAPTURE_MODE")]
    mode: Mode,
    /// The Chrome or Chromium to run in browser mode (default: found on PATH).
    #[arg(long, value_name = "PATH")]
    browser: Option<PathBuf>,
    /// Time limit for each capture, in seconds.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Largest body accepted, in bytes.
    #[arg(long, default_value_t = exhibit_capture_defaults::MAX_BYTES)]
    max_bytes: u64,
    #[command(flatten)]
    net: NetArgs,
    #[command(flatten)]
    tsa: TsaArgs,
}

/// `exhibit capture`: captures URLs, a list of them, or the listings a capture links to.
pub(crate) fn cmd_capture(source: &PassphraseSource, args: CaptureArgs) -> Result<u8, Failure> {
    let CaptureArgs {
        case,
        urls,
        from,
        discovered_from,
        concurrency,
        mode,
        browser,
        timeout,
        max_bytes,
        net,
        tsa,
    } = args;
    let tsa = tsa.prepare()?;
    let mut all = urls;
    if let Some(path) = &from {
        all.extend(exhibit::read_url_list(path)?);
    }
    if all.is_empty() && discovered_from.is_none() {
        return Err(usage(
            "Give URLs to capture, a list with --from FILE, or --discovered-from CAPTURE_ID.",
        ));
    }
    let mode = match mode {
        Mode::Http => CaptureMode::Http,
        Mode::Browser => CaptureMode::Browser(BrowserSettings {
            executable: browser,
            visible: false,
        }),
    };
    let default_concurrency =
        exhibit::rules::default_concurrency(matches!(mode, CaptureMode::Http));
    let mut options = BatchOptions {
        concurrency: concurrency.map_or(default_concurrency, usize::from),
        mode,
        tsa,
        ..BatchOptions::default()
    };
    options.fetch.timeout = Duration::from_secs(timeout);
    options.fetch.max_body_bytes = max_bytes;
    net.apply(&mut options.fetch)?;
    let case = open(&case, source)?;
    match discovered_from {
        Some(id) => discover::capture(&case, id, options),
        None => capture(&case, all, options),
    }
}

fn capture(case: &Case, urls: Vec<String>, options: BatchOptions) -> Result<u8, Failure> {
    let total = urls.len();
    run_batch(total, |progress| case.capture_urls(urls, options, progress))
}

/// `exhibit browse`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct BrowseArgs {
    case: PathBuf,
    /// Pages to open, one tab each.
    urls: Vec<String>,
    /// The Chrome or Chromium to run (default: found on PATH).
    #[arg(long, value_name = "PATH")]
    browser: Option<PathBuf>,
    /// Time limit for each capture, in seconds.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(5..=3600))]
    timeout: u64,
    #[command(flatten)]
    net: NetArgs,
    /// Trusted time for every snap of this session (a snap's own --tsa overrides it).
    #[command(flatten)]
    tsa: TsaArgs,
}

/// `exhibit browse`: opens the case's browser and serves `exhibit snap` until closed.
pub(crate) fn cmd_browse(source: &PassphraseSource, args: BrowseArgs) -> Result<u8, Failure> {
    let BrowseArgs {
        case: case_path,
        urls,
        browser,
        timeout,
        net,
        tsa,
    } = args;
    let tsa = tsa.prepare()?;
    let mut fetch = exhibit::FetchOptions {
        timeout: Duration::from_secs(timeout),
        ..exhibit::FetchOptions::default()
    };
    net.apply(&mut fetch)?;
    let case = open(&case_path, source)?;
    let settings = BrowserSettings {
        executable: browser,
        visible: true,
    };
    let mut browsing = case.browse(&settings, fetch, &urls)?;
    browsing.set_tsa(tsa.clone());
    session::serve(&case, &case_path, browsing, tsa)
}

/// `exhibit snap`: asks the browser `exhibit browse` opened to capture its tab.
pub(crate) fn cmd_snap(case: &Path, tsa: TsaArgs) -> Result<u8, Failure> {
    // Checked here, so a bad flag is reported before the browser snaps.
    tsa.prepare()?;
    session::snap(case, &tsa.settings().urls, &tsa.tsa_roots)
}

/// `exhibit timestamp`: a trusted time for every capture that has none yet.
pub(crate) fn cmd_timestamp(
    source: &PassphraseSource,
    case: &Path,
    tsa: TsaArgs,
    json: bool,
) -> Result<u8, Failure> {
    let Some(prepared) = tsa.prepare()? else {
        return Err(usage(
            "Name a time-stamp authority with --tsa URL (or --tsa default for the public list in the README).",
        ));
    };
    let case = open(case, source)?;
    let summary = case.timestamp_missing(&prepared, |id, outcome| {
        if !json {
            println!("{}", print::trusted_time_line(id, outcome));
        }
    })?;
    if json {
        print::json(&summary)?;
    } else {
        println!(
            "{} capture{} had no trusted time: {} stamped, {} still without.",
            summary.missing,
            if summary.missing == 1 { "" } else { "s" },
            summary.stamped,
            summary.still_missing
        );
    }
    Ok(if summary.still_missing == 0 { 0 } else { 1 })
}

/// `exhibit list`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct ListArgs {
    case: PathBuf,
    #[arg(long)]
    json: bool,
    /// Show at most this many captures (a page of a large case).
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
    /// Skip this many captures first (with --limit, the page after the first).
    #[arg(long, value_name = "N")]
    offset: Option<u64>,
}

/// `exhibit list`: the captures, every one or a page of them.
pub(crate) fn cmd_list(source: &PassphraseSource, args: ListArgs) -> Result<u8, Failure> {
    let ListArgs {
        case,
        json,
        limit,
        offset,
    } = args;
    let case = open(&case, source)?;
    // Without --limit/--offset, every capture as before; with them, only the
    // page asked for is read, so a page costs the same in any size of case.
    let paged = limit.is_some() || offset.is_some();
    let captures = if paged {
        case.capture_range(offset.unwrap_or(0), limit.unwrap_or(u64::MAX))?
    } else {
        case.captures()?
    };
    let views: Vec<CaptureView> = captures.iter().map(CaptureView::from).collect();
    if json {
        print::json(&views)?;
    } else {
        let mut table = print::capture_table(&views);
        if paged {
            let total = u64::try_from(case.capture_count()?).unwrap_or(0);
            table.push_str(&print::page_footer(
                offset.unwrap_or(0),
                views.len() as u64,
                total,
            ));
        }
        pager::show(&table);
    }
    Ok(0)
}

/// `exhibit show`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct ShowArgs {
    case: PathBuf,
    capture_id: i64,
    #[arg(long)]
    json: bool,
}

/// `exhibit show`: one capture in full, with its trusted time.
pub(crate) fn cmd_show(source: &PassphraseSource, args: ShowArgs) -> Result<u8, Failure> {
    let ShowArgs {
        case,
        capture_id,
        json,
    } = args;
    let case = open(&case, source)?;
    let detail = CaptureDetail::from(&case.capture(capture_id)?);
    if json {
        print::json(&detail)?;
    } else {
        print::capture_detail(&detail);
        // As the app's review card shows it: signed, or none.
        match case.trusted_time(capture_id)? {
            Some(t) => println!("{}", print::trusted_time_line(capture_id, &t)),
            None => {
                println!("  #{capture_id} no trusted time (`exhibit timestamp` can ask for one)")
            }
        }
    }
    Ok(0)
}

/// `exhibit artifact`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct ArtifactArgs {
    case: PathBuf,
    capture_id: i64,
    /// body, decoded-body, certificate, …
    kind: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// `exhibit artifact`: one artifact of a capture, written to a file.
pub(crate) fn cmd_artifact(source: &PassphraseSource, args: ArtifactArgs) -> Result<u8, Failure> {
    let ArtifactArgs {
        case,
        capture_id,
        kind,
        out,
    } = args;
    let case = open(&case, source)?;
    let a = case.export_artifact(capture_id, &kind, &out)?;
    println!(
        "Wrote the {} of capture {capture_id} to {} ({} bytes, {}, sha256 {}).",
        a.kind,
        out.display(),
        a.size,
        a.media_type,
        a.sha256
    );
    Ok(0)
}

/// `exhibit verify`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct VerifyArgs {
    case: PathBuf,
    #[arg(long)]
    json: bool,
    /// Check only the evidence: re-hash every artifact, record and timestamp and walk
    /// the custody chain, reading only the pages they are stored on. It skips the
    /// pages that hold no evidence (indexes, the list of tables, free space), so a
    /// change there goes unnoticed.
    #[arg(long, conflicts_with = "full")]
    quick: bool,
    /// Check every page too. This is the default now; the flag is kept for scripts.
    #[arg(long, hide = true)]
    full: bool,
}

/// `exhibit verify`: checks the case file, its artifacts and its custody chain.
pub(crate) fn cmd_verify(source: &PassphraseSource, args: VerifyArgs) -> Result<u8, Failure> {
    let VerifyArgs {
        case,
        json,
        quick,
        full: _,
    } = args;
    let case = open(&case, source)?;
    let report = case.verify(!quick)?;
    if json {
        print::json(&report)?;
    } else {
        print::verify_report(&report);
    }
    Ok(if report.ok { 0 } else { 1 })
}

/// `exhibit complaint`: checks a complaint file against the case.
pub(crate) fn cmd_complaint(
    source: &PassphraseSource,
    case: &Path,
    file: &Path,
    json: bool,
) -> Result<u8, Failure> {
    let case = open(case, source)?;
    let check = case.check_complaint(file)?;
    if json {
        print::json(&check)?;
    } else {
        print::complaint_check(&check);
    }
    Ok(if check.has_errors() { 1 } else { 0 })
}

/// `exhibit export`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct ExportArgs {
    case: PathBuf,
    /// The complaint file (TOML; see examples/ for each venue).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "wacz",
        conflicts_with = "wacz"
    )]
    complaint: Option<PathBuf>,
    /// The folder to write into (created if missing).
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "wacz",
        conflicts_with = "wacz"
    )]
    out: Option<PathBuf>,
    /// Write every capture of the case into this WACZ file (WARC records, page list,
    /// screenshots, capture records and trusted-time tokens) instead of a packet.
    #[arg(long, value_name = "FILE.wacz")]
    wacz: Option<PathBuf>,
    /// Bates prefix, such as ACME- [default: from the rights holder's name].
    #[arg(long, value_name = "PREFIX", conflicts_with = "wacz")]
    bates_prefix: Option<String>,
    /// The export time printed everywhere, RFC 3339 (e.g. 2026-11-28T12:00:00Z)
    /// [default: SOURCE_DATE_EPOCH if set, else now]. The same case, complaint and
    /// time give byte-identical files.
    #[arg(long, value_name = "TIME", conflicts_with = "wacz")]
    time: Option<String>,
    /// Stamp the bundle's manifest with a trusted time (`manifest.tsr`). A token
    /// differs on every run, so this export is not byte-reproducible.
    #[command(flatten)]
    tsa: TsaArgs,
    #[arg(long)]
    json: bool,
}

/// `exhibit export`: a packet for a complaint, or with `--wacz` a web archive.
pub(crate) fn cmd_export(source: &PassphraseSource, args: ExportArgs) -> Result<u8, Failure> {
    match &args.wacz {
        Some(wacz) => cmd_export_wacz(source, &args.case, wacz, &args.tsa, args.json),
        None => export_packet(source, args),
    }
}

/// `exhibit export --wacz`: every capture into a WACZ web archive.
fn cmd_export_wacz(
    source: &PassphraseSource,
    case: &Path,
    wacz: &Path,
    tsa: &TsaArgs,
    json: bool,
) -> Result<u8, Failure> {
    if !tsa.tsa_urls.is_empty() || !tsa.tsa_roots.is_empty() {
        return Err(usage(
            "--tsa stamps a packet's bundle; a WACZ export carries each capture's own tokens, so leave --tsa out.",
        ));
    }
    let case = open(case, source)?;
    wacz::export(&case, wacz, json)
}

/// `exhibit export` without `--wacz`: the packet, the filing sheet and the bundle for a
/// complaint.
fn export_packet(source: &PassphraseSource, args: ExportArgs) -> Result<u8, Failure> {
    let ExportArgs {
        case,
        complaint,
        out,
        wacz: _,
        bates_prefix,
        time,
        tsa,
        json,
    } = args;
    let (Some(complaint), Some(out)) = (complaint, out) else {
        return Err(usage(
            "Give --complaint FILE and --out DIR for a packet, or --wacz FILE for a web archive.",
        ));
    };
    let tsa = tsa.prepare()?;
    let time = export_time(time.as_deref())?;
    if let Some(problem) = bates_prefix
        .as_deref()
        .and_then(exhibit::rules::bates_prefix_problem)
    {
        return Err(usage(problem));
    }
    let case = open(&case, source)?;
    let report = case.export(&exhibit::ExportOptions {
        complaint,
        out_dir: out,
        bates_prefix,
        time,
        tsa,
    })?;
    if json {
        print::json(&report)?;
    } else {
        print::export_report(&report);
    }
    Ok(0)
}

/// The export time: `--time`, else `SOURCE_DATE_EPOCH`, else now.
fn export_time(flag: Option<&str>) -> Result<chrono::DateTime<chrono::Utc>, Failure> {
    if let Some(t) = flag {
        return chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| {
                usage(format!(
                    "--time takes an RFC 3339 time such as 2026-11-28T12:00:00Z, not '{t}'."
                ))
            });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return epoch
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .ok_or_else(|| usage("SOURCE_DATE_EPOCH must be a number of seconds since 1970."));
    }
    Ok(chrono::Utc::now())
}

/// `exhibit import`: a WACZ web archive, each page a capture.
pub(crate) fn cmd_import(
    source: &PassphraseSource,
    case: &Path,
    file: &Path,
    json: bool,
) -> Result<u8, Failure> {
    let case = open(case, source)?;
    wacz::import(&case, file, json)
}

/// `exhibit verify-bundle`: checks an evidence bundle as its recipient would.
pub(crate) fn cmd_verify_bundle(bundle: &Path, json: bool) -> Result<u8, Failure> {
    let report = exhibit::verify_bundle(bundle)?;
    if json {
        print::json(&report)?;
    } else {
        print::bundle_report(bundle, &report);
    }
    Ok(if report.is_intact() { 0 } else { 1 })
}

/// `exhibit log`: the custody log.
pub(crate) fn cmd_log(source: &PassphraseSource, case: &Path, json: bool) -> Result<u8, Failure> {
    let case = open(case, source)?;
    let events = case.custody_log()?;
    if json {
        print::json(&events)?;
    } else {
        print::custody_log(&events);
    }
    Ok(0)
}

/// `exhibit passwd`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct PasswdArgs {
    case: PathBuf,
    /// Read the new passphrase from this file instead.
    #[arg(long, value_name = "PATH")]
    new_passphrase_file: Option<PathBuf>,
}

/// `exhibit passwd`: changes the case passphrase.
pub(crate) fn cmd_passwd(source: &PassphraseSource, args: PasswdArgs) -> Result<u8, Failure> {
    let PasswdArgs {
        case,
        new_passphrase_file,
    } = args;
    let case_handle = open(&case, source)?;
    let new_source = PassphraseSource::new_from_env(new_passphrase_file);
    let new = read_new_passphrase(&new_source, "EXHIBIT_NEW_PASSPHRASE", "New passphrase: ")?;
    case_handle.change_passphrase(&new)?;
    println!(
        "Changed the passphrase of {}. The old one no longer opens it.",
        case.display()
    );
    Ok(0)
}
