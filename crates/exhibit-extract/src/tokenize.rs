//! An HTML tokenizer for the shape marketplace pages have, feeding html5ever's own
//! tree builder.
//!
//! html5ever's tokenizer reads a page one character at a time through a state machine
//! and copies every attribute value and most text into new buffers; on a marketplace
//! page that was most of the time extraction took. This one reads the same tokens with
//! `memchr` (text up to the next `<`, the end of a script, comment or raw text), tag
//! and attribute names by byte class, and each text run and attribute value as a
//! slice of the one input buffer (no copy) unless a character reference must be
//! decoded. The bodies of `<script>` (other than JSON-LD) and `<style>` elements are
//! skipped, not tokenized: nothing reads them from the tree, and on marketplace pages
//! they are a third to a half of the bytes.
//!
//! The tokens go to html5ever's `TreeBuilder`, so the tree, and every insertion-mode
//! rule behind it (implied end tags, foster parenting, templates, foreign content, and
//! which elements switch the tokenizer to raw text), is html5ever's. The tokenizer
//! follows the HTML standard's tokenization states exactly for what it reads: tags and
//! attributes in every form the standard accepts (unquoted, duplicated, self-closing,
//! stray `/`, `=` before a name, EOF inside a tag), character references (numeric,
//! named with the longest-match rule and its attribute exception, the C1
//! replacements), comments (`<!-->`, `<!--->`, nested `<!--`), bogus comments (`<?…>`,
//! `</3>`, `<!x>`, `<![if …]>`), CDATA sections in SVG and MathML, the plain and the
//! `PUBLIC`/`SYSTEM` doctypes, appropriate end tags in RCDATA and raw text, and the
//! escaped and double-escaped states of script data (`<!-- <script> </script> -->`).
//!
//! Where the standard's states get intricate, it does not try: a page with a NUL
//! byte, a `<plaintext>`, a `--!>` comment end, a doctype of another shape, or EOF
//! inside a comment, a bogus comment or a doctype or right after `</` is parsed by
//! html5ever's own tokenizer from the start, and the bodies are taken out of that tree
//! ([`parse_document`]). The tree is html5ever's either way.
//!
//! The unit tests compare the two parsers' trees node for node (quirks mode,
//! namespaces, attributes, doctype, every text and comment), with and without the
//! bodies, on every real and built page of the fixtures, on thousands of generated
//! documents built from the constructs above and on hand-written edge cases;
//! `fuzz/fuzz_targets/extract.rs` compares them on every input it tries.

use ego_tree::NodeId;
use html5ever::interface::TreeSink;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, LocalName, QualName, data, ns};
use memchr::{memchr, memchr2, memmem};
use scraper::{Html, HtmlTreeSink};

/// The page's tree as extraction reads it: html5ever's tree of `text` without the
/// text of `<script>` (other than JSON-LD) and `<style>` elements, which nothing reads
/// from the tree (scripts are scanned in the raw text, and on marketplace pages they
/// are a third to a half of the bytes). Built from this module's tokens or, when the
/// page has something this tokenizer leaves to html5ever, by html5ever alone, the
/// bodies then taken out.
pub(crate) fn parse_document(text: &str) -> Html {
    read_tree(text, Bodies::Drop).unwrap_or_else(|_| {
        let mut html = Html::parse_document(text);
        let bodies: Vec<NodeId> = html
            .tree
            .root()
            .descendants()
            .filter(|n| n.value().is_text() && is_body(*n))
            .map(|n| n.id())
            .collect();
        for id in bodies {
            if let Some(mut node) = html.tree.get_mut(id) {
                node.detach();
            }
        }
        html
    })
}

/// Is this node (a text) the body of an HTML `<script>` other than JSON-LD, or of a
/// `<style>`?
fn is_body(node: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    node.parent()
        .and_then(|p| p.value().as_element())
        .is_some_and(|e| {
            *e.name.ns == *"http://www.w3.org/1999/xhtml" && holds_body(e.name(), e.attr("type"))
        })
}

/// Does an HTML element of this name and `type` hold a body left out of the tree? The
/// JSON-LD rule is the one [`crate::dom::Doc`] reads JSON-LD by.
fn holds_body(name: &str, type_attr: Option<&str>) -> bool {
    match name {
        "style" => true,
        "script" => !crate::dom::is_json_ld(type_attr),
        _ => false,
    }
}

/// Whether script and style bodies go into the tree.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bodies {
    /// As html5ever builds it: the tests compare the two trees exactly.
    #[cfg_attr(not(any(test, feature = "fuzzing")), allow(dead_code))]
    Keep,
    /// As extraction reads it ([`parse_document`]).
    Drop,
}

/// `text` with every CR LF and every lone CR made an LF, as html5ever reads them, in one
/// pass.
fn lf_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(cr) = memchr(b'\r', rest.as_bytes()) {
        // CR and LF are ASCII, so every cut here is on a character boundary.
        out.push_str(&rest[..cr]);
        out.push('\n');
        rest = &rest[cr + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

/// The tree built from this module's tokens, or where the page was left to html5ever.
fn read_tree(text: &str, bodies: Bodies) -> Result<Html, Bail> {
    let bytes = text.as_bytes();
    if u32::try_from(bytes.len()).is_err() || memchr(0, bytes).is_some() {
        return Err(Bail(line!()));
    }
    // html5ever drops a leading byte order mark, and reads CR LF and lone CR as LF.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let normalized;
    let text = if memchr(b'\r', text.as_bytes()).is_some() {
        normalized = lf_newlines(text);
        normalized.as_str()
    } else {
        text
    };
    let mut t = Fast {
        s: text,
        b: text.as_bytes(),
        input: StrTendril::from_slice(text),
        tb: TreeBuilder::new(
            HtmlTreeSink::new(Html::new_document()),
            TreeBuilderOpts::default(),
        ),
        mode: Mode::Data,
        last_start: None,
        refeed: false,
        bodies,
        keep_raw: true,
        after_start_tag: false,
    };
    t.run()?;
    let _ = t.send(Token::EOFToken);
    t.tb.end();
    Ok(t.tb.sink.finish())
}

/// The page has a construct left to html5ever's tokenizer; the line of this file
/// that found it, for tests and debugging.
#[derive(Debug)]
struct Bail(#[allow(dead_code, reason = "read through Debug, by the tests")] u32);

type Step = Result<usize, Bail>;

/// The tokenizer's content state, as the tree builder sets it after a start tag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Data,
    Rcdata,
    Rawtext,
    Script,
}

struct Fast<'a> {
    s: &'a str,
    b: &'a [u8],
    /// The whole text, which text and attribute values are slices of.
    input: StrTendril,
    tb: TreeBuilder<NodeId, HtmlTreeSink>,
    mode: Mode,
    /// The last start tag's name, for the raw-text states' "appropriate end tag".
    last_start: Option<LocalName>,
    /// html5ever would feed the rest of the page again here (see [`Fast::emit_tag`]).
    refeed: bool,
    bodies: Bodies,
    /// Whether the text of the raw-text element just opened goes into the tree.
    keep_raw: bool,
    /// The last token sent was a start tag (see [`ref_error`]).
    after_start_tag: bool,
}

impl Fast<'_> {
    fn run(&mut self) -> Result<(), Bail> {
        let mut i = 0;
        while i < self.b.len() {
            if std::mem::take(&mut self.refeed)
                && self.s.get(i..).is_some_and(|r| r.starts_with('\u{FEFF}'))
            {
                i += '\u{FEFF}'.len_utf8();
                continue;
            }
            i = match self.mode {
                Mode::Data => self.data(i)?,
                Mode::Rcdata | Mode::Rawtext | Mode::Script => self.raw(i)?,
            };
        }
        Ok(())
    }

    /// `b[from..to]` as a slice of the input buffer.
    fn slice(&self, from: usize, to: usize) -> Result<StrTendril, Bail> {
        let offset = u32::try_from(from).map_err(|_| Bail(line!()))?;
        let len = u32::try_from(to.saturating_sub(from)).map_err(|_| Bail(line!()))?;
        self.input
            .try_subtendril(offset, len)
            .map_err(|_| Bail(line!()))
    }

    /// The text of `b[from..to]` with its character references decoded (by the
    /// attribute-value rule when `in_attr`).
    fn text(&self, from: usize, to: usize, in_attr: bool) -> Result<StrTendril, Bail> {
        let mut out: Option<StrTendril> = None;
        let mut run = from;
        let mut i = from;
        while let Some(o) = self.b.get(i..to).and_then(|r| memchr(b'&', r)) {
            let amp = i + o;
            match char_ref(self.s, amp + 1, in_attr) {
                Some((c1, c2, end)) => {
                    let buf = out.get_or_insert_with(StrTendril::new);
                    buf.push_slice(self.s.get(run..amp).ok_or(Bail(line!()))?);
                    buf.push_char(c1);
                    if let Some(c2) = c2 {
                        buf.push_char(c2);
                    }
                    run = end;
                    i = end;
                }
                None => i = amp + 1,
            }
        }
        match out {
            None => self.slice(from, to),
            Some(mut buf) => {
                buf.push_slice(self.s.get(run..to).ok_or(Bail(line!()))?);
                Ok(buf)
            }
        }
    }

    /// Hands a token to the tree builder.
    fn send(&mut self, token: Token) -> TokenSinkResult<NodeId> {
        self.after_start_tag = false;
        self.tb.process_token(token, 1)
    }

    /// The error token html5ever sends where the tree builder would otherwise drop a
    /// newline (see [`ref_error`]).
    fn error(&mut self, what: &'static str) {
        let _ = self.send(Token::ParseError(std::borrow::Cow::Borrowed(what)));
    }

    fn chars(&mut self, from: usize, to: usize, decode: bool) -> Result<(), Bail> {
        if decode
            && self.after_start_tag
            && self.b.get(from) == Some(&b'&')
            && ref_error(self.s, from + 1)
        {
            self.error("Invalid character reference");
        }
        if to > from {
            let text = if decode {
                self.text(from, to, false)?
            } else {
                self.slice(from, to)?
            };
            let _ = self.send(Token::CharacterTokens(text));
        }
        Ok(())
    }

    fn comment(&mut self, from: usize, to: usize) -> Result<(), Bail> {
        let text = self.slice(from, to)?;
        let _ = self.send(Token::CommentToken(text));
        Ok(())
    }

    /// The data state from `start`: text up to the next tag, comment or declaration,
    /// which is then read. Returns where reading goes on.
    fn data(&mut self, start: usize) -> Step {
        let b = self.b;
        let mut i = start;
        while let Some(o) = b.get(i..).and_then(|r| memchr(b'<', r)) {
            let lt = i + o;
            let next = b.get(lt + 1).copied();
            match next {
                Some(c) if c.is_ascii_alphabetic() => {
                    self.chars(start, lt, true)?;
                    return self.tag(lt + 1, TagKind::StartTag);
                }
                Some(b'/') => {
                    self.chars(start, lt, true)?;
                    return match b.get(lt + 2).copied() {
                        Some(c) if c.is_ascii_alphabetic() => self.tag(lt + 2, TagKind::EndTag),
                        // `</>` is dropped, with an error.
                        Some(b'>') => {
                            self.error("Saw > in state EndTagOpen");
                            Ok(lt + 3)
                        }
                        Some(_) => self.bogus_comment(lt + 2),
                        None => Err(Bail(line!())),
                    };
                }
                Some(b'!') => {
                    self.chars(start, lt, true)?;
                    return self.declaration(lt + 2);
                }
                Some(b'?') => {
                    self.chars(start, lt, true)?;
                    return self.bogus_comment(lt + 1);
                }
                // A `<` that opens nothing is text.
                _ => i = lt + 1,
            }
        }
        self.chars(start, b.len(), true)?;
        Ok(b.len())
    }

    /// A start or end tag whose name begins at `name_start`.
    fn tag(&mut self, name_start: usize, kind: TagKind) -> Step {
        let Some(name_end) = find_class(self.b, name_start, WS | SLASH | GT) else {
            // EOF in a tag: the tag is dropped.
            return Ok(self.b.len());
        };
        let name = atom(self.s.get(name_start..name_end).ok_or(Bail(line!()))?);
        self.attributes(name, kind, name_end)
    }

    /// The rest of a tag after its name (the before-attribute-name state at `i`): its
    /// attributes, then the tag goes to the tree builder.
    fn attributes(&mut self, name: LocalName, kind: TagKind, mut i: usize) -> Step {
        let b = self.b;
        let n = b.len();
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut duplicate = false;
        let mut names: Option<std::collections::HashSet<LocalName>> = None;
        let mut self_closing = false;
        loop {
            let Some(at) = skip_ws(b, i) else {
                return Ok(n);
            };
            i = at;
            match b.get(i).copied() {
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'/') => match b.get(i + 1).copied() {
                    Some(b'>') => {
                        self_closing = true;
                        i += 2;
                        break;
                    }
                    None => return Ok(n),
                    // A stray `/` is dropped.
                    Some(_) => {
                        i += 1;
                        continue;
                    }
                },
                _ => {}
            }
            // The attribute name: a leading `=` is part of it.
            let name_start = i;
            let after_eq = if b.get(i) == Some(&b'=') { i + 1 } else { i };
            let Some(name_end) = find_class(b, after_eq, WS | SLASH | GT | EQ) else {
                return Ok(n);
            };
            let attr_name = atom(self.s.get(name_start..name_end).ok_or(Bail(line!()))?);
            let Some(mut k) = skip_ws(b, name_end) else {
                return Ok(n);
            };
            let value = if b.get(k) == Some(&b'=') {
                let Some(v) = skip_ws(b, k + 1) else {
                    return Ok(n);
                };
                k = v;
                match b.get(k).copied() {
                    Some(q @ (b'"' | b'\'')) => {
                        let Some(len) = b.get(k + 1..).and_then(|r| memchr(q, r)) else {
                            return Ok(n);
                        };
                        let value = self.text(k + 1, k + 1 + len, true)?;
                        i = k + 1 + len + 1;
                        value
                    }
                    // `a=>`: the value is missing and the tag ends.
                    Some(b'>') => {
                        i = k;
                        StrTendril::new()
                    }
                    _ => {
                        let Some(end) = find_class(b, k, WS | GT) else {
                            return Ok(n);
                        };
                        let value = self.text(k, end, true)?;
                        i = end;
                        value
                    }
                }
            } else {
                i = k;
                StrTendril::new()
            };
            // The first of two attributes of one name wins. A set takes over from the
            // scan once a tag has many, so a hostile tag with a million attributes
            // costs linear time, not quadratic.
            let seen = match &mut names {
                Some(names) => !names.insert(attr_name.clone()),
                None => {
                    let seen = attrs.iter().any(|a| a.name.local == attr_name);
                    if !seen && attrs.len() >= MANY_ATTRIBUTES {
                        names = Some(
                            attrs
                                .iter()
                                .map(|a| a.name.local.clone())
                                .chain([attr_name.clone()])
                                .collect(),
                        );
                    }
                    seen
                }
            };
            if seen {
                duplicate = true;
            } else {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), attr_name),
                    value,
                });
            }
        }
        self.emit_tag(Tag {
            kind,
            name,
            self_closing,
            attrs,
            had_duplicate_attributes: duplicate,
        })?;
        Ok(i)
    }

    fn emit_tag(&mut self, tag: Tag) -> Result<(), Bail> {
        if tag.kind == TagKind::StartTag {
            self.last_start = Some(tag.name.clone());
            let type_attr = tag.attrs.iter().find(|a| &*a.name.local == "type");
            self.keep_raw =
                self.bodies == Bodies::Keep || !holds_body(&tag.name, type_attr.map(|a| &*a.value));
        }
        self.mode = Mode::Data;
        let start = tag.kind == TagKind::StartTag;
        let result = self.send(Token::TagToken(tag));
        self.after_start_tag = start;
        match result {
            TokenSinkResult::Continue => {}
            // html5ever's driver feeds the rest of the page again after these, and its
            // tokenizer drops a U+FEFF at the start of every feed.
            TokenSinkResult::Script(_) | TokenSinkResult::EncodingIndicator(_) => {
                self.refeed = true;
            }
            TokenSinkResult::RawData(RawKind::Rcdata) => self.mode = Mode::Rcdata,
            TokenSinkResult::RawData(RawKind::Rawtext) => self.mode = Mode::Rawtext,
            TokenSinkResult::RawData(RawKind::ScriptData) => self.mode = Mode::Script,
            TokenSinkResult::RawData(RawKind::ScriptDataEscaped(_))
            | TokenSinkResult::Plaintext => return Err(Bail(line!())),
        }
        Ok(())
    }

    /// RCDATA, RAWTEXT or script data from `start`: text up to the end tag that
    /// matches the last start tag, which is then read.
    fn raw(&mut self, start: usize) -> Step {
        let b = self.b;
        let Some(name) = self.last_start.clone() else {
            // No start tag yet: no end tag is appropriate.
            self.chars(start, b.len(), self.mode == Mode::Rcdata)?;
            return Ok(b.len());
        };
        let wanted = name.as_bytes();
        let end_tag = if self.mode == Mode::Script {
            // `<!-- <script> … </script> -->` in a script does not end it.
            script_end(b, start)
        } else {
            raw_text_end(b, start, wanted)
        };
        let text_end = end_tag.unwrap_or(b.len());
        if self.keep_raw {
            self.chars(start, text_end, self.mode == Mode::Rcdata)?;
        }
        match end_tag {
            Some(at) => {
                let after_name = at + 2 + wanted.len();
                self.attributes(name, TagKind::EndTag, after_name)
            }
            None => Ok(b.len()),
        }
    }

    /// After `<!`: a comment, a doctype, or a bogus comment.
    fn declaration(&mut self, at: usize) -> Step {
        let rest = self.b.get(at..).unwrap_or_default();
        if rest.starts_with(b"--") {
            self.comment_at(at + 2)
        } else if rest
            .get(..7)
            .is_some_and(|k| k.eq_ignore_ascii_case(b"doctype"))
        {
            self.doctype(at + 7)
        } else if rest.starts_with(b"[CDATA[")
            && self
                .tb
                .adjusted_current_node_present_but_not_in_html_namespace()
        {
            // A CDATA section in SVG or MathML: its text runs to the first `]]>`.
            let from = at + 7;
            let len = self
                .b
                .get(from..)
                .and_then(|r| memmem::find(r, b"]]>"))
                .ok_or(Bail(line!()))?;
            self.chars(from, from + len, false)?;
            Ok(from + len + 3)
        } else {
            self.bogus_comment(at)
        }
    }

    /// A comment whose text begins at `from` (after `<!--`).
    fn comment_at(&mut self, from: usize) -> Step {
        let rest = self.b.get(from..).unwrap_or_default();
        // `<!-->` and `<!--->` are empty comments.
        for (lead, skip) in [(&b">"[..], 1), (&b"->"[..], 2)] {
            if rest.starts_with(lead) {
                self.comment(from, from)?;
                return Ok(from + skip);
            }
        }
        let end = memmem::find(rest, b"-->").ok_or(Bail(line!()))?;
        if rest
            .get(..end + 3)
            .is_some_and(|c| memmem::find(c, b"--!>").is_some())
        {
            return Err(Bail(line!()));
        }
        self.comment(from, from + end)?;
        Ok(from + end + 3)
    }

    /// A bogus comment: its text runs from `from` to the next `>`.
    fn bogus_comment(&mut self, from: usize) -> Step {
        let len = self
            .b
            .get(from..)
            .and_then(|r| memchr(b'>', r))
            .ok_or(Bail(line!()))?;
        self.comment(from, from + len)?;
        Ok(from + len + 1)
    }

    /// A doctype after `<!doctype`: `<!DOCTYPE name>`, with a `PUBLIC` and an optional
    /// system identifier, or a `SYSTEM` one. Anything else is left to html5ever.
    fn doctype(&mut self, at: usize) -> Step {
        let b = self.b;
        if !b.get(at).is_some_and(|c| c.is_ascii_whitespace()) {
            return Err(Bail(line!()));
        }
        let start = skip_ws(b, at).ok_or(Bail(line!()))?;
        if b.get(start) == Some(&b'>') {
            return Err(Bail(line!()));
        }
        let name_end = find_class(b, start, WS | GT).ok_or(Bail(line!()))?;
        let name = self
            .s
            .get(start..name_end)
            .ok_or(Bail(line!()))?
            .to_ascii_lowercase();
        let mut i = skip_ws(b, name_end).ok_or(Bail(line!()))?;
        let (mut public_id, mut system_id) = (None, None);
        let keyword = b.get(i..i + 6);
        if keyword.is_some_and(|k| k.eq_ignore_ascii_case(b"public")) {
            let (id, after) = self.quoted_id(i + 6)?;
            public_id = Some(id);
            i = after;
            if b.get(i) != Some(&b'>') {
                if !b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                    return Err(Bail(line!()));
                }
                i = skip_ws(b, i).ok_or(Bail(line!()))?;
                if matches!(b.get(i), Some(b'"' | b'\'')) {
                    let (id, after) = self.quoted_id(i)?;
                    system_id = Some(id);
                    i = skip_ws(b, after).ok_or(Bail(line!()))?;
                }
            }
        } else if keyword.is_some_and(|k| k.eq_ignore_ascii_case(b"system")) {
            let (id, after) = self.quoted_id(i + 6)?;
            system_id = Some(id);
            i = skip_ws(b, after).ok_or(Bail(line!()))?;
        }
        if b.get(i) != Some(&b'>') {
            return Err(Bail(line!()));
        }
        let doctype = Doctype {
            name: Some(StrTendril::from_slice(&name)),
            public_id,
            system_id,
            force_quirks: false,
        };
        let _ = self.send(Token::DoctypeToken(doctype));
        Ok(i + 1)
    }

    /// A doctype identifier: whitespace, then a quoted string without `>`. Returns it
    /// and the index after its closing quote.
    fn quoted_id(&self, at: usize) -> Result<(StrTendril, usize), Bail> {
        let b = self.b;
        if !b.get(at).is_some_and(|c| c.is_ascii_whitespace())
            && !matches!(b.get(at), Some(b'"' | b'\''))
        {
            return Err(Bail(line!()));
        }
        let open = skip_ws(b, at).ok_or(Bail(line!()))?;
        let q = *b
            .get(open)
            .filter(|q| matches!(q, b'"' | b'\''))
            .ok_or(Bail(line!()))?;
        let len = b
            .get(open + 1..)
            .and_then(|r| memchr(q, r))
            .ok_or(Bail(line!()))?;
        let id = b.get(open + 1..open + 1 + len).ok_or(Bail(line!()))?;
        if memchr(b'>', id).is_some() {
            return Err(Bail(line!()));
        }
        Ok((self.slice(open + 1, open + 1 + len)?, open + 1 + len + 1))
    }
}

/// A tag or attribute name as html5ever interns it: ASCII upper case lowered.
fn atom(name: &str) -> LocalName {
    if name.bytes().any(|c| c.is_ascii_uppercase()) {
        LocalName::from(name.to_ascii_lowercase())
    } else {
        LocalName::from(name)
    }
}

/// The character reference after an `&` at `at - 1`: the one or two characters it
/// stands for and the index after it, or `None` when the `&` is only text. Follows
/// html5ever's `CharRefTokenizer`, which follows the standard.
fn char_ref(s: &str, at: usize, in_attr: bool) -> Option<(char, Option<char>, usize)> {
    let b = s.as_bytes();
    // The references pages use most, each the longest name it starts (no name goes on
    // after a `;`), without the table's letter-by-letter lookups.
    let rest = b.get(at..).unwrap_or_default();
    for (name, c) in COMMON_REFS {
        if rest.starts_with(name) {
            return Some((*c, None, at + name.len()));
        }
    }
    match b.get(at).copied() {
        Some(b'#') => numeric_ref(b, at + 1),
        Some(c) if c.is_ascii_alphanumeric() => named_ref(s, at, in_attr),
        _ => None,
    }
}

/// Attributes on one tag past which duplicates are found with a set.
const MANY_ATTRIBUTES: usize = 32;

/// Named references with their `;`, most used first.
const COMMON_REFS: &[(&[u8], char)] = &[
    (b"quot;", '"'),
    (b"amp;", '&'),
    (b"nbsp;", '\u{A0}'),
    (b"lt;", '<'),
    (b"gt;", '>'),
    (b"apos;", '\''),
];

/// The digits of a numeric reference whose `x` or first digit is at `at` (after
/// `&#`): their value, capped just above U+10FFFF, and the index after them; `None`
/// when there are no digits.
fn numeric_value(b: &[u8], at: usize) -> Option<(u32, usize)> {
    let (base, digits) = match b.get(at) {
        Some(b'x' | b'X') => (16, at + 1),
        _ => (10, at),
    };
    let mut i = digits;
    let mut num: u32 = 0;
    while let Some(d) = b.get(i).and_then(|&c| char::from(c).to_digit(base)) {
        num = num.saturating_mul(base).saturating_add(d).min(0x11_0000);
        i += 1;
    }
    (i > digits).then_some((num, i))
}

fn numeric_ref(b: &[u8], at: usize) -> Option<(char, Option<char>, usize)> {
    let (num, mut i) = numeric_value(b, at)?;
    if b.get(i) == Some(&b';') {
        i += 1;
    }
    let c = match num {
        0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{FFFD}',
        0x80..=0x9F => data::C1_REPLACEMENTS
            .get((num - 0x80) as usize)
            .copied()
            .flatten()
            .or_else(|| char::from_u32(num))
            .unwrap_or('\u{FFFD}'),
        _ => char::from_u32(num).unwrap_or('\u{FFFD}'),
    };
    Some((c, None, i))
}

fn named_ref(s: &str, at: usize, in_attr: bool) -> Option<(char, Option<char>, usize)> {
    let b = s.as_bytes();
    let (end, c1, c2) = longest_name(s, at).0?;
    let last = b.get(end - 1).copied();
    let next = b.get(end).copied();
    // In an attribute, `&amp=` and `&copyx` without their `;` stay as written.
    if in_attr && last != Some(b';') && next.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric())
    {
        return None;
    }
    Some((
        char::from_u32(c1)?,
        (c2 != 0).then(|| char::from_u32(c2)).flatten(),
        end,
    ))
}

/// The longest name in the table that the text at `at` starts with (its end and its
/// characters), and the index of the first character no name continues with. The
/// table holds every prefix of every name (mapped to 0), so reading stops there.
fn longest_name(s: &str, at: usize) -> (Option<(usize, u32, u32)>, usize) {
    let b = s.as_bytes();
    let mut best = None;
    let mut k = at;
    while b.get(k).is_some_and(u8::is_ascii) {
        match s.get(at..=k).and_then(|p| data::NAMED_ENTITIES.get(p)) {
            Some(&(c1, c2)) => {
                if c1 != 0 {
                    best = Some((k + 1, c1, c2));
                }
                k += 1;
            }
            None => break,
        }
    }
    (best, k)
}

/// Does html5ever report a parse error for the character reference after an `&` at
/// `at - 1` in text? It matters in one place: an error token between a `<pre>`,
/// `<listing>` or `<textarea>` start tag and the text after it makes the tree builder
/// keep that text's leading newline (it drops the newline only from the very next
/// token), so `<pre>&#xa` (no `;`) keeps its newline and `<pre>&#xa;` does not.
fn ref_error(s: &str, at: usize) -> bool {
    let b = s.as_bytes();
    match b.get(at).copied() {
        Some(b'#') => match numeric_value(b, at + 1) {
            None => true,
            Some((num, i)) => {
                b.get(i) != Some(&b';')
                    || matches!(
                        num,
                        0 | 0x01..=0x08
                            | 0x0B
                            | 0x0D..=0x1F
                            | 0x7F..=0x9F
                            | 0xD800..=0xDFFF
                            | 0xFDD0..=0xFDEF
                            | 0x11_0000..
                    )
                    || num & 0xFFFE == 0xFFFE
            }
        },
        Some(c) if c.is_ascii_alphanumeric() => match longest_name(s, at) {
            // A name without its `;` is decoded, with an error.
            (Some((end, ..)), _) => b.get(end - 1) != Some(&b';'),
            (None, k) => match b.get(k).copied() {
                // `&xyz;`: letters and digits that name nothing, then `;`.
                Some(c) if c.is_ascii_alphanumeric() => {
                    let rest = b.get(k..).unwrap_or_default();
                    let run = rest
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .count();
                    rest.get(run) == Some(&b';')
                }
                Some(b';') => k > at,
                _ => false,
            },
        },
        _ => false,
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Byte classes for the tag scanner.
const WS: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQ: u8 = 8;
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
    t
};

/// Index of the first byte at or after `from` whose class is in `mask`.
fn find_class(b: &[u8], from: usize, mask: u8) -> Option<usize> {
    let rest = b.get(from..)?;
    Some(
        from + rest
            .iter()
            .position(|&c| CLASS[usize::from(c)] & mask != 0)?,
    )
}

/// Index of the first byte at or after `from` that is not whitespace.
fn skip_ws(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    Some(from + rest.iter().position(|&c| CLASS[usize::from(c)] & WS == 0)?)
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

/// Start of the end tag that closes a raw-text or RCDATA element whose text starts at
/// `from`.
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

/// For the tests and the fuzz target: `Err` with both trees when this tokenizer's tree
/// of `text` is not html5ever's, node for node: with every body, and without the
/// script and style bodies [`parse_document`] leaves out. `Ok(true)` when it read the
/// page itself, `Ok(false)` when it left it to html5ever.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn check(text: &str) -> Result<bool, String> {
    let reference = Html::parse_document(text);
    let mut read = false;
    for bodies in [Bodies::Keep, Bodies::Drop] {
        if let Ok(fast) = read_tree(text, bodies) {
            let keep = bodies == Bodies::Keep;
            let (fast, html5ever) = (dump(&fast, keep), dump(&reference, keep));
            if fast != html5ever {
                return Err(format!(
                    "{text:?}\n--- this tokenizer:\n{fast}\n--- html5ever:\n{html5ever}"
                ));
            }
            read = true;
        }
    }
    Ok(read)
}

#[cfg(any(test, feature = "fuzzing"))]
/// Everything in a tree: the quirks mode, and every node in order with its depth,
/// each element's namespace, name and attributes (with their namespaces), each text,
/// comment and doctype.
pub(crate) fn dump(html: &Html, bodies: bool) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;

    let mut out = format!("quirks {:?}\n", html.quirks_mode);
    let mut depth = 0usize;
    for edge in html.tree.root().traverse() {
        let node = match edge {
            Edge::Open(node) => node,
            Edge::Close(_) => {
                depth = depth.saturating_sub(1);
                continue;
            }
        };
        let line = match node.value() {
            Node::Document => "#document".to_owned(),
            Node::Fragment => "#fragment".to_owned(),
            Node::Doctype(d) => format!(
                "<!DOCTYPE {:?} {:?} {:?}>",
                &*d.name, &*d.public_id, &*d.system_id
            ),
            Node::Comment(c) => format!("<!--{:?}-->", &**c),
            Node::Text(t) => {
                let body = is_body(node);
                if body && !bodies {
                    String::new()
                } else {
                    format!("{:?}", &**t)
                }
            }
            Node::Element(e) => {
                let mut line = format!("<{} {}", &*e.name.ns, &*e.name.local);
                for (name, value) in &e.attrs {
                    line.push_str(&format!(
                        " {:?}:{}:{}={:?}",
                        name.prefix.as_deref(),
                        &*name.ns,
                        &*name.local,
                        &**value
                    ));
                }
                line.push('>');
                line
            }
            Node::ProcessingInstruction(p) => format!("<?{:?}>", &**p),
        };
        if !line.is_empty() {
            out.push_str(&" ".repeat(depth));
            out.push_str(&line);
            out.push('\n');
        }
        depth += 1;
    }
    out
}

#[cfg(test)]
mod tests;
