//! Flat, stable JSON views of captures for front ends (`list --json`, `show --json`, the app).

use serde::Serialize;

use exhibit_domain::{ArtifactSummary, Capture, CaptureStatus, Redirect};

/// One capture as listed. Field names are a contract with outside scripts: only add.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaptureView {
    pub id: i64,
    pub mode: String,
    pub requested_url: String,
    pub final_url: Option<String>,
    pub status: CaptureStatus,
    pub http_status: Option<u16>,
    pub page_kind: Option<String>,
    pub marketplace: Option<String>,
    pub listing_id: Option<String>,
    pub title: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub seller: Option<String>,
    pub started_at: String,
    pub finished_at: String,
    pub remote_addr: Option<String>,
    pub redirects: Vec<Redirect>,
    pub error: Option<String>,
    pub record_sha256: String,
    pub artifacts: Vec<ArtifactSummary>,
}

/// One capture with everything recorded.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CaptureDetail {
    #[serde(flatten)]
    pub summary: CaptureView,
    pub canonical_url: Option<String>,
    /// The listing's main image as the page named it; its bytes, when they could be had,
    /// are the `image` artifact.
    pub main_image: Option<String>,
    /// What a storefront page showed about its seller (page kind `store`); left out of
    /// the JSON when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub store: Option<exhibit_domain::StoreFacts>,
    /// Where a checkout page's order ships and what it costs (page kind `checkout`);
    /// left out of the JSON when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub checkout: Option<exhibit_domain::CheckoutFacts>,
    pub charset: Option<String>,
    pub http_version: Option<String>,
    pub headers: Vec<exhibit_domain::Header>,
    pub tls: Option<exhibit_domain::TlsFacts>,
    pub notes: Vec<String>,
    pub collector: exhibit_domain::Collector,
    pub environment: exhibit_domain::Environment,
    /// The browser that rendered a browser-mode capture.
    pub browser: Option<exhibit_domain::BrowserFacts>,
    /// The web archive an imported capture came from and its verified signature
    /// (`signature` null: unsigned); null for a capture Exhibit took itself.
    pub archive: Option<exhibit_domain::ArchiveSource>,
    /// Why Exhibit took the capture of its own accord (`recapture_of` a listing,
    /// `discovered_from` a store or search page's capture); null when the user chose the URL.
    pub context: Option<exhibit_domain::CaptureContext>,
}

impl From<&Capture> for CaptureView {
    fn from(c: &Capture) -> Self {
        let r = &c.record;
        CaptureView {
            id: c.id,
            mode: r.mode.clone(),
            requested_url: r.requested_url.clone(),
            final_url: r.final_url.clone(),
            status: r.status,
            http_status: r.http_status,
            page_kind: r.facts.page_kind.clone(),
            marketplace: r.facts.marketplace.clone(),
            listing_id: r.facts.listing_id.clone(),
            title: r.facts.title.clone(),
            price: r.facts.price.clone(),
            currency: r.facts.currency.clone(),
            seller: r.facts.seller.clone(),
            started_at: r.started_at.clone(),
            finished_at: r.finished_at.clone(),
            remote_addr: r.remote_addr.clone(),
            redirects: r.redirects.clone(),
            error: r.error.clone(),
            record_sha256: c.record_sha256.to_hex(),
            artifacts: c.artifacts.clone(),
        }
    }
}

impl From<&Capture> for CaptureDetail {
    fn from(c: &Capture) -> Self {
        let r = &c.record;
        CaptureDetail {
            summary: CaptureView::from(c),
            canonical_url: r.facts.canonical_url.clone(),
            main_image: r.facts.main_image.clone(),
            store: r.facts.store.clone(),
            checkout: r.facts.checkout.clone(),
            charset: r.facts.charset.clone(),
            http_version: r.http_version.clone(),
            headers: r.headers.clone(),
            tls: r.tls.clone(),
            notes: r.notes.clone(),
            collector: r.collector.clone(),
            environment: r.environment.clone(),
            browser: r.browser.clone(),
            archive: r.archive.clone(),
            context: r.context.clone(),
        }
    }
}
