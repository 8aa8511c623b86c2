//! The verifier: reads a bundle it must treat as hostile, and reports what it finds.
//!
//! Order of work, so that nothing is trusted before it is checked:
//!
//! 1. The end of the file is scanned for the ZIP's declared entry count, which is capped
//!    *before* the directory is parsed (a forged count would otherwise cost memory).
//! 2. The directory is parsed by the `zip` crate; failure means `not_a_bundle`.
//! 3. Every entry's metadata is checked: name, type (file, folder, link, device),
//!    encryption, compression method, and agreement of local and central headers.
//! 4. Entries are streamed from their raw bytes through this crate's own inflater,
//!    counting the bytes actually produced against the [`Limits`], and hashed on the way.
//!    Nothing is extracted and nothing is written anywhere.
//! 5. `SHA256SUMS`, `manifest.json` and the custody log are checked against the hashes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::Path;

use exhibit_domain::{ChainBreak, CustodyEvent, Digest, GENESIS_HASH, sha256};
use sha2::{Digest as _, Sha256};
use zip::{CompressionMethod, ZipArchive};

use crate::manifest::{MANIFEST_FORMAT, Manifest};
use exhibit_zipguard::{DeclaredCount, EntryType, declared_entry_count, entry_type};

use crate::path::{check_path, display_name};
use crate::{BundleError, CUSTODY_PATH, Limits, MANIFEST_PATH, SUMS_PATH};

const CHUNK: usize = 64 * 1024;

/// What the verifier found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleReport {
    /// Files whose bytes were read and hashed in full.
    pub files_checked: usize,
    /// SHA-256 of `manifest.json` as found: compare it with the fingerprint on the packet.
    pub manifest_digest: Option<Digest>,
    /// The last event of the custody log, when the log could be read.
    pub custody_head: Option<CustodyHead>,
    /// Everything wrong, in the order found. Empty means intact.
    pub problems: Vec<Problem>,
}

impl BundleReport {
    /// Whether nothing is wrong: every file is listed and matches, the manifest matches
    /// the files, and the custody chain is unbroken up to the manifest's head.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The last link of a custody log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustodyHead {
    pub seq: i64,
    pub hash: Digest,
}

/// Which limit a bundle broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BombReason {
    /// The ZIP declares more entries than [`Limits::max_entries`].
    TooManyEntries { declared: u64, limit: u64 },
    /// One entry produced more than [`Limits::max_entry_bytes`].
    EntryTooLarge { limit: u64 },
    /// All entries together produced more than [`Limits::max_total_bytes`].
    TotalTooLarge { limit: u64 },
    /// An entry expanded more than [`Limits::max_ratio`] times its compressed size.
    Ratio { compressed: u64, limit: u64 },
    /// An entry produced more bytes than its header declares.
    LargerThanDeclared { declared: u64 },
}

/// One thing wrong with a bundle. [`Problem::code`] is stable; the `Display` text is one
/// plain sentence for people. Names from the bundle are escaped for display.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// An entry name that could escape the extraction folder or collide with another.
    UnsafePath { name: String, reason: String },
    /// The ZIP directory lists the same name more than once.
    DuplicateNames { entries: u64, distinct: u64 },
    /// A symbolic link, device, or folder entry that carries content.
    LinkEntry { name: String, reason: &'static str },
    /// A limit on size, count or expansion was exceeded.
    DecompressionBomb {
        name: Option<String>,
        reason: BombReason,
    },
    /// An encrypted entry, which cannot be checked.
    EncryptedEntry { name: String },
    /// A compression method bundles never use.
    UnsupportedCompression { name: String, method: String },
    /// An entry whose data is damaged or disagrees with its header.
    CorruptEntry { name: String, detail: String },
    /// The ZIP's local and central headers disagree, or entries overlap, so different
    /// tools could see different files.
    InconsistentZip { detail: String },
    /// There is no `SHA256SUMS`.
    SumsMissing,
    /// `SHA256SUMS` cannot be read.
    SumsMalformed { line: Option<usize>, detail: String },
    /// `SHA256SUMS` lists a file the bundle does not hold.
    MissingFile { path: String },
    /// The bundle holds a file `SHA256SUMS` does not list.
    ExtraFile { path: String },
    /// A file's SHA-256 differs from `SHA256SUMS`.
    HashMismatch {
        path: String,
        expected: Digest,
        actual: Digest,
    },
    /// There is no `manifest.json`.
    ManifestMissing,
    /// `manifest.json` cannot be read as an Exhibit manifest.
    ManifestInvalid { detail: String },
    /// The manifest disagrees with the files.
    ManifestMismatch { path: String, detail: String },
    /// The custody log is missing, unreadable, not an unbroken chain, or does not end at
    /// the manifest's head.
    CustodyBroken { line: Option<usize>, detail: String },
}

impl Problem {
    /// A stable machine-readable code, so callers branch on codes and never on text.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::UnsafePath { .. } | Problem::DuplicateNames { .. } => "unsafe_path",
            Problem::LinkEntry { .. } => "link_entry",
            Problem::DecompressionBomb { .. } => "decompression_bomb",
            Problem::EncryptedEntry { .. } => "encrypted_entry",
            Problem::UnsupportedCompression { .. } => "unsupported_compression",
            Problem::CorruptEntry { .. } => "corrupt_entry",
            Problem::InconsistentZip { .. } => "inconsistent_zip",
            Problem::SumsMissing => "sums_missing",
            Problem::SumsMalformed { .. } => "sums_malformed",
            Problem::MissingFile { .. } => "missing_file",
            Problem::ExtraFile { .. } => "extra_file",
            Problem::HashMismatch { .. } => "hash_mismatch",
            Problem::ManifestMissing => "manifest_missing",
            Problem::ManifestInvalid { .. } => "manifest_invalid",
            Problem::ManifestMismatch { .. } => "manifest_mismatch",
            Problem::CustodyBroken { .. } => "custody_broken",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::UnsafePath { name, reason } => write!(
                f,
                "The entry \"{name}\" has an unsafe name: {reason}; extracting it could write outside the folder or over another file."
            ),
            Problem::DuplicateNames { entries, distinct } => write!(
                f,
                "The bundle lists {entries} entries under only {distinct} names, so some name appears twice and different tools could extract different files under it."
            ),
            Problem::LinkEntry { name, reason } => write!(
                f,
                "The entry \"{name}\" is {reason}; a bundle holds only plain files, and extracting it could reach outside the folder."
            ),
            Problem::DecompressionBomb { name, reason } => {
                let what = match name {
                    Some(n) => format!("The entry \"{n}\""),
                    None => "The bundle".to_owned(),
                };
                match reason {
                    BombReason::TooManyEntries { declared, limit } => write!(
                        f,
                        "{what} declares {declared} entries, more than the {limit} Exhibit reads; it was not opened further."
                    ),
                    BombReason::EntryTooLarge { limit } => write!(
                        f,
                        "{what} expands to more than {limit} bytes, the most Exhibit reads from one file; it may be a decompression bomb."
                    ),
                    BombReason::TotalTooLarge { limit } => write!(
                        f,
                        "The bundle expands to more than {limit} bytes in total (stopped at \"{}\"); it may be a decompression bomb, and the rest was not read.",
                        name.as_deref().unwrap_or("?")
                    ),
                    BombReason::Ratio { compressed, limit } => write!(
                        f,
                        "{what} expands to more than {limit} times its {compressed} compressed bytes; it is probably a decompression bomb."
                    ),
                    BombReason::LargerThanDeclared { declared } => write!(
                        f,
                        "{what} expands to more than the {declared} bytes its header declares; it is probably a decompression bomb."
                    ),
                }
            }
            Problem::EncryptedEntry { name } => write!(
                f,
                "The entry \"{name}\" is encrypted, so it cannot be checked; Exhibit never encrypts bundle entries."
            ),
            Problem::UnsupportedCompression { name, method } => write!(
                f,
                "The entry \"{name}\" uses the compression method {method}; Exhibit bundles use only stored and deflate, so it was not read."
            ),
            Problem::CorruptEntry { name, detail } => {
                write!(f, "The entry \"{name}\" is damaged: {detail}.")
            }
            Problem::InconsistentZip { detail } => write!(
                f,
                "The ZIP structure can be read in more than one way, so different tools could see different files: {detail}."
            ),
            Problem::SumsMissing => f.write_str(
                "The bundle has no SHA256SUMS file, so its files cannot be checked against a list.",
            ),
            Problem::SumsMalformed { line, detail } => match line {
                Some(n) => write!(f, "SHA256SUMS cannot be read: line {n}: {detail}."),
                None => write!(f, "SHA256SUMS cannot be read: {detail}."),
            },
            Problem::MissingFile { path } => write!(
                f,
                "SHA256SUMS lists \"{path}\", but the bundle does not hold it."
            ),
            Problem::ExtraFile { path } => write!(
                f,
                "The bundle holds \"{path}\", which SHA256SUMS does not list."
            ),
            Problem::HashMismatch {
                path,
                expected,
                actual,
            } => write!(
                f,
                "\"{path}\" has changed: its SHA-256 is {actual}, but SHA256SUMS lists {expected}."
            ),
            Problem::ManifestMissing => f.write_str("The bundle has no manifest.json."),
            Problem::ManifestInvalid { detail } => {
                write!(
                    f,
                    "manifest.json is not a valid Exhibit manifest: {detail}."
                )
            }
            Problem::ManifestMismatch { path, detail } => {
                write!(f, "manifest.json disagrees with \"{path}\": {detail}.")
            }
            Problem::CustodyBroken { line, detail } => match line {
                Some(n) => write!(f, "The custody log is broken at line {n}: {detail}."),
                None => write!(f, "The custody log is broken: {detail}."),
            },
        }
    }
}

/// Verifies the bundle at `path` with the default [`Limits`].
pub fn verify_bundle(path: &Path) -> Result<BundleReport, BundleError> {
    verify_bundle_with(path, &Limits::default())
}

/// Verifies the bundle at `path` with the given limits.
pub fn verify_bundle_with(path: &Path, limits: &Limits) -> Result<BundleReport, BundleError> {
    let cannot_read = |source| BundleError::CannotRead {
        path: path.to_owned(),
        source,
    };
    // Look before opening: opening a FIFO would block.
    let meta = std::fs::metadata(path).map_err(cannot_read)?;
    if !meta.is_file() {
        return Err(not_a_bundle("it is a folder or a device, not a file"));
    }
    let file = File::open(path).map_err(cannot_read)?;
    let len = file.metadata().map_err(cannot_read)?.len();
    if len == 0 {
        return Err(not_a_bundle("the file is empty"));
    }
    let mut reader = BufReader::with_capacity(CHUNK, file);

    let mut report = BundleReport {
        files_checked: 0,
        manifest_digest: None,
        custody_head: None,
        problems: Vec::new(),
    };
    let declared = declared_entry_count(&mut reader, len).map_err(cannot_read)?;
    let declared_entries = match declared {
        DeclaredCount::Found(n) if n > limits.max_entries => {
            report.problems.push(Problem::DecompressionBomb {
                name: None,
                reason: BombReason::TooManyEntries {
                    declared: n,
                    limit: limits.max_entries,
                },
            });
            return Ok(report);
        }
        DeclaredCount::Found(n) => n,
        DeclaredCount::NoDirectory => {
            return Err(not_a_bundle(
                "no ZIP directory was found at its end; it may be truncated or not a ZIP at all",
            ));
        }
        DeclaredCount::Misplaced64 => {
            return Err(not_a_bundle(
                "its ZIP64 directory record is not where the ZIP says it is",
            ));
        }
    };

    let mut archive = ZipArchive::new(reader)
        .map_err(|e| not_a_bundle(&format!("its ZIP directory is corrupt ({e})")))?;

    let mut v = Verifier {
        limits,
        file_len: len,
        declared_entries,
        report,
        present: BTreeMap::new(),
        total_produced: 0,
        stopped: false,
    };
    let files = v.check_entries(&mut archive);
    v.read_entries(&mut archive, &files);
    v.check_sums();
    let manifest = v.check_manifest();
    v.check_custody(manifest.as_ref());
    Ok(v.report)
}

fn not_a_bundle(detail: &str) -> BundleError {
    BundleError::NotABundle {
        detail: detail.to_owned(),
    }
}

/// A file entry that passed the metadata checks and will be read.
struct FileEntry {
    index: usize,
    name: String,
}

/// What is known of a present file.
enum Seen {
    /// Read in full: its hash, and its bytes when it is one of the text files kept.
    Hashed {
        sha256: Digest,
        size: u64,
        bytes: Option<Vec<u8>>,
    },
    /// Present, but not readable (encrypted, bomb, damaged): already reported.
    Unread,
}

struct Verifier<'a> {
    limits: &'a Limits,
    file_len: u64,
    /// The entry count the directory declares (the parsed count is of distinct names).
    declared_entries: u64,
    report: BundleReport,
    present: BTreeMap<String, Seen>,
    total_produced: u64,
    /// Set when the total limit is hit: nothing more is read.
    stopped: bool,
}

impl Verifier<'_> {
    fn problem(&mut self, p: Problem) {
        self.report.problems.push(p);
    }

    /// Checks every entry's metadata and returns the plain files to read, in the order
    /// they sit in the archive.
    fn check_entries<R: Read + Seek>(&mut self, archive: &mut ZipArchive<R>) -> Vec<FileEntry> {
        let metadata = archive.metadata();
        if metadata.has_duplicate_names() {
            self.problem(Problem::DuplicateNames {
                entries: self.declared_entries,
                distinct: archive.len() as u64,
            });
        } else if let Err(e) = archive.validate_header_consistency() {
            self.problem(Problem::InconsistentZip {
                detail: e.to_string(),
            });
        }

        let mut files = Vec::new();
        let mut lower_names: BTreeMap<Vec<u8>, String> = BTreeMap::new();
        let mut lower_dirs: BTreeSet<Vec<u8>> = BTreeSet::new();
        for index in 0..archive.len() {
            let entry = match archive.by_index_data(index) {
                Ok(e) => e,
                Err(e) => {
                    self.problem(Problem::InconsistentZip {
                        detail: format!("entry {index} cannot be read ({e})"),
                    });
                    continue;
                }
            };
            let raw = entry.name_raw().to_vec();
            let name = display_name(&raw);
            let is_dir_name = raw.ends_with(b"/");
            let path = if is_dir_name {
                &raw[..raw.len() - 1]
            } else {
                &raw[..]
            };
            if let Err(reason) = check_path(path) {
                self.problem(Problem::UnsafePath {
                    name,
                    reason: reason.to_owned(),
                });
                continue;
            }
            let kind = entry_type(entry.external_attributes(), is_dir_name);
            if let Some(reason) = kind.refused() {
                self.present.insert(name.clone(), Seen::Unread);
                self.problem(Problem::LinkEntry { name, reason });
                continue;
            }
            let lower = path.to_ascii_lowercase();
            if let Some(other) = lower_names.get(&lower) {
                let reason = format!("it differs only in letter case from \"{other}\"");
                self.present.insert(name.clone(), Seen::Unread);
                self.problem(Problem::UnsafePath { name, reason });
                continue;
            }
            lower_names.insert(lower.clone(), name.clone());
            if kind == EntryType::Folder {
                let reason = if !is_dir_name {
                    Some("marked as a folder but named like a file")
                } else if entry.size() > 0 || entry.compressed_size() > 0 {
                    Some("a folder entry that carries content")
                } else {
                    None
                };
                match reason {
                    Some(reason) => self.problem(Problem::LinkEntry { name, reason }),
                    None => {
                        lower_dirs.insert(lower);
                    }
                }
                continue;
            }
            for (i, _) in lower.iter().enumerate().filter(|(_, b)| **b == b'/') {
                lower_dirs.insert(lower[..i].to_vec());
            }
            if entry.encrypted() {
                self.present.insert(name.clone(), Seen::Unread);
                self.problem(Problem::EncryptedEntry { name });
                continue;
            }
            let method = entry.compression();
            if !matches!(
                method,
                CompressionMethod::Stored | CompressionMethod::Deflated
            ) {
                self.present.insert(name.clone(), Seen::Unread);
                self.problem(Problem::UnsupportedCompression {
                    name,
                    method: method.to_string(),
                });
                continue;
            }
            files.push(FileEntry { index, name });
        }
        // A file whose name is also a folder (`a` next to `a/b`) cannot be extracted.
        let mut clashing = Vec::new();
        for f in &files {
            if lower_dirs.contains(f.name.to_ascii_lowercase().as_bytes()) {
                clashing.push(f.index);
                self.present.insert(f.name.clone(), Seen::Unread);
                self.problem(Problem::UnsafePath {
                    name: f.name.clone(),
                    reason: "it is both a file and a folder".to_owned(),
                });
            }
        }
        files.retain(|f| !clashing.contains(&f.index));
        files
    }

    /// Streams every file, the manifest first (its custody path says which other file to
    /// keep), then the rest in archive order.
    fn read_entries<R: Read + Seek>(&mut self, archive: &mut ZipArchive<R>, files: &[FileEntry]) {
        let manifest = files.iter().find(|f| f.name == MANIFEST_PATH);
        let mut keep: BTreeSet<String> = [SUMS_PATH.to_owned(), CUSTODY_PATH.to_owned()].into();
        if let Some(f) = manifest {
            self.read_one(archive, f, true);
            if let Some(Seen::Hashed {
                bytes: Some(bytes), ..
            }) = self.present.get(MANIFEST_PATH)
                && let Ok(m) = serde_json::from_slice::<Manifest>(bytes)
            {
                keep.insert(m.custody.path);
            }
        }
        for f in files {
            if self.stopped {
                break;
            }
            if f.name == MANIFEST_PATH {
                continue;
            }
            let keep_bytes = keep.contains(&f.name);
            self.read_one(archive, f, keep_bytes);
        }
    }

    fn read_one<R: Read + Seek>(
        &mut self,
        archive: &mut ZipArchive<R>,
        f: &FileEntry,
        keep_bytes: bool,
    ) {
        let seen = match self.stream(archive, f, keep_bytes) {
            Ok(seen) => {
                self.report.files_checked += 1;
                seen
            }
            Err(p) => {
                self.problem(p);
                Seen::Unread
            }
        };
        self.present.insert(f.name.clone(), seen);
    }

    /// Inflates one entry from its raw bytes, hashing as it goes and stopping at the first
    /// limit crossed. The counts are of bytes actually produced.
    fn stream<R: Read + Seek>(
        &mut self,
        archive: &mut ZipArchive<R>,
        f: &FileEntry,
        keep_bytes: bool,
    ) -> Result<Seen, Problem> {
        let name = f.name.clone();
        let corrupt = |detail: String| Problem::CorruptEntry {
            name: name.clone(),
            detail,
        };
        let mut raw = archive
            .by_index_raw(f.index)
            .map_err(|e| corrupt(format!("its data cannot be found ({e})")))?;
        let declared = raw.size();
        let method = raw.compression();
        let expected_crc = raw.crc32();
        // Compressed bytes can't exceed the file, whatever the header claims.
        let compressed = raw.compressed_size().min(self.file_len);
        let mut source: Box<dyn Read + '_> = match method {
            CompressionMethod::Stored => Box::new(&mut raw),
            _ => Box::new(flate2::read::DeflateDecoder::new(&mut raw)),
        };

        let bomb = |reason| Problem::DecompressionBomb {
            name: Some(name.clone()),
            reason,
        };
        let mut hasher = Sha256::new();
        let mut crc = crc32fast::Hasher::new();
        let mut produced: u64 = 0;
        let mut kept: Option<Vec<u8>> = keep_bytes.then(Vec::new);
        let mut too_long_to_keep = false;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match source.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(corrupt(format!("its data cannot be decompressed ({e})"))),
            };
            produced += n as u64;
            self.total_produced += n as u64;
            if produced > declared {
                return Err(bomb(BombReason::LargerThanDeclared { declared }));
            }
            if produced > self.limits.max_entry_bytes {
                return Err(bomb(BombReason::EntryTooLarge {
                    limit: self.limits.max_entry_bytes,
                }));
            }
            if self.total_produced > self.limits.max_total_bytes {
                self.stopped = true;
                return Err(bomb(BombReason::TotalTooLarge {
                    limit: self.limits.max_total_bytes,
                }));
            }
            if self.limits.ratio_exceeded(produced, compressed) {
                return Err(bomb(BombReason::Ratio {
                    compressed,
                    limit: self.limits.max_ratio,
                }));
            }
            let chunk = &buf[..n];
            hasher.update(chunk);
            crc.update(chunk);
            if let Some(k) = kept.as_mut() {
                if k.len() as u64 + n as u64 > self.limits.max_text_bytes {
                    too_long_to_keep = true;
                    kept = None;
                } else {
                    k.extend_from_slice(chunk);
                }
            }
        }
        if produced != declared {
            return Err(corrupt(format!(
                "it holds {produced} bytes but its header declares {declared}"
            )));
        }
        if crc.finalize() != expected_crc {
            return Err(corrupt("its CRC-32 check failed".to_owned()));
        }
        if too_long_to_keep {
            return Err(corrupt(format!(
                "it is larger than the {} bytes Exhibit reads for this file",
                self.limits.max_text_bytes
            )));
        }
        Ok(Seen::Hashed {
            sha256: Digest(hasher.finalize().into()),
            size: produced,
            bytes: kept,
        })
    }

    fn check_sums(&mut self) {
        let listed = match self.present.get(SUMS_PATH) {
            None => {
                self.problem(Problem::SumsMissing);
                return;
            }
            Some(Seen::Unread) => return,
            Some(Seen::Hashed { bytes, .. }) => {
                crate::sums::parse(bytes.as_deref().unwrap_or_default())
            }
        };
        let listed = match listed {
            Ok(l) => l,
            Err(e) => {
                self.problem(Problem::SumsMalformed {
                    line: e.line,
                    detail: e.detail,
                });
                return;
            }
        };
        let mut problems = Vec::new();
        let mut names = BTreeSet::new();
        for (path, expected) in listed {
            match self.present.get(&path) {
                None => problems.push(Problem::MissingFile { path: path.clone() }),
                Some(Seen::Hashed { sha256, .. }) if *sha256 != expected => {
                    problems.push(Problem::HashMismatch {
                        path: path.clone(),
                        expected,
                        actual: *sha256,
                    });
                }
                Some(_) => {}
            }
            names.insert(path);
        }
        for path in self.present.keys() {
            if path != SUMS_PATH && !names.contains(path) {
                problems.push(Problem::ExtraFile { path: path.clone() });
            }
        }
        self.report.problems.extend(problems);
    }

    fn check_manifest(&mut self) -> Option<Manifest> {
        let bytes = match self.present.get(MANIFEST_PATH) {
            None => {
                self.problem(Problem::ManifestMissing);
                return None;
            }
            Some(Seen::Unread) => return None,
            Some(Seen::Hashed { bytes, .. }) => bytes.clone().unwrap_or_default(),
        };
        self.report.manifest_digest = Some(sha256(&bytes));
        let manifest: Manifest = match serde_json::from_slice(&bytes) {
            Ok(m) => m,
            Err(e) => {
                self.problem(Problem::ManifestInvalid {
                    detail: e.to_string(),
                });
                return None;
            }
        };
        if manifest.format != MANIFEST_FORMAT {
            self.problem(Problem::ManifestInvalid {
                detail: format!(
                    "its format is \"{}\", not \"{MANIFEST_FORMAT}\"",
                    display_name(manifest.format.as_bytes())
                ),
            });
            return None;
        }
        for capture in &manifest.captures {
            self.check_listed_file(&capture.record_path, capture.record_sha256, None);
            for a in &capture.artifacts {
                self.check_listed_file(&a.path, a.sha256, Some(a.size));
            }
            for t in &capture.timestamps {
                self.check_listed_file(&t.data_path, t.data_sha256, None);
                self.check_listed_file(&t.token_path, t.token_sha256, None);
            }
        }
        for a in &manifest.attachments {
            self.check_listed_file(&a.path, a.sha256, Some(a.size));
        }
        Some(manifest)
    }

    /// One file the manifest names: it must be a safe path, present, and match.
    fn check_listed_file(&mut self, path: &str, sha256: Digest, size: Option<u64>) {
        let shown = display_name(path.as_bytes());
        if let Err(reason) = check_path(path.as_bytes()) {
            self.problem(Problem::ManifestInvalid {
                detail: format!("it names the unsafe path \"{shown}\" ({reason})"),
            });
            return;
        }
        let problem = match self.present.get(path) {
            None => Some("the manifest lists it, but the bundle does not hold it".to_owned()),
            Some(Seen::Unread) => None,
            Some(Seen::Hashed {
                sha256: actual,
                size: actual_size,
                ..
            }) => {
                if *actual != sha256 {
                    Some(format!(
                        "the manifest gives SHA-256 {sha256}, but the file's is {actual}"
                    ))
                } else if size.is_some_and(|s| s != *actual_size) {
                    Some(format!(
                        "the manifest gives {} bytes, but the file holds {actual_size}",
                        size.unwrap_or_default()
                    ))
                } else {
                    None
                }
            }
        };
        if let Some(detail) = problem {
            self.problem(Problem::ManifestMismatch {
                path: shown,
                detail,
            });
        }
    }

    fn check_custody(&mut self, manifest: Option<&Manifest>) {
        let path = manifest.map_or(CUSTODY_PATH, |m| m.custody.path.as_str());
        let broken = |line, detail: String| Problem::CustodyBroken { line, detail };
        if let Err(reason) = check_path(path.as_bytes()) {
            let shown = display_name(path.as_bytes());
            self.problem(Problem::ManifestInvalid {
                detail: format!("its custody path \"{shown}\" is unsafe ({reason})"),
            });
            return;
        }
        let bytes = match self.present.get(path) {
            None => {
                self.problem(broken(
                    None,
                    format!("the log \"{path}\" is not in the bundle"),
                ));
                return;
            }
            Some(Seen::Unread) => return,
            Some(Seen::Hashed { bytes, .. }) => bytes.as_deref().unwrap_or_default(),
        };
        let (head, result) = check_chain(bytes);
        self.report.custody_head = head;
        if let Err((line, detail)) = result {
            self.problem(broken(line, detail));
            return;
        }
        if let (Some(m), Some(head)) = (manifest, head)
            && (head.seq != m.custody.head_seq || head.hash != m.custody.head_hash)
        {
            self.problem(broken(
                None,
                format!(
                    "it ends at event {} ({}), but the manifest records the head as event {} ({})",
                    head.seq, head.hash, m.custody.head_seq, m.custody.head_hash
                ),
            ));
        }
    }
}

/// Checks a custody log's chain: consecutive `seq` from 1, each `prev_hash` the previous
/// event's hash (zeros for the first), each `hash` recomputed from the event's fields.
/// Returns the last event read, and the first break found.
#[allow(clippy::type_complexity)]
fn check_chain(bytes: &[u8]) -> (Option<CustodyHead>, Result<(), (Option<usize>, String)>) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (None, Err((None, "it is not UTF-8 text".to_owned())));
    };
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return (None, Err((None, "it holds no events".to_owned())));
    }
    let mut events: Vec<CustodyEvent> = Vec::new();
    let mut unreadable = None;
    for (i, line) in body.split('\n').enumerate() {
        match serde_json::from_str(line) {
            Ok(e) => events.push(e),
            Err(e) => {
                unreadable = Some((Some(i + 1), format!("it is not a custody event ({e})")));
                break;
            }
        }
    }
    let head_before = |n: usize| {
        n.checked_sub(1)
            .and_then(|i| events.get(i))
            .map(|e| CustodyHead {
                seq: e.seq,
                hash: e.hash,
            })
    };
    // The first break of the one chain rule (`exhibit_domain::walk_chain`) ends the walk.
    if let Some(b) = exhibit_domain::walk_chain(&events).first() {
        let e = &events[b.index];
        let detail = match b.kind {
            ChainBreak::Missing { from, .. } => format!(
                "the event numbered {} stands where event {from} should",
                e.seq
            ),
            ChainBreak::Unlinked => {
                let expected = head_before(b.index).map_or(GENESIS_HASH, |h| h.hash);
                format!(
                    "event {} does not link to the event before it (prev_hash {}, expected {expected})",
                    e.seq, e.prev_hash
                )
            }
            ChainBreak::Changed => format!(
                "event {}'s hash does not match its contents, so the event was changed",
                e.seq
            ),
        };
        return (head_before(b.index), Err((Some(b.index + 1), detail)));
    }
    let head = head_before(events.len());
    match unreadable {
        Some(err) => (head, Err(err)),
        None => (head, Ok(())),
    }
}
