//! The closed vocabularies of a complaint: venues, addressees, infringement kinds and
//! the per-venue choices a form offers. Each has one stable lower-case name, used in
//! complaint files, JSON and the CLI.

use serde::{Deserialize, Serialize};

/// More defendants than this in one Schedule A filing gets a warning: courts have
/// severed and questioned such filings, and the lawyer chooses how to split it.
pub const SCHEDULE_A_MAX_DEFENDANTS: usize = 100;
/// The forum a Schedule A filing is for when the complaint does not say: Illinois, where
/// the Northern District hears most of these suits.
pub const SCHEDULE_A_DEFAULT_FORUM: &str = "US-IL";
/// Alibaba IPP takes at most this many URLs in one complaint.
pub const ALIBABA_MAX_URLS: usize = 300;
/// Amazon takes at most this many listings in one report.
pub const AMAZON_MAX_LISTINGS: usize = 50;
/// eBay's limit on the message to the seller, in characters.
pub const EBAY_MESSAGE_MAX_CHARS: usize = 1000;
/// eBay's limit on the brand name, in characters.
pub const EBAY_BRAND_MAX_CHARS: usize = 50;

/// Where a complaint is sent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
pub enum Venue {
    /// Alibaba Group's IP protection platform (Taobao, Tmall, 1688, Alibaba.com, AliExpress).
    #[serde(rename = "alibaba-ipp")]
    AlibabaIpp,
    /// Amazon's Report Infringement form (Brand Registry).
    #[serde(rename = "amazon")]
    Amazon,
    /// eBay's Verified Rights Owner programme, Notice of Claimed Infringement.
    #[serde(rename = "ebay-vero")]
    EbayVero,
    /// A notice under 17 U.S.C. § 512(c)(3)(A).
    #[serde(rename = "dmca")]
    Dmca,
    /// A notice under Article 16 of the EU Digital Services Act.
    #[serde(rename = "eu-dsa")]
    EuDsa,
    /// A comment to USTR's annual Review of Notorious Markets.
    #[serde(rename = "ustr-notorious-markets")]
    UstrNotoriousMarkets,
    /// A letter to an agency (CBP, the IPR Center, the EU Watch List) or an embassy's IP attaché.
    #[serde(rename = "agency-letter")]
    AgencyLetter,
    /// A US lawsuit against many sellers at once: the Schedule A of its defendants, one
    /// exhibit per defendant and the investigator's declaration.
    #[serde(rename = "schedule-a")]
    ScheduleA,
}

impl Venue {
    /// Every venue, in the order the app offers them.
    pub const ALL: [Venue; 8] = [
        Venue::AlibabaIpp,
        Venue::Amazon,
        Venue::EbayVero,
        Venue::Dmca,
        Venue::EuDsa,
        Venue::UstrNotoriousMarkets,
        Venue::AgencyLetter,
        Venue::ScheduleA,
    ];

    /// The stable name used in complaint files.
    pub fn as_str(self) -> &'static str {
        match self {
            Venue::AlibabaIpp => "alibaba-ipp",
            Venue::Amazon => "amazon",
            Venue::EbayVero => "ebay-vero",
            Venue::Dmca => "dmca",
            Venue::EuDsa => "eu-dsa",
            Venue::UstrNotoriousMarkets => "ustr-notorious-markets",
            Venue::AgencyLetter => "agency-letter",
            Venue::ScheduleA => "schedule-a",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Venue> {
        Venue::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The name a person reads.
    pub fn title(self) -> &'static str {
        match self {
            Venue::AlibabaIpp => "Alibaba IPP",
            Venue::Amazon => "Amazon Report Infringement",
            Venue::EbayVero => "eBay VeRO Notice of Claimed Infringement",
            Venue::Dmca => "DMCA notice (17 U.S.C. § 512(c)(3))",
            Venue::EuDsa => "EU Digital Services Act notice (Article 16)",
            Venue::UstrNotoriousMarkets => "USTR Notorious Markets comment",
            Venue::AgencyLetter => "Agency or embassy letter",
            Venue::ScheduleA => "Schedule A filing (US district court)",
        }
    }

    /// The short name used inside sentences ("Amazon takes at most…").
    pub fn short_name(self) -> &'static str {
        match self {
            Venue::AlibabaIpp => "Alibaba IPP",
            Venue::Amazon => "Amazon",
            Venue::EbayVero => "eBay VeRO",
            Venue::Dmca => "A DMCA notice",
            Venue::EuDsa => "A DSA notice",
            Venue::UstrNotoriousMarkets => "A USTR comment",
            Venue::AgencyLetter => "An agency letter",
            Venue::ScheduleA => "A Schedule A filing",
        }
    }

    /// Whether the venue is a web form filled in by hand, which gets a filing sheet.
    pub fn is_portal(self) -> bool {
        matches!(self, Venue::AlibabaIpp | Venue::Amazon | Venue::EbayVero)
    }

    /// The most listings one complaint may carry, where the venue has a limit.
    pub fn max_listings_per_batch(self) -> Option<usize> {
        match self {
            Venue::AlibabaIpp => Some(ALIBABA_MAX_URLS),
            Venue::Amazon => Some(AMAZON_MAX_LISTINGS),
            _ => None,
        }
    }
}

impl std::fmt::Display for Venue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who an agency letter is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Addressee {
    /// U.S. Customs and Border Protection, through e-Allegations.
    Cbp,
    /// The National Intellectual Property Rights Coordination Center.
    IprCenter,
    /// The European Commission's Counterfeit and Piracy Watch List.
    EuWatchList,
    /// An embassy's IP attaché; `addressee_name` says which.
    Embassy,
}

impl Addressee {
    /// The stable name used in complaint files.
    pub fn as_str(self) -> &'static str {
        match self {
            Addressee::Cbp => "cbp",
            Addressee::IprCenter => "ipr-center",
            Addressee::EuWatchList => "eu-watch-list",
            Addressee::Embassy => "embassy",
        }
    }

    /// The addressee as printed on the letter (an embassy's name comes from the file).
    pub fn title(self) -> &'static str {
        match self {
            Addressee::Cbp => "U.S. Customs and Border Protection (e-Allegations)",
            Addressee::IprCenter => "National Intellectual Property Rights Coordination Center",
            Addressee::EuWatchList => {
                "European Commission, Directorate-General for Trade: Counterfeit and Piracy Watch List"
            }
            Addressee::Embassy => "Intellectual Property Attaché",
        }
    }
}

/// How a listing infringes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "kebab-case")]
pub enum Infringement {
    /// The product is a fake of the rights holder's product.
    Counterfeit,
    /// The listing uses the mark without being a counterfeit (keywords, title, images).
    TrademarkMisuse,
    /// The listing uses the rights holder's photographs.
    CopiedPhotos,
    /// The listing copies the rights holder's text.
    CopiedText,
    /// The product copies a registered design.
    DesignCopy,
}

impl Infringement {
    /// Every kind, in a stable order.
    pub const ALL: [Infringement; 5] = [
        Infringement::Counterfeit,
        Infringement::TrademarkMisuse,
        Infringement::CopiedPhotos,
        Infringement::CopiedText,
        Infringement::DesignCopy,
    ];

    /// The stable name used in complaint files.
    pub fn as_str(self) -> &'static str {
        match self {
            Infringement::Counterfeit => "counterfeit",
            Infringement::TrademarkMisuse => "trademark-misuse",
            Infringement::CopiedPhotos => "copied-photos",
            Infringement::CopiedText => "copied-text",
            Infringement::DesignCopy => "design-copy",
        }
    }

    /// A phrase for sentences: "sells a counterfeit", "copies photographs".
    pub fn description(self) -> &'static str {
        match self {
            Infringement::Counterfeit => "counterfeit product",
            Infringement::TrademarkMisuse => "trademark used without permission",
            Infringement::CopiedPhotos => "copied product photographs",
            Infringement::CopiedText => "copied listing text",
            Infringement::DesignCopy => "copy of a registered design",
        }
    }

    /// The kind of right this infringement is normally claimed under.
    pub fn natural_right(self) -> exhibit_domain::IpRightKind {
        use exhibit_domain::IpRightKind as K;
        match self {
            Infringement::Counterfeit | Infringement::TrademarkMisuse => K::Trademark,
            Infringement::CopiedPhotos | Infringement::CopiedText => K::Copyright,
            Infringement::DesignCopy => K::Design,
        }
    }

    /// The first digit(s) of the eBay reason codes that fit this infringement.
    pub(crate) fn ebay_reason_classes(self) -> &'static [u32] {
        match self {
            Infringement::Counterfeit => &[1],
            Infringement::TrademarkMisuse => &[2],
            Infringement::CopiedPhotos | Infringement::CopiedText => &[3, 4],
            Infringement::DesignCopy => &[5],
        }
    }
}

impl std::fmt::Display for Infringement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a listing is in the complaint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Evidence that the listing is for sale. Needs a capture whose status is `ok`.
    #[default]
    Live,
    /// A removed listing, shown as proof that an earlier takedown worked. Needs a
    /// capture whose status is `removed`.
    TakedownProof,
}

impl Purpose {
    /// The stable name used in complaint files.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Live => "live",
            Purpose::TakedownProof => "takedown-proof",
        }
    }
}

/// Whether an Alibaba complaint is about single listings or a whole store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum ComplaintType {
    Listing,
    Store,
}

impl ComplaintType {
    /// The value as the IPP form shows it.
    pub fn label(self) -> &'static str {
        match self {
            ComplaintType::Listing => "Listing",
            ComplaintType::Store => "Store",
        }
    }
}

/// The Alibaba Group platform a complaint is filed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub enum AlibabaPlatform {
    #[serde(rename = "taobao")]
    Taobao,
    #[serde(rename = "tmall")]
    Tmall,
    #[serde(rename = "aliexpress")]
    AliExpress,
    #[serde(rename = "1688")]
    Ali1688,
    #[serde(rename = "alibaba.com")]
    AlibabaCom,
}

impl AlibabaPlatform {
    /// The value as the IPP form shows it.
    pub fn label(self) -> &'static str {
        match self {
            AlibabaPlatform::Taobao => "Taobao",
            AlibabaPlatform::Tmall => "Tmall",
            AlibabaPlatform::AliExpress => "AliExpress",
            AlibabaPlatform::Ali1688 => "1688",
            AlibabaPlatform::AlibabaCom => "Alibaba.com",
        }
    }

    /// The marketplace name the extractor gives pages of this platform.
    pub fn marketplace(self) -> &'static str {
        match self {
            AlibabaPlatform::Taobao => "taobao",
            AlibabaPlatform::Tmall => "tmall",
            AlibabaPlatform::AliExpress => "aliexpress",
            AlibabaPlatform::Ali1688 => "1688",
            AlibabaPlatform::AlibabaCom => "alibaba",
        }
    }
}

/// Where on an Amazon listing the infringement shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum AmazonWhere {
    Product,
    Packaging,
    Image,
    Text,
}

impl AmazonWhere {
    /// The value as the Amazon form shows it.
    pub fn label(self) -> &'static str {
        match self {
            AmazonWhere::Product => "Product",
            AmazonWhere::Packaging => "Packaging",
            AmazonWhere::Image => "Image",
            AmazonWhere::Text => "Text",
        }
    }
}

/// Whether a notorious market is a website or a place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum MarketKind {
    #[default]
    Online,
    Physical,
}

/// How a capture was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum CaptureMode {
    /// A direct HTTPS request; the body is kept exactly as received.
    Http,
    /// Rendered in Chromium over the DevTools Protocol.
    Browser,
}

impl CaptureMode {
    /// The stable name used in capture records.
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureMode::Http => "http",
            CaptureMode::Browser => "browser",
        }
    }

    /// Parses the name stored in a capture record.
    pub fn parse(s: &str) -> Option<CaptureMode> {
        match s {
            "http" => Some(CaptureMode::Http),
            "browser" => Some(CaptureMode::Browser),
            _ => None,
        }
    }
}

/// The marketplace names the extractor gives, with the name a person reads.
pub fn marketplace_label(m: &str) -> &str {
    match m {
        "amazon" => "Amazon",
        "ebay" => "eBay",
        "taobao" => "Taobao",
        "tmall" => "Tmall",
        "aliexpress" => "AliExpress",
        "alibaba" => "Alibaba.com",
        "1688" => "1688",
        other => other,
    }
}

/// Marketplaces of the Alibaba group, as the extractor names them.
pub(crate) const ALIBABA_MARKETPLACES: [&str; 5] =
    ["taobao", "tmall", "aliexpress", "alibaba", "1688"];
/// Every marketplace the extractor knows by name.
pub(crate) const KNOWN_MARKETPLACES: [&str; 7] = [
    "amazon",
    "ebay",
    "taobao",
    "tmall",
    "aliexpress",
    "alibaba",
    "1688",
];
