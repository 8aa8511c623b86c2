//! Storing and reading captures and their artifacts.

use std::collections::HashMap;
use std::io::{Read, Write};

use exhibit_domain::{
    ArtifactSummary, Capture, CaptureRecord, CustodyEventKind, Digest, NewArtifact, sha256,
};
use rusqlite::{MAIN_DB, OptionalExtension, params};
use sha2::{Digest as _, Sha256};

use crate::{Result, Store, StoreError, classify, custody, packing};

/// Size of the buffer artifacts are streamed through.
pub(crate) const CHUNK: usize = 1 << 20;

impl Store {
    /// Stores one capture with its artifacts and its custody event, in one transaction.
    /// When this returns `Ok`, the capture is on disk and survives a crash.
    pub fn add_capture(
        &mut self,
        record: &CaptureRecord,
        artifacts: &[NewArtifact],
    ) -> Result<i64> {
        self.add_capture_hashed(record, artifacts, None)
    }

    /// [`Store::add_capture`], with the relisting hash of its main image
    /// (`(algorithm, hex)`) in the same transaction: one commit and one sync, not two.
    pub fn add_capture_hashed(
        &mut self,
        record: &CaptureRecord,
        artifacts: &[NewArtifact],
        image_hash: Option<(&str, &str)>,
    ) -> Result<i64> {
        let packed: Vec<_> = artifacts.iter().map(crate::pack).collect();
        self.add_capture_packed(record, &packed, image_hash)
    }

    /// [`Store::add_capture_hashed`] of artifacts already [`crate::pack`]ed, which is the
    /// CPU-heavy part: a caller that shares the store between threads packs before it
    /// takes the lock.
    pub fn add_capture_packed(
        &mut self,
        record: &CaptureRecord,
        artifacts: &[crate::PackedArtifact<'_>],
        image_hash: Option<(&str, &str)>,
    ) -> Result<i64> {
        let record_json = serde_json::to_string(record)
            .map_err(|e| StoreError::BadRecord(format!("capture record: {e}")))?;
        let record_sha256 = sha256(record_json.as_bytes());
        let tx = self.conn.transaction()?;
        // The listing the page names; else, for a recapture, the listing it was taken
        // for (a removed page often names none).
        let named = match (&record.facts.marketplace, &record.facts.listing_id) {
            (Some(m), Some(l)) => Some((m, l)),
            _ => record
                .context
                .as_ref()
                .and_then(|c| c.recapture_of.as_ref())
                .map(|r| (&r.marketplace, &r.listing_id)),
        };
        let listing_row: Option<i64> = match named {
            Some((m, l)) => {
                tx.execute(
                    "INSERT INTO listings (marketplace, listing_ref, first_url) VALUES (?1, ?2, ?3)
                     ON CONFLICT (marketplace, listing_ref) DO NOTHING",
                    (m, l, &record.requested_url),
                )?;
                Some(tx.query_row(
                    "SELECT id FROM listings WHERE marketplace = ?1 AND listing_ref = ?2",
                    (m, l),
                    |r| r.get(0),
                )?)
            }
            None => None,
        };
        tx.execute(
            "INSERT INTO captures (listing_id, mode, requested_url, final_url, status, started_at, finished_at, record, record_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                listing_row,
                record.mode,
                record.requested_url,
                record.final_url,
                record.status.as_str(),
                record.started_at,
                record.finished_at,
                record_json,
                record_sha256.to_hex(),
            ],
        )?;
        let capture_id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO artifacts (capture_id, kind, media_type, size, sha256, content, encoding) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for p in artifacts {
                let a = &*p.artifact;
                insert.execute(params![
                    capture_id,
                    a.kind(),
                    a.media_type(),
                    a.bytes().len() as i64,
                    a.sha256().to_hex(),
                    p.stored(),
                    p.encoding(),
                ])?;
            }
        }
        let listed: Vec<_> = artifacts
            .iter()
            .map(|p| &*p.artifact)
            .map(|a| serde_json::json!({"kind": a.kind(), "sha256": a.sha256(), "size": a.bytes().len()}))
            .collect();
        custody::append(
            &tx,
            CustodyEventKind::CaptureTaken,
            &serde_json::json!({
                "capture_id": capture_id,
                "requested_url": record.requested_url,
                "status": record.status,
                "record_sha256": record_sha256,
                "artifacts": listed,
            }),
        )?;
        if let Some((algorithm, hash)) = image_hash {
            crate::campaign::insert_image_hash(&tx, capture_id, algorithm, hash)?;
        }
        tx.commit()?;
        Ok(capture_id)
    }

    fn artifact_summaries(&self) -> Result<HashMap<i64, Vec<ArtifactSummary>>> {
        let mut stmt = self
            .conn
            .prepare("SELECT capture_id, kind, media_type, size, sha256 FROM artifacts ORDER BY capture_id, id")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(classify)?;
        let mut out: HashMap<i64, Vec<ArtifactSummary>> = HashMap::new();
        for row in rows {
            let (capture_id, kind, media_type, size, sha) = row.map_err(classify)?;
            out.entry(capture_id).or_default().push(ArtifactSummary {
                sha256: Digest::from_hex(&sha).ok_or_else(|| {
                    StoreError::BadRecord(format!(
                        "artifact '{kind}' of capture {capture_id} has a malformed hash"
                    ))
                })?,
                kind,
                media_type,
                size: u64::try_from(size).unwrap_or(0),
            });
        }
        Ok(out)
    }

    fn parse_capture(
        id: i64,
        record: &str,
        sha: &str,
        artifacts: Vec<ArtifactSummary>,
    ) -> Result<Capture> {
        Ok(Capture {
            id,
            record: serde_json::from_str(record)
                .map_err(|e| StoreError::BadRecord(format!("capture {id}: {e}")))?,
            record_sha256: Digest::from_hex(sha).ok_or_else(|| {
                StoreError::BadRecord(format!("capture {id} has a malformed record hash"))
            })?,
            artifacts,
        })
    }

    /// The captures whose page the extractor judged to be of one of `kinds`
    /// (`store`, `checkout`, …), oldest first, with their artifacts.
    pub fn captures_of_page_kind(&self, kinds: &[&str]) -> Result<Vec<Capture>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM captures WHERE json_extract(record, '$.facts.page_kind') = ?1",
        )?;
        let mut ids = Vec::new();
        for kind in kinds {
            let rows = stmt
                .query_map([kind], |r| r.get::<_, i64>(0))
                .map_err(classify)?;
            for id in rows {
                ids.push(id.map_err(classify)?);
            }
        }
        ids.sort_unstable();
        ids.into_iter().map(|id| self.capture(id)).collect()
    }

    /// Every capture, oldest first.
    pub fn captures(&self) -> Result<Vec<Capture>> {
        let mut artifacts = self.artifact_summaries()?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, record, record_sha256 FROM captures ORDER BY id")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(classify)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, record, sha) = row.map_err(classify)?;
            out.push(Self::parse_capture(
                id,
                &record,
                &sha,
                artifacts.remove(&id).unwrap_or_default(),
            )?);
        }
        Ok(out)
    }

    /// Up to `limit` captures, oldest first, skipping the first `offset`: one page of
    /// what [`Store::captures`] returns, read without touching the other records. The
    /// ids are paged over the narrow `capture_facts` rows (a record is kilobytes of
    /// JSON; skipping 10,000 of them in `captures` would decrypt every one).
    pub fn capture_range(&self, offset: u64, limit: u64) -> Result<Vec<Capture>> {
        self.captures_listed(
            "SELECT capture_id FROM capture_facts ORDER BY capture_id LIMIT ?1 OFFSET ?2",
            params![sql_count(limit), sql_count(offset)],
        )
    }

    /// The captures whose ids `sql` selects, in its order.
    fn captures_listed(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Capture>> {
        let mut stmt = self.conn.prepare(sql)?;
        let ids = stmt
            .query_map(args, |r| r.get::<_, i64>(0))
            .map_err(classify)?
            .collect::<std::result::Result<Vec<i64>, _>>()
            .map_err(classify)?;
        ids.into_iter().map(|id| self.capture(id)).collect()
    }

    /// One page of captures, newest first, with how many match in all. `ids` keeps
    /// (or, with `false`, leaves out) the captures it names.
    pub fn capture_page(
        &self,
        filter: &PageFilter<'_>,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<Capture>)> {
        let ids_json = filter
            .ids
            .map(|(ids, _)| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
        let keep = filter.ids.map(|(_, keep)| keep);
        // The narrow facts rows, not the records: counting and paging never parse one.
        const WHERE: &str = "WHERE (?1 IS NULL OR status = ?1)
               AND (?2 IS NULL OR marketplace = ?2)
               AND (?3 IS NULL OR (capture_id IN (SELECT value FROM json_each(?3))) = ?4)";
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM capture_facts {WHERE}"),
                params![filter.status, filter.marketplace, ids_json, keep],
                |r| r.get(0),
            )
            .map_err(classify)?;
        let items = self.captures_listed(
            &format!(
                "SELECT capture_id FROM capture_facts {WHERE} ORDER BY capture_id DESC LIMIT ?5 OFFSET ?6"
            ),
            params![
                filter.status,
                filter.marketplace,
                ids_json,
                keep,
                sql_count(limit),
                sql_count(offset)
            ],
        )?;
        Ok((u64::try_from(total).unwrap_or(0), items))
    }

    /// How many captures the case holds.
    pub fn capture_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM captures", [], |r| r.get(0))
            .map_err(classify)
    }

    /// One capture.
    pub fn capture(&self, id: i64) -> Result<Capture> {
        let (record, sha) = self.record_row(id)?;
        let mut stmt = self
            .conn
            .prepare("SELECT kind, media_type, size, sha256 FROM artifacts WHERE capture_id = ?1 ORDER BY id")?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(classify)?;
        let mut artifacts = Vec::new();
        for row in rows {
            let (kind, media_type, size, sha) = row.map_err(classify)?;
            artifacts.push(ArtifactSummary {
                sha256: Digest::from_hex(&sha).ok_or_else(|| {
                    StoreError::BadRecord(format!(
                        "artifact '{kind}' of capture {id} has a malformed hash"
                    ))
                })?,
                kind,
                media_type,
                size: u64::try_from(size).unwrap_or(0),
            });
        }
        Self::parse_capture(id, &record, &sha, artifacts)
    }

    /// A capture's stored record text and its hash.
    fn record_row(&self, id: i64) -> Result<(String, String)> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT record, record_sha256 FROM captures WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(classify)?;
        row.ok_or(StoreError::NoSuchCapture(id))
    }

    /// The capture's canonical record exactly as stored and hashed, checked against its
    /// hash on the way out: what an export puts in the bundle.
    pub fn record_json(&self, id: i64) -> Result<String> {
        let (record, sha) = self.record_row(id)?;
        if sha256(record.as_bytes()).to_hex() != sha {
            return Err(StoreError::BadRecord(format!(
                "capture {id}'s record no longer matches its hash"
            )));
        }
        Ok(record)
    }

    /// Streams one artifact's bytes into `out`, checking them against the hash taken at
    /// capture. On a mismatch the bytes have still been written, and
    /// [`StoreError::ArtifactTampered`] tells the caller to discard them.
    /// Opens one artifact for reading, through SQLite's incremental blob I/O, so an
    /// export can stream it anywhere without holding it whole. The reader hashes what it
    /// reads and, at the end, fails with [`std::io::ErrorKind::InvalidData`] (carrying
    /// [`StoreError::ArtifactTampered`]) if the bytes no longer match the hash taken at
    /// capture; a reader dropped before its end has checked nothing.
    pub fn open_artifact<'s>(&'s self, capture_id: i64, kind: &str) -> Result<impl Read + use<'s>> {
        let row: Option<(i64, i64, String, String)> = self
            .conn
            .query_row(
                "SELECT id, size, sha256, encoding FROM artifacts WHERE capture_id = ?1 AND kind = ?2",
                (capture_id, kind),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(classify)?;
        let Some((rowid, size, sha, encoding)) = row else {
            self.capture(capture_id)?;
            return Err(StoreError::NoSuchArtifact {
                capture_id,
                kind: kind.to_owned(),
            });
        };
        let bytes = self.artifact_bytes(rowid, &encoding, size, capture_id, kind)?;
        Ok(ArtifactReader {
            bytes,
            hasher: Sha256::new(),
            expected: Digest::from_hex(&sha),
            capture_id,
            kind: kind.to_owned(),
            checked: false,
        })
    }

    pub fn write_artifact(
        &self,
        capture_id: i64,
        kind: &str,
        out: &mut dyn Write,
    ) -> Result<ArtifactSummary> {
        let row: Option<(i64, String, i64, String, String)> = self
            .conn
            .query_row(
                "SELECT id, media_type, size, sha256, encoding FROM artifacts WHERE capture_id = ?1 AND kind = ?2",
                (capture_id, kind),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(classify)?;
        let Some((rowid, media_type, size, sha, encoding)) = row else {
            // Say which of the two is missing.
            self.capture(capture_id)?;
            return Err(StoreError::NoSuchArtifact {
                capture_id,
                kind: kind.to_owned(),
            });
        };
        let mut bytes = self.artifact_bytes(rowid, &encoding, size, capture_id, kind)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = bytes.read(&mut buf).map_err(|e| {
                if packing::is_undecodable(&e) {
                    StoreError::ArtifactTampered {
                        capture_id,
                        kind: kind.to_owned(),
                    }
                } else {
                    StoreError::Corrupt {
                        detail: e.to_string(),
                    }
                }
            })?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|source| StoreError::Io {
                path: "output".into(),
                source,
            })?;
        }
        let actual = Digest(hasher.finalize().into());
        if Some(actual) != Digest::from_hex(&sha) {
            return Err(StoreError::ArtifactTampered {
                capture_id,
                kind: kind.to_owned(),
            });
        }
        Ok(ArtifactSummary {
            kind: kind.to_owned(),
            media_type,
            size: u64::try_from(size).unwrap_or(0),
            sha256: actual,
        })
    }
}

impl Store {
    /// The bytes as received of the artifact in row `rowid`, read from its blob through
    /// [`packing::unpack`]: what both readers above stream.
    fn artifact_bytes(
        &self,
        rowid: i64,
        encoding: &str,
        size: i64,
        capture_id: i64,
        kind: &str,
    ) -> Result<Box<dyn Read + '_>> {
        let blob = self
            .conn
            .blob_open(MAIN_DB, "artifacts", "content", rowid, true)
            .map_err(classify)?;
        packing::unpack(encoding, blob, u64::try_from(size).unwrap_or(0)).map_err(|_| {
            StoreError::ArtifactTampered {
                capture_id,
                kind: kind.to_owned(),
            }
        })
    }
}

/// Which captures [`Store::capture_page`] lists.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageFilter<'a> {
    /// `ok`, `blocked`, `removed` or `failed`.
    pub status: Option<&'a str>,
    /// As extracted: `taobao`, `amazon`, …
    pub marketplace: Option<&'a str>,
    /// Capture ids, and whether to keep only those (`true`) or all but those.
    pub ids: Option<(&'a [i64], bool)>,
}

/// An artifact read from its blob (and decompressed, if it is kept compressed), checked
/// against its hash at the end.
struct ArtifactReader<'c> {
    bytes: Box<dyn Read + 'c>,
    hasher: Sha256,
    expected: Option<Digest>,
    capture_id: i64,
    kind: String,
    checked: bool,
}

impl Read for ArtifactReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = match self.bytes.read(buf) {
            Ok(n) => n,
            Err(e) if packing::is_undecodable(&e) => {
                self.checked = true;
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    StoreError::ArtifactTampered {
                        capture_id: self.capture_id,
                        kind: std::mem::take(&mut self.kind),
                    },
                ));
            }
            Err(e) => return Err(e),
        };
        if n > 0 {
            self.hasher.update(&buf[..n]);
        } else if !buf.is_empty() && !self.checked {
            self.checked = true;
            let actual = Digest(std::mem::take(&mut self.hasher).finalize().into());
            if Some(actual) != self.expected {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    StoreError::ArtifactTampered {
                        capture_id: self.capture_id,
                        kind: std::mem::take(&mut self.kind),
                    },
                ));
            }
        }
        Ok(n)
    }
}

/// A count for SQL's `LIMIT`/`OFFSET`, which are signed: anything past `i64::MAX` is all.
fn sql_count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
