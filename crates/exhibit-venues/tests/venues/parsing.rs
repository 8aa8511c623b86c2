//! Reading complaint files: unknown keys, syntax errors, lenient value forms.

use exhibit_venues::{AmazonWhere, ComplaintFile, Venue, VenueError};

use crate::support::*;

fn parse_err(text: &str) -> VenueError {
    match ComplaintFile::from_toml(text) {
        Ok(f) => panic!("expected a parse error, got {f:#?}"),
        Err(e) => e,
    }
}

#[test]
fn unknown_top_level_key_is_an_error_naming_the_key_and_line() {
    let text = format!("{}\ncolour = \"red\"\n", valid("dmca"));
    let e = parse_err(&text);
    assert_eq!(e.code(), "complaint_parse");
    let VenueError::Parse { line, message, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(message.contains("colour"), "{message}");
    let expected_line = text
        .lines()
        .position(|l| l.starts_with("colour"))
        .map(|i| i + 1);
    assert_eq!(*line, expected_line);
    assert!(
        e.to_string()
            .contains(&format!("line {}", expected_line.unwrap_or(0)))
    );
    assert!(e.to_string().contains("colour"));
}

#[test]
fn unknown_key_in_a_right_is_an_error_naming_it() {
    let text = valid("amazon").replace("office = \"USPTO\"", "ofice = \"USPTO\"");
    let e = parse_err(&text);
    let line = text
        .lines()
        .position(|l| l.starts_with("ofice"))
        .map_or(0, |i| i + 1);
    assert!(e.to_string().contains("ofice"), "{e}");
    assert!(e.to_string().contains(&format!("line {line}")), "{e}");
}

#[test]
fn unknown_key_in_a_venue_table_is_an_error() {
    let text = format!("{}test_buy = 3\n", valid("amazon"));
    assert!(parse_err(&text).to_string().contains("test_buy"));
}

#[test]
fn syntax_error_names_the_line() {
    let e = parse_err("venue = \"dmca\"\n[rights_holder\nname = \"x\"\n");
    assert!(e.to_string().contains("line 2"), "{e}");
}

#[test]
fn unknown_venue_is_an_error_listing_the_choices() {
    let text = valid("dmca").replace("venue = \"dmca\"", "venue = \"etsy\"");
    let e = parse_err(&text);
    assert!(e.to_string().contains("etsy"), "{e}");
    assert!(e.to_string().contains("alibaba-ipp"), "{e}");
}

#[test]
fn lenient_forms_are_accepted() {
    // A TOML date, classes as text, `where` as a single word, British spelling.
    let text = valid("amazon")
        .replace("date = \"2026-11-28\"", "date = 2026-11-28")
        .replace("classes = [11]", "classes = [\"11\", 21]")
        .replace("where = [\"product\"]", "where = \"packaging\"")
        .replace("organization = ", "organisation = ");
    let f = parse(&text);
    assert_eq!(f.venue, Venue::Amazon);
    assert_eq!(
        f.signature.and_then(|s| s.date).as_deref(),
        Some("2026-11-28")
    );
    assert_eq!(f.rights[0].classes, vec!["11", "21"]);
    assert_eq!(
        f.amazon.map(|a| a.where_found),
        Some(vec![AmazonWhere::Packaging])
    );
    assert_eq!(
        f.rights_holder.organization.as_deref(),
        Some("Acme Lantern Co.")
    );
}

#[test]
fn a_bad_where_value_is_a_parse_error() {
    let text = valid("amazon").replace("where = [\"product\"]", "where = [\"box\"]");
    assert!(parse_err(&text).to_string().contains("box"));
}

#[test]
fn round_trips_through_toml() {
    let f = parse(&valid("ustr-notorious-markets"));
    let again = match f.to_toml() {
        Ok(t) => parse(&t),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(f, again);
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let text = format!("{}\n# {}", valid("dmca"), "x".repeat(5 * 1024 * 1024));
    let e = parse_err(&text);
    assert_eq!(e.code(), "complaint_too_large");
}
