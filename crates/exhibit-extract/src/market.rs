//! Which marketplace a host or a page belongs to, and what its prices mean.

use crate::money::CurrencyCtx;
use regex::Regex;
use std::sync::LazyLock;

/// Marketplaces whose prices are shown in yuan when they write "¥".
pub(crate) fn is_chinese(market: &str) -> bool {
    matches!(market, "taobao" | "tmall" | "1688" | "jd" | "pinduoduo")
}

fn brand(label: &str) -> Option<&'static str> {
    Some(match label {
        "amazon" => "amazon",
        "ebay" => "ebay",
        "etsy" => "etsy",
        "taobao" => "taobao",
        "tmall" => "tmall",
        "aliexpress" => "aliexpress",
        "alibaba" => "alibaba",
        "1688" => "1688",
        "jd" => "jd",
        "temu" => "temu",
        "shopee" => "shopee",
        "walmart" => "walmart",
        "mercadolibre" | "mercadolivre" => "mercadolibre",
        "rakuten" => "rakuten",
        "lazada" => "lazada",
        "shein" => "shein",
        "dhgate" => "dhgate",
        "wish" => "wish",
        "pinduoduo" | "yangkeduo" => "pinduoduo",
        "coupang" => "coupang",
        "ozon" => "ozon",
        "wildberries" => "wildberries",
        "bol" => "bol",
        "allegro" => "allegro",
        "zalando" => "zalando",
        "target" => "target",
        "bestbuy" => "bestbuy",
        "flipkart" => "flipkart",
        "tokopedia" => "tokopedia",
        _ => return None,
    })
}

fn is_suffix_label(l: &str) -> bool {
    (l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase()))
        || matches!(
            l,
            "com" | "net" | "org" | "co" | "ne" | "or" | "biz" | "info" | "shop" | "store"
        )
}

/// Marketplace of a host name, if it is a known marketplace
/// (`amazon.co.uk`, `item.taobao.com`, `m.intl.taobao.com`, `de.aliexpress.com`,
/// `detail.1688.com`, `www.ebay.de`, ...).
pub(crate) fn from_host(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    for (i, l) in labels.iter().enumerate() {
        if let Some(m) = brand(l) {
            let rest = labels.get(i + 1..).unwrap_or_default();
            if !rest.is_empty() && rest.len() <= 2 && rest.iter().all(|r| is_suffix_label(r)) {
                return Some(m);
            }
        }
    }
    None
}

/// Marketplace named by `og:site_name` / `application-name` style strings.
pub(crate) fn from_site_name(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    let n = n.as_str();
    Some(match n {
        _ if n.starts_with("amazon") => "amazon",
        _ if n == "ebay" || n.starts_with("ebay ") => "ebay",
        "etsy" => "etsy",
        _ if n.starts_with("aliexpress") => "aliexpress",
        "alibaba.com" | "alibaba" => "alibaba",
        "1688" | "1688.com" => "1688",
        "淘宝网" | "淘宝" | "taobao" => "taobao",
        "天猫" | "tmall" | "天猫tmall.com" => "tmall",
        "京东" | "jd.com" => "jd",
        "temu" => "temu",
        _ if n.starts_with("shopee") => "shopee",
        "walmart" | "walmart.com" => "walmart",
        _ if n.starts_with("mercado libre")
            || n.starts_with("mercadolibre")
            || n.starts_with("mercado livre") =>
        {
            "mercadolibre"
        }
        "楽天市場" | "rakuten" | "楽天" => "rakuten",
        _ if n.starts_with("lazada") => "lazada",
        "shein" => "shein",
        "dhgate" | "dhgate.com" => "dhgate",
        "wish" => "wish",
        _ => return None,
    })
}

static MENTION_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:images-amazon\.com|media-amazon\.com|amazon\.(?:com|co\.|de|fr|es|it|in|ca|cn|nl|se|pl|sg|ae|sa|eg|com\.)",
        r"|ebaystatic\.com|ebayimg\.com|ebay\.(?:com|co\.|de|fr|it|es|ca|at|ch|ie|nl|pl|be|ph)",
        r"|etsystatic\.com|etsy\.com",
        r"|tmall\.(?:com|hk)|taobao\.com",
        r"|aliexpress\.(?:com|us|ru)|aliexpress-media\.com|alibaba\.com|(?-u:\b)1688\.com",
        r"|(?-u:\b)jd\.(?:com|hk)|360buyimg\.com",
        r"|temu\.com|kwcdn\.com|shopee\.|susercontent\.com",
        r"|walmartimages\.com|walmart\.(?:com|ca)",
        r"|mercadoli[bv]re\.|mlstatic\.com|rakuten\.co\.jp|r10s\.jp",
        r"|lazada\.|shein\.com|ltwebstatic\.com|dhgate\.com|(?-u:\b)wish\.com|pinduoduo\.com|yangkeduo\.com",
        r"|coupang\.com|coupangcdn\.com|ozon\.ru|wildberries\.ru|wbstatic\.net|(?-u:\b)bol\.com|allegro\.pl|allegroimg\.com",
        r"|zalando\.|(?-u:\b)target\.com|bestbuy\.com|bbystatic\.com)"
    ))
    .ok()
});

fn mention_market(m: &str) -> Option<&'static str> {
    let m = m.to_ascii_lowercase();
    let pairs: &[(&str, &str)] = &[
        ("images-amazon", "amazon"),
        ("media-amazon", "amazon"),
        ("amazon.", "amazon"),
        ("ebay", "ebay"),
        ("etsy", "etsy"),
        ("tmall", "tmall"),
        ("taobao", "taobao"),
        ("aliexpress", "aliexpress"),
        ("alibaba", "alibaba"),
        ("1688", "1688"),
        ("jd.", "jd"),
        ("360buyimg", "jd"),
        ("temu", "temu"),
        ("kwcdn", "temu"),
        ("shopee", "shopee"),
        ("susercontent", "shopee"),
        ("walmart", "walmart"),
        ("mercadoli", "mercadolibre"),
        ("mlstatic", "mercadolibre"),
        ("rakuten", "rakuten"),
        ("r10s", "rakuten"),
        ("lazada", "lazada"),
        ("shein", "shein"),
        ("ltwebstatic", "shein"),
        ("dhgate", "dhgate"),
        ("wish", "wish"),
        ("pinduoduo", "pinduoduo"),
        ("yangkeduo", "pinduoduo"),
        ("coupang", "coupang"),
        ("ozon", "ozon"),
        ("wildberries", "wildberries"),
        ("wbstatic", "wildberries"),
        ("bol.", "bol"),
        ("allegro", "allegro"),
        ("zalando", "zalando"),
        ("target", "target"),
        ("bestbuy", "bestbuy"),
        ("bbystatic", "bestbuy"),
    ];
    pairs
        .iter()
        .find(|(k, _)| m.starts_with(k))
        .map(|(_, v)| *v)
}

/// Last resort: the marketplace whose domains the page mentions most.
pub(crate) fn from_mentions(raw: &str) -> Option<&'static str> {
    let re = MENTION_RE.as_ref()?;
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for m in re.find_iter(raw) {
        if let Some(mk) = mention_market(m.as_str()) {
            match counts.iter_mut().find(|(k, _)| *k == mk) {
                Some((_, n)) => *n += 1,
                None => counts.push((mk, 1)),
            }
        }
    }
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    match counts.as_slice() {
        [(k, n), rest @ ..] if *n >= 2 && rest.first().is_none_or(|(_, m)| m < n) => Some(k),
        _ => None,
    }
}

/// Currency conventions of a site, from its marketplace, host and language.
pub(crate) fn currency_ctx(
    market: Option<&str>,
    host: Option<&str>,
    lang: Option<&str>,
) -> CurrencyCtx {
    let host = host.unwrap_or_default().to_ascii_lowercase();
    let lang = lang.unwrap_or_default().to_ascii_lowercase();
    let ends = |s: &str| host.ends_with(s);
    let country_default: Option<&'static str> = if ends(".co.uk") || ends(".uk") {
        Some("GBP")
    } else if ends(".co.jp") || ends(".jp") {
        Some("JPY")
    } else if ends(".cn") {
        Some("CNY")
    } else if ends(".ca") {
        Some("CAD")
    } else if ends(".com.au") || ends(".au") {
        Some("AUD")
    } else if ends(".co.nz") {
        Some("NZD")
    } else if ends(".com.mx") || ends(".mx") {
        Some("MXN")
    } else if ends(".com.br") {
        Some("BRL")
    } else if ends(".com.co") {
        Some("COP")
    } else if ends(".com.ar") {
        Some("ARS")
    } else if ends(".cl") {
        Some("CLP")
    } else if ends(".com.uy") {
        Some("UYU")
    } else if ends(".com.pe") {
        Some("PEN")
    } else if ends(".com.ec") || (ends(".com") && market == Some("walmart")) {
        Some("USD")
    } else if ends(".in") {
        Some("INR")
    } else if ends(".sg") {
        Some("SGD")
    } else if ends(".com.hk") || ends(".hk") {
        Some("HKD")
    } else if ends(".tw") {
        Some("TWD")
    } else if ends(".kr") {
        Some("KRW")
    } else if ends(".pl") {
        Some("PLN")
    } else if ends(".se") {
        Some("SEK")
    } else if ends(".dk") {
        Some("DKK")
    } else if ends(".no") {
        Some("NOK")
    } else if ends(".ch") {
        Some("CHF")
    } else if ends(".ru") {
        Some("RUB")
    } else if ends(".com.tr") || ends(".tr") {
        Some("TRY")
    } else if ends(".ae") {
        Some("AED")
    } else if ends(".sa") {
        Some("SAR")
    } else if ends(".co.id") || ends(".id") {
        Some("IDR")
    } else if ends(".com.my") || ends(".my") {
        Some("MYR")
    } else if ends(".co.th") || ends(".th") {
        Some("THB")
    } else if ends(".vn") {
        Some("VND")
    } else if ends(".ph") {
        Some("PHP")
    } else if [
        ".de", ".fr", ".es", ".it", ".nl", ".be", ".at", ".ie", ".pt", ".fi", ".gr", ".sk", ".si",
        ".ee", ".lv", ".lt",
    ]
    .iter()
    .any(|t| ends(t))
    {
        Some("EUR")
    } else {
        None
    };
    // Dollar-sign currencies; elsewhere "$" means US dollars.
    const DOLLARS: &[&str] = &[
        "CAD", "AUD", "NZD", "MXN", "COP", "ARS", "CLP", "UYU", "SGD", "HKD", "TWD",
    ];
    let dollar = country_default
        .filter(|c| DOLLARS.contains(c))
        .unwrap_or("USD");
    let chinese = market.is_some_and(is_chinese) || country_default == Some("CNY");
    let yen = if chinese || (country_default.is_none() && lang.starts_with("zh")) {
        "CNY"
    } else {
        "JPY"
    };
    let kr = country_default
        .filter(|c| matches!(*c, "DKK" | "NOK"))
        .unwrap_or("SEK");
    let market_default = match market {
        Some(m) if is_chinese(m) => Some("CNY"),
        Some("rakuten") => Some("JPY"),
        Some("coupang") => Some("KRW"),
        Some("ozon" | "wildberries") => Some("RUB"),
        Some("allegro") => Some("PLN"),
        Some("bol") => Some("EUR"),
        Some("target" | "bestbuy") => Some("USD"),
        _ => None,
    };
    CurrencyCtx {
        dollar,
        yen,
        kr,
        default: market_default.or(country_default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(from_host("www.amazon.co.uk"), Some("amazon"));
        assert_eq!(from_host("smile.amazon.com"), Some("amazon"));
        assert_eq!(from_host("item.taobao.com"), Some("taobao"));
        assert_eq!(from_host("m.intl.taobao.com"), Some("taobao"));
        assert_eq!(from_host("detail.tmall.com"), Some("tmall"));
        assert_eq!(from_host("de.aliexpress.com"), Some("aliexpress"));
        assert_eq!(from_host("detail.1688.com"), Some("1688"));
        assert_eq!(from_host("www.ebay.de"), Some("ebay"));
        assert_eq!(
            from_host("articulo.mercadolibre.com.co"),
            Some("mercadolibre")
        );
        assert_eq!(from_host("item.rakuten.co.jp"), Some("rakuten"));
        assert_eq!(from_host("127.0.0.1"), None);
        assert_eq!(from_host("images-amazon.com"), None);
        assert_eq!(from_host("amazon.example.org"), None);
    }

    #[test]
    fn currency_conventions() {
        let ca = currency_ctx(Some("amazon"), Some("www.amazon.ca"), None);
        assert_eq!((ca.dollar, ca.default), ("CAD", Some("CAD")));
        let uk = currency_ctx(Some("amazon"), Some("www.amazon.co.uk"), None);
        assert_eq!((uk.dollar, uk.default), ("USD", Some("GBP")));
        let co = currency_ctx(Some("mercadolibre"), Some("www.mercadolibre.com.co"), None);
        assert_eq!(co.dollar, "COP");
        let tb = currency_ctx(Some("taobao"), None, None);
        assert_eq!((tb.yen, tb.default), ("CNY", Some("CNY")));
        let jp = currency_ctx(Some("amazon"), Some("www.amazon.co.jp"), Some("ja-JP"));
        assert_eq!(jp.yen, "JPY");
        let dk = currency_ctx(None, Some("shop.dk"), None);
        assert_eq!(dk.kr, "DKK");
    }
}
