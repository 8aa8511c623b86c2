//! Screenshots for export tests and benchmarks: PNGs that look like a listing page
//! (a header bar, lines of dark word-shaped strokes on white, photo blocks with
//! gradients and grain), written by hand with flate2 so nothing else is needed, and a
//! way to make copies of one PNG whose bytes (and so hashes) differ.

use std::io::Write;

/// An RGB PNG of `width` × `height` pixels drawn like a page; `seed` varies it.
pub fn page_png(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let mut px = vec![255u8; w * h * 3];
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut y = 0usize;
    let header = 60.min(h);
    for row in px.chunks_exact_mut(w * 3).take(header) {
        for p in row.chunks_exact_mut(3) {
            p.copy_from_slice(&[255, 80, 0]);
        }
    }
    y += header + 20;
    while y < h {
        if next() % 5 == 0 {
            // A photo block: a diagonal gradient with grain.
            let bh = (200 + next() % 300) as usize;
            let (c0, c1) = (next(), next());
            for yy in y..(y + bh).min(h) {
                for x in 40..w.saturating_sub(40) {
                    let t = ((x + yy - y) * 255 / (w + bh)) as u64;
                    let grain = (next() % 16) as u8;
                    let i = (yy * w + x) * 3;
                    for (k, shift) in [0u32, 8, 16].into_iter().enumerate() {
                        let a = (c0 >> shift) & 0xff;
                        let b = (c1 >> shift) & 0xff;
                        let v = (a * (255 - t) + b * t) / 255;
                        px[i + k] = (v as u8).saturating_add(grain);
                    }
                }
            }
            y += bh + 20;
        } else {
            // A paragraph: lines of words, dark strokes 2 px wide.
            let lines = 3 + next() % 6;
            for _ in 0..lines {
                let mut x = 40usize;
                while x + 60 < w.saturating_sub(40) {
                    let word = (10 + next() % 60) as usize;
                    for yy in y..(y + 14).min(h) {
                        for xx in x..x + word {
                            if (xx + yy) % 3 != 0 && next() % 4 != 0 {
                                let i = (yy * w + xx) * 3;
                                px[i..i + 3].copy_from_slice(&[34, 34, 34]);
                            }
                        }
                    }
                    x += word + 8;
                }
                y += 22;
            }
            y += 16;
        }
    }
    png_rgb(width, height, &px)
}

/// An 8-bit RGB PNG of the given pixels (rows top to bottom, no filter).
pub fn png_rgb(width: u32, height: u32, pixels: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(pixels.len() + height as usize);
    for row in pixels.chunks_exact(width as usize * 3) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw).expect("deflate in memory");
    let idat = z.finish().expect("deflate in memory");
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The same picture with a text chunk saying `note` before its end, so copies of one
/// screenshot differ in their bytes and hashes but not in their pixels.
pub fn with_note(png: &[u8], note: &str) -> Vec<u8> {
    let end = png.len().saturating_sub(12);
    let mut out = png[..end].to_vec();
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(note.as_bytes());
    chunk(&mut out, b"tEXt", &text);
    out.extend_from_slice(&png[end..]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}
