//! The filing sheet: for a portal venue, the exact value of every form field, batch by
//! batch, in the order the form asks for them, with the URLs ready to paste and the
//! exhibit files to upload.

use exhibit_domain::IpRightKind;
use exhibit_domain::doc::{Block, Section};
use serde::{Deserialize, Serialize};

use crate::batch::{Batch, batches};
use crate::names::artifact_file_name;
use crate::resolve::{Complaint, Listing, Right, kind_label};
use crate::text::{clean, exhibit_list, one_line};
use crate::venue::Venue;

/// What to enter in a portal's form, for every batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilingSheet {
    pub venue: Venue,
    /// "Alibaba IPP".
    pub title: String,
    pub batches: Vec<FilingBatch>,
}

/// One filing: form values, URLs and uploads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilingBatch {
    /// 1-based.
    pub number: usize,
    /// (the form's field label, the exact value), in the form's order.
    pub fields: Vec<(String, String)>,
    /// The listing URLs, in exhibit order.
    pub urls: Vec<String>,
    /// Exhibit files to upload as supporting evidence, named by
    /// [`crate::exhibit_file_name`].
    pub uploads: Vec<String>,
}

impl FilingBatch {
    /// The URLs one per line, with a trailing newline, ready to paste.
    pub fn urls_text(&self) -> String {
        let mut s = String::new();
        for u in &self.urls {
            s.push_str(u);
            s.push('\n');
        }
        s
    }
}

impl FilingSheet {
    /// What a filing is called on this portal.
    fn noun(&self) -> &'static str {
        match self.venue {
            Venue::Amazon => "Report",
            Venue::EbayVero => "Notice",
            _ => "Complaint",
        }
    }

    /// The sheet as a document section.
    pub fn to_sections(&self) -> Vec<Section> {
        let n = self.batches.len();
        let how_many = if n == 1 {
            String::new()
        } else {
            format!(
                ", one {} for each of the {n} below",
                self.noun().to_lowercase()
            )
        };
        let mut blocks = vec![Block::Paragraph(format!(
            "Enter these values in the {} form{how_many}. The URLs are listed one per line, ready to paste. Upload the files named, which are in the evidence bundle.",
            self.title,
        ))];
        for b in &self.batches {
            blocks.push(Block::Heading {
                level: 2,
                text: format!("{} {} of {n}", self.noun(), b.number),
            });
            blocks.push(Block::Fields(b.fields.clone()));
            blocks.push(Block::Heading {
                level: 3,
                text: format!("URLs ({})", b.urls.len()),
            });
            blocks.push(Block::Mono(b.urls_text()));
            if !b.uploads.is_empty() {
                blocks.push(Block::Heading {
                    level: 3,
                    text: "Files to upload".to_string(),
                });
                blocks.push(Block::List(b.uploads.clone()));
            }
        }
        vec![Section::new(
            format!("Filing sheet: {}", self.title),
            blocks,
        )]
    }
}

/// The filing sheet, for the portal venues (Alibaba IPP, Amazon, eBay VeRO) only.
pub fn render_filing_sheet(c: &Complaint) -> Option<FilingSheet> {
    if !c.venue.is_portal() {
        return None;
    }
    let batches = batches(c);
    let batches = batches
        .iter()
        .map(|b| FilingBatch {
            number: b.number,
            fields: match c.venue {
                Venue::AlibabaIpp => alibaba_fields(c, b),
                Venue::Amazon => amazon_fields(c, b),
                _ => ebay_fields(c, b),
            },
            urls: b
                .listings
                .iter()
                .map(|l| one_line(l.capture.listing_url()))
                .collect(),
            uploads: b.listings.iter().filter_map(upload_for).collect(),
        })
        .collect();
    Some(FilingSheet {
        venue: c.venue,
        title: c.venue.title().to_string(),
        batches,
    })
}

/// The one file a reviewer looks at for a listing: the screenshot, else the page as
/// PDF, else the body as received.
fn upload_for(l: &Listing) -> Option<String> {
    ["screenshot", "pdf", "body"]
        .iter()
        .find_map(|k| l.capture.artifact(k))
        .map(|a| artifact_file_name(l.exhibit, a))
}

fn field(label: &str, value: impl Into<String>) -> (String, String) {
    (label.to_string(), value.into())
}

fn batch_right<'a>(c: &'a Complaint, b: &Batch) -> Vec<&'a Right> {
    let mut ids: Vec<&str> = Vec::new();
    for l in &b.listings {
        if !ids.contains(&l.right.as_str()) {
            ids.push(&l.right);
        }
    }
    ids.iter().filter_map(|id| c.right(id)).collect()
}

fn supplement(c: &Complaint, b: &Batch) -> String {
    let mut s = c.narrative.as_deref().map(clean).unwrap_or_default();
    let refs = format!(
        "Evidence: {} of the attached packet, each captured with its time, URL and SHA-256 hashes.",
        exhibit_list(&b.exhibits())
    );
    if !s.is_empty() {
        s.push(' ');
    }
    s.push_str(&refs);
    s
}

fn opt(v: &Option<String>) -> String {
    v.as_deref().map(one_line).unwrap_or_default()
}

fn alibaba_fields(c: &Complaint, b: &Batch) -> Vec<(String, String)> {
    let a = c.alibaba.clone().unwrap_or_default();
    let rights = batch_right(c, b);
    let mut f = vec![
        field("Account: identity proof", opt(&a.identity_proof)),
        field(
            "IPR record",
            rights
                .iter()
                .map(|r| format!("{} ({})", r.summary(), one_line(&r.id)))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        field(
            "IPR owner",
            rights
                .iter()
                .map(|r| one_line(&r.right.owner))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        field(
            "IPR certificate",
            rights
                .iter()
                .flat_map(|r| r.certificates.iter().map(|x| one_line(x)))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ];
    if c.agent.is_some() {
        f.push(field("Power of attorney", opt(&a.power_of_attorney)));
    }
    f.extend([
        field(
            "Platform",
            a.platform
                .map(|p| p.label().to_string())
                .unwrap_or_default(),
        ),
        field(
            "Complaint type",
            c.complaint_type
                .map(|t| t.label().to_string())
                .unwrap_or_default(),
        ),
        field("Reason", opt(&a.reason)),
        field(
            "Infringing links",
            format!("{} URLs, one per line (below)", b.listings.len()),
        ),
        field("Supplementary explanation", supplement(c, b)),
    ]);
    f
}

fn amazon_fields(c: &Complaint, b: &Batch) -> Vec<(String, String)> {
    let a = c.amazon.clone().unwrap_or_default();
    let filer = c.filer();
    let rights = batch_right(c, b);
    let right = rights.first();
    let kind = right.map(|r| r.right.kind);
    let mut f = vec![
        field(
            "I am",
            if c.agent.is_some() {
                "An agent of the rights owner"
            } else {
                "The rights owner"
            },
        ),
        field(
            "Rights owner",
            one_line(
                &c.rights_holder
                    .organization
                    .clone()
                    .unwrap_or_else(|| c.rights_holder.name.clone()),
            ),
        ),
        field("Your name", one_line(&filer.name)),
        field("Company", opt(&filer.organization)),
        field("Address", opt(&filer.address)),
        field("Phone", opt(&filer.phone)),
        field("Email", opt(&filer.email)),
        field(
            "Marketplace",
            a.marketplace_country
                .as_deref()
                .map(crate::text::normalise_country)
                .unwrap_or_default(),
        ),
        field(
            "Type of IP concern",
            kind.map(kind_label).unwrap_or_default(),
        ),
    ];
    match (kind, right) {
        (Some(IpRightKind::Copyright), Some(r)) => {
            f.push(field(
                "Copyright registration number",
                one_line(&r.right.registration_number),
            ));
            f.push(field(
                "Description of the copyrighted work",
                opt(&r.work_description),
            ));
            f.push(field("Link to the copyrighted work", opt(&r.work_link)));
        }
        (_, Some(r)) => {
            f.push(field(
                "Registration number",
                one_line(&r.right.registration_number),
            ));
            f.push(field("Registration office", one_line(&r.right.office)));
        }
        _ => {}
    }
    f.push(field(
        "Where the infringement is",
        a.where_found
            .iter()
            .map(|w| w.label())
            .collect::<Vec<_>>()
            .join(", "),
    ));
    f.push(field(
        "Violation type",
        b.infringement
            .map(|i| i.description().to_string())
            .unwrap_or_default(),
    ));
    f.push(field(
        "ASINs",
        b.listings
            .iter()
            .filter_map(|l| l.capture.listing_id.as_deref().map(one_line))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    f.push(field(
        "Test-buy order IDs",
        a.test_buy_orders
            .iter()
            .map(|o| one_line(o))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    f.push(field("Additional information", supplement(c, b)));
    f.push(field(
        "Electronic signature",
        c.signature
            .as_ref()
            .map(|s| one_line(&s.name))
            .unwrap_or_default(),
    ));
    f
}

fn ebay_fields(c: &Complaint, b: &Batch) -> Vec<(String, String)> {
    let e = c.ebay.clone().unwrap_or_default();
    let filer = c.filer();
    let rights = batch_right(c, b);
    let mut f = vec![field(
        "Rights owner",
        one_line(
            &c.rights_holder
                .organization
                .clone()
                .unwrap_or_else(|| c.rights_holder.name.clone()),
        ),
    )];
    if let Some(agent) = &c.agent {
        f.push(field("Agent", super::party_line(agent)));
    }
    f.extend([
        field("Contact name", one_line(&filer.name)),
        field("Address", opt(&filer.address)),
        field("Email", opt(&filer.email)),
        field("Phone", opt(&filer.phone)),
        field("Reason code", b.reason_code.clone().unwrap_or_default()),
        field(
            "Item numbers",
            b.listings
                .iter()
                .filter_map(|l| l.capture.listing_id.as_deref().map(one_line))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        field(
            "IP registration number",
            rights
                .iter()
                .map(|r| one_line(&r.right.registration_number))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        field(
            "Jurisdiction",
            rights
                .iter()
                .map(|r| one_line(&r.right.office))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        field("Brand", opt(&e.brand)),
        field(
            "Message to seller",
            e.message_to_seller
                .as_deref()
                .map(clean)
                .unwrap_or_default(),
        ),
        field("Explanation", supplement(c, b)),
        field(
            "Signature",
            c.signature
                .as_ref()
                .map(|s| one_line(&s.name))
                .unwrap_or_default(),
        ),
        field(
            "Date",
            c.signature
                .as_ref()
                .and_then(|s| s.date.as_deref())
                .map(one_line)
                .unwrap_or_default(),
        ),
    ]);
    f
}
