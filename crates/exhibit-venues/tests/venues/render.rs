//! The declaration, the translation certificate and the portal summaries.

use exhibit_domain::doc::Block;
use exhibit_domain::{CaptureStatus, Collector};
use exhibit_venues::{
    CaptureMode, DECLARATION_LIMIT, DeclarationFacts, render_complaint, render_declaration,
    render_translation_certificate,
};

use crate::statutory::text_of;
use crate::support::*;

fn facts() -> DeclarationFacts {
    DeclarationFacts {
        tool_name: "Exhibit".to_string(),
        tool_version: "0.1.0".to_string(),
        collector: Collector {
            name: "Jane Doe".to_string(),
            organization: Some("Acme Lantern Co.".to_string()),
            role: Some("Owner".to_string()),
            contact: None,
        },
        case_id: "case-7f3a".to_string(),
        custody_head: "ab".repeat(32),
        more: Vec::new(),
    }
}

const WITHIN: &str = "I declare under penalty of perjury that the foregoing is true and correct.";
const OUTSIDE: &str = "I declare under penalty of perjury under the laws of the United States of America that the foregoing is true and correct.";

#[test]
fn declaration_within_the_us_uses_section_1746_2() {
    let c = complaint(&valid("eu-dsa"), &ok(2));
    let s = render_declaration(&c, &facts());
    let text = text_of(std::slice::from_ref(&s));
    assert!(text.contains(WITHIN), "{text}");
    assert!(!text.contains("under the laws of the United States of America"));
    assert!(text.contains("Executed on November 28, 2026 at Portland, Oregon."));
    assert!(s.title.contains("28 U.S.C. § 1746"));
}

#[test]
fn declaration_outside_the_us_uses_section_1746_1() {
    let text = valid("eu-dsa")
        .replace("within_us = true", "within_us = false")
        .replace(
            "place = \"Portland, Oregon\"\n\n",
            "place = \"Lyon, France\"\n\n",
        );
    let c = complaint(&text, &ok(2));
    let out = text_of(&[render_declaration(&c, &facts())]);
    assert!(out.contains(OUTSIDE), "{out}");
    assert!(out.contains("Executed on November 28, 2026"));
}

#[test]
fn declaration_describes_the_process_states_its_limit_and_ends_with_a_signature() {
    let mut caps = ok(2);
    caps[1].mode = CaptureMode::Http;
    caps[1].browser = None;
    let c = complaint(&valid("eu-dsa"), &caps);
    let s = render_declaration(&c, &facts());
    let text = text_of(std::slice::from_ref(&s));
    assert!(text.contains(DECLARATION_LIMIT));
    assert_eq!(
        DECLARATION_LIMIT,
        "Hashing on the collector's machine proves that nothing changed after capture; it does not prove what the server sent."
    );
    assert!(text.contains("902(13)") && text.contains("902(14)"));
    assert!(text.contains("may serve as the certification"));
    assert!(text.contains("direct HTTP(S) request"));
    assert!(text.contains("stored the response body exactly as received"));
    assert!(text.contains("Chromium (Chrome/156.0.8078.73)"));
    assert!(text.contains("full-page screenshot (PNG), an MHTML archive"));
    assert!(text.contains("case case-7f3a"));
    assert!(text.contains(&"ab".repeat(32)));
    assert!(text.contains("were made by Jane Doe") || text.contains("I made the captures"));
    // The hash table: every artifact and the record, by exhibit.
    assert!(text.contains(&format!("Exhibit 2 | #2 | screenshot | {:064x}", 2)));
    assert!(text.contains(&format!("Exhibit 1 | #1 | capture record | {:064x}", 2001)));
    // Ends: statement, "Executed on", signature.
    let n = s.blocks.len();
    assert!(matches!(&s.blocks[n - 1], Block::Signature { name, .. } if name == "Jane Doe"));
    assert!(matches!(&s.blocks[n - 2], Block::Paragraph(p) if p.starts_with("Executed on")));
    assert!(matches!(&s.blocks[n - 3], Block::Paragraph(p) if p == WITHIN));
}

#[test]
fn declaration_without_a_declarant_leaves_blanks() {
    let text = valid("eu-dsa").replace(DECLARATION, "");
    let c = complaint(&text, &ok(1));
    let s = render_declaration(&c, &facts());
    let out = text_of(std::slice::from_ref(&s));
    assert!(out.contains(OUTSIDE));
    assert!(out.contains("[fill in: Signature]"));
}

#[test]
fn declaration_mentions_takedown_proofs() {
    let mut caps = ok(2);
    caps.push(capture_on(3, CaptureStatus::Removed, None));
    let text = format!(
        "{}\n[[listing]]\ncapture = 3\npurpose = \"takedown-proof\"\n",
        valid("eu-dsa")
    );
    let c = complaint(&text, &caps);
    let out = text_of(&[render_declaration(&c, &facts())]);
    assert!(out.contains("Exhibit 3 is marked removed and is offered only to show that the listing was taken down."), "{out}");
}

#[test]
fn no_translation_certificate_for_english_titles() {
    let c = complaint(&valid("eu-dsa"), &ok(3));
    assert!(render_translation_certificate(&c).is_none());
}

#[test]
fn translation_certificate_for_chinese_titles_with_blanks_and_given_translations() {
    let mut caps = ok(3);
    caps[0].title = Some("ACME 户外露营灯 正品".to_string());
    caps[1].title = Some("ACME Фонарь".to_string());
    let text = format!(
        "{}\n[[listing]]\ncapture = 1\ntitle_translation = \"ACME outdoor camping lantern, genuine\"\n",
        valid("eu-dsa")
    );
    let c = complaint(&text, &caps);
    let s = render_translation_certificate(&c).expect("non-English titles");
    let out = text_of(std::slice::from_ref(&s));
    assert!(out.contains("competent to translate"));
    assert!(out.contains("[fill in: Translator's name]"));
    assert!(out.contains("[fill in: Languages (from … into English)]"));
    assert!(out.contains("[fill in: Translator's signature]"));
    assert!(out.contains("[fill in: Date]"));
    assert!(out.contains("Exhibit 1 | Chinese characters (Han) | ACME 户外露营灯 正品 | ACME outdoor camping lantern, genuine"));
    assert!(out.contains("Exhibit 2 | Cyrillic | ACME Фонарь | (to be translated"));
    assert!(out.contains("[fill in: Exhibit 2: ACME Фонарь]"));
    assert!(!out.contains("Exhibit 3"));
}

#[test]
fn a_given_translation_alone_brings_the_certificate() {
    let text = format!(
        "{}\n[[listing]]\ncapture = 2\ntitle_translation = \"Lantern, original\"\n",
        valid("eu-dsa")
    );
    let c = complaint(&text, &ok(3));
    assert!(render_translation_certificate(&c).is_some());
}

#[test]
fn portal_complaints_are_short_summaries_referring_to_exhibits() {
    for venue in ["alibaba-ipp", "amazon", "ebay-vero"] {
        let c = complaint(&valid(venue), &ok(3));
        let sections = render_complaint(&c);
        assert_eq!(sections.len(), 1);
        let text = text_of(&sections);
        assert!(text.contains("reports 3 listings"), "{venue}: {text}");
        assert!(text.contains("Exhibit 3 | "), "{venue}");
        assert!(text.contains("filing sheet"), "{venue}");
    }
}
