//! Small text rules shared by validation and rendering: what a plausible email, phone
//! or date is, which countries an IP office covers, and cleaning user text before it
//! goes into a document.

use chrono::NaiveDate;

/// User or page text made safe to print: control characters and the Unicode bidi
/// overrides (which can make a URL read as another) are dropped; line breaks stay.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| {
            *c == '\n'
                || *c == '\t'
                || !(c.is_control()
                    || matches!(*c as u32, 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069))
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// [`clean`], flattened onto one line (for URLs and table cells that must not break).
pub fn one_line(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A plausible email address: one `@`, a local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.contains(['<', '>', '"', ',', ';'])
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A plausible phone number: 7 to 20 digits, with only `+ - . ( ) /`, spaces and an
/// extension ("ext. 12", "x12") besides.
pub fn is_phone(s: &str) -> bool {
    let lower = s.trim().to_lowercase();
    let main = lower
        .split_once("ext")
        .map(|(m, _)| m)
        .or_else(|| lower.split_once('x').map(|(m, _)| m))
        .unwrap_or(&lower);
    let digits = main.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && main
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// A date as printed in a letter: "November 28, 2026". Text that is not a date is
/// printed as given.
pub fn long_date(s: &str) -> String {
    match parse_date(s) {
        Some(d) => d.format("%B %-d, %Y").to_string(),
        None => clean(s),
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "s" when `n` is not 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "Exhibit 3", "Exhibits 1–3 and 5".
pub fn exhibit_list(numbers: &[usize]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        if end == start {
            runs.push(start.to_string());
        } else if end == start + 1 {
            runs.push(start.to_string());
            runs.push(end.to_string());
        } else {
            runs.push(format!("{start}–{end}"));
        }
        i += 1;
    }
    let word = if sorted.len() == 1 {
        "Exhibit"
    } else {
        "Exhibits"
    };
    match runs.as_slice() {
        [] => "no exhibit".to_string(),
        [one] => format!("{word} {one}"),
        [init @ .., last] => format!("{word} {} and {last}", init.join(", ")),
    }
}

/// The EU's 27 member states, ISO code and English name.
const EU: [(&str, &str); 27] = [
    ("AT", "austria"),
    ("BE", "belgium"),
    ("BG", "bulgaria"),
    ("HR", "croatia"),
    ("CY", "cyprus"),
    ("CZ", "czechia"),
    ("DK", "denmark"),
    ("EE", "estonia"),
    ("FI", "finland"),
    ("FR", "france"),
    ("DE", "germany"),
    ("GR", "greece"),
    ("HU", "hungary"),
    ("IE", "ireland"),
    ("IT", "italy"),
    ("LV", "latvia"),
    ("LT", "lithuania"),
    ("LU", "luxembourg"),
    ("MT", "malta"),
    ("NL", "netherlands"),
    ("PL", "poland"),
    ("PT", "portugal"),
    ("RO", "romania"),
    ("SK", "slovakia"),
    ("SI", "slovenia"),
    ("ES", "spain"),
    ("SE", "sweden"),
];

/// The last comma-separated part of a place, lower-cased, without dots: "Shenzhen, China" → "china".
fn country_part(place: &str) -> String {
    place
        .rsplit(',')
        .next()
        .unwrap_or(place)
        .trim()
        .trim_start_matches("the ")
        .replace('.', "")
        .to_lowercase()
}

/// Whether `s` is a region code as `exhibit_domain::region_of` writes it: a two-letter
/// country, or a country and a subdivision of one to three letters or digits (`US-IL`).
pub fn is_region(s: &str) -> bool {
    let letters = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_uppercase());
    match s.split_once('-') {
        None => letters(s),
        Some((c, sub)) => {
            letters(c)
                && (1..=3).contains(&sub.len())
                && sub
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }
    }
}

/// Whether a place or country names the United States.
pub fn is_us(place: &str) -> bool {
    let whole = place.trim().replace('.', "").to_lowercase();
    let last = country_part(place);
    [whole.as_str(), last.as_str()].iter().any(|p| {
        matches!(
            *p,
            "us" | "usa" | "united states" | "united states of america" | "america"
        )
    })
}

/// Whether a place or country names an EU member state.
pub fn is_eu(place: &str) -> bool {
    let last = country_part(place);
    let code = last.to_uppercase();
    EU.iter()
        .any(|(c, name)| *c == code || *name == last || (last == "czech republic" && *c == "CZ"))
}

/// The countries an IP office's registration covers, as ISO codes, when the office is
/// known. `None` for an office this crate does not know (WIPO designations included).
pub fn office_countries(office: &str) -> Option<Vec<&'static str>> {
    let o = office.trim().to_uppercase().replace('.', "");
    let eu: Vec<&'static str> = EU.iter().map(|(c, _)| *c).collect();
    let one = |c: &'static str| Some(vec![c]);
    match o.as_str() {
        "USPTO" | "US" | "USA" | "UNITED STATES" => one("US"),
        "CNIPA" | "CTMO" | "SAIC" | "CN" | "CHINA" => one("CN"),
        "EUIPO" | "OHIM" | "EU" | "EUTM" => Some(eu),
        "UKIPO" | "IPO UK" | "UK IPO" | "UK" | "GB" | "UNITED KINGDOM" => one("GB"),
        "CIPO" | "CA" | "CANADA" => one("CA"),
        "IMPI" | "MX" | "MEXICO" => one("MX"),
        "JPO" | "JP" | "JAPAN" => one("JP"),
        "DPMA" | "DE" | "GERMANY" => one("DE"),
        "INPI FRANCE" | "FR" | "FRANCE" => one("FR"),
        "UIBM" | "IT" | "ITALY" => one("IT"),
        "OEPM" | "ES" | "SPAIN" => one("ES"),
        "BOIP" | "BENELUX" => Some(vec!["BE", "NL", "LU"]),
        "PRV" | "SE" | "SWEDEN" => one("SE"),
        "UPRP" | "PL" | "POLAND" => one("PL"),
        "IP AUSTRALIA" | "AU" | "AUSTRALIA" => one("AU"),
        "IPOS" | "SG" | "SINGAPORE" => one("SG"),
        "CGPDTM" | "IPO INDIA" | "IN" | "INDIA" => one("IN"),
        "INPI BRAZIL" | "BR" | "BRAZIL" => one("BR"),
        "TURKPATENT" | "TR" | "TURKEY" | "TÜRKIYE" => one("TR"),
        "SAIP" | "SA" | "SAUDI ARABIA" => one("SA"),
        "KIPO" | "KR" | "KOREA" => one("KR"),
        _ => None,
    }
}

/// An Amazon marketplace country, normalised to an ISO code ("UK" → "GB").
pub fn normalise_country(c: &str) -> String {
    let c = c.trim().to_uppercase();
    match c.as_str() {
        "UK" | "UNITED KINGDOM" => "GB".to_string(),
        "USA" | "UNITED STATES" => "US".to_string(),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones() {
        assert!(is_email("jane@acme-lantern.example"));
        assert!(!is_email("jane@acme"));
        assert!(!is_email("jane acme@x.com"));
        assert!(!is_email("<script>@x.com"));
        assert!(is_phone("+1 (503) 555-0100"));
        assert!(is_phone("+86 755 1234 5678 ext. 12"));
        assert!(!is_phone("call me"));
        assert!(!is_phone("12345"));
    }

    #[test]
    fn places() {
        assert!(is_us("Los Angeles, California, USA"));
        assert!(is_us("U.S."));
        assert!(!is_us("Shenzhen, China"));
        assert!(is_eu("Rotterdam, Netherlands"));
        assert!(is_eu("de"));
        assert!(!is_eu("Guangzhou, China"));
        assert_eq!(office_countries("USPTO"), Some(vec!["US"]));
        assert_eq!(office_countries("WIPO"), None);
    }

    #[test]
    fn lists_and_numbers() {
        assert_eq!(exhibit_list(&[3]), "Exhibit 3");
        assert_eq!(exhibit_list(&[1, 2, 3, 5]), "Exhibits 1–3 and 5");
        assert_eq!(exhibit_list(&[7, 1, 9]), "Exhibits 1, 7 and 9");
        assert_eq!(exhibit_list(&[1, 2]), "Exhibits 1 and 2");
        assert_eq!(thousands(1_048_576), "1,048,576");
        assert_eq!(long_date("2026-11-28"), "November 28, 2026");
        assert_eq!(clean("a\u{202E}b\u{0}c\n"), "abc");
    }
}
