//! The rules: what each venue needs, and what no venue may be sent.
//!
//! [`validate`] never stops at the first problem: it returns every [`Issue`] it finds,
//! each with the dotted path of the field and a sentence that says what to do.
//! Errors stop a filing; warnings are shown and travel with the complaint.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

use exhibit_domain::IpRightKind;
use serde::{Deserialize, Serialize};

use crate::batch::{ebay_reason_code, plan};
use crate::facts::{AttachmentsPresent, CaptureFacts};
use crate::file::{ComplaintFile, Contact, RightEntry};
use crate::resolve::{Listing, kind_label, select_listings};
use crate::text::{
    is_email, is_eu, is_phone, is_us, normalise_country, office_countries, one_line, parse_date,
    thousands,
};
use crate::venue::{
    ALIBABA_MARKETPLACES, ALIBABA_MAX_URLS, AMAZON_MAX_LISTINGS, Addressee, EBAY_BRAND_MAX_CHARS,
    EBAY_MESSAGE_MAX_CHARS, Infringement, KNOWN_MARKETPLACES, MarketKind, Purpose, Venue,
    marketplace_label,
};

/// The longest free text accepted (a narrative, a market's description).
pub const MAX_LONG_TEXT_CHARS: usize = 20_000;
/// The longest short text accepted (a name, an address, a URL).
pub const MAX_SHORT_TEXT_CHARS: usize = 2_000;

/// How serious an issue is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The complaint cannot be filed until this is fixed.
    Error,
    /// Worth knowing; the complaint can still be filed.
    Warning,
}

/// One problem found in a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Issue {
    pub severity: Severity,
    /// Where: a dotted path into the complaint file, like `right[0].certificates`.
    pub field: String,
    /// A plain sentence that says what is wrong and what to do.
    pub message: String,
}

impl Issue {
    pub fn error(field: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn warning(field: impl Into<String>, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Warning,
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any issue is an error.
pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(Issue::is_error)
}

/// Checks a complaint file against the case's captures and the attachment files found.
pub fn validate(
    file: &ComplaintFile,
    captures: &[CaptureFacts],
    attachments: &AttachmentsPresent,
) -> Vec<Issue> {
    let (listings, selection_issues) = select_listings(file, captures);
    let selection_failed = has_errors(&selection_issues);
    let mut c = Checker {
        file,
        listings: &listings,
        attachments,
        issues: selection_issues,
    };
    c.text_lengths();
    c.contacts();
    c.rights();
    c.listings_present(selection_failed);
    c.dates();
    c.stray_tables();
    match file.venue {
        Venue::AlibabaIpp => c.alibaba(),
        Venue::Amazon => c.amazon(),
        Venue::EbayVero => c.ebay(),
        Venue::Dmca => c.dmca(),
        Venue::EuDsa => c.dsa(),
        Venue::UstrNotoriousMarkets => c.ustr(),
        Venue::AgencyLetter => c.agency(),
        Venue::ScheduleA => c.schedule_a(),
    }
    c.issues
}

struct Checker<'a> {
    file: &'a ComplaintFile,
    listings: &'a [Listing],
    attachments: &'a AttachmentsPresent,
    issues: Vec<Issue>,
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

impl<'a> Checker<'a> {
    fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue::error(field, message));
    }

    fn warning(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue::warning(field, message));
    }

    /// Where a listing comes from in the file: its `[[listing]]` entry, or `[listings]`.
    fn listing_field(&self, l: &Listing) -> String {
        self.file
            .listings
            .iter()
            .position(|e| e.capture == l.capture.id)
            .map_or_else(|| "listings".to_string(), |i| format!("listing[{i}]"))
    }

    fn live(&self) -> impl Iterator<Item = &'a Listing> + 'a {
        let listings: &'a [Listing] = self.listings;
        listings.iter().filter(|l| l.purpose == Purpose::Live)
    }

    /// The rights the live listings name, as (index in the file, entry).
    fn used_rights(&self) -> Vec<(usize, &'a RightEntry)> {
        let used: BTreeSet<&str> = self.listings.iter().map(|l| l.right.as_str()).collect();
        let file: &'a ComplaintFile = self.file;
        file.rights
            .iter()
            .enumerate()
            .filter(|(_, r)| used.contains(r.id.trim()))
            .collect()
    }

    /// Who files, and the table it sits in.
    fn filer(&self) -> (&'a Contact, &'static str) {
        let file: &'a ComplaintFile = self.file;
        match &file.agent {
            Some(a) => (a, "agent"),
            None => (&file.rights_holder, "rights_holder"),
        }
    }

    // ---- checks every venue shares ----

    fn text_lengths(&mut self) {
        let Ok(value) = serde_json::to_value(self.file) else {
            return;
        };
        let mut found = Vec::new();
        walk_strings(&value, String::new(), &mut found);
        for (path, key, chars) in found {
            // The eBay message has its own, tighter rule.
            if key == "message_to_seller" {
                continue;
            }
            let max = if LONG_KEYS.contains(&key.as_str()) {
                MAX_LONG_TEXT_CHARS
            } else {
                MAX_SHORT_TEXT_CHARS
            };
            if chars > max {
                self.error(
                    path,
                    format!(
                        "This text is {} characters long, more than any venue accepts: keep it under {}.",
                        thousands(chars),
                        thousands(max)
                    ),
                );
            }
        }
    }

    fn contacts(&mut self) {
        if self.file.rights_holder.name.trim().is_empty() {
            self.error(
                "rights_holder.name",
                "Give the rights holder's name under [rights_holder].",
            );
        }
        if let Some(agent) = &self.file.agent
            && agent.name.trim().is_empty()
        {
            self.error(
                "agent.name",
                "Give the agent's name under [agent], or remove the [agent] table if the rights holder files.",
            );
        }
        let tables: Vec<(&Contact, &str, &str)> = std::iter::once((
            &self.file.rights_holder,
            "rights_holder",
            "The rights holder's",
        ))
        .chain(self.file.agent.iter().map(|a| (a, "agent", "The agent's")))
        .collect();
        let mut found = Vec::new();
        for (contact, table, whose) in tables {
            if let Some(email) = contact.email.as_deref().filter(|e| !e.trim().is_empty())
                && !is_email(email)
            {
                found.push(Issue::error(
                    format!("{table}.email"),
                    format!(
                        "{whose} email \"{}\" does not look like an email address: write it as name@example.com.",
                        one_line(email)
                    ),
                ));
            }
            if let Some(phone) = contact.phone.as_deref().filter(|p| !p.trim().is_empty())
                && !is_phone(phone)
            {
                found.push(Issue::error(
                    format!("{table}.phone"),
                    format!(
                        "{whose} phone number \"{}\" does not look like one: write it with the country code, like +1 503 555 0100.",
                        one_line(phone)
                    ),
                ));
            }
        }
        self.issues.extend(found);
    }

    /// Requires name, address, phone and email of whoever files.
    fn filer_contact(&mut self, venue: &str, need: &[&str]) {
        let (contact, table) = self.filer();
        let missing: Vec<&str> = need
            .iter()
            .copied()
            .filter(|f| match *f {
                "address" => blank(&contact.address),
                "phone" => blank(&contact.phone),
                "email" => blank(&contact.email),
                _ => false,
            })
            .collect();
        for f in missing {
            let what = match f {
                "address" => "postal address",
                "phone" => "phone number",
                _ => "email address",
            };
            self.error(
                format!("{table}.{f}"),
                format!("{venue} needs your {what}: add {f} under [{table}]."),
            );
        }
    }

    fn rights(&mut self) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let used: BTreeSet<&str> = self.listings.iter().map(|l| l.right.as_str()).collect();
        let listed_any = !self.file.listings.is_empty()
            || self
                .file
                .listing_defaults
                .as_ref()
                .is_some_and(|d| d.all_ok);
        if self.file.rights.is_empty() {
            self.error(
                "right",
                "Add at least one [[right]] table: the trademark, copyright, design or patent the listings infringe.",
            );
        }
        for (i, r) in self.file.rights.iter().enumerate() {
            let id = r.id.trim();
            if id.is_empty() {
                self.error(
                    format!("right[{i}].id"),
                    format!(
                        "Give right {} a short id, like \"TM-1\", so listings can name it.",
                        i + 1
                    ),
                );
            } else if let Some(first) = seen.insert(id.to_string(), i) {
                self.error(
                    format!("right[{i}].id"),
                    format!(
                        "Two rights have the id \"{}\" (right {} and right {}): give each its own.",
                        one_line(id),
                        first + 1,
                        i + 1
                    ),
                );
            } else if listed_any
                && !used.contains(id)
                && !has_errors(&self.issues)
                // Letters set out the whole portfolio; only filings claim under a right.
                && !matches!(
                    self.file.venue,
                    Venue::UstrNotoriousMarkets | Venue::AgencyLetter
                )
            {
                self.warning(
                    format!("right[{i}].id"),
                    format!(
                        "No listing names {}: it will be printed with the rights, but nothing is claimed under it.",
                        one_line(id)
                    ),
                );
            }
            for (j, cert) in r.certificates.iter().enumerate() {
                self.attachment(
                    &format!("right[{i}].certificates[{j}]"),
                    cert,
                    &format!("the certificate for {}", one_line(id)),
                );
            }
        }
        // A right of the wrong kind for the infringement claimed (a DMCA notice makes
        // this an error of its own).
        if self.file.venue != Venue::Dmca {
            let mut found = Vec::new();
            for l in self.live() {
                let Some(r) = self.file.rights.iter().find(|r| r.id.trim() == l.right) else {
                    continue;
                };
                let natural = l.infringement.natural_right();
                let fits = r.kind == natural
                    || (l.infringement == Infringement::DesignCopy
                        && r.kind == IpRightKind::Patent);
                if !fits {
                    found.push(Issue::warning(
                        self.listing_field(l),
                        format!(
                            "Exhibit {} is marked {}, but {} is a {}; a {} is usually claimed under a {}. Point it at a {} right if you have one.",
                            l.exhibit,
                            l.infringement,
                            l.right,
                            kind_label(r.kind).to_lowercase(),
                            l.infringement.description(),
                            kind_label(natural).to_lowercase(),
                            kind_label(natural).to_lowercase(),
                        ),
                    ));
                }
            }
            self.issues.extend(found);
        }
        // Registered rights without their number or office, where the venue has no
        // stricter rule of its own.
        if !self.file.venue.is_portal() {
            let mut found = Vec::new();
            for (i, r) in self.used_rights() {
                if r.kind != IpRightKind::Copyright && blank(&r.registration_number) {
                    found.push(Issue::warning(
                        format!("right[{i}].registration_number"),
                        format!(
                            "{} has no registration number; the recipient will look for one. Add registration_number.",
                            one_line(&r.id)
                        ),
                    ));
                }
            }
            self.issues.extend(found);
        }
    }

    /// A file named in the complaint: relative, inside the complaint's folder, present.
    fn attachment(&mut self, field: &str, path: &str, what: &str) {
        let shown = one_line(path);
        if path.trim().is_empty() {
            self.error(
                field,
                format!(
                    "The file name for {what} is empty: write the file's path, or remove the entry."
                ),
            );
            return;
        }
        let p = Path::new(path);
        let escapes = p.is_absolute()
            || path.starts_with('/')
            || path.starts_with('\\')
            || path.get(1..3) == Some(":\\")
            || p.components().any(|c| {
                matches!(
                    c,
                    Component::ParentDir | Component::RootDir | Component::Prefix(_)
                )
            })
            || path.split(['/', '\\']).any(|part| part == "..");
        if escapes {
            self.error(
                field,
                format!(
                    "\"{shown}\" ({what}) must be a path relative to the complaint file, inside its folder: copy the file next to the complaint file and write its name, like certificates/registration.pdf."
                ),
            );
        } else if !self.attachments.contains(path) {
            self.error(
                field,
                format!(
                    "\"{shown}\" ({what}) was not found next to the complaint file: check the name, or copy the file there."
                ),
            );
        }
    }

    fn listings_present(&mut self, selection_failed: bool) {
        if self.live().next().is_none() && !selection_failed {
            self.error(
                "listing",
                "There is nothing to report: list captures under [[listing]], or set all_ok = true under [listings] to take every capture whose status is ok.",
            );
        }
    }

    fn dates(&mut self) {
        let mut found = Vec::new();
        if let Some(sig) = &self.file.signature
            && let Some(d) = &sig.date
            && parse_date(d).is_none()
        {
            found.push(Issue::error(
                "signature.date",
                format!(
                    "The signature date \"{}\" is not a date: write it as YYYY-MM-DD, like 2026-11-28.",
                    one_line(d)
                ),
            ));
        }
        if let Some(decl) = &self.file.declaration {
            if let Some(d) = &decl.date
                && parse_date(d).is_none()
            {
                found.push(Issue::error(
                    "declaration.date",
                    format!(
                        "The declaration date \"{}\" is not a date: write it as YYYY-MM-DD, like 2026-11-28.",
                        one_line(d)
                    ),
                ));
            }
            if decl.declarant.trim().is_empty() {
                found.push(Issue::error(
                    "declaration.declarant",
                    "Name who makes the declaration: add declarant = \"Your Name\" under [declaration].",
                ));
            }
            if decl.within_us.is_none() {
                found.push(Issue::error(
                    "declaration.within_us",
                    "Say where the declaration is signed, because the wording differs: add within_us = true if inside the United States, or false if outside, under [declaration].",
                ));
            }
        } else {
            found.push(Issue::warning(
                "declaration",
                "There is no [declaration] table, so the packet's declaration is printed with blanks for who signs it, and in the wording for signing outside the United States. Add [declaration] with within_us, declarant and place.",
            ));
        }
        self.issues.extend(found);
    }

    /// Tables that belong to another venue are ignored; say so, since the user meant
    /// something by them.
    fn stray_tables(&mut self) {
        let venue = self.file.venue;
        let f = self.file;
        let tables: [(&str, bool, Venue); 6] = [
            ("alibaba", f.alibaba.is_some(), Venue::AlibabaIpp),
            ("amazon", f.amazon.is_some(), Venue::Amazon),
            ("ebay", f.ebay.is_some(), Venue::EbayVero),
            ("ustr", f.ustr.is_some(), Venue::UstrNotoriousMarkets),
            ("agency", f.agency.is_some(), Venue::AgencyLetter),
            ("schedule_a", f.schedule_a.is_some(), Venue::ScheduleA),
        ];
        for (name, present, owner) in tables {
            if present && owner != venue {
                self.warning(
                    name,
                    format!(
                        "The [{name}] table is for {}, but this complaint goes to {}: it is ignored.",
                        owner.title(),
                        venue.title()
                    ),
                );
            }
        }
        if f.complaint_type.is_some() && venue != Venue::AlibabaIpp {
            self.warning(
                "complaint_type",
                "complaint_type is only asked by Alibaba IPP: it is ignored here.",
            );
        }
        if f.addressee.is_some() && venue != Venue::AgencyLetter {
            self.warning(
                "addressee",
                "addressee is only used by agency-letter: it is ignored here.",
            );
        }
    }

    fn need_signature(&mut self, venue: &str, why: &str, severity_error: bool) {
        let missing = self
            .file
            .signature
            .as_ref()
            .is_none_or(|s| s.name.trim().is_empty());
        if missing {
            let message = format!(
                "{venue} {why}: add [signature] with your name, title and date (YYYY-MM-DD)."
            );
            if severity_error {
                self.error("signature.name", message);
            } else {
                self.warning("signature.name", message);
            }
        }
    }

    fn need_signature_date(&mut self, venue: &str) {
        let missing = self.file.signature.as_ref().is_none_or(|s| blank(&s.date));
        if missing {
            self.error(
                "signature.date",
                format!(
                    "{venue} needs the date you sign: add date = \"YYYY-MM-DD\" under [signature]."
                ),
            );
        }
    }

    fn need_narrative(&mut self, message: &str) {
        if blank(&self.file.narrative) {
            self.error("narrative", message);
        }
    }

    /// Live listings on a marketplace the venue does not handle.
    fn marketplaces(&mut self, venue: &str, allowed: &[&str]) {
        let mut found = Vec::new();
        for l in self.live() {
            if let Some(m) = l.capture.marketplace.as_deref()
                && KNOWN_MARKETPLACES.contains(&m)
                && !allowed.contains(&m)
            {
                found.push(Issue::error(
                    self.listing_field(l),
                    format!(
                        "Exhibit {} (capture #{}) is on {}, which {venue} does not handle: file it with {} instead.",
                        l.exhibit,
                        l.capture.id,
                        marketplace_label(m),
                        marketplace_label(m)
                    ),
                ));
            }
        }
        self.issues.extend(found);
    }

    // ---- Alibaba IPP ----

    fn alibaba(&mut self) {
        let extras = self.file.alibaba.clone().unwrap_or_default();
        if extras.platform.is_none() {
            self.error(
                "alibaba.platform",
                "Alibaba IPP needs the platform: add platform = \"taobao\" (or tmall, aliexpress, 1688, alibaba.com) under [alibaba].",
            );
        }
        self.alibaba_rest(&extras, extras.platform);
    }

    fn alibaba_rest(
        &mut self,
        extras: &crate::file::AlibabaExtras,
        platform: Option<crate::venue::AlibabaPlatform>,
    ) {
        if self.file.complaint_type.is_none() {
            self.error(
                "complaint_type",
                "Alibaba IPP asks whether you report single listings or a whole store: add complaint_type = \"listing\" or \"store\".",
            );
        }
        if let Some(order) = &extras.test_purchase
            && order.trim().is_empty()
        {
            self.error(
                "alibaba.test_purchase",
                "Give the order number of the test purchase, or remove test_purchase from [alibaba].",
            );
        }
        if blank(&extras.reason) {
            self.error(
                "alibaba.reason",
                "Alibaba IPP needs the reason you pick in its drop-down: add reason under [alibaba], worded as in the form (for example \"Counterfeit goods\").",
            );
        }
        match &extras.identity_proof {
            Some(p) => self.attachment("alibaba.identity_proof", p, "the identity proof"),
            None => self.error(
                "alibaba.identity_proof",
                "Alibaba IPP needs proof of identity (ID card or passport; for a company, its business registration): add identity_proof = \"path/to/file.pdf\" under [alibaba].",
            ),
        }
        if self.file.agent.is_some() {
            match &extras.power_of_attorney {
                Some(p) => self.attachment("alibaba.power_of_attorney", p, "the power of attorney"),
                None => self.error(
                    "alibaba.power_of_attorney",
                    "Alibaba IPP needs a power of attorney when an agent files: add power_of_attorney = \"path/to/file.pdf\" under [alibaba].",
                ),
            }
        }
        let mut found = Vec::new();
        for (i, r) in self.used_rights() {
            let id = one_line(&r.id);
            if r.certificates.is_empty() {
                let what = match r.kind {
                    IpRightKind::Trademark => "the trademark's registration certificate",
                    IpRightKind::Copyright => {
                        "the copyright's registration certificate or a copyright claim statement"
                    }
                    IpRightKind::Design => "the design's registration certificate",
                    IpRightKind::Patent => "the patent certificate",
                };
                found.push(Issue::error(
                    format!("right[{i}].certificates"),
                    format!("Alibaba IPP needs {what}: add it under certificates for {id}."),
                ));
            }
            if r.kind != IpRightKind::Copyright && blank(&r.registration_number) {
                found.push(Issue::error(
                    format!("right[{i}].registration_number"),
                    format!(
                        "Alibaba IPP needs the registration number of {id}: add registration_number."
                    ),
                ));
            }
        }
        self.issues.extend(found);

        self.marketplaces("Alibaba IPP", &ALIBABA_MARKETPLACES);
        if let Some(platform) = platform {
            let mut found = Vec::new();
            for l in self.live() {
                if let Some(m) = l.capture.marketplace.as_deref()
                    && ALIBABA_MARKETPLACES.contains(&m)
                    && m != platform.marketplace()
                    // Taobao's IPP form takes Tmall listings too.
                    && !(platform.marketplace() == "taobao" && m == "tmall")
                {
                    found.push(Issue::warning(
                        self.listing_field(l),
                        format!(
                            "Exhibit {} is on {}, but this complaint is for {}: IPP may reject it. File {} listings in a complaint of their own.",
                            l.exhibit,
                            marketplace_label(m),
                            platform.label(),
                            marketplace_label(m)
                        ),
                    ));
                }
            }
            self.issues.extend(found);
        }

        let live: Vec<&Listing> = self.live().collect();
        let rights: BTreeSet<&str> = live.iter().map(|l| l.right.as_str()).collect();
        if rights.len() > 1 {
            let names: Vec<String> = rights.iter().map(|r| one_line(r)).collect();
            self.warning(
                "listing",
                format!(
                    "Alibaba IPP recommends one right a complaint: these listings name {} rights ({}), so each right gets a complaint of its own.",
                    rights.len(),
                    names.join(", ")
                ),
            );
        }
        let batches = plan(Venue::AlibabaIpp, &live, None);
        if batches.len() > rights.len() {
            self.warning(
                "listing",
                format!(
                    "Alibaba IPP takes at most {ALIBABA_MAX_URLS} URLs in one complaint: these {} will be split into {}.",
                    thousands(live.len()),
                    batches.len()
                ),
            );
        }
    }

    // ---- Amazon ----

    fn amazon(&mut self) {
        self.filer_contact("Amazon", &["address", "phone", "email"]);
        let extras = self.file.amazon.clone().unwrap_or_default();
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
            let parts: Vec<&str> = o.split('-').collect();
            let shaped = parts.len() == 3
                && [3, 7, 7]
                    .iter()
                    .zip(&parts)
                    .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_digit()));
            if !shaped {
                self.warning(
                    format!("amazon.test_buy_orders[{i}]"),
                    format!(
                        "\"{}\" does not look like an Amazon order id (like 112-1234567-1234567): check it.",
                        one_line(o)
                    ),
                );
            }
        }
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
            let Some(country) = &country else { continue };
            let office = r.office.as_deref().unwrap_or("").trim();
            match office_countries(office) {
                Some(covered) if !covered.contains(&country.as_str()) => found.push(Issue::error(
                    format!("right[{i}].office"),
                    format!(
                        "Amazon only accepts a registration valid in the marketplace's country ({country}), but {id} is registered with {}. Use a registration that covers {country}, or change marketplace_country.",
                        one_line(office)
                    ),
                )),
                Some(_) => {}
                None => found.push(Issue::warning(
                    format!("right[{i}].office"),
                    format!(
                        "Amazon only accepts a registration valid in {country}: check that {id} ({}) covers it.",
                        if office.is_empty() { "no office given".to_string() } else { one_line(office) }
                    ),
                )),
            }
        }
        self.issues.extend(found);
        self.statements("Amazon", true, true, true);
        self.need_signature("Amazon", "asks for your electronic signature", true);
        self.marketplaces("Amazon", &["amazon"]);

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

    /// Requires the acceptance flags a venue's form or the law asks for.
    fn statements(&mut self, venue: &str, good_faith: bool, accuracy: bool, authorised: bool) {
        let s = self.file.statements;
        if good_faith && !s.good_faith {
            self.error(
                "statements.good_faith",
                format!(
                    "{venue} requires the good-faith statement (that the use is not authorised by the owner, its agent or the law): set good_faith = true under [statements] if it is true."
                ),
            );
        }
        if accuracy && !s.accuracy_under_penalty_of_perjury {
            self.error(
                "statements.accuracy_under_penalty_of_perjury",
                format!(
                    "{venue} requires you to state, under penalty of perjury, that the notice is accurate: set accuracy_under_penalty_of_perjury = true under [statements] if it is true."
                ),
            );
        }
        if authorised && !s.authorised {
            self.error(
                "statements.authorised",
                format!(
                    "{venue} requires you to state that you own the right or are authorised to act for its owner: set authorised = true under [statements] if it is true."
                ),
            );
        }
    }

    // ---- eBay VeRO ----

    fn ebay(&mut self) {
        self.filer_contact("eBay VeRO", &["address", "phone", "email"]);
        let extras = self.file.ebay.clone().unwrap_or_default();
        let mut codes: Vec<(String, &str)> = Vec::new();
        if let Some(c) = &extras.reason_code {
            codes.push(("ebay.reason_code".to_string(), c.as_str()));
        }
        for (inf, c) in &extras.reason_codes {
            codes.push((format!("ebay.reason_codes.{inf}"), c.as_str()));
        }
        let mut bad_codes = BTreeSet::new();
        for (field, code) in &codes {
            if ebay_code_class(code).is_none() {
                bad_codes.insert(code.trim().to_string());
                self.error(
                    field.clone(),
                    format!(
                        "\"{}\" is not an eBay reason code: write it as a class and a number, like \"1.1\" (1.x counterfeit, 2.x trademark in the listing, 3.x copyright in the item, 4.x copied text or image, 5.x patent).",
                        one_line(code)
                    ),
                );
            }
        }
        let mut found = Vec::new();
        let mut missing_code = false;
        let mut warned: BTreeSet<(String, Infringement)> = BTreeSet::new();
        for l in self.live() {
            match ebay_reason_code(Some(&extras), l.infringement) {
                None => missing_code = true,
                Some(code) => {
                    if let Some(class) = ebay_code_class(&code)
                        && !l.infringement.ebay_reason_classes().contains(&class)
                        && warned.insert((code.clone(), l.infringement))
                    {
                        found.push(Issue::warning(
                            "ebay.reason_code",
                            format!(
                                "Reason code {} does not fit listings marked {} ({} and others): eBay may reject them. Set a fitting code with reason_codes = {{ {} = \"{}.1\" }} under [ebay].",
                                one_line(&code),
                                l.infringement,
                                l.label(),
                                l.infringement,
                                l.infringement.ebay_reason_classes()[0]
                            ),
                        ));
                    }
                }
            }
        }
        if missing_code {
            found.push(Issue::error(
                "ebay.reason_code",
                "eBay VeRO needs a reason code for every listing: add reason_code = \"1.1\" under [ebay] (1.1 counterfeit, 2.x trademark in the listing, 3.x copyright in the item, 4.x copied text or image, 5.x patent).",
            ));
        }
        self.issues.extend(found);
        if let Some(m) = &extras.message_to_seller {
            let n = m.chars().count();
            if n > EBAY_MESSAGE_MAX_CHARS {
                self.error(
                    "ebay.message_to_seller",
                    format!(
                        "eBay limits the message to the seller to {} characters; this one has {}. Shorten it.",
                        thousands(EBAY_MESSAGE_MAX_CHARS),
                        thousands(n)
                    ),
                );
            }
        }
        if let Some(b) = &extras.brand {
            let n = b.chars().count();
            if n > EBAY_BRAND_MAX_CHARS {
                self.error(
                    "ebay.brand",
                    format!(
                        "eBay limits the brand name to {EBAY_BRAND_MAX_CHARS} characters; this one has {}. Shorten it.",
                        thousands(n)
                    ),
                );
            }
        }
        self.need_narrative(
            "eBay VeRO asks for an explanation: write in narrative why these listings infringe.",
        );
        let mut found = Vec::new();
        for (i, r) in self.used_rights() {
            let id = one_line(&r.id);
            if r.kind == IpRightKind::Copyright {
                if blank(&r.registration_number) && blank(&r.work_description) {
                    found.push(Issue::error(
                        format!("right[{i}].work_description"),
                        format!(
                            "eBay VeRO needs the copyright's registration number or a description of the work: add one for {id}."
                        ),
                    ));
                }
                continue;
            }
            if blank(&r.registration_number) {
                found.push(Issue::error(
                    format!("right[{i}].registration_number"),
                    format!(
                        "eBay VeRO needs the registration number of {id}: add registration_number."
                    ),
                ));
            }
            if blank(&r.office) {
                found.push(Issue::error(
                    format!("right[{i}].office"),
                    format!(
                        "eBay VeRO needs the jurisdiction of {id}: add office (USPTO, EUIPO, CNIPA…)."
                    ),
                ));
            }
        }
        self.issues.extend(found);
        self.statements("eBay VeRO", true, true, true);
        self.need_signature("eBay VeRO", "needs your signature", true);
        self.need_signature_date("eBay VeRO");
        self.marketplaces("eBay VeRO", &["ebay"]);
    }

    // ---- DMCA ----

    fn dmca(&mut self) {
        let mut found = Vec::new();
        for (i, r) in self.used_rights() {
            let id = one_line(&r.id);
            if r.kind != IpRightKind::Copyright {
                found.push(Issue::error(
                    format!("right[{i}].kind"),
                    format!(
                        "A DMCA notice covers copyright only, but {id} is a {}. Point these listings at a copyright, or use the marketplace's trademark form.",
                        kind_label(r.kind).to_lowercase()
                    ),
                ));
            } else if blank(&r.work_description) && blank(&r.work_link) {
                found.push(Issue::error(
                    format!("right[{i}].work_description"),
                    format!(
                        "A DMCA notice must identify the copyrighted work (17 U.S.C. § 512(c)(3)(A)(ii)): add work_description (and work_link if it is online) for {id}."
                    ),
                ));
            }
        }
        self.issues.extend(found);
        let (contact, table) = self.filer();
        let (address, phone, email) = (
            blank(&contact.address),
            blank(&contact.phone),
            blank(&contact.email),
        );
        for (missing, f, what) in [
            (address, "address", "postal address"),
            (phone, "phone", "phone number"),
            (email, "email", "email address"),
        ] {
            if missing {
                self.error(
                    format!("{table}.{f}"),
                    format!(
                        "A DMCA notice must say how to reach you (17 U.S.C. § 512(c)(3)(A)(iv)): add your {what} as {f} under [{table}]."
                    ),
                );
            }
        }
        let s = self.file.statements;
        if !s.good_faith {
            self.error(
                "statements.good_faith",
                "A DMCA notice must include the good-faith statement (17 U.S.C. § 512(c)(3)(A)(v)): set good_faith = true under [statements] if it is true.",
            );
        }
        if !s.accuracy_under_penalty_of_perjury {
            self.error(
                "statements.accuracy_under_penalty_of_perjury",
                "A DMCA notice must state that it is accurate (17 U.S.C. § 512(c)(3)(A)(vi)): set accuracy_under_penalty_of_perjury = true under [statements] if it is true.",
            );
        }
        if !s.authorised {
            self.error(
                "statements.authorised",
                "A DMCA notice must state, under penalty of perjury, that you are authorised to act for the copyright owner (17 U.S.C. § 512(c)(3)(A)(vi)): set authorised = true under [statements] if it is true.",
            );
        }
        self.need_signature(
            "A DMCA notice",
            "must be signed (17 U.S.C. § 512(c)(3)(A)(i))",
            true,
        );
    }

    // ---- EU DSA ----

    fn dsa(&mut self) {
        self.need_narrative(
            "A DSA notice must explain why the listings are illegal (Article 16(2)(a)): write the explanation in narrative, naming the right and how each listing infringes it.",
        );
        let (contact, table) = self.filer();
        if blank(&contact.email) {
            self.error(
                format!("{table}.email"),
                format!(
                    "A DSA notice must give the notifier's name and email (Article 16(2)(c)): add email under [{table}]."
                ),
            );
        }
        if !self.file.statements.good_faith {
            self.error(
                "statements.good_faith",
                "A DSA notice must confirm your bona fide belief that it is accurate and complete (Article 16(2)(d)): set good_faith = true under [statements] if it is true.",
            );
        }
    }

    // ---- USTR Notorious Markets ----

    fn ustr(&mut self) {
        let Some(u) = self.file.ustr.clone() else {
            self.error(
                "ustr",
                "A USTR comment needs a [ustr] table with the docket number and at least one [[ustr.market]].",
            );
            return;
        };
        match u.docket.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => self.error(
                "ustr.docket",
                "USTR's request for comments names a docket on regulations.gov (like USTR-2025-0020): add docket under [ustr].",
            ),
            Some(d) => {
                let parts: Vec<&str> = d.split('-').collect();
                let shaped = parts.len() == 3
                    && parts[0].eq_ignore_ascii_case("USTR")
                    && parts[1].len() == 4
                    && parts[1].chars().all(|c| c.is_ascii_digit())
                    && !parts[2].is_empty()
                    && parts[2].chars().all(|c| c.is_ascii_digit());
                if !shaped {
                    self.warning(
                        "ustr.docket",
                        format!(
                            "\"{}\" does not look like a USTR docket number (like USTR-2025-0020): check it against the Federal Register notice.",
                            one_line(d)
                        ),
                    );
                }
            }
        }
        if let Some(y) = u.year
            && !(2000..=2100).contains(&y)
        {
            self.error(
                "ustr.year",
                format!("{y} is not the year of a review: write the year, like 2026."),
            );
        }
        if u.markets.is_empty() {
            self.error(
                "ustr.market",
                "Name at least one market: add a [[ustr.market]] table with its name, urls, operator, location, goods and enforcement history.",
            );
        }
        let mut hosts_by_market: Vec<Vec<String>> = Vec::new();
        for (i, m) in u.markets.iter().enumerate() {
            let path = format!("ustr.market[{i}]");
            let name = if m.name.trim().is_empty() {
                format!("market {}", i + 1)
            } else {
                one_line(&m.name)
            };
            if m.name.trim().is_empty() {
                self.error(format!("{path}.name"), format!("Give {name} a name."));
            }
            match m.location.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                None => self.error(
                    format!("{path}.location"),
                    format!(
                        "Say where {name} is run from (city and country): USTR reviews markets outside the United States."
                    ),
                ),
                Some(l) if is_us(l) => self.error(
                    format!("{path}.location"),
                    format!(
                        "USTR's Notorious Markets review covers markets outside the United States: {name} is in {}, so leave it out of this comment.",
                        one_line(l)
                    ),
                ),
                Some(_) => {}
            }
            if m.kind == MarketKind::Online && m.urls.is_empty() {
                self.error(
                    format!("{path}.urls"),
                    format!("Give the domain names of {name}, past and present, as urls."),
                );
            }
            for (j, url) in m.urls.iter().enumerate() {
                if url.trim().is_empty() || url.trim().contains(char::is_whitespace) {
                    self.error(
                        format!("{path}.urls[{j}]"),
                        format!(
                            "\"{}\" is not a domain name or URL: write one per entry, without spaces.",
                            one_line(url)
                        ),
                    );
                }
            }
            hosts_by_market.push(m.urls.iter().filter_map(|u| host_of(u)).collect());
            for (missing, f, what) in [
                (blank(&m.goods), "goods", "the kinds of goods sold"),
                (blank(&m.operator), "operator", "the operator's name"),
                (
                    blank(&m.enforcement_actions),
                    "enforcement_actions",
                    "the enforcement actions taken and their outcomes",
                ),
            ] {
                if missing {
                    self.warning(
                        format!("{path}.{f}"),
                        format!("USTR asks for {what}: add {f} for {name} if you know it."),
                    );
                }
            }
        }
        let mut found = Vec::new();
        if !u.markets.is_empty() {
            for l in self.live() {
                let Some(host) = host_of(l.capture.listing_url()) else {
                    continue;
                };
                let matched = hosts_by_market
                    .iter()
                    .any(|hosts| hosts.iter().any(|h| host_matches(&host, h)));
                if !matched {
                    found.push(Issue::warning(
                        self.listing_field(l),
                        format!(
                            "Exhibit {} is on {host}, which none of the markets lists: add {host} to the urls of its market, or leave it out.",
                            l.exhibit
                        ),
                    ));
                }
            }
        }
        self.issues.extend(found);
        self.need_signature("A USTR comment", "is a signed letter", false);
    }

    // ---- Agency or embassy letter ----

    /// A Schedule A filing: the court's forum as a region code, and a declarant to
    /// authenticate the captures. What each defendant's evidence lacks is checked by
    /// the caller, which has the case's storefronts, checkouts and purchases
    /// (`exhibit_defendants::gaps`).
    fn schedule_a(&mut self) {
        let sa = self.file.schedule_a.clone().unwrap_or_default();
        if let Some(forum) = sa.forum.as_deref()
            && !crate::text::is_region(forum)
        {
            self.error(
                "schedule_a.forum",
                format!(
                    "Give the forum as a country and state code such as \"US-IL\", not \"{}\".",
                    crate::text::one_line(forum)
                ),
            );
        }
        if blank(&sa.court) {
            self.warning(
                "schedule_a.court",
                "Name the court under [schedule_a], such as court = \"United States District Court for the Northern District of Illinois\"; the packet leaves a blank for it.",
            );
        }
        let declarant = self
            .file
            .declaration
            .as_ref()
            .is_some_and(|d| !d.declarant.trim().is_empty());
        if !declarant {
            self.error(
                "declaration.declarant",
                "A Schedule A filing needs the investigator's declaration: add a [declaration] table with the declarant who made or oversaw the captures and test purchases.",
            );
        }
    }

    fn agency(&mut self) {
        match self.file.addressee {
            None => self.error(
                "addressee",
                "Say who the letter is for: add addressee = \"cbp\", \"ipr-center\", \"eu-watch-list\" or \"embassy\".",
            ),
            Some(Addressee::Embassy) if blank(&self.file.addressee_name) => self.error(
                "addressee_name",
                "Name the embassy or attaché the letter is for: add addressee_name = \"U.S. Embassy Beijing, IP Attaché\" (for example).",
            ),
            _ => {}
        }
        let Some(a) = self.file.agency.clone() else {
            self.error(
                "agency",
                "An agency letter needs an [agency] table: the violator's name, address and website, the product, the steps already taken and what you ask for.",
            );
            return;
        };
        for (missing, f, message) in [
            (
                blank(&a.violator_name),
                "violator_name",
                "Name the seller or company selling the copies: add violator_name under [agency].",
            ),
            (
                blank(&a.product),
                "product",
                "Say which of your products is copied: add product under [agency].",
            ),
            (
                blank(&a.ask),
                "ask",
                "Say what you ask the addressee to do (for example, to detain shipments or to raise the case with the local authorities): add ask under [agency].",
            ),
        ] {
            if missing {
                self.error(format!("agency.{f}"), message);
            }
        }
        for (missing, f, message) in [
            (
                blank(&a.violator_website),
                "violator_website",
                "Add the violator's website or store page as violator_website if you know it; the listing URLs are printed either way.",
            ),
            (
                blank(&a.violator_address),
                "violator_address",
                "Add the violator's address as violator_address if you know it: agencies act on where the goods come from.",
            ),
            (
                blank(&a.prior_takedowns),
                "prior_takedowns",
                "Say what you have already tried (takedowns, letters) and what came of it, even if nothing: add prior_takedowns under [agency].",
            ),
        ] {
            if missing {
                self.warning(format!("agency.{f}"), message);
            }
        }
        if self.file.addressee == Some(Addressee::Cbp) && a.immediate_threat.is_none() {
            self.error(
                "agency.immediate_threat",
                "CBP asks whether there is an immediate threat to life or property: add immediate_threat = true or false under [agency].",
            );
        }
        if self.file.addressee == Some(Addressee::EuWatchList)
            && let Some(country) = a
                .violator_country
                .as_deref()
                .filter(|c| !c.trim().is_empty())
            && is_eu(country)
        {
            self.error(
                "agency.violator_country",
                format!(
                    "The EU Counterfeit and Piracy Watch List names marketplaces outside the EU, but the violator is in {}: report it to that country's authorities instead.",
                    one_line(country)
                ),
            );
        }
        let (contact, table) = self.filer();
        if blank(&contact.email) && blank(&contact.phone) {
            self.warning(
                format!("{table}.email"),
                format!("Give an email or phone under [{table}] so the addressee can reach you."),
            );
        }
        self.need_signature("An agency letter", "is a signed letter", false);
    }
}

/// The class of an eBay reason code ("2.3" → 2), if it has the right shape.
fn ebay_code_class(code: &str) -> Option<u32> {
    let (major, minor) = code.trim().split_once('.')?;
    let ok_major = major.len() == 1 && ('1'..='5').contains(&major.chars().next()?);
    let ok_minor = (1..=2).contains(&minor.len()) && minor.chars().all(|c| c.is_ascii_digit());
    if ok_major && ok_minor {
        major.parse().ok()
    } else {
        None
    }
}

/// The host of a URL or a bare domain name, lower-cased, without `www.`.
pub(crate) fn host_of(s: &str) -> Option<String> {
    let s = s.trim();
    let parsed = url::Url::parse(s)
        .ok()
        .filter(|u| u.host_str().is_some())
        .or_else(|| url::Url::parse(&format!("https://{s}")).ok())?;
    let host = parsed.host_str()?.to_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// Whether `host` is `domain` or a subdomain of it.
pub(crate) fn host_matches(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// Keys whose values may be long text.
const LONG_KEYS: [&str; 24] = [
    "how_found",
    "test_buys",
    "narrative",
    "notes",
    "title_translation",
    "work_description",
    "reason",
    "focus",
    "domain_registration",
    "hosting_provider",
    "traffic",
    "revenue_sources",
    "government_links",
    "goods",
    "volume",
    "harm",
    "harm_change",
    "health_safety_risks",
    "enforcement_actions",
    "rights_holder_actions",
    "operator_measures",
    "prior_takedowns",
    "ask",
    "scale",
];

/// Every string in a JSON value, as (dotted path, last key, length in characters).
fn walk_strings(v: &serde_json::Value, path: String, out: &mut Vec<(String, String, usize)>) {
    walk(v, path, String::new(), out);
}

fn walk(v: &serde_json::Value, path: String, key: String, out: &mut Vec<(String, String, usize)>) {
    match v {
        serde_json::Value::String(s) => out.push((path, key, s.chars().count())),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), key.clone(), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, p, k.clone(), out);
            }
        }
        _ => {}
    }
}
