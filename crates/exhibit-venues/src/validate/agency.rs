//! Letters to an agency or embassy: the addressee, the `[agency]` table's violator,
//! product and ask, what CBP and the EU Watch List need, a way to reach the filer, and
//! a signature.

use super::{Checker, blank};
use crate::file::AgencyExtras;
use crate::text::{is_eu, one_line};
use crate::venue::Addressee;

impl Checker<'_> {
    pub(super) fn agency(&mut self) {
        self.agency_addressee();
        let Some(a) = self.file.agency.clone() else {
            self.error(
                "agency",
                "An agency letter needs an [agency] table: the violator's name, address and website, the product, the steps already taken and what you ask for.",
            );
            return;
        };
        self.agency_needed(&a);
        self.agency_wanted(&a);
        self.agency_addressee_asks(&a);
        self.agency_reach_filer();
        self.need_signature("An agency letter", "is a signed letter", false);
    }

    /// Who the letter is for, and the embassy's name.
    fn agency_addressee(&mut self) {
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
    }

    /// What every agency needs: the violator, the product and the ask.
    fn agency_needed(&mut self, a: &AgencyExtras) {
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
    }

    /// What helps an agency act, when known.
    fn agency_wanted(&mut self, a: &AgencyExtras) {
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
    }

    /// What CBP and the EU Watch List ask of their own.
    fn agency_addressee_asks(&mut self, a: &AgencyExtras) {
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
    }

    /// A way for the addressee to reach whoever files.
    fn agency_reach_filer(&mut self) {
        let (contact, table) = self.filer();
        if blank(&contact.email) && blank(&contact.phone) {
            self.warning(
                format!("{table}.email"),
                format!("Give an email or phone under [{table}] so the addressee can reach you."),
            );
        }
    }
}
