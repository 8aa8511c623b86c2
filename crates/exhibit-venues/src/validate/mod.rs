//! The rules: what each venue needs, and what no venue may be sent.
//!
//! [`validate`] never stops at the first problem: it returns every [`Issue`] it finds,
//! each with the dotted path of the field and a sentence that says what to do.
//! Errors stop a filing; warnings are shown and travel with the complaint.
//!
//! The checks every venue shares are in `common`; each venue's own checks are in the
//! file named after it.

mod agency;
mod alibaba;
mod amazon;
mod common;
mod dmca;
mod ebay;
mod eu_dsa;
mod schedule_a;
mod ustr;

use std::collections::BTreeSet;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::facts::{AttachmentsPresent, CaptureFacts};
use crate::file::{ComplaintFile, Contact, RightEntry};
use crate::resolve::{Listing, select_listings};
use crate::text::one_line;
use crate::venue::{KNOWN_MARKETPLACES, Purpose, Venue, marketplace_label};

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
