//! The PDF engine of Exhibit: lays out the document model of
//! [`exhibit_domain::doc`] ([`Section`]s of [`Block`]s) into a paginated,
//! Bates-stamped PDF evidence packet.
//!
//! - [`render_to`] is the whole job: sections, [`PdfOptions`], [`Fonts`] and a
//!   [`PictureSource`] for the screenshots the sections name by key in, the PDF written
//!   to a writer as it is made, and [`WrittenPdf`] (page count, each section's
//!   [`SectionPlacement`], the file's SHA-256) out. Memory stays flat in the number of
//!   pictures and nearly so in pages: each picture is decoded, written as one JPEG and
//!   dropped in turn, and each page's content is written as soon as the layout is
//!   settled. [`render`] does the same into memory for small documents, and
//!   [`paginate`] only counts pages.
//! - [`print_picture`] makes the JPEG a packet prints for a picture ahead of time (at
//!   capture); a [`PictureSource`] that keeps it lets an export copy it instead of
//!   decoding the picture again, with the same bytes as a result.
//! - [`Fonts`] finds and parses Noto Sans CJK once ([`Fonts::system`]); it covers Latin
//!   and Chinese text alike and is embedded as a subset, so a text packet stays small.
//! - [`PdfError`] says what went wrong in one sentence, with a stable [`PdfError::code`].
//!
//! Pages are US Letter (612 × 792 pt) with 54 pt margins. Every page carries a footer:
//! [`PdfOptions::footer_left`] at the left, "Page X of Y" in the middle and the Bates
//! number (prefix plus six zero-padded digits, `ACME-000001`) at the right. Each section
//! starts with its title as a level-1 heading; a heading is never left alone at the foot
//! of a page. `Block::TableOfContents` is filled with every `in_toc` section's title,
//! page range and Bates range, which takes a second layout pass since the contents
//! shift the pages after them.
//!
//! What the engine does with awkward input, rather than failing:
//! - a picture that is not a PNG or JPEG, or does not decode, is printed as a grey box
//!   saying why, followed by its caption (one whose header reads but whose pixels do
//!   not decode keeps the place its size called for);
//! - a picture taller than the page is split into page-high parts marked "(continues on
//!   the next page)" and "(continued — part 2 of 5)"; one that would take more than 20
//!   pages is printed narrower;
//! - control characters print as U+FFFD, tabs as four spaces; a word wider than the
//!   line (a URL, a hash) breaks anywhere;
//! - table rows with more cells than the header widen the table; missing cells are
//!   empty; bad relative widths fall back to equal ones; a column narrower than its
//!   header's longest word (or, where there is room, its cells' longest word short of a
//!   third of the page) is widened to it, the others sharing the rest as asked, and only
//!   when the header words cannot all fit do the relative widths stand;
//! - a chart (`Block::Chart`, drawn as vectors, never split across pages) counts
//!   negative, NaN and infinite values as 0, draws at most 8 series and 2,000 points
//!   and says under it what it left out, and shows every second, third… x label when
//!   they would otherwise touch;
//! - `Block::Space` at the top of a page and `Block::PageBreak` on an empty page do
//!   nothing, so no blank pages appear.
//!
//! Output is deterministic: the same sections, options and fonts give byte-identical
//! files (dates come from [`PdfOptions::created`], the document id from a hash of the
//! content). This crate reads font files and nothing else; it never writes to disk
//! (the caller chooses where [`render_to`] writes).

mod chart;
mod content;
mod error;
mod fonts;
mod images;
mod layout;
mod picture;
mod serial;
mod shrink;
mod wrap;
mod write;

use exhibit_domain::doc::{Block, Section};

pub use error::PdfError;
pub use fonts::Fonts;

use layout::{MAX_PICTURE_H, TEXT_W, TocEntry};
use picture::Picture;

/// How a packet is titled, stamped and dated.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    /// The PDF's metadata title.
    pub title: String,
    /// The PDF's metadata author.
    pub author: String,
    /// Bates prefix, such as `ACME-`; the stamp is the prefix plus six zero-padded
    /// digits (`ACME-000001`), more digits past 999999.
    pub bates_prefix: String,
    /// Bates number of the first page, usually 1.
    pub bates_start: u32,
    /// The one date used everywhere in the file (creation and modification dates), so
    /// that output is reproducible.
    pub created: chrono::DateTime<chrono::Utc>,
    /// Small text at the bottom left of every page (a case title, a manifest
    /// fingerprint); shortened with "…" when it does not fit.
    pub footer_left: Option<String>,
}

/// A rendered PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedPdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Number of pages.
    pub pages: u32,
    /// Where each section landed, one per input section, in order.
    pub sections: Vec<SectionPlacement>,
}

/// The pages and Bates numbers a section occupies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionPlacement {
    /// The section's title.
    pub title: String,
    /// First page, counted from 1. A section with nothing in it gets the page it would
    /// have started on.
    pub first_page: u32,
    /// Last page, counted from 1.
    pub last_page: u32,
    /// Bates stamp of the first page.
    pub first_bates: String,
    /// Bates stamp of the last page.
    pub last_bates: String,
}

/// The layout passes tried before settling; the table of contents converges in two.
const MAX_PASSES: usize = 6;

/// Where the engine gets the pictures a document names by key (`Block::ImageRef`): a
/// case file's screenshots, say. [`render_to`] asks for each picture's head once, to
/// read its size, and for all of it once, to print it, one picture at a time.
pub trait PictureSource {
    /// The whole picture stored under `key` (PNG or JPEG bytes).
    fn read(&self, key: &str) -> std::io::Result<Vec<u8>>;
    /// At least the first `len` bytes of the picture (all of it when shorter). The
    /// default reads all of it.
    fn read_head(&self, key: &str, len: usize) -> std::io::Result<Vec<u8>> {
        let _ = len;
        self.read(key)
    }
    /// The picture under `key` as the packet prints it, made earlier from the same
    /// bytes by [`print_picture`], if the source keeps one. It is used only when it is
    /// a JPEG of exactly the size the packet prints; otherwise, or when this is `None`
    /// (the default), the picture is decoded and scaled from [`PictureSource::read`].
    fn read_printed(&self, key: &str) -> Option<Vec<u8>> {
        let _ = key;
        None
    }
}

/// A picture as every packet prints it: a JPEG at the packet's resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedPicture {
    /// The JPEG's bytes.
    pub jpeg: Vec<u8>,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// Makes the JPEG a packet prints for a picture (PNG or JPEG bytes), once, so that an
/// export can copy it instead of decoding the picture again (see
/// [`PictureSource::read_printed`]). The size follows only from the picture's own, so
/// it fits every packet; the same bytes give the same JPEG on every machine.
pub fn print_picture(bytes: &[u8]) -> Result<PrintedPicture, String> {
    match picture::measure(bytes, true, TEXT_W, MAX_PICTURE_H) {
        Ok(Picture::Ready { cols, rows, .. }) => {
            let printed = images::print(bytes, cols, rows)?;
            Ok(PrintedPicture {
                jpeg: printed.jpeg,
                width: printed.cols,
                height: printed.rows,
            })
        }
        Ok(Picture::Unreadable(reason)) => Err(reason),
        Err(picture::NeedAll) => Err("the picture's header did not read".to_string()),
    }
}

/// A source with no pictures: every `Block::ImageRef` prints as a placeholder.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPictures;

impl PictureSource for NoPictures {
    fn read(&self, key: &str) -> std::io::Result<Vec<u8>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("no picture source holds {key}"),
        ))
    }
}

/// A PDF written by [`render_to`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenPdf {
    /// Number of pages.
    pub pages: u32,
    /// Where each section landed, one per input section, in order.
    pub sections: Vec<SectionPlacement>,
    /// SHA-256 of the file as written.
    pub sha256: exhibit_domain::Digest,
    /// Size of the file in bytes.
    pub size: u64,
}

/// Lays out `sections` and writes them as a PDF, in memory.
///
/// Fails only when fonts cannot be used, the document would exceed 20,000 pages, or
/// printpdf fails; bad pictures and odd text are printed as described in the crate
/// documentation. `Block::ImageRef` pictures print as placeholders: use [`render_to`]
/// with a [`PictureSource`] for those.
pub fn render(
    sections: &[Section],
    opts: &PdfOptions,
    fonts: &Fonts,
) -> Result<RenderedPdf, PdfError> {
    let mut bytes = Vec::new();
    let written = render_to(sections, opts, fonts, &NoPictures, &mut bytes)?;
    Ok(RenderedPdf {
        bytes,
        pages: written.pages,
        sections: written.sections,
    })
}

/// Lays out `sections` and writes the PDF to `out` as it goes: each picture is read
/// from the document or from `pictures`, decoded, sliced and written, then dropped, so
/// memory does not grow with the number of pictures. Same input, same bytes.
pub fn render_to(
    sections: &[Section],
    opts: &PdfOptions,
    fonts: &Fonts,
    pictures: &dyn PictureSource,
    out: &mut dyn std::io::Write,
) -> Result<WrittenPdf, PdfError> {
    let (prepared, origins) = prepare_pictures(sections, pictures);
    let laid = lay_out_all(sections, &prepared, opts, fonts)?;
    let placements = placements(sections, &laid.sections, opts);
    let bookmarks: Vec<write::Bookmark> = sections
        .iter()
        .zip(&laid.sections)
        .filter(|(s, _)| s.in_toc && !s.title.trim().is_empty())
        .map(|(s, &(first, _))| write::Bookmark {
            title: s.title.clone(),
            page: first,
        })
        .collect();
    let pages = page_number(laid.pages.len().saturating_sub(1));
    let set = write::Pictures {
        sizes: &prepared,
        origins: &origins,
        source: pictures,
    };
    let written = write::write(laid, &set, &bookmarks, fonts, opts, out)?;
    Ok(WrittenPdf {
        pages,
        sections: placements,
        sha256: exhibit_domain::Digest(written.sha256),
        size: written.size,
    })
}

/// Lays out `sections` without writing anything: how many pages they take, and where
/// each section lands. Reads only the head of each picture.
pub fn paginate(
    sections: &[Section],
    opts: &PdfOptions,
    fonts: &Fonts,
    pictures: &dyn PictureSource,
) -> Result<(u32, Vec<SectionPlacement>), PdfError> {
    let (prepared, _) = prepare_pictures(sections, pictures);
    let laid = lay_out_all(sections, &prepared, opts, fonts)?;
    Ok((
        page_number(laid.pages.len().saturating_sub(1)),
        placements(sections, &laid.sections, opts),
    ))
}

/// Every picture's printed size (from its header) and where its bytes are, in
/// document order.
fn prepare_pictures<'d>(
    sections: &'d [Section],
    source: &dyn PictureSource,
) -> (Vec<Picture>, Vec<write::Origin<'d>>) {
    let measure =
        |head: &[u8], complete: bool| picture::measure(head, complete, TEXT_W, MAX_PICTURE_H);
    sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Image { bytes, .. } => Some((
                measure(bytes, true)
                    .unwrap_or_else(|_| Picture::Unreadable("it did not decode".into())),
                write::Origin::Inline(bytes),
            )),
            Block::ImageRef { key, .. } => {
                let head = source
                    .read_head(key, picture::HEAD_BYTES)
                    .map_err(|e| format!("it could not be read ({e})"));
                let picture = match head {
                    Ok(head) => {
                        let complete = head.len() < picture::HEAD_BYTES;
                        match measure(&head, complete) {
                            Ok(p) => p,
                            Err(picture::NeedAll) => match source.read(key) {
                                Ok(all) => measure(&all, true).unwrap_or_else(|_| {
                                    Picture::Unreadable("it did not decode".into())
                                }),
                                Err(e) => {
                                    Picture::Unreadable(format!("it could not be read ({e})"))
                                }
                            },
                        }
                    }
                    Err(reason) => Picture::Unreadable(reason),
                };
                Some((picture, write::Origin::Stored(key)))
            }
            _ => None,
        })
        .unzip()
}

/// Lays out until the table of contents prints the numbers that came out.
fn lay_out_all(
    sections: &[Section],
    pictures: &[Picture],
    opts: &PdfOptions,
    fonts: &Fonts,
) -> Result<layout::Layout, PdfError> {
    let has_toc = sections
        .iter()
        .flat_map(|s| &s.blocks)
        .any(|b| matches!(b, Block::TableOfContents));
    // The first pass prints the widest numbers it could need, so the real ones rarely
    // change the contents' length; passes repeat until the numbers printed are the
    // numbers that came out.
    let mut toc: Vec<TocEntry> = if has_toc {
        toc_entries(sections, None, opts)
    } else {
        Vec::new()
    };
    let mut laid = layout::lay_out(sections, pictures, &toc, fonts)?;
    if has_toc {
        for _ in 1..MAX_PASSES {
            let next = toc_entries(sections, Some(&laid.sections), opts);
            if next == toc {
                break;
            }
            toc = next;
            laid = layout::lay_out(sections, pictures, &toc, fonts)?;
        }
    }
    Ok(laid)
}

fn placements(
    sections: &[Section],
    laid: &[(usize, usize)],
    opts: &PdfOptions,
) -> Vec<SectionPlacement> {
    sections
        .iter()
        .zip(laid)
        .map(|(s, &(first, last))| SectionPlacement {
            title: s.title.clone(),
            first_page: page_number(first),
            last_page: page_number(last),
            first_bates: bates(&opts.bates_prefix, opts.bates_start, first),
            last_bates: bates(&opts.bates_prefix, opts.bates_start, last),
        })
        .collect()
}

fn page_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The Bates stamp of the page at 0-based `index`.
pub(crate) fn bates(prefix: &str, start: u32, index: usize) -> String {
    let n = u64::from(start).saturating_add(index as u64);
    format!("{prefix}{n:06}")
}

/// Table-of-contents lines; without placements, placeholders as wide as real numbers
/// can be.
fn toc_entries(
    sections: &[Section],
    placed: Option<&[(usize, usize)]>,
    opts: &PdfOptions,
) -> Vec<TocEntry> {
    sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.in_toc)
        .map(|(i, s)| {
            let (first, last) = match placed.and_then(|p| p.get(i)) {
                Some(&range) => range,
                None => (layout::MAX_PAGES - 2, layout::MAX_PAGES - 1),
            };
            let (p0, p1) = (page_number(first), page_number(last));
            let (b0, b1) = (
                bates(&opts.bates_prefix, opts.bates_start, first),
                bates(&opts.bates_prefix, opts.bates_start, last),
            );
            TocEntry {
                title: s.title.clone(),
                pages: if p0 == p1 {
                    format!("page {p0}")
                } else {
                    format!("pages {p0}–{p1}")
                },
                bates: if b0 == b1 {
                    b0
                } else {
                    format!("{b0} – {b1}")
                },
            }
        })
        .collect()
}
