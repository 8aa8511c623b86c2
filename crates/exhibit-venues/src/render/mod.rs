//! Renderers: a [`Complaint`] into the layout-free document model of
//! `exhibit_domain::doc`. Nothing here knows about pages or PDF.
//!
//! All user and page text goes through [`crate::text::clean`] first: no control
//! characters or bidi overrides reach a document.

mod complaint;
mod declaration;
mod filing;
mod translation;

pub use complaint::{DMCA_ACCURACY, DMCA_GOOD_FAITH, DSA_BONA_FIDE, render_complaint};
pub use declaration::{DECLARATION_LIMIT, render_declaration, section_1746_statement};
pub use filing::{FilingBatch, FilingSheet, render_filing_sheet};
pub use translation::render_translation_certificate;

use exhibit_domain::Party;
use exhibit_domain::doc::Block;

use crate::resolve::{Complaint, Listing};
use crate::text::{clean, long_date, one_line};
use crate::validate::host_of;
use crate::venue::marketplace_label;

/// Where a listing is: the marketplace's name, or the URL's host.
pub(crate) fn marketplace_of(l: &Listing) -> String {
    match l
        .capture
        .marketplace
        .as_deref()
        .filter(|m| !m.trim().is_empty())
    {
        Some(m) => one_line(marketplace_label(m)),
        None => host_of(l.capture.listing_url()).unwrap_or_else(|| "unknown".to_string()),
    }
}

/// The distinct marketplaces of some listings, in first-seen order, as "Taobao and AliExpress".
pub(crate) fn marketplaces_phrase<'a>(listings: impl Iterator<Item = &'a Listing>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for l in listings {
        let m = marketplace_of(l);
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    join_and(&seen)
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A party's contact details as label and value pairs.
pub(crate) fn contact_fields(p: &Party) -> Vec<(String, String)> {
    let mut f = vec![("Name".to_string(), one_line(&p.name))];
    let optional = [
        ("Organisation", &p.organization),
        ("Address", &p.address),
        ("Phone", &p.phone),
        ("Email", &p.email),
    ];
    for (label, value) in optional {
        if let Some(v) = value {
            f.push((label.to_string(), clean(v)));
        }
    }
    f
}

/// "Jane Doe (Acme Lantern Co.)".
pub(crate) fn party_line(p: &Party) -> String {
    match &p.organization {
        Some(o) if o.trim() != p.name.trim() => format!("{} ({})", one_line(&p.name), one_line(o)),
        _ => one_line(&p.name),
    }
}

/// The table of listings most complaints carry.
/// The cells every listing table opens with: exhibit, marketplace, listing id, seller.
pub(crate) fn listing_cells(l: &Listing) -> Vec<String> {
    vec![
        format!("Exhibit {}", l.exhibit),
        marketplace_of(l),
        l.capture
            .listing_id
            .as_deref()
            .map(one_line)
            .unwrap_or_default(),
        l.capture
            .seller
            .as_deref()
            .map(one_line)
            .unwrap_or_default(),
    ]
}

pub(crate) fn listing_table<'a>(
    c: &Complaint,
    listings: impl Iterator<Item = &'a Listing>,
) -> Block {
    let rows = listings
        .map(|l| {
            let mut row = listing_cells(l);
            row.extend([
                one_line(l.capture.listing_url()),
                right_label(c, &l.right),
                l.infringement.description().to_string(),
            ]);
            row
        })
        .collect();
    Block::Table {
        header: [
            "Exhibit",
            "Marketplace",
            "Listing",
            "Seller",
            "URL",
            "Right",
            "Infringement",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        widths: vec![1.0, 1.2, 1.3, 1.3, 3.2, 1.0, 1.5],
    }
}

/// The right's id, as a table cell.
pub(crate) fn right_label(c: &Complaint, id: &str) -> String {
    c.right(id)
        .map(|r| one_line(&r.id))
        .unwrap_or_else(|| one_line(id))
}

/// The table of the rights the listings name.
pub(crate) fn rights_table(c: &Complaint) -> Block {
    table_of_rights(c.rights_used())
}

/// The table of every right in the complaint, for letters that set out the portfolio.
pub(crate) fn all_rights_table(c: &Complaint) -> Block {
    table_of_rights(c.rights.iter().collect())
}

fn table_of_rights(rights: Vec<&crate::resolve::Right>) -> Block {
    let rows = rights
        .into_iter()
        .map(|r| {
            vec![
                one_line(&r.id),
                crate::resolve::kind_label(r.right.kind).to_string(),
                one_line(&r.right.registration_number),
                one_line(&r.right.office),
                one_line(&r.right.classes.join(", ")),
                one_line(&r.right.owner),
            ]
        })
        .collect();
    Block::Table {
        header: ["Id", "Kind", "Registration", "Office", "Classes", "Owner"]
            .map(String::from)
            .to_vec(),
        rows,
        widths: vec![0.8, 1.0, 1.5, 1.0, 1.0, 2.0],
    }
}

/// The signature block, when the complaint is signed.
pub(crate) fn signature_blocks(c: &Complaint) -> Vec<Block> {
    match &c.signature {
        Some(s) if !s.name.trim().is_empty() => vec![
            Block::Space(12.0),
            Block::Paragraph(format!("/s/ {}", one_line(&s.name))),
            Block::Signature {
                name: one_line(&s.name),
                title: s.title.as_deref().map(one_line),
                date: s.date.as_deref().map(long_date),
                place: s.place.as_deref().map(one_line),
            },
        ],
        _ => vec![
            Block::Space(12.0),
            Block::FillIn {
                label: "Signature".to_string(),
            },
            Block::FillIn {
                label: "Name and date".to_string(),
            },
        ],
    }
}

/// The signature date, printed long, when there is one.
pub(crate) fn signature_date(c: &Complaint) -> Option<String> {
    c.signature
        .as_ref()
        .and_then(|s| s.date.as_deref())
        .filter(|d| !d.trim().is_empty())
        .map(long_date)
}
