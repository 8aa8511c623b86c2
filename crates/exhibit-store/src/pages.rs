//! Every page of the case file against its HMAC, read straight from disk on every core.
//!
//! SQLCipher 4 ends each page with a 16-byte IV and a 64-byte HMAC-SHA512 over the
//! page's ciphertext, that IV and the page number (4 bytes, little-endian). Page 1
//! starts with the 16-byte salt, which is outside its HMAC. The HMAC key is
//! PBKDF2-HMAC-SHA512 of the page key, salted with the file's salt XOR 0x3a, 2 rounds.
//! With the page size at 4,096 bytes the IV and HMAC fill the reserve exactly, so every
//! byte of every page but the salt is covered: a single flipped bit anywhere fails
//! the page's check (and a changed salt fails the key itself).
//!
//! SQLCipher checks the same HMAC when it reads a page, but only the pages a query
//! touches; its own `PRAGMA cipher_integrity_check` reads every page on one thread.
//! Checking here needs no decryption, splits the file across threads, and reads it
//! sequentially, so the whole file costs about what SHA-512 costs.
//!
//! Frames still in the write-ahead log are pages too: each carries the same HMAC for
//! its page number, and the valid ones (those with the log's current salts) are checked.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use pbkdf2::hmac::{Hmac, Mac};
use sha2::Sha512;
use zeroize::Zeroizing;

/// The per-page reserve of SQLCipher 4's defaults: a 16-byte IV, then a 64-byte HMAC.
const IV_LEN: usize = 16;
const HMAC_LEN: usize = 64;
const RESERVE: usize = IV_LEN + HMAC_LEN;
/// The plain salt at the start of page 1.
const SALT_LEN: usize = 16;
/// How many pages a thread reads at a time.
const PAGES_PER_READ: usize = 256;
/// SQLite's lock byte: the page holding file offset 1 GiB is never written (SQLite
/// keeps it for file locks on systems with mandatory locking), so it has no HMAC.
const PENDING_BYTE: u64 = 0x4000_0000;

/// Where a bad page was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// Page `n` (1-based) of the main file.
    File(u32),
    /// Frame `n` (1-based) of the write-ahead log, holding page `page`.
    Wal { frame: u32, page: u32 },
}

/// What reading every page found.
#[derive(Debug, Default)]
pub(crate) struct PageScan {
    pub pages: u64,
    pub bytes: u64,
    /// Pages whose HMAC does not match, in file order.
    pub damaged: Vec<Place>,
    /// The file's length is not a whole number of pages.
    pub ragged_tail: Option<u64>,
}

/// The keyed HMAC state, computed once and cloned for each page.
#[derive(Clone)]
struct PageMac(Hmac<Sha512>);

impl PageMac {
    fn new(page_key: &[u8; 32], salt: &[u8; 16]) -> PageMac {
        let mut hmac_salt = *salt;
        for b in &mut hmac_salt {
            *b ^= 0x3a;
        }
        let mut hmac_key = Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<Sha512>(page_key, &hmac_salt, 2, &mut *hmac_key);
        // HMAC takes a key of any length; 32 bytes cannot fail.
        let mac = <Hmac<Sha512> as Mac>::new_from_slice(&*hmac_key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        PageMac(mac)
    }

    /// Whether `page` (the whole page as stored) is page `pgno`, unchanged.
    fn check(&self, pgno: u32, page: &[u8]) -> bool {
        let body = if pgno == 1 { &page[SALT_LEN..] } else { page };
        let Some(split) = body.len().checked_sub(HMAC_LEN) else {
            return false;
        };
        let (signed, stored) = body.split_at(split);
        let mut mac = self.0.clone();
        mac.update(signed);
        mac.update(&pgno.to_le_bytes());
        mac.verify_slice(stored).is_ok()
    }
}

/// Checks every page of the case file at `path` (and its write-ahead log, if any).
pub(crate) fn scan(
    path: &Path,
    page_key: &[u8; 32],
    salt: &[u8; 16],
    page_size: usize,
) -> std::io::Result<PageScan> {
    if page_size < SALT_LEN + RESERVE + 1 {
        return Err(std::io::Error::other(format!(
            "a page size of {page_size} bytes cannot hold SQLCipher's reserve"
        )));
    }
    let mac = PageMac::new(page_key, salt);
    let len = std::fs::metadata(path)?.len();
    let whole = len / page_size as u64;
    let mut out = PageScan {
        pages: whole,
        bytes: whole * page_size as u64,
        ragged_tail: (len % page_size as u64 != 0).then_some(len % page_size as u64),
        ..PageScan::default()
    };
    let total = u32::try_from(whole).map_err(|_| std::io::Error::other("file too large"))?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8) as u32;
    // Contiguous ranges keep each thread's reads sequential.
    let per = total.div_ceil(threads.max(1)).max(1);
    let ranges: Vec<(u32, u32)> = (0..threads)
        .map(|t| (1 + t * per, (1 + (t + 1) * per).min(total + 1)))
        .filter(|(a, b)| a < b)
        .collect();
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(from, to)| {
                let mac = mac.clone();
                s.spawn(move || scan_range(path, &mac, page_size, from, to))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a page-check thread stopped")))
            })
            .collect::<Vec<_>>()
    });
    for r in results {
        out.damaged.extend(r?.into_iter().map(Place::File));
    }
    let wal = wal_path(path);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        let (frames, bad) = scan_wal(&wal, &mac, page_size)?;
        out.pages += frames;
        out.bytes += frames * page_size as u64;
        out.damaged.extend(bad);
    }
    Ok(out)
}

/// Pages `from..to` (1-based, end exclusive): the numbers of those that fail.
fn scan_range(
    path: &Path,
    mac: &PageMac,
    page_size: usize,
    from: u32,
    to: u32,
) -> std::io::Result<Vec<u32>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(u64::from(from - 1) * page_size as u64))?;
    let mut buf = vec![0u8; page_size * PAGES_PER_READ];
    let mut bad = Vec::new();
    let lock_page = u32::try_from(PENDING_BYTE / page_size as u64 + 1).unwrap_or(u32::MAX);
    let mut pgno = from;
    while pgno < to {
        let n = ((to - pgno) as usize).min(PAGES_PER_READ);
        let chunk = &mut buf[..n * page_size];
        file.read_exact(chunk)?;
        for page in chunk.chunks_exact(page_size) {
            if pgno != lock_page && !mac.check(pgno, page) {
                bad.push(pgno);
            }
            pgno += 1;
        }
    }
    Ok(bad)
}

fn wal_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

/// The frames of a write-ahead log that SQLite would read: after the 32-byte header,
/// each frame (a 24-byte header with its page number first, then the page as stored)
/// whose salts match the log's and whose running checksum holds; the first that fails
/// ends the log, as it does for SQLite (a frame torn by a crash is not part of the
/// database). Returns how many were checked and those whose page fails its HMAC.
fn scan_wal(wal: &Path, mac: &PageMac, page_size: usize) -> std::io::Result<(u64, Vec<Place>)> {
    const WAL_HEADER: usize = 32;
    const FRAME_HEADER: usize = 24;
    let mut file = File::open(wal)?;
    let mut header = [0u8; WAL_HEADER];
    if file.read_exact(&mut header).is_err() {
        return Ok((0, Vec::new()));
    }
    let big_endian = match u32::from_be_bytes([header[0], header[1], header[2], header[3]]) {
        0x377f_0682 => false,
        0x377f_0683 => true,
        _ => return Ok((0, Vec::new())),
    };
    let mut sum = wal_checksum(big_endian, (0, 0), &header[..24]);
    if sum != (be32(&header[24..]), be32(&header[28..])) {
        return Ok((0, Vec::new()));
    }
    let salts = &header[16..24];
    let mut frame = vec![0u8; FRAME_HEADER + page_size];
    let mut checked = 0u64;
    let mut bad = Vec::new();
    let mut index = 0u32;
    loop {
        match file.read_exact(&mut frame) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e),
        }
        index += 1;
        if &frame[8..16] != salts {
            break;
        }
        sum = wal_checksum(big_endian, sum, &frame[..8]);
        sum = wal_checksum(big_endian, sum, &frame[FRAME_HEADER..]);
        if sum != (be32(&frame[16..]), be32(&frame[20..])) {
            break;
        }
        let page = be32(&frame[..4]);
        checked += 1;
        if page == 0 || !mac.check(page, &frame[FRAME_HEADER..]) {
            bad.push(Place::Wal { frame: index, page });
        }
    }
    Ok((checked, bad))
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// SQLite's write-ahead-log checksum, continued from `(s1, s2)` over `data` (a
/// multiple of 8 bytes), reading words in the byte order the log's magic names.
fn wal_checksum(big_endian: bool, (mut s1, mut s2): (u32, u32), data: &[u8]) -> (u32, u32) {
    for pair in data.chunks_exact(8) {
        let word = |b: &[u8]| {
            let b = [b[0], b[1], b[2], b[3]];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        s1 = s1.wrapping_add(word(&pair[..4])).wrapping_add(s2);
        s2 = s2.wrapping_add(word(&pair[4..])).wrapping_add(s1);
    }
    (s1, s2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with page `n` written with a valid HMAC for it (the rest is a hole).
    fn file_with_page(dir: &Path, mac: &PageMac, pgno: u32) -> PathBuf {
        let path = dir.join(format!("pages-{pgno}"));
        let file = File::create(&path).expect("create");
        let pages = u64::from(pgno) + 1;
        file.set_len(pages * 4096).expect("sparse");
        let mut page = vec![7u8; 4096];
        let mut m = mac.0.clone();
        m.update(&page[..4096 - HMAC_LEN]);
        m.update(&pgno.to_le_bytes());
        page[4096 - HMAC_LEN..].copy_from_slice(&m.finalize().into_bytes());
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        f.seek(SeekFrom::Start(u64::from(pgno - 1) * 4096))
            .expect("seek");
        f.write_all(&page).expect("write");
        path
    }

    #[test]
    fn the_lock_byte_page_is_skipped_and_every_other_page_is_checked() {
        let dir = std::env::temp_dir().join(format!("exhibit-pages-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mac = PageMac::new(&[1u8; 32], &[2u8; 16]);
        let lock_page = (PENDING_BYTE / 4096 + 1) as u32;
        let path = file_with_page(&dir, &mac, lock_page + 1);
        // The page after the lock page is valid; the lock page itself is a hole that
        // SQLite never writes, and is not reported.
        let bad = scan_range(&path, &mac, 4096, lock_page, lock_page + 2).expect("scan");
        assert!(bad.is_empty(), "{bad:?}");
        // The page before it is a hole too, and is damage.
        let bad = scan_range(&path, &mac, 4096, lock_page - 1, lock_page + 2).expect("scan");
        assert_eq!(bad, vec![lock_page - 1]);
        // One flipped bit in the valid page is caught.
        let mut bytes = vec![0u8; 4096];
        {
            let mut f = File::open(&path).expect("open");
            f.seek(SeekFrom::Start(u64::from(lock_page) * 4096))
                .expect("seek");
            f.read_exact(&mut bytes).expect("read");
        }
        assert!(mac.check(lock_page + 1, &bytes));
        bytes[100] ^= 0x10;
        assert!(!mac.check(lock_page + 1, &bytes));
        assert!(
            !mac.check(lock_page + 2, &{
                bytes[100] ^= 0x10;
                bytes
            }),
            "the page number is part of the HMAC"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
