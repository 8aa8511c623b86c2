//! Turning a fetch into a capture: the judgement (`ok`, `blocked`, `removed`, `failed`),
//! the listing facts, the record and the artifacts.
//!
//! The one rule with zero tolerance lives here: a page the extractor calls blocked, or
//! a server that refused access, is never `ok`.

use exhibit_capture::Fetched;
use exhibit_domain::{
    CaptureRecord, CaptureStatus, Collector, Environment, ListingFacts, NewArtifact, TlsFacts,
    artifact_kind, rfc3339_millis, sha256,
};
use exhibit_extract::{Extraction, Page, PageKind};

/// What the environment looks like for every capture in one batch.
pub(crate) fn environment(options: &exhibit_capture::FetchOptions) -> Environment {
    let local = chrono::Local::now();
    Environment {
        tool: "exhibit".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        user_agent: options.user_agent.clone(),
        hostname: gethostname::gethostname().to_string_lossy().into_owned(),
        os: os_description(),
        local_utc_offset: local.format("%:z").to_string(),
        clock_source: "system clock of the collecting computer (not independently verified)".into(),
        proxy: None,
        resolve_overrides: options.resolve.iter().map(ToString::to_string).collect(),
        extra_root_certificates: options
            .extra_root_pems
            .iter()
            .map(|pem| sha256(pem))
            .collect(),
    }
}

fn os_description() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|s| s.trim().to_owned());
    let mut out = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    if let Some(p) = pretty {
        out.push_str(&format!(", {p}"));
    }
    if let Some(k) = kernel {
        out.push_str(&format!(", kernel {k}"));
    }
    out
}

fn reason_phrase(status: u16) -> String {
    let phrase = standard_reason(status);
    if phrase.is_empty() {
        format!("{status}")
    } else {
        format!("{status} {phrase}")
    }
}

/// The standard reason phrase of a status (IANA's registry, as the `http` crate has it),
/// or "" for one without.
pub(crate) fn standard_reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// Decides the status from what was fetched and what the page says.
pub(crate) fn judge(
    error: Option<&str>,
    http_status: Option<u16>,
    extraction: Option<&Extraction>,
) -> (CaptureStatus, Option<String>) {
    if let Some(e) = error {
        return (CaptureStatus::Failed, Some(e.to_owned()));
    }
    let http = http_status.unwrap_or(0);
    if let Some(x) = extraction {
        match x.page_kind {
            PageKind::Blocked => {
                let mut why = x
                    .reason
                    .clone()
                    .unwrap_or_else(|| "an unnamed block page".into());
                if !(200..300).contains(&http) && !why.contains(&http.to_string()) {
                    why = format!("{why}, HTTP {}", reason_phrase(http));
                }
                return (
                    CaptureStatus::Blocked,
                    Some(format!(
                        "The marketplace showed a block page instead of the listing ({why}), so this capture is not evidence of the listing: try again later, or capture it in a logged-in browser."
                    )),
                );
            }
            PageKind::Removed if !matches!(http, 404 | 410) => {
                let why = x
                    .reason
                    .clone()
                    .unwrap_or_else(|| "listing not found".into());
                return (
                    CaptureStatus::Removed,
                    Some(format!("The page says the listing is gone: {why}.")),
                );
            }
            _ => {}
        }
    }
    match http {
        404 | 410 => (
            CaptureStatus::Removed,
            Some(format!(
                "The server answered {}: the listing is gone.",
                reason_phrase(http)
            )),
        ),
        401 | 403 | 407 | 429 | 451 => (
            CaptureStatus::Blocked,
            Some(format!(
                "The server refused access ({}); this capture is not evidence of the listing. Try again later or capture it in a logged-in browser.",
                reason_phrase(http)
            )),
        ),
        200..=299 => (CaptureStatus::Ok, None),
        300..=399 => (
            CaptureStatus::Failed,
            Some(format!(
                "The server answered {} without a usable Location.",
                reason_phrase(http)
            )),
        ),
        _ => (
            CaptureStatus::Failed,
            Some(format!(
                "The server answered {}; no page was captured.",
                reason_phrase(http)
            )),
        ),
    }
}

/// What the extractor reads off a fetched page; `None` when there is no page to read.
pub(crate) fn extract_fetched(fetched: &Fetched) -> Option<Extraction> {
    match (fetched.page_bytes(), &fetched.final_url) {
        (Some(bytes), Some(url)) if fetched.error.is_none() => {
            Some(exhibit_extract::extract(&Page {
                url,
                http_status: fetched.http_status,
                content_type: fetched.content_type.as_deref(),
                body: bytes,
            }))
        }
        _ => None,
    }
}

/// Builds the capture record and its artifacts. Artifacts are hashed here, once, over
/// the exact bytes received.
pub(crate) fn assemble(
    fetched: Fetched,
    collector: &Collector,
    environment: &Environment,
) -> (CaptureRecord, Vec<NewArtifact>) {
    let extraction = extract_fetched(&fetched);
    assemble_extracted(fetched, extraction, collector, environment)
}

/// [`assemble`] of a page already read by [`extract_fetched`].
pub(crate) fn assemble_extracted(
    fetched: Fetched,
    extraction: Option<Extraction>,
    collector: &Collector,
    environment: &Environment,
) -> (CaptureRecord, Vec<NewArtifact>) {
    let mut notes = Vec::new();
    if let Some(x) = &extraction
        && !x.is_html
        && fetched.error.is_none()
    {
        notes.push(format!(
            "The server answered with {}, not a web page; no listing facts were read.",
            fetched.media_type.as_deref().unwrap_or("unknown content")
        ));
    }
    if let Some(enc) = &fetched.content_encoding
        && fetched.decoded_body.is_some()
    {
        notes.push(format!(
            "The page was sent {enc}-compressed: the 'body' artifact holds the bytes as received, 'decoded-body' the page."
        ));
    }
    let (status, error) = judge(
        fetched.error.as_ref().map(|e| e.message.as_str()),
        fetched.http_status,
        extraction.as_ref(),
    );
    let facts = facts_of(extraction.as_ref());
    let mut artifacts = Vec::new();
    let media_type = fetched
        .media_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let peer_certificate_sha256 = fetched.peer_certificate.as_deref().map(sha256);
    let is_https = fetched
        .final_url
        .as_ref()
        .is_some_and(|u| u.scheme() == "https");
    let Fetched {
        requested_url,
        final_url,
        redirects,
        http_version,
        http_status,
        headers,
        remote_addr,
        peer_certificate,
        started_at,
        finished_at,
        body,
        decoded_body,
        ..
    } = fetched;
    if let Some(body) = body {
        artifacts.push(NewArtifact::new(
            artifact_kind::BODY,
            media_type.clone(),
            body,
        ));
    }
    if let Some(decoded) = decoded_body {
        artifacts.push(NewArtifact::new(
            artifact_kind::DECODED_BODY,
            media_type,
            decoded,
        ));
    }
    if let Some(der) = peer_certificate {
        artifacts.push(NewArtifact::new(
            artifact_kind::CERTIFICATE,
            "application/pkix-cert",
            der,
        ));
    }
    let record = CaptureRecord {
        mode: "http".into(),
        requested_url,
        final_url: final_url.map(|u| u.to_string()),
        redirects,
        http_version,
        http_status,
        headers,
        remote_addr,
        tls: is_https.then_some(TlsFacts {
            peer_certificate_sha256,
        }),
        started_at: rfc3339_millis(&started_at),
        finished_at: rfc3339_millis(&finished_at),
        status,
        error,
        notes,
        facts,
        collector: collector.clone(),
        environment: environment.clone(),
        browser: None,
        archive: None,
        context: None,
    };
    (record, artifacts)
}

/// Builds the record of a browser capture. Extraction and judgement read the rendered
/// DOM, so a wall built by script after a 200 is still `blocked`.
pub(crate) fn assemble_browser(
    capture: exhibit_browser::BrowserCapture,
    collector: &Collector,
    environment: &Environment,
) -> (CaptureRecord, Vec<NewArtifact>) {
    let final_url = capture
        .final_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .or_else(|| url::Url::parse(&capture.requested_url).ok());
    let extraction = match (&capture.rendered_html, &final_url) {
        (Some(html), Some(url)) if capture.error.is_none() => {
            Some(exhibit_extract::extract(&Page {
                url,
                http_status: capture.http_status,
                content_type: Some("text/html; charset=utf-8"),
                body: html.as_bytes(),
            }))
        }
        _ => None,
    };
    let (status, error) = judge(
        capture.error.as_deref(),
        capture.http_status,
        extraction.as_ref(),
    );
    let mut notes = capture.notes;
    let mut facts = facts_of(extraction.as_ref());
    if status == CaptureStatus::Ok
        && let Some(url) = &final_url
    {
        fill_from_served(
            &mut facts,
            &capture.artifacts,
            &capture.headers,
            url,
            &mut notes,
        );
    }
    if let Some((full, kept)) = capture.screenshot_cut {
        let note = format!("The page is {full} px tall; the screenshot shows the top {kept} px.");
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    let mut artifacts = capture.artifacts;
    let peer_certificate_sha256 = capture.tls_certificate_der.as_deref().map(sha256);
    if let Some(der) = capture.tls_certificate_der {
        artifacts.push(NewArtifact::new(
            artifact_kind::CERTIFICATE,
            "application/pkix-cert",
            der,
        ));
    }
    let mut environment = environment.clone();
    environment.user_agent = capture.browser.user_agent.clone();
    let mut browser = capture.browser;
    // The browser crate may know the account from the page itself; otherwise the page
    // header the extractor read says who was logged in.
    browser.logged_in_as = capture
        .logged_in_as
        .or_else(|| extraction.as_ref().and_then(|x| x.logged_in_as.clone()));
    let record = CaptureRecord {
        mode: "browser".into(),
        requested_url: capture.requested_url,
        final_url: final_url.map(|u| u.to_string()),
        redirects: capture.redirects,
        http_version: capture.http_version,
        http_status: capture.http_status,
        headers: capture.headers,
        remote_addr: capture.remote_addr,
        tls: peer_certificate_sha256.map(|h| TlsFacts {
            peer_certificate_sha256: Some(h),
        }),
        started_at: rfc3339_millis(&capture.started_at),
        finished_at: rfc3339_millis(&capture.finished_at),
        status,
        error,
        notes,
        facts,
        collector: collector.clone(),
        environment,
        browser: Some(browser),
        archive: None,
        context: None,
    };
    (record, artifacts)
}

/// A listing's facts the rendered page did not show (its scripts may redraw or drop
/// the shop header, or the links that name the marketplace, for one), read from the
/// page as the server sent it (the `body` artifact) when that is a listing and agrees
/// with whatever the rendered page did show of its marketplace and id; each filled
/// field is named in a note. What the rendered page showed is never replaced, and a
/// page judged blocked or removed is left as judged.
fn fill_from_served(
    facts: &mut ListingFacts,
    artifacts: &[NewArtifact],
    headers: &[exhibit_domain::Header],
    url: &url::Url,
    notes: &mut Vec<String>,
) {
    let missing = facts.marketplace.is_none()
        || facts.listing_id.is_none()
        || facts.title.is_none()
        || facts.price.is_none()
        || facts.seller.is_none()
        || facts.seller_id.is_none();
    // A wall or a removal notice drawn by script is judged as such, never filled in.
    let judged_other = matches!(facts.page_kind.as_deref(), Some("blocked" | "removed"));
    if !missing || judged_other {
        return;
    }
    let Some(body) = artifacts
        .iter()
        .find(|a| a.kind() == exhibit_domain::artifact_kind::BODY)
    else {
        return;
    };
    let content_type = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| h.value.as_str());
    let served = exhibit_extract::extract(&Page {
        url,
        http_status: None,
        content_type,
        body: body.bytes(),
    });
    let differs = |shown: &Option<String>, sent: &Option<String>| shown.is_some() && shown != sent;
    if served.page_kind != PageKind::Listing
        || differs(&facts.marketplace, &served.marketplace)
        || differs(&facts.listing_id, &served.listing_id)
    {
        return;
    }
    let mut filled = Vec::new();
    let mut fill = |slot: &mut Option<String>, value: Option<String>, name: &'static str| {
        if slot.is_none() && value.is_some() {
            *slot = value;
            filled.push(name);
        }
    };
    fill(&mut facts.marketplace, served.marketplace, "marketplace");
    fill(&mut facts.listing_id, served.listing_id, "listing id");
    fill(&mut facts.title, served.title, "title");
    if facts.price.is_none() && served.price.is_some() {
        fill(&mut facts.currency, served.currency, "currency");
    }
    fill(&mut facts.price, served.price, "price");
    fill(&mut facts.seller, served.seller, "seller");
    fill(&mut facts.seller_id, served.seller_id, "seller id");
    if !filled.is_empty() {
        notes.push(format!(
            "The listing's {} were read from the page as the server sent it (the body); the rendered page did not show them.",
            filled.join(", ")
        ));
    }
}

fn facts_of(extraction: Option<&Extraction>) -> ListingFacts {
    match extraction {
        Some(x) => ListingFacts {
            marketplace: x.marketplace.clone(),
            page_kind: Some(x.page_kind.as_str().into()),
            listing_id: x.listing_id.clone(),
            title: x.title.clone(),
            price: x.price.clone(),
            currency: x.currency.clone(),
            seller: x.seller.clone(),
            seller_id: x.seller_id.clone(),
            main_image: x.main_image.clone(),
            canonical_url: x.canonical_url.clone(),
            charset: Some(x.charset.clone()),
            store: x.store.clone(),
            // The region is read off the address here, by the one rule for it.
            checkout: x.checkout.as_ref().map(|c| exhibit_domain::CheckoutFacts {
                ship_to_region: c.ship_to.as_deref().and_then(exhibit_domain::region_of),
                ..c.clone()
            }),
        },
        None => ListingFacts::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(kind: PageKind) -> Extraction {
        Extraction {
            page_kind: kind,
            is_html: true,
            ..Extraction::default()
        }
    }

    /// Storefront and checkout facts reach the record, the checkout with the region of
    /// its ship-to address.
    #[test]
    fn storefront_and_checkout_facts_reach_the_record() {
        let mut x = page(PageKind::Checkout);
        x.checkout = Some(exhibit_extract::CheckoutFacts {
            listing_id: Some("B07G2L3JMM".into()),
            ship_to: Some("233 S WACKER DR, CHICAGO, IL 60606, United States".into()),
            total: Some("33.06".into()),
            currency: Some("USD".into()),
            ..Default::default()
        });
        let f = facts_of(Some(&x));
        assert_eq!(f.page_kind.as_deref(), Some("checkout"));
        assert_eq!(f.listing_id, None);
        let c = f.checkout.unwrap_or_default();
        assert_eq!(c.ship_to_region.as_deref(), Some("US-IL"));
        assert_eq!(
            (
                c.listing_id.as_deref(),
                c.total.as_deref(),
                c.currency.as_deref()
            ),
            (Some("B07G2L3JMM"), Some("33.06"), Some("USD"))
        );
        assert_eq!(judge(None, Some(200), Some(&x)).0, CaptureStatus::Ok);

        let mut x = page(PageKind::Store);
        x.store = Some(exhibit_extract::StoreFacts {
            location: Some("Guangdong, China".into()),
            ..Default::default()
        });
        let f = facts_of(Some(&x));
        assert_eq!(
            f.store.and_then(|s| s.location).as_deref(),
            Some("Guangdong, China")
        );
        assert_eq!(f.checkout, None);
    }

    /// A fact the rendered page lost is read from the page as served, for the same
    /// listing only, and never replaces what the rendered page showed.
    #[test]
    fn facts_the_rendered_page_lost_come_from_the_served_page() {
        let dir = std::env::var_os("EXHIBIT_REAL_PAGES").map_or_else(
            || {
                std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../../tests/fixtures/real-pages")
            },
            std::path::PathBuf::from,
        );
        let served = std::fs::read(dir.join("taobao/taobao-item-562283240178.html"))
            .unwrap_or_else(|e| panic!("the real Taobao page ({e}); set EXHIBIT_REAL_PAGES"));
        let body = vec![NewArtifact::new(
            exhibit_domain::artifact_kind::BODY,
            "text/html",
            served,
        )];
        let headers = vec![exhibit_domain::Header {
            name: "Content-Type".into(),
            value: "text/html; charset=utf-8".into(),
            value_was_lossy: false,
        }];
        let url = url::Url::parse("https://item.taobao.com/item.htm?id=562283240178")
            .unwrap_or_else(|e| panic!("{e}"));
        let rendered = |listing_id: &str| ListingFacts {
            marketplace: Some("taobao".into()),
            page_kind: Some("listing".into()),
            listing_id: Some(listing_id.into()),
            title: Some("as the rendered page showed it".into()),
            ..ListingFacts::default()
        };
        let mut facts = rendered("562283240178");
        let mut notes = Vec::new();
        fill_from_served(&mut facts, &body, &headers, &url, &mut notes);
        assert_eq!(facts.seller.as_deref(), Some("怡科外设KBDfans"));
        assert_eq!(facts.price.as_deref(), Some("149.00"));
        assert_eq!(facts.currency.as_deref(), Some("CNY"));
        assert_eq!(
            facts.title.as_deref(),
            Some("as the rendered page showed it")
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("seller") && notes[0].contains("as the server sent it"));

        // A rendered page that lost what names the listing gets it from the served one.
        let mut bare = ListingFacts {
            page_kind: Some("other".into()),
            ..ListingFacts::default()
        };
        let mut notes = Vec::new();
        fill_from_served(&mut bare, &body, &headers, &url, &mut notes);
        assert_eq!(bare.marketplace.as_deref(), Some("taobao"));
        assert_eq!(bare.listing_id.as_deref(), Some("562283240178"));
        assert_eq!(bare.seller.as_deref(), Some("怡科外设KBDfans"));

        // Another listing's page fills nothing.
        let mut other = rendered("1");
        let mut notes = Vec::new();
        fill_from_served(&mut other, &body, &headers, &url, &mut notes);
        assert!(other.seller.is_none() && notes.is_empty());
    }

    #[test]
    fn a_block_page_is_never_ok() {
        for status in [200, 403, 429, 503] {
            let (s, why) = judge(None, Some(status), Some(&page(PageKind::Blocked)));
            assert_eq!(s, CaptureStatus::Blocked, "{status}");
            assert!(why.is_some_and(|w| w.contains("not evidence")));
        }
        // A refusal is blocked even if the page looks like a listing.
        for status in [401, 403, 407, 429, 451] {
            let (s, _) = judge(None, Some(status), Some(&page(PageKind::Listing)));
            assert_eq!(s, CaptureStatus::Blocked, "{status}");
        }
    }

    #[test]
    fn removed_failed_and_ok() {
        assert_eq!(
            judge(None, Some(404), Some(&page(PageKind::Removed))).0,
            CaptureStatus::Removed
        );
        assert_eq!(judge(None, Some(410), None).0, CaptureStatus::Removed);
        assert_eq!(
            judge(None, Some(200), Some(&page(PageKind::Removed))).0,
            CaptureStatus::Removed
        );
        assert_eq!(
            judge(None, Some(500), Some(&page(PageKind::Other))).0,
            CaptureStatus::Failed
        );
        assert_eq!(
            judge(None, Some(200), Some(&page(PageKind::Listing))).0,
            CaptureStatus::Ok
        );
        assert_eq!(
            judge(Some("slow"), Some(200), Some(&page(PageKind::Listing))),
            (CaptureStatus::Failed, Some("slow".into()))
        );
    }
}
