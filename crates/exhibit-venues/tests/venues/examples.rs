//! Every example complaint in the workspace's `examples/` parses, validates against
//! three ok captures with no error, and renders.

use std::path::{Path, PathBuf};

use exhibit_venues::{
    AttachmentsPresent, ComplaintFile, DeclarationFacts, Venue, render_complaint,
    render_declaration, render_filing_sheet, resolve, validate,
};

use crate::support::*;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The attachment paths a complaint names that exist next to it.
fn present(dir: &Path, f: &ComplaintFile) -> AttachmentsPresent {
    let mut named: Vec<String> = f
        .rights
        .iter()
        .flat_map(|r| r.certificates.clone())
        .collect();
    if let Some(a) = &f.alibaba {
        named.extend(a.identity_proof.clone());
        named.extend(a.power_of_attorney.clone());
    }
    AttachmentsPresent::new(named.into_iter().filter(|p| dir.join(p).is_file()))
}

#[test]
fn every_example_parses_and_validates_against_three_ok_captures() {
    let dir = examples_dir();
    let mut seen = Vec::new();
    for venue in Venue::ALL {
        let path = dir.join(format!("{}.toml", venue.as_str()));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let f =
            ComplaintFile::from_toml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(f.venue, venue, "{}", path.display());
        let marketplace = match venue {
            Venue::AlibabaIpp | Venue::AgencyLetter => Some("taobao"),
            Venue::ScheduleA => Some("aliexpress"),
            Venue::Amazon => Some("amazon"),
            Venue::EbayVero => Some("ebay"),
            Venue::Dmca | Venue::EuDsa => Some("aliexpress"),
            Venue::UstrNotoriousMarkets => None,
        };
        let captures = ok_on(3, marketplace);
        let attachments = present(&dir, &f);
        let issues = validate(&f, &captures, &attachments);
        let errs = errors(&issues);
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
        let c = resolve(&f, &captures, &attachments)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(c.listings.len(), 3, "{}", path.display());
        assert!(!render_complaint(&c).is_empty());
        assert_eq!(render_filing_sheet(&c).is_some(), venue.is_portal());
        let _ = render_declaration(&c, &DeclarationFacts::default());
        seen.push(venue);
    }
    assert_eq!(seen.len(), Venue::ALL.len());
}

#[test]
fn example_certificates_are_small_pdfs() {
    let dir = examples_dir().join("certificates");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(bytes.starts_with(b"%PDF-"), "{}", path.display());
        assert!(bytes.len() < 4096, "{}", path.display());
        count += 1;
    }
    assert!(count >= 3);
}
