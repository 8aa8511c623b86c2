//! Export: a complaint file plus the case's captures become the PDF packet, the filing
//! sheet and URL lists for portal venues, and the evidence bundle, which is verified
//! before the export is reported done.
//!
//! Given the same case, complaint and export time, every output is byte-identical. That
//! is why the bundle's custody log stops at the last event that changed the evidence:
//! exports and verification runs after it (each one adds an event) do not change what
//! the bundle covers. The export's own event is added after the files are written.

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use exhibit_bundle::{
    BundleError, BundleReport, BundleWriter, Manifest, ManifestArtifact, ManifestAttachment,
    ManifestCapture, ManifestCase, ManifestCustody, ManifestTimestamp,
};
use exhibit_domain::doc::Section;
use exhibit_domain::{Capture, CustodyEvent, CustodyEventKind};
use exhibit_pdf::{Fonts, PdfOptions};
use exhibit_store::{Store, StoreError};
use exhibit_venues::{
    AttachmentsPresent, CaptureFacts, Complaint, ComplaintFile, DeclarationFacts, Issue, Severity,
    Venue,
};
use serde::Serialize;

use exhibit_defendants::render::Placement;

use crate::defendants;
use crate::history::{self, History};
use crate::packet::{self, Cover, ExhibitEntry};
use crate::schedule_a::{self, BundleFiles, ScheduleA, SchedulePreview};
use crate::test_buy::{self, TestBuy};
use crate::trusted_time::PreparedTsa;
use crate::{Case, Error, Result};

/// What to export and where.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The complaint file (TOML); attachments it names are read relative to its folder.
    pub complaint: PathBuf,
    /// Where the packet, the bundle and the rest are written (created if missing).
    pub out_dir: PathBuf,
    /// Bates prefix, such as `ACME-`; the default comes from the rights holder's name.
    pub bates_prefix: Option<String>,
    /// The export's time: every date in every output. `SOURCE_DATE_EPOCH` sets it in
    /// the CLI, for reproducible exports.
    pub time: DateTime<Utc>,
    /// Time-stamp authorities to stamp the manifest with (`manifest.tsr` in the bundle).
    /// A token differs on every run, so a stamped export is not byte-reproducible.
    pub tsa: Option<Arc<PreparedTsa>>,
}

/// Where and how the app's draft is exported.
#[derive(Debug, Clone)]
pub struct ExportTarget {
    pub out_dir: PathBuf,
    pub bates_prefix: Option<String>,
    pub time: DateTime<Utc>,
    /// As [`ExportOptions::tsa`].
    pub tsa: Option<Arc<PreparedTsa>>,
}

/// One step of an export, for a progress bar.
#[derive(Debug, Clone, Serialize)]
pub struct ExportStep {
    /// A short phrase: "Laying out the packet".
    pub step: String,
    pub done: usize,
    pub total: usize,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportReport {
    pub packet: PathBuf,
    pub bundle: PathBuf,
    pub filing_sheet: Option<PathBuf>,
    pub url_lists: Vec<PathBuf>,
    pub uploads: Vec<PathBuf>,
    pub pages: u32,
    pub bates_first: String,
    pub bates_last: String,
    pub listings: usize,
    pub batches: usize,
    pub manifest_sha256: String,
    pub bundle_sha256: String,
    /// Warnings the venue's rules raised (errors stop the export).
    pub warnings: Vec<Issue>,
    /// A Schedule A filing's defendants, its table for the clerk and its joinder report.
    pub defendants: usize,
    pub schedule_a_csv: Option<PathBuf>,
    pub joinder_report: Option<PathBuf>,
    /// An Alibaba complaint's test-buy report, written beside the packet.
    pub test_buy_report: Option<PathBuf>,
}

/// A complaint checked against the case, without writing anything.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ComplaintCheck {
    pub venue: String,
    pub issues: Vec<Issue>,
    /// Listings in each batch the venue's limits call for.
    pub batches: Vec<usize>,
    /// For a Schedule A filing: its table, what each defendant lacks and the joinder
    /// report's facts.
    pub schedule_a: Option<SchedulePreview>,
}

impl ComplaintCheck {
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

/// The complaint file, read and parsed, with the attachment files it names.
struct LoadedComplaint {
    text: String,
    file: ComplaintFile,
    attachments: BTreeMap<String, Vec<u8>>,
}

fn load_complaint(path: &Path) -> Result<LoadedComplaint> {
    let bytes = read_bounded(path, exhibit_venues::MAX_FILE_BYTES as u64)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Input(format!(
            "The complaint file {} is not UTF-8 text: save it as UTF-8 and try again.",
            path.display()
        ))
    })?;
    let file = exhibit_venues::parse(&text)
        .map_err(|e| Error::Input(format!("The complaint file {}: {e}", path.display())))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut attachments = BTreeMap::new();
    for name in attachment_names(&file) {
        if !is_plain_relative(&name) {
            continue; // the venue rules report it
        }
        let full = base.join(&name);
        if let Ok(bytes) = read_bounded(&full, MAX_ATTACHMENT_BYTES) {
            attachments.insert(name, bytes);
        }
    }
    Ok(LoadedComplaint {
        text,
        file,
        attachments,
    })
}

impl Case {
    /// The draft as a loaded complaint: its TOML text for the bundle, and the files it
    /// names that are attached to the case (a missing one is for the rules to report).
    fn load_draft(&self, draft: &ComplaintFile) -> Result<LoadedComplaint> {
        let text = draft
            .to_toml()
            .map_err(|e| Error::Input(format!("The complaint cannot be saved as TOML: {e}")))?;
        let attached: std::collections::BTreeSet<String> = self
            .store()
            .attachments()?
            .into_iter()
            .map(|a| a.name)
            .collect();
        let mut attachments = BTreeMap::new();
        for name in attachment_names(draft) {
            if attached.contains(&name) {
                attachments.insert(name.clone(), self.store().attachment_bytes(&name)?);
            }
        }
        Ok(LoadedComplaint {
            text,
            file: draft.clone(),
            attachments,
        })
    }
}

/// The largest attachment (certificate, identity proof) read into a bundle.
const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Input(format!("Cannot read {}: {e}.", path.display())))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Input(format!("Cannot read {}: {e}.", path.display())))?;
    if bytes.len() as u64 > max {
        return Err(Error::Input(format!(
            "{} is larger than {} MB; is it the right file?",
            path.display(),
            max / 1_000_000
        )));
    }
    Ok(bytes)
}

fn is_plain_relative(name: &str) -> bool {
    let p = Path::new(name);
    !name.is_empty()
        && !p.is_absolute()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Every attachment file the complaint names, as written.
fn attachment_names(file: &ComplaintFile) -> Vec<String> {
    let mut names: Vec<String> = file
        .rights
        .iter()
        .flat_map(|r| r.certificates.iter().cloned())
        .collect();
    if let Some(a) = &file.alibaba {
        names.extend(a.identity_proof.clone());
        names.extend(a.power_of_attorney.clone());
    }
    names.sort();
    names.dedup();
    names
}

impl Case {
    /// Checks a complaint file against this case's captures: every problem the venue's
    /// rules find, and how the listings will be split.
    pub fn check_complaint(&self, path: &Path) -> Result<ComplaintCheck> {
        self.check_loaded(&load_complaint(path)?)
    }

    /// Checks the app's complaint draft, with the files attached to the case.
    pub fn check_draft(&self, draft: &ComplaintFile) -> Result<ComplaintCheck> {
        self.check_loaded(&self.load_draft(draft)?)
    }

    fn check_loaded(&self, loaded: &LoadedComplaint) -> Result<ComplaintCheck> {
        let facts = self.capture_facts()?;
        let present = AttachmentsPresent::new(loaded.attachments.keys().cloned());
        let mut file = loaded.file.clone();
        self.fill_in_history(&mut file, Utc::now().date_naive())?;
        let mut issues = exhibit_venues::validate(&file, &facts, &present);
        let mut batches = Vec::new();
        let mut schedule_a = None;
        if !exhibit_venues::has_errors(&issues)
            && let Ok(mut c) = exhibit_venues::resolve(&loaded.file, &facts, &present)
        {
            batches = exhibit_venues::batches(&c)
                .iter()
                .map(|b| b.listings.len())
                .collect();
            let reported = self.reported_listings(&c)?;
            issues.extend(self.test_buy_issues(&loaded.file, &reported)?);
            if let Some(s) = self.prepare_schedule_a(&mut c)? {
                issues.extend(s.warnings());
                schedule_a = Some(s.preview());
            }
        }
        Ok(ComplaintCheck {
            venue: loaded.file.venue.title().to_string(),
            issues,
            batches,
            schedule_a,
        })
    }

    fn capture_facts(&self) -> Result<Vec<CaptureFacts>> {
        Ok(self
            .captures()?
            .iter()
            .map(CaptureFacts::from_capture)
            .collect())
    }

    /// Renders the packet, the filing sheet and the bundle for a complaint, verifies the
    /// bundle, and records the export in the custody log.
    pub fn export(&self, opts: &ExportOptions) -> Result<ExportReport> {
        self.ensure_writable()?;
        check_bates_prefix(opts.bates_prefix.as_deref())?;
        let loaded = load_complaint(&opts.complaint)?;
        let cancel = AtomicBool::new(false);
        let target = ExportTarget {
            out_dir: opts.out_dir.clone(),
            bates_prefix: opts.bates_prefix.clone(),
            time: opts.time,
            tsa: opts.tsa.clone(),
        };
        self.export_loaded(&loaded, &target, &mut |_| {}, &cancel)
    }

    /// Exports the app's complaint draft, with the files attached to the case, calling
    /// `progress` at each step. Setting `cancel` stops the export before its next step;
    /// once files are being written it finishes, so no half-written export is left.
    pub fn export_draft(
        &self,
        draft: &ComplaintFile,
        target: &ExportTarget,
        progress: &mut dyn FnMut(&ExportStep),
        cancel: &AtomicBool,
    ) -> Result<ExportReport> {
        self.ensure_writable()?;
        check_bates_prefix(target.bates_prefix.as_deref())?;
        let loaded = self.load_draft(draft)?;
        self.export_loaded(&loaded, target, progress, cancel)
    }

    /// The export itself, in the order a reader can follow: check the complaint, gather
    /// what the bundle will hold (references to the evidence, not its bytes), describe
    /// it in the manifest, lay out the packet, then write the packet, the filing sheet
    /// and the bundle, streaming each artifact from the case, verify the bundle, and
    /// log the export. Memory stays flat in the number of listings: no artifact is ever
    /// held whole, and the packet's screenshots are decoded one at a time.
    fn export_loaded(
        &self,
        loaded: &LoadedComplaint,
        opts: &ExportTarget,
        progress: &mut dyn FnMut(&ExportStep),
        cancel: &AtomicBool,
    ) -> Result<ExportReport> {
        let mut steps = Steps {
            progress,
            cancel,
            total: 1,
        };
        let checked = self.check_for_export(loaded, opts.time.date_naive(), &mut steps)?;
        // A step for each listing read, then laying out, numbering, writing, checking.
        steps.total = checked.complaint.listings.len() + 4;
        let gathered = self.gather_for_export(&checked.complaint, opts.time, &mut steps)?;
        let (manifest_sha, small_files) = self.describe_for_bundle(
            loaded,
            &gathered,
            checked.schedule_files,
            checked.purchase_files,
            opts.tsa.as_deref(),
            &mut steps,
        )?;
        let packet = Packet::new(
            &checked.complaint,
            &gathered.facts,
            &gathered.evidence,
            gathered.history.as_ref(),
            checked.schedule.as_ref(),
            opts,
            manifest_sha,
        );
        let fonts = Fonts::system().map_err(render_error)?;
        let store = self.store();
        let screenshots = CaseScreenshots { store: &store };
        let laid_out = lay_out_packet(&packet, &fonts, &screenshots, &mut steps)?;
        let written = self.write_export(
            &packet,
            laid_out,
            small_files,
            checked.test_buy.as_ref(),
            opts,
            &mut steps,
        )?;
        drop(store);
        let packet_sha256 = written.packet_sha256;
        let report = written.into_report(&packet, checked.warnings);
        check_written_bundle(&report.bundle, &mut steps)?;
        self.record_export(&packet, &report, packet_sha256)?;
        Ok(report)
    }

    /// Checking the complaint: against the case and its venue's rules, then its test
    /// purchase (an error there stops the export too), then a Schedule A filing's
    /// defendants, with the files each adds to the bundle.
    fn check_for_export(
        &self,
        loaded: &LoadedComplaint,
        today: NaiveDate,
        steps: &mut Steps<'_>,
    ) -> Result<Checked> {
        steps.cancellable("Checking the complaint", 0)?;
        let (mut complaint, mut warnings) = self.resolve_for_export(loaded, today)?;
        let reported = self.reported_listings(&complaint)?;
        let (errors, more): (Vec<Issue>, Vec<Issue>) = self
            .test_buy_issues(&loaded.file, &reported)?
            .into_iter()
            .partition(Issue::is_error);
        if !errors.is_empty() {
            return Err(Error::Complaint(errors));
        }
        warnings.extend(more);
        let test_buy = self.prepare_test_buy(&complaint, &loaded.file)?;
        let schedule = self.prepare_schedule_a(&mut complaint)?;
        let (mut schedule_files, mut purchase_files) = match &schedule {
            Some(s) => {
                warnings.extend(s.warnings());
                s.bundle_files(&self.store())?
            }
            None => Default::default(),
        };
        if let Some(t) = &test_buy {
            schedule_files.extend(t.files.clone());
            purchase_files.extend(t.described.clone());
        }
        Ok(Checked {
            complaint,
            warnings,
            test_buy,
            schedule,
            schedule_files,
            purchase_files,
        })
    }

    /// Reading the evidence from the case: the case's facts, each listing's evidence (a
    /// step each), and the campaign's history with the captures that prove it.
    fn gather_for_export(
        &self,
        complaint: &Complaint,
        time: DateTime<Utc>,
        steps: &mut Steps<'_>,
    ) -> Result<Gathered> {
        let facts = self.case_facts(time)?;
        let mut evidence = self.gather_evidence(complaint, steps)?;
        let mut history = self.packet_history(complaint, &facts)?;
        if let Some(h) = history.as_mut() {
            self.add_proving_exhibits(complaint, h, &mut evidence)?;
        }
        Ok(Gathered {
            facts,
            evidence,
            history,
        })
    }

    /// Describes the evidence in the manifest, asks for a trusted time for it when told
    /// to, and gathers the bundle's small files around it: records, attachments, the
    /// complaint, the custody log, the manifest, the campaign and the purchases' files.
    /// Returns the manifest's hash, which every output names, with those files.
    fn describe_for_bundle(
        &self,
        loaded: &LoadedComplaint,
        gathered: &Gathered,
        schedule_files: BundleFiles,
        purchase_files: Vec<ManifestAttachment>,
        tsa: Option<&PreparedTsa>,
        steps: &mut Steps<'_>,
    ) -> Result<(String, BundleFiles)> {
        let (facts, evidence) = (&gathered.facts, &gathered.evidence);
        let manifest = describe_evidence(loaded, facts, evidence, purchase_files)?;
        let manifest_bytes = manifest.to_bytes();
        let manifest_sha = manifest.digest().to_hex();
        let mut small_files = evidence.small_files(loaded, facts);
        // An independent time for the manifest, and so for every hash it names. Outside
        // the manifest (it covers it), listed in SHA256SUMS like every file.
        if let Some(tsa) = tsa {
            steps.cancellable("Asking for a trusted time", steps.total - 4)?;
            if let Some(stamp) = self.stamp_export(&manifest_bytes, &Utc::now(), tsa)? {
                small_files.insert(MANIFEST_TOKEN_PATH.into(), stamp.response);
            }
        }
        small_files.insert(exhibit_bundle::MANIFEST_PATH.into(), manifest_bytes);

        if let Some(h) = &gathered.history {
            small_files.insert(CAMPAIGN_PATH.into(), campaign_json(h)?);
        }
        small_files.extend(schedule_files);
        Ok((manifest_sha, small_files))
    }

    /// Writing the packet and the bundle: the packet under a temporary name, the filing
    /// sheet and the reports, the bundle holding them all with every artifact, then the
    /// files beside the bundle; last, the bundle and the packet are put in place. Past
    /// the point of cancelling: once files are written, the export finishes.
    fn write_export(
        &self,
        packet: &Packet<'_>,
        laid_out: LaidOut<'_>,
        small_files: BundleFiles,
        test_buy: Option<&TestBuy>,
        opts: &ExportTarget,
        steps: &mut Steps<'_>,
    ) -> Result<Written> {
        steps.report("Writing the packet and the bundle", steps.total - 2);
        std::fs::create_dir_all(&opts.out_dir).map_err(|source| Error::Output {
            path: opts.out_dir.clone(),
            source,
        })?;
        let (fonts, screenshots) = (laid_out.fonts, laid_out.screenshots);
        let (packet_file, packet_pdf) = write_packet(
            packet,
            laid_out.pages,
            &laid_out.placed,
            fonts,
            screenshots,
            opts,
        )?;
        let side = self.side_documents(packet, test_buy, fonts)?;
        let store = screenshots.store;
        let (bundle_file, summary) = write_bundle(
            packet,
            small_files,
            &side,
            store,
            &packet_file,
            &packet_pdf,
            opts,
        )?;
        // Every artifact has now been read and checked against its hash, so the files
        // beside the bundle can be written, then the bundle and packet put in place.
        let beside = write_beside_bundle(packet, &side, store, &opts.out_dir)?;
        let bundle = bundle_file.commit()?;
        let packet_path = packet_file.commit()?;
        Ok(Written {
            packet: packet_path,
            pages: packet_pdf.pages,
            packet_sha256: packet_pdf.sha256,
            bundle,
            bundle_sha256: summary.zip_sha256.to_hex(),
            beside,
        })
    }

    /// The documents that go into the bundle beside the packet and are written beside
    /// it too: a portal venue's filing sheet and URL lists, a Schedule A filing's
    /// joinder report, and the test-buy report.
    fn side_documents(
        &self,
        packet: &Packet<'_>,
        test_buy: Option<&TestBuy>,
        fonts: &Fonts,
    ) -> Result<SideDocuments> {
        let sheet = self.filing_sheet(packet.complaint, packet, fonts)?;
        let joinder = match packet.schedule {
            Some(s) => Some(s.joinder_pdf(
                &PdfOptions {
                    title: format!("{}: joinder report", packet.facts.title),
                    bates_prefix: format!("{}JR-", packet.prefix),
                    footer_left: Some(format!("Joinder report for {}", packet.bundle_name)),
                    ..packet.pdf_options.clone()
                },
                fonts,
            )?),
            None => None,
        };
        let test_buy = match test_buy {
            Some(t) => Some(t.pdf(
                &PdfOptions {
                    title: format!("{}: test-buy report", packet.facts.title),
                    bates_prefix: format!("{}TB-", packet.prefix),
                    footer_left: Some(format!("Test-buy report for {}", packet.bundle_name)),
                    ..packet.pdf_options.clone()
                },
                fonts,
            )?),
            None => None,
        };
        Ok(SideDocuments {
            sheet,
            joinder,
            test_buy,
        })
    }

    /// Logs the export in the case's custody log, once its bundle has checked out.
    fn record_export(
        &self,
        packet: &Packet<'_>,
        report: &ExportReport,
        packet_sha256: exhibit_domain::Digest,
    ) -> Result<()> {
        let (complaint, facts) = (packet.complaint, packet.facts);
        self.store().record_event(
            CustodyEventKind::ExportMade,
            &serde_json::json!({
                "venue": complaint.venue.as_str(),
                "listings": report.listings,
                "capture_ids": complaint.listings.iter().map(|l| l.capture.id).collect::<Vec<_>>(),
                "manifest_sha256": report.manifest_sha256,
                "bundle_sha256": report.bundle_sha256,
                "packet_sha256": packet_sha256.to_hex(),
                "covers_through_seq": facts.head.seq,
                "export_time": facts.stamp,
            }),
        )?;
        Ok(())
    }

    /// The complaint checked against the case and resolved: its listings numbered as
    /// exhibits, with the rules' warnings. Errors stop the export here.
    fn resolve_for_export(
        &self,
        loaded: &LoadedComplaint,
        today: NaiveDate,
    ) -> Result<(Complaint, Vec<Issue>)> {
        let facts = self.capture_facts()?;
        let present = AttachmentsPresent::new(loaded.attachments.keys().cloned());
        let mut file = loaded.file.clone();
        self.fill_in_history(&mut file, today)?;
        let issues = exhibit_venues::validate(&file, &facts, &present);
        if exhibit_venues::has_errors(&issues) {
            return Err(Error::Complaint(
                issues
                    .into_iter()
                    .filter(|i| i.severity == Severity::Error)
                    .collect(),
            ));
        }
        let complaint = exhibit_venues::resolve(&file, &facts, &present)
            .map_err(|e| Error::Input(e.to_string()))?;
        Ok((complaint, issues))
    }

    /// The case's listing ids of a complaint's listings.
    fn reported_listings(&self, complaint: &Complaint) -> Result<Vec<i64>> {
        let store = self.store();
        let mut out = Vec::new();
        for l in &complaint.listings {
            out.extend(store.capture_listing(l.capture.id)?);
        }
        Ok(out)
    }

    /// What the complainant has already done, written from the case's filings where the
    /// complaint leaves it blank: the agency letter's `prior_takedowns` and the USTR
    /// comment's `rights_holder_actions`. Every figure is the packet's own, traceable
    /// in its enforcement history and the bundle's campaign.json: both are as of
    /// `today`, the export's own day (the campaign's figures are case-wide; only the
    /// per-listing histories depend on the packet's listings).
    fn fill_in_history(&self, file: &mut ComplaintFile, today: NaiveDate) -> Result<()> {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        let wants = file
            .agency
            .as_ref()
            .is_some_and(|a| blank(&a.prior_takedowns))
            || file
                .ustr
                .as_ref()
                .is_some_and(|u| u.markets.iter().any(|m| blank(&m.rights_holder_actions)));
        if !wants || self.store().filings()?.is_empty() {
            return Ok(());
        }
        let h = self.history(&Default::default(), today)?;
        let who = file
            .rights_holder
            .organization
            .clone()
            .unwrap_or_else(|| file.rights_holder.name.clone());
        let text = history::summary_sentences(&h, &who).join(" ");
        if let Some(a) = file.agency.as_mut()
            && blank(&a.prior_takedowns)
        {
            a.prior_takedowns = Some(text.clone());
        }
        if let Some(u) = file.ustr.as_mut() {
            for m in &mut u.markets {
                if blank(&m.rights_holder_actions) {
                    m.rights_holder_actions = Some(text.clone());
                }
            }
        }
        Ok(())
    }

    /// The case's own facts every output repeats, and the custody log the bundle covers.
    fn case_facts(&self, time: DateTime<Utc>) -> Result<CaseFacts> {
        let events = self.custody_log()?;
        let covered = evidence_prefix(&events).to_vec();
        let head = covered
            .last()
            .cloned()
            .ok_or_else(|| Error::Internal("the custody log is empty".into()))?;
        // One statement each: a guard taken inside a struct literal would be held until
        // the literal ends, and the next call would wait for it forever.
        let case_id = self.store().case_id()?;
        let title = self.title()?;
        let collector = self.collector()?.unwrap_or_default();
        Ok(CaseFacts {
            case_id,
            title,
            collector,
            time,
            stamp: time.to_rfc3339_opts(SecondsFormat::Secs, true),
            covered,
            head,
        })
    }

    /// Each listing's capture, what of it goes into the bundle and the manifest, and
    /// what the packet prints. Artifacts are named, not read, except the start of the
    /// page text the packet prints.
    fn gather_evidence(&self, complaint: &Complaint, steps: &mut Steps<'_>) -> Result<Evidence> {
        let captures = self.captures()?;
        let by_id: BTreeMap<i64, &Capture> = captures.iter().map(|c| (c.id, c)).collect();
        let mut evidence = Evidence::default();
        for (n, listing) in complaint.listings.iter().enumerate() {
            steps.cancellable("Reading the evidence from the case", n)?;
            let capture = by_id.get(&listing.capture.id).ok_or_else(|| {
                Error::Internal(format!("capture {} vanished", listing.capture.id))
            })?;
            self.gather_listing(complaint, listing, capture, &mut evidence)?;
        }
        Ok(evidence)
    }

    /// One listing's capture into the evidence: its record, its artifacts (named), its
    /// newest trusted time, its manifest entry and its exhibit in the packet. The store
    /// is held once, for the record, the page text and the timestamps, read in that order.
    fn gather_listing(
        &self,
        complaint: &Complaint,
        listing: &exhibit_venues::Listing,
        capture: &Capture,
        evidence: &mut Evidence,
    ) -> Result<()> {
        let store = self.store();
        let record_path = format!("captures/capture-{}.json", capture.id);
        evidence.records.insert(
            record_path.clone(),
            store.record_json(capture.id)?.into_bytes(),
        );
        let artifacts = evidence.name_artifacts(&store, listing.exhibit, capture)?;
        // The newest trusted timestamp, with the exact bytes it covers.
        let trusted_time = store.capture_timestamps(capture.id)?.pop();
        drop(store);
        let timestamps = evidence.add_trusted_time(capture.id, trusted_time.as_ref());
        evidence.manifest_captures.push(manifest_capture(
            listing,
            capture,
            record_path,
            artifacts,
            timestamps,
        ));
        evidence
            .entries
            .push(exhibit_entry(complaint, listing, capture, trusted_time));
        Ok(())
    }

    /// Portal venues: the filing sheet and the URL lists, in memory, for the bundle and
    /// to be written beside it.
    fn filing_sheet(
        &self,
        complaint: &Complaint,
        packet: &Packet<'_>,
        fonts: &Fonts,
    ) -> Result<Option<FilingSheet>> {
        let Some(sheet) = exhibit_venues::render_filing_sheet(complaint) else {
            return Ok(None);
        };
        let pdf = exhibit_pdf::render(
            &sheet.to_sections(),
            &PdfOptions {
                title: format!(
                    "{}: {} filing sheet",
                    packet.facts.title,
                    complaint.venue.title()
                ),
                bates_prefix: format!("{}FS-", packet.prefix),
                footer_left: Some(format!("Filing sheet for {}", packet.bundle_name)),
                ..packet.pdf_options.clone()
            },
            fonts,
        )
        .map_err(render_error)?;
        Ok(Some(FilingSheet {
            sheet,
            pdf: pdf.bytes,
        }))
    }
}

/// The filing sheet of a portal venue, rendered.
struct FilingSheet {
    sheet: exhibit_venues::FilingSheet,
    pdf: Vec<u8>,
}

impl FilingSheet {
    /// The files it adds to the bundle.
    fn bundle_files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::from([("filing-sheet.pdf".to_string(), self.pdf.clone())]);
        for b in &self.sheet.batches {
            files.insert(
                format!("urls/batch-{:02}.txt", b.number),
                b.urls_text().into_bytes(),
            );
        }
        files
    }

    /// Writes the sheet, the URL lists and the files to upload beside the bundle,
    /// streaming the uploads from the case.
    fn write_beside(
        &self,
        packet: &Packet<'_>,
        evidence: &Evidence,
        store: &Store,
        out_dir: &Path,
    ) -> Result<BesideFiles> {
        let mut out = BesideFiles::default();
        let path = out_dir.join(format!("{}-filing-sheet.pdf", packet.stem));
        write_bytes(&path, &self.pdf)?;
        out.filing_sheet = Some(path);
        for b in &self.sheet.batches {
            let path = out_dir.join(format!("{}-urls-batch-{:02}.txt", packet.stem, b.number));
            write_bytes(&path, b.urls_text().as_bytes())?;
            out.url_lists.push(path);
            for upload in &b.uploads {
                let Some(a) = evidence.artifacts.get(&format!("exhibits/{upload}")) else {
                    continue;
                };
                let dir = out_dir.join(format!("{}-uploads", packet.stem));
                std::fs::create_dir_all(&dir).map_err(|source| Error::Output {
                    path: dir.clone(),
                    source,
                })?;
                let path = dir.join(upload);
                let mut file = Partial::create(&path)?;
                let mut w = BufWriter::new(file.file());
                store.write_artifact(a.capture_id, &a.kind, &mut w)?;
                w.flush().map_err(|source| Error::Output {
                    path: path.clone(),
                    source,
                })?;
                drop(w);
                out.uploads.push(file.commit()?);
            }
        }
        Ok(out)
    }
}

/// The complaint checked and resolved, with what it adds to the export.
struct Checked {
    complaint: Complaint,
    /// The rules' warnings (errors stop the export).
    warnings: Vec<Issue>,
    test_buy: Option<TestBuy>,
    schedule: Option<ScheduleA>,
    /// A Schedule A filing's table and data, and the purchases' files, for the bundle.
    schedule_files: BundleFiles,
    /// The purchases' files, for the manifest.
    purchase_files: Vec<ManifestAttachment>,
}

/// What was read from the case for an export, before anything is written.
struct Gathered {
    facts: CaseFacts,
    evidence: Evidence,
    /// The campaign so far, when the case records any filing.
    history: Option<History>,
}

/// A packet laid out: its page count and where each Schedule A defendant's exhibit
/// lands, with the fonts and screenshots it was laid out with and must be written with.
struct LaidOut<'a> {
    pages: u32,
    placed: BTreeMap<usize, Placement>,
    fonts: &'a Fonts,
    screenshots: &'a CaseScreenshots<'a>,
}

/// The documents an export renders beside the packet, each in the bundle and beside it.
struct SideDocuments {
    /// A portal venue's filing sheet and URL lists.
    sheet: Option<FilingSheet>,
    /// A Schedule A filing's joinder report.
    joinder: Option<Vec<u8>>,
    /// An Alibaba complaint's test-buy report.
    test_buy: Option<Vec<u8>>,
}

/// What an export wrote and put in place.
struct Written {
    packet: PathBuf,
    pages: u32,
    packet_sha256: exhibit_domain::Digest,
    bundle: PathBuf,
    bundle_sha256: String,
    beside: BesideFiles,
}

impl Written {
    /// The report of the export: what it wrote, and the warnings the rules raised.
    fn into_report(self, packet: &Packet<'_>, warnings: Vec<Issue>) -> ExportReport {
        ExportReport {
            packet: self.packet,
            bundle: self.bundle,
            filing_sheet: self.beside.filing_sheet,
            url_lists: self.beside.url_lists,
            uploads: self.beside.uploads,
            pages: self.pages,
            bates_first: bates(&packet.prefix, 1),
            bates_last: bates(&packet.prefix, self.pages),
            listings: packet.complaint.listings.len(),
            batches: exhibit_venues::batches(packet.complaint).len(),
            manifest_sha256: packet.manifest_sha.clone(),
            bundle_sha256: self.bundle_sha256,
            warnings,
            defendants: packet.schedule.map_or(0, |s| s.defendants.len()),
            schedule_a_csv: self.beside.schedule_a_csv,
            joinder_report: self.beside.joinder_report,
            test_buy_report: self.beside.test_buy_report,
        }
    }
}

/// Progress and cancelling: a step either may stop the export (before anything is
/// written) or only reports (once files are being written).
struct Steps<'p> {
    progress: &'p mut dyn FnMut(&ExportStep),
    cancel: &'p AtomicBool,
    total: usize,
}

impl Steps<'_> {
    fn cancellable(&mut self, name: &str, done: usize) -> Result<()> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        self.report(name, done);
        Ok(())
    }

    fn report(&mut self, name: &str, done: usize) {
        (self.progress)(&ExportStep {
            step: name.to_string(),
            done,
            total: self.total,
        });
    }
}

/// The case's facts an export repeats everywhere.
struct CaseFacts {
    case_id: String,
    title: String,
    collector: exhibit_domain::Collector,
    time: DateTime<Utc>,
    /// The export time as RFC 3339, to the second.
    stamp: String,
    /// The custody log up to its last event that changed the evidence.
    covered: Vec<CustodyEvent>,
    head: CustodyEvent,
}

/// One artifact in the case, named for the bundle: where it is, and what it must be.
struct ArtifactRef {
    capture_id: i64,
    kind: String,
    size: u64,
    sha256: exhibit_domain::Digest,
}

/// What an export covers, gathered before anything is written.
#[derive(Default)]
struct Evidence {
    /// Bundle path to artifact, read from the case only when the bundle is written.
    artifacts: BTreeMap<String, ArtifactRef>,
    /// Small files: capture records and timestamp statements and tokens.
    records: BTreeMap<String, Vec<u8>>,
    manifest_captures: Vec<ManifestCapture>,
    entries: Vec<ExhibitEntry>,
    /// Exhibit number to the capture whose screenshot the packet prints.
    screenshots: BTreeMap<usize, i64>,
    /// Exhibit number to the start of its page text, as much as the packet prints.
    texts: BTreeMap<usize, String>,
    first_stamped: Option<String>,
}

impl Evidence {
    /// Every small file of the bundle: records, timestamps, attachments, the complaint
    /// and the custody log.
    fn small_files(
        &self,
        loaded: &LoadedComplaint,
        facts: &CaseFacts,
    ) -> BTreeMap<String, Vec<u8>> {
        let mut files = self.records.clone();
        for (name, bytes) in &loaded.attachments {
            files.insert(attachment_path(name), bytes.clone());
        }
        files.insert("complaint.toml".into(), loaded.text.clone().into_bytes());
        files.insert(
            exhibit_bundle::CUSTODY_PATH.into(),
            exhibit_bundle::custody_jsonl(&facts.covered),
        );
        files
    }

    /// Every artifact, as a reader over its blob in the case: the bundle writer reads
    /// each once (twice if deflating it did not pay) and checks it against its hash.
    fn add_artifacts<'s>(&self, bundle: &mut BundleWriter<'s>, store: &'s Store) -> Result<()> {
        for (path, a) in &self.artifacts {
            let (id, kind) = (a.capture_id, a.kind.clone());
            bundle
                .add_reader(path, a.size, a.sha256, move || {
                    store
                        .open_artifact(id, &kind)
                        .map_err(std::io::Error::other)
                })
                .map_err(|e| Error::Internal(format!("bundle entry {path}: {e}")))?;
        }
        Ok(())
    }

    /// Names each artifact of an exhibit's capture for the bundle and the manifest, and
    /// notes the screenshot and the start of the page text (read from the store) that
    /// the packet prints.
    fn name_artifacts(
        &mut self,
        store: &Store,
        exhibit: usize,
        capture: &Capture,
    ) -> Result<Vec<ManifestArtifact>> {
        let mut artifacts = Vec::new();
        for a in &capture.artifacts {
            let path = format!(
                "exhibits/{}",
                exhibit_venues::exhibit_file_name(
                    exhibit,
                    &a.kind,
                    exhibit_venues::artifact_extension(&a.kind, &a.media_type)
                )
            );
            if a.kind == "screenshot" {
                self.screenshots.insert(exhibit, capture.id);
            }
            if a.kind == "text" {
                let text = page_text_start(store, capture.id)?;
                self.texts.insert(exhibit, text);
            }
            self.artifacts.insert(
                path.clone(),
                ArtifactRef {
                    capture_id: capture.id,
                    kind: a.kind.clone(),
                    size: a.size,
                    sha256: a.sha256,
                },
            );
            artifacts.push(ManifestArtifact {
                kind: a.kind.clone(),
                media_type: a.media_type.clone(),
                size: a.size,
                sha256: a.sha256,
                path,
            });
        }
        Ok(artifacts)
    }

    /// A capture's trusted time, if it has one: its statement and token as records of
    /// the bundle, and its entry in the manifest.
    fn add_trusted_time(
        &mut self,
        capture_id: i64,
        trusted_time: Option<&exhibit_store::StoredTimestamp>,
    ) -> Vec<ManifestTimestamp> {
        let mut timestamps = Vec::new();
        if let Some(t) = trusted_time {
            let data_path = format!("timestamps/capture-{capture_id}.json");
            let token_path = format!("timestamps/capture-{capture_id}.tsr");
            timestamps.push(ManifestTimestamp {
                tsa_name: t.tsa_name.clone(),
                tsa_url: t.tsa_url.clone(),
                gen_time: t.gen_time.clone(),
                serial: t.serial.clone(),
                data_path: data_path.clone(),
                data_sha256: exhibit_domain::sha256(&t.data),
                token_path: token_path.clone(),
                token_sha256: exhibit_domain::sha256(&t.response),
            });
            self.records.insert(data_path, t.data.clone());
            self.records.insert(token_path, t.response.clone());
            if self.first_stamped.is_none() {
                self.first_stamped = Some(format!("capture-{capture_id}"));
            }
        }
        timestamps
    }
}

/// A capture's entry in the bundle's manifest.
fn manifest_capture(
    listing: &exhibit_venues::Listing,
    capture: &Capture,
    record_path: String,
    artifacts: Vec<ManifestArtifact>,
    timestamps: Vec<ManifestTimestamp>,
) -> ManifestCapture {
    ManifestCapture {
        id: capture.id,
        exhibit: listing.label(),
        requested_url: capture.record.requested_url.clone(),
        final_url: capture.record.final_url.clone(),
        status: capture.record.status,
        mode: capture.record.mode.clone(),
        started_at: capture.record.started_at.clone(),
        finished_at: capture.record.finished_at.clone(),
        record_sha256: capture.record_sha256,
        record_path,
        artifacts,
        timestamps,
    }
}

/// A listing's exhibit as the packet prints it.
fn exhibit_entry(
    complaint: &Complaint,
    listing: &exhibit_venues::Listing,
    capture: &Capture,
    trusted_time: Option<exhibit_store::StoredTimestamp>,
) -> ExhibitEntry {
    let right = complaint
        .right(&listing.right)
        .map(exhibit_venues::Right::label)
        .unwrap_or_else(|| listing.right.clone());
    ExhibitEntry {
        number: listing.exhibit,
        capture: capture.clone(),
        right,
        infringement: listing.infringement.description().to_string(),
        purpose: match listing.purpose {
            exhibit_venues::Purpose::Live => "live listing".to_string(),
            exhibit_venues::Purpose::TakedownProof => "proof of takedown".to_string(),
        },
        notes: listing.notes.clone(),
        title_translation: listing.title_translation.clone(),
        trusted_time,
    }
}

/// Where the bundle keeps the campaign's filings, outcomes, figures and relistings.
const CAMPAIGN_PATH: &str = "campaign.json";

/// The campaign as data, for the bundle: every filing with its outcomes, the figures
/// and the confirmed relistings, as of the export's time.
fn campaign_json(h: &History) -> Result<Vec<u8>> {
    let value = serde_json::json!({
        "as_of": h.today.format("%Y-%m-%d").to_string(),
        "filings": h.filings,
        "stats": h.stats,
        // The packet's "Week by week" chart and table, figure for figure.
        "weeks": h.weeks,
        "relistings": h
            .relistings
            .iter()
            .map(|(o, r, seen)| serde_json::json!({"original": o, "relisting": r, "first_seen": seen}))
            .collect::<Vec<_>>(),
    });
    serde_json::to_vec_pretty(&value).map_err(|e| Error::Internal(format!("campaign.json: {e}")))
}

impl Case {
    /// The history the packet prints for these listings, when the case records any
    /// filing; `None` otherwise.
    fn packet_history(&self, complaint: &Complaint, facts: &CaseFacts) -> Result<Option<History>> {
        if self.store().filings()?.is_empty() {
            return Ok(None);
        }
        let mut listings = std::collections::BTreeSet::new();
        for l in &complaint.listings {
            if let Some(id) = self.store().capture_listing(l.capture.id)? {
                listings.insert(id);
            }
        }
        Ok(Some(self.history(&listings, facts.time.date_naive())?))
    }

    /// The packets that tell the whole history (agency letter, USTR comment) carry, as
    /// exhibits after the complaint's own, the captures that prove each fact it tells
    /// and the complaint does not already show: each listing's first capture, its
    /// capture after each platform answer, and each confirmed relisting's first
    /// capture. Each is gathered like any exhibit (bundle, manifest, packet page), with
    /// a note saying what it proves, and the history names it.
    fn add_proving_exhibits(
        &self,
        complaint: &Complaint,
        h: &mut History,
        evidence: &mut Evidence,
    ) -> Result<()> {
        for l in &complaint.listings {
            h.exhibits.insert(l.capture.id, l.label());
        }
        if !matches!(
            complaint.venue,
            Venue::AgencyLetter | Venue::UstrNotoriousMarkets
        ) {
            return Ok(());
        }
        let Some(model) = complaint.listings.first() else {
            return Ok(());
        };
        let proving = self.proving_captures(h)?;
        if proving.iter().all(|(id, _)| h.exhibits.contains_key(id)) {
            return Ok(());
        }
        let captures = self.captures()?;
        let by_id: BTreeMap<i64, &Capture> = captures.iter().map(|c| (c.id, c)).collect();
        let mut next = complaint
            .listings
            .iter()
            .map(|l| l.exhibit)
            .max()
            .unwrap_or(0)
            + 1;
        for (id, why) in proving {
            if h.exhibits.contains_key(&id) {
                continue;
            }
            let Some(capture) = by_id.get(&id) else {
                continue;
            };
            let listing = exhibit_venues::Listing {
                exhibit: next,
                capture: CaptureFacts::from_capture(capture),
                right: model.right.clone(),
                infringement: model.infringement,
                purpose: if capture.record.status == exhibit_domain::CaptureStatus::Removed {
                    exhibit_venues::Purpose::TakedownProof
                } else {
                    exhibit_venues::Purpose::Live
                },
                notes: Some(why),
                title_translation: None,
            };
            self.gather_listing(complaint, &listing, capture, evidence)?;
            h.exhibits.insert(id, listing.label());
            next += 1;
        }
        Ok(())
    }
}

fn attachment_path(name: &str) -> String {
    format!("attachments/{}", sanitize(name))
}

/// The manifest: what the bundle holds, described without the packet.
fn describe_evidence(
    loaded: &LoadedComplaint,
    facts: &CaseFacts,
    evidence: &Evidence,
    purchase_files: Vec<ManifestAttachment>,
) -> Result<Manifest> {
    let attachments = loaded
        .attachments
        .iter()
        .map(|(name, bytes)| ManifestAttachment {
            name: name.clone(),
            sha256: exhibit_domain::sha256(bytes),
            size: bytes.len() as u64,
            path: attachment_path(name),
        })
        .chain(purchase_files)
        .collect();
    Ok(Manifest {
        format: exhibit_bundle::MANIFEST_FORMAT.into(),
        tool: "exhibit".into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        exported_at: facts.stamp.clone(),
        case: ManifestCase {
            id: facts.case_id.clone(),
            title: facts.title.clone(),
        },
        collector: facts.collector.clone(),
        complaint: serde_json::to_value(&loaded.file)
            .map_err(|e| Error::Internal(format!("complaint to JSON: {e}")))?,
        captures: evidence.manifest_captures.clone(),
        attachments,
        custody: ManifestCustody {
            head_seq: facts.head.seq,
            head_hash: facts.head.hash,
            path: exhibit_bundle::CUSTODY_PATH.into(),
        },
    })
}

/// The longest page text read for one exhibit: one more character than the packet
/// prints, so it can still say the text was cut. Four bytes is the most a character takes.
const TEXT_READ_BYTES: u64 = (packet::MAX_TEXT_CHARS as u64 + 2) * 4;

/// The start of a capture's page text, as much as the packet prints and a character
/// more; the whole text is in the bundle.
fn page_text_start(store: &Store, capture_id: i64) -> Result<String> {
    let mut bytes = Vec::new();
    store
        .open_artifact(capture_id, "text")?
        .take(TEXT_READ_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Internal(format!("reading the text of capture {capture_id}: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes)
        .chars()
        .take(packet::MAX_TEXT_CHARS + 1)
        .collect())
}

/// The packet's sections, with the facts they print, ready to be laid out twice.
struct Packet<'e> {
    complaint: &'e Complaint,
    facts: &'e CaseFacts,
    evidence: &'e Evidence,
    /// The campaign so far, when the case records any filing.
    history: Option<&'e History>,
    /// A Schedule A filing's defendants.
    schedule: Option<&'e ScheduleA>,
    complainant: String,
    declaration: DeclarationFacts,
    manifest_sha: String,
    prefix: String,
    stem: String,
    bundle_name: String,
    pdf_options: PdfOptions,
}

impl<'e> Packet<'e> {
    fn new(
        complaint: &'e Complaint,
        facts: &'e CaseFacts,
        evidence: &'e Evidence,
        history: Option<&'e History>,
        schedule: Option<&'e ScheduleA>,
        opts: &ExportTarget,
        manifest_sha: String,
    ) -> Self {
        let prefix = opts
            .bates_prefix
            .clone()
            .unwrap_or_else(|| default_bates_prefix(complaint));
        let stem = file_stem(complaint, facts.time);
        let complainant = complaint
            .rights_holder
            .organization
            .clone()
            .unwrap_or_else(|| complaint.rights_holder.name.clone());
        let pdf_options = PdfOptions {
            title: format!("{}: {}", facts.title, complaint.venue.title()),
            author: complainant.clone(),
            bates_prefix: prefix.clone(),
            bates_start: 1,
            created: facts.time,
            footer_left: Some(format!("Manifest SHA-256 {}", &manifest_sha[..16])),
        };
        Packet {
            complaint,
            facts,
            evidence,
            history,
            schedule,
            declaration: DeclarationFacts {
                tool_name: "Exhibit".into(),
                tool_version: env!("CARGO_PKG_VERSION").into(),
                collector: facts.collector.clone(),
                case_id: facts.case_id.clone(),
                custody_head: facts.head.hash.to_hex(),
                more: schedule
                    .map(ScheduleA::declaration_paragraphs)
                    .unwrap_or_default(),
            },
            complainant,
            manifest_sha,
            bundle_name: format!("{stem}-bundle.zip"),
            stem,
            prefix,
            pdf_options,
        }
    }

    /// Lays the packet out without writing it: its pages, and where each Schedule A
    /// defendant's exhibit lands. The cover names the Bates range and the master index
    /// each defendant's pages, known only once laid out, so it is laid out with
    /// placeholders of the same width first, then with the index filled in until the
    /// index it prints is the one it describes.
    fn lay_out(
        &self,
        fonts: &Fonts,
        pictures: &CaseScreenshots<'_>,
    ) -> Result<(u32, BTreeMap<usize, Placement>)> {
        let placeholder = format!("{0}000001 to {0}000001", self.prefix);
        let mut placed = BTreeMap::new();
        for _ in 0..4 {
            let (pages, placements) = exhibit_pdf::paginate(
                &self.sections(placeholder.clone(), &placed),
                &self.pdf_options,
                fonts,
                pictures,
            )
            .map_err(render_error)?;
            let Some(s) = self.schedule else {
                return Ok((pages, placed));
            };
            let now = s.placed(&placements);
            if now == placed {
                return Ok((pages, placed));
            }
            placed = now;
        }
        Err(Error::Internal(
            "the master index of defendants did not settle on its pages".into(),
        ))
    }

    /// Every section, the cover naming `bates_range` and a Schedule A filing's master
    /// index the defendants' pages as `placed`. Screenshots are named by capture id, for
    /// [`CaseScreenshots`] to read when they are printed.
    fn sections(&self, bates_range: String, placed: &BTreeMap<usize, Placement>) -> Vec<Section> {
        let (c, f, e) = (self.complaint, self.facts, self.evidence);
        let mut sections = vec![packet::cover(&Cover {
            case_title: f.title.clone(),
            complainant: self.complainant.clone(),
            venue: c.venue.title().to_string(),
            date: f.time.format("%Y-%m-%d").to_string(),
            bates_range,
            manifest_sha256: self.manifest_sha.clone(),
            case_id: f.case_id.clone(),
        })];
        sections.push(packet::summary(&e.entries));
        if let Some(h) = self.history {
            if matches!(c.venue, Venue::AgencyLetter | Venue::UstrNotoriousMarkets) {
                sections.push(history::section(h, &self.complainant));
            } else if let Some(prior) = history::prior_reports(h) {
                sections.push(prior);
            }
        }
        sections.extend(exhibit_venues::render_complaint(c));
        if let Some(s) = self.schedule {
            sections.extend(s.sections(placed));
        }
        sections.push(exhibit_venues::render_declaration(c, &self.declaration));
        if let Some(t) = exhibit_venues::render_translation_certificate(c) {
            sections.push(t);
        }
        // A Schedule A filing's exhibits are its defendants' (above); the others print
        // each listing's capture as an exhibit of its own.
        if self.schedule.is_none() {
            for entry in &e.entries {
                sections.push(packet::exhibit(
                    entry,
                    e.screenshots.get(&entry.number).map(|id| id.to_string()),
                    e.texts.get(&entry.number).cloned(),
                ));
            }
        }
        sections.push(packet::custody(&f.covered));
        sections.push(packet::how_to_verify(
            &self.bundle_name,
            &self.manifest_sha,
            e.first_stamped.as_deref(),
        ));
        sections
    }
}

/// Writes the packet under a temporary name beside its real one, streaming each
/// screenshot from the case; it is renamed into place once the bundle holding it is.
fn write_packet(
    packet: &Packet<'_>,
    pages: u32,
    placed: &BTreeMap<usize, Placement>,
    fonts: &Fonts,
    screenshots: &CaseScreenshots<'_>,
    opts: &ExportTarget,
) -> Result<(Partial, exhibit_pdf::WrittenPdf)> {
    let range = format!(
        "{} to {}",
        bates(&packet.prefix, 1),
        bates(&packet.prefix, pages)
    );
    let path = opts.out_dir.join(format!("{}-packet.pdf", packet.stem));
    let mut file = Partial::create(&path)?;
    let mut out = BufWriter::with_capacity(1 << 20, file.file());
    let written = exhibit_pdf::render_to(
        &packet.sections(range, placed),
        &packet.pdf_options,
        fonts,
        screenshots,
        &mut out,
    )
    .map_err(render_error)?;
    out.flush()
        .map_err(|source| Error::Output { path, source })?;
    drop(out);
    if let Some(s) = packet.schedule
        && s.placed(&written.sections) != *placed
    {
        return Err(Error::Internal(
            "the master index of defendants does not match the pages written".into(),
        ));
    }
    file.sync()?;
    Ok((file, written))
}

/// Laying out the packet, then numbering its pages: the last steps at which cancelling
/// stops the export.
fn lay_out_packet<'a>(
    packet: &Packet<'_>,
    fonts: &'a Fonts,
    screenshots: &'a CaseScreenshots<'a>,
    steps: &mut Steps<'_>,
) -> Result<LaidOut<'a>> {
    // The cover names the Bates range, which is known only once laid out: lay out
    // once with a placeholder of the same length, then write with the real range.
    steps.cancellable("Laying out the packet", steps.total - 4)?;
    let (pages, placed) = packet.lay_out(fonts, screenshots)?;
    // The last point at which cancelling stops the export: from here on files are
    // written, so it finishes and checks them.
    steps.cancellable("Numbering the pages", steps.total - 3)?;
    Ok(LaidOut {
        pages,
        placed,
        fonts,
        screenshots,
    })
}

/// Writes the bundle under a temporary name beside its real one: the small files, the
/// filing sheet, URL lists and reports, every artifact streamed from the case, and the
/// packet just written. It is renamed into place once the files beside it are written.
fn write_bundle(
    packet: &Packet<'_>,
    small_files: BundleFiles,
    side: &SideDocuments,
    store: &Store,
    packet_file: &Partial,
    packet_pdf: &exhibit_pdf::WrittenPdf,
    opts: &ExportTarget,
) -> Result<(Partial, exhibit_bundle::BundleSummary)> {
    let mut bundle = BundleWriter::new();
    let sheet_files = side.sheet.as_ref().map(FilingSheet::bundle_files);
    let joinder_file = side
        .joinder
        .as_ref()
        .map(|j| (schedule_a::JOINDER_NAME.to_string(), j.clone()));
    let test_buy_file = side
        .test_buy
        .as_ref()
        .map(|t| (test_buy::REPORT_NAME.to_string(), t.clone()));
    for (path, bytes) in small_files
        .into_iter()
        .chain(sheet_files.into_iter().flatten())
        .chain(joinder_file)
        .chain(test_buy_file)
    {
        bundle
            .add(&path, bytes)
            .map_err(|e| Error::Internal(format!("bundle entry {path}: {e}")))?;
    }
    packet.evidence.add_artifacts(&mut bundle, store)?;
    let packet_path = packet_file.tmp.clone();
    bundle
        .add_reader(
            "packet.pdf",
            packet_pdf.size,
            packet_pdf.sha256,
            move || std::fs::File::open(&packet_path),
        )
        .map_err(|e| Error::Internal(format!("bundle entry packet.pdf: {e}")))?;
    let bundle_path = opts.out_dir.join(&packet.bundle_name);
    let mut bundle_file = Partial::create(&bundle_path)?;
    let summary = bundle
        .finish(bundle_file.file(), opts.time)
        .map_err(|e| bundle_error(e, &bundle_path))?;
    Ok((bundle_file, summary))
}

/// Writes the files beside the bundle: a portal venue's filing sheet, URL lists and
/// uploads, a Schedule A filing's table and joinder report, and the test-buy report.
fn write_beside_bundle(
    packet: &Packet<'_>,
    side: &SideDocuments,
    store: &Store,
    out_dir: &Path,
) -> Result<BesideFiles> {
    let mut beside = match &side.sheet {
        Some(sheet) => sheet.write_beside(packet, packet.evidence, store, out_dir)?,
        None => BesideFiles::default(),
    };
    if let (Some(s), Some(j)) = (packet.schedule, &side.joinder) {
        let csv = out_dir.join(schedule_a::CSV_NAME);
        write_bytes(
            &csv,
            exhibit_defendants::schedule_csv(&s.defendants).as_bytes(),
        )?;
        let report = out_dir.join(schedule_a::JOINDER_NAME);
        write_bytes(&report, j)?;
        beside.schedule_a_csv = Some(csv);
        beside.joinder_report = Some(report);
    }
    if let Some(t) = &side.test_buy {
        let path = out_dir.join(format!("{}-{}", packet.stem, test_buy::REPORT_NAME));
        write_bytes(&path, t)?;
        beside.test_buy_report = Some(path);
    }
    Ok(beside)
}

/// Checking the bundle just written, as its recipient would.
fn check_written_bundle(bundle: &Path, steps: &mut Steps<'_>) -> Result<()> {
    // Past the point of cancelling: the files exist, so finish and check them.
    steps.report("Checking the bundle", steps.total - 1);
    let check = verify_bundle(bundle)?;
    if !check.is_intact() {
        return Err(Error::Internal(format!(
            "the bundle just written does not verify: {}",
            check
                .problems
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    Ok(())
}

/// The screenshots a packet prints, read from the case by capture id.
struct CaseScreenshots<'s> {
    store: &'s Store,
}

impl CaseScreenshots<'_> {
    /// A capture's screenshot by capture id, or a purchase's picture (an order
    /// confirmation) by `purchase-file:<id>`.
    fn open(&self, key: &str) -> std::io::Result<Box<dyn Read + '_>> {
        if let Some(file) = key.strip_prefix(defendants::PURCHASE_FILE_KEY) {
            let id: i64 = file
                .parse()
                .map_err(|_| std::io::Error::other(format!("no purchase file {file}")))?;
            let bytes = self
                .store
                .purchase_file_bytes(id)
                .map_err(std::io::Error::other)?;
            return Ok(Box::new(std::io::Cursor::new(bytes)));
        }
        let id: i64 = key
            .parse()
            .map_err(|_| std::io::Error::other(format!("no capture {key}")))?;
        Ok(Box::new(
            self.store
                .open_artifact(id, "screenshot")
                .map_err(std::io::Error::other)?,
        ))
    }
}

impl exhibit_pdf::PictureSource for CaseScreenshots<'_> {
    fn read(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.open(key)?.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn read_head(&self, key: &str, len: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(len);
        self.open(key)?.take(len as u64).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The screenshot as printed at capture, when the capture has one (browser captures
    /// now store this print-ready copy beside it); captures made before they did and
    /// imported ones are printed from the screenshot.
    fn read_printed(&self, key: &str) -> Option<Vec<u8>> {
        let id: i64 = key.parse().ok()?;
        let kind = exhibit_domain::artifact_kind::SCREENSHOT_PRINT;
        let mut reader = self.store.open_artifact(id, kind).ok()?;
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }
}

/// What was written beside the bundle: a portal venue's filing sheet, URL lists and
/// uploads, a Schedule A filing's table and joinder report, and the test-buy report.
#[derive(Default)]
struct BesideFiles {
    filing_sheet: Option<PathBuf>,
    url_lists: Vec<PathBuf>,
    uploads: Vec<PathBuf>,
    schedule_a_csv: Option<PathBuf>,
    joinder_report: Option<PathBuf>,
    test_buy_report: Option<PathBuf>,
}

/// A bundle that could not be written: an artifact that changed in the case says so as
/// `verify` would; a full disk is an output error.
fn bundle_error(e: BundleError, path: &Path) -> Error {
    match e {
        BundleError::SourceChanged {
            source: Some(io), ..
        } if io.get_ref().is_some_and(|inner| inner.is::<StoreError>()) => {
            match io.into_inner().map(|inner| inner.downcast::<StoreError>()) {
                Some(Ok(store)) => Error::Store(*store),
                _ => Error::Internal("an artifact could not be read".into()),
            }
        }
        BundleError::Write { source } => Error::Output {
            path: path.to_owned(),
            source: std::io::Error::other(source),
        },
        other => Error::Bundle {
            code: other.code(),
            message: other.to_string(),
        },
    }
}

fn render_error(e: exhibit_pdf::PdfError) -> Error {
    Error::Render {
        code: e.code(),
        message: e.to_string(),
    }
}

/// What checking a bundle found, for people and for scripts.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BundleCheck {
    pub intact: bool,
    pub files_checked: usize,
    pub manifest_sha256: Option<String>,
    pub custody_head_seq: Option<i64>,
    pub custody_head_hash: Option<String>,
    pub problems: Vec<BundleProblemView>,
}

/// One problem found in a bundle: a stable code and one sentence.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BundleProblemView {
    pub code: &'static str,
    pub message: String,
}

impl BundleCheck {
    pub fn is_intact(&self) -> bool {
        self.intact
    }
}

impl From<BundleReport> for BundleCheck {
    fn from(r: BundleReport) -> Self {
        BundleCheck {
            intact: r.is_intact(),
            files_checked: r.files_checked,
            manifest_sha256: r.manifest_digest.map(|d| d.to_hex()),
            custody_head_seq: r.custody_head.map(|h| h.seq),
            custody_head_hash: r.custody_head.map(|h| h.hash.to_hex()),
            problems: r
                .problems
                .iter()
                .map(|p| BundleProblemView {
                    code: p.code(),
                    message: p.to_string(),
                })
                .collect(),
        }
    }
}

/// Checks a bundle as its recipient would, without a case: every file against
/// SHA256SUMS and the manifest, and the custody chain to the manifest's head.
pub fn verify_bundle(path: &Path) -> Result<BundleCheck> {
    exhibit_bundle::verify_bundle(path)
        .map(BundleCheck::from)
        .map_err(|e| Error::Bundle {
            code: e.code(),
            message: e.to_string(),
        })
}

/// The manifest's own RFC 3161 token, when the export was stamped.
pub const MANIFEST_TOKEN_PATH: &str = "manifest.tsr";

/// The custody log up to its last event that changed the evidence. Exports,
/// verifications and artifact copies made after it leave the evidence as it was.
fn evidence_prefix(events: &[CustodyEvent]) -> &[CustodyEvent] {
    let bookkeeping = [
        CustodyEventKind::ExportMade.as_str(),
        CustodyEventKind::VerificationRun.as_str(),
        CustodyEventKind::ArtifactExported.as_str(),
        CustodyEventKind::ExportTimestamped.as_str(),
        CustodyEventKind::ExportTimestampMissed.as_str(),
        CustodyEventKind::WaczExported.as_str(),
    ];
    let end = events
        .iter()
        .rposition(|e| !bookkeeping.contains(&e.kind.as_str()))
        .map_or(events.len(), |i| i + 1);
    &events[..end]
}

/// Refuses a Bates prefix the rules do not allow, before anything is read.
fn check_bates_prefix(prefix: Option<&str>) -> Result<()> {
    match prefix.and_then(crate::rules::bates_prefix_problem) {
        Some(problem) => Err(Error::Input(problem)),
        None => Ok(()),
    }
}

fn bates(prefix: &str, n: u32) -> String {
    format!("{prefix}{n:06}")
}

/// `ACME-` from "Acme Lantern Co.": the first word of the organisation (or name), in
/// capitals, ASCII letters and digits only.
fn default_bates_prefix(c: &Complaint) -> String {
    let source = c
        .rights_holder
        .organization
        .as_deref()
        .unwrap_or(&c.rights_holder.name);
    let word: String = source
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect::<String>()
        .to_ascii_uppercase();
    if word.is_empty() {
        "EXH-".into()
    } else {
        format!("{word}-")
    }
}

/// `2026-11-28-amazon`: the export's date and venue.
fn file_stem(c: &Complaint, time: DateTime<Utc>) -> String {
    format!("{}-{}", time.format("%Y-%m-%d"), c.venue.as_str())
}

/// A file name made safe for a bundle path: ASCII letters, digits, `.`, `-` and `_`,
/// with the folders kept as `/`.
pub(crate) fn sanitize(name: &str) -> String {
    name.split('/')
        .map(|part| {
            part.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = Partial::create(path)?;
    file.file().write_all(bytes).map_err(|e| file.error(e))?;
    file.commit().map(|_| ())
}

/// A file written under a temporary name in the same folder, synced, then renamed into
/// place by [`Partial::commit`]: a crash or an error never leaves half a packet under
/// the real name, and a dropped `Partial` removes what it wrote. It is opened for
/// reading too, since the bundle writer reads its ZIP back to hash it.
struct Partial {
    path: PathBuf,
    tmp: PathBuf,
    file: std::fs::File,
    committed: bool,
}

impl Partial {
    fn create(path: &Path) -> Result<Partial> {
        let tmp = path.with_extension("partial");
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(|source| Error::Output {
                path: path.to_owned(),
                source,
            })?;
        Ok(Partial {
            path: path.to_owned(),
            tmp,
            file,
            committed: false,
        })
    }

    fn file(&mut self) -> &mut std::fs::File {
        &mut self.file
    }

    fn error(&self, source: std::io::Error) -> Error {
        Error::Output {
            path: self.path.clone(),
            source,
        }
    }

    fn sync(&mut self) -> Result<()> {
        self.file.sync_all().map_err(|e| self.error(e))
    }

    /// Syncs and renames the file to its real name, which it returns.
    fn commit(mut self) -> Result<PathBuf> {
        self.sync()?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| self.error(e))?;
        self.committed = true;
        Ok(self.path.clone())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
