//! USTR Notorious Markets comments: the docket and year, every market's name,
//! location outside the United States, domains and what USTR asks about it, live
//! listings on a market the comment names, and a signature.

use super::{Checker, Issue, blank, host_matches, host_of};
use crate::file::UstrMarket;
use crate::text::{is_us, one_line};
use crate::venue::MarketKind;

impl Checker<'_> {
    pub(super) fn ustr(&mut self) {
        let Some(u) = self.file.ustr.clone() else {
            self.error(
                "ustr",
                "A USTR comment needs a [ustr] table with the docket number and at least one [[ustr.market]].",
            );
            return;
        };
        self.ustr_docket(u.docket.as_deref());
        self.ustr_year(u.year);
        if u.markets.is_empty() {
            self.error(
                "ustr.market",
                "Name at least one market: add a [[ustr.market]] table with its name, urls, operator, location, goods and enforcement history.",
            );
        }
        let mut hosts_by_market: Vec<Vec<String>> = Vec::new();
        for (i, m) in u.markets.iter().enumerate() {
            hosts_by_market.push(self.ustr_market(i, m));
        }
        if !u.markets.is_empty() {
            self.ustr_listings_on_markets(&hosts_by_market);
        }
        self.need_signature("A USTR comment", "is a signed letter", false);
    }

    /// The docket: present, and shaped like USTR-2025-0020.
    fn ustr_docket(&mut self, docket: Option<&str>) {
        match docket.map(str::trim).filter(|d| !d.is_empty()) {
            None => self.error(
                "ustr.docket",
                "USTR's request for comments names a docket on regulations.gov (like USTR-2025-0020): add docket under [ustr].",
            ),
            Some(d) => {
                if !docket_shaped(d) {
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
    }

    /// The review's year, when given.
    fn ustr_year(&mut self, year: Option<i64>) {
        if let Some(y) = year
            && !(2000..=2100).contains(&y)
        {
            self.error(
                "ustr.year",
                format!("{y} is not the year of a review: write the year, like 2026."),
            );
        }
    }

    /// One `[[ustr.market]]`: its name, location, domains and what USTR asks about it.
    /// Returns the hosts of its domains.
    fn ustr_market(&mut self, i: usize, m: &UstrMarket) -> Vec<String> {
        let path = format!("ustr.market[{i}]");
        let name = if m.name.trim().is_empty() {
            format!("market {}", i + 1)
        } else {
            one_line(&m.name)
        };
        if m.name.trim().is_empty() {
            self.error(format!("{path}.name"), format!("Give {name} a name."));
        }
        self.ustr_market_location(&path, &name, m.location.as_deref());
        self.ustr_market_urls(&path, &name, m);
        let hosts = m.urls.iter().filter_map(|u| host_of(u)).collect();
        self.ustr_market_asks(&path, &name, m);
        hosts
    }

    /// Where a market is run from: given, and outside the United States.
    fn ustr_market_location(&mut self, path: &str, name: &str, location: Option<&str>) {
        match location.map(str::trim).filter(|l| !l.is_empty()) {
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
    }

    /// A market's domain names: one for an online market, each without spaces.
    fn ustr_market_urls(&mut self, path: &str, name: &str, m: &UstrMarket) {
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
    }

    /// What USTR asks about a market and the comment leaves out.
    fn ustr_market_asks(&mut self, path: &str, name: &str, m: &UstrMarket) {
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

    /// Live listings on a host that none of the markets lists.
    fn ustr_listings_on_markets(&mut self, hosts_by_market: &[Vec<String>]) {
        let mut found = Vec::new();
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
        self.issues.extend(found);
    }
}

/// Whether a docket looks like USTR-2025-0020.
fn docket_shaped(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    parts.len() == 3
        && parts[0].eq_ignore_ascii_case("USTR")
        && parts[1].len() == 4
        && parts[1].chars().all(|c| c.is_ascii_digit())
        && !parts[2].is_empty()
        && parts[2].chars().all(|c| c.is_ascii_digit())
}
