//! The parts of the evidence packet that describe the evidence itself: the cover, the
//! listing summary, one exhibit per listing, the custody log and the page on how to
//! verify. The venue's complaint, the declaration and the translation certificate come
//! from `exhibit-venues`; the PDF engine (`exhibit-pdf`) lays all of them out.
//!
//! Everything here is built from stored facts only. Captured text is passed on as text
//! and never interpreted, and nothing here claims more than the evidence shows.

use exhibit_domain::doc::{Block, Section};
use exhibit_domain::{Capture, CustodyEvent};

/// One listing as it appears in the packet.
#[derive(Debug, Clone)]
pub(crate) struct ExhibitEntry {
    pub number: usize,
    pub capture: Capture,
    /// The right it infringes, as the user labelled it ("TM-1, USPTO 1234567").
    pub right: String,
    /// How: "counterfeit", "copied photos", …
    pub infringement: String,
    /// "live listing" or "proof of takedown".
    pub purpose: String,
    pub notes: Option<String>,
    pub title_translation: Option<String>,
    /// The capture's newest RFC 3161 timestamp, if it has one.
    pub trusted_time: Option<exhibit_store::StoredTimestamp>,
}

/// What the cover says.
#[derive(Debug, Clone)]
pub(crate) struct Cover {
    pub case_title: String,
    pub complainant: String,
    pub venue: String,
    pub date: String,
    pub bates_range: String,
    pub manifest_sha256: String,
    pub case_id: String,
}

/// The longest extracted text printed for one exhibit; the full text is in the bundle.
pub(crate) const MAX_TEXT_CHARS: usize = 12_000;

pub(crate) fn cover(c: &Cover) -> Section {
    Section {
        title: "Evidence packet".into(),
        in_toc: false,
        new_page: true,
        blocks: vec![
            Block::Heading {
                level: 1,
                text: c.case_title.clone(),
            },
            Block::Space(12.0),
            Block::Fields(vec![
                ("Complainant".into(), c.complainant.clone()),
                ("Venue".into(), c.venue.clone()),
                ("Date".into(), c.date.clone()),
                ("Bates range".into(), c.bates_range.clone()),
                ("Case id".into(), c.case_id.clone()),
                ("Manifest SHA-256".into(), c.manifest_sha256.clone()),
            ]),
            Block::Space(12.0),
            Block::Small(
                "The manifest fingerprint above identifies the evidence bundle that accompanies \
                 this packet: its manifest.json lists every capture and artifact with its \
                 SHA-256. The last section of this packet explains how to check it."
                    .into(),
            ),
            Block::Space(18.0),
            Block::Heading {
                level: 2,
                text: "Contents".into(),
            },
            Block::TableOfContents,
        ],
    }
}

pub(crate) fn summary(entries: &[ExhibitEntry]) -> Section {
    let rows = entries
        .iter()
        .map(|e| {
            let f = &e.capture.record.facts;
            vec![
                format!("Exhibit {}", e.number),
                f.marketplace.clone().unwrap_or_else(|| "-".into()),
                f.listing_id.clone().unwrap_or_else(|| "-".into()),
                f.seller.clone().unwrap_or_else(|| "-".into()),
                price(&e.capture),
                e.capture.record.started_at.clone(),
                format!("{} ({})", e.capture.record.status, e.purpose),
            ]
        })
        .collect();
    Section::new(
        "Summary of listings",
        vec![Block::Table {
            header: vec![
                "Exhibit".into(),
                "Marketplace".into(),
                "Listing id".into(),
                "Seller".into(),
                "Price".into(),
                "Captured (UTC)".into(),
                "Status".into(),
            ],
            rows,
            widths: vec![1.0, 1.1, 1.4, 1.6, 0.9, 1.7, 1.2],
        }],
    )
}

fn price(c: &Capture) -> String {
    let f = &c.record.facts;
    match (&f.price, &f.currency) {
        (Some(p), Some(cur)) => format!("{p} {cur}"),
        (Some(p), None) => p.clone(),
        _ => "-".into(),
    }
}

/// One exhibit: a cover sheet with the capture's facts and every artifact's hash, the
/// screenshot (named by the key the PDF engine's picture source reads it by), then the
/// extracted text.
pub(crate) fn exhibit(
    e: &ExhibitEntry,
    screenshot: Option<String>,
    text: Option<String>,
) -> Section {
    let r = &e.capture.record;
    let f = &r.facts;
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let mut fields = vec![
        ("Capture".into(), format!("#{}", e.capture.id)),
        ("Requested URL".into(), r.requested_url.clone()),
        ("Final URL".into(), opt(&r.final_url)),
        ("Status".into(), format!("{} ({})", r.status, e.purpose)),
        ("Right infringed".into(), e.right.clone()),
        ("Infringement".into(), e.infringement.clone()),
        ("Marketplace".into(), opt(&f.marketplace)),
        ("Listing id".into(), opt(&f.listing_id)),
        ("Title".into(), opt(&f.title)),
    ];
    if let Some(t) = &e.title_translation {
        fields.push(("Title (translation)".into(), t.clone()));
    }
    fields.extend([
        ("Seller".into(), opt(&f.seller)),
        ("Price".into(), price(&e.capture)),
        ("Capture started (UTC)".into(), r.started_at.clone()),
        ("Capture finished (UTC)".into(), r.finished_at.clone()),
        ("Method".into(), method(&e.capture)),
        (
            "HTTP status".into(),
            r.http_status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        ("Server address".into(), opt(&r.remote_addr)),
        ("Collector".into(), collector_line(&r.collector)),
        (
            "Computer".into(),
            format!(
                "{} ({}), local offset {}",
                r.environment.hostname, r.environment.os, r.environment.local_utc_offset
            ),
        ),
        ("Clock".into(), r.environment.clock_source.clone()),
        (
            "Trusted time (UTC)".into(),
            trusted_time_line(e.trusted_time.as_ref()),
        ),
        ("Record SHA-256".into(), e.capture.record_sha256.to_hex()),
    ]);
    if let Some(a) = &r.archive {
        fields.extend(archive_lines(a));
    }
    if let Some(b) = &r.browser
        && let Some(who) = &b.logged_in_as
    {
        fields.push(("Logged in as".into(), who.clone()));
    }
    if let Some(err) = &r.error {
        fields.push(("Judgement".into(), err.clone()));
    }
    if let Some(n) = &e.notes {
        fields.push(("Notes".into(), n.clone()));
    }
    let mut blocks = vec![Block::Fields(fields)];
    if !r.notes.is_empty() {
        blocks.push(Block::Small(format!(
            "Capture notes: {}",
            r.notes.join("; ")
        )));
    }
    blocks.push(Block::Heading {
        level: 3,
        text: "Artifacts and their SHA-256".into(),
    });
    blocks.push(Block::Table {
        header: vec!["Kind".into(), "Bytes".into(), "SHA-256".into()],
        rows: e
            .capture
            .artifacts
            .iter()
            .map(|a| vec![a.kind.clone(), a.size.to_string(), a.sha256.to_hex()])
            .collect(),
        widths: vec![1.2, 1.0, 5.0],
    });
    match screenshot {
        Some(key) => {
            blocks.push(Block::PageBreak);
            blocks.push(Block::Heading {
                level: 3,
                text: format!("Exhibit {}: screenshot", e.number),
            });
            blocks.push(Block::ImageRef {
                key,
                caption: format!(
                    "Full-page screenshot of {} taken {} (UTC). The original PNG is in the bundle.",
                    r.final_url.as_deref().unwrap_or(&r.requested_url),
                    r.started_at
                ),
            });
        }
        None => blocks.push(Block::Small(
            "This capture has no screenshot: it was taken in HTTP mode, which stores the page \
             exactly as the server sent it. The page itself is in the bundle."
                .into(),
        )),
    }
    if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
        blocks.push(Block::PageBreak);
        blocks.push(Block::Heading {
            level: 3,
            text: format!("Exhibit {}: text of the page", e.number),
        });
        let shown: String = text.chars().take(MAX_TEXT_CHARS).collect();
        let cut = shown.len() < text.len();
        blocks.push(Block::Paragraph(shown));
        if cut {
            blocks.push(Block::Small(format!(
                "The text is cut here after {MAX_TEXT_CHARS} characters; the full text is in the bundle."
            )));
        }
    }
    Section::new(
        format!(
            "Exhibit {}: {}",
            e.number,
            f.title
                .clone()
                .or_else(|| f.listing_id.clone())
                .unwrap_or_else(|| r.requested_url.clone())
        ),
        blocks,
    )
}

/// Where an imported capture came from, and who signed that archive.
fn archive_lines(a: &exhibit_domain::ArchiveSource) -> Vec<(String, String)> {
    vec![
        (
            "Web archive".into(),
            format!(
                "{} (SHA-256 {}), written by {}, page \"{}\"",
                a.file,
                a.sha256,
                a.software.as_deref().unwrap_or("software it does not name"),
                a.page_id
            ),
        ),
        (
            "Archive signature".into(),
            match &a.signature {
                Some(s) => format!("verified: {}", s.describe()),
                None => "unsigned: the archive carries no signature, so nothing but its own \
                         hashes vouches for it, and not for who made it or when"
                    .into(),
            },
        ),
    ]
}

fn method(c: &Capture) -> String {
    let r = &c.record;
    if let Some(a) = &r.archive {
        return format!(
            "Imported from a web archive (WACZ) written by {}; Exhibit made no connection \
             and the times are those the archive records",
            a.software.as_deref().unwrap_or("software it does not name")
        );
    }
    match &r.browser {
        Some(b) => format!(
            "Rendered in {} ({}, viewport {}x{} at {}x, {}, {}){}",
            b.product,
            if b.headless {
                "headless"
            } else {
                "visible window"
            },
            b.viewport.0,
            b.viewport.1,
            b.device_scale,
            b.locale,
            b.timezone,
            if b.extensions.is_empty() {
                ", no extensions".to_string()
            } else {
                format!(", extensions: {}", b.extensions.join(", "))
            }
        ),
        None => format!(
            "Direct HTTP request by {} {} (user agent {})",
            r.environment.tool, r.environment.tool_version, r.environment.user_agent
        ),
    }
}

fn collector_line(c: &exhibit_domain::Collector) -> String {
    let mut parts = vec![if c.name.is_empty() {
        "-".to_string()
    } else {
        c.name.clone()
    }];
    parts.extend(c.role.clone());
    parts.extend(c.organization.clone());
    parts.extend(c.contact.clone());
    parts.join(", ")
}

pub(crate) fn custody(events: &[CustodyEvent]) -> Section {
    let head = events
        .last()
        .map(|e| format!("{} (event {})", e.hash.to_hex(), e.seq))
        .unwrap_or_else(|| "-".into());
    Section::new(
        "Custody log",
        vec![
            Block::Paragraph(
                "Every change to the case is an event in a hash chain: each event's SHA-256 \
                 covers its number, time, kind, details and the previous event's hash, so no \
                 event can be changed, removed or reordered without breaking every hash after \
                 it. custody.jsonl in the bundle holds the full events."
                    .into(),
            ),
            Block::Fields(vec![("Head hash".into(), head)]),
            Block::Table {
                header: vec![
                    "#".into(),
                    "Time (UTC)".into(),
                    "Event".into(),
                    "SHA-256".into(),
                ],
                rows: events
                    .iter()
                    .map(|e| {
                        vec![
                            e.seq.to_string(),
                            e.at.clone(),
                            e.kind.clone(),
                            e.hash.to_hex(),
                        ]
                    })
                    .collect(),
                widths: vec![0.5, 2.0, 1.6, 4.4],
            },
        ],
    )
}

/// "2026-11-29T01:02:03.456Z from CN=…, serial 1a2b, 1.2 s after the capture", or why not.
fn trusted_time_line(t: Option<&exhibit_store::StoredTimestamp>) -> String {
    let Some(t) = t else {
        return "none: no time-stamp authority signed a time for this capture, so its times \
                are only those of the collecting computer's clock"
            .into();
    };
    let delay = t.delay_ms.max(0) as f64 / 1000.0;
    let after = if delay < 120.0 {
        format!("{delay:.1} s after the capture ended")
    } else if delay < 2.0 * 86_400.0 {
        format!("{:.1} hours after the capture ended", delay / 3600.0)
    } else {
        format!("{:.0} days after the capture ended", delay / 86_400.0)
    };
    format!(
        "{} from {} (RFC 3161 token, serial {}), {after}",
        t.gen_time, t.tsa_name, t.serial
    )
}

pub(crate) fn how_to_verify(
    bundle_name: &str,
    manifest_sha256: &str,
    timestamped: Option<&str>,
) -> Section {
    Section::new(
        "How to verify",
        vec![
            Block::Paragraph(format!(
                "This packet comes with an evidence bundle, {bundle_name}. Anyone can check \
                 that the bundle is complete and unchanged, without Exhibit and without the \
                 case passphrase:"
            )),
            Block::List(vec![
                "Unpack the bundle into an empty folder.".into(),
                "Check every file against SHA256SUMS; each line must end in OK.".into(),
                format!(
                    "Check that manifest.json is the one this packet names: its SHA-256 must be \
                     {manifest_sha256}."
                ),
            ]),
            Block::Mono(format!(
                "mkdir bundle && cd bundle\nunzip -q ../{bundle_name}\nsha256sum -c SHA256SUMS\nsha256sum manifest.json"
            )),
            Block::Paragraph(
                "With Exhibit installed, one command does all of this and also checks every \
                 artifact against the manifest and every link of the custody log:"
                    .into(),
            ),
            Block::Mono(format!("exhibit verify-bundle {bundle_name}")),
            Block::Heading {
                level: 3,
                text: "Trusted timestamps".into(),
            },
            Block::Paragraph(match timestamped {
                Some(example) => format!(
                    "Captures with a trusted time carry an RFC 3161 token from an independent \
                     time-stamp authority, in the bundle's timestamps folder: a .tsr file (the \
                     authority's signed answer) beside the .json statement it covers, which names \
                     the capture's record hash and every artifact hash. Stock OpenSSL checks a \
                     token against the statement and the authority's root certificate (which the \
                     authority publishes); for {example}:"
                ),
                None => "No capture in this packet has a trusted time from an independent \
                         time-stamp authority; its times are those of the collecting computer."
                    .into(),
            }),
            Block::Mono(match timestamped {
                Some(example) => format!(
                    "openssl ts -verify -data timestamps/{example}.json \\\n    -in timestamps/{example}.tsr -CAfile tsa-root.pem"
                ),
                None => "(no tokens)".into(),
            }),
            Block::Heading {
                level: 3,
                text: "What the hashes prove, and what they do not".into(),
            },
            Block::Paragraph(
                "Each artifact was hashed with SHA-256 on the collector's computer the moment \
                 it was captured. A matching hash proves that the file has not changed since \
                 then. It does not prove what the marketplace's server sent. The capture times \
                 are those of the collecting computer's clock; a trusted time, where present, is \
                 an independent authority's signature that the hashes existed at that time."
                    .into(),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imported(signature: Option<exhibit_domain::ArchiveSignature>) -> ExhibitEntry {
        let mut record: exhibit_domain::CaptureRecord = serde_json::from_value(serde_json::json!({
            "mode": "import", "requested_url": "https://example.com/", "final_url": null,
            "redirects": [], "http_version": null, "http_status": 200, "headers": [],
            "remote_addr": null, "tls": null,
            "started_at": "2022-01-18T19:00:09.000Z", "finished_at": "2022-01-18T19:00:10.000Z",
            "status": "ok", "error": null, "notes": [], "facts": {}, "collector": {"name": "Ana"},
            "environment": {"tool": "exhibit", "tool_version": "0", "user_agent": "",
                "hostname": "h", "os": "linux", "local_utc_offset": "+00:00",
                "clock_source": "", "proxy": null, "resolve_overrides": [],
                "extra_root_certificates": []}
        }))
        .expect("a record");
        record.archive = Some(exhibit_domain::ArchiveSource {
            file: "valid_signed_example_1.wacz".into(),
            sha256: "08d4".into(),
            software: Some("py-wacz 0.4.0".into()),
            page_id: "p1".into(),
            signature,
        });
        ExhibitEntry {
            number: 1,
            capture: Capture {
                id: 7,
                record,
                record_sha256: exhibit_domain::sha256(b"record"),
                artifacts: Vec::new(),
            },
            right: "C-1".into(),
            infringement: "copied photos".into(),
            purpose: "live listing".into(),
            notes: None,
            title_translation: None,
            trusted_time: None,
        }
    }

    fn field(section: &Section, name: &str) -> String {
        section
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Fields(f) => f.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    #[test]
    fn the_cover_sheet_names_the_archive_its_signer_and_the_signed_time() {
        let signed = exhibit(
            &imported(Some(exhibit_domain::ArchiveSignature {
                method: "domain".into(),
                signer: "btrix-sign-test.webrecorder.net".into(),
                certificate_sha256: Some("ff10".into()),
                signed_at: "2022-01-18T19:00:12.000Z".into(),
                software: Some("authsigner 0.3.0".into()),
                time_stamped_at: Some("2022-01-18T19:00:12.000Z".into()),
                time_stamp_authority: Some("CN=www.freetsa.org, O=Free TSA".into()),
            })),
            None,
            None,
        );
        let line = field(&signed, "Archive signature");
        assert!(line.starts_with("verified: signed by the domain btrix-sign-test.webrecorder.net"));
        assert!(line.contains("at 2022-01-18T19:00:12.000Z"), "{line}");
        assert!(line.contains("CN=www.freetsa.org"), "{line}");
        assert!(field(&signed, "Web archive").contains("valid_signed_example_1.wacz"));
        assert!(field(&signed, "Method").starts_with("Imported from a web archive"));

        let unsigned = exhibit(&imported(None), None, None);
        assert!(field(&unsigned, "Archive signature").starts_with("unsigned"));
    }
}
