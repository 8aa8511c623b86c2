//! # exhibit-extract
//!
//! Reads the bytes of a fetched marketplace page (Amazon, eBay, Etsy, Taobao,
//! Tmall, AliExpress, Alibaba, 1688, JD, Temu, Shopee, Walmart, Mercado
//! Libre, Rakuten, ...) and works out what the page *is*:
//!
//! - the charset and the decoded text ([`decode`]): valid UTF-8 wins over any
//!   declaration, then the HTTP `charset`, a BOM, `<meta charset>`, and finally
//!   `chardetng`; declared GBK/GB2312 is decoded as gb18030;
//! - the marketplace, from the URL host or, when the host says nothing (a
//!   local test server, a saved file), from the canonical link, `og:url`,
//!   `og:site_name` and the domains the page references;
//! - the page kind ([`PageKind`]): listing, blocked (CAPTCHA, robot check,
//!   login wall, error interstitial), removed, search results, storefront,
//!   checkout or other, with a plain-words [`Extraction::reason`] for blocked/removed;
//! - the listing id (ASIN, eBay item number, Taobao `id=`, ...), title, price,
//!   currency of the displayed price, seller and canonical URL;
//! - the seller's id on the marketplace ([`Extraction::seller_id`]; the `seller_id`
//!   module says which id each marketplace gets and where it may be read);
//! - the listing's main product image ([`Extraction::main_image`]; the `main_image`
//!   module says where each marketplace shows it);
//! - on a storefront, what it says about the seller ([`Extraction::store`]: shop
//!   name, business name and address, location, rating, opening date; the `store`
//!   module says where each marketplace shows them);
//! - on a checkout page, where the order ships and what it costs
//!   ([`Extraction::checkout`]; the `checkout` module says how a checkout is told);
//! - on a store or search page, the listings it links to ([`listing_links`]: each
//!   link's URL, marketplace and listing id, by the same URL rules).
//!
//! Sources are tried from most to least specific: each marketplace's own
//! markup (what the shopper sees), then JSON-LD, microdata and OpenGraph /
//! `product:` meta tags. Structured data is only a fallback because it often
//! disagrees with the page (converted currencies, prices without VAT).
//!
//! What this crate never does: no I/O of any kind — no network, no files, no
//! clock, no environment. It does not fetch, render, execute scripts, store
//! anything or escape output for display. Every function is pure and must
//! not panic on any input bytes; the DOM is parsed once per page.

mod checkout;
mod decode;
mod dom;
mod identity;
mod ids;
mod index;
mod kind;
mod links;
mod main_image;
mod market;
mod money;
mod seller_id;
mod sites;
mod store;
mod structured;
mod text;
mod tokenize;

pub use decode::decode;
/// What a storefront page shows about the seller ([`Extraction::store`]) and what a
/// checkout page shows about the order ([`Extraction::checkout`]): the record's own types,
/// so the facts reach it as read. Each value is as shown: trimmed, whitespace collapsed to
/// one line, at most 300 characters. The extractor leaves `ship_to_region` empty: the
/// region is read off the address when the facts are recorded.
pub use exhibit_domain::{CheckoutFacts, StoreFacts};
pub use links::{
    ListingLink, ListingLinks, MAX_ANCHORS, MAX_HREF_BYTES, MAX_LISTING_LINKS, listing_links,
};

use dom::Doc;
use kind::Block;
use money::Money;
use regex::Regex;
use std::sync::LazyLock;
use structured::Structured;
use text::{hidden_in_tree, normalize, shown_text, strip_markup};
use url::Url;

/// A fetched page, as the capture layer hands it over.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// The URL the page was finally served from (after redirects).
    pub url: &'a url::Url,
    /// HTTP status if known (None for browser snapshots without one).
    pub http_status: Option<u16>,
    /// The Content-Type header value, if any.
    pub content_type: Option<&'a str>,
    /// The body bytes with any Content-Encoding already removed.
    pub body: &'a [u8],
}

/// What kind of page this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A product page.
    Listing,
    /// CAPTCHA, slider, robot check, login wall, access-denied or error
    /// interstitial where the product is not the main content.
    Blocked,
    /// 404/410, or "listing not found / no longer available".
    Removed,
    /// Search results.
    Search,
    /// A seller storefront.
    Store,
    /// The order confirmation page before paying (a logged-in buyer's checkout). Not a
    /// capture of the listing: the listing it buys is in [`Extraction::checkout`].
    Checkout,
    /// Anything else (home pages, non-HTML bodies, ...).
    #[default]
    Other,
}

impl PageKind {
    /// The lower-case name used in serialised form (`"listing"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Listing => "listing",
            PageKind::Blocked => "blocked",
            PageKind::Removed => "removed",
            PageKind::Search => "search",
            PageKind::Store => "store",
            PageKind::Checkout => "checkout",
            PageKind::Other => "other",
        }
    }
}

/// Everything read from one page.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Extraction {
    pub marketplace: Option<String>,
    pub page_kind: PageKind,
    /// Why the page was judged blocked or removed, in plain words, e.g. "Amazon robot check (CAPTCHA)", "login wall", "slider CAPTCHA (Alibaba baxia)", "listing not found".
    pub reason: Option<String>,
    pub listing_id: Option<String>,
    pub title: Option<String>,
    /// "." decimal point, no thousands separators, digits as displayed
    /// ("1638", "71492", "3500.00"); range -> lower bound; wholesale tiers ->
    /// first tier.
    pub price: Option<String>,
    /// ISO 4217 code of the DISPLAYED price.
    pub currency: Option<String>,
    pub seller: Option<String>,
    /// The marketplace's own id for the seller of the listing, or for the store a
    /// storefront page shows, where the page shows one in the seller's own block or
    /// config (never a sponsored or "other sellers" widget, never the shopper's
    /// account). One kind of id per marketplace:
    /// - Taobao / Tmall: the shop id (`shopId`, `shop<id>.taobao.com`), digits; not
    ///   the seller's user id (`sellerId` / `userId`);
    /// - 1688: the seller's member id (`memberId`: `ythlx`, `b2b-…`);
    /// - Alibaba.com: the storefront name of `<name>.en.alibaba.com`;
    /// - AliExpress: the store number (`/store/<n>`, `storeNum`), digits;
    /// - Amazon: the merchant id of the featured offer (`seller=` of the buy box's
    ///   "Sold by" link, the add-to-cart form's `merchantID`), e.g. `A2NQK4TIWYJD6B`;
    ///   Amazon selling itself has one too (`ATVPDKIKX0DER` on amazon.com);
    /// - eBay: the seller's user name (`/usr/<name>`, `_ssn=`), not the eBay Store
    ///   name of `/str/` links;
    /// - Etsy: the numeric shop id (`shopId`), not the shop name;
    /// - Mercado Libre: the numeric seller id (`seller_id`, `_CustId_<n>`);
    /// - Rakuten: the numeric shop id (`shop_bid`);
    /// - Walmart, JD, Temu, Shopee, Pinduoduo: the numeric seller / shop / mall id of
    ///   the seller's link (`/seller/<n>`, `mall.jd.com/index-<n>`, `-m-<n>.html`,
    ///   `/shop/<n>` or the listing URL's `-i.<shop>.<item>`, `mall_id=`).
    ///
    /// None on blocked, removed, search, checkout and other pages (a checkout names its
    /// seller in [`Extraction::checkout`]), and whenever the value does
    /// not have the marketplace's id shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<String>,
    /// The absolute `http(s)` URL of the listing's main product image (the first picture
    /// of its gallery), resolved against the page URL, protocol-relative as `https`. Read
    /// from the marketplace's gallery or page config, else the JSON-LD product's `image`,
    /// else `og:image`. None on every page that is not a listing, and for `data:` URLs,
    /// icons, tracking pixels and sprites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_image: Option<String>,
    pub canonical_url: Option<String>,
    /// On a storefront page (kind `store`): what it shows about the seller, each value
    /// as shown (trimmed, on one line, never inferred). None on every other page, and
    /// on a storefront that shows none of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreFacts>,
    /// On a checkout page (kind `checkout`): where the order ships, its total, and the
    /// listing and seller it buys from. None on every other page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout: Option<CheckoutFacts>,
    /// The marketplace account the page header greets, when someone is logged in: the
    /// "virtual identity" of the capture.
    #[serde(default)]
    pub logged_in_as: Option<String>,
    /// Name of the encoding used to decode the page, e.g. "UTF-8", "gb18030"
    /// ("binary" when the body is not text at all).
    pub charset: String,
    /// True when the body was judged to be HTML at all.
    pub is_html: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    Empty,
    Binary,
    Text,
    Html,
}

fn sniff(body: &[u8], content_type: Option<&str>) -> Body {
    let head = body.get(..body.len().min(4096)).unwrap_or(body);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let lead = head.get(start..).unwrap_or_default();
    let lead = lead.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(lead);
    if lead.is_empty() && body.iter().all(u8::is_ascii_whitespace) {
        return Body::Empty;
    }
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF87a",
        b"GIF89a",
        b"%PDF",
        b"PK\x03\x04",
        b"\x1F\x8B",
        b"\x00\x00\x01\x00",
        b"wOFF",
        b"wOF2",
        b"OggS",
        b"ID3",
        b"\x1A\x45\xDF\xA3",
        b"BZh",
        b"7z\xBC\xAF",
    ];
    if MAGIC.iter().any(|m| lead.starts_with(m))
        || (lead.starts_with(b"RIFF")
            && lead
                .get(8..12)
                .is_some_and(|t| t == b"WEBP" || t == b"WAVE" || t == b"AVI "))
        || lead.get(4..8).is_some_and(|t| t == b"ftyp")
    {
        return Body::Binary;
    }
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if !utf16 && head.contains(&0) {
        return Body::Binary;
    }
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if mime.starts_with("image/")
        || mime.starts_with("audio/")
        || mime.starts_with("video/")
        || mime.starts_with("font/")
    {
        return Body::Binary;
    }
    if matches!(
        mime.as_str(),
        "application/pdf" | "application/zip" | "application/gzip"
    ) {
        return Body::Binary;
    }
    let lead_lc: Vec<u8> = lead.iter().take(1024).map(u8::to_ascii_lowercase).collect();
    let looks_json = matches!(lead.first(), Some(b'{' | b'['));
    if mime.contains("json") || mime.contains("javascript") || mime == "text/css" {
        return Body::Text;
    }
    if (mime.contains("html") || mime.contains("xhtml")) && !looks_json {
        return Body::Html;
    }
    let tag_like = lead.first() == Some(&b'<') || utf16;
    let has_html_tag = [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
        b"<div",
        b"<main",
        b"<script",
        b"<p",
        b"<span",
        b"<a ",
        b"<table",
        b"<section",
        b"<!--",
    ]
    .iter()
    .any(|t| lead_lc.windows(t.len()).any(|w| w == *t));
    if tag_like && has_html_tag {
        Body::Html
    } else {
        Body::Text
    }
}

static TITLE_SUFFIX_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*(?:[|:：\-–—]\s*)+(?:amazon(?:\.[a-z.]+)?|ebay|etsy|aliexpress(?:\s*\d+)?|淘宝网|tmall\.com天猫|天猫|阿里巴巴|alibaba\.com|京东|jd\.com|temu|shopee[^|]*|walmart\.com|walmart|mercado ?libre[^|]*|楽天市場|rakuten)\s*$",
    )
    .ok()
});
static TITLE_PREFIX_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:amazon\.[a-z.]+\s*[:：]\s*|【楽天市場】\s*)").ok());
static PRICE_PREFIX_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^|]{0,40}\d[^|]{0,40}(?-u:\b)(?:off|rabatt|descuento|de réduction)\s*\|")
        .ok()
});

/// `og:title` / `<title>` minus marketplace prefixes and suffixes.
fn clean_page_title(t: &str, market: Option<&str>) -> Option<String> {
    let mut s = normalize(t);
    if let Some(re) = PRICE_PREFIX_RE.as_ref() {
        s = re.replace(&s, "").trim().to_owned();
    }
    if let Some(re) = TITLE_PREFIX_RE.as_ref() {
        s = re.replace(&s, "").into_owned();
    }
    if let Some(re) = TITLE_SUFFIX_RE.as_ref() {
        for _ in 0..3 {
            let next = re.replace(&s, "").into_owned();
            if next == s {
                break;
            }
            s = next;
        }
    }
    match market {
        Some("aliexpress") => s = s.split('|').next().unwrap_or_default().to_owned(),
        // 【楽天市場】Item name：Shop name
        Some("rakuten") => {
            if let Some((item, _shop)) = s.rsplit_once('：') {
                s = item.to_owned();
            }
        }
        _ => {}
    }
    strip_markup(&s)
}

/// First visible `<h1>` that is not part of a dialog, banner or cookie box.
/// The page's own heading, else its og:title, else its `<title>`, cleaned of the
/// site's suffixes: the last resort for any page's title.
fn shown_page_title(doc: &Doc<'_>, market: Option<&str>) -> Option<String> {
    main_h1(doc)
        .or_else(|| {
            doc.meta("og:title")
                .and_then(|t| clean_page_title(t, market))
        })
        .or_else(|| {
            doc.title
                .as_deref()
                .and_then(|t| clean_page_title(t, market))
        })
}

fn main_h1(doc: &Doc<'_>) -> Option<String> {
    doc.select("h1")
        .filter(|e| !hidden_in_tree(*e))
        .find_map(|e| {
            let in_overlay = e
                .ancestors()
                .filter_map(|n| n.value().as_element())
                .any(|a| {
                    dom::attr(a, "role").is_some_and(|r| r.contains("dialog"))
                        || dom::attr(a, "aria-modal").is_some()
                        || a.classes().any(|c| {
                            let c = c.to_ascii_lowercase();
                            c.contains("modal")
                                || c.contains("overlay")
                                || c.contains("dialog")
                                || c.contains("cookie")
                                || c.contains("gdpr")
                        })
                        || matches!(a.name(), "header" | "nav" | "footer")
                });
            if in_overlay {
                return None;
            }
            let t = shown_text(e);
            let n = t.chars().count();
            (3..=500).contains(&n).then_some(t)
        })
}

/// URLs the page declares for itself (canonical, og:url, "saved from"),
/// resolved against the page URL.
fn declared_urls(page: &Page<'_>, doc: &Doc<'_>) -> Vec<Url> {
    [
        doc.canonical.as_deref(),
        doc.meta("og:url"),
        doc.saved_from.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|s| ids::parse_url(s, Some(page.url)))
    .collect()
}

/// Marketplace-bearing URLs, most authoritative first: the page URL when its
/// host is a marketplace, then the declared ones on marketplace hosts.
fn url_hints(page: &Page<'_>, declared: &[Url], host_market: Option<&str>) -> Vec<Url> {
    let mut hints = Vec::new();
    if host_market.is_some() {
        hints.push(page.url.clone());
    }
    hints.extend(
        declared
            .iter()
            .filter(|u| u.host_str().and_then(market::from_host).is_some())
            .cloned(),
    );
    hints
}

/// Visible text of an HTML document (scripts/styles removed, whitespace
/// collapsed) — used later for the "visible text" artifact and for search.
///
/// Text inside `<head>`, `<script>`, `<style>`, `<noscript>`, `<template>`,
/// `<svg>`, `<iframe>`, `hidden` elements and `display:none` styles is left
/// out; block-level boundaries become spaces, inline ones do not.
pub fn visible_text(html: &str) -> String {
    Doc::parse(html).visible
}

/// For the fuzz targets only: `Err` (describing both trees) when the tree this crate
/// builds for `text` differs from html5ever's own (see the `tokenize` module).
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn fuzz_tree_is_html5evers(text: &str) -> Result<(), String> {
    tokenize::check(text).map(|_| ())
}

/// Read everything this crate knows about one page. Pure and panic-free.
pub fn extract(page: &Page<'_>) -> Extraction {
    let host_market = page.url.host_str().and_then(market::from_host);
    let mut ex = Extraction {
        marketplace: host_market.map(str::to_owned),
        ..Default::default()
    };
    let gone = matches!(page.http_status, Some(404 | 410));
    let body = sniff(page.body, page.content_type);
    if body != Body::Html {
        ex.charset = match body {
            Body::Binary => "binary".to_owned(),
            Body::Empty => "UTF-8".to_owned(),
            _ => decode(page.body, page.content_type).1.to_owned(),
        };
        if gone {
            ex.page_kind = PageKind::Removed;
            ex.reason = page.http_status.map(|s| format!("HTTP {s} (not found)"));
            ex.listing_id = host_market.and_then(|m| ids::from_url(m, page.url));
        }
        return ex;
    }

    let (text, charset) = decode::decode_cow(page.body, page.content_type);
    ex.charset = charset.to_owned();
    ex.is_html = true;
    let doc = Doc::parse(&text);

    // Marketplace and the URL that speaks for the site.
    let declared = declared_urls(page, &doc);
    let hints = url_hints(page, &declared, host_market);
    let intercepted = ids::intercepted_url(doc.raw)
        .filter(|u| u.host_str().and_then(market::from_host).is_some());
    let market = host_market
        .or_else(|| {
            hints
                .iter()
                .chain(intercepted.iter())
                .find_map(|u| u.host_str().and_then(market::from_host))
        })
        .or_else(|| {
            [
                "og:site_name",
                "application-name",
                "twitter:site",
                "al:android:app_name",
            ]
            .iter()
            .find_map(|k| {
                doc.meta(k)
                    .and_then(|v| market::from_site_name(v.trim_start_matches('@')))
            })
        })
        .or_else(|| {
            // "<title>etsy.com</title>" / "Amazon.in" on bare interstitials.
            doc.title
                .as_deref()
                .filter(|t| !t.contains(' ') && t.contains('.'))
                .and_then(|t| market::from_host(t))
        })
        .or_else(|| market::from_mentions(doc.raw));
    ex.marketplace = market.map(str::to_owned);
    let site_url = hints.first().or(intercepted.as_ref());
    let ctx = market::currency_ctx(
        market,
        site_url.and_then(|u| u.host_str()),
        doc.lang.as_deref(),
    );

    let st = Structured::read(&doc, &ctx);
    let site = sites::read(market, &doc, &ctx);

    let (kind, reason) = classify(page, &doc, &st, &site, market, &hints);
    ex.logged_in_as = identity::logged_in_as(&doc, market);
    ex.page_kind = kind;
    ex.reason = reason;

    // Listing id. A checkout names the listing it buys in its own facts only.
    if !matches!(
        kind,
        PageKind::Search | PageKind::Store | PageKind::Checkout
    ) {
        let from_urls = hints.iter().chain(intercepted.iter()).find_map(|u| {
            market.and_then(|m| {
                ids::from_url(u.host_str().and_then(market::from_host).unwrap_or(m), u)
            })
        });
        // A relative canonical ("/dp/B0...") resolves onto the serving host;
        // its path still names the item.
        let from_relative = || {
            let m = market?;
            declared
                .iter()
                .filter(|u| u.host_str() == page.url.host_str() && host_market.is_none())
                .find_map(|u| ids::from_url(m, u))
        };
        ex.listing_id = from_urls
            .or_else(from_relative)
            .or_else(|| market.and_then(|m| ids::from_forms(m, &doc)))
            .or_else(|| {
                if matches!(kind, PageKind::Listing | PageKind::Removed) {
                    market.and_then(|m| {
                        ids::from_scripts(m, &doc).or_else(|| {
                            st.ld_url
                                .as_deref()
                                .and_then(|u| ids::from_url_str(Some(m), u, site_url))
                        })
                    })
                } else {
                    None
                }
            });
    }

    if let Some(c) = doc.canonical.as_deref() {
        ex.canonical_url = ids::parse_url(c, Some(page.url))
            .map(String::from)
            .or_else(|| Some(c.to_owned()));
    }

    if kind == PageKind::Listing {
        ex.title = site
            .title
            .clone()
            .or_else(|| st.ld_name.as_deref().and_then(strip_markup))
            .or_else(|| st.md_name.as_deref().and_then(strip_markup))
            .or_else(|| shown_page_title(&doc, market));
        let money: Option<Money> = site
            .price
            .clone()
            .or_else(|| st.ld_price.clone())
            .or_else(|| st.md_price.clone())
            .or_else(|| st.meta_price.clone())
            .or_else(|| sites::price_near_title(market, &doc, &ctx));
        if let Some(m) = money {
            ex.currency = match m.currency {
                // A bare "$" / "¥" on a site whose country we don't know:
                // structured data may say which one.
                Some(c) if m.ambiguous && ctx.default.is_none() => st
                    .any_currency
                    .filter(|s| money::same_family(c, s))
                    .or(Some(c)),
                Some(c) => Some(c),
                None => st.any_currency.or(ctx.default),
            }
            .map(str::to_owned);
            ex.price = Some(m.amount);
        }
        ex.seller = site
            .seller
            .clone()
            .or_else(|| st.ld_seller.as_deref().and_then(strip_markup));
        ex.main_image = main_image::read(market, &doc, page.url);
    }
    if let Some(m) = market
        && matches!(kind, PageKind::Listing | PageKind::Store)
    {
        ex.seller_id = seller_id::read(&seller_id::Source {
            market: m,
            kind,
            doc: &doc,
            urls: &hints,
            base: site_url.unwrap_or(page.url),
            listing_id: ex.listing_id.as_deref(),
            seller: ex.seller.as_deref(),
        });
    }
    match kind {
        PageKind::Store => ex.store = store::read(market, &doc),
        PageKind::Checkout => {
            ex.checkout = checkout::read(market, &doc, &ctx, &hints, site_url.unwrap_or(page.url));
        }
        _ => {}
    }
    if kind == PageKind::Other {
        // A page we cannot place (a brand's own shop, an unknown site) still has a
        // title a reviewer wants to see; listing facts stay empty.
        ex.title = st
            .ld_name
            .as_deref()
            .and_then(strip_markup)
            .or_else(|| shown_page_title(&doc, market));
    }
    ex
}

/// Decide the page kind. Order matters: explicit HTTP status, then
/// interstitials (never a listing), then overlays (the content underneath
/// decides), then not-found wording, then URL shape, then content.
fn classify(
    page: &Page<'_>,
    doc: &Doc<'_>,
    st: &Structured,
    site: &sites::SiteFields,
    market: Option<&str>,
    hints: &[Url],
) -> (PageKind, Option<String>) {
    if let Some(s @ (404 | 410)) = page.http_status {
        return (PageKind::Removed, Some(format!("HTTP {s} (not found)")));
    }
    let ld_product = st.ld_name.is_some() && st.ld_is_product;
    let has_title = site.title.is_some() || ld_product;
    // The product itself is rendered: a title and a price of the item.
    let shows_product = (site.title.is_some() && site.price.is_some())
        || (ld_product && st.ld_price.is_some())
        || (site.title.is_some() && st.md_name.is_some() && st.md_price.is_some());

    let block = kind::block_signal(doc, hints.first());
    if let Some(Block::Interstitial(r)) = block {
        return (PageKind::Blocked, Some(r.to_owned()));
    }
    let url_kind = hints.first().and_then(|u| kind::kind_from_url(market, u));
    let home = hints
        .first()
        .is_some_and(|u| u.path().trim_matches('/').is_empty() && u.query().is_none());
    let many = || {
        !home
            && (st.ld_products > 1
                || st.ld_list_len >= 3
                || market.is_some_and(|m| {
                    ids::linked_ids(m, doc, hints.first(), 8) >= 8
                        || ids::distinct_script_ids(m, doc, 12) >= 12
                }))
    };
    let checkout_url = hints
        .first()
        .is_some_and(|u| checkout::is_checkout_url(market, u));
    let shows_checkout = !shows_product && checkout::shows_checkout(market, doc);
    if let Some(s @ (401 | 403 | 429 | 503)) = page.http_status {
        // Refused, unless the refusal page still carries the real content.
        if !(shows_product || has_title || url_kind.is_some() || shows_checkout || many()) {
            return (
                PageKind::Blocked,
                Some(format!("HTTP {s} (access refused)")),
            );
        }
    }
    // A checkout is only seen logged in: wall wording or a sign-in field around a shown
    // order form is the page's own chrome, but a checkout URL that shows no order form
    // under a wall is the wall.
    if shows_checkout || checkout_url {
        return match block {
            Some(Block::Overlay(r)) if !shows_checkout => (PageKind::Blocked, Some(r.to_owned())),
            _ => (PageKind::Checkout, None),
        };
    }
    if let Some(Block::Overlay(r)) = block {
        // A challenge laid over real content: the content decides.
        if shows_product {
            return (PageKind::Listing, None);
        }
        if !has_title && many() {
            return (url_kind.unwrap_or(PageKind::Search), None);
        }
        return (PageKind::Blocked, Some(r.to_owned()));
    }
    let removed = kind::removed_signal(doc);
    if !has_title && let Some((r, true)) = removed {
        return (PageKind::Removed, Some(r.to_owned()));
    }
    if let Some(k) = url_kind {
        return (k, None);
    }
    let md_product = st.md_name.is_some() && st.md_price.is_some();
    let og_product = st.og_product
        && (st.meta_price.is_some() || st.ld_price.is_some() || st.md_price.is_some());
    if has_title || md_product || og_product {
        return (PageKind::Listing, None);
    }
    if let Some((r, _)) = removed {
        return (PageKind::Removed, Some(r.to_owned()));
    }
    if kind::search_title(doc) || many() {
        return (PageKind::Search, None);
    }
    if st.ld_name.is_some() || (st.og_product && doc.meta("og:title").is_some()) {
        // A media page (film, book) or a bare og:type=product page.
        return (PageKind::Listing, None);
    }
    (PageKind::Other, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(url: &str, status: Option<u16>, ct: Option<&str>, body: &[u8]) -> Extraction {
        let url = Url::parse(url).expect("test url");
        extract(&Page {
            url: &url,
            http_status: status,
            content_type: ct,
            body,
        })
    }

    fn html(url: &str, body: &str) -> Extraction {
        run(url, Some(200), Some("text/html"), body.as_bytes())
    }

    const PRODUCT: &str = "<html><head><title>x</title></head><body><h1 id=productTitle>Widget</h1>\
        <div id=corePrice_feature_div><span class=a-price><span class=a-offscreen>$9.99</span></span></div></body></html>";

    #[test]
    fn not_found_with_empty_body() {
        let ex = run("https://www.amazon.com/dp/B00N150YS4", Some(404), None, b"");
        assert_eq!(ex.page_kind, PageKind::Removed);
        assert!(!ex.is_html);
        assert_eq!(ex.marketplace.as_deref(), Some("amazon"));
        assert_eq!(ex.listing_id.as_deref(), Some("B00N150YS4"));
        assert!(ex.reason.as_deref().is_some_and(|r| r.contains("404")));
        let ex = run(
            "https://www.ebay.com/itm/226771798286",
            Some(410),
            Some("text/html"),
            b"<html><body>Gone</body></html>",
        );
        assert_eq!(ex.page_kind, PageKind::Removed);
        assert_eq!(ex.title, None);
    }

    #[test]
    fn image_body_is_not_html() {
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        for ct in [Some("image/png"), Some("text/html"), None] {
            let ex = run(
                "https://item.taobao.com/item.htm?id=562283240178",
                Some(200),
                ct,
                png,
            );
            assert!(!ex.is_html);
            assert_eq!(ex.page_kind, PageKind::Other);
            assert_eq!(ex.marketplace.as_deref(), Some("taobao"));
            assert_eq!(
                (ex.title, ex.price, ex.listing_id, ex.seller),
                (None, None, None, None)
            );
        }
        let ex = run(
            "https://www.etsy.com/listing/1/x",
            Some(200),
            Some("application/json"),
            b"{\"a\":1}",
        );
        assert!(!ex.is_html);
        let ex = run(
            "https://example.com/a.pdf",
            Some(200),
            None,
            b"%PDF-1.4\n%\xe2\xe3",
        );
        assert!(!ex.is_html);
        assert_eq!(ex.marketplace, None);
    }

    #[test]
    fn script_text_in_title_is_kept_as_text_and_markup_is_not_invented() {
        let body = "<html><body><h1 id=productTitle>&lt;script&gt;alert(1)&lt;/script&gt; Widget</h1>\
            <span id=priceblock_ourprice>$5.00</span></body></html>";
        let ex = html("https://www.amazon.com/dp/B00N150YS4", body);
        assert_eq!(ex.page_kind, PageKind::Listing);
        assert_eq!(
            ex.title.as_deref(),
            Some("<script>alert(1)</script> Widget")
        );
        // A real <script> element inside the heading is not shown text.
        let body = "<html><body><h1 id=productTitle>Widget<script>alert(1)</script></h1>\
            <span id=priceblock_ourprice>$5.00</span></body></html>";
        let ex = html("https://www.amazon.com/dp/B00N150YS4", body);
        assert_eq!(ex.title.as_deref(), Some("Widget"));
        // Markup inside structured data is not passed through as a title.
        let body = r#"<html><head><script type="application/ld+json">{"@type":"Product","name":"Lamp <script>alert(1)<\/script>","offers":{"price":"3.50","priceCurrency":"EUR"}}</script></head><body></body></html>"#;
        let ex = html("https://shop.example/p/1", body);
        assert_eq!(ex.page_kind, PageKind::Listing);
        assert!(
            ex.title.as_deref().is_some_and(|t| !t.contains('<')),
            "{:?}",
            ex.title
        );
        assert_eq!(
            (ex.price.as_deref(), ex.currency.as_deref()),
            (Some("3.50"), Some("EUR"))
        );
    }

    #[test]
    fn listing_ids_from_urls() {
        let cases = [
            (
                "https://www.amazon.com/Gorilla-Tape/dp/B00N150YS4/ref=sr_1_1?th=1",
                "B00N150YS4",
            ),
            (
                "https://www.amazon.co.uk/gp/product/1849757097",
                "1849757097",
            ),
            (
                "https://www.ebay.com/itm/226771798286?hash=item1",
                "226771798286",
            ),
            (
                "https://www.ebay.de/itm/Some-Title/381228738769",
                "381228738769",
            ),
            (
                "https://item.taobao.com/item.htm?spm=a1z10&id=562283240178",
                "562283240178",
            ),
            (
                "https://detail.tmall.com/item.htm?id=605258110430&skuId=4",
                "605258110430",
            ),
            (
                "https://m.intl.taobao.com/detail/detail.html?id=601465987171",
                "601465987171",
            ),
            (
                "https://de.aliexpress.com/item/1005008204179129.html?spm=x",
                "1005008204179129",
            ),
            (
                "https://detail.1688.com/offer/823801520021.html",
                "823801520021",
            ),
            (
                "https://www.etsy.com/listing/230389421/agents-of-shield-decal",
                "230389421",
            ),
            (
                "https://articulo.mercadolibre.com.co/MCO-1505218051-lamparas-_JM",
                "MCO1505218051",
            ),
            (
                "https://www.mercadolibre.com.co/lamparas-spot/p/MCO42090990",
                "MCO42090990",
            ),
            ("https://item.rakuten.co.jp/3line/f000000027/", "f000000027"),
        ];
        for (url, id) in cases {
            let ex = html(url, "<html><body><p>hello</p></body></html>");
            assert_eq!(ex.listing_id.as_deref(), Some(id), "{url}");
            // Also recovered on a blocked page.
            let ex = html(
                url,
                "<html><head><title>Robot Check</title></head><body>Enter the characters you see below</body></html>",
            );
            assert_eq!(ex.page_kind, PageKind::Blocked, "{url}");
            assert_eq!(ex.listing_id.as_deref(), Some(id), "{url}");
        }
        // The test server's host says nothing, so nothing is read from its path.
        let ex = html(
            "http://127.0.0.1:8000/amazon/amazon-com-B00N150YS4.html",
            "<html><body>x</body></html>",
        );
        assert_eq!(ex.listing_id, None);
    }

    #[test]
    fn interstitials_are_blocked() {
        let cases = [
            (
                "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
                "Cloudflare",
            ),
            (
                "<html><head><title>Robot or human?</title></head><body><div id=px-captcha></div></body></html>",
                "PerimeterX",
            ),
            (
                "<html><head><title>Access Denied</title></head><body>You don't have permission</body></html>",
                "denied",
            ),
            (
                "<html><head><title>Temu | Login</title></head><body>Sign in / Register</body></html>",
                "login",
            ),
        ];
        for (body, why) in cases {
            let ex = html("https://www.walmart.com/ip/123456789", body);
            assert_eq!(ex.page_kind, PageKind::Blocked, "{why}");
            assert!(
                ex.reason
                    .as_deref()
                    .is_some_and(|r| r.to_lowercase().contains(&why.to_lowercase())),
                "{:?}",
                ex.reason
            );
            assert_eq!(ex.title, None);
        }
        // A robot check stays blocked even if a product-looking title is around.
        let body = format!("{PRODUCT}<form action=\"/errors/validateCaptcha\"></form>");
        assert_eq!(
            html("https://www.amazon.com/dp/B00N150YS4", &body).page_kind,
            PageKind::Blocked
        );
        // 429 with no product.
        let ex = run(
            "https://www.etsy.com/listing/1234567",
            Some(429),
            Some("text/html"),
            b"<html><body>slow down</body></html>",
        );
        assert_eq!(ex.page_kind, PageKind::Blocked);
    }

    #[test]
    fn overlay_over_rendered_product_is_a_listing() {
        let body = PRODUCT.replace(
            "</body>",
            "<div class=J_MIDDLEWARE_FRAME_WIDGET><iframe src='https://x/_____tmd_____/punish?x5secdata=1'></iframe></div></body>",
        );
        let ex = html("https://www.amazon.com/dp/B00N150YS4", &body);
        assert_eq!(ex.page_kind, PageKind::Listing);
        assert_eq!(
            (
                ex.title.as_deref(),
                ex.price.as_deref(),
                ex.currency.as_deref()
            ),
            (Some("Widget"), Some("9.99"), Some("USD"))
        );
        let bare = "<html><body><div class=J_MIDDLEWARE_FRAME_WIDGET><iframe src='https://x/_____tmd_____/punish'></iframe></div></body></html>";
        assert_eq!(
            html("https://item.taobao.com/item.htm?id=1234567", bare).page_kind,
            PageKind::Blocked
        );
    }

    #[test]
    fn gbk_page_through_extract() {
        let src = "<html><head><meta charset=gbk><title>苹果-tmall.com天猫</title></head><body>\
            <div class=tb-detail-hd><h1>苹果 iPhone 11</h1></div><span class=tm-price>5499.00-6799.00</span>\
            <a class=slogo-shopname><strong>苏宁易购官方旗舰店</strong></a></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(src);
        let ex = run(
            "https://detail.tmall.com/item.htm?id=605258110430",
            Some(200),
            Some("text/html"),
            &bytes,
        );
        assert_eq!(ex.charset, "gb18030");
        assert_eq!(ex.page_kind, PageKind::Listing);
        assert_eq!(ex.title.as_deref(), Some("苹果 iPhone 11"));
        assert_eq!(
            (ex.price.as_deref(), ex.currency.as_deref()),
            (Some("5499.00"), Some("CNY"))
        );
        assert_eq!(ex.seller.as_deref(), Some("苏宁易购官方旗舰店"));
    }

    #[test]
    fn search_and_store_from_urls() {
        let body = "<html><head><link rel=canonical href='https://www.ebay.com/sch/i.html?_nkw=earbuds'></head><body></body></html>";
        let ex = html("http://127.0.0.1:8000/x.html", body);
        assert_eq!(
            (ex.marketplace.as_deref(), ex.page_kind),
            (Some("ebay"), PageKind::Search)
        );
        assert_eq!(
            ex.canonical_url.as_deref(),
            Some("https://www.ebay.com/sch/i.html?_nkw=earbuds")
        );
        let body = "<html><head><link rel=canonical href='https://www.temu.com/--home--m-3597628347664.html'></head></html>";
        let ex = html("http://127.0.0.1:8000/x.html", body);
        assert_eq!((ex.page_kind, ex.listing_id), (PageKind::Store, None));
    }

    #[test]
    fn modern_layouts() {
        // Amazon desktop (2024): buy-box price, offer-display seller, AOD price ignored.
        let body = r#"<html><head><link rel="canonical" href="https://www.amazon.de/Thing/dp/B0C1234567"></head><body>
            <span id="productTitle"> Thing  Deluxe </span>
            <div id="corePriceDisplay_desktop_feature_div"><span class="a-price a-text-price" data-a-strike="true"><span class="a-offscreen">49,99 €</span></span>
            <span class="a-price priceToPay"><span class="a-offscreen">39,99&nbsp;€</span></span></div>
            <div id="merchantInfoFeature_feature_div"><div class="offer-display-feature-text"><span class="offer-display-feature-text-message">Amazon.de</span></div></div>
            <div id="all-offers-display"><span class="a-price priceToPay"><span class="a-offscreen">19,99 €</span></span></div>
            </body></html>"#;
        let ex = html("http://127.0.0.1:8000/p.html", body);
        assert_eq!(ex.page_kind, PageKind::Listing);
        assert_eq!(ex.listing_id.as_deref(), Some("B0C1234567"));
        assert_eq!(ex.title.as_deref(), Some("Thing Deluxe"));
        assert_eq!(
            (ex.price.as_deref(), ex.currency.as_deref()),
            (Some("39.99"), Some("EUR"))
        );
        assert_eq!(ex.seller.as_deref(), Some("Amazon.de"));

        // eBay (2025) on ebay.ca: "C $".
        let body = r#"<html><body><h1 class="x-item-title__mainTitle"><span class="ux-textspans ux-textspans--BOLD">LEGO Bulk Lot</span></h1>
            <div class="x-price-primary"><span class="ux-textspans">C $25.00</span></div>
            <div class="x-sellercard-atf__info__about-seller"><a href="https://www.ebay.ca/str/magellanstore"><span class="ux-textspans ux-textspans--BOLD">Magellan Store</span></a></div></body></html>"#;
        let ex = html("https://www.ebay.ca/itm/257719232683", body);
        assert_eq!(
            (ex.page_kind, ex.listing_id.as_deref()),
            (PageKind::Listing, Some("257719232683"))
        );
        assert_eq!(
            (ex.price.as_deref(), ex.currency.as_deref()),
            (Some("25.00"), Some("CAD"))
        );
        assert_eq!(ex.seller.as_deref(), Some("Magellan Store"));

        // Walmart: hero price, JSON-LD fallback for the rest.
        let body = r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Monster Energy 12 Pack","offers":{"@type":"Offer","price":21.58,"priceCurrency":"USD","seller":{"@type":"Organization","name":"Walmart.com"}}}</script></head>
            <body><h1 id="main-title">Monster Energy Original 12 Pack</h1><del>$24.78</del><span data-seo-id="hero-price">Now $21.58</span></body></html>"#;
        let ex = html("https://www.walmart.com/ip/Monster-Energy/123456789", body);
        assert_eq!(ex.title.as_deref(), Some("Monster Energy Original 12 Pack"));
        assert_eq!(
            (ex.price.as_deref(), ex.currency.as_deref()),
            (Some("21.58"), Some("USD"))
        );
        assert_eq!(
            (ex.seller.as_deref(), ex.listing_id.as_deref()),
            (Some("Walmart.com"), Some("123456789"))
        );

        // Unknown shop with only JSON-LD; "$" resolved by priceCurrency.
        let body = r#"<html><head><title>Lamp | Shop</title><script type="application/ld+json">[{"@type":"BreadcrumbList"},{"@type":"Product","name":"Desk Lamp &amp; Shade","offers":{"@type":"AggregateOffer","lowPrice":"35.00","highPrice":"50","priceCurrency":"CAD"}}]</script></head>
            <body><h1>Desk Lamp &amp; Shade</h1><p class="price">$35.00</p></body></html>"#;
        let ex = html("https://lamps.example/products/desk-lamp", body);
        assert_eq!(ex.page_kind, PageKind::Listing);
        assert_eq!(ex.title.as_deref(), Some("Desk Lamp & Shade"));
        assert_eq!(
            (ex.price.as_deref(), ex.currency.as_deref()),
            (Some("35.00"), Some("CAD"))
        );
        assert_eq!(ex.marketplace, None);

        // A JSON-LD list of products is a result page, not a listing.
        let body = r#"<html><head><script type="application/ld+json">{"@graph":[{"@type":"Product","name":"A","offers":{"price":1}},{"@type":"Product","name":"B","offers":{"price":2}},{"@type":"Product","name":"C","offers":{"price":3}}]}</script></head><body></body></html>"#;
        assert_eq!(
            html("https://shop.example/c/lamps", body).page_kind,
            PageKind::Search
        );
    }

    #[test]
    fn amazon_seller_id_comes_from_the_buy_box_only() {
        // Sold by Amazon: the add-to-cart form's merchant. The ad, the "other sellers"
        // offer and the shopper's own id are other people.
        let buy_box = r#"<html><body><h1 id=productTitle>Tape</h1>
            <div id=corePrice_feature_div><span class=a-price><span class=a-offscreen>$9.99</span></span></div>
            <div id=merchant-info>Ships from and sold by Amazon.com.</div>
            <form id=addToCart><input type=hidden id=merchantID name=merchantID value="ATVPDKIKX0DER"></form>
            <script>ue.customerID = "A1J9RKU9OUNDJW";</script>
            <div id=sp_detail class="a-carousel-container sponsored-products">
              <a href="/advertising/atc?merchantId=A1OCJS18TI4LQY&asin=B0B53HN6T4">Ad</a>
              <form id=addToCart><input name=merchantID value="A1OCJS18TI4LQY"></form></div>
            <div id=aod-offer><a href="/gp/aag/main?seller=ASEVS99O6FS73">Other seller</a></div>
            </body></html>"#;
        let ex = html("https://www.amazon.com/dp/B00N150YS4", buy_box);
        assert_eq!(ex.seller_id.as_deref(), Some("ATVPDKIKX0DER"));

        // No featured offer: only the sponsored block names a merchant, and it is not taken.
        let no_offer = buy_box.replace(
            r#"<form id=addToCart><input type=hidden id=merchantID name=merchantID value="ATVPDKIKX0DER"></form>"#,
            r#"<form id=addToCart><input type=hidden id=merchantID name=merchantID value=""></form>"#,
        );
        let ex = html("https://www.amazon.com/dp/B00N150YS4", &no_offer);
        assert_eq!((ex.page_kind, ex.seller_id), (PageKind::Listing, None));

        // The "Sold by" link wins over the form, and a malformed id is no id.
        let third_party = buy_box.replace(
            "Ships from and sold by Amazon.com.",
            r#"Sold by <a id=sellerProfileTriggerId href="/gp/help/seller/at-a-glance.html?ie=UTF8&amp;seller=A3EL5JZNMT8SZ7">Direct ChangM</a>"#,
        );
        let ex = html("https://www.amazon.com/dp/B00N150YS4", &third_party);
        assert_eq!(
            (ex.seller.as_deref(), ex.seller_id.as_deref()),
            (Some("Direct ChangM"), Some("A3EL5JZNMT8SZ7"))
        );
        for bad in [
            "a3el5jznmt8sz7",
            "A3EL5<b>JZNMT8SZ7",
            "B00N150YS4",
            "A1",
            "",
        ] {
            let page = no_offer.replace(
                "Ships from and sold by Amazon.com.",
                &format!(r#"Sold by <a id=sellerProfileTriggerId href="/sp?seller={bad}">X</a>"#),
            );
            let ex = html("https://www.amazon.com/dp/B00N150YS4", &page);
            assert_eq!(ex.seller_id, None, "{bad}");
        }
    }

    #[test]
    fn taobao_seller_id_is_the_shop_id_of_the_shop_block() {
        let page = r#"<html><head><title>x-淘宝网</title></head><body>
            <h1 class="mainTitle--abc">火锅蘸料</h1><span class="highlightPrice--abc">￥26.93</span>
            <div class="shopInfo--x"><div data-spm="shop_block"><a class="detailWrap--x" href="//vanity.taobao.com">
              <span class="shopName--abc">宏发美食调味商城</span></a></div>
              <div class="recommendShops--x"><a href="//shop999999.taobao.com">别家</a></div></div>
            <script>var s = {"seller":{"shopName":"宏发美食调味商城","userId":"1667589734","sellerId":"1667589734","shopId":"103890057"},
              "guessULike":{"shopId":"999999"}};</script>
            </body></html>"#;
        let ex = html("https://item.taobao.com/item.htm?id=601465987171", page);
        assert_eq!(ex.page_kind, PageKind::Listing);
        // Not the recommended shop, not the seller's user id: the state's shop id.
        assert_eq!(ex.seller_id.as_deref(), Some("103890057"));
        // The shop block's own link, when it has the id, is what the shopper sees.
        let linked = page.replace(
            "//vanity.taobao.com",
            "https://shop103890057.taobao.com/category.htm",
        );
        let linked = linked.replace(r#""shopId":"103890057""#, r#""shopId":"1""#);
        let ex = html("https://item.taobao.com/item.htm?id=601465987171", &linked);
        assert_eq!(ex.seller_id.as_deref(), Some("103890057"));
        // Junk in the id's place is no id.
        let junk = page.replace(r#""shopId":"103890057""#, r#""shopId":"10389x0057""#);
        let ex = html("https://item.taobao.com/item.htm?id=601465987171", &junk);
        assert_eq!(ex.seller_id, None);
        // A CAPTCHA page over the same config names no seller.
        let blocked = page.replace(
            "</body>",
            "<div id=nocaptcha></div><script src='https://g.alicdn.com/AWSC/AWSC/awsc.js'></script><iframe src='https://x/_____tmd_____/punish?x5secdata=1&action=captcha'></iframe></body>",
        ).replace(r#"<h1 class="mainTitle--abc">火锅蘸料</h1><span class="highlightPrice--abc">￥26.93</span>"#, "");
        let ex = html("https://item.taobao.com/item.htm?id=601465987171", &blocked);
        assert_eq!((ex.page_kind, ex.seller_id), (PageKind::Blocked, None));
    }

    #[test]
    fn seller_ids_of_other_marketplaces_and_stores() {
        // eBay: the seller card's user name; a store name (/str/) is another namespace.
        let card = |href: &str| {
            format!(
                r#"<html><body><h1 class="x-item-title__mainTitle"><span class="ux-textspans ux-textspans--BOLD">Lot</span></h1>
                <div class="x-price-primary"><span class="ux-textspans">US $25.00</span></div>
                <div class="x-sellercard-atf__info__about-seller"><a href="{href}"><span class="ux-textspans ux-textspans--BOLD">Magellan</span></a></div>
                <div class="x-review-section__author"><a href="https://www.ebay.com/usr/cpedk">cpedk</a></div></body></html>"#
            )
        };
        let url = "https://www.ebay.com/itm/257719232683";
        let ex = html(
            url,
            &card("https://www.ebay.com/sch/i.html?_ssn=magellan_1&item=1"),
        );
        assert_eq!(ex.seller_id.as_deref(), Some("magellan_1"));
        assert_eq!(
            html(url, &card("https://www.ebay.com/str/magellanstore")).seller_id,
            None
        );
        assert_eq!(
            html(url, &card("https://www.ebay.com/usr/bad%20name")).seller_id,
            None
        );

        // Etsy: only the context that names this listing.
        let etsy = |listing: &str| {
            format!(
                r#"<html><head><meta property="og:type" content="product"></head><body>
                <h1 data-buy-box-listing-title>Decal</h1><div data-buy-box-region="price"><p>$2.99</p></div>
                <script>Etsy.Context = {{"listingId":{listing},"listing_price":2.99,"shopId":10499963,"shop_name":"InfernoDecals"}};</script></body></html>"#
            )
        };
        let url = "https://www.etsy.com/listing/230389421/decal";
        assert_eq!(
            html(url, &etsy("230389421")).seller_id.as_deref(),
            Some("10499963")
        );
        assert_eq!(html(url, &etsy("111111111")).seller_id, None);

        // Mercado Libre: the seller id paired with the seller the page shows.
        let meli = r#"<html><body><h1 class="ui-pdp-title">Lámpara</h1>
            <div class="ui-pdp-price__second-line"><span class="andes-money-amount"><span class="andes-money-amount__currency-symbol">$</span><span class="andes-money-amount__fraction">71.492</span></span></div>
            <div class="ui-pdp-seller__header__title">Mundi Luz</div>
            <script>{"other_offers":[{"seller_id":111222333,"seller_name":"Otra Tienda"}],"event_data":{"seller_id":334337979,"seller_name":"Mundi Luz"}}</script></body></html>"#;
        let ex = html(
            "https://articulo.mercadolibre.com.co/MCO-1505218051-lamparas-_JM",
            meli,
        );
        assert_eq!(
            (ex.seller.as_deref(), ex.seller_id.as_deref()),
            (Some("Mundi Luz"), Some("334337979"))
        );

        // Storefronts: the store's own URL.
        for (u, want) in [
            (
                "https://www.temu.com/--home--m-3597628347664.html",
                Some("3597628347664"),
            ),
            ("https://he.aliexpress.com/store/1392990", Some("1392990")),
            ("https://shop64592671.taobao.com/", Some("64592671")),
            (
                "https://www.ebay.com/usr/bestchoiceproducts",
                Some("bestchoiceproducts"),
            ),
            ("https://www.ebay.com/str/magellanstore", None),
        ] {
            let ex = html(u, "<html><body><p>Store</p></body></html>");
            assert_eq!(
                (ex.page_kind, ex.seller_id.as_deref()),
                (PageKind::Store, want),
                "{u}"
            );
        }
        // A search page lists many sellers and names none.
        let ex = html(
            "https://www.ebay.com/sch/i.html?_nkw=lego",
            r#"<html><body><a href="https://www.ebay.com/usr/someone">someone</a></body></html>"#,
        );
        assert_eq!((ex.page_kind, ex.seller_id), (PageKind::Search, None));
    }

    #[test]
    fn never_panics_on_odd_input() {
        let mut seed: u32 = 12345;
        let mut bytes = Vec::new();
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            bytes.push((seed >> 16) as u8);
        }
        let odd: Vec<Vec<u8>> = vec![
            bytes.clone(),
            [b"<html><body>".as_slice(), &bytes].concat(),
            b"<".to_vec(),
            b"<html><script type='application/ld+json'>{\"@type\":\"Product\",\"name\":".to_vec(),
            b"<h1 id=productTitle>".repeat(3000),
            "<div>".repeat(2_000).into_bytes(),
            "<meta charset=x-user-defined>\u{ff}\u{fe}".into(),
            "\u{FEFF}<html><body><span id=priceblock_ourprice>$9,99,9.9.9</span></body></html>"
                .into(),
        ];
        for status in [None, Some(200), Some(403), Some(404), Some(500)] {
            for body in &odd {
                for url in [
                    "https://www.amazon.com/dp/B00N150YS4",
                    "http://127.0.0.1:1/x",
                    "https://item.taobao.com/item.htm?id=1",
                ] {
                    let _ = run(url, status, Some("text/html"), body);
                    let _ = run(url, status, None, body);
                }
            }
        }
        assert_eq!(visible_text("<p>a</p><p>b</p>"), "a b");
    }
}
