//! Decoding screenshots and pictures once, at the size they will be printed.
//!
//! A full-page screenshot can be 1280 × 16000 pixels. It is decoded once per render,
//! flattened onto white, and downscaled to at most [`PRINT_DPI`] at its printed size, so
//! the JPEG slices printpdf embeds stay small. Anything that is not a PNG or JPEG, or
//! does not decode, becomes a [`Picture::Unreadable`] that layout prints as a captioned
//! placeholder box: an evidence packet should say that a picture is missing, not fail.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{
    DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage, imageops::FilterType,
};

/// Resolution the printed picture keeps at most; enough for screenshots on paper.
pub(crate) const PRINT_DPI: f32 = 150.0;
/// A pixel is never printed larger than this (96 dpi, how a browser shows it).
const MAX_PT_PER_PX: f32 = 0.75;
/// Limits applied while decoding, against decompression bombs.
const MAX_SIDE_PX: u32 = 200_000;
const MAX_DECODE_BYTES: u64 = 1024 * 1024 * 1024;

/// A picture ready for layout.
#[derive(Debug)]
pub(crate) enum Picture {
    /// Decoded pixels, and the size they are printed at in points.
    Ready {
        rgb: RgbImage,
        width_pt: f32,
        height_pt: f32,
    },
    /// What went wrong, in words for the placeholder.
    Unreadable(String),
}

/// Decodes `bytes` and fits the picture into `max_width_pt`, and into
/// `max_height_pt` (a cap on how many pages one picture may take).
pub(crate) fn prepare(bytes: &[u8], max_width_pt: f32, max_height_pt: f32) -> Picture {
    match decode(bytes) {
        Ok(image) => fit(image, max_width_pt, max_height_pt),
        Err(reason) => Picture::Unreadable(reason),
    }
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        Ok(_) => return Err("the picture is neither PNG nor JPEG".to_string()),
        Err(_) => return Err("the bytes are not a PNG or JPEG picture".to_string()),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PX);
    limits.max_image_height = Some(MAX_SIDE_PX);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits.clone());
    let failed = |e: image::ImageError| format!("the picture could not be decoded ({e})");
    let mut decoder = reader.into_decoder().map_err(failed)?;
    // Phone photos are stored sideways with an EXIF note saying which way is up.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    limits.reserve(decoder.total_bytes()).map_err(failed)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(failed)?;
    image.apply_orientation(orientation);
    if image.width() == 0 || image.height() == 0 {
        return Err("the picture has no pixels".to_string());
    }
    Ok(image)
}

fn fit(image: DynamicImage, max_width_pt: f32, max_height_pt: f32) -> Picture {
    let (w_px, h_px) = (image.width() as f32, image.height() as f32);
    let mut width_pt = (w_px * MAX_PT_PER_PX).min(max_width_pt);
    let mut height_pt = h_px * width_pt / w_px;
    if height_pt > max_height_pt {
        width_pt *= max_height_pt / height_pt;
        height_pt = max_height_pt;
    }
    let target_w = ((width_pt / 72.0 * PRINT_DPI).ceil() as u32).clamp(1, image.width());
    let target_h = ((h_px * target_w as f32 / w_px).round() as u32).clamp(1, image.height());
    // DynamicImage's own methods, not the generic imageops: those would be compiled at
    // this crate's optimisation level, which is 0 in debug builds and 30 times slower.
    let image = if target_w < image.width() {
        image.resize_exact(target_w, target_h, FilterType::Triangle)
    } else {
        image
    };
    let rgb = flatten_on_white(image);
    Picture::Ready {
        rgb,
        width_pt: width_pt.max(0.01),
        height_pt: height_pt.max(0.01),
    }
}

/// Transparent screenshots would print black behind their transparent parts in a JPEG.
fn flatten_on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for px in rgba.as_raw().chunks_exact(4) {
        let a = u16::from(px[3]);
        let white = 255 * (255 - a) + 127;
        out.push(((u16::from(px[0]) * a + white) / 255) as u8);
        out.push(((u16::from(px[1]) * a + white) / 255) as u8);
        out.push(((u16::from(px[2]) * a + white) / 255) as u8);
    }
    // The buffer has exactly w × h pixels, so this cannot fail; an empty image is the
    // harmless fallback.
    RgbImage::from_raw(w, h, out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_unreadable() {
        assert!(matches!(
            prepare(b"not a picture", 500.0, 1000.0),
            Picture::Unreadable(_)
        ));
        let mut png_header = b"\x89PNG\r\n\x1a\n".to_vec();
        png_header.extend_from_slice(&[0; 40]);
        assert!(matches!(
            prepare(&png_header, 500.0, 1000.0),
            Picture::Unreadable(_)
        ));
    }

    #[test]
    fn thin_tall_picture_is_capped() {
        let img = DynamicImage::ImageRgb8(RgbImage::new(1, 40_000));
        match fit(img, 504.0, 10_000.0) {
            Picture::Ready {
                height_pt,
                width_pt,
                rgb,
            } => {
                assert!(height_pt <= 10_000.0);
                assert!(width_pt > 0.0);
                assert_eq!(rgb.width(), 1);
            }
            Picture::Unreadable(e) => panic!("{e}"),
        }
    }
}
