//! The overclaiming guard: what each defendant's evidence lacks for a court that
//! looks hard at every defendant (VENUES.md: a sale into the forum, a storefront
//! showing where the seller is, pages that show the listing).

use exhibit_domain::StoreFacts;
use exhibit_venues::SCHEDULE_A_MAX_DEFENDANTS;
use exhibit_venues::text::{one_line, thousands};
use serde::{Deserialize, Serialize};

use crate::model::Defendant;

/// One thing missing from a defendant's evidence (or the filing's), in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Gap {
    /// The defendant's Doe number; 0 for the filing as a whole.
    pub doe: usize,
    /// `no_forum_sale`, `no_test_purchase`, `no_location`, `blocked_listing` or
    /// `too_many_defendants`.
    pub code: String,
    /// A sentence that says what is missing and what to do.
    pub message: String,
}

/// Whether `region` (`US-IL`, `US`) is in `forum`: the same region, or inside a
/// country-wide forum.
pub fn in_forum(region: Option<&str>, forum: &str) -> bool {
    match region {
        Some(r) => r == forum || (!forum.contains('-') && r.split('-').next() == Some(forum)),
        None => false,
    }
}

/// What `d`'s evidence lacks for a Schedule A exhibit in `forum`, in the fixed order
/// of the exhibit: a sale into the forum (a checkout there without a test purchase is
/// a lesser gap of its own), where the seller is, listings a court can see.
pub fn gaps(d: &Defendant, forum: &str) -> Vec<Gap> {
    let who = format!("{} ({})", d.label(), one_line(&d.alias));
    let mut out = Vec::new();
    let mut push = |code: &str, message: String| {
        out.push(Gap {
            doe: d.doe,
            code: code.to_string(),
            message,
        })
    };
    let sold = d
        .purchases
        .iter()
        .any(|p| in_forum(p.ship_to_region.as_deref(), forum));
    let checkout_region = d
        .checkout
        .as_ref()
        .and_then(|c| c.checkout.as_ref())
        .and_then(|c| c.ship_to_region.clone());
    let checkout_in_forum = in_forum(checkout_region.as_deref(), forum);
    if !sold && !checkout_in_forum {
        let found = match (&d.checkout, &checkout_region) {
            (Some(_), Some(r)) => format!(" The checkout captured ships to {r}, not {forum}."),
            (Some(_), None) => " The checkout captured does not show where it ships.".to_string(),
            (None, _) if !d.purchases.is_empty() => {
                " Its test purchases did not ship there.".to_string()
            }
            (None, _) => String::new(),
        };
        push(
            "no_forum_sale",
            format!(
                "{who}: nothing shows a sale into {forum}: no test purchase shipped there and no checkout to an address there.{found} Courts have dismissed defendants without one: capture the checkout to a {forum} address in the logged-in browser, or make a test purchase."
            ),
        );
    } else if !sold {
        push(
            "no_test_purchase",
            format!(
                "{who}: the checkout shows the seller offers to ship to {forum}, but no test purchase shows a sale there. A court has dismissed a defendant with no test sale; make a test purchase shipped to {forum} if you can."
            ),
        );
    }
    let located = d
        .storefront
        .as_ref()
        .and_then(|s| s.store.as_ref())
        .is_some_and(StoreFacts::shows_where);
    if !located {
        let what = if d.storefront.is_some() {
            "the storefront captured does not show where the seller is"
        } else {
            "no storefront or seller profile page is captured"
        };
        push(
            "no_location",
            format!(
                "{who}: {what}. Capture the seller's storefront or profile page (its business information), so the exhibit shows who and where the seller is."
            ),
        );
    }
    for url in &d.blocked_listings {
        push(
            "blocked_listing",
            format!(
                "{who}: the listing {} was last captured blocked (a CAPTCHA or login wall), so its page shows nothing of the listing. Capture it again in the logged-in browser before relying on it.",
                one_line(url)
            ),
        );
    }
    out
}

/// What the filing as a whole should reconsider: more defendants than courts accept
/// without question in one suit.
pub fn filing_gaps(defendants: &[Defendant]) -> Vec<Gap> {
    if defendants.len() > SCHEDULE_A_MAX_DEFENDANTS {
        vec![Gap {
            doe: 0,
            code: "too_many_defendants".to_string(),
            message: format!(
                "This filing names {} defendants, more than {SCHEDULE_A_MAX_DEFENDANTS}: courts have severed and questioned such suits. Split the listings into smaller filings, for example by marketplace or by the facts the defendants share (see the joinder report).",
                thousands(defendants.len())
            ),
        }]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EvidencePage, Purchase};
    use exhibit_domain::CheckoutFacts;

    fn defendant() -> Defendant {
        Defendant {
            doe: 2,
            marketplace: "aliexpress".into(),
            alias: "Lantern <b>Store</b>".into(),
            ..Defendant::default()
        }
    }

    fn codes(g: &[Gap]) -> Vec<&str> {
        g.iter().map(|g| g.code.as_str()).collect()
    }

    #[test]
    fn forums_match_by_region_or_country() {
        assert!(in_forum(Some("US-IL"), "US-IL"));
        assert!(in_forum(Some("US-IL"), "US"));
        assert!(!in_forum(Some("US-CA"), "US-IL"));
        assert!(!in_forum(Some("US"), "US-IL"));
        assert!(!in_forum(None, "US-IL"));
        assert!(!in_forum(Some("USX-IL"), "US"));
    }

    #[test]
    fn a_bare_defendant_lacks_a_sale_and_a_location() {
        let g = gaps(&defendant(), "US-IL");
        assert_eq!(codes(&g), ["no_forum_sale", "no_location"]);
        assert!(
            g[0].message
                .starts_with("Doe 2 (Lantern <b>Store</b>): nothing shows a sale into US-IL")
        );
        assert!(g[1].message.contains("no storefront"));
    }

    #[test]
    fn a_checkout_to_the_forum_or_a_purchase_shipped_there_is_enough() {
        let mut d = defendant();
        d.checkout = Some(EvidencePage {
            checkout: Some(CheckoutFacts {
                ship_to_region: Some("US-CA".into()),
                ..CheckoutFacts::default()
            }),
            ..EvidencePage::default()
        });
        let g = gaps(&d, "US-IL");
        assert!(g[0].message.contains("ships to US-CA, not US-IL"), "{g:?}");
        d.purchases.push(Purchase {
            ship_to_region: Some("US-IL".into()),
            ..Purchase::default()
        });
        assert_eq!(codes(&gaps(&d, "US-IL")), ["no_location"]);
        d.purchases.clear();
        if let Some(c) = d.checkout.as_mut().and_then(|c| c.checkout.as_mut()) {
            c.ship_to_region = Some("US-IL".into());
        }
        assert_eq!(
            codes(&gaps(&d, "US-IL")),
            ["no_test_purchase", "no_location"]
        );
    }

    #[test]
    fn a_storefront_must_show_where_the_seller_is() {
        let mut d = defendant();
        d.storefront = Some(EvidencePage {
            store: Some(StoreFacts {
                shop_name: Some("Lantern Store".into()),
                ..StoreFacts::default()
            }),
            ..EvidencePage::default()
        });
        let g = gaps(&d, "US-IL");
        assert!(g[1].message.contains("does not show where"), "{g:?}");
        d.storefront = Some(EvidencePage {
            store: Some(StoreFacts {
                location: Some("Guangdong, China".into()),
                ..StoreFacts::default()
            }),
            ..EvidencePage::default()
        });
        assert_eq!(codes(&gaps(&d, "US-IL")), ["no_forum_sale"]);
    }

    #[test]
    fn blocked_listings_are_named_and_big_filings_warned() {
        let mut d = defendant();
        d.blocked_listings = vec!["https://example.test/item/1".into()];
        let g = gaps(&d, "US-IL");
        assert_eq!(
            codes(&g),
            ["no_forum_sale", "no_location", "blocked_listing"]
        );
        assert!(g[2].message.contains("https://example.test/item/1"));
        let many: Vec<Defendant> = (1..=101)
            .map(|doe| Defendant {
                doe,
                ..Defendant::default()
            })
            .collect();
        assert!(filing_gaps(&many[..100]).is_empty());
        let g = filing_gaps(&many);
        assert_eq!(codes(&g), ["too_many_defendants"]);
        assert!(g[0].message.contains("101 defendants"));
    }
}
