//! Alibaba IPP, Amazon and eBay VeRO: required fields, limits and batches.

use exhibit_domain::CaptureStatus;
use exhibit_venues::{AttachmentsPresent, Infringement, batches, render_filing_sheet, validate};

use crate::support::*;

// ---- Alibaba IPP ----

#[test]
fn alibaba_without_certificate_is_an_error_with_the_plain_sentence() {
    let text =
        valid("alibaba-ipp").replace("certificates = [\"certificates/acme-uspto.pdf\"]\n", "");
    assert_error(
        &check(&text, &ok(3)),
        "right[0].certificates",
        "Alibaba IPP needs the trademark's registration certificate: add it under certificates for TM-1.",
    );
}

#[test]
fn alibaba_valid_fixture_has_no_errors() {
    assert_no_errors(&check(&valid("alibaba-ipp"), &ok_on(3, Some("taobao"))));
}

#[test]
fn alibaba_requires_platform_type_reason_and_identity_proof() {
    let text = valid("alibaba-ipp")
        .replace("platform = \"taobao\"\n", "")
        .replace("complaint_type = \"listing\"\n", "")
        .replace("reason = \"Counterfeit goods\"\n", "")
        .replace("identity_proof = \"id.pdf\"\n", "");
    let issues = check(&text, &ok(3));
    assert_error(
        &issues,
        "alibaba.platform",
        "Alibaba IPP needs the platform",
    );
    assert_error(
        &issues,
        "complaint_type",
        "complaint_type = \"listing\" or \"store\"",
    );
    assert_error(&issues, "alibaba.reason", "drop-down");
    assert_error(&issues, "alibaba.identity_proof", "proof of identity");
}

#[test]
fn alibaba_identity_proof_must_exist() {
    let f = parse(&valid("alibaba-ipp"));
    let issues = validate(
        &f,
        &ok(3),
        &AttachmentsPresent::new(["certificates/acme-uspto.pdf"]),
    );
    assert_error(
        &issues,
        "alibaba.identity_proof",
        "\"id.pdf\" (the identity proof) was not found",
    );
}

#[test]
fn alibaba_agent_needs_power_of_attorney() {
    let text = format!(
        "{}\n[agent]\nname = \"Lee Law LLP\"\nemail = \"lee@law.example\"\n",
        valid("alibaba-ipp")
    );
    assert_error(
        &check(&text, &ok(3)),
        "alibaba.power_of_attorney",
        "power of attorney when an agent files",
    );
    let text = text.replace(
        "identity_proof = \"id.pdf\"\n",
        "identity_proof = \"id.pdf\"\npower_of_attorney = \"poa.pdf\"\n",
    );
    assert_no_errors(&check(&text, &ok(3)));
}

#[test]
fn alibaba_splits_at_300_urls_and_warns() {
    let caps = ok(650);
    let issues = check(&valid("alibaba-ipp"), &caps);
    assert_warning(
        &issues,
        "listing",
        "Alibaba IPP takes at most 300 URLs in one complaint: these 650 will be split into 3.",
    );
    let c = complaint(&valid("alibaba-ipp"), &caps);
    let sizes: Vec<usize> = batches(&c).iter().map(|b| b.listings.len()).collect();
    assert_eq!(sizes, vec![300, 300, 50]);
    let first: Vec<usize> = batches(&c).iter().map(|b| b.listings[0].exhibit).collect();
    assert_eq!(first, vec![1, 301, 601]);
}

#[test]
fn alibaba_splits_by_right() {
    let cn = TM
        .replace("TM-1", "TM-2")
        .replace("1234567", "12345678")
        .replace("USPTO", "CNIPA");
    let text = format!(
        "{}{cn}\n[[listing]]\ncapture = 2\nright = \"TM-2\"\n",
        valid("alibaba-ipp")
    );
    let issues = check(&text, &ok(3));
    assert_warning(
        &issues,
        "listing",
        "Alibaba IPP recommends one right a complaint: these listings name 2 rights (TM-1, TM-2)",
    );
    let c = complaint(&text, &ok(3));
    let b = batches(&c);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].right.as_deref(), Some("TM-1"));
    assert_eq!(b[0].exhibits(), vec![1, 3]);
    assert_eq!(b[1].right.as_deref(), Some("TM-2"));
    assert_eq!(b[1].exhibits(), vec![2]);
}

#[test]
fn alibaba_refuses_listings_from_other_marketplaces() {
    let mut caps = ok_on(2, Some("taobao"));
    caps.push(capture_on(3, CaptureStatus::Ok, Some("amazon")));
    caps.push(capture_on(4, CaptureStatus::Ok, Some("aliexpress")));
    let issues = check(&valid("alibaba-ipp"), &caps);
    assert_error(
        &issues,
        "listings",
        "Exhibit 3 (capture #3) is on Amazon, which Alibaba IPP does not handle",
    );
    assert_warning(
        &issues,
        "listings",
        "Exhibit 4 is on AliExpress, but this complaint is for Taobao",
    );
}

#[test]
fn alibaba_filing_sheet_field_order() {
    let c = complaint(&valid("alibaba-ipp"), &ok(3));
    let sheet = render_filing_sheet(&c).expect("portal venue");
    let labels: Vec<&str> = sheet.batches[0]
        .fields
        .iter()
        .map(|(l, _)| l.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Account: identity proof",
            "IPR record",
            "IPR owner",
            "IPR certificate",
            "Platform",
            "Complaint type",
            "Reason",
            "Infringing links",
            "Supplementary explanation",
        ]
    );
    let value = |label: &str| {
        sheet.batches[0]
            .fields
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(value("Platform").as_deref(), Some("Taobao"));
    assert_eq!(value("Complaint type").as_deref(), Some("Listing"));
    assert_eq!(
        value("IPR certificate").as_deref(),
        Some("certificates/acme-uspto.pdf")
    );
}

// ---- Amazon ----

#[test]
fn amazon_splits_120_listings_into_3_reports_and_says_so() {
    let caps = ok(120);
    let issues = check(&valid("amazon"), &caps);
    assert_warning(
        &issues,
        "listing",
        "Amazon takes at most 50 listings in one report: these 120 will be split into 3.",
    );
    let c = complaint(&valid("amazon"), &caps);
    let sizes: Vec<usize> = batches(&c).iter().map(|b| b.listings.len()).collect();
    assert_eq!(sizes, vec![50, 50, 20]);
    let numbers: Vec<usize> = batches(&c).iter().map(|b| b.number).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
}

#[test]
fn amazon_splits_by_violation_type() {
    let text = format!(
        "{}\n[[listing]]\ncapture = 2\ninfringement = \"trademark-misuse\"\n",
        valid("amazon")
    );
    let issues = check(&text, &ok(3));
    assert_warning(
        &issues,
        "listing",
        "Amazon takes one violation type a report",
    );
    let c = complaint(&text, &ok(3));
    let b = batches(&c);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].infringement, Some(Infringement::Counterfeit));
    assert_eq!(b[0].exhibits(), vec![1, 3]);
    assert_eq!(b[1].infringement, Some(Infringement::TrademarkMisuse));
    assert_eq!(b[1].exhibits(), vec![2]);
}

#[test]
fn amazon_needs_full_contact_country_where_and_statements() {
    let text = valid("amazon")
        .replace("phone = \"+1 503 555 0100\"\n", "")
        .replace("marketplace_country = \"US\"\n", "")
        .replace("where = [\"product\"]\n", "")
        .replace(STATEMENTS, "");
    let issues = check(&text, &ok(3));
    assert_error(
        &issues,
        "rights_holder.phone",
        "Amazon needs your phone number",
    );
    assert_error(
        &issues,
        "amazon.marketplace_country",
        "marketplace's country",
    );
    assert_error(&issues, "amazon.where", "where the infringement shows");
    assert_error(
        &issues,
        "statements.good_faith",
        "Amazon requires the good-faith statement",
    );
    assert_error(
        &issues,
        "statements.accuracy_under_penalty_of_perjury",
        "under penalty of perjury",
    );
    assert_error(&issues, "statements.authorised", "authorised to act");
}

#[test]
fn amazon_registration_must_cover_the_marketplace_country() {
    let text = valid("amazon").replace("office = \"USPTO\"", "office = \"CNIPA\"");
    assert_error(
        &check(&text, &ok(3)),
        "right[0].office",
        "Amazon only accepts a registration valid in the marketplace's country (US), but TM-1 is registered with CNIPA.",
    );
    let text = valid("amazon")
        .replace(
            "marketplace_country = \"US\"",
            "marketplace_country = \"DE\"",
        )
        .replace("office = \"USPTO\"", "office = \"EUIPO\"");
    assert_no_errors(&check(&text, &ok(3)));
    let text = valid("amazon").replace("office = \"USPTO\"", "office = \"WIPO\"");
    let issues = check(&text, &ok(3));
    assert_no_errors(&issues);
    assert_warning(
        &issues,
        "right[0].office",
        "check that TM-1 (WIPO) covers it",
    );
}

#[test]
fn amazon_refuses_listings_from_other_marketplaces() {
    let issues = check(&valid("amazon"), &ok_on(2, Some("ebay")));
    assert_error(
        &issues,
        "listings",
        "is on eBay, which Amazon does not handle",
    );
}

#[test]
fn amazon_odd_test_buy_order_is_a_warning() {
    let text = valid("amazon").replace(
        "where = [\"product\"]",
        "where = [\"product\"]\ntest_buy_orders = [\"12345\"]",
    );
    assert_warning(
        &check(&text, &ok(3)),
        "amazon.test_buy_orders[0]",
        "does not look like an Amazon order id",
    );
}

#[test]
fn amazon_filing_sheet_field_order() {
    let c = complaint(&valid("amazon"), &ok_on(3, Some("amazon")));
    let sheet = render_filing_sheet(&c).expect("portal venue");
    let labels: Vec<&str> = sheet.batches[0]
        .fields
        .iter()
        .map(|(l, _)| l.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "I am",
            "Rights owner",
            "Your name",
            "Company",
            "Address",
            "Phone",
            "Email",
            "Marketplace",
            "Type of IP concern",
            "Registration number",
            "Registration office",
            "Where the infringement is",
            "Violation type",
            "ASINs",
            "Test-buy order IDs",
            "Additional information",
            "Electronic signature",
        ]
    );
    let asins = &sheet.batches[0].fields[13].1;
    assert_eq!(asins, "L0001, L0002, L0003");
}

// ---- eBay VeRO ----

#[test]
fn ebay_message_to_seller_over_1000_characters_is_an_error() {
    let long = "é".repeat(1001);
    let text = valid("ebay-vero").replace("Stop selling fakes.", &long);
    assert_error(
        &check(&text, &ok(3)),
        "ebay.message_to_seller",
        "eBay limits the message to the seller to 1,000 characters; this one has 1,001. Shorten it.",
    );
    let text = valid("ebay-vero").replace("Stop selling fakes.", &"é".repeat(1000));
    assert_no_errors(&check(&text, &ok(3)));
}

#[test]
fn ebay_reason_code_must_have_the_right_form() {
    for bad in ["1-1", "9.1", "1.", "counterfeit", "1.123"] {
        let text = valid("ebay-vero")
            .replace("reason_code = \"1.1\"", &format!("reason_code = \"{bad}\""));
        assert_error(
            &check(&text, &ok(3)),
            "ebay.reason_code",
            "is not an eBay reason code",
        );
    }
    let text = valid("ebay-vero").replace("reason_code = \"1.1\"\n", "");
    assert_error(
        &check(&text, &ok(3)),
        "ebay.reason_code",
        "needs a reason code for every listing",
    );
}

#[test]
fn ebay_reason_code_that_does_not_fit_is_a_warning_and_overrides_split_batches() {
    let text = format!(
        "{}\n[[listing]]\ncapture = 2\ninfringement = \"copied-photos\"\n",
        valid("ebay-vero")
    );
    assert_warning(
        &check(&text, &ok(3)),
        "ebay.reason_code",
        "Reason code 1.1 does not fit listings marked copied-photos",
    );
    let text = text.replace(
        "reason_code = \"1.1\"",
        "reason_code = \"1.1\"\nreason_codes = { copied-photos = \"4.1\" }",
    );
    let issues = check(&text, &ok(3));
    assert!(
        issues.iter().all(|i| !i.message.contains("does not fit")),
        "{issues:#?}"
    );
    let c = complaint(&text, &ok(3));
    let b = batches(&c);
    let codes: Vec<(Option<String>, Vec<usize>)> = b
        .iter()
        .map(|b| (b.reason_code.clone(), b.exhibits()))
        .collect();
    assert_eq!(
        codes,
        vec![
            (Some("1.1".to_string()), vec![1, 3]),
            (Some("4.1".to_string()), vec![2])
        ]
    );
}

#[test]
fn ebay_brand_over_50_characters_is_an_error() {
    let text = valid("ebay-vero").replace(
        "reason_code = \"1.1\"",
        &format!("reason_code = \"1.1\"\nbrand = \"{}\"", "B".repeat(51)),
    );
    assert_error(
        &check(&text, &ok(3)),
        "ebay.brand",
        "eBay limits the brand name to 50 characters; this one has 51. Shorten it.",
    );
}

#[test]
fn ebay_needs_explanation_signature_date_and_jurisdiction() {
    let text = valid("ebay-vero")
        .replace("narrative = \"Counterfeit ACME lanterns.\"\n", "")
        .replace("date = \"2026-11-28\"\n", "")
        .replace("office = \"USPTO\"\n", "");
    let issues = check(&text, &ok(3));
    assert_error(&issues, "narrative", "eBay VeRO asks for an explanation");
    assert_error(
        &issues,
        "signature.date",
        "eBay VeRO needs the date you sign",
    );
    assert_error(
        &issues,
        "right[0].office",
        "eBay VeRO needs the jurisdiction of TM-1",
    );
}

#[test]
fn ebay_filing_sheet_field_order() {
    let c = complaint(&valid("ebay-vero"), &ok_on(3, Some("ebay")));
    let sheet = render_filing_sheet(&c).expect("portal venue");
    let labels: Vec<&str> = sheet.batches[0]
        .fields
        .iter()
        .map(|(l, _)| l.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Rights owner",
            "Contact name",
            "Address",
            "Email",
            "Phone",
            "Reason code",
            "Item numbers",
            "IP registration number",
            "Jurisdiction",
            "Brand",
            "Message to seller",
            "Explanation",
            "Signature",
            "Date",
        ]
    );
    assert_eq!(sheet.batches[0].fields[5].1, "1.1");
}

#[test]
fn filing_sheet_urls_and_uploads() {
    let c = complaint(&valid("amazon"), &ok(2));
    let sheet = render_filing_sheet(&c).expect("portal venue");
    let b = &sheet.batches[0];
    assert_eq!(
        b.urls_text(),
        "https://shop.lantern-bazaar.example/item/1?final\nhttps://shop.lantern-bazaar.example/item/2?final\n"
    );
    assert_eq!(
        b.uploads,
        vec!["exhibit-001-screenshot.png", "exhibit-002-screenshot.png"]
    );
    let sections = sheet.to_sections();
    assert_eq!(sections.len(), 1);
    assert!(sections[0].title.contains("Amazon"));
}

#[test]
fn no_filing_sheet_for_letters_and_notices() {
    for venue in ["dmca", "eu-dsa", "ustr-notorious-markets", "agency-letter"] {
        let c = complaint(&valid(venue), &ok(2));
        assert!(render_filing_sheet(&c).is_none(), "{venue}");
    }
}
