//! eBay VeRO: the filer's contact details, reason codes that exist and fit the
//! listings, the message and brand within eBay's limits, the explanation, registration
//! and jurisdiction of every right, the statements, and a dated signature.

use std::collections::BTreeSet;

use exhibit_domain::IpRightKind;

use super::{Checker, Issue, blank};
use crate::batch::ebay_reason_code;
use crate::file::EbayExtras;
use crate::text::{one_line, thousands};
use crate::venue::{EBAY_BRAND_MAX_CHARS, EBAY_MESSAGE_MAX_CHARS, Infringement};

impl Checker<'_> {
    pub(super) fn ebay(&mut self) {
        self.filer_contact("eBay VeRO", &["address", "phone", "email"]);
        let extras = self.file.ebay.clone().unwrap_or_default();
        self.ebay_code_shapes(&extras);
        self.ebay_codes_fit_listings(&extras);
        self.ebay_lengths(&extras);
        self.need_narrative(
            "eBay VeRO asks for an explanation: write in narrative why these listings infringe.",
        );
        self.ebay_rights();
        self.statements("eBay VeRO", true, true, true);
        self.need_signature("eBay VeRO", "needs your signature", true);
        self.need_signature_date("eBay VeRO");
        self.marketplaces("eBay VeRO", &["ebay"]);
    }

    /// Every reason code written under `[ebay]` has the shape of one.
    fn ebay_code_shapes(&mut self, extras: &EbayExtras) {
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
    }

    /// Every live listing has a reason code, of a class that fits its infringement.
    fn ebay_codes_fit_listings(&mut self, extras: &EbayExtras) {
        let mut found = Vec::new();
        let mut missing_code = false;
        let mut warned: BTreeSet<(String, Infringement)> = BTreeSet::new();
        for l in self.live() {
            match ebay_reason_code(Some(extras), l.infringement) {
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
    }

    /// The message to the seller and the brand within eBay's limits.
    fn ebay_lengths(&mut self, extras: &EbayExtras) {
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
    }

    /// The rights the listings name: a copyright's registration or description, else the
    /// registration number and jurisdiction.
    fn ebay_rights(&mut self) {
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
