//! Test purchases and the physical item's chain of custody.
//!
//! A purchase is bought from one listing of the case. Nothing about it is ever changed:
//! shipping facts arrive as new update rows (the latest given value of each holds),
//! files are added, the verdict is given once, and each handover of the item is a new
//! custody entry. Every row is written in one transaction with its custody event, whose
//! detail repeats the row; `verify` compares the two (see [`Store::check_purchases`])
//! and re-hashes every file, so a purchase edited outside Exhibit is found.
//!
//! This module checks only what the schema needs (the purchase exists, one verdict);
//! the facade checks the user's input in full before anything is written.

use std::collections::HashMap;

use chrono::Utc;
use exhibit_domain::{CustodyEvent, CustodyEventKind, NewArtifact, rfc3339_millis, sha256};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::verify::Problem;
use crate::{Result, Store, StoreError, classify, custody};

/// A new test purchase. Text is stored as given: the facade has checked it.
#[derive(Debug, Clone)]
pub struct NewPurchase<'a> {
    pub listing: i64,
    pub order_number: &'a str,
    /// `YYYY-MM-DD`.
    pub ordered_on: &'a str,
    pub platform: &'a str,
    pub buyer: Option<&'a str>,
    /// A decimal such as `12.50`.
    pub amount: &'a str,
    pub currency: &'a str,
    /// The payment card's last four digits, and nothing more.
    pub payment_last4: Option<&'a str>,
    pub ship_to: &'a str,
    pub ship_to_region: Option<&'a str>,
}

/// Shipping facts of a purchase as they arrive; `None` says nothing new.
#[derive(Debug, Clone, Default)]
pub struct NewPurchaseUpdate<'a> {
    pub tracking: Option<&'a str>,
    pub carrier: Option<&'a str>,
    pub ship_from: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub delivered_on: Option<&'a str>,
}

/// One handover of the physical item.
#[derive(Debug, Clone)]
pub struct NewItemCustody<'a> {
    pub released_by: &'a str,
    pub received_by: &'a str,
    /// RFC 3339, or `YYYY-MM-DD`.
    pub at: &'a str,
    pub place: &'a str,
    pub seal: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// A purchase as stored, with everything recorded about it since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PurchaseRow {
    pub id: i64,
    /// The case's listing id.
    pub listing: i64,
    pub order_number: String,
    pub ordered_on: String,
    pub platform: String,
    pub buyer: Option<String>,
    pub amount: String,
    pub currency: String,
    pub payment_last4: Option<String>,
    pub ship_to: String,
    pub ship_to_region: Option<String>,
    pub recorded_at: String,
    /// Oldest first.
    pub updates: Vec<PurchaseUpdateRow>,
    /// In the order attached.
    pub files: Vec<PurchaseFileRow>,
    pub verdict: Option<VerdictRow>,
    /// Oldest first, in the order recorded.
    pub custody: Vec<ItemCustodyRow>,
}

/// Shipping facts recorded at one time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PurchaseUpdateRow {
    pub id: i64,
    pub tracking: Option<String>,
    pub carrier: Option<String>,
    pub ship_from: Option<String>,
    pub delivered_on: Option<String>,
    pub recorded_at: String,
}

/// A file of a purchase, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PurchaseFileRow {
    pub id: i64,
    /// `order`, `receipt`, `label`, `parcel-photo`, `product-photo` or `comparison`.
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub added_at: String,
}

/// The comparison's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct VerdictRow {
    pub id: i64,
    pub verdict: String,
    pub by: String,
    pub method: String,
    pub recorded_at: String,
}

/// One handover of the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ItemCustodyRow {
    pub id: i64,
    pub from: String,
    pub to: String,
    pub at: String,
    pub place: String,
    pub seal: Option<String>,
    pub note: Option<String>,
    pub recorded_at: String,
}

fn require_purchase(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let found: Option<i64> = tx
        .query_row("SELECT id FROM purchases WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(StoreError::NoSuchPurchase(id))
}

impl Store {
    /// Stores a purchase with its custody event; returns its id.
    pub fn add_purchase(&mut self, p: &NewPurchase<'_>) -> Result<i64> {
        let recorded_at = rfc3339_millis(&Utc::now());
        let tx = self.conn.transaction()?;
        let listing: Option<i64> = tx
            .query_row("SELECT id FROM listings WHERE id = ?1", [p.listing], |r| {
                r.get(0)
            })
            .optional()?;
        if listing.is_none() {
            return Err(StoreError::NoSuchListing(p.listing));
        }
        tx.execute(
            "INSERT INTO purchases (listing_id, order_number, ordered_on, platform, buyer, amount,
                 currency, payment_last4, ship_to, ship_to_region, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                p.listing,
                p.order_number,
                p.ordered_on,
                p.platform,
                p.buyer,
                p.amount,
                p.currency,
                p.payment_last4,
                p.ship_to,
                p.ship_to_region,
                recorded_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::PurchaseAdded,
            &purchase_detail(
                id,
                p.listing,
                p.order_number,
                p.ordered_on,
                p.platform,
                p.buyer,
                p.amount,
                p.currency,
                p.payment_last4,
                p.ship_to,
                p.ship_to_region,
            ),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Stores shipping facts of a purchase with their custody event.
    pub fn update_purchase(&mut self, purchase: i64, u: &NewPurchaseUpdate<'_>) -> Result<i64> {
        let recorded_at = rfc3339_millis(&Utc::now());
        let tx = self.conn.transaction()?;
        require_purchase(&tx, purchase)?;
        tx.execute(
            "INSERT INTO purchase_updates (purchase_id, tracking, carrier, ship_from, delivered_on, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                purchase,
                u.tracking,
                u.carrier,
                u.ship_from,
                u.delivered_on,
                recorded_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::PurchaseUpdated,
            &update_detail(
                id,
                purchase,
                u.tracking,
                u.carrier,
                u.ship_from,
                u.delivered_on,
            ),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Stores files of one kind for a purchase, each with its custody event, all in one
    /// transaction: either every file is kept or none is. `files` yields each file as
    /// it is read, so only one is in memory at a time; an error from it (a file that
    /// could not be read after all) rolls back the whole set.
    pub fn add_purchase_files<E, I>(
        &mut self,
        purchase: i64,
        kind: &str,
        files: I,
    ) -> std::result::Result<Vec<i64>, E>
    where
        E: From<StoreError>,
        I: IntoIterator<Item = std::result::Result<(String, NewArtifact), E>>,
    {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        require_purchase(&tx, purchase)?;
        let mut ids = Vec::new();
        for file in files {
            let (name, file) = file?;
            let added_at = rfc3339_millis(&Utc::now());
            let sha = file.sha256().to_hex();
            tx.execute(
                "INSERT INTO purchase_files (purchase_id, kind, file_name, media_type, size, sha256, content, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    purchase,
                    kind,
                    name,
                    file.media_type(),
                    file.bytes().len() as i64,
                    sha,
                    file.bytes(),
                    added_at
                ],
            )
            .map_err(StoreError::from)?;
            let id = tx.last_insert_rowid();
            custody::append(
                &tx,
                CustodyEventKind::PurchaseFileAttached,
                &file_detail(
                    id,
                    purchase,
                    kind,
                    &name,
                    file.media_type(),
                    file.bytes().len() as u64,
                    &sha,
                ),
            )?;
            ids.push(id);
        }
        tx.commit().map_err(StoreError::from)?;
        Ok(ids)
    }

    /// Stores the verdict of a purchase with its custody event. A purchase has one:
    /// a second is [`StoreError::VerdictGiven`].
    pub fn add_verdict(
        &mut self,
        purchase: i64,
        verdict: &str,
        by: &str,
        method: &str,
    ) -> Result<i64> {
        let recorded_at = rfc3339_millis(&Utc::now());
        let tx = self.conn.transaction()?;
        require_purchase(&tx, purchase)?;
        let given: Option<i64> = tx
            .query_row(
                "SELECT id FROM purchase_verdicts WHERE purchase_id = ?1",
                [purchase],
                |r| r.get(0),
            )
            .optional()?;
        if given.is_some() {
            return Err(StoreError::VerdictGiven(purchase));
        }
        tx.execute(
            "INSERT INTO purchase_verdicts (purchase_id, verdict, decided_by, method, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![purchase, verdict, by, method, recorded_at],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::PurchaseVerdict,
            &verdict_detail(id, purchase, verdict, by, method),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Stores one handover of a purchase's item with its custody event.
    pub fn add_item_custody(&mut self, purchase: i64, c: &NewItemCustody<'_>) -> Result<i64> {
        let recorded_at = rfc3339_millis(&Utc::now());
        let tx = self.conn.transaction()?;
        require_purchase(&tx, purchase)?;
        tx.execute(
            "INSERT INTO item_custody (purchase_id, released_by, received_by, at, place, seal, note, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                purchase,
                c.released_by,
                c.received_by,
                c.at,
                c.place,
                c.seal,
                c.note,
                recorded_at
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            CustodyEventKind::ItemCustody,
            &custody_detail(
                id,
                purchase,
                c.released_by,
                c.received_by,
                c.at,
                c.place,
                c.seal,
                c.note,
            ),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// A purchase file's bytes, checked against the hash taken when it was attached.
    pub fn purchase_file_bytes(&self, file_id: i64) -> Result<Vec<u8>> {
        let row: Option<(Vec<u8>, String, String)> = self
            .conn
            .query_row(
                "SELECT content, sha256, file_name FROM purchase_files WHERE id = ?1",
                [file_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(classify)?;
        let Some((bytes, sha, name)) = row else {
            return Err(StoreError::BadRecord(format!(
                "there is no purchase file {file_id}"
            )));
        };
        if sha256(&bytes).to_hex() != sha {
            return Err(StoreError::BadRecord(format!(
                "the purchase file '{name}' no longer matches its hash; run `exhibit verify`"
            )));
        }
        Ok(bytes)
    }

    /// Every purchase with its updates, files, verdict and custody entries, in the
    /// order recorded.
    pub fn purchases(&self) -> Result<Vec<PurchaseRow>> {
        let mut purchases: Vec<PurchaseRow> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, listing_id, order_number, ordered_on, platform, buyer, amount, currency,
                        payment_last4, ship_to, ship_to_region, recorded_at
                 FROM purchases ORDER BY id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(PurchaseRow {
                        id: r.get(0)?,
                        listing: r.get(1)?,
                        order_number: r.get(2)?,
                        ordered_on: r.get(3)?,
                        platform: r.get(4)?,
                        buyer: r.get(5)?,
                        amount: r.get(6)?,
                        currency: r.get(7)?,
                        payment_last4: r.get(8)?,
                        ship_to: r.get(9)?,
                        ship_to_region: r.get(10)?,
                        recorded_at: r.get(11)?,
                        updates: Vec::new(),
                        files: Vec::new(),
                        verdict: None,
                        custody: Vec::new(),
                    })
                })
                .map_err(classify)?;
            rows.collect::<rusqlite::Result<_>>().map_err(classify)?
        };
        let index: HashMap<i64, usize> = purchases
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();
        let owner = |purchase: i64| index.get(&purchase).copied();
        for (p, u) in self.rows_by_purchase(
            "SELECT purchase_id, id, tracking, carrier, ship_from, delivered_on, recorded_at
             FROM purchase_updates ORDER BY id",
            |r| {
                Ok(PurchaseUpdateRow {
                    id: r.get(1)?,
                    tracking: r.get(2)?,
                    carrier: r.get(3)?,
                    ship_from: r.get(4)?,
                    delivered_on: r.get(5)?,
                    recorded_at: r.get(6)?,
                })
            },
        )? {
            if let Some(i) = owner(p) {
                purchases[i].updates.push(u);
            }
        }
        for (p, f) in self.rows_by_purchase(
            "SELECT purchase_id, id, kind, file_name, media_type, size, sha256, added_at
             FROM purchase_files ORDER BY id",
            |r| {
                Ok(PurchaseFileRow {
                    id: r.get(1)?,
                    kind: r.get(2)?,
                    file_name: r.get(3)?,
                    media_type: r.get(4)?,
                    size: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
                    sha256: r.get(6)?,
                    added_at: r.get(7)?,
                })
            },
        )? {
            if let Some(i) = owner(p) {
                purchases[i].files.push(f);
            }
        }
        for (p, v) in self.rows_by_purchase(
            "SELECT purchase_id, id, verdict, decided_by, method, recorded_at
             FROM purchase_verdicts ORDER BY id",
            |r| {
                Ok(VerdictRow {
                    id: r.get(1)?,
                    verdict: r.get(2)?,
                    by: r.get(3)?,
                    method: r.get(4)?,
                    recorded_at: r.get(5)?,
                })
            },
        )? {
            if let Some(i) = owner(p) {
                purchases[i].verdict = Some(v);
            }
        }
        for (p, c) in self.rows_by_purchase(
            "SELECT purchase_id, id, released_by, received_by, at, place, seal, note, recorded_at
             FROM item_custody ORDER BY id",
            |r| {
                Ok(ItemCustodyRow {
                    id: r.get(1)?,
                    from: r.get(2)?,
                    to: r.get(3)?,
                    at: r.get(4)?,
                    place: r.get(5)?,
                    seal: r.get(6)?,
                    note: r.get(7)?,
                    recorded_at: r.get(8)?,
                })
            },
        )? {
            if let Some(i) = owner(p) {
                purchases[i].custody.push(c);
            }
        }
        Ok(purchases)
    }

    /// The rows of one of a purchase's tables, each with the purchase it belongs to
    /// (`sql`'s first column); `row` reads the rest.
    fn rows_by_purchase<T>(
        &self,
        sql: &str,
        row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<(i64, T)>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, row(r)?)))
            .map_err(classify)?;
        rows.collect::<rusqlite::Result<_>>().map_err(classify)
    }

    /// Compares every purchase, update, file record, verdict and custody entry with the
    /// custody event written beside it, and reports each that differs or has none. The
    /// files' bytes are re-hashed with every other stored byte (see `verify`).
    pub(crate) fn check_purchases(
        &self,
        events: &[CustodyEvent],
        problems: &mut Vec<Problem>,
    ) -> Result<()> {
        let logged = crate::verify::LoggedRows::new(
            events,
            &[
                ("purchase.added", "purchase", "purchase_id"),
                ("purchase.updated", "update", "update_id"),
                ("purchase.file_attached", "file", "file_id"),
                ("purchase.verdict", "verdict", "verdict_id"),
                ("item.custody", "custody", "custody_id"),
            ],
            ("purchase_changed", "purchase_not_in_log"),
        );
        let mut check = |kind: &'static str, id: i64, stored: serde_json::Value, what: String| {
            logged.check(kind, id, &stored, &what, problems);
        };
        for p in self.purchases()? {
            check(
                "purchase",
                p.id,
                purchase_detail(
                    p.id,
                    p.listing,
                    &p.order_number,
                    &p.ordered_on,
                    &p.platform,
                    p.buyer.as_deref(),
                    &p.amount,
                    &p.currency,
                    p.payment_last4.as_deref(),
                    &p.ship_to,
                    p.ship_to_region.as_deref(),
                ),
                format!("Purchase {} (order {})", p.id, p.order_number),
            );
            for u in &p.updates {
                check(
                    "update",
                    u.id,
                    update_detail(
                        u.id,
                        p.id,
                        u.tracking.as_deref(),
                        u.carrier.as_deref(),
                        u.ship_from.as_deref(),
                        u.delivered_on.as_deref(),
                    ),
                    format!("A shipping update of purchase {}", p.id),
                );
            }
            for f in &p.files {
                check(
                    "file",
                    f.id,
                    file_detail(
                        f.id,
                        p.id,
                        &f.kind,
                        &f.file_name,
                        &f.media_type,
                        f.size,
                        &f.sha256,
                    ),
                    format!(
                        "The record of the file {} of purchase {}",
                        f.file_name, p.id
                    ),
                );
            }
            if let Some(v) = &p.verdict {
                check(
                    "verdict",
                    v.id,
                    verdict_detail(v.id, p.id, &v.verdict, &v.by, &v.method),
                    format!("The verdict on purchase {}", p.id),
                );
            }
            for c in &p.custody {
                check(
                    "custody",
                    c.id,
                    custody_detail(
                        c.id,
                        p.id,
                        &c.from,
                        &c.to,
                        &c.at,
                        &c.place,
                        c.seal.as_deref(),
                        c.note.as_deref(),
                    ),
                    format!(
                        "The custody entry of purchase {}'s item at {} ({} to {})",
                        p.id, c.at, c.from, c.to
                    ),
                );
            }
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn purchase_detail(
    id: i64,
    listing: i64,
    order_number: &str,
    ordered_on: &str,
    platform: &str,
    buyer: Option<&str>,
    amount: &str,
    currency: &str,
    payment_last4: Option<&str>,
    ship_to: &str,
    ship_to_region: Option<&str>,
) -> serde_json::Value {
    serde_json::json!({
        "purchase_id": id,
        "listing": listing,
        "order_number": order_number,
        "ordered_on": ordered_on,
        "platform": platform,
        "buyer": buyer,
        "amount": amount,
        "currency": currency,
        "payment_last4": payment_last4,
        "ship_to": ship_to,
        "ship_to_region": ship_to_region,
    })
}

fn update_detail(
    id: i64,
    purchase: i64,
    tracking: Option<&str>,
    carrier: Option<&str>,
    ship_from: Option<&str>,
    delivered_on: Option<&str>,
) -> serde_json::Value {
    serde_json::json!({
        "update_id": id,
        "purchase_id": purchase,
        "tracking": tracking,
        "carrier": carrier,
        "ship_from": ship_from,
        "delivered_on": delivered_on,
    })
}

fn file_detail(
    id: i64,
    purchase: i64,
    kind: &str,
    file_name: &str,
    media_type: &str,
    size: u64,
    sha256: &str,
) -> serde_json::Value {
    serde_json::json!({
        "file_id": id,
        "purchase_id": purchase,
        "kind": kind,
        "file_name": file_name,
        "media_type": media_type,
        "size": size,
        "sha256": sha256,
    })
}

fn verdict_detail(
    id: i64,
    purchase: i64,
    verdict: &str,
    by: &str,
    method: &str,
) -> serde_json::Value {
    serde_json::json!({
        "verdict_id": id,
        "purchase_id": purchase,
        "verdict": verdict,
        "by": by,
        "method": method,
    })
}

#[allow(clippy::too_many_arguments)]
fn custody_detail(
    id: i64,
    purchase: i64,
    from: &str,
    to: &str,
    at: &str,
    place: &str,
    seal: Option<&str>,
    note: Option<&str>,
) -> serde_json::Value {
    serde_json::json!({
        "custody_id": id,
        "purchase_id": purchase,
        "from": from,
        "to": to,
        "at": at,
        "place": place,
        "seal": seal,
        "note": note,
    })
}
