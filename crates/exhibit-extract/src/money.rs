//! Reading displayed prices: "US $349.99", "€ 97,39 - 128,72", "￥1,638",
//! "$ 71.492", "GH₵80.51", "53,11 €", "¥ 3 .80 起" ...

use regex::Regex;
use std::sync::LazyLock;

/// A price as displayed: the amount with "." as decimal point and no
/// thousands separators, plus the currency if the text or context told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Money {
    pub amount: String,
    pub currency: Option<&'static str>,
    /// The currency came from a symbol several currencies share ("$", "¥",
    /// "kr") and was resolved from the site's conventions.
    pub ambiguous: bool,
}

/// Is the symbol shared by several currencies?
pub(crate) fn is_ambiguous_symbol(sym: &str) -> bool {
    matches!(sym.trim(), "$" | "¥" | "￥" | "kr")
}

/// Do two currencies share a symbol ("$", "¥", "kr")?
pub(crate) fn same_family(a: &str, b: &str) -> bool {
    const FAMILIES: &[&[&str]] = &[
        &[
            "USD", "CAD", "AUD", "NZD", "MXN", "COP", "ARS", "CLP", "UYU", "SGD", "HKD", "TWD",
            "BRL",
        ],
        &["JPY", "CNY"],
        &["SEK", "NOK", "DKK", "ISK"],
    ];
    FAMILIES.iter().any(|f| f.contains(&a) && f.contains(&b))
}

/// What ambiguous symbols mean on this site.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CurrencyCtx {
    /// Meaning of a bare "$".
    pub dollar: &'static str,
    /// Meaning of "¥" / "￥".
    pub yen: &'static str,
    /// Meaning of "kr".
    pub kr: &'static str,
    /// Currency to assume when the price shows no symbol at all.
    pub default: Option<&'static str>,
}

impl Default for CurrencyCtx {
    fn default() -> Self {
        CurrencyCtx {
            dollar: "USD",
            yen: "JPY",
            kr: "SEK",
            default: None,
        }
    }
}

const CODES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "KRW",
    "INR", "BRL", "MXN", "COP", "ARS", "CLP", "PEN", "UYU", "BOB", "PYG", "CRC", "DOP", "GTQ",
    "GHS", "NGN", "ZAR", "KES", "EGP", "MAD", "AED", "SAR", "QAR", "KWD", "BHD", "OMR", "TRY",
    "RUB", "UAH", "PLN", "CZK", "HUF", "RON", "BGN", "SEK", "NOK", "DKK", "CHF", "ISK", "ILS",
    "THB", "VND", "PHP", "MYR", "IDR", "PKR", "BDT", "LKR", "KZT", "BYN",
];

static CUR_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let codes = CODES.join("|");
    let pattern = format!(
        r"(?P<code>(?-u:\b)(?:{codes})(?-u:\b))|(?P<sym>US\s?\$|(?-u:\b)C\s?\$|CA\$|(?-u:\b)AU\s?\$|(?-u:\b)A\$|NZ\$|HK\$|(?-u:\b)S\$|SG\$|NT\$|R\$|MX\$|COL\$|CLP\$|RD\$|(?-u:\b)S/\.?|GH\s?₵|GH¢|₵|\$|€|£|¥|￥|₹|₩|₫|₱|฿|₦|₺|₽|₴|₪|元|円|(?-u:\b)zł|(?-u:\b)Kč|(?-u:\b)Rs\.?|(?-u:\b)RM(?-u:\b)|(?-u:\b)Rp(?-u:\b)|(?-u:\b)kr(?-u:\b)|(?-u:\b)Ft(?-u:\b)|(?-u:\b)lei(?-u:\b)|руб)"
    );
    Regex::new(&pattern).ok()
});

fn symbol_currency(sym: &str, ctx: &CurrencyCtx) -> Option<&'static str> {
    let compact: String = sym.chars().filter(|c| !c.is_whitespace()).collect();
    Some(match compact.as_str() {
        "US$" => "USD",
        "C$" | "CA$" => "CAD",
        "AU$" | "A$" => "AUD",
        "NZ$" => "NZD",
        "HK$" => "HKD",
        "S$" | "SG$" => "SGD",
        "NT$" => "TWD",
        "R$" => "BRL",
        "MX$" => "MXN",
        "COL$" => "COP",
        "CLP$" => "CLP",
        "RD$" => "DOP",
        "S/" | "S/." => "PEN",
        "GH₵" | "GH¢" | "₵" => "GHS",
        "$" => ctx.dollar,
        "€" => "EUR",
        "£" => "GBP",
        "¥" | "￥" => ctx.yen,
        "₹" | "Rs" | "Rs." => "INR",
        "₩" => "KRW",
        "₫" => "VND",
        "₱" => "PHP",
        "฿" => "THB",
        "₦" => "NGN",
        "₺" => "TRY",
        "₽" | "руб" => "RUB",
        "₴" => "UAH",
        "₪" => "ILS",
        "元" => "CNY",
        "円" => "JPY",
        "zł" => "PLN",
        "Kč" => "CZK",
        "RM" => "MYR",
        "Rp" => "IDR",
        "kr" => ctx.kr,
        "Ft" => "HUF",
        "lei" => "RON",
        _ => return None,
    })
}

fn code_currency(code: &str) -> Option<&'static str> {
    if code == "RMB" {
        return Some("CNY");
    }
    CODES.iter().copied().find(|c| *c == code)
}

/// Normalise an ISO 4217 code found in structured data.
pub(crate) fn iso_code(s: &str) -> Option<&'static str> {
    let up = s.trim().to_ascii_uppercase();
    code_currency(&up)
}

/// A number token inside a text: byte span and the raw characters.
struct Token {
    start: usize,
    end: usize,
    raw: String,
}

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

fn is_gap(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2009}' || c == '\u{3000}'
}

fn number_tokens(s: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let digit_at = |k: usize| chars.get(k).and_then(|&(_, c)| ascii_digit(c));
    while i < chars.len() {
        if digit_at(i).is_none() {
            i += 1;
            continue;
        }
        let start = chars.get(i).map_or(0, |&(b, _)| b);
        let mut raw = String::new();
        loop {
            while let Some(d) = digit_at(i) {
                raw.push(d);
                i += 1;
            }
            let c = chars.get(i).map(|&(_, c)| c);
            match c {
                Some('.' | ',' | '\'' | '٫') if digit_at(i + 1).is_some() => {
                    raw.push(if c == Some('٫') {
                        '.'
                    } else {
                        c.unwrap_or('.')
                    });
                    i += 1;
                }
                Some(g) if is_gap(g) => {
                    // "1 638" (space as thousands separator) or "3 .80" (split spans).
                    let next = chars.get(i + 1).map(|&(_, c)| c);
                    if matches!(next, Some('.' | ',')) && digit_at(i + 2).is_some() {
                        raw.push(next.unwrap_or('.'));
                        i += 2;
                    } else if digit_at(i + 1).is_some() {
                        let mut k = i + 1;
                        while digit_at(k).is_some() {
                            k += 1;
                        }
                        let group = raw.chars().rev().take_while(char::is_ascii_digit).count();
                        if k - (i + 1) == 3 && group <= 3 {
                            i += 1;
                            raw.push(' ');
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        let end = chars.get(i).map_or(s.len(), |&(b, _)| b);
        out.push(Token { start, end, raw });
    }
    out
}

/// "1,638" -> "1638", "97,39" -> "97.39", "3,500.00" -> "3500.00",
/// "71.492" -> "71492", "1 638" -> "1638".
fn normalise_number(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect();
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let out = if dots > 0 && commas > 0 {
        let last_dot = s.rfind('.').unwrap_or(0);
        let last_comma = s.rfind(',').unwrap_or(0);
        let (dec, thousands) = if last_dot > last_comma {
            ('.', ',')
        } else {
            (',', '.')
        };
        if s.matches(dec).count() > 1 {
            s.chars().filter(|c| *c != dec && *c != thousands).collect()
        } else {
            s.chars()
                .filter(|c| *c != thousands)
                .map(|c| if c == dec { '.' } else { c })
                .collect()
        }
    } else if dots + commas == 1 {
        let sep = if dots == 1 { '.' } else { ',' };
        let (before, after) = s.split_once(sep)?;
        if after.len() == 3 && before != "0" {
            format!("{before}{after}")
        } else {
            format!("{before}.{after}")
        }
    } else if dots + commas > 1 {
        s.chars().filter(char::is_ascii_digit).collect()
    } else {
        s
    };
    let digits = out.chars().filter(char::is_ascii_digit).count();
    (digits > 0 && digits <= 15 && out.starts_with(|c: char| c.is_ascii_digit())).then_some(out)
}

/// Parse the first price shown in `text`. A number right after (or right
/// before) a currency marker wins over a bare leading number, so
/// "300 - 1000 pairs GH₵80.51" reads as 80.51 GHS.
pub(crate) fn parse_money(text: &str, ctx: &CurrencyCtx) -> Option<Money> {
    if text.len() > 2000 {
        return parse_money(truncate(text, 2000), ctx);
    }
    let tokens = number_tokens(text);
    if tokens.is_empty() {
        return None;
    }
    let cur = CUR_RE.as_ref().and_then(|re| {
        re.captures_iter(text).find_map(|caps| {
            if let Some(m) = caps.name("code") {
                code_currency(m.as_str()).map(|c| (c, m.start(), m.end()))
            } else {
                let m = caps.name("sym")?;
                symbol_currency(m.as_str(), ctx).map(|c| (c, m.start(), m.end()))
            }
        })
    });
    let only_gap = |a: usize, b: usize| {
        text.get(a..b)
            .is_some_and(|g| g.chars().count() <= 3 && g.chars().all(|c| c.is_whitespace()))
    };
    let chosen = match cur {
        Some((_, cs, ce)) => tokens
            .iter()
            .find(|t| t.start >= ce && only_gap(ce, t.start))
            .or_else(|| {
                tokens
                    .iter()
                    .rev()
                    .find(|t| t.end <= cs && only_gap(t.end, cs))
            })
            .or_else(|| tokens.first()),
        None => tokens.first(),
    }?;
    let amount = normalise_number(&chosen.raw)?;
    let ambiguous =
        cur.is_some_and(|(_, cs, ce)| text.get(cs..ce).is_some_and(is_ambiguous_symbol));
    Some(Money {
        amount,
        currency: cur.map(|(c, _, _)| c),
        ambiguous,
    })
}

/// Currency named anywhere in `text` (no amount needed).
pub(crate) fn currency_in(text: &str, ctx: &CurrencyCtx) -> Option<&'static str> {
    let re = CUR_RE.as_ref()?;
    re.captures_iter(truncate(text, 500)).find_map(|caps| {
        if let Some(m) = caps.name("code") {
            code_currency(m.as_str())
        } else {
            symbol_currency(caps.name("sym")?.as_str(), ctx)
        }
    })
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(String, Option<&'static str>)> {
        parse_money(s, &CurrencyCtx::default()).map(|m| (m.amount, m.currency))
    }

    #[test]
    fn prices() {
        assert_eq!(p("US $349.99"), Some(("349.99".into(), Some("USD"))));
        assert_eq!(p("EUR 3,500.00"), Some(("3500.00".into(), Some("EUR"))));
        assert_eq!(p("€ 97,39 - 128,72"), Some(("97.39".into(), Some("EUR"))));
        assert_eq!(p("￥1,638"), Some(("1638".into(), Some("JPY"))));
        assert_eq!(p("53,11 €"), Some(("53.11".into(), Some("EUR"))));
        assert_eq!(p("US$ 36.97+"), Some(("36.97".into(), Some("USD"))));
        assert_eq!(
            p("300 - 1000 pairsGH₵80.51"),
            Some(("80.51".into(), Some("GHS")))
        );
        assert_eq!(p("¥ 3 .80 起"), Some(("3.80".into(), Some("JPY"))));
        assert_eq!(p("? 5499.00-6799.00"), Some(("5499.00".into(), None)));
        assert_eq!(p("$ 71.492"), Some(("71492".into(), Some("USD"))));
        assert_eq!(p("1 638 ₽"), Some(("1638".into(), Some("RUB"))));
        assert_eq!(
            p("£4.45 + £3.99 delivery"),
            Some(("4.45".into(), Some("GBP")))
        );
        assert_eq!(
            p("1.234.567,89 €"),
            Some(("1234567.89".into(), Some("EUR")))
        );
        assert_eq!(p("no digits"), None);
        assert_eq!(
            p("Buy Movie HD $12.99"),
            Some(("12.99".into(), Some("USD")))
        );
    }
}
