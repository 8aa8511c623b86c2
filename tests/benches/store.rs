//! Store overhead for a 1 MB captured page (hash, encrypt, commit), against a bare
//! SQLCipher insert of the same bytes with the same key, journal and sync settings.
//!
//! Run: `cargo bench -p exhibit-e2e --bench store`

mod common;

use std::time::Instant;

use common::{PASS, bench_record, median, ms, page_bytes};
use exhibit_domain::NewArtifact;
use exhibit_store::{Passphrase, Store};

const ROUNDS: usize = 60;
const SIZE: usize = 1_000_000;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pages: Vec<Vec<u8>> = (0..ROUNDS).map(|i| page_bytes(SIZE, i as u64)).collect();

    // Exhibit: hash + one transaction with the capture, the artifact and its custody event.
    let mut store = Store::create(
        &dir.path().join("bench.exhibit"),
        &Passphrase::new(PASS.into()),
        "Bench",
    )
    .expect("create");
    let mut exhibit = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let bytes = page.clone();
        let rec = bench_record(&format!("https://item.taobao.com/item.htm?id={i}"));
        let t = Instant::now();
        let artifact = NewArtifact::new("body", "text/html", bytes);
        store.add_capture(&rec, &[artifact]).expect("add");
        exhibit.push(t.elapsed());
    }
    drop(store);

    // Peer: the same bytes into a bare SQLCipher table, same key derivation, WAL, FULL sync.
    let bare = bare_inserts(&dir.path().join("bare.db"), &pages, Some(PASS), "FULL");
    // Where the time goes: the same insert without the fsync, and without encryption.
    let bare_nosync = bare_inserts(
        &dir.path().join("bare-nosync.db"),
        &pages,
        Some(PASS),
        "NORMAL",
    );
    let plain = bare_inserts(&dir.path().join("plain.db"), &pages, None, "FULL");
    let mut hash = Vec::new();
    for page in &pages {
        let t = Instant::now();
        std::hint::black_box(exhibit_domain::sha256(page));
        hash.push(t.elapsed());
    }

    let e = median(exhibit);
    let b = median(bare);
    println!("store overhead, 1 MB page, median of {ROUNDS}:");
    println!(
        "  exhibit add_capture (hash + encrypt + commit):   {:.2} ms",
        ms(e)
    );
    println!(
        "  bare SQLCipher insert + commit (WAL, FULL sync): {:.2} ms",
        ms(b)
    );
    println!(
        "  ratio exhibit / bare:                            {:.2}",
        ms(e) / ms(b)
    );
    println!("breakdown:");
    println!(
        "  SHA-256 of 1 MB:                                 {:.2} ms",
        ms(median(hash))
    );
    println!(
        "  bare SQLCipher insert, no fsync (NORMAL sync):   {:.2} ms",
        ms(median(bare_nosync))
    );
    println!(
        "  unencrypted SQLite insert + commit (FULL sync):  {:.2} ms",
        ms(median(plain))
    );
}

/// The same bytes into a bare table: same key derivation, WAL, the given sync level.
fn bare_inserts(
    path: &std::path::Path,
    pages: &[Vec<u8>],
    key: Option<&str>,
    sync: &str,
) -> Vec<std::time::Duration> {
    let conn = rusqlite::Connection::open(path).expect("open");
    if let Some(k) = key {
        conn.pragma_update(None, "key", k).expect("key");
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.pragma_update(None, "synchronous", sync).expect("sync");
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)")
        .expect("table");
    let mut out = Vec::new();
    for page in pages {
        let t = Instant::now();
        let tx = conn.unchecked_transaction().expect("tx");
        tx.execute("INSERT INTO t (b) VALUES (?1)", [page.as_slice()])
            .expect("insert");
        tx.commit().expect("commit");
        out.push(t.elapsed());
    }
    out
}
