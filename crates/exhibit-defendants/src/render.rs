//! The filing's sections in the layout-free document model: Schedule A, the master
//! index, one exhibit per defendant, the joinder report, and the paragraphs the
//! investigator's declaration adds about each defendant and each test purchase.

use std::collections::BTreeMap;

use exhibit_domain::doc::{Block, Section};
use exhibit_venues::marketplace_label;
use exhibit_venues::text::{exhibit_list, one_line, plural, thousands};

use crate::gaps::in_forum;
use crate::joinder::Pair;
use crate::model::{Defendant, EvidencePage, Purchase};
use crate::schedule::schedule_rows;

/// The title of the master index section.
pub const MASTER_INDEX_TITLE: &str = "Master index of defendants";

/// Where a defendant's exhibit landed in the packet: its pages and Bates range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// "12–15" or "12".
    pub pages: String,
    /// "ACME000012 to ACME000015".
    pub bates: String,
}

fn h(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

/// Schedule A as a table.
pub fn schedule_section(defendants: &[Defendant]) -> Section {
    let rows: Vec<Vec<String>> = schedule_rows(defendants)
        .into_iter()
        .map(|r| {
            vec![
                r.doe.to_string(),
                r.alias,
                r.seller_id,
                r.store_url,
                r.marketplace,
                r.listing_urls.join("\n"),
            ]
        })
        .collect();
    Section::new(
        "Schedule A",
        vec![
            Block::Paragraph(format!(
                "The {} defendant{} below, each identified by the alias it sells under, its seller id on the marketplace, its store and the listings captured. The same list is in the bundle as schedule-a.csv.",
                thousands(defendants.len()),
                plural(defendants.len())
            )),
            Block::Table {
                header: crate::schedule::CSV_HEADER.map(String::from).to_vec(),
                rows,
                widths: vec![0.5, 1.6, 1.3, 2.0, 1.0, 2.8],
            },
        ],
    )
}

/// The master index: every defendant with its exhibits, pages and Bates range. A
/// defendant missing from `placed` prints a placeholder of the same width, for the
/// first layout pass.
pub fn master_index(defendants: &[Defendant], placed: &BTreeMap<usize, Placement>) -> Section {
    let rows = defendants
        .iter()
        .map(|d| {
            let p = placed.get(&d.doe);
            vec![
                d.label(),
                one_line(&d.alias),
                exhibit_list(&d.exhibits()),
                p.map_or_else(|| "0000–0000".to_string(), |p| p.pages.clone()),
                p.map_or_else(
                    || "__________ to __________".to_string(),
                    |p| p.bates.clone(),
                ),
            ]
        })
        .collect();
    Section::new(
        MASTER_INDEX_TITLE,
        vec![
            Block::Paragraph(
                "Each defendant's exhibit, in the order of Schedule A, with the packet pages and Bates numbers it occupies.".to_string(),
            ),
            Block::Table {
                header: ["Defendant", "Alias", "Exhibits", "Pages", "Bates range"]
                    .map(String::from)
                    .to_vec(),
                rows,
                widths: vec![0.9, 1.8, 1.4, 0.9, 2.4],
            },
        ],
    )
}

/// One defendant's exhibit, in the fixed order: on its first page who the defendant is
/// and the right it infringes; then each listing; the storefront with its location; the
/// checkout shipping to the forum; each test purchase with its order confirmation.
pub fn defendant_section(d: &Defendant, forum: &str) -> Section {
    let mut blocks = Vec::new();
    let mut who = vec![
        ("Defendant".to_string(), d.label()),
        ("Seller alias".to_string(), one_line(&d.alias)),
        (
            "Marketplace".to_string(),
            marketplace_label(&d.marketplace).to_string(),
        ),
    ];
    if let Some(id) = &d.seller_id {
        who.push(("Seller ID".to_string(), one_line(id)));
    }
    if let Some(u) = &d.store_url {
        who.push(("Store".to_string(), one_line(u)));
    }
    let mut rights: Vec<String> = Vec::new();
    for l in &d.listings {
        let r = one_line(&l.right);
        if !r.is_empty() && !rights.contains(&r) {
            rights.push(r);
        }
    }
    who.push(("Right infringed".to_string(), rights.join("\n")));
    who.push(("Exhibits".to_string(), exhibit_list(&d.exhibits())));
    blocks.push(Block::Fields(who));
    let mut parts: Vec<String> = d
        .listings
        .iter()
        .map(|l| format!("The listing {}", one_line(&l.url)))
        .collect();
    if d.storefront.is_some() {
        parts.push("The storefront, showing where the seller is".to_string());
    }
    if d.checkout.is_some() {
        parts.push(format!("The checkout, shipping to {forum}"));
    }
    for p in &d.purchases {
        parts.push(format!(
            "Test purchase, order {}",
            one_line(&p.order_number)
        ));
    }
    blocks.push(h(2, "What this exhibit shows"));
    blocks.push(Block::List(parts));

    for l in &d.listings {
        blocks.push(Block::PageBreak);
        blocks.push(h(2, part_title("Listing", l.exhibit)));
        let mut f = vec![
            ("URL".to_string(), one_line(&l.url)),
            ("Captured".to_string(), one_line(&l.captured_at)),
            ("Status".to_string(), one_line(&l.status)),
        ];
        if let Some(t) = &l.title {
            f.push(("Title".to_string(), one_line(t)));
        }
        if let (Some(p), Some(c)) = (&l.price, &l.currency) {
            f.push((
                "Price".to_string(),
                format!("{} {}", one_line(c), one_line(p)),
            ));
        }
        blocks.push(Block::Fields(f));
        screenshot(&mut blocks, l.screenshot.as_deref(), l.exhibit);
    }
    if let Some(s) = &d.storefront {
        blocks.push(Block::PageBreak);
        blocks.push(h(2, part_title("Storefront", s.exhibit)));
        let mut f = page_fields(s);
        if let Some(store) = &s.store {
            for (label, v) in [
                ("Shop name", &store.shop_name),
                ("Business name", &store.business_name),
                ("Business address", &store.address),
                ("Location", &store.location),
                ("Rating", &store.rating),
                ("Opened", &store.opened),
            ] {
                if let Some(v) = v.as_deref().map(one_line).filter(|v| !v.is_empty()) {
                    f.push((label.to_string(), v));
                }
            }
        }
        blocks.push(Block::Fields(f));
        screenshot(&mut blocks, s.screenshot.as_deref(), s.exhibit);
    }
    if let Some(c) = &d.checkout {
        blocks.push(Block::PageBreak);
        blocks.push(h(2, part_title("Checkout", c.exhibit)));
        let mut f = page_fields(c);
        if let Some(co) = &c.checkout {
            if let Some(v) = co.ship_to.as_deref().map(one_line) {
                f.push(("Ships to".to_string(), v));
            }
            if let Some(r) = &co.ship_to_region {
                let note = if in_forum(Some(r), forum) {
                    format!("{r}, in the forum")
                } else {
                    format!("{r}, outside the forum ({forum})")
                };
                f.push(("Region".to_string(), note));
            }
            if let (Some(t), Some(cur)) = (&co.total, &co.currency) {
                f.push((
                    "Total".to_string(),
                    format!("{} {}", one_line(cur), one_line(t)),
                ));
            }
        }
        blocks.push(Block::Fields(f));
        screenshot(&mut blocks, c.screenshot.as_deref(), c.exhibit);
    }
    for p in &d.purchases {
        blocks.push(Block::PageBreak);
        blocks.push(h(
            2,
            format!("Test purchase: order {}", one_line(&p.order_number)),
        ));
        blocks.push(Block::Fields(purchase_fields(p)));
        let orders: Vec<_> = p.files.iter().filter(|f| f.kind == "order").collect();
        if orders.is_empty() {
            blocks.push(Block::Small(
                "No order confirmation is attached to this purchase in the case.".to_string(),
            ));
        }
        for f in orders {
            match &f.picture {
                Some(key) => blocks.push(Block::ImageRef {
                    key: key.clone(),
                    caption: format!(
                        "Order confirmation {} (SHA-256 {}), in the bundle as {}",
                        one_line(&f.name),
                        one_line(&f.sha256),
                        one_line(&f.bundle_path)
                    ),
                }),
                None => blocks.push(Block::Small(format!(
                    "The order confirmation {} ({}, SHA-256 {}) is in the bundle as {}.",
                    one_line(&f.name),
                    one_line(&f.media_type),
                    one_line(&f.sha256),
                    one_line(&f.bundle_path)
                ))),
            }
        }
    }
    Section::new(d.section_title(), blocks)
}

fn part_title(what: &str, exhibit: Option<usize>) -> String {
    match exhibit {
        Some(n) => format!("{what} (Exhibit {n})"),
        None => what.to_string(),
    }
}

fn page_fields(p: &EvidencePage) -> Vec<(String, String)> {
    vec![
        ("URL".to_string(), one_line(&p.url)),
        ("Captured".to_string(), one_line(&p.captured_at)),
    ]
}

fn screenshot(blocks: &mut Vec<Block>, key: Option<&str>, exhibit: Option<usize>) {
    match key {
        Some(k) => blocks.push(Block::ImageRef {
            key: k.to_string(),
            caption: match exhibit {
                Some(n) => format!("Screenshot of Exhibit {n}, as captured"),
                None => "Screenshot, as captured".to_string(),
            },
        }),
        None => blocks.push(Block::Small(
            "This capture has no screenshot (a quick HTTP capture keeps the page as the server sent it; the bundle holds it).".to_string(),
        )),
    }
}

fn purchase_fields(p: &Purchase) -> Vec<(String, String)> {
    let mut f = vec![
        ("Order number".to_string(), one_line(&p.order_number)),
        ("Ordered on".to_string(), one_line(&p.ordered_on)),
        (
            "Platform".to_string(),
            marketplace_label(&p.platform).to_string(),
        ),
    ];
    if let Some(b) = &p.buyer {
        f.push(("Buyer account".to_string(), one_line(b)));
    }
    f.push((
        "Amount".to_string(),
        format!("{} {}", one_line(&p.currency), one_line(&p.amount)),
    ));
    let mut to = one_line(&p.ship_to);
    if let Some(r) = &p.ship_to_region {
        to.push_str(&format!(" ({r})"));
    }
    f.push(("Shipped to".to_string(), to));
    for (label, v) in [
        ("Shipped from", &p.ship_from),
        ("Carrier", &p.carrier),
        ("Tracking", &p.tracking),
        ("Delivered on", &p.delivered_on),
    ] {
        if let Some(v) = v.as_deref().map(one_line).filter(|v| !v.is_empty()) {
            f.push((label.to_string(), v));
        }
    }
    if let Some(v) = &p.verdict {
        f.push((
            "Verdict".to_string(),
            format!(
                "{}, by {}: {}",
                one_line(&v.verdict),
                one_line(&v.by),
                one_line(&v.method)
            ),
        ));
    }
    if !p.custody.is_empty() {
        f.push((
            "Item custody".to_string(),
            p.custody
                .iter()
                .map(|c| {
                    let mut s = format!(
                        "{}: {} to {}, {}",
                        one_line(&c.at),
                        one_line(&c.from),
                        one_line(&c.to),
                        one_line(&c.place)
                    );
                    if let Some(seal) = &c.seal {
                        s.push_str(&format!(", seal {}", one_line(seal)));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    f
}

/// The joinder report: for every pair, what the pages show they share and what differs.
/// It concludes nothing; the lawyer decides.
pub fn joinder_section(defendants: &[Defendant], pairs: &[Pair]) -> Section {
    let alias: BTreeMap<usize, String> = defendants
        .iter()
        .map(|d| (d.doe, one_line(&d.alias)))
        .collect();
    let name = |doe: usize| match alias.get(&doe) {
        Some(a) => format!("Doe {doe} ({a})"),
        None => format!("Doe {doe}"),
    };
    let sharing = pairs
        .iter()
        .filter(|p| p.shared.iter().any(|f| f.what != "marketplace"))
        .count();
    let list = |facts: &[crate::joinder::Fact]| {
        if facts.is_empty() {
            "nothing the pages show".to_string()
        } else {
            facts
                .iter()
                .map(|f| f.detail.clone())
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    let rows = pairs
        .iter()
        .map(|p| {
            vec![
                format!("{}\n{}", name(p.a), name(p.b)),
                list(&p.shared),
                list(&p.differs),
            ]
        })
        .collect();
    Section::new(
        "Joinder report",
        vec![
            Block::Paragraph(format!(
                "For each pair of the {} defendants, the facts their captured pages and test purchases share and the facts that differ: the same product image (by perceptual hash), the same price, the same title text, the same shown address, and where test purchases shipped from. {} of {} pair{} share more than the marketplace. This report states what the evidence shows both ways and draws no conclusion; whether the defendants may be joined is for counsel and the court.",
                thousands(defendants.len()),
                thousands(sharing),
                thousands(pairs.len()),
                plural(pairs.len()),
            )),
            Block::Table {
                header: ["Pair", "Shared", "Different"].map(String::from).to_vec(),
                rows,
                widths: vec![1.4, 3.0, 3.0],
            },
        ],
    )
}

/// The paragraphs the investigator's declaration adds for a Schedule A filing: which
/// exhibits show which defendant, and each test purchase as made.
pub fn declaration_paragraphs(defendants: &[Defendant], forum: &str) -> Vec<String> {
    let mut out = Vec::new();
    for d in defendants {
        let mut s = format!(
            "{} sells on {} as {}",
            d.label(),
            marketplace_label(&d.marketplace),
            one_line(&d.alias)
        );
        if let Some(id) = &d.seller_id {
            s.push_str(&format!(" (seller id {})", one_line(id)));
        }
        s.push_str(&format!(
            ". Its exhibit is made of the captures attached as {}: ",
            exhibit_list(&d.exhibits())
        ));
        let mut what: Vec<String> = Vec::new();
        let listing_exhibits: Vec<usize> = d.listings.iter().filter_map(|l| l.exhibit).collect();
        if !listing_exhibits.is_empty() {
            what.push(format!(
                "{} of its listing{}",
                exhibit_list(&listing_exhibits),
                plural(listing_exhibits.len())
            ));
        }
        if let Some(n) = d.storefront.as_ref().and_then(|p| p.exhibit) {
            what.push(format!("Exhibit {n} of its storefront"));
        }
        if let Some(n) = d.checkout.as_ref().and_then(|p| p.exhibit) {
            what.push(format!("Exhibit {n} of its checkout"));
        }
        s.push_str(&what.join(", "));
        s.push('.');
        out.push(s);
        for p in &d.purchases {
            out.push(purchase_paragraph(d, p, forum));
        }
    }
    out
}

fn purchase_paragraph(d: &Defendant, p: &Purchase, forum: &str) -> String {
    let mut s = format!(
        "On {}, order {} was placed with {} on {}",
        one_line(&p.ordered_on),
        one_line(&p.order_number),
        d.label(),
        marketplace_label(&p.platform)
    );
    if let Some(b) = &p.buyer {
        s.push_str(&format!(" from the buyer account {}", one_line(b)));
    }
    s.push_str(&format!(
        ", for {} {}, to be shipped to {}",
        one_line(&p.currency),
        one_line(&p.amount),
        one_line(&p.ship_to)
    ));
    if in_forum(p.ship_to_region.as_deref(), forum) {
        s.push_str(&format!(", in {forum}"));
    }
    s.push('.');
    if let Some(from) = &p.ship_from {
        s.push_str(&format!(" It was shipped from {}", one_line(from)));
        match (&p.carrier, &p.tracking) {
            (Some(c), Some(t)) => {
                s.push_str(&format!(" by {} (tracking {})", one_line(c), one_line(t)))
            }
            (Some(c), None) => s.push_str(&format!(" by {}", one_line(c))),
            _ => {}
        }
        s.push('.');
    }
    if let Some(on) = &p.delivered_on {
        s.push_str(&format!(" It was delivered on {}.", one_line(on)));
    }
    if !p.files.is_empty() {
        s.push_str(&format!(
            " {} file{} of the purchase {} kept in the case, each hashed with SHA-256 when attached: {}.",
            thousands(p.files.len()),
            plural(p.files.len()),
            if p.files.len() == 1 { "is" } else { "are" },
            p.files
                .iter()
                .map(|f| format!("{} {} ({})", one_line(&f.kind), one_line(&f.name), one_line(&f.sha256)))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if let Some(v) = &p.verdict {
        s.push_str(&format!(
            " {} compared the item received with a genuine one ({}) and found it {}.",
            one_line(&v.by),
            one_line(&v.method),
            one_line(&v.verdict)
        ));
    }
    if !p.custody.is_empty() {
        s.push_str(&format!(
            " The item's {} handover{} {} recorded in the case's custody log.",
            thousands(p.custody.len()),
            plural(p.custody.len()),
            if p.custody.len() == 1 { "is" } else { "are" }
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DefendantListing, PurchaseFile, Verdict};
    use exhibit_domain::{CheckoutFacts, StoreFacts};

    fn doe() -> Defendant {
        Defendant {
            doe: 1,
            marketplace: "aliexpress".into(),
            seller_id: Some("1101".into()),
            alias: "Lantern\u{202E} Store".into(),
            store_url: Some("https://www.aliexpress.com/store/1101".into()),
            listings: vec![DefendantListing {
                exhibit: Some(1),
                url: "https://www.aliexpress.com/item/1.html".into(),
                right: "TM-US: Trademark 1234567 (USPTO)".into(),
                screenshot: Some("7".into()),
                ..DefendantListing::default()
            }],
            storefront: Some(EvidencePage {
                exhibit: Some(2),
                store: Some(StoreFacts {
                    location: Some("Guangdong, China".into()),
                    ..StoreFacts::default()
                }),
                ..EvidencePage::default()
            }),
            checkout: Some(EvidencePage {
                exhibit: Some(3),
                checkout: Some(CheckoutFacts {
                    ship_to_region: Some("US-IL".into()),
                    ..CheckoutFacts::default()
                }),
                ..EvidencePage::default()
            }),
            purchases: vec![Purchase {
                order_number: "8100".into(),
                ordered_on: "2026-11-02".into(),
                platform: "aliexpress".into(),
                amount: "12.50".into(),
                currency: "USD".into(),
                ship_to: "Chicago, IL, US".into(),
                ship_to_region: Some("US-IL".into()),
                verdict: Some(Verdict {
                    verdict: "counterfeit".into(),
                    by: "Jane Doe".into(),
                    method: "side by side".into(),
                }),
                files: vec![PurchaseFile {
                    kind: "order".into(),
                    name: "order.png".into(),
                    picture: Some("purchase-file:4".into()),
                    ..PurchaseFile::default()
                }],
                ..Purchase::default()
            }],
            ..Defendant::default()
        }
    }

    fn text(blocks: &[Block]) -> String {
        format!("{blocks:?}")
    }

    #[test]
    fn a_defendant_exhibit_is_in_the_fixed_order_with_the_right_first() {
        let s = defendant_section(&doe(), "US-IL");
        assert_eq!(s.title, "Doe 1: Lantern Store");
        let Block::Fields(first) = &s.blocks[0] else {
            panic!("{:?}", s.blocks[0]);
        };
        assert!(
            first
                .iter()
                .any(|(k, v)| k == "Right infringed" && v.starts_with("TM-US"))
        );
        let t = text(&s.blocks);
        let order = [
            "Listing (Exhibit 1)",
            "Storefront (Exhibit 2)",
            "Checkout (Exhibit 3)",
            "Test purchase: order 8100",
            "purchase-file:4",
        ];
        let at: Vec<usize> = order
            .iter()
            .map(|o| t.find(o).unwrap_or(usize::MAX))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        assert!(t.contains("US-IL, in the forum"));
    }

    #[test]
    fn the_index_has_a_placeholder_until_placed() {
        let d = doe();
        let s = master_index(std::slice::from_ref(&d), &BTreeMap::new());
        assert!(text(&s.blocks).contains("0000–0000"));
        let placed = BTreeMap::from([(
            1,
            Placement {
                pages: "5–9".into(),
                bates: "A000005 to A000009".into(),
            },
        )]);
        let s = master_index(&[d], &placed);
        let t = text(&s.blocks);
        assert!(
            t.contains("5–9") && t.contains("A000005 to A000009") && t.contains("Exhibits 1–3"),
            "{t}"
        );
    }

    #[test]
    fn the_declaration_says_what_each_exhibit_shows_and_each_purchase() {
        let p = declaration_paragraphs(&[doe()], "US-IL");
        assert_eq!(p.len(), 2);
        assert!(
            p[0].contains(
                "Exhibit 1 of its listing, Exhibit 2 of its storefront, Exhibit 3 of its checkout"
            ),
            "{}",
            p[0]
        );
        assert!(
            p[1].contains("order 8100")
                && p[1].contains("in US-IL")
                && p[1].contains("found it counterfeit"),
            "{}",
            p[1]
        );
    }
}
