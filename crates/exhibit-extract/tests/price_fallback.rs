//! Pages outside the known templates still give up their price: the generic fallback
//! takes the first price that is not crossed out, near the title, after the
//! marketplace's own rules, schema.org offers and meta tags have found nothing.

use exhibit_extract::{Page, PageKind, extract};

fn run(url: &str, html: &str) -> exhibit_extract::Extraction {
    let url = url::Url::parse(url).expect("url");
    extract(&Page {
        url: &url,
        http_status: Some(200),
        content_type: Some("text/html; charset=utf-8"),
        body: html.as_bytes(),
    })
}

/// A layout that once fooled the extractor: Amazon's `.a-price .a-offscreen` outside
/// every `corePrice*` container. A struck list price sits beside it and a carousel of
/// other products (with their own prices) below; neither may win.
#[test]
fn amazon_price_outside_the_core_price_containers() {
    let html = r#"<!doctype html><html><head><title>Amazon.com: Trail Runner 2</title></head>
<body>
<div id="dp-container">
  <div id="centerCol">
    <div id="titleSection"><h1 id="title"><span id="productTitle">Trail Runner 2 Running Shoe</span></h1></div>
    <div id="newPriceLayout_feature_div">
      <span class="a-price a-text-price" data-a-strike="true"><span class="a-offscreen">$129.00</span><span aria-hidden="true">$129.00</span></span>
      <span class="a-price" data-a-size="xl"><span class="a-offscreen">$89.99</span><span aria-hidden="true"><span class="a-price-symbol">$</span><span class="a-price-whole">89<span class="a-price-decimal">.</span></span><span class="a-price-fraction">99</span></span></span>
    </div>
    <div id="bylineInfo_feature_div"><a id="bylineInfo">Visit the Acme Store</a></div>
  </div>
</div>
<div id="sims-carousel">
  <div class="a-carousel-card"><span class="a-price"><span class="a-offscreen">$12.49</span></span></div>
</div>
</body></html>"#;
    let ex = run("https://www.amazon.com/dp/B0TESTPRICE", html);
    assert_eq!(ex.page_kind, PageKind::Listing, "{ex:?}");
    assert_eq!(ex.price.as_deref(), Some("89.99"), "{ex:?}");
    assert_eq!(ex.currency.as_deref(), Some("USD"), "{ex:?}");
}

/// Structured data still comes before the heuristic: a schema.org offer wins over a
/// price-looking element near the title.
#[test]
fn schema_org_offer_comes_before_the_near_title_guess() {
    let html = r#"<!doctype html><html><head><title>Widget</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Widget Pro",
 "offers":{"@type":"Offer","price":"45.00","priceCurrency":"EUR"}}</script></head>
<body><main><h1>Widget Pro</h1><div class="box"><span class="price-now">€ 39,00</span></div></main></body></html>"#;
    let ex = run("https://shop.example.de/p/widget-pro", html);
    if ex.page_kind == PageKind::Listing {
        assert_eq!(ex.price.as_deref(), Some("45.00"), "{ex:?}");
        assert_eq!(ex.currency.as_deref(), Some("EUR"), "{ex:?}");
    }
}

/// eBay markup from a template the rules do not know: the first price near the title
/// that is not the "was" price.
#[test]
fn ebay_price_in_an_unknown_template() {
    let html = r#"<!doctype html><html><head><title>Trail Runner 2 | eBay</title></head>
<body>
<div class="vim x-item-title"><h1 class="x-item-title__mainTitle"><span class="ux-textspans ux-textspans--BOLD">Trail Runner 2 Running Shoe Size 9</span></h1>
  <div class="x-new-layout">
    <div class="x-was-price"><span class="ux-textspans ux-textspans--STRIKETHROUGH">US $120.00</span></div>
    <div class="x-offer-price"><span class="ux-textspans">US $74.50</span></div>
  </div>
</div>
<div class="x-shipping-cost"><span>US $9.99 shipping</span></div>
</body></html>"#;
    let ex = run("https://www.ebay.com/itm/123456789012", html);
    assert_eq!(ex.page_kind, PageKind::Listing, "{ex:?}");
    assert_eq!(ex.price.as_deref(), Some("74.50"), "{ex:?}");
    assert_eq!(ex.currency.as_deref(), Some("USD"), "{ex:?}");
}

/// A title with no price anywhere near it gives no price, rather than one from far away.
#[test]
fn no_price_near_the_title_means_no_price() {
    let html = r#"<!doctype html><html><head><title>Trail Runner 2</title></head>
<body>
<div id="main"><div id="centerCol"><h1 id="title"><span id="productTitle">Trail Runner 2 Running Shoe</span></h1>
<p>Currently unavailable.</p></div></div>
<footer><div class="recs"><span class="a-price"><span class="a-offscreen">$12.49</span></span></div></footer>
</body></html>"#;
    let ex = run("https://www.amazon.com/dp/B0TESTNONE", html);
    assert_eq!(ex.price, None, "{ex:?}");
}
