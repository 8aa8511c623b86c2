//! The domain of Exhibit: what a case holds, with no I/O.
//!
//! The main types are [`CaptureRecord`] (everything one capture knows about a listing
//! URL), [`NewArtifact`] (exact bytes with the SHA-256 taken the moment they exist),
//! [`CustodyEvent`] (one link of the hash-chained custody log), [`Collector`],
//! [`Party`] and [`IpRight`]. Two small parsers of outside bytes live here too, because
//! every front end needs them and they need nothing else: [`parse_url_list`] (the URL
//! lists a batch starts from) and [`snap_request`] (the `exhibit browse` socket's
//! request line).
//!
//! This crate never touches a file, a socket or SQL. Every other crate depends on it;
//! it depends on none of them.

pub mod campaign;
mod custody;
mod digest;
pub mod doc;
pub mod snap_request;
mod url_list;

pub use custody::{Break, ChainBreak, CustodyEvent, CustodyEventKind, GENESIS_HASH, walk_chain};
pub use digest::{Digest, sha256};
pub use url_list::{UrlListError, parse_url_list};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// Formats a UTC time as RFC 3339 with milliseconds and a `Z`, the one form stored.
pub fn rfc3339_millis(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The judgement on one capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum CaptureStatus {
    /// The page as served was captured; it may be a listing, a search page or a store.
    Ok,
    /// The page is a login wall, CAPTCHA, robot check or access-denied page. Never evidence of the listing.
    Blocked,
    /// 404, 410 or a "listing not found" page. Evidence of a takedown, not of a live listing.
    Removed,
    /// Nothing usable came back; `error` says why.
    Failed,
}

impl CaptureStatus {
    /// The stable lower-case name used in storage, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureStatus::Ok => "ok",
            CaptureStatus::Blocked => "blocked",
            CaptureStatus::Removed => "removed",
            CaptureStatus::Failed => "failed",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ok" => Some(CaptureStatus::Ok),
            "blocked" => Some(CaptureStatus::Blocked),
            "removed" => Some(CaptureStatus::Removed),
            "failed" => Some(CaptureStatus::Failed),
            _ => None,
        }
    }
}

impl std::fmt::Display for CaptureStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who collects the evidence. Printed in every packet and declaration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Collector {
    pub name: String,
    #[ts(optional = nullable)]
    pub organization: Option<String>,
    #[ts(optional = nullable)]
    pub role: Option<String>,
    #[ts(optional = nullable)]
    pub contact: Option<String>,
}

/// The role a party plays in a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    RightsHolder,
    Agent,
}

/// The rights holder or an agent acting for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub role: PartyRole,
    pub name: String,
    pub organization: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The kind of an intellectual-property right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IpRightKind {
    Trademark,
    Copyright,
    Design,
    Patent,
}

/// A registration (trademark, copyright, design or patent) held by the rights holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpRight {
    pub kind: IpRightKind,
    pub registration_number: String,
    /// The office or jurisdiction: USPTO, CNIPA, EUIPO and so on.
    pub office: String,
    pub classes: Vec<String>,
    pub owner: String,
}

/// One redirect hop, exactly as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Redirect {
    /// The URL that answered with a redirect.
    pub url: String,
    pub status: u16,
    /// The `Location` header as sent (it may be relative).
    pub location: String,
}

/// One response header, in the order received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Header {
    pub name: String,
    /// The value; bytes that are not UTF-8 are replaced and `value_was_lossy` is set.
    pub value: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub value_was_lossy: bool,
}

/// The TLS facts of an HTTPS capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TlsFacts {
    /// SHA-256 over the DER of the server's leaf certificate; the DER itself is the `certificate` artifact.
    pub peer_certificate_sha256: Option<Digest>,
}

/// Where and with what a capture was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Environment {
    pub tool: String,
    pub tool_version: String,
    pub user_agent: String,
    pub hostname: String,
    pub os: String,
    /// The collector's local time zone offset when the capture ran, e.g. `+08:00`.
    pub local_utc_offset: String,
    /// Where the times came from. Until trusted timestamps exist this is the local system clock.
    pub clock_source: String,
    /// Whether a proxy was used (never picked up silently from the environment).
    pub proxy: Option<String>,
    /// `--resolve` overrides in force, as `HOST:PORT:ADDR`.
    pub resolve_overrides: Vec<String>,
    /// Extra trusted roots in force, as SHA-256 of their DER.
    pub extra_root_certificates: Vec<Digest>,
}

/// What the extractor read off the page. All optional: a blocked page has few of these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingFacts {
    pub marketplace: Option<String>,
    /// `listing`, `blocked`, `removed`, `search`, `store`, `checkout` or `other`.
    pub page_kind: Option<String>,
    pub listing_id: Option<String>,
    pub title: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub seller: Option<String>,
    /// The marketplace's own id for the seller or shop (Taobao/Tmall shop id, AliExpress
    /// store number, Amazon merchant id, eBay user name, ...; `exhibit_extract`'s
    /// `Extraction::seller_id` says which per marketplace), when the page showed one.
    /// Left out of the JSON when absent, so records taken before it existed, and
    /// records without one, serialise (and hash) exactly as they always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<String>,
    /// The absolute URL of the listing's main product image, as the page names it
    /// (`exhibit_extract`'s `Extraction::main_image`). Its bytes, when they could be
    /// had, are the capture's `image` artifact. Left out of the JSON when absent, like
    /// `seller_id`, so older records hash as they always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_image: Option<String>,
    pub canonical_url: Option<String>,
    /// The charset the page was decoded with.
    pub charset: Option<String>,
    /// On a storefront or seller profile page (`page_kind` `store`): who the seller says
    /// it is and where. Left out of the JSON when absent, like `seller_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreFacts>,
    /// On a checkout page (`page_kind` `checkout`): where the order ships and what it
    /// costs. Left out of the JSON when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout: Option<CheckoutFacts>,
}

/// What a storefront or seller profile page shows about the seller, each as shown
/// (trimmed, on one line). A court asks where a defendant is: `address` and `location`
/// are what the page itself says, never inferred.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct StoreFacts {
    /// The shop's shown name ("ACME Lights Store"; the store header, Amazon's seller
    /// name, `Store name:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop_name: Option<String>,
    /// The legal business name where the page shows one: Amazon's `Business Name:`,
    /// AliExpress's `Company name:`, the 企业名称 of a Taobao/Tmall business licence panel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_name: Option<String>,
    /// The business address as shown: Amazon's `Business Address:` rows joined with
    /// ", ", a licence panel's 地址 / 住所, AliExpress's `Address:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The location as shown where there is no full address ("Zhejiang, China", 所在地).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The rating as shown ("4.7 out of 5 | 96% positive in the last 12 months", "95.8%
    /// Positive feedback"), else the page's JSON-LD organisation rating ("4.8").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    /// When the store opened, as shown ("Open since: Mar 14, 2019", "2019-03-14").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened: Option<String>,
}

impl StoreFacts {
    /// Whether the page shows where the seller is: a business address, a location or a
    /// business name. The one rule for a storefront a Schedule A exhibit can rely on.
    pub fn shows_where(&self) -> bool {
        [&self.address, &self.location, &self.business_name]
            .into_iter()
            .flatten()
            .any(|v| !v.trim().is_empty())
    }
}

/// What a checkout (order confirmation before paying) page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CheckoutFacts {
    /// The marketplace's id of the listing being bought, by the extractor's URL rules for
    /// listing ids, when every listing link, posted id and checkout URL parameter of the
    /// order names the same one (None for an order of several). Kept here, not in
    /// `ListingFacts::listing_id`, so a checkout never counts as a capture of the
    /// listing itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_id: Option<String>,
    /// The seller's shown name, where the page names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<String>,
    /// The seller's id, by the same rules as `ListingFacts::seller_id`, read from the
    /// order's link to the seller's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<String>,
    /// The ship-to address as shown, on one line, without the recipient's name and phone
    /// where the page shows them apart ("233 S Wacker Dr, Chicago, IL 60606, United
    /// States"; a logged-in page may show only part of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<String>,
    /// The ship-to region read off the address: `US-IL`, or the country (`US`) alone
    /// ([`region_of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to_region: Option<String>,
    /// The order total, "." decimal point, digits as displayed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// ISO 4217 code of the total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// Lower case, letters and digits only (any script), single spaces.
pub fn normalise_title(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// An environment lookup over fixed `(name, value)` pairs. Where Exhibit looks for
/// installed browsers and fonts depends on variables (`ProgramFiles`, `LOCALAPPDATA`,
/// `HOME`); those functions take a lookup instead of reading the process's environment,
/// so the places they name can be checked for any system's variables.
pub fn env_lookup<'a>(
    pairs: &'a [(&'a str, &'a str)],
) -> impl Fn(&str) -> Option<std::ffi::OsString> + 'a {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| std::ffi::OsString::from(v))
    }
}

/// The region of an address: `CC-ST` for one that ends "…, ST, CC" or "…, ST 60601, CC"
/// (a US state or another two-letter subdivision before the country), `CC` for a
/// country alone. The country is a two-letter code or a spelled-out United States.
pub fn region_of(address: &str) -> Option<String> {
    let parts: Vec<&str> = address
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let two_letters = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic());
    let country = match parts.last()?.to_ascii_uppercase().as_str() {
        "USA" | "U.S.A." | "U.S." | "UNITED STATES" | "UNITED STATES OF AMERICA" => "US".to_owned(),
        c if two_letters(c) => c.to_owned(),
        _ => return None,
    };
    // "IL" or "IL 60601" (a state then a ZIP code).
    let state = |p: &str| -> Option<String> {
        let mut words = p.split_whitespace();
        let st = words.next()?;
        let rest: Vec<&str> = words.collect();
        let zip_ok = rest.is_empty()
            || (rest.len() == 1 && rest[0].bytes().all(|b| b.is_ascii_digit() || b == b'-'));
        (two_letters(st) && zip_ok).then(|| st.to_ascii_uppercase())
    };
    match parts.len() {
        n if n >= 3 => match state(parts[n - 2]) {
            Some(st) => Some(format!("{country}-{st}")),
            None => Some(country),
        },
        _ => Some(country),
    }
}

/// Everything one capture knows, apart from the artifact bytes.
///
/// Serialised to JSON this is the capture's canonical record; its SHA-256 is stored
/// with it and carried in the custody log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureRecord {
    /// `http` (and later `browser`).
    pub mode: String,
    pub requested_url: String,
    pub final_url: Option<String>,
    pub redirects: Vec<Redirect>,
    pub http_version: Option<String>,
    pub http_status: Option<u16>,
    pub headers: Vec<Header>,
    /// `IP:port` of the server actually connected to.
    pub remote_addr: Option<String>,
    pub tls: Option<TlsFacts>,
    pub started_at: String,
    pub finished_at: String,
    pub status: CaptureStatus,
    /// Why the status is `failed`, `blocked` or `removed`, in one plain sentence.
    pub error: Option<String>,
    /// Things a reviewer should know that are not errors (an image instead of a page, say).
    pub notes: Vec<String>,
    pub facts: ListingFacts,
    pub collector: Collector,
    pub environment: Environment,
    /// The browser that rendered the page, for browser captures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<BrowserFacts>,
    /// The web archive an imported capture came from, and who signed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveSource>,
    /// Why the capture was taken, when Exhibit chose the URL (a recapture of a listing
    /// the case holds, a link found on a store page) rather than the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<CaptureContext>,
}

/// Why Exhibit took a capture of its own accord.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CaptureContext {
    /// Taken again to see what became of a listing the case already holds; the capture
    /// belongs to that listing even when the page no longer names it (a 404, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recapture_of: Option<ListingRef>,
    /// Found as a link on a store or search page the case holds: that page's capture id
    /// (`exhibit capture --discovered-from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovered_from: Option<i64>,
}

/// A listing by the marketplace's own names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ListingRef {
    pub marketplace: String,
    pub listing_id: String,
}

/// The web archive (WACZ) an imported capture was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ArchiveSource {
    /// The file's name as imported.
    pub file: String,
    /// SHA-256 of the whole file, hex.
    pub sha256: String,
    /// The software that wrote it, as its `datapackage.json` says.
    pub software: Option<String>,
    /// The page of its page list this capture is.
    pub page_id: String,
    /// Its signature, verified before anything was imported; `None`: unsigned.
    pub signature: Option<ArchiveSignature>,
}

/// A web archive's signature that verified (Webrecorder's WACZ signing spec).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ArchiveSignature {
    /// `domain` (a TLS certificate for a domain, chained to a trusted root) or `key`
    /// (a key nothing vouches for).
    pub method: String,
    /// The domain, or `key sha256:` and the SHA-256 of the public key's DER.
    pub signer: String,
    /// SHA-256 of the domain certificate's DER, hex; `None` for a key.
    pub certificate_sha256: Option<String>,
    /// When the signer says it signed (`created`), RFC 3339 UTC with milliseconds.
    pub signed_at: String,
    /// The signing software, e.g. `authsigner 0.3.0`.
    pub software: Option<String>,
    /// The RFC 3161 time signature's genTime, RFC 3339 UTC with milliseconds.
    pub time_stamped_at: Option<String>,
    /// The time-stamp authority's certificate subject.
    pub time_stamp_authority: Option<String>,
}

impl ArchiveSignature {
    /// One line for a reader: who signed, when, and what vouches for the time.
    pub fn describe(&self) -> String {
        let who = match self.method.as_str() {
            "domain" => format!(
                "signed by the domain {} (its certificate chained to a trusted root at the signed time)",
                self.signer
            ),
            _ => format!(
                "signed with the {} (a key nothing vouches for; compare it with one you know)",
                self.signer
            ),
        };
        let stamp = match (&self.time_stamped_at, &self.time_stamp_authority) {
            (Some(at), Some(tsa)) => format!("; time signature {at} by {tsa}"),
            (Some(at), None) => format!("; time signature {at}"),
            _ => "; no time signature, so only the signer vouches for that time".to_owned(),
        };
        format!("{who}, at {}{stamp}", self.signed_at)
    }
}

/// What rendered a browser capture: the facts a reviewer needs to reproduce the view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct BrowserFacts {
    /// Product and version, e.g. `Chrome/156.0.8078.73`.
    pub product: String,
    pub user_agent: String,
    pub viewport: (u32, u32),
    pub device_scale: f64,
    pub locale: String,
    pub timezone: String,
    /// Installed extensions (Exhibit runs with none).
    pub extensions: Vec<String>,
    pub headless: bool,
    /// The executable that was launched.
    pub executable: String,
    /// The marketplace account that was logged in, if the page showed one (the
    /// "virtual identity" of the Berkeley Protocol).
    pub logged_in_as: Option<String>,
}

/// Bytes that are about to be stored, hashed the moment they were produced.
///
/// The digest is computed in [`NewArtifact::new`] and the bytes cannot be changed
/// afterwards: that is how "hashed once, over the exact bytes" is kept.
#[derive(Clone, PartialEq, Eq)]
pub struct NewArtifact {
    kind: String,
    media_type: String,
    bytes: Vec<u8>,
    sha256: Digest,
}

impl NewArtifact {
    pub fn new(kind: impl Into<String>, media_type: impl Into<String>, bytes: Vec<u8>) -> Self {
        let sha256 = sha256(&bytes);
        NewArtifact {
            kind: kind.into(),
            media_type: media_type.into(),
            bytes,
            sha256,
        }
    }
    pub fn kind(&self) -> &str {
        &self.kind
    }
    pub fn media_type(&self) -> &str {
        &self.media_type
    }
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    pub fn sha256(&self) -> Digest {
        self.sha256
    }
    pub fn summary(&self) -> ArtifactSummary {
        ArtifactSummary {
            kind: self.kind.clone(),
            media_type: self.media_type.clone(),
            size: self.bytes.len() as u64,
            sha256: self.sha256,
        }
    }
}

impl std::fmt::Debug for NewArtifact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewArtifact")
            .field("kind", &self.kind)
            .field("media_type", &self.media_type)
            .field("size", &self.bytes.len())
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// An artifact's identity without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ArtifactSummary {
    pub kind: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: Digest,
}

/// Artifact kind names. Stable: the CLI and outside scripts use them.
pub mod artifact_kind {
    /// The response body exactly as received, after transfer decoding (content encoding kept).
    pub const BODY: &str = "body";
    /// The body with its `Content-Encoding` removed, stored only when the two differ.
    pub const DECODED_BODY: &str = "decoded-body";
    /// The server's TLS leaf certificate, DER.
    pub const CERTIFICATE: &str = "certificate";
    /// The listing's main product image (PNG, JPEG, WebP, GIF or AVIF, checked by its
    /// bytes), from the browser's own response or fetched after the page.
    pub const IMAGE: &str = "image";
    /// The screenshot as every packet prints it (a JPEG at 100 dpi across the page's
    /// text width), made from the screenshot when the capture is taken so that an
    /// export copies it instead of decoding each screenshot again. Derived, not
    /// evidence: the same screenshot always gives the same bytes, so anyone can make it
    /// again and compare.
    pub const SCREENSHOT_PRINT: &str = "screenshot-print";
}

/// A stored capture as listed and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capture {
    pub id: i64,
    pub record: CaptureRecord,
    /// SHA-256 of the canonical record JSON as stored.
    pub record_sha256: Digest,
    pub artifacts: Vec<ArtifactSummary>,
}

/// What a capture's trusted timestamp covers: the exact bytes whose SHA-256 is sent to an
/// RFC 3161 time-stamp authority. It names the capture's record hash and every
/// artifact's hash, so one token fixes all of them in time. The bytes are stored with
/// the token and carried in the bundle beside it, so `openssl ts -verify -data` can
/// check them; they are JSON in this field order with a final newline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimestampStatement {
    /// [`TimestampStatement::VERSION`].
    pub statement: String,
    pub capture_id: i64,
    pub requested_url: String,
    pub finished_at: String,
    pub record_sha256: Digest,
    pub artifacts: Vec<ArtifactSummary>,
}

impl TimestampStatement {
    /// Names this layout; a later one gets a new name.
    pub const VERSION: &'static str = "exhibit-capture-timestamp-v1";

    /// The statement for a stored capture.
    pub fn for_capture(capture: &Capture) -> Self {
        TimestampStatement {
            statement: Self::VERSION.to_owned(),
            capture_id: capture.id,
            requested_url: capture.record.requested_url.clone(),
            finished_at: capture.record.finished_at.clone(),
            record_sha256: capture.record_sha256,
            artifacts: capture.artifacts.clone(),
        }
    }

    /// The exact bytes that are hashed and stamped.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain strings, integers and digests cannot fail.
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_the_address() {
        assert_eq!(region_of("Chicago, IL, US").as_deref(), Some("US-IL"));
        assert_eq!(
            region_of("1 Main St, Chicago, il, USA").as_deref(),
            Some("US-IL")
        );
        assert_eq!(
            region_of("233 S Wacker Dr\nChicago, IL 60606\nUnited States").as_deref(),
            Some("US-IL")
        );
        assert_eq!(region_of("Berlin, DE").as_deref(), Some("DE"));
        assert_eq!(
            region_of("Main St, Springfield, 62701, US").as_deref(),
            Some("US")
        );
        assert_eq!(region_of("somewhere").as_deref(), None);
        assert_eq!(region_of("").as_deref(), None);
    }

    #[test]
    fn artifact_hash_is_taken_over_exact_bytes() {
        let a = NewArtifact::new("body", "text/html", b"abc".to_vec());
        assert_eq!(
            a.sha256().to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(a.summary().size, 3);
    }

    #[test]
    fn status_names_round_trip() {
        for s in [
            CaptureStatus::Ok,
            CaptureStatus::Blocked,
            CaptureStatus::Removed,
            CaptureStatus::Failed,
        ] {
            assert_eq!(CaptureStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CaptureStatus::parse("OK"), None);
    }

    /// Capture records are stored as the JSON that was hashed: facts without a seller
    /// id must serialise exactly as they did before the field existed, and old records
    /// must still read.
    #[test]
    fn facts_without_a_seller_id_serialise_as_before() {
        let before = r#"{"marketplace":"taobao","page_kind":"listing","listing_id":"601465987171","title":"火锅蘸料","price":"26.93","currency":"CNY","seller":"宏发美食调味商城","canonical_url":null,"charset":"UTF-8"}"#;
        let facts: ListingFacts = serde_json::from_str(before).expect("old facts read");
        assert_eq!(facts.seller_id, None);
        assert_eq!(serde_json::to_string(&facts).expect("serialise"), before);

        let with_id = ListingFacts {
            seller_id: Some("103890057".into()),
            ..facts
        };
        let json = serde_json::to_string(&with_id).expect("serialise");
        assert!(
            json.contains(r#""seller":"宏发美食调味商城","seller_id":"103890057","canonical_url""#),
            "{json}"
        );
        let back: ListingFacts = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, with_id);
    }

    /// The same for the main image: absent, the facts hash as before; present, it sits
    /// after the seller id.
    #[test]
    fn facts_without_a_main_image_serialise_as_before() {
        let before = r#"{"marketplace":"ebay","page_kind":"listing","listing_id":"226771798286","title":"RTX","price":"3500.00","currency":"EUR","seller":"salomon0651","seller_id":"salomon0651","canonical_url":null,"charset":"UTF-8"}"#;
        let facts: ListingFacts = serde_json::from_str(before).expect("old facts read");
        assert_eq!(facts.main_image, None);
        assert_eq!(serde_json::to_string(&facts).expect("serialise"), before);
        let with_image = ListingFacts {
            main_image: Some("https://i.ebayimg.com/images/g/qvsAAOSwwLFoMPT6/s-l1600.jpg".into()),
            ..facts
        };
        let json = serde_json::to_string(&with_image).expect("serialise");
        assert!(
            json.contains(r#""seller_id":"salomon0651","main_image":"https://i.ebayimg.com/images/g/qvsAAOSwwLFoMPT6/s-l1600.jpg","canonical_url""#),
            "{json}"
        );
        let back: ListingFacts = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, with_image);
    }
}
