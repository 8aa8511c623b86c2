//! The listing's main product image: the picture a relisting is recognised by.
//!
//! One absolute `http(s)` URL per listing page, read from the most specific source
//! first: the marketplace's own gallery or page config (the first picture of the
//! listing's gallery, not the one a shopper happened to hover or the variant picked),
//! then the single JSON-LD product's `image` (a string, an array or an `ImageObject`),
//! then OpenGraph / Twitter card images, `link[rel=image_src]` and microdata.
//!
//! | marketplace | read from |
//! |---|---|
//! | Amazon | `#landingImage` / `#imgBlkFront` / `#ebooksImgBlkFront` / `#main-image`: `data-old-hires`, `data-a-hires`, the largest of `data-a-dynamic-image`, else `src` |
//! | eBay | the active `.ux-image-carousel-item img` (`data-zoom-src`, else `src`), `#icImg` |
//! | Etsy | `img[data-carousel-first-image]` (`data-src-zoom-image`, else `src`), `#image-0[data-full-image-href]` |
//! | Taobao | `g_config.pic`, `auctionImages[0]`; new layout `headImageVO.images[0]` (a HEIC original gives way to the page's own rendition of it); `#J_ImgBooth` |
//! | Tmall | `propertyPics.default[0]`, `#J_ImgBooth` |
//! | 1688 | the gallery's `mainImage[0]`, `.od-gallery-img` |
//! | AliExpress | `imagePathList[0]`, `.magnifier-image` |
//! | Alibaba.com | `[data-module=MainImage] .current-main-image img` |
//! | Mercado Libre | the first `.ui-pdp-gallery__figure__image` (`data-zoom`, else `src`) |
//! | JD | `#spec-img` (`data-origin`, else `src`) |
//! | others | structured data and OpenGraph only |
//!
//! URLs are resolved against the page URL, protocol-relative ones (`//img.alicdn.com/…`)
//! as `https`. Never returned: `data:` and other non-http(s) URLs, SVG and icons,
//! tracking pixels and spacers, sprites and thumbnails a few pixels wide (by their
//! names: `1x1`, `s.gif`, `-tps-22-38.png`, `_30x30.jpg`). Only listing pages have one.

use crate::dom::{Doc, attr, ld_candidates, ld_types};
use crate::ids::parse_url;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;
use url::Url;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new($pat).ok());
    };
}

re!(G_CONFIG, r"g_config\s*=\s*\{");
re!(CONFIG_PIC, r#"\bpic\s*:\s*['"]([^'"\s]+)['"]"#);
re!(
    AUCTION_IMAGES,
    r#"auctionImages\s*:\s*\[\s*['"]([^'"\s]+)['"]"#
);
re!(
    HEAD_IMAGES,
    r#""headImageVO"\s*:\s*\{\s*"images"\s*:\s*\[\s*"([^"\s]+)""#
);
re!(ITEM_STATE, r#""item"\s*:\s*\{"#);
re!(STATE_IMAGES, r#"^[^{}]*?"images"\s*:\s*\[\s*"([^"\s]+)""#);
re!(PROPERTY_PICS, r#""propertyPics"\s*:\s*\{"#);
re!(DEFAULT_PICS, r#"^[^{}]*?"default"\s*:\s*\[\s*"([^"\s]+)""#);
re!(OFFER_MAIN_IMAGE, r#""mainImage"\s*:\s*\[\s*"([^"\s]+)""#);
re!(IMAGE_PATH_LIST, r#""imagePathList"\s*:\s*\[\s*"([^"\s]+)""#);
// A size in a CDN file name: alicdn's `-tps-22-38.png`, `_30x30.jpg`, `_60x60q90.jpg`.
re!(
    NAMED_SIZE,
    r"(?i)(?:-tps-(\d{1,5})-(\d{1,5})|_(\d{1,5})x(\d{1,5}))(?:q\d+)?\.(?:jpe?g|png|gif|webp)"
);
// eBay's `s-l32.jpg`.
re!(EBAY_SIZE, r"(?i)/s-l(\d{1,4})\.(?:jpe?g|png|webp)$");

/// Pictures narrower than this (by their file name) are icons or thumbnails.
const MIN_NAMED_SIDE: u32 = 40;

/// The listing's main image on a listing page, or `None`.
pub(crate) fn read(market: Option<&str>, doc: &Doc<'_>, base: &Url) -> Option<String> {
    let from_site = market.and_then(|m| site(m, doc, base));
    from_site
        .or_else(|| structured(doc, base))
        .or_else(|| {
            [
                "og:image",
                "og:image:url",
                "og:image:secure_url",
                "twitter:image",
                "twitter:image:src",
            ]
            .iter()
            .find_map(|k| doc.meta(k).and_then(|v| accept(v, base)))
        })
        .or_else(|| {
            doc.select("link[rel='image_src']")
                .find_map(|e| attr(e.value(), "href").and_then(|v| accept(v, base)))
        })
        .or_else(|| {
            doc.select("[itemscope][itemtype*='schema.org/Product'] [itemprop='image']")
                .find_map(|e| {
                    let v = e.value();
                    attr(v, "content")
                        .or_else(|| attr(v, "src"))
                        .or_else(|| attr(v, "href"))
                        .and_then(|v| accept(v, base))
                })
        })
}

/// The marketplace's own gallery or page config.
fn site(market: &str, doc: &Doc<'_>, base: &Url) -> Option<String> {
    let raw = doc.raw;
    match market {
        "amazon" => amazon(doc, base),
        "ebay" => first_attr(
            doc,
            &[
                ".ux-image-carousel-item.active img",
                ".ux-image-carousel-item img",
            ],
            &["data-zoom-src", "src", "data-src"],
            base,
        )
        .or_else(|| first_attr(doc, &["#icImg"], &["src"], base)),
        "etsy" => first_attr(
            doc,
            &["img[data-carousel-first-image]"],
            &["data-src-zoom-image", "src", "data-src"],
            base,
        )
        .or_else(|| {
            first_attr(
                doc,
                &["#image-0", "#image-carousel li[data-full-image-href]"],
                &["data-full-image-href", "data-large-image-href"],
                base,
            )
        }),
        "taobao" | "tmall" => taobao(doc, base)
            .or_else(|| first_attr(doc, &["#J_ImgBooth"], &["src", "data-src"], base)),
        "1688" => captured(&OFFER_MAIN_IMAGE, raw, base)
            .or_else(|| first_attr(doc, &["img.od-gallery-img"], &["src"], base)),
        "aliexpress" => captured(&IMAGE_PATH_LIST, raw, base)
            .or_else(|| first_attr(doc, &["img.magnifier-image"], &["src"], base)),
        "alibaba" => first_attr(
            doc,
            &["[data-module='MainImage'] .current-main-image img"],
            &["src", "data-src"],
            base,
        ),
        "mercadolibre" => first_attr(
            doc,
            &[
                ".ui-pdp-gallery__figure img.ui-pdp-gallery__figure__image[data-index='0']",
                ".ui-pdp-gallery__figure img.ui-pdp-gallery__figure__image",
            ],
            &["data-zoom", "src"],
            base,
        ),
        "jd" => first_attr(doc, &["#spec-img"], &["data-origin", "src"], base),
        _ => None,
    }
}

/// The first element matching a selector (in order) that has an acceptable URL in one
/// of the attributes (in order).
fn first_attr(
    doc: &Doc<'_>,
    selectors: &[&'static str],
    attrs: &[&str],
    base: &Url,
) -> Option<String> {
    selectors.iter().find_map(|s| {
        doc.select(s).take(20).find_map(|e| {
            attrs
                .iter()
                .find_map(|a| attr(e.value(), a).and_then(|v| accept(v, base)))
        })
    })
}

fn captured(re: &LazyLock<Option<Regex>>, raw: &str, base: &Url) -> Option<String> {
    let caps = re.as_ref()?.captures(raw)?;
    accept(&unescape(caps.get(1)?.as_str()), base)
}

/// `\/` and `\u002F` as a JSON string inside a script writes them.
fn unescape(s: &str) -> String {
    s.replace("\\u002F", "/")
        .replace("\\u002f", "/")
        .replace("\\/", "/")
}

fn amazon(doc: &Doc<'_>, base: &Url) -> Option<String> {
    let el = [
        "#landingImage",
        "#imgBlkFront",
        "#ebooksImgBlkFront",
        "#main-image",
        "#imgTagWrapperId img",
    ]
    .iter()
    .find_map(|s| doc.select(s).next())?;
    let v = el.value();
    ["data-old-hires", "data-a-hires"]
        .iter()
        .find_map(|a| attr(v, a).and_then(|u| accept(u, base)))
        .or_else(|| attr(v, "data-a-dynamic-image").and_then(|j| largest_dynamic(j, base)))
        .or_else(|| attr(v, "src").and_then(|u| accept(u, base)))
}

/// The largest picture of Amazon's `{"url": [height, width], ...}`.
fn largest_dynamic(json: &str, base: &Url) -> Option<String> {
    let Value::Object(map) = serde_json::from_str::<Value>(json).ok()? else {
        return None;
    };
    map.iter()
        .filter_map(|(u, size)| {
            let area = size
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_u64).product::<u64>())
                .unwrap_or(0);
            accept(u, base).map(|u| (area, u))
        })
        .max_by_key(|(area, _)| *area)
        .map(|(_, u)| u)
}

/// The first capture of `re` in the `window` bytes after the first match of `marker`.
fn after(
    marker: &LazyLock<Option<Regex>>,
    re: &LazyLock<Option<Regex>>,
    raw: &str,
    window: usize,
    base: &Url,
) -> Option<String> {
    let start = marker.as_ref()?.find(raw)?.end();
    let mut end = (start + window).min(raw.len());
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    captured(re, raw.get(start..end)?, base)
}

fn taobao(doc: &Doc<'_>, base: &Url) -> Option<String> {
    let raw = doc.raw;
    let config = after(&G_CONFIG, &CONFIG_PIC, raw, 8_000, base)
        .or_else(|| captured(&AUCTION_IMAGES, raw, base))
        .or_else(|| captured(&HEAD_IMAGES, raw, base))
        .or_else(|| after(&ITEM_STATE, &STATE_IMAGES, raw, 8_000, base))
        .or_else(|| after(&PROPERTY_PICS, &DEFAULT_PICS, raw, 20_000, base))?;
    if !config.to_ascii_lowercase().ends_with(".heic") {
        return Some(config);
    }
    // The original is HEIC, which few decoders read; the page shows the same picture
    // through the CDN's own rendition of it (`….heic_q50.jpg_.webp`).
    let stem = config.split_once("://").map_or(config.as_str(), |(_, s)| s);
    doc.select("img[class*='thumbnailPic--'], img#mainPicImageEl")
        .filter_map(|e| attr(e.value(), "src").and_then(|u| accept(u, base)))
        .find(|u| {
            u.split_once("://")
                .is_some_and(|(_, s)| s.starts_with(stem))
        })
        .or(Some(config))
}

/// The single JSON-LD product's `image`.
fn structured(doc: &Doc<'_>, base: &Url) -> Option<String> {
    let products: Vec<&Value> = ld_candidates(&doc.ld)
        .into_iter()
        .filter(|c| {
            ld_types(c)
                .iter()
                .any(|t| matches!(*t, "Product" | "ProductGroup" | "IndividualProduct"))
        })
        .collect();
    let [product] = products.as_slice() else {
        return None;
    };
    ld_image(product.get("image")?, base, 0)
}

fn ld_image(v: &Value, base: &Url, depth: u8) -> Option<String> {
    if depth > 3 {
        return None;
    }
    match v {
        Value::String(s) => accept(s, base),
        Value::Array(a) => a.iter().find_map(|x| ld_image(x, base, depth + 1)),
        Value::Object(m) => ["contentUrl", "url", "@id"]
            .iter()
            .find_map(|k| m.get(*k).and_then(|x| ld_image(x, base, depth + 1))),
        _ => None,
    }
}

/// The URL, absolute, if it can be a product photo.
pub(crate) fn accept(raw: &str, base: &Url) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 2048 || raw.chars().any(char::is_control) {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    if lower.starts_with("data:") || lower.starts_with("blob:") || lower.starts_with("javascript:")
    {
        return None;
    }
    let url = parse_url(raw, Some(base))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    if !plausible_photo(&url) {
        return None;
    }
    Some(url.to_string())
}

/// False for what is obviously not a product photo: vector art and icons, tracking
/// pixels, spacers, sprites, loading spinners and tiny thumbnails named by their size.
fn plausible_photo(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let name = path.rsplit('/').next().unwrap_or_default();
    if name.is_empty() {
        return false;
    }
    if [".svg", ".svgz", ".ico", ".cur"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return false;
    }
    let stem = name.split('.').next().unwrap_or_default();
    if matches!(
        stem,
        "pixel"
            | "spacer"
            | "blank"
            | "clear"
            | "transparent"
            | "trans"
            | "s"
            | "1x1"
            | "empty"
            | "spinner"
            | "loading"
            | "grey-pixel"
            | "gray-pixel"
            | "placeholder"
    ) || name.contains("sprite")
        || name.starts_with("imgloading")
        || name.starts_with("loading_")
    {
        return false;
    }
    let too_small = |w: Option<&str>, h: Option<&str>| {
        let side = |s: Option<&str>| s.and_then(|s| s.parse::<u32>().ok());
        match (side(w), side(h)) {
            (Some(w), Some(h)) => w.min(h) < MIN_NAMED_SIDE,
            _ => false,
        }
    };
    if let Some(c) = NAMED_SIZE.as_ref().and_then(|re| re.captures(&path)) {
        let (w, h) = match (c.get(1), c.get(2)) {
            (Some(w), Some(h)) => (Some(w.as_str()), Some(h.as_str())),
            _ => (c.get(3).map(|m| m.as_str()), c.get(4).map(|m| m.as_str())),
        };
        if too_small(w, h) {
            return false;
        }
    }
    if let Some(c) = EBAY_SIZE.as_ref().and_then(|re| re.captures(&path)) {
        let side = c.get(1).map(|m| m.as_str());
        if too_small(side, side) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:8000/item.html").expect("url")
    }

    #[test]
    fn urls_are_made_absolute_and_odd_ones_refused() {
        let b = base();
        assert_eq!(
            accept("//img.alicdn.com/imgextra/i1/x.jpg", &b).as_deref(),
            Some("https://img.alicdn.com/imgextra/i1/x.jpg")
        );
        assert_eq!(
            accept("/images/main.jpg", &b).as_deref(),
            Some("http://127.0.0.1:8000/images/main.jpg")
        );
        for bad in [
            "",
            "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
            "javascript:alert(1)",
            "ftp://x.test/a.jpg",
            "file:///etc/passwd",
            "https://x.test/logo.svg",
            "https://x.test/favicon.ico",
            "https://assets.alicdn.com/s.gif",
            "https://x.test/pixel.gif?u=1",
            "https://x.test/img/1x1.png",
            "https://x.test/nav-sprite-global.png",
            "http://ir.ebaystatic.com/pictures/aw/pics/globalAssets/imgLoading_30x30.gif",
            "https://img.alicdn.com/imgextra/i3/O1CN011_!!6000000001950-2-tps-22-38.png",
            "https://gd4.alicdn.com/imgextra/i4/1/TB2_!!1.jpg_30x30.jpg",
            "https://i.ebayimg.com/images/g/abc/s-l32.jpg",
            "https://x.test/",
        ] {
            assert_eq!(accept(bad, &b), None, "{bad}");
        }
        // A product named after a phone is still a photo.
        assert!(accept("https://ae01.alicdn.com/kf/HTB1/Google-Pixel-7.jpg", &b).is_some());
        assert!(accept("https://i.ebayimg.com/images/g/abc/s-l1600.jpg", &b).is_some());
        assert!(accept("https://x.test/a_430x430q90.jpg", &b).is_some());
    }

    #[test]
    fn amazon_takes_the_largest_dynamic_image() {
        let j = r#"{"https://m.media-amazon.com/images/I/a._SX342_.jpg":[342,342],"https://m.media-amazon.com/images/I/a._SX679_.jpg":[679,679],"https://m.media-amazon.com/images/I/a._SX425_.jpg":[425,425]}"#;
        assert_eq!(
            largest_dynamic(j, &base()).as_deref(),
            Some("https://m.media-amazon.com/images/I/a._SX679_.jpg")
        );
        assert_eq!(largest_dynamic("not json", &base()), None);
    }

    fn main_image_of(url: &str, body: &str) -> Option<String> {
        let url = Url::parse(url).expect("test url");
        crate::extract(&crate::Page {
            url: &url,
            http_status: Some(200),
            content_type: Some("text/html"),
            body: body.as_bytes(),
        })
        .main_image
    }

    /// A shop nobody has rules for: a product page with a title and a price.
    fn shop(head: &str) -> String {
        format!(
            r#"<html><head><title>Lamp | Shop</title>{head}<script type="application/ld+json">{{"@type":"Product","name":"Desk Lamp","offers":{{"price":"35.00","priceCurrency":"CAD"}}IMAGE}}</script></head>
            <body><h1>Desk Lamp</h1><p class="price">$35.00</p></body></html>"#
        )
    }

    #[test]
    fn structured_data_then_opengraph() {
        let url = "https://lamps.example/products/desk-lamp";
        let og = r#"<meta property="og:image" content="//cdn.lamps.example/og.jpg">"#;
        // JSON-LD image as a string, an array, an ImageObject: before og:image.
        for (image, want) in [
            (
                r#","image":"/img/ld.jpg""#,
                "https://lamps.example/img/ld.jpg",
            ),
            (
                r#","image":["data:image/png;base64,AAAA","https://cdn.lamps.example/a.jpg"]"#,
                "https://cdn.lamps.example/a.jpg",
            ),
            (
                r#","image":{"@type":"ImageObject","contentUrl":"https://cdn.lamps.example/o.png"}"#,
                "https://cdn.lamps.example/o.png",
            ),
            ("", "https://cdn.lamps.example/og.jpg"),
            (
                r#","image":"data:image/gif;base64,R0lGOD""#,
                "https://cdn.lamps.example/og.jpg",
            ),
        ] {
            let page = shop(og).replace("IMAGE", image);
            assert_eq!(main_image_of(url, &page).as_deref(), Some(want), "{image}");
        }
        // A tracking pixel in og:image is no product photo.
        let page = shop(r#"<meta property="og:image" content="https://t.example/pixel.gif">"#)
            .replace("IMAGE", "");
        assert_eq!(main_image_of(url, &page), None);
    }

    #[test]
    fn only_listing_pages_have_a_main_image() {
        let og = r#"<meta property="og:image" content="https://cdn.example/x.jpg">"#;
        // A robot check and a search page keep their og:image to themselves.
        let wall = format!(
            "<html><head>{og}<title>Robot Check</title></head><body><h4>Enter the characters you see below</h4>\
             <form action=\"/errors/validateCaptcha\"><input id=captchacharacters></form></body></html>"
        );
        assert_eq!(
            main_image_of("https://www.amazon.com/dp/B00N150YS4", &wall),
            None
        );
        let search = format!("<html><head>{og}</head><body><p>results</p></body></html>");
        assert_eq!(
            main_image_of("https://www.ebay.com/sch/i.html?_nkw=lego", &search),
            None
        );
        // An Amazon listing: the hi-res of the landing image, not og:image.
        let amazon = format!(
            r#"<html><head>{og}</head><body><h1 id=productTitle>Tape</h1>
            <div id=corePrice_feature_div><span class=a-price><span class=a-offscreen>$9.99</span></span></div>
            <img id="landingImage" src="data:image/jpeg;base64,AAAA" data-old-hires="" data-a-dynamic-image='{{"https://m.media-amazon.com/images/I/a._SX300_.jpg":[300,300],"https://m.media-amazon.com/images/I/a._SX679_.jpg":[679,679]}}'>
            </body></html>"#
        );
        assert_eq!(
            main_image_of("https://www.amazon.com/dp/B00N150YS4", &amazon).as_deref(),
            Some("https://m.media-amazon.com/images/I/a._SX679_.jpg")
        );
    }
}
