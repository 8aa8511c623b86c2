//! The app's working state inside the case: the complaint draft, and files attached to
//! the case by name (certificates, identity proofs) for the complaint to cite.

use chrono::Utc;
use exhibit_domain::{CustodyEventKind, NewArtifact, rfc3339_millis, sha256};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::{Result, Store, StoreError, classify, custody};

/// A file attached to the case, as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Attachment {
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub added_at: String,
}

impl Store {
    /// The saved complaint draft (JSON text), if any.
    pub fn draft(&self) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT complaint FROM drafts WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(classify)
    }

    /// Replaces the complaint draft. Not logged: a draft is work in progress.
    pub fn save_draft(&mut self, json: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO drafts (id, complaint, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET complaint = excluded.complaint, updated_at = excluded.updated_at",
            params![json, rfc3339_millis(&Utc::now())],
        )?;
        Ok(())
    }

    /// Stores a file under `name`, which must be new in this case, and logs its hash.
    pub fn attach_named(&mut self, name: &str, file: &NewArtifact) -> Result<Attachment> {
        let added_at = rfc3339_millis(&Utc::now());
        let tx = self.conn.transaction()?;
        attach_in(&tx, name, file, &added_at)?;
        tx.commit()?;
        Ok(Attachment {
            name: name.to_owned(),
            media_type: file.media_type().to_owned(),
            size: file.bytes().len() as u64,
            sha256: file.sha256().to_hex(),
            added_at,
        })
    }

    /// Every attached file, in the order attached.
    pub fn attachments(&self) -> Result<Vec<Attachment>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, media_type, size, sha256, added_at FROM attachments ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Attachment {
                    name: r.get(0)?,
                    media_type: r.get(1)?,
                    size: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    sha256: r.get(3)?,
                    added_at: r.get(4)?,
                })
            })
            .map_err(classify)?;
        rows.map(|r| r.map_err(classify)).collect()
    }

    /// An attached file's bytes, checked against the hash taken when it was attached.
    pub fn attachment_bytes(&self, name: &str) -> Result<Vec<u8>> {
        let row: Option<(Vec<u8>, String)> = self
            .conn
            .query_row(
                "SELECT content, sha256 FROM attachments WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(classify)?;
        let Some((bytes, sha)) = row else {
            return Err(StoreError::BadRecord(format!(
                "no file named '{name}' is attached"
            )));
        };
        if sha256(&bytes).to_hex() != sha {
            return Err(StoreError::BadRecord(format!(
                "the attached file '{name}' no longer matches its hash; run `exhibit verify`"
            )));
        }
        Ok(bytes)
    }
}

/// Stores a file under `name` (new in this case) and logs its hash, inside the caller's
/// transaction. Returns the attachment's row id.
pub(crate) fn attach_in(
    tx: &Transaction<'_>,
    name: &str,
    file: &NewArtifact,
    added_at: &str,
) -> Result<i64> {
    let taken: Option<i64> = tx
        .query_row("SELECT id FROM attachments WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::BadRecord(format!(
            "a file named '{name}' is already attached"
        )));
    }
    tx.execute(
        "INSERT INTO attachments (name, media_type, size, sha256, content, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            name,
            file.media_type(),
            file.bytes().len() as i64,
            file.sha256().to_hex(),
            file.bytes(),
            added_at
        ],
    )?;
    let id = tx.last_insert_rowid();
    custody::append(
        tx,
        CustodyEventKind::FileAttached,
        &serde_json::json!({
            "attachment_id": id,
            "file_name": name,
            "sha256": file.sha256(),
            "size": file.bytes().len(),
        }),
    )?;
    Ok(id)
}
