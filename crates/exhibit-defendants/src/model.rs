//! A defendant and its evidence, as the caller gathers it from the case.

use exhibit_domain::{CheckoutFacts, StoreFacts};
use serde::{Deserialize, Serialize};

/// One seller sued as a defendant ("Doe 3"), with the evidence the case holds of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Defendant {
    /// Its number in Schedule A, from 1, in the filing's fixed order.
    pub doe: usize,
    /// The extractor's marketplace name (`aliexpress`, `amazon`, `taobao`, …).
    pub marketplace: String,
    /// The marketplace's own id for the seller or shop, where a page showed one.
    pub seller_id: Option<String>,
    /// The name the seller sells under, as shown (the seller id when no page showed a
    /// name).
    pub alias: String,
    /// The storefront's URL: the storefront page captured, else none.
    pub store_url: Option<String>,
    /// The listings the filing names, in exhibit order.
    pub listings: Vec<DefendantListing>,
    /// The storefront or seller profile page, the newest that shows where the seller is.
    pub storefront: Option<EvidencePage>,
    /// The checkout page, the newest that ships to the forum (else the newest).
    pub checkout: Option<EvidencePage>,
    /// Test purchases from this seller, in the order made.
    pub purchases: Vec<Purchase>,
    /// The case's listings of this seller last captured `blocked`, by URL: a court
    /// cannot see what a CAPTCHA page hid.
    pub blocked_listings: Vec<String>,
}

/// A listing of a defendant, as captured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DefendantListing {
    /// Its exhibit number in the packet, once numbered.
    pub exhibit: Option<usize>,
    pub capture_id: i64,
    pub url: String,
    /// RFC 3339, UTC.
    pub captured_at: String,
    /// `ok`, `blocked`, `removed` or `failed`.
    pub status: String,
    pub title: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    /// The right it infringes, as printed ("TM-US: Trademark 1234567 (USPTO)").
    pub right: String,
    /// The main product image's 64-bit dHash, where the capture kept the image.
    pub image_dhash: Option<u64>,
    /// The picture source's key for its screenshot, when it has one.
    pub screenshot: Option<String>,
}

/// A storefront or checkout page of a defendant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidencePage {
    /// Its exhibit number in the packet, once numbered.
    pub exhibit: Option<usize>,
    pub capture_id: i64,
    pub url: String,
    /// RFC 3339, UTC.
    pub captured_at: String,
    /// What a storefront page showed.
    pub store: Option<StoreFacts>,
    /// What a checkout page showed.
    pub checkout: Option<CheckoutFacts>,
    /// The picture source's key for its screenshot, when it has one.
    pub screenshot: Option<String>,
}

/// A test purchase, with what has been recorded of it so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Purchase {
    /// The case's purchase id.
    pub id: i64,
    pub order_number: String,
    /// `YYYY-MM-DD`.
    pub ordered_on: String,
    pub platform: String,
    /// The buyer account used (a persona).
    pub buyer: Option<String>,
    /// A decimal, as text.
    pub amount: String,
    pub currency: String,
    pub ship_to: String,
    /// `US-IL`, read off the ship-to address.
    pub ship_to_region: Option<String>,
    pub ship_from: Option<String>,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    /// `YYYY-MM-DD`.
    pub delivered_on: Option<String>,
    pub verdict: Option<Verdict>,
    pub files: Vec<PurchaseFile>,
    /// The physical item's handovers, in the order recorded.
    pub custody: Vec<Handover>,
}

/// A file of a purchase (order confirmation, receipt, label, photos, comparison).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PurchaseFile {
    /// The case's id for the file.
    pub id: i64,
    /// `order`, `receipt`, `label`, `parcel-photo`, `product-photo` or `comparison`.
    pub kind: String,
    pub name: String,
    pub media_type: String,
    /// Lower-case hex.
    pub sha256: String,
    /// Where the bundle keeps it.
    pub bundle_path: String,
    /// The picture source's key, for a PNG or JPEG the packet can print.
    pub picture: Option<String>,
}

/// The comparison with a genuine item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Verdict {
    /// `counterfeit`, `genuine` or `inconclusive`.
    pub verdict: String,
    pub by: String,
    pub method: String,
}

/// One handover of the purchased item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Handover {
    pub from: String,
    pub to: String,
    pub at: String,
    pub place: String,
    pub seal: Option<String>,
}

impl Defendant {
    /// "Doe 3".
    pub fn label(&self) -> String {
        format!("Doe {}", self.doe)
    }

    /// Every exhibit number of this defendant, in the fixed order: its listings, its
    /// storefront, its checkout.
    pub fn exhibits(&self) -> Vec<usize> {
        self.listings
            .iter()
            .filter_map(|l| l.exhibit)
            .chain(self.storefront.as_ref().and_then(|p| p.exhibit))
            .chain(self.checkout.as_ref().and_then(|p| p.exhibit))
            .collect()
    }

    /// The title of its exhibit section, which the master index looks up.
    pub fn section_title(&self) -> String {
        format!(
            "{}: {}",
            self.label(),
            exhibit_venues::text::one_line(&self.alias)
        )
    }
}
