//! From one page to all of a seller's listings: the listings a captured store or search
//! page links to, what the case already holds of them, and a batch that captures the
//! rest.
//!
//! The links are read off the page's stored bytes (the browser's `dom`, else the HTTP
//! `decoded-body` or `body`, checked against their hashes on the way), never fetched
//! again: what was discovered is what the capture shows. Each capture taken from them
//! records the page it was found on (`context.discovered_from`).

use std::io::Read;

use exhibit_domain::{CaptureContext, artifact_kind};
use exhibit_extract::{ListingLinks, MAX_LISTING_LINKS, Page};
use serde::Serialize;

use crate::batch::Target;
use crate::{BatchEvent, BatchOptions, BatchSummary, Case, Error, Result, StoreError};

/// The largest stored page read for its links; no capture limit lets a bigger one in.
const MAX_PAGE_BYTES: u64 = 256 * 1024 * 1024;

/// One listing a page links to. Field names are a contract with outside scripts.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DiscoveredListing {
    /// The link, absolute, as the page gives it (without its `#fragment`).
    pub url: String,
    pub marketplace: String,
    /// The marketplace's id of the listing, as its capture records it.
    pub listing_id: String,
    /// Whether the case holds a capture of this listing already.
    pub in_case: bool,
    /// The case's listing id (`exhibit listings`), when it holds it.
    pub case_listing: Option<i64>,
}

/// What a store or search page links to. Field names are a contract with outside scripts.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Discovery {
    /// The capture of the store or search page.
    pub capture_id: i64,
    /// `store` or `search`.
    pub page_kind: String,
    pub marketplace: Option<String>,
    /// The page's URL, as it was finally served.
    pub page_url: String,
    /// The stored artifact the links were read from: `dom`, `decoded-body` or `body`.
    pub read_from: String,
    /// In page order, each listing once.
    pub listings: Vec<DiscoveredListing>,
    /// How many of them the case holds already.
    pub in_case: usize,
    /// Whether the page links to more listings than were kept.
    pub cut: bool,
    /// What a reader should know about the list, in plain words (a cut, say).
    pub notes: Vec<String>,
}

impl Discovery {
    /// The listings the case does not hold yet.
    pub fn new_listings(&self) -> impl Iterator<Item = &DiscoveredListing> {
        self.listings.iter().filter(|l| !l.in_case)
    }
}

impl Case {
    /// The listings that the captured store or search page `capture_id` links to, each
    /// with whether the case holds it already. A capture of any other page is refused
    /// with a plain sentence ([`Error::Input`]).
    pub fn discover(&self, capture_id: i64) -> Result<Discovery> {
        let (capture, kind, bytes) = {
            let store = self.store();
            let capture = store.capture(capture_id)?;
            let page_kind = capture.record.facts.page_kind.as_deref();
            if !matches!(page_kind, Some("store" | "search")) {
                return Err(Error::Input(not_a_store_page(capture_id, page_kind)));
            }
            let Some(stored) = [
                exhibit_browser::artifact_kind::DOM,
                artifact_kind::DECODED_BODY,
                artifact_kind::BODY,
            ]
            .into_iter()
            .find_map(|k| capture.artifacts.iter().find(|a| a.kind == k)) else {
                return Err(Error::Input(format!(
                    "Capture {capture_id} keeps no copy of its page (no dom or body), so there are no links to read."
                )));
            };
            if stored.size > MAX_PAGE_BYTES {
                return Err(Error::Input(format!(
                    "The stored page of capture {capture_id} is {} bytes, more than Exhibit reads for links.",
                    stored.size
                )));
            }
            let kind = stored.kind.clone();
            let mut bytes = Vec::new();
            store
                .open_artifact(capture_id, &kind)?
                .take(MAX_PAGE_BYTES)
                .read_to_end(&mut bytes)
                .map_err(|e| read_error(e, capture_id, &kind))?;
            (capture, kind, bytes)
        };
        let record = &capture.record;
        let page_url = record
            .final_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .or_else(|| url::Url::parse(&record.requested_url).ok())
            .ok_or_else(|| {
                Error::Input(format!(
                    "Capture {capture_id} has no usable URL to resolve its links against."
                ))
            })?;
        let content_type = if kind == exhibit_browser::artifact_kind::DOM {
            Some("text/html; charset=utf-8".to_owned())
        } else {
            record
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-type"))
                .map(|h| h.value.clone())
        };
        let marketplace = record.facts.marketplace.clone();
        let found: ListingLinks = exhibit_extract::listing_links(
            &Page {
                url: &page_url,
                http_status: record.http_status,
                content_type: content_type.as_deref(),
                body: &bytes,
            },
            marketplace.as_deref(),
            MAX_LISTING_LINKS,
        );
        let mut notes = Vec::new();
        if found.cut {
            notes.push(format!(
                "The page links to more than {MAX_LISTING_LINKS} listings; the first {MAX_LISTING_LINKS} are listed."
            ));
        }
        if found.anchors_cut {
            notes.push(format!(
                "The page has more than {} links; those after them were not read.",
                exhibit_extract::MAX_ANCHORS
            ));
        }
        let listings = {
            let store = self.store();
            found
                .links
                .into_iter()
                .map(|l| {
                    let case_listing = store.listing_by_ref(&l.marketplace, &l.listing_id)?;
                    Ok(DiscoveredListing {
                        url: l.url,
                        marketplace: l.marketplace,
                        listing_id: l.listing_id,
                        in_case: case_listing.is_some(),
                        case_listing,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        };
        Ok(Discovery {
            capture_id,
            page_kind: record.facts.page_kind.clone().unwrap_or_default(),
            marketplace,
            page_url: page_url.into(),
            read_from: kind,
            in_case: listings.iter().filter(|l| l.in_case).count(),
            listings,
            cut: found.cut,
            notes,
        })
    }

    /// Captures the listings of `found` that the case does not hold yet, as
    /// [`Case::capture_urls`] does; each capture records the page it was found on.
    pub fn capture_discovered(
        &self,
        found: &Discovery,
        options: BatchOptions,
        progress: impl FnMut(&BatchEvent),
    ) -> Result<BatchSummary> {
        let targets = found
            .new_listings()
            .map(|l| Target {
                url: l.url.clone(),
                context: Some(CaptureContext {
                    discovered_from: Some(found.capture_id),
                    ..CaptureContext::default()
                }),
            })
            .collect();
        self.capture_targets(targets, options, progress)
    }
}

/// Why a capture that is not a store or search page has no listings to discover.
fn not_a_store_page(capture_id: i64, page_kind: Option<&str>) -> String {
    let what = match page_kind {
        Some("listing") => "a listing page",
        Some("blocked") => "a blocked page (a CAPTCHA or login wall)",
        Some("removed") => "a removed listing",
        Some(_) => "a page Exhibit does not recognise as a store",
        None => "no page Exhibit could read",
    };
    format!(
        "Capture {capture_id} is {what}, not a store or search page; discover reads the listings that a captured store or search page links to."
    )
}

/// A stored page that could not be read: a changed one says so as `verify` would.
fn read_error(e: std::io::Error, capture_id: i64, kind: &str) -> Error {
    let tampered = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<StoreError>())
        .is_some_and(|s| matches!(s, StoreError::ArtifactTampered { .. }));
    if tampered {
        Error::Store(StoreError::ArtifactTampered {
            capture_id,
            kind: kind.to_owned(),
        })
    } else {
        Error::Internal(format!("reading the {kind} of capture {capture_id}: {e}"))
    }
}
