//! Reading ZIP entries from a file that may be built to hurt: the declared entry count
//! is capped before the directory is parsed, names are checked, and every entry is
//! streamed from its raw bytes through this crate's own inflater, counting the bytes
//! actually produced (never the sizes the ZIP declares) against the [`Limits`], and
//! hashing them on the way. Nothing is extracted and nothing is written anywhere.
//!
//! The approach, and the end-of-directory scan, follow `exhibit-bundle`'s verifier.

use std::cell::Cell;
use std::io::{self, BufRead, Read};

use zip::CompressionMethod;
use zip::read::ZipFile;

use crate::record::{Algo, Hasher};
use crate::{Limits, WarcError};

/// Bytes one import may still produce, shared by every reader of that import.
#[derive(Debug)]
pub(crate) struct Budget {
    used: Cell<u64>,
    limit: u64,
    exhausted: Cell<bool>,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Budget {
        Budget {
            used: Cell::new(0),
            limit,
            exhausted: Cell::new(false),
        }
    }

    /// Counts `n` more bytes; false once the limit is passed.
    pub(crate) fn spend(&self, n: u64) -> bool {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > self.limit {
            self.exhausted.set(true);
        }
        !self.exhausted.get()
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    pub(crate) fn limit(&self) -> u64 {
        self.limit
    }
}

/// A reader that charges what passes through it to a [`Budget`] (used for the bytes
/// gzip members of a WARC expand to).
pub(crate) struct Charged<'b, R> {
    pub(crate) inner: R,
    /// `None`: bytes already counted once (a record read again).
    pub(crate) budget: Option<&'b Budget>,
}

impl<R: Read> Read for Charged<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(budget) = self.budget
            && !budget.spend(n as u64)
        {
            return Err(io::Error::other("the import's byte limit was reached"));
        }
        Ok(n)
    }
}

/// What the catalogue knows of one file entry.
#[derive(Debug, Clone)]
pub(crate) struct EntryInfo {
    pub(crate) index: usize,
    pub(crate) name: String,
    pub(crate) method: CompressionMethod,
    pub(crate) size: u64,
    pub(crate) compressed: u64,
    pub(crate) crc: u32,
    /// Where its raw bytes start in the file, once known (for reading a stored entry
    /// again from an offset).
    pub(crate) data_start: Option<u64>,
}

/// What reading an entry to its end found.
#[derive(Debug)]
pub(crate) struct EntryDigest {
    pub(crate) name: String,
    pub(crate) size: u64,
    pub(crate) hash: Vec<u8>,
    /// Whether the bytes match the CRC-32 the ZIP declares. Checked after the hash
    /// (see [`EntryDigest::check_crc`]), so a changed entry is reported as changed.
    crc_ok: bool,
}

impl EntryDigest {
    /// A CRC mismatch in an entry whose hash matched what lists it: the ZIP itself is
    /// damaged.
    pub(crate) fn check_crc(&self) -> Result<(), WarcError> {
        if self.crc_ok {
            Ok(())
        } else {
            Err(WarcError::DamagedEntry {
                entry: crate::error::shown(&self.name),
                detail: "its CRC-32 check failed".to_owned(),
            })
        }
    }
}

/// One entry's bytes as they decompress, checked against the limits and hashed. An
/// error is kept in `failure` (the `io::Error` returned only says "see failure"), so
/// whoever reads through it can report exactly what went wrong.
pub(crate) struct EntryReader<'a> {
    inner: Box<dyn Read + 'a>,
    info: EntryInfo,
    limits: Limits,
    /// Charged for every byte when set.
    budget: Option<&'a Budget>,
    /// The compressed size, capped by the file's length.
    compressed: u64,
    produced: u64,
    hasher: Hasher,
    crc: crc32fast::Hasher,
    pub(crate) failure: Option<WarcError>,
}

impl<'a> EntryReader<'a> {
    pub(crate) fn new<R: Read + 'a>(
        raw: ZipFile<'a, R>,
        info: &EntryInfo,
        limits: &Limits,
        budget: Option<&'a Budget>,
        file_len: u64,
        algo: Algo,
    ) -> EntryReader<'a> {
        EntryReader::from_raw(raw, info, limits, budget, file_len, algo, 0)
    }

    /// An entry read from its raw (compressed) bytes in any reader, whose first byte
    /// is the entry's byte `start` (a stored entry can be entered anywhere; a deflated
    /// one only at 0). The hash and CRC are then of the bytes from `start` only.
    pub(crate) fn from_raw<R: Read + 'a>(
        raw: R,
        info: &EntryInfo,
        limits: &Limits,
        budget: Option<&'a Budget>,
        file_len: u64,
        algo: Algo,
        start: u64,
    ) -> EntryReader<'a> {
        let inner: Box<dyn Read + 'a> = match info.method {
            CompressionMethod::Stored => Box::new(raw),
            _ => Box::new(flate2::read::DeflateDecoder::new(raw)),
        };
        EntryReader {
            inner,
            info: info.clone(),
            limits: *limits,
            budget,
            compressed: info.compressed.min(file_len),
            produced: start,
            hasher: Hasher::new(algo),
            crc: crc32fast::Hasher::new(),
            failure: None,
        }
    }

    fn too_large(&self, detail: String) -> WarcError {
        WarcError::TooLargeToRead {
            entry: Some(self.info.name.clone()),
            detail,
        }
    }

    fn check(&mut self, n: u64) -> Option<WarcError> {
        let produced = self.produced;
        if produced > self.info.size {
            return Some(self.too_large(format!(
                "it expands to more than the {} bytes its ZIP header declares",
                self.info.size
            )));
        }
        if produced > self.limits.max_entry_bytes {
            return Some(self.too_large(format!(
                "it expands to more than {} bytes, the most Exhibit reads from one entry",
                self.limits.max_entry_bytes
            )));
        }
        if let Some(b) = self.budget
            && !b.spend(n)
        {
            return Some(self.too_large(format!(
                "the WACZ expands to more than {} bytes in all, the most Exhibit reads from one file",
                b.limit()
            )));
        }
        if self.info.method != CompressionMethod::Stored
            && self.limits.ratio_exceeded(produced, self.compressed)
        {
            return Some(self.too_large(format!(
                "it expands to more than {} times its {} compressed bytes",
                self.limits.max_ratio, self.compressed
            )));
        }
        None
    }

    /// Reads what is left, then checks the size the ZIP declares (the CRC is left to
    /// [`EntryDigest::check_crc`]).
    pub(crate) fn finish(mut self) -> Result<EntryDigest, WarcError> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match self.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(self
                        .failure
                        .take()
                        .unwrap_or_else(|| WarcError::DamagedEntry {
                            entry: self.info.name.clone(),
                            detail: format!("its data cannot be read ({e})"),
                        }));
                }
            }
        }
        let damaged = |detail: String| WarcError::DamagedEntry {
            entry: self.info.name.clone(),
            detail,
        };
        if self.produced != self.info.size {
            return Err(damaged(format!(
                "it holds {} bytes, but its ZIP header declares {}",
                self.produced, self.info.size
            )));
        }
        Ok(EntryDigest {
            name: self.info.name.clone(),
            size: self.produced,
            crc_ok: self.crc.clone().finalize() == self.info.crc,
            hash: self.hasher.finish(),
        })
    }
}

impl Read for EntryReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failure.is_some() {
            return Err(io::Error::other("the entry could not be read"));
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => {
                self.failure = Some(WarcError::DamagedEntry {
                    entry: self.info.name.clone(),
                    detail: format!("its data cannot be decompressed ({e})"),
                });
                return Err(io::Error::other("the entry could not be read"));
            }
        };
        self.produced += n as u64;
        if let Some(e) = self.check(n as u64) {
            self.failure = Some(e);
            return Err(io::Error::other("the entry could not be read"));
        }
        self.hasher.update(&buf[..n]);
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

/// A buffered reader that knows how many bytes it has handed out, so records can be
/// located by offset, and can look ahead a few bytes to tell gzip from plain WARC.
pub(crate) struct Tracked<R> {
    pub(crate) inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    pos: u64,
}

impl<R: Read> Tracked<R> {
    pub(crate) fn new(inner: R) -> Tracked<R> {
        Tracked::at(inner, 0)
    }

    /// A reader whose first byte is at offset `pos` of the entry.
    pub(crate) fn at(inner: R, pos: u64) -> Tracked<R> {
        Tracked {
            inner,
            buf: vec![0u8; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            pos,
        }
    }

    /// Bytes handed out so far: the offset of the next byte in the entry.
    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    /// At least `n` buffered bytes, fewer only at the end of the data.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.end - self.start < n {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            while self.end < n {
                let got = match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(got) => got,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if got == 0 {
                    break;
                }
                self.end += got;
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    /// Skips CR and LF bytes (the end of the record before, or stray blank lines).
    pub(crate) fn skip_newlines(&mut self) -> io::Result<()> {
        loop {
            let buf = self.fill_buf()?;
            let n = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            let all = n == buf.len() && n > 0;
            self.consume(n);
            if !all {
                return Ok(());
            }
        }
    }

    /// Reads and drops bytes up to the offset `to`.
    pub(crate) fn skip_to(&mut self, to: u64) -> io::Result<()> {
        while self.pos < to {
            let buf = self.fill_buf()?;
            if buf.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the entry ends before the record",
                ));
            }
            let n = buf
                .len()
                .min(usize::try_from(to - self.pos).unwrap_or(usize::MAX));
            self.consume(n);
        }
        Ok(())
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => {
                        self.end = n;
                        break;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.end - self.start);
        self.start += amt;
        self.pos += amt as u64;
    }
}

/// Why an entry name is refused, as a clause (the archive policy of
/// [`exhibit_zipguard::name_problem`]); names are never used as paths here, but a name
/// that could escape a folder marks a file built to harm whoever extracts it.
pub(crate) fn unsafe_name(name: &str) -> Option<&'static str> {
    exhibit_zipguard::name_problem(name.as_bytes(), exhibit_zipguard::Names::Archive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_names_that_escape() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:x",
            "a\\b",
            "a//b",
            "a\nb",
            "",
        ] {
            assert!(unsafe_name(bad).is_some(), "{bad:?}");
        }
        for ok in [
            "archive/data.warc.gz",
            "pages/pages.jsonl",
            "archive/",
            "日本.txt",
        ] {
            assert_eq!(unsafe_name(ok), None, "{ok:?}");
        }
    }

    #[test]
    fn tracked_counts_and_peeks() {
        let data = b"\r\n\r\nabcdef".to_vec();
        let mut t = Tracked::new(&data[..]);
        t.skip_newlines().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.pos(), 4);
        assert_eq!(t.peek(2).unwrap_or_default(), b"abcdef");
        t.skip_to(6).unwrap_or_else(|e| panic!("{e}"));
        let mut rest = String::new();
        t.read_to_string(&mut rest)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rest, "cdef");
        assert_eq!(t.pos(), 10);
    }

    #[test]
    fn budget_stops_at_its_limit() {
        let b = Budget::new(10);
        assert!(b.spend(10));
        assert!(!b.spend(1));
        assert!(b.exhausted());
    }
}
