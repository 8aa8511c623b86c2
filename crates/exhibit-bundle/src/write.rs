//! The writer: files in, one deterministic ZIP out, with each file's bytes streamed from
//! where they live (a case file's blob, a packet on disk) rather than held in memory.
//!
//! Determinism comes from four choices: entries are written sorted by path; every entry
//! gets the same DOS time, permissions `0644`, "made by Unix" and no extra fields; the
//! compression decision depends only on the name and the bytes; and the bytes of an
//! entry are the bytes its source gives, checked against the size and SHA-256 declared
//! when it was added.
//!
//! Memory stays flat however many files a bundle holds: one entry at a time is read,
//! and only a file worth deflating is held, compressed, until its size is known (so its
//! local header carries the real sizes). A stored file streams straight through, and the
//! ZIP writer seeks back to put its CRC into its local header; that is why the output
//! must be seekable, and why the ZIP's own SHA-256 is taken by reading it back once it
//! is complete. `SHA256SUMS` comes first in the ZIP, as its name sorts, because every
//! file's hash is declared before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use exhibit_domain::{CustodyEvent, Digest, sha256};
use sha2::{Digest as _, Sha256};
use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, System, ZipWriter};

use crate::manifest::{Manifest, custody_jsonl};
use crate::path::{check_path, display_name};
use crate::{BundleError, CUSTODY_PATH, Limits, MANIFEST_PATH, SUMS_PATH};

/// Extensions of formats that are already compressed: stored as they are, since deflate
/// would only cost time.
const PRECOMPRESSED: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "heic", "pdf", "zip", "gz", "tgz", "bz2", "xz",
    "zst", "7z", "mp4", "m4v", "mov", "webm", "mp3", "ogg", "woff", "woff2", "docx", "xlsx",
    "pptx", "odt",
];

/// Buffer for copying entries and for hashing the finished ZIP.
const CHUNK: usize = 1 << 20;

/// Opens a reader over one file's bytes, from the first. It may be called twice for one
/// file: again when deflating it turned out not to pay.
type OpenSource<'a> = Box<dyn Fn() -> io::Result<Box<dyn Read + 'a>> + 'a>;

/// Where one entry's bytes come from.
enum Source<'a> {
    Bytes(Vec<u8>),
    Reader(OpenSource<'a>),
}

impl Source<'_> {
    fn open(&self) -> io::Result<Box<dyn Read + '_>> {
        match self {
            Source::Bytes(b) => Ok(Box::new(&b[..])),
            Source::Reader(open) => open(),
        }
    }
}

/// One file waiting to be written: its bytes' source, and the size and hash they must have.
struct Entry<'a> {
    source: Source<'a>,
    size: u64,
    sha256: Digest,
}

/// Collects the files of one bundle, then writes them with [`BundleWriter::finish`].
///
/// `'a` is how long the sources given to [`BundleWriter::add_reader`] may borrow from
/// (a case file, say).
#[derive(Default)]
pub struct BundleWriter<'a> {
    entries: BTreeMap<String, Entry<'a>>,
    /// Lower-cased names and folders already used: a name that differs only in case, or
    /// a file where a folder is (or the reverse), would collide on some file systems.
    lower_files: BTreeSet<String>,
    lower_dirs: BTreeSet<String>,
    total: u64,
    limits: Limits,
}

impl fmt::Debug for BundleWriter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundleWriter")
            .field("files", &self.entries.len())
            .field("bytes", &self.total)
            .finish()
    }
}

/// What [`BundleWriter::finish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleSummary {
    /// Every file in the bundle, `SHA256SUMS` included, sorted by path.
    pub files: Vec<BundleFile>,
    /// SHA-256 of the whole ZIP as written.
    pub zip_sha256: Digest,
    /// Size of the whole ZIP in bytes.
    pub zip_size: u64,
}

/// One file of a written bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    pub path: String,
    pub size: u64,
    pub sha256: Digest,
    /// Whether it was deflated (otherwise stored as is).
    pub deflated: bool,
}

impl<'a> BundleWriter<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one file held in memory. The path must be relative and `/`-separated, in
    /// printable ASCII, with no empty, `.` or `..` segment, no backslash and no colon; it
    /// must not collide with another path, even by letter case alone.
    pub fn add(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), BundleError> {
        let size = bytes.len() as u64;
        let digest = sha256(&bytes);
        self.insert(path, size, digest, Source::Bytes(bytes))
    }

    /// Adds one file read from elsewhere when the bundle is written: `open` gives a
    /// reader over its bytes, which must be `size` bytes with SHA-256 `sha256` (they go
    /// into `SHA256SUMS` before the bytes are read; the writer checks them as they
    /// stream past and fails rather than write a bundle that lies). Path rules as for
    /// [`BundleWriter::add`].
    pub fn add_reader<R: Read + 'a>(
        &mut self,
        path: &str,
        size: u64,
        sha256: Digest,
        open: impl Fn() -> io::Result<R> + 'a,
    ) -> Result<(), BundleError> {
        let open: OpenSource<'a> = Box::new(move || Ok(Box::new(open()?) as Box<dyn Read + 'a>));
        self.insert(path, size, sha256, Source::Reader(open))
    }

    fn insert(
        &mut self,
        path: &str,
        size: u64,
        sha256: Digest,
        source: Source<'a>,
    ) -> Result<(), BundleError> {
        if let Err(reason) = check_path(path.as_bytes()) {
            return Err(BundleError::InvalidPath {
                path: display_name(path.as_bytes()),
                reason,
            });
        }
        if path == SUMS_PATH {
            return Err(BundleError::ReservedPath { path: path.into() });
        }
        if self.entries.contains_key(path) {
            return Err(BundleError::DuplicatePath { path: path.into() });
        }
        let lower = path.to_ascii_lowercase();
        let invalid = |reason| BundleError::InvalidPath {
            path: path.into(),
            reason,
        };
        if self.lower_files.contains(&lower) || lower == SUMS_PATH.to_ascii_lowercase() {
            return Err(invalid(
                "it differs only in letter case from another name in the bundle",
            ));
        }
        if self.lower_dirs.contains(&lower) {
            return Err(invalid("a folder of that name is already in the bundle"));
        }
        let parents = parent_dirs(&lower);
        if parents.iter().any(|d| self.lower_files.contains(*d)) {
            return Err(invalid(
                "one of its folders is already a file in the bundle",
            ));
        }
        if size > self.limits.max_entry_bytes {
            return Err(BundleError::TooLarge {
                detail: format!(
                    "{path} holds {size} bytes, more than the {} a verifier accepts for one file",
                    self.limits.max_entry_bytes
                ),
            });
        }
        // One more for SHA256SUMS.
        if self.entries.len() as u64 + 2 > self.limits.max_entries {
            return Err(BundleError::TooLarge {
                detail: format!("it would hold more than {} files", self.limits.max_entries),
            });
        }
        for d in parents {
            self.lower_dirs.insert(d.to_owned());
        }
        self.lower_files.insert(lower);
        self.total = self.total.saturating_add(size);
        self.entries.insert(
            path.to_owned(),
            Entry {
                source,
                size,
                sha256,
            },
        );
        Ok(())
    }

    /// Adds `manifest.json` and returns its digest, the fingerprint the packet prints.
    pub fn add_manifest(&mut self, manifest: &Manifest) -> Result<Digest, BundleError> {
        let bytes = manifest.to_bytes();
        let digest = sha256(&bytes);
        self.add(MANIFEST_PATH, bytes)?;
        Ok(digest)
    }

    /// Adds `custody.jsonl`, the custody log as JSON Lines in `seq` order.
    pub fn add_custody(&mut self, events: &[CustodyEvent]) -> Result<(), BundleError> {
        self.add(CUSTODY_PATH, custody_jsonl(events))
    }

    /// How many files have been added (not counting `SHA256SUMS`).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds `SHA256SUMS` and writes the ZIP to `out`, from its start, then reads it back
    /// to hash it.
    ///
    /// Every entry carries `mtime` as its modification time (DOS time: UTC fields, two
    /// seconds resolution, clamped to 1980–2107). Two calls with the same entries and
    /// `mtime` write the same bytes. `out` should be empty: the ZIP is written from its
    /// start and nothing after the ZIP is cut off.
    pub fn finish<W: Read + Write + Seek>(
        mut self,
        out: &mut W,
        mtime: DateTime<Utc>,
    ) -> Result<BundleSummary, BundleError> {
        let digests: BTreeMap<String, Digest> = self
            .entries
            .iter()
            .map(|(path, e)| (path.clone(), e.sha256))
            .collect();
        let sums = crate::sums::format(&digests);
        let sums_size = sums.len() as u64;
        let total = self.total.saturating_add(sums_size);
        if total > self.limits.max_total_bytes {
            return Err(BundleError::TooLarge {
                detail: format!(
                    "its files add up to {total} bytes, more than the {} a verifier accepts",
                    self.limits.max_total_bytes
                ),
            });
        }
        self.entries.insert(
            SUMS_PATH.to_owned(),
            Entry {
                sha256: sha256(&sums),
                size: sums_size,
                source: Source::Bytes(sums),
            },
        );
        for path in [SUMS_PATH, MANIFEST_PATH, CUSTODY_PATH] {
            if let Some(e) = self.entries.get(path)
                && e.size > self.limits.max_text_bytes
            {
                return Err(BundleError::TooLarge {
                    detail: format!(
                        "{path} holds {} bytes, more than the {} a verifier reads",
                        e.size, self.limits.max_text_bytes
                    ),
                });
            }
        }

        let time = dos_time(mtime);
        out.seek(SeekFrom::Start(0)).map_err(io_error)?;
        let mut files = Vec::with_capacity(self.entries.len());
        {
            let mut zip = ZipWriter::new(BufWriter::with_capacity(CHUNK, &mut *out));
            for (path, entry) in &self.entries {
                let deflated = write_entry(&mut zip, path, entry, time, &self.limits)?;
                files.push(BundleFile {
                    path: path.clone(),
                    size: entry.size,
                    sha256: entry.sha256,
                    deflated,
                });
            }
            let buffered = zip.finish().map_err(write_error)?;
            buffered
                .into_inner()
                .map_err(|e| io_error(e.into_error()))?;
        }
        let (zip_sha256, zip_size) = hash_from_start(out).map_err(io_error)?;
        Ok(BundleSummary {
            files,
            zip_sha256,
            zip_size,
        })
    }
}

fn write_error(source: zip::result::ZipError) -> BundleError {
    BundleError::Write { source }
}

fn io_error(e: io::Error) -> BundleError {
    write_error(zip::result::ZipError::Io(e))
}

/// The folders above a path: `a/b/c` gives `a` and `a/b`.
fn parent_dirs(path: &str) -> Vec<&str> {
    path.match_indices('/').map(|(i, _)| &path[..i]).collect()
}

/// Writes one entry: deflated when that is worth it, or stored when it is already
/// compressed, when deflate does not make it smaller, or when its ratio would trip the
/// verifier's bomb check. Returns whether it was deflated.
fn write_entry<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    path: &str,
    entry: &Entry<'_>,
    time: zip::DateTime,
    limits: &Limits,
) -> Result<bool, BundleError> {
    let base = SimpleFileOptions::default()
        .last_modified_time(time)
        .unix_permissions(0o644)
        .system(System::Unix)
        .large_file(false);
    if entry.size > 0 && !is_precompressed(path) {
        let mut builder =
            ZipFileBuilder::new(path, base.compression_method(CompressionMethod::Deflated))
                .map_err(write_error)?;
        copy_checked(path, entry, &mut builder)?;
        let prepared = builder.finish().map_err(write_error)?;
        let compressed = prepared.compressed_size();
        if compressed < entry.size && !limits.ratio_exceeded(entry.size, compressed) {
            zip.add_prepared_file(prepared).map_err(write_error)?;
            return Ok(true);
        }
    }
    zip.start_file(path, base.compression_method(CompressionMethod::Stored))
        .map_err(write_error)?;
    copy_checked(path, entry, zip)?;
    Ok(false)
}

/// Copies an entry's bytes from its source into `out`, checking them against the size
/// and SHA-256 it was added with.
fn copy_checked(path: &str, entry: &Entry<'_>, out: &mut dyn Write) -> Result<(), BundleError> {
    let changed = |detail: String| BundleError::SourceChanged {
        path: path.to_owned(),
        detail,
        source: None,
    };
    let unreadable = |e: io::Error| BundleError::SourceChanged {
        path: path.to_owned(),
        detail: format!("could not be read ({e})"),
        source: Some(e),
    };
    let mut reader = entry.source.open().map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![
        0u8;
        CHUNK
            .min(usize::try_from(entry.size).unwrap_or(CHUNK))
            .max(1)
    ];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(unreadable(e)),
        };
        size += n as u64;
        if size > entry.size {
            return Err(changed(format!("holds more than {} bytes", entry.size)));
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(io_error)?;
    }
    if size != entry.size {
        return Err(changed(format!(
            "holds {size} bytes, not the {} it was added with",
            entry.size
        )));
    }
    if Digest(hasher.finalize().into()) != entry.sha256 {
        return Err(changed(
            "does not have the SHA-256 it was added with".to_owned(),
        ));
    }
    Ok(())
}

/// SHA-256 and length of everything in `out` from its start.
fn hash_from_start<R: Read + Seek>(out: &mut R) -> io::Result<(Digest, u64)> {
    out.seek(SeekFrom::Start(0))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match out.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((Digest(hasher.finalize().into()), size))
}

fn is_precompressed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => PRECOMPRESSED
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known)),
        None => false,
    }
}

/// The DOS date and time of `t`'s UTC fields, clamped to the range DOS time can hold.
fn dos_time(t: DateTime<Utc>) -> zip::DateTime {
    if t.year() < 1980 {
        return zip::DateTime::default();
    }
    let (year, month, day, hour, minute, second) = if t.year() > 2107 {
        (2107, 12, 31, 23, 59, 58)
    } else {
        (
            t.year() as u16,
            t.month() as u8,
            t.day() as u8,
            t.hour() as u8,
            t.minute() as u8,
            t.second() as u8,
        )
    };
    zip::DateTime::from_date_and_time(year, month, day, hour, minute, second).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dos_time_clamps_and_keeps_utc_fields() {
        let early = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single();
        let late = Utc.with_ymd_and_hms(2200, 6, 1, 0, 0, 0).single();
        let now = Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).single();
        let (Some(early), Some(late), Some(now)) = (early, late, now) else {
            panic!("test dates are valid");
        };
        assert_eq!(dos_time(early), zip::DateTime::default());
        assert_eq!(dos_time(late).year(), 2107);
        let t = dos_time(now);
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2026, 3, 4, 5, 6, 6)
        );
    }

    #[test]
    fn refuses_names_that_would_collide_or_escape() {
        let mut w = BundleWriter::new();
        assert!(w.add("a/b.txt", vec![1]).is_ok());
        let codes: Vec<&str> = [
            "a/b.txt",
            "A/B.TXT",
            "a",
            "a/b.txt/c",
            "../x",
            "/x",
            "C:\\x",
            "SHA256SUMS",
            "sha256sums",
        ]
        .iter()
        .map(|p| w.add(p, vec![]).map_or_else(|e| e.code(), |()| "ok"))
        .collect();
        assert_eq!(
            codes,
            [
                "duplicate_path",
                "invalid_path",
                "invalid_path",
                "invalid_path",
                "invalid_path",
                "invalid_path",
                "invalid_path",
                "reserved_path",
                "invalid_path"
            ]
        );
    }

    #[test]
    fn compression_follows_the_kind_of_file() {
        assert!(is_precompressed("captures/1/screenshot.PNG"));
        assert!(is_precompressed("packet.pdf"));
        assert!(!is_precompressed("captures/1/body.html"));
        assert!(!is_precompressed("png"));
    }
}
