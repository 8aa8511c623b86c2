//! Sellers as defendants: each seller's evidence gathered from the case (its listings,
//! the storefront that shows where it is, the checkout that ships to the forum, its
//! test purchases), for the seller view and for the `schedule-a` venue. The rules and
//! the documents are `exhibit_defendants`'s; this module only reads the case.

use std::collections::HashMap;

use exhibit_defendants::{
    Defendant, DefendantListing, EvidencePage, Gap, Handover, Purchase, PurchaseFile, Verdict,
};
use exhibit_domain::{Capture, CaptureStatus};
use exhibit_store::TimelineRow;
use exhibit_venues::{Complaint, SCHEDULE_A_DEFAULT_FORUM};
use serde::Serialize;

use crate::campaign::SellerView;
use crate::purchases::PurchaseView;
use crate::{Case, Error, Result};

/// A seller of the case as a possible defendant: its evidence, and what a Schedule A
/// exhibit would still lack, in plain words. Field names are a contract: only add.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DefendantView {
    #[serde(flatten)]
    pub defendant: Defendant,
    /// What is missing for a Schedule A exhibit in the forum asked for.
    pub missing: Vec<Gap>,
}

/// Checks a forum given by a person: `US-IL`, or a country alone.
pub(crate) fn forum_of(forum: Option<&str>) -> Result<String> {
    let f = forum.map(str::trim).unwrap_or(SCHEDULE_A_DEFAULT_FORUM);
    if !exhibit_venues::text::is_region(f) {
        return Err(Error::Input(format!(
            "Give the forum as a country and state code such as US-IL, not '{}'.",
            exhibit_venues::text::one_line(f)
        )));
    }
    Ok(f.to_owned())
}

/// Everything the defendants are built from, read from the case once.
struct Evidence {
    sellers: Vec<SellerView>,
    /// Each listing's capture rows, oldest first.
    rows: HashMap<i64, Vec<TimelineRow>>,
    /// Storefront and checkout pages, oldest first.
    pages: Vec<Capture>,
    /// Each capture's main image dHash.
    dhash: HashMap<i64, u64>,
    purchases: Vec<PurchaseView>,
    /// Each listing's id on its marketplace.
    listing_refs: HashMap<i64, String>,
}

impl Case {
    /// Every seller of the case as a possible defendant in `forum` (`US-IL` when none is
    /// given), with its listings, storefront, checkout and test purchases, and what a
    /// Schedule A exhibit would still lack.
    pub fn defendants(&self, forum: Option<&str>) -> Result<Vec<DefendantView>> {
        let forum = forum_of(forum)?;
        let ev = self.defendant_evidence()?;
        let mut out = Vec::new();
        for (i, s) in ev.sellers.iter().enumerate() {
            let listings = s
                .listings
                .iter()
                .filter_map(|l| ev.rows.get(l))
                .filter_map(|rows| rows.iter().rev().find(|r| r.status == "ok").or(rows.last()))
                .map(|r| listing_of_row(r, &ev.dhash))
                .collect();
            let d = ev.defendant(i + 1, s, listings);
            let missing = exhibit_defendants::gaps(&d, &forum);
            out.push(DefendantView {
                defendant: d,
                missing,
            });
        }
        Ok(out)
    }

    /// The defendants of a Schedule A complaint: the sellers of its listings, numbered
    /// in the order their first listing appears, each with the complaint's listings of
    /// it (in order) and its storefront, checkout and purchases from the case. A listing
    /// whose pages name no seller is a defendant of its own, named by the listing.
    pub(crate) fn schedule_a_defendants(&self, complaint: &Complaint) -> Result<Vec<Defendant>> {
        let ev = self.defendant_evidence()?;
        let mut seller_of: HashMap<i64, usize> = HashMap::new();
        for (i, s) in ev.sellers.iter().enumerate() {
            for l in &s.listings {
                seller_of.insert(*l, i);
            }
        }
        // Key: the seller's index, or a listing of its own (as a negative).
        // Storefront and checkout pages are each defendant's own exhibits, never listings
        // (`[listings] all_ok` takes in every capture found ok, these too).
        let pages: std::collections::HashSet<i64> = ev.pages.iter().map(|c| c.id).collect();
        let mut order: Vec<(i64, Vec<DefendantListing>)> = Vec::new();
        for l in complaint
            .listings
            .iter()
            .filter(|l| !pages.contains(&l.capture.id))
        {
            let listing = self.store().capture_listing(l.capture.id)?;
            let key = match listing.and_then(|id| seller_of.get(&id)) {
                Some(i) => *i as i64,
                None => -1 - l.capture.id,
            };
            let right = complaint
                .right(&l.right)
                .map(exhibit_venues::Right::label)
                .unwrap_or_else(|| l.right.clone());
            let dl = DefendantListing {
                exhibit: Some(l.exhibit),
                capture_id: l.capture.id,
                url: l.capture.listing_url().to_owned(),
                captured_at: l.capture.captured_at.clone(),
                status: l.capture.status.as_str().to_owned(),
                title: l.capture.title.clone(),
                price: l.capture.price.clone(),
                currency: l.capture.currency.clone(),
                right,
                image_dhash: ev.dhash.get(&l.capture.id).copied(),
                screenshot: l
                    .capture
                    .artifacts
                    .iter()
                    .any(|a| a.kind == "screenshot")
                    .then(|| l.capture.id.to_string()),
            };
            match order.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(dl),
                None => order.push((key, vec![dl])),
            }
        }
        let mut out = Vec::new();
        for (n, (key, listings)) in order.into_iter().enumerate() {
            let doe = n + 1;
            let d = match usize::try_from(key).ok().and_then(|i| ev.sellers.get(i)) {
                Some(s) => ev.defendant(doe, s, listings),
                None => {
                    let first = listings.first().map(|l| l.url.clone()).unwrap_or_default();
                    let marketplace = complaint
                        .listings
                        .iter()
                        .find(|l| Some(l.exhibit) == listings.first().and_then(|x| x.exhibit))
                        .and_then(|l| l.capture.marketplace.clone())
                        .unwrap_or_default();
                    Defendant {
                        doe,
                        marketplace,
                        alias: format!("Seller not shown ({first})"),
                        listings,
                        ..Defendant::default()
                    }
                }
            };
            out.push(d);
        }
        Ok(out)
    }

    fn defendant_evidence(&self) -> Result<Evidence> {
        let store = self.store();
        let timeline = store.timeline(None)?;
        let mut rows: HashMap<i64, Vec<TimelineRow>> = HashMap::new();
        for r in &timeline {
            if let Some(l) = r.listing {
                rows.entry(l).or_default().push(r.clone());
            }
        }
        let pages = store.captures_of_page_kind(&["store", "checkout"])?;
        drop(store);
        let dhash = self
            .main_image_hashes()?
            .0
            .into_iter()
            .map(|(capture, _, hash)| (capture, hash))
            .collect();
        Ok(Evidence {
            sellers: crate::campaign::sellers_of(&timeline),
            rows,
            pages,
            dhash,
            purchases: self.purchases()?,
            listing_refs: self
                .listings()?
                .into_iter()
                .map(|l| (l.id, l.listing_id))
                .collect(),
        })
    }
}

fn listing_of_row(r: &TimelineRow, dhash: &HashMap<i64, u64>) -> DefendantListing {
    DefendantListing {
        exhibit: None,
        capture_id: r.capture_id,
        url: r.requested_url.clone(),
        captured_at: r.finished_at.clone(),
        status: r.status.clone(),
        title: r.title.clone(),
        price: r.price.clone(),
        currency: r.currency.clone(),
        right: String::new(),
        image_dhash: dhash.get(&r.capture_id).copied(),
        screenshot: None,
    }
}

impl Evidence {
    /// Seller `s` as defendant `doe` with `listings`, its pages and purchases.
    fn defendant(&self, doe: usize, s: &SellerView, listings: Vec<DefendantListing>) -> Defendant {
        let name_matches = |n: Option<&str>| {
            n.zip(s.name.as_deref())
                .is_some_and(|(a, b)| a.trim() == b.trim() && !a.trim().is_empty())
        };
        let mine = |c: &Capture| -> bool {
            let f = &c.record.facts;
            if f.marketplace.as_deref() != Some(s.marketplace.as_str()) {
                return false;
            }
            if let Some(co) = &f.checkout {
                if let Some(l) = &co.listing_id {
                    // The listing bought names the seller.
                    return s
                        .listings
                        .iter()
                        .any(|id| self.listing_refs.get(id) == Some(l));
                }
                return match (&co.seller_id, &s.seller_id) {
                    (Some(a), Some(b)) => a == b,
                    _ => name_matches(co.seller.as_deref()),
                };
            }
            match (&f.seller_id, &s.seller_id) {
                (Some(a), Some(b)) => a == b,
                _ => {
                    name_matches(f.seller.as_deref())
                        || name_matches(f.store.as_ref().and_then(|st| st.shop_name.as_deref()))
                }
            }
        };
        let page = |c: &Capture| EvidencePage {
            exhibit: None,
            capture_id: c.id,
            url: c
                .record
                .final_url
                .clone()
                .unwrap_or_else(|| c.record.requested_url.clone()),
            captured_at: c.record.finished_at.clone(),
            store: c.record.facts.store.clone(),
            checkout: c.record.facts.checkout.clone(),
            screenshot: c
                .artifacts
                .iter()
                .any(|a| a.kind == "screenshot")
                .then(|| c.id.to_string()),
        };
        let usable = |c: &&Capture| c.record.status == CaptureStatus::Ok && mine(c);
        let kind = |c: &&Capture, k: &str| c.record.facts.page_kind.as_deref() == Some(k);
        // The newest storefront that shows where the seller is, else the newest.
        let stores: Vec<&Capture> = self
            .pages
            .iter()
            .filter(usable)
            .filter(|c| kind(c, "store"))
            .collect();
        let located = |c: &&&Capture| {
            c.record
                .facts
                .store
                .as_ref()
                .is_some_and(exhibit_domain::StoreFacts::shows_where)
        };
        let storefront = stores
            .iter()
            .rev()
            .find(located)
            .or(stores.last())
            .map(|c| page(c));
        let checkouts: Vec<&Capture> = self
            .pages
            .iter()
            .filter(usable)
            .filter(|c| kind(c, "checkout"))
            .collect();
        // The newest checkout that ships somewhere known, else the newest; the forum is
        // the caller's, so `gaps` judges where it ships.
        let checkout = checkouts
            .iter()
            .rev()
            .find(|c| {
                c.record
                    .facts
                    .checkout
                    .as_ref()
                    .is_some_and(|co| co.ship_to_region.is_some())
            })
            .or(checkouts.last())
            .map(|c| page(c));
        let blocked_listings = s
            .listings
            .iter()
            .filter_map(|l| self.rows.get(l)?.last())
            .filter(|r| r.status == "blocked")
            .map(|r| r.requested_url.clone())
            .collect();
        let purchases = self
            .purchases
            .iter()
            .filter(|p| s.listings.contains(&p.purchase.listing))
            .map(purchase_of)
            .collect();
        Defendant {
            doe,
            marketplace: s.marketplace.clone(),
            seller_id: s.seller_id.clone(),
            alias: s
                .name
                .clone()
                .or_else(|| s.seller_id.clone())
                .unwrap_or_default(),
            store_url: storefront.as_ref().map(|p| p.url.clone()),
            listings,
            storefront,
            checkout,
            purchases,
            blocked_listings,
        }
    }
}

/// The bundle path of a purchase's file.
pub(crate) fn purchase_file_path(purchase: i64, name: &str) -> String {
    format!(
        "purchases/purchase-{purchase}/{}",
        crate::export::sanitize(name)
    )
}

/// The picture source's key for a purchase file.
pub(crate) const PURCHASE_FILE_KEY: &str = "purchase-file:";

pub(crate) fn purchase_of(p: &PurchaseView) -> Purchase {
    Purchase {
        id: p.purchase.id,
        order_number: p.purchase.order_number.clone(),
        ordered_on: p.purchase.ordered_on.clone(),
        platform: p.purchase.platform.clone(),
        buyer: p.purchase.buyer.clone(),
        amount: p.purchase.amount.clone(),
        currency: p.purchase.currency.clone(),
        ship_to: p.purchase.ship_to.clone(),
        ship_to_region: p.purchase.ship_to_region.clone(),
        ship_from: p.ship_from.clone(),
        carrier: p.carrier.clone(),
        tracking: p.tracking.clone(),
        delivered_on: p.delivered_on.clone(),
        verdict: p.purchase.verdict.as_ref().map(|v| Verdict {
            verdict: v.verdict.clone(),
            by: v.by.clone(),
            method: v.method.clone(),
        }),
        files: p
            .purchase
            .files
            .iter()
            .map(|f| PurchaseFile {
                id: f.id,
                kind: f.kind.clone(),
                name: f.file_name.clone(),
                media_type: f.media_type.clone(),
                sha256: f.sha256.clone(),
                bundle_path: purchase_file_path(p.purchase.id, &f.file_name),
                picture: matches!(f.media_type.as_str(), "image/png" | "image/jpeg")
                    .then(|| format!("{PURCHASE_FILE_KEY}{}", f.id)),
            })
            .collect(),
        custody: p
            .purchase
            .custody
            .iter()
            .map(|c| Handover {
                from: c.from.clone(),
                to: c.to.clone(),
                at: c.at.clone(),
                place: c.place.clone(),
                seal: c.seal.clone(),
            })
            .collect(),
    }
}
