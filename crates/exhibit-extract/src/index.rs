//! Compiled selectors and an index of the page's elements by tag, id, class
//! and attribute name, so that a query only tests the elements that can
//! match instead of walking the whole tree once per selector.
//!
//! Each selector is reduced to "keys": for every comma-separated part, the
//! tags, ids, classes and attribute names its compounds require (anything
//! inside `:not(...)` and other pseudo-classes is ignored). An element can
//! only match a part if it carries every key of the rightmost compound, so
//! the part's candidates are the elements listed under its rarest such key;
//! and the part matches nothing if some other compound's key is missing from
//! the page. Cheap attribute tests (`[class*='price--']`) weed out more
//! candidates, and the full selector then decides. Results come in the same
//! order as [`scraper::Html::select`].

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{LazyLock, RwLock};

/// A selector plus what is used to find its candidates.
pub(crate) struct Compiled {
    pub selector: Selector,
    /// The comma-separated parts; `None` when the rightmost compound of some
    /// part requires no key (the query then tests every element).
    parts: Option<Vec<Part>>,
}

/// What one comma-separated part of a selector requires.
struct Part {
    /// Keys of the rightmost compound: the matching element carries them all.
    own: Vec<u64>,
    /// Keys of the other compounds: some element of the page carries each.
    others: Vec<u64>,
    /// Attribute tests of the rightmost compound.
    tests: Vec<AttrTest>,
}

/// `[name op 'value']` of a compound, tested loosely: names and values
/// compared without regard to ASCII case, so that an element failing the
/// test cannot match the selector.
struct AttrTest {
    name: String,
    op: u8,
    value: String,
}

impl AttrTest {
    fn passes(&self, e: &scraper::node::Element) -> bool {
        let v = self.value.as_bytes();
        e.attrs().any(|(k, a)| {
            let a = a.as_bytes();
            k.eq_ignore_ascii_case(&self.name)
                && match self.op {
                    b'=' => a.eq_ignore_ascii_case(v),
                    b'^' => a.get(..v.len()).is_some_and(|p| p.eq_ignore_ascii_case(v)),
                    b'$' => a
                        .len()
                        .checked_sub(v.len())
                        .and_then(|s| a.get(s..))
                        .is_some_and(|p| p.eq_ignore_ascii_case(v)),
                    b'*' => v.is_empty() || a.windows(v.len()).any(|w| w.eq_ignore_ascii_case(v)),
                    b'~' => a
                        .split(u8::is_ascii_whitespace)
                        .any(|w| w.eq_ignore_ascii_case(v)),
                    _ => true,
                }
        })
    }
}

type Cache = RwLock<HashMap<&'static str, Option<&'static Compiled>>>;
static COMPILED: LazyLock<Cache> = LazyLock::new(|| RwLock::new(HashMap::new()));

/// The compiled form of a static selector string, built once per process.
/// `None` (and a debug assertion) for invalid CSS.
pub(crate) fn compiled(s: &'static str) -> Option<&'static Compiled> {
    {
        let cache = COMPILED.read().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = cache.get(s) {
            return *v;
        }
    }
    let mut cache = COMPILED.write().unwrap_or_else(|e| e.into_inner());
    *cache.entry(s).or_insert_with(|| {
        let selector = Selector::parse(s).ok();
        debug_assert!(selector.is_some(), "invalid selector {s}");
        selector.map(|selector| {
            let parts = selector_parts(s);
            if let Some(parts) = &parts {
                want(parts);
            }
            &*Box::leak(Box::new(Compiled { selector, parts }))
        })
    })
}

/// The parsed selector for a static selector string.
pub(crate) fn sel(s: &'static str) -> Option<&'static Selector> {
    compiled(s).map(|c| &c.selector)
}

#[derive(Clone, Copy)]
enum Kind {
    Tag = 1,
    Id = 2,
    Class = 3,
    Attr = 4,
}

/// A hash of the kind and the name, eight bytes at a time (tags and
/// attribute names folded to lower case, roughly: letters are, and a few
/// punctuation bytes collide with others). Collisions only add candidates,
/// which the selector then rejects.
fn key(kind: Kind, name: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let fold: u64 = if matches!(kind, Kind::Tag | Kind::Attr) {
        0x2020_2020_2020_2020
    } else {
        0
    };
    let mix = |h: u64, word: u64| (h.rotate_left(5) ^ (word | fold)).wrapping_mul(K);
    let mut h = (kind as u64).wrapping_mul(K) ^ name.len() as u64;
    let mut chunks = name.as_bytes().chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = mix(h, u64::from_le_bytes(word));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut word = [0u8; 8];
        if let Some(w) = word.get_mut(..tail.len()) {
            w.copy_from_slice(tail);
        }
        h = mix(h, u64::from_le_bytes(word));
    }
    h
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// The parts of a selector (see the module docs); `None` for selectors this
/// simple reading does not handle.
fn selector_parts(s: &str) -> Option<Vec<Part>> {
    if s.contains('\\') || s.contains('|') || s.contains("::") {
        return None;
    }
    let b = s.as_bytes();
    // Split into parts at top-level commas and compounds at combinators.
    let mut parts = Vec::new();
    let mut compounds: Vec<&str> = Vec::new();
    let (mut depth, mut quote) = (0i32, None::<u8>);
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'[' | b'(' => depth += 1,
                b']' | b')' => depth -= 1,
                b',' if depth == 0 => {
                    compounds.push(s.get(start..i)?);
                    parts.push(part(&compounds)?);
                    compounds.clear();
                    start = i + 1;
                }
                _ if depth == 0 && (c.is_ascii_whitespace() || b"+>~".contains(&c)) => {
                    compounds.push(s.get(start..i)?);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    if depth != 0 || quote.is_some() {
        return None;
    }
    compounds.push(s.get(start..)?);
    parts.push(part(&compounds)?);
    Some(parts)
}

/// One part from its compounds (empty strings between combinators skipped).
fn part(compounds: &[&str]) -> Option<Part> {
    let mut compounds = compounds.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
    let (own, tests) = compound(compounds.next_back()?)?;
    if own.is_empty() {
        return None;
    }
    let mut others = Vec::new();
    for c in compounds {
        others.extend(compound(c)?.0);
    }
    Some(Part { own, others, tests })
}

/// Keys and attribute tests of one compound selector
/// (`tag#id.class[attr...]:pseudo(...)`).
fn compound(c: &str) -> Option<(Vec<u64>, Vec<AttrTest>)> {
    let b = c.as_bytes();
    let ident = |from: usize| {
        let len = b
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&x| is_ident_byte(x))
            .count();
        (c.get(from..from + len).unwrap_or_default(), from + len)
    };
    let mut keys = Vec::new();
    let mut tests = Vec::new();
    let mut i = 0;
    if b.first().is_some_and(|x| x.is_ascii_alphabetic()) {
        let (tag, end) = ident(0);
        keys.push(key(Kind::Tag, tag));
        i = end;
    }
    while let Some(&x) = b.get(i) {
        match x {
            b'#' | b'.' => {
                let (name, end) = ident(i + 1);
                if !name.is_empty() {
                    let kind = if x == b'#' { Kind::Id } else { Kind::Class };
                    keys.push(key(kind, name));
                }
                i = end;
            }
            b'[' => {
                let end = skip_balanced(b, i, b'[', b']')?;
                let (name, test) = attr_selector(c.get(i + 1..end - 1)?)?;
                keys.push(key(Kind::Attr, name));
                tests.extend(test);
                i = end;
            }
            b':' => {
                let (_, end) = ident(i + 1);
                i = if b.get(end) == Some(&b'(') {
                    skip_balanced(b, end, b'(', b')')?
                } else {
                    end
                };
            }
            _ => i += 1,
        }
    }
    Some((keys, tests))
}

/// The name and, when it has a value, the test of an attribute selector
/// (the text between the brackets).
fn attr_selector(inner: &str) -> Option<(&str, Option<AttrTest>)> {
    let inner = inner.trim();
    let name_len = inner.bytes().take_while(|&x| is_ident_byte(x)).count();
    let (name, rest) = inner.split_at_checked(name_len)?;
    if name.is_empty() {
        return None;
    }
    let rest = rest.trim_start();
    let (op, rest) = match rest.as_bytes() {
        [] => return Some((name, None)),
        [b'=', ..] => (b'=', rest.get(1..)?),
        [op @ (b'*' | b'^' | b'$' | b'~'), b'=', ..] => (*op, rest.get(2..)?),
        // `|=` and anything unusual: only the name is required.
        _ => return Some((name, None)),
    };
    let rest = rest.trim_start();
    let value = match rest.as_bytes().first() {
        Some(&q @ (b'\'' | b'"')) => rest.get(1..)?.split(char::from(q)).next()?,
        _ => rest.split(|c: char| c.is_ascii_whitespace()).next()?,
    };
    let test = AttrTest {
        name: name.to_owned(),
        op,
        value: value.to_owned(),
    };
    Some((name, Some(test)))
}

/// Index just after the bracket that closes the one at `open`, skipping
/// quoted strings.
fn skip_balanced(b: &[u8], open: usize, l: u8, r: u8) -> Option<usize> {
    let mut depth = 0;
    let mut quote = None;
    for (i, &c) in b.iter().enumerate().skip(open) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == l => depth += 1,
            None if c == r => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            None => {}
        }
    }
    None
}

/// Hashes a key that is already a good hash.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// Every key of every selector compiled so far in this process. A page's
/// index lists its elements under these keys only (most classes and
/// attributes of a page are never asked for); keys of selectors compiled
/// later are added to an index when first queried.
static WANTED: LazyLock<RwLock<KeyMap<()>>> = LazyLock::new(|| RwLock::new(KeyMap::default()));

fn want(parts: &[Part]) {
    let mut wanted = WANTED.write().unwrap_or_else(|e| e.into_inner());
    for p in parts {
        for k in p.own.iter().chain(&p.others) {
            wanted.insert(*k, ());
        }
    }
}

/// Calls `f` with every key of an element.
fn element_keys(e: &scraper::node::Element, mut f: impl FnMut(u64)) {
    f(key(Kind::Tag, e.name()));
    for (name, value) in e.attrs() {
        f(key(Kind::Attr, name));
        match name {
            "id" => f(key(Kind::Id, value)),
            "class" => value
                .split_ascii_whitespace()
                .for_each(|c| f(key(Kind::Class, c))),
            _ => {}
        }
    }
}

/// Elements that `Html::select` considers, in its order (creation order,
/// which is also `NodeId` order): those with a parent.
fn elements(html: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    html.tree
        .nodes()
        .filter(|n| n.parent().is_some())
        .filter_map(ElementRef::wrap)
}

/// The elements of one parsed page, listed under the keys asked for.
pub(crate) struct ElementIndex {
    /// Key -> the elements carrying it (parent or not), in ascending
    /// `NodeId` order. A key with no entry has not been indexed yet (an
    /// empty list means no element carries it).
    lists: RefCell<KeyMap<Vec<NodeId>>>,
}

impl ElementIndex {
    pub(crate) fn build(html: &Html) -> ElementIndex {
        let wanted = WANTED.read().unwrap_or_else(|e| e.into_inner()).clone();
        let index = ElementIndex {
            lists: RefCell::new(KeyMap::default()),
        };
        index.add(html, &wanted);
        index
    }

    /// Index `keys` (one walk over the elements).
    fn add(&self, html: &Html, keys: &KeyMap<()>) {
        let mut lists = self.lists.borrow_mut();
        for k in keys.keys() {
            lists.entry(*k).or_default();
        }
        for e in html.tree.nodes().filter_map(ElementRef::wrap) {
            element_keys(e.value(), |k| {
                if let Some(list) = lists.get_mut(&k)
                    && keys.contains_key(&k)
                    && list.last() != Some(&e.id())
                {
                    list.push(e.id());
                }
            });
        }
    }

    /// Candidates for `parts`, in `NodeId` order.
    fn candidates(&self, html: &Html, parts: &[Part]) -> Vec<NodeId> {
        let missing: KeyMap<()> = {
            let lists = self.lists.borrow();
            parts
                .iter()
                .flat_map(|p| p.own.iter().chain(&p.others))
                .filter(|k| !lists.contains_key(k))
                .map(|k| (*k, ()))
                .collect()
        };
        if !missing.is_empty() {
            self.add(html, &missing);
        }
        let lists = self.lists.borrow();
        let list = |k: &u64| lists.get(k).map_or(&[][..], Vec::as_slice);
        let mut ids: Vec<NodeId> = Vec::new();
        for p in parts {
            if p.others.iter().any(|k| list(k).is_empty()) {
                continue;
            }
            let rarest = p
                .own
                .iter()
                .map(list)
                .min_by_key(|l| l.len())
                .unwrap_or_default();
            let tested = rarest.iter().filter(|id| {
                html.tree
                    .get(**id)
                    .and_then(|n| n.value().as_element())
                    .is_some_and(|e| p.tests.iter().all(|t| t.passes(e)))
            });
            ids.extend(tested);
        }
        if parts.len() > 1 {
            ids.sort_unstable();
            ids.dedup();
        }
        ids
    }

    /// Elements of `html` matching `c`, in `Html::select` order.
    pub(crate) fn select<'h>(
        &'h self,
        html: &'h Html,
        c: &'static Compiled,
    ) -> impl Iterator<Item = ElementRef<'h>> + 'h {
        let candidates = c.parts.as_ref().map(|parts| self.candidates(html, parts));
        let all = candidates.is_none().then(|| elements(html));
        let listed = candidates
            .into_iter()
            .flatten()
            .filter_map(|id| html.tree.get(id))
            .filter(|n| n.parent().is_some())
            .filter_map(ElementRef::wrap);
        all.into_iter()
            .flatten()
            .chain(listed)
            .filter(move |e| c.selector.matches(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_selectors() {
        let shape = |s: &'static str| {
            selector_parts(s).map(|parts| {
                parts
                    .iter()
                    .map(|p| (p.own.len(), p.others.len(), p.tests.len()))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(shape("#a .b"), Some(vec![(1, 1, 0)]));
        assert_eq!(
            shape("h1.x-item-title__mainTitle .ux-textspans--BOLD"),
            Some(vec![(1, 2, 0)])
        );
        assert_eq!(shape(".a-price:not(.a-text-price)"), Some(vec![(1, 0, 0)]));
        assert_eq!(shape("input[type='password' i]"), Some(vec![(2, 0, 1)]));
        assert_eq!(
            shape("#x[data-asin], #dp[data-asin], [data-csa-c-asin]"),
            Some(vec![(2, 0, 0), (2, 0, 0), (1, 0, 0)])
        );
        assert_eq!(
            shape("[data-buy-box-region='price'] [data-selector='price-only'] p"),
            Some(vec![(1, 2, 0)])
        );
        assert_eq!(shape("a > b"), Some(vec![(1, 1, 0)]));
        assert_eq!(shape("[class*='mainTitle--']"), Some(vec![(1, 0, 1)]));
        assert_eq!(shape("div :first-child"), None);
        assert_eq!(shape("*"), None);
        let p = selector_parts("a[href*='/shop/'][href*=\"ref=\"]").unwrap_or_default();
        let tests: Vec<_> = p
            .iter()
            .flat_map(|p| &p.tests)
            .map(|t| (t.name.as_str(), t.op, t.value.as_str()))
            .collect();
        assert_eq!(tests, [("href", b'*', "/shop/"), ("href", b'*', "ref=")]);
    }

    #[test]
    fn index_matches_html_select() {
        let html = Html::parse_document(
            "<html><body><div id=a class='x y'><p class=x>1</p><span data-k='v w'>2</span></div>\
             <table><b class=x>3</b><tr><td class='z x'>4</td></tr></table>\
             <svg viewBox='0 0 1 1'><foreignObject><p class=y>5</p></foreignObject></svg>\
             <p><b class=x>6<p class=y>7</b></p><template><p class=x>8</p></template>\
             <input type=PassWord><a href=x name=n>9</a></body></html>",
        );
        let index = ElementIndex::build(&html);
        for s in [
            ".x",
            ".y",
            "#a .x",
            "p.x, .y",
            "[data-k]",
            "[data-k~='w']",
            "td.x",
            "b.x, p",
            "input[type='password' i]",
            "input[type='password']",
            "a[href], a[name]",
            ".x:not(p)",
            "p",
            "div > p",
            "[viewbox]",
            "[viewBox^='0 0']",
            "svg",
            "foreignObject p",
            "*",
            "#missing, .x",
            "#missing .x",
            "[class*='y']",
            "[class$='x']",
            "[data-k^='v']",
            "[data-k='V W' i]",
            "table .x + .x",
            "a[name=n]",
        ] {
            let c = compiled(s).expect("selector parses");
            let got: Vec<_> = index.select(&html, c).map(|e| e.id()).collect();
            let want: Vec<_> = html.select(&c.selector).map(|e| e.id()).collect();
            assert_eq!(got, want, "{s}");
        }
    }
}
