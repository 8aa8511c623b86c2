//! The listings a store or search page links to: each link's URL, marketplace and
//! listing id, read off the page's own `<a href>`s.
//!
//! Ids come from the same URL rules ([`crate::ids::from_url`]) that give a listing page
//! its id, so a link found here names the listing exactly as its capture will. Only
//! links into the page's own marketplace count (Taobao and Tmall are one family): a
//! link elsewhere is an advert or a footer, not one of the seller's listings.
//!
//! Bounded work on any input: at most [`MAX_ANCHORS`] anchors are looked at, hrefs
//! longer than [`MAX_HREF_BYTES`] are skipped, and the list stops at the caller's limit.

use crate::dom::Doc;
use crate::{Page, decode, ids, market};
use url::Url;

/// The most listings a page yields by default; a real result page shows far fewer.
pub const MAX_LISTING_LINKS: usize = 500;

/// The most `<a>` elements read from one page.
pub const MAX_ANCHORS: usize = 200_000;

/// Longer hrefs are skipped: no listing URL is this long, and parsing one costs.
pub const MAX_HREF_BYTES: usize = 4096;

/// A listing a page links to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListingLink {
    /// The link as absolute `http(s)` URL, resolved against the page's URL, without
    /// its `#fragment`.
    pub url: String,
    /// The marketplace of the link: its host's, else the page's.
    pub marketplace: String,
    /// The marketplace's id of the listing, as a capture of the link would record it.
    pub listing_id: String,
}

/// The listings found on one page, in page order, each listing once.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ListingLinks {
    pub links: Vec<ListingLink>,
    /// The page links to more listings than the limit; the first ones are kept.
    pub cut: bool,
    /// The page has more anchors than [`MAX_ANCHORS`]; those after it were not read.
    pub anchors_cut: bool,
}

/// Whether a link on marketplace `link` belongs to a page of marketplace `page`.
fn same_family(page: &str, link: &str) -> bool {
    let taobao = |m: &str| matches!(m, "taobao" | "tmall");
    page == link || (taobao(page) && taobao(link))
}

/// Amazon's sponsored results link to `/sspa/click?...&url=/dp/ASIN/...`: the listing is
/// the `url` parameter.
fn unwrap_redirect(url: Url, market: &str) -> Url {
    if market == "amazon" && url.path().contains("/sspa/click") {
        let inner = url
            .query_pairs()
            .find(|(k, _)| k == "url")
            .and_then(|(_, v)| ids::parse_url(&v, Some(&url)));
        if let Some(inner) = inner {
            return inner;
        }
    }
    url
}

/// One href as a listing link, if it is one.
fn listing_link(href: &str, base: &Url, page_market: Option<&str>) -> Option<ListingLink> {
    if href.len() > MAX_HREF_BYTES {
        return None;
    }
    let url = ids::parse_url(href, Some(base))?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host_market = url.host_str().and_then(market::from_host);
    let m = match (host_market, page_market) {
        (Some(h), Some(p)) if !same_family(p, h) => return None,
        (Some(h), _) => h,
        (None, Some(p)) => p,
        (None, None) => return None,
    };
    let mut url = unwrap_redirect(url, m);
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let listing_id = ids::from_url(m, &url)?;
    url.set_fragment(None);
    Some(ListingLink {
        url: url.into(),
        marketplace: m.to_owned(),
        listing_id,
    })
}

/// The listings `page` links to, in page order, each (marketplace, id) once with the
/// first URL that names it, at most `limit` of them. `marketplace` is the page's own, as
/// [`crate::extract`] found it; `None` keeps only links on marketplace hosts. Pure and
/// panic-free; a page that is not HTML links to nothing.
pub fn listing_links(page: &Page<'_>, marketplace: Option<&str>, limit: usize) -> ListingLinks {
    let mut found = ListingLinks::default();
    if limit == 0 || page.body.is_empty() {
        return found;
    }
    let (text, _) = decode::decode_cow(page.body, page.content_type);
    let doc = Doc::parse(&text);
    let mut seen = std::collections::HashSet::new();
    for (n, a) in doc.select("a[href]").enumerate() {
        if n >= MAX_ANCHORS {
            found.anchors_cut = true;
            break;
        }
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Some(link) = listing_link(href, page.url, marketplace) else {
            continue;
        };
        if !seen.insert((link.marketplace.clone(), link.listing_id.clone())) {
            continue;
        }
        if found.links.len() >= limit {
            found.cut = true;
            break;
        }
        found.links.push(link);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(html: &str, page_url: &str, market: Option<&str>, limit: usize) -> ListingLinks {
        let url = Url::parse(page_url).expect("page url");
        listing_links(
            &Page {
                url: &url,
                http_status: Some(200),
                content_type: Some("text/html"),
                body: html.as_bytes(),
            },
            market,
            limit,
        )
    }

    fn ids_of(found: &ListingLinks) -> Vec<(&str, &str)> {
        found
            .links
            .iter()
            .map(|l| (l.marketplace.as_str(), l.listing_id.as_str()))
            .collect()
    }

    #[test]
    fn each_marketplace_shape() {
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "https://www.amazon.com/s?k=x",
                "/Some-Thing/dp/B00N150YS4/ref=sr_1_1?keywords=x",
                "amazon",
                "B00N150YS4",
            ),
            (
                "https://www.aliexpress.com/store/1392990",
                "//www.aliexpress.com/item/1005008204179129.html?spm=a",
                "aliexpress",
                "1005008204179129",
            ),
            (
                "https://shop123.taobao.com/search.htm",
                "//item.taobao.com/item.htm?spm=a1z10&id=562283240178",
                "taobao",
                "562283240178",
            ),
            (
                "https://s.taobao.com/search?q=x",
                "https://detail.tmall.com/item.htm?id=605258110430&skuId=1",
                "tmall",
                "605258110430",
            ),
            (
                "https://www.ebay.com/sch/i.html?_nkw=x",
                "https://www.ebay.com/itm/334666199288?_skw=x&hash=item4d",
                "ebay",
                "334666199288",
            ),
            (
                "https://www.etsy.com/shop/Maker",
                "https://www.etsy.com/listing/550571276/el-original?ref=shop",
                "etsy",
                "550571276",
            ),
            (
                "https://www.walmart.com/search?q=x",
                "/ip/Some-Thing/123456789?classType=REGULAR",
                "walmart",
                "123456789",
            ),
        ];
        for (page, href, market, id) in cases {
            let html = format!(r#"<html><body><a href="{href}">x</a></body></html>"#);
            let found = links(&html, page, None, 10);
            assert_eq!(ids_of(&found), [(*market, *id)], "{href} on {page}");
        }
    }

    #[test]
    fn relative_links_resolve_against_the_page_and_dedupe_in_order() {
        let html = r##"
            <a href="/itm/111111111111?x=1#top">a</a>
            <a href="javascript:alert(1)">b</a>
            <a href="/itm/222222222222">c</a>
            <a href="https://www.ebay.com/itm/111111111111">again</a>
            <a href="/sch/i.html?_nkw=y">search</a>
            <a href="https://www.amazon.com/dp/B00N150YS4">another marketplace</a>
        "##;
        let found = links(html, "http://127.0.0.1:8000/s", Some("ebay"), 10);
        assert_eq!(
            ids_of(&found),
            [("ebay", "111111111111"), ("ebay", "222222222222")]
        );
        assert_eq!(
            found.links[0].url,
            "http://127.0.0.1:8000/itm/111111111111?x=1"
        );
        assert!(!found.cut);
    }

    #[test]
    fn amazon_sponsored_links_name_their_listing() {
        let html =
            r#"<a href="/sspa/click?ie=UTF8&amp;url=%2FX%2Fdp%2FB07G2L3JMM%2Fref%3Dsr">ad</a>"#;
        let found = links(html, "https://www.amazon.com/s?k=x", None, 10);
        assert_eq!(ids_of(&found), [("amazon", "B07G2L3JMM")]);
        assert_eq!(
            found.links[0].url,
            "https://www.amazon.com/X/dp/B07G2L3JMM/ref=sr"
        );
    }

    #[test]
    fn the_limit_cuts_and_says_so() {
        let html: String = (0..20)
            .map(|i| format!(r#"<a href="/itm/{}">x</a>"#, 100_000_000_000u64 + i))
            .collect();
        let found = links(&html, "https://www.ebay.com/sch/i.html", None, 5);
        assert_eq!(found.links.len(), 5);
        assert!(found.cut);
        let all = links(&html, "https://www.ebay.com/sch/i.html", None, 20);
        assert_eq!(all.links.len(), 20);
        assert!(!all.cut);
    }

    #[test]
    fn hostile_pages_do_not_panic() {
        for body in [
            &b""[..],
            b"\x00\x01\x02\xff\xfe",
            b"<a href=\"",
            b"<a href=\"//\">",
            b"<a href=\"http://[::1\">x</a>",
            b"<a href=\"https://www.ebay.com/itm/1234567890123456789012345\">x</a>",
        ] {
            let url = Url::parse("https://www.ebay.com/sch/i.html").expect("url");
            let page = Page {
                url: &url,
                http_status: None,
                content_type: None,
                body,
            };
            let found = listing_links(&page, Some("ebay"), 10);
            assert!(found.links.is_empty());
        }
        let long = format!(
            r#"<a href="/itm/123456789012?{}">x</a>"#,
            "a".repeat(10_000)
        );
        assert!(
            links(&long, "https://www.ebay.com/", None, 10)
                .links
                .is_empty()
        );
    }
}
