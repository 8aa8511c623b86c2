//! The writer: entries in memory in, one deterministic ZIP out.
//!
//! Determinism comes from four choices: entries are written sorted by path; every entry
//! gets the same DOS time, permissions `0644`, "made by Unix" and no extra fields; the
//! compression decision depends only on the name and the bytes; and each entry is
//! compressed in memory before it is written, so sizes and CRC sit in the local header and
//! no data descriptor or seek-back patching is needed. That last point also lets the
//! writer hash the ZIP as it streams out, without reading it back.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Seek, SeekFrom, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use exhibit_domain::{CustodyEvent, Digest, sha256};
use sha2::{Digest as _, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, PreparedZipFile, System, ZipWriter};

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

/// Collects the files of one bundle, then writes them with [`BundleWriter::finish`].
#[derive(Debug, Default)]
pub struct BundleWriter {
    entries: BTreeMap<String, Vec<u8>>,
    /// Lower-cased names and folders already used: a name that differs only in case, or
    /// a file where a folder is (or the reverse), would collide on some file systems.
    lower_files: BTreeSet<String>,
    lower_dirs: BTreeSet<String>,
    limits: Limits,
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

impl BundleWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one file. The path must be relative and `/`-separated, in printable ASCII,
    /// with no empty, `.` or `..` segment, no backslash and no colon; it must not collide
    /// with another path, even by letter case alone.
    pub fn add(&mut self, path: &str, bytes: Vec<u8>) -> Result<(), BundleError> {
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
        if bytes.len() as u64 > self.limits.max_entry_bytes {
            return Err(BundleError::TooLarge {
                detail: format!(
                    "{path} holds {} bytes, more than the {} a verifier accepts for one file",
                    bytes.len(),
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
        self.entries.insert(path.to_owned(), bytes);
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

    /// Adds `SHA256SUMS` and writes the ZIP to `out`, from its current position.
    ///
    /// Every entry carries `mtime` as its modification time (DOS time: UTC fields, two
    /// seconds resolution, clamped to 1980–2107). Two calls with the same entries and
    /// `mtime` write the same bytes. `out` is written front to back and never seeked, so
    /// a pipe works as well as a file.
    pub fn finish<W: Write>(
        mut self,
        out: &mut W,
        mtime: DateTime<Utc>,
    ) -> Result<BundleSummary, BundleError> {
        let digests: BTreeMap<String, Digest> = self
            .entries
            .iter()
            .map(|(path, bytes)| (path.clone(), sha256(bytes)))
            .collect();
        let sums = crate::sums::format(&digests);
        let sums_digest = sha256(&sums);
        self.entries.insert(SUMS_PATH.to_owned(), sums);

        let total: u64 = self.entries.values().map(|b| b.len() as u64).sum();
        if total > self.limits.max_total_bytes {
            return Err(BundleError::TooLarge {
                detail: format!(
                    "its files add up to {total} bytes, more than the {} a verifier accepts",
                    self.limits.max_total_bytes
                ),
            });
        }
        for path in [SUMS_PATH, MANIFEST_PATH, CUSTODY_PATH] {
            if let Some(bytes) = self.entries.get(path)
                && bytes.len() as u64 > self.limits.max_text_bytes
            {
                return Err(BundleError::TooLarge {
                    detail: format!(
                        "{path} holds {} bytes, more than the {} a verifier reads",
                        bytes.len(),
                        self.limits.max_text_bytes
                    ),
                });
            }
        }

        let time = dos_time(mtime);
        let mut sink = HashingWriter::new(out);
        let mut files = Vec::with_capacity(self.entries.len());
        {
            let mut zip = ZipWriter::new(&mut sink);
            for (path, bytes) in &self.entries {
                let (prepared, deflated) = prepare(path, bytes, time, &self.limits)?;
                zip.add_prepared_file(prepared).map_err(write_error)?;
                let sha256 = match digests.get(path) {
                    Some(d) => *d,
                    None => sums_digest,
                };
                files.push(BundleFile {
                    path: path.clone(),
                    size: bytes.len() as u64,
                    sha256,
                    deflated,
                });
            }
            zip.finish().map_err(write_error)?;
        }
        sink.flush().map_err(|e| write_error(e.into()))?;
        let (zip_sha256, zip_size) = sink.result();
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

/// The folders above a path: `a/b/c` gives `a` and `a/b`.
fn parent_dirs(path: &str) -> Vec<&str> {
    path.match_indices('/').map(|(i, _)| &path[..i]).collect()
}

/// Compresses one entry, or stores it when it is already compressed, when deflate does
/// not make it smaller, or when its ratio would trip the verifier's bomb check.
fn prepare(
    path: &str,
    bytes: &[u8],
    time: zip::DateTime,
    limits: &Limits,
) -> Result<(PreparedZipFile, bool), BundleError> {
    let base = SimpleFileOptions::default()
        .last_modified_time(time)
        .unix_permissions(0o644)
        .system(System::Unix)
        .large_file(false);
    let stored = || {
        PreparedZipFile::from_data(
            path,
            base.compression_method(CompressionMethod::Stored),
            bytes,
        )
        .map_err(write_error)
    };
    if bytes.is_empty() || is_precompressed(path) {
        return Ok((stored()?, false));
    }
    let deflated = PreparedZipFile::from_data(
        path,
        base.compression_method(CompressionMethod::Deflated),
        bytes,
    )
    .map_err(write_error)?;
    let size = bytes.len() as u64;
    if deflated.compressed_size() >= size || limits.ratio_exceeded(size, deflated.compressed_size())
    {
        return Ok((stored()?, false));
    }
    Ok((deflated, true))
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

/// Passes writes through and hashes them. The ZIP writer asks where it is (a seek that
/// goes nowhere); any real seek is refused, which cannot happen because every entry is
/// prepared in memory and smaller than 4 GiB.
struct HashingWriter<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    written: u64,
}

impl<'a, W: Write> HashingWriter<'a, W> {
    fn new(inner: &'a mut W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            written: 0,
        }
    }

    fn result(self) -> (Digest, u64) {
        (Digest(self.hasher.finalize().into()), self.written)
    }
}

impl<W: Write> Write for HashingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Seek for HashingWriter<'_, W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match pos {
            SeekFrom::Current(0) | SeekFrom::End(0) => Ok(self.written),
            SeekFrom::Start(x) if x == self.written => Ok(self.written),
            _ => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the bundle writer only appends",
            )),
        }
    }
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
