//! Page extraction: the bytes a marketplace (or anyone posing as one) served.
//!
//! Input: byte 0 picks the URL the page came from, byte 1 the HTTP status and the
//! Content-Type; the rest is the body. What must hold, beyond no panic and no hang:
//!
//! - a 404 or 410 is always `removed`, whatever the body says;
//! - a page is `blocked` or `removed` exactly when it carries a reason, so a block page
//!   never reaches a reviewer without one;
//! - only an HTML page can be a listing, and only a listing has a price; a currency
//!   comes only with a price and is three capital letters (ISO 4217);
//! - a price is digits with at most one `.` between digits, as the field documents;
//! - storefront facts only on a store page, checkout facts only on a checkout page, and a
//!   checkout never names a listing at the page level; each of their values is one line
//!   of at most 300 characters, and a checkout's total is an amount like a price;
//! - the tree the extractor builds (its own tokenizer feeding html5ever's tree builder)
//!   is the tree html5ever builds alone, node for node, for the body as text.
#![no_main]

use std::sync::LazyLock;

use exhibit_extract::{Page, PageKind, StoreFacts, extract};
use libfuzzer_sys::fuzz_target;
use url::Url;

/// Where the page came from: each marketplace's host (so its own rules run), a local
/// server (so the page must name its marketplace itself), and a saved file.
const URLS: &[&str] = &[
    "http://127.0.0.1:8080/item",
    "https://www.amazon.com/dp/B08N5WRWNW",
    "https://www.ebay.com/itm/123456789012",
    "https://www.etsy.com/listing/1234567890/a-thing",
    "https://item.taobao.com/item.htm?id=612345678901",
    "https://detail.tmall.com/item.htm?id=612345678901",
    "https://www.aliexpress.com/item/1005001234567890.html",
    "https://www.alibaba.com/product-detail/x_1600123456789.html",
    "https://detail.1688.com/offer/612345678901.html",
    "https://item.jd.com/100012345678.html",
    "https://www.temu.com/goods.html?goods_id=601099512345678",
    "https://shopee.sg/product/123456/7890123456",
    "https://www.walmart.com/ip/123456789",
    "https://articulo.mercadolibre.com.mx/MLM-1234567890-x",
    "https://item.rakuten.co.jp/shop/item123/",
    "file:///home/user/saved.html",
    "https://www.amazon.com/sp?seller=A3EL5JZNMT8SZ7",
    "https://www.amazon.com/gp/buy/spc/handlers/display.html?hasWorkingJavascript=1",
    "https://www.aliexpress.com/store/1392990",
    "https://www.aliexpress.com/p/trade/confirm.html?productIds=1005001234567890",
    "https://shop64592671.taobao.com/",
    "https://buy.taobao.com/auction/buy_now.jhtml",
    "https://pay.ebay.com/rxo?action=view&sessionid=1",
];

const STATUSES: &[Option<u16>] = &[
    None,
    Some(200),
    Some(404),
    Some(410),
    Some(403),
    Some(429),
    Some(503),
    Some(301),
];

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=gbk"),
    Some("text/html"),
    Some("application/json"),
    Some("text/plain; charset=shift_jis"),
    Some("image/png"),
    Some("text/html; charset=x-unknown"),
];

static PARSED: LazyLock<Vec<Url>> = LazyLock::new(|| {
    URLS.iter()
        .map(|u| Url::parse(u).expect("the target's URLs parse"))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let [pick_url, pick_head, body @ ..] = data else {
        return;
    };
    let url = &PARSED[usize::from(*pick_url) % PARSED.len()];
    let http_status = STATUSES[usize::from(pick_head & 7)];
    let content_type = CONTENT_TYPES[usize::from(pick_head >> 3 & 7)];
    if let Err(diff) = exhibit_extract::fuzz_tree_is_html5evers(&String::from_utf8_lossy(body)) {
        panic!("the tree differs from html5ever's: {diff}");
    }
    let ex = extract(&Page {
        url,
        http_status,
        content_type,
        body,
    });

    if matches!(http_status, Some(404 | 410)) {
        assert_eq!(
            ex.page_kind,
            PageKind::Removed,
            "a 404/410 that is not removed"
        );
    }
    assert_eq!(
        ex.reason.is_some(),
        matches!(ex.page_kind, PageKind::Blocked | PageKind::Removed),
        "reason {:?} with kind {:?}",
        ex.reason,
        ex.page_kind
    );
    if ex.page_kind == PageKind::Listing {
        assert!(ex.is_html, "a listing that is not HTML");
    }
    if let Some(price) = &ex.price {
        assert_eq!(ex.page_kind, PageKind::Listing, "a price on a non-listing");
        assert!(
            is_amount(price),
            "price {price:?} is not digits with one '.'"
        );
    }
    if let Some(currency) = &ex.currency {
        assert!(ex.price.is_some(), "a currency without a price");
        assert!(
            currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()),
            "currency {currency:?} is not an ISO 4217 code"
        );
    }
    assert!(!ex.charset.is_empty(), "no charset named");
    if let Some(s) = &ex.store {
        assert_eq!(
            ex.page_kind,
            PageKind::Store,
            "storefront facts on a non-store page"
        );
        // Every field, named, so a new one cannot go unchecked.
        let StoreFacts {
            shop_name,
            business_name,
            address,
            location,
            rating,
            opened,
        } = s;
        for v in [shop_name, business_name, address, location, rating, opened] {
            one_line(v);
        }
    }
    if let Some(c) = &ex.checkout {
        assert_eq!(
            ex.page_kind,
            PageKind::Checkout,
            "checkout facts on a non-checkout page"
        );
        for v in [&c.seller, &c.ship_to] {
            one_line(v);
        }
        if let Some(total) = &c.total {
            assert!(
                is_amount(total),
                "total {total:?} is not digits with one '.'"
            );
        }
    }
    if ex.page_kind == PageKind::Checkout {
        assert_eq!(
            ex.listing_id, None,
            "a checkout that names a listing at the page level"
        );
    }
});

fn is_amount(s: &str) -> bool {
    let mut parts = s.split('.');
    let whole = parts.next().unwrap_or_default();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && parts.next().is_none_or(digits) && parts.next().is_none()
}

fn one_line(v: &Option<String>) {
    if let Some(v) = v {
        assert!(
            !v.is_empty() && v.chars().count() <= 300 && !v.contains('\n'),
            "value {v:?} is not one shown line"
        );
    }
}
