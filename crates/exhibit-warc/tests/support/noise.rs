//! Deterministic filler bytes for fixtures. Shared with exhibit-bundle's test support
//! (and through both with the fuzz seeds), which include this file with `#[path]`.

/// Deterministic filler bytes (xorshift), so fixtures need no random source.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
