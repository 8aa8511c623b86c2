//! Appending to and reading the custody log. Events are only ever inserted.

use chrono::Utc;
use exhibit_domain::{CustodyEvent, CustodyEventKind, Digest, GENESIS_HASH, rfc3339_millis};
use rusqlite::{OptionalExtension, Transaction};

use crate::{Result, Store, StoreError, classify};

/// Appends one event inside the caller's transaction, chained to the current head.
pub(crate) fn append(
    tx: &Transaction<'_>,
    kind: CustodyEventKind,
    detail: &serde_json::Value,
) -> Result<CustodyEvent> {
    let head: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM custody_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match head {
        None => (1, GENESIS_HASH),
        Some((seq, hash)) => (
            seq + 1,
            Digest::from_hex(&hash).ok_or_else(|| {
                StoreError::BadRecord(format!("custody event {seq} has a malformed hash"))
            })?,
        ),
    };
    let at = rfc3339_millis(&Utc::now());
    let detail = detail.to_string();
    let kind = kind.as_str().to_owned();
    let hash = CustodyEvent::compute_hash(seq, &at, &kind, &prev_hash, &detail);
    tx.execute(
        "INSERT INTO custody_events (seq, at, kind, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (seq, &at, &kind, &detail, prev_hash.to_hex(), hash.to_hex()),
    )?;
    Ok(CustodyEvent {
        seq,
        at,
        kind,
        detail,
        prev_hash,
        hash,
    })
}

fn parse_digest(seq: i64, what: &str, s: &str) -> Result<Digest> {
    Digest::from_hex(s)
        .ok_or_else(|| StoreError::BadRecord(format!("custody event {seq} has a malformed {what}")))
}

impl Store {
    /// Every custody event, oldest first, exactly as stored (not checked: see `verify`).
    pub fn custody_log(&self) -> Result<Vec<CustodyEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, kind, detail, prev_hash, hash FROM custody_events ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(classify)?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, kind, detail, prev, hash) = row.map_err(classify)?;
            out.push(CustodyEvent {
                seq,
                prev_hash: parse_digest(seq, "previous hash", &prev)?,
                hash: parse_digest(seq, "hash", &hash)?,
                at,
                kind,
                detail,
            });
        }
        Ok(out)
    }

    /// A stable identifier of the case: the hash of its first custody event, which
    /// covers its creation time and title.
    pub fn case_id(&self) -> Result<String> {
        self.conn
            .query_row("SELECT hash FROM custody_events WHERE seq = 1", [], |r| {
                r.get(0)
            })
            .map_err(classify)
    }

    /// The newest event's hash: the head of the chain.
    pub fn custody_head(&self) -> Result<Option<Digest>> {
        let head: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM custody_events ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(classify)?;
        head.map(|h| parse_digest(0, "head hash", &h)).transpose()
    }

    /// Records an event that is not part of a larger change (such as a verification run).
    pub fn record_event(
        &mut self,
        kind: CustodyEventKind,
        detail: &serde_json::Value,
    ) -> Result<CustodyEvent> {
        let tx = self.conn.transaction()?;
        let event = append(&tx, kind, detail)?;
        tx.commit()?;
        Ok(event)
    }
}
