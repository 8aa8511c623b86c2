//! The perceptual hash of a listing's main image, `dhash-64-dc`: a difference hash over
//! a 9×8 grid of box averages of the picture's luma at a reduced scale.
//!
//! The luma is JPEG's own (Rec. 601 weights: 0.299, 0.587, 0.114). It is averaged over
//! 9 columns and 8 rows of equal boxes (pixel `x` of `w` falls in column `x * 9 / w`).
//! Bit 63 − (8·row + column), row-major from the most significant bit, is set when box
//! (row, column) is darker than the box to its right. Like every dHash it moves a few bits
//! when a photo is re-encoded, resized or trimmed a little, and about half of them for
//! another photo.
//!
//! How the luma is read, from the cheapest way to the dearest:
//!
//! - A baseline JPEG (nearly every marketplace photo) whose luma at 1/8 scale is at least
//!   72 pixels wide or 64 tall: the DC coefficient of each 8×8 block of its Y component
//!   is the block's mean, so that plane is read off the entropy-coded data and the AC
//!   coefficients are stepped over, not decoded ([`dc`]).
//! - Any other JPEG that `jpeg-decoder` reads: decoded at the smallest DCT scale (1/8,
//!   1/4, 1/2 or full) that still gives at least 72×64 pixels, so each box averages
//!   eight or more pixels each way.
//! - Other formats, and a JPEG that decoder cannot read: decoded whole by `image`.
//!
//! Earlier Exhibits stored `dhash-64` (image_hasher's gradient hash after a Lanczos3
//! resize, about 15 ms of CPU per 800×800 photo) and then `dhash-64-box` (the second
//! way above for every JPEG, with Rec. 709 weights, about 2.3 ms). Their values are not
//! comparable with these, hence the new name: stored rows are left as they were, and
//! `relisted` hashes every kept image again under the new name.

mod dc;

use std::io::Cursor;

/// The name stored beside each hash, and reported with each image reason.
pub const IMAGE_HASH_ALGORITHM: &str = "dhash-64-dc";

/// Largest picture decoded, in pixels (a 16,384 × 16,384 JPEG at 1/8 scale is 4 MP).
const MAX_PIXELS: u64 = 268_435_456;
/// Largest buffer either decoder may allocate.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Boxes across and down.
const COLUMNS: usize = 9;
const ROWS: usize = 8;

/// The 64-bit box difference hash of an image, or why it could not be read.
pub fn image_hash(bytes: &[u8]) -> Result<u64, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        if let Some(plane) = dc::luma_eighth(bytes, MAX_PIXELS)
            && (plane.width >= 72 || plane.height >= 64)
            && plane.width >= COLUMNS
            && plane.height >= ROWS
        {
            return Ok(box_hash(plane.width, plane.height, &plane.pixels, 1));
        }
        if let Some(hash) = scaled_jpeg(bytes) {
            return Ok(hash);
        }
    }
    let reader = || {
        let mut reader = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?;
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_DECODE_BYTES);
        reader.limits(limits);
        Ok::<_, String>(reader)
    };
    let (w, h) = reader()?.into_dimensions().map_err(|e| e.to_string())?;
    checked_size(w, h)?;
    let rgb = reader()?.decode().map_err(|e| e.to_string())?.into_rgb8();
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    Ok(box_hash(w, h, rgb.as_raw(), 3))
}

/// The hash of a JPEG decoded at a reduced DCT scale; `None` when the decoder cannot
/// read it (the caller then decodes it whole).
fn scaled_jpeg(bytes: &[u8]) -> Option<u64> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(MAX_DECODE_BYTES as usize);
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    checked_size(u32::from(info.width), u32::from(info.height)).ok()?;
    let (w, h) = decoder.scale(72, 64).ok()?;
    let pixels = decoder.decode().ok()?;
    let channels = match decoder.info()?.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        // 16-bit grey and CMYK are rare for photos: `image` converts them.
        jpeg_decoder::PixelFormat::L16 | jpeg_decoder::PixelFormat::CMYK32 => return None,
    };
    let (w, h) = (usize::from(w), usize::from(h));
    (pixels.len() >= w * h * channels).then(|| box_hash(w, h, &pixels, channels))
}

/// A picture's size, if it is one this hash decodes.
fn checked_size(w: u32, h: u32) -> Result<(u32, u32), String> {
    if w == 0 || h == 0 {
        return Err("the picture has no pixels".into());
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "the picture is {w}×{h} pixels, more than Exhibit decodes to compare photos"
        ));
    }
    Ok((w, h))
}

/// The hash of `w`×`h` pixels of `channels` bytes each (1: grey, 3: RGB), row-major.
fn box_hash(w: usize, h: usize, pixels: &[u8], channels: usize) -> u64 {
    // Luma × 10,000 summed per box (Rec. 601: 2990, 5870, 1140), and pixels per box.
    let mut sums = [[0u64; COLUMNS]; ROWS];
    let mut counts = [[0u64; COLUMNS]; ROWS];
    let column_of: Vec<usize> = (0..w).map(|x| x * COLUMNS / w).collect();
    for (y, row) in pixels.chunks_exact(w * channels).take(h).enumerate() {
        let r = y * ROWS / h;
        for (x, px) in row.chunks_exact(channels).enumerate() {
            let luma = match px {
                [g] => u64::from(*g) * 10_000,
                [r, g, b] => u64::from(*r) * 2990 + u64::from(*g) * 5870 + u64::from(*b) * 1140,
                _ => 0,
            };
            let c = column_of[x];
            sums[r][c] += luma;
            counts[r][c] += 1;
        }
    }
    let mean = |r: usize, c: usize| sums[r][c] / counts[r][c].max(1);
    let mut hash = 0u64;
    for r in 0..ROWS {
        for c in 0..COLUMNS - 1 {
            hash = (hash << 1) | u64::from(mean(r, c) < mean(r, c + 1));
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(img: &image::RgbImage, quality: u8) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(img)
            .expect("encode");
        out
    }

    /// Left half dark, right half light, with a bright band down the middle rows.
    fn picture(w: u32, h: u32) -> image::RgbImage {
        image::RgbImage::from_fn(w, h, |x, y| {
            let v = if x * 2 < w { 40 } else { 200 } + if y * 4 / h == 1 { 40 } else { 0 };
            image::Rgb([v, v, v])
        })
    }

    #[test]
    fn bits_are_set_where_a_box_is_darker_than_the_one_to_its_right() {
        // A horizontal ramp: every box is darker than the next, all 64 bits set.
        let ramp = image::GrayImage::from_fn(90, 80, |x, _| image::Luma([(x * 2) as u8]));
        assert_eq!(box_hash(90, 80, ramp.as_raw(), 1), u64::MAX);
        // Flat: no box is darker than its neighbour.
        assert_eq!(box_hash(90, 80, &[128u8; 90 * 80], 1), 0);
        // Only the step from column 3 to 4 (of 0..9): bit 4 from the left of each row.
        let step =
            image::GrayImage::from_fn(90, 80, |x, _| image::Luma([if x < 40 { 0 } else { 255 }]));
        let row = 0b0001_0000u64;
        let expected = (0..8).fold(0u64, |h, _| (h << 8) | row);
        assert_eq!(box_hash(90, 80, step.as_raw(), 1), expected);
    }

    #[test]
    fn a_scaled_jpeg_decode_hashes_as_the_whole_picture_does() {
        for (w, h) in [(800, 800), (1000, 600), (120, 90), (17, 13)] {
            let img = picture(w, h);
            let bytes = jpeg(&img, 90);
            let scaled = scaled_jpeg(&bytes).expect("the JPEG decodes scaled");
            let whole = image::load_from_memory(&bytes).expect("decode").into_rgb8();
            let full = box_hash(w as usize, h as usize, whole.as_raw(), 3);
            assert!(
                (scaled ^ full).count_ones() <= 2,
                "{w}×{h}: scaled {scaled:016x}, whole {full:016x}"
            );
            // The big ones are read from their DC coefficients; the small ones scaled.
            let hash = image_hash(&bytes).expect("hash");
            assert!(
                (hash ^ full).count_ones() <= 2,
                "{w}×{h}: {hash:016x}, whole {full:016x}"
            );
            if w >= 576 {
                let plane = dc::luma_eighth(&bytes, MAX_PIXELS).expect("a baseline JPEG");
                assert_eq!(hash, box_hash(plane.width, plane.height, &plane.pixels, 1));
            } else {
                assert_eq!(hash, scaled);
            }
        }
    }

    #[test]
    fn png_and_grey_pictures_hash_too() {
        let img = picture(300, 200);
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img.clone())
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        let grey = image::DynamicImage::ImageRgb8(img.clone()).into_luma8();
        let mut grey_jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut grey_jpeg, 90)
            .encode_image(&grey)
            .expect("grey jpeg");
        let from_jpeg = image_hash(&jpeg(&img, 90)).expect("jpeg");
        for other in [png, grey_jpeg] {
            let hash = image_hash(&other).expect("hashes");
            assert!(
                (hash ^ from_jpeg).count_ones() <= 2,
                "{hash:016x} vs {from_jpeg:016x}"
            );
        }
    }

    /// The four photos of `tests/fixtures/photos`: each one's trimmed, shrunk and
    /// re-encoded copies stay within the default threshold of it, and no other photo
    /// comes that close.
    #[test]
    fn copies_of_a_real_photo_link_and_other_photos_do_not() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/photos");
        let photos: Vec<image::RgbImage> =
            ["coffee.png", "astronaut.png", "rocket.jpg", "chelsea.png"]
                .iter()
                .map(|f| image::open(dir.join(f)).expect("fixture photo").into_rgb8())
                .collect();
        let threshold = crate::relisting::DEFAULT_IMAGE_THRESHOLD;
        let originals: Vec<u64> = photos
            .iter()
            .map(|p| image_hash(&jpeg(p, 90)).expect("hash"))
            .collect();
        let mut worst_copy = 0;
        let mut closest_other = 64;
        for (i, p) in photos.iter().enumerate() {
            let (w, h) = p.dimensions();
            let trimmed =
                image::imageops::crop_imm(p, w / 50, h / 50, w - 2 * (w / 50), h - 2 * (h / 50))
                    .to_image();
            let copies = [
                jpeg(p, 40),
                jpeg(
                    &image::imageops::resize(
                        &trimmed,
                        w * 95 / 100,
                        h * 95 / 100,
                        image::imageops::FilterType::Triangle,
                    ),
                    50,
                ),
                jpeg(
                    &image::imageops::resize(
                        p,
                        w / 2,
                        h / 2,
                        image::imageops::FilterType::CatmullRom,
                    ),
                    75,
                ),
            ];
            for copy in &copies {
                let d = (image_hash(copy).expect("hash") ^ originals[i]).count_ones();
                worst_copy = worst_copy.max(d);
            }
            for (j, other) in originals.iter().enumerate() {
                if j != i {
                    closest_other = closest_other.min((other ^ originals[i]).count_ones());
                }
            }
        }
        eprintln!("farthest copy: {worst_copy} bits; closest other photo: {closest_other} bits");
        assert!(worst_copy <= threshold, "a copy is {worst_copy} bits away");
        assert!(
            closest_other > threshold,
            "another photo is {closest_other} bits away"
        );
    }

    #[test]
    fn undecodable_and_oversized_pictures_are_errors_not_panics() {
        for bad in [
            &b""[..],
            b"\xFF\xD8\xFF\xE0garbage",
            b"\xFF\xD8",
            b"<html>",
            &[0u8; 4096],
        ] {
            assert!(image_hash(bad).is_err());
        }
        // A JPEG header claiming 65,500 × 65,500 pixels, with no data behind it.
        let mut huge = jpeg(&picture(16, 16), 90);
        let sof = huge
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("a baseline SOF0 marker");
        huge[sof + 5..sof + 9].copy_from_slice(&[0xFF, 0xDC, 0xFF, 0xDC]);
        let err = image_hash(&huge).expect_err("refused");
        assert!(!err.is_empty());
        assert_eq!(
            checked_size(65_500, 65_500).map(|_| ()),
            Err(
                "the picture is 65500×65500 pixels, more than Exhibit decodes to compare photos"
                    .into()
            )
        );
    }
}
