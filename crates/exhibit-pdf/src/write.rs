//! Turning a [`Layout`] into PDF bytes with printpdf, deterministically.
//!
//! printpdf names fonts, images and the document with random ids and would write the
//! trailer `/ID` from its own counter. Everything here is named instead: resource names
//! from a content hash, dates from [`PdfOptions::created`], and the document id from a
//! SHA-256 of the finished file, so the same input gives the same bytes.

use std::collections::BTreeMap;

use lopdf::{Object, StringFormat};
use printpdf::{
    Color, FontId, Greyscale, ImageCompression, ImageOptimizationOptions, Line, LinePoint, Op,
    PageAnnotId, PageAnnotation, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, RawImage, RawImageData, RawImageFormat, Rect, TextItem, TextMatrix, XObject,
    XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};

use crate::fonts::{FaceKind, Fonts};
use crate::layout::{Draw, LEFT, Layout, MARGIN, PAGE_H, PAGE_W, RIGHT};
use crate::picture::Picture;
use crate::wrap::one_line;
use crate::{PdfError, PdfOptions};

const FOOTER_SIZE: f32 = 8.0;
const FOOTER_BASELINE: f32 = MARGIN - 22.0;
const FOOTER_RULE: f32 = MARGIN - 8.0;
/// JPEG quality for pictures: screenshots stay legible, a tall one stays a few MB.
const JPEG_QUALITY: f32 = 0.8;

/// A bookmark in the PDF outline: title and 0-based page.
pub(crate) struct Bookmark {
    pub(crate) title: String,
    pub(crate) page: usize,
}

pub(crate) fn write(
    layout: &Layout,
    pictures: &[Picture],
    bookmarks: &[Bookmark],
    fonts: &Fonts,
    opts: &PdfOptions,
) -> Result<Vec<u8>, PdfError> {
    let total = layout.pages.len();
    let mut pages: Vec<Vec<Draw>> = layout.pages.clone();
    for (i, page) in pages.iter_mut().enumerate() {
        page.extend(footer(i, total, fonts, opts));
    }

    let font_ids = font_ids(&pages);
    let mut doc = PdfDocument::new(&opts.title);
    info(&mut doc, opts);
    for (kind, id) in &font_ids {
        doc.resources.fonts.map.insert(
            id.clone(),
            printpdf::PdfFont::new(fonts.face(*kind).parsed.clone()),
        );
    }

    let mut image_count = 0usize;
    let mut pdf_pages = Vec::with_capacity(pages.len());
    for page in &pages {
        let mut ops = Vec::new();
        let mut in_text = false;
        for draw in page {
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
                } => {
                    let Some(id) = font_ids.get(face) else {
                        continue;
                    };
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id.clone()),
                        size: Pt(*size),
                    });
                    ops.push(Op::SetFillColor {
                        col: grey_color(*grey),
                    });
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(*x), Pt(*y)),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    });
                }
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
                } => {
                    if let Some(fill) = fill {
                        ops.push(Op::SetFillColor {
                            col: grey_color(*fill),
                        });
                        ops.push(Op::DrawRectangle {
                            rectangle: rect(*x, *y, *w, *h, PaintMode::Fill),
                        });
                    }
                    if let Some(stroke) = stroke {
                        ops.push(Op::SetOutlineColor {
                            col: grey_color(*stroke),
                        });
                        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
                        ops.push(Op::DrawRectangle {
                            rectangle: rect(*x, *y, *w, *h, PaintMode::Stroke),
                        });
                    }
                }
                Draw::Picture {
                    picture,
                    rows,
                    x,
                    y,
                    w,
                    h,
                } => {
                    let Some(Picture::Ready { rgb, .. }) = pictures.get(*picture) else {
                        continue;
                    };
                    let Some(raw) = slice(rgb, *rows) else {
                        continue;
                    };
                    image_count += 1;
                    let id = XObjectId(format!("Im{image_count:05}"));
                    doc.resources
                        .xobjects
                        .map
                        .insert(id.clone(), XObject::Image(raw));
                    ops.push(Op::UseXobject {
                        id,
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
        pdf_pages.push(PdfPage {
            media_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
            trim_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
            crop_box: Rect::from_wh(Pt(PAGE_W), Pt(PAGE_H)),
            ops,
        });
    }
    doc.pages = pdf_pages;

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
        image_optimization: Some(ImageOptimizationOptions {
            quality: Some(JPEG_QUALITY),
            max_image_size: None,
            dither_greyscale: Some(false),
            convert_to_greyscale: Some(false),
            auto_optimize: Some(false),
            format: Some(ImageCompression::Jpeg),
        }),
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&save, &mut warnings);
    lo.compress();
    tidy_info(&mut lo);
    // The id is a hash of the file written with a fixed id: deterministic, yet distinct
    // for every distinct document.
    set_id(&mut lo, &[0u8; 16]);
    let draft = save_bytes(&mut lo)?;
    let digest = Sha256::digest(&draft);
    set_id(&mut lo, &digest[..16]);
    save_bytes(&mut lo)
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

fn save_bytes(lo: &mut lopdf::Document) -> Result<Vec<u8>, PdfError> {
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| PdfError::Write {
        detail: e.to_string(),
    })?;
    Ok(bytes)
}

fn set_id(lo: &mut lopdf::Document, id: &[u8]) {
    let id = Object::String(id.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
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
        if let Draw::Text { face, text, .. } = draw {
            let h = hashes.entry(*face).or_default();
            h.update(text.as_bytes());
            h.update([0]);
        }
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

/// Shortens `text` with "…" until it fits `room` points.
fn ellipsize(text: &str, room: f32, width: impl Fn(&str) -> f32) -> String {
    let text = text.trim();
    if width(text) <= room {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if width(&candidate) <= room {
            return candidate;
        }
    }
    String::new()
}

fn slice(rgb: &image::RgbImage, (r0, r1): (u32, u32)) -> Option<RawImage> {
    let (w, h) = rgb.dimensions();
    if r0 >= r1 || r1 > h || w == 0 {
        return None;
    }
    let row_bytes = w as usize * 3;
    let pixels = rgb
        .as_raw()
        .get(r0 as usize * row_bytes..r1 as usize * row_bytes)?;
    Some(RawImage {
        pixels: RawImageData::U8(pixels.to_vec()),
        width: w as usize,
        height: (r1 - r0) as usize,
        data_format: RawImageFormat::RGB8,
        tag: Vec::new(),
    })
}

fn grey_color(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level.clamp(0.0, 1.0), None))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipsize_fits() {
        let w = |s: &str| s.chars().count() as f32;
        assert_eq!(ellipsize("short", 10.0, w), "short");
        assert_eq!(ellipsize("a long footer", 6.0, w), "a lon…");
        assert_eq!(ellipsize("abc", 0.0, w), "");
    }
}
