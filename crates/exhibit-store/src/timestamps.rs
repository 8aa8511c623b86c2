//! Trusted time in the case: RFC 3161 tokens, and the honest record of when none came.
//!
//! This module stores what the caller already verified (the `exhibit-tsa` crate checks
//! the token); it never talks to a time-stamp authority. A token row keeps the exact
//! bytes that were stamped and the authority's whole response, each with its hash, and
//! logs a `timestamp.added` custody event naming both. A capture that got no trusted
//! time has a `timestamp.missed` event saying which authorities were tried and why.

use chrono::Utc;
use exhibit_domain::{CustodyEventKind, Digest, rfc3339_millis, sha256};
use rusqlite::params;
use serde::Serialize;

use crate::{Result, Store, StoreError, classify, custody};

/// What a token covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "subject", content = "capture_id", rename_all = "lowercase")]
pub enum TimestampSubject {
    /// One capture: the data is its timestamp statement.
    Capture(i64),
    /// One export: the data is its bundle manifest.
    Export,
}

impl TimestampSubject {
    fn as_str(self) -> &'static str {
        match self {
            TimestampSubject::Capture(_) => "capture",
            TimestampSubject::Export => "export",
        }
    }
    fn capture_id(self) -> Option<i64> {
        match self {
            TimestampSubject::Capture(id) => Some(id),
            TimestampSubject::Export => None,
        }
    }
}

/// A verified token about to be stored.
#[derive(Debug, Clone)]
pub struct NewTimestamp<'a> {
    pub subject: TimestampSubject,
    /// The exact bytes whose SHA-256 the token covers.
    pub data: &'a [u8],
    pub tsa_url: &'a str,
    pub tsa_name: &'a str,
    /// The authority's time, RFC 3339 UTC.
    pub gen_time: &'a str,
    pub serial: &'a str,
    pub policy: &'a str,
    /// The whole TimeStampResp, DER.
    pub response: &'a [u8],
    /// How long after the capture ended (or the export began) the authority's time is.
    pub delay_ms: i64,
}

/// A stored token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredTimestamp {
    pub id: i64,
    /// `capture` or `export`.
    pub subject: String,
    pub capture_id: Option<i64>,
    #[serde(skip)]
    pub data: Vec<u8>,
    pub data_sha256: String,
    pub tsa_url: String,
    pub tsa_name: String,
    pub gen_time: String,
    pub serial: String,
    pub policy: String,
    #[serde(skip)]
    pub response: Vec<u8>,
    pub response_sha256: String,
    pub delay_ms: i64,
    pub recorded_at: String,
}

/// One authority tried without getting a verified time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissedAttempt {
    pub url: String,
    /// Why, in one sentence.
    pub reason: String,
}

const COLUMNS: &str = "id, subject, capture_id, data, data_sha256, tsa_url, tsa_name, gen_time, \
                       serial, policy, response, response_sha256, delay_ms, recorded_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredTimestamp> {
    Ok(StoredTimestamp {
        id: r.get(0)?,
        subject: r.get(1)?,
        capture_id: r.get(2)?,
        data: r.get(3)?,
        data_sha256: r.get(4)?,
        tsa_url: r.get(5)?,
        tsa_name: r.get(6)?,
        gen_time: r.get(7)?,
        serial: r.get(8)?,
        policy: r.get(9)?,
        response: r.get(10)?,
        response_sha256: r.get(11)?,
        delay_ms: r.get(12)?,
        recorded_at: r.get(13)?,
    })
}

impl Store {
    /// Stores a verified token and logs it. A capture must exist.
    pub fn add_timestamp(&mut self, t: &NewTimestamp<'_>) -> Result<i64> {
        let data_sha256 = sha256(t.data);
        let response_sha256 = sha256(t.response);
        let recorded_at = rfc3339_millis(&Utc::now());
        let tx = self.conn.transaction()?;
        if let TimestampSubject::Capture(id) = t.subject {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM captures WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::NoSuchCapture(id));
            }
        }
        tx.execute(
            "INSERT INTO timestamps (subject, capture_id, data, data_sha256, tsa_url, tsa_name, gen_time,
                                     serial, policy, response, response_sha256, delay_ms, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                t.subject.as_str(),
                t.subject.capture_id(),
                t.data,
                data_sha256.to_hex(),
                t.tsa_url,
                t.tsa_name,
                t.gen_time,
                t.serial,
                t.policy,
                t.response,
                response_sha256.to_hex(),
                t.delay_ms,
                recorded_at,
            ],
        )?;
        let id = tx.last_insert_rowid();
        custody::append(
            &tx,
            match t.subject {
                TimestampSubject::Capture(_) => CustodyEventKind::TimestampAdded,
                TimestampSubject::Export => CustodyEventKind::ExportTimestamped,
            },
            &serde_json::json!({
                "timestamp_id": id,
                "subject": t.subject.as_str(),
                "capture_id": t.subject.capture_id(),
                "data_sha256": data_sha256,
                "tsa_url": t.tsa_url,
                "tsa_name": t.tsa_name,
                "gen_time": t.gen_time,
                "serial": t.serial,
                "response_sha256": response_sha256,
                "delay_ms": t.delay_ms,
            }),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Logs that no authority gave a verified time for `subject` over `data_sha256`.
    pub fn record_missed_timestamp(
        &mut self,
        subject: TimestampSubject,
        data_sha256: &Digest,
        attempts: &[MissedAttempt],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        custody::append(
            &tx,
            match subject {
                TimestampSubject::Capture(_) => CustodyEventKind::TimestampMissed,
                TimestampSubject::Export => CustodyEventKind::ExportTimestampMissed,
            },
            &serde_json::json!({
                "subject": subject.as_str(),
                "capture_id": subject.capture_id(),
                "data_sha256": data_sha256,
                "attempts": attempts,
            }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every stored token, oldest first.
    pub fn timestamps(&self) -> Result<Vec<StoredTimestamp>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM timestamps ORDER BY id"))?;
        let rows = stmt.query_map([], row).map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// The tokens of one capture, oldest first.
    pub fn capture_timestamps(&self, capture_id: i64) -> Result<Vec<StoredTimestamp>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM timestamps WHERE capture_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([capture_id], row).map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// The ids of captures that have no token yet, oldest first.
    pub fn captures_without_timestamp(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM captures c
             WHERE NOT EXISTS (SELECT 1 FROM timestamps t WHERE t.capture_id = c.id)
             ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }
}
