//! The `schedule-a` venue's part of an export: the defendants and their evidence read
//! from the case, the listings renumbered one defendant after another (listings,
//! storefront, checkout), the sections `exhibit_defendants` renders, the master index
//! placed from the layout, and the files for the clerk and the bundle (schedule-a.csv,
//! schedule-a.json, the joinder report, each purchase's files).

use std::collections::BTreeMap;

use exhibit_bundle::ManifestAttachment;
use exhibit_defendants::render::{self, Placement};
use exhibit_defendants::{Defendant, Gap, Pair, ScheduleRow};
use exhibit_domain::doc::Section;
use exhibit_pdf::{Fonts, PdfOptions, SectionPlacement};
use exhibit_store::Store;
use exhibit_venues::{CaptureFacts, Complaint, Issue, Listing, Purpose, Venue};
use serde::Serialize;

use crate::defendants::forum_of;
use crate::{Case, Error, Result};

/// Where the bundle keeps Schedule A for the clerk, and beside the packet too.
pub(crate) const CSV_NAME: &str = "schedule-a.csv";
/// Where the bundle keeps the defendants, their evidence, gaps and joinder facts as data.
pub(crate) const JSON_PATH: &str = "schedule-a.json";
/// The joinder report's name, in the bundle and beside the packet.
pub(crate) const JOINDER_NAME: &str = "joinder-report.pdf";

/// Files for the bundle by their path in it.
pub(crate) type BundleFiles = BTreeMap<String, Vec<u8>>;

/// A Schedule A filing's defendants, as the export and the check see them.
pub(crate) struct ScheduleA {
    pub forum: String,
    pub defendants: Vec<Defendant>,
    pub pairs: Vec<Pair>,
    pub gaps: Vec<Gap>,
}

/// What the complaint step shows of a Schedule A filing before it is exported: the
/// table, what each defendant lacks and the joinder report's facts. Field names are a
/// contract: only add.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SchedulePreview {
    pub forum: String,
    pub rows: Vec<ScheduleRow>,
    pub gaps: Vec<Gap>,
    pub pairs: Vec<Pair>,
}

impl ScheduleA {
    pub(crate) fn preview(&self) -> SchedulePreview {
        SchedulePreview {
            forum: self.forum.clone(),
            rows: exhibit_defendants::schedule_rows(&self.defendants),
            gaps: self.gaps.clone(),
            pairs: self.pairs.clone(),
        }
    }

    /// The gaps as the venue rules' warnings, one per gap.
    pub(crate) fn warnings(&self) -> Vec<Issue> {
        self.gaps
            .iter()
            .map(|g| {
                let field = if g.doe == 0 {
                    "schedule_a".to_string()
                } else {
                    format!("schedule_a.defendant[{}]", g.doe)
                };
                Issue::warning(field, g.message.clone())
            })
            .collect()
    }

    /// Schedule A and the master index, then each defendant's exhibit.
    pub(crate) fn sections(&self, placed: &BTreeMap<usize, Placement>) -> Vec<Section> {
        let mut out = vec![
            render::schedule_section(&self.defendants),
            render::master_index(&self.defendants, placed),
        ];
        out.extend(
            self.defendants
                .iter()
                .map(|d| render::defendant_section(d, &self.forum)),
        );
        out
    }

    /// The paragraphs the declaration adds: each defendant's exhibits and purchases.
    pub(crate) fn declaration_paragraphs(&self) -> Vec<String> {
        render::declaration_paragraphs(&self.defendants, &self.forum)
    }

    /// Each defendant's pages and Bates range, read off a layout.
    pub(crate) fn placed(&self, placements: &[SectionPlacement]) -> BTreeMap<usize, Placement> {
        let mut out = BTreeMap::new();
        for d in &self.defendants {
            let title = d.section_title();
            if let Some(p) = placements.iter().find(|p| p.title == title) {
                out.insert(
                    d.doe,
                    Placement {
                        pages: if p.first_page == p.last_page {
                            p.first_page.to_string()
                        } else {
                            format!("{}–{}", p.first_page, p.last_page)
                        },
                        bates: format!("{} to {}", p.first_bates, p.last_bates),
                    },
                );
            }
        }
        out
    }

    /// The files a Schedule A export adds to the bundle (the CSV, the data, and every
    /// file of every purchase, each checked against its hash as it is read), and the
    /// purchase files described for the manifest.
    pub(crate) fn bundle_files(
        &self,
        store: &Store,
    ) -> Result<(BundleFiles, Vec<ManifestAttachment>)> {
        let mut files = BTreeMap::new();
        files.insert(
            CSV_NAME.to_string(),
            exhibit_defendants::schedule_csv(&self.defendants).into_bytes(),
        );
        let data = serde_json::json!({
            "forum": self.forum,
            "defendants": self.defendants,
            "gaps": self.gaps,
            "joinder": self.pairs,
        });
        files.insert(
            JSON_PATH.to_string(),
            serde_json::to_vec_pretty(&data)
                .map_err(|e| Error::Internal(format!("{JSON_PATH}: {e}")))?,
        );
        let mut described = Vec::new();
        for f in self.purchase_files() {
            let bytes = store.purchase_file_bytes(f.id)?;
            described.push(ManifestAttachment {
                name: f.name.clone(),
                sha256: exhibit_domain::sha256(&bytes),
                size: bytes.len() as u64,
                path: f.bundle_path.clone(),
            });
            files.insert(f.bundle_path.clone(), bytes);
        }
        Ok((files, described))
    }

    fn purchase_files(&self) -> impl Iterator<Item = &exhibit_defendants::PurchaseFile> {
        self.defendants
            .iter()
            .flat_map(|d| &d.purchases)
            .flat_map(|p| &p.files)
    }

    /// The joinder report as a PDF of its own: the lawyer decides whether to file it.
    pub(crate) fn joinder_pdf(&self, opts: &PdfOptions, fonts: &Fonts) -> Result<Vec<u8>> {
        let pdf = exhibit_pdf::render(
            &[render::joinder_section(&self.defendants, &self.pairs)],
            opts,
            fonts,
        )
        .map_err(|e| Error::Internal(format!("the joinder report: {e}")))?;
        Ok(pdf.bytes)
    }
}

impl Case {
    /// For a Schedule A complaint: its defendants, with the complaint's listings
    /// renumbered one defendant after another (its listings, then its storefront and its
    /// checkout as exhibits of their own), and what each defendant lacks. `None` for any
    /// other venue.
    pub(crate) fn prepare_schedule_a(
        &self,
        complaint: &mut Complaint,
    ) -> Result<Option<ScheduleA>> {
        if complaint.venue != Venue::ScheduleA {
            return Ok(None);
        }
        let forum = forum_of(
            complaint
                .schedule_a
                .as_ref()
                .and_then(|s| s.forum.as_deref()),
        )?;
        let mut defendants = self.schedule_a_defendants(complaint)?;
        let old: BTreeMap<i64, Listing> = complaint
            .listings
            .iter()
            .map(|l| (l.capture.id, l.clone()))
            .collect();
        let mut listings: Vec<Listing> = Vec::new();
        for d in &mut defendants {
            let Some(model) = d
                .listings
                .first()
                .and_then(|l| old.get(&l.capture_id))
                .cloned()
            else {
                continue;
            };
            for dl in &mut d.listings {
                if let Some(l) = old.get(&dl.capture_id) {
                    let mut l = l.clone();
                    l.exhibit = listings.len() + 1;
                    dl.exhibit = Some(l.exhibit);
                    listings.push(l);
                }
            }
            let label = format!(
                "{} ({})",
                d.label(),
                exhibit_venues::text::one_line(&d.alias)
            );
            for (page, what) in [
                (&mut d.storefront, "storefront"),
                (&mut d.checkout, "checkout"),
            ] {
                let Some(page) = page.as_mut() else {
                    continue;
                };
                let capture = self.capture(page.capture_id)?;
                let exhibit = listings.len() + 1;
                page.exhibit = Some(exhibit);
                listings.push(Listing {
                    exhibit,
                    capture: CaptureFacts::from_capture(&capture),
                    right: model.right.clone(),
                    infringement: model.infringement,
                    purpose: Purpose::Live,
                    notes: Some(format!("The {what} of {label}.")),
                    title_translation: None,
                });
            }
        }
        complaint.listings = listings;
        let mut gaps = exhibit_defendants::filing_gaps(&defendants);
        for d in &defendants {
            gaps.extend(exhibit_defendants::gaps(d, &forum));
        }
        let pairs = exhibit_defendants::joinder(&defendants);
        Ok(Some(ScheduleA {
            forum,
            defendants,
            pairs,
            gaps,
        }))
    }
}
