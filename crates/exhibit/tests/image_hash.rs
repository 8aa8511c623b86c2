//! The main-image hash on real photographs (`tests/fixtures/photos`, or
//! `$EXHIBIT_PHOTOS`): each photo's re-encoded, resized, cropped and watermarked copies
//! stay within [`exhibit::DEFAULT_IMAGE_THRESHOLD`] of it, and every pair of different
//! photos (their copies included) is further apart than that.
//!
//! The copies are made here with the `image` crate, as a relisting seller would make
//! them: JPEG at quality 95, 70 and 40, scaled by ±3 % and ±5 %, 2, 3 and 4 % cut off
//! each edge, and a small semi-transparent watermark in a corner. Run with `--nocapture`
//! to see every distance.
//!
//! One finding is asserted as it stands rather than hidden: 4 % off every edge (8 % of
//! each side) moves the gradient hash 12 and 13 bits on two of the four photos (the cat
//! and the astronaut, whose detail sits near the edges), past the default threshold of 10.
//! Those copies are held to [`WIDER`] instead, which still leaves the closest pair of
//! different photos (25 bits) well apart. Whether the default should move is a decision
//! for relisting, not for this test.

use std::io::Cursor;
use std::path::PathBuf;

use exhibit::{DEFAULT_IMAGE_THRESHOLD, image_hash};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

const PHOTOS: [&str; 4] = ["coffee.png", "chelsea.png", "rocket.jpg", "astronaut.png"];

/// The bound for the copies the default threshold does not reach (4 % off each edge).
const WIDER: u32 = 16;

/// The copies held to [`WIDER`] rather than the default threshold.
const BEYOND_DEFAULT: &[&str] = &["cropped 4%/edge"];

fn photos_dir() -> PathBuf {
    match std::env::var_os("EXHIBIT_PHOTOS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/photos"),
    }
}

fn png(img: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .expect("encode PNG");
    out
}

fn jpeg(img: &DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img.to_rgb8())
        .expect("encode JPEG");
    out
}

fn scaled(img: &DynamicImage, percent: i32) -> DynamicImage {
    let f = |n: u32| ((i64::from(n) * i64::from(100 + percent)) / 100).max(1) as u32;
    img.resize_exact(f(img.width()), f(img.height()), FilterType::Lanczos3)
}

fn cropped(img: &DynamicImage, percent: u32) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let (dx, dy) = (w * percent / 100, h * percent / 100);
    img.crop_imm(dx, dy, w - 2 * dx, h - 2 * dy)
}

/// A shop's mark in the bottom-right corner: a translucent white plate about a fifth of
/// the width, with dark "letters" (bars) on it.
fn watermarked(img: &DynamicImage) -> DynamicImage {
    let mut rgba: RgbaImage = img.to_rgba8();
    let (w, h) = rgba.dimensions();
    let (mw, mh) = (w / 5, h / 14);
    let (x0, y0) = (w - mw - w / 40, h - mh - h / 40);
    for y in y0..y0 + mh {
        for x in x0..x0 + mw {
            let letter = ((x - x0) / (mw / 12).max(1)) % 2 == 0
                && (y - y0) > mh / 4
                && (y - y0) < mh * 3 / 4;
            let (ink, alpha) = if letter { (30.0, 0.7) } else { (255.0, 0.45) };
            let p = rgba.get_pixel_mut(x, y);
            let Rgba([r, g, b, a]) = *p;
            let mix = |c: u8| (f32::from(c) * (1.0 - alpha) + ink * alpha).round() as u8;
            *p = Rgba([mix(r), mix(g), mix(b), a]);
        }
    }
    DynamicImage::ImageRgba8(rgba)
}

/// Each photo's copies, by name, as the bytes a marketplace would serve.
fn variants(img: &DynamicImage) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("jpeg q95".to_string(), jpeg(img, 95)),
        ("jpeg q70".to_string(), jpeg(img, 70)),
        ("jpeg q40".to_string(), jpeg(img, 40)),
    ];
    for p in [-5, -3, 3, 5] {
        out.push((format!("scaled {p:+}%"), jpeg(&scaled(img, p), 85)));
    }
    for p in [2, 3, 4] {
        out.push((format!("cropped {p}%/edge"), jpeg(&cropped(img, p), 85)));
    }
    out.push(("watermark".to_string(), png(&watermarked(img))));
    out.push((
        "crop 3% + scale -4% + q70".to_string(),
        jpeg(&scaled(&cropped(img, 3), -4), 70),
    ));
    out
}

fn hash(bytes: &[u8], what: &str) -> u64 {
    image_hash(bytes).unwrap_or_else(|e| panic!("{what} does not hash: {e}"))
}

#[test]
fn copies_of_a_photo_match_and_other_photos_do_not() {
    let dir = photos_dir();
    assert!(
        dir.join(PHOTOS[0]).is_file(),
        "photos not found in the repository ({}); set EXHIBIT_PHOTOS to their folder",
        dir.display()
    );
    let threshold = DEFAULT_IMAGE_THRESHOLD;
    // (photo, [(copy, hash)]) with the original first.
    let mut all: Vec<(&str, Vec<(String, u64)>)> = Vec::new();
    let mut too_far = Vec::new();
    println!("\ndistance of each copy from its original (threshold {threshold} of 64 bits)");
    for name in PHOTOS {
        let bytes = std::fs::read(dir.join(name)).expect("read photo");
        let img = image::load_from_memory(&bytes).expect("decode photo");
        let original = hash(&bytes, name);
        let mut hashes = vec![("original".to_string(), original)];
        let mut row = Vec::new();
        for (copy, copy_bytes) in variants(&img) {
            let h = hash(&copy_bytes, &format!("{name} {copy}"));
            let d = (h ^ original).count_ones();
            row.push(format!("{copy} {d}"));
            let bound = if BEYOND_DEFAULT.contains(&copy.as_str()) {
                WIDER
            } else {
                threshold
            };
            if d > bound {
                too_far.push(format!("{name} {copy}: {d} > {bound}"));
            }
            hashes.push((copy, h));
        }
        println!(
            "  {name:<14} {}x{} hash {original:016x}: {}",
            img.width(),
            img.height(),
            row.join(", ")
        );
        all.push((name, hashes));
    }

    println!("\ndistance between different photos: originals (closest pair of copies)");
    let mut too_near = Vec::new();
    for (i, (a, ha)) in all.iter().enumerate() {
        for (b, hb) in all.iter().skip(i + 1) {
            let originals = (ha[0].1 ^ hb[0].1).count_ones();
            let (mut closest, mut which) = (u32::MAX, String::new());
            for (ca, x) in ha {
                for (cb, y) in hb {
                    let d = (x ^ y).count_ones();
                    if d < closest {
                        closest = d;
                        which = format!("{ca} / {cb}");
                    }
                }
            }
            println!("  {a:<14} {b:<14} {originals:>2} ({closest:>2}: {which})");
            if closest <= threshold.max(WIDER) {
                too_near.push(format!("{a} and {b}: {closest} ({which})"));
            }
        }
    }
    assert!(
        too_far.is_empty(),
        "copies too far from their original: {too_far:?}"
    );
    assert!(
        too_near.is_empty(),
        "different photos within {} bits: {too_near:?}",
        threshold.max(WIDER)
    );
}

#[test]
fn what_is_not_a_picture_does_not_hash() {
    assert!(image_hash(b"<!doctype html><title>404</title>").is_err());
    assert!(image_hash(b"").is_err());
    // A truncated JPEG of a real photo is refused rather than hashed as something else.
    let bytes = std::fs::read(photos_dir().join("rocket.jpg")).expect("read photo");
    assert!(image_hash(&bytes[..bytes.len().min(200)]).is_err());
}
