//! The marketplace's own id for the seller of the listing, or for the store a
//! storefront page shows: a steadier key than the shown name for telling which
//! captures belong to one seller.
//!
//! Which id each marketplace gets (one namespace per marketplace, never mixed):
//!
//! | marketplace | id | read from |
//! |---|---|---|
//! | Taobao, Tmall | shop id (digits), not the seller's user id | `shop<id>.taobao.com` links in the shop block, `microscope-data` `shopId=`, `#LineZing[shopid]`, `g_config.shopId`, the `"seller":{…}` state's `shopId` |
//! | 1688 | member id (`ythlx`, `b2b-…`) | the `"sellerModel":{…}` state, `memberId=` links in the seller block |
//! | Alibaba.com | storefront name (`<name>.en.alibaba.com`) | the supplier block's links |
//! | AliExpress | store number (digits) | `/store/<n>` links in the store block, the `"storeModule":{…}` state |
//! | Amazon | merchant id (`A…`; Amazon itself is an id too, e.g. `ATVPDKIKX0DER`) | the buy box: the "Sold by" link's `seller=`, the add-to-cart form's `merchantID` |
//! | eBay | the seller's user name (not the eBay Store name of `/str/` links) | `/usr/<name>`, `/sch/<name>/m.html`, `_ssn=` links in the seller card |
//! | Etsy | shop id (digits), not the shop name | the page context that names the listing (`"listingId":…,"shopId":…`) |
//! | Mercado Libre | seller id (digits) | the state's `"seller_id"` paired with the shown seller's name; `_CustId_<n>` links |
//! | Rakuten | shop id (digits) | the cart form's `shop_bid` |
//! | Walmart, JD, Temu, Shopee, Pinduoduo | seller / shop / mall id (digits) | the seller block's links (`/seller/<n>`, `mall.jd.com/index-<n>`, `-m-<n>.html`, `/shop/<n>`, `mall_id=`); Shopee's listing URL |
//!
//! Storefront pages take the id from their own URL (page URL, canonical, `og:url`),
//! then from the page's config where the marketplace has one.
//!
//! What this module never does: read an id from a block about other items
//! (sponsored, similar, recommended, other sellers), from the shopper's own account
//! (`customerID`, the visitor's `userId`), or from ads' tracking links; return a value
//! that does not have the marketplace's id shape. On any doubt it returns `None`.

use crate::PageKind;
use crate::dom::Doc;
use crate::ids::parse_url;
use crate::index::sel;
use crate::sites;
use crate::text::{self, hidden_in_tree};
use regex::Regex;
use scraper::ElementRef;
use std::sync::LazyLock;
use url::Url;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new($pat).ok());
    };
}

re!(AMAZON_MERCHANT, r"^A[0-9A-Z]{9,20}$");
re!(EBAY_USER, r"^[A-Za-z0-9][A-Za-z0-9._*-]{1,63}$");
re!(SLUG, r"^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$");
re!(
    TAOBAO_SHOP_HOST,
    r"^shop([0-9]{3,20})\.(?:taobao|tmall)\.com$"
);
re!(
    ALIEXPRESS_STORE_PATH,
    r"^/store/([0-9]{3,20})(?:/|\.html)?$"
);
re!(EBAY_USR_PATH, r"^/usr/([^/?#]+)/?$");
re!(EBAY_SCH_PATH, r"^/sch/([^/?#]+)/m\.html$");
re!(JD_SHOP_PATH, r"^/index-([0-9]{3,20})\.html$");
re!(WALMART_SELLER_PATH, r"^/seller/([0-9]{3,20})(?:[/?#]|$)");
re!(TEMU_MALL_PATH, r"-m-([0-9]{6,20})\.html$");
re!(SHOPEE_SHOP_PATH, r"^/shop/([0-9]{3,20})/?$");
re!(
    SHOPEE_ITEM_PATH,
    r"-i\.([0-9]{3,20})\.[0-9]{3,20}(?:[/?#]|$)"
);
re!(SHOPEE_PRODUCT_PATH, r"^/product/([0-9]{3,20})/[0-9]{3,20}");
re!(MELI_CUST_PATH, r"(?i)_CustId_([0-9]{3,20})");
re!(G_CONFIG, r"g_config\s*=\s*\{");
re!(SELLER_STATE, r#""seller"\s*:\s*\{"#);
re!(SELLER_MODEL, r#""sellerModel"\s*:\s*\{"#);
re!(STORE_MODULE, r#""storeModule"\s*:\s*\{"#);
re!(
    SHOP_ID_KEY,
    r#"(?:^|[{,\s])["']?shopId["']?\s*:\s*["']?([0-9]{3,20})["']?\s*(?:[,}]|$)"#
);
re!(MEMBER_ID_KEY, r#""memberId"\s*:\s*"([^"\\]{2,64})""#);
re!(
    STORE_NUM_KEY,
    r#""(?:storeNum|storeId)"\s*:\s*"?([0-9]{3,20})"?\s*[,}]"#
);
re!(
    ETSY_CONTEXT,
    r#""listingId":([0-9]{3,20}),(?:"[A-Za-z_]{1,40}":(?:-?[0-9.]{1,20}|"[^"\\]{0,80}"|true|false|null),){0,8}"shopId":([0-9]{3,20})[,}]"#
);
re!(
    MELI_SELLER,
    r#""seller_id":([0-9]{3,20}),"seller_name":"((?:[^"\\]|\\.){1,200})""#
);

/// The longest state object this module reads (bytes). A seller block is a few KB.
const MAX_OBJECT: usize = 64 * 1024;
/// More links than this around the seller's name means the block has grown into
/// the page: stop climbing.
const MAX_BLOCK_LINKS: usize = 40;

/// What the seller id is read from.
pub(crate) struct Source<'p, 'd> {
    pub market: &'p str,
    pub kind: PageKind,
    pub doc: &'p Doc<'d>,
    /// The URLs that speak for the page, most authoritative first (page URL on a
    /// marketplace host, canonical link, `og:url`).
    pub urls: &'p [Url],
    /// What relative links resolve against.
    pub base: &'p Url,
    pub listing_id: Option<&'p str>,
    /// The seller's shown name, as read from the page.
    pub seller: Option<&'p str>,
}

/// The seller's (or storefront's) id, if the page shows one where it belongs to them.
pub(crate) fn read(src: &Source<'_, '_>) -> Option<String> {
    match src.kind {
        PageKind::Listing => from_listing(src),
        PageKind::Store => from_store(src),
        _ => None,
    }
}

fn from_listing(src: &Source<'_, '_>) -> Option<String> {
    let (m, doc) = (src.market, src.doc);
    match m {
        "amazon" => amazon(doc, src.base),
        "shopee" => src.urls.iter().find_map(shopee_listing_url),
        _ => from_seller_block(src).or_else(|| from_state(src)),
    }
}

fn from_store(src: &Source<'_, '_>) -> Option<String> {
    src.urls
        .iter()
        .find_map(|u| link_id(src.market, u))
        .or_else(|| match src.market {
            "taobao" | "tmall" | "rakuten" => from_state(src),
            _ => None,
        })
}

/// Page-level state and forms that describe the listing's seller.
fn from_state(src: &Source<'_, '_>) -> Option<String> {
    let doc = src.doc;
    match src.market {
        "taobao" | "tmall" => taobao_state(doc),
        "1688" => object_value(doc.raw, &SELLER_MODEL, &MEMBER_ID_KEY, slug),
        "aliexpress" => object_value(doc.raw, &STORE_MODULE, &STORE_NUM_KEY, digits),
        "etsy" => etsy_context(doc.raw, src.listing_id?),
        "mercadolibre" => meli_state(doc.raw, src.seller?),
        "rakuten" => doc
            .select("input[name='shop_bid']")
            .filter_map(|e| e.value().attr("value"))
            .find_map(digits),
        _ => None,
    }
}

/// Taobao / Tmall: the shop id from the page's own config, never `sellerId` / `userId`.
fn taobao_state(doc: &Doc<'_>) -> Option<String> {
    let from_meta = doc.meta("microscope-data").and_then(|c| {
        c.split(';').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k.trim() == "shopId").then(|| digits(v)).flatten()
        })
    });
    from_meta
        .or_else(|| {
            doc.select("#LineZing[shopid]")
                .filter_map(|e| e.value().attr("shopid"))
                .find_map(digits)
        })
        .or_else(|| object_value(doc.raw, &G_CONFIG, &SHOP_ID_KEY, digits))
        .or_else(|| object_value(doc.raw, &SELLER_STATE, &SHOP_ID_KEY, digits))
}

/// Etsy: the shop id in the context object that names this very listing.
fn etsy_context(raw: &str, listing_id: &str) -> Option<String> {
    let re = ETSY_CONTEXT.as_ref()?;
    re.captures_iter(raw).take(50).find_map(|c| {
        (c.get(1)?.as_str() == listing_id)
            .then(|| digits(c.get(2)?.as_str()))
            .flatten()
    })
}

/// Mercado Libre: the `seller_id` the state pairs with the seller name the page shows.
fn meli_state(raw: &str, seller: &str) -> Option<String> {
    let re = MELI_SELLER.as_ref()?;
    let shown = text::normalize(seller);
    re.captures_iter(raw).take(200).find_map(|c| {
        let name = text::normalize(&sites::unescape_js(c.get(2)?.as_str()));
        (name == shown)
            .then(|| digits(c.get(1)?.as_str()))
            .flatten()
    })
}

/// Amazon: only the buy box. The "Sold by" link names the featured offer's merchant;
/// the add-to-cart form posts it. Ads (`/advertising/atc?merchantId=`), "other
/// sellers", used offers (`usedMerchantID`) and the shopper (`customerID`) are elsewhere.
fn amazon(doc: &Doc<'_>, base: &Url) -> Option<String> {
    const LINKS: &[&str] = &[
        "#merchant-info a[href]",
        "#sellerProfileTriggerId[href]",
        "#tabular-buybox a[href]",
        "#merchantInfoFeature_feature_div a[href]",
        "#offerDisplayFeatures_desktop a[href]",
    ];
    const INPUTS: &[&str] = &[
        "form#addToCart input[name='merchantID']",
        "#buybox input[name='merchantID']",
        "input#ftSelectMerchant",
    ];
    let from_links = LINKS.iter().find_map(|s| {
        doc.select(s)
            .filter(|a| !sites::in_block_about_other_items(*a))
            .take(10)
            .find_map(|a| {
                let url = parse_url(a.value().attr("href")?, Some(base))?;
                url.query_pairs()
                    .find(|(k, _)| k == "seller")
                    .and_then(|(_, v)| amazon_merchant(&v))
            })
    });
    from_links.or_else(|| {
        INPUTS.iter().find_map(|s| {
            doc.select(s)
                .filter(|e| !sites::in_block_about_other_items(*e))
                .take(10)
                .find_map(|e| amazon_merchant(e.value().attr("value")?))
        })
    })
}

fn shopee_listing_url(u: &Url) -> Option<String> {
    cap(&SHOPEE_ITEM_PATH, u.path())
        .or_else(|| cap(&SHOPEE_PRODUCT_PATH, u.path()))
        .and_then(|v| digits(&v))
}

/// The id in the links of the block that shows the seller's name: the name's element
/// and its nearest ancestors, smallest first, while the block stays small.
fn from_seller_block(src: &Source<'_, '_>) -> Option<String> {
    let el = sites::seller_el(src.market, src.doc)?;
    let links = sel("a[href]")?;
    let id_of = |a: ElementRef<'_>| {
        let href = a.value().attr("href")?;
        link_id(src.market, &parse_url(href, Some(src.base))?)
    };
    let blocks = std::iter::once(el).chain(el.ancestors().filter_map(ElementRef::wrap));
    for block in blocks.take(6) {
        if matches!(block.value().name(), "body" | "html") {
            break;
        }
        if block.value().name() == "a"
            && let Some(id) = id_of(block)
        {
            return Some(id);
        }
        let inside: Vec<ElementRef<'_>> = block.select(links).take(MAX_BLOCK_LINKS + 1).collect();
        if inside.len() > MAX_BLOCK_LINKS {
            break;
        }
        if let Some(id) = inside
            .into_iter()
            .filter(|a| !hidden_in_tree(*a) && !sites::in_block_about_other_items(*a))
            .find_map(id_of)
        {
            return Some(id);
        }
    }
    None
}

/// The seller or store id a link of marketplace `market` points to, if it is a link
/// to a seller's page at all.
pub(crate) fn link_id(market: &str, url: &Url) -> Option<String> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = url.path();
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.into_owned())
    };
    match market {
        "taobao" | "tmall" => cap(&TAOBAO_SHOP_HOST, &host)
            .or_else(|| {
                (host == "shop.m.taobao.com")
                    .then(|| query("shop_id").or_else(|| query("shopId")))
                    .flatten()
            })
            .and_then(|v| digits(&v)),
        "1688" => query("memberId").and_then(|v| slug(&v)),
        "alibaba" => {
            let name = host
                .strip_suffix(".m.en.alibaba.com")
                .or_else(|| host.strip_suffix(".en.alibaba.com"))?;
            (!name.contains('.') && !matches!(name, "www" | "m" | "message" | "i"))
                .then(|| slug(name))
                .flatten()
        }
        "aliexpress" => cap(&ALIEXPRESS_STORE_PATH, path).and_then(|v| digits(&v)),
        "amazon" => {
            let seller_page = path.starts_with("/sp") || path.contains("/seller/");
            seller_page
                .then(|| query("seller"))
                .flatten()
                .and_then(|v| amazon_merchant(&v))
        }
        "ebay" => cap(&EBAY_USR_PATH, path)
            .or_else(|| cap(&EBAY_SCH_PATH, path))
            .or_else(|| query("_ssn"))
            .and_then(|v| ebay_user(&v)),
        "jd" => {
            let shop = if host == "mall.jd.com" {
                cap(&JD_SHOP_PATH, path)
            } else if host.starts_with("shop.m.jd.") {
                query("shopId")
            } else {
                None
            };
            shop.and_then(|v| digits(&v))
        }
        "walmart" => cap(&WALMART_SELLER_PATH, path).and_then(|v| digits(&v)),
        "temu" => cap(&TEMU_MALL_PATH, path).and_then(|v| digits(&v)),
        "shopee" => cap(&SHOPEE_SHOP_PATH, path).and_then(|v| digits(&v)),
        "pinduoduo" => query("mall_id").and_then(|v| digits(&v)),
        "mercadolibre" => cap(&MELI_CUST_PATH, path).and_then(|v| digits(&v)),
        _ => None,
    }
}

/// The value of `key` (group 1) inside the first state object opened by `opener`
/// (a pattern ending at its `{`) whose value passes `valid`.
fn object_value(
    raw: &str,
    opener: &'static LazyLock<Option<Regex>>,
    key: &'static LazyLock<Option<Regex>>,
    valid: fn(&str) -> Option<String>,
) -> Option<String> {
    let (opener, key) = (opener.as_ref()?, key.as_ref()?);
    opener.find_iter(raw).take(20).find_map(|m| {
        let body = object_at(raw, m.end().checked_sub(1)?)?;
        key.captures_iter(body)
            .take(20)
            .find_map(|c| valid(c.get(1)?.as_str()))
    })
}

/// The text of the JSON / JavaScript object literal whose `{` is at byte `open`,
/// braces inside strings ignored; `None` when it does not close within
/// [`MAX_OBJECT`] bytes.
fn object_at(raw: &str, open: usize) -> Option<&str> {
    let bytes = raw.as_bytes();
    if bytes.get(open) != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(open).take(MAX_OBJECT) {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    // Both ends are ASCII braces, so both are char boundaries.
                    return raw.get(open..=i);
                }
            }
            _ => {}
        }
    }
    None
}

fn cap(re: &'static LazyLock<Option<Regex>>, s: &str) -> Option<String> {
    re.as_ref()?
        .captures(s)?
        .get(1)
        .map(|m| m.as_str().to_owned())
}

fn matches(re: &'static LazyLock<Option<Regex>>, s: &str) -> Option<String> {
    let s = s.trim();
    re.as_ref()?.is_match(s).then(|| s.to_owned())
}

/// A numeric id: 3 to 20 ASCII digits, not all zeros.
fn digits(s: &str) -> Option<String> {
    let s = s.trim();
    ((3..=20).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b != b'0'))
    .then(|| s.to_owned())
}

/// Amazon merchant id: `A` and 9 to 20 capitals or digits (`ATVPDKIKX0DER`).
fn amazon_merchant(s: &str) -> Option<String> {
    matches(&AMAZON_MERCHANT, s)
}

/// eBay user name: letters, digits and `. _ - *`, 2 to 64 characters.
fn ebay_user(s: &str) -> Option<String> {
    let user = matches(&EBAY_USER, s)?;
    (!user.to_ascii_lowercase().ends_with(".html")).then_some(user)
}

/// A member id or storefront name: letters, digits, `_` and `-`, 2 to 64 characters.
fn slug(s: &str) -> Option<String> {
    matches(&SLUG, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    #[test]
    fn links_to_sellers() {
        let cases = [
            (
                "taobao",
                "https://shop103890057.taobao.com/category.htm",
                Some("103890057"),
            ),
            (
                "tmall",
                "https://shop.m.taobao.com/shop/shop_index.htm?shop_id=64592671",
                Some("64592671"),
            ),
            ("taobao", "https://yikewaishe.taobao.com/", None),
            ("taobao", "https://shopabc.taobao.com/", None),
            (
                "aliexpress",
                "https://he.aliexpress.com/store/1392990",
                Some("1392990"),
            ),
            (
                "aliexpress",
                "https://he.aliexpress.com/store/feedback-score/1392990.html",
                None,
            ),
            (
                "amazon",
                "https://www.amazon.com/sp?seller=A3EL5JZNMT8SZ7",
                Some("A3EL5JZNMT8SZ7"),
            ),
            (
                "amazon",
                "https://www.amazon.com/sp?seller=a3el5jznmt8sz7",
                None,
            ),
            (
                "amazon",
                "https://www.amazon.com/gp/aag/main?seller=ATVPDKIKX0DER",
                None,
            ),
            (
                "ebay",
                "https://www.ebay.com/usr/bestchoiceproducts?_trksid=1",
                Some("bestchoiceproducts"),
            ),
            (
                "ebay",
                "https://www.ebay.com/sch/salomon0651/m.html?item=1",
                Some("salomon0651"),
            ),
            (
                "ebay",
                "https://www.ebay.com/sch/i.html?_ssn=shop.girl.me",
                Some("shop.girl.me"),
            ),
            ("ebay", "https://www.ebay.com/sch/i.html?_nkw=x", None),
            ("ebay", "https://www.ebay.ca/str/magellanstore", None),
            (
                "alibaba",
                "https://zhenbenchina.en.alibaba.com/index.html",
                Some("zhenbenchina"),
            ),
            (
                "alibaba",
                "https://zhenbenchina.m.en.alibaba.com/",
                Some("zhenbenchina"),
            ),
            ("alibaba", "https://www.alibaba.com/", None),
            (
                "1688",
                "https://winport.m.1688.com/page/index.html?memberId=ythlx",
                Some("ythlx"),
            ),
            (
                "jd",
                "https://mall.jd.com/index-1000004123.html",
                Some("1000004123"),
            ),
            (
                "walmart",
                "https://www.walmart.com/seller/101012345",
                Some("101012345"),
            ),
            (
                "temu",
                "https://www.temu.com/--home--m-3597628347664.html",
                Some("3597628347664"),
            ),
            (
                "shopee",
                "https://shopee.com.br/shop/123456",
                Some("123456"),
            ),
            (
                "pinduoduo",
                "https://mobile.yangkeduo.com/mall_page.html?mall_id=987654",
                Some("987654"),
            ),
            (
                "mercadolibre",
                "https://listado.mercadolibre.com.co/_CustId_334337979",
                Some("334337979"),
            ),
            ("etsy", "https://www.etsy.com/shop/InfernoDecals", None),
        ];
        for (market, u, want) in cases {
            assert_eq!(link_id(market, &url(u)).as_deref(), want, "{market} {u}");
        }
    }

    #[test]
    fn id_shapes() {
        assert_eq!(digits(" 64592671 ").as_deref(), Some("64592671"));
        for bad in [
            "",
            "12",
            "000000",
            "6459x671",
            "١٢٣٤٥",
            "123456789012345678901",
        ] {
            assert_eq!(digits(bad), None, "{bad}");
        }
        assert_eq!(
            amazon_merchant(" ATVPDKIKX0DER ").as_deref(),
            Some("ATVPDKIKX0DER")
        );
        for bad in [
            "",
            "B00N150YS4",
            "A12",
            "A3EL5JZNMT8SZ7<script>",
            "atvpdkikx0der",
        ] {
            assert_eq!(amazon_merchant(bad), None, "{bad}");
        }
        assert_eq!(ebay_user("i.html"), None);
        assert_eq!(ebay_user("a b"), None);
        assert_eq!(
            slug("b2b-2208326836785d0d82").as_deref(),
            Some("b2b-2208326836785d0d82")
        );
        assert_eq!(slug("鹤来香食品"), None);
    }

    #[test]
    fn objects_close_on_their_own_brace() {
        let raw =
            r#"x = {"seller":{"name":"a}{b","shopId":"12345","n":{"shopId":"1"}},"shopId":"999"}"#;
        let open = raw.find(r#""seller":{"#).map(|p| p + r#""seller":"#.len());
        let body = open.and_then(|o| object_at(raw, o));
        assert_eq!(
            body,
            Some(r#"{"name":"a}{b","shopId":"12345","n":{"shopId":"1"}}"#)
        );
        assert_eq!(
            object_value(raw, &SELLER_STATE, &SHOP_ID_KEY, digits).as_deref(),
            Some("12345")
        );
        // Unclosed or not an object: nothing.
        assert_eq!(object_at("{\"a\":1", 0), None);
        assert_eq!(object_at("abc", 1), None);
        assert_eq!(object_at("}", 5), None);
    }
}
