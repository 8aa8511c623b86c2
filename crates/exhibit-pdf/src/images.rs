//! The picture stretch of the file: every slice of every picture, as a JPEG image
//! object, one picture at a time per core.
//!
//! The main thread reads a few pictures' bytes (from the document, or from the picture
//! source, which need not be shareable between threads), hands each to a worker that
//! decodes, scales and encodes its slices, and writes the results in document order, so
//! the object numbers, and so the file, do not depend on which worker finished first.

use std::collections::{BTreeMap, HashMap};

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

use crate::PdfError;
use crate::layout::Draw;
use crate::picture::{JPEG_QUALITY, Picture, render};
use crate::write::{Counted, Origin, Pictures};

/// What the picture stretch wrote.
pub(crate) struct Images {
    /// The image object for the picture slice at (page, index of its draw on the page).
    pub(crate) names: HashMap<(usize, usize), u32>,
    /// Every image object written, in order (numbered from 1).
    pub(crate) ids: Vec<u32>,
    /// Pictures whose pixels did not decode, and why.
    pub(crate) failed: BTreeMap<usize, String>,
}

/// One picture's slices, in the order layout placed them.
struct Job {
    picture: usize,
    /// (page, draw index, rows) of each slice.
    slices: Vec<(usize, usize, (u32, u32))>,
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
        names: HashMap::new(),
        ids: Vec::new(),
        failed: BTreeMap::new(),
    };
    for batch in jobs(pages).chunks(workers()) {
        // Read on this thread; decode and encode on the workers.
        let inputs: Vec<Result<Input<'_>, String>> =
            batch.iter().map(|job| input(job, pictures)).collect();
        let results: Vec<Result<Vec<Slice>, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .iter()
                .zip(inputs)
                .map(|(job, input)| scope.spawn(move || encode(job, input?)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("the picture could not be processed".to_string()))
                })
                .collect()
        });
        for (job, result) in batch.iter().zip(results) {
            match result {
                Ok(slices) => {
                    for ((page, index, _), slice) in job.slices.iter().zip(slices) {
                        let id = images.ids.len() as u32 + 1;
                        write_image(out, id, &slice)?;
                        images.ids.push(id);
                        images.names.insert((*page, *index), id);
                    }
                }
                Err(reason) => {
                    images.failed.insert(job.picture, reason);
                }
            }
        }
    }
    Ok(images)
}

/// Every picture's slices in document order: a picture's slices follow one another.
fn jobs(pages: &[Vec<Draw>]) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    for (page, draws) in pages.iter().enumerate() {
        for (index, draw) in draws.iter().enumerate() {
            let Draw::Picture { picture, rows, .. } = draw else {
                continue;
            };
            match jobs.last_mut() {
                Some(job) if job.picture == *picture => job.slices.push((page, index, *rows)),
                _ => jobs.push(Job {
                    picture: *picture,
                    slices: vec![(page, index, *rows)],
                }),
            }
        }
    }
    jobs
}

/// A picture's bytes and the grid it is printed at.
struct Input<'d> {
    bytes: std::borrow::Cow<'d, [u8]>,
    cols: u32,
    rows: u32,
}

fn input<'d>(job: &Job, pictures: &Pictures<'_, 'd>) -> Result<Input<'d>, String> {
    let Some(Picture::Ready { cols, rows, .. }) = pictures.sizes.get(job.picture) else {
        return Err("it was not prepared".to_string());
    };
    let bytes = match pictures.origins.get(job.picture) {
        Some(Origin::Inline(b)) => std::borrow::Cow::Borrowed(*b),
        Some(Origin::Stored(key)) => std::borrow::Cow::Owned(
            pictures
                .source
                .read(key)
                .map_err(|e| format!("it could not be read ({e})"))?,
        ),
        None => return Err("it was not prepared".to_string()),
    };
    Ok(Input {
        bytes,
        cols: *cols,
        rows: *rows,
    })
}

/// One slice of a picture, encoded.
struct Slice {
    jpeg: Vec<u8>,
    width: u32,
    height: u32,
}

/// Decodes one picture and encodes each of its slices as a JPEG.
fn encode(job: &Job, input: Input<'_>) -> Result<Vec<Slice>, String> {
    let rgb = render(&input.bytes, input.cols, input.rows)?;
    drop(input);
    let (w, h) = rgb.dimensions();
    let row_bytes = w as usize * 3;
    job.slices
        .iter()
        .map(|&(_, _, (r0, r1))| {
            let r1 = r1.min(h);
            if r0 >= r1 {
                return Err("the picture has fewer rows than layout placed".to_string());
            }
            let pixels = &rgb.as_raw()[r0 as usize * row_bytes..r1 as usize * row_bytes];
            let (Ok(width), Ok(height)) = (u16::try_from(w), u16::try_from(r1 - r0)) else {
                return Err("the picture is too large for one JPEG".to_string());
            };
            let mut jpeg = Vec::with_capacity(pixels.len() / 10);
            let mut encoder = Encoder::new(&mut jpeg, JPEG_QUALITY);
            encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
            encoder
                .encode(pixels, width, height, ColorType::Rgb)
                .map_err(|e| format!("the picture could not be encoded ({e})"))?;
            Ok(Slice {
                jpeg,
                width: w,
                height: r1 - r0,
            })
        })
        .collect()
}

fn write_image(out: &mut Counted<'_>, id: u32, slice: &Slice) -> Result<(), PdfError> {
    let Slice {
        jpeg,
        width,
        height,
    } = slice;
    out.begin((id, 0))?;
    out.put(
        format!(
            "<</Type/XObject/Subtype/Image/Width {width}/Height {height}/ColorSpace/DeviceRGB\
             /BitsPerComponent 8/Filter/DCTDecode/Length {}>>stream\n",
            jpeg.len()
        )
        .as_bytes(),
    )?;
    out.put(jpeg)?;
    out.put(b"\nendstream\nendobj\n")?;
    Ok(())
}
