//! The declaration under 28 U.S.C. § 1746 that authenticates the captures.
//!
//! It describes the process (Federal Rule of Evidence 901(b)(9)) instead of asserting
//! conclusions, lists every artifact's hash, and says plainly what the hashes do not
//! prove. It is written so it may serve as the certification of FRE 902(11), 902(13)
//! and 902(14).

use std::collections::BTreeSet;

use exhibit_domain::CaptureStatus;
use exhibit_domain::doc::{Block, Section};

use crate::facts::DeclarationFacts;
use crate::resolve::{Complaint, Listing};
use crate::text::{exhibit_list, long_date, one_line, plural, thousands};
use crate::venue::CaptureMode;

/// The limit DESIGN.md demands the declaration state, word for word.
pub const DECLARATION_LIMIT: &str = "Hashing on the collector's machine proves that nothing changed after capture; it does not prove what the server sent.";

/// The closing statement of § 1746: form (2) within the United States, form (1) outside.
pub fn section_1746_statement(within_us: bool) -> &'static str {
    if within_us {
        "I declare under penalty of perjury that the foregoing is true and correct."
    } else {
        "I declare under penalty of perjury under the laws of the United States of America that the foregoing is true and correct."
    }
}

/// The declaration, for every listing of the complaint. Without a `[declaration]`
/// table the declarant is left blank to fill in and the outside-US wording is used,
/// since it is valid wherever the declaration is signed.
pub fn render_declaration(c: &Complaint, facts: &DeclarationFacts) -> Section {
    let decl = c.declaration.clone().unwrap_or_default();
    let declarant = one_line(&decl.declarant);
    let within_us = decl.within_us.unwrap_or(false);
    let n = c.listings.len();
    let all: Vec<usize> = c.listings.iter().map(|l| l.exhibit).collect();
    let tool = if facts.tool_name.trim().is_empty() {
        "Exhibit".to_string()
    } else {
        one_line(&facts.tool_name)
    };
    let mut paragraphs: Vec<String> = Vec::new();

    // Who declares, and on what knowledge.
    let mut who = if declarant.is_empty() {
        "I, ______________________________, declare as follows.".to_string()
    } else {
        format!("My name is {declarant}.")
    };
    if let Some(t) = decl.title.as_deref().filter(|t| !t.trim().is_empty()) {
        who.push_str(&format!(" I am {}.", one_line(t).trim_end_matches('.')));
    }
    let collector = one_line(&facts.collector.name);
    let mut by = collector.clone();
    for extra in [&facts.collector.role, &facts.collector.organization]
        .into_iter()
        .flatten()
    {
        if !extra.trim().is_empty() {
            by.push_str(&format!(", {}", one_line(extra)));
        }
    }
    if !collector.is_empty() && collector.eq_ignore_ascii_case(&declarant) {
        who.push_str(&format!(
            " I made the captures attached as {} myself, and I make this declaration from personal knowledge of how they were made.",
            exhibit_list(&all)
        ));
    } else if !collector.is_empty() {
        who.push_str(&format!(
            " The captures attached as {} were made by {by}. I make this declaration from personal knowledge of the process described below.",
            exhibit_list(&all)
        ));
    } else {
        who.push_str(&format!(
            " I make this declaration from personal knowledge of the process by which the captures attached as {} were made.",
            exhibit_list(&all)
        ));
    }
    paragraphs.push(who);

    paragraphs.push(format!(
        "The {} capture{} belong{} to case {}, which {tool} keeps in a single encrypted case file on the collector's computer. {tool} version {} made every capture. For each capture it recorded the URL requested, every redirect with its status and destination, the final URL, the UTC time the capture started and finished, the collector, the computer's host name and operating system, and the tool's version.",
        thousands(n),
        plural(n),
        if n == 1 { "s" } else { "" },
        one_line(&facts.case_id),
        one_line(&facts.tool_version),
    ));

    let http: Vec<&Listing> = c
        .listings
        .iter()
        .filter(|l| l.capture.mode == CaptureMode::Http)
        .collect();
    let browser: Vec<&Listing> = c
        .listings
        .iter()
        .filter(|l| l.capture.mode == CaptureMode::Browser)
        .collect();
    if !http.is_empty() {
        paragraphs.push(format!(
            "{} ({}) {} made by a direct HTTP(S) request to the listing's URL. {tool} followed each redirect itself and recorded it, and recorded the response's HTTP version and status, every response header in the order received, the address of the server it connected to, and, over HTTPS, the server's TLS certificate. It stored the response body exactly as received, without changing a byte.",
            count_phrase(http.len()),
            exhibit_list(&http.iter().map(|l| l.exhibit).collect::<Vec<_>>()),
            if http.len() == 1 { "was" } else { "were" },
        ));
    }
    if !browser.is_empty() {
        let products: BTreeSet<String> = browser
            .iter()
            .filter_map(|l| l.capture.browser.as_deref())
            .map(one_line)
            .filter(|b| !b.is_empty())
            .collect();
        let engine = if products.is_empty() {
            "Chromium (version recorded with each capture)".to_string()
        } else {
            format!(
                "Chromium ({})",
                products.into_iter().collect::<Vec<_>>().join(", ")
            )
        };
        paragraphs.push(format!(
            "{} ({}) {} made by loading the listing's URL in {engine}, driven by {tool} through the Chrome DevTools Protocol with a fixed viewport and no extensions. Once the page had loaded and its network activity had stopped, {tool} saved a full-page screenshot (PNG), an MHTML archive of the page, the rendered DOM (HTML), the page printed to PDF, the page's visible text and a log of the network requests and responses, together with the main document's body as received.",
            count_phrase(browser.len()),
            exhibit_list(&browser.iter().map(|l| l.exhibit).collect::<Vec<_>>()),
            if browser.len() == 1 { "was" } else { "were" },
        ));
    }

    paragraphs.push(format!(
        "As each file was produced, and before it was stored, {tool} computed its SHA-256 hash over the exact bytes and stored the hash with the file. It also hashed each capture's record of the facts described above. The table below lists every hash; anyone can recompute them with standard tools such as sha256sum."
    ));
    paragraphs.push(format!(
        "Every capture, every stored file and every export is entered in an append-only custody log. Each entry carries the SHA-256 hash of the entry before it, so a change to any earlier entry would change every later hash. When this declaration was prepared, the hash at the head of the log was {}.",
        one_line(&facts.custody_head)
    ));

    let proofs: Vec<usize> = c
        .listings
        .iter()
        .filter(|l| l.capture.status == CaptureStatus::Removed)
        .map(|l| l.exhibit)
        .collect();
    let mut judged = format!(
        "{tool} marks each capture ok, blocked (a login wall, CAPTCHA or robot check), removed (the listing was gone) or failed. Only captures marked ok are offered as evidence of a listing for sale."
    );
    if !proofs.is_empty() {
        judged.push_str(&format!(
            " {} {} marked removed and {} offered only to show that the listing was taken down.",
            exhibit_list(&proofs),
            if proofs.len() == 1 { "is" } else { "are" },
            if proofs.len() == 1 { "is" } else { "are" },
        ));
    }
    paragraphs.push(judged);
    paragraphs.extend(facts.more.iter().map(|p| crate::text::clean(p)));

    paragraphs.push(format!(
        "{DECLARATION_LIMIT} The hashes show that the exhibits are the files {tool} stored at the time of capture; what the marketplace's server sent is shown by the capture itself and by the network facts recorded with it, as described above."
    ));
    paragraphs.push(
        "The exhibits are true and correct copies of the files produced by this process, as their SHA-256 hashes in the table below confirm.".to_string(),
    );
    paragraphs.push(
        "This declaration may serve as the certification described in Federal Rules of Evidence 902(11), 902(13) and 902(14): the records were generated by the electronic process described above, and the copies are identified by their SHA-256 hash values.".to_string(),
    );

    let title = if declarant.is_empty() {
        "Declaration under 28 U.S.C. § 1746".to_string()
    } else {
        format!("Declaration of {declarant} under 28 U.S.C. § 1746")
    };
    // The section's title is printed as its first heading.
    let mut blocks = Vec::new();
    for (i, para) in paragraphs.into_iter().enumerate() {
        blocks.push(Block::Paragraph(format!("{}. {para}", i + 1)));
    }
    blocks.push(Block::Heading {
        level: 2,
        text: "Artifact hashes (SHA-256)".to_string(),
    });
    let mut rows = Vec::new();
    for l in &c.listings {
        rows.push(vec![
            format!("Exhibit {}", l.exhibit),
            format!("#{}", l.capture.id),
            "capture record".to_string(),
            one_line(&l.capture.record_sha256),
        ]);
        for a in &l.capture.artifacts {
            rows.push(vec![
                format!("Exhibit {}", l.exhibit),
                format!("#{}", l.capture.id),
                one_line(&a.kind),
                one_line(&a.sha256),
            ]);
        }
    }
    blocks.push(Block::Table {
        header: ["Exhibit", "Capture", "Kind", "SHA-256"]
            .map(String::from)
            .to_vec(),
        rows,
        widths: vec![1.0, 0.8, 1.4, 5.0],
    });

    let date = decl
        .date
        .clone()
        .or_else(|| c.signature.as_ref().and_then(|s| s.date.clone()))
        .filter(|d| !d.trim().is_empty());
    let place = decl
        .place
        .as_deref()
        .map(one_line)
        .filter(|p| !p.is_empty());
    blocks.push(Block::Paragraph(
        section_1746_statement(within_us).to_string(),
    ));
    blocks.push(Block::Paragraph(format!(
        "Executed on {}{}.",
        date.as_deref()
            .map(long_date)
            .unwrap_or_else(|| "____________________".to_string()),
        match &place {
            Some(p) => format!(" at {p}"),
            None if decl.within_us.is_none() || declarant.is_empty() => {
                " at ____________________".to_string()
            }
            None => String::new(),
        }
    )));
    if declarant.is_empty() {
        blocks.push(Block::FillIn {
            label: "Signature".to_string(),
        });
        blocks.push(Block::FillIn {
            label: "Printed name".to_string(),
        });
    } else {
        blocks.push(Block::Signature {
            name: declarant.clone(),
            title: decl.title.as_deref().map(one_line),
            date: date.as_deref().map(long_date),
            place,
        });
    }
    Section::new(title, blocks)
}

fn count_phrase(n: usize) -> String {
    match n {
        1 => "One capture".to_string(),
        n => format!("{} captures", thousands(n)),
    }
}
