//! Text helpers: whitespace normalisation, "shown text" of an element, and the
//! visible text of a whole document.

use ego_tree::NodeRef;
use regex::Regex;
use scraper::node::Element;
use scraper::{ElementRef, Node};
use std::sync::LazyLock;

/// Characters that render as nothing and are dropped by [`normalize`].
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{FEFF}' | '\u{2060}' | '\u{180E}' | '\u{00AD}'
    )
}

/// Trim and collapse runs of Unicode whitespace (NBSP, U+3000, ...) to one
/// ASCII space. Zero-width characters are dropped.
pub(crate) fn normalize(s: &str) -> String {
    let mut n = Normalizer::default();
    n.push(s);
    n.finish()
}

/// [`normalize`] over text that arrives in pieces: the result is the same
/// as normalizing the pieces joined.
#[derive(Default)]
pub(crate) struct Normalizer {
    out: String,
    /// Whitespace seen since the last character kept.
    pending: bool,
}

fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Bytes that can only be part of characters [`normalize`] keeps as they
/// are: ASCII other than whitespace, continuation bytes, and lead bytes of
/// characters that are neither whitespace nor invisible. (All non-ASCII
/// whitespace and invisible characters start with 0xC2, 0xE1, 0xE2, 0xE3 or
/// 0xEF.)
static PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = !matches!(
            b as u8,
            b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF
        );
        b += 1;
    }
    t
};

impl Normalizer {
    /// Append whitespace.
    pub(crate) fn space(&mut self) {
        self.pending = !self.out.is_empty();
    }

    pub(crate) fn push(&mut self, s: &str) {
        let mut rest = s;
        while let Some(&b) = rest.as_bytes().first() {
            // A run that is kept as it is, in one go. It ends before an
            // ASCII byte or a lead byte, so on a char boundary.
            let run = rest
                .bytes()
                .position(|c| !PLAIN[usize::from(c)])
                .unwrap_or(rest.len());
            if run > 0 {
                let (head, tail) = rest.split_at_checked(run).unwrap_or((rest, ""));
                self.keep(head);
                rest = tail;
                continue;
            }
            if is_ascii_space(b) {
                self.space();
                rest = rest.get(1..).unwrap_or_default();
                continue;
            }
            let mut chars = rest.chars();
            let Some(c) = chars.next() else {
                break;
            };
            rest = chars.as_str();
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                self.space();
            } else {
                let mut buf = [0u8; 4];
                self.keep(c.encode_utf8(&mut buf));
            }
        }
    }

    fn keep(&mut self, text: &str) {
        if self.pending {
            self.out.push(' ');
            self.pending = false;
        }
        self.out.push_str(text);
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// `s.to_lowercase()`, with runs of ASCII lowered in bulk.
pub(crate) fn lowercase(s: &str) -> String {
    // Only a capital sigma lowers differently by context; leave that to std.
    if s.contains('\u{3A3}') {
        return s.to_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let run = rest.bytes().position(|b| b >= 0x80).unwrap_or(rest.len());
        let (ascii, tail) = rest.split_at_checked(run).unwrap_or((rest, ""));
        let start = out.len();
        out.push_str(ascii);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_lowercase());
        }
        rest = chars.as_str();
    }
    out
}

/// `normalize`, returning `None` for an empty result.
pub(crate) fn clean(s: &str) -> Option<String> {
    let n = normalize(s);
    (!n.is_empty()).then_some(n)
}

static TAG_RE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"<[/!a-zA-Z][^<>]*>").ok());

/// Text that came from attributes or JSON (not rendered), made safe to
/// present as a shown title: markup-looking sequences are removed.
pub(crate) fn strip_markup(s: &str) -> Option<String> {
    if !s.contains('<') {
        return clean(s);
    }
    let stripped = TAG_RE
        .as_ref()
        .map(|re| re.replace_all(s, " ").into_owned())?;
    clean(&stripped).filter(|t| !t.to_ascii_lowercase().contains("<script"))
}

/// Elements after which a browser starts a new line (or at least a gap).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "option"
            | "button"
            | "label"
            | "select"
            | "textarea"
            | "img"
            | "input"
            | "body"
            | "html"
    )
}

/// Classes that marketplaces use to hide text (or keep it for screen readers
/// only). Text inside them is not part of what the shopper sees.
const HIDDEN_CLASSES: &[&str] = &[
    "g-hdn",
    "aok-hidden",
    "a-offscreen",
    "aok-offscreen",
    "hidden",
    "hide",
    "tb-hidden",
    "display-none",
    "wt-display-none",
    "d-none",
    "is-hidden",
    "invisible",
    "visually-hidden",
    "sr-only",
    "wt-screen-reader-only",
    "screen-reader-only",
    "clipped",
];

/// Inline style hides the element?
pub(crate) fn style_hides(style: &str) -> bool {
    if !style.contains("none") && !style.contains("hidden") {
        return false;
    }
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

/// Is this single element hidden (by tag, attribute, inline style or class)?
pub(crate) fn element_hidden(e: &Element) -> bool {
    if matches!(e.name(), "script" | "style" | "noscript" | "template") {
        return true;
    }
    // One pass over the attributes (no interning of names or classes).
    e.attrs().any(|(k, v)| match k {
        "hidden" => true,
        "style" => style_hides(v),
        "class" => v
            .split_ascii_whitespace()
            .any(|c| HIDDEN_CLASSES.contains(&c)),
        _ => false,
    })
}

/// Is the element or any ancestor hidden?
pub(crate) fn hidden_in_tree(el: ElementRef<'_>) -> bool {
    if element_hidden(el.value()) {
        return true;
    }
    el.ancestors()
        .filter_map(|n| n.value().as_element())
        .any(|e| element_hidden(e) || e.name() == "head" || e.name() == "template")
}

/// The text of an element as the shopper sees it: hidden descendants are
/// skipped, block boundaries become spaces, whitespace is collapsed.
pub(crate) fn shown_text(el: ElementRef<'_>) -> String {
    shown_text_skipping(el, &[])
}

/// Like [`shown_text`], also skipping descendants carrying any of `skip`
/// classes.
pub(crate) fn shown_text_skipping(el: ElementRef<'_>, skip: &[&str]) -> String {
    let mut out = String::new();
    let root: NodeRef<'_, Node> = *el;
    let mut stack: Vec<(NodeRef<'_, Node>, bool)> = Vec::new();
    push_children(root, &mut stack);
    while let Some((node, open)) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if !open {
                    out.push(' ');
                    continue;
                }
                if element_hidden(e)
                    || matches!(e.name(), "svg" | "iframe" | "head" | "title")
                    || (!skip.is_empty()
                        && crate::dom::attr(e, "class")
                            .is_some_and(|v| v.split_ascii_whitespace().any(|c| skip.contains(&c))))
                {
                    continue;
                }
                if is_block(e.name()) {
                    out.push(' ');
                    stack.push((node, false));
                }
                push_children(node, &mut stack);
            }
            _ => {}
        }
    }
    normalize(&out)
}

fn push_children<'a>(node: NodeRef<'a, Node>, stack: &mut Vec<(NodeRef<'a, Node>, bool)>) {
    let mut child = node.last_child();
    while let Some(c) = child {
        stack.push((c, true));
        child = c.prev_sibling();
    }
}

/// Decode the HTML character references that show up inside JSON-LD and
/// script strings (`&amp;`, `&quot;`, `&#39;`, `&#x27;`, ...).
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or_default());
        let tail = rest.get(pos..).unwrap_or_default();
        let end = tail
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = tail.get(1..end)?;
            let ch = if let Some(num) = name.strip_prefix('#') {
                let code =
                    if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                        u32::from_str_radix(hex, 16).ok()?
                    } else {
                        num.parse::<u32>().ok()?
                    };
                char::from_u32(code)?
            } else {
                match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => '\u{a0}',
                    "ndash" => '–',
                    "mdash" => '—',
                    "hellip" => '…',
                    "reg" => '®',
                    "trade" => '™',
                    "copy" => '©',
                    "yen" => '¥',
                    "euro" => '€',
                    "pound" => '£',
                    _ => return None,
                }
            };
            Some((ch, end + 1))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = tail.get(len..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses_unicode_space() {
        assert_eq!(
            normalize("  a\u{a0}\u{a0}b\u{3000}c\n\t d \u{200b}"),
            "a b c d"
        );
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("\u{200b} \n x\u{a0}\u{200b}y\t\x0b"), "x y");
        // Every whitespace or invisible char starts with a byte the fast path
        // leaves to the slow one.
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.is_whitespace() || is_invisible(c) {
                let mut buf = [0u8; 4];
                let lead = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(!PLAIN[usize::from(lead)], "{c:?}");
            }
        }
        assert_eq!(
            normalize("日本\u{3000}語\u{feff} テスト\u{2003}é\u{ad}x"),
            "日本 語 テスト éx"
        );
    }

    #[test]
    fn lowercase_matches_std() {
        for s in [
            "Hello WORLD",
            "ÀÉÎ Straße İstanbul ǅ Ω",
            "ΟΔΥΣΣΕΥΣ and ΣΑ",
            "日本語 ＡＢＣ abc",
            "",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn visible_text_drops_scripts_and_hidden() {
        let t = crate::visible_text(
            "<html><head><title>T</title><style>.x{}</style></head><body><p>Hello<b>World</b></p>\
             <script>var x=1</script><div hidden>secret</div><div style='display: none'>no</div><div>Bye</div></body></html>",
        );
        assert_eq!(t, "HelloWorld Bye");
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &#39;c&#x27; &bogus; &"),
            "a & b 'c' &bogus; &"
        );
    }
}
