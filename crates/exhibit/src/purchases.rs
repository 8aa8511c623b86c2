//! Test purchases: an order placed on one listing of the case, what arrives after it
//! (tracking, the seller's ship-from address, delivery), its files (order confirmation,
//! receipt, label, photos, the comparison with a genuine item), the verdict, and the
//! physical item's chain of custody.
//!
//! Like the campaign's writes, each request is checked in full first, so a refused one
//! changes nothing, and then goes to the store in one transaction with its custody
//! event. A file is read and hashed as it is stored; a set of files is kept whole or
//! not at all.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use exhibit_domain::NewArtifact;
use exhibit_store::{
    ListingRow, NewItemCustody, NewPurchase, NewPurchaseUpdate, PurchaseRow, PurchaseUpdateRow,
};
use serde::Serialize;

use crate::app::{clean_file_name, media_type_of};
use crate::{Case, Error, Result};

/// The largest file attached to a purchase (a phone's photo is a few MB; a short video
/// of the parcel being opened can be tens).
pub const MAX_PURCHASE_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// Longest one-line text kept (an order number, a name, a place), in characters.
const MAX_LINE: usize = 300;
/// Longest free text kept (a method, a note), in characters.
const MAX_TEXT: usize = 4000;

/// The kinds of file a purchase keeps.
pub const PURCHASE_FILE_KINDS: [&str; 6] = [
    "order",
    "receipt",
    "label",
    "parcel-photo",
    "product-photo",
    "comparison",
];

/// The verdicts a comparison with a genuine item can give.
pub const VERDICTS: [&str; 3] = ["counterfeit", "genuine", "inconclusive"];

/// A test purchase with its listing, seller and everything recorded since. Field names
/// are a contract with outside scripts: only add. The purchase as stored comes first in
/// the JSON, its fields at the top level, then what the view adds.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PurchaseView {
    /// The purchase as stored: order, amount, ship-to (and its region), the shipping
    /// updates oldest first, files, verdict and the item's handovers.
    #[serde(flatten)]
    pub purchase: PurchaseRow,
    /// The marketplace's own id for the listing.
    pub listing_id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub seller_id: Option<String>,
    pub seller: Option<String>,
    /// The latest of each shipping fact given.
    pub tracking: Option<String>,
    pub carrier: Option<String>,
    pub ship_from: Option<String>,
    pub delivered_on: Option<String>,
}

/// A test purchase to record.
#[derive(Debug, Clone, Default, ts_rs::TS)]
pub struct PurchaseRequest {
    /// The case's listing id.
    pub listing: i64,
    pub order: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// A decimal such as `12.50`.
    pub amount: String,
    /// Three letters, such as `USD`.
    pub currency: String,
    /// The address shipped to, such as "Chicago, IL, US".
    pub ship_to: String,
    /// The buyer account used: a persona, never the brand's own.
    #[ts(optional = nullable)]
    pub buyer: Option<String>,
    /// The payment card's last four digits.
    #[ts(optional = nullable)]
    pub payment: Option<String>,
}

/// Shipping facts of a purchase as they arrive; at least one.
#[derive(Debug, Clone, Default, ts_rs::TS)]
pub struct PurchaseUpdateRequest {
    pub purchase: i64,
    #[ts(optional = nullable)]
    pub tracking: Option<String>,
    #[ts(optional = nullable)]
    pub carrier: Option<String>,
    #[ts(optional = nullable)]
    pub ship_from: Option<String>,
    /// `YYYY-MM-DD`.
    #[ts(optional = nullable)]
    pub delivered: Option<String>,
}

/// The verdict of the comparison with a genuine item.
#[derive(Debug, Clone, Default, ts_rs::TS)]
pub struct VerdictRequest {
    pub purchase: i64,
    /// `counterfeit`, `genuine` or `inconclusive`.
    pub verdict: String,
    pub by: String,
    pub method: String,
}

/// One handover of the purchased item.
#[derive(Debug, Clone, Default, ts_rs::TS)]
pub struct ItemCustodyRequest {
    pub purchase: i64,
    pub from: String,
    pub to: String,
    /// RFC 3339, or `YYYY-MM-DD`.
    pub at: String,
    pub place: String,
    #[ts(optional = nullable)]
    pub seal: Option<String>,
    #[ts(optional = nullable)]
    pub note: Option<String>,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Trimmed one-line text, at most `max` characters; `None` when blank.
fn line<'a>(s: Option<&'a str>, flag: &str, max: usize) -> Result<Option<&'a str>> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(Error::Input(format!(
            "{flag} takes one line of at most {max} characters."
        )));
    }
    Ok(Some(s))
}

fn required<'a>(s: &'a str, flag: &str, what: &str, max: usize) -> Result<&'a str> {
    line(Some(s), flag, max)?.ok_or_else(|| Error::Input(format!("Give {what} with {flag}.")))
}

/// Free text: several lines allowed, at most `max` characters.
fn text<'a>(s: Option<&'a str>, flag: &str, max: usize) -> Result<Option<&'a str>> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if s.chars().count() > max || s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::Input(format!(
            "{flag} takes text of at most {max} characters."
        )));
    }
    Ok(Some(s))
}

/// A day written `YYYY-MM-DD`, not in the future.
fn day(s: &str, flag: &str) -> Result<NaiveDate> {
    let s = s.trim();
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| {
            Error::Input(format!(
                "{flag} takes a day written YYYY-MM-DD, such as 2026-03-01, not '{s}'."
            ))
        })?;
    // A day ahead of UTC is someone's today somewhere.
    if d > today() + chrono::Days::new(1) {
        return Err(Error::Input(format!(
            "{flag} {d} is in the future; give the day it happened."
        )));
    }
    Ok(d)
}

/// The amount paid, as a decimal text with no sign or separators: `12.50`.
fn amount(s: &str) -> Result<String> {
    let s = s.trim();
    if s.starts_with('-') {
        return Err(Error::Input(format!(
            "The amount {s} is negative; give what was paid, such as 12.50."
        )));
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || int.len() > 12
        || !digits(int)
        || !digits(frac)
        || frac.len() > 3
        || (s.contains('.') && frac.is_empty())
    {
        return Err(Error::Input(format!(
            "--amount takes what was paid as a number such as 12.50 (no currency sign or thousands separator), not '{s}'."
        )));
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if int == "0" && frac.bytes().all(|b| b == b'0') {
        return Err(Error::Input(
            "The amount is zero; give what the test purchase cost, such as 12.50.".into(),
        ));
    }
    Ok(if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    })
}

fn currency(s: &str) -> Result<String> {
    let s = s.trim();
    if s.len() != 3 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::Input(format!(
            "--currency takes a three-letter currency code such as USD, not '{s}'."
        )));
    }
    Ok(s.to_ascii_uppercase())
}

fn last_four(s: &str) -> Result<&str> {
    let s = s.trim();
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Input(
            "--payment takes the card's last four digits only, such as 4242; never give the whole number.".into(),
        ));
    }
    Ok(s)
}

/// A handover's time: RFC 3339 (kept in UTC), or a day.
fn custody_time(s: &str) -> Result<(String, NaiveDate)> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        let t = t.with_timezone(&Utc);
        if t > Utc::now() + chrono::Duration::hours(24) {
            return Err(Error::Input(format!(
                "--at {s} is in the future; give the time it happened."
            )));
        }
        return Ok((t.to_rfc3339_opts(SecondsFormat::Secs, true), t.date_naive()));
    }
    let d = day(s, "--at").map_err(|e| match e {
        Error::Input(m) if m.contains("takes a day") => Error::Input(format!(
            "--at takes a time such as 2026-03-01T14:30:00Z (or a day, 2026-03-01), not '{s}'."
        )),
        e => e,
    })?;
    Ok((d.format("%Y-%m-%d").to_string(), d))
}

/// `name`, or `stem-2.ext` and so on when the purchase already has a file so named.
fn numbered(name: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(name) {
        return name.to_owned();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| name.to_owned())
}

/// A file to attach, checked before anything is stored.
struct Checked {
    path: PathBuf,
    name: String,
}

fn check_file(path: &Path) -> Result<String> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(clean_file_name)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            Error::Input(format!(
                "{} is not a file name Exhibit can use; give the file itself.",
                path.display()
            ))
        })?;
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::Input(format!(
            "Cannot read {}: {e}. Check the path and try again.",
            path.display()
        ))
    })?;
    if !meta.is_file() {
        return Err(Error::Input(format!(
            "{} is not a regular file; give the file itself.",
            path.display()
        )));
    }
    if meta.len() > MAX_PURCHASE_FILE_BYTES {
        return Err(Error::Input(format!(
            "{} is larger than {} MB; attach a smaller copy of it.",
            path.display(),
            MAX_PURCHASE_FILE_BYTES / (1024 * 1024)
        )));
    }
    std::fs::File::open(path).map_err(|e| {
        Error::Input(format!(
            "Cannot read {}: {e}. Check the path and try again.",
            path.display()
        ))
    })?;
    Ok(name)
}

/// Reads a checked file whole, refusing one that grew past the limit since.
fn read_checked(c: &Checked) -> Result<(String, NewArtifact)> {
    let cannot = |e: std::io::Error| {
        Error::Input(format!(
            "Cannot read {}: {e}. Nothing was attached.",
            c.path.display()
        ))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(&c.path)
        .and_then(|f| f.take(MAX_PURCHASE_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_PURCHASE_FILE_BYTES {
        return Err(Error::Input(format!(
            "{} grew larger than {} MB while it was read; nothing was attached.",
            c.path.display(),
            MAX_PURCHASE_FILE_BYTES / (1024 * 1024)
        )));
    }
    let media_type = media_type_of(&c.name, &bytes);
    Ok((
        c.name.clone(),
        NewArtifact::new("purchase-file", media_type, bytes),
    ))
}

/// The newest value of one shipping fact among a purchase's updates.
fn latest(
    updates: &[PurchaseUpdateRow],
    fact: impl Fn(&PurchaseUpdateRow) -> Option<&String>,
) -> Option<String> {
    updates.iter().rev().find_map(|u| fact(u).cloned())
}

fn purchase_view(p: PurchaseRow, listings: &HashMap<i64, &ListingRow>) -> PurchaseView {
    let l = listings.get(&p.listing);
    let tracking = latest(&p.updates, |u| u.tracking.as_ref());
    let carrier = latest(&p.updates, |u| u.carrier.as_ref());
    let ship_from = latest(&p.updates, |u| u.ship_from.as_ref());
    let delivered_on = latest(&p.updates, |u| u.delivered_on.as_ref());
    PurchaseView {
        listing_id: l.map(|l| l.listing_ref.clone()),
        url: l.map(|l| l.first_url.clone()),
        title: l.and_then(|l| l.title.clone()),
        seller_id: l.and_then(|l| l.seller_id.clone()),
        seller: l.and_then(|l| l.seller.clone()),
        tracking,
        carrier,
        ship_from,
        delivered_on,
        purchase: p,
    }
}

impl Case {
    /// Every test purchase with its listing, seller, files, verdict and custody entries,
    /// in the order recorded.
    pub fn purchases(&self) -> Result<Vec<PurchaseView>> {
        let store = self.store();
        let listings = store.listings()?;
        let by_id: HashMap<i64, &ListingRow> = listings.iter().map(|l| (l.id, l)).collect();
        Ok(store
            .purchases()?
            .into_iter()
            .map(|p| purchase_view(p, &by_id))
            .collect())
    }

    /// One purchase as [`Case::purchases`] shows it.
    pub fn purchase(&self, id: i64) -> Result<PurchaseView> {
        self.purchases()?
            .into_iter()
            .find(|p| p.purchase.id == id)
            .ok_or_else(|| no_purchase(id))
    }

    /// Records a test purchase of one listing after checking it in full.
    pub fn add_purchase(&self, req: &PurchaseRequest) -> Result<PurchaseView> {
        self.ensure_writable()?;
        let order = required(&req.order, "--order", "the order number", MAX_LINE)?;
        let ordered_on = day(&req.date, "--date")?.format("%Y-%m-%d").to_string();
        let amount = amount(&req.amount)?;
        let currency = currency(&req.currency)?;
        let ship_to = required(
            &req.ship_to,
            "--ship-to",
            "the address the item was shipped to",
            MAX_LINE,
        )?;
        let buyer = line(req.buyer.as_deref(), "--buyer", MAX_LINE)?;
        let payment = match req.payment.as_deref() {
            Some(p) => Some(last_four(p)?),
            None => None,
        };
        let ship_to_region = exhibit_domain::region_of(ship_to);
        let mut store = self.store();
        let listing = store.listing(req.listing)?;
        if store
            .purchases()?
            .iter()
            .any(|p| p.platform == listing.marketplace && p.order_number == order)
        {
            return Err(Error::Input(format!(
                "A purchase with the order number {order} on {} is already recorded; `exhibit purchases` shows it.",
                listing.marketplace
            )));
        }
        let id = store.add_purchase(&NewPurchase {
            listing: listing.id,
            order_number: order,
            ordered_on: &ordered_on,
            platform: &listing.marketplace,
            buyer,
            amount: &amount,
            currency: &currency,
            payment_last4: payment,
            ship_to,
            ship_to_region: ship_to_region.as_deref(),
        })?;
        drop(store);
        self.purchase(id)
    }

    /// Records shipping facts of a purchase as they arrive.
    pub fn update_purchase(&self, req: &PurchaseUpdateRequest) -> Result<PurchaseView> {
        self.ensure_writable()?;
        let tracking = line(req.tracking.as_deref(), "--tracking", MAX_LINE)?;
        let carrier = line(req.carrier.as_deref(), "--carrier", MAX_LINE)?;
        let ship_from = line(req.ship_from.as_deref(), "--ship-from", MAX_LINE)?;
        let delivered = match req.delivered.as_deref() {
            Some(d) => Some(day(d, "--delivered")?),
            None => None,
        };
        if tracking.is_none() && carrier.is_none() && ship_from.is_none() && delivered.is_none() {
            return Err(Error::Input(
                "Give at least one of --tracking, --carrier, --ship-from and --delivered.".into(),
            ));
        }
        let p = self.purchase(req.purchase)?;
        if let Some(d) = delivered
            && NaiveDate::parse_from_str(&p.purchase.ordered_on, "%Y-%m-%d").is_ok_and(|o| d < o)
        {
            return Err(Error::Input(format!(
                "The delivery date {d} is before the order date ({}); a parcel cannot arrive before it was ordered.",
                p.purchase.ordered_on
            )));
        }
        let delivered_on = delivered.map(|d| d.format("%Y-%m-%d").to_string());
        self.store().update_purchase(
            p.purchase.id,
            &NewPurchaseUpdate {
                tracking,
                carrier,
                ship_from,
                delivered_on: delivered_on.as_deref(),
            },
        )?;
        self.purchase(p.purchase.id)
    }

    /// Attaches files of one kind to a purchase, hashing each as it is stored: all of
    /// them, or, when one cannot be used, none.
    pub fn attach_purchase_files(
        &self,
        purchase: i64,
        kind: &str,
        paths: &[PathBuf],
    ) -> Result<PurchaseView> {
        self.ensure_writable()?;
        let kind = kind.trim();
        if !PURCHASE_FILE_KINDS.contains(&kind) {
            return Err(Error::Input(format!(
                "There is no file kind '{kind}'; use one of: {}.",
                PURCHASE_FILE_KINDS.join(", ")
            )));
        }
        if paths.is_empty() {
            return Err(Error::Input("Give the files to attach.".into()));
        }
        let p = self.purchase(purchase)?;
        let mut taken: BTreeSet<String> = p
            .purchase
            .files
            .iter()
            .map(|f| f.file_name.clone())
            .collect();
        let mut checked = Vec::with_capacity(paths.len());
        for path in paths {
            let name = numbered(&check_file(path)?, &taken);
            taken.insert(name.clone());
            checked.push(Checked {
                path: path.clone(),
                name,
            });
        }
        self.store()
            .add_purchase_files(p.purchase.id, kind, checked.iter().map(read_checked))?;
        self.purchase(p.purchase.id)
    }

    /// Records the verdict of the comparison with a genuine item: once a purchase.
    pub fn purchase_verdict(&self, req: &VerdictRequest) -> Result<PurchaseView> {
        self.ensure_writable()?;
        let verdict = req.verdict.trim();
        if !VERDICTS.contains(&verdict) {
            return Err(Error::Input(format!(
                "There is no verdict '{verdict}'; use one of: {}.",
                VERDICTS.join(", ")
            )));
        }
        let by = required(&req.by, "--by", "who compared the items", MAX_LINE)?;
        let method = text(Some(req.method.as_str()), "--method", MAX_TEXT)?.ok_or_else(|| {
            Error::Input(
                "Give how the item was compared with a genuine one, and what differs, with --method."
                    .into(),
            )
        })?;
        let p = self.purchase(req.purchase)?;
        if let Some(v) = &p.purchase.verdict {
            return Err(Error::Input(format!(
                "Purchase {} already has its verdict ({}, by {}); a verdict is given once and never changed.",
                p.purchase.id, v.verdict, v.by
            )));
        }
        self.store()
            .add_verdict(p.purchase.id, verdict, by, method)?;
        self.purchase(p.purchase.id)
    }

    /// Records one handover of a purchase's physical item.
    pub fn item_custody(&self, req: &ItemCustodyRequest) -> Result<PurchaseView> {
        self.ensure_writable()?;
        let from = required(&req.from, "--from", "who released the item", MAX_LINE)?;
        let to = required(&req.to, "--to", "who received the item", MAX_LINE)?;
        let (at, on) = custody_time(&req.at)?;
        let place = required(&req.place, "--place", "where it happened", MAX_LINE)?;
        let seal = line(req.seal.as_deref(), "--seal", MAX_LINE)?;
        let note = text(req.note.as_deref(), "--note", MAX_TEXT)?;
        let p = self.purchase(req.purchase)?;
        if NaiveDate::parse_from_str(&p.purchase.ordered_on, "%Y-%m-%d").is_ok_and(|o| on < o) {
            return Err(Error::Input(format!(
                "The handover on {on} is before the order date ({}); the item was not bought yet.",
                p.purchase.ordered_on
            )));
        }
        self.store().add_item_custody(
            p.purchase.id,
            &NewItemCustody {
                released_by: from,
                received_by: to,
                at: &at,
                place,
                seal,
                note,
            },
        )?;
        self.purchase(p.purchase.id)
    }
}

fn no_purchase(id: i64) -> Error {
    Error::Input(format!(
        "This case has no purchase {id}; `exhibit purchases` shows the ids."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_plain_positive_decimals() {
        assert_eq!(amount("12.50").ok().as_deref(), Some("12.50"));
        assert_eq!(amount(" 007 ").ok().as_deref(), Some("7"));
        assert_eq!(amount("0.99").ok().as_deref(), Some("0.99"));
        for bad in [
            "-1", "-0.5", "12,50", "$12", "1e3", "12.", ".5", "", "0", "0.00", "1.2345",
        ] {
            assert!(amount(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn currencies_and_card_digits() {
        assert_eq!(currency("usd").ok().as_deref(), Some("USD"));
        assert!(currency("US").is_err() && currency("US$").is_err());
        assert!(last_four("4242").is_ok());
        for bad in ["424", "42424", "4242424242424242", "42a2"] {
            assert!(last_four(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_names_are_numbered_within_a_purchase() {
        let mut taken = BTreeSet::new();
        assert_eq!(numbered("a.jpg", &taken), "a.jpg");
        taken.insert("a.jpg".to_owned());
        assert_eq!(numbered("a.jpg", &taken), "a-2.jpg");
    }
}
