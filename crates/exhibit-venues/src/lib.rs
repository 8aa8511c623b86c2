//! The complaint model of Exhibit, and every takedown venue as a set of rules plus a
//! renderer.
//!
//! A user writes one [`ComplaintFile`] (TOML) whatever the venue: rights holder and
//! agent, the rights (`[[right]]`), the listings (`[[listing]]` or `[listings] all_ok`),
//! a narrative, statements, signature, and a typed table for the venue's own fields.
//! The caller gives the case's captures as [`CaptureFacts`] and says which attachment
//! files exist ([`AttachmentsPresent`]). Then:
//!
//! - [`validate`] returns every [`Issue`] (an error or a warning, with the field's
//!   dotted path and a sentence that says what to do);
//! - [`resolve`] builds the [`Complaint`], its listings numbered as exhibits, or fails
//!   with [`VenueError::Invalid`];
//! - [`batches`] splits it within the venue's limits ([`Batch`]);
//! - [`render_complaint`], [`render_filing_sheet`] ([`FilingSheet`]),
//!   [`render_declaration`] and [`render_translation_certificate`] render it into the
//!   layout-free [`exhibit_domain::doc`] model, which the PDF engine lays out;
//! - [`exhibit_file_name`] is the one naming rule for exhibit files.
//!
//! The venues are [`Venue`]: Alibaba IPP, Amazon, eBay VeRO, DMCA, EU DSA, USTR
//! Notorious Markets, and letters to agencies or embassies.
//!
//! This crate is pure: no file, socket, SQL or clock. It never reads the certificate
//! files it names; the caller does, and hashes them into the case.

mod batch;
mod error;
mod facts;
mod file;
mod names;
mod render;
mod resolve;
pub mod text;
mod validate;
mod venue;

pub use batch::{Batch, batches, ebay_reason_code};
pub use error::VenueError;
pub use facts::{
    ArtifactFacts, AttachmentsPresent, CaptureFacts, DeclarationFacts, has_non_latin, script_name,
};
pub use file::{
    AgencyExtras, AlibabaExtras, AmazonExtras, ComplaintFile, Contact, Declarant, EbayExtras,
    ListingDefaults, ListingEntry, MAX_FILE_BYTES, RightEntry, ScheduleAExtras, Signature,
    Statements, UstrExtras, UstrMarket,
};
pub use names::{artifact_extension, artifact_file_name, exhibit_file_name};
pub use render::{
    DECLARATION_LIMIT, DMCA_ACCURACY, DMCA_GOOD_FAITH, DSA_BONA_FIDE, FilingBatch, FilingSheet,
    render_complaint, render_declaration, render_filing_sheet, render_translation_certificate,
    section_1746_statement,
};
pub use resolve::{Complaint, Listing, Right, kind_label, resolve};
pub use validate::{
    Issue, MAX_LONG_TEXT_CHARS, MAX_SHORT_TEXT_CHARS, Severity, has_errors, validate,
};
pub use venue::{
    ALIBABA_MAX_URLS, AMAZON_MAX_LISTINGS, Addressee, AlibabaPlatform, AmazonWhere, CaptureMode,
    ComplaintType, EBAY_BRAND_MAX_CHARS, EBAY_MESSAGE_MAX_CHARS, Infringement, MarketKind, Purpose,
    SCHEDULE_A_DEFAULT_FORUM, SCHEDULE_A_MAX_DEFENDANTS, Venue, marketplace_label,
};

/// Reads a complaint file from TOML text. Same as [`ComplaintFile::from_toml`].
pub fn parse(text: &str) -> Result<ComplaintFile, VenueError> {
    ComplaintFile::from_toml(text)
}
