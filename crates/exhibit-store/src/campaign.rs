//! The enforcement campaign in the case: listings and sellers over time, filings, the
//! outcomes recorded as answers come in, and relisting decisions.
//!
//! Every filing, outcome and decision is written in one transaction with its custody
//! event, whose detail repeats the row; `verify` compares the two (see
//! [`Store::check_campaign`]), so a filing edited outside Exhibit is found.

use std::collections::HashMap;

use chrono::Utc;
use exhibit_domain::{CustodyEvent, CustodyEventKind, NewArtifact, rfc3339_millis};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::verify::Problem;
use crate::{Result, Store, StoreError, classify, custody, drafts};

/// One listing of the case, with what its captures say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListingRow {
    /// The case's own listing id (what every command's LISTING_ID means).
    pub id: i64,
    pub marketplace: String,
    /// The marketplace's own id for the listing.
    pub listing_ref: String,
    pub first_url: String,
    pub captures: u64,
    /// The newest capture (by the time it finished).
    pub last_capture_id: i64,
    pub last_status: String,
    pub last_captured_at: String,
    pub first_captured_at: String,
    /// The newest title, seller id and seller name any capture read off the page.
    pub title: Option<String>,
    pub seller_id: Option<String>,
    pub seller: Option<String>,
}

/// What one capture read off its page, for histories and figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    pub capture_id: i64,
    pub listing: Option<i64>,
    pub mode: String,
    pub requested_url: String,
    pub finished_at: String,
    pub status: String,
    pub marketplace: Option<String>,
    pub title: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub seller_id: Option<String>,
    pub seller: Option<String>,
    /// The SHA-256 of the listing's main product image, when the capture kept it.
    pub image_sha256: Option<String>,
}

/// A new filing: one complaint sent to one venue.
#[derive(Debug, Clone)]
pub struct NewFiling<'a> {
    pub venue: &'a str,
    pub reference: &'a str,
    /// `YYYY-MM-DD`.
    pub filed_on: &'a str,
    pub export_sha256: Option<&'a str>,
    /// The case's listing ids, each with the capture the complaint showed.
    pub listings: &'a [(i64, Option<i64>)],
}

/// A filing as stored, with its listings and every outcome recorded for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilingRow {
    pub id: i64,
    pub venue: String,
    pub reference: String,
    pub filed_on: String,
    pub export_sha256: Option<String>,
    pub recorded_at: String,
    pub listings: Vec<FiledListing>,
}

/// One listing of a filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledListing {
    pub listing: i64,
    pub capture_id: Option<i64>,
    /// Oldest first; the last is the listing's outcome in this filing.
    pub outcomes: Vec<OutcomeRow>,
}

/// One recorded answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct OutcomeRow {
    pub id: i64,
    /// `pending`, `removed`, `rejected`, `counter-noticed`, `reinstated`, `withdrawn` or
    /// `no-answer`: the domain's `Outcome`.
    #[ts(type = "Outcome")]
    pub outcome: String,
    pub on_date: String,
    pub reason: Option<String>,
    /// The attached answer (an email, a PDF, a screenshot), by its name in the case.
    pub attachment: Option<String>,
    pub attachment_sha256: Option<String>,
    pub recorded_at: String,
}

/// A new outcome for one listing of a filing.
#[derive(Debug, Clone)]
pub struct NewOutcome<'a> {
    pub filing: i64,
    pub listing: i64,
    pub outcome: &'a str,
    /// `YYYY-MM-DD`.
    pub on_date: &'a str,
    pub reason: Option<&'a str>,
    /// The platform's answer: a name unique in the case, and its bytes.
    pub attachment: Option<(&'a str, &'a NewArtifact)>,
}

/// A decision on a suggested relisting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelistingRow {
    pub id: i64,
    pub original: i64,
    pub relisting: i64,
    pub decision: String,
    /// Why the two were linked, as the suggestion gave it (JSON).
    pub reasons: serde_json::Value,
    pub decided_at: String,
}

/// The columns of [`ListingRow`], newest facts read from the capture records.
const LISTING_SELECT: &str = "
    WITH agg AS (
        SELECT listing_id, count(*) AS n, min(finished_at) AS first_at,
               (SELECT f2.capture_id FROM capture_facts f2 WHERE f2.listing_id = f.listing_id
                ORDER BY f2.finished_at DESC, f2.capture_id DESC LIMIT 1) AS last_id
        FROM capture_facts f WHERE listing_id IS NOT NULL GROUP BY listing_id
    )
    SELECT l.id, l.marketplace, l.listing_ref, l.first_url, agg.n, last.capture_id,
           last.status, last.finished_at, agg.first_at,
           (SELECT title FROM capture_facts WHERE listing_id = l.id AND title IS NOT NULL
             ORDER BY finished_at DESC, capture_id DESC LIMIT 1),
           (SELECT seller_id FROM capture_facts WHERE listing_id = l.id AND seller_id IS NOT NULL
             ORDER BY finished_at DESC, capture_id DESC LIMIT 1),
           (SELECT seller FROM capture_facts WHERE listing_id = l.id AND seller IS NOT NULL
             ORDER BY finished_at DESC, capture_id DESC LIMIT 1)
    FROM listings l JOIN agg ON agg.listing_id = l.id
         JOIN capture_facts last ON last.capture_id = agg.last_id";

fn listing_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ListingRow> {
    Ok(ListingRow {
        id: r.get(0)?,
        marketplace: r.get(1)?,
        listing_ref: r.get(2)?,
        first_url: r.get(3)?,
        captures: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
        last_capture_id: r.get(5)?,
        last_status: r.get(6)?,
        last_captured_at: r.get(7)?,
        first_captured_at: r.get(8)?,
        title: r.get(9)?,
        seller_id: r.get(10)?,
        seller: r.get(11)?,
    })
}

impl Store {
    /// Every listing of the case with at least one capture, in the order first seen.
    pub fn listings(&self) -> Result<Vec<ListingRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{LISTING_SELECT} ORDER BY l.id"))?;
        let rows = stmt.query_map([], listing_row).map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// One listing, or [`StoreError::NoSuchListing`].
    pub fn listing(&self, id: i64) -> Result<ListingRow> {
        self.conn
            .query_row(
                &format!("{LISTING_SELECT} WHERE l.id = ?1"),
                [id],
                listing_row,
            )
            .optional()
            .map_err(classify)?
            .ok_or(StoreError::NoSuchListing(id))
    }

    /// The capture ids of a listing, oldest first (by the time each finished).
    pub fn listing_capture_ids(&self, id: i64) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM captures WHERE listing_id = ?1 ORDER BY finished_at, id")?;
        let rows = stmt.query_map([id], |r| r.get(0)).map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// What every capture of a listing (or, with `None`, of every listing) read off its
    /// page, oldest first by the time each finished.
    pub fn timeline(&self, listing: Option<i64>) -> Result<Vec<TimelineRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT f.capture_id, f.listing_id, f.mode, f.requested_url, f.finished_at, f.status,
                    f.marketplace, f.title, f.price, f.currency, f.seller_id, f.seller, a.sha256
             FROM capture_facts f
                  LEFT JOIN artifacts a ON a.capture_id = f.capture_id AND a.kind = 'image'
             WHERE f.listing_id IS NOT NULL AND (?1 IS NULL OR f.listing_id = ?1)
             ORDER BY f.finished_at, f.capture_id",
        )?;
        let rows = stmt
            .query_map([listing], |r| {
                Ok(TimelineRow {
                    capture_id: r.get(0)?,
                    listing: r.get(1)?,
                    mode: r.get(2)?,
                    requested_url: r.get(3)?,
                    finished_at: r.get(4)?,
                    status: r.get(5)?,
                    marketplace: r.get(6)?,
                    title: r.get(7)?,
                    price: r.get(8)?,
                    currency: r.get(9)?,
                    seller_id: r.get(10)?,
                    seller: r.get(11)?,
                    image_sha256: r.get(12)?,
                })
            })
            .map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// The case's listing id for a marketplace's own listing id, if the case has it.
    pub fn listing_by_ref(&self, marketplace: &str, listing_ref: &str) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM listings WHERE marketplace = ?1 AND listing_ref = ?2",
                (marketplace, listing_ref),
                |r| r.get(0),
            )
            .optional()
            .map_err(classify)
    }

    /// The listing a capture belongs to, if it belongs to one.
    pub fn capture_listing(&self, capture_id: i64) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT listing_id FROM captures WHERE id = ?1",
                [capture_id],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()
            .map_err(classify)?
            .ok_or(StoreError::NoSuchCapture(capture_id))
    }

    /// Stores a filing and its custody event in one transaction; returns its id. The
    /// listings are kept (and logged) in the order of their ids, the order they are
    /// read back in.
    pub fn add_filing(&mut self, f: &NewFiling<'_>) -> Result<i64> {
        let recorded_at = rfc3339_millis(&Utc::now());
        let mut listings = f.listings.to_vec();
        listings.sort_unstable();
        listings.dedup_by_key(|(l, _)| *l);
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO filings (venue, reference, filed_on, export_sha256, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                f.venue,
                f.reference,
                f.filed_on,
                f.export_sha256,
                recorded_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO filing_listings (filing_id, listing_id, capture_id) VALUES (?1, ?2, ?3)",
            )?;
            for (listing, capture) in &listings {
                insert.execute(params![id, listing, capture])?;
            }
        }
        custody::append(
            &tx,
            CustodyEventKind::FilingAdded,
            &filing_detail(
                id,
                f.venue,
                f.reference,
                f.filed_on,
                f.export_sha256,
                &listings,
            ),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Stores an outcome (and the answer attached to it) with its custody event.
    pub fn add_outcome(&mut self, o: &NewOutcome<'_>) -> Result<i64> {
        let recorded_at = rfc3339_millis(&Utc::now());
        let tx = self.conn.transaction()?;
        let in_filing: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM filing_listings WHERE filing_id = ?1 AND listing_id = ?2",
                (o.filing, o.listing),
                |r| r.get(0),
            )
            .optional()?;
        if in_filing.is_none() {
            return Err(StoreError::BadRecord(format!(
                "filing {} does not report listing {}",
                o.filing, o.listing
            )));
        }
        let attached = match o.attachment {
            Some((name, file)) => Some(drafts::attach_in(&tx, name, file, &recorded_at)?),
            None => None,
        };
        tx.execute(
            "INSERT INTO outcomes (filing_id, listing_id, outcome, on_date, reason, attachment_id, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                o.filing,
                o.listing,
                o.outcome,
                o.on_date,
                o.reason,
                attached,
                recorded_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::OutcomeRecorded,
            &outcome_detail(
                id,
                o.filing,
                o.listing,
                o.outcome,
                o.on_date,
                o.reason,
                o.attachment.map(|(n, f)| (n, f.sha256().to_hex())),
            ),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Every filing with its listings and their outcomes, oldest filing first.
    pub fn filings(&self) -> Result<Vec<FilingRow>> {
        let mut filings: Vec<FilingRow> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, venue, reference, filed_on, export_sha256, recorded_at FROM filings ORDER BY filed_on, id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(FilingRow {
                        id: r.get(0)?,
                        venue: r.get(1)?,
                        reference: r.get(2)?,
                        filed_on: r.get(3)?,
                        export_sha256: r.get(4)?,
                        recorded_at: r.get(5)?,
                        listings: Vec::new(),
                    })
                })
                .map_err(classify)?;
            rows.collect::<rusqlite::Result<_>>().map_err(classify)?
        };
        let mut outcomes: HashMap<(i64, i64), Vec<OutcomeRow>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT o.filing_id, o.listing_id, o.id, o.outcome, o.on_date, o.reason, a.name, a.sha256, o.recorded_at
                 FROM outcomes o LEFT JOIN attachments a ON a.id = o.attachment_id
                 ORDER BY o.on_date, o.id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?),
                        OutcomeRow {
                            id: r.get(2)?,
                            outcome: r.get(3)?,
                            on_date: r.get(4)?,
                            reason: r.get(5)?,
                            attachment: r.get(6)?,
                            attachment_sha256: r.get(7)?,
                            recorded_at: r.get(8)?,
                        },
                    ))
                })
                .map_err(classify)?;
            for row in rows {
                let (key, o) = row.map_err(classify)?;
                outcomes.entry(key).or_default().push(o);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT filing_id, listing_id, capture_id FROM filing_listings ORDER BY filing_id, listing_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                ))
            })
            .map_err(classify)?;
        let index: HashMap<i64, usize> =
            filings.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        for row in rows {
            let (filing, listing, capture_id) = row.map_err(classify)?;
            if let Some(&i) = index.get(&filing) {
                filings[i].listings.push(FiledListing {
                    listing,
                    capture_id,
                    outcomes: outcomes.remove(&(filing, listing)).unwrap_or_default(),
                });
            }
        }
        Ok(filings)
    }

    /// Records a decision on a suggested relisting, with its custody event.
    pub fn decide_relisting(
        &mut self,
        original: i64,
        relisting: i64,
        confirmed: bool,
        reasons: &serde_json::Value,
    ) -> Result<i64> {
        let decided_at = rfc3339_millis(&Utc::now());
        let decision = if confirmed { "confirmed" } else { "dismissed" };
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO relistings (original_id, relisting_id, decision, reasons, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                original,
                relisting,
                decision,
                reasons.to_string(),
                decided_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::RelistingDecided,
            &relisting_detail(id, original, relisting, decision, reasons),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Every relisting decision, oldest first.
    pub fn relisting_decisions(&self) -> Result<Vec<RelistingRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, original_id, relisting_id, decision, reasons, decided_at FROM relistings ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(classify)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, original, relisting, decision, reasons, decided_at) = row.map_err(classify)?;
            out.push(RelistingRow {
                id,
                original,
                relisting,
                decision,
                reasons: serde_json::from_str(&reasons)
                    .map_err(|e| StoreError::BadRecord(format!("relisting decision {id}: {e}")))?,
                decided_at,
            });
        }
        Ok(out)
    }

    /// Every stored perceptual hash of a main image by `algorithm`, with its capture's
    /// listing: `(capture_id, listing, hash)`.
    pub fn image_hashes(&self, algorithm: &str) -> Result<Vec<(i64, i64, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT h.capture_id, c.listing_id, h.hash FROM image_hashes h
             JOIN captures c ON c.id = h.capture_id
             WHERE h.algorithm = ?1 AND c.listing_id IS NOT NULL ORDER BY h.capture_id",
        )?;
        let rows = stmt
            .query_map([algorithm], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// Captures that kept a main image (an `image` artifact) with no hash by
    /// `algorithm` yet, with their listing: `(capture_id, listing)`.
    pub fn images_without_hash(&self, algorithm: &str) -> Result<Vec<(i64, Option<i64>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.capture_id, c.listing_id FROM artifacts a
             JOIN captures c ON c.id = a.capture_id
             WHERE a.kind = 'image' AND NOT EXISTS (
                 SELECT 1 FROM image_hashes h WHERE h.capture_id = a.capture_id AND h.algorithm = ?1)
             ORDER BY a.capture_id",
        )?;
        let rows = stmt
            .query_map([algorithm], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// Stores a main image's perceptual hash (derived data: kept once, never changed).
    pub fn add_image_hash(&mut self, capture_id: i64, algorithm: &str, hash: &str) -> Result<()> {
        insert_image_hash(&self.conn, capture_id, algorithm, hash)
    }

    /// Compares every filing, outcome and relisting decision with the custody event
    /// written beside it, and reports each that differs or has none.
    pub(crate) fn check_campaign(
        &self,
        events: &[CustodyEvent],
        problems: &mut Vec<Problem>,
    ) -> Result<()> {
        let logged = crate::verify::LoggedRows::new(
            events,
            &[
                ("filing.added", "filing", "filing_id"),
                ("outcome.recorded", "outcome", "outcome_id"),
                ("relisting.decided", "relisting", "decision_id"),
            ],
            ("campaign_changed", "campaign_not_in_log"),
        );
        let mut check = |kind: &'static str, id: i64, stored: serde_json::Value, what: String| {
            logged.check(kind, id, &stored, &what, problems);
        };
        for f in self.filings()? {
            let listings: Vec<(i64, Option<i64>)> = f
                .listings
                .iter()
                .map(|l| (l.listing, l.capture_id))
                .collect();
            check(
                "filing",
                f.id,
                filing_detail(
                    f.id,
                    &f.venue,
                    &f.reference,
                    &f.filed_on,
                    f.export_sha256.as_deref(),
                    &listings,
                ),
                format!("Filing {} ({} {})", f.id, f.venue, f.reference),
            );
            for l in &f.listings {
                for o in &l.outcomes {
                    check(
                        "outcome",
                        o.id,
                        outcome_detail(
                            o.id,
                            f.id,
                            l.listing,
                            &o.outcome,
                            &o.on_date,
                            o.reason.as_deref(),
                            o.attachment.as_deref().zip(o.attachment_sha256.clone()),
                        ),
                        format!(
                            "The outcome '{}' of listing {} in filing {}",
                            o.outcome, l.listing, f.id
                        ),
                    );
                }
            }
        }
        for d in self.relisting_decisions()? {
            check(
                "relisting",
                d.id,
                relisting_detail(d.id, d.original, d.relisting, &d.decision, &d.reasons),
                format!(
                    "The relisting decision on listings {} and {}",
                    d.original, d.relisting
                ),
            );
        }
        Ok(())
    }
}

fn filing_detail(
    id: i64,
    venue: &str,
    reference: &str,
    filed_on: &str,
    export_sha256: Option<&str>,
    listings: &[(i64, Option<i64>)],
) -> serde_json::Value {
    serde_json::json!({
        "filing_id": id,
        "venue": venue,
        "reference": reference,
        "filed_on": filed_on,
        "export_manifest_sha256": export_sha256,
        "listings": listings
            .iter()
            .map(|(l, c)| serde_json::json!({"listing": l, "capture_id": c}))
            .collect::<Vec<_>>(),
    })
}

fn outcome_detail(
    id: i64,
    filing: i64,
    listing: i64,
    outcome: &str,
    on_date: &str,
    reason: Option<&str>,
    attachment: Option<(&str, String)>,
) -> serde_json::Value {
    serde_json::json!({
        "outcome_id": id,
        "filing_id": filing,
        "listing": listing,
        "outcome": outcome,
        "on_date": on_date,
        "reason": reason,
        "attachment": attachment.map(|(name, sha)| serde_json::json!({"name": name, "sha256": sha})),
    })
}

fn relisting_detail(
    id: i64,
    original: i64,
    relisting: i64,
    decision: &str,
    reasons: &serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "decision_id": id,
        "original": original,
        "relisting": relisting,
        "decision": decision,
        "reasons": reasons,
    })
}

/// Records a perceptual hash of a capture's main image; a second one under the same
/// algorithm is ignored.
pub(crate) fn insert_image_hash(
    conn: &rusqlite::Connection,
    capture_id: i64,
    algorithm: &str,
    hash: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO image_hashes (capture_id, algorithm, hash) VALUES (?1, ?2, ?3)
         ON CONFLICT (capture_id, algorithm) DO NOTHING",
        params![capture_id, algorithm, hash],
    )?;
    Ok(())
}
