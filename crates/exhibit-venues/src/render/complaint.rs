//! The complaint text, one renderer per venue.

use exhibit_domain::IpRightKind;
use exhibit_domain::doc::{Block, Section};

use super::{
    all_rights_table, contact_fields, join_and, listing_cells, listing_table, marketplaces_phrase,
    party_line, rights_table, signature_blocks, signature_date,
};
use crate::batch::batches;
use crate::resolve::{Complaint, Listing, kind_label};
use crate::text::{clean, exhibit_list, one_line, plural, thousands};
use crate::validate::{host_matches, host_of};
use crate::venue::{Addressee, MarketKind, Venue};

/// The complaint for the complaint's venue. Listings are referred to by exhibit
/// number ("Exhibit 3").
pub fn render_complaint(c: &Complaint) -> Vec<Section> {
    match c.venue {
        Venue::AlibabaIpp | Venue::Amazon | Venue::EbayVero => vec![portal_summary(c)],
        Venue::Dmca => vec![dmca(c)],
        Venue::EuDsa => vec![dsa(c)],
        Venue::UstrNotoriousMarkets => vec![ustr(c)],
        Venue::AgencyLetter => agency(c),
        Venue::ScheduleA => vec![schedule_a(c)],
    }
}

// ---- Schedule A: the filing's summary; the defendants' table, exhibits and report
// come from exhibit-defendants, which has the case's storefronts and purchases ----

fn schedule_a(c: &Complaint) -> Section {
    let sa = c.schedule_a.clone().unwrap_or_default();
    let live: Vec<&Listing> = c.live_listings().collect();
    let mut fields: Vec<(String, String)> = vec![(
        "Court".to_string(),
        sa.court
            .as_deref()
            .map(one_line)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "______________________________".to_string()),
    )];
    if let Some(n) = sa
        .case_number
        .as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty())
    {
        fields.push(("Case number".to_string(), n));
    }
    fields.push(("Plaintiff".to_string(), party_line(&c.rights_holder)));
    if let Some(a) = &c.agent {
        fields.push(("Counsel or agent".to_string(), party_line(a)));
    }
    fields.push((
        "Forum".to_string(),
        one_line(
            sa.forum
                .as_deref()
                .unwrap_or(crate::venue::SCHEDULE_A_DEFAULT_FORUM),
        ),
    ));
    fields.push((
        "Listings".to_string(),
        format!(
            "{} listing{} on {}",
            thousands(live.len()),
            plural(live.len()),
            marketplaces_phrase(live.iter().copied())
        ),
    ));
    let mut blocks = vec![
        Block::Fields(fields),
        h(2, "Rights asserted"),
        rights_table(c),
    ];
    blocks.extend(narrative_blocks(c, "The infringement"));
    blocks.push(p(
        "Schedule A names each defendant by the alias it sells under, its seller id and store, with the listings captured. Each defendant's exhibit follows in the same order, listed with its pages in the master index; the investigator's declaration says how every page was captured and every test purchase made.",
    ));
    Section::new("Schedule A filing", blocks)
}

fn h(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

fn p(text: impl Into<String>) -> Block {
    Block::Paragraph(text.into())
}

fn exhibits_of<'a>(listings: impl Iterator<Item = &'a Listing>) -> Vec<usize> {
    listings.map(|l| l.exhibit).collect()
}

/// A paragraph on the takedown proofs, when there are any.
fn takedown_paragraph(c: &Complaint) -> Option<Block> {
    let proofs = exhibits_of(c.takedown_proofs());
    if proofs.is_empty() {
        return None;
    }
    let text = if proofs.len() == 1 {
        format!(
            "{} shows a listing that was removed after an earlier complaint: it is offered only as proof that the takedown worked, not as a listing for sale.",
            exhibit_list(&proofs)
        )
    } else {
        format!(
            "{} show listings that were removed after earlier complaints: they are offered only as proof that the takedowns worked, not as listings for sale.",
            exhibit_list(&proofs)
        )
    };
    Some(p(text))
}

fn narrative_blocks(c: &Complaint, heading: &str) -> Vec<Block> {
    match &c.narrative {
        Some(n) => vec![h(2, heading), p(clean(n))],
        None => Vec::new(),
    }
}

// ---- portal venues: a summary; the filing sheet carries the form values ----

fn portal_summary(c: &Complaint) -> Section {
    let live: Vec<&Listing> = c.live_listings().collect();
    let batches = batches(c);
    let noun = match c.venue {
        Venue::Amazon => "report",
        Venue::EbayVero => "notice",
        _ => "complaint",
    };
    let infringements: Vec<String> = {
        let mut seen = Vec::new();
        for l in &live {
            let d = l.infringement.description().to_string();
            if !seen.contains(&d) {
                seen.push(d);
            }
        }
        seen
    };
    let mut blocks = vec![p(format!(
        "{} reports {} listing{} on {}, filed as {} {}{}. What is reported: {}. The filing sheet gives the exact values to enter in the form for each {}.",
        party_line(&c.rights_holder),
        thousands(live.len()),
        plural(live.len()),
        marketplaces_phrase(live.iter().copied()),
        batches.len(),
        noun,
        plural(batches.len()),
        join_and(&infringements),
        noun,
    ))];
    if let Some(agent) = &c.agent {
        blocks.push(p(format!(
            "{} files as agent for the rights holder.",
            party_line(agent)
        )));
    }
    blocks.push(h(2, "Rights"));
    blocks.push(rights_table(c));
    blocks.push(h(2, "Listings reported"));
    let rows = batches
        .iter()
        .flat_map(|b| {
            b.listings.iter().map(move |l| {
                let mut row = listing_cells(l);
                row.extend([
                    one_line(&l.right),
                    l.infringement.description().to_string(),
                    format!("{} {}", capitalised(noun), b.number),
                ]);
                row
            })
        })
        .collect();
    blocks.push(Block::Table {
        header: [
            "Exhibit",
            "Marketplace",
            "Listing",
            "Seller",
            "Right",
            "Infringement",
            "Filed in",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        widths: vec![1.0, 1.2, 1.5, 1.5, 0.8, 1.6, 1.0],
    });
    blocks.extend(takedown_paragraph(c));
    blocks.extend(narrative_blocks(c, "Explanation"));
    blocks.extend(signature_blocks(c));
    Section::new(format!("Complaint summary: {}", c.venue.title()), blocks)
}

fn capitalised(s: &str) -> String {
    let mut ch = s.chars();
    match ch.next() {
        Some(f) => f.to_uppercase().chain(ch).collect(),
        None => String::new(),
    }
}

// ---- DMCA ----

/// The statement of 17 U.S.C. § 512(c)(3)(A)(v), in the first person.
pub const DMCA_GOOD_FAITH: &str = "I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright owner, its agent, or the law.";
/// The statement of 17 U.S.C. § 512(c)(3)(A)(vi), in the first person.
pub const DMCA_ACCURACY: &str = "The information in this notification is accurate, and under penalty of perjury, I am authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.";

fn dmca(c: &Complaint) -> Section {
    let live: Vec<&Listing> = c.live_listings().collect();
    let filer = c.filer();
    let mut blocks = vec![
        Block::Fields(
            [
                Some((
                    "To".to_string(),
                    format!(
                        "Designated agent of {}",
                        marketplaces_phrase(live.iter().copied())
                    ),
                )),
                Some(("From".to_string(), party_line(filer))),
                c.agent
                    .as_ref()
                    .map(|_| ("On behalf of".to_string(), party_line(&c.rights_holder))),
                signature_date(c).map(|d| ("Date".to_string(), d)),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        p(format!(
            "I write to notify you that the material listed below, on your service, infringes the copyright described in part 1. I ask that you remove it or disable access to it expeditiously. {} show{} each listing as captured.",
            exhibit_list(&exhibits_of(live.iter().copied())),
            if live.len() == 1 { "s" } else { "" },
        )),
        h(2, "1. The copyrighted work (§ 512(c)(3)(A)(ii))"),
    ];
    for r in c.rights_used() {
        let mut fields = vec![("Right".to_string(), one_line(&r.id))];
        if let Some(d) = &r.work_description {
            fields.push(("Work".to_string(), clean(d)));
        }
        if let Some(l) = &r.work_link {
            fields.push(("Original".to_string(), one_line(l)));
        }
        if !r.right.registration_number.is_empty() {
            fields.push((
                "Registration".to_string(),
                format!(
                    "{} {}",
                    one_line(&r.right.office),
                    one_line(&r.right.registration_number)
                )
                .trim()
                .to_string(),
            ));
        }
        fields.push(("Owner".to_string(), one_line(&r.right.owner)));
        blocks.push(Block::Fields(fields));
    }
    blocks.push(h(
        2,
        "2. The infringing material and where it is (§ 512(c)(3)(A)(iii))",
    ));
    blocks.push(p(
        "Each listing below copies the work. Its URL locates it on your service; the exhibit shows it as captured.",
    ));
    blocks.push(listing_table(c, live.iter().copied()));
    blocks.extend(notes_list(live.iter().copied()));
    blocks.extend(narrative_blocks(c, "Explanation"));
    blocks.extend(takedown_paragraph(c));
    blocks.push(h(2, "3. How to contact me (§ 512(c)(3)(A)(iv))"));
    blocks.push(Block::Fields(contact_fields(filer)));
    blocks.push(h(2, "4. Statement of good faith (§ 512(c)(3)(A)(v))"));
    blocks.push(statement(c.statements.good_faith, DMCA_GOOD_FAITH));
    blocks.push(h(
        2,
        "5. Statement of accuracy and authority (§ 512(c)(3)(A)(vi))",
    ));
    blocks.push(statement(
        c.statements.accuracy_under_penalty_of_perjury && c.statements.authorised,
        DMCA_ACCURACY,
    ));
    blocks.push(h(2, "6. Signature (§ 512(c)(3)(A)(i))"));
    blocks.extend(signature_blocks(c));
    Section::new(
        "Notice of claimed infringement under 17 U.S.C. § 512(c)(3)",
        blocks,
    )
}

/// A statement the user accepted, or a note that it is missing.
fn statement(accepted: bool, text: &str) -> Block {
    if accepted {
        p(text)
    } else {
        Block::Small(format!(
            "Not given. The notice is incomplete without this statement: \"{text}\""
        ))
    }
}

/// The user's notes on listings, as a list.
fn notes_list<'a>(listings: impl Iterator<Item = &'a Listing>) -> Option<Block> {
    let notes: Vec<String> = listings
        .filter_map(|l| {
            l.notes
                .as_ref()
                .map(|n| format!("Exhibit {}: {}", l.exhibit, clean(n)))
        })
        .collect();
    (!notes.is_empty()).then_some(Block::List(notes))
}

// ---- EU DSA ----

/// The statement of Article 16(2)(d), in the first person.
pub const DSA_BONA_FIDE: &str = "I confirm my bona fide belief that the information and allegations contained in this notice are accurate and complete.";

fn dsa(c: &Complaint) -> Section {
    let live: Vec<&Listing> = c.live_listings().collect();
    let filer = c.filer();
    let mut blocks = vec![
        Block::Fields(
            [
                Some((
                    "To".to_string(),
                    format!(
                        "{}, notice and action mechanism",
                        marketplaces_phrase(live.iter().copied())
                    ),
                )),
                Some(("From".to_string(), party_line(filer))),
                signature_date(c).map(|d| ("Date".to_string(), d)),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        p(
            "This notice reports illegal content: listings that infringe the intellectual-property rights set out below. Each element Article 16(2) asks for follows.",
        ),
        h(2, "(a) Why the content is illegal"),
    ];
    if let Some(n) = &c.narrative {
        blocks.push(p(clean(n)));
    }
    blocks.push(rights_table(c));
    blocks.push(Block::List(
        live.iter()
            .map(|l| {
                let right = c
                    .right(&l.right)
                    .map(|r| format!("{} ({})", one_line(&r.id), r.summary()))
                    .unwrap_or_else(|| one_line(&l.right));
                let mut s = format!(
                    "Exhibit {}: {}, infringing {}.",
                    l.exhibit,
                    l.infringement.description(),
                    right
                );
                if let Some(n) = &l.notes {
                    s.push_str(&format!(" {}", clean(n)));
                }
                s
            })
            .collect(),
    ));
    blocks.push(h(2, "(b) Where the content is: exact URLs"));
    blocks.push(Block::Table {
        header: vec!["Exhibit".to_string(), "URL".to_string()],
        rows: live
            .iter()
            .map(|l| {
                vec![
                    format!("Exhibit {}", l.exhibit),
                    one_line(l.capture.listing_url()),
                ]
            })
            .collect(),
        widths: vec![1.0, 6.0],
    });
    blocks.extend(takedown_paragraph(c));
    blocks.push(h(2, "(c) Who submits this notice"));
    blocks.push(Block::Fields(contact_fields(filer)));
    if c.agent.is_some() {
        blocks.push(p(format!(
            "On behalf of the rights holder, {}.",
            party_line(&c.rights_holder)
        )));
    }
    blocks.push(h(2, "(d) Statement"));
    blocks.push(statement(c.statements.good_faith, DSA_BONA_FIDE));
    blocks.extend(signature_blocks(c));
    Section::new(
        "Notice under Article 16 of Regulation (EU) 2022/2065 (Digital Services Act)",
        blocks,
    )
}

// ---- USTR Notorious Markets ----

fn ustr(c: &Complaint) -> Section {
    let u = c.ustr.clone().unwrap_or_default();
    let live: Vec<&Listing> = c.live_listings().collect();
    let docket = u
        .docket
        .as_deref()
        .map(one_line)
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "(docket number)".to_string());
    let review = match u.year {
        Some(y) => format!("{y} Review of Notorious Markets for Counterfeiting and Piracy"),
        None => "Review of Notorious Markets for Counterfeiting and Piracy".to_string(),
    };
    let submitter = c.filer();
    let mut blocks = Vec::new();
    if let Some(d) = signature_date(c) {
        blocks.push(p(d));
    }
    blocks.push(p(
        "Assistant United States Trade Representative for Innovation and Intellectual Property\nOffice of the United States Trade Representative\n600 17th Street NW\nWashington, DC 20508",
    ));
    blocks.push(Block::Heading {
        level: 2,
        text: format!(
            "RE: Request for comments, {review}, Docket No. {docket} (submitted electronically through regulations.gov)"
        ),
    });
    blocks.push(p("Dear Assistant U.S. Trade Representative:"));
    let mut intro = format!("{} submits these comments", party_line(submitter));
    if c.agent.is_some() {
        intro.push_str(&format!(
            " on behalf of {}, the owner of the rights set out below",
            party_line(&c.rights_holder)
        ));
    } else {
        intro.push_str(", as the owner of the rights set out below");
    }
    intro.push_str(&format!(
        ". The information comes from the rights holder's own monitoring: {} listing{} captured with their time, URL and SHA-256 hashes, attached as {} in this file.",
        thousands(live.len()),
        plural(live.len()),
        exhibit_list(&exhibits_of(c.listings.iter()))
    ));
    blocks.push(p(intro));
    blocks.push(all_rights_table(c));
    if let Some(f) = &u.focus {
        blocks.push(h(2, "Focus"));
        blocks.push(p(clean(f)));
    }
    if let Some(n) = &c.narrative {
        blocks.push(p(clean(n)));
    }
    let (online, physical): (Vec<_>, Vec<_>) =
        u.markets.iter().partition(|m| m.kind == MarketKind::Online);
    for (title, markets) in [
        ("Online notorious markets", online),
        ("Physical notorious markets", physical),
    ] {
        if markets.is_empty() {
            continue;
        }
        blocks.push(h(2, title));
        for m in markets {
            blocks.push(h(3, one_line(&m.name)));
            let mut fields: Vec<(String, String)> = Vec::new();
            if !m.urls.is_empty() {
                let urls: Vec<String> = m.urls.iter().map(|u| one_line(u)).collect();
                fields.push((
                    "Domain names, past and present".to_string(),
                    urls.join("\n"),
                ));
            }
            let mut add = |label: &str, v: &Option<String>| {
                if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                    fields.push((label.to_string(), clean(v)));
                }
            };
            add("Registration details", &m.domain_registration);
            add("Hosting provider", &m.hosting_provider);
            add("Operator", &m.operator);
            add("Operator's location", &m.location);
            add("Traffic", &m.traffic);
            add("Revenue sources", &m.revenue_sources);
            add("Government ownership or links", &m.government_links);
            add("Goods", &m.goods);
            add("Volume and scale", &m.volume);
            add("Estimated harm", &m.harm);
            add("Change since last year", &m.harm_change);
            add("Health or safety risks", &m.health_safety_risks);
            add("Enforcement actions and outcomes", &m.enforcement_actions);
            add(
                "Rights holder's actions and outcomes",
                &m.rights_holder_actions,
            );
            add("Operator's own measures", &m.operator_measures);
            let hosts: Vec<String> = m.urls.iter().filter_map(|u| host_of(u)).collect();
            let evidence: Vec<&Listing> = c
                .listings
                .iter()
                .filter(|l| {
                    host_of(l.capture.listing_url())
                        .is_some_and(|host| hosts.iter().any(|d| host_matches(&host, d)))
                })
                .collect();
            if !evidence.is_empty() {
                fields.push((
                    "Evidence".to_string(),
                    exhibit_list(&exhibits_of(evidence.iter().copied())),
                ));
            }
            blocks.push(Block::Fields(fields));
        }
    }
    blocks.push(h(2, "Evidence index"));
    blocks.push(listing_table(c, c.listings.iter()));
    blocks.extend(takedown_paragraph(c));
    blocks.push(p("Respectfully submitted,"));
    blocks.extend(signature_blocks(c));
    blocks.push(Block::Fields(contact_fields(submitter)));
    Section::new("Comment to USTR: Review of Notorious Markets", blocks)
}

// ---- Agency or embassy letter ----

fn agency(c: &Complaint) -> Vec<Section> {
    let a = c.agency.clone().unwrap_or_default();
    let live: Vec<&Listing> = c.live_listings().collect();
    let filer = c.filer();
    let to = match (c.addressee, c.addressee_name.as_deref()) {
        (Some(Addressee::Embassy), Some(name)) => one_line(name),
        (Some(addr), Some(name)) => format!("{}, {}", addr.title(), one_line(name)),
        (Some(addr), None) => addr.title().to_string(),
        (None, Some(name)) => one_line(name),
        (None, None) => "To whom it may concern".to_string(),
    };
    let violator = a
        .violator_name
        .as_deref()
        .map(one_line)
        .unwrap_or_else(|| "an unknown seller".to_string());
    let product = a
        .product
        .as_deref()
        .map(one_line)
        .unwrap_or_else(|| "our products".to_string());
    let mut head: Vec<(String, String)> = vec![("To".to_string(), to)];
    head.push(("From".to_string(), party_line(filer)));
    if let Some(d) = signature_date(c) {
        head.push(("Date".to_string(), d));
    }
    head.push((
        "Re".to_string(),
        format!("Copies of {product} sold by {violator}"),
    ));

    let mut brief: Vec<(String, String)> = Vec::new();
    let mut holder = party_line(&c.rights_holder);
    if let Some(addr) = &c.rights_holder.address {
        holder.push_str(&format!(", {}", one_line(addr)));
    }
    brief.push(("Rights holder".to_string(), holder));
    brief.push((
        "IP registered".to_string(),
        c.rights
            .iter()
            .map(|r| format!("{}: {}", one_line(&r.id), r.summary()))
            .collect::<Vec<_>>()
            .join("\n"),
    ));
    let mut infringer = violator.clone();
    for v in [
        &a.violator_address,
        &a.violator_country,
        &a.violator_website,
    ]
    .into_iter()
    .flatten()
    {
        infringer.push_str(&format!("\n{}", one_line(v)));
    }
    brief.push(("Infringer and where".to_string(), infringer));
    let kinds: Vec<String> = {
        let mut seen = Vec::new();
        for l in &live {
            let d = l.infringement.description().to_string();
            if !seen.contains(&d) {
                seen.push(d);
            }
        }
        seen
    };
    brief.push(("Violation".to_string(), join_and(&kinds)));
    brief.push(("Product".to_string(), product.clone()));
    let mut scale = format!(
        "{} listing{} captured on {} ({}).",
        thousands(live.len()),
        plural(live.len()),
        marketplaces_phrase(live.iter().copied()),
        exhibit_list(&exhibits_of(live.iter().copied()))
    );
    if let Some(s) = &a.scale {
        scale.push_str(&format!(" {}", clean(s)));
    }
    brief.push(("Scale".to_string(), scale));
    if let Some(h) = &a.how_found {
        brief.push(("How it was found".to_string(), clean(h)));
    }
    if let Some(t) = &a.test_buys {
        brief.push(("Test buys".to_string(), clean(t)));
    }
    let mut steps = a
        .prior_takedowns
        .as_deref()
        .map(clean)
        .unwrap_or_else(|| "None stated.".to_string());
    let proofs = exhibits_of(c.takedown_proofs());
    if !proofs.is_empty() {
        steps.push_str(&format!(
            " {} show{} listings removed after earlier takedowns.",
            exhibit_list(&proofs),
            if proofs.len() == 1 { "s" } else { "" }
        ));
    }
    brief.push(("Steps taken and outcomes".to_string(), steps));
    if c.addressee == Some(Addressee::Cbp) || a.immediate_threat.is_some() {
        brief.push((
            "Immediate threat to life or property".to_string(),
            match a.immediate_threat {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "Not stated",
            }
            .to_string(),
        ));
    }
    brief.push((
        "What we ask".to_string(),
        a.ask.as_deref().map(clean).unwrap_or_default(),
    ));

    let mut blocks = vec![Block::Fields(head), Block::Fields(brief)];
    if let Some(n) = &c.narrative {
        blocks.push(p(clean(n)));
    }
    blocks.push(p(format!(
        "The evidence index that follows lists every exhibit; each capture carries its URL, time and SHA-256 hashes, and the declaration explains how they were made. Please contact {} for anything further.",
        party_line(filer)
    )));
    blocks.push(Block::Fields(contact_fields(filer)));
    blocks.extend(signature_blocks(c));

    let mut index = vec![Block::Table {
        header: [
            "Exhibit",
            "Marketplace",
            "Listing",
            "Seller",
            "Price",
            "URL",
            "Captured (UTC)",
            "Status",
            "Right",
        ]
        .map(String::from)
        .to_vec(),
        rows: c
            .listings
            .iter()
            .map(|l| {
                let price = match (&l.capture.price, &l.capture.currency) {
                    (Some(p), Some(cur)) => format!("{} {}", one_line(p), one_line(cur)),
                    (Some(p), None) => one_line(p),
                    _ => String::new(),
                };
                let mut row = listing_cells(l);
                row.extend([
                    price,
                    one_line(l.capture.listing_url()),
                    one_line(&l.capture.captured_at),
                    l.capture.status.to_string(),
                    one_line(&l.right),
                ]);
                row
            })
            .collect(),
        widths: vec![1.0, 1.1, 1.2, 1.2, 0.9, 3.0, 1.6, 0.8, 0.7],
    }];
    let certs: Vec<String> = c
        .rights
        .iter()
        .flat_map(|r| {
            r.certificates.iter().map(move |f| {
                format!(
                    "{} certificate for {}: {}",
                    kind_label(r.right.kind),
                    one_line(&r.id),
                    one_line(f)
                )
            })
        })
        .collect();
    if !certs.is_empty() {
        index.push(h(2, "Registration certificates"));
        index.push(Block::List(certs));
    }
    let copyright_links: Vec<String> = c
        .rights
        .iter()
        .filter(|r| r.right.kind == IpRightKind::Copyright)
        .filter_map(|r| r.work_link.as_deref().map(one_line))
        .collect();
    if !copyright_links.is_empty() {
        index.push(h(2, "Original works"));
        index.push(Block::List(copyright_links));
    }
    vec![
        Section::new(format!("Letter to {}", letter_to(c)), blocks),
        Section::new("Evidence index", index),
    ]
}

fn letter_to(c: &Complaint) -> String {
    match (c.addressee, c.addressee_name.as_deref()) {
        (Some(Addressee::Embassy), Some(name)) => one_line(name),
        (Some(Addressee::Cbp), _) => "U.S. Customs and Border Protection".to_string(),
        (Some(Addressee::IprCenter), _) => "the IPR Center".to_string(),
        (Some(Addressee::EuWatchList), _) => "the European Commission".to_string(),
        _ => "the addressee".to_string(),
    }
}
