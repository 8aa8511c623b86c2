//! Shared bits of the benchmarks: medians, pseudo-random page bytes and a capture
//! record. Also included (with `#[path]`) by exhibit-store's own `verify` bench, so it
//! uses nothing the store's crate does not have.

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

/// An ok HTTP capture's record of `requested_url`, with the fields a capture always has.
pub fn bench_record(requested_url: &str) -> exhibit_domain::CaptureRecord {
    serde_json::from_value(serde_json::json!({
        "mode": "http",
        "requested_url": requested_url,
        "final_url": null, "redirects": [], "http_version": "HTTP/1.1", "http_status": 200,
        "headers": [], "remote_addr": null, "tls": null,
        "started_at": "2026-11-28T10:00:00.000Z", "finished_at": "2026-11-28T10:00:01.000Z",
        "status": "ok", "error": null, "notes": [], "facts": {}, "collector": {"name": "Bench"},
        "environment": {"tool": "exhibit", "tool_version": "0", "user_agent": "", "hostname": "", "os": "",
            "local_utc_offset": "+00:00", "clock_source": "", "proxy": null, "resolve_overrides": [],
            "extra_root_certificates": []}
    }))
    .expect("record")
}
