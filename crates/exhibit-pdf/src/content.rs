//! One page's content stream, from its draw list, in PDF operators.
//!
//! The operators are the ones printpdf wrote for the same draws (text in `BT`…`ET` with
//! `Tf`, `g`, `Tm` and a hex `Tj` of the font's codes; lines, rectangles and paths with
//! `w`, `G`/`RG`, `m`/`l`/`re` and `S`/`f`), so a page reads the same as it did; writing
//! them here lets each page be written and dropped as soon as it is laid out.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::fonts::FaceKind;
use crate::images::Placed;
use crate::layout::{Colour, Draw};
use crate::serial::real;

/// How text is set: each face's resource name and each character's code in it.
pub(crate) struct TextCodes {
    pub(crate) names: BTreeMap<FaceKind, String>,
    pub(crate) codes: BTreeMap<FaceKind, HashMap<char, u16>>,
}

/// The content stream of one page, uncompressed.
pub(crate) fn page_content(
    page: &[Draw],
    images: &BTreeMap<usize, Placed>,
    text: &TextCodes,
) -> Vec<u8> {
    let mut s = String::with_capacity(page.len() * 64);
    let mut in_text = false;
    for draw in page {
        let is_text = matches!(draw, Draw::Text { .. });
        if is_text && !in_text {
            s.push_str("BT\n");
        } else if !is_text && in_text {
            s.push_str("ET\n");
        }
        in_text = is_text;
        match draw {
            Draw::Text {
                x,
                y,
                face,
                size,
                grey,
                text: line,
            } => show_text(&mut s, text, (*x, *y), *face, *size, *grey, line),
            Draw::Line {
                from,
                to,
                width,
                grey,
            } => {
                let _ = writeln!(s, "{} G", level(*grey));
                let _ = writeln!(s, "{} w", real(*width));
                let _ = writeln!(s, "{} {} m", real(from.0), real(from.1));
                let _ = writeln!(s, "{} {} l", real(to.0), real(to.1));
                s.push_str("S\n");
            }
            Draw::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => rect(&mut s, (*x, *y, *w, *h), *fill, *stroke),
            Draw::Fill { x, y, w, h, colour } => {
                let _ = writeln!(s, "{} rg", rgb(*colour));
                let _ = writeln!(s, "{} re", xywh(*x, *y, *w, *h));
                s.push_str("f\n");
            }
            Draw::Path {
                points,
                width,
                colour,
                dash,
            } => {
                let [first, rest @ ..] = points.as_slice() else {
                    continue;
                };
                if rest.is_empty() {
                    continue;
                }
                // The dash and join stay with this path: the state is restored after it.
                s.push_str("q\n");
                let _ = writeln!(s, "{} RG", rgb(*colour));
                let _ = writeln!(s, "{} w", real(*width));
                s.push_str("1 j\n");
                if !dash.is_empty() {
                    let lengths: Vec<String> = dash.iter().map(|d| real(*d)).collect();
                    let _ = writeln!(s, "[{}] 0 d", lengths.join(" "));
                }
                let _ = writeln!(s, "{} {} m", real(first.0), real(first.1));
                for (x, y) in rest {
                    let _ = writeln!(s, "{} {} l", real(*x), real(*y));
                }
                s.push_str("S\nQ\n");
            }
            Draw::Boxed {
                x,
                y,
                w,
                h,
                text: note,
            } => {
                rect(&mut s, (*x, *y, *w, *h), Some(0.93), Some(0.6));
                s.push_str("BT\n");
                let top = y + h - 14.0;
                show_text(
                    &mut s,
                    text,
                    (x + 8.0, top),
                    FaceKind::Regular,
                    8.0,
                    0.2,
                    note,
                );
                s.push_str("ET\n");
            }
            Draw::Picture {
                picture,
                rows: (r0, r1),
                x,
                y,
                w,
                h,
            } => {
                let Some(placed) = images.get(picture) else {
                    continue;
                };
                if r1 <= r0 || placed.rows == 0 {
                    continue;
                }
                // The whole picture is drawn, shifted so that rows r0..r1 fill the box,
                // and clipped to the box.
                let per_row = h / (r1 - r0) as f32;
                let full = per_row * placed.rows as f32;
                let bottom = y + h + *r0 as f32 * per_row - full;
                s.push_str("q\n");
                let _ = writeln!(s, "{} re", xywh(*x, *y, *w, *h));
                s.push_str("W n\n");
                let _ = writeln!(
                    s,
                    "{} 0 0 {} {} {} cm",
                    real(*w),
                    real(full),
                    real(*x),
                    real(bottom)
                );
                let _ = writeln!(s, "/{} Do", crate::write::image_name(placed.id));
                s.push_str("Q\n");
            }
        }
    }
    if in_text {
        s.push_str("ET\n");
    }
    s.into_bytes()
}

fn show_text(
    s: &mut String,
    text: &TextCodes,
    (x, y): (f32, f32),
    face: FaceKind,
    size: f32,
    grey: f32,
    line: &str,
) {
    let (Some(name), Some(codes)) = (text.names.get(&face), text.codes.get(&face)) else {
        return;
    };
    let _ = writeln!(s, "/{name} {} Tf", real(size));
    let _ = writeln!(s, "{} g", level(grey));
    let _ = writeln!(s, "1 0 0 1 {} {} Tm", real(x), real(y));
    s.push('<');
    for c in line.chars() {
        let _ = write!(s, "{:04x}", codes.get(&c).copied().unwrap_or(0));
    }
    s.push_str("> Tj\n");
}

fn rect(
    s: &mut String,
    (x, y, w, h): (f32, f32, f32, f32),
    fill: Option<f32>,
    stroke: Option<f32>,
) {
    if let Some(fill) = fill {
        let _ = writeln!(s, "{} g", level(fill));
        let _ = writeln!(s, "{} re", xywh(x, y, w, h));
        s.push_str("f\n");
    }
    if let Some(stroke) = stroke {
        let _ = writeln!(s, "{} G", level(stroke));
        s.push_str("0.5 w\n");
        let _ = writeln!(s, "{} re", xywh(x, y, w, h));
        s.push_str("S\n");
    }
}

fn xywh(x: f32, y: f32, w: f32, h: f32) -> String {
    format!("{} {} {} {}", real(x), real(y), real(w), real(h))
}

fn level(grey: f32) -> String {
    real(grey.clamp(0.0, 1.0))
}

fn rgb(c: Colour) -> String {
    format!("{} {} {}", level(c.r), level(c.g), level(c.b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_set_in_the_face_codes_and_pictures_are_clipped() {
        let text = TextCodes {
            names: BTreeMap::from([(FaceKind::Regular, "ABCDEFR".to_string())]),
            codes: BTreeMap::from([(
                FaceKind::Regular,
                HashMap::from([('A', 0x24), ('中', 0x5c91)]),
            )]),
        };
        let images = BTreeMap::from([(0, Placed { id: 3, rows: 100 })]);
        let page = vec![
            Draw::Text {
                x: 54.0,
                y: 700.5,
                face: FaceKind::Regular,
                size: 9.0,
                grey: 0.0,
                text: "A中?".to_string(),
            },
            Draw::Picture {
                picture: 0,
                rows: (50, 100),
                x: 54.0,
                y: 100.0,
                w: 500.0,
                h: 200.0,
            },
        ];
        let out = String::from_utf8(page_content(&page, &images, &text))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out,
            "BT\n/ABCDEFR 9 Tf\n0 g\n1 0 0 1 54 700.5 Tm\n<00245c910000> Tj\nET\n\
             q\n54 100 500 200 re\nW n\n500 0 0 400 54 100 cm\n/Im3 Do\nQ\n"
        );
    }
}
