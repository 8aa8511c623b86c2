//! The complaint file (`exhibit export --complaint FILE`, the app's draft): TOML a user
//! wrote, or one someone sent them.
//!
//! What must hold, beyond no panic: a file that reads writes back as TOML that reads as
//! the same complaint (the app saves drafts and exports this way), and checking it
//! against three captures, building it, splitting it into the venue's batches and
//! rendering its documents never panics.
#![no_main]

use std::sync::LazyLock;

use exhibit_domain::CaptureStatus;
use exhibit_venues::{
    AttachmentsPresent, CaptureFacts, CaptureMode, ComplaintFile, batches, render_complaint,
    render_filing_sheet, render_translation_certificate, resolve,
};
use libfuzzer_sys::fuzz_target;

/// Captures 1 to 3, as the examples' `[[listing]] capture = N` name them.
static CAPTURES: LazyLock<Vec<CaptureFacts>> = LazyLock::new(|| {
    let fact = |id: i64, market: &str, url: &str, status| CaptureFacts {
        id,
        requested_url: url.to_owned(),
        final_url: Some(url.to_owned()),
        marketplace: Some(market.to_owned()),
        listing_id: Some(format!("ID{id}")),
        title: Some("Hand-made walnut chair 手工椅子".to_owned()),
        seller: Some("Seller Co.".to_owned()),
        price: Some("129.99".to_owned()),
        currency: Some("USD".to_owned()),
        status,
        captured_at: "2026-01-02T03:04:05.678Z".to_owned(),
        mode: CaptureMode::Http,
        browser: None,
        artifacts: Vec::new(),
        record_sha256: "0".repeat(64),
    };
    vec![
        fact(
            1,
            "amazon",
            "https://www.amazon.com/dp/B000000001",
            CaptureStatus::Ok,
        ),
        fact(
            2,
            "alibaba",
            "https://www.alibaba.com/product-detail/x_1600000000002.html",
            CaptureStatus::Ok,
        ),
        fact(
            3,
            "ebay",
            "https://www.ebay.com/itm/100000000003",
            CaptureStatus::Blocked,
        ),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = ComplaintFile::from_toml(text) else {
        return;
    };
    let written = file
        .to_toml()
        .unwrap_or_else(|e| panic!("a complaint that was read does not write back: {e}"));
    let again = ComplaintFile::from_toml(&written)
        .unwrap_or_else(|e| panic!("the TOML written back does not read: {e}\n{written}"));
    assert_eq!(
        again, file,
        "the complaint changed on the way back:\n{written}"
    );

    let attachments = AttachmentsPresent::default();
    if let Ok(complaint) = resolve(&file, &CAPTURES, &attachments) {
        let _ = batches(&complaint);
        let _ = render_complaint(&complaint);
        let _ = render_filing_sheet(&complaint);
        let _ = render_translation_certificate(&complaint);
    }
});
