//! The case file on a real disk: opening, refusing, locking, rekeying and detecting damage.

use std::path::{Path, PathBuf};

use exhibit_domain::{
    CaptureRecord, CaptureStatus, Collector, Environment, ListingFacts, NewArtifact,
};
use exhibit_store::{Passphrase, Store, StoreError};

const PASS: &str = "correct horse battery staple 42";

struct TempDir(PathBuf);
impl TempDir {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("exhibit-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("mkdir");
        TempDir(p)
    }
    fn join(&self, s: &str) -> PathBuf {
        self.0.join(s)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn pass(s: &str) -> Passphrase {
    Passphrase::new(s.to_owned())
}

fn record(url: &str, title: &str) -> CaptureRecord {
    CaptureRecord {
        mode: "http".into(),
        requested_url: url.into(),
        final_url: Some(url.into()),
        redirects: vec![],
        http_version: Some("HTTP/1.1".into()),
        http_status: Some(200),
        headers: vec![],
        remote_addr: Some("127.0.0.1:80".into()),
        tls: None,
        started_at: "2026-11-28T10:00:00.000Z".into(),
        finished_at: "2026-11-28T10:00:01.000Z".into(),
        status: CaptureStatus::Ok,
        error: None,
        notes: vec![],
        facts: ListingFacts {
            marketplace: Some("taobao".into()),
            listing_id: Some("562283240178".into()),
            title: Some(title.into()),
            ..ListingFacts::default()
        },
        collector: Collector {
            name: "Ana".into(),
            ..Collector::default()
        },
        environment: Environment::default(),
        browser: None,
        archive: None,
        context: None,
    }
}

fn new_case(dir: &TempDir) -> (PathBuf, Store) {
    let path = dir.join("case.exhibit");
    let store = Store::create(&path, &pass(PASS), "Test case").expect("create");
    (path, store)
}

fn add_one(store: &mut Store, secret: &str) -> i64 {
    let body = format!(
        "<html><title>{secret}</title><body>{}</body></html>",
        secret.repeat(200)
    );
    store
        .add_capture(
            &record("https://item.taobao.com/item.htm?id=562283240178", secret),
            &[NewArtifact::new("body", "text/html", body.into_bytes())],
        )
        .expect("add capture")
}

#[test]
fn round_trip_and_nothing_in_plain_text() {
    let dir = TempDir::new("plain");
    let (path, mut store) = new_case(&dir);
    let secret = "UNIQUEPLAINTEXTMARKER9931";
    let id = add_one(&mut store, secret);
    drop(store);
    let store = Store::open(&path, &pass(PASS)).expect("reopen");
    let c = store.capture(id).expect("capture");
    assert_eq!(c.record.facts.title.as_deref(), Some(secret));
    assert_eq!(c.artifacts.len(), 1);
    drop(store);
    for file in [
        path.clone(),
        PathBuf::from(format!("{}-wal", path.display())),
    ] {
        if let Ok(bytes) = std::fs::read(&file) {
            let hay = String::from_utf8_lossy(&bytes);
            assert!(
                !hay.contains(secret),
                "{} holds captured text in the clear",
                file.display()
            );
            assert!(
                !hay.contains("taobao"),
                "{} holds a URL in the clear",
                file.display()
            );
            assert!(
                !hay.contains(PASS),
                "{} holds the passphrase",
                file.display()
            );
        }
    }
}

#[test]
fn weak_passphrases_are_refused_and_leave_no_file() {
    let dir = TempDir::new("weak");
    for weak in ["", "short", "password123", "aaaaaaaaaaaaaaa"] {
        let path = dir.join("weak.exhibit");
        let e = Store::create(&path, &pass(weak), "Weak").expect_err(weak);
        assert_eq!(e.code(), "weak_passphrase", "{weak}: {e}");
        assert!(!path.exists());
    }
}

#[test]
fn create_never_overwrites() {
    let dir = TempDir::new("exists");
    let path = dir.join("x.exhibit");
    std::fs::write(&path, b"precious").expect("write");
    let e = Store::create(&path, &pass(PASS), "T").expect_err("exists");
    assert_eq!(e.code(), "case_exists");
    assert_eq!(std::fs::read(&path).expect("read"), b"precious");
}

#[test]
fn wrong_passphrase_is_its_own_error() {
    let dir = TempDir::new("wrong");
    let (path, store) = new_case(&dir);
    drop(store);
    let e = Store::open(&path, &pass("correct horse battery staple 43")).expect_err("wrong");
    assert!(matches!(e, StoreError::WrongPassphrase), "{e:?}");
    Store::open(&path, &pass(PASS)).expect("right passphrase still opens");
}

#[test]
fn files_that_are_not_cases_are_named() {
    let dir = TempDir::new("notcase");
    let cases: [(&str, Vec<u8>); 3] = [
        ("empty", vec![]),
        ("text", b"just some notes\n".repeat(1000)),
        ("odd-size", vec![7u8; 5000]),
    ];
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        let e = Store::open(&path, &pass(PASS)).expect_err(name);
        assert_eq!(e.code(), "not_a_case", "{name}: {e}");
    }
    // A plain SQLite database.
    let plain = dir.join("plain.sqlite");
    let conn = rusqlite::Connection::open(&plain).expect("sqlite");
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .expect("sql");
    drop(conn);
    let e = Store::open(&plain, &pass(PASS)).expect_err("plain");
    assert_eq!(e.code(), "not_a_case", "{e}");
    assert!(e.to_string().contains("unencrypted"), "{e}");
    // An encrypted database that Exhibit did not make.
    let other = dir.join("other.db");
    let conn = rusqlite::Connection::open(&other).expect("sqlcipher");
    conn.pragma_update(None, "key", PASS).expect("key");
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .expect("sql");
    drop(conn);
    let e = Store::open(&other, &pass(PASS)).expect_err("other");
    assert_eq!(e.code(), "not_a_case", "{e}");
    let e = Store::open(&dir.join("missing"), &pass(PASS)).expect_err("missing");
    assert_eq!(e.code(), "case_not_found");
}

#[test]
fn newer_case_is_refused() {
    let dir = TempDir::new("newer");
    let (path, store) = new_case(&dir);
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.pragma_update(None, "key", PASS).expect("key");
    conn.pragma_update(None, "user_version", 99).expect("bump");
    drop(conn);
    let e = Store::open(&path, &pass(PASS)).expect_err("newer");
    assert!(matches!(e, StoreError::TooNew { found: 99, .. }), "{e:?}");
}

#[test]
fn second_opener_is_locked_out() {
    let dir = TempDir::new("lock");
    let (path, store) = new_case(&dir);
    let e = Store::open(&path, &pass(PASS)).expect_err("locked");
    assert_eq!(e.code(), "case_locked", "{e}");
    drop(store);
    Store::open(&path, &pass(PASS)).expect("opens once released");
}

#[test]
fn rekey_changes_which_passphrase_opens() {
    let dir = TempDir::new("rekey");
    let (path, mut store) = new_case(&dir);
    let id = add_one(&mut store, "before rekey");
    let new = pass("a whole new passphrase for tuesday");
    assert_eq!(
        store
            .change_passphrase(&pass("weak"))
            .expect_err("weak")
            .code(),
        "weak_passphrase"
    );
    store.change_passphrase(&new).expect("rekey");
    add_one(&mut store, "after rekey");
    drop(store);
    assert!(matches!(
        Store::open(&path, &pass(PASS)),
        Err(StoreError::WrongPassphrase)
    ));
    let store = Store::open(&path, &new).expect("new opens");
    assert_eq!(
        store
            .capture(id)
            .expect("kept")
            .record
            .facts
            .title
            .as_deref(),
        Some("before rekey")
    );
    let report = store.verify(true).expect("verify");
    assert!(report.ok, "{:?}", report.problems);
    assert!(
        store
            .custody_log()
            .expect("log")
            .iter()
            .any(|e| e.kind == "passphrase.changed")
    );
}

fn raw(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "key", PASS).expect("key");
    conn
}

#[test]
fn verify_names_a_changed_artifact_and_a_deleted_event() {
    let dir = TempDir::new("tamper");
    let (path, mut store) = new_case(&dir);
    let a = add_one(&mut store, "first");
    let b = add_one(&mut store, "second");
    add_one(&mut store, "third");
    assert!(store.verify(true).expect("verify").ok);
    drop(store);

    // Someone with the passphrase edits the evidence with plain SQL, removing the guard first.
    let conn = raw(&path);
    conn.execute_batch("DROP TRIGGER artifacts_no_update;")
        .expect("drop trigger");
    conn.execute(
        "UPDATE artifacts SET content = CAST('forged' AS BLOB) WHERE capture_id = ?1",
        [b],
    )
    .expect("forge");
    drop(conn);
    let store = Store::open(&path, &pass(PASS)).expect("open");
    let report = store.verify(true).expect("verify");
    assert!(!report.ok);
    assert!(
        report.problems.iter().any(|p| p.code == "artifact_changed"
            && p.capture_id == Some(b)
            && p.artifact.as_deref() == Some("body")),
        "{:?}",
        report.problems
    );
    assert!(!report.problems.iter().any(|p| p.capture_id == Some(a)));
    // Exporting the forged artifact is refused.
    let mut sink = Vec::new();
    assert_eq!(
        store
            .write_artifact(b, "body", &mut sink)
            .expect_err("tampered")
            .code(),
        "artifact_tampered"
    );
    drop(store);

    // Deleting a custody event from the middle.
    let conn = raw(&path);
    conn.execute_batch(
        "DROP TRIGGER custody_events_no_delete; DELETE FROM custody_events WHERE seq = 2;",
    )
    .expect("delete event");
    drop(conn);
    let store = Store::open(&path, &pass(PASS)).expect("open");
    let report = store.verify(true).expect("verify");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == "event_missing" && p.event_seq == Some(2)),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_flipped_byte_is_reported_as_damage() {
    let dir = TempDir::new("flip");
    let (path, mut store) = new_case(&dir);
    for i in 0..20 {
        add_one(&mut store, &format!("capture number {i} with a long body"));
    }
    drop(store);
    let mut bytes = std::fs::read(&path).expect("read");
    assert!(bytes.len() > 8 * 4096, "case is {} bytes", bytes.len());
    // A byte in the middle of a data page, well past page 1.
    let at = 6 * 4096 + 1000;
    bytes[at] ^= 0x01;
    std::fs::write(&path, &bytes).expect("write");
    match Store::open(&path, &pass(PASS)) {
        Err(e) => assert_eq!(e.code(), "case_corrupt", "{e}"),
        Ok(store) => {
            let report = store.verify(true);
            match report {
                Ok(r) => {
                    assert!(!r.ok);
                    assert!(
                        r.problems.iter().any(|p| p.code == "page_damaged"),
                        "{:?}",
                        r.problems
                    );
                }
                Err(e) => assert_eq!(e.code(), "case_corrupt", "{e}"),
            }
        }
    }
}

/// Every page, every part of a page: a dense sample of single-bit flips, each made on
/// disk under an open store and undone after, must each fail `verify`. Fixed offsets
/// cover the start, middle, IV and HMAC of every page; random ones (seed printed, replay
/// with `EXHIBIT_FLIP_SEED`) fill in between.
#[test]
fn every_flipped_byte_fails_verify() {
    use std::io::{Read, Seek, SeekFrom, Write};
    let dir = TempDir::new("every-byte");
    let (path, mut store) = new_case(&dir);
    for i in 0..12 {
        add_one(&mut store, &format!("capture {i} of the sample"));
    }
    drop(store);
    let store = Store::open(&path, &pass(PASS)).expect("open");
    let clean = store.verify(true).expect("verify");
    assert!(clean.ok, "{:?}", clean.problems);
    let len = std::fs::metadata(&path).expect("stat").len() as usize;
    assert_eq!(len % 4096, 0);
    assert_eq!(clean.pages_checked as usize, len / 4096);
    let seed = std::env::var("EXHIBIT_FLIP_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
                | 1
        });
    eprintln!("flip seed: {seed} (replay with EXHIBIT_FLIP_SEED={seed})");
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut offsets = Vec::new();
    for page in 0..len / 4096 {
        let base = page * 4096;
        let first = if page == 0 { 16 } else { 0 };
        offsets.extend([
            base + first,
            base + 2048,
            base + 4016,
            base + 4032,
            base + 4095,
        ]);
    }
    for _ in 0..1500 {
        offsets.push(16 + (next() as usize) % (len - 16));
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .expect("open for flipping");
    let mut flip = |at: usize, bit: u8| {
        let mut b = [0u8];
        file.seek(SeekFrom::Start(at as u64)).expect("seek");
        file.read_exact(&mut b).expect("read");
        b[0] ^= bit;
        file.seek(SeekFrom::Start(at as u64)).expect("seek");
        file.write_all(&b).expect("write");
    };
    for at in offsets {
        let bit = 1u8 << (next() % 8);
        flip(at, bit);
        match store.verify(true) {
            Ok(r) => {
                assert!(
                    !r.ok,
                    "a flip at offset {at} (page {}) went unnoticed (seed {seed})",
                    at / 4096 + 1
                );
                let named = r.problems.iter().any(|p| {
                    p.code == "page_damaged"
                        && p.message.contains(&format!("Page {} ", at / 4096 + 1))
                });
                assert!(named, "offset {at}: {:?}", r.problems);
            }
            Err(e) => assert_eq!(e.code(), "case_corrupt", "offset {at}: {e}"),
        }
        flip(at, bit);
    }
    assert!(store.verify(true).expect("verify").ok);
}

/// A damaged page is named by what it holds, and the quick pass, which reads only the
/// evidence, is the one that misses a page holding none.
#[test]
fn damage_is_named_by_the_table_that_holds_it() {
    use std::io::{Seek, SeekFrom, Write};
    let dir = TempDir::new("named");
    let (path, mut store) = new_case(&dir);
    for i in 0..6 {
        add_one(&mut store, &format!("named capture {i}"));
    }
    drop(store);
    let store = Store::open(&path, &pass(PASS)).expect("open");
    // Find a page that belongs to an index: the quick pass never reads it.
    let report = store.verify(true).expect("verify");
    assert!(report.ok);
    let index_page: u32 = {
        // From outside, as any SQLCipher client with the passphrase could.
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("peer open");
        conn.execute_batch(&format!("PRAGMA key = '{PASS}';"))
            .expect("key");
        conn.query_row(
            "SELECT pageno FROM dbstat WHERE name = 'captures_listing' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("the captures_listing index has a page of its own")
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    file.seek(SeekFrom::Start((u64::from(index_page) - 1) * 4096 + 100))
        .expect("seek");
    file.write_all(b"X").expect("write");
    drop(file);
    let quick = store.verify(false).expect("quick");
    assert!(
        quick.ok,
        "the quick pass reads no index page: {:?}",
        quick.problems
    );
    let full = store.verify(true).expect("full");
    assert!(!full.ok);
    let p = full
        .problems
        .iter()
        .find(|p| p.code == "page_damaged")
        .expect("page_damaged");
    assert!(
        p.message.contains(&format!("Page {index_page} ")),
        "{}",
        p.message
    );
    assert!(p.message.contains("index '"), "{}", p.message);
}

#[test]
fn the_collector_is_kept_and_its_setting_is_a_custody_event() {
    let dir = TempDir::new("collector");
    let (path, mut store) = new_case(&dir);
    store
        .set_collector(&Collector {
            name: "Ana Silva".into(),
            organization: Some("Silva Shoes".into()),
            role: Some("owner".into()),
            contact: Some("ana@example.test".into()),
        })
        .expect("collector");
    drop(store);
    let store = Store::open(&path, &pass(PASS)).expect("reopen");
    assert_eq!(
        store.collector().expect("c").expect("set").name,
        "Ana Silva"
    );
    let log = store.custody_log().expect("custody log");
    assert!(log.iter().any(|e| e.kind == "collector.set"), "{log:?}");
    let report = store.verify(true).expect("verify");
    assert!(report.ok, "{:?}", report.problems);
}

#[test]
fn drafts_attachments_and_pages_survive_reopening() {
    let dir = TempDir::new("drafts");
    let (path, mut store) = new_case(&dir);
    assert_eq!(store.draft().expect("draft"), None);
    store.save_draft(r#"{"venue":"dmca"}"#).expect("save");
    store
        .save_draft(r#"{"venue":"amazon"}"#)
        .expect("save again");

    let cert = NewArtifact::new("attachment", "application/pdf", b"%PDF-1.4 cert".to_vec());
    let a = store
        .attach_named("certificates/tm.pdf", &cert)
        .expect("attach");
    assert_eq!(a.sha256, cert.sha256().to_hex());
    let again = store.attach_named("certificates/tm.pdf", &cert);
    assert!(matches!(again, Err(StoreError::BadRecord(_))), "{again:?}");

    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(add_one(&mut store, &format!("listing {i}")));
    }
    drop(store);

    let store = Store::open(&path, &pass(PASS)).expect("reopen");
    assert_eq!(
        store.draft().expect("draft").as_deref(),
        Some(r#"{"venue":"amazon"}"#)
    );
    assert_eq!(store.attachments().expect("list"), vec![a]);
    assert_eq!(
        store
            .attachment_bytes("certificates/tm.pdf")
            .expect("bytes"),
        b"%PDF-1.4 cert"
    );
    // The attachment is hashed into the chain and re-checked by verify.
    let report = store.verify(false).expect("verify");
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.artifacts_checked, 6);
    let (events, problems) = store.custody_chain().expect("chain");
    assert!(problems.is_empty());
    assert!(events.iter().any(|e| e.kind == "file.attached"));

    // Pages: newest first, counted over all pages, filtered.
    let all = exhibit_store::PageFilter::default();
    let (total, page) = store.capture_page(&all, 1, 2).expect("page");
    assert_eq!(total, 5);
    assert_eq!(
        page.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![ids[3], ids[2]]
    );
    let linked = [ids[0], ids[4]];
    let only = exhibit_store::PageFilter {
        ids: Some((&linked, true)),
        ..all
    };
    let (total, page) = store.capture_page(&only, 0, 10).expect("linked");
    assert_eq!((total, page.len()), (2, 2));
    let others = exhibit_store::PageFilter {
        ids: Some((&linked, false)),
        status: Some("ok"),
        marketplace: Some("taobao"),
    };
    assert_eq!(store.capture_page(&others, 0, 10).expect("others").0, 3);
    let none = exhibit_store::PageFilter {
        status: Some("blocked"),
        ..all
    };
    assert_eq!(store.capture_page(&none, 0, 10).expect("blocked").0, 0);

    // A range of `captures()`: oldest first, the same captures, past the end empty.
    let every: Vec<i64> = store
        .captures()
        .expect("all")
        .iter()
        .map(|c| c.id)
        .collect();
    let range = |offset, limit| -> Vec<i64> {
        store
            .capture_range(offset, limit)
            .expect("range")
            .iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(range(0, u64::MAX), every);
    assert_eq!(range(1, 2), every[1..3].to_vec());
    assert_eq!(range(4, 10), vec![ids[4]]);
    assert!(range(5, 10).is_empty());
    assert_eq!(
        store.capture_range(1, 1).expect("one")[0],
        store.capture(every[1]).expect("capture")
    );
}

#[test]
fn a_changed_attachment_is_named_by_verify() {
    let dir = TempDir::new("attach-tamper");
    let (path, mut store) = new_case(&dir);
    store
        .attach_named(
            "certificates/tm.pdf",
            &NewArtifact::new("attachment", "application/pdf", b"%PDF genuine".to_vec()),
        )
        .expect("attach");
    drop(store);
    let conn = raw(&path);
    conn.execute_batch(
        "DROP TRIGGER attachments_no_update; UPDATE attachments SET content = X'2550444620666f72676564';",
    )
    .expect("forge");
    drop(conn);
    let store = Store::open(&path, &pass(PASS)).expect("reopen");
    let report = store.verify(false).expect("verify");
    assert!(!report.ok);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == "file_changed" && p.message.contains("certificates/tm.pdf")),
        "{:?}",
        report.problems
    );
    assert!(store.attachment_bytes("certificates/tm.pdf").is_err());
}

/// Listings and figures read the facts kept beside each record: a case made before
/// they were kept gets them from its records when opened, and a row edited with plain
/// SQL is named by verify.
#[test]
fn facts_beside_the_records_are_filled_on_upgrade_and_checked_by_verify() {
    let dir = TempDir::new("facts");
    let (path, mut store) = new_case(&dir);
    // Bodies too short to be kept compressed, as every body was before format 7.
    let mut add = |title: &str| {
        store
            .add_capture(
                &record("https://item.taobao.com/item.htm?id=562283240178", title),
                &[NewArtifact::new(
                    "body",
                    "text/html",
                    b"<p>short</p>".to_vec(),
                )],
            )
            .expect("add capture")
    };
    add("older title");
    let second = add("newest title");
    drop(store);

    // The case as format 4 left it: no facts table, and none of the later tables or
    // columns.
    let conn = raw(&path);
    conn.execute_batch(
        "DROP TRIGGER capture_facts_fill; DROP TRIGGER capture_facts_no_update;
         DROP TRIGGER capture_facts_no_delete; DROP TABLE capture_facts;
         DROP TABLE item_custody; DROP TABLE purchase_verdicts; DROP TABLE purchase_files;
         DROP TABLE purchase_updates; DROP TABLE purchases;
         ALTER TABLE artifacts DROP COLUMN encoding;
         PRAGMA user_version = 4;",
    )
    .expect("back to format 4");
    drop(conn);
    let store = Store::open(&path, &pass(PASS)).expect("open upgrades");
    let listings = store.listings().expect("listings");
    assert_eq!(listings.len(), 1);
    assert_eq!(listings[0].captures, 2);
    assert_eq!(listings[0].title.as_deref(), Some("newest title"));
    assert!(store.verify(false).expect("verify").ok);
    drop(store);

    let conn = raw(&path);
    conn.execute_batch("DROP TRIGGER capture_facts_no_update;")
        .expect("drop trigger");
    conn.execute(
        "UPDATE capture_facts SET title = 'a forged title' WHERE capture_id = ?1",
        [second],
    )
    .expect("forge");
    drop(conn);
    let store = Store::open(&path, &pass(PASS)).expect("open");
    let report = store.verify(false).expect("verify");
    assert!(!report.ok);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == "facts_changed" && p.capture_id == Some(second)),
        "{:?}",
        report.problems
    );
}

/// A test purchase and everything recorded about it are kept, read back and logged;
/// the schema refuses a second verdict, card numbers and edits; verify names a photo
/// changed by one byte and a purchase row with no event.
#[test]
fn purchases_are_kept_logged_and_checked_by_verify() {
    use exhibit_store::{NewItemCustody, NewPurchase, NewPurchaseUpdate};

    let dir = TempDir::new("purchases");
    let (path, mut store) = new_case(&dir);
    add_one(&mut store, "a listing");
    let listing = store.listings().expect("listings")[0].id;
    let purchase = NewPurchase {
        listing,
        order_number: "3141592653589793",
        ordered_on: "2026-11-02",
        platform: "taobao",
        buyer: Some("persona-7"),
        amount: "12.50",
        currency: "USD",
        payment_last4: Some("4242"),
        ship_to: "Chicago, IL, US",
        ship_to_region: Some("US-IL"),
    };
    assert!(matches!(
        store.add_purchase(&NewPurchase {
            listing: 99,
            ..purchase.clone()
        }),
        Err(StoreError::NoSuchListing(99))
    ));
    // The schema itself keeps a card number out.
    assert!(
        store
            .add_purchase(&NewPurchase {
                payment_last4: Some("4242424242424242"),
                ..purchase.clone()
            })
            .is_err()
    );
    let id = store.add_purchase(&purchase).expect("purchase");
    store
        .update_purchase(
            id,
            &NewPurchaseUpdate {
                tracking: Some("LP001"),
                carrier: Some("Cainiao"),
                ..NewPurchaseUpdate::default()
            },
        )
        .expect("update");
    let photo: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let files = store
        .add_purchase_files::<StoreError, _>(
            id,
            "parcel-photo",
            [
                Ok((
                    "parcel.jpg".to_owned(),
                    NewArtifact::new("f", "image/jpeg", photo.clone()),
                )),
                Ok((
                    "label.jpg".to_owned(),
                    NewArtifact::new("f", "image/jpeg", vec![1, 2, 3]),
                )),
            ],
        )
        .expect("files");
    assert_eq!(files.len(), 2);
    // A set that fails part-way keeps nothing of itself.
    let failed = store.add_purchase_files::<StoreError, _>(
        id,
        "order",
        [
            Ok((
                "order.pdf".to_owned(),
                NewArtifact::new("f", "application/pdf", b"%PDF".to_vec()),
            )),
            Err(StoreError::BadRecord("unreadable".into())),
        ],
    );
    assert!(failed.is_err());
    store
        .add_verdict(id, "counterfeit", "Mia", "side by side")
        .expect("verdict");
    assert!(matches!(
        store.add_verdict(id, "genuine", "Mia", "again"),
        Err(StoreError::VerdictGiven(_))
    ));
    store
        .add_item_custody(
            id,
            &NewItemCustody {
                released_by: "USPS",
                received_by: "Ana",
                at: "2026-11-20T15:04:00Z",
                place: "Chicago",
                seal: Some("TT-1"),
                note: None,
            },
        )
        .expect("custody");
    assert!(matches!(
        store.update_purchase(42, &NewPurchaseUpdate::default()),
        Err(StoreError::NoSuchPurchase(42))
    ));
    drop(store);

    let store = Store::open(&path, &pass(PASS)).expect("reopen");
    let all = store.purchases().expect("purchases");
    assert_eq!(all.len(), 1);
    let p = &all[0];
    assert_eq!(p.amount, "12.50");
    assert_eq!(p.payment_last4.as_deref(), Some("4242"));
    assert_eq!(p.updates.len(), 1);
    assert_eq!(
        p.files
            .iter()
            .map(|f| f.file_name.as_str())
            .collect::<Vec<_>>(),
        ["parcel.jpg", "label.jpg"]
    );
    assert_eq!(p.files[0].sha256, exhibit_domain::sha256(&photo).to_hex());
    assert_eq!(
        p.verdict.as_ref().map(|v| v.verdict.as_str()),
        Some("counterfeit")
    );
    assert_eq!(p.custody.len(), 1);
    let kinds: Vec<String> = store
        .custody_log()
        .expect("log")
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| k.starts_with("purchase.") || k.starts_with("item."))
        .collect();
    assert_eq!(
        kinds,
        [
            "purchase.added",
            "purchase.updated",
            "purchase.file_attached",
            "purchase.file_attached",
            "purchase.verdict",
            "item.custody"
        ]
    );
    let report = store.verify(true).expect("verify");
    assert!(report.ok, "{:?}", report.problems);
    drop(store);

    // The triggers refuse edits, even with the right key.
    let conn = raw(&path);
    for sql in [
        "UPDATE purchases SET amount = '1.00'",
        "DELETE FROM purchase_updates",
        "UPDATE purchase_files SET file_name = 'x.jpg'",
        "DELETE FROM purchase_verdicts",
        "UPDATE item_custody SET place = 'elsewhere'",
    ] {
        assert!(conn.execute_batch(sql).is_err(), "{sql} was allowed");
    }
    // One byte of the photo flipped in place, and a purchase with no event.
    conn.execute_batch("DROP TRIGGER purchase_files_no_update;")
        .expect("drop trigger");
    {
        let mut blob = conn
            .blob_open(
                rusqlite::MAIN_DB,
                "purchase_files",
                "content",
                files[0],
                false,
            )
            .expect("blob");
        let mut byte = [0u8; 1];
        use std::io::{Read, Seek, SeekFrom, Write};
        blob.seek(SeekFrom::Start(2500)).expect("seek");
        blob.read_exact(&mut byte).expect("read");
        blob.seek(SeekFrom::Start(2500)).expect("seek");
        blob.write_all(&[byte[0] ^ 0x80]).expect("write");
    }
    conn.execute(
        "INSERT INTO purchases (listing_id, order_number, ordered_on, platform, amount, currency,
             ship_to, recorded_at)
         VALUES (?1, 'FORGED', '2026-11-01', 'taobao', '1.00', 'USD', 'Nowhere', '2026-11-01T00:00:00Z')",
        [listing],
    )
    .expect("forge");
    drop(conn);
    let store = Store::open(&path, &pass(PASS)).expect("open");
    let report = store.verify(false).expect("verify");
    assert!(!report.ok);
    assert!(
        report.problems.iter().any(|p| p.code == "file_changed"
            && p.message.contains("The photo parcel.jpg of purchase 1")
            && p.capture_id.is_none()),
        "{:?}",
        report.problems
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.code == "purchase_not_in_log" && p.message.contains("FORGED")),
        "{:?}",
        report.problems
    );
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
}

#[test]
fn a_main_image_hash_is_committed_with_its_capture() {
    let dir = TempDir::new("image-hash");
    let (path, mut store) = new_case(&dir);
    let artifacts = [
        NewArtifact::new("body", "text/html", b"<html></html>".to_vec()),
        NewArtifact::new("image", "image/jpeg", b"not decoded here".to_vec()),
    ];
    let id = store
        .add_capture_hashed(
            &record("https://item.taobao.com/item.htm?id=562283240178", "Cup"),
            &artifacts,
            Some(("dhash-64-box", "00ff00ff00ff00ff")),
        )
        .expect("add capture");
    // Without a hash the image waits to be hashed later; with one it does not.
    let without = store
        .add_capture(
            &record("https://item.taobao.com/item.htm?id=562283240179", "Mug"),
            &artifacts,
        )
        .expect("add capture");
    drop(store);
    let store = Store::open(&path, &pass(PASS)).expect("open");
    let hashes = store.image_hashes("dhash-64-box").expect("hashes");
    assert_eq!(hashes.len(), 1, "{hashes:?}");
    assert_eq!(
        (hashes[0].0, hashes[0].2.as_str()),
        (id, "00ff00ff00ff00ff")
    );
    let waiting: Vec<i64> = store
        .images_without_hash("dhash-64-box")
        .expect("waiting")
        .into_iter()
        .map(|(capture, _)| capture)
        .collect();
    assert_eq!(waiting, [without]);
    let report = store.verify(false).expect("verify");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
