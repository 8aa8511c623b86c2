//! The WACZ reader (`exhibit import`, the app's "import a web archive"): an archive any
//! tool, or anyone, made, read from a file.
//!
//! What must hold, beyond no panic, no hang and bounded memory: an archive read is
//! consistent with itself. A signature is reported only with the digest file that
//! carries it, which was checked; records that carry no checkable digest are a part of
//! those read; every record returned was read from one of the archive's entries, and
//! its `digest_verified` flag agrees with the count of unverified records (none are
//! verified when every record read was unverified).
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use exhibit_warc::{Limits, read_wacz};
use libfuzzer_sys::fuzz_target;

/// The reader takes a path, as it does in the app: one file per fuzzing process, in
/// memory-backed /dev/shm where there is one.
static PATH: LazyLock<PathBuf> = LazyLock::new(|| {
    // scripts/fuzz.sh names a folder it removes afterwards.
    let shm = PathBuf::from("/dev/shm");
    let dir = match std::env::var_os("EXHIBIT_FUZZ_SCRATCH") {
        Some(dir) => PathBuf::from(dir),
        None if shm.is_dir() => shm,
        None => std::env::temp_dir(),
    };
    dir.join(format!("exhibit-fuzz-wacz-{}.wacz", std::process::id()))
});

/// `EXHIBIT_FUZZ_SHOW=1` prints each verdict, to see what a seed reaches.
static SHOW: LazyLock<bool> = LazyLock::new(|| std::env::var_os("EXHIBIT_FUZZ_SHOW").is_some());

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*PATH, data).expect("the fuzzer can write its scratch file");
    let verdict = read_wacz(&PATH, &Limits::default());
    if *SHOW {
        match &verdict {
            Ok(w) => eprintln!(
                "verdict: Ok: {} pages, {} records",
                w.pages.len(),
                w.records_checked
            ),
            Err(e) => eprintln!("verdict: Err({}): {e}", e.code()),
        }
    }
    let Ok(wacz) = verdict else {
        return;
    };
    let info = &wacz.meta;
    if info.signature_present {
        assert!(
            info.datapackage_digest_checked,
            "a signature reported without a checked datapackage-digest.json"
        );
    }
    assert!(
        wacz.unverified_records <= wacz.records_checked,
        "{} unverified of {} records read",
        wacz.unverified_records,
        wacz.records_checked
    );
    let all_unverified = wacz.unverified_records == wacz.records_checked;
    for page in &wacz.pages {
        let records = page
            .response
            .iter()
            .chain(&page.resources)
            .chain(&page.records);
        for record in records {
            assert!(!record.file.is_empty(), "a record from no entry");
            assert!(
                !(record.digest_verified && all_unverified),
                "record {} is verified, but every record read was counted unverified",
                record.record_id
            );
        }
    }
});
