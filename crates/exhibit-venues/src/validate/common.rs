//! The checks every venue shares: text lengths, contacts, rights and their
//! certificates, that there is something to report, dates, and tables meant for
//! another venue.

use std::collections::{BTreeMap, BTreeSet};

use exhibit_domain::IpRightKind;

use super::{Checker, Issue, MAX_LONG_TEXT_CHARS, MAX_SHORT_TEXT_CHARS, blank, has_errors};
use crate::file::Contact;
use crate::resolve::kind_label;
use crate::text::{is_email, is_phone, one_line, parse_date, thousands};
use crate::venue::{Infringement, Venue};

impl Checker<'_> {
    pub(super) fn text_lengths(&mut self) {
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

    pub(super) fn contacts(&mut self) {
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

    pub(super) fn rights(&mut self) {
        if self.file.rights.is_empty() {
            self.error(
                "right",
                "Add at least one [[right]] table: the trademark, copyright, design or patent the listings infringe.",
            );
        }
        self.right_entries();
        // A right of the wrong kind for the infringement claimed (a DMCA notice makes
        // this an error of its own).
        if self.file.venue != Venue::Dmca {
            self.rights_fit_infringements();
        }
        // Registered rights without their number or office, where the venue has no
        // stricter rule of its own.
        if !self.file.venue.is_portal() {
            self.rights_registration_numbers();
        }
    }

    /// Each `[[right]]` in turn: its id, then its certificates. In this order, because
    /// a right no listing names is only mentioned while there are no errors so far.
    fn right_entries(&mut self) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let used: BTreeSet<&str> = self.listings.iter().map(|l| l.right.as_str()).collect();
        let listed_any = !self.file.listings.is_empty()
            || self
                .file
                .listing_defaults
                .as_ref()
                .is_some_and(|d| d.all_ok);
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
            } else if listed_any && !used.contains(id) {
                self.unclaimed_right(i, id);
            }
            for (j, cert) in r.certificates.iter().enumerate() {
                self.attachment(
                    &format!("right[{i}].certificates[{j}]"),
                    cert,
                    &format!("the certificate for {}", one_line(id)),
                );
            }
        }
    }

    /// A right that no listing names, while the complaint has no error so far.
    fn unclaimed_right(&mut self, i: usize, id: &str) {
        if !has_errors(&self.issues)
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
    }

    /// Live listings whose infringement is usually claimed under another kind of right.
    fn rights_fit_infringements(&mut self) {
        let mut found = Vec::new();
        for l in self.live() {
            let Some(r) = self.file.rights.iter().find(|r| r.id.trim() == l.right) else {
                continue;
            };
            let natural = l.infringement.natural_right();
            let fits = r.kind == natural
                || (l.infringement == Infringement::DesignCopy && r.kind == IpRightKind::Patent);
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

    /// Registered rights the listings name that have no registration number.
    fn rights_registration_numbers(&mut self) {
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

    pub(super) fn listings_present(&mut self, selection_failed: bool) {
        if self.live().next().is_none() && !selection_failed {
            self.error(
                "listing",
                "There is nothing to report: list captures under [[listing]], or set all_ok = true under [listings] to take every capture whose status is ok.",
            );
        }
    }

    pub(super) fn dates(&mut self) {
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
    pub(super) fn stray_tables(&mut self) {
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
