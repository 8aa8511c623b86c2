//! Turning a [`Layout`] into PDF bytes, streamed to a writer, deterministically.
//!
//! The file is written in two stretches. First the pictures: each screenshot is decoded
//! ([`crate::picture::render`]), cut into the slices layout placed, each slice written
//! at once as a JPEG image object, and the pixels dropped before the next picture; a few
//! pictures are processed side by side on the machine's cores, and written in document
//! order. Then everything else: printpdf builds the pages, fonts (subset) and outline as
//! a lopdf document whose image resources are left empty, and [`Objects`] writes its
//! objects after the images, numbered on from them, and names every slice in the one
//! XObject dictionary all pages share. Nothing but one picture per core and the page
//! descriptions is ever held, whatever the number of screenshots.
//!
//! printpdf names fonts and the document with random ids and would write the trailer
//! `/ID` from its own counter. Everything here is named instead: resource names from a
//! content hash, dates from [`PdfOptions::created`], and the document id from a SHA-256
//! of every byte before the trailer, so the same input gives the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use lopdf::{Object, ObjectId};
use printpdf::{
    Color, FontId, Greyscale, Line, LineDashPattern, LineJoinStyle, LinePoint, Op, PageAnnotId,
    PageAnnotation, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    Rect, Rgb, TextItem, TextMatrix, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};

use crate::fonts::{FaceKind, Fonts};
use crate::layout::{Colour, Draw, LEFT, Layout, MARGIN, PAGE_H, PAGE_W, RIGHT};
use crate::picture::Picture;
use crate::wrap::{ellipsize, one_line};
use crate::{PdfError, PdfOptions, PictureSource};

const FOOTER_SIZE: f32 = 8.0;
const FOOTER_BASELINE: f32 = MARGIN - 22.0;
const FOOTER_RULE: f32 = MARGIN - 8.0;

/// A bookmark in the PDF outline: title and 0-based page.
pub(crate) struct Bookmark {
    pub(crate) title: String,
    pub(crate) page: usize,
}

/// Where a picture's bytes are: in the document, or with the picture source.
pub(crate) enum Origin<'d> {
    Inline(&'d [u8]),
    Stored(&'d str),
}

/// What the writer wrote.
pub(crate) struct Written {
    pub(crate) sha256: [u8; 32],
    pub(crate) size: u64,
}

/// The document's pictures: their printed sizes, where their bytes are, and the source
/// that holds the stored ones.
pub(crate) struct Pictures<'a, 'd> {
    pub(crate) sizes: &'a [Picture],
    pub(crate) origins: &'a [Origin<'d>],
    pub(crate) source: &'a dyn PictureSource,
}

pub(crate) fn write(
    layout: Layout,
    pictures: &Pictures<'_, '_>,
    bookmarks: &[Bookmark],
    fonts: &Fonts,
    opts: &PdfOptions,
    out: &mut dyn Write,
) -> Result<Written, PdfError> {
    let mut out = Counted::new(out);
    out.put(b"%PDF-1.3\n%\xC7\xEC\x8F\xA2\n")?;
    let mut pages = layout.pages;
    let images = crate::images::write_images(&pages, pictures, &mut out)?;
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        for (index, draw) in page.iter_mut().enumerate() {
            if let (Draw::Picture { picture, .. }, None) = (&*draw, images.names.get(&(i, index))) {
                let reason = images
                    .failed
                    .get(picture)
                    .map_or("it was not prepared", String::as_str);
                let boxed = failed_picture(draw, reason, fonts);
                *draw = boxed;
            }
        }
        page.extend(footer(i, total, fonts, opts));
    }
    let lo = page_document(&pages, &images.names, bookmarks, fonts, opts);
    drop(pages);
    crate::serial::write_document(&lo, &images.ids, out)
}

/// A failed picture's slice becomes a grey box saying why, where the slice would be.
fn failed_picture(draw: &Draw, reason: &str, fonts: &Fonts) -> Draw {
    let Draw::Picture { x, y, w, h, .. } = *draw else {
        return draw.clone();
    };
    let face = fonts.face(FaceKind::Regular);
    let text = format!("Picture not shown: {reason}.");
    let text = ellipsize(&one_line(&text, face), w - 16.0, |s| face.width(s, 8.0));
    Draw::Boxed { x, y, w, h, text }
}

/// printpdf's document of every page, with pictures drawn from the XObjects named in
/// `names` (which it is not told about: the images are already written).
fn page_document(
    pages: &[Vec<Draw>],
    names: &HashMap<(usize, usize), u32>,
    bookmarks: &[Bookmark],
    fonts: &Fonts,
    opts: &PdfOptions,
) -> lopdf::Document {
    let font_ids = font_ids(pages);
    let mut doc = PdfDocument::new(&opts.title);
    info(&mut doc, opts);
    for (kind, id) in &font_ids {
        doc.resources.fonts.map.insert(
            id.clone(),
            printpdf::PdfFont::new(fonts.face(*kind).parsed.clone()),
        );
    }
    doc.pages = pages
        .iter()
        .enumerate()
        .map(|(i, page)| PdfPage {
            media_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
            trim_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
            crop_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
            ops: page_ops(i, page, names, &font_ids),
        })
        .collect();
    for (i, mark) in bookmarks.iter().enumerate() {
        // Sorted by id within a page, so the id keeps document order.
        doc.bookmarks.map.insert(
            PageAnnotId(format!("B{i:06}")),
            PageAnnotation {
                name: mark.title.clone(),
                page: mark.page + 1,
            },
        );
    }
    let save = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&save, &mut warnings);
    drop(doc);
    lo.compress();
    tidy_info(&mut lo);
    lo
}

fn page_ops(
    index: usize,
    page: &[Draw],
    names: &HashMap<(usize, usize), u32>,
    font_ids: &BTreeMap<FaceKind, FontId>,
) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut in_text = false;
    let text_op =
        |ops: &mut Vec<Op>, x: f32, y: f32, face: &FaceKind, size: f32, grey: f32, text: &str| {
            let Some(id) = font_ids.get(face) else {
                return;
            };
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id.clone()),
                size: Pt(size),
            });
            ops.push(Op::SetFillColor {
                col: grey_color(grey),
            });
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(x), Pt(y)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            });
        };
    for (draw_index, draw) in page.iter().enumerate() {
        let is_text = matches!(draw, Draw::Text { .. });
        if is_text && !in_text {
            ops.push(Op::StartTextSection);
        } else if !is_text && in_text {
            ops.push(Op::EndTextSection);
        }
        in_text = is_text;
        match draw {
            Draw::Text {
                x,
                y,
                face,
                size,
                grey,
                text,
            } => text_op(&mut ops, *x, *y, face, *size, *grey, text),
            Draw::Line {
                from,
                to,
                width,
                grey,
            } => {
                ops.push(Op::SetOutlineColor {
                    col: grey_color(*grey),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(from.0, from.1), point(to.0, to.1)],
                        is_closed: false,
                    },
                });
            }
            Draw::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => rect_ops(&mut ops, (*x, *y, *w, *h), *fill, *stroke),
            Draw::Fill { x, y, w, h, colour } => {
                ops.push(Op::SetFillColor {
                    col: rgb_color(*colour),
                });
                ops.push(Op::DrawRectangle {
                    rectangle: rect(*x, *y, *w, *h, PaintMode::Fill),
                });
            }
            Draw::Path {
                points,
                width,
                colour,
                dash,
            } => {
                if points.len() < 2 {
                    continue;
                }
                // The dash and join stay with this path: the state is restored after it.
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetOutlineColor {
                    col: rgb_color(*colour),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::SetLineJoinStyle {
                    join: LineJoinStyle::Round,
                });
                if !dash.is_empty() {
                    ops.push(Op::SetLineDashPattern {
                        dash: LineDashPattern::new(0.0, dash),
                    });
                }
                ops.push(Op::DrawLine {
                    line: Line {
                        points: points.iter().map(|&(x, y)| point(x, y)).collect(),
                        is_closed: false,
                    },
                });
                ops.push(Op::RestoreGraphicsState);
            }
            Draw::Boxed { x, y, w, h, text } => {
                rect_ops(&mut ops, (*x, *y, *w, *h), Some(0.93), Some(0.6));
                ops.push(Op::StartTextSection);
                let top = y + h - 14.0;
                text_op(&mut ops, x + 8.0, top, &FaceKind::Regular, 8.0, 0.2, text);
                ops.push(Op::EndTextSection);
            }
            Draw::Picture { x, y, w, h, .. } => {
                let Some(id) = names.get(&(index, draw_index)) else {
                    continue;
                };
                ops.push(Op::UseXobject {
                    id: XObjectId(image_name(*id)),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(*x)),
                        translate_y: Some(Pt(*y)),
                        scale_x: Some(*w),
                        scale_y: Some(*h),
                        no_auto_scale: true,
                        ..Default::default()
                    },
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}

fn rect_ops(
    ops: &mut Vec<Op>,
    (x, y, w, h): (f32, f32, f32, f32),
    fill: Option<f32>,
    stroke: Option<f32>,
) {
    if let Some(fill) = fill {
        ops.push(Op::SetFillColor {
            col: grey_color(fill),
        });
        ops.push(Op::DrawRectangle {
            rectangle: rect(x, y, w, h, PaintMode::Fill),
        });
    }
    if let Some(stroke) = stroke {
        ops.push(Op::SetOutlineColor {
            col: grey_color(stroke),
        });
        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        ops.push(Op::DrawRectangle {
            rectangle: rect(x, y, w, h, PaintMode::Stroke),
        });
    }
}

/// The resource name of the image object numbered `id`.
pub(crate) fn image_name(id: u32) -> String {
    format!("Im{id}")
}

/// The writer's sink: counts and hashes every byte, and remembers where each object
/// starts, for the cross-reference table.
pub(crate) struct Counted<'w> {
    inner: &'w mut dyn Write,
    hasher: Sha256,
    written: u64,
    offsets: BTreeMap<u32, (u64, u16)>,
}

impl<'w> Counted<'w> {
    pub(crate) fn new(inner: &'w mut dyn Write) -> Self {
        Counted {
            inner,
            hasher: Sha256::new(),
            written: 0,
            offsets: BTreeMap::new(),
        }
    }

    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), PdfError> {
        self.inner.write_all(bytes).map_err(|e| PdfError::Write {
            detail: e.to_string(),
        })?;
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Starts indirect object `id`: records where it is and writes its header.
    pub(crate) fn begin(&mut self, (id, generation): ObjectId) -> Result<(), PdfError> {
        self.offsets.insert(id, (self.written, generation));
        self.put(format!("{id} {generation} obj\n").as_bytes())
    }

    /// The cross-reference table for objects 1..=`max`, and the trailer, whose `/ID` is
    /// the SHA-256 of everything before it (so no second pass is needed).
    pub(crate) fn finish_with(mut self, max: u32, trailer: &[u8]) -> Result<Written, PdfError> {
        let xref_at = self.written;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", max + 1).into_bytes();
        for id in 1..=max {
            match self.offsets.get(&id) {
                Some((at, generation)) => {
                    table.extend_from_slice(format!("{at:010} {generation:05} n \n").as_bytes())
                }
                None => table.extend_from_slice(b"0000000000 00000 f \n"),
            }
        }
        self.put(&table)?;
        let id = self.hasher.clone().finalize();
        let id_hex: String = id[..16].iter().map(|b| format!("{b:02X}")).collect();
        let mut tail = b"trailer\n<<".to_vec();
        tail.extend_from_slice(format!("/Size {}", max + 1).as_bytes());
        tail.extend_from_slice(trailer);
        tail.extend_from_slice(
            format!("/ID[<{id_hex}><{id_hex}>]>>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes(),
        );
        self.put(&tail)?;
        self.inner.flush().map_err(|e| PdfError::Write {
            detail: e.to_string(),
        })?;
        Ok(Written {
            sha256: self.hasher.finalize().into(),
            size: self.written,
        })
    }
}

/// printpdf always writes `GTS_PDFXVersion`, which makes readers take the file for
/// PDF/X (it is not), and empty subject, keywords and identifier entries.
fn tidy_info(lo: &mut lopdf::Document) {
    let Ok(id) = lo.trailer.get(b"Info").and_then(Object::as_reference) else {
        return;
    };
    let Ok(info) = lo.get_object_mut(id).and_then(Object::as_dict_mut) else {
        return;
    };
    info.remove(b"GTS_PDFXVersion");
    for key in [&b"Subject"[..], b"Keywords", b"Identifier"] {
        let empty = match info.get(key) {
            Ok(Object::String(bytes, _)) => bytes.is_empty() || bytes == b"\xfe\xff",
            _ => false,
        };
        if empty {
            info.remove(key);
        }
    }
}

fn info(doc: &mut PdfDocument, opts: &PdfOptions) {
    use chrono::{Datelike, Timelike};
    use printpdf::date::{Date, DateTime, Offset, Time};
    let c = opts.created;
    let created = DateTime {
        date: Date {
            year: c.year(),
            month: c.month() as u8,
            day: c.day() as u8,
        },
        time: Time {
            hour: c.hour() as u8,
            minute: c.minute() as u8,
            second: c.second() as u8,
            millisecond: 0,
        },
        offset: Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    };
    let info = &mut doc.metadata.info;
    info.document_title = opts.title.clone();
    info.author = opts.author.clone();
    info.creator = "Exhibit".to_string();
    info.producer = "Exhibit (printpdf 0.12)".to_string();
    info.creation_date = created;
    info.modification_date = created;
    info.metadata_date = created;
}

/// Font resource names. The first six letters double as the subset tag (`ABCDEF+Name`),
/// which should change with the subset, so they come from a hash of the text set in
/// that face.
fn font_ids(pages: &[Vec<Draw>]) -> BTreeMap<FaceKind, FontId> {
    let mut hashes: BTreeMap<FaceKind, Sha256> = BTreeMap::new();
    for draw in pages.iter().flatten() {
        let (face, text) = match draw {
            Draw::Text { face, text, .. } => (*face, text),
            Draw::Boxed { text, .. } => (FaceKind::Regular, text),
            _ => continue,
        };
        let h = hashes.entry(face).or_default();
        h.update(text.as_bytes());
        h.update([0]);
    }
    hashes
        .into_iter()
        .map(|(kind, h)| {
            let digest = h.finalize();
            let tag: String = digest
                .iter()
                .take(6)
                .map(|b| char::from(b'A' + b % 26))
                .collect();
            let suffix = match kind {
                FaceKind::Regular => "R",
                FaceKind::Bold => "B",
                FaceKind::Mono => "M",
            };
            (kind, FontId(format!("{tag}{suffix}")))
        })
        .collect()
}

/// "Page X of Y" in the middle, the Bates number on the right, the caller's note on the
/// left, under a thin rule.
fn footer(index: usize, total: usize, fonts: &Fonts, opts: &PdfOptions) -> Vec<Draw> {
    let face = fonts.face(FaceKind::Regular);
    let text = |x: f32, text: String| Draw::Text {
        x,
        y: FOOTER_BASELINE,
        face: FaceKind::Regular,
        size: FOOTER_SIZE,
        grey: 0.25,
        text,
    };
    let mut out = vec![Draw::Line {
        from: (LEFT, FOOTER_RULE),
        to: (RIGHT, FOOTER_RULE),
        width: 0.4,
        grey: 0.7,
    }];
    let bates = crate::bates(&opts.bates_prefix, opts.bates_start, index);
    let bates = one_line(&bates, face);
    let bates_w = face.width(&bates, FOOTER_SIZE);
    let page = format!("Page {} of {}", index + 1, total);
    let page_w = face.width(&page, FOOTER_SIZE);
    let centre = (LEFT + RIGHT) / 2.0;
    // The page number moves left of the centre if a long Bates stamp reaches it.
    let page_x = (centre - page_w / 2.0)
        .min(RIGHT - bates_w - page_w - 12.0)
        .max(LEFT);
    if let Some(left) = &opts.footer_left {
        let room = page_x - LEFT - 12.0;
        let left = ellipsize(&one_line(left, face), room, |s| face.width(s, FOOTER_SIZE));
        if !left.is_empty() {
            out.push(text(LEFT, left));
        }
    }
    out.push(text(page_x, page));
    out.push(text(RIGHT - bates_w, bates));
    out
}

fn grey_color(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level.clamp(0.0, 1.0), None))
}

fn rgb_color(c: Colour) -> Color {
    Color::Rgb(Rgb::new(
        c.r.clamp(0.0, 1.0),
        c.g.clamp(0.0, 1.0),
        c.b.clamp(0.0, 1.0),
        None,
    ))
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn rect(x: f32, y: f32, w: f32, h: f32, mode: PaintMode) -> Rect {
    Rect {
        mode: Some(mode),
        ..Rect::from_xywh(Pt(x), Pt(y), Pt(w), Pt(h))
    }
}
