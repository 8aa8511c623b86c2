//! Rendered capture of a listing in the system's Chrome or Chromium, over the DevTools
//! Protocol.
//!
//! This crate owns one job: drive a real browser to a page (or take the tab a user has open)
//! and hand back everything it saw as [`BrowserCapture`]: the redirect chain, the main
//! document's status, headers, remote address and TLS certificate, and the artifacts
//! `screenshot` (full-page PNG), `mhtml`, `dom`, `pdf`, `text`, `network` (a JSON log of every
//! request) and `body` (the main document's raw bytes), and, when the caller names the
//! page's main image ([`ImagePicker`]), that image's bytes as the page received them. Each artifact is an
//! [`exhibit_domain::NewArtifact`], hashed the moment its bytes arrive from the browser.
//!
//! Main types: [`find_browser`] locates the executable, [`BrowserOptions`] says how to launch
//! it, [`Browser`] is the running instance (one profile per case) with
//! [`Browser::capture`] and [`Browser::snap_current`], and [`BrowserFacts`] describes the
//! browser for the capture record.
//!
//! What it never does:
//! - it never judges a page (`ok`, `blocked`, `removed` belong to the facade and extraction);
//! - it never stores anything: the artifacts stay in memory until the caller stores them in
//!   the encrypted case file (only the browser's own profile, cookies and cache, is on disk);
//! - it never downloads a browser: it uses the one installed, or says what to install;
//! - it never ignores certificate errors, and trusts extra roots only inside the case's
//!   profile (see [`BrowserOptions::extra_root_pems`]);
//! - it never shows captured content anywhere but in the Chromium it drives.
//!
//! Every capture is bounded by [`BrowserOptions::page_timeout`]: the page gets half of it to
//! load and settle (load event, a short quiet, a scroll pass for lazy images while the
//! network idle period runs on, another as soon as the page is drawn taller during it, and
//! a last one if the page grew after the quiet) and
//! the artifacts get the rest. On a timeout, a crash or a navigation error the capture comes
//! back with what it had and a one-sentence `error`.

mod browser;
mod capture;
mod error;
mod find;
mod launch;
mod options;
mod recorder;
mod timing;

use chrono::{DateTime, Utc};
pub use exhibit_domain::{Header, NewArtifact, Redirect};

pub use browser::Browser;
pub use error::{BrowserError, INSTALL_HINT};
pub use find::{
    BROWSER_ENV, BROWSER_NAMES, HEADLESS_SHELL_NAMES, find_browser, headless_shell_for,
};
pub use options::{
    BrowserOptions, DEFAULT_MAX_SCREENSHOT_HEIGHT, DEFAULT_NETWORK_IDLE, DEFAULT_PAGE_TIMEOUT,
    DEFAULT_VIEWPORT, ImagePicker,
};

/// Artifact kind names of browser mode. Stable: the CLI and outside scripts use them.
pub mod artifact_kind {
    /// Full-page PNG, cut at [`crate::BrowserOptions::max_screenshot_height`].
    pub const SCREENSHOT: &str = "screenshot";
    /// The page as Chromium saves it: MHTML, `multipart/related`.
    pub const MHTML: &str = "mhtml";
    /// The rendered DOM, `document.documentElement.outerHTML` with its doctype, UTF-8.
    pub const DOM: &str = "dom";
    /// The page printed to PDF (A4, backgrounds on).
    pub const PDF: &str = "pdf";
    /// The visible text, `document.body.innerText`, UTF-8.
    pub const TEXT: &str = "text";
    /// A JSON array with every request and response of the page load.
    pub const NETWORK: &str = "network";
    /// The main document's response body exactly as received (as in HTTP mode).
    pub const BODY: &str = exhibit_domain::artifact_kind::BODY;
}

/// The main image a page named, and its bytes if the page loaded it.
#[derive(Clone, PartialEq, Eq)]
pub struct MainImage {
    /// The URL the picker named.
    pub url: String,
    /// The browser's own response for it; `None` when the page never loaded it, or the
    /// browser no longer held its body (then [`MainImage::missing`] says which).
    pub response: Option<ImageResponse>,
    /// Why there is no response, as a sentence fragment.
    pub missing: Option<String>,
}

/// A response the browser received, body and all (`Network.getResponseBody`).
#[derive(Clone, PartialEq, Eq)]
pub struct ImageResponse {
    /// The URL that answered (after any redirects the browser followed).
    pub url: String,
    pub status: u16,
    /// The MIME type the browser gave it.
    pub mime_type: String,
    /// Served from the browser's cache rather than the network.
    pub from_cache: bool,
    /// The body exactly as the browser decoded it.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for MainImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MainImage")
            .field("url", &self.url)
            .field(
                "response",
                &self
                    .response
                    .as_ref()
                    .map(|r| (r.status, &r.mime_type, r.bytes.len())),
            )
            .field("missing", &self.missing)
            .finish()
    }
}

impl std::fmt::Debug for ImageResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageResponse")
            .field("url", &self.url)
            .field("status", &self.status)
            .field("mime_type", &self.mime_type)
            .field("from_cache", &self.from_cache)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// The browser a capture was made with, for the capture record (defined in the domain,
/// so the record and this crate share one type).
pub use exhibit_domain::BrowserFacts;

/// Everything one browser capture produced. A failed capture still carries what it had.
#[derive(Clone)]
pub struct BrowserCapture {
    pub requested_url: String,
    pub final_url: Option<String>,
    /// The main document's HTTP redirect chain (`Network.requestWillBeSent` redirectResponse).
    pub redirects: Vec<Redirect>,
    pub http_status: Option<u16>,
    /// `HTTP/1.1`, `HTTP/2.0`, `HTTP/3.0`, spelled as in HTTP mode.
    pub http_version: Option<String>,
    /// The main document's response headers, in wire order when Chromium reports it.
    pub headers: Vec<Header>,
    /// `ip:port` of the main document (`[ip]:port` for IPv6).
    pub remote_addr: Option<String>,
    /// DER of the main document's leaf certificate (`Network.getCertificate`), if HTTPS.
    pub tls_certificate_der: Option<Vec<u8>>,
    /// The whole chain as Chromium reports it, leaf first.
    pub tls_certificate_chain_der: Vec<Vec<u8>>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// The DOM after load, for extraction (the same text as the `dom` artifact).
    pub rendered_html: Option<String>,
    /// Each hashed at construction; kinds in [`artifact_kind`].
    pub artifacts: Vec<NewArtifact>,
    /// `(full height, captured height)` in CSS px when the page was taller than the cap.
    pub screenshot_cut: Option<(u32, u32)>,
    /// The marketplace account shown on the page; filled by the facade.
    pub logged_in_as: Option<String>,
    /// The page's main image, when [`BrowserOptions::main_image`] named one.
    pub main_image: Option<MainImage>,
    pub browser: BrowserFacts,
    /// Things a reviewer should know that are not errors (dialogs, script navigation, cuts).
    pub notes: Vec<String>,
    /// One plain sentence when the capture failed (timeout, crash, navigation error).
    pub error: Option<String>,
}

impl BrowserCapture {
    fn new(requested_url: &str, started_at: DateTime<Utc>, browser: BrowserFacts) -> Self {
        BrowserCapture {
            requested_url: requested_url.to_string(),
            final_url: None,
            redirects: Vec::new(),
            http_status: None,
            http_version: None,
            headers: Vec::new(),
            remote_addr: None,
            tls_certificate_der: None,
            tls_certificate_chain_der: Vec::new(),
            started_at,
            finished_at: started_at,
            rendered_html: None,
            artifacts: Vec::new(),
            screenshot_cut: None,
            logged_in_as: None,
            main_image: None,
            browser,
            notes: Vec::new(),
            error: None,
        }
    }

    /// The artifact of this kind, if it was taken.
    pub fn artifact(&self, kind: &str) -> Option<&NewArtifact> {
        self.artifacts.iter().find(|a| a.kind() == kind)
    }
}

impl std::fmt::Debug for BrowserCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserCapture")
            .field("requested_url", &self.requested_url)
            .field("final_url", &self.final_url)
            .field("redirects", &self.redirects)
            .field("http_status", &self.http_status)
            .field("http_version", &self.http_version)
            .field("headers", &self.headers.len())
            .field("remote_addr", &self.remote_addr)
            .field(
                "tls_certificate_der",
                &self.tls_certificate_der.as_ref().map(Vec::len),
            )
            .field("started_at", &self.started_at)
            .field("finished_at", &self.finished_at)
            .field(
                "rendered_html",
                &self.rendered_html.as_ref().map(String::len),
            )
            .field("artifacts", &self.artifacts)
            .field("screenshot_cut", &self.screenshot_cut)
            .field("logged_in_as", &self.logged_in_as)
            .field("main_image", &self.main_image)
            .field("browser", &self.browser)
            .field("notes", &self.notes)
            .field("error", &self.error)
            .finish()
    }
}
