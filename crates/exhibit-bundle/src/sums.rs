//! `SHA256SUMS`: the file list in the exact format `sha256sum -c` reads.
//!
//! One line per file, sorted by path: 64 lower-case hex digits, two spaces, the path, a
//! line feed. Paths follow [`crate::path::check_path`], so no line ever needs the
//! backslash escaping GNU `sha256sum` uses for odd names.

use std::collections::BTreeMap;

use exhibit_domain::Digest;

use crate::path::check_path;

/// Formats the list. A `BTreeMap` keeps it sorted by path (byte order).
pub(crate) fn format(files: &BTreeMap<String, Digest>) -> Vec<u8> {
    let mut out = Vec::with_capacity(files.len() * 100);
    for (path, digest) in files {
        out.extend_from_slice(digest.to_hex().as_bytes());
        out.extend_from_slice(b"  ");
        out.extend_from_slice(path.as_bytes());
        out.push(b'\n');
    }
    out
}

/// Why a `SHA256SUMS` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SumsError {
    /// The 1-based line, when the fault is on one line.
    pub line: Option<usize>,
    pub detail: String,
}

/// Parses a `SHA256SUMS` strictly: every line must be well formed, every path safe and
/// listed once. The text mode `  ` and binary mode ` *` separators are both accepted, as
/// `sha256sum -c` accepts both.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<(String, Digest)>, SumsError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SumsError {
        line: None,
        detail: "it is not text".into(),
    })?;
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Err(SumsError {
            line: None,
            detail: "it lists no files".into(),
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let n = i + 1;
        let bad = |detail: String| SumsError {
            line: Some(n),
            detail,
        };
        let (hex, rest) = line
            .split_at_checked(64)
            .ok_or_else(|| bad("it is too short to hold a SHA-256 and a name".into()))?;
        let digest = Digest::from_hex(hex)
            .ok_or_else(|| bad("it does not start with 64 hex digits".into()))?;
        let path = rest
            .strip_prefix("  ")
            .or_else(|| rest.strip_prefix(" *"))
            .ok_or_else(|| bad("the hash is not followed by two spaces".into()))?;
        if let Err(reason) = check_path(path.as_bytes()) {
            return Err(bad(format!(
                "the name {} is refused: {reason}",
                crate::path::display_name(path.as_bytes())
            )));
        }
        if path == crate::SUMS_PATH {
            return Err(bad("it lists SHA256SUMS itself".into()));
        }
        if !seen.insert(path) {
            return Err(bad(format!("it lists {path} a second time")));
        }
        out.push((path.to_owned(), digest));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use exhibit_domain::sha256;

    #[test]
    fn round_trips_and_sorts() {
        let mut files = BTreeMap::new();
        files.insert("b.txt".to_owned(), sha256(b"b"));
        files.insert("a/c.txt".to_owned(), sha256(b"c"));
        let text = format(&files);
        let s = String::from_utf8(text.clone()).unwrap_or_default();
        assert!(s.starts_with(&format!("{}  a/c.txt\n", sha256(b"c"))));
        assert_eq!(
            parse(&text),
            Ok(vec![
                ("a/c.txt".to_owned(), sha256(b"c")),
                ("b.txt".to_owned(), sha256(b"b"))
            ])
        );
    }

    #[test]
    fn refuses_malformed_lines() {
        let h = sha256(b"x").to_hex();
        for bad in [
            String::new(),
            "\n".to_owned(),
            format!("{h} a.txt\n"),
            format!("{h}  ../a.txt\n"),
            format!("{h}  /etc/passwd\n"),
            format!("{h}  a.txt\n{h}  a.txt\n"),
            format!("{h}  a.txt\n\n{h}  b.txt\n"),
            format!("{h}  a.txt\r\n"),
            format!("{h}  SHA256SUMS\n"),
            format!("{}  a.txt\n", &h[..63]),
            format!("\\{h}  a.txt\n"),
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?} passed");
        }
        assert!(parse(format!("{h} *a.txt").as_bytes()).is_ok());
    }
}
