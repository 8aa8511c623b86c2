//! Recapture: take every reported listing again, in the mode of its last capture, and
//! say what became of each.
//!
//! Each new capture records the listing it was taken for (`context.recapture_of`), so
//! it belongs to that listing even when the page no longer names it. It is judged as
//! any capture is; the result per listing is `live` (with what changed), `removed`,
//! `blocked` (not evidence either way) or `failed`.

use std::collections::{BTreeSet, HashMap};

use exhibit_domain::{CaptureContext, CaptureStatus, ListingRef};
use serde::Serialize;

use crate::batch::Target;
use crate::campaign::Change;
use crate::{BatchEvent, BatchOptions, BrowserSettings, CaptureMode, Case, Error, Result};

/// Which listings to take again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecaptureSelection {
    /// Every listing any filing reported.
    Reported,
    /// The listings one filing reported.
    Filing(i64),
    /// These listings (the case's ids).
    Listings(Vec<i64>),
    /// Every listing of the case.
    All,
}

/// Which mode each listing is taken in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RecaptureMode {
    /// The mode of the listing's last capture.
    #[default]
    AsLast,
    Http,
    Browser,
}

/// How a recapture runs. `batch` carries the limits, concurrency, cancel flag and
/// trusted time; its `mode` is ignored (`mode` decides, and `browser` is used for
/// every listing taken in browser mode).
#[derive(Debug, Clone)]
pub struct RecaptureOptions {
    pub selection: RecaptureSelection,
    pub mode: RecaptureMode,
    pub browser: BrowserSettings,
    pub batch: BatchOptions,
    /// Captures in flight in browser mode (`batch.concurrency` is for HTTP).
    pub browser_concurrency: usize,
}

/// What became of one listing. Field names are a contract with outside scripts.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RecaptureResult {
    /// The case's listing id (the `id` of `exhibit listings --json`).
    pub listing: i64,
    /// The marketplace's listing id.
    pub listing_id: String,
    pub marketplace: String,
    pub url: String,
    pub mode: String,
    /// The new capture; null only if it could not be saved.
    pub capture_id: Option<i64>,
    /// The new capture's status: `ok`, `blocked`, `removed` or `failed`.
    pub status: CaptureStatus,
    /// `live`, `removed`, `blocked` or `failed`.
    pub result: &'static str,
    /// What differs from the listing's last capture that showed it (or its removal).
    pub changed: Vec<Change>,
    /// The filings whose platform said this listing was removed, while this capture
    /// found it live.
    pub said_removed: Vec<SaidRemoved>,
    /// One plain sentence.
    pub message: String,
}

/// A platform's answer that a capture contradicts.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SaidRemoved {
    pub filing: i64,
    pub venue: String,
    pub reference: String,
    pub on_date: String,
}

/// The end of a recapture.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct RecaptureSummary {
    pub total: usize,
    pub live: usize,
    pub removed: usize,
    pub blocked: usize,
    pub failed: usize,
    /// Live although the platform said it removed them.
    pub live_though_said_removed: usize,
    pub cancelled: usize,
    pub elapsed_ms: u128,
}

impl Case {
    /// Takes the chosen listings again and reports each as it is committed (as
    /// `BatchEvent`s) and in the end what became of each listing.
    pub fn recapture(
        &self,
        options: RecaptureOptions,
        mut progress: impl FnMut(&BatchEvent),
        mut each: impl FnMut(&RecaptureResult),
    ) -> Result<(RecaptureSummary, Vec<RecaptureResult>)> {
        self.ensure_writable()?;
        let started = std::time::Instant::now();
        let (listings, filings) = {
            let store = self.store();
            (store.listings()?, store.filings()?)
        };
        let chosen: Vec<i64> = match &options.selection {
            RecaptureSelection::All => listings.iter().map(|l| l.id).collect(),
            RecaptureSelection::Reported => {
                let set: BTreeSet<i64> = filings
                    .iter()
                    .flat_map(|f| f.listings.iter().map(|l| l.listing))
                    .collect();
                if set.is_empty() {
                    return Err(Error::Input(
                        "No filing is recorded yet, so no listing has been reported; record one with `exhibit filing add`, or choose listings with --listings or --all.".into(),
                    ));
                }
                set.into_iter().collect()
            }
            RecaptureSelection::Filing(id) => {
                let f = filings.iter().find(|f| f.id == *id).ok_or_else(|| {
                    Error::Input(format!(
                        "This case has no filing {id}; `exhibit filings` shows the ids."
                    ))
                })?;
                f.listings.iter().map(|l| l.listing).collect()
            }
            RecaptureSelection::Listings(ids) => {
                let mut seen = BTreeSet::new();
                let known: BTreeSet<i64> = listings.iter().map(|l| l.id).collect();
                for id in ids {
                    if !known.contains(id) {
                        return Err(Error::Store(exhibit_store::StoreError::NoSuchListing(*id)));
                    }
                }
                ids.iter().copied().filter(|id| seen.insert(*id)).collect()
            }
        };
        if chosen.is_empty() {
            return Err(Error::Input("There is no listing to recapture.".into()));
        }
        let by_id: HashMap<i64, &exhibit_store::ListingRow> =
            listings.iter().map(|l| (l.id, l)).collect();

        // Each listing's URL and mode: those of its last capture that showed something.
        let mut http = Vec::new();
        let mut browser = Vec::new();
        for id in &chosen {
            let Some(row) = by_id.get(id) else { continue };
            let timeline = self.store().timeline(Some(*id))?;
            let last = timeline
                .iter()
                .rev()
                .find(|r| r.status == "ok" || r.status == "removed")
                .or(timeline.last());
            let url = last.map_or(row.first_url.clone(), |r| r.requested_url.clone());
            let last_mode = last.map_or("http", |r| r.mode.as_str());
            let browser_mode = match options.mode {
                RecaptureMode::AsLast => last_mode == "browser",
                RecaptureMode::Http => false,
                RecaptureMode::Browser => true,
            };
            let target = Target {
                url,
                context: Some(CaptureContext {
                    recapture_of: Some(ListingRef {
                        marketplace: row.marketplace.clone(),
                        listing_id: row.listing_ref.clone(),
                    }),
                    ..CaptureContext::default()
                }),
            };
            if browser_mode {
                browser.push((*id, target));
            } else {
                http.push((*id, target));
            }
        }

        let mut summary = RecaptureSummary {
            total: http.len() + browser.len(),
            ..RecaptureSummary::default()
        };
        let mut results = Vec::new();
        for (batch_mode, batch) in [
            (CaptureMode::Http, http),
            (CaptureMode::Browser(options.browser.clone()), browser),
        ] {
            if batch.is_empty() {
                continue;
            }
            let concurrency = match batch_mode {
                CaptureMode::Http => options.batch.concurrency,
                CaptureMode::Browser(_) => options.browser_concurrency,
            };
            let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
            let targets: Vec<Target> = batch.into_iter().map(|(_, t)| t).collect();
            let mode_name = match batch_mode {
                CaptureMode::Http => "http",
                CaptureMode::Browser(_) => "browser",
            };
            let mut done: Vec<(usize, Option<i64>, CaptureStatus, Option<String>)> = Vec::new();
            let batch_summary = self.capture_targets(
                targets,
                BatchOptions {
                    mode: batch_mode,
                    concurrency: concurrency.max(1),
                    ..options.batch.clone()
                },
                |event| {
                    progress(event);
                    if let BatchEvent::Finished(o) = event {
                        done.push((o.index, o.capture_id, o.status, o.error.clone()));
                    }
                },
            )?;
            summary.cancelled += batch_summary.cancelled;
            for (index, capture_id, status, error) in done {
                let Some(&listing) = ids.get(index) else {
                    continue;
                };
                let Some(row) = by_id.get(&listing) else {
                    continue;
                };
                let r =
                    self.judge_recapture(row, mode_name, capture_id, status, error, &filings)?;
                match r.result {
                    "live" => summary.live += 1,
                    "removed" => summary.removed += 1,
                    "blocked" => summary.blocked += 1,
                    _ => summary.failed += 1,
                }
                if !r.said_removed.is_empty() {
                    summary.live_though_said_removed += 1;
                }
                each(&r);
                results.push(r);
            }
        }
        results.sort_by_key(|r| r.listing);
        summary.elapsed_ms = started.elapsed().as_millis();
        Ok((summary, results))
    }

    fn judge_recapture(
        &self,
        row: &exhibit_store::ListingRow,
        mode: &str,
        capture_id: Option<i64>,
        status: CaptureStatus,
        error: Option<String>,
        filings: &[exhibit_store::FilingRow],
    ) -> Result<RecaptureResult> {
        let (url, changed) = match capture_id {
            Some(id) => {
                let h = self.listing_history(row.id)?;
                let entry = h.captures.into_iter().find(|e| e.capture_id == id);
                let url = self.capture(id)?.record.requested_url;
                (url, entry.map(|e| e.changed).unwrap_or_default())
            }
            None => (row.first_url.clone(), Vec::new()),
        };
        let result = match status {
            CaptureStatus::Ok => "live",
            CaptureStatus::Removed => "removed",
            CaptureStatus::Blocked => "blocked",
            CaptureStatus::Failed => "failed",
        };
        let said_removed: Vec<SaidRemoved> = if result == "live" {
            filings
                .iter()
                .filter_map(|f| {
                    let l = f.listings.iter().find(|l| l.listing == row.id)?;
                    let last = l.outcomes.last()?;
                    (last.outcome == "removed").then(|| SaidRemoved {
                        filing: f.id,
                        venue: f.venue.clone(),
                        reference: f.reference.clone(),
                        on_date: last.on_date.clone(),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let name = format!("{} listing {}", row.marketplace, row.listing_ref);
        let message = match result {
            "live" if !said_removed.is_empty() => {
                let s = &said_removed[0];
                format!(
                    "{name} is STILL LIVE although {} said on {} that it was removed (filing {}).",
                    s.venue, s.on_date, s.reference
                )
            }
            "live" if changed.is_empty() => format!("{name} is still live, unchanged."),
            "live" => format!(
                "{name} is still live; changed: {}.",
                changed
                    .iter()
                    .map(|c| c.field)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "removed" => format!("{name} has been removed."),
            "blocked" => format!(
                "{name} could not be seen: the marketplace showed a block page, which proves nothing either way."
            ),
            _ => format!(
                "{name} could not be captured: {}",
                error.unwrap_or_else(|| "no reason was given.".into())
            ),
        };
        Ok(RecaptureResult {
            listing: row.id,
            listing_id: row.listing_ref.clone(),
            marketplace: row.marketplace.clone(),
            url,
            mode: mode.to_owned(),
            capture_id,
            status,
            result,
            changed,
            said_removed,
            message,
        })
    }
}
