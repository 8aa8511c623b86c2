//! The complaint file a user writes, as TOML (or JSON from a front end).
//!
//! Every table refuses keys it does not know, so a typo is an error that names the key,
//! not a field silently left empty. Nearly every field is optional here: what a venue
//! needs is checked by [`crate::validate`], which can say it in a plain sentence.

use std::collections::BTreeMap;

use exhibit_domain::{IpRightKind, Party, PartyRole};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::VenueError;
use crate::venue::{
    Addressee, AlibabaPlatform, AmazonWhere, ComplaintType, Infringement, MarketKind, Purpose,
    Venue,
};

/// The largest complaint file accepted, in bytes. Real ones are a few kilobytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A complaint as the user wrote it, before it is checked against the captures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ComplaintFile {
    pub venue: Venue,
    /// For `agency-letter`: who the letter goes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee: Option<Addressee>,
    /// For an embassy: which embassy or attaché ("U.S. Embassy Beijing, IP Attaché").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee_name: Option<String>,
    pub rights_holder: Contact,
    /// Set when someone files for the rights holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Contact>,
    /// `[[right]]` tables.
    #[serde(default, rename = "right", skip_serializing_if = "Vec::is_empty")]
    pub rights: Vec<RightEntry>,
    /// `[[listing]]` tables.
    #[serde(default, rename = "listing", skip_serializing_if = "Vec::is_empty")]
    pub listings: Vec<ListingEntry>,
    /// The `[listings]` table: defaults, and `all_ok` to take in every `ok` capture.
    #[serde(default, rename = "listings", skip_serializing_if = "Option::is_none")]
    pub listing_defaults: Option<ListingDefaults>,
    /// Why these listings infringe, in the user's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// For Alibaba IPP: single listings or a whole store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_type: Option<ComplaintType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alibaba: Option<AlibabaExtras>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amazon: Option<AmazonExtras>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ebay: Option<EbayExtras>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ustr: Option<UstrExtras>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyExtras>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_a: Option<ScheduleAExtras>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub statements: Statements,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<Declarant>,
}

impl ComplaintFile {
    /// Reads a complaint file from TOML text.
    ///
    /// A syntax error, a wrong type or an unknown key becomes
    /// [`VenueError::Parse`] with the line it is on.
    pub fn from_toml(text: &str) -> Result<ComplaintFile, VenueError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(VenueError::TooLarge {
                bytes: text.len(),
                max: MAX_FILE_BYTES,
            });
        }
        toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = line_and_column(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            VenueError::Parse {
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })
    }

    /// Writes the complaint back as TOML.
    pub fn to_toml(&self) -> Result<String, VenueError> {
        toml::to_string(self).map_err(|e| VenueError::Serialize(e.to_string()))
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A rights holder or agent as written in the file. Mirrors [`exhibit_domain::Party`],
/// whose role comes from where the table sits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: String,
    #[serde(
        default,
        alias = "organisation",
        skip_serializing_if = "Option::is_none"
    )]
    #[ts(optional = nullable)]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl Contact {
    /// The domain party this contact describes.
    pub fn to_party(&self, role: PartyRole) -> Party {
        Party {
            role,
            name: self.name.trim().to_string(),
            organization: non_empty(&self.organization),
            address: non_empty(&self.address),
            email: non_empty(&self.email),
            phone: non_empty(&self.phone),
        }
    }

    /// Mirrors a domain party (its role is dropped: the table says it).
    pub fn from_party(p: &Party) -> Contact {
        Contact {
            name: p.name.clone(),
            organization: p.organization.clone(),
            address: p.address.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
        }
    }
}

/// Trimmed, and `None` when only whitespace is left.
pub(crate) fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// One `[[right]]` table: a registration, with the user's short label for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct RightEntry {
    /// The user's label, like `TM-1`; listings name the right by it.
    pub id: String,
    pub kind: IpRightKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// The office or jurisdiction: USPTO, CNIPA, EUIPO and so on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// Nice classes (or Locarno classes for designs). Numbers or text.
    #[serde(
        default,
        deserialize_with = "de_classes",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[ts(optional = nullable)]
    pub classes: Vec<String>,
    /// Who owns the right; the rights holder when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Certificate files, relative to the complaint file. The caller reads and hashes
    /// them; this crate only carries the names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<String>,
    /// For a copyright: what the work is ("Product photographs of the Model 7 lantern").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_description: Option<String>,
    /// For a copyright: where the original is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_link: Option<String>,
}

/// One `[[listing]]` table: a capture offered as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ListingEntry {
    /// The capture's id in the case.
    pub capture: i64,
    /// The right's `id`; the `[listings]` default when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
    /// The `[listings]` default when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infringement: Option<Infringement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The user's English translation of the listing's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_translation: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub purpose: Purpose,
}

/// The `[listings]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ListingDefaults {
    /// Take in every capture whose status is `ok` (blocked, removed and failed captures
    /// are left out without comment).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub all_ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infringement: Option<Infringement>,
}

/// `[alibaba]`: what the IPP complaint form asks beyond the common model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct AlibabaExtras {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<AlibabaPlatform>,
    /// The reason as chosen in the form's drop-down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// ID card or passport; for a company, its business registration. A file path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_proof: Option<String>,
    /// Needed when an agent files. A file path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_of_attorney: Option<String>,
    /// The order number of a test purchase recorded in the case: the export renders its
    /// test-buy report for the complaint (Alibaba takes one order number per complaint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_purchase: Option<String>,
}

/// `[schedule_a]`: the court and the forum of a Schedule A filing. The defendants are
/// the sellers of the complaint's listings, each with its storefront, checkout and test
/// purchases from the case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ScheduleAExtras {
    /// The court, "United States District Court for the Northern District of Illinois".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<String>,
    /// The docket number once the case is filed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    /// The forum state as a region code (`US-IL`, the default): where a sale or a
    /// checkout must ship for the court to reach the seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forum: Option<String>,
}

/// `[amazon]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct AmazonExtras {
    /// The marketplace's country as ISO code ("US", "DE", "GB").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketplace_country: Option<String>,
    /// Where the infringement shows: product, packaging, image, text (one or a list).
    #[serde(
        rename = "where",
        default,
        deserialize_with = "de_one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[ts(optional = nullable)]
    pub where_found: Vec<AmazonWhere>,
    /// Order ids of test buys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub test_buy_orders: Vec<String>,
}

/// `[ebay]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct EbayExtras {
    /// The NOCI reason code for every listing, like "1.1".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Reason codes for particular infringement kinds, overriding `reason_code`:
    /// `reason_codes = { copied-photos = "4.1" }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reason_codes: BTreeMap<Infringement, String>,
    /// Shown to the seller; at most 1,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_to_seller: Option<String>,
    /// The brand name; at most 50 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
}

/// `[ustr]`: the docket and one `[[ustr.market]]` per market.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct UstrExtras {
    /// The regulations.gov docket, like `USTR-2025-0020`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docket: Option<String>,
    /// The review's year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i64>,
    /// This year's focus, in the submitter's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<String>,
    #[serde(default, rename = "market", skip_serializing_if = "Vec::is_empty")]
    pub markets: Vec<UstrMarket>,
}

/// One market in a USTR comment, with the fields USTR asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct UstrMarket {
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub kind: MarketKind,
    /// Domain names or URLs, past and present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_registration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting_provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Where the operator (or the physical market) is: city and country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_sources: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub government_links: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harm_change: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_safety_risks: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforcement_actions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights_holder_actions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_measures: Option<String>,
}

/// `[agency]`: what an agency or attaché needs to act.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct AgencyExtras {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violator_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violator_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violator_website: Option<String>,
    /// The violator's country, ISO code or English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violator_country: Option<String>,
    /// The product copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// CBP asks: is there an immediate threat to life or property?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immediate_threat: Option<bool>,
    /// Takedowns, cease-and-desist letters and other steps already taken, with outcomes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_takedowns: Option<String>,
    /// What you ask the addressee to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<String>,
    /// Volume and prices, in your words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// How the listings were found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_found: Option<String>,
    /// Test buys made, with order numbers and what arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_buys: Option<String>,
}

/// `[statements]`: the statements the user accepts by setting them to true.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Statements {
    /// A good-faith belief that the use is not authorised by the owner, its agent or
    /// the law (for a DSA notice: a bona fide belief that the notice is accurate and
    /// complete).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub good_faith: bool,
    /// The notice is accurate, sworn under penalty of perjury.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub accuracy_under_penalty_of_perjury: bool,
    /// The signer owns the right or is authorised to act for its owner.
    #[serde(default, alias = "authorized")]
    #[ts(optional = nullable)]
    pub authorised: bool,
}

/// `[signature]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `YYYY-MM-DD`, quoted or as a TOML date.
    #[serde(
        default,
        deserialize_with = "de_date_text",
        skip_serializing_if = "Option::is_none"
    )]
    #[ts(optional = nullable)]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// `[declaration]`: who makes the 28 U.S.C. § 1746 declaration, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Declarant {
    /// Signed inside the United States (its territories included) or not. Chooses the
    /// wording of § 1746(2) or § 1746(1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_us: Option<bool>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub declarant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// `YYYY-MM-DD`; the signature's date when left out.
    #[serde(
        default,
        deserialize_with = "de_date_text",
        skip_serializing_if = "Option::is_none"
    )]
    #[ts(optional = nullable)]
    pub date: Option<String>,
}

/// A date given as text or as a TOML date, kept as text; [`crate::validate`] checks it.
fn de_date_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::de::Error;
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(Some(s)),
        toml::Value::Datetime(dt) => Ok(Some(dt.to_string())),
        other => Err(D::Error::custom(format!(
            "expected a date like \"2026-11-28\", found {}",
            other.type_str()
        ))),
    }
}

/// Classes as a list of numbers or text, or one number or text.
fn de_classes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    use serde::de::Error;
    fn one<E: Error>(v: toml::Value) -> Result<String, E> {
        match v {
            toml::Value::String(s) => Ok(s),
            toml::Value::Integer(i) => Ok(i.to_string()),
            other => Err(E::custom(format!(
                "expected a class number like 9 or \"9\", found {}",
                other.type_str()
            ))),
        }
    }
    match toml::Value::deserialize(d)? {
        toml::Value::Array(items) => items.into_iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}

/// One value or a list of values.
fn de_one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    let value = toml::Value::deserialize(d)?;
    let items = match value {
        toml::Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .map(|v| T::deserialize(v).map_err(|e| D::Error::custom(e.message().to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_and_column("日本\nx", 3), (1, 2));
        assert_eq!(line_and_column("", 10), (1, 1));
    }
}
