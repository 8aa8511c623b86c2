//! Verifying a case holding 1 GiB of artifacts, against `sha256sum` over the same bytes
//! exported to files.
//!
//! Run: `cargo bench -p exhibit-store --bench verify`
//!
//! It lives in the store's crate, not with the end-to-end benchmarks, because it needs
//! nothing but the store: a release build of it takes minutes, not a quarter of an hour.

use std::process::Command;
use std::time::Instant;

use exhibit_store::{Passphrase, Store};

// The end-to-end benchmarks' helpers (std only, so this bench still needs nothing but
// the store): PASS, median, ms, page_bytes and the capture record.
#[path = "../../../tests/benches/common.rs"]
mod common;

use common::{PASS, bench_record, median, ms, page_bytes};

/// A folder under the system's temporary folder, removed on drop.
struct TempDir(std::path::PathBuf);
impl TempDir {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const ARTIFACTS: usize = 1024;
const SIZE: usize = 1 << 20;
const ROUNDS: usize = 3;

fn main() {
    let dir =
        TempDir(std::env::temp_dir().join(format!("exhibit-verify-bench-{}", std::process::id())));
    std::fs::create_dir_all(dir.path()).expect("tempdir");
    let path = dir.path().join("verify.exhibit");
    let pass = Passphrase::new(PASS.into());
    // Fill the case through the real capture path is too slow for 1 GiB; the store API
    // stores exactly what a capture stores.
    {
        let mut store = Store::create(&path, &pass, "Verify bench").expect("create");
        for i in 0..ARTIFACTS {
            let rec = bench_record(&format!("https://www.amazon.com/dp/B{i:09}"));
            let a =
                exhibit_domain::NewArtifact::new("body", "text/html", page_bytes(SIZE, i as u64));
            store.add_capture(&rec, &[a]).expect("add");
        }
    }
    let total_bytes = (ARTIFACTS * SIZE) as f64;

    let mut every_page = Vec::new();
    let mut quick = Vec::new();
    let mut page_scan = Vec::new();
    for _ in 0..ROUNDS {
        let store = Store::open(&path, &pass).expect("open");
        let t = Instant::now();
        let report = store.verify(true).expect("verify");
        every_page.push(t.elapsed());
        assert!(
            report.ok && report.bytes_checked as f64 == total_bytes,
            "{:?}",
            report.problems.iter().take(5).collect::<Vec<_>>()
        );
        assert!(report.pages_checked > 0);
        let t = Instant::now();
        let report = store.verify(false).expect("verify --quick");
        quick.push(t.elapsed());
        assert!(report.ok && report.pages_checked == 0);
        page_scan.push(every_page[every_page.len() - 1].saturating_sub(quick[quick.len() - 1]));
    }
    let file_bytes = std::fs::metadata(&path).expect("stat").len() as f64;

    // What the default would cost with SQLCipher's own check of every page (one thread)
    // in place of Exhibit's: `PRAGMA cipher_integrity_check`, through a bare connection.
    let mut sqlcipher_check = Vec::new();
    for _ in 0..ROUNDS {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(&format!("PRAGMA key = '{PASS}';"))
            .expect("key");
        let t = Instant::now();
        let mut stmt = conn
            .prepare("PRAGMA cipher_integrity_check")
            .expect("prepare");
        let problems = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("query")
            .count();
        sqlcipher_check.push(t.elapsed());
        assert_eq!(problems, 0);
    }

    // The same bytes, exported to files, hashed by coreutils.
    let out = dir.path().join("export");
    std::fs::create_dir_all(&out).expect("mkdir");
    {
        let store = Store::open(&path, &pass).expect("open");
        for i in 1..=ARTIFACTS as i64 {
            let mut f = std::fs::File::create(out.join(format!("{i}.html"))).expect("create");
            store.write_artifact(i, "body", &mut f).expect("export");
        }
    }
    let mut peer = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let status = Command::new("sh")
            .arg("-c")
            .arg("sha256sum ./*.html > /dev/null")
            .current_dir(&out)
            .status()
            .expect("sha256sum");
        assert!(status.success());
        peer.push(t.elapsed());
    }
    let e = median(every_page);
    let q = median(quick);
    let s = median(page_scan);
    let c = median(sqlcipher_check);
    let p = median(peer);
    let mbps = |d: std::time::Duration| total_bytes / 1e6 / d.as_secs_f64();
    println!(
        "verify, {ARTIFACTS} artifacts of 1 MiB (1 GiB; the case file is {:.0} MB), median of {ROUNDS}:",
        file_bytes / 1e6
    );
    println!(
        "  exhibit verify (every page's HMAC, then decrypt + SHA-256 + chain): {:.0} ms = {:.0} MB/s",
        ms(e),
        mbps(e)
    );
    println!(
        "    of which the every-page HMAC scan:                              {:.0} ms = {:.0} MB/s of file",
        ms(s),
        file_bytes / 1e6 / s.as_secs_f64()
    );
    println!(
        "  exhibit verify --quick (evidence pages only):                       {:.0} ms = {:.0} MB/s",
        ms(q),
        mbps(q)
    );
    println!(
        "  SQLCipher's own PRAGMA cipher_integrity_check alone (one thread):   {:.0} ms = {:.0} MB/s of file",
        ms(c),
        file_bytes / 1e6 / c.as_secs_f64()
    );
    println!(
        "  sha256sum over the exported files (page cache warm):                {:.0} ms = {:.0} MB/s",
        ms(p),
        mbps(p)
    );
    for (what, d) in [("exhibit verify", e), ("exhibit verify --quick", q)] {
        let ratio = format!("ratio {what} / sha256sum throughput:");
        println!("  {ratio:<68}{:.2}", mbps(d) / mbps(p));
    }
}
