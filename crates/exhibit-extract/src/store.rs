//! What a storefront or seller profile page says about the seller: its shown name, the
//! legal business name and address where the marketplace shows them, the location,
//! rating and opening date.
//!
//! Where each marketplace shows them:
//!
//! | marketplace | shop name | business name, address | location, rating, opened |
//! |---|---|---|---|
//! | Amazon (`/sp?seller=`) | `#seller-name` | "Detailed Seller Information": `Business Name:`, `Business Address:` and the address rows under it | `#seller-info-feedback-summary` |
//! | AliExpress (`/store/<n>`) | the store header, `Store name:` | `Company name:`, `Address:` of the store info | `Location:`, the header's positive feedback, `Open since:` |
//! | Taobao, Tmall (`shop<id>.taobao.com`) | the shop header, `店铺名称` | the 营业执照 panel: `企业名称`, `地址` / `住所` | `所在地`, `开店时间`, the shop's rating |
//! | any | | | a JSON-LD `Organization` / `Store`'s `aggregateRating` |
//!
//! Values are read from labelled rows ("Label: value", a label cell and its value
//! cell, or a label row followed by indented value rows) and from each marketplace's
//! own classes, as shown: trimmed, on one line, never inferred. Nothing is read from
//! the page header, navigation or footer, from blocks about other items, or from
//! hidden elements.
//!
//! What this module never does: read facts on a page that is not a storefront (the
//! caller only asks on `store` pages), guess a location from a phone number, a
//! currency or the marketplace, or return markup.

use crate::StoreFacts;
use crate::dom::Doc;
use crate::sites;
use crate::structured::ld_text;
use crate::text::{self, hidden_in_tree, shown_text};
use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

/// The longest value kept (characters). An address is a line or two.
const MAX_VALUE: usize = 300;
/// Elements looked at for labels. A store page has a few thousand.
const MAX_ELEMENTS: usize = 60_000;
/// Labelled elements looked at. A store page has a dozen.
const MAX_LABELS: usize = 200;
/// Value rows read after a label row (Amazon's address lines).
const MAX_ROWS: usize = 8;

/// A field a label can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    ShopName,
    BusinessName,
    Address,
    Location,
    Rating,
    Opened,
    ShipTo,
    Total,
}

/// Labels, lower-case, without their colon; longest first where one starts another.
const LABELS: &[(&str, Field)] = &[
    ("business name", Field::BusinessName),
    ("company name", Field::BusinessName),
    ("legal name", Field::BusinessName),
    ("企业名称", Field::BusinessName),
    ("公司名称", Field::BusinessName),
    ("business address", Field::Address),
    ("company address", Field::Address),
    ("registered address", Field::Address),
    ("企业地址", Field::Address),
    ("经营场所", Field::Address),
    ("住所", Field::Address),
    ("地址", Field::Address),
    ("address", Field::Address),
    ("store name", Field::ShopName),
    ("shop name", Field::ShopName),
    ("店铺名称", Field::ShopName),
    ("store location", Field::Location),
    ("location", Field::Location),
    ("所在地区", Field::Location),
    ("所在地", Field::Location),
    ("store rating", Field::Rating),
    ("seller rating", Field::Rating),
    ("店铺评分", Field::Rating),
    ("open since", Field::Opened),
    ("opened", Field::Opened),
    ("store opened", Field::Opened),
    ("开店时间", Field::Opened),
    ("shipping address", Field::ShipTo),
    ("delivery address", Field::ShipTo),
    ("delivering to", Field::ShipTo),
    ("deliver to", Field::ShipTo),
    ("ship to", Field::ShipTo),
    ("收货地址", Field::ShipTo),
    ("寄送至", Field::ShipTo),
    ("order total", Field::Total),
    ("grand total", Field::Total),
    ("total", Field::Total),
    ("实付款", Field::Total),
    ("应付总额", Field::Total),
    ("合计", Field::Total),
];

/// The field a piece of text labels, and the text after the label: "Location:
/// Guangdong" -> (Location, "Guangdong"). The label must be the whole text or be
/// followed by a colon.
fn label_of(s: &str) -> Option<(Field, &str)> {
    let lc = s.to_lowercase();
    LABELS.iter().find_map(|&(label, field)| {
        if !lc.starts_with(label) {
            return None;
        }
        // Lower-casing keeps the byte length of these labels' characters.
        let rest = s.get(label.len()..)?.trim_start();
        if rest.is_empty() {
            return Some((field, rest));
        }
        let after = rest.strip_prefix([':', '：'])?;
        Some((field, after.trim()))
    })
}

/// Text that begins with a label word, with or without a colon ("所在地 广东"): the
/// start of another labelled row.
fn starts_with_label(s: &str) -> bool {
    let lc = s.to_lowercase();
    LABELS.iter().any(|(label, _)| lc.starts_with(label))
}

/// The text directly inside an element (not its children's), normalised.
fn own_text(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    for c in e.children() {
        if let Node::Text(t) = c.value() {
            s.push_str(t);
        }
    }
    text::normalize(&s)
}

/// Inside the page header, navigation or footer (the marketplace's, not the seller's).
fn in_page_chrome(e: ElementRef<'_>) -> bool {
    e.ancestors()
        .filter_map(|n| n.value().as_element())
        .any(|a| {
            matches!(a.name(), "header" | "nav" | "footer")
                || a.id().is_some_and(|id| {
                    let id = id.to_ascii_lowercase();
                    id.starts_with("nav") || id.contains("footer") || id == "site-nav"
                })
                || a.attr("role").is_some_and(|r| r == "navigation")
        })
}

/// At most `limit` nodes under the element: a label, a value or a button, not a block
/// that has grown into the page (whose text would cost as much as the page).
pub(crate) fn small(e: ElementRef<'_>, limit: usize) -> bool {
    e.descendants().take(limit + 1).count() <= limit
}

/// Nodes a label, value or row may hold.
const MAX_NODES: usize = 200;

/// A value as shown: one line, at most [`MAX_VALUE`] characters, something in it.
fn value(s: &str) -> Option<String> {
    let v = text::normalize(s);
    let v = v.trim_matches(|c: char| c == ':' || c == '：' || c.is_whitespace());
    (v.chars().any(char::is_alphanumeric) && v.chars().count() <= MAX_VALUE).then(|| v.to_owned())
}

/// The value that a label element introduces: the rest of its own text, else its
/// next sibling element's text, else the rows that follow its row.
fn value_after(label: ElementRef<'_>, rest: &str) -> Option<String> {
    if let Some(v) = value(rest) {
        return Some(v);
    }
    if !small(label, MAX_NODES) {
        return None;
    }
    let shown = shown_text(label);
    if let Some((_, after)) = label_of(&shown)
        && let Some(v) = value(after)
    {
        return Some(v);
    }
    if let Some(v) = next_elements(*label)
        .next()
        .filter(|e| small(*e, MAX_NODES))
        .map(shown_text)
        .filter(|t| label_of(t).is_none())
        .and_then(|t| value(&t))
    {
        return Some(v);
    }
    // A label row alone ("Business Address:"), its value in the rows after it.
    for row in label.ancestors().filter_map(ElementRef::wrap).take(2) {
        if !small(row, MAX_NODES) || shown_text(row) != shown {
            break;
        }
        let lines: Vec<String> = next_elements(*row)
            .take(MAX_ROWS)
            .take_while(|e| small(*e, MAX_NODES))
            .map(shown_text)
            .take_while(|t| !starts_with_label(t))
            .filter(|t| !t.is_empty())
            .collect();
        if !lines.is_empty() {
            return value(&lines.join(", "));
        }
    }
    None
}

fn next_elements<'a>(n: NodeRef<'a, Node>) -> impl Iterator<Item = ElementRef<'a>> {
    n.next_siblings()
        .filter_map(ElementRef::wrap)
        .filter(|e| !hidden_in_tree(*e))
}

/// Every labelled value on the page, first one per field, outside the page chrome.
pub(crate) fn labelled(doc: &Doc<'_>, want: &[Field]) -> Vec<(Field, String)> {
    let mut found: Vec<(Field, String)> = Vec::new();
    let mut tried = 0usize;
    let elements = doc
        .html
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap);
    for e in elements.take(MAX_ELEMENTS) {
        if matches!(
            e.value().name(),
            "script" | "style" | "noscript" | "template" | "svg" | "iframe" | "option"
        ) {
            continue;
        }
        let own = own_text(e);
        if own.is_empty() || own.len() > 4 * MAX_VALUE {
            continue;
        }
        let Some((field, rest)) = label_of(&own) else {
            continue;
        };
        if !want.contains(&field)
            || found.iter().any(|(f, _)| *f == field)
            || hidden_in_tree(e)
            || in_page_chrome(e)
            || sites::in_block_about_other_items(e)
        {
            continue;
        }
        tried += 1;
        if tried > MAX_LABELS {
            break;
        }
        if let Some(v) = value_after(e, rest) {
            found.push((field, v));
        }
        if found.len() == want.len() {
            break;
        }
    }
    found
}

/// The first visible, non-empty text of any selector, outside the page chrome.
pub(crate) fn first_shown(doc: &Doc<'_>, sels: &[&'static str]) -> Option<String> {
    sels.iter().find_map(|s| {
        doc.select(s)
            .filter(|e| !hidden_in_tree(*e) && !in_page_chrome(*e))
            .take(10)
            .filter(|e| small(*e, MAX_NODES))
            .find_map(|e| value(&shown_text(e)))
    })
}

fn shop_name_sels(market: &str) -> &'static [&'static str] {
    match market {
        "amazon" => &["#seller-name", "#sellerName", "#seller-profile-name"],
        "aliexpress" => &[
            "[class*='store-header--storeName']",
            "[data-role='store-name']",
            "[class*='shop-name--']",
            ".shop-name",
            ".store-name",
        ],
        "taobao" | "tmall" => &[
            ".shop-name-title",
            ".shop-name-link",
            ".shop-name",
            ".slogo-shopname",
            "[class*='shopName--']",
        ],
        "ebay" => &[".str-seller-card__store-name", ".str-billboard__title"],
        _ => &[],
    }
}

fn rating_sels(market: &str) -> &'static [&'static str] {
    match market {
        "amazon" => &[
            "#seller-info-feedback-summary",
            "#feedback-summary-table .feedback-detail-description",
        ],
        "aliexpress" => &[
            "[class*='store-header--positiveRate']",
            "[data-role='positive-feedback']",
            ".positive-fdbk",
            ".positive-feedback",
            ".store-rating",
        ],
        "taobao" | "tmall" => &[".shop-rate", ".shop-score"],
        "ebay" => &[
            ".str-seller-card__feedback-link",
            ".str-about-description__seller-info",
        ],
        _ => &[],
    }
}

/// A JSON-LD organisation's rating ("4.8"), when the page declares one for itself.
fn ld_rating(doc: &Doc<'_>) -> Option<String> {
    crate::dom::ld_candidates(&doc.ld)
        .into_iter()
        .find_map(|v| {
            let org = crate::dom::ld_types(v).iter().any(|t| {
                matches!(
                    *t,
                    "Organization" | "Store" | "OnlineStore" | "LocalBusiness" | "Corporation"
                )
            });
            if !org {
                return None;
            }
            let r = ld_text(v.get("aggregateRating")?.get("ratingValue"))?;
            let r = text::strip_markup(&r)?;
            (r.len() <= 10 && r.bytes().all(|b| b.is_ascii_digit() || b == b'.')).then_some(r)
        })
}

/// What a storefront page shows about its seller; `None` when it shows none of it.
pub(crate) fn read(market: Option<&str>, doc: &Doc<'_>) -> Option<StoreFacts> {
    let m = market.unwrap_or_default();
    let got = labelled(
        doc,
        &[
            Field::ShopName,
            Field::BusinessName,
            Field::Address,
            Field::Location,
            Field::Rating,
            Field::Opened,
        ],
    );
    let take = |f: Field| got.iter().find(|(g, _)| *g == f).map(|(_, v)| v.clone());
    let info = StoreFacts {
        shop_name: first_shown(doc, shop_name_sels(m)).or_else(|| take(Field::ShopName)),
        business_name: take(Field::BusinessName),
        address: take(Field::Address),
        location: take(Field::Location),
        rating: first_shown(doc, rating_sels(m))
            .or_else(|| take(Field::Rating))
            .or_else(|| ld_rating(doc)),
        opened: take(Field::Opened),
    };
    (info != StoreFacts::default()).then_some(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_need_a_colon_or_nothing_after_them() {
        assert_eq!(
            label_of("Location: Guangdong, China"),
            Some((Field::Location, "Guangdong, China"))
        );
        assert_eq!(
            label_of("所在地：广东 深圳"),
            Some((Field::Location, "广东 深圳"))
        );
        assert_eq!(label_of("Business Address:"), Some((Field::Address, "")));
        assert_eq!(label_of("Total"), Some((Field::Total, "")));
        assert_eq!(label_of("Totally different"), None);
        assert_eq!(label_of("Address book"), None);
        assert_eq!(label_of(""), None);
    }

    #[test]
    fn rows_cells_and_following_lines() {
        let doc = Doc::parse(
            r#"<html><body><header><span>Location: Nowhere</span></header>
            <div class="a-row"><span class="a-text-bold">Business Name:</span><span>Shenzhen Light Co., Ltd.</span></div>
            <div class="a-row"><span class="a-text-bold">Business Address:</span></div>
            <div class="a-row indent-left"><span>Room 1</span></div>
            <div class="a-row indent-left"><span>Shenzhen</span></div>
            <div class="a-row indent-left"><span>CN</span></div>
            <table><tr><td>所在地</td><td>广东 深圳</td></tr></table>
            <dl><dt>Open since:</dt><dd>Mar 14, 2019</dd></dl>
            <div style="display:none">Store name: Hidden</div>
            </body></html>"#,
        );
        let got = labelled(
            &doc,
            &[
                Field::BusinessName,
                Field::Address,
                Field::Location,
                Field::Opened,
                Field::ShopName,
            ],
        );
        assert_eq!(
            got,
            vec![
                (Field::BusinessName, "Shenzhen Light Co., Ltd.".into()),
                (Field::Address, "Room 1, Shenzhen, CN".into()),
                (Field::Location, "广东 深圳".into()),
                (Field::Opened, "Mar 14, 2019".into()),
            ]
        );
    }
}
