//! Screenshots and pictures: measured before layout, decoded only when printed.
//!
//! Layout needs a picture's size, not its pixels, so [`measure`] reads the header alone
//! (the first few kilobytes) and decides the printed size and pixel grid. The writer
//! later calls [`render`] once per picture, one picture at a time: decode, turn upright,
//! scale down to that grid, flatten onto white. The pixels are dropped as soon as the
//! picture's JPEG slices are written, so a packet of a thousand screenshots never holds
//! more than a couple decoded at once.
//!
//! Anything that is not a PNG or JPEG, or whose header does not read, becomes a
//! [`Picture::Unreadable`] that layout prints as a captioned placeholder box; a picture
//! whose header reads but whose pixels then do not decode is printed as a box of the
//! same size saying so. An evidence packet should say that a picture is missing, not
//! fail.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// Resolution the printed picture keeps at most, at its printed size.
///
/// A full-page screenshot is 1,280 CSS pixels wide and prints 7 inches wide (the text
/// width): about 183 pixels to the inch as taken. It is scaled to 100, 700 pixels
/// across: 14 px body text comes out about 7.5 pixels tall, which still reads, Latin
/// and Chinese alike, and a 1,280 × 4,000 screenshot of a dense listing becomes about
/// 200 KB of JPEG (docs/BENCHMARKS.md). At 150 dpi, the earlier choice, the
/// same screenshot took about 560 KB, more than the packet's budget of 250 KB a
/// listing, for detail that was already legible at 100. The original PNG, byte for
/// byte, is the evidence, and it is in the bundle.
pub(crate) const PRINT_DPI: f32 = 100.0;
/// JPEG quality of printed pictures (libjpeg's scale), with chroma halved both ways
/// (4:2:0): text lives in the brightness, which keeps full resolution. At 65 glyph
/// edges ring faintly but every stroke survives; 80 costs about a third more bytes
/// for nothing more that can be read.
pub(crate) const JPEG_QUALITY: u8 = 65;
/// A pixel is never printed larger than this (96 dpi, how a browser shows it).
const MAX_PT_PER_PX: f32 = 0.75;
/// Limits applied while decoding, against decompression bombs.
const MAX_SIDE_PX: u32 = 200_000;
const MAX_DECODE_BYTES: u64 = 1024 * 1024 * 1024;
/// How much of a picture [`measure`] asks for first: PNG puts its size in the first 33
/// bytes, JPEG after its metadata segments, which rarely reach this far.
pub(crate) const HEAD_BYTES: usize = 256 * 1024;

/// A picture ready for layout.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Picture {
    /// The pixel grid it is printed from, and the size it is printed at in points.
    Ready {
        cols: u32,
        rows: u32,
        width_pt: f32,
        height_pt: f32,
    },
    /// What went wrong, in words for the placeholder.
    Unreadable(String),
}

/// What [`measure`] needs when the bytes it was given stop before the header does.
#[derive(Debug)]
pub(crate) struct NeedAll;

/// Reads a picture's header from `head` (the whole file when `complete`) and fits the
/// picture into `max_width_pt`, and into `max_height_pt` (a cap on how many pages one
/// picture may take). Asks for the whole file when `head` was cut too short.
pub(crate) fn measure(
    head: &[u8],
    complete: bool,
    max_width_pt: f32,
    max_height_pt: f32,
) -> Result<Picture, NeedAll> {
    match header(head) {
        Ok((w, h)) => Ok(fit(w, h, max_width_pt, max_height_pt)),
        Err(_) if !complete => Err(NeedAll),
        Err(reason) => Ok(Picture::Unreadable(reason)),
    }
}

/// Decodes `bytes` and scales the picture to exactly `cols` × `rows` pixels on white.
pub(crate) fn render(bytes: &[u8], cols: u32, rows: u32) -> Result<RgbImage, String> {
    let (format, mut limits) = format_and_limits(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    let mut decoder = reader.into_decoder().map_err(failed)?;
    // Phone photos are stored sideways with an EXIF note saying which way is up.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    limits.reserve(decoder.total_bytes()).map_err(failed)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(failed)?;
    image.apply_orientation(orientation);
    if image.width() == 0 || image.height() == 0 {
        return Err("the picture has no pixels".to_string());
    }
    let rgb = flatten_on_white(image);
    Ok(crate::shrink::area_average(&rgb, cols, rows))
}

/// The size of a JPEG from its header; `None` for anything else.
pub(crate) fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if image::guess_format(bytes).ok()? != ImageFormat::Jpeg {
        return None;
    }
    let decoder = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Jpeg)
        .into_decoder()
        .ok()?;
    Some(decoder.dimensions())
}

fn failed(e: image::ImageError) -> String {
    format!("the picture could not be decoded ({e})")
}

fn format_and_limits(bytes: &[u8]) -> Result<(ImageFormat, Limits), String> {
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        Ok(_) => return Err("the picture is neither PNG nor JPEG".to_string()),
        Err(_) => return Err("the bytes are not a PNG or JPEG picture".to_string()),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PX);
    limits.max_image_height = Some(MAX_SIDE_PX);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    Ok((format, limits))
}

/// The upright width and height in pixels, from the header alone.
fn header(bytes: &[u8]) -> Result<(u32, u32), String> {
    let (format, limits) = format_and_limits(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    let mut decoder = reader.into_decoder().map_err(failed)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err("the picture has no pixels".to_string());
    }
    if w > MAX_SIDE_PX || h > MAX_SIDE_PX {
        return Err(format!("the picture is too large ({w} × {h} pixels)"));
    }
    let sideways = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    Ok(if sideways { (h, w) } else { (w, h) })
}

fn fit(w: u32, h: u32, max_width_pt: f32, max_height_pt: f32) -> Picture {
    let (w_px, h_px) = (w as f32, h as f32);
    let mut width_pt = (w_px * MAX_PT_PER_PX).min(max_width_pt);
    let mut height_pt = h_px * width_pt / w_px;
    if height_pt > max_height_pt {
        width_pt *= max_height_pt / height_pt;
        height_pt = max_height_pt;
    }
    let cols = ((width_pt / 72.0 * PRINT_DPI).ceil() as u32).clamp(1, w);
    let rows = ((h_px * cols as f32 / w_px).round() as u32).clamp(1, h);
    Picture::Ready {
        cols,
        rows,
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

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, image::Rgb([10, 200, 30])))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn garbage_is_unreadable() {
        assert!(matches!(
            measure(b"not a picture", true, 500.0, 1000.0),
            Ok(Picture::Unreadable(_))
        ));
        let mut png_header = b"\x89PNG\r\n\x1a\n".to_vec();
        png_header.extend_from_slice(&[0; 40]);
        assert!(matches!(
            measure(&png_header, true, 500.0, 1000.0),
            Ok(Picture::Unreadable(_))
        ));
        // Cut short, it asks for the rest rather than give up.
        assert!(measure(&png_header, false, 500.0, 1000.0).is_err());
    }

    #[test]
    fn the_header_alone_gives_the_grid_and_render_fills_it() {
        let bytes = png(1280, 4000);
        let Ok(Picture::Ready {
            cols,
            rows,
            width_pt,
            height_pt,
        }) = measure(&bytes[..4096], false, 504.0, 10_000.0)
        else {
            panic!("the first 4 KB of a PNG hold its size");
        };
        assert_eq!(cols, 700);
        assert_eq!(rows, 2188);
        assert!((width_pt - 504.0).abs() < 0.01);
        assert!((height_pt - 1575.0).abs() < 0.01);
        let rgb = render(&bytes, cols, rows).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rgb.dimensions(), (700, 2188));
        assert_eq!(rgb.get_pixel(350, 1000).0, [10, 200, 30]);
        assert!(render(&bytes[..bytes.len() / 2], cols, rows).is_err());
    }

    #[test]
    fn thin_tall_picture_is_capped() {
        match fit(1, 40_000, 504.0, 10_000.0) {
            Picture::Ready {
                height_pt,
                width_pt,
                cols,
                ..
            } => {
                assert!(height_pt <= 10_000.0);
                assert!(width_pt > 0.0);
                assert_eq!(cols, 1);
            }
            Picture::Unreadable(e) => panic!("{e}"),
        }
    }
}
