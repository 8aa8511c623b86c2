//! From a complaint file and the case's captures to a [`Complaint`]: every listing
//! joined to its capture, its right and its exhibit number.
//!
//! Exhibits are numbered 1..n in ascending capture id, whether a listing was written
//! out under `[[listing]]` or taken in by `[listings] all_ok`, so the numbers follow
//! the order the case shows its captures in.

use std::collections::{BTreeMap, BTreeSet};

use exhibit_domain::{CaptureStatus, IpRight, Party, PartyRole};
use serde::{Deserialize, Serialize};

use crate::error::VenueError;
use crate::facts::{AttachmentsPresent, CaptureFacts};
use crate::file::{
    AgencyExtras, AlibabaExtras, AmazonExtras, ComplaintFile, Declarant, EbayExtras,
    ScheduleAExtras, Signature, Statements, UstrExtras, non_empty,
};
use crate::validate::{Issue, Severity, validate};
use crate::venue::{Addressee, ComplaintType, Infringement, Purpose, Venue};

/// A complaint ready to render: checked, with its listings numbered as exhibits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Complaint {
    pub venue: Venue,
    pub addressee: Option<Addressee>,
    pub addressee_name: Option<String>,
    pub rights_holder: Party,
    pub agent: Option<Party>,
    pub rights: Vec<Right>,
    /// Exhibit `n` is `listings[n - 1]`.
    pub listings: Vec<Listing>,
    pub narrative: Option<String>,
    pub complaint_type: Option<ComplaintType>,
    pub alibaba: Option<AlibabaExtras>,
    pub amazon: Option<AmazonExtras>,
    pub ebay: Option<EbayExtras>,
    pub ustr: Option<UstrExtras>,
    pub agency: Option<AgencyExtras>,
    pub schedule_a: Option<ScheduleAExtras>,
    pub statements: Statements,
    pub signature: Option<Signature>,
    pub declaration: Option<Declarant>,
    /// The warnings validation raised; a complaint with errors is never built.
    pub warnings: Vec<Issue>,
}

/// A right as a complaint uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Right {
    /// The user's label, like `TM-1`.
    pub id: String,
    pub right: IpRight,
    /// Certificate files, as written in the complaint file.
    pub certificates: Vec<String>,
    pub work_description: Option<String>,
    pub work_link: Option<String>,
}

impl Right {
    /// "TM-1: Trademark 1234567 (USPTO), classes 11, 21": the id, then the summary.
    pub fn label(&self) -> String {
        format!("{}: {}", self.id, self.summary())
    }

    /// "Trademark 1234567 (USPTO), classes 11, 21".
    pub fn summary(&self) -> String {
        let kind = kind_label(self.right.kind);
        let mut s = kind.to_string();
        if !self.right.registration_number.is_empty() {
            s.push_str(&format!(" {}", self.right.registration_number));
        }
        if !self.right.office.is_empty() {
            s.push_str(&format!(" ({})", self.right.office));
        }
        if !self.right.classes.is_empty() {
            let word = if self.right.classes.len() == 1 {
                "class"
            } else {
                "classes"
            };
            s.push_str(&format!(", {word} {}", self.right.classes.join(", ")));
        }
        s
    }
}

/// The name of a kind of right, capitalised.
pub fn kind_label(kind: exhibit_domain::IpRightKind) -> &'static str {
    use exhibit_domain::IpRightKind as K;
    match kind {
        K::Trademark => "Trademark",
        K::Copyright => "Copyright",
        K::Design => "Design",
        K::Patent => "Patent",
    }
}

/// One listing offered as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    /// 1-based exhibit number.
    pub exhibit: usize,
    pub capture: CaptureFacts,
    /// The right's id.
    pub right: String,
    pub infringement: Infringement,
    pub purpose: Purpose,
    pub notes: Option<String>,
    pub title_translation: Option<String>,
}

impl Listing {
    /// "Exhibit 3".
    pub fn label(&self) -> String {
        format!("Exhibit {}", self.exhibit)
    }
}

impl Complaint {
    /// The right with this id.
    pub fn right(&self, id: &str) -> Option<&Right> {
        self.rights.iter().find(|r| r.id == id)
    }

    /// Who files: the agent when there is one, else the rights holder.
    pub fn filer(&self) -> &Party {
        self.agent.as_ref().unwrap_or(&self.rights_holder)
    }

    /// The listings offered as evidence of a live listing, in exhibit order.
    pub fn live_listings(&self) -> impl Iterator<Item = &Listing> {
        self.listings.iter().filter(|l| l.purpose == Purpose::Live)
    }

    /// The removed listings offered as proof that a takedown worked.
    pub fn takedown_proofs(&self) -> impl Iterator<Item = &Listing> {
        self.listings
            .iter()
            .filter(|l| l.purpose == Purpose::TakedownProof)
    }

    /// The rights the listings name, in the order the file lists them.
    pub fn rights_used(&self) -> Vec<&Right> {
        let used: BTreeSet<&str> = self.listings.iter().map(|l| l.right.as_str()).collect();
        self.rights
            .iter()
            .filter(|r| used.contains(r.id.as_str()))
            .collect()
    }
}

/// Checks the complaint and builds it. Fails with [`VenueError::Invalid`] carrying
/// every issue when any is an error; otherwise the warnings travel in
/// [`Complaint::warnings`].
pub fn resolve(
    file: &ComplaintFile,
    captures: &[CaptureFacts],
    attachments: &AttachmentsPresent,
) -> Result<Complaint, VenueError> {
    let issues = validate(file, captures, attachments);
    if issues.iter().any(|i| i.severity == Severity::Error) {
        return Err(VenueError::Invalid { issues });
    }
    let (listings, _) = select_listings(file, captures);
    Ok(Complaint {
        venue: file.venue,
        addressee: file.addressee,
        addressee_name: non_empty(&file.addressee_name),
        rights_holder: file.rights_holder.to_party(PartyRole::RightsHolder),
        agent: file.agent.as_ref().map(|a| a.to_party(PartyRole::Agent)),
        rights: resolve_rights(file),
        listings,
        narrative: non_empty(&file.narrative),
        complaint_type: file.complaint_type,
        alibaba: file.alibaba.clone(),
        amazon: file.amazon.clone(),
        ebay: file.ebay.clone(),
        ustr: file.ustr.clone(),
        agency: file.agency.clone(),
        schedule_a: file.schedule_a.clone(),
        statements: file.statements,
        signature: file.signature.clone(),
        declaration: file.declaration.clone(),
        warnings: issues,
    })
}

pub(crate) fn resolve_rights(file: &ComplaintFile) -> Vec<Right> {
    let holder = file
        .rights_holder
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(file.rights_holder.name.trim())
        .to_string();
    file.rights
        .iter()
        .map(|r| Right {
            id: r.id.trim().to_string(),
            right: IpRight {
                kind: r.kind,
                registration_number: non_empty(&r.registration_number).unwrap_or_default(),
                office: non_empty(&r.office).unwrap_or_default(),
                classes: r
                    .classes
                    .iter()
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect(),
                owner: non_empty(&r.owner).unwrap_or_else(|| holder.clone()),
            },
            certificates: r.certificates.clone(),
            work_description: non_empty(&r.work_description),
            work_link: non_empty(&r.work_link),
        })
        .collect()
}

/// The listings the file selects, numbered, and the issues found selecting them.
/// Listings with an issue of their own are left out; the rest are kept so the venue
/// rules can still be checked.
pub(crate) fn select_listings(
    file: &ComplaintFile,
    captures: &[CaptureFacts],
) -> (Vec<Listing>, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut by_id: BTreeMap<i64, &CaptureFacts> = BTreeMap::new();
    for c in captures {
        by_id.entry(c.id).or_insert(c);
    }
    let right_ids: Vec<&str> = file.rights.iter().map(|r| r.id.trim()).collect();
    let defaults = file.listing_defaults.clone().unwrap_or_default();
    let mut chosen: BTreeMap<i64, Listing> = BTreeMap::new();
    let mut written: BTreeMap<i64, usize> = BTreeMap::new();

    for (i, entry) in file.listings.iter().enumerate() {
        let path = format!("listing[{i}]");
        let id = entry.capture;
        if id <= 0 {
            issues.push(Issue::error(
                format!("{path}.capture"),
                format!(
                    "Capture ids are whole numbers from 1 up, but listing {} names capture {id}. Use the number the case shows for the capture.",
                    i + 1
                ),
            ));
            continue;
        }
        if let Some(first) = written.get(&id) {
            issues.push(Issue::error(
                format!("{path}.capture"),
                format!(
                    "Capture #{id} is listed twice (listing {} and listing {}): keep one.",
                    first + 1,
                    i + 1
                ),
            ));
            continue;
        }
        written.insert(id, i);
        let Some(capture) = by_id.get(&id) else {
            issues.push(Issue::error(
                format!("{path}.capture"),
                format!(
                    "There is no capture #{id} in this case: check the number, or capture the listing first."
                ),
            ));
            continue;
        };
        let right = pick_right(
            entry.right.as_deref().or(defaults.right.as_deref()),
            &right_ids,
            &format!("{path}.right"),
            &format!("capture #{id}"),
            &mut issues,
        );
        let infringement = entry.infringement.or(defaults.infringement);
        if infringement.is_none() {
            issues.push(Issue::error(
                format!("{path}.infringement"),
                format!(
                    "Say how capture #{id} infringes: add infringement = \"counterfeit\" (or trademark-misuse, copied-photos, copied-text, design-copy), or a default under [listings]."
                ),
            ));
        }
        let status_ok = check_status(
            capture,
            entry.purpose,
            &format!("{path}.capture"),
            &mut issues,
        );
        if let (Some(right), Some(infringement), true) = (right, infringement, status_ok) {
            chosen.insert(
                id,
                Listing {
                    exhibit: 0,
                    capture: (*capture).clone(),
                    right,
                    infringement,
                    purpose: entry.purpose,
                    notes: non_empty(&entry.notes),
                    title_translation: non_empty(&entry.title_translation),
                },
            );
        }
    }

    if defaults.all_ok {
        let right = pick_right(
            defaults.right.as_deref(),
            &right_ids,
            "listings.right",
            "every listing taken in by all_ok",
            &mut issues,
        );
        if defaults.infringement.is_none() {
            issues.push(Issue::error(
                "listings.infringement",
                "Say how the listings taken in by all_ok infringe: add infringement = \"counterfeit\" (or trademark-misuse, copied-photos, copied-text, design-copy) under [listings].",
            ));
        }
        let ok_count = by_id
            .values()
            .filter(|c| c.id > 0 && c.status == CaptureStatus::Ok)
            .count();
        if ok_count == 0 {
            issues.push(Issue::error(
                "listings.all_ok",
                "all_ok takes in every capture whose status is ok, but this case has none. Capture the listings again (in a logged-in browser if they showed a login wall), or list captures one by one.",
            ));
        }
        if let (Some(right), Some(infringement)) = (right, defaults.infringement) {
            for c in by_id.values() {
                if c.id > 0 && c.status == CaptureStatus::Ok && !written.contains_key(&c.id) {
                    chosen.insert(
                        c.id,
                        Listing {
                            exhibit: 0,
                            capture: (*c).clone(),
                            right: right.clone(),
                            infringement,
                            purpose: Purpose::Live,
                            notes: None,
                            title_translation: None,
                        },
                    );
                }
            }
        }
    }

    let listings = chosen
        .into_values()
        .enumerate()
        .map(|(i, mut l)| {
            l.exhibit = i + 1;
            l
        })
        .collect();
    (listings, issues)
}

fn pick_right(
    given: Option<&str>,
    right_ids: &[&str],
    path: &str,
    what: &str,
    issues: &mut Vec<Issue>,
) -> Option<String> {
    let known = if right_ids.is_empty() {
        "there are none yet; add a [[right]] table".to_string()
    } else {
        format!("the ids are {}", right_ids.join(", "))
    };
    match given.map(str::trim) {
        None | Some("") => {
            issues.push(Issue::error(
                path,
                format!(
                    "Say which right {what} infringes: add right = \"TM-1\" naming a [[right]] id ({known}), or a default under [listings]."
                ),
            ));
            None
        }
        Some(r) if right_ids.contains(&r) => Some(r.to_string()),
        Some(r) => {
            issues.push(Issue::error(
                path,
                format!(
                    "{} names the right \"{}\", but no [[right]] has that id ({known}).",
                    capitalise(what),
                    crate::text::one_line(r)
                ),
            ));
            None
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The rule DESIGN.md insists on: a blocked, removed or failed capture is never
/// evidence of a live listing; only a removed one may prove a takedown.
fn check_status(c: &CaptureFacts, purpose: Purpose, path: &str, issues: &mut Vec<Issue>) -> bool {
    let id = c.id;
    let message = match (purpose, c.status) {
        (Purpose::Live, CaptureStatus::Ok) | (Purpose::TakedownProof, CaptureStatus::Removed) => {
            return true;
        }
        (Purpose::Live, CaptureStatus::Blocked) => format!(
            "Capture #{id} shows a login wall or robot check (blocked), so it cannot be offered as evidence of a live listing. Capture it again in a logged-in browser, or leave it out."
        ),
        (Purpose::Live, CaptureStatus::Removed) => format!(
            "Capture #{id} shows the listing was removed (removed), so it cannot be offered as evidence of a live listing. To show that a takedown worked, set purpose = \"takedown-proof\"."
        ),
        (Purpose::Live, CaptureStatus::Failed) => format!(
            "Capture #{id} failed (nothing usable came back), so it cannot be offered as evidence of a live listing. Capture it again, or leave it out."
        ),
        (Purpose::TakedownProof, CaptureStatus::Ok) => format!(
            "Capture #{id} shows the listing still for sale (ok), so it cannot prove that a takedown worked: remove purpose = \"takedown-proof\"."
        ),
        (Purpose::TakedownProof, CaptureStatus::Blocked) => format!(
            "Capture #{id} shows a login wall or robot check (blocked), so it proves neither a live listing nor a takedown. Capture it again in a logged-in browser."
        ),
        (Purpose::TakedownProof, CaptureStatus::Failed) => format!(
            "Capture #{id} failed (nothing usable came back), so it cannot prove that a takedown worked. Capture it again."
        ),
    };
    issues.push(Issue::error(path, message));
    false
}
