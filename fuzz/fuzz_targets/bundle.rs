//! The bundle verifier (`exhibit verify-bundle`, the app's "check a bundle"): a ZIP
//! someone else made, read from a file.
//!
//! What must hold, beyond no panic, no hang and bounded memory: the verifier never calls
//! a bundle intact unless it is one. The oracle is independent of the verifier's own
//! reader: the `zip` crate extracts every entry, and then `SHA256SUMS` must list
//! exactly the other files, each with its SHA-256, and `manifest.json` must be there.
#![no_main]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::LazyLock;

use exhibit_bundle::{MANIFEST_PATH, SUMS_PATH, verify_bundle};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

/// The verifier reads a path, as it does in the app: one file per fuzzing process,
/// in memory-backed /dev/shm where there is one.
static PATH: LazyLock<PathBuf> = LazyLock::new(|| {
    // scripts/fuzz.sh names a folder it removes afterwards.
    let shm = PathBuf::from("/dev/shm");
    let dir = match std::env::var_os("EXHIBIT_FUZZ_SCRATCH") {
        Some(dir) => PathBuf::from(dir),
        None if shm.is_dir() => shm,
        None => std::env::temp_dir(),
    };
    dir.join(format!("exhibit-fuzz-bundle-{}.zip", std::process::id()))
});

/// `EXHIBIT_FUZZ_SHOW=1` prints each verdict, to see what a seed reaches.
static SHOW: LazyLock<bool> = LazyLock::new(|| std::env::var_os("EXHIBIT_FUZZ_SHOW").is_some());

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*PATH, data).expect("the fuzzer can write its scratch file");
    let verdict = verify_bundle(&PATH);
    if *SHOW {
        eprintln!("verdict: {verdict:?}");
    }
    let Ok(report) = verdict else {
        return;
    };
    if report.is_intact()
        && let Err(why) = really_intact(data)
    {
        panic!("the verifier called a bundle intact, but {why}");
    }
});

/// Extracts with the `zip` crate and checks `SHA256SUMS` against what came out.
fn really_intact(data: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(data))
        .map_err(|e| format!("the zip crate cannot open it: {e}"))?;
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("the zip crate cannot read entry {i}: {e}"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| format!("the zip crate cannot read the name of entry {i}: {e}"))?
            .into_owned();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("the zip crate cannot extract {name:?}: {e}"))?;
        if files.insert(name.clone(), bytes).is_some() {
            return Err(format!("{name:?} is in it twice"));
        }
    }
    let sums = files
        .remove(SUMS_PATH)
        .ok_or("it has no SHA256SUMS".to_owned())?;
    if !files.contains_key(MANIFEST_PATH) {
        return Err("it has no manifest.json".into());
    }
    let sums = String::from_utf8(sums).map_err(|_| "SHA256SUMS is not text".to_owned())?;
    let mut listed = BTreeMap::new();
    for line in sums.lines() {
        let (hex, path) = line
            .split_at_checked(64)
            .ok_or(format!("SHA256SUMS has the short line {line:?}"))?;
        let path = path
            .strip_prefix("  ")
            .or_else(|| path.strip_prefix(" *"))
            .ok_or(format!("SHA256SUMS has the line {line:?}"))?;
        listed.insert(path.to_owned(), hex.to_ascii_lowercase());
    }
    for (name, bytes) in &files {
        let actual = hex(&Sha256::digest(bytes));
        match listed.remove(name) {
            None => return Err(format!("SHA256SUMS does not list {name:?}")),
            Some(expected) if expected != actual => {
                return Err(format!("{name:?} hashes to {actual}, not {expected}"));
            }
            Some(_) => {}
        }
    }
    if let Some(missing) = listed.keys().next() {
        return Err(format!("SHA256SUMS lists {missing:?}, which is not there"));
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
