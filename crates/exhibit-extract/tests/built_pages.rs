//! Storefront and checkout facts on the pages of `tests/fixtures/built-pages` (built from
//! the real pages' markup, see its README), against the values recorded by hand in
//! `tests/built_pages.json`; and the same readers on hostile input.

use exhibit_extract::{CheckoutFacts, Extraction, Page, PageKind, StoreFacts, extract};
use serde_json::Value;
use std::path::PathBuf;

fn built_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/built-pages")
}

fn run(url: &str, status: Option<u16>, body: &[u8]) -> Extraction {
    let url = url::Url::parse(url).expect("test url");
    extract(&Page {
        url: &url,
        http_status: status,
        content_type: Some("text/html"),
        body,
    })
}

fn opt(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

#[test]
fn built_pages_show_their_recorded_facts() {
    let recorded: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/built_pages.json"),
        )
        .expect("read built_pages.json"),
    )
    .expect("parse built_pages.json");
    let pages = recorded["pages"].as_object().expect("pages");
    assert_eq!(pages.len(), 6, "three storefronts and three checkouts");
    let mut wrong = Vec::new();
    for (file, want) in pages {
        let body = std::fs::read(built_dir().join(file)).expect("read built page");
        assert!(body.len() < 100_000, "{file} is {} bytes", body.len());
        let real_url = opt(want, "url").expect("url");
        for url in [real_url, format!("http://127.0.0.1:8000/{file}")] {
            let ex = run(&url, Some(200), &body);
            let store = want.get("store").map(|s| StoreFacts {
                shop_name: opt(s, "shop_name"),
                business_name: opt(s, "business_name"),
                address: opt(s, "address"),
                location: opt(s, "location"),
                rating: opt(s, "rating"),
                opened: opt(s, "opened"),
            });
            let checkout = want.get("checkout").map(|c| CheckoutFacts {
                listing_id: opt(c, "listing_id"),
                seller: opt(c, "seller"),
                seller_id: opt(c, "seller_id"),
                ship_to: opt(c, "ship_to"),
                total: opt(c, "total"),
                currency: opt(c, "currency"),
                ship_to_region: None,
            });
            let got = (
                ex.marketplace.clone(),
                ex.page_kind.as_str().to_owned(),
                ex.listing_id.clone(),
                ex.seller_id.clone(),
                ex.store.clone(),
                ex.checkout.clone(),
            );
            let expected = (
                opt(want, "marketplace"),
                opt(want, "page_kind").expect("page_kind"),
                None,
                opt(want, "seller_id"),
                store,
                checkout,
            );
            if got != expected {
                wrong.push(format!(
                    "  {url}\n      recorded: {expected:?}\n      got:      {got:?}"
                ));
            }
            // Nothing of a listing is read off these pages.
            assert_eq!(
                (&ex.title, &ex.price, &ex.seller, ex.reason.as_deref()),
                (&None, &None, &None, None),
                "{url}"
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "built pages differ:\n{}",
        wrong.join("\n")
    );
}

/// The built pages are one seller's evidence on each marketplace: the storefront and the
/// checkout name the same seller id as the real listing, and the checkout the listing.
#[test]
fn built_pages_agree_with_the_real_listings() {
    let seller_ids: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/seller_ids.json"),
        )
        .expect("read seller_ids.json"),
    )
    .expect("parse seller_ids.json");
    for (listing, listing_id, store, store_url, checkout, checkout_url) in [
        (
            "amazon/amazon-com-B07G2L3JMM-3p-seller.html",
            "B07G2L3JMM",
            "amazon/amazon-com-sp-seller-A3EL5JZNMT8SZ7.html",
            "https://www.amazon.com/sp?seller=A3EL5JZNMT8SZ7",
            "amazon/amazon-com-checkout-spc-B07G2L3JMM.html",
            "https://www.amazon.com/checkout/p/p-106-1234567-1234567/spc?pipelineType=Chewbacca",
        ),
        (
            "aliexpress/aliexpress-he-item-32993251330.html",
            "32993251330",
            "aliexpress/aliexpress-store-1392990.html",
            "https://www.aliexpress.com/store/1392990",
            "aliexpress/aliexpress-checkout-32993251330.html",
            "https://www.aliexpress.com/p/trade/confirm.html?productIds=32993251330",
        ),
        (
            "taobao/taobao-item-562283240178.html",
            "562283240178",
            "taobao/taobao-shop-64592671.html",
            "https://shop64592671.taobao.com/",
            "taobao/taobao-checkout-562283240178.html",
            "https://buy.tmall.com/order/confirm_order.htm",
        ),
    ] {
        let want = seller_ids["pages"][listing]["seller_id"].as_str();
        let body = |f: &str| std::fs::read(built_dir().join(f)).expect("read built page");
        let s = run(store_url, None, &body(store));
        assert_eq!(s.seller_id.as_deref(), want, "{store}");
        let c = run(checkout_url, None, &body(checkout));
        assert_eq!(c.page_kind, PageKind::Checkout, "{checkout}");
        let facts = c.checkout.unwrap_or_default();
        assert_eq!(facts.seller_id.as_deref(), want, "{checkout}");
        assert_eq!(facts.listing_id.as_deref(), Some(listing_id), "{checkout}");
        assert_eq!(c.listing_id, None, "{checkout}");
    }
}

/// Every real page: no storefront facts but on store pages, no checkout anywhere. The one
/// real storefront (Temu) masks its name and shows nothing in its body; its JSON-LD
/// `Organization` declares a rating of 4.8, which is all it says about the seller.
#[test]
fn real_pages_are_no_checkouts() {
    let dir = std::env::var_os("EXHIBIT_REAL_PAGES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/real-pages"),
        PathBuf::from,
    );
    let expected: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json"))
            .expect("real pages in tests/fixtures; set EXHIBIT_REAL_PAGES"),
    )
    .expect("parse expected.json");
    for e in &expected {
        let file = e["file"].as_str().expect("file");
        let body = std::fs::read(dir.join(file)).expect("read fixture");
        let ex = run(&format!("http://127.0.0.1:8000/{file}"), Some(200), &body);
        assert_ne!(ex.page_kind, PageKind::Checkout, "{file}");
        assert_eq!(ex.checkout, None, "{file}");
        if ex.page_kind != PageKind::Store {
            assert_eq!(ex.store, None, "{file}");
        }
        if file == "temu/temu-store-m-3597628347664-jsonld.html" {
            let rating = StoreFacts {
                rating: Some("4.8".into()),
                ..StoreFacts::default()
            };
            assert_eq!(ex.store, Some(rating), "{file}");
        }
    }
}

const STORE: &str = r#"<html><head><link rel="canonical" href="https://www.amazon.com/sp?seller=A3EL5JZNMT8SZ7"></head><body>
    <header><span>Location: Seattle</span></header>
    <h1 id="seller-name">NAME</h1>
    <div class="a-row"><span class="a-text-bold">Business Name:</span><span>BUSINESS</span></div>
    <div class="a-row"><span class="a-text-bold">Business Address:</span></div>
    <div class="a-row indent-left"><span>1 Road</span></div>
    <div class="a-row indent-left"><span>CN</span></div>
    </body></html>"#;

#[test]
fn script_in_a_shop_name_stays_text() {
    let page = STORE
        .replace("NAME", "&lt;script&gt;alert(1)&lt;/script&gt; Shop")
        .replace(
            "BUSINESS",
            "Acme<script>alert(2)</script> Ltd.<img src=x onerror=alert(3)>",
        );
    let ex = run(
        "https://www.amazon.com/sp?seller=A3EL5JZNMT8SZ7",
        None,
        page.as_bytes(),
    );
    let store = ex.store.expect("store facts");
    // Escaped text is shown as text; a real script element is not shown at all.
    assert_eq!(
        store.shop_name.as_deref(),
        Some("<script>alert(1)</script> Shop")
    );
    assert_eq!(store.business_name.as_deref(), Some("Acme Ltd."));
    assert_eq!(store.address.as_deref(), Some("1 Road, CN"));
    // The header's location is the marketplace's, not the seller's.
    assert_eq!(store.location, None);
    // The same markup on a listing gives no storefront facts.
    let ex = run(
        "https://www.amazon.com/dp/B07G2L3JMM",
        None,
        page.as_bytes(),
    );
    assert_eq!(ex.store, None);
}

#[test]
fn long_values_and_garbage_are_not_facts() {
    let long = "x".repeat(5_000);
    let page = STORE.replace("BUSINESS", &long);
    let ex = run(
        "https://www.amazon.com/sp?seller=A3EL5JZNMT8SZ7",
        None,
        page.as_bytes(),
    );
    assert_eq!(ex.store.and_then(|s| s.business_name), None);

    let mut seed: u32 = 7;
    let mut noise = Vec::new();
    for _ in 0..50_000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((seed >> 16) as u8);
    }
    let deep = "<div><span>Location:".repeat(3_000);
    let labels = "<dt>Ship to:</dt><dd>".repeat(5_000);
    let bodies: Vec<Vec<u8>> = vec![
        noise.clone(),
        [b"<html><body><h1 id=seller-name>".as_slice(), &noise].concat(),
        deep.into_bytes(),
        labels.into_bytes(),
        // Invalid UTF-8 inside a label, a lone surrogate escape, a declared charset that lies.
        b"<meta charset=utf-8><dl><dt>Location:</dt><dd>\xff\xfe\xed\xa0\x80 Guangdong</dd></dl>"
            .to_vec(),
        "<meta charset=gbk><dl><dt>所在地：</dt><dd>广东</dd></dl>".into(),
        b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00".to_vec(),
        "<input name=placeYourOrder1><ul class=displayAddressUL><li>"
            .repeat(2_000)
            .into_bytes(),
    ];
    for url in [
        "https://www.amazon.com/sp?seller=A3EL5JZNMT8SZ7",
        "https://www.aliexpress.com/store/1392990",
        "https://shop64592671.taobao.com/",
        "https://www.amazon.com/gp/buy/spc/handlers/display.html",
        "https://buy.taobao.com/auction/buy_now.jhtml",
        "https://pay.ebay.com/rxo?action=view&sessionid=1",
        "http://127.0.0.1:8000/x.html",
    ] {
        for body in &bodies {
            for status in [None, Some(200), Some(403)] {
                let ex = run(url, status, body);
                if let Some(s) = &ex.store {
                    assert_eq!(ex.page_kind, PageKind::Store, "{url}");
                    for v in [
                        &s.shop_name,
                        &s.business_name,
                        &s.address,
                        &s.location,
                        &s.rating,
                        &s.opened,
                    ]
                    .into_iter()
                    .flatten()
                    {
                        assert!(v.chars().count() <= 300 && !v.contains('\n'), "{v:?}");
                    }
                }
                if ex.checkout.is_some() {
                    assert_eq!(ex.page_kind, PageKind::Checkout, "{url}");
                    assert_eq!(ex.listing_id, None, "{url}");
                }
            }
        }
    }
}

#[test]
fn a_checkout_url_over_a_login_wall_is_blocked() {
    let walls = [
        "<html><head><title>Amazon Sign-In</title></head><body><form name=signIn><label>Email or mobile phone number</label><input type=email name=email><input type=password name=password><input type=submit value=Continue></form></body></html>",
        "<html><head><title>Sign in</title></head><body><p>Please sign in to continue</p></body></html>",
        "<html><head><title>淘宝网 - 淘！我喜欢</title></head><body><div>请登录后查看</div><input type=password></body></html>",
    ];
    for url in [
        "https://www.amazon.com/gp/buy/spc/handlers/display.html?hasWorkingJavascript=1",
        "https://www.amazon.com/checkout/p/p-106-1234567-1234567/spc",
        "https://buy.taobao.com/auction/buy_now.jhtml",
        "https://www.aliexpress.com/p/trade/confirm.html?productIds=32993251330",
        "https://pay.ebay.com/rxo?action=view&sessionid=1",
    ] {
        for wall in walls {
            let ex = run(url, Some(200), wall.as_bytes());
            assert_eq!(ex.page_kind, PageKind::Blocked, "{url}: {wall}");
            assert_eq!(ex.reason.as_deref(), Some("login wall"), "{url}");
            assert_eq!(ex.checkout, None);
        }
    }
    // The logged-in checkout keeps its kind even with a sign-in field and wall wording
    // somewhere in its chrome (Amazon's "switch accounts" flyout, a re-auth prompt).
    let body = std::fs::read(built_dir().join("amazon/amazon-com-checkout-spc-B07G2L3JMM.html"))
        .expect("read built page");
    let chrome = String::from_utf8_lossy(&body).replace(
        "</form>",
        "</form><div id=reauth><p>Sign in to continue</p><input type=password name=password></div>",
    );
    for url in [
        "https://www.amazon.com/gp/buy/spc/handlers/display.html?hasWorkingJavascript=1",
        "http://127.0.0.1:8000/checkout.html",
    ] {
        let ex = run(url, Some(200), chrome.as_bytes());
        assert_eq!(
            (ex.page_kind, ex.reason),
            (PageKind::Checkout, None),
            "{url}"
        );
    }
}

#[test]
fn ebay_checkout_from_its_url() {
    let page = r#"<html><head><title>Checkout | eBay</title></head><body>
        <div data-test-id="SHIPPING_ADDRESS"><h2>Ship to</h2><div class="address">233 S Wacker Dr, Chicago, IL 60606, United States</div></div>
        <div class="seller"><a href="https://www.ebay.com/usr/magellan_1">magellan_1</a></div>
        <a href="https://www.ebay.com/itm/257719232683">LEGO Bulk Lot</a>
        <div data-test-id="TOTAL"><span class="text-display-span">Order total</span> <span class="text-display-span">US $25.00</span></div>
        <button data-test-id="CONFIRM_AND_PAY_BUTTON">Confirm and pay</button></body></html>"#;
    let ex = run(
        "https://pay.ebay.com/rxo?action=view&sessionid=2345&item=257719232683",
        None,
        page.as_bytes(),
    );
    assert_eq!(
        (ex.marketplace.as_deref(), ex.page_kind),
        (Some("ebay"), PageKind::Checkout)
    );
    assert_eq!(ex.listing_id, None);
    let c = ex.checkout.expect("checkout facts");
    assert_eq!(c.listing_id.as_deref(), Some("257719232683"));
    assert_eq!(
        (c.seller.as_deref(), c.seller_id.as_deref()),
        (Some("magellan_1"), Some("magellan_1"))
    );
    assert_eq!(
        c.ship_to.as_deref(),
        Some("233 S Wacker Dr, Chicago, IL 60606, United States")
    );
    // An order of two listings names neither.
    let two = page.replace(
        "LEGO Bulk Lot</a>",
        "LEGO Bulk Lot</a><a href=\"https://www.ebay.com/itm/381228738769\">Other</a>",
    );
    let ex = run("https://pay.ebay.com/rxo?action=view", None, two.as_bytes());
    assert_eq!(ex.checkout.and_then(|c| c.listing_id), None);
}
