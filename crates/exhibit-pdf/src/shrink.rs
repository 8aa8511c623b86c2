//! Scaling a screenshot down to its printed pixel grid, by area averaging.
//!
//! Each output pixel is the average of the source pixels it covers, weighted by how
//! much of each it covers: for shrinking, which is all the packet does, that is as sharp
//! as a triangle filter and keeps thin text strokes, and in integer arithmetic it is
//! about ten times faster than `image`'s float resampler, which took most of an
//! export's time. Two separable passes, rows then columns; the weights of each output
//! pixel sum to exactly [`ONE`], so flat colours come through unchanged.

use image::RgbImage;

/// Fixed-point one: weights are in units of 1/2^14.
const ONE: u32 = 1 << 14;

/// For each output index, the first source index it covers and the weight of each
/// source index from there on.
struct Taps {
    start: Vec<usize>,
    weights: Vec<Vec<u32>>,
}

fn taps(src: u32, dst: u32) -> Taps {
    let scale = src as f64 / dst as f64;
    let mut start = Vec::with_capacity(dst as usize);
    let mut weights = Vec::with_capacity(dst as usize);
    for i in 0..dst {
        let lo = i as f64 * scale;
        let hi = ((i + 1) as f64 * scale).min(src as f64);
        let first = lo.floor() as u32;
        let last = (hi.ceil() as u32).clamp(first + 1, src);
        let mut w: Vec<u32> = (first..last)
            .map(|s| {
                let cover = (hi.min(s as f64 + 1.0) - lo.max(s as f64)).max(0.0);
                (cover / (hi - lo) * ONE as f64).round() as u32
            })
            .collect();
        // Rounding may leave the sum a little off one; the largest weight takes it up.
        let sum: u32 = w.iter().sum();
        if let Some(max) = w.iter_mut().max() {
            *max = (*max + ONE).saturating_sub(sum);
        }
        start.push(first as usize);
        weights.push(w);
    }
    Taps { start, weights }
}

/// `src` scaled to `cols` × `rows`. A grid as large as the source or larger in either
/// direction keeps that direction as it is (the packet never enlarges).
pub(crate) fn area_average(src: &RgbImage, cols: u32, rows: u32) -> RgbImage {
    let (w, h) = src.dimensions();
    let (cols, rows) = (cols.clamp(1, w.max(1)), rows.clamp(1, h.max(1)));
    if (cols, rows) == (w, h) {
        return src.clone();
    }
    let across = shrink_rows(src.as_raw(), w, h, cols);
    let out = shrink_columns(&across, cols, h, rows);
    // The buffer has exactly cols × rows pixels.
    RgbImage::from_raw(cols, rows, out).unwrap_or_default()
}

/// Every row from `w` to `cols` pixels.
fn shrink_rows(src: &[u8], w: u32, h: u32, cols: u32) -> Vec<u8> {
    if cols == w {
        return src.to_vec();
    }
    let t = taps(w, cols);
    let (w, cols) = (w as usize, cols as usize);
    let mut out = vec![0u8; cols * h as usize * 3];
    for (row, dst) in src.chunks_exact(w * 3).zip(out.chunks_exact_mut(cols * 3)) {
        for (x, px) in dst.chunks_exact_mut(3).enumerate() {
            let mut acc = [ONE / 2; 3];
            let first = t.start[x];
            for (k, &wt) in t.weights[x].iter().enumerate() {
                let s = (first + k) * 3;
                acc[0] += wt * u32::from(row[s]);
                acc[1] += wt * u32::from(row[s + 1]);
                acc[2] += wt * u32::from(row[s + 2]);
            }
            px[0] = (acc[0] >> 14).min(255) as u8;
            px[1] = (acc[1] >> 14).min(255) as u8;
            px[2] = (acc[2] >> 14).min(255) as u8;
        }
    }
    out
}

/// Every column from `h` to `rows` pixels, a whole output row at a time.
fn shrink_columns(src: &[u8], cols: u32, h: u32, rows: u32) -> Vec<u8> {
    if rows == h {
        return src.to_vec();
    }
    let t = taps(h, rows);
    let stride = cols as usize * 3;
    let mut out = vec![0u8; stride * rows as usize];
    let mut acc = vec![0u32; stride];
    for (y, dst) in out.chunks_exact_mut(stride).enumerate() {
        acc.fill(ONE / 2);
        let first = t.start[y];
        for (k, &wt) in t.weights[y].iter().enumerate() {
            let s = (first + k) * stride;
            for (a, &v) in acc.iter_mut().zip(&src[s..s + stride]) {
                *a += wt * u32::from(v);
            }
        }
        for (d, a) in dst.iter_mut().zip(&acc) {
            *d = (a >> 14).min(255) as u8;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_and_cover_the_source() {
        for (src, dst) in [(1280, 700), (4000, 2188), (3, 2), (10, 10), (7, 1)] {
            let t = taps(src, dst);
            for (x, w) in t.weights.iter().enumerate() {
                assert_eq!(w.iter().sum::<u32>(), ONE, "{src}->{dst} at {x}");
                assert!(t.start[x] + w.len() <= src as usize);
            }
            assert_eq!(t.start[0], 0);
            let last = t.start.len() - 1;
            assert_eq!(t.start[last] + t.weights[last].len(), src as usize);
        }
    }

    #[test]
    fn flat_colour_stays_and_halves_average() {
        let flat = RgbImage::from_pixel(1280, 40, image::Rgb([12, 200, 77]));
        let small = area_average(&flat, 700, 22);
        assert_eq!(small.dimensions(), (700, 22));
        assert!(small.pixels().all(|p| p.0 == [12, 200, 77]));
        // Black and white columns in turn average to grey at half the width.
        let stripes = RgbImage::from_fn(8, 2, |x, _| image::Rgb([(x % 2) as u8 * 255; 3]));
        let half = area_average(&stripes, 4, 2);
        assert!(half.pixels().all(|p| p.0 == [128; 3]), "{:?}", half);
    }
}
