//! The joinder report: for each pair of defendants, the facts they share and the facts
//! that differ. Judges deny joinder when the plaintiff's own exhibits show sellers acting
//! independently (different images, prices from $0.94 to $5) or contradict the claimed
//! similarities; per-defendant overlapping facts matter, boilerplate does not. So the
//! report states only what the captured pages show, both ways, and concludes nothing.

use std::collections::BTreeSet;

use exhibit_domain::normalise_title;
use exhibit_venues::marketplace_label;
use exhibit_venues::text::one_line;
use serde::{Deserialize, Serialize};

use crate::model::Defendant;

/// Two product images count as the same when their 64-bit dHashes differ in at most
/// this many bits: the relisting rule's default threshold.
pub const IMAGE_MATCH_BITS: u32 = 10;

/// One fact about a pair of defendants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Fact {
    /// `marketplace`, `image`, `price`, `title`, `address` or `ship_from`.
    pub what: String,
    /// What the pages show, in one sentence fragment.
    pub detail: String,
}

/// A pair of defendants, by Doe number (`a < b`), with what the pages show of both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub shared: Vec<Fact>,
    pub differs: Vec<Fact>,
}

fn fact(what: &str, detail: String) -> Fact {
    Fact {
        what: what.to_string(),
        detail,
    }
}

/// Every pair of defendants, in Doe order, with the facts they share and the facts
/// that differ. A fact neither page shows is neither shared nor different.
pub fn joinder(defendants: &[Defendant]) -> Vec<Pair> {
    let mut sorted: Vec<&Defendant> = defendants.iter().collect();
    sorted.sort_by_key(|d| d.doe);
    let mut pairs = Vec::new();
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            pairs.push(compare(a, b));
        }
    }
    pairs
}

fn compare(a: &Defendant, b: &Defendant) -> Pair {
    let mut shared = Vec::new();
    let mut differs = Vec::new();
    let (ma, mb) = (
        marketplace_label(&a.marketplace),
        marketplace_label(&b.marketplace),
    );
    if a.marketplace == b.marketplace {
        shared.push(fact("marketplace", format!("both sell on {ma}")));
    } else {
        differs.push(fact("marketplace", format!("{ma} and {mb}")));
    }
    images(a, b, &mut shared, &mut differs);
    prices(a, b, &mut shared, &mut differs);
    titles(a, b, &mut shared, &mut differs);
    let shown = |d: &Defendant| -> Vec<(&'static str, String)> {
        let Some(s) = d.storefront.as_ref().and_then(|s| s.store.as_ref()) else {
            return Vec::new();
        };
        [
            ("business name", &s.business_name),
            ("address", &s.address),
            ("location", &s.location),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, one_line(v))))
        .filter(|(_, v)| !v.is_empty())
        .collect()
    };
    let (sa, sb) = (shown(a), shown(b));
    for (kind, va) in &sa {
        let Some((_, vb)) = sb.iter().find(|(k, _)| k == kind) else {
            continue;
        };
        if normalise_title(va) == normalise_title(vb) {
            shared.push(fact("address", format!("the same {kind} shown: {va}")));
        } else {
            differs.push(fact("address", format!("{kind}s shown: {va}; {vb}")));
        }
    }
    let from = |d: &Defendant| -> BTreeSet<String> {
        d.purchases
            .iter()
            .filter_map(|p| p.ship_from.as_deref())
            .map(one_line)
            .filter(|s| !s.is_empty())
            .collect()
    };
    let (fa, fb) = (from(a), from(b));
    if !fa.is_empty() && !fb.is_empty() {
        let na: BTreeSet<String> = fa.iter().map(|s| normalise_title(s)).collect();
        match fb.iter().find(|s| na.contains(&normalise_title(s))) {
            Some(s) => shared.push(fact(
                "ship_from",
                format!("test purchases shipped from the same address: {s}"),
            )),
            None => differs.push(fact(
                "ship_from",
                format!(
                    "test purchases shipped from {} and {}",
                    join(&fa),
                    join(&fb)
                ),
            )),
        }
    }
    Pair {
        a: a.doe,
        b: b.doe,
        shared,
        differs,
    }
}

fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join("; ")
}

fn images(a: &Defendant, b: &Defendant, shared: &mut Vec<Fact>, differs: &mut Vec<Fact>) {
    let with = |d: &Defendant| -> Vec<(usize, u64)> {
        d.listings
            .iter()
            .filter_map(|l| Some((l.exhibit.unwrap_or(0), l.image_dhash?)))
            .collect()
    };
    let (ia, ib) = (with(a), with(b));
    if ia.is_empty() || ib.is_empty() {
        return;
    }
    let best = ia
        .iter()
        .flat_map(|x| ib.iter().map(move |y| (x, y)))
        .map(|((ea, ha), (eb, hb))| ((ha ^ hb).count_ones(), *ea, *eb))
        .min();
    match best {
        Some((bits, ea, eb)) if bits <= IMAGE_MATCH_BITS => shared.push(fact(
            "image",
            format!(
                "the same product image (perceptual hash {bits} of 64 bits apart): {} and {}",
                exhibit_name(ea),
                exhibit_name(eb)
            ),
        )),
        Some((bits, _, _)) => differs.push(fact(
            "image",
            format!("no product image in common (the closest are {bits} of 64 bits apart)"),
        )),
        None => {}
    }
}

fn exhibit_name(n: usize) -> String {
    if n == 0 {
        "a listing".to_string()
    } else {
        format!("Exhibit {n}")
    }
}

fn prices(a: &Defendant, b: &Defendant, shared: &mut Vec<Fact>, differs: &mut Vec<Fact>) {
    let of = |d: &Defendant| -> BTreeSet<(String, String)> {
        d.listings
            .iter()
            .filter_map(|l| {
                Some((
                    one_line(l.currency.as_deref()?),
                    one_line(l.price.as_deref()?),
                ))
            })
            .collect()
    };
    let (pa, pb) = (of(a), of(b));
    if pa.is_empty() || pb.is_empty() {
        return;
    }
    match pa.intersection(&pb).next() {
        Some((c, p)) => shared.push(fact("price", format!("the same price, {c} {p}"))),
        None => {
            let show = |s: &BTreeSet<(String, String)>| {
                s.iter()
                    .map(|(c, p)| format!("{c} {p}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            differs.push(fact(
                "price",
                format!("prices {} and {}", show(&pa), show(&pb)),
            ))
        }
    }
}

fn titles(a: &Defendant, b: &Defendant, shared: &mut Vec<Fact>, differs: &mut Vec<Fact>) {
    let of = |d: &Defendant| -> Vec<(String, String)> {
        d.listings
            .iter()
            .filter_map(|l| l.title.as_deref())
            .map(|t| (normalise_title(t), one_line(t)))
            .filter(|(n, _)| !n.is_empty())
            .collect()
    };
    let (ta, tb) = (of(a), of(b));
    if ta.is_empty() || tb.is_empty() {
        return;
    }
    match ta.iter().find(|(n, _)| tb.iter().any(|(m, _)| m == n)) {
        Some((_, shown)) => shared.push(fact("title", format!("the same title text: {shown}"))),
        None => differs.push(fact("title", "no title text in common".to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DefendantListing, EvidencePage, Purchase};
    use exhibit_domain::StoreFacts;

    fn listing(exhibit: usize, title: &str, price: &str, dhash: u64) -> DefendantListing {
        DefendantListing {
            exhibit: Some(exhibit),
            title: Some(title.into()),
            price: Some(price.into()),
            currency: Some("USD".into()),
            image_dhash: Some(dhash),
            ..DefendantListing::default()
        }
    }

    fn seller(doe: usize, m: &str, listings: Vec<DefendantListing>, location: &str) -> Defendant {
        Defendant {
            doe,
            marketplace: m.into(),
            alias: format!("Seller {doe}"),
            listings,
            storefront: Some(EvidencePage {
                store: Some(StoreFacts {
                    location: Some(location.into()),
                    ..StoreFacts::default()
                }),
                ..EvidencePage::default()
            }),
            ..Defendant::default()
        }
    }

    fn whats(f: &[Fact]) -> Vec<&str> {
        f.iter().map(|f| f.what.as_str()).collect()
    }

    #[test]
    fn pairs_show_what_they_share_and_what_differs() {
        let image = 0xF0F0_F0F0_0F0F_0F0Fu64;
        let ds = vec![
            seller(
                3,
                "amazon",
                vec![listing(5, "Brass Lantern 2024", "5.00", !image)],
                "Shenzhen, China",
            ),
            seller(
                1,
                "aliexpress",
                vec![listing(1, "ACME Lantern — Model 7!", "12.99", image)],
                "Guangdong, China",
            ),
            seller(
                2,
                "aliexpress",
                vec![listing(3, "acme lantern model 7", "12.99", image ^ 0b111)],
                "Guangdong,  China",
            ),
        ];
        let pairs = joinder(&ds);
        assert_eq!(
            pairs.iter().map(|p| (p.a, p.b)).collect::<Vec<_>>(),
            [(1, 2), (1, 3), (2, 3)]
        );
        let p12 = &pairs[0];
        assert_eq!(
            whats(&p12.shared),
            ["marketplace", "image", "price", "title", "address"]
        );
        assert!(p12.differs.is_empty(), "{p12:?}");
        assert!(
            p12.shared[1].detail.contains("3 of 64 bits apart"),
            "{p12:?}"
        );
        assert!(p12.shared[1].detail.contains("Exhibit 1 and Exhibit 3"));
        let p13 = &pairs[1];
        assert!(p13.shared.is_empty(), "{p13:?}");
        assert_eq!(
            whats(&p13.differs),
            ["marketplace", "image", "price", "title", "address"]
        );
        assert_eq!(p13.differs[2].detail, "prices USD 12.99 and USD 5.00");
    }

    #[test]
    fn facts_a_page_does_not_show_are_neither_shared_nor_different() {
        let bare = |doe| Defendant {
            doe,
            marketplace: "taobao".into(),
            ..Defendant::default()
        };
        let pairs = joinder(&[bare(1), bare(2)]);
        assert_eq!(whats(&pairs[0].shared), ["marketplace"]);
        assert!(pairs[0].differs.is_empty());
        let mut a = bare(1);
        let mut b = bare(2);
        a.purchases.push(Purchase {
            ship_from: Some("Yiwu, Zhejiang, CN".into()),
            ..Purchase::default()
        });
        b.purchases.push(Purchase {
            ship_from: Some("yiwu zhejiang cn".into()),
            ..Purchase::default()
        });
        let pairs = joinder(&[a, b]);
        assert_eq!(whats(&pairs[0].shared), ["marketplace", "ship_from"]);
    }

    #[test]
    fn no_defendants_or_one_gives_no_pairs() {
        assert!(joinder(&[]).is_empty());
        assert!(joinder(&[Defendant::default()]).is_empty());
    }
}
