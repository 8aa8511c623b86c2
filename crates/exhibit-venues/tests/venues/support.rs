//! Fixtures shared by the tests: captures, complaint-file pieces and helpers.

#![allow(dead_code)]

use exhibit_domain::CaptureStatus;
use exhibit_venues::{
    ArtifactFacts, AttachmentsPresent, CaptureFacts, CaptureMode, Complaint, ComplaintFile, Issue,
    Severity, resolve, validate,
};

/// One capture, on a marketplace, with a screenshot and a body.
pub fn capture_on(id: i64, status: CaptureStatus, marketplace: Option<&str>) -> CaptureFacts {
    let host = match marketplace {
        Some("amazon") => "www.amazon.com",
        Some("ebay") => "www.ebay.com",
        Some("taobao") => "item.taobao.com",
        Some("aliexpress") => "www.aliexpress.com",
        _ => "shop.lantern-bazaar.example",
    };
    CaptureFacts {
        id,
        requested_url: format!("https://{host}/item/{id}"),
        final_url: Some(format!("https://{host}/item/{id}?final")),
        marketplace: marketplace.map(str::to_string),
        listing_id: Some(format!("L{id:04}")),
        title: Some(format!("ACME Model 7 Lantern #{id}")),
        seller: Some("Example Seller".to_string()),
        price: Some("12.99".to_string()),
        currency: Some("USD".to_string()),
        status,
        captured_at: "2026-11-20T10:00:00.000Z".to_string(),
        mode: CaptureMode::Browser,
        browser: Some("Chrome/156.0.8078.73".to_string()),
        artifacts: vec![
            ArtifactFacts {
                kind: "screenshot".to_string(),
                media_type: "image/png".to_string(),
                sha256: format!("{:064x}", id),
                size: 1000,
            },
            ArtifactFacts {
                kind: "body".to_string(),
                media_type: "text/html".to_string(),
                sha256: format!("{:064x}", id + 1000),
                size: 5000,
            },
        ],
        record_sha256: format!("{:064x}", id + 2000),
    }
}

/// `n` ok captures numbered 1..=n on a marketplace.
pub fn ok_on(n: i64, marketplace: Option<&str>) -> Vec<CaptureFacts> {
    (1..=n)
        .map(|id| capture_on(id, CaptureStatus::Ok, marketplace))
        .collect()
}

/// `n` ok captures with no known marketplace.
pub fn ok(n: i64) -> Vec<CaptureFacts> {
    ok_on(n, None)
}

pub const HOLDER: &str = r#"
[rights_holder]
name = "Jane Doe"
organization = "Acme Lantern Co."
address = "100 Harbor Street, Portland, OR 97201, USA"
email = "legal@acme-lantern.example"
phone = "+1 503 555 0100"
"#;

pub const TM: &str = r#"
[[right]]
id = "TM-1"
kind = "trademark"
registration_number = "1234567"
office = "USPTO"
classes = [11]
certificates = ["certificates/acme-uspto.pdf"]
"#;

pub const COPYRIGHT: &str = r#"
[[right]]
id = "C-1"
kind = "copyright"
work_description = "Photographs of the ACME Model 7 lantern"
work_link = "https://acme-lantern.example/model-7"
"#;

pub const ALL_OK_TM: &str = r#"
[listings]
all_ok = true
right = "TM-1"
infringement = "counterfeit"
"#;

pub const STATEMENTS: &str = r#"
[statements]
good_faith = true
accuracy_under_penalty_of_perjury = true
authorised = true
"#;

pub const SIGNATURE: &str = r#"
[signature]
name = "Jane Doe"
title = "Owner"
date = "2026-11-28"
place = "Portland, Oregon"
"#;

pub const DECLARATION: &str = r#"
[declaration]
within_us = true
declarant = "Jane Doe"
place = "Portland, Oregon"
"#;

/// A valid complaint file for each venue, built from the pieces above, with
/// `extra` appended (tables the pieces do not already define).
pub fn valid(venue: &str) -> String {
    match venue {
        "alibaba-ipp" => format!(
            "venue = \"alibaba-ipp\"\ncomplaint_type = \"listing\"\n{HOLDER}{TM}{ALL_OK_TM}{SIGNATURE}{DECLARATION}\n[alibaba]\nplatform = \"taobao\"\nreason = \"Counterfeit goods\"\nidentity_proof = \"id.pdf\"\n"
        ),
        "amazon" => format!(
            "venue = \"amazon\"\n{HOLDER}{TM}{ALL_OK_TM}{STATEMENTS}{SIGNATURE}{DECLARATION}\n[amazon]\nmarketplace_country = \"US\"\nwhere = [\"product\"]\n"
        ),
        "ebay-vero" => format!(
            "venue = \"ebay-vero\"\nnarrative = \"Counterfeit ACME lanterns.\"\n{HOLDER}{TM}{ALL_OK_TM}{STATEMENTS}{SIGNATURE}{DECLARATION}\n[ebay]\nreason_code = \"1.1\"\nmessage_to_seller = \"Stop selling fakes.\"\n"
        ),
        "dmca" => format!(
            "venue = \"dmca\"\n{HOLDER}{COPYRIGHT}{STATEMENTS}{SIGNATURE}{DECLARATION}\n[listings]\nall_ok = true\nright = \"C-1\"\ninfringement = \"copied-photos\"\n"
        ),
        "eu-dsa" => format!(
            "venue = \"eu-dsa\"\nnarrative = \"These listings sell counterfeits of our EU trade mark.\"\n{HOLDER}{TM}{ALL_OK_TM}{STATEMENTS}{SIGNATURE}{DECLARATION}"
        ),
        "ustr-notorious-markets" => format!(
            "venue = \"ustr-notorious-markets\"\n{HOLDER}{TM}{ALL_OK_TM}{SIGNATURE}{DECLARATION}\n[ustr]\ndocket = \"USTR-2026-0001\"\nyear = 2026\n\n[[ustr.market]]\nname = \"Lantern Bazaar\"\nurls = [\"lantern-bazaar.example\"]\noperator = \"Lantern Bazaar Ltd.\"\nlocation = \"Guangzhou, China\"\ngoods = \"Counterfeit lanterns\"\nenforcement_actions = \"None known\"\n"
        ),
        "agency-letter" => format!(
            "venue = \"agency-letter\"\naddressee = \"cbp\"\n{HOLDER}{TM}{ALL_OK_TM}{SIGNATURE}{DECLARATION}\n[agency]\nviolator_name = \"Example Lighting Co.\"\nviolator_address = \"Shenzhen, China\"\nviolator_website = \"https://example-lighting.example\"\nproduct = \"ACME Model 7 lantern\"\nimmediate_threat = false\nprior_takedowns = \"Three complaints, twelve listings removed.\"\nask = \"Please detain shipments of these lanterns.\"\n"
        ),
        other => panic!("no fixture for {other}"),
    }
}

pub fn parse(text: &str) -> ComplaintFile {
    match ComplaintFile::from_toml(text) {
        Ok(f) => f,
        Err(e) => panic!("fixture does not parse: {e}\n{text}"),
    }
}

/// Every issue of a complaint, with every attachment taken to exist.
pub fn check(text: &str, captures: &[CaptureFacts]) -> Vec<Issue> {
    validate(&parse(text), captures, &AttachmentsPresent::unchecked())
}

pub fn errors(issues: &[Issue]) -> Vec<&Issue> {
    issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect()
}

pub fn warnings(issues: &[Issue]) -> Vec<&Issue> {
    issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .collect()
}

/// Asserts there is an error on `field` whose message contains `needle`.
pub fn assert_error(issues: &[Issue], field: &str, needle: &str) {
    assert!(
        issues.iter().any(|i| i.severity == Severity::Error
            && i.field == field
            && i.message.contains(needle)),
        "no error on {field} containing {needle:?} in {issues:#?}"
    );
}

/// Asserts there is a warning on `field` whose message contains `needle`.
pub fn assert_warning(issues: &[Issue], field: &str, needle: &str) {
    assert!(
        issues.iter().any(|i| i.severity == Severity::Warning
            && i.field == field
            && i.message.contains(needle)),
        "no warning on {field} containing {needle:?} in {issues:#?}"
    );
}

pub fn assert_no_errors(issues: &[Issue]) {
    let e = errors(issues);
    assert!(e.is_empty(), "unexpected errors: {e:#?}");
}

/// Resolves a complaint that must be valid.
pub fn complaint(text: &str, captures: &[CaptureFacts]) -> Complaint {
    match resolve(&parse(text), captures, &AttachmentsPresent::unchecked()) {
        Ok(c) => c,
        Err(e) => panic!("complaint does not resolve: {e}\n{e:#?}"),
    }
}
