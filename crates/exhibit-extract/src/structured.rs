//! Marketplace-independent product data: JSON-LD, microdata, OpenGraph and
//! `product:` meta tags.

use crate::dom::{Doc, ld_candidates, ld_types};
use crate::money::{CurrencyCtx, Money, iso_code, parse_money};
use crate::text::{self, decode_entities, hidden_in_tree, shown_text};
use serde_json::Value;

/// What the page's structured data says about "the" product.
#[derive(Debug, Default)]
pub(crate) struct Structured {
    /// Distinct product-like JSON-LD nodes describing the page (not nested
    /// recommendations). More than one means a list (search results).
    pub ld_products: usize,
    /// Entries of a JSON-LD `ItemList`.
    pub ld_list_len: usize,
    /// The single JSON-LD product, if exactly one.
    pub ld_name: Option<String>,
    /// `@type` of that product is Product-ish (not Movie/Book/...).
    pub ld_is_product: bool,
    pub ld_price: Option<Money>,
    pub ld_seller: Option<String>,
    pub ld_url: Option<String>,
    /// Microdata product name.
    pub md_name: Option<String>,
    pub md_price: Option<Money>,
    /// `product:price:amount` / `og:price:amount`.
    pub meta_price: Option<Money>,
    /// Currency any structured source names (for prices shown without one).
    pub any_currency: Option<&'static str>,
    /// og:type says product / item.
    pub og_product: bool,
}

fn is_product_type(t: &str) -> bool {
    matches!(
        t,
        "Product"
            | "ProductGroup"
            | "IndividualProduct"
            | "ProductModel"
            | "SomeProducts"
            | "Vehicle"
            | "Car"
    )
}

fn is_media_type(t: &str) -> bool {
    matches!(
        t,
        "Book"
            | "Movie"
            | "TVSeries"
            | "TVSeason"
            | "VideoGame"
            | "MusicAlbum"
            | "SoftwareApplication"
    )
}

/// A JSON-LD string (or `{"name": ...}`) as clean text.
pub(crate) fn ld_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => text::clean(&decode_entities(s)),
        Value::Object(m) => ld_text(m.get("name")),
        Value::Array(a) => a.iter().find_map(|x| ld_text(Some(x))),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn ld_money(offer: &Value, ctx: &CurrencyCtx) -> Option<Money> {
    let spec = offer.get("priceSpecification").and_then(|s| match s {
        Value::Array(a) => a.first(),
        other => Some(other),
    });
    let price = offer
        .get("price")
        .or_else(|| offer.get("lowPrice"))
        .or_else(|| spec.and_then(|s| s.get("price")))?;
    let currency = offer
        .get("priceCurrency")
        .or_else(|| spec.and_then(|s| s.get("priceCurrency")))
        .and_then(Value::as_str)
        .and_then(iso_code);
    let mut money = match price {
        Value::Number(n) => Money {
            amount: n.to_string(),
            currency: None,
            ambiguous: false,
        },
        Value::String(s) => parse_money(s, ctx)?,
        _ => return None,
    };
    if currency.is_some() {
        money.currency = currency;
        money.ambiguous = false;
    }
    Some(money)
}

fn offers_of(product: &Value) -> Vec<&Value> {
    match product.get("offers") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => {
            // AggregateOffer may carry the individual offers too.
            let mut v = vec![o];
            if let Some(Value::Array(inner)) = o.get("offers") {
                v.extend(inner.iter());
            }
            v
        }
        _ => Vec::new(),
    }
}

impl Structured {
    pub(crate) fn read(doc: &Doc<'_>, ctx: &CurrencyCtx) -> Structured {
        let mut s = Structured::default();
        let candidates = ld_candidates(&doc.ld);
        let mut products: Vec<&Value> = Vec::new();
        let mut media: Vec<&Value> = Vec::new();
        for c in &candidates {
            let types = ld_types(c);
            if types.contains(&"ItemList")
                && let Some(Value::Array(a)) = c.get("itemListElement")
            {
                s.ld_list_len = s.ld_list_len.max(a.len());
            }
            if types.iter().any(|t| is_product_type(t)) {
                let key = (c.get("name"), c.get("url"), c.get("sku"));
                if !products
                    .iter()
                    .any(|p| (p.get("name"), p.get("url"), p.get("sku")) == key)
                {
                    products.push(c);
                }
            } else if types.iter().any(|t| is_media_type(t)) {
                media.push(c);
            }
        }
        s.ld_products = products.len();
        let single = match products.as_slice() {
            [p] => Some((*p, true)),
            [] => media.first().map(|m| (*m, false)),
            _ => None,
        };
        if let Some((p, is_product)) = single {
            s.ld_is_product = is_product;
            s.ld_name = ld_text(p.get("name"));
            s.ld_url = p.get("url").and_then(Value::as_str).map(str::to_owned);
            let offers = offers_of(p);
            s.ld_price = offers.iter().find_map(|o| ld_money(o, ctx));
            s.ld_seller = offers
                .iter()
                .find_map(|o| ld_text(o.get("seller")))
                .or_else(|| ld_text(p.get("seller")));
        }

        // Microdata.
        let scope = doc.first_el(&[
            "[itemscope][itemtype*='schema.org/Product']",
            "[itemscope][itemtype*='data-vocabulary.org/Product']",
        ]);
        if let Some(scope) = scope {
            s.md_name = crate::index::sel("[itemprop='name']").and_then(|name_sel| {
                scope.select(name_sel).find_map(|e| {
                    let t = match e.value().attr("content") {
                        Some(c) => text::normalize(c),
                        None => shown_text(e),
                    };
                    (!t.is_empty() && t.chars().count() <= 500).then_some(t)
                })
            });
        }
        let md_currency = doc
            .select("[itemprop='priceCurrency'], [itemprop='currency']")
            .find_map(|e| {
                let t = e
                    .value()
                    .attr("content")
                    .map(str::to_owned)
                    .unwrap_or_else(|| shown_text(e));
                iso_code(&t)
            });
        s.md_price = doc
            .select("[itemprop='price'], [itemprop='lowPrice']")
            .filter(|e| e.value().name() == "meta" || !hidden_in_tree(*e))
            .find_map(|e| {
                let t = e
                    .value()
                    .attr("content")
                    .map(str::to_owned)
                    .unwrap_or_else(|| shown_text(e));
                parse_money(&t, ctx)
            })
            .map(|mut m| {
                if m.currency.is_none() {
                    m.currency = md_currency;
                }
                m
            });

        // product:/og: price meta.
        let meta_amount = [
            "product:price:amount",
            "og:price:amount",
            "product:sale_price:amount",
        ]
        .iter()
        .find_map(|k| doc.meta(k));
        let meta_currency = [
            "product:price:currency",
            "og:price:currency",
            "product:sale_price:currency",
        ]
        .iter()
        .find_map(|k| doc.meta(k))
        .and_then(iso_code);
        s.meta_price = meta_amount.and_then(|a| parse_money(a, ctx)).map(|mut m| {
            if m.currency.is_none() {
                m.currency = meta_currency;
            }
            m
        });
        s.any_currency = s
            .ld_price
            .as_ref()
            .and_then(|m| m.currency)
            .or(md_currency)
            .or(meta_currency);

        s.og_product = doc.meta("og:type").is_some_and(|t| {
            let t = t.trim().to_ascii_lowercase();
            t == "product"
                || t.starts_with("product.")
                || t.ends_with(":product")
                || t.ends_with(":item")
                || t == "og:product"
        });
        s
    }
}
