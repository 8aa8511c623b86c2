//! DMCA, DSA, USTR and agency letters: the elements the law or the addressee asks for.

use exhibit_domain::doc::{Block, Section};
use exhibit_venues::{DMCA_ACCURACY, DMCA_GOOD_FAITH, DSA_BONA_FIDE, batches, render_complaint};

use crate::support::*;

/// All text of some sections, one block per line.
pub fn text_of(sections: &[Section]) -> String {
    let mut out = String::new();
    for s in sections {
        out.push_str(&s.title);
        out.push('\n');
        for b in &s.blocks {
            match b {
                Block::Heading { text, .. }
                | Block::Paragraph(text)
                | Block::Small(text)
                | Block::Mono(text) => out.push_str(text),
                Block::Fields(f) => {
                    for (l, v) in f {
                        out.push_str(&format!("{l}: {v}\n"));
                    }
                }
                Block::Table { header, rows, .. } => {
                    out.push_str(&header.join(" | "));
                    out.push('\n');
                    for r in rows {
                        out.push_str(&r.join(" | "));
                        out.push('\n');
                    }
                }
                Block::List(items) => out.push_str(&items.join("\n")),
                Block::Signature { name, .. } => out.push_str(&format!("[signature: {name}]")),
                Block::FillIn { label } => out.push_str(&format!("[fill in: {label}]")),
                _ => {}
            }
            out.push('\n');
        }
    }
    out
}

// ---- DMCA: the six elements of 17 U.S.C. § 512(c)(3)(A) ----

#[test]
fn dmca_valid_fixture_has_no_errors() {
    assert_no_errors(&check(&valid("dmca"), &ok(3)));
}

#[test]
fn dmca_missing_signature_is_an_error() {
    let text = valid("dmca").replace(SIGNATURE, "");
    assert_error(
        &check(&text, &ok(3)),
        "signature.name",
        "A DMCA notice must be signed (17 U.S.C. § 512(c)(3)(A)(i))",
    );
}

#[test]
fn dmca_needs_a_copyright_and_the_work_identified() {
    let text = valid("dmca").replace(
        COPYRIGHT,
        &COPYRIGHT.replace("kind = \"copyright\"", "kind = \"trademark\""),
    );
    assert_error(
        &check(&text, &ok(3)),
        "right[0].kind",
        "A DMCA notice covers copyright only, but C-1 is a trademark.",
    );
    let text = valid("dmca")
        .replace(
            "work_description = \"Photographs of the ACME Model 7 lantern\"\n",
            "",
        )
        .replace("work_link = \"https://acme-lantern.example/model-7\"\n", "");
    assert_error(&check(&text, &ok(3)), "right[0].work_description", "(ii)");
}

#[test]
fn dmca_needs_contact_details() {
    let text = valid("dmca")
        .replace(
            "address = \"100 Harbor Street, Portland, OR 97201, USA\"\n",
            "",
        )
        .replace("phone = \"+1 503 555 0100\"\n", "")
        .replace("email = \"legal@acme-lantern.example\"\n", "");
    let issues = check(&text, &ok(3));
    for f in ["address", "phone", "email"] {
        assert_error(&issues, &format!("rights_holder.{f}"), "(iv)");
    }
}

#[test]
fn dmca_needs_each_statement() {
    for (flag, element) in [
        ("good_faith", "(v)"),
        ("accuracy_under_penalty_of_perjury", "(vi)"),
        ("authorised", "(vi)"),
    ] {
        let text = valid("dmca").replace(&format!("{flag} = true"), &format!("{flag} = false"));
        assert_error(
            &check(&text, &ok(3)),
            &format!("statements.{flag}"),
            element,
        );
    }
}

#[test]
fn dmca_notice_has_the_six_elements_and_the_statutory_statements() {
    let c = complaint(&valid("dmca"), &ok(3));
    let text = text_of(&render_complaint(&c));
    for part in ["(ii)", "(iii)", "(iv)", "(v)", "(vi)", "(i)"] {
        assert!(
            text.contains(&format!("§ 512(c)(3)(A){part}")),
            "{part} missing:\n{text}"
        );
    }
    assert!(text.contains(DMCA_GOOD_FAITH));
    assert!(text.contains(DMCA_ACCURACY));
    assert!(
        DMCA_GOOD_FAITH.contains("not authorized by the copyright owner, its agent, or the law")
    );
    assert!(DMCA_ACCURACY.contains("under penalty of perjury"));
    assert!(text.contains("Photographs of the ACME Model 7 lantern"));
    assert!(text.contains("Exhibit 3 | "));
    assert!(text.contains("https://shop.lantern-bazaar.example/item/3?final"));
    assert!(text.contains("[signature: Jane Doe]"));
}

// ---- EU DSA Article 16(2) (a)–(d) ----

#[test]
fn dsa_needs_explanation_email_and_bona_fide_statement() {
    let text = valid("eu-dsa")
        .replace(
            "narrative = \"These listings sell counterfeits of our EU trade mark.\"\n",
            "",
        )
        .replace("email = \"legal@acme-lantern.example\"\n", "")
        .replace("good_faith = true", "good_faith = false");
    let issues = check(&text, &ok(3));
    assert_error(&issues, "narrative", "Article 16(2)(a)");
    assert_error(&issues, "rights_holder.email", "Article 16(2)(c)");
    assert_error(&issues, "statements.good_faith", "Article 16(2)(d)");
}

#[test]
fn dsa_notice_has_a_to_d_with_exact_urls() {
    let c = complaint(&valid("eu-dsa"), &ok(2));
    let text = text_of(&render_complaint(&c));
    for h in [
        "(a) Why the content is illegal",
        "(b) Where the content is: exact URLs",
        "(c) Who submits this notice",
        "(d) Statement",
    ] {
        assert!(text.contains(h), "{h} missing:\n{text}");
    }
    assert!(text.contains("Exhibit 2 | https://shop.lantern-bazaar.example/item/2?final"));
    assert!(text.contains(DSA_BONA_FIDE));
    assert!(text.contains("Email: legal@acme-lantern.example"));
}

// ---- USTR Notorious Markets ----

#[test]
fn ustr_market_in_the_us_is_an_error() {
    let text =
        valid("ustr-notorious-markets").replace("Guangzhou, China", "Los Angeles, California, USA");
    assert_error(
        &check(&text, &ok(3)),
        "ustr.market[0].location",
        "USTR's Notorious Markets review covers markets outside the United States: Lantern Bazaar is in Los Angeles, California, USA",
    );
}

#[test]
fn ustr_needs_docket_and_markets() {
    let text = valid("ustr-notorious-markets").replace("docket = \"USTR-2026-0001\"\n", "");
    assert_error(&check(&text, &ok(3)), "ustr.docket", "docket");
    let text = valid("ustr-notorious-markets");
    let cut = text.find("\n[[ustr.market]]").unwrap_or(text.len());
    assert_error(
        &check(&text[..cut], &ok(3)),
        "ustr.market",
        "Name at least one market",
    );
    let text = valid("ustr-notorious-markets")
        .replace("urls = [\"lantern-bazaar.example\"]\n", "")
        .replace("location = \"Guangzhou, China\"\n", "");
    let issues = check(&text, &ok(3));
    assert_error(&issues, "ustr.market[0].urls", "domain names");
    assert_error(
        &issues,
        "ustr.market[0].location",
        "Say where Lantern Bazaar is run from",
    );
}

#[test]
fn ustr_listing_outside_every_market_is_a_warning() {
    let issues = check(&valid("ustr-notorious-markets"), &ok_on(1, Some("amazon")));
    assert_warning(
        &issues,
        "listings",
        "Exhibit 1 is on amazon.com, which none of the markets lists",
    );
}

#[test]
fn ustr_comment_is_one_letter_to_the_assistant_ustr_with_a_block_per_market() {
    let c = complaint(&valid("ustr-notorious-markets"), &ok(3));
    assert_eq!(batches(&c).len(), 1);
    let sections = render_complaint(&c);
    assert_eq!(sections.len(), 1, "one file");
    let text = text_of(&sections);
    assert!(text.contains(
        "Assistant United States Trade Representative for Innovation and Intellectual Property"
    ));
    assert!(text.contains("RE: Request for comments, 2026 Review of Notorious Markets for Counterfeiting and Piracy, Docket No. USTR-2026-0001"));
    assert!(text.contains("Online notorious markets"));
    assert!(text.contains("Operator's location: Guangzhou, China"));
    assert!(text.contains("Evidence: Exhibits 1–3"));
    let re = text.find("RE:").unwrap_or(usize::MAX);
    let market = text.find("Lantern Bazaar").unwrap_or(0);
    assert!(re < market, "the RE: line comes before the markets");
}

// ---- Agency or embassy letter ----

#[test]
fn agency_letter_needs_addressee_and_the_facts_to_act_on() {
    let text = valid("agency-letter")
        .replace("addressee = \"cbp\"\n", "")
        .replace("violator_name = \"Example Lighting Co.\"\n", "")
        .replace("product = \"ACME Model 7 lantern\"\n", "")
        .replace("ask = \"Please detain shipments of these lanterns.\"\n", "");
    let issues = check(&text, &ok(3));
    assert_error(&issues, "addressee", "Say who the letter is for");
    assert_error(&issues, "agency.violator_name", "Name the seller");
    assert_error(&issues, "agency.product", "which of your products");
    assert_error(&issues, "agency.ask", "what you ask");
}

#[test]
fn cbp_needs_the_immediate_threat_answer() {
    let text = valid("agency-letter").replace("immediate_threat = false\n", "");
    assert_error(
        &check(&text, &ok(3)),
        "agency.immediate_threat",
        "immediate threat to life or property",
    );
}

#[test]
fn embassy_needs_its_name() {
    let text = valid("agency-letter").replace("addressee = \"cbp\"", "addressee = \"embassy\"");
    assert_error(&check(&text, &ok(3)), "addressee_name", "Name the embassy");
}

#[test]
fn eu_watch_list_is_for_marketplaces_outside_the_eu() {
    let text = valid("agency-letter")
        .replace("addressee = \"cbp\"", "addressee = \"eu-watch-list\"")
        .replace(
            "violator_address",
            "violator_country = \"Netherlands\"\nviolator_address",
        );
    assert_error(
        &check(&text, &ok(3)),
        "agency.violator_country",
        "outside the EU",
    );
}

#[test]
fn agency_letter_is_a_brief_then_an_evidence_index() {
    let c = complaint(&valid("agency-letter"), &ok(3));
    let sections = render_complaint(&c);
    assert_eq!(sections.len(), 2);
    assert!(sections[1].title.contains("Evidence index"));
    let text = text_of(&sections);
    for label in [
        "Rights holder:",
        "IP registered: TM-1: Trademark 1234567 (USPTO), class 11",
        "Infringer and where: Example Lighting Co.",
        "Scale: 3 listings",
        "Steps taken and outcomes: Three complaints",
        "Immediate threat to life or property: No",
        "What we ask: Please detain shipments",
    ] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
    assert!(text.contains("Exhibit 1 | "));
}
