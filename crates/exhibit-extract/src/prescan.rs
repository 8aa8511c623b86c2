//! A light pass over the page text before the HTML parser sees it:
//!
//! - the bodies of `<script>` (except JSON-LD) and `<style>` elements are
//!   dropped. Nothing downstream reads them from the tree (scripts are
//!   scanned in the raw text), but on marketplace pages they are a third to a
//!   half of the bytes;
//! - the named character references pages use most (`&quot;`, `&amp;`, ...)
//!   are written as numeric ones, which decode to the same characters but
//!   spare the tokenizer a table lookup per letter (Amazon's JSON-in-attribute
//!   state is full of `&quot;`).
//!
//! The tree built from the result is the same apart from the missing script
//! and style text.
//!
//! The scan follows the HTML tokenizer closely enough to find where those
//! elements really start and end: comments, doctypes and bogus comments,
//! quoted attribute values, raw-text and RCDATA elements (`<textarea>`,
//! `<title>`, `<noscript>`, ...), the escape states of script data, and SVG /
//! MathML content (where `<script>` and `<style>` are not raw text). Whenever
//! the tree builder could disagree with this simple view (`<plaintext>`,
//! framesets, HTML inside foreign content), the rest of the page is passed on
//! untouched. (html5ever follows the current spec, where the content of
//! `<select>` is parsed like any other body content.)

use memchr::{memchr, memchr2, memmem};
use std::borrow::Cow;

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Named references with the numeric form the tokenizer reads faster. Only
/// the exact, semicolon-terminated forms: those decode the same everywhere
/// references are decoded (text and attribute values).
const NUMERIC: &[(&[u8], &str)] = &[
    (b"&quot;", "&#34;"),
    (b"&amp;", "&#38;"),
    (b"&lt;", "&#60;"),
    (b"&gt;", "&#62;"),
    (b"&nbsp;", "&#160;"),
    (b"&apos;", "&#39;"),
];

/// A change to the page text: replace `start..end` with `with`.
struct Edit {
    start: usize,
    end: usize,
    with: &'static str,
}

/// Rewrite the named reference at `at` (a '&' in text or in an attribute
/// value), if it is one of [`NUMERIC`].
fn numeric_ref(b: &[u8], at: usize, edits: &mut Vec<Edit>) {
    let tail = b.get(at..).unwrap_or_default();
    if let Some((named, numeric)) = NUMERIC.iter().find(|(n, _)| tail.starts_with(n)) {
        edits.push(Edit {
            start: at,
            end: at + named.len(),
            with: numeric,
        });
    }
}

/// Byte classes for the tag scanner (and [`crate::tokenize`]'s).
pub(crate) const WS: u8 = 1;
pub(crate) const SLASH: u8 = 2;
pub(crate) const GT: u8 = 4;
pub(crate) const EQ: u8 = 8;
const AMP: u8 = 16;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\t' as usize] = WS;
    t[b'\n' as usize] = WS;
    t[0x0C] = WS;
    t[b'\r' as usize] = WS;
    t[b' ' as usize] = WS;
    t[b'/' as usize] = SLASH;
    t[b'>' as usize] = GT;
    t[b'=' as usize] = EQ;
    t[b'&' as usize] = AMP;
    t
};

/// Index of the first byte at or after `from` whose class is in `mask`.
pub(crate) fn find_class(b: &[u8], from: usize, mask: u8) -> Option<usize> {
    let rest = b.get(from..)?;
    Some(
        from + rest
            .iter()
            .position(|&c| CLASS[usize::from(c)] & mask != 0)?,
    )
}

/// Index of the first byte at or after `from` that is not whitespace.
pub(crate) fn skip_ws(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    Some(from + rest.iter().position(|&c| CLASS[usize::from(c)] & WS == 0)?)
}

/// A tag as the tokenizer reads it.
struct Tag {
    /// Byte range of the name in the text (any case).
    name: (usize, usize),
    self_closing: bool,
    /// Index just after the closing `>`.
    end: usize,
}

/// Read a tag whose name starts at `start` (just after `<` or `</`), the
/// way the tokenizer's tag, attribute-name and attribute-value states do.
/// `None` when the text ends inside the tag.
fn read_tag(b: &[u8], start: usize, edits: &mut Vec<Edit>) -> Option<Tag> {
    let name_end = find_class(b, start, WS | SLASH | GT)?;
    let tag = |self_closing, end| Tag {
        name: (start, name_end),
        self_closing,
        end,
    };
    let mut i = name_end;
    loop {
        match *b.get(i)? {
            c if is_ws(c) => i += 1,
            b'>' => return Some(tag(false, i + 1)),
            b'/' => {
                if *b.get(i + 1)? == b'>' {
                    return Some(tag(true, i + 2));
                }
                i += 1;
            }
            _ => {
                // An attribute name (its first character may be anything,
                // even '='), then an optional value.
                i = find_class(b, i + 1, WS | SLASH | GT | EQ)?;
                i = skip_ws(b, i)?;
                if b.get(i) != Some(&b'=') {
                    continue;
                }
                i = skip_ws(b, i + 1)?;
                match *b.get(i)? {
                    q @ (b'"' | b'\'') => {
                        // A quoted value, with references.
                        i += 1;
                        loop {
                            i += memchr2(q, b'&', b.get(i..)?)?;
                            if *b.get(i)? == q {
                                break;
                            }
                            numeric_ref(b, i, edits);
                            i += 1;
                        }
                        i += 1;
                    }
                    b'>' => return Some(tag(false, i + 1)),
                    _ => loop {
                        // An unquoted value, up to whitespace or '>'.
                        i = find_class(b, i, WS | GT | AMP)?;
                        if *b.get(i)? != b'&' {
                            break;
                        }
                        numeric_ref(b, i, edits);
                        i += 1;
                    },
                }
            }
        }
    }
}

/// The lower-cased name of a tag, if short enough to be one this scan
/// cares about.
fn short_name(b: &[u8], tag: &Tag) -> ([u8; 16], usize) {
    let mut buf = [0u8; 16];
    let name = b.get(tag.name.0..tag.name.1).unwrap_or_default();
    if name.len() > buf.len() {
        return (buf, 0);
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    (buf, name.len())
}

/// Is there an end tag `</name` (any case) at `at`, followed by whitespace,
/// `/` or `>`?
fn end_tag_at(b: &[u8], at: usize, name: &[u8]) -> bool {
    let Some(rest) = b.get(at..) else {
        return false;
    };
    rest.starts_with(b"</")
        && rest
            .get(2..2 + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
        && rest
            .get(2 + name.len())
            .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
}

/// Start of the end tag that closes a raw-text / RCDATA element whose text
/// starts at `from`.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let finder = memmem::Finder::new(b"</");
    let mut i = from;
    loop {
        let at = i + finder.find(b.get(i..)?)?;
        if end_tag_at(b, at, name) {
            return Some(at);
        }
        i = at + 2;
    }
}

/// Length of the run of ASCII letters at `at`, lower-cased.
fn letters_at(b: &[u8], at: usize) -> Vec<u8> {
    b.get(at..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect()
}

/// Start of the `</script` that ends script data starting at `from`,
/// following the tokenizer's escaped and double-escaped states
/// (`<!-- <script> ... </script> -->` inside a script does not end it).
fn script_end(b: &[u8], from: usize) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let followed_by_delim = |at: usize| {
        b.get(at)
            .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
    };
    let mut st = St::Data;
    let mut i = from;
    loop {
        let rest = b.get(i..)?;
        if st == St::Data {
            i += memchr(b'<', rest)?;
            if end_tag_at(b, i, b"script") {
                return Some(i);
            }
            if b.get(i..)?.starts_with(b"<!--") {
                // "<!--" enters the escaped state right after two dashes.
                i += 2;
                st = St::Escaped;
            } else {
                i += 1;
            }
            continue;
        }
        i += memchr2(b'-', b'<', rest)?;
        if b.get(i) == Some(&b'-') {
            // After two or more dashes, '>' leaves the escape.
            let dashes = b.get(i..)?.iter().take_while(|&&c| c == b'-').count();
            i += dashes;
            if dashes >= 2 && b.get(i) == Some(&b'>') {
                st = St::Data;
                i += 1;
            }
            continue;
        }
        // At '<'.
        if st == St::Escaped {
            if end_tag_at(b, i, b"script") {
                return Some(i);
            }
            let word = letters_at(b, i + 1);
            if word == b"script" && followed_by_delim(i + 7) {
                st = St::DoubleEscaped;
                i += 8;
                continue;
            }
        } else if b.get(i + 1) == Some(&b'/') {
            let word = letters_at(b, i + 2);
            if word == b"script" && followed_by_delim(i + 8) {
                st = St::Escaped;
                i += 9;
                continue;
            }
        }
        i += 1;
    }
}

/// End of a comment whose text starts at `from` (just after `<!--`).
fn comment_end(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    if rest.starts_with(b">") {
        return Some(from + 1);
    }
    if rest.starts_with(b"->") {
        return Some(from + 2);
    }
    let finder = memmem::Finder::new(b"--");
    let mut i = from;
    loop {
        let at = i + finder.find(b.get(i..)?)?;
        let after = b.get(at + 2..)?;
        if after.starts_with(b">") {
            return Some(at + 3);
        }
        if after.starts_with(b"!>") {
            return Some(at + 4);
        }
        i = at + 1;
    }
}

/// Elements that end SVG/MathML content when they start inside it.
fn breaks_out_of_foreign(name: &[u8]) -> bool {
    matches!(
        name,
        b"b" | b"big"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"code"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"embed"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"hr"
            | b"i"
            | b"img"
            | b"li"
            | b"listing"
            | b"menu"
            | b"meta"
            | b"nobr"
            | b"ol"
            | b"p"
            | b"pre"
            | b"ruby"
            | b"s"
            | b"small"
            | b"span"
            | b"strong"
            | b"strike"
            | b"sub"
            | b"sup"
            | b"table"
            | b"tt"
            | b"u"
            | b"ul"
            | b"var"
            | b"font"
    )
}

/// SVG/MathML elements whose children are parsed as HTML (name in any case).
fn is_integration_point(name: &[u8]) -> bool {
    [
        &b"foreignobject"[..],
        b"desc",
        b"title",
        b"mi",
        b"mo",
        b"mn",
        b"ms",
        b"mtext",
        b"annotation-xml",
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(name))
}

/// What to do with the text after a start tag in HTML content.
enum After {
    Nothing,
    /// Raw text / RCDATA up to the matching end tag.
    RawText,
    /// Script data; the body may be dropped.
    Script,
    /// Style text; dropped.
    Style,
    /// Stop scanning: pass the rest on unchanged.
    Stop,
}

/// The page text with script (non-JSON-LD) and style bodies removed.
pub(crate) fn for_parser(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    // Changes in text order, not overlapping.
    let mut edits: Vec<Edit> = Vec::new();
    scan(b, &mut edits);
    if edits.is_empty() {
        return Cow::Borrowed(html);
    }
    let removed: usize = edits.iter().map(|e| e.end - e.start).sum();
    let mut out = String::with_capacity(html.len().saturating_sub(removed));
    let mut at = 0;
    for e in edits {
        // Edits start and end at ASCII delimiters, so at char boundaries.
        out.push_str(html.get(at..e.start).unwrap_or_default());
        out.push_str(e.with);
        at = e.end;
    }
    out.push_str(html.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

fn cut(start: usize, end: usize) -> Edit {
    Edit {
        start,
        end,
        with: "",
    }
}

fn scan(b: &[u8], edits: &mut Vec<Edit>) -> Option<()> {
    // Names of the open SVG/MathML elements (empty: HTML content).
    let mut foreign: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    loop {
        // Text (with references) up to the next tag.
        i += memchr2(b'<', b'&', b.get(i..)?)?;
        if *b.get(i)? == b'&' {
            numeric_ref(b, i, edits);
            i += 1;
            continue;
        }
        let next = *b.get(i + 1)?;
        match next {
            b'!' => {
                let rest = b.get(i + 2..)?;
                i = if rest.starts_with(b"--") {
                    comment_end(b, i + 4)?
                } else if !foreign.is_empty() && rest.starts_with(b"[CDATA[") {
                    i + 2 + memmem::find(rest, b"]]>")? + 3
                } else {
                    // Doctype or bogus comment.
                    i + 2 + memchr(b'>', rest)? + 1
                };
            }
            b'?' => i = i + 2 + memchr(b'>', b.get(i + 2..)?)? + 1,
            b'/' => {
                let c = *b.get(i + 2)?;
                if c.is_ascii_alphabetic() {
                    let tag = read_tag(b, i + 2, edits)?;
                    i = tag.end;
                    let name = b.get(tag.name.0..tag.name.1)?;
                    if let Some(pos) = foreign.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                        foreign.truncate(pos);
                    } else if !foreign.is_empty() {
                        // An HTML end tag inside foreign content: the tree
                        // builder may leave it; don't guess.
                        return None;
                    }
                } else if c == b'>' {
                    i += 3;
                } else {
                    i = i + 2 + memchr(b'>', b.get(i + 2..)?)? + 1;
                }
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                let tag = read_tag(b, i + 1, edits)?;
                i = tag.end;
                let (buf, len) = short_name(b, &tag);
                let short = buf.get(..len).unwrap_or_default();
                if let Some(top) = foreign.last() {
                    if is_integration_point(top) || breaks_out_of_foreign(short) {
                        return None;
                    }
                    if !tag.self_closing {
                        foreign.push(b.get(tag.name.0..tag.name.1)?);
                    }
                    continue;
                }
                let after = match short {
                    b"svg" | b"math" => {
                        if !tag.self_closing {
                            foreign.push(b.get(tag.name.0..tag.name.1)?);
                        }
                        After::Nothing
                    }
                    b"script" => After::Script,
                    b"style" => After::Style,
                    // `<noscript>` is raw text because the parser runs with
                    // scripting enabled (scraper's default).
                    b"title" | b"textarea" | b"xmp" | b"iframe" | b"noembed" | b"noframes"
                    | b"noscript" => After::RawText,
                    b"plaintext" | b"frameset" => After::Stop,
                    _ => After::Nothing,
                };
                match after {
                    After::Nothing => {}
                    After::Stop => return None,
                    After::RawText => i = raw_text_end(b, i, short)?,
                    After::Style => {
                        let end = raw_text_end(b, i, b"style")?;
                        edits.push(cut(i, end));
                        i = end;
                    }
                    After::Script => {
                        let end = script_end(b, i)?;
                        let open = b.get(start..i).unwrap_or_default();
                        let keep = open.contains(&b'&')
                            || open.windows(7).any(|w| w.eq_ignore_ascii_case(b"ld+json"));
                        if !keep {
                            edits.push(cut(i, end));
                        }
                        i = end;
                    }
                }
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Node};

    /// The tree as text, leaving out script and style text.
    fn shape(html: &Html) -> String {
        fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
            match node.value() {
                Node::Element(e) => {
                    out.push_str(&format!(
                        "<{:?} {:?}",
                        e.name,
                        e.attrs().collect::<Vec<_>>()
                    ));
                    if matches!(e.name(), "script" | "style") {
                        // Only the text differs; keep any element children.
                        for c in node.children().filter(|c| !c.value().is_text()) {
                            walk(c, out);
                        }
                        out.push('>');
                        return;
                    }
                }
                Node::Text(t) => out.push_str(&format!("{:?}", &**t)),
                Node::Comment(c) => out.push_str(&format!("<!{:?}", &**c)),
                _ => out.push('<'),
            }
            for c in node.children() {
                walk(c, out);
            }
            if !node.value().is_text() {
                out.push('>');
            }
        }
        let mut out = String::new();
        walk(html.tree.root(), &mut out);
        out
    }

    fn same_tree(src: &str) {
        let cut = for_parser(src);
        assert_eq!(
            shape(&Html::parse_document(src)),
            shape(&Html::parse_document(&cut)),
            "{src}\n---\n{cut}"
        );
    }

    #[test]
    fn bodies_are_dropped() {
        let src = "<html><head><script>var a = '<div>';</script><style>p{}</style>\
            <script type=\"application/ld+json\">{\"a\":1}</script></head><body><p>x</p></body></html>";
        let cut = for_parser(src);
        assert_eq!(
            cut,
            "<html><head><script></script><style></style>\
            <script type=\"application/ld+json\">{\"a\":1}</script></head><body><p>x</p></body></html>"
        );
        same_tree(src);
    }

    #[test]
    fn references_become_numeric() {
        let src = "<p title=\"&quot;a&quot; &amp;b\">&lt;x&gt; &amp;&nbsp;&ampy</p>\
            <!-- &amp; --><textarea>&amp;</textarea><script>'&amp;'</script>";
        assert_eq!(
            for_parser(src),
            "<p title=\"&#34;a&#34; &#38;b\">&#60;x&#62; &#38;&#160;&ampy</p>\
            <!-- &amp; --><textarea>&amp;</textarea><script></script>"
        );
        same_tree(src);
    }

    #[test]
    fn tricky_markup_keeps_the_tree() {
        let cases = [
            "<p>a</p><!-- <script> --><p>b</p><script>x</script>",
            "<!--><script>x</script><p>c</p>",
            "<!---><script>x</script><p>c</p>",
            "<!-- a --!><script>x</script><p>c</p>",
            "<div title='<script>'>d</div><script>x</script><p>e</p>",
            "<div title=\"a\"b><script>y</script></div>",
            "<div a=b'<script>'>z</div><script>s</script>",
            "<textarea><script>x</script></textarea><p>t</p><script>1</script>",
            "<title>a <script> b</title><script>2</script><p>q</p>",
            "<noscript><script>x</script></noscript><script>3</script>",
            "<script><!-- <script> </script> --></script><p>in</p></script><p>out</p>",
            "<script><!-- a </script><p>after</p>",
            "<script><!--></script><p>after</p>",
            "<script>a</SCRIPT ><p>x</p><script>b</script foo='>'><p>y</p>",
            "<script>if (a</scripts) {}</script><p>z</p>",
            "<svg><script>var x = '<p>';</script><style>a{}</style></svg><script>q</script><p>w</p>",
            "<svg><title>t</title><path d='<'/></svg><style>b{}</style><p>v</p>",
            "<svg><g><div>x</div></g></svg><script>q</script>",
            "<math><mi><script>x</script></mi></math><script>y</script>",
            "<svg><![CDATA[ <script> ]]></svg><script>z</script><p>k</p>",
            "<select><style>a</style></select><script>x</script>",
            "<select><option>a<script>b</script></select><style>c</style>",
            "<plaintext><script>x</script>",
            "<script>unterminated",
            "<style>unterminated",
            "<div class=\"unterminated",
            "</ p><script>x</script><!doctype html><? pi ><script>y</script>",
            "<script type=\"application/ld&#43;json\">{}</script>",
            "<p>a < b</p><script>x</script><a href=x>l</a>",
            "<iframe><script>x</script></iframe><script>y</script>",
            "<script/><p>in script</p></script><p>after</p>",
            "<table><script>x</script><tr><td><style>s</style>c</td></tr></table>",
        ];
        for c in cases {
            same_tree(c);
        }
    }

    #[test]
    fn odd_bytes_do_not_panic() {
        for s in [
            "<",
            "</",
            "<!",
            "<!-",
            "<!--",
            "<a",
            "<a b",
            "<a b=",
            "<a b='",
            "<script><!--<script></",
        ] {
            let _ = for_parser(s);
        }
    }

    /// Random soup of the delimiters the scan cares about.
    fn soup(seed: &mut u64, pieces: usize) -> String {
        const BITS: &[&str] = &[
            "<script>",
            "</script>",
            "<script type=x>",
            "</SCRIPT >",
            "<style>",
            "</style>",
            "<!--",
            "-->",
            "--!>",
            "-",
            "<!",
            "<svg>",
            "</svg>",
            "<math>",
            "</math>",
            "<mi>",
            "</mi>",
            "<title>",
            "</title>",
            "<textarea>",
            "</textarea>",
            "<noscript>",
            "</noscript>",
            "<p>",
            "</p>",
            "<div a=",
            "<b>",
            "</b>",
            "'",
            "\"",
            "=",
            " ",
            ">",
            "<",
            "/",
            "/>",
            "x",
            "<![CDATA[",
            "]]>",
            "<path/>",
            "<g>",
            "</g>",
            "<foreignObject>",
            "<iframe>",
            "</iframe>",
            "<select>",
            "</select>",
            "<table>",
            "<td>",
            "<?",
            "</",
            "<script type=application/ld+json>",
            "<font color=red>",
            "&",
            "\n",
            "<br>",
            "&quot;",
            "&amp;",
            "&amp",
            "&lt;",
            "&nbsp;",
            "&#34;",
            "&ampx;",
            "&QUOT;",
            "&gt;",
            "<a title=\"&quot;x&amp;y\">",
            "<a t=&amp;>",
            "<a t='&lt;&apos;'>",
        ];
        let mut out = String::new();
        for _ in 0..pieces {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let k = usize::try_from(*seed >> 33).unwrap_or_default() % BITS.len();
            out.push_str(BITS.get(k).copied().unwrap_or_default());
        }
        out
    }

    #[test]
    fn random_soup_keeps_the_tree() {
        let mut seed = 7u64;
        for n in 0..4000 {
            let src = soup(&mut seed, 5 + n % 40);
            same_tree(&src);
        }
    }

    #[test]
    fn real_pages_keep_the_tree() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/real-pages");
        let Ok(list) = std::fs::read_to_string(dir.join("expected.json")) else {
            return;
        };
        let list: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap_or_default();
        for e in list {
            let Some(file) = e.get("file").and_then(|f| f.as_str()) else {
                continue;
            };
            let Ok(bytes) = std::fs::read(dir.join(file)) else {
                continue;
            };
            let (text, _) = crate::decode(&bytes, None);
            let cut = for_parser(&text);
            assert_eq!(
                shape(&Html::parse_document(&text)),
                shape(&Html::parse_document(&cut)),
                "{file}"
            );
        }
    }
}
