//! Amazon: the filer's contact details, marketplace country and where the
//! infringement shows, test-buy order ids, registrations valid in the marketplace's
//! country, the statements and signature, and reports split by right, kind and size.

use std::collections::BTreeSet;

use exhibit_domain::IpRightKind;

use super::{Checker, Issue, blank};
use crate::batch::plan;
use crate::file::AmazonExtras;
use crate::resolve::Listing;
use crate::text::{normalise_country, office_countries, one_line, thousands};
use crate::venue::{AMAZON_MAX_LISTINGS, Infringement, Venue};

impl Checker<'_> {
    pub(super) fn amazon(&mut self) {
        self.filer_contact("Amazon", &["address", "phone", "email"]);
        let extras = self.file.amazon.clone().unwrap_or_default();
        let country = self.amazon_table(&extras);
        self.amazon_rights(country.as_deref());
        self.statements("Amazon", true, true, true);
        self.need_signature("Amazon", "asks for your electronic signature", true);
        self.marketplaces("Amazon", &["amazon"]);
        self.amazon_reports();
    }

    /// The `[amazon]` table: the marketplace's country (returned, normalised), where the
    /// infringement shows, and the test-buy order ids.
    fn amazon_table(&mut self, extras: &AmazonExtras) -> Option<String> {
        let country = extras
            .marketplace_country
            .as_deref()
            .map(normalise_country)
            .filter(|c| !c.is_empty());
        if country.is_none() {
            self.error(
                "amazon.marketplace_country",
                "Amazon needs the marketplace's country, where your registration must be valid: add marketplace_country = \"US\" (or DE, GB, JP…) under [amazon].",
            );
        }
        if extras.where_found.is_empty() {
            self.error(
                "amazon.where",
                "Amazon asks where the infringement shows: add where = [\"product\"] (any of product, packaging, image, text) under [amazon].",
            );
        }
        for (i, order) in extras.test_buy_orders.iter().enumerate() {
            let o = order.trim();
            if !order_id_shaped(o) {
                self.warning(
                    format!("amazon.test_buy_orders[{i}]"),
                    format!(
                        "\"{}\" does not look like an Amazon order id (like 112-1234567-1234567): check it.",
                        one_line(o)
                    ),
                );
            }
        }
        country
    }

    /// The rights the listings name: a copyright's registration, description or link,
    /// else the registration number and an office whose registrations cover `country`.
    fn amazon_rights(&mut self, country: Option<&str>) {
        let mut found = Vec::new();
        for (i, r) in self.used_rights() {
            let id = one_line(&r.id);
            if r.kind == IpRightKind::Copyright {
                if blank(&r.registration_number)
                    && blank(&r.work_description)
                    && blank(&r.work_link)
                {
                    found.push(Issue::error(
                        format!("right[{i}].work_description"),
                        format!(
                            "Amazon needs the copyright's registration number, a description of the work or a link to it: add work_description or work_link for {id}."
                        ),
                    ));
                }
                continue;
            }
            if blank(&r.registration_number) {
                found.push(Issue::error(
                    format!("right[{i}].registration_number"),
                    format!(
                        "Amazon needs the registration number of {id}: add registration_number."
                    ),
                ));
            }
            let Some(country) = country else { continue };
            let office = r.office.as_deref().unwrap_or("").trim();
            found.extend(office_issue(i, &id, office, country));
        }
        self.issues.extend(found);
    }

    /// How the live listings will be split: one report a right and kind, within
    /// Amazon's limit.
    fn amazon_reports(&mut self) {
        let live: Vec<&Listing> = self.live().collect();
        let kinds: BTreeSet<(&str, Infringement)> = live
            .iter()
            .map(|l| (l.right.as_str(), l.infringement))
            .collect();
        let batches = plan(Venue::Amazon, &live, None);
        if kinds.len() > 1 {
            self.warning(
                "listing",
                format!(
                    "Amazon takes one violation type a report: these listings will be filed as separate reports for each right and kind of infringement ({} combinations).",
                    kinds.len()
                ),
            );
        }
        if batches.len() > kinds.len() {
            self.warning(
                "listing",
                format!(
                    "Amazon takes at most {AMAZON_MAX_LISTINGS} listings in one report: these {} will be split into {}.",
                    thousands(live.len()),
                    batches.len()
                ),
            );
        }
    }
}

/// Whether an order id looks like 112-1234567-1234567.
fn order_id_shaped(o: &str) -> bool {
    let parts: Vec<&str> = o.split('-').collect();
    parts.len() == 3
        && [3, 7, 7]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_digit()))
}

/// Whether the office of `right[i]` registers rights valid in the marketplace's country:
/// an error if it does not, a warning if the office is unknown.
fn office_issue(i: usize, id: &str, office: &str, country: &str) -> Option<Issue> {
    match office_countries(office) {
        Some(covered) if !covered.contains(&country) => Some(Issue::error(
            format!("right[{i}].office"),
            format!(
                "Amazon only accepts a registration valid in the marketplace's country ({country}), but {id} is registered with {}. Use a registration that covers {country}, or change marketplace_country.",
                one_line(office)
            ),
        )),
        Some(_) => None,
        None => Some(Issue::warning(
            format!("right[{i}].office"),
            format!(
                "Amazon only accepts a registration valid in {country}: check that {id} ({}) covers it.",
                if office.is_empty() {
                    "no office given".to_string()
                } else {
                    one_line(office)
                }
            ),
        )),
    }
}
