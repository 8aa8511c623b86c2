//! The test-buy report Alibaba IPP accepts with a complaint: the order number, the
//! listing, photos of the product received, how it was verified and why it is
//! counterfeit, signed by the rights holder or sealed with its company seal. One order
//! number per complaint (VENUES.md).

use exhibit_domain::doc::{Block, Section};
use exhibit_venues::marketplace_label;
use exhibit_venues::text::{clean, one_line};

use crate::model::Purchase;

/// Everything the report prints, gathered by the caller.
#[derive(Debug, Clone, Default)]
pub struct TestBuyReport {
    pub purchase: Purchase,
    /// The listing bought from.
    pub listing_url: Option<String>,
    pub listing_id: Option<String>,
    pub title: Option<String>,
    pub seller: Option<String>,
    /// Who signs: the rights holder (organisation, else name).
    pub rights_holder: String,
    /// The rights the product infringes, as printed ("TM-CN: Trademark 12345678 (CNIPA)").
    pub rights: Vec<String>,
    /// Who signs for the rights holder, their title and the date, when known.
    pub signer: Option<String>,
    pub signer_title: Option<String>,
    pub date: Option<String>,
    /// Photos of the parcel and the product received, with their captions (PNG or JPEG).
    pub photos: Vec<(String, Vec<u8>)>,
}

/// The report as one section.
pub fn test_buy_section(r: &TestBuyReport) -> Section {
    let p = &r.purchase;
    let mut blocks = vec![Block::Paragraph(format!(
        "{} made the test purchase below to verify whether the product offered in the listing is genuine. This report states the order, the listing, what was received, how it was examined and the result.",
        one_line(&r.rights_holder)
    ))];
    let mut order = vec![
        ("Order number".to_string(), one_line(&p.order_number)),
        (
            "Platform".to_string(),
            marketplace_label(&p.platform).to_string(),
        ),
        ("Ordered on".to_string(), one_line(&p.ordered_on)),
        (
            "Amount paid".to_string(),
            format!("{} {}", one_line(&p.currency), one_line(&p.amount)),
        ),
    ];
    if let Some(b) = &p.buyer {
        order.push(("Buyer account".to_string(), one_line(b)));
    }
    order.push(("Shipped to".to_string(), one_line(&p.ship_to)));
    for (label, v) in [
        ("Shipped from", &p.ship_from),
        ("Carrier", &p.carrier),
        ("Tracking number", &p.tracking),
        ("Delivered on", &p.delivered_on),
    ] {
        if let Some(v) = v.as_deref().map(one_line).filter(|v| !v.is_empty()) {
            order.push((label.to_string(), v));
        }
    }
    blocks.push(Block::Heading {
        level: 2,
        text: "The order".to_string(),
    });
    blocks.push(Block::Fields(order));
    let mut listing = Vec::new();
    for (label, v) in [
        ("Listing URL", &r.listing_url),
        ("Listing id", &r.listing_id),
        ("Title", &r.title),
        ("Seller", &r.seller),
    ] {
        if let Some(v) = v.as_deref().map(one_line).filter(|v| !v.is_empty()) {
            listing.push((label.to_string(), v));
        }
    }
    if !r.rights.is_empty() {
        listing.push((
            "Right infringed".to_string(),
            r.rights
                .iter()
                .map(|x| one_line(x))
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    blocks.push(Block::Heading {
        level: 2,
        text: "The listing".to_string(),
    });
    blocks.push(Block::Fields(listing));

    blocks.push(Block::Heading {
        level: 2,
        text: "How it was verified".to_string(),
    });
    match &p.verdict {
        Some(v) => blocks.push(Block::Paragraph(format!(
            "{} examined the product received against a genuine product: {}. Result: {}.",
            one_line(&v.by),
            clean(&v.method).trim_end_matches('.'),
            one_line(&v.verdict)
        ))),
        None => blocks.push(Block::Paragraph(
            "No comparison with a genuine product is recorded yet.".to_string(),
        )),
    }
    let comparisons: Vec<String> = p
        .files
        .iter()
        .filter(|f| f.kind == "comparison")
        .map(|f| format!("{} (SHA-256 {})", one_line(&f.name), one_line(&f.sha256)))
        .collect();
    if !comparisons.is_empty() {
        blocks.push(Block::Small(format!(
            "The written comparison is attached: {}.",
            comparisons.join("; ")
        )));
    }
    if !r.photos.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: "Photos of what was received".to_string(),
        });
        for (caption, bytes) in &r.photos {
            blocks.push(Block::Image {
                bytes: bytes.clone(),
                caption: one_line(caption),
            });
        }
    }
    blocks.push(Block::Heading {
        level: 2,
        text: "Signature or company seal of the rights holder".to_string(),
    });
    blocks.push(Block::Paragraph(format!(
        "I confirm on behalf of {} that the statements in this report are true and that the product received is not a genuine product of the rights holder.",
        one_line(&r.rights_holder)
    )));
    match &r.signer {
        Some(name) if !name.trim().is_empty() => blocks.push(Block::Signature {
            name: one_line(name),
            title: r.signer_title.as_deref().map(one_line),
            date: r.date.as_deref().map(one_line),
            place: None,
        }),
        _ => {
            blocks.push(Block::FillIn {
                label: "Signature".to_string(),
            });
            blocks.push(Block::FillIn {
                label: "Printed name and date".to_string(),
            });
        }
    }
    blocks.push(Block::FillIn {
        label: "Company seal".to_string(),
    });
    Section::new(
        format!("Test purchase report: order {}", one_line(&p.order_number)),
        blocks,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PurchaseFile, Verdict};

    #[test]
    fn the_report_names_the_order_the_listing_the_verdict_and_a_seal() {
        let r = TestBuyReport {
            purchase: Purchase {
                order_number: "3301\u{202E}99".into(),
                platform: "taobao".into(),
                amount: "149.00".into(),
                currency: "CNY".into(),
                verdict: Some(Verdict {
                    verdict: "counterfeit".into(),
                    by: "Jane Doe".into(),
                    method: "weighed and compared with a genuine unit.".into(),
                }),
                files: vec![PurchaseFile {
                    kind: "comparison".into(),
                    name: "comparison.pdf".into(),
                    sha256: "ab".repeat(32),
                    ..PurchaseFile::default()
                }],
                ..Purchase::default()
            },
            listing_url: Some("https://item.taobao.com/item.htm?id=1".into()),
            rights_holder: "Acme Lantern Co.".into(),
            ..TestBuyReport::default()
        };
        let s = test_buy_section(&r);
        assert_eq!(s.title, "Test purchase report: order 330199");
        let t = format!("{:?}", s.blocks);
        assert!(t.contains("Taobao") && t.contains("CNY 149.00"), "{t}");
        assert!(t.contains("against a genuine product: weighed and compared with a genuine unit. Result: counterfeit."), "{t}");
        assert!(t.contains("comparison.pdf"));
        assert!(t.contains("Company seal") && t.contains("Signature"), "{t}");
    }
}
