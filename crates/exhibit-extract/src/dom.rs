//! The parsed page: DOM parsed once, plus what a single walk over it collects
//! (meta tags, canonical link, `<title>`, JSON-LD blocks, visible text).

use crate::index::{ElementIndex, compiled};
use crate::text::{self, hidden_in_tree, shown_text};
use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;
use std::cell::OnceCell;

/// Value of a plain (namespace-less) attribute. Cheaper than
/// `Element::attr`, which interns the name first; only for names that never
/// carry a namespace (`xlink:href` and the like are not looked up this way).
pub(crate) fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// Elements inside a parsed page.
pub(crate) struct Doc<'a> {
    pub html: Html,
    /// The decoded page text, for regex scans over scripts and attributes.
    pub raw: &'a str,
    /// `(key, content)` for every `<meta>`: key is the lower-cased
    /// `property`, `name`, `itemprop` or `http-equiv`; content is `content`
    /// or `value`.
    pub metas: Vec<(String, String)>,
    pub canonical: Option<String>,
    /// First `<title>` outside SVG, normalised.
    pub title: Option<String>,
    pub lang: Option<String>,
    /// Parsed JSON-LD blocks.
    pub ld: Vec<Value>,
    /// Visible text, normalised.
    pub visible: String,
    /// `alt` texts of visible images, space separated.
    pub alts: String,
    /// URL from a browser "saved from url=(NNNN)..." comment.
    pub saved_from: Option<String>,
    /// Elements by tag, id, class and attribute name, for [`Doc::select`].
    index: OnceCell<ElementIndex>,
    /// `visible`, lower-cased, and its length in chars (computed on demand).
    visible_lc: OnceCell<String>,
    visible_chars: OnceCell<usize>,
}

impl<'a> Doc<'a> {
    /// Parse a page: html5ever's tree minus script and style bodies, built by
    /// [`crate::tokenize::parse_document`]; `raw` stays the page text as decoded.
    pub(crate) fn parse(raw: &'a str) -> Doc<'a> {
        let html = crate::tokenize::parse_document(raw);
        let mut doc = Doc {
            html,
            raw,
            metas: Vec::new(),
            canonical: None,
            title: None,
            lang: None,
            ld: Vec::new(),
            visible: String::new(),
            alts: String::new(),
            saved_from: None,
            index: OnceCell::new(),
            visible_lc: OnceCell::new(),
            visible_chars: OnceCell::new(),
        };
        doc.collect();
        doc
    }

    fn collect(&mut self) {
        // One pass over the tree. Flags: bit 0 = not rendered, bit 1 = in SVG.
        let mut visible = text::Normalizer::default();
        let mut alts = String::new();
        let mut ld_texts: Vec<String> = Vec::new();
        let mut stack: Vec<(NodeRef<'_, Node>, bool, u8)> = Vec::new();
        push_children(self.html.tree.root(), &mut stack, 0);
        while let Some((node, open, flags)) = stack.pop() {
            match node.value() {
                Node::Text(t) if flags & 1 == 0 => {
                    visible.push(t);
                }
                Node::Comment(c) => {
                    if self.saved_from.is_none()
                        && let Some(pos) = c.find("saved from url=")
                    {
                        let rest = c.get(pos + "saved from url=".len()..).unwrap_or_default();
                        let rest = rest.trim_start_matches(|ch: char| {
                            ch == '(' || ch.is_ascii_digit() || ch == ')'
                        });
                        let url = rest.split_whitespace().next().unwrap_or_default();
                        if url.starts_with("http") {
                            self.saved_from = Some(url.to_owned());
                        }
                    }
                }
                Node::Element(e) => {
                    if !open {
                        visible.space();
                        continue;
                    }
                    let name = e.name();
                    let mut child_flags = flags;
                    match name {
                        "meta" => {
                            let key = attr(e, "property")
                                .or_else(|| attr(e, "name"))
                                .or_else(|| attr(e, "itemprop"))
                                .or_else(|| attr(e, "http-equiv"));
                            let content = attr(e, "content").or_else(|| attr(e, "value"));
                            if let (Some(k), Some(c)) = (key, content) {
                                self.metas
                                    .push((k.trim().to_ascii_lowercase(), c.to_owned()));
                            }
                        }
                        "link" => {
                            let is_canonical = attr(e, "rel").is_some_and(|r| {
                                r.split_ascii_whitespace()
                                    .any(|t| t.eq_ignore_ascii_case("canonical"))
                            });
                            if is_canonical
                                && self.canonical.is_none()
                                && let Some(h) =
                                    attr(e, "href").map(str::trim).filter(|h| !h.is_empty())
                            {
                                self.canonical = Some(h.to_owned());
                            }
                        }
                        "title" if flags & 2 == 0 && self.title.is_none() => {
                            if let Some(el) = ElementRef::wrap(node) {
                                self.title = text::clean(&el.text().collect::<String>());
                            }
                        }
                        "html" if self.lang.is_none() => {
                            self.lang = attr(e, "lang")
                                .or_else(|| attr(e, "xml:lang"))
                                .map(str::to_owned);
                        }
                        "script" => {
                            if is_json_ld(attr(e, "type"))
                                && let Some(el) = ElementRef::wrap(node)
                            {
                                ld_texts.push(el.text().collect());
                            }
                        }
                        "img" if flags & 1 == 0 => {
                            if let Some(alt) = attr(e, "alt")
                                && alts.len() < 20_000
                            {
                                alts.push_str(alt);
                                alts.push(' ');
                            }
                        }
                        "svg" => child_flags |= 2,
                        _ => {}
                    }
                    if matches!(
                        name,
                        "script"
                            | "style"
                            | "noscript"
                            | "template"
                            | "head"
                            | "svg"
                            | "iframe"
                            | "object"
                            | "title"
                    ) || e
                        .attrs()
                        .any(|(k, v)| k == "hidden" || (k == "style" && text::style_hides(v)))
                    {
                        child_flags |= 1;
                    }
                    if child_flags & 1 == 0 && is_break(name) {
                        visible.space();
                        stack.push((node, false, child_flags));
                    }
                    push_children(node, &mut stack, child_flags);
                }
                Node::Document | Node::Fragment => push_children(node, &mut stack, flags),
                _ => {}
            }
        }
        self.visible = visible.finish();
        self.alts = text::normalize(&alts);
        self.ld = ld_texts.iter().flat_map(|t| parse_json_ld(t)).collect();
    }

    /// First non-empty meta content for `key` (lower-case).
    pub(crate) fn meta(&self, key: &str) -> Option<&str> {
        self.metas
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// All elements matching a static selector, in `Html::select` order.
    pub(crate) fn select(&self, s: &'static str) -> impl Iterator<Item = ElementRef<'_>> + '_ {
        let index = self.index.get_or_init(|| ElementIndex::build(&self.html));
        compiled(s)
            .into_iter()
            .flat_map(move |c| index.select(&self.html, c))
    }

    /// The visible text, lower-cased.
    pub(crate) fn visible_lc(&self) -> &str {
        self.visible_lc
            .get_or_init(|| text::lowercase(&self.visible))
    }

    /// Length of the visible text in chars.
    pub(crate) fn visible_chars(&self) -> usize {
        *self
            .visible_chars
            .get_or_init(|| self.visible.chars().count())
    }

    /// First visible element matching any of the selectors (in order).
    pub(crate) fn first_el(&self, sels: &[&'static str]) -> Option<ElementRef<'_>> {
        sels.iter()
            .find_map(|s| self.select(s).find(|e| !hidden_in_tree(*e)))
    }

    /// Shown text of the first visible, non-empty match of any selector.
    pub(crate) fn first_text(&self, sels: &[&'static str], max_len: usize) -> Option<String> {
        sels.iter().find_map(|s| {
            self.select(s)
                .filter(|e| !hidden_in_tree(*e))
                .take(20)
                .find_map(|e| {
                    let t = shown_text(e);
                    (!t.is_empty() && t.chars().count() <= max_len).then_some(t)
                })
        })
    }
}

/// Is a `<script>` of this `type` JSON-LD?
pub(crate) fn is_json_ld(type_attr: Option<&str>) -> bool {
    type_attr.is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
}

fn is_break(name: &str) -> bool {
    !matches!(
        name,
        "a" | "span"
            | "b"
            | "i"
            | "em"
            | "strong"
            | "small"
            | "sup"
            | "sub"
            | "u"
            | "s"
            | "del"
            | "ins"
            | "mark"
            | "abbr"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "font"
            | "q"
            | "time"
            | "var"
            | "wbr"
            | "data"
            | "label"
    )
}

fn push_children<'a>(
    node: NodeRef<'a, Node>,
    stack: &mut Vec<(NodeRef<'a, Node>, bool, u8)>,
    flags: u8,
) {
    let mut child = node.last_child();
    while let Some(c) = child {
        stack.push((c, true, flags));
        child = c.prev_sibling();
    }
}

/// Parse one JSON-LD block leniently: comment/CDATA wrappers are removed and
/// several concatenated values are accepted.
fn parse_json_ld(text: &str) -> Vec<Value> {
    let mut t = text.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("//<![CDATA[", "//]]>"),
        ("<![CDATA[", "]]>"),
    ] {
        if let Some(inner) = t.strip_prefix(open) {
            t = inner.trim();
            if let Some(inner) = t.strip_suffix(close) {
                t = inner.trim();
            }
        }
    }
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return vec![v];
    }
    serde_json::Deserializer::from_str(t)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect()
}

/// The `@type`s of a JSON-LD node, without any schema.org prefix.
pub(crate) fn ld_types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.rsplit(['/', ':']).next().unwrap_or(s)],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.rsplit(['/', ':']).next().unwrap_or(s))
            .collect(),
        _ => Vec::new(),
    }
}

/// The JSON-LD nodes that describe the page itself: top-level values,
/// `@graph` members, `mainEntity`, and `ItemList` elements (with their
/// `item`). Nested `isRelatedTo`-style products are not included.
pub(crate) fn ld_candidates(ld: &[Value]) -> Vec<&Value> {
    let mut out: Vec<&Value> = Vec::new();
    let mut stack: Vec<(&Value, usize)> = ld.iter().rev().map(|v| (v, 0)).collect();
    while let Some((v, depth)) = stack.pop() {
        if depth > 6 || out.len() > 5000 {
            continue;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().rev().map(|c| (c, depth + 1))),
            Value::Object(m) => {
                out.push(v);
                for key in ["@graph", "mainEntity", "itemListElement", "item"] {
                    if let Some(c) = m.get(key) {
                        stack.push((c, depth + 1));
                    }
                }
            }
            _ => {}
        }
    }
    out
}
