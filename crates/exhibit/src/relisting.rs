//! Relisting: a removed listing back under a new link. Candidates are suggestions with
//! their reasons, never verdicts; the user confirms or dismisses each, and that decision
//! is a custody event.
//!
//! A listing is a candidate relisting of a removed one when it was first captured after
//! the removal and shares with it, on the same marketplace, any of: the seller (its id,
//! or the shown name), the main product image (a 64-bit gradient hash, dHash, within a
//! threshold of Hamming distance: re-encoding and resizing move it a few bits, another
//! photo usually more than 10; see [`crate::perceptual`]), or the title after
//! normalisation.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;

use exhibit_domain::campaign::parse_day;
use exhibit_domain::{CaptureRecord, NewArtifact};
use serde::Serialize;

use crate::{Case, Error, Result};

pub use crate::perceptual::{IMAGE_HASH_ALGORITHM, image_hash};
/// Default largest Hamming distance (of 64 bits) at which two images are linked.
pub const DEFAULT_IMAGE_THRESHOLD: u32 = 10;
/// Largest main image decoded for hashing, in bytes.
const MAX_IMAGE_BYTES: u64 = 20_000_000;

/// Why two listings were linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The same marketplace seller id.
    SameSellerId { seller_id: String },
    /// The same shown seller name (no id on one side or both).
    SameSellerName { seller: String },
    /// The same main image within `distance` bits of 64.
    SameImage {
        original_capture: i64,
        candidate_capture: i64,
        distance: u32,
        algorithm: &'static str,
    },
    /// The same title once case, spacing and punctuation are set aside.
    SameTitle { title: String },
}

/// A suggested relisting, with its reasons and any decision taken on it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Candidate {
    /// The removed listing (the case's id).
    pub original: i64,
    /// The listing that may be it, back under a new link.
    pub relisting: i64,
    pub marketplace: String,
    pub original_listing_id: String,
    pub relisting_listing_id: String,
    /// When the original came down: the first capture that found it removed, else the
    /// day the platform said so (RFC 3339, UTC).
    pub removed_on: String,
    /// When the candidate was first captured.
    pub first_seen: String,
    pub reasons: Vec<Reason>,
    /// `suggested`, `confirmed` or `dismissed`.
    pub state: String,
}

/// What `relisted` found.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Relistings {
    pub threshold: u32,
    pub algorithm: &'static str,
    pub candidates: Vec<Candidate>,
    /// Confirmed relistings (the latest decision on each pair).
    pub confirmed: u64,
    /// Main images hashed now because no hash was stored yet.
    pub hashed_now: u64,
}

pub use exhibit_domain::normalise_title;

/// A main image's perceptual hash: `(capture_id, listing, hash)`.
pub(crate) type ImageHash = (i64, i64, u64);

/// Titles shorter than this (in characters, normalised) link nothing: "phone case" is
/// not evidence that two listings are one.
const MIN_TITLE_CHARS: usize = 12;

/// One listing as relisting needs it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub id: i64,
    pub marketplace: String,
    pub listing_ref: String,
    pub first_seen: String,
    /// When it came down, for listings that did: the first capture that found it
    /// removed (RFC 3339), else the start of the day the platform said so.
    pub removed_at: Option<String>,
    pub seller_ids: BTreeSet<String>,
    pub seller_names: BTreeSet<String>,
    pub titles: BTreeSet<String>,
    /// `(capture_id, hash)` of each main image.
    pub images: Vec<(i64, u64)>,
}

/// Candidates among `listings` (indexed by seller, title and, for images, compared
/// with every listing first seen after each removal).
pub(crate) fn candidates(listings: &[Facts], threshold: u32) -> Vec<(i64, i64, Vec<Reason>)> {
    let mut by_seller_id: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut by_seller_name: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    let mut by_title: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, l) in listings.iter().enumerate() {
        for s in &l.seller_ids {
            by_seller_id.entry((&l.marketplace, s)).or_default().push(i);
        }
        for s in &l.seller_names {
            by_seller_name
                .entry((&l.marketplace, s))
                .or_default()
                .push(i);
        }
        for t in &l.titles {
            by_title.entry((&l.marketplace, t)).or_default().push(i);
        }
    }
    // Listings with images, per marketplace, by the time first seen: a removed listing
    // is compared only with those of its marketplace first seen after its removal, found
    // by a binary search, not by testing every listing in the case.
    let mut with_images: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in listings.iter().enumerate() {
        if !l.images.is_empty() {
            with_images.entry(&l.marketplace).or_default().push(i);
        }
    }
    for list in with_images.values_mut() {
        list.sort_by(|&a, &b| listings[a].first_seen.cmp(&listings[b].first_seen));
    }

    let mut out = Vec::new();
    for (oi, o) in listings.iter().enumerate() {
        let Some(removed) = o.removed_at.as_deref() else {
            continue;
        };
        // Both are RFC 3339 in UTC with a `Z`, so they compare as text.
        let after = |c: &Facts| {
            c.id != o.id && c.marketplace == o.marketplace && c.first_seen.as_str() >= removed
        };
        let mut found: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
        for s in &o.seller_ids {
            for &ci in by_seller_id
                .get(&(o.marketplace.as_str(), s.as_str()))
                .into_iter()
                .flatten()
            {
                if ci != oi && after(&listings[ci]) {
                    found.entry(ci).or_default().push(Reason::SameSellerId {
                        seller_id: s.clone(),
                    });
                }
            }
        }
        for s in &o.seller_names {
            for &ci in by_seller_name
                .get(&(o.marketplace.as_str(), s.as_str()))
                .into_iter()
                .flatten()
            {
                let c = &listings[ci];
                // The id already said it (or, with two different ids, two sellers share
                // a name: not a link).
                if ci != oi && after(c) && (o.seller_ids.is_empty() || c.seller_ids.is_empty()) {
                    found
                        .entry(ci)
                        .or_default()
                        .push(Reason::SameSellerName { seller: s.clone() });
                }
            }
        }
        for t in &o.titles {
            if t.chars().count() < MIN_TITLE_CHARS {
                continue;
            }
            for &ci in by_title
                .get(&(o.marketplace.as_str(), t.as_str()))
                .into_iter()
                .flatten()
            {
                if ci != oi && after(&listings[ci]) {
                    found
                        .entry(ci)
                        .or_default()
                        .push(Reason::SameTitle { title: t.clone() });
                }
            }
        }
        let later: &[usize] = match with_images.get(o.marketplace.as_str()) {
            Some(list) if !o.images.is_empty() => {
                let start = list.partition_point(|&i| listings[i].first_seen.as_str() < removed);
                &list[start..]
            }
            _ => &[],
        };
        {
            for &ci in later {
                let c = &listings[ci];
                if ci == oi || c.id == o.id {
                    continue;
                }
                let best = o
                    .images
                    .iter()
                    .flat_map(|(oc, oh)| {
                        c.images
                            .iter()
                            .map(move |(cc, ch)| ((oh ^ ch).count_ones(), *oc, *cc))
                    })
                    .min();
                if let Some((distance, oc, cc)) = best
                    && distance <= threshold
                {
                    found.entry(ci).or_default().push(Reason::SameImage {
                        original_capture: oc,
                        candidate_capture: cc,
                        distance,
                        algorithm: IMAGE_HASH_ALGORITHM,
                    });
                }
            }
        }
        for (ci, reasons) in found {
            out.push((o.id, listings[ci].id, reasons));
        }
    }
    out
}

impl Case {
    /// The perceptual hash of every main image the case kept, by
    /// [`IMAGE_HASH_ALGORITHM`], as `(capture_id, listing, hash)`, and how many of them
    /// were hashed now. An image with no hash yet (captures taken before hashing
    /// existed or under an older algorithm, imports) is hashed now, and the hash stored
    /// unless the case is open read-only; an image that cannot be decoded is skipped.
    pub(crate) fn main_image_hashes(&self) -> Result<(Vec<ImageHash>, u64)> {
        let missing = self.store().images_without_hash(IMAGE_HASH_ALGORITHM)?;
        let writable = !self.store().is_read_only();
        let mut computed = Vec::new();
        let mut hashed_now = 0;
        for (capture_id, listing) in missing {
            let mut bytes = Vec::new();
            {
                let store = self.store();
                let reader = store.open_artifact(capture_id, "image")?;
                if reader
                    .take(MAX_IMAGE_BYTES)
                    .read_to_end(&mut bytes)
                    .is_err()
                {
                    continue;
                }
            }
            let Ok(hash) = image_hash(&bytes) else {
                continue;
            };
            hashed_now += 1;
            if writable {
                self.store()
                    .add_image_hash(capture_id, IMAGE_HASH_ALGORITHM, &hex64(hash))?;
            }
            if let Some(listing) = listing {
                computed.push((capture_id, listing, hash));
            }
        }
        let mut all: Vec<ImageHash> = self
            .store()
            .image_hashes(IMAGE_HASH_ALGORITHM)?
            .into_iter()
            .filter_map(|(capture, listing, hash)| {
                Some((capture, listing, u64::from_str_radix(&hash, 16).ok()?))
            })
            .collect();
        if !writable {
            all.extend(computed);
            all.sort_unstable();
        }
        Ok((all, hashed_now))
    }

    /// Stores a capture with the relisting hash of its main image, if it kept one that
    /// decodes, in one transaction (one commit and one sync per capture). The hash, and
    /// the compression of the artifacts the case keeps compressed, were computed before
    /// ([`Prepared::new`]), so other captures commit meanwhile. A picture that does not
    /// decode costs the capture nothing: relisting hashes it again when it asks.
    pub(crate) fn add_capture_prepared(
        &self,
        record: &CaptureRecord,
        prepared: &Prepared,
    ) -> std::result::Result<i64, exhibit_store::StoreError> {
        self.store().add_capture_packed(
            record,
            &prepared.packed,
            prepared.hash.as_deref().map(|h| (IMAGE_HASH_ALGORITHM, h)),
        )
    }

    /// Every suggested relisting in the case, with its reasons and any decision on it.
    pub fn relistings(&self, threshold: u32) -> Result<Relistings> {
        if threshold > 32 {
            return Err(Error::Input(format!(
                "--threshold is a number of differing bits out of 64, at most 32 (about 10 links re-encoded copies of one photo), not {threshold}."
            )));
        }
        let (hashes, hashed_now) = self.main_image_hashes()?;
        let facts = self.relisting_facts(hashes)?;
        let decisions = self.store().relisting_decisions()?;
        let mut state: BTreeMap<(i64, i64), &str> = BTreeMap::new();
        for d in &decisions {
            state.insert((d.original, d.relisting), d.decision.as_str());
        }
        let by_id: HashMap<i64, &Facts> = facts.iter().map(|f| (f.id, f)).collect();
        let mut out = Vec::new();
        for (original, relisting, reasons) in candidates(&facts, threshold) {
            let (Some(o), Some(c)) = (by_id.get(&original), by_id.get(&relisting)) else {
                continue;
            };
            out.push(Candidate {
                original,
                relisting,
                marketplace: o.marketplace.clone(),
                original_listing_id: o.listing_ref.clone(),
                relisting_listing_id: c.listing_ref.clone(),
                removed_on: o.removed_at.clone().unwrap_or_default(),
                first_seen: c.first_seen.clone(),
                reasons,
                state: state
                    .get(&(original, relisting))
                    .copied()
                    .unwrap_or("suggested")
                    .to_owned(),
            });
        }
        Ok(Relistings {
            threshold,
            algorithm: IMAGE_HASH_ALGORITHM,
            confirmed: state.values().filter(|s| **s == "confirmed").count() as u64,
            candidates: out,
            hashed_now,
        })
    }

    /// Confirms (or dismisses) that `relisting` is `original` back under a new link.
    /// Only a pair the case suggests can be decided: its reasons are recorded with it.
    pub fn decide_relisting(
        &self,
        original: i64,
        relisting: i64,
        confirmed: bool,
        threshold: u32,
    ) -> Result<Candidate> {
        self.ensure_writable()?;
        let found = self.relistings(threshold)?;
        let Some(mut c) = found
            .candidates
            .into_iter()
            .find(|c| c.original == original && c.relisting == relisting)
        else {
            self.store().listing(original)?;
            self.store().listing(relisting)?;
            return Err(Error::Input(format!(
                "Listing {relisting} is not a suggested relisting of listing {original}; `exhibit relisted` lists the suggestions."
            )));
        };
        let reasons = serde_json::to_value(&c.reasons)
            .map_err(|e| Error::Internal(format!("reasons to JSON: {e}")))?;
        self.store()
            .decide_relisting(original, relisting, confirmed, &reasons)?;
        c.state = if confirmed { "confirmed" } else { "dismissed" }.to_owned();
        Ok(c)
    }

    /// Each listing's sellers, titles, images and removal day.
    fn relisting_facts(&self, hashes: Vec<ImageHash>) -> Result<Vec<Facts>> {
        let store = self.store();
        let listings = store.listings()?;
        let rows = store.timeline(None)?;
        let filings = store.filings()?;
        drop(store);
        let mut facts: BTreeMap<i64, Facts> = listings
            .into_iter()
            .map(|l| {
                (
                    l.id,
                    Facts {
                        id: l.id,
                        marketplace: l.marketplace,
                        listing_ref: l.listing_ref,
                        first_seen: l.first_captured_at,
                        ..Facts::default()
                    },
                )
            })
            .collect();
        for r in &rows {
            let Some(f) = r.listing.and_then(|l| facts.get_mut(&l)) else {
                continue;
            };
            if let Some(s) = &r.seller_id {
                f.seller_ids.insert(s.clone());
            }
            if let Some(s) = &r.seller {
                f.seller_names.insert(s.clone());
            }
            if let Some(t) = &r.title {
                let t = normalise_title(t);
                if !t.is_empty() {
                    f.titles.insert(t);
                }
            }
            if r.status == "removed" && f.removed_at.is_none() {
                f.removed_at = Some(r.finished_at.clone());
            }
        }
        // The platform's word, where no capture has found the removal yet.
        for filing in &filings {
            for l in &filing.listings {
                let said = l
                    .outcomes
                    .iter()
                    .filter(|o| o.outcome == "removed")
                    .filter_map(|o| parse_day(&o.on_date))
                    .min()
                    .map(|d| format!("{}T00:00:00.000Z", d.format("%Y-%m-%d")));
                if let (Some(f), Some(d)) = (facts.get_mut(&l.listing), said) {
                    f.removed_at = Some(match f.removed_at.take() {
                        Some(c) if c < d => c,
                        _ => d,
                    });
                }
            }
        }
        for (capture_id, listing, hash) in hashes {
            if let Some(f) = facts.get_mut(&listing) {
                f.images.push((capture_id, hash));
            }
        }
        Ok(facts.into_values().collect())
    }
}

/// A capture's artifacts made ready to store, CPU work only, done before the case is
/// locked: the relisting hash of its main image and the artifacts as the case keeps them.
/// It owns what it holds, so another thread (a batch's writer) can store it
/// ([`Case::add_capture_prepared`]).
pub(crate) struct Prepared {
    hash: Option<String>,
    packed: Vec<exhibit_store::PackedArtifact<'static>>,
}

impl Prepared {
    pub(crate) fn new(artifacts: Vec<NewArtifact>) -> Prepared {
        Prepared {
            hash: main_image_hash(&artifacts),
            packed: artifacts
                .into_iter()
                .map(exhibit_store::pack_owned)
                .collect(),
        }
    }
}

/// The relisting hash of the capture's main image, in hex; `None` when it kept none
/// that decodes.
fn main_image_hash(artifacts: &[NewArtifact]) -> Option<String> {
    artifacts
        .iter()
        .find(|a| a.kind() == exhibit_domain::artifact_kind::IMAGE)
        .and_then(|image| image_hash(image.bytes()).ok())
        .map(hex64)
}

/// A hash as the case stores it: 16 hex digits.
fn hex64(hash: u64) -> String {
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(id: i64, first_seen: &str) -> Facts {
        Facts {
            id,
            marketplace: "taobao".into(),
            listing_ref: format!("L{id}"),
            first_seen: first_seen.into(),
            ..Facts::default()
        }
    }

    #[test]
    fn titles_normalise_across_case_spacing_and_punctuation() {
        assert_eq!(
            normalise_title("  Acme LANTERN — Brass, 2024!! "),
            "acme lantern brass 2024"
        );
        assert_eq!(normalise_title("黄铜 灯笼（新款）"), "黄铜 灯笼 新款");
        assert_eq!(normalise_title("!!!"), "");
    }

    #[test]
    fn links_need_a_removal_and_a_later_first_sighting() {
        let mut gone = facts(1, "2026-01-01T00:00:00Z");
        gone.removed_at = Some("2026-02-01T09:00:00.000Z".into());
        gone.seller_ids.insert("S1".into());
        gone.titles.insert("acme brass lantern large".into());
        gone.images.push((10, 0xFFFF_0000_FFFF_0000));
        // Same seller, first seen after the removal.
        let mut back = facts(2, "2026-02-10T00:00:00Z");
        back.seller_ids.insert("S1".into());
        back.images.push((20, 0xFFFF_0000_FFFF_0003)); // 2 bits away
        // Same seller, but seen before the removal: not a relisting.
        let mut before = facts(3, "2026-01-15T00:00:00Z");
        before.seller_ids.insert("S1".into());
        // Another seller with a far image and the same short title.
        let mut other = facts(4, "2026-02-11T00:00:00Z");
        other.seller_ids.insert("S2".into());
        other.images.push((40, 0x0000_FFFF_0000_FFFF));
        // Another seller, same long title.
        let mut copycat = facts(5, "2026-02-12T00:00:00Z");
        copycat.titles.insert("acme brass lantern large".into());
        let found = candidates(&[gone, back, before, other, copycat], 10);
        let pairs: Vec<(i64, i64)> = found.iter().map(|(o, c, _)| (*o, *c)).collect();
        assert_eq!(pairs, [(1, 2), (1, 5)]);
        assert_eq!(
            found[0].2,
            vec![
                Reason::SameSellerId {
                    seller_id: "S1".into()
                },
                Reason::SameImage {
                    original_capture: 10,
                    candidate_capture: 20,
                    distance: 2,
                    algorithm: IMAGE_HASH_ALGORITHM
                }
            ]
        );
        // A tighter threshold drops the image reason but keeps the seller.
        let strict = candidates(&[facts(9, "x")], 1);
        assert!(strict.is_empty());
    }
}
