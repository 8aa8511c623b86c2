//! # exhibit-zipguard
//!
//! The rules for a ZIP file from outside that both of Exhibit's ZIP readers apply: the
//! evidence bundle verifier (`exhibit-bundle`) and the WACZ reader (`exhibit-warc`). One
//! rule in one place, so the two cannot drift; where their policies differ it is said
//! here, by [`Names`]:
//!
//! - [`name_problem`]: which entry names are refused (climbing out with `..`, absolute
//!   and drive paths, backslashes, control characters, empty or `.` segments), and, for
//!   a bundle only, anything outside printable ASCII, a colon, or more than
//!   [`MAX_BUNDLE_NAME_BYTES`] (a bundle's names must read the same in `SHA256SUMS`
//!   and extract to the same place everywhere; a web archive's names are UTF-8 text);
//! - [`entry_type`]: file, folder, symbolic link or device, from the external attributes;
//! - [`ratio_exceeded`]: the decompression-bomb rule, past a floor of bytes produced;
//! - [`declared_entry_count`]: the largest entry count any end-of-central-directory
//!   record declares, read before the `zip` crate parses the directory.
//!
//! No panics on any input; no allocation beyond the 64 KiB tail it reads.

use std::io::{self, Read, Seek, SeekFrom};

/// The longest entry name a bundle accepts, in bytes.
pub const MAX_BUNDLE_NAME_BYTES: usize = 1024;

/// Whose names: the two policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// An evidence bundle's: printable ASCII only, no colon, at most
    /// [`MAX_BUNDLE_NAME_BYTES`]; what Exhibit's bundle writer produces.
    Bundle,
    /// A web archive's (WACZ): any UTF-8 text without control characters.
    Archive,
}

/// Why an entry name (the raw bytes of the ZIP's directory) is refused under `policy`,
/// as a clause that completes "The name … is refused: "; `None` when it is accepted.
/// One trailing `/` (a folder entry) is allowed.
pub fn name_problem(raw: &[u8], policy: Names) -> Option<&'static str> {
    let path = raw.strip_suffix(b"/").unwrap_or(raw);
    if path.is_empty() {
        return Some("it is empty");
    }
    if policy == Names::Bundle && path.len() > MAX_BUNDLE_NAME_BYTES {
        return Some("it is longer than 1,024 bytes");
    }
    let text = match std::str::from_utf8(path) {
        Ok(t) => t,
        Err(_) if policy == Names::Archive => return Some("it is not UTF-8 text"),
        Err(_) => "",
    };
    if path.iter().any(|&b| b < 0x20 || b == 0x7f) || text.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    if policy == Names::Bundle && path.iter().any(|&b| b >= 0x80) {
        return Some("it contains characters outside printable ASCII");
    }
    if path.starts_with(b"/") {
        return Some("it is an absolute path");
    }
    if path.contains(&b'\\') {
        return Some("it contains a backslash, which Windows reads as a folder separator");
    }
    if path.len() >= 2 && path[0].is_ascii_alphabetic() && path[1] == b':' {
        return Some("it starts with a drive letter");
    }
    if policy == Names::Bundle && path.contains(&b':') {
        return Some("it contains a colon, which Windows reads as a drive letter or a stream name");
    }
    for segment in path.split(|&b| b == b'/') {
        match segment {
            b"" => return Some("it has an empty segment (a doubled /)"),
            b"." => return Some("it has a '.' segment"),
            b".." => return Some("it climbs out of its folder with '..'"),
            _ => {}
        }
    }
    None
}

/// What an entry is, by the Unix mode in its external attributes (and the DOS folder
/// bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    File,
    Folder,
    SymbolicLink,
    /// A device, pipe or socket.
    Special,
}

const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFLNK: u32 = 0o120_000;
const DOS_DIRECTORY: u32 = 0x10;

/// The entry's type from its external attributes. A name ending in `/` is a folder
/// whatever the bits say, unless they say link or device.
pub fn entry_type(external_attributes: u32, name_ends_with_slash: bool) -> EntryType {
    match (external_attributes >> 16) & S_IFMT {
        S_IFLNK => EntryType::SymbolicLink,
        0 | S_IFREG | S_IFDIR => {
            let dir_bits = (external_attributes >> 16) & S_IFMT == S_IFDIR
                || external_attributes & DOS_DIRECTORY != 0;
            if name_ends_with_slash || dir_bits {
                EntryType::Folder
            } else {
                EntryType::File
            }
        }
        _ => EntryType::Special,
    }
}

impl EntryType {
    /// Why an entry of this type is refused, as a clause; `None` for files and folders.
    pub fn refused(self) -> Option<&'static str> {
        match self {
            EntryType::File | EntryType::Folder => None,
            EntryType::SymbolicLink => Some("a symbolic link"),
            EntryType::Special => Some("a device, pipe or socket"),
        }
    }
}

/// Whether `produced` bytes expanded from `compressed` is past `max_ratio`, counted only
/// once more than `floor` bytes were produced (small entries compress well honestly).
pub fn ratio_exceeded(produced: u64, compressed: u64, max_ratio: u64, floor: u64) -> bool {
    produced > floor && produced > compressed.saturating_mul(max_ratio)
}

/// What the end of a ZIP declares about its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclaredCount {
    /// The largest entry count declared.
    Found(u64),
    /// No end-of-directory record: not a ZIP, or truncated.
    NoDirectory,
    /// A ZIP64 locator points somewhere that holds no ZIP64 record.
    Misplaced64,
}

/// Finds every end-of-central-directory record in the last 64 KiB (where a ZIP reader
/// looks for one) and returns the largest entry count any of them, or the ZIP64 record
/// it points to, declares. Taking the largest means the `zip` crate, whichever record it
/// settles on, never parses more entries than a limit checked against this allows. The
/// reader is left at the start.
pub fn declared_entry_count<R: Read + Seek>(r: &mut R, len: u64) -> io::Result<DeclaredCount> {
    const EOCD: &[u8; 4] = b"PK\x05\x06";
    const EOCD_LEN: usize = 22;
    const LOCATOR: &[u8; 4] = b"PK\x06\x07";
    const LOCATOR_LEN: usize = 20;
    const EOCD64: &[u8; 4] = b"PK\x06\x06";
    let tail_len = len.min((EOCD_LEN + usize::from(u16::MAX) + LOCATOR_LEN) as u64);
    r.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0u8; tail_len as usize];
    r.read_exact(&mut tail)?;

    let u16_at = |b: &[u8], i: usize| u64::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let mut found = None;
    for p in (0..tail.len().saturating_sub(EOCD_LEN - 1)).rev() {
        if &tail[p..p + 4] != EOCD {
            continue;
        }
        let mut count = u16_at(&tail, p + 8).max(u16_at(&tail, p + 10));
        if p >= LOCATOR_LEN && &tail[p - LOCATOR_LEN..p - LOCATOR_LEN + 4] == LOCATOR {
            let at = p - LOCATOR_LEN + 8;
            let mut offset = [0u8; 8];
            offset.copy_from_slice(&tail[at..at + 8]);
            let offset = u64::from_le_bytes(offset);
            let mut record = [0u8; 40];
            let readable = offset
                .checked_add(record.len() as u64)
                .is_some_and(|end| end <= len);
            if !readable {
                r.seek(SeekFrom::Start(0))?;
                return Ok(DeclaredCount::Misplaced64);
            }
            r.seek(SeekFrom::Start(offset))?;
            r.read_exact(&mut record)?;
            if &record[..4] != EOCD64 {
                r.seek(SeekFrom::Start(0))?;
                return Ok(DeclaredCount::Misplaced64);
            }
            let mut on_disk = [0u8; 8];
            on_disk.copy_from_slice(&record[24..32]);
            let mut total = [0u8; 8];
            total.copy_from_slice(&record[32..40]);
            count = count
                .max(u64::from_le_bytes(on_disk))
                .max(u64::from_le_bytes(total));
        }
        found = Some(found.map_or(count, |c: u64| c.max(count)));
    }
    r.seek(SeekFrom::Start(0))?;
    Ok(match found {
        Some(n) => DeclaredCount::Found(n),
        None => DeclaredCount::NoDirectory,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn names_that_escape_are_refused_under_both_policies() {
        for bad in [
            &b"../x"[..],
            b"a/../../x",
            b"/etc/passwd",
            b"C:x",
            b"a\\b",
            b"a//b",
            b"a\nb",
            b"a\x1b[2Jb",
            b"",
            b"/",
            b"./a",
        ] {
            for policy in [Names::Bundle, Names::Archive] {
                assert!(name_problem(bad, policy).is_some(), "{bad:?} {policy:?}");
            }
        }
        for ok in [
            &b"archive/data.warc.gz"[..],
            b"pages/pages.jsonl",
            b"archive/",
        ] {
            for policy in [Names::Bundle, Names::Archive] {
                assert_eq!(name_problem(ok, policy), None, "{ok:?} {policy:?}");
            }
        }
    }

    #[test]
    fn the_policies_differ_only_where_said() {
        let cases: [(&[u8], Option<&str>, Option<&str>); 5] = [
            ("日本.txt".as_bytes(), Some("outside printable ASCII"), None),
            (b"ab:c", Some("colon"), None),
            (
                b"\xff\xfe",
                Some("outside printable ASCII"),
                Some("not UTF-8"),
            ),
            (&[b'a'; 1025], Some("longer than 1,024"), None),
            (
                "a\u{85}b".as_bytes(),
                Some("control character"),
                Some("control character"),
            ),
        ];
        for (name, bundle, archive) in cases {
            let got = |p| name_problem(name, p);
            assert!(
                match bundle {
                    Some(s) => got(Names::Bundle).is_some_and(|r| r.contains(s)),
                    None => got(Names::Bundle).is_none(),
                },
                "bundle {name:?}: {:?}",
                got(Names::Bundle)
            );
            assert!(
                match archive {
                    Some(s) => got(Names::Archive).is_some_and(|r| r.contains(s)),
                    None => got(Names::Archive).is_none(),
                },
                "archive {name:?}: {:?}",
                got(Names::Archive)
            );
        }
    }

    #[test]
    fn entry_types_come_from_the_mode_bits() {
        assert_eq!(entry_type(0o100_644 << 16, false), EntryType::File);
        assert_eq!(entry_type(0, false), EntryType::File);
        assert_eq!(entry_type(0, true), EntryType::Folder);
        assert_eq!(entry_type(0o040_755 << 16, false), EntryType::Folder);
        assert_eq!(entry_type(0x10, false), EntryType::Folder);
        assert_eq!(entry_type(0o120_777 << 16, true), EntryType::SymbolicLink);
        assert_eq!(entry_type(0o020_644 << 16, false), EntryType::Special);
        assert_eq!(EntryType::SymbolicLink.refused(), Some("a symbolic link"));
        assert_eq!(EntryType::Folder.refused(), None);
    }

    #[test]
    fn the_ratio_counts_past_its_floor() {
        assert!(!ratio_exceeded(1000, 1, 200, 1 << 20));
        assert!(ratio_exceeded((1 << 20) + 1, 1, 200, 1 << 20));
        assert!(!ratio_exceeded(2 << 20, 1 << 20, 200, 1 << 20));
        assert!(!ratio_exceeded(u64::MAX, u64::MAX, u64::MAX, 0));
    }

    fn eocd(entries: u16) -> Vec<u8> {
        let mut v = b"PK\x05\x06".to_vec();
        v.extend([0, 0, 0, 0]);
        v.extend(entries.to_le_bytes());
        v.extend(entries.to_le_bytes());
        v.extend([0u8; 10]);
        v
    }

    #[test]
    fn finds_the_largest_declared_count() {
        let mut zip = vec![0u8; 100];
        zip.extend(eocd(3));
        zip.extend(eocd(9));
        let len = zip.len() as u64;
        let got = declared_entry_count(&mut Cursor::new(zip), len).ok();
        assert_eq!(got, Some(DeclaredCount::Found(9)));
        let none = declared_entry_count(&mut Cursor::new(vec![0u8; 64]), 64).ok();
        assert_eq!(none, Some(DeclaredCount::NoDirectory));
    }

    #[test]
    fn a_locator_pointing_nowhere_is_misplaced() {
        let mut zip = vec![0u8; 10];
        let mut locator = b"PK\x06\x07".to_vec();
        locator.extend([0u8; 4]);
        locator.extend(u64::MAX.to_le_bytes());
        locator.extend([0u8; 4]);
        zip.extend(locator);
        zip.extend(eocd(1));
        let len = zip.len() as u64;
        let got = declared_entry_count(&mut Cursor::new(zip), len).ok();
        assert_eq!(got, Some(DeclaredCount::Misplaced64));
    }

    #[test]
    fn reads_the_zip64_count_through_the_locator() {
        let mut bytes = Vec::new();
        let mut record = b"PK\x06\x06".to_vec();
        record.extend_from_slice(&44u64.to_le_bytes());
        record.extend_from_slice(&[0; 12]);
        record.extend_from_slice(&5_000_000u64.to_le_bytes());
        record.extend_from_slice(&5_000_000u64.to_le_bytes());
        record.extend_from_slice(&[0; 16]);
        bytes.extend(&record);
        let mut locator = b"PK\x06\x07".to_vec();
        locator.extend_from_slice(&[0; 4]);
        locator.extend_from_slice(&0u64.to_le_bytes());
        locator.extend_from_slice(&1u32.to_le_bytes());
        bytes.extend(locator);
        bytes.extend(eocd(0xffff));
        let n = bytes.len() as u64;
        assert_eq!(
            declared_entry_count(&mut Cursor::new(&bytes), n).ok(),
            Some(DeclaredCount::Found(5_000_000))
        );
        // The same locator pointing past the record's signature.
        let mut moved = vec![0u8; 3];
        moved.extend(&bytes);
        let n = moved.len() as u64;
        assert_eq!(
            declared_entry_count(&mut Cursor::new(&moved), n).ok(),
            Some(DeclaredCount::Misplaced64)
        );
    }
}
