//! The enforcement campaign: listings and sellers over time, filings and the outcomes
//! recorded as answers come in, and the figures an agency asks for.
//!
//! Everything here reads the case; the writes (a filing, an outcome, a relisting
//! decision) check their input in full first, so a refused request changes nothing, and
//! then go to the store in one transaction with their custody event.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use exhibit_domain::campaign::{Outcome, add_business_days, counter_notice_windows, parse_day};
use exhibit_store::{FilingRow, ListingRow, NewFiling, NewOutcome, OutcomeRow, TimelineRow};
use serde::Serialize;

use crate::{Case, Error, Result};

/// One listing of the case. Field names are a contract with outside scripts: only add.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ListingView {
    /// The case's own listing id: what every command's LISTING_ID means.
    pub id: i64,
    pub marketplace: String,
    /// The marketplace's own id for the listing.
    pub listing_id: String,
    pub seller_id: Option<String>,
    pub seller: Option<String>,
    pub captures: u64,
    #[ts(type = "CaptureStatus")]
    pub last_status: String,
    pub last_captured_at: String,
    pub first_captured_at: String,
    pub last_capture_id: i64,
    pub title: Option<String>,
    pub url: String,
}

impl From<ListingRow> for ListingView {
    fn from(r: ListingRow) -> Self {
        ListingView {
            id: r.id,
            marketplace: r.marketplace,
            listing_id: r.listing_ref,
            seller_id: r.seller_id,
            seller: r.seller,
            captures: r.captures,
            last_status: r.last_status,
            last_captured_at: r.last_captured_at,
            first_captured_at: r.first_captured_at,
            last_capture_id: r.last_capture_id,
            title: r.title,
            url: r.first_url,
        }
    }
}

/// One capture in a listing's history, with what changed since the capture before it
/// that showed the listing or its removal (blocked and failed captures prove nothing
/// either way, so they are shown but never compared).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HistoryEntry {
    pub capture_id: i64,
    pub captured_at: String,
    pub mode: String,
    #[ts(type = "CaptureStatus")]
    pub status: String,
    pub title: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub seller_id: Option<String>,
    pub seller: Option<String>,
    pub image_sha256: Option<String>,
    pub changed: Vec<Change>,
}

/// One fact that differs between two captures of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Change {
    /// `status`, `price`, `title`, `seller` or `image`.
    pub field: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A listing with every capture of it in time order, and the filings that reported it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ListingHistory {
    pub listing: ListingView,
    pub captures: Vec<HistoryEntry>,
    pub filings: Vec<ListingFiling>,
}

/// A filing as it concerns one listing.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ListingFiling {
    pub filing: i64,
    pub venue: String,
    pub reference: String,
    pub filed_on: String,
    /// The latest outcome recorded (`pending` when none is).
    #[ts(type = "Outcome")]
    pub outcome: String,
    pub outcomes: Vec<OutcomeRow>,
}

/// A seller: the marketplace's seller or shop id where a page showed one, else the
/// shown name.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SellerView {
    pub marketplace: String,
    pub seller_id: Option<String>,
    /// The newest name shown for the seller.
    pub name: Option<String>,
    /// The case's listing ids found under this seller.
    pub listings: Vec<i64>,
    pub first_seen: String,
    pub last_seen: String,
}

/// A filing to record. `listings` are the case's listing ids; `export` is the manifest
/// SHA-256 of an export whose listings the filing reported (one of the two is needed).
#[derive(Debug, Clone, Default, ts_rs::TS)]
pub struct FilingRequest {
    pub venue: String,
    pub reference: String,
    /// `YYYY-MM-DD` or RFC 3339.
    pub filed: String,
    pub listings: Vec<i64>,
    #[ts(optional = nullable)]
    pub export: Option<String>,
}

/// A filing with its listings, their outcomes and the venue's open windows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FilingView {
    pub id: i64,
    pub venue: String,
    pub reference: String,
    pub filed_on: String,
    pub export_sha256: Option<String>,
    pub recorded_at: String,
    pub listings: Vec<FiledListingView>,
    /// The windows the venue gives the seller, counted in business days from the day
    /// filed (public holidays not counted).
    pub deadlines: Vec<Deadline>,
}

/// One listing of a filing.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FiledListingView {
    /// The case's listing id.
    pub listing: i64,
    /// The marketplace's listing id.
    pub listing_id: Option<String>,
    pub marketplace: Option<String>,
    pub url: Option<String>,
    /// The capture the complaint showed.
    pub capture_id: Option<i64>,
    /// The latest outcome recorded (`pending` when none is).
    #[ts(type = "Outcome")]
    pub outcome: String,
    pub outcomes: Vec<OutcomeRow>,
}

/// A window a venue gives the other side.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Deadline {
    pub what: &'static str,
    pub closes_on: String,
    /// Calendar days from today to the day it closes (negative: closed).
    pub days_left: i64,
    pub open: bool,
}

/// An answer to record for one listing of a filing.
#[derive(Debug, Clone, Default, ts_rs::TS)]
pub struct OutcomeRequest {
    pub filing: i64,
    pub listing: i64,
    #[ts(type = "Outcome")]
    pub outcome: String,
    /// `YYYY-MM-DD` or RFC 3339.
    pub date: String,
    #[ts(optional = nullable)]
    pub reason: Option<String>,
    /// The platform's answer (an .eml, a PDF, a screenshot), attached and hashed.
    #[ts(optional = nullable)]
    pub attach: Option<PathBuf>,
}

/// The counts behind every figure, for the case or one slice of it. A report is one
/// listing in one filing: a listing filed twice counts twice.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct Counts {
    pub reported: u64,
    /// Came down: the latest capture after the filing shows it removed, or, with no
    /// capture since, the platform said so.
    pub removed: u64,
    /// Of `removed`, how many rest on the platform's word alone (no capture since).
    pub removed_by_word_only: u64,
    /// The platform said removed, but a capture after that day found it live.
    pub removed_but_live: u64,
    /// The platform's latest answer is a rejection.
    pub rejected: u64,
    /// The seller sent a counter-notice (at any point).
    pub counter_noticed: u64,
    /// A counter-notice kept the listing up: its latest answer after one is
    /// `reinstated`, `withdrawn` or `rejected`.
    pub counter_notice_succeeded: u64,
    /// Put back up after a removal (at any point).
    pub reinstated: u64,
    pub pending: u64,
    /// `removed` over `reported`; null with nothing reported.
    pub takedown_rate: Option<f64>,
    /// `counter_notice_succeeded` over `reported`.
    pub counter_notice_success_rate: Option<f64>,
}

/// The figures of a campaign. Field names are a contract with outside scripts: only add.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Stats {
    /// Filings counted: those filed on or after this day (all when null).
    pub since: Option<String>,
    pub today: String,
    #[serde(flatten)]
    pub counts: Counts,
    /// Median calendar days from the filing to the removal, dated by the first capture
    /// that found the listing removed, else by the platform's answer.
    pub median_days_to_removal: Option<f64>,
    /// Of the listings removed at least `stay_down_days` ago, the share neither seen
    /// live again, reinstated nor confirmed relisted.
    pub stay_down_rate: Option<f64>,
    pub stay_down_days: u32,
    pub stay_down_eligible: u64,
    /// Confirmed relistings of reported listings.
    pub relisted: u64,
    /// Confirmed relistings over removed reports.
    pub relisting_rate: Option<f64>,
    pub by_venue: BTreeMap<String, Counts>,
    pub by_marketplace: BTreeMap<String, Counts>,
    pub by_seller: BTreeMap<String, Counts>,
    /// Sellers with two or more reported listings, or a confirmed relisting.
    pub repeat_sellers: Vec<RepeatSeller>,
    /// Alibaba's good-faith programme over the three months to today: a takedown rate
    /// of at least 90 % and at most 5 % successful counter-notices.
    pub good_faith: Option<GoodFaith>,
}

/// A seller reported more than once.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RepeatSeller {
    pub seller: String,
    pub marketplace: String,
    pub reported_listings: u64,
    pub relisted: u64,
}

/// Alibaba IPP's good-faith programme lines and where the case stands.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct GoodFaith {
    pub from: String,
    pub to: String,
    pub reported: u64,
    pub takedown_rate: Option<f64>,
    pub takedown_rate_needed: f64,
    pub counter_notice_success_rate: Option<f64>,
    pub counter_notice_success_rate_allowed: f64,
    pub meets: bool,
}

/// Longest platform reference kept, in characters.
const MAX_REFERENCE: usize = 200;
/// Longest stated reason kept, in characters.
const MAX_REASON: usize = 4000;
/// Days after a removal before a listing counts towards the stay-down rate.
pub const STAY_DOWN_DAYS: u32 = 30;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn day_of(rfc3339: &str) -> Option<NaiveDate> {
    parse_day(rfc3339)
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The latest outcome of a list sorted oldest first, `pending` when there is none.
fn current(outcomes: &[OutcomeRow]) -> &str {
    outcomes.last().map_or("pending", |o| o.outcome.as_str())
}

/// Whether a capture shows anything about the listing (blocked and failed ones do not).
fn informative(status: &str) -> bool {
    status == "ok" || status == "removed"
}

/// The text a person reads for a seller: the id with the name, or either.
fn seller_label(id: Option<&str>, name: Option<&str>) -> Option<String> {
    match (id, name) {
        (Some(i), Some(n)) if i != n => Some(format!("{n} ({i})")),
        (Some(i), _) => Some(i.to_owned()),
        (None, Some(n)) => Some(n.to_owned()),
        (None, None) => None,
    }
}

fn price_text(r: &TimelineRow) -> Option<String> {
    r.price.as_ref().map(|p| match &r.currency {
        Some(c) => format!("{p} {c}"),
        None => p.clone(),
    })
}

/// What differs between two captures that both showed something.
fn changes(before: &TimelineRow, after: &TimelineRow) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |field, from: Option<String>, to: Option<String>| {
        if from != to {
            out.push(Change { field, from, to });
        }
    };
    push(
        "status",
        Some(before.status.clone()),
        Some(after.status.clone()),
    );
    // A removed page shows no title, price or seller: that is the status change, not
    // three more.
    if before.status == "ok" && after.status == "ok" {
        push("price", price_text(before), price_text(after));
        push("title", before.title.clone(), after.title.clone());
        push(
            "seller",
            seller_label(before.seller_id.as_deref(), before.seller.as_deref()),
            seller_label(after.seller_id.as_deref(), after.seller.as_deref()),
        );
        if before.image_sha256.is_some() && after.image_sha256.is_some() {
            push(
                "image",
                before.image_sha256.clone(),
                after.image_sha256.clone(),
            );
        }
    }
    out
}

/// A listing's captures, each with what changed since the last informative one.
fn history(rows: &[TimelineRow]) -> Vec<HistoryEntry> {
    let mut last: Option<&TimelineRow> = None;
    rows.iter()
        .map(|r| {
            let changed = if informative(&r.status) {
                let c = last.map(|b| changes(b, r)).unwrap_or_default();
                last = Some(r);
                c
            } else {
                Vec::new()
            };
            HistoryEntry {
                capture_id: r.capture_id,
                captured_at: r.finished_at.clone(),
                mode: r.mode.clone(),
                status: r.status.clone(),
                title: r.title.clone(),
                price: r.price.clone(),
                currency: r.currency.clone(),
                seller_id: r.seller_id.clone(),
                seller: r.seller.clone(),
                image_sha256: r.image_sha256.clone(),
                changed,
            }
        })
        .collect()
}

/// Groups captures by seller: the marketplace's id where any capture of the seller
/// showed one (a name seen beside an id stands for that id), else the shown name.
fn seller_key(
    marketplace: &str,
    id: Option<&str>,
    name: Option<&str>,
    ids_by_name: &HashMap<(String, String), String>,
) -> Option<(String, Option<String>, String)> {
    if let Some(id) = id {
        return Some((
            marketplace.to_owned(),
            Some(id.to_owned()),
            format!("id:{id}"),
        ));
    }
    let name = name?;
    match ids_by_name.get(&(marketplace.to_owned(), name.to_owned())) {
        Some(id) => Some((marketplace.to_owned(), Some(id.clone()), format!("id:{id}"))),
        None => Some((marketplace.to_owned(), None, format!("name:{name}"))),
    }
}

pub(crate) fn sellers_of(rows: &[TimelineRow]) -> Vec<SellerView> {
    let mut ids_by_name = HashMap::new();
    for r in rows {
        if let (Some(m), Some(id), Some(name)) = (&r.marketplace, &r.seller_id, &r.seller) {
            ids_by_name.insert((m.clone(), name.clone()), id.clone());
        }
    }
    let mut sellers: BTreeMap<(String, String), SellerView> = BTreeMap::new();
    for r in rows {
        let (Some(m), Some(listing)) = (&r.marketplace, r.listing) else {
            continue;
        };
        let Some((market, id, key)) =
            seller_key(m, r.seller_id.as_deref(), r.seller.as_deref(), &ids_by_name)
        else {
            continue;
        };
        let s = sellers
            .entry((market.clone(), key))
            .or_insert_with(|| SellerView {
                marketplace: market,
                seller_id: id,
                name: None,
                listings: Vec::new(),
                first_seen: r.finished_at.clone(),
                last_seen: r.finished_at.clone(),
            });
        if r.seller.is_some() {
            s.name = r.seller.clone();
        }
        if !s.listings.contains(&listing) {
            s.listings.push(listing);
        }
        // Rows come oldest first.
        s.last_seen = r.finished_at.clone();
    }
    sellers.into_values().collect()
}

/// The seller of each listing, as [`sellers_of`] names them (the newest capture wins).
fn seller_of_listing(rows: &[TimelineRow]) -> HashMap<i64, (String, String)> {
    let mut out = HashMap::new();
    for s in sellers_of(rows) {
        let label = seller_label(s.seller_id.as_deref(), s.name.as_deref()).unwrap_or_default();
        for l in s.listings {
            out.insert(l, (s.marketplace.clone(), label.clone()));
        }
    }
    out
}

impl Case {
    /// Every listing of the case, in the order first seen.
    pub fn listings(&self) -> Result<Vec<ListingView>> {
        Ok(self
            .store()
            .listings()?
            .into_iter()
            .map(ListingView::from)
            .collect())
    }

    /// One listing with every capture of it in time order, what changed between them,
    /// and the filings that reported it.
    pub fn listing_history(&self, id: i64) -> Result<ListingHistory> {
        let store = self.store();
        let listing = ListingView::from(store.listing(id)?);
        let rows = store.timeline(Some(id))?;
        let filings = store
            .filings()?
            .into_iter()
            .filter_map(|f| {
                let l = f.listings.iter().find(|l| l.listing == id)?;
                Some(ListingFiling {
                    filing: f.id,
                    venue: f.venue.clone(),
                    reference: f.reference.clone(),
                    filed_on: f.filed_on.clone(),
                    outcome: current(&l.outcomes).to_owned(),
                    outcomes: l.outcomes.clone(),
                })
            })
            .collect();
        Ok(ListingHistory {
            listing,
            captures: history(&rows),
            filings,
        })
    }

    /// Every seller of the case, by marketplace.
    pub fn sellers(&self) -> Result<Vec<SellerView>> {
        Ok(sellers_of(&self.store().timeline(None)?))
    }

    /// Records a filing after checking everything it names; refused whole otherwise.
    pub fn add_filing(&self, req: &FilingRequest) -> Result<FilingView> {
        self.ensure_writable()?;
        let venue = exhibit_venues::Venue::parse(req.venue.trim()).ok_or_else(|| {
            Error::Input(format!(
                "There is no venue '{}'; use one of: {}.",
                req.venue.trim(),
                exhibit_venues::Venue::ALL.map(|v| v.as_str()).join(", ")
            ))
        })?;
        let reference = req.reference.trim();
        if reference.is_empty()
            || reference.chars().count() > MAX_REFERENCE
            || reference.chars().any(char::is_control)
        {
            return Err(Error::Input(format!(
                "Give the platform's own reference for the filing (its complaint or case number), in one line of at most {MAX_REFERENCE} characters."
            )));
        }
        let filed = parse_filing_day(&req.filed, "--filed")?;
        let mut store = self.store();
        if store
            .filings()?
            .iter()
            .any(|f| f.venue == venue.as_str() && f.reference == reference)
        {
            return Err(Error::Input(format!(
                "A {} filing with the reference '{reference}' is already recorded; `exhibit filings` shows it.",
                venue.as_str()
            )));
        }
        let (export_sha, listing_ids): (Option<String>, Vec<(i64, Option<i64>)>) = match (
            &req.export,
            req.listings.is_empty(),
        ) {
            (Some(_), false) => {
                return Err(Error::Input(
                    "Name the listings with --listings or with --export, not both.".into(),
                ));
            }
            (None, true) => {
                return Err(Error::Input(
                        "Name the filing's listings with --listings ID,ID,… (see `exhibit listings`) or with --export MANIFEST_SHA256.".into(),
                    ));
            }
            (Some(sha), true) => {
                let sha = sha.trim().to_ascii_lowercase();
                let (export_venue, captures) = exported_captures(&store, &sha)?;
                if export_venue != venue.as_str() {
                    return Err(Error::Input(format!(
                        "That export was made for {export_venue}, not {}; give the venue it was filed with.",
                        venue.as_str()
                    )));
                }
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                for c in captures {
                    if let Some(l) = store.capture_listing(c)?
                        && seen.insert(l)
                    {
                        out.push((l, Some(c)));
                    }
                }
                if out.is_empty() {
                    return Err(Error::Input(
                        "That export holds no capture of a listing the case knows.".into(),
                    ));
                }
                (Some(sha), out)
            }
            (None, false) => {
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                for &l in &req.listings {
                    if !seen.insert(l) {
                        continue;
                    }
                    store.listing(l)?;
                    // The capture the complaint showed: the newest one finished by
                    // the end of the day filed.
                    let shown = store
                        .timeline(Some(l))?
                        .into_iter()
                        .rev()
                        .filter(|r| day_of(&r.finished_at).is_some_and(|d| d <= filed))
                        .find(|r| r.status == "ok")
                        .map(|r| r.capture_id);
                    out.push((l, shown));
                }
                (None, out)
            }
        };
        let filed_on = filed.format("%Y-%m-%d").to_string();
        let id = store.add_filing(&NewFiling {
            venue: venue.as_str(),
            reference,
            filed_on: &filed_on,
            export_sha256: export_sha.as_deref(),
            listings: &listing_ids,
        })?;
        let listings = store.listings()?;
        let filing = store
            .filings()?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or_else(|| Error::Internal(format!("filing {id} vanished")))?;
        Ok(filing_view(filing, &listings, today()))
    }

    /// Records one answer about one listing of a filing, after checking it in full.
    pub fn record_outcome(&self, req: &OutcomeRequest) -> Result<FilingView> {
        self.ensure_writable()?;
        let outcome = Outcome::parse(req.outcome.trim()).ok_or_else(|| {
            Error::Input(format!(
                "There is no outcome '{}'; use one of: {}.",
                req.outcome.trim(),
                Outcome::names()
            ))
        })?;
        let on = parse_filing_day(&req.date, "--date")?;
        let reason = req
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if reason.is_some_and(|r| r.chars().count() > MAX_REASON) {
            return Err(Error::Input(format!(
                "The reason is longer than {MAX_REASON} characters; attach the full answer with --attach and give its gist."
            )));
        }
        let filings = self.store().filings()?;
        let filing = filings.iter().find(|f| f.id == req.filing).ok_or_else(|| {
            Error::Input(format!(
                "This case has no filing {}; `exhibit filings` shows the ids.",
                req.filing
            ))
        })?;
        if !filing.listings.iter().any(|l| l.listing == req.listing) {
            return Err(Error::Input(format!(
                "Filing {} did not report listing {}; it reported {}.",
                filing.id,
                req.listing,
                filing
                    .listings
                    .iter()
                    .map(|l| l.listing.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if parse_day(&filing.filed_on).is_some_and(|f| on < f) {
            return Err(Error::Input(format!(
                "The outcome's date {on} is before the filing's ({}); an answer cannot come before the complaint.",
                filing.filed_on
            )));
        }
        let attachment = match &req.attach {
            Some(path) => Some(self.read_attachment(
                path,
                &format!("answers/filing-{}", filing.id),
                "the answer",
            )?),
            None => None,
        };
        let on_date = on.format("%Y-%m-%d").to_string();
        let mut store = self.store();
        store.add_outcome(&NewOutcome {
            filing: req.filing,
            listing: req.listing,
            outcome: outcome.as_str(),
            on_date: &on_date,
            reason,
            attachment: attachment.as_ref().map(|(n, a)| (n.as_str(), a)),
        })?;
        let listings = store.listings()?;
        let filing = store
            .filings()?
            .into_iter()
            .find(|f| f.id == req.filing)
            .ok_or_else(|| Error::Internal(format!("filing {} vanished", req.filing)))?;
        Ok(filing_view(filing, &listings, today()))
    }

    /// Every filing with its listings, outcomes and the venue's windows.
    pub fn filings(&self) -> Result<Vec<FilingView>> {
        self.filings_as_of(today())
    }

    /// [`Case::filings`] with the windows counted as of `today`.
    pub(crate) fn filings_as_of(&self, today: NaiveDate) -> Result<Vec<FilingView>> {
        let store = self.store();
        let listings = store.listings()?;
        Ok(store
            .filings()?
            .into_iter()
            .map(|f| filing_view(f, &listings, today))
            .collect())
    }

    /// The campaign's figures over the filings made on or after `since` (all of them
    /// without).
    pub fn stats(&self, since: Option<&str>) -> Result<Stats> {
        let since = match since {
            Some(s) => Some(parse_day(s).ok_or_else(|| {
                Error::Input(format!(
                    "--since takes a day such as 2026-03-01 (or an RFC 3339 time), not '{s}'."
                ))
            })?),
            None => None,
        };
        self.stats_as_of(since, today())
    }

    /// [`Case::stats`] as of `today` (an export's own time, so that the same case and
    /// time give the same packet).
    pub(crate) fn stats_as_of(&self, since: Option<NaiveDate>, today: NaiveDate) -> Result<Stats> {
        let store = self.store();
        let rows = store.timeline(None)?;
        let filings = store.filings()?;
        let decisions = store.relisting_decisions()?;
        drop(store);
        Ok(compute_stats(&rows, &filings, &decisions, since, today))
    }
}

fn parse_filing_day(s: &str, flag: &str) -> Result<NaiveDate> {
    let day = parse_day(s).ok_or_else(|| {
        Error::Input(format!(
            "{flag} takes a day such as 2026-03-01 (or an RFC 3339 time), not '{}'.",
            s.trim()
        ))
    })?;
    // A day ahead of UTC is someone's today somewhere.
    if day > today() + chrono::Days::new(1) {
        return Err(Error::Input(format!(
            "{flag} {day} is in the future; give the day it happened."
        )));
    }
    Ok(day)
}

/// The venue and the capture ids of the export whose manifest has this SHA-256, from
/// its custody event.
fn exported_captures(store: &exhibit_store::Store, sha: &str) -> Result<(String, Vec<i64>)> {
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Input(
            "--export takes the manifest SHA-256 an export printed (64 hexadecimal digits).".into(),
        ));
    }
    for e in store.custody_log()?.iter().rev() {
        if e.kind != "export.made" {
            continue;
        }
        let Ok(d) = serde_json::from_str::<serde_json::Value>(&e.detail) else {
            continue;
        };
        if d.get("manifest_sha256").and_then(|v| v.as_str()) != Some(sha) {
            continue;
        }
        let venue = d
            .get("venue")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let Some(ids) = d.get("capture_ids").and_then(|v| v.as_array()) else {
            return Err(Error::Input(
                "That export was made by an older Exhibit that did not record its captures; name the listings with --listings instead.".into(),
            ));
        };
        return Ok((venue, ids.iter().filter_map(|v| v.as_i64()).collect()));
    }
    Err(Error::Input(format!(
        "No export of this case has the manifest SHA-256 {sha}; `exhibit log` lists the exports."
    )))
}

fn filing_view(f: FilingRow, listings: &[ListingRow], today: NaiveDate) -> FilingView {
    let by_id: HashMap<i64, &ListingRow> = listings.iter().map(|l| (l.id, l)).collect();
    let deadlines = parse_day(&f.filed_on)
        .map(|filed| {
            counter_notice_windows(&f.venue)
                .iter()
                .map(|w| {
                    let closes = add_business_days(filed, w.business_days);
                    let days_left = (closes - today).num_days();
                    Deadline {
                        what: w.what,
                        closes_on: closes.format("%Y-%m-%d").to_string(),
                        days_left,
                        open: days_left >= 0,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    FilingView {
        listings: f
            .listings
            .into_iter()
            .map(|l| {
                let row = by_id.get(&l.listing);
                FiledListingView {
                    listing: l.listing,
                    listing_id: row.map(|r| r.listing_ref.clone()),
                    marketplace: row.map(|r| r.marketplace.clone()),
                    url: row.map(|r| r.first_url.clone()),
                    capture_id: l.capture_id,
                    outcome: current(&l.outcomes).to_owned(),
                    outcomes: l.outcomes,
                }
            })
            .collect(),
        id: f.id,
        venue: f.venue,
        reference: f.reference,
        filed_on: f.filed_on,
        export_sha256: f.export_sha256,
        recorded_at: f.recorded_at,
        deadlines,
    }
}

/// What became of one reported listing.
struct Report<'a> {
    venue: &'a str,
    marketplace: String,
    seller: Option<String>,
    filed: NaiveDate,
    current: &'a str,
    removed: bool,
    by_word_only: bool,
    removed_but_live: bool,
    counter_noticed: bool,
    counter_notice_succeeded: bool,
    reinstated: bool,
    /// The day it came down, by the first capture that found it removed, else the
    /// platform's answer.
    removed_on: Option<NaiveDate>,
    /// Seen live by a capture after the day it came down.
    live_again: bool,
    listing: i64,
}

/// Whether a capture that finished at `at` came after an event of day `day` that was
/// recorded in the case at `recorded_at`: a later day, or the same day after the user
/// recorded it (all RFC 3339 in UTC with a `Z`, so they compare as text).
fn came_after(at: &str, day: NaiveDate, recorded_at: &str) -> bool {
    match day_of(at) {
        Some(d) if d > day => true,
        Some(d) if d == day => at > recorded_at,
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)]
fn judge_report<'a>(
    venue: &'a str,
    filed: NaiveDate,
    filed_recorded_at: &str,
    listing: i64,
    outcomes: &'a [OutcomeRow],
    captures: &[&TimelineRow],
    seller: Option<&(String, String)>,
    marketplace: String,
) -> Report<'a> {
    let current = current(outcomes);
    let after: Vec<&&TimelineRow> = captures
        .iter()
        .filter(|r| informative(&r.status))
        .filter(|r| came_after(&r.finished_at, filed, filed_recorded_at))
        .collect();
    let said_removed = outcomes
        .iter()
        .find(|o| o.outcome == "removed")
        .and_then(|o| Some((parse_day(&o.on_date)?, o.recorded_at.as_str())));
    let said_removed_on = said_removed.map(|(d, _)| d);
    let first_removed_capture = after
        .iter()
        .find(|r| r.status == "removed")
        .and_then(|r| day_of(&r.finished_at));
    let latest = after.last().map(|r| r.status.as_str());
    let removed = match latest {
        Some(s) => s == "removed",
        None => current == "removed",
    };
    let removed_but_live = current == "removed"
        && said_removed.is_some_and(|(said, recorded)| {
            after
                .iter()
                .rev()
                .find(|r| came_after(&r.finished_at, said, recorded))
                .is_some_and(|r| r.status == "ok")
        });
    let removed_on = if removed {
        first_removed_capture.or(said_removed_on)
    } else {
        None
    };
    let live_again = removed_on.is_some_and(|down| {
        after
            .iter()
            .any(|r| r.status == "ok" && day_of(&r.finished_at).is_some_and(|d| d > down))
    });
    let counter_at = outcomes.iter().position(|o| o.outcome == "counter-noticed");
    Report {
        venue,
        marketplace,
        seller: seller.map(|(_, s)| s.clone()),
        filed,
        current,
        removed,
        by_word_only: removed && latest.is_none(),
        removed_but_live,
        counter_noticed: counter_at.is_some(),
        counter_notice_succeeded: counter_at.is_some()
            && matches!(current, "reinstated" | "withdrawn" | "rejected"),
        reinstated: outcomes.iter().any(|o| o.outcome == "reinstated"),
        removed_on,
        live_again,
        listing,
    }
}

impl Counts {
    fn add(&mut self, r: &Report<'_>) {
        self.reported += 1;
        self.removed += u64::from(r.removed);
        self.removed_by_word_only += u64::from(r.by_word_only);
        self.removed_but_live += u64::from(r.removed_but_live);
        self.rejected += u64::from(r.current == "rejected");
        self.counter_noticed += u64::from(r.counter_noticed);
        self.counter_notice_succeeded += u64::from(r.counter_notice_succeeded);
        self.reinstated += u64::from(r.reinstated);
        self.pending += u64::from(r.current == "pending" && !r.removed);
        self.takedown_rate = rate(self.removed, self.reported);
        self.counter_notice_success_rate = rate(self.counter_notice_succeeded, self.reported);
    }
}

fn compute_stats(
    rows: &[TimelineRow],
    filings: &[FilingRow],
    decisions: &[exhibit_store::RelistingRow],
    since: Option<NaiveDate>,
    today: NaiveDate,
) -> Stats {
    let mut by_listing: HashMap<i64, Vec<&TimelineRow>> = HashMap::new();
    for r in rows {
        if let Some(l) = r.listing {
            by_listing.entry(l).or_default().push(r);
        }
    }
    let sellers = seller_of_listing(rows);
    // The latest decision on each pair holds.
    let mut pairs: BTreeMap<(i64, i64), bool> = BTreeMap::new();
    for d in decisions {
        pairs.insert((d.original, d.relisting), d.decision == "confirmed");
    }
    let relisted_originals: BTreeMap<i64, u64> =
        pairs
            .iter()
            .filter(|(_, c)| **c)
            .fold(BTreeMap::new(), |mut m, ((o, _), _)| {
                *m.entry(*o).or_insert(0) += 1;
                m
            });

    let mut reports = Vec::new();
    for f in filings {
        let Some(filed) = parse_day(&f.filed_on) else {
            continue;
        };
        if since.is_some_and(|s| filed < s) {
            continue;
        }
        for l in &f.listings {
            let captures = by_listing.get(&l.listing).map_or(&[][..], |v| &v[..]);
            let marketplace = captures
                .iter()
                .find_map(|r| r.marketplace.clone())
                .unwrap_or_default();
            reports.push(judge_report(
                &f.venue,
                filed,
                &f.recorded_at,
                l.listing,
                &l.outcomes,
                captures,
                sellers.get(&l.listing),
                marketplace,
            ));
        }
    }

    let mut counts = Counts::default();
    let mut by_venue: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_marketplace: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_seller: BTreeMap<String, Counts> = BTreeMap::new();
    for r in &reports {
        counts.add(r);
        by_venue.entry(r.venue.to_owned()).or_default().add(r);
        by_marketplace
            .entry(r.marketplace.clone())
            .or_default()
            .add(r);
        if let Some(s) = &r.seller {
            by_seller.entry(s.clone()).or_default().add(r);
        }
    }

    let days: Vec<f64> = reports
        .iter()
        .filter_map(|r| r.removed_on.map(|d| (d - r.filed).num_days().max(0) as f64))
        .collect();
    let eligible: Vec<&Report<'_>> = reports
        .iter()
        .filter(|r| {
            r.removed_on
                .is_some_and(|d| (today - d).num_days() >= i64::from(STAY_DOWN_DAYS))
        })
        .collect();
    let stayed = eligible
        .iter()
        .filter(|r| !r.live_again && !r.reinstated && !relisted_originals.contains_key(&r.listing))
        .count() as u64;
    let reported_listings: BTreeSet<i64> = reports.iter().map(|r| r.listing).collect();
    let relisted: u64 = relisted_originals
        .iter()
        .filter(|(o, _)| reported_listings.contains(o))
        .map(|(_, n)| *n)
        .sum();

    let mut per_seller: BTreeMap<(String, String), (BTreeSet<i64>, u64)> = BTreeMap::new();
    for r in &reports {
        if let Some(s) = &r.seller {
            let e = per_seller
                .entry((r.marketplace.clone(), s.clone()))
                .or_default();
            if e.0.insert(r.listing) {
                e.1 += relisted_originals.get(&r.listing).copied().unwrap_or(0);
            }
        }
    }
    let repeat_sellers = per_seller
        .into_iter()
        .filter(|(_, (l, re))| l.len() >= 2 || *re > 0)
        .map(|((marketplace, seller), (l, re))| RepeatSeller {
            seller,
            marketplace,
            reported_listings: l.len() as u64,
            relisted: re,
        })
        .collect();

    let good_faith = {
        let from = today - chrono::Days::new(91);
        let mut c = Counts::default();
        for r in reports
            .iter()
            .filter(|r| r.venue == "alibaba-ipp" && r.filed >= from)
        {
            c.add(r);
        }
        (c.reported > 0).then(|| GoodFaith {
            from: from.format("%Y-%m-%d").to_string(),
            to: today.format("%Y-%m-%d").to_string(),
            reported: c.reported,
            takedown_rate: c.takedown_rate,
            takedown_rate_needed: 0.90,
            counter_notice_success_rate: c.counter_notice_success_rate,
            counter_notice_success_rate_allowed: 0.05,
            meets: c.takedown_rate.is_some_and(|t| t >= 0.90)
                && c.counter_notice_success_rate.is_some_and(|s| s <= 0.05),
        })
    };

    let removed = counts.removed;
    Stats {
        since: since.map(|s| s.format("%Y-%m-%d").to_string()),
        today: today.format("%Y-%m-%d").to_string(),
        median_days_to_removal: median(days),
        stay_down_rate: rate(stayed, eligible.len() as u64),
        stay_down_days: STAY_DOWN_DAYS,
        stay_down_eligible: eligible.len() as u64,
        relisted,
        relisting_rate: rate(relisted, removed),
        counts,
        by_venue,
        by_marketplace,
        by_seller,
        repeat_sellers,
        good_faith,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, listing: i64, at: &str, status: &str, seller: Option<&str>) -> TimelineRow {
        TimelineRow {
            capture_id: id,
            listing: Some(listing),
            mode: "http".into(),
            requested_url: format!("https://example.com/{listing}"),
            finished_at: at.into(),
            status: status.into(),
            marketplace: Some("taobao".into()),
            title: (status == "ok").then(|| format!("item {listing}")),
            price: (status == "ok").then(|| "10.00".into()),
            currency: (status == "ok").then(|| "CNY".into()),
            seller_id: seller.map(str::to_owned),
            seller: seller.map(|s| format!("shop {s}")),
            image_sha256: None,
        }
    }

    fn outcome(id: i64, o: &str, on: &str) -> OutcomeRow {
        OutcomeRow {
            id,
            outcome: o.into(),
            on_date: on.into(),
            reason: None,
            attachment: None,
            attachment_sha256: None,
            recorded_at: format!("{on}T00:00:00.000Z"),
        }
    }

    fn filing(id: i64, venue: &str, on: &str, listings: Vec<(i64, Vec<OutcomeRow>)>) -> FilingRow {
        FilingRow {
            id,
            venue: venue.into(),
            reference: format!("REF-{id}"),
            filed_on: on.into(),
            export_sha256: None,
            recorded_at: format!("{on}T00:00:00.000Z"),
            listings: listings
                .into_iter()
                .map(|(listing, outcomes)| exhibit_store::FiledListing {
                    listing,
                    capture_id: None,
                    outcomes,
                })
                .collect(),
        }
    }

    #[test]
    fn history_names_each_change_and_skips_what_proves_nothing() {
        let mut a = row(1, 7, "2026-01-01T00:00:00Z", "ok", Some("11"));
        let blocked = row(2, 7, "2026-01-02T00:00:00Z", "blocked", None);
        let mut b = row(3, 7, "2026-01-03T00:00:00Z", "ok", Some("12"));
        a.price = Some("10.00".into());
        b.price = Some("12.50".into());
        let gone = row(4, 7, "2026-01-04T00:00:00Z", "removed", None);
        let h = history(&[a, blocked, b, gone]);
        assert!(h[0].changed.is_empty());
        assert!(
            h[1].changed.is_empty(),
            "a blocked capture is never compared"
        );
        let fields: Vec<_> = h[2].changed.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["price", "seller"]);
        assert_eq!(h[2].changed[0].from.as_deref(), Some("10.00 CNY"));
        assert_eq!(h[2].changed[0].to.as_deref(), Some("12.50 CNY"));
        assert_eq!(
            h[3].changed,
            vec![Change {
                field: "status",
                from: Some("ok".into()),
                to: Some("removed".into())
            }]
        );
    }

    #[test]
    fn sellers_group_by_id_and_names_seen_beside_one() {
        let mut named_only = row(3, 9, "2026-01-05T00:00:00Z", "ok", None);
        named_only.seller = Some("shop 11".into());
        let rows = vec![
            row(1, 7, "2026-01-01T00:00:00Z", "ok", Some("11")),
            row(2, 8, "2026-01-03T00:00:00Z", "ok", Some("12")),
            named_only,
        ];
        let s = sellers_of(&rows);
        assert_eq!(s.len(), 2);
        let shop11 = s.iter().find(|s| s.seller_id.as_deref() == Some("11"));
        let shop11 = shop11.map(|s| {
            (
                s.listings.clone(),
                s.first_seen.clone(),
                s.last_seen.clone(),
            )
        });
        assert_eq!(
            shop11,
            Some((
                vec![7, 9],
                "2026-01-01T00:00:00Z".to_owned(),
                "2026-01-05T00:00:00Z".to_owned()
            ))
        );
    }

    #[test]
    fn figures_follow_the_captures_before_the_platforms_word() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
        let rows = vec![
            // 1: live, filed, then found removed 4 days later; platform said removed on day 6.
            row(1, 1, "2026-03-01T10:00:00Z", "ok", Some("11")),
            row(2, 1, "2026-03-06T10:00:00Z", "removed", None),
            // 2: live, filed, platform says removed, still live after: removed_but_live.
            row(3, 2, "2026-03-01T10:00:00Z", "ok", Some("11")),
            row(4, 2, "2026-03-10T10:00:00Z", "ok", Some("11")),
            // 3: rejected, no recapture.
            row(5, 3, "2026-03-01T10:00:00Z", "ok", Some("12")),
            // 4: removed by word only, then counter-noticed and reinstated.
            row(6, 4, "2026-03-01T10:00:00Z", "ok", Some("13")),
        ];
        let filings = vec![filing(
            1,
            "alibaba-ipp",
            "2026-03-02",
            vec![
                (1, vec![outcome(1, "removed", "2026-03-08")]),
                (2, vec![outcome(2, "removed", "2026-03-05")]),
                (3, vec![outcome(3, "rejected", "2026-03-04")]),
                (
                    4,
                    vec![
                        outcome(4, "removed", "2026-03-04"),
                        outcome(5, "counter-noticed", "2026-03-05"),
                        outcome(6, "reinstated", "2026-03-09"),
                    ],
                ),
            ],
        )];
        let s = compute_stats(&rows, &filings, &[], None, today);
        let c = &s.counts;
        assert_eq!(
            (c.reported, c.removed, c.removed_but_live, c.rejected),
            (4, 1, 1, 1)
        );
        assert_eq!(
            (c.counter_noticed, c.counter_notice_succeeded, c.reinstated),
            (1, 1, 1)
        );
        assert_eq!(c.takedown_rate, Some(0.25));
        // Listing 1: filed 2 March, first capture that found it removed 6 March.
        assert_eq!(s.median_days_to_removal, Some(4.0));
        assert_eq!((s.stay_down_eligible, s.stay_down_rate), (1, Some(1.0)));
        assert_eq!(s.by_venue.get("alibaba-ipp").map(|c| c.reported), Some(4));
        // Seller 11 had two listings reported.
        assert_eq!(s.repeat_sellers.len(), 1);
        assert_eq!(s.repeat_sellers[0].reported_listings, 2);
        let gf = s.good_faith.as_ref().map(|g| (g.reported, g.meets));
        assert_eq!(gf, Some((4, false)));
        // Filed before the window: nothing counted.
        let later = compute_stats(
            &rows,
            &filings,
            &[],
            NaiveDate::from_ymd_opt(2026, 4, 1),
            today,
        );
        assert_eq!(later.counts.reported, 0);
        assert_eq!(later.counts.takedown_rate, None);
    }
}
