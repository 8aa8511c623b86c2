//! The DC-only plane against libjpeg's own 1/8-scale grey decode (`djpeg -scale 1/8
//! -grayscale`, Debian's libjpeg-turbo-progs), pixel for pixel, on pictures of every
//! shape the fast path reads; and hostile bytes, which must give `None` or a plane,
//! never a panic.

use super::*;
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

const MAX: u64 = 268_435_456;

/// A photo-like picture: gradients, a disc, and grain from a fixed generator.
fn rgb(w: u16, h: u16, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for j in 0..u32::from(h) {
        for i in 0..u32::from(w) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let grain = (x % 32) as u32;
            let (dx, dy) = (i as i64 - i64::from(w) / 3, j as i64 - i64::from(h) / 2);
            let disc = if dx * dx + dy * dy < i64::from(w.min(h) / 4).pow(2) {
                90
            } else {
                0
            };
            out.push(((i * 200 / u32::from(w)) + grain).min(255) as u8);
            out.push(((j * 180 / u32::from(h)) + disc + grain / 2).min(255) as u8);
            out.push((255 - (i + j) * 120 / u32::from(w + h) - grain / 3) as u8);
        }
    }
    out
}

fn encode(
    w: u16,
    h: u16,
    quality: u8,
    grey: bool,
    sampling: SamplingFactor,
    restart: u16,
    progressive: bool,
) -> Vec<u8> {
    let pixels = rgb(w, h, u64::from(w) * 31 + u64::from(h));
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, quality);
    enc.set_sampling_factor(sampling);
    enc.set_restart_interval(restart);
    enc.set_progressive(progressive);
    if grey {
        let luma: Vec<u8> = pixels.chunks_exact(3).map(|p| p[1]).collect();
        enc.encode(&luma, w, h, ColorType::Luma).expect("encode");
    } else {
        enc.encode(&pixels, w, h, ColorType::Rgb).expect("encode");
    }
    out
}

/// libjpeg's 1/8-scale decode of the Y component: `djpeg -scale 1/8 -grayscale`, a PGM.
fn reference(bytes: &[u8]) -> LumaPlane {
    use std::io::Write;
    let mut child = std::process::Command::new("djpeg")
        .args(["-scale", "1/8", "-grayscale", "-pnm"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("djpeg runs (Debian: libjpeg-turbo-progs, which scripts/setup.sh installs)");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("djpeg output");
    writer.join().expect("writer").expect("write");
    assert!(out.status.success(), "djpeg failed");
    // "P5\n<w> <h>\n255\n" then the pixels.
    let pgm = out.stdout;
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P5", "255"));
    let (width, height): (usize, usize) =
        (fields[1].parse().expect("w"), fields[2].parse().expect("h"));
    let pixels = pgm[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height);
    LumaPlane {
        width,
        height,
        pixels,
    }
}

#[test]
fn the_plane_is_libjpegs_at_one_eighth_pixel_for_pixel() {
    let mut checked = 0;
    for (w, h) in [
        (800, 800),
        (1000, 600),
        (577, 513),
        (640, 96),
        (123, 700),
        (1500, 1500),
    ] {
        for sampling in [
            SamplingFactor::R_4_2_0,
            SamplingFactor::R_4_2_2,
            SamplingFactor::R_4_4_4,
            SamplingFactor::R_4_4_0,
        ] {
            for (quality, restart) in [(85, 0), (40, 7), (97, 1)] {
                let bytes = encode(w, h, quality, false, sampling, restart, false);
                let plane = luma_eighth(&bytes, MAX)
                    .unwrap_or_else(|| panic!("{w}×{h} {sampling:?} q{quality} r{restart}"));
                assert_eq!(
                    plane,
                    reference(&bytes),
                    "{w}×{h} {sampling:?} q{quality} r{restart}"
                );
                checked += 1;
            }
        }
        let grey = encode(w, h, 80, true, SamplingFactor::R_4_4_4, 3, false);
        assert_eq!(
            luma_eighth(&grey, MAX),
            Some(reference(&grey)),
            "grey {w}×{h}"
        );
        checked += 1;
    }
    // A JPEG from another encoder, with its own tables.
    let img = image::RgbImage::from_raw(800, 600, rgb(800, 600, 7)).expect("picture");
    let mut other = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut other, 75)
        .encode_image(&img)
        .expect("encode");
    assert_eq!(luma_eighth(&other, MAX), Some(reference(&other)));
    assert!(checked > 70);
}

#[test]
fn the_real_photo_reads_as_libjpeg_does() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/photos/rocket.jpg");
    let bytes = std::fs::read(path).expect("rocket.jpg");
    let plane = luma_eighth(&bytes, MAX).expect("a baseline JPEG");
    assert_eq!((plane.width, plane.height), (80, 54));
    assert_eq!(plane, reference(&bytes));
}

#[test]
fn other_shapes_are_left_to_the_full_decoder() {
    let progressive = encode(800, 800, 85, false, SamplingFactor::R_4_2_0, 0, true);
    assert_eq!(luma_eighth(&progressive, MAX), None);
    let baseline = encode(800, 800, 85, false, SamplingFactor::R_4_2_0, 0, false);
    // Too many pixels for the caller's bound.
    assert_eq!(luma_eighth(&baseline, 800 * 800 - 1), None);
    // An Adobe marker may say the three components are RGB.
    let mut adobe = baseline[..2].to_vec();
    adobe.extend_from_slice(b"\xFF\xEE\x00\x0EAdobe\x00\x64\x00\x00\x00\x00\x00");
    adobe.extend_from_slice(&baseline[2..]);
    assert_eq!(luma_eighth(&adobe, MAX), None);
    // Bytes after the scan other than the end of the image.
    let mut trailing = baseline[..baseline.len() - 2].to_vec();
    trailing.extend_from_slice(b"\xFF\xFE\x00\x04hi\xFF\xD9");
    assert_eq!(luma_eighth(&trailing, MAX), None);
    assert!(luma_eighth(&baseline, MAX).is_some());
}

#[test]
fn hostile_bytes_give_none_or_a_plane_never_a_panic() {
    let good = encode(640, 600, 85, false, SamplingFactor::R_4_2_0, 5, false);
    let size = (640usize.div_ceil(8), 600usize.div_ceil(8));
    // Every prefix length in steps, and the first 2 kB byte by byte (the headers).
    for cut in (0..good.len()).step_by(97).chain(0..2048) {
        let _ = luma_eighth(&good[..cut], MAX);
    }
    // Cut anywhere in the scan: always refused, since the end marker is gone.
    for cut in (good.len() / 2..good.len() - 2).step_by(101) {
        assert_eq!(luma_eighth(&good[..cut], MAX), None);
    }
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut read = 0;
    for _ in 0..3000 {
        let mut bad = good.clone();
        for _ in 0..1 + (x % 4) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let at = (x as usize) % bad.len();
            bad[at] = (x >> 32) as u8;
        }
        if let Some(plane) = luma_eighth(&bad, MAX) {
            read += 1;
            assert_eq!(plane.pixels.len(), plane.width * plane.height);
            assert!(plane.width <= 8192 && plane.height <= 8192);
            assert_eq!((plane.width, plane.height), size);
        }
    }
    // Some corruptions leave a readable picture; most must be refused.
    assert!(read < 3000, "{read} of 3000 corrupted pictures were read");
    // A header that claims a huge picture, with almost no data.
    let mut huge = good.clone();
    let sof = huge
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("SOF0");
    huge[sof + 5..sof + 9].copy_from_slice(&[0x3F, 0xFF, 0x3F, 0xFF]);
    assert_eq!(luma_eighth(&huge, MAX), None);
}
