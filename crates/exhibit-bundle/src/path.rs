//! The one rule for what a file name inside a bundle may look like.
//!
//! The writer refuses any other name, and the verifier reports any other name as
//! `unsafe_path`, so a bundle Exhibit wrote never trips its own verifier. The rule is
//! deliberately narrower than what ZIP allows: names must extract to the same place on
//! Linux, macOS and Windows, and must read the same in `SHA256SUMS` as in the ZIP.

/// The longest name accepted, in bytes.
pub(crate) const MAX_PATH_BYTES: usize = exhibit_zipguard::MAX_BUNDLE_NAME_BYTES;

/// Checks one relative, `/`-separated file name by the bundle policy of
/// [`exhibit_zipguard::name_problem`]; a name that ends with `/` names a folder, never a
/// file. `Err` says why it is refused, as a clause that completes "The name … is
/// refused: ".
pub(crate) fn check_path(path: &[u8]) -> Result<(), &'static str> {
    if path.ends_with(b"/") {
        return Err("it has an empty segment (a trailing /)");
    }
    match exhibit_zipguard::name_problem(path, exhibit_zipguard::Names::Bundle) {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

/// A file name from a hostile bundle, made safe to show: printable ASCII as is, every
/// other byte (and the backslash) escaped.
pub(crate) fn display_name(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len().min(MAX_PATH_BYTES));
    for &b in raw.iter().take(MAX_PATH_BYTES) {
        match b {
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    if raw.len() > MAX_PATH_BYTES {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_relative_names() {
        for ok in [
            "manifest.json",
            "captures/0001/screenshot.png",
            "a b/c-d_e.f",
        ] {
            assert_eq!(check_path(ok.as_bytes()), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_every_unsafe_shape() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a/",
            "C:\\x",
            "C:x",
            "\\\\server\\share",
            "a\\b",
            "a\0b",
            "a\nb",
            "caf\u{e9}",
        ] {
            assert!(check_path(bad.as_bytes()).is_err(), "{bad:?} passed");
        }
        assert!(check_path(&[b'a'; MAX_PATH_BYTES + 1]).is_err());
    }

    #[test]
    fn display_escapes_what_a_terminal_would_act_on() {
        assert_eq!(display_name(b"a\x1b[31m\\b\xff"), "a\\x1b[31m\\\\b\\xff");
    }
}
