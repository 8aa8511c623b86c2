//! Shared bits of the benchmarks: medians, and pseudo-random page bytes.

#![allow(dead_code)]

use std::time::Duration;

pub const PASS: &str = "correct horse battery staple 42";

pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `n` bytes of HTML-looking text that does not compress to nothing (SQLite does not
/// compress, but this keeps the bytes honest).
pub fn page_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(n);
    out.extend_from_slice(b"<!doctype html><html><head><title>Bench listing</title></head><body>");
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(n);
    out
}
