//! Alibaba IPP: the platform, complaint type, reason, identity proof and power of
//! attorney, a certificate and registration number for every right, and listings on
//! the platform the complaint is for, batched within IPP's limit.

use std::collections::BTreeSet;

use exhibit_domain::IpRightKind;

use super::{Checker, Issue, blank};
use crate::batch::plan;
use crate::file::AlibabaExtras;
use crate::resolve::Listing;
use crate::text::{one_line, thousands};
use crate::venue::{
    ALIBABA_MARKETPLACES, ALIBABA_MAX_URLS, AlibabaPlatform, Venue, marketplace_label,
};

impl Checker<'_> {
    pub(super) fn alibaba(&mut self) {
        let extras = self.file.alibaba.clone().unwrap_or_default();
        if extras.platform.is_none() {
            self.error(
                "alibaba.platform",
                "Alibaba IPP needs the platform: add platform = \"taobao\" (or tmall, aliexpress, 1688, alibaba.com) under [alibaba].",
            );
        }
        self.alibaba_complaint(&extras);
        self.alibaba_documents(&extras);
        self.alibaba_rights();
        self.marketplaces("Alibaba IPP", &ALIBABA_MARKETPLACES);
        if let Some(platform) = extras.platform {
            self.alibaba_platform_listings(platform);
        }
        self.alibaba_batches();
    }

    /// The complaint's own fields: its type, the test purchase and the reason.
    fn alibaba_complaint(&mut self, extras: &AlibabaExtras) {
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
    }

    /// The identity proof, and the power of attorney when an agent files.
    fn alibaba_documents(&mut self, extras: &AlibabaExtras) {
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
    }

    /// The rights the listings name: a certificate for each, and a registration number
    /// for all but copyrights.
    fn alibaba_rights(&mut self) {
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
    }

    /// Live listings on another Alibaba platform than the one the complaint is for.
    fn alibaba_platform_listings(&mut self, platform: AlibabaPlatform) {
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

    /// How the live listings will be split: one complaint a right, within IPP's limit.
    fn alibaba_batches(&mut self) {
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
}
