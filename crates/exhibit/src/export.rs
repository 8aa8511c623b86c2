//! Export: a complaint file plus the case's captures become the PDF packet, the filing
//! sheet and URL lists for portal venues, and the evidence bundle, which is verified
//! before the export is reported done.
//!
//! Given the same case, complaint and export time, every output is byte-identical. That
//! is why the bundle's custody log stops at the last event that changed the evidence:
//! exports and verification runs after it (each one adds an event) do not change what
//! the bundle covers. The export's own event is added after the files are written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use exhibit_bundle::{
    BundleReport, BundleWriter, Manifest, ManifestArtifact, ManifestAttachment, ManifestCapture,
    ManifestCase, ManifestCustody, ManifestTimestamp,
};
use exhibit_domain::doc::Section;
use exhibit_domain::{Capture, CustodyEvent, CustodyEventKind};
use exhibit_pdf::{Fonts, PdfOptions};
use exhibit_venues::{
    AttachmentsPresent, CaptureFacts, Complaint, ComplaintFile, DeclarationFacts, Issue, Severity,
};
use serde::Serialize;

use crate::packet::{self, Cover, ExhibitEntry};
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
#[derive(Debug, Clone, Serialize)]
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
}

/// A complaint checked against the case, without writing anything.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintCheck {
    pub venue: String,
    pub issues: Vec<Issue>,
    /// Listings in each batch the venue's limits call for.
    pub batches: Vec<usize>,
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
        let issues = exhibit_venues::validate(&loaded.file, &facts, &present);
        let batches = if exhibit_venues::has_errors(&issues) {
            Vec::new()
        } else {
            exhibit_venues::resolve(&loaded.file, &facts, &present)
                .map(|c| {
                    exhibit_venues::batches(&c)
                        .iter()
                        .map(|b| b.listings.len())
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(ComplaintCheck {
            venue: loaded.file.venue.title().to_string(),
            issues,
            batches,
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
        let mut step = |name: &str, done: usize, total: usize| -> Result<()> {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(&ExportStep {
                step: name.to_string(),
                done,
                total,
            });
            Ok(())
        };
        step("Checking the complaint", 0, 1)?;
        let captures = self.captures()?;
        let facts: Vec<CaptureFacts> = captures.iter().map(CaptureFacts::from_capture).collect();
        let present = AttachmentsPresent::new(loaded.attachments.keys().cloned());
        let issues = exhibit_venues::validate(&loaded.file, &facts, &present);
        if exhibit_venues::has_errors(&issues) {
            return Err(Error::Complaint(
                issues
                    .into_iter()
                    .filter(|i| i.severity == Severity::Error)
                    .collect(),
            ));
        }
        let complaint = exhibit_venues::resolve(&loaded.file, &facts, &present)
            .map_err(|e| Error::Input(e.to_string()))?;
        let fonts = Fonts::system().map_err(|e| Error::Render {
            code: e.code(),
            message: e.to_string(),
        })?;

        let by_id: BTreeMap<i64, &Capture> = captures.iter().map(|c| (c.id, c)).collect();
        let events = self.custody_log()?;
        let covered = evidence_prefix(&events);
        let head = covered
            .last()
            .ok_or_else(|| Error::Internal("the custody log is empty".into()))?;
        let case_id = self.store().case_id()?;
        let title = self.title()?;
        let collector = self.collector()?.unwrap_or_default();
        let time = opts.time;
        let stamp = time.to_rfc3339_opts(SecondsFormat::Secs, true);

        // The bundle's files, and the manifest that describes them.
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut manifest_captures = Vec::new();
        let mut entries = Vec::new();
        let mut screenshots = BTreeMap::new();
        let mut texts = BTreeMap::new();
        let mut first_stamped: Option<String> = None;
        let steps = complaint.listings.len() + 4;
        for (n, listing) in complaint.listings.iter().enumerate() {
            step("Reading the evidence from the case", n, steps)?;
            let capture = by_id.get(&listing.capture.id).ok_or_else(|| {
                Error::Internal(format!("capture {} vanished", listing.capture.id))
            })?;
            let record_path = format!("captures/capture-{}.json", capture.id);
            files.insert(
                record_path.clone(),
                self.store().record_json(capture.id)?.into_bytes(),
            );
            let mut artifacts = Vec::new();
            for a in &capture.artifacts {
                let mut bytes = Vec::with_capacity(usize::try_from(a.size).unwrap_or(0));
                self.store()
                    .write_artifact(capture.id, &a.kind, &mut bytes)?;
                let path = format!(
                    "exhibits/{}",
                    exhibit_venues::exhibit_file_name(
                        listing.exhibit,
                        &a.kind,
                        exhibit_venues::artifact_extension(&a.kind, &a.media_type)
                    )
                );
                if a.kind == "screenshot" {
                    screenshots.insert(listing.exhibit, bytes.clone());
                }
                if a.kind == "text" {
                    texts.insert(
                        listing.exhibit,
                        String::from_utf8_lossy(&bytes).into_owned(),
                    );
                }
                artifacts.push(ManifestArtifact {
                    kind: a.kind.clone(),
                    media_type: a.media_type.clone(),
                    size: a.size,
                    sha256: a.sha256,
                    path: path.clone(),
                });
                files.insert(path, bytes);
            }
            // The newest trusted timestamp, with the exact bytes it covers.
            let trusted_time = self.store().capture_timestamps(capture.id)?.pop();
            let mut timestamps = Vec::new();
            if let Some(t) = &trusted_time {
                let data_path = format!("timestamps/capture-{}.json", capture.id);
                let token_path = format!("timestamps/capture-{}.tsr", capture.id);
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
                files.insert(data_path, t.data.clone());
                files.insert(token_path, t.response.clone());
                if first_stamped.is_none() {
                    first_stamped = Some(format!("capture-{}", capture.id));
                }
            }
            manifest_captures.push(ManifestCapture {
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
            });
            let right = complaint
                .right(&listing.right)
                .map(|r| format!("{}: {}", r.id, r.summary()))
                .unwrap_or_else(|| listing.right.clone());
            entries.push(ExhibitEntry {
                number: listing.exhibit,
                capture: (*capture).clone(),
                right,
                infringement: listing.infringement.description().to_string(),
                purpose: match listing.purpose {
                    exhibit_venues::Purpose::Live => "live listing".to_string(),
                    exhibit_venues::Purpose::TakedownProof => "proof of takedown".to_string(),
                },
                notes: listing.notes.clone(),
                title_translation: listing.title_translation.clone(),
                trusted_time,
            });
        }
        let mut attachments = Vec::new();
        for (name, bytes) in &loaded.attachments {
            let path = format!("attachments/{}", sanitize(name));
            attachments.push(ManifestAttachment {
                name: name.clone(),
                sha256: exhibit_domain::sha256(bytes),
                size: bytes.len() as u64,
                path: path.clone(),
            });
            files.insert(path, bytes.clone());
        }
        files.insert("complaint.toml".into(), loaded.text.clone().into_bytes());
        files.insert(
            exhibit_bundle::CUSTODY_PATH.into(),
            exhibit_bundle::custody_jsonl(covered),
        );
        let manifest = Manifest {
            format: exhibit_bundle::MANIFEST_FORMAT.into(),
            tool: "exhibit".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            exported_at: stamp.clone(),
            case: ManifestCase {
                id: case_id.clone(),
                title: title.clone(),
            },
            collector: collector.clone(),
            complaint: serde_json::to_value(&loaded.file)
                .map_err(|e| Error::Internal(format!("complaint to JSON: {e}")))?,
            captures: manifest_captures,
            attachments,
            custody: ManifestCustody {
                head_seq: head.seq,
                head_hash: head.hash,
                path: exhibit_bundle::CUSTODY_PATH.into(),
            },
        };
        let manifest_bytes = manifest.to_bytes();
        let manifest_sha = manifest.digest().to_hex();
        // An independent time for the manifest, and so for every hash it names. Outside
        // the manifest (it covers it), listed in SHA256SUMS like every file.
        if let Some(tsa) = &opts.tsa {
            step("Asking for a trusted time", steps - 4, steps)?;
            if let Some(stamp) = self.stamp_export(&manifest_bytes, &Utc::now(), tsa)? {
                files.insert(MANIFEST_TOKEN_PATH.into(), stamp.response);
            }
        }
        files.insert(exhibit_bundle::MANIFEST_PATH.into(), manifest_bytes);

        // The packet.
        let prefix = opts
            .bates_prefix
            .clone()
            .unwrap_or_else(|| default_bates_prefix(&complaint));
        let stem = file_stem(&complaint, time);
        let bundle_name = format!("{stem}-bundle.zip");
        let declaration = DeclarationFacts {
            tool_name: "Exhibit".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            collector: collector.clone(),
            case_id: case_id.clone(),
            custody_head: head.hash.to_hex(),
        };
        let complainant = complaint
            .rights_holder
            .organization
            .clone()
            .unwrap_or_else(|| complaint.rights_holder.name.clone());
        let build_sections = |bates_range: String| {
            let mut sections = vec![packet::cover(&Cover {
                case_title: title.clone(),
                complainant: complainant.clone(),
                venue: complaint.venue.title().to_string(),
                date: time.format("%Y-%m-%d").to_string(),
                bates_range,
                manifest_sha256: manifest_sha.clone(),
                case_id: case_id.clone(),
            })];
            sections.push(packet::summary(&entries));
            sections.extend(exhibit_venues::render_complaint(&complaint));
            sections.push(exhibit_venues::render_declaration(&complaint, &declaration));
            if let Some(t) = exhibit_venues::render_translation_certificate(&complaint) {
                sections.push(t);
            }
            for e in &entries {
                sections.push(packet::exhibit(
                    e,
                    screenshots.get(&e.number).cloned(),
                    texts.get(&e.number).cloned(),
                ));
            }
            sections.push(packet::custody(covered));
            sections.push(packet::how_to_verify(
                &bundle_name,
                &manifest_sha,
                first_stamped.as_deref(),
            ));
            sections
        };
        let pdf_options = PdfOptions {
            title: format!("{title}: {}", complaint.venue.title()),
            author: complainant.clone(),
            bates_prefix: prefix.clone(),
            bates_start: 1,
            created: time,
            footer_left: Some(format!("Manifest SHA-256 {}", &manifest_sha[..16])),
        };
        let render = |sections: &[Section], opts: &PdfOptions| {
            exhibit_pdf::render(sections, opts, &fonts).map_err(|e| Error::Render {
                code: e.code(),
                message: e.to_string(),
            })
        };
        // The cover names the Bates range, which is known only once laid out: lay out
        // once with a placeholder of the same length, then again with the real range.
        step("Laying out the packet", steps - 4, steps)?;
        let placeholder = format!("{prefix}000001 to {prefix}000001");
        let first = render(&build_sections(placeholder), &pdf_options)?;
        let bates_first = bates(&prefix, 1);
        let bates_last = bates(&prefix, first.pages);
        step("Numbering the pages", steps - 3, steps)?;
        let packet_pdf = render(
            &build_sections(format!("{bates_first} to {bates_last}")),
            &pdf_options,
        )?;
        files.insert("packet.pdf".into(), packet_pdf.bytes.clone());

        // Portal venues: the filing sheet, the URL lists and the files to upload.
        let sheet = exhibit_venues::render_filing_sheet(&complaint);
        let mut sheet_pdf = None;
        if let Some(sheet) = &sheet {
            let rendered = render(
                &sheet.to_sections(),
                &PdfOptions {
                    title: format!("{title}: {} filing sheet", complaint.venue.title()),
                    bates_prefix: format!("{prefix}FS-"),
                    footer_left: Some(format!("Filing sheet for {bundle_name}")),
                    ..pdf_options.clone()
                },
            )?;
            files.insert("filing-sheet.pdf".into(), rendered.bytes.clone());
            for b in &sheet.batches {
                files.insert(
                    format!("urls/batch-{:02}.txt", b.number),
                    b.urls_text().into_bytes(),
                );
            }
            sheet_pdf = Some(rendered.bytes);
        }

        // Write everything, then check the bundle as a recipient would. The files that
        // sit beside the bundle go first, so the bundle's own files can then be moved
        // into the writer rather than copied: an export holds each artifact once.
        step("Writing the packet and the bundle", steps - 2, steps)?;
        std::fs::create_dir_all(&opts.out_dir).map_err(|source| Error::Output {
            path: opts.out_dir.clone(),
            source,
        })?;
        let mut filing_sheet = None;
        let mut url_lists = Vec::new();
        let mut uploads = Vec::new();
        if let (Some(sheet), Some(pdf)) = (&sheet, sheet_pdf) {
            let path = opts.out_dir.join(format!("{stem}-filing-sheet.pdf"));
            write_bytes(&path, &pdf)?;
            filing_sheet = Some(path);
            for b in &sheet.batches {
                let path = opts
                    .out_dir
                    .join(format!("{stem}-urls-batch-{:02}.txt", b.number));
                write_bytes(&path, b.urls_text().as_bytes())?;
                url_lists.push(path);
                for upload in &b.uploads {
                    let Some(bytes) = files.get(&format!("exhibits/{upload}")) else {
                        continue;
                    };
                    let dir = opts.out_dir.join(format!("{stem}-uploads"));
                    std::fs::create_dir_all(&dir).map_err(|source| Error::Output {
                        path: dir.clone(),
                        source,
                    })?;
                    let path = dir.join(upload);
                    write_bytes(&path, bytes)?;
                    uploads.push(path);
                }
            }
        }
        let mut writer = BundleWriter::new();
        for (path, bytes) in files {
            writer
                .add(&path, bytes)
                .map_err(|e| Error::Internal(format!("bundle entry {path}: {e}")))?;
        }
        let bundle_path = opts.out_dir.join(&bundle_name);
        let summary = write_file(&bundle_path, |f| {
            writer
                .finish(f, time)
                .map_err(|e| std::io::Error::other(e.to_string()))
        })?;
        let packet_path = opts.out_dir.join(format!("{stem}-packet.pdf"));
        write_bytes(&packet_path, &packet_pdf.bytes)?;
        let report = ExportReport {
            packet: packet_path,
            bundle: bundle_path.clone(),
            filing_sheet,
            url_lists,
            uploads,
            pages: packet_pdf.pages,
            bates_first,
            bates_last: bates(&prefix, packet_pdf.pages),
            listings: complaint.listings.len(),
            batches: exhibit_venues::batches(&complaint).len(),
            manifest_sha256: manifest_sha.clone(),
            bundle_sha256: summary.zip_sha256.to_hex(),
            warnings: issues,
        };
        // Past the point of cancelling: the files exist, so finish and check them.
        progress(&ExportStep {
            step: "Checking the bundle".into(),
            done: steps - 1,
            total: steps,
        });
        let check = verify_bundle(&bundle_path)?;
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
        self.store().record_event(
            CustodyEventKind::ExportMade,
            &serde_json::json!({
                "venue": complaint.venue.as_str(),
                "listings": report.listings,
                "manifest_sha256": manifest_sha,
                "bundle_sha256": report.bundle_sha256,
                "packet_sha256": exhibit_domain::sha256(&packet_pdf.bytes).to_hex(),
                "covers_through_seq": head.seq,
                "export_time": stamp,
            }),
        )?;
        Ok(report)
    }
}

/// What checking a bundle found, for people and for scripts.
#[derive(Debug, Clone, Serialize)]
pub struct BundleCheck {
    pub intact: bool,
    pub files_checked: usize,
    pub manifest_sha256: Option<String>,
    pub custody_head_seq: Option<i64>,
    pub custody_head_hash: Option<String>,
    pub problems: Vec<BundleProblemView>,
}

/// One problem found in a bundle: a stable code and one sentence.
#[derive(Debug, Clone, Serialize)]
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
fn sanitize(name: &str) -> String {
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
    write_file(path, |f| std::io::Write::write_all(f, bytes)).map(|_| ())
}

/// Writes through a temporary name in the same folder, synced, then renamed: a crash
/// never leaves half a packet under the real name.
fn write_file<T>(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<T>,
) -> Result<T> {
    let err = |source| Error::Output {
        path: path.to_owned(),
        source,
    };
    let tmp = path.with_extension("partial");
    let mut file = std::fs::File::create(&tmp).map_err(err)?;
    let out = fill(&mut file).and_then(|v| file.sync_all().map(|()| v));
    match out {
        Ok(v) => {
            std::fs::rename(&tmp, path).map_err(err)?;
            Ok(v)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(err(e))
        }
    }
}
