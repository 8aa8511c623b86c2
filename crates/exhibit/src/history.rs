//! The packet's enforcement history: what was reported, when, to whom, what each
//! platform did, and what is still for sale, built from the case's filings, outcomes,
//! captures and confirmed relistings. Every figure names the filings and captures it
//! comes from, so a reader can trace it.
//!
//! The `agency-letter` and `ustr-notorious-markets` packets carry the whole history;
//! every other venue's packet carries a short "prior reports" section when one of its
//! listings was reported before.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Utc};
use exhibit_domain::campaign::parse_day;
use exhibit_domain::doc::{Block, ChartKind, Section, Series};
use serde::Serialize;

use crate::campaign::{FilingView, ListingHistory, Stats};
use crate::{Case, Result};

/// Everything the packet says about the campaign.
#[derive(Debug, Clone)]
pub(crate) struct History {
    pub filings: Vec<FilingView>,
    pub stats: Stats,
    /// The histories of the listings this packet reports that were reported before or
    /// changed since (removed, relisted, still live after a removal).
    pub listings: Vec<ListingHistory>,
    /// Weeks from the first filing to today: filed, removed, relisted, still live.
    pub weeks: Vec<Week>,
    /// Confirmed relistings: (original, relisting, first seen).
    pub relistings: Vec<(i64, i64, String)>,
    pub today: NaiveDate,
    /// The packet's exhibit label of each capture it prints ("Exhibit 7"), so that
    /// every event names the exhibit that proves it; set by the export.
    pub exhibits: BTreeMap<i64, String>,
    /// Each confirmed relisting of a listing this history tells: the relisting's
    /// first capture, as [`Case::proving_captures`] found it.
    pub relisted_as: Vec<RelistedAs>,
}

/// A confirmed relisting of a listing the history tells, as its table prints it.
#[derive(Debug, Clone)]
pub(crate) struct RelistedAs {
    /// The original listing (the case's id).
    pub original: i64,
    /// "taobao listing 123456".
    pub name: String,
    /// The relisting's first capture, and when it finished.
    pub capture_id: i64,
    pub captured_at: String,
}

/// The campaign week by week, as the agency packet draws it ("Week by week") and the
/// app shows it: the same figures from the same computation.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Timeline {
    /// The day it runs to (UTC), `YYYY-MM-DD`.
    pub today: NaiveDate,
    /// From the first filing's week to today's, at most 104 weeks (older ones are
    /// summed into the first); empty before any filing.
    pub weeks: Vec<Week>,
}

/// One week of the timeline (Monday to Sunday, UTC).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Week {
    /// The Monday it starts, `YYYY-MM-DD`.
    pub monday: NaiveDate,
    /// Listings reported in filings made that week (one a listing a filing).
    pub filed: u64,
    /// Reported listings that came down that week: by the first capture that found the
    /// listing removed, else by the platform's answer.
    pub removed: u64,
    /// Confirmed relistings first seen that week.
    pub relisted: u64,
    /// Reported listings not known to be down at the end of the week.
    pub still_live: u64,
}

/// The Monday of `d`'s week.
fn monday(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// The longest timeline drawn, in weeks; older weeks are summed into the first.
const MAX_WEEKS: usize = 104;

impl Case {
    /// The campaign week by week as of today (UTC): the figures the agency packet's
    /// "Week by week" chart and table print.
    pub fn timeline(&self) -> Result<Timeline> {
        let today = Utc::now().date_naive();
        let filings = self.filings_as_of(today)?;
        let relistings = self.confirmed_relistings()?;
        Ok(Timeline {
            today,
            weeks: self.campaign_weeks(&filings, &relistings, today)?,
        })
    }

    /// The timeline's weeks, for the packet and for [`Case::timeline`].
    fn campaign_weeks(
        &self,
        filings: &[FilingView],
        relistings: &[(i64, i64, String)],
        today: NaiveDate,
    ) -> Result<Vec<Week>> {
        Ok(weeks(
            filings,
            &removal_days(self, filings)?,
            relistings,
            today,
        ))
    }

    /// Confirmed relistings: (original, relisting, the relisting's first capture).
    fn confirmed_relistings(&self) -> Result<Vec<(i64, i64, String)>> {
        let decisions = self.store().relisting_decisions()?;
        let mut confirmed: BTreeMap<(i64, i64), bool> = BTreeMap::new();
        for d in &decisions {
            confirmed.insert((d.original, d.relisting), d.decision == "confirmed");
        }
        let first_seen: BTreeMap<i64, String> = self
            .listings()?
            .into_iter()
            .map(|l| (l.id, l.first_captured_at))
            .collect();
        Ok(confirmed
            .iter()
            .filter(|(_, c)| **c)
            .map(|((o, r), _)| (*o, *r, first_seen.get(r).cloned().unwrap_or_default()))
            .collect())
    }

    /// The campaign's history as of `today`, for a packet reporting `listings` (the
    /// case's listing ids).
    pub(crate) fn history(&self, listings: &BTreeSet<i64>, today: NaiveDate) -> Result<History> {
        let filings = self.filings_as_of(today)?;
        let stats = self.stats_as_of(None, today)?;
        let relistings = self.confirmed_relistings()?;
        let reported: BTreeSet<i64> = filings
            .iter()
            .flat_map(|f| f.listings.iter().map(|l| l.listing))
            .collect();
        let relisted: BTreeSet<i64> = relistings.iter().map(|(o, _, _)| *o).collect();
        let mut histories = Vec::new();
        for id in listings {
            if reported.contains(id) || relisted.contains(id) {
                histories.push(self.listing_history(*id)?);
            }
        }
        let weeks = self.campaign_weeks(&filings, &relistings, today)?;
        Ok(History {
            filings,
            stats,
            listings: histories,
            weeks,
            relistings,
            today,
            exhibits: BTreeMap::new(),
            relisted_as: Vec::new(),
        })
    }

    /// The captures that prove what the history says of each listing it tells, with
    /// why each is there, in the order the history tells them: the listing's first
    /// capture; for each answer a platform gave, the first capture on or after its day
    /// (what the listing looked like once the platform had acted); and the first
    /// capture of each confirmed relisting of it (recorded in `h.relisted_as`).
    pub(crate) fn proving_captures(&self, h: &mut History) -> Result<Vec<(i64, String)>> {
        let mut out: Vec<(i64, String)> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut push = |id: i64, why: String| {
            if seen.insert(id) {
                out.push((id, why));
            }
        };
        let mut relisted_as = Vec::new();
        for l in &h.listings {
            let name = format!("{} listing {}", l.listing.marketplace, l.listing.listing_id);
            if let Some(first) = l.captures.first() {
                push(first.capture_id, format!("The first capture of {name}."));
            }
            for f in &l.filings {
                for o in &f.outcomes {
                    let after = l.captures.iter().find(|c| {
                        c.captured_at
                            .get(..10)
                            .is_some_and(|d| d >= o.on_date.as_str())
                    });
                    if let Some(c) = after {
                        push(
                            c.capture_id,
                            format!(
                                "The first capture of {name} after {}'s answer of {} ({}) to filing {} ({}).",
                                f.venue, o.on_date, o.outcome, f.filing, f.reference
                            ),
                        );
                    }
                }
            }
            for (original, relisting, _) in &h.relistings {
                if *original != l.listing.id {
                    continue;
                }
                let r = self.listing_history(*relisting)?;
                let Some(first) = r.captures.first() else {
                    continue;
                };
                let relisted_name =
                    format!("{} listing {}", r.listing.marketplace, r.listing.listing_id);
                push(
                    first.capture_id,
                    format!(
                        "The first capture of {relisted_name}, confirmed as a relisting of {name}."
                    ),
                );
                relisted_as.push(RelistedAs {
                    original: *original,
                    name: relisted_name,
                    capture_id: first.capture_id,
                    captured_at: first.captured_at.clone(),
                });
            }
        }
        h.relisted_as = relisted_as;
        Ok(out)
    }
}

/// Each reported listing's removal day, as the figures count a removal: when the
/// latest capture since its first filing's day found it removed, the first capture
/// that did; with no capture since, the
/// platform's earliest `removed` answer; when the latest capture found it live, none
/// (the platform's word does not stand against the evidence). For the timeline: one
/// read of the captures for the whole case, not one per listing.
fn removal_days(case: &Case, filings: &[FilingView]) -> Result<BTreeMap<i64, NaiveDate>> {
    let mut first_filed: BTreeMap<i64, NaiveDate> = BTreeMap::new();
    let mut said: BTreeMap<i64, NaiveDate> = BTreeMap::new();
    for f in filings {
        let filed = parse_day(&f.filed_on);
        for l in &f.listings {
            if let Some(d) = filed {
                let e = first_filed.entry(l.listing).or_insert(d);
                *e = (*e).min(d);
            }
            for d in l
                .outcomes
                .iter()
                .filter(|o| o.outcome == "removed")
                .filter_map(|o| parse_day(&o.on_date))
            {
                let e = said.entry(l.listing).or_insert(d);
                *e = (*e).min(d);
            }
        }
    }
    let mut first_removed: BTreeMap<i64, NaiveDate> = BTreeMap::new();
    let mut latest_removed: BTreeMap<i64, bool> = BTreeMap::new();
    // Oldest first, so the first found is the earliest and the last the latest.
    for r in case.store().timeline(None)? {
        let (Some(l), Some(d)) = (r.listing, parse_day(&r.finished_at)) else {
            continue;
        };
        let informative = matches!(r.status.as_str(), "ok" | "removed");
        if !informative || first_filed.get(&l).is_none_or(|f| d < *f) {
            continue;
        }
        let removed = r.status == "removed";
        if removed {
            first_removed.entry(l).or_insert(d);
        }
        latest_removed.insert(l, removed);
    }
    Ok(first_filed
        .keys()
        .filter_map(|l| {
            let day = match latest_removed.get(l) {
                Some(true) => first_removed.get(l).or(said.get(l)).copied(),
                Some(false) => None,
                None => said.get(l).copied(),
            };
            Some((*l, day?))
        })
        .collect())
}

fn weeks(
    filings: &[FilingView],
    removed_on: &BTreeMap<i64, NaiveDate>,
    relistings: &[(i64, i64, String)],
    today: NaiveDate,
) -> Vec<Week> {
    let Some(first) = filings.iter().filter_map(|f| parse_day(&f.filed_on)).min() else {
        return Vec::new();
    };
    let mut start = monday(first);
    let end = monday(today.max(first));
    let span = ((end - start).num_days() / 7 + 1) as usize;
    if span > MAX_WEEKS {
        start = end - chrono::Days::new(7 * (MAX_WEEKS as u64 - 1));
    }
    let index = |d: NaiveDate| -> usize {
        if d < start {
            0
        } else {
            (((d - start).num_days() / 7) as usize).min(MAX_WEEKS - 1)
        }
    };
    let n = ((end - start).num_days() / 7 + 1) as usize;
    let mut out: Vec<Week> = (0..n)
        .map(|i| Week {
            monday: start + chrono::Days::new(7 * i as u64),
            filed: 0,
            removed: 0,
            relisted: 0,
            still_live: 0,
        })
        .collect();
    let mut first_filed: BTreeMap<i64, NaiveDate> = BTreeMap::new();
    for f in filings {
        let Some(d) = parse_day(&f.filed_on) else {
            continue;
        };
        if let Some(w) = out.get_mut(index(d)) {
            w.filed += f.listings.len() as u64;
        }
        for l in &f.listings {
            let e = first_filed.entry(l.listing).or_insert(d);
            *e = (*e).min(d);
        }
    }
    for d in removed_on.values() {
        if let Some(w) = out.get_mut(index(*d)) {
            w.removed += 1;
        }
    }
    for (_, _, seen) in relistings {
        if let Some(d) = parse_day(seen)
            && let Some(w) = out.get_mut(index(d))
        {
            w.relisted += 1;
        }
    }
    for w in &mut out {
        let sunday = w.monday + chrono::Days::new(6);
        w.still_live = first_filed
            .iter()
            .filter(|(l, filed)| **filed <= sunday && removed_on.get(l).is_none_or(|d| *d > sunday))
            .count() as u64;
    }
    out
}

fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "-".into(), |r| format!("{:.1} %", r * 100.0))
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The sentences an agency reads first, every figure from the case.
pub(crate) fn summary_sentences(h: &History, complainant: &str) -> Vec<String> {
    let s = &h.stats;
    let c = &s.counts;
    let mut out = Vec::new();
    let days: Vec<NaiveDate> = h
        .filings
        .iter()
        .filter_map(|f| parse_day(&f.filed_on))
        .collect();
    if let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) {
        let venues: BTreeSet<&str> = h.filings.iter().map(|f| f.venue.as_str()).collect();
        out.push(format!(
            "{complainant} filed {} between {first} and {last} ({}), reporting {}.",
            plural(h.filings.len() as u64, "complaint", "complaints"),
            venues.into_iter().collect::<Vec<_>>().join(", "),
            plural(c.reported, "listing", "listings"),
        ));
    }
    out.push(format!(
        "{} came down ({} of them shown removed by a later capture); {} rejected; {} met with a counter-notice, {} of which kept the listing up; {} reinstated; {} still without an answer.",
        plural(c.removed, "listing", "listings"),
        c.removed - c.removed_by_word_only,
        c.rejected,
        c.counter_noticed,
        c.counter_notice_succeeded,
        c.reinstated,
        c.pending
    ));
    if c.removed_but_live > 0 {
        out.push(format!(
            "{} the platform said it removed {} still for sale when captured again afterwards.",
            plural(c.removed_but_live, "listing", "listings"),
            if c.removed_but_live == 1 {
                "was"
            } else {
                "were"
            }
        ));
    }
    if s.relisted > 0 {
        out.push(format!(
            "{} came back under a new link after removal (confirmed by the complainant from the evidence listed below).",
            plural(s.relisted, "removed listing", "removed listings")
        ));
    }
    out
}

/// The whole history, for the agency and USTR packets.
pub(crate) fn section(h: &History, complainant: &str) -> Section {
    let s = &h.stats;
    let c = &s.counts;
    let mut blocks = vec![Block::Paragraph(
        summary_sentences(h, complainant).join(" "),
    )];
    blocks.push(Block::Heading {
        level: 2,
        text: "Filings and outcomes".into(),
    });
    blocks.push(Block::Table {
        header: vec![
            "Filing".into(),
            "Venue".into(),
            "Reference".into(),
            "Filed".into(),
            "Listings".into(),
            "Removed".into(),
            "Rejected".into(),
            "Counter-noticed".into(),
            "Pending".into(),
        ],
        rows: h
            .filings
            .iter()
            .map(|f| {
                let count = |o: &str| f.listings.iter().filter(|l| l.outcome == o).count();
                vec![
                    f.id.to_string(),
                    f.venue.clone(),
                    f.reference.clone(),
                    f.filed_on.clone(),
                    f.listings.len().to_string(),
                    count("removed").to_string(),
                    count("rejected").to_string(),
                    f.listings
                        .iter()
                        .filter(|l| l.outcomes.iter().any(|o| o.outcome == "counter-noticed"))
                        .count()
                        .to_string(),
                    count("pending").to_string(),
                ]
            })
            .collect(),
        widths: vec![0.7, 1.3, 1.6, 1.2, 0.9, 1.0, 1.0, 1.4, 1.0],
    });
    blocks.push(Block::Small(
        "Outcomes are the platforms' answers as recorded by the complainant, each with the day it came; the answer itself, where attached, is in the bundle with its SHA-256.".into(),
    ));
    blocks.push(Block::Heading {
        level: 2,
        text: "Figures".into(),
    });
    let mut fields = vec![
        ("Listings reported".into(), c.reported.to_string()),
        (
            "Removed".into(),
            format!(
                "{} ({} shown by a later capture, {} on the platform's word alone)",
                c.removed,
                c.removed - c.removed_by_word_only,
                c.removed_by_word_only
            ),
        ),
        ("Takedown rate".into(), pct(c.takedown_rate)),
        (
            "Said removed, still live".into(),
            c.removed_but_live.to_string(),
        ),
        ("Rejected".into(), c.rejected.to_string()),
        (
            "Counter-noticed".into(),
            format!(
                "{} ({} kept the listing up: {})",
                c.counter_noticed,
                c.counter_notice_succeeded,
                pct(c.counter_notice_success_rate)
            ),
        ),
        ("Reinstated".into(), c.reinstated.to_string()),
        (
            "Median days to removal".into(),
            s.median_days_to_removal
                .map_or_else(|| "-".into(), |d| format!("{d:.1}")),
        ),
        (
            format!("Stay-down rate ({} days)", s.stay_down_days),
            format!(
                "{} of {} removed long enough ago",
                pct(s.stay_down_rate),
                s.stay_down_eligible
            ),
        ),
        (
            "Relisted".into(),
            format!("{} (relisting rate {})", s.relisted, pct(s.relisting_rate)),
        ),
    ];
    if let Some(g) = &s.good_faith {
        fields.push((
            "Alibaba good-faith lines".into(),
            format!(
                "{} to {}: takedown rate {} (at least 90 % needed); successful counter-notices {} (at most 5 % allowed)",
                g.from,
                g.to,
                pct(g.takedown_rate),
                pct(g.counter_notice_success_rate)
            ),
        ));
    }
    blocks.push(Block::Fields(fields));
    blocks.push(Block::Small(
        "A report is one listing in one filing. Removed: the latest capture after the filing found the listing removed, or, with no capture since, the platform said so. Days to removal run from the day filed to the first capture that found the listing removed, else to the platform's answer. Stay-down: of the listings removed at least that many days ago, the share never seen live again, reinstated or confirmed relisted.".into(),
    ));
    if !s.repeat_sellers.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: "Repeat sellers".into(),
        });
        blocks.push(Block::Table {
            header: vec![
                "Seller".into(),
                "Marketplace".into(),
                "Listings reported".into(),
                "Relisted".into(),
            ],
            rows: s
                .repeat_sellers
                .iter()
                .map(|r| {
                    vec![
                        r.seller.clone(),
                        r.marketplace.clone(),
                        r.reported_listings.to_string(),
                        r.relisted.to_string(),
                    ]
                })
                .collect(),
            widths: vec![3.0, 1.3, 1.4, 1.0],
        });
    }
    if !h.weeks.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: "Week by week".into(),
        });
        blocks.push(timeline_chart(&h.weeks));
        blocks.push(timeline_table(&h.weeks));
    }
    for l in &h.listings {
        blocks.extend(listing_blocks(l, h));
    }
    Section::new("Enforcement history", blocks)
}

/// The timeline drawn: for each week, the listings reported, removed and relisted, and
/// those still up at its end.
fn timeline_chart(weeks: &[Week]) -> Block {
    let series = |name: &str, f: fn(&Week) -> u64| Series {
        name: name.into(),
        values: weeks.iter().map(|w| f(w) as f64).collect(),
    };
    Block::Chart {
        title: "Reported listings, week by week".into(),
        x_labels: weeks
            .iter()
            .map(|w| w.monday.format("%Y-%m-%d").to_string())
            .collect(),
        series: vec![
            series("Reported", |w| w.filed),
            series("Removed", |w| w.removed),
            series("Relisted", |w| w.relisted),
            series("Still live at the week's end", |w| w.still_live),
        ],
        kind: ChartKind::Bars,
        caption: "Weeks start on Monday (UTC). Removed: by the first capture that found the listing removed, else by the platform's answer. Still live: reported listings not known to be down by the week's end.".into(),
    }
}

/// The timeline as a table (the chart above draws the same figures).
fn timeline_table(weeks: &[Week]) -> Block {
    Block::Table {
        header: vec![
            "Week of".into(),
            "Filed".into(),
            "Removed".into(),
            "Relisted".into(),
            "Still live".into(),
        ],
        rows: weeks
            .iter()
            .filter(|w| w.filed + w.removed + w.relisted > 0)
            .map(|w| {
                vec![
                    w.monday.format("%Y-%m-%d").to_string(),
                    w.filed.to_string(),
                    w.removed.to_string(),
                    w.relisted.to_string(),
                    w.still_live.to_string(),
                ]
            })
            .collect(),
        widths: vec![1.4, 1.0, 1.0, 1.0, 1.0],
    }
}

/// One listing's history: each capture, each answer and each confirmed relisting, in
/// time order, each naming the exhibit that shows it where the packet prints one.
fn listing_blocks(l: &ListingHistory, h: &History) -> Vec<Block> {
    let v = &l.listing;
    let evidence = |capture_id: i64| match h.exhibits.get(&capture_id) {
        Some(label) => format!("{label} (capture #{capture_id})"),
        None => format!("capture #{capture_id}"),
    };
    let mut events: Vec<(String, String, String)> = Vec::new();
    for c in &l.captures {
        let what = match c.status.as_str() {
            "ok" => {
                if c.changed.is_empty() {
                    "captured: live".to_owned()
                } else {
                    format!(
                        "captured: live; changed {}",
                        c.changed
                            .iter()
                            .map(|ch| ch.field)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            }
            "removed" => "captured: removed".to_owned(),
            "blocked" => "captured: blocked (proves nothing either way)".to_owned(),
            _ => "capture failed".to_owned(),
        };
        events.push((c.captured_at.clone(), what, evidence(c.capture_id)));
    }
    for r in h.relisted_as.iter().filter(|r| r.original == v.id) {
        events.push((
            r.captured_at.clone(),
            format!("relisted as {} (confirmed)", r.name),
            evidence(r.capture_id),
        ));
    }
    for f in &l.filings {
        events.push((
            format!("{}T00:00:00.000Z", f.filed_on),
            format!("reported to {} ({})", f.venue, f.reference),
            format!("filing {}", f.filing),
        ));
        for o in &f.outcomes {
            let mut what = format!("{} answered: {}", f.venue, o.outcome);
            if let Some(r) = &o.reason {
                what.push_str(&format!(" ({r})"));
            }
            events.push((
                format!("{}T00:00:00.000Z", o.on_date),
                what,
                o.attachment
                    .as_ref()
                    .map_or_else(|| format!("filing {}", f.filing), |a| a.clone()),
            ));
        }
    }
    // Day first; on one day, a filing before its answers before later captures.
    events.sort_by(|a, b| a.0.cmp(&b.0));
    let mut blocks = vec![Block::Heading {
        level: 3,
        text: format!("{} listing {}", v.marketplace, v.listing_id),
    }];
    blocks.extend(listing_chart(l));
    blocks.push(Block::Table {
        header: vec!["When (UTC)".into(), "What".into(), "Evidence".into()],
        rows: events
            .into_iter()
            .map(|(when, what, evidence)| vec![when, what, evidence])
            .collect(),
        widths: vec![1.6, 3.4, 1.4],
    });
    blocks
}

/// A listing's own timeline where it matters: live or removed at each capture that
/// proves either, when there are at least two such captures and the listing was
/// reported (a listing removed and back, or said removed and still up, shows at a
/// glance). `None` otherwise.
fn listing_chart(l: &ListingHistory) -> Option<Block> {
    if l.filings.is_empty() {
        return None;
    }
    let points: Vec<(String, f64)> = l
        .captures
        .iter()
        .filter_map(|c| {
            let live = match c.status.as_str() {
                "ok" => 1.0,
                "removed" => 0.0,
                _ => return None,
            };
            Some((
                c.captured_at.get(..10).unwrap_or(&c.captured_at).to_owned(),
                live,
            ))
        })
        .collect();
    if points.len() < 2 {
        return None;
    }
    Some(Block::Chart {
        title: format!(
            "{} listing {}: live or removed at each capture",
            l.listing.marketplace, l.listing.listing_id
        ),
        x_labels: points.iter().map(|(d, _)| d.clone()).collect(),
        series: vec![Series {
            name: "Live when captured (1 live, 0 removed)".into(),
            values: points.iter().map(|(_, v)| *v).collect(),
        }],
        kind: ChartKind::Lines,
        caption: "One point for each capture that found the listing live or removed, in time order (UTC days); blocked and failed captures prove nothing either way and are left out. The reports and answers are in the table below.".into(),
    })
}

/// A short section for the other venues: which of this packet's listings were reported
/// before, to whom and with what answer. `None` when none was.
pub(crate) fn prior_reports(h: &History) -> Option<Section> {
    let rows: Vec<Vec<String>> = h
        .listings
        .iter()
        .flat_map(|l| {
            l.filings.iter().map(move |f| {
                vec![
                    format!("{} {}", l.listing.marketplace, l.listing.listing_id),
                    f.venue.clone(),
                    f.reference.clone(),
                    f.filed_on.clone(),
                    f.outcome.clone(),
                ]
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Section::new(
        "Prior reports",
        vec![
            Block::Paragraph(
                "These listings were reported before. The outcome is the latest answer recorded; the full history is in the bundle's campaign.json.".into(),
            ),
            Block::Table {
                header: vec![
                    "Listing".into(),
                    "Venue".into(),
                    "Reference".into(),
                    "Filed".into(),
                    "Outcome".into(),
                ],
                rows,
                widths: vec![2.2, 1.3, 1.6, 1.1, 1.2],
            },
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_run_monday_to_sunday_and_count_what_is_still_up() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        assert_eq!(monday(d(3, 8)), d(3, 2)); // a Sunday
        assert_eq!(monday(d(3, 2)), d(3, 2));
        let filing = FilingView {
            id: 1,
            venue: "alibaba-ipp".into(),
            reference: "R".into(),
            filed_on: "2026-03-03".into(),
            export_sha256: None,
            recorded_at: String::new(),
            listings: [1, 2, 3]
                .into_iter()
                .map(|listing| crate::campaign::FiledListingView {
                    listing,
                    listing_id: None,
                    marketplace: None,
                    url: None,
                    capture_id: None,
                    outcome: "pending".into(),
                    outcomes: vec![],
                })
                .collect(),
            deadlines: vec![],
        };
        let removed: BTreeMap<i64, NaiveDate> = [(1, d(3, 5)), (2, d(3, 12))].into();
        let w = weeks(
            &[filing],
            &removed,
            &[(2, 9, "2026-03-20T01:00:00Z".into())],
            d(3, 25),
        );
        assert_eq!(w.len(), 4);
        assert_eq!((w[0].filed, w[0].removed, w[0].still_live), (3, 1, 2));
        assert_eq!((w[1].removed, w[1].still_live), (1, 1));
        assert_eq!((w[2].relisted, w[2].still_live), (1, 1));
        assert_eq!(w[3].still_live, 1);
    }

    #[test]
    fn the_timeline_gives_days_as_the_app_reads_them() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let t = Timeline {
            today: d(3, 25),
            weeks: vec![Week {
                monday: d(3, 23),
                filed: 3,
                removed: 1,
                relisted: 0,
                still_live: 2,
            }],
        };
        assert_eq!(
            serde_json::to_value(&t).ok(),
            Some(serde_json::json!({ "today": "2026-03-25", "weeks": [
                { "monday": "2026-03-23", "filed": 3, "removed": 1, "relisted": 0, "still_live": 2 }
            ] }))
        );
    }
}
