//! Checkout pages: the order confirmation a logged-in buyer sees before paying, and
//! what it shows (where the order ships, what it costs, which listing and seller).
//!
//! A page is a checkout when its URL is one of the marketplace's checkout pages, or
//! when it shows a place-order control next to a ship-to address:
//!
//! | marketplace | checkout URL | place-order control |
//! |---|---|---|
//! | Amazon | `/gp/buy/…` (`/gp/buy/spc/handlers/display.html`), `/checkout/…` | `placeYourOrder1`, `#submitOrderButtonId`, "Place your order" |
//! | AliExpress | `/p/trade/confirm.html`, `shoppingcart.aliexpress.com/order/confirm_order.htm` | "Place order" |
//! | Taobao, Tmall | `buy.taobao.com/auction/buy_now.jhtml`, `…/order/confirm_order.htm`, `buy.tmall.com/order/confirm_order.htm` | 提交订单 |
//! | eBay | `pay.ebay.com/rxo`, `/rgxo` | "Confirm and pay" |
//!
//! The facts: the ship-to address (Amazon's address list without the recipient's name
//! and phone, else a labelled "Shipping address" / 收货地址 block), the order total
//! and its currency ("Order total", 实付款, …), the listing being bought (when exactly
//! one listing is linked or posted), and its seller with the seller's id by the same
//! link rules as [`crate::seller_id`].
//!
//! What this module never does: put the listing id at the page level (a checkout is
//! not a capture of the listing), take a total from a single line item, or read the
//! buyer's account as the seller.

use crate::CheckoutFacts;
use crate::dom::Doc;
use crate::ids;
use crate::money::{CurrencyCtx, parse_money};
use crate::seller_id;
use crate::sites;
use crate::store::{Field, first_shown, labelled, small};
use crate::text::{self, hidden_in_tree, shown_text};
use url::Url;

/// Links looked at for the listing and the seller. A checkout page has a few hundred.
const MAX_LINKS: usize = 2_000;

/// The URL is one of the marketplace's checkout pages.
pub(crate) fn is_checkout_url(market: Option<&str>, url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = url.path().to_ascii_lowercase();
    let Some(market) = market.or_else(|| crate::market::from_host(&host)) else {
        return false;
    };
    match market {
        "amazon" => path.starts_with("/gp/buy/") || path.starts_with("/checkout/"),
        "aliexpress" => {
            path.starts_with("/p/trade/confirm")
                || (host.starts_with("shoppingcart.") && path.contains("confirm_order"))
        }
        "taobao" | "tmall" => {
            host.starts_with("buy.")
                && (path.starts_with("/auction/buy_now")
                    || path.contains("/order/confirm_order")
                    || path.contains("buy_now"))
        }
        "ebay" => {
            host.starts_with("pay.") && (path.starts_with("/rxo") || path.starts_with("/rgxo"))
        }
        "1688" => host.starts_with("order.") && path.contains("make_order"),
        "walmart" => path.starts_with("/checkout"),
        _ => false,
    }
}

/// Wording of a place-order control, lower-case.
const PLACE_ORDER: &[&str] = &[
    "place your order",
    "place order",
    "place your order and pay",
    "confirm and pay",
    "提交订单",
    "提交訂單",
];

/// The page shows a place-order control and where the order ships.
pub(crate) fn shows_checkout(market: Option<&str>, doc: &Doc<'_>) -> bool {
    market.is_some() && has_place_order(doc) && ship_to(market, doc).is_some()
}

fn has_place_order(doc: &Doc<'_>) -> bool {
    const IDS: &[&str] = &[
        "input[name='placeYourOrder1']",
        "#submitOrderButtonId",
        "#bottomSubmitOrderButtonId",
        "#placeYourOrder",
        "[data-test-id='CONFIRM_AND_PAY_BUTTON']",
    ];
    if doc.first_el(IDS).is_some() {
        return true;
    }
    // Most pages never say it: skip the walk over their controls.
    let vis = doc.visible_lc();
    if !PLACE_ORDER.iter().any(|p| vis.contains(p)) {
        return false;
    }
    const CONTROLS: &[&str] = &[
        "button",
        "input[type='submit' i]",
        "input[type='button' i]",
        "a[role='button']",
        "[class*='btn']",
        "[class*='Btn']",
    ];
    CONTROLS.iter().any(|s| {
        doc.select(s).take(500).filter(|e| small(*e, 20)).any(|e| {
            let t = e
                .value()
                .attr("value")
                .filter(|_| e.value().name() == "input")
                .map(text::normalize)
                .unwrap_or_else(|| shown_text(e));
            let t = text::lowercase(&t);
            !hidden_in_tree(e) && PLACE_ORDER.contains(&t.as_str())
        })
    })
}

/// The ship-to address as shown, on one line.
fn ship_to(market: Option<&str>, doc: &Doc<'_>) -> Option<String> {
    if market == Some("amazon") {
        let lines: Vec<String> = doc
            .select(".displayAddressUL li")
            .filter(|e| !hidden_in_tree(*e))
            .filter(|e| {
                !e.value()
                    .classes()
                    .any(|c| matches!(c, "displayAddressFullName" | "displayAddressPhoneNumber"))
            })
            .take(8)
            .filter(|e| small(*e, 50))
            .map(shown_text)
            .filter(|t| !t.is_empty())
            .collect();
        if !lines.is_empty() {
            return one_line(&lines.join(", "));
        }
        if let Some(a) = first_shown(doc, &["#deliver-to-address-text"]) {
            return one_line(&a);
        }
    }
    let sels: &[&'static str] = match market {
        Some("aliexpress") => &["[class*='pl-address-detail']", "[class*='address-detail']"],
        Some("taobao" | "tmall") => &[".confirmAddr-addr-bd", "[class*='addr-bd']"],
        Some("ebay") => &["[data-test-id='SHIPPING_ADDRESS'] .address"],
        _ => &[],
    };
    if let Some(a) = first_shown(doc, sels) {
        return one_line(&a);
    }
    labelled(doc, &[Field::ShipTo])
        .into_iter()
        .next()
        .and_then(|(_, v)| one_line(&v))
}

fn one_line(s: &str) -> Option<String> {
    let v = text::normalize(s);
    (v.chars().any(char::is_alphanumeric) && v.chars().count() <= 300).then_some(v)
}

fn total_sels(market: Option<&str>) -> &'static [&'static str] {
    match market {
        Some("amazon") => &[
            "#subtotals-marketplace-table .grand-total-price",
            ".order-summary-grand-total .a-text-right",
            "#subtotals .grand-total-price",
        ],
        Some("aliexpress") => &[
            "[class*='total-value']",
            "[class*='order-price--total'] [class*='value']",
        ],
        Some("taobao" | "tmall") => &[".realPay", ".realPay-price", "#J_ActualFee"],
        Some("ebay") => &["[data-test-id='TOTAL'] .text-display-span"],
        _ => &[],
    }
}

/// What the checkout shows; `None` when it shows none of it.
pub(crate) fn read(
    market: Option<&str>,
    doc: &Doc<'_>,
    ctx: &CurrencyCtx,
    urls: &[Url],
    base: &Url,
) -> Option<CheckoutFacts> {
    let total_text = first_shown(doc, total_sels(market)).or_else(|| {
        labelled(doc, &[Field::Total])
            .into_iter()
            .next()
            .map(|(_, v)| v)
    });
    let money = total_text.and_then(|t| parse_money(&t, ctx));
    let (seller, seller_id) = seller(market, doc, base);
    let info = CheckoutFacts {
        listing_id: listing_id(market, doc, urls, base),
        seller,
        seller_id,
        ship_to: ship_to(market, doc),
        currency: money
            .as_ref()
            .and_then(|m| m.currency.or(ctx.default))
            .map(str::to_owned),
        total: money.map(|m| m.amount),
        ship_to_region: None,
    };
    (info != CheckoutFacts::default()).then_some(info)
}

/// Links and forms of the order's own content (not the page chrome, not suggestions).
fn order_links<'d>(doc: &'d Doc<'_>) -> impl Iterator<Item = scraper::ElementRef<'d>> {
    doc.select("a[href]")
        .take(MAX_LINKS)
        .filter(|a| !hidden_in_tree(*a) && !sites::in_block_about_other_items(*a))
        .filter(|a| {
            !a.ancestors()
                .filter_map(|n| n.value().as_element())
                .any(|e| matches!(e.name(), "header" | "nav" | "footer"))
        })
}

/// The one listing the order is for: every listing link, posted id or checkout URL
/// parameter names the same one.
fn listing_id(market: Option<&str>, doc: &Doc<'_>, urls: &[Url], base: &Url) -> Option<String> {
    let m = market?;
    let mut ids: Vec<String> = order_links(doc)
        .filter_map(|a| ids::parse_url(a.value().attr("href")?, Some(base)))
        .filter(|u| !is_checkout_url(Some(m), u))
        .filter_map(|u| ids::from_url(m, &u))
        .collect();
    ids.extend(ids::from_forms(m, doc));
    const ITEM_KEYS: &[&str] = &[
        "itemid",
        "item_id",
        "item",
        "asin",
        "productids",
        "objectid",
    ];
    for u in urls.iter().filter(|u| is_checkout_url(Some(m), u)) {
        ids.extend(
            u.query_pairs()
                .filter(|(k, _)| ITEM_KEYS.contains(&k.to_ascii_lowercase().as_str()))
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| {
                    (5..=20).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric())
                }),
        );
    }
    ids.sort();
    ids.dedup();
    match ids.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The seller of the order: the shown name and id of the one seller the order links
/// to, else Amazon's "Sold by:" line.
fn seller(market: Option<&str>, doc: &Doc<'_>, base: &Url) -> (Option<String>, Option<String>) {
    let Some(m) = market else {
        return (None, None);
    };
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for a in order_links(doc) {
        let Some(u) = a
            .value()
            .attr("href")
            .and_then(|h| ids::parse_url(h, Some(base)))
        else {
            continue;
        };
        let Some(id) = seller_id::link_id(m, &u) else {
            continue;
        };
        if found.iter().any(|(i, _)| *i == id) {
            continue;
        }
        let name = small(a, 50).then(|| one_line(&shown_text(a))).flatten();
        found.push((id, name));
        if found.len() > 1 {
            return (None, None);
        }
    }
    let sold_by = || {
        doc.select("span, div, p").take(20_000).find_map(|e| {
            let own: String = e
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            let own = text::normalize(&own);
            let rest = own
                .strip_prefix("Sold by:")
                .or_else(|| own.strip_prefix("Sold by"))?;
            let rest = rest.trim();
            if hidden_in_tree(e) {
                return None;
            }
            let v = if rest.is_empty() {
                if !small(e, 50) {
                    return None;
                }
                shown_text(e)
                    .strip_prefix("Sold by")
                    .map(|s| s.trim_start_matches(':').trim().to_owned())?
            } else {
                rest.to_owned()
            };
            one_line(&v)
        })
    };
    match found.pop() {
        Some((id, name)) => (name.or_else(sold_by), Some(id)),
        None => (sold_by(), None),
    }
}
