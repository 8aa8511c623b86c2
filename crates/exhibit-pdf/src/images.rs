//! The picture stretch of the file: every picture as one JPEG image object, one
//! picture at a time per core.
//!
//! The main thread reads a few pictures' bytes (from the document, or from the picture
//! source, which need not be shareable between threads), hands each to a worker that
//! decodes, scales and encodes it, and writes the results in document order, so the
//! object numbers, and so the file, do not depend on which worker finished first. A
//! picture the source already holds as printed (made at capture by
//! [`crate::print_picture`]) is copied as it is, with no decoding at all. Each page
//! draws the rows of the picture it shows, clipped to its box.

use std::collections::BTreeMap;

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

use crate::PdfError;
use crate::layout::Draw;
use crate::picture::{JPEG_QUALITY, Picture, render};
use crate::write::{Counted, Origin, Pictures};

/// What the picture stretch wrote.
pub(crate) struct Images {
    /// The image object of each picture written, by picture number.
    pub(crate) placed: BTreeMap<usize, Placed>,
    /// Pictures whose pixels did not decode, and why.
    pub(crate) failed: BTreeMap<usize, String>,
    /// The highest object number used (0 when none).
    pub(crate) last_id: u32,
}

/// A picture's image object and its height in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed {
    pub(crate) id: u32,
    pub(crate) rows: u32,
}

/// Pictures decoded side by side; each holds a few tens of MB while it is worked on.
fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4)
}

pub(crate) fn write_images(
    pages: &[Vec<Draw>],
    pictures: &Pictures<'_, '_>,
    out: &mut Counted<'_>,
) -> Result<Images, PdfError> {
    let mut images = Images {
        placed: BTreeMap::new(),
        failed: BTreeMap::new(),
        last_id: 0,
    };
    for batch in shown(pages).chunks(workers()) {
        // Read on this thread; decode and encode on the workers.
        let inputs: Vec<Result<Input<'_>, String>> =
            batch.iter().map(|&p| input(p, pictures)).collect();
        let results: Vec<Result<Printed, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = inputs
                .into_iter()
                .map(|input| scope.spawn(move || encode(input?)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("the picture could not be processed".to_string()))
                })
                .collect()
        });
        for (&picture, result) in batch.iter().zip(results) {
            match result {
                Ok(printed) => {
                    let id = images.last_id + 1;
                    write_image(out, id, &printed)?;
                    images.last_id = id;
                    images.placed.insert(
                        picture,
                        Placed {
                            id,
                            rows: printed.rows,
                        },
                    );
                }
                Err(reason) => {
                    images.failed.insert(picture, reason);
                }
            }
        }
    }
    Ok(images)
}

/// Every picture some page shows, in document order.
fn shown(pages: &[Vec<Draw>]) -> Vec<usize> {
    let mut seen = std::collections::BTreeSet::new();
    pages
        .iter()
        .flatten()
        .filter_map(|draw| match draw {
            Draw::Picture { picture, .. } if seen.insert(*picture) => Some(*picture),
            _ => None,
        })
        .collect()
}

/// A picture's bytes and the grid it is printed at; or the printed JPEG itself.
enum Input<'d> {
    Source {
        bytes: std::borrow::Cow<'d, [u8]>,
        cols: u32,
        rows: u32,
    },
    Printed(Printed),
}

fn input<'d>(picture: usize, pictures: &Pictures<'_, 'd>) -> Result<Input<'d>, String> {
    let Some(Picture::Ready { cols, rows, .. }) = pictures.sizes.get(picture) else {
        return Err("it was not prepared".to_string());
    };
    let bytes = match pictures.origins.get(picture) {
        Some(Origin::Inline(b)) => std::borrow::Cow::Borrowed(*b),
        Some(Origin::Stored(key)) => {
            if let Some(jpeg) = pictures.source.read_printed(key)
                && crate::picture::jpeg_size(&jpeg) == Some((*cols, *rows))
            {
                return Ok(Input::Printed(Printed {
                    jpeg,
                    cols: *cols,
                    rows: *rows,
                }));
            }
            std::borrow::Cow::Owned(
                pictures
                    .source
                    .read(key)
                    .map_err(|e| format!("it could not be read ({e})"))?,
            )
        }
        None => return Err("it was not prepared".to_string()),
    };
    Ok(Input::Source {
        bytes,
        cols: *cols,
        rows: *rows,
    })
}

/// A picture as printed: a baseline JPEG of `cols` × `rows` pixels.
pub(crate) struct Printed {
    pub(crate) jpeg: Vec<u8>,
    pub(crate) cols: u32,
    pub(crate) rows: u32,
}

fn encode(input: Input<'_>) -> Result<Printed, String> {
    match input {
        Input::Printed(printed) => Ok(printed),
        Input::Source { bytes, cols, rows } => print(&bytes, cols, rows),
    }
}

/// Decodes a picture and encodes it at `cols` × `rows` as the packet's JPEG.
pub(crate) fn print(bytes: &[u8], cols: u32, rows: u32) -> Result<Printed, String> {
    let rgb = render(bytes, cols, rows)?;
    let (w, h) = rgb.dimensions();
    let (Ok(width), Ok(height)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err("the picture is too large for one JPEG".to_string());
    };
    let mut jpeg = Vec::with_capacity(rgb.as_raw().len() / 10);
    let mut encoder = Encoder::new(&mut jpeg, JPEG_QUALITY);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder
        .encode(rgb.as_raw(), width, height, ColorType::Rgb)
        .map_err(|e| format!("the picture could not be encoded ({e})"))?;
    Ok(Printed {
        jpeg,
        cols: w,
        rows: h,
    })
}

fn write_image(out: &mut Counted<'_>, id: u32, printed: &Printed) -> Result<(), PdfError> {
    let Printed { jpeg, cols, rows } = printed;
    out.begin((id, 0))?;
    out.put(
        format!(
            "<</Type/XObject/Subtype/Image/Width {cols}/Height {rows}/ColorSpace/DeviceRGB\
             /BitsPerComponent 8/Filter/DCTDecode/Length {}>>stream\n",
            jpeg.len()
        )
        .as_bytes(),
    )?;
    out.put(jpeg)?;
    out.put(b"\nendstream\nendobj\n")?;
    Ok(())
}
