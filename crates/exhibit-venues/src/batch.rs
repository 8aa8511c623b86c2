//! Splitting a complaint's live listings into what one filing can carry.
//!
//! Alibaba IPP: one right a complaint (recommended), at most 300 URLs. Amazon: one
//! right and one violation type a report, at most 50 listings. eBay VeRO: one reason
//! code a notice. Every other venue: one filing with everything. Takedown proofs are
//! never filed (they show that an earlier filing worked), so they are in no batch.
//! Batches come in the order their first listing appears, and listings keep exhibit
//! order inside a batch.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::file::EbayExtras;
use crate::resolve::{Complaint, Listing};
use crate::venue::{Infringement, Purpose, Venue};

/// One filing: a complaint, report or notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// 1-based.
    pub number: usize,
    /// The right every listing in the batch names, when they all name the same one.
    pub right: Option<String>,
    /// The infringement every listing in the batch has, when they all have the same.
    pub infringement: Option<Infringement>,
    /// For eBay VeRO: the reason code of every listing in the batch.
    pub reason_code: Option<String>,
    pub listings: Vec<Listing>,
}

impl Batch {
    /// The batch's exhibit numbers.
    pub fn exhibits(&self) -> Vec<usize> {
        self.listings.iter().map(|l| l.exhibit).collect()
    }
}

/// The complaint's live listings split within the venue's limits. Empty when there is
/// no live listing.
pub fn batches(complaint: &Complaint) -> Vec<Batch> {
    let live: Vec<&Listing> = complaint.live_listings().collect();
    plan(complaint.venue, &live, complaint.ebay.as_ref())
}

/// The reason code eBay gets for a listing of this infringement kind.
pub fn ebay_reason_code(ebay: Option<&EbayExtras>, infringement: Infringement) -> Option<String> {
    let e = ebay?;
    e.reason_codes
        .get(&infringement)
        .or(e.reason_code.as_ref())
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    All,
    Right(String),
    RightAndInfringement(String, Infringement),
    Reason(Option<String>),
}

pub(crate) fn plan(venue: Venue, listings: &[&Listing], ebay: Option<&EbayExtras>) -> Vec<Batch> {
    let key_of = |l: &Listing| match venue {
        Venue::AlibabaIpp => Key::Right(l.right.clone()),
        Venue::Amazon => Key::RightAndInfringement(l.right.clone(), l.infringement),
        Venue::EbayVero => Key::Reason(ebay_reason_code(ebay, l.infringement)),
        _ => Key::All,
    };
    let mut order: Vec<Key> = Vec::new();
    let mut groups: BTreeMap<Key, Vec<Listing>> = BTreeMap::new();
    for l in listings.iter().filter(|l| l.purpose == Purpose::Live) {
        let key = key_of(l);
        let group = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Vec::new()
        });
        group.push((*l).clone());
    }
    let max = venue.max_listings_per_batch().unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for key in order {
        let Some(group) = groups.remove(&key) else {
            continue;
        };
        let reason_code = match &key {
            Key::Reason(code) => code.clone(),
            _ => None,
        };
        for chunk in group.chunks(max) {
            out.push(Batch {
                number: out.len() + 1,
                right: uniform(chunk, |l| l.right.clone()),
                infringement: uniform(chunk, |l| l.infringement),
                reason_code: reason_code.clone(),
                listings: chunk.to_vec(),
            });
        }
    }
    out
}

fn uniform<T: PartialEq>(listings: &[Listing], f: impl Fn(&Listing) -> T) -> Option<T> {
    let mut it = listings.iter().map(f);
    let first = it.next()?;
    if it.all(|x| x == first) {
        Some(first)
    } else {
        None
    }
}
