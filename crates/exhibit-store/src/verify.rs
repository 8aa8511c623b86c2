//! Verification: check every page of the file, re-hash every stored byte and walk the
//! custody chain.
//!
//! Nothing here trusts the stored hashes alone. An artifact is checked three ways: its
//! bytes against its stored hash, its stored hash against the hash recorded in its
//! capture's custody event, and that event against the chain. Changing evidence
//! therefore means rewriting the chain from that point on, which moves the head hash
//! printed in every packet.
//!
//! Reading a page makes SQLCipher check that page's HMAC, so re-hashing every artifact,
//! record and event checks every page that holds evidence, but not the pages that hold
//! none (indexes, the schema, free pages). The default check adds those: `pages.rs`
//! checks every page's HMAC straight from disk on every core, and a damaged page is
//! then named by the table or index that owns it. `every_page = false` is the quick,
//! evidence-only pass.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;

use exhibit_domain::{ChainBreak, CustodyEvent, Digest, TimestampStatement, sha256};
use rusqlite::MAIN_DB;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::captures::CHUNK;
use crate::pages::{self, Place};
use crate::{Result, Store, StoreError, classify, packing};

/// One thing found wrong, named precisely enough to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Problem {
    /// A stable code: `page_damaged`, `artifact_changed`, `artifact_unreadable`,
    /// `artifact_not_in_log`, `record_changed`, `capture_not_in_log`, `event_missing`,
    /// `event_changed`, `event_unlinked`, `file_changed`, `timestamp_changed`,
    /// `timestamp_not_in_log`, `timestamp_mismatch`, `campaign_changed`,
    /// `campaign_not_in_log`, `facts_changed`, `purchase_changed`, `purchase_not_in_log`.
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub capture_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub artifact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub event_seq: Option<i64>,
    pub message: String,
}

/// The outcome of [`Store::verify`].
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct VerifyReport {
    pub ok: bool,
    pub problems: Vec<Problem>,
    /// Pages whose HMAC was checked straight from disk (0 for the quick pass).
    pub pages_checked: u64,
    pub captures_checked: u64,
    pub artifacts_checked: u64,
    pub bytes_checked: u64,
    pub events_checked: u64,
    /// The hash of the newest custody event, if any.
    pub custody_head: Option<Digest>,
}

struct StoredBlob {
    table: &'static str,
    rowid: i64,
    /// The capture of an artifact, the purchase of a purchase file.
    owner: Option<i64>,
    name: String,
    /// A purchase file's kind (`parcel-photo`, …); empty for the others.
    kind: String,
    size: i64,
    sha256: String,
    /// How the bytes are kept (`packing.rs`): `identity` but for artifacts.
    encoding: String,
}

/// What re-reading one blob gave: its digest and length, or why it could not be read.
type Reread = std::result::Result<ReadBack, String>;

/// One blob read back: the digest of the bytes as received (`None` when the stored bytes
/// no longer decode as their `encoding` says: they were changed) and how many were read.
struct ReadBack {
    digest: Option<Digest>,
    len: u64,
}

impl Store {
    /// Checks the whole case. Never stops at the first problem: it reports them all.
    /// Only a failure to read the case at all is an `Err`.
    ///
    /// With `every_page`, it first checks the HMAC of every page in the file (and in its
    /// write-ahead log), including pages that hold no evidence; without it, only the
    /// pages the evidence is read from are checked, as a side effect of reading them.
    pub fn verify(&self, every_page: bool) -> Result<VerifyReport> {
        let mut problems = Vec::new();
        let mut pages_checked = 0;
        if every_page {
            pages_checked = self.check_every_page(&mut problems)?;
        }
        match self.verify_evidence(&mut problems) {
            Ok(mut report) => {
                report.pages_checked = pages_checked;
                report.ok = report.problems.is_empty();
                Ok(report)
            }
            // Damage that stops the evidence pass is one more problem once the page
            // check has said where the damage is; without it, it is the answer.
            Err(StoreError::Corrupt { detail }) if every_page || !problems.is_empty() => {
                problems.push(Problem {
                    code: "page_damaged",
                    capture_id: None,
                    artifact: None,
                    event_seq: None,
                    message: format!(
                        "The evidence could not all be read because the case file is damaged ({detail})."
                    ),
                });
                Ok(VerifyReport {
                    ok: false,
                    problems,
                    pages_checked,
                    captures_checked: 0,
                    artifacts_checked: 0,
                    bytes_checked: 0,
                    events_checked: 0,
                    custody_head: None,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Checks every page's HMAC and reports each damaged page with what it holds.
    /// Returns how many pages were checked.
    fn check_every_page(&self, problems: &mut Vec<Problem>) -> Result<u64> {
        // Pages in the write-ahead log go home first when the case can be written; on a
        // read-only medium the log's frames are checked where they are.
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        // SQLCipher answers `page_size` as its own `cipher_page_size`, in text.
        let page_size: String = self
            .conn
            .query_row("PRAGMA cipher_page_size", [], |r| r.get(0))?;
        let salt = {
            let mut file = File::open(&self.path).map_err(|source| StoreError::Io {
                path: self.path.clone(),
                source,
            })?;
            crate::read_salt(&self.path, &mut file)?
        };
        let scan = pages::scan(
            &self.path,
            self.key.bytes(),
            &salt,
            page_size.trim().parse().unwrap_or(4096),
        )
        .map_err(|source| StoreError::Io {
            path: self.path.clone(),
            source,
        })?;
        let page_problem = |message: String| Problem {
            code: "page_damaged",
            capture_id: None,
            artifact: None,
            event_seq: None,
            message,
        };
        if let Some(extra) = scan.ragged_tail {
            problems.push(page_problem(format!(
                "The case file ends {extra} bytes into a page: it was cut short or added to."
            )));
        }
        let in_file: i64 = self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap_or(0);
        let on_disk = i64::try_from(scan.pages).unwrap_or(i64::MAX);
        if in_file > on_disk {
            problems.push(page_problem(format!(
                "The case file holds {on_disk} pages but its header says {in_file}: it was cut short."
            )));
        }
        if !scan.damaged.is_empty() {
            let owners = self.page_owners(&scan.damaged);
            for (place, owner) in scan.damaged.iter().zip(owners) {
                let whereabouts = match place {
                    Place::File(n) => format!("Page {n} of the case file"),
                    Place::Wal { frame, page } => {
                        format!("Page {page} in frame {frame} of the case file's write-ahead log")
                    }
                };
                problems.push(page_problem(format!(
                    "{whereabouts} was changed or damaged after it was written ({owner})."
                )));
            }
        }
        Ok(scan.pages)
    }

    /// What each damaged page belongs to, as a person can act on it: the table or index
    /// that owns it, or free space. A table whose pages cannot all be walked any more
    /// is named as damaged even when the page it stops at is not in `damaged`.
    fn page_owners(&self, damaged: &[Place]) -> Vec<String> {
        let objects: Vec<(String, String)> = self
            .conn
            .prepare("SELECT name, type FROM sqlite_schema WHERE rootpage > 0")
            .and_then(|mut st| {
                st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_default();
        let mut owner_of: HashMap<u32, String> = HashMap::new();
        let mut unwalkable = Vec::new();
        for (name, kind) in &objects {
            let what = describe_object(name, kind);
            let pages = self
                .conn
                .prepare("SELECT pageno FROM dbstat WHERE name = ?1")
                .and_then(|mut st| {
                    st.query_map([name], |r| r.get::<_, i64>(0))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                });
            match pages {
                Ok(pages) => {
                    for p in pages {
                        if let Ok(p) = u32::try_from(p) {
                            owner_of.insert(p, what.clone());
                        }
                    }
                }
                Err(_) => unwalkable.push(what),
            }
        }
        damaged
            .iter()
            .map(|place| {
                let page = match place {
                    Place::File(n) => *n,
                    Place::Wal { page, .. } => *page,
                };
                match owner_of.get(&page) {
                    Some(what) => what.clone(),
                    None if page == 1 => "the file header and the list of tables".to_owned(),
                    None if !unwalkable.is_empty() => format!("part of {}", unwalkable.join(", ")),
                    None => "free space, holding no evidence".to_owned(),
                }
            })
            .collect()
    }

    /// The evidence pass: the custody chain, every record, every stored byte, every
    /// trusted timestamp.
    /// The facts kept beside each record (`capture_facts`, which listings, figures and
    /// relisting suggestions read) against the record itself: a row changed or missing
    /// would make the figures lie while every record still verified.
    fn check_capture_facts(&self, problems: &mut Vec<Problem>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id FROM captures c LEFT JOIN capture_facts f ON f.capture_id = c.id
             WHERE f.capture_id IS NULL
                OR f.listing_id IS NOT c.listing_id OR f.mode IS NOT c.mode
                OR f.requested_url IS NOT c.requested_url OR f.status IS NOT c.status
                OR f.finished_at IS NOT c.finished_at
                OR f.marketplace IS NOT json_extract(c.record, '$.facts.marketplace')
                OR f.title IS NOT json_extract(c.record, '$.facts.title')
                OR f.price IS NOT json_extract(c.record, '$.facts.price')
                OR f.currency IS NOT json_extract(c.record, '$.facts.currency')
                OR f.seller_id IS NOT json_extract(c.record, '$.facts.seller_id')
                OR f.seller IS NOT json_extract(c.record, '$.facts.seller')
             UNION SELECT f.capture_id FROM capture_facts f
                   LEFT JOIN captures c ON c.id = f.capture_id WHERE c.id IS NULL
             ORDER BY 1",
        )?;
        let ids = stmt
            .query_map([], |r| r.get::<_, i64>(0))
            .map_err(classify)?;
        for id in ids {
            let id = id.map_err(classify)?;
            problems.push(Problem {
                code: "facts_changed",
                capture_id: Some(id),
                artifact: None,
                event_seq: None,
                message: format!(
                    "The facts kept beside the record of capture {id} (title, seller, price, status) differ from the record, so listings and figures would not match the evidence."
                ),
            });
        }
        Ok(())
    }

    fn verify_evidence(&self, problems: &mut Vec<Problem>) -> Result<VerifyReport> {
        // 2. The custody chain.
        let events = self.custody_log()?;
        check_chain(&events, problems);
        let custody_head = events.last().map(|e| e.hash);
        let logged = logged_hashes(&events);

        // 3. Capture records against their hashes and their custody events.
        let mut captures_checked = 0;
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
        for row in rows {
            let (id, record, stored) = row.map_err(classify)?;
            captures_checked += 1;
            let actual = sha256(record.as_bytes()).to_hex();
            let logged_record = logged.captures.get(&id);
            if actual != stored || logged_record.is_some_and(|l| l.record_sha256 != actual) {
                problems.push(Problem {
                    code: "record_changed",
                    capture_id: Some(id),
                    artifact: None,
                    event_seq: logged_record.map(|l| l.seq),
                    message: format!("The record of capture {id} was changed after capture."),
                });
            }
            if logged_record.is_none() {
                problems.push(Problem {
                    code: "capture_not_in_log",
                    capture_id: Some(id),
                    artifact: None,
                    event_seq: None,
                    message: format!(
                        "Capture {id} has no 'capture.taken' event in the custody log."
                    ),
                });
            }
        }
        drop(stmt);
        self.check_capture_facts(problems)?;

        // 4. Every stored byte, re-hashed.
        let mut blobs = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT 'artifacts', id, capture_id, kind, size, sha256, '', encoding FROM artifacts
             UNION ALL SELECT 'ip_right_files', id, NULL, file_name, size, sha256, '', 'identity'
                 FROM ip_right_files
             UNION ALL SELECT 'attachments', id, NULL, name, size, sha256, '', 'identity'
                 FROM attachments
             UNION ALL SELECT 'purchase_files', id, purchase_id, file_name, size, sha256, kind,
                     'identity'
                 FROM purchase_files
             ORDER BY 1, 2",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let table: String = r.get(0)?;
                Ok(StoredBlob {
                    table: match table.as_str() {
                        "artifacts" => "artifacts",
                        "attachments" => "attachments",
                        "purchase_files" => "purchase_files",
                        _ => "ip_right_files",
                    },
                    rowid: r.get(1)?,
                    owner: r.get(2)?,
                    name: r.get(3)?,
                    size: r.get(4)?,
                    sha256: r.get(5)?,
                    kind: r.get(6)?,
                    encoding: r.get(7)?,
                })
            })
            .map_err(classify)?;
        for row in rows {
            blobs.push(row.map_err(classify)?);
        }
        drop(stmt);
        let (artifacts_checked, bytes_checked) = self.rehash(&blobs, &logged, problems);

        // 5. Trusted-time tokens: their bytes, their log entries, and that a capture's
        //    stamped statement still describes that capture.
        self.check_timestamps(&logged, problems)?;

        // 6. Filings, outcomes and relisting decisions against their custody events.
        self.check_campaign(&events, problems)?;

        // 7. Test purchases, their file records, verdicts and the item's custody
        //    entries against their custody events (the files' bytes were re-hashed in 4).
        self.check_purchases(&events, problems)?;

        Ok(VerifyReport {
            ok: problems.is_empty(),
            problems: std::mem::take(problems),
            pages_checked: 0,
            captures_checked,
            artifacts_checked,
            bytes_checked,
            events_checked: events.len() as u64,
            custody_head,
        })
    }

    fn check_timestamps(&self, logged: &Logged, problems: &mut Vec<Problem>) -> Result<()> {
        for t in self.timestamps()? {
            let data = sha256(&t.data).to_hex();
            let response = sha256(&t.response).to_hex();
            let log = logged.timestamps.get(&t.id);
            let mut problem = |code: &'static str, message: String| {
                problems.push(Problem {
                    code,
                    capture_id: t.capture_id,
                    artifact: None,
                    event_seq: log.map(|l| l.0),
                    message,
                })
            };
            let what = match t.capture_id {
                Some(id) => format!("capture {id}"),
                None => "an export".to_owned(),
            };
            if data != t.data_sha256
                || response != t.response_sha256
                || log.is_some_and(|l| l.1 != data || l.2 != response)
            {
                problem(
                    "timestamp_changed",
                    format!(
                        "The trusted timestamp {} of {what} was changed after it was stored.",
                        t.id
                    ),
                );
            } else if log.is_none() {
                problem(
                    "timestamp_not_in_log",
                    format!(
                        "The trusted timestamp {} of {what} has no 'timestamp.added' event in the custody log.",
                        t.id
                    ),
                );
            }
            if let Some(id) = t.capture_id {
                let statement = self
                    .capture(id)
                    .map(|c| TimestampStatement::for_capture(&c).to_bytes());
                if statement.as_deref().ok() != Some(t.data.as_slice()) {
                    problem(
                        "timestamp_mismatch",
                        format!(
                            "The trusted timestamp {} no longer matches capture {id}: the capture or its artifacts differ from what was stamped.",
                            t.id
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Re-reads and re-hashes every blob, half of them on a second connection on another
    /// thread: decrypting (SQLCipher's HMAC and AES per page) is the cost, and it is the
    /// part that parallelises.
    fn rehash(
        &self,
        blobs: &[StoredBlob],
        logged: &Logged,
        problems: &mut Vec<Problem>,
    ) -> (u64, u64) {
        let (left, right): (Vec<_>, Vec<_>) =
            blobs.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let mut results: Vec<Option<Reread>> = (0..blobs.len()).map(|_| None).collect();
        // A connection is Send but not Sync: open the second one here and move it over.
        let second_conn = self.reader().map_err(|e| e.to_string());
        std::thread::scope(|s| {
            let right = &right;
            let second = s.spawn(move || {
                let conn = second_conn;
                right
                    .iter()
                    .map(|(i, b)| {
                        let r = match &conn {
                            Ok(c) => reread(c, b),
                            Err(e) => Err(e.clone()),
                        };
                        (*i, r)
                    })
                    .collect::<Vec<_>>()
            });
            for (i, b) in &left {
                results[*i] = Some(reread(&self.conn, b));
            }
            match second.join() {
                Ok(done) => {
                    for (i, r) in done {
                        results[i] = Some(r);
                    }
                }
                Err(_) => {
                    for (i, _) in right {
                        results[*i] = Some(Err("the verification thread stopped".into()));
                    }
                }
            }
        });
        let mut bytes = 0u64;
        for (b, result) in blobs.iter().zip(results) {
            let what = describe(b);
            let problem = |code: &'static str, message: String| Problem {
                code,
                capture_id: if b.table == "artifacts" {
                    b.owner
                } else {
                    None
                },
                artifact: Some(b.name.clone()),
                event_seq: None,
                message,
            };
            let ReadBack { digest, len: n } =
                match result.unwrap_or_else(|| Err("it was not read".into())) {
                    Ok(r) => r,
                    Err(e) => {
                        problems.push(problem(
                        "artifact_unreadable",
                        format!(
                            "{what} cannot be read because the case file is damaged there ({e})."
                        ),
                    ));
                        continue;
                    }
                };
            bytes += n;
            let changed_code = if b.table == "artifacts" {
                "artifact_changed"
            } else {
                "file_changed"
            };
            let Some(actual) = digest else {
                problems.push(problem(
                    changed_code,
                    format!(
                        "{what} is kept compressed, and its stored bytes no longer decompress: they were changed after it was stored."
                    ),
                ));
                continue;
            };
            if Digest::from_hex(&b.sha256) != Some(actual) || i64::try_from(n).ok() != Some(b.size)
            {
                problems.push(problem(
                    changed_code,
                    format!("{what} no longer matches the hash taken when it was stored."),
                ));
                continue;
            }
            let in_log = match b.table {
                "artifacts" => b
                    .owner
                    .and_then(|c| logged.captures.get(&c))
                    .and_then(|l| l.artifacts.get(&b.name)),
                "attachments" => logged.attachments.get(&b.rowid),
                "purchase_files" => logged.purchase_files.get(&b.rowid),
                _ => logged.files.get(&b.rowid),
            };
            match in_log {
                Some(h) if *h == b.sha256 => {}
                Some(_) => problems.push(problem(
                    changed_code,
                    format!("{what} has a different hash from the one in the custody log."),
                )),
                None => problems.push(problem(
                    "artifact_not_in_log",
                    format!("{what} is not recorded in the custody log."),
                )),
            }
        }
        (blobs.len() as u64, bytes)
    }
}

/// Streams one blob, decompressed if it is kept compressed, through SHA-256. Stored bytes
/// that no longer decompress (or go on after their frame) end the read as changed.
fn reread(conn: &rusqlite::Connection, b: &StoredBlob) -> Reread {
    let blob = conn
        .blob_open(MAIN_DB, b.table, "content", b.rowid, true)
        .map_err(|e| e.to_string())?;
    let size = u64::try_from(b.size).unwrap_or(0);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    let undecodable = |len| Ok(ReadBack { digest: None, len });
    let mut bytes = match packing::unpack(&b.encoding, blob, size) {
        Ok(bytes) => bytes,
        Err(_) => return undecodable(0),
    };
    loop {
        let n = match bytes.read(&mut buf) {
            Ok(n) => n,
            Err(e) if packing::is_undecodable(&e) => return undecodable(total),
            Err(e) => return Err(e.to_string()),
        };
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok(ReadBack {
        digest: Some(Digest(hasher.finalize().into())),
        len: total,
    })
}

/// A table or index in words: which part of the case it holds.
fn describe_object(name: &str, kind: &str) -> String {
    let what = match name {
        "artifacts" => "the stored artifacts",
        "captures" => "the capture records",
        "custody_events" | "custody" => "the custody log",
        "timestamps" => "the trusted timestamps",
        "attachments" => "the attached files",
        "ip_right_files" => "the certificate files",
        "purchase_files" => "the test purchases' files",
        "purchases" | "purchase_updates" | "purchase_verdicts" => "the test purchases",
        "item_custody" => "the purchased items' chain of custody",
        "sqlite_schema" | "sqlite_master" => "the list of tables",
        _ => "",
    };
    match (what.is_empty(), kind) {
        (false, _) => format!("{what} (table '{name}')"),
        (true, "index") => format!("index '{name}', which holds no evidence of its own"),
        (true, _) => format!("table '{name}'"),
    }
}

fn describe(b: &StoredBlob) -> String {
    match (b.table, b.owner) {
        ("artifacts", Some(c)) => format!("The '{}' artifact of capture {c}", b.name),
        ("purchase_files", Some(p)) => {
            let what = match b.kind.as_str() {
                "order" => "order confirmation",
                "receipt" => "payment receipt",
                "label" => "shipping label",
                "parcel-photo" | "product-photo" => "photo",
                "comparison" => "comparison",
                _ => "file",
            };
            format!("The {what} {} of purchase {p}", b.name)
        }
        _ => format!("The attached file '{}'", b.name),
    }
}

struct LoggedCapture {
    seq: i64,
    record_sha256: String,
    artifacts: HashMap<String, String>,
}

#[derive(Default)]
struct Logged {
    captures: HashMap<i64, LoggedCapture>,
    files: HashMap<i64, String>,
    attachments: HashMap<i64, String>,
    /// Purchase file id → SHA-256, from `purchase.file_attached`.
    purchase_files: HashMap<i64, String>,
    /// Timestamp id → (event seq, data SHA-256, response SHA-256) as logged.
    timestamps: HashMap<i64, (i64, String, String)>,
}

/// What the custody log says each capture and file hashed to when it was stored.
fn logged_hashes(events: &[CustodyEvent]) -> Logged {
    let mut out = Logged::default();
    for e in events {
        let Ok(detail) = serde_json::from_str::<serde_json::Value>(&e.detail) else {
            continue;
        };
        match e.kind.as_str() {
            "capture.taken" => {
                let Some(id) = detail["capture_id"].as_i64() else {
                    continue;
                };
                let artifacts = detail["artifacts"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| {
                                Some((
                                    x["kind"].as_str()?.to_owned(),
                                    x["sha256"].as_str()?.to_owned(),
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.captures.insert(
                    id,
                    LoggedCapture {
                        seq: e.seq,
                        record_sha256: detail["record_sha256"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        artifacts,
                    },
                );
            }
            "file.attached" => {
                let Some(h) = detail["sha256"].as_str() else {
                    continue;
                };
                if let Some(id) = detail["file_id"].as_i64() {
                    out.files.insert(id, h.to_owned());
                } else if let Some(id) = detail["attachment_id"].as_i64() {
                    out.attachments.insert(id, h.to_owned());
                }
            }
            "purchase.file_attached" => {
                if let (Some(id), Some(h)) = (detail["file_id"].as_i64(), detail["sha256"].as_str())
                {
                    out.purchase_files.insert(id, h.to_owned());
                }
            }
            "timestamp.added" | "export.timestamped" => {
                let Some(id) = detail["timestamp_id"].as_i64() else {
                    continue;
                };
                out.timestamps.insert(
                    id,
                    (
                        e.seq,
                        detail["data_sha256"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        detail["response_sha256"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    ),
                );
            }
            _ => {}
        }
    }
    out
}

impl Store {
    /// The custody log and what walking its chain found, without re-hashing evidence
    /// (that is [`Store::verify`]'s job): quick enough to show whenever the log is shown.
    pub fn custody_chain(&self) -> Result<(Vec<CustodyEvent>, Vec<Problem>)> {
        let events = self.custody_log()?;
        let mut problems = Vec::new();
        check_chain(&events, &mut problems);
        Ok((events, problems))
    }
}

/// Walks the chain by the one rule (`exhibit_domain::walk_chain`) and names each
/// break as a problem.
fn check_chain(events: &[CustodyEvent], problems: &mut Vec<Problem>) {
    let event_problem = |code: &'static str, seq: i64, message: String| Problem {
        code,
        capture_id: None,
        artifact: None,
        event_seq: Some(seq),
        message,
    };
    for b in exhibit_domain::walk_chain(events) {
        let e = &events[b.index];
        problems.push(match b.kind {
            ChainBreak::Missing { from, to } => event_problem(
                "event_missing",
                from,
                if from == to {
                    format!("Custody event {from} is missing from the log.")
                } else {
                    format!("Custody events {from} to {to} are missing from the log.")
                },
            ),
            ChainBreak::Changed => event_problem(
                "event_changed",
                e.seq,
                format!(
                    "Custody event {} ({}) was changed after it was written.",
                    e.seq, e.kind
                ),
            ),
            ChainBreak::Unlinked => event_problem(
                "event_unlinked",
                e.seq,
                format!(
                    "Custody event {} does not point to the event before it; the log was edited.",
                    e.seq
                ),
            ),
        });
    }
}

/// Rows the custody log repeats (filings, outcomes, purchases, …): each event's detail
/// by the kind of row and its id, to compare every row with the event written beside
/// it. One rule for every such table, so they all report alike.
pub(crate) struct LoggedRows {
    logged: HashMap<(&'static str, i64), (i64, serde_json::Value)>,
    /// The problem codes for a row that differs from its event, and one with none.
    changed: &'static str,
    missing: &'static str,
}

impl LoggedRows {
    /// `kinds`: (event kind, row kind, the detail's key holding the row id).
    pub(crate) fn new(
        events: &[CustodyEvent],
        kinds: &[(&str, &'static str, &str)],
        (changed, missing): (&'static str, &'static str),
    ) -> LoggedRows {
        let mut logged = HashMap::new();
        for e in events {
            let Some((_, kind, key)) = kinds.iter().find(|(k, _, _)| *k == e.kind) else {
                continue;
            };
            let Ok(detail) = serde_json::from_str::<serde_json::Value>(&e.detail) else {
                continue;
            };
            if let Some(id) = detail.get(*key).and_then(serde_json::Value::as_i64) {
                logged.insert((*kind, id), (e.seq, detail));
            }
        }
        LoggedRows {
            logged,
            changed,
            missing,
        }
    }

    /// Reports `what` (a sentence's subject: "Filing 3") when the row as stored differs
    /// from its event, or has none.
    pub(crate) fn check(
        &self,
        kind: &'static str,
        id: i64,
        stored: &serde_json::Value,
        what: &str,
        problems: &mut Vec<Problem>,
    ) {
        match self.logged.get(&(kind, id)) {
            Some((_, detail)) if detail == stored => {}
            Some((seq, _)) => problems.push(Problem {
                code: self.changed,
                capture_id: None,
                artifact: None,
                event_seq: Some(*seq),
                message: format!("{what} was changed after it was recorded."),
            }),
            None => problems.push(Problem {
                code: self.missing,
                capture_id: None,
                artifact: None,
                event_seq: None,
                message: format!("{what} has no event in the custody log."),
            }),
        }
    }
}
