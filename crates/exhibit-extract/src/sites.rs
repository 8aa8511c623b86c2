//! Each marketplace's own markup for the shown title, price and seller.
//!
//! Rules are stable ids/classes (or hashed-class prefixes such as
//! `mainTitle--`) and embedded state JSON; nothing here keys on file names.

use crate::dom::{Doc, attr};
use crate::index::sel;
use crate::money::{CurrencyCtx, Money, parse_money};
use crate::text::{self, hidden_in_tree, shown_text, shown_text_skipping};
use regex::Regex;
use scraper::ElementRef;
use std::sync::LazyLock;

/// Fields read from the marketplace's own product markup.
#[derive(Debug, Default)]
pub(crate) struct SiteFields {
    pub title: Option<String>,
    pub price: Option<Money>,
    pub seller: Option<String>,
}

const MAX_TITLE: usize = 600;
const MAX_SELLER: usize = 300;

struct Rules {
    title: &'static [&'static str],
    price: &'static [&'static str],
    seller: &'static [&'static str],
}

fn rules(market: &str) -> Option<Rules> {
    Some(match market {
        "amazon" => Rules {
            title: &[
                "#productTitle",
                "[data-feature-name='title'] #title",
                "#title_feature_div #title",
                "#ebooksProductTitle",
                "h1[data-automation-id='title']",
                "#btAsinTitle",
            ],
            price: &[],
            seller: &[],
        },
        "ebay" => Rules {
            title: &[
                "h1.x-item-title__mainTitle .ux-textspans--BOLD",
                "h1.x-item-title__mainTitle",
                "#itemTitle",
                "h1.it-ttl",
                "h1.vi-title__main",
                "h1.product-title",
            ],
            price: &[
                ".x-price-primary",
                "#prcIsum",
                "#mm-saleDscPrc",
                "#prcIsum_bidPrice",
                ".x-bin-price .ux-textspans",
                "[itemprop='offers'] [itemprop='price']",
            ],
            seller: &[
                ".x-sellercard-atf__info__about-seller .ux-textspans--BOLD",
                ".x-sellercard-atf__info__about-seller a",
                "[data-testid='x-sellercard-atf'] .ux-textspans--BOLD",
                ".mbg-nw",
                "#RightSummaryPanel .mbg-nw",
                ".x-store-information__store-name",
            ],
        },
        "etsy" => Rules {
            title: &[
                "h1[data-buy-box-listing-title]",
                "[data-buy-box] h1",
                "h1[data-listing-id]",
                "#listing-page-cart h1",
                ".listing-page-title-component h1",
            ],
            price: &[
                "[data-buy-box-region='price'] [data-selector='price-only'] p",
                "[data-buy-box-region='price'] .wt-text-title-larger",
                "[data-buy-box-region='price'] .wt-text-title-03",
                "[data-buy-box-region='price'] .override-listing-price",
                "[data-buy-box-region='price'] p",
                "#listing-price .item-amount",
                "#listing-price",
            ],
            seller: &[
                "a[href*='ref=simple-shop-header-name']",
                "[data-shop-name-link]",
                "#listing-page-cart .shop-name a",
                "[data-buy-box] a[href*='/shop/'][href*='ref=']",
                ".shop-name a",
            ],
        },
        "taobao" | "tmall" => Rules {
            title: &[
                "[class*='mainTitle--']",
                "#J_Title .tb-main-title",
                ".tb-main-title",
                ".tb-detail-hd h1",
                "[class*='ItemHeader--mainTitle']",
                "#J_DetailMeta h1",
            ],
            price: &[
                "[class*='highlightPrice--']",
                "[class*='Price--priceText']",
                "#J_PromoPriceNum",
                "#J_PromoPrice .tm-price",
                "#J_PromoPrice .tb-rmb-num",
                "#J_StrPriceModBox .tm-price",
                "#J_StrPrice .tb-rmb-num",
                "#J_StrPrice",
                ".tm-price",
            ],
            seller: &[
                "[class*='shopName--']",
                ".slogo-shopname",
                ".tb-shop-name a",
                ".tb-shop-name",
                ".shop-name-link",
                ".shopLink",
            ],
        },
        "aliexpress" => Rules {
            title: &[
                "h1[data-pl='product-title']",
                "h1.product-title-text",
                ".product-title-text",
                "[class*='title--wrap'] h1",
                ".title--wrap--content",
            ],
            price: &[
                "[class*='price-default--current']",
                "[class*='price--currentPriceText']",
                ".product-price-current .product-price-value",
                ".product-price-current",
                ".uniform-banner-box-price",
                "[data-pl='product-price'] [class*='current']",
            ],
            seller: &[
                "[class*='store-header--storeName']",
                "[class*='store-detail--storeName']",
                "a[data-pl='store-name']",
                "[data-role='store-name'] a",
                "h3.store-name a",
                ".shop-name a",
                ".store-name a",
            ],
        },
        "alibaba" => Rules {
            title: &[
                "[data-module-name='module_title'] h1",
                ".product-title-container h1",
                "h1.module-pdp-title",
                ".product-title h1",
                ".module-pdp-main-title h1",
            ],
            price: &[
                ".price-item",
                "[data-module-name='module_price'] .price",
                ".module_price .price",
                ".price-list .price",
                ".product-price .price",
                ".promotion-price",
            ],
            seller: &[
                ".company-name a",
                ".company-name",
                ".product-company-info a[title]",
                "a.company-name-link",
                ".supplier-name",
            ],
        },
        "1688" => Rules {
            title: &[
                ".title-content h1",
                "#productTitle h1",
                ".module-od-title h1",
                "h1.d-title",
                ".d-title",
                ".title-text",
                ".offer-title",
            ],
            price: &[
                ".module-od-main-price .price-info",
                "#mainPrice .price-info",
                ".price-comp .price-info",
                ".price-original-sku .value",
                ".price-range .price-text",
                ".price-now",
                ".price-text",
            ],
            seller: &[
                ".shop-company-name h1",
                ".shop-company-name",
                ".company-name a",
                ".company-name",
                ".shop-name",
            ],
        },
        "jd" => Rules {
            title: &[
                ".sku-name",
                "#itemName",
                ".product-intro .name h1",
                "[class*='sku-title']",
            ],
            price: &[
                ".summary-price .p-price .price",
                ".p-price .price",
                "#jd-price",
                "[class*='finalPrice']",
                ".p-price",
            ],
            seller: &[
                ".J-hove-wrap .name a",
                "#popbox .mt h3 a",
                ".popbox-inner .mt h3 a",
                ".shopName .name",
                ".top-name .name a",
                "[class*='shop-name']",
            ],
        },
        "walmart" => Rules {
            title: &[
                "h1#main-title",
                "h1[itemprop='name']",
                "[data-testid='product-title']",
                "h1.prod-ProductTitle",
            ],
            price: &[
                "[data-seo-id='hero-price']",
                "[data-testid='price-wrap'] [itemprop='price']",
                "span[itemprop='price']",
                ".price-characteristic",
            ],
            seller: &[
                "a[data-testid='seller-name-link']",
                "[data-testid='product-seller-info'] a",
                "[data-automation-id='seller-name']",
                ".seller-name",
                ".prod-SoldShipByMsg a",
            ],
        },
        "mercadolibre" => Rules {
            title: &["h1.ui-pdp-title", ".ui-pdp-title"],
            price: &[
                ".ui-pdp-price__second-line .andes-money-amount",
                ".ui-pdp-price__main-container [itemprop='offers'] .andes-money-amount",
                ".ui-pdp-price .andes-money-amount:not(.andes-money-amount--previous)",
                ".price-tag-fraction",
            ],
            seller: &[
                ".ui-pdp-seller__link span",
                ".ui-pdp-seller__link",
                ".ui-seller-data-header__title",
                ".ui-pdp-seller__header__title",
                ".ui-pdp-action-modal__link .ui-pdp-color--BLUE",
            ],
        },
        "rakuten" => Rules {
            title: &[
                ".normal_reserve_item_name",
                "span.item_name",
                "[class*='item-name--']",
                "h1[class*='item-name']",
            ],
            price: &[".price2"],
            seller: &["[class*='shop-name--']", ".seller-name"],
        },
        "shopee" => Rules {
            title: &[
                "[class*='product-briefing'] h1",
                ".WBVL_7 span",
                "._44qnta span",
                ".attM6y span",
            ],
            price: &[
                ".IZPeQz",
                ".pqTWkA",
                "._3n5NQx",
                "[class*='product-price'] [class*='current']",
            ],
            seller: &[".fV3TIn", "._6HeM6T", ".VlDReK", "[class*='seller-name']"],
        },
        "lazada" => Rules {
            title: &[
                ".pdp-mod-product-badge-title",
                "h1.pdp-mod-product-badge-title",
            ],
            price: &[".pdp-price_type_normal", ".pdp-product-price .pdp-price"],
            seller: &[".seller-name__detail-name", ".seller-name__detail a"],
        },
        "shein" => Rules {
            title: &[".product-intro__head-name", "h1.product-intro__head-name"],
            price: &[
                ".product-intro__head-mainprice .from",
                ".product-intro__head-price .original",
                ".productPrice_main",
            ],
            seller: &[".product-intro__brand-name", ".store-header__name"],
        },
        "target" => Rules {
            title: &["h1[data-test='product-title']"],
            price: &["[data-test='product-price']"],
            seller: &["[data-test='targetPlusSellerName']"],
        },
        "bestbuy" => Rules {
            title: &[".sku-title h1", "h1.heading-5"],
            price: &[
                ".priceView-customer-price span",
                "[data-testid='customer-price'] span",
            ],
            seller: &[],
        },
        "bol" => Rules {
            title: &["[data-test='title']", "h1.page-heading"],
            price: &[".promo-price", "[data-test='price']"],
            seller: &["[data-test='seller-name']", ".product-seller__name"],
        },
        "coupang" => Rules {
            title: &[".prod-buy-header__title", "h1.product-title"],
            price: &[".total-price strong", ".prod-sale-price .total-price"],
            seller: &[".prod-sale-vendor-name", "a.prod-sale-vendor-name"],
        },
        "ozon" => Rules {
            title: &["[data-widget='webProductHeading'] h1"],
            price: &["[data-widget='webPrice'] span"],
            seller: &[
                "[data-widget='webCurrentSeller'] a[title]",
                "[data-widget='webCurrentSeller'] a",
            ],
        },
        "wildberries" => Rules {
            title: &[".product-page__title", "h1.product-page__title"],
            price: &[".price-block__final-price", "ins.price-block__final-price"],
            seller: &[".seller-info__name", ".seller-info__title"],
        },
        "allegro" => Rules {
            title: &["h1[data-role='title']", "h1"],
            price: &["[aria-label^='cena']", "[data-testid='price'] span"],
            seller: &[
                "[data-analytics-click-label='sellerLogin']",
                "a[href*='/uzytkownik/']",
            ],
        },
        "flipkart" => Rules {
            title: &["span.B_NuCI", "h1 span.VU-ZEz", "h1._6EBuvT span"],
            price: &["._30jeq3._16Jk6d", ".Nx9bqj.CxhGGd"],
            seller: &["#sellerName span span", "#sellerName span"],
        },
        _ => return None,
    })
}

/// Price inside an element: `content`/`value` attributes, MercadoLibre's
/// split amounts, Amazon's screen-reader copy, else the shown text.
pub(crate) fn money_from_el(e: ElementRef<'_>, ctx: &CurrencyCtx) -> Option<Money> {
    let v = e.value();
    if let Some(c) = v.attr("content")
        && let Some(m) = parse_money(c, ctx)
    {
        return Some(m);
    }
    if v.name() == "input" {
        return v.attr("value").and_then(|val| parse_money(val, ctx));
    }
    if v.classes().any(|c| c == "andes-money-amount")
        && let Some(m) = andes_money(e, ctx)
    {
        return Some(m);
    }
    if let Some(off) = sel(".a-offscreen").and_then(|s| e.select(s).next()) {
        let t = text::normalize(&off.text().collect::<String>());
        if let Some(m) = parse_money(&t, ctx) {
            return Some(m);
        }
    }
    parse_money(&shown_text(e), ctx)
}

/// MercadoLibre: `<span class=andes-money-amount__fraction>71.492</span>` with
/// optional `__cents`; the fraction's dots are thousands separators.
fn andes_money(e: ElementRef<'_>, ctx: &CurrencyCtx) -> Option<Money> {
    let part = |s: &'static str| {
        sel(s)
            .and_then(|x| e.select(x).next())
            .map(|p| text::normalize(&p.text().collect::<String>()))
    };
    let fraction: String = part(".andes-money-amount__fraction")?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if fraction.is_empty() {
        return None;
    }
    let cents: String = part(".andes-money-amount__cents")
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let symbol = part(".andes-money-amount__currency-symbol").unwrap_or_default();
    let currency = crate::money::currency_in(&symbol, ctx);
    let amount = if cents.is_empty() {
        fraction
    } else {
        format!("{fraction}.{cents}")
    };
    Some(Money {
        amount,
        currency,
        ambiguous: crate::money::is_ambiguous_symbol(&symbol),
    })
}

/// A crossed-out (was / list) price?
fn struck(e: ElementRef<'_>) -> bool {
    std::iter::once(*e)
        .chain(e.ancestors().take(3))
        .filter_map(|n| n.value().as_element())
        .any(|el| {
            matches!(el.name(), "s" | "del" | "strike") || attr(el, "data-a-strike") == Some("true")
        })
}

/// Class or id words that mark a price as not the one to pay: a list, "was" or
/// crossed-out price, a unit price, a saving.
const NOT_TO_PAY: &[&str] = &[
    "text-price",
    "strike",
    "line-through",
    "was-price",
    "price-was",
    "wasprice",
    "old-price",
    "price-old",
    "oldprice",
    "original",
    "list-price",
    "listprice",
    "list_price",
    "price-before",
    "unit-price",
    "unitprice",
    "price-per",
    "saving",
    "coupon",
    "shipping",
    "delivery",
];

/// Elements that look like a shown price on any marketplace: Amazon's `.a-price`,
/// schema.org microdata, and anything whose class or id says "price".
const PRICE_LIKE: &[&str] = &[
    ".a-price:not(.a-text-price)",
    "[itemprop='price']",
    "[class*='price']",
    "[class*='Price']",
    "[id*='price']",
    "[id*='Price']",
];

/// The generic fallback when a marketplace's known templates hold no price: the first
/// price-like element, not crossed out and not a list or unit price, inside the
/// smallest container around the title that has one. Staying near the title keeps
/// recommendation carousels and "other sellers" boxes out; the page's `<body>` is too
/// far to count as near.
pub(crate) fn price_near_title(
    market: Option<&str>,
    doc: &Doc<'_>,
    ctx: &CurrencyCtx,
) -> Option<Money> {
    let title_sels: &[&'static str] = market.and_then(rules).map(|r| r.title).unwrap_or(&[]);
    let title = doc.first_el(title_sels).or_else(|| doc.first_el(&["h1"]))?;
    let is_amazon_price = |e: &ElementRef<'_>| e.value().classes().any(|c| c == "a-price");
    // Whole prices only: not the pieces inside Amazon's `.a-price` (`.a-price-whole`
    // alone says "89."), and not a container of other prices (its text would start
    // with whichever comes first, struck or not).
    let units: Vec<ElementRef<'_>> = PRICE_LIKE
        .iter()
        .flat_map(|s| doc.select(s))
        .filter(|e| !hidden_in_tree(*e))
        .filter(|e| {
            !e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| is_amazon_price(&a))
        })
        .collect();
    let unit_ids: std::collections::HashSet<_> = units.iter().map(|e| e.id()).collect();
    let containers: std::collections::HashSet<_> = units
        .iter()
        .flat_map(|e| e.ancestors().map(|a| a.id()))
        .filter(|id| unit_ids.contains(id))
        .collect();
    let candidates: Vec<ElementRef<'_>> = units
        .into_iter()
        .filter(|e| !containers.contains(&e.id()))
        .filter(|e| !struck(*e) && !names_other_price(*e) && !about_another_item(*e))
        .collect();
    for container in title.ancestors().filter_map(ElementRef::wrap).take(5) {
        if matches!(container.value().name(), "body" | "html") {
            break;
        }
        let mut inside: Vec<&ElementRef<'_>> = candidates
            .iter()
            .filter(|c| c.ancestors().any(|a| a.id() == container.id()))
            .collect();
        // Document order, so "first" means first on the page.
        inside.sort_by_key(|c| c.id());
        let found = inside.into_iter().find_map(|e| {
            let shown = shown_text(*e);
            (shown.chars().count() <= 40 || is_amazon_price(e))
                .then(|| money_from_el(*e, ctx))
                .flatten()
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Words in the class or id of a block about other products: carousels, "similar
/// items", sponsored slots, comparison tables.
const OTHER_ITEMS: &[&str] = &[
    "carousel",
    "sims",
    "similar",
    "sponsored",
    "sspa",
    "comparison",
    "recommend",
    "related",
    "alternative",
];

/// A price that belongs to another product: inside a link (a product card points to
/// its own page) or inside a block of other products.
fn about_another_item(e: ElementRef<'_>) -> bool {
    e.ancestors()
        .filter_map(|n| n.value().as_element())
        .any(|el| (el.name() == "a" && el.attr("href").is_some()) || names_other_items(el))
}

/// An element inside a block of other products (sponsored, similar, recommended, ...),
/// the element itself included.
pub(crate) fn in_block_about_other_items(e: ElementRef<'_>) -> bool {
    std::iter::once(*e)
        .chain(e.ancestors())
        .filter_map(|n| n.value().as_element())
        .any(names_other_items)
}

fn names_other_items(el: &scraper::node::Element) -> bool {
    let words = format!(
        "{} {}",
        el.attr("class").unwrap_or_default(),
        el.attr("id").unwrap_or_default()
    )
    .to_ascii_lowercase();
    OTHER_ITEMS.iter().any(|w| words.contains(w))
}

/// A price element, or one of its three nearest ancestors, whose class or id names a
/// price other than the one to pay.
fn names_other_price(e: ElementRef<'_>) -> bool {
    std::iter::once(*e)
        .chain(e.ancestors().take(3))
        .filter_map(|n| n.value().as_element())
        .any(|el| {
            let words = format!(
                "{} {}",
                el.attr("class").unwrap_or_default(),
                el.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase();
            NOT_TO_PAY.iter().any(|w| words.contains(w))
        })
}

fn first_money(doc: &Doc<'_>, sels: &[&'static str], ctx: &CurrencyCtx) -> Option<Money> {
    sels.iter().find_map(|s| {
        doc.select(s)
            .filter(|e| !hidden_in_tree(*e) && !struck(*e))
            .take(5)
            .find_map(|e| money_from_el(e, ctx))
    })
}

fn regex(re: &'static LazyLock<Option<Regex>>) -> Option<&'static Regex> {
    re.as_ref()
}

/// Undo JavaScript string escapes (`\uXXXX`, `\"`, `\/`).
pub(crate) fn unescape_js(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push('\u{fffd}'),
                }
            }
            Some('n' | 'r' | 't') => out.push(' '),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn script_capture(doc: &Doc<'_>, re: &'static LazyLock<Option<Regex>>) -> Option<String> {
    let re = regex(re)?;
    re.captures_iter(doc.raw).find_map(|c| {
        let v = unescape_js(c.get(1)?.as_str());
        text::strip_markup(&crate::text::decode_entities(&v))
            .filter(|s| s.chars().count() <= MAX_SELLER)
    })
}

static SHOP_NAME_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"["']?(?-u:\b)shopName["']?\s*:\s*(?:"((?:[^"\\]|\\.){1,300})"|'((?:[^'\\]|\\.){1,300})')"#).ok()
});
static SELLER_NICK_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"sellerNickName["']?\s*:\s*["']([^"']{1,300})["']"#).ok());
static STORE_NAME_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""storeName"\s*:\s*"((?:[^"\\]|\\.){1,300})""#).ok());
static ETSY_SHOP_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""shop_name"\s*:\s*"((?:[^"\\]|\\.){1,200})""#).ok());
static MELI_SELLER_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""seller_name"\s*:\s*"((?:[^"\\]|\\.){1,200})""#).ok());
static TEMU_MALL_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""mallName"\s*:\s*"((?:[^"\\]|\\.){1,200})""#).ok());
static SOLD_BY_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i:sold by|vendido por|verkauf durch|vendu par|venduto da|verkocht door|sprzedawane przez|販売元)\s*:?\s*(.+?)(?:\s+(?i:and|y|und|et|e|en|i)\s+|\s*\.\s*(?:$|\p{Lu})|\s*\.$|\s*[|(]|$)",
    )
    .ok()
});

fn shop_name_script(doc: &Doc<'_>) -> Option<String> {
    let re = regex(&SHOP_NAME_RE)?;
    re.captures_iter(doc.raw).find_map(|c| {
        let v = c.get(1).or_else(|| c.get(2))?.as_str();
        text::strip_markup(&unescape_js(v))
    })
}

fn seller_nick_script(doc: &Doc<'_>) -> Option<String> {
    let re = regex(&SELLER_NICK_RE)?;
    let v = re.captures(doc.raw)?.get(1)?.as_str().to_owned();
    let decoded = url::form_urlencoded::parse(format!("v={v}").as_bytes())
        .next()
        .map(|(_, val)| val.into_owned())?;
    text::clean(&decoded)
}

/// "Ships from and sold by Amazon.com." -> "Amazon.com".
fn sold_by(text: &str) -> Option<String> {
    let re = regex(&SOLD_BY_RE)?;
    let caps = re.captures(text)?;
    let name = caps.get(1)?.as_str().trim().trim_end_matches('.').trim();
    (name.chars().any(char::is_alphanumeric) && name.chars().count() <= MAX_SELLER)
        .then(|| name.to_owned())
}

fn amazon_price(doc: &Doc<'_>, ctx: &CurrencyCtx) -> Option<Money> {
    // Only the buy box: `.priceToPay` also appears in "other sellers",
    // comparison tables and recommendation carousels.
    const SELS: &[&str] = &[
        "#corePriceDisplay_desktop_feature_div .priceToPay",
        "#corePriceDisplay_mobile_feature_div .priceToPay",
        "#corePrice_desktop .priceToPay",
        "#corePrice_mobile_feature_div .priceToPay",
        "#corePrice_feature_div .priceToPay",
        "#apex_desktop .priceToPay",
        "#apex_mobile .priceToPay",
        "#apex_desktop .apexPriceToPay",
        "#apex_mobile .apexPriceToPay",
        "#corePrice_desktop .apexPriceToPay",
        "#corePrice_feature_div .apexPriceToPay",
        "#corePriceDisplay_desktop_feature_div .a-price:not(.a-text-price)",
        "#corePrice_desktop .a-price:not(.a-text-price)",
        "#corePrice_feature_div .a-price:not(.a-text-price)",
        "#priceblock_dealprice",
        "#priceblock_saleprice",
        "#priceblock_ourprice",
        "#priceblock_pospromoprice",
        "#price_inside_buybox",
        "#newBuyBoxPrice",
        "#kindle-price",
        "#buyNewSection .offer-price",
        "#newOfferAccordionRow .header-price",
        "#usedBuySection .offer-price",
        "#usedBuyBoxPrice",
        "#qualifiedBuybox .priceToPay",
        "#buybox .priceToPay",
        "#corePrice_feature_div .a-price",
    ];
    if let Some(m) = first_money(doc, SELS, ctx) {
        return Some(m);
    }
    // Prime Video: purchase buttons "Rent Movie HD $4.99" / "Buy Movie HD $12.99".
    let buttons: Vec<String> = doc
        .select(".dv-action-purchase-button input[value], .js-purchase-button input[value]")
        .filter_map(|e| e.value().attr("value").map(text::normalize))
        .collect();
    buttons
        .iter()
        .find(|v| v.to_ascii_lowercase().starts_with("buy"))
        .or_else(|| buttons.first())
        .and_then(|v| parse_money(v, ctx))
}

fn amazon_seller(doc: &Doc<'_>) -> Option<String> {
    if let Some(s) = doc.first_text(
        &[
            "#merchant-info #sellerProfileTriggerId",
            "#tabular-buybox #sellerProfileTriggerId",
            "#merchantInfoFeature_feature_div #sellerProfileTriggerId",
            "#merchantInfoFeature_feature_div .offer-display-feature-text-message",
            "#tabular-buybox .tabular-buybox-text[tabular-attribute-name='Sold by'] span",
        ],
        MAX_SELLER,
    ) {
        return Some(s);
    }
    if let Some(s) = doc
        .first_el(&["#merchant-info"])
        .and_then(|e| sold_by(&shown_text(e)))
    {
        return Some(s);
    }
    if let Some(s) = doc.first_text(
        &["#sellerProfileTriggerId", ".print-sold-by .a-color-base"],
        MAX_SELLER,
    ) {
        return Some(s);
    }
    // Digital video pages have no buy box; they say "Sold by X." in the terms line.
    let has_buybox = doc
        .first_el(&["#buybox", "#merchant-info", "#tabular-buybox"])
        .is_some();
    if !has_buybox
        && doc
            .first_el(&["#aiv-content-title", "#dv-action-box", ".dv-dp-top-wrapper"])
            .is_some()
    {
        return sold_by(&doc.visible);
    }
    None
}

fn etsy_seller_meta(doc: &Doc<'_>) -> Option<String> {
    let shop_url = doc.meta("etsymarketplace:shop")?;
    let after = shop_url.split("/shop/").nth(1)?;
    let name = after.split(['/', '?', '#']).next()?;
    text::clean(name)
}

fn strip_seller_label(s: String) -> String {
    const LABELS: &[&str] = &[
        "Tienda oficial",
        "Loja oficial",
        "Vendido por",
        "Sold by",
        "Visit the",
        "by ",
    ];
    let mut out = s.as_str();
    loop {
        let before = out;
        for l in LABELS {
            if let Some(rest) = out.strip_prefix(l) {
                out = rest.trim_start_matches([':', ' ']);
            }
        }
        if out == before {
            break;
        }
    }
    if out.is_empty() { s } else { out.to_owned() }
}

/// The element the seller's name is read from in the marketplace's own markup (the
/// same rule as [`read`]'s), so that the seller's id is read from the same block.
pub(crate) fn seller_el<'d>(market: &str, doc: &'d Doc<'_>) -> Option<ElementRef<'d>> {
    let r = rules(market)?;
    r.seller.iter().find_map(|s| {
        doc.select(s)
            .filter(|e| !hidden_in_tree(*e))
            .take(20)
            .find(|e| {
                let t = shown_text(*e);
                !t.is_empty() && t.chars().count() <= MAX_SELLER
            })
    })
}

/// Read title, price and seller from the marketplace's own markup.
pub(crate) fn read(market: Option<&str>, doc: &Doc<'_>, ctx: &CurrencyCtx) -> SiteFields {
    let Some(market) = market else {
        return SiteFields::default();
    };
    let mut f = SiteFields::default();
    if let Some(r) = rules(market) {
        f.title = doc.first_text(r.title, MAX_TITLE);
        f.price = first_money(doc, r.price, ctx);
        f.seller = doc.first_text(r.seller, MAX_SELLER).map(strip_seller_label);
    }
    match market {
        "amazon" => {
            if f.title.is_none() {
                f.title = doc
                    .first_el(&["#aiv-content-title"])
                    .map(|e| shown_text_skipping(e, &["release-year"]))
                    .filter(|t| !t.is_empty());
            }
            f.price = amazon_price(doc, ctx);
            f.seller = amazon_seller(doc);
        }
        "etsy" if f.seller.is_none() => {
            f.seller = etsy_seller_meta(doc).or_else(|| script_capture(doc, &ETSY_SHOP_RE));
        }
        "taobao" | "tmall" if f.seller.is_none() => {
            f.seller = shop_name_script(doc).or_else(|| seller_nick_script(doc));
        }
        "aliexpress" if f.seller.is_none() => {
            f.seller = script_capture(doc, &STORE_NAME_RE);
        }
        "mercadolibre" if f.seller.is_none() => {
            f.seller = script_capture(doc, &MELI_SELLER_RE);
        }
        "rakuten" if f.seller.is_none() => {
            f.seller = shop_name_script(doc);
        }
        "temu" if f.seller.is_none() => {
            f.seller = script_capture(doc, &TEMU_MALL_RE);
        }
        _ => {}
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sold_by_parsing() {
        assert_eq!(
            sold_by("Ships from and sold by Amazon.com. Gift-wrap available."),
            Some("Amazon.com".into())
        );
        assert_eq!(
            sold_by("Sold by Direct ChangM and Fulfilled by Amazon."),
            Some("Direct ChangM".into())
        );
        assert_eq!(
            sold_by(
                "you agree to our Terms of Use. Sold by Amazon Digital Services LLC. Additional taxes may apply."
            ),
            Some("Amazon Digital Services LLC".into())
        );
        assert_eq!(sold_by("Vendido por —"), None);
    }

    #[test]
    fn every_selector_parses() {
        let markets = [
            "amazon",
            "ebay",
            "etsy",
            "taobao",
            "tmall",
            "aliexpress",
            "alibaba",
            "1688",
            "jd",
            "walmart",
            "mercadolibre",
            "rakuten",
            "shopee",
            "lazada",
            "shein",
            "target",
            "bestbuy",
            "bol",
            "coupang",
            "ozon",
            "wildberries",
            "allegro",
            "flipkart",
        ];
        for m in markets {
            let r = rules(m).expect("rules for market");
            for s in r.title.iter().chain(r.price).chain(r.seller) {
                assert!(scraper::Selector::parse(s).is_ok(), "{m}: {s}");
            }
        }
        // Exercise the marketplace-specific code paths on an empty page.
        let doc = Doc::parse("<html><body><p>x</p></body></html>");
        for m in markets.iter().chain(&["temu", "pinduoduo", "unknown"]) {
            let f = read(Some(m), &doc, &CurrencyCtx::default());
            assert!(f.title.is_none() && f.price.is_none(), "{m}");
        }
    }

    #[test]
    fn js_unescape() {
        assert_eq!(
            unescape_js(r"\u6021\u79D1\u5916\u8BBEKBDfans"),
            "怡科外设KBDfans"
        );
    }
}
