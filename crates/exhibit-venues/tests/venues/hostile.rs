//! Hostile input: script tags, huge strings, huge and negative numbers, control
//! characters. Clean errors or literal text, never a panic.

use exhibit_domain::doc::Block;
use exhibit_venues::{
    AttachmentsPresent, ComplaintFile, DeclarationFacts, render_complaint, render_declaration,
    render_filing_sheet, render_translation_certificate, resolve, validate,
};

use crate::statutory::text_of;
use crate::support::*;

#[test]
fn script_tags_are_carried_as_literal_text() {
    // A narrative of the wrong type is a clean parse error naming the key.
    let text = format!("narrative = 0\n{}", valid("amazon"));
    let e = ComplaintFile::from_toml(&text).err().map(|e| e.to_string());
    assert!(e.is_some_and(|m| m.contains("line 1") && m.contains("string")));
    let text = format!(
        "narrative = \"<img src=x onerror=alert(1)>\"\n{}",
        valid("amazon").replace(
            "name = \"Jane Doe\"\norganization",
            "name = \"<script>alert(1)</script>\"\norganization"
        )
    );
    let mut caps = ok(2);
    caps[0].title = Some("<script>steal()</script> 灯".to_string());
    let c = complaint(&text, &caps);
    let out = text_of(&render_complaint(&c));
    assert!(out.contains("<script>alert(1)</script>"));
    assert!(out.contains("<img src=x onerror=alert(1)>"));
    let t = render_translation_certificate(&c).expect("non-Latin title");
    assert!(text_of(&[t]).contains("<script>steal()</script> 灯"));
}

#[test]
fn control_and_bidi_characters_are_dropped_from_documents() {
    let text = format!(
        "narrative = \"fine\\u0000 text \\u202Egnp.exe\"\n{}",
        valid("eu-dsa").replace(
            "These listings sell counterfeits of our EU trade mark.",
            "x"
        )
    )
    .replacen("narrative = \"x\"\n", "", 1);
    let mut caps = ok(1);
    caps[0].final_url = Some("https://evil.example/\u{202E}moc.elgoog\nsecond line".to_string());
    let c = complaint(&text, &caps);
    let out = text_of(&render_complaint(&c));
    assert!(out.contains("fine text gnp.exe"), "{out}");
    assert!(!out.contains('\u{202E}') && !out.contains('\u{0}'));
    assert!(out.contains("https://evil.example/moc.elgoog second line"));
}

#[test]
fn a_one_megabyte_string_is_a_clean_error() {
    let big = "A".repeat(1024 * 1024);
    let text = format!("narrative = \"{big}\"\n{}", valid("dmca"));
    let issues = check(&text, &ok(3));
    assert_error(
        &issues,
        "narrative",
        "This text is 1,048,576 characters long",
    );
    let text = valid("dmca").replace(
        "name = \"Jane Doe\"\norganization",
        &format!("name = \"{big}\"\norganization"),
    );
    assert_error(
        &check(&text, &ok(3)),
        "rights_holder.name",
        "keep it under 2,000",
    );
}

#[test]
fn a_one_megabyte_page_title_renders_without_panic() {
    let mut caps = ok(1);
    caps[0].title = Some("户".repeat(1024 * 1024));
    let c = complaint(&valid("amazon"), &caps);
    let _ = render_complaint(&c);
    let _ = render_filing_sheet(&c);
    assert!(render_translation_certificate(&c).is_some());
    let _ = render_declaration(&c, &DeclarationFacts::default());
}

#[test]
fn huge_numbers_are_parse_errors() {
    let text = valid("dmca") + "\n[[listing]]\ncapture = 99999999999999999999999\n";
    let e = ComplaintFile::from_toml(&text)
        .err()
        .map(|e| (e.code(), e.to_string()));
    let Some((code, message)) = e else {
        panic!("huge integer accepted")
    };
    assert_eq!(code, "complaint_parse");
    assert!(message.contains("line"), "{message}");
}

#[test]
fn extreme_numbers_that_parse_are_clean_errors() {
    for n in [i64::MAX, i64::MIN, -1] {
        let text = format!("{}\n[[listing]]\ncapture = {n}\n", valid("dmca"));
        let issues = check(&text, &ok(3));
        assert!(!errors(&issues).is_empty(), "{n}");
    }
    let text =
        valid("ustr-notorious-markets").replace("year = 2026", "year = -9223372036854775808");
    assert_error(
        &check(&text, &ok(3)),
        "ustr.year",
        "is not the year of a review",
    );
}

#[test]
fn resolve_refuses_an_invalid_complaint_with_every_issue() {
    let text = valid("dmca").replace(SIGNATURE, "");
    let f = parse(&text);
    let e = match resolve(&f, &ok(3), &AttachmentsPresent::unchecked()) {
        Ok(_) => panic!("an unsigned DMCA notice resolved"),
        Err(e) => e,
    };
    assert_eq!(e.code(), "complaint_invalid");
    assert!(
        e.to_string()
            .starts_with("The complaint cannot be filed yet: A DMCA notice must be signed")
    );
    let issues = validate(&f, &ok(3), &AttachmentsPresent::unchecked());
    assert!(matches!(e, exhibit_venues::VenueError::Invalid { issues: ref got } if *got == issues));
}

#[test]
fn empty_and_odd_captures_do_not_panic() {
    let mut caps = ok(2);
    caps[0].final_url = None;
    caps[0].title = None;
    caps[0].marketplace = Some(String::new());
    caps[0].artifacts.clear();
    caps[1].requested_url = "not a url".to_string();
    caps[1].final_url = Some(String::new());
    for venue in [
        "alibaba-ipp",
        "amazon",
        "ebay-vero",
        "dmca",
        "eu-dsa",
        "ustr-notorious-markets",
        "agency-letter",
    ] {
        let issues = check(&valid(venue), &caps);
        if errors(&issues).is_empty() {
            let c = complaint(&valid(venue), &caps);
            let sections = render_complaint(&c);
            assert!(!sections.is_empty());
            if let Some(sheet) = render_filing_sheet(&c) {
                let _ = sheet.to_sections();
                assert!(sheet.batches[0].urls_text().ends_with('\n'));
            }
            let d = render_declaration(&c, &DeclarationFacts::default());
            assert!(
                d.blocks
                    .iter()
                    .any(|b| matches!(b, Block::Signature { .. }))
            );
        }
    }
}
