//! `exhibit`: the command-line front end. Glue only: parse arguments, make one facade
//! call, print the result, and map errors to one sentence and an exit code.
//!
//! Exit codes: 0 success; 1 a verification problem or a failed capture; 2 a usage error
//! or a case that could not be opened.

mod campaign;
mod commands;
mod discover;
mod log;
mod pager;
mod passphrase;
mod print;
mod purchase;
mod session;
mod wacz;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use exhibit::{BatchEvent, Case, Error, ResolveOverride, TsaSettings};
use indicatif::{ProgressBar, ProgressStyle};

use crate::commands::{
    cmd_artifact, cmd_browse, cmd_capture, cmd_complaint, cmd_export, cmd_import, cmd_init,
    cmd_list, cmd_log, cmd_passwd, cmd_show, cmd_snap, cmd_timestamp, cmd_verify,
    cmd_verify_bundle,
};
use crate::passphrase::{PassphraseSource, read_passphrase};

#[derive(Parser, Debug)]
#[command(
    name = "exhibit",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("EXHIBIT_COMMIT"), ")"),
    about = "Capture marketplace listings as tamper-evident evidence in an encrypted case file.",
    after_help = "The passphrase comes from EXHIBIT_PASSPHRASE, --passphrase-file, or a prompt; never from a flag."
)]
struct Cli {
    /// Read the case passphrase from this file (first line).
    #[arg(long, global = true, value_name = "PATH")]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new case file.
    Init(commands::InitArgs),
    /// Capture listing URLs into the case.
    Capture(commands::CaptureArgs),
    /// The listings a captured store or search page links to, and which of them the
    /// case holds already; `capture --discovered-from` takes the rest.
    Discover(discover::DiscoverArgs),
    /// Open a visible browser with the case's own profile, to log in and navigate; each
    /// Enter here, or each `exhibit snap CASE`, captures the tab you are looking at.
    Browse(commands::BrowseArgs),
    /// Capture the tab shown in the browser that `exhibit browse CASE` opened, as it is,
    /// without reloading it.
    Snap {
        case: PathBuf,
        #[command(flatten)]
        tsa: TsaArgs,
    },
    /// Ask time-stamp authorities for a trusted time for every capture that has none yet
    /// (taken offline, say). The delay since each capture is recorded with its token.
    Timestamp {
        case: PathBuf,
        #[command(flatten)]
        tsa: TsaArgs,
        #[arg(long)]
        json: bool,
    },
    /// List the captures in a case, oldest first. In a terminal, a list longer than the
    /// screen goes through $PAGER (else `less -FRX`), as `git log` does.
    List(commands::ListArgs),
    /// Show one capture in full.
    Show(commands::ShowArgs),
    /// Write one artifact of a capture to a file, checking its hash on the way.
    Artifact(commands::ArtifactArgs),
    /// Check every page of the case file, re-hash every artifact and walk the custody
    /// chain.
    Verify(commands::VerifyArgs),
    /// Check a complaint file against the case: what the venue still needs, and how the
    /// listings will be split into filings.
    Complaint {
        case: PathBuf,
        /// The complaint file (TOML; see examples/ for each venue).
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Render the PDF packet, the filing sheet and the evidence bundle for a complaint,
    /// and verify the bundle; or, with --wacz, write every capture into a WACZ web archive.
    Export(commands::ExportArgs),
    /// Import a WACZ web archive (from ArchiveWeb.page, Browsertrix Crawler, py-wacz or
    /// Exhibit): every hash is checked first, and each page becomes a capture.
    Import {
        case: PathBuf,
        /// The .wacz file.
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check an evidence bundle (ZIP) as its recipient would. Needs no case and no
    /// passphrase.
    VerifyBundle {
        bundle: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Print the custody log.
    Log {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// One row a listing: its marketplace id, seller, captures and last status.
    Listings {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// One listing's captures in time order, what changed between them, and its filings.
    Listing(campaign::ListingArgs),
    /// One row a seller: marketplace, seller id, name, listings, first and last seen.
    Sellers {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Record a complaint sent to a venue (`filing add`) or an answer to it (`filing
    /// outcome`).
    Filing {
        #[command(subcommand)]
        command: campaign::FilingCommand,
    },
    /// Each filing with its listings, outcomes and open deadlines.
    Filings {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Capture again every listing a filing reported (or a chosen set), in the mode of
    /// its last capture, and say what became of each.
    Recapture(campaign::RecaptureArgs),
    /// Listings that may be removed ones back under a new link, with why they were
    /// linked (seller, main image, title); confirm or dismiss each.
    Relisted(campaign::RelistedArgs),
    /// The campaign's figures: reported, removed, rejected, counter-noticed, reinstated,
    /// takedown and stay-down rates, days to removal, relistings, by venue, marketplace
    /// and seller.
    Stats(campaign::StatsArgs),
    /// Record a test purchase of a listing (`purchase add`), its shipping facts
    /// (`update`), its files (`attach`) and the comparison's verdict (`verdict`).
    Purchase {
        #[command(subcommand)]
        command: purchase::PurchaseCommand,
    },
    /// Record a handover of a purchased item (`item custody`).
    Item {
        #[command(subcommand)]
        command: purchase::ItemCommand,
    },
    /// Each test purchase with its order, shipping, files, verdict and handovers.
    Purchases {
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Change the case passphrase (new one from EXHIBIT_NEW_PASSPHRASE or a prompt).
    Passwd(commands::PasswdArgs),
}

/// Network settings shared by `capture` and `browse`.
#[derive(clap::Args, Debug)]
struct NetArgs {
    /// Send HOST:PORT to ADDR, as curl does; recorded in each capture.
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    resolve: Vec<String>,
    /// Also trust this root certificate (PEM), such as a TLS inspection proxy's.
    #[arg(long, value_name = "FILE")]
    ca_cert: Vec<PathBuf>,
}

impl NetArgs {
    fn apply(&self, fetch: &mut exhibit::FetchOptions) -> Result<(), Failure> {
        for r in &self.resolve {
            fetch
                .resolve
                .push(ResolveOverride::parse(r).map_err(|e| usage(e.0))?);
        }
        for path in &self.ca_cert {
            let pem = std::fs::read(path).map_err(|e| {
                usage(format!(
                    "Could not read the CA certificate {}: {e}.",
                    path.display()
                ))
            })?;
            fetch.extra_root_pems.push(pem);
        }
        Ok(())
    }
}

/// Trusted time from RFC 3161 time-stamp authorities, shared by `capture`, `browse`,
/// `snap`, `export` and `timestamp`.
#[derive(clap::Args, Debug, Clone, Default)]
struct TsaArgs {
    /// Ask this RFC 3161 time-stamp authority for a trusted time; repeat for fallbacks,
    /// tried in order. `default` stands for the public list in the README. Without
    /// any, captures get no trusted time (`exhibit timestamp` can add it later).
    #[arg(long = "tsa", value_name = "URL")]
    tsa_urls: Vec<String>,
    /// Also trust this root certificate (PEM) for time-stamp authorities.
    #[arg(long = "tsa-ca", value_name = "FILE")]
    tsa_roots: Vec<PathBuf>,
}

impl TsaArgs {
    fn settings(&self) -> TsaSettings {
        let mut urls = Vec::new();
        for u in &self.tsa_urls {
            if u == "default" {
                urls.extend(exhibit::DEFAULT_TSAS.iter().map(|s| (*s).to_owned()));
            } else {
                urls.push(u.clone());
            }
        }
        TsaSettings::new(urls, self.tsa_roots.clone())
    }

    /// The authorities with their roots read, or `None` when none was given.
    fn prepare(&self) -> Result<Option<Arc<exhibit::PreparedTsa>>, Failure> {
        if self.tsa_urls.is_empty() && !self.tsa_roots.is_empty() {
            return Err(usage(
                "--tsa-ca needs a --tsa URL: name the time-stamp authority to ask.",
            ));
        }
        Ok(self.settings().prepare()?)
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Http,
    Browser,
}

mod exhibit_capture_defaults {
    pub const MAX_BYTES: u64 = 50_000_000;
}

/// A failure already explained to the user, with the exit code it deserves.
struct Failure {
    code: u8,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = if e.is_open_failure() || e.is_usage_error() {
            2
        } else {
            1
        };
        Failure {
            code,
            message: e.to_string(),
        }
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn main() -> ExitCode {
    log::init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("exhibit: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn open(case: &Path, source: &PassphraseSource) -> Result<Case, Failure> {
    let p = read_passphrase(source, "Case passphrase: ")?;
    Ok(Case::open(case, &p)?)
}

/// Runs one subcommand: each arm hands its arguments, as clap parsed them, to the
/// subcommand's function (in commands.rs, or the module that owns it).
fn run(cli: Cli) -> Result<u8, Failure> {
    let source = PassphraseSource::from_env(cli.passphrase_file.clone());
    match cli.command {
        Command::Init(args) => cmd_init(&source, args),
        Command::Capture(args) => cmd_capture(&source, args),
        Command::Discover(args) => discover::discover(args, &source),
        Command::Browse(args) => cmd_browse(&source, args),
        Command::Snap { case, tsa } => cmd_snap(&case, tsa),
        Command::Timestamp { case, tsa, json } => cmd_timestamp(&source, &case, tsa, json),
        Command::List(args) => cmd_list(&source, args),
        Command::Show(args) => cmd_show(&source, args),
        Command::Artifact(args) => cmd_artifact(&source, args),
        Command::Verify(args) => cmd_verify(&source, args),
        Command::Complaint { case, file, json } => cmd_complaint(&source, &case, &file, json),
        Command::Export(args) => cmd_export(&source, args),
        Command::Import { case, file, json } => cmd_import(&source, &case, &file, json),
        Command::VerifyBundle { bundle, json } => cmd_verify_bundle(&bundle, json),
        Command::Log { case, json } => cmd_log(&source, &case, json),
        Command::Listings { case, json } => campaign::listings(&open(&case, &source)?, json),
        Command::Listing(args) => campaign::listing(args, &source),
        Command::Sellers { case, json } => campaign::sellers(&open(&case, &source)?, json),
        Command::Filing { command } => campaign::filing(command, &source),
        Command::Filings { case, json } => campaign::filings(&open(&case, &source)?, json),
        Command::Recapture(args) => campaign::recapture(args, &source),
        Command::Relisted(args) => campaign::relisted(args, &source),
        Command::Stats(args) => campaign::stats(args, &source),
        Command::Purchase { command } => purchase::purchase(command, &source),
        Command::Item { command } => purchase::item(command, &source),
        Command::Purchases { case, json } => purchase::purchases(&open(&case, &source)?, json),
        Command::Passwd(args) => cmd_passwd(&source, args),
    }
}

/// Runs a batch of `total` captures, printing each as it is committed and a summary.
fn run_batch(
    total: usize,
    batch: impl FnOnce(&mut dyn FnMut(&BatchEvent)) -> exhibit::Result<exhibit::BatchSummary>,
) -> Result<u8, Failure> {
    let total = total as u64;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Some(bar)
    } else {
        None
    };
    let summary = batch(&mut |event| {
        let BatchEvent::Finished(o) = event else {
            return;
        };
        let line = print::outcome_line(o);
        match &bar {
            Some(b) => {
                b.println(line);
                b.inc(1);
                b.set_message(format!("{}", o.status));
            }
            None => println!("{line}"),
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    println!(
        "{} captured in {:.1} s: {} ok, {} blocked, {} removed, {} failed{}.",
        summary.total,
        summary.elapsed_ms as f64 / 1000.0,
        summary.ok,
        summary.blocked,
        summary.removed,
        summary.failed,
        if summary.unsaved > 0 {
            format!(" ({} could not be saved)", summary.unsaved)
        } else {
            String::new()
        }
    );
    Ok(if summary.all_recorded() { 0 } else { 1 })
}
