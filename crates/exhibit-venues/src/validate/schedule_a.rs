//! Schedule A filings: the forum as a region code, the court, and the investigator's
//! declaration. Each defendant's evidence is checked by the caller.

use super::{Checker, blank};

impl Checker<'_> {
    /// A Schedule A filing: the court's forum as a region code, and a declarant to
    /// authenticate the captures. What each defendant's evidence lacks is checked by
    /// the caller, which has the case's storefronts, checkouts and purchases
    /// (`exhibit_defendants::gaps`).
    pub(super) fn schedule_a(&mut self) {
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
}
