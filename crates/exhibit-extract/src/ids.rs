//! Listing ids: from URLs (the page URL when its host is a marketplace, the
//! canonical link, og:url, ...) and from the page itself (hidden inputs,
//! embedded state JSON).

use crate::dom::Doc;
use crate::market;
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new($pat).ok());
    };
}

re!(
    AMAZON_PATH,
    r"(?:/dp/|/gp/product/|/gp/aw/d/|/exec/obidos/ASIN/|/exec/obidos/tg/detail/-/|/o/ASIN/|/gp/video/detail/|/gp/offer-listing/|/product-reviews/|/dp/product/)([A-Z0-9]{10})(?:[/?&#.]|$)"
);
re!(AMAZON_ASIN, r"^[A-Z0-9]{10}$");
re!(EBAY_PATH, r"/itm/(?:[^/?#]+/)?(\d{9,15})(?:[/?#]|$)");
re!(ETSY_PATH, r"/listing/(\d{5,})");
re!(TAOBAO_PATH, r"/(?:item|i)/?(\d{6,})\.htm");
re!(ALIEXPRESS_PATH, r"/(?:item|i)/(?:[^/?#]+/)?(\d{6,})\.html");
re!(
    ALIEXPRESS_STORE_PRODUCT,
    r"/store/product/[^/]+/\d+_(\d{6,})\.html"
);
re!(OFFER_PATH, r"/offer/(\d{6,})\.html");
re!(ALIBABA_PATH, r"/product-detail/[^?#]*?_(\d{6,})\.html");
re!(ALIBABA_P_DETAIL, r"/p-detail/[^?#]*?-(\d{6,})\.html");
re!(JD_PATH, r"^/(?:product/)?(\d{4,})\.html");
re!(TEMU_PATH, r"-g-(\d{6,})\.html");
re!(SHOPEE_PATH, r"-i\.(\d+)\.(\d+)(?:[/?#]|$)");
re!(SHOPEE_PRODUCT, r"/product/(\d+)/(\d+)");
re!(WALMART_PATH, r"/ip/(?:[^/?#]+/)?(\d{5,})");
re!(MELI_ID, r"(?:^|[/_-])(M[A-Z]{2})-?(\d{6,})(?:[/?#_-]|$)");
re!(LAZADA_PATH, r"-i(\d{5,})(?:-s\d+)?\.html");
re!(SHEIN_PATH, r"-p-(\d{5,})(?:-cat-\d+)?\.html");
re!(DHGATE_PATH, r"/product/[^/]+/(\d{5,})\.html");
re!(WISH_PATH, r"/(?:product|c)/([0-9a-f]{24})");
re!(COUPANG_PATH, r"/vp/products/(\d+)");
re!(OZON_PATH, r"/product/(?:[^/?#]*-)?(\d{5,})/?");
re!(WB_PATH, r"/catalog/(\d+)/detail\.aspx");
re!(BOL_PATH, r"/p/[^/]+/(\d{9,})");
re!(ALLEGRO_PATH, r"/oferta/(?:[^/?#]*-)?(\d{8,})");
re!(ZALANDO_PATH, r"-([A-Z0-9]{9}-[A-Z0-9]{3})\.html");
re!(TARGET_PATH, r"/-/A-(\d+)");
re!(BESTBUY_PATH, r"/site/[^/]+/(\d{5,})\.p");
re!(FLIPKART_PATH, r"/p/(itm[0-9a-z]+)");

fn cap(re: &'static LazyLock<Option<Regex>>, s: &str) -> Option<String> {
    re.as_ref()?
        .captures(s)?
        .get(1)
        .map(|m| m.as_str().to_owned())
}

fn query(url: &Url, keys: &[&str]) -> Option<String> {
    url.query_pairs()
        .find(|(k, v)| keys.iter().any(|key| k.eq_ignore_ascii_case(key)) && !v.is_empty())
        .map(|(_, v)| v.trim().to_owned())
}

fn digits(s: Option<String>, min: usize) -> Option<String> {
    s.filter(|v| v.len() >= min && v.len() <= 20 && v.bytes().all(|b| b.is_ascii_digit()))
}

/// Parse an absolute, protocol-relative or relative URL.
pub(crate) fn parse_url(s: &str, base: Option<&Url>) -> Option<Url> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_prefix("//") {
        return Url::parse(&format!("https://{rest}")).ok();
    }
    match Url::parse(s) {
        Ok(u) => Some(u),
        Err(_) => base.and_then(|b| b.join(s).ok()),
    }
}

/// Listing id encoded in a URL of marketplace `market`.
pub(crate) fn from_url(market: &str, url: &Url) -> Option<String> {
    let path = url.path();
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match market {
        "amazon" => cap(&AMAZON_PATH, path).or_else(|| {
            query(url, &["asin"]).filter(|a| AMAZON_ASIN.as_ref().is_some_and(|re| re.is_match(a)))
        }),
        "ebay" => cap(&EBAY_PATH, path).or_else(|| {
            if path.contains("/itm") || path.contains("ViewItem") || path.contains("eBayISAPI") {
                digits(query(url, &["item", "itemId", "iid"]), 9)
            } else {
                None
            }
        }),
        "etsy" => cap(&ETSY_PATH, path),
        "taobao" | "tmall" => {
            let item_like = path.contains("item")
                || path.contains("detail")
                || host.starts_with("item")
                || host.starts_with("detail");
            let from_query = if item_like {
                digits(query(url, &["id", "itemId", "item_id"]), 6)
            } else {
                None
            };
            from_query.or_else(|| cap(&TAOBAO_PATH, path))
        }
        "aliexpress" => cap(&ALIEXPRESS_PATH, path)
            .or_else(|| cap(&ALIEXPRESS_STORE_PRODUCT, path))
            .or_else(|| digits(query(url, &["productId"]), 6)),
        "1688" => cap(&OFFER_PATH, path).or_else(|| digits(query(url, &["offerId"]), 6)),
        "alibaba" => cap(&ALIBABA_PATH, path)
            .or_else(|| cap(&ALIBABA_P_DETAIL, path))
            .or_else(|| {
                if path.contains("product") {
                    digits(query(url, &["productId"]), 6)
                } else {
                    None
                }
            }),
        "jd" => {
            if host.starts_with("item.") || host.starts_with("item.m.") || host.contains(".item.") {
                cap(&JD_PATH, path).or_else(|| digits(query(url, &["sku", "wareId"]), 4))
            } else {
                digits(query(url, &["sku", "wareId"]), 4)
            }
        }
        "temu" => cap(&TEMU_PATH, path).or_else(|| digits(query(url, &["goods_id"]), 6)),
        "shopee" => SHOPEE_PATH
            .as_ref()
            .and_then(|re| re.captures(path))
            .or_else(|| SHOPEE_PRODUCT.as_ref().and_then(|re| re.captures(path)))
            .and_then(|c| Some(c.get(2)?.as_str().to_owned())),
        "walmart" => cap(&WALMART_PATH, path),
        "mercadolibre" => {
            let c = MELI_ID.as_ref()?.captures(path)?;
            Some(format!("{}{}", c.get(1)?.as_str(), c.get(2)?.as_str()))
        }
        "rakuten" => {
            if !host.starts_with("item.") {
                return None;
            }
            let mut segs = path.split('/').filter(|s| !s.is_empty());
            let _shop = segs.next()?;
            let code = segs.next()?;
            (!code.contains('.')).then(|| code.to_owned())
        }
        "lazada" => cap(&LAZADA_PATH, path),
        "shein" => cap(&SHEIN_PATH, path).or_else(|| digits(query(url, &["goods_id"]), 5)),
        "dhgate" => cap(&DHGATE_PATH, path),
        "wish" => cap(&WISH_PATH, path),
        "pinduoduo" => digits(query(url, &["goods_id"]), 5),
        "coupang" => cap(&COUPANG_PATH, path),
        "ozon" => cap(&OZON_PATH, path),
        "wildberries" => cap(&WB_PATH, path),
        "bol" => cap(&BOL_PATH, path),
        "allegro" => cap(&ALLEGRO_PATH, path),
        "zalando" => cap(&ZALANDO_PATH, path),
        "target" => cap(&TARGET_PATH, path),
        "bestbuy" => cap(&BESTBUY_PATH, path).or_else(|| digits(query(url, &["skuId"]), 5)),
        "flipkart" => cap(&FLIPKART_PATH, path),
        _ => None,
    }
}

/// Listing id from a URL string; the URL's own host decides the marketplace
/// when it is one, else `market`.
pub(crate) fn from_url_str(market: Option<&str>, s: &str, base: Option<&Url>) -> Option<String> {
    let url = parse_url(s, base)?;
    let m = url.host_str().and_then(market::from_host).or(market)?;
    from_url(m, &url)
}

re!(AMZN_R, r#"name="amzn-r"[^>]*value="([^"]+)""#);
re!(
    TAOBAO_SCRIPT_ID,
    r#"(?i)(?-u:\b)item_?id["']?\s*[:=]\s*["']?(\d{6,15})(?-u:\b)"#
);
re!(ALIEXPRESS_SCRIPT_ID, r#""productId"\s*:\s*"?(\d{6,20})"#);
re!(
    OFFER_SCRIPT_ID,
    r#"(?i)(?-u:\b)offer_?id["']?\s*[:=]\s*["']?(\d{6,15})(?-u:\b)"#
);
re!(
    ALIBABA_SCRIPT_ID,
    r#"(?i)(?:productId=|data-product-id="|"productId"\s*:\s*"?)(\d{6,20})"#
);
re!(
    EBAY_SCRIPT_ID,
    r#""(?:itemId|listingId)"\s*:\s*"?(\d{9,15})"#
);
re!(
    ETSY_SCRIPT_ID,
    r#"(?:"listing_id"\s*:\s*"?|name="listing_id" value="|data-listing-id=")(\d{5,})"#
);
re!(
    JD_SCRIPT_ID,
    r#"(?i)(?-u:\b)sku(?:id)?["']?\s*[:=]\s*["']?(\d{4,15})(?-u:\b)"#
);
re!(WALMART_SCRIPT_ID, r#""usItemId"\s*:\s*"(\d{5,})""#);
re!(
    MELI_SCRIPT_ID,
    r#""(?:catalogProductId|catalog_product_id|item_id|itemId)"\s*:\s*"(M[A-Z]{2}\d{6,})""#
);
re!(TEMU_SCRIPT_ID, r#""goods_?[iI]d"\s*:\s*"?(\d{6,})"#);
re!(SHOPEE_SCRIPT_ID, r#""itemid"\s*:\s*(\d{5,})"#);
re!(
    TMD_URL,
    r"(?i)((?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?/[^\s\x22'<>]*?)/_____tmd_____"
);

/// The most frequent capture of `re` in the page (ties: first seen).
fn most_frequent(raw: &str, re: &'static LazyLock<Option<Regex>>) -> Option<String> {
    let re = re.as_ref()?;
    let mut counts: std::collections::HashMap<&str, (usize, usize)> =
        std::collections::HashMap::new();
    for (order, c) in re.captures_iter(raw).take(5000).enumerate() {
        let Some(m) = c.get(1) else { continue };
        counts.entry(m.as_str()).or_insert((0, order)).0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(k, _)| k.to_owned())
}

/// Positions of `_____tmd_____` (any case) in the text.
fn tmd_markers(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let finder = memchr::memmem::Finder::new(b"_____");
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = b.get(from..).and_then(|rest| finder.find(rest)) {
            let at = from + at;
            from = at + 1;
            if b.get(at + 5..at + 13)
                .is_some_and(|t| t.eq_ignore_ascii_case(b"tmd_____"))
            {
                return Some(at);
            }
        }
        None
    })
}

/// URL a baxia ("punish") interstitial intercepted, if any.
pub(crate) fn intercepted_url(raw: &str) -> Option<Url> {
    let re = TMD_URL.as_ref()?;
    // A match cannot contain whitespace, quotes or angle brackets, so it lies
    // within the stretch between two of them around a marker. The pattern has
    // no literal prefix to search for; it only runs on those stretches.
    let b = raw.as_bytes();
    let is_delim = |c: &u8| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'<' | b'>');
    let mut searched_to = 0;
    let stretches = tmd_markers(b).filter_map(|at| {
        if at < searched_to {
            return None;
        }
        let start = b
            .get(..at)?
            .iter()
            .rposition(is_delim)
            .map_or(0, |d| d + 1)
            .max(searched_to);
        let end = b
            .get(at..)?
            .iter()
            .position(is_delim)
            .map_or(b.len(), |d| at + d);
        searched_to = end;
        raw.get(start..end)
    });
    stretches.flat_map(|s| re.captures_iter(s)).find_map(|c| {
        let s = c.get(1)?.as_str();
        let url = parse_url(s, None)?;
        let host = url.host_str()?;
        // Ignore the API gateways; they say nothing about the page.
        (!host.starts_with("h5api.") && !host.starts_with("acs.")).then_some(url)
    })
}

/// Ids that the page's own hidden fields and forms carry. Safe on
/// interstitials (they describe the intercepted page).
pub(crate) fn from_forms(market: &str, doc: &Doc<'_>) -> Option<String> {
    match market {
        "amazon" => {
            let input = ["input#ASIN", "input[name='ASIN']", "input[name='asin']"]
                .iter()
                .find_map(|s| {
                    doc.select(s)
                        .filter_map(|e| e.value().attr("value"))
                        .map(str::trim)
                        .find(|v| AMAZON_ASIN.as_ref().is_some_and(|re| re.is_match(v)))
                });
            input.map(str::to_owned).or_else(|| {
                doc.select("input[name='amzn-r']")
                    .filter_map(|e| e.value().attr("value"))
                    .find_map(|v| cap(&AMAZON_PATH, v))
                    .or_else(|| cap(&AMZN_R, doc.raw).and_then(|v| cap(&AMAZON_PATH, &v)))
            })
        }
        "etsy" => doc
            .select("input[name='listing_id']")
            .filter_map(|e| e.value().attr("value"))
            .find_map(|v| digits(Some(v.trim().to_owned()), 5)),
        _ => None,
    }
}

fn script_re(market: &str) -> Option<&'static LazyLock<Option<Regex>>> {
    Some(match market {
        "taobao" | "tmall" => &TAOBAO_SCRIPT_ID,
        "aliexpress" => &ALIEXPRESS_SCRIPT_ID,
        "1688" => &OFFER_SCRIPT_ID,
        "alibaba" => &ALIBABA_SCRIPT_ID,
        "ebay" => &EBAY_SCRIPT_ID,
        "etsy" => &ETSY_SCRIPT_ID,
        "jd" => &JD_SCRIPT_ID,
        "walmart" => &WALMART_SCRIPT_ID,
        "mercadolibre" => &MELI_SCRIPT_ID,
        "temu" => &TEMU_SCRIPT_ID,
        "shopee" => &SHOPEE_SCRIPT_ID,
        _ => return None,
    })
}

/// Distinct item ids named in the page's scripts and attributes (up to
/// `limit`): many of them and no main item means a result list.
pub(crate) fn distinct_script_ids(market: &str, doc: &Doc<'_>, limit: usize) -> usize {
    let Some(re) = script_re(market).and_then(|r| r.as_ref()) else {
        return 0;
    };
    let mut seen: Vec<&str> = Vec::new();
    for c in re.captures_iter(doc.raw).take(5000) {
        if let Some(m) = c.get(1)
            && !seen.contains(&m.as_str())
        {
            seen.push(m.as_str());
            if seen.len() >= limit {
                break;
            }
        }
    }
    seen.len()
}

/// Ids from embedded state JSON and data attributes (listing and removed
/// pages only: on other pages these are usually other items).
pub(crate) fn from_scripts(market: &str, doc: &Doc<'_>) -> Option<String> {
    if let Some(re) = script_re(market) {
        return most_frequent(doc.raw, re);
    }
    match market {
        "amazon" => doc
            .select("#averageCustomerReviews[data-asin], #dp[data-asin], [data-csa-c-asin]")
            .filter_map(|e| {
                e.value()
                    .attr("data-asin")
                    .or_else(|| e.value().attr("data-csa-c-asin"))
            })
            .map(str::trim)
            .find(|v| AMAZON_ASIN.as_ref().is_some_and(|re| re.is_match(v)))
            .map(str::to_owned),
        _ => None,
    }
}

/// Distinct listing ids linked from the page (for telling result lists
/// apart from pages with no item).
pub(crate) fn linked_ids(market: &str, doc: &Doc<'_>, base: Option<&Url>, limit: usize) -> usize {
    let mut seen: Vec<String> = Vec::new();
    for e in doc.select("a[href]") {
        let Some(href) = e.value().attr("href") else {
            continue;
        };
        if let Some(id) = from_url_str(Some(market), href, base)
            && !seen.contains(&id)
        {
            seen.push(id);
            if seen.len() >= limit {
                break;
            }
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(u: &str) -> Option<String> {
        from_url_str(None, u, None)
    }

    #[test]
    fn url_ids() {
        assert_eq!(
            id("https://www.amazon.com/Gorilla-6012110/dp/B00N150YS4?th=1").as_deref(),
            Some("B00N150YS4")
        );
        assert_eq!(
            id("https://www.amazon.co.uk/gp/product/1849757097/ref=x").as_deref(),
            Some("1849757097")
        );
        assert_eq!(
            id("https://www.ebay.com/itm/226771798286").as_deref(),
            Some("226771798286")
        );
        assert_eq!(
            id("http://www.ebay.com/itm/Outdoor-Wicker-Patio-/381228738769?hash=item1").as_deref(),
            Some("381228738769")
        );
        assert_eq!(
            id("https://item.taobao.com/item.htm?spm=a.b&id=562283240178").as_deref(),
            Some("562283240178")
        );
        assert_eq!(
            id("https://detail.tmall.com/item.htm?id=605258110430&skuId=1").as_deref(),
            Some("605258110430")
        );
        assert_eq!(
            id("https://de.aliexpress.com/item/1005008204179129.html?src=x").as_deref(),
            Some("1005008204179129")
        );
        assert_eq!(
            id("https://detail.1688.com/offer/823801520021.html").as_deref(),
            Some("823801520021")
        );
        assert_eq!(
            id("https://www.etsy.com/es/listing/550571276/el-original").as_deref(),
            Some("550571276")
        );
        assert_eq!(
            id("https://articulo.mercadolibre.com.co/MCO-123456789-lampara-_JM").as_deref(),
            Some("MCO123456789")
        );
        assert_eq!(
            id("https://www.mercadolibre.com.co/lamparas/p/MCO42090990").as_deref(),
            Some("MCO42090990")
        );
        assert_eq!(
            id("https://item.rakuten.co.jp/3line/f000000027/").as_deref(),
            Some("f000000027")
        );
        assert_eq!(
            id("https://www.walmart.com/ip/Some-Thing/123456789").as_deref(),
            Some("123456789")
        );
        assert_eq!(
            id("https://www.temu.com/goods-name-g-601099512345678.html").as_deref(),
            Some("601099512345678")
        );
        assert_eq!(
            id("https://www.temu.com/--home--m-3597628347664.html"),
            None
        );
        assert_eq!(
            id("https://www.alibaba.com/product-detail/Wholesale-Sneakers_1600691082191.html")
                .as_deref(),
            Some("1600691082191")
        );
        assert_eq!(id("http://127.0.0.1:8000/amazon/x-B002XA6AU4.html"), None);
    }

    #[test]
    fn intercepted_urls() {
        let markers = |s: &str| tmd_markers(s.as_bytes()).collect::<Vec<_>>();
        assert_eq!(markers("x//a.b/c/______TmD_____/punish"), [10]);
        assert!(markers("_____tm_____d_____").is_empty());
        let url = |s: &str| intercepted_url(s).map(String::from);
        assert_eq!(
            url("<iframe src='https://h5.m.taobao.com/x/_____tmd_____/punish'>"),
            Some("https://h5.m.taobao.com/x".to_owned())
        );
        // The same answers as the plain regex scan.
        for s in [
            "a //acs.x.com/_____tmd_____/ b 'https://item.taobao.com/i.htm/_____TMD_____/x'",
            "//a.com/x/_____tmd_____//b.com/y/_____tmd_____",
            "https://a.com/_____tmd_____ \"//h5api.m.com/z/_____tmd_____",
            "//h5api.a.com/x/_____tmd_____/_____tmd_____ //b.cn/_____tmd_____",
            "no marker //a.com/x",
        ] {
            let plain = TMD_URL.as_ref().and_then(|re| {
                re.captures_iter(s).find_map(|c| {
                    let url = parse_url(c.get(1)?.as_str(), None)?;
                    let host = url.host_str()?;
                    (!host.starts_with("h5api.") && !host.starts_with("acs.")).then_some(url)
                })
            });
            assert_eq!(url(s), plain.map(String::from), "{s}");
        }
    }
}
