//! Charset detection and decoding.
//!
//! Order of precedence (see the crate docs):
//! 1. bytes that are valid UTF-8 are UTF-8, whatever the page declares
//!    (Taobao pages say `<meta charset=gbk>` over UTF-8 bytes); so are bytes
//!    that are UTF-8 apart from a cut-off last character or a few damaged
//!    sequences among many valid ones;
//! 2. the `charset` parameter of the HTTP `Content-Type` (except a
//!    `charset=utf-8` that the bytes prove wrong);
//! 3. a byte-order mark;
//! 4. a `<meta charset>` / `http-equiv` declaration in the first bytes;
//! 5. `chardetng`'s guess.
//!
//! Declared `gbk`/`gb2312` (and friends) are decoded as gb18030, which is a
//! superset and does not choke on the icon-font bytes Tmall pages carry.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};
use regex::bytes::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// How many leading bytes are searched for a `<meta charset>` declaration.
/// Rendered-DOM dumps often put hundreds of KB of injected `<script>`s
/// before the page's own `<meta>`, so this is generous.
const META_SCAN: usize = 1024 * 1024;
/// How many leading bytes `chardetng` looks at.
const DETECT_SCAN: usize = 512 * 1024;

/// Decode page bytes to text using the rules above. Returns the text and the
/// encoding's name (e.g. `"UTF-8"`, `"gb18030"`, `"Shift_JIS"`).
///
/// Never panics; undecodable sequences become U+FFFD.
pub fn decode(body: &[u8], content_type: Option<&str>) -> (String, &'static str) {
    let (text, name) = decode_cow(body, content_type);
    (text.into_owned(), name)
}

/// [`decode`], borrowing the body when it is valid UTF-8 already.
pub(crate) fn decode_cow<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
) -> (Cow<'a, str>, &'static str) {
    if let Ok(s) = std::str::from_utf8(body) {
        let s = s.strip_prefix('\u{FEFF}').unwrap_or(s);
        return (Cow::Borrowed(s), UTF_8.name());
    }
    let (text, name) = decode_owned(body, content_type);
    (Cow::Owned(text), name)
}

/// The decoding rules after the plain valid-UTF-8 case.
fn decode_owned(body: &[u8], content_type: Option<&str>) -> (String, &'static str) {
    if utf8_with_rare_damage(body) {
        // A UTF-8 capture cut mid-character or with a few bad bytes is still
        // UTF-8; no legacy encoding produces long runs of valid UTF-8.
        let text = String::from_utf8_lossy(body);
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        return (text.to_owned(), UTF_8.name());
    }
    if let Some(enc) = content_type.and_then(charset_from_content_type) {
        // A header claiming UTF-8 over bytes that are not UTF-8 at all is
        // demonstrably wrong (servers default to it); look further instead
        // of producing guaranteed mojibake.
        if enc != UTF_8 {
            return decode_with(enc, body);
        }
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(body) {
        let rest = body.get(bom_len..).unwrap_or_default();
        let (text, _) = enc.decode_without_bom_handling(rest);
        return (text.into_owned(), enc.name());
    }
    if let Some(enc) = meta_charset(body) {
        return decode_with(enc, body);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(
        body.get(..DETECT_SCAN.min(body.len())).unwrap_or(body),
        true,
    );
    let enc = normalise(det.guess(None, chardetng::Utf8Detection::Allow));
    decode_with(enc, body)
}

/// True when the bytes are UTF-8 apart from a truncated final character or a
/// handful of damaged sequences among many valid multi-byte ones.
fn utf8_with_rare_damage(body: &[u8]) -> bool {
    let non_ascii = body.iter().filter(|b| **b >= 0x80).count();
    let allowed = (non_ascii / 200).max(8);
    let mut invalid = 0usize;
    let mut bad_bytes = 0usize;
    let mut rest = body;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => {
                let Some(len) = e.error_len() else {
                    // Incomplete sequence at the very end.
                    bad_bytes += rest.len() - e.valid_up_to();
                    break;
                };
                invalid += 1;
                bad_bytes += len;
                if invalid > allowed {
                    return false;
                }
                rest = rest.get(e.valid_up_to() + len..).unwrap_or_default();
            }
        }
    }
    non_ascii.saturating_sub(bad_bytes) >= 64 || invalid == 0
}

fn decode_with(enc: &'static Encoding, body: &[u8]) -> (String, &'static str) {
    let (text, _) = enc.decode_without_bom_handling(body);
    (text.into_owned(), enc.name())
}

/// Map a label to an encoding, applying the gbk -> gb18030 rule.
pub(crate) fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
    Encoding::for_label(label.as_bytes()).map(normalise)
}

fn normalise(enc: &'static Encoding) -> &'static Encoding {
    if enc == GBK { GB18030 } else { enc }
}

fn charset_from_content_type(ct: &str) -> Option<&'static Encoding> {
    ct.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            encoding_for_label(v)
        } else {
            None
        }
    })
}

static META_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]{0,512}?\bcharset\s*=\s*["']?\s*([a-z0-9_:.\-]{1,40})"#).ok()
});

fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = body.get(..META_SCAN.min(body.len())).unwrap_or(body);
    let re = META_RE.as_ref()?;
    let caps = re.captures(head)?;
    let label = std::str::from_utf8(caps.get(1)?.as_bytes()).ok()?;
    let enc = encoding_for_label(label)?;
    // A meta tag can't meaningfully declare UTF-16 (the tag itself would not
    // be readable as ASCII); browsers treat that as UTF-8.
    if enc == UTF_16LE || enc == UTF_16BE {
        Some(UTF_8)
    } else {
        Some(enc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_bytes_are_decoded_as_gb18030() {
        let (bytes, _, _) =
            GBK.encode("<html><head><meta charset=gbk></head><body>苹果手机 价格</body></html>");
        let (text, name) = decode(&bytes, Some("text/html"));
        assert_eq!(name, "gb18030");
        assert!(text.contains("苹果手机 价格"));
        let (text, name) = decode(&bytes, Some("text/html; charset=GBK"));
        assert_eq!(name, "gb18030");
        assert!(text.contains("苹果手机"));
    }

    #[test]
    fn utf8_bytes_declared_as_gbk_stay_utf8() {
        let html = "<html><head><meta charset=gbk></head><body>乳白亚克力外壳</body></html>";
        let (text, name) = decode(html.as_bytes(), Some("text/html; charset=gbk"));
        assert_eq!(name, "UTF-8");
        assert!(text.contains("乳白亚克力外壳"));
    }

    #[test]
    fn invalid_bytes_do_not_panic() {
        let junk: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let (_, name) = decode(&junk, None);
        assert!(!name.is_empty());
        let (_, _) = decode(&[0xff, 0xfe, 0x00], Some("text/html; charset=nonsense"));
        let (_, _) = decode(&[0x80, 0x81, 0xfe], Some("text/html; charset=utf-8"));
        // A wrong "charset=utf-8" header over GBK bytes does not win.
        let (bytes, _, _) = GBK.encode("<meta charset=gbk><p>苹果手机 价格 苏宁易购官方旗舰店</p>");
        let (text, name) = decode(&bytes, Some("text/html; charset=UTF-8"));
        assert_eq!(name, "gb18030");
        assert!(text.contains("苏宁易购"));
        let (_, _) = decode(b"<meta charset=\"utf-16\">\xff\xff", None);
        let (text, name) = decode(b"", None);
        assert_eq!((text.as_str(), name), ("", "UTF-8"));
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let page = format!("<meta charset=gbk><p>{}</p>", "乳白亚克力外壳".repeat(20));
        let mut bytes = page.into_bytes();
        bytes.truncate(bytes.len() - 5); // cut inside a character
        let (text, name) = decode(&bytes, None);
        assert_eq!(name, "UTF-8");
        assert!(text.contains("乳白亚克力外壳"));
        bytes.insert(40, 0xff);
        assert_eq!(decode(&bytes, None).1, "UTF-8");
        // Latin-1 text with a few accents is not mistaken for UTF-8.
        let (_, name) = decode(
            b"<p>Caf\xe9 cr\xe8me br\xfbl\xe9e</p>",
            Some("text/html; charset=iso-8859-1"),
        );
        assert_eq!(name, "windows-1252");
    }

    #[test]
    fn bom_and_meta_are_honoured() {
        let (text, name) = decode(b"\xEF\xBB\xBFhello", None);
        assert_eq!((text.as_str(), name), ("hello", "UTF-8"));
        let (bytes, _, _) =
            encoding_rs::SHIFT_JIS.encode("<meta charset=\"Shift_JIS\"><p>防虫香</p>");
        let (text, name) = decode(&bytes, None);
        assert_eq!(name, "Shift_JIS");
        assert!(text.contains("防虫香"));
    }
}
