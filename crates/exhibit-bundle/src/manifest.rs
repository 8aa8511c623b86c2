//! `manifest.json` and `custody.jsonl`: the two machine-readable files the facade fills.
//!
//! The manifest describes the evidence (case, captures, artifacts, attachments and the
//! custody head), never the packet: the packet prints [`Manifest::digest`], so nothing is
//! circular. Its serialisation is stable: struct fields serialise in declaration order,
//! there are no hash maps, and the bytes are `serde_json::to_vec_pretty` plus one line
//! feed. The digest is taken over exactly those bytes, which are exactly what
//! [`crate::BundleWriter::add_manifest`] puts in the bundle.

use exhibit_domain::{CaptureStatus, Collector, CustodyEvent, Digest, sha256};
use serde::{Deserialize, Serialize};

/// The `format` of every manifest this crate writes and the only one it verifies.
pub const MANIFEST_FORMAT: &str = "exhibit-bundle-v1";

/// The bundle's table of contents. Field order is the serialisation order; do not reorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    pub tool: String,
    pub tool_version: String,
    /// When the bundle was exported, RFC 3339 UTC with milliseconds.
    pub exported_at: String,
    pub case: ManifestCase,
    pub collector: Collector,
    /// The complaint as the facade renders it; opaque to this crate. A `serde_json::Value`
    /// object keeps its keys sorted, so it serialises stably too.
    pub complaint: serde_json::Value,
    pub captures: Vec<ManifestCapture>,
    pub attachments: Vec<ManifestAttachment>,
    pub custody: ManifestCustody,
}

/// Which case the bundle comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestCase {
    pub id: String,
    pub title: String,
}

/// One capture and the files that hold it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestCapture {
    /// The capture's id in the case file.
    pub id: i64,
    /// The exhibit label printed in the packet, such as `1` or `A-3`.
    pub exhibit: String,
    pub requested_url: String,
    pub final_url: Option<String>,
    pub status: CaptureStatus,
    /// `http` or `browser`.
    pub mode: String,
    pub started_at: String,
    pub finished_at: String,
    /// SHA-256 of the capture record JSON at `record_path`.
    pub record_sha256: Digest,
    pub record_path: String,
    pub artifacts: Vec<ManifestArtifact>,
    /// Trusted (RFC 3161) timestamps of the capture. Absent in bundles without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<ManifestTimestamp>,
}

/// A capture's RFC 3161 timestamp: the authority's token and the exact bytes it covers,
/// both in the bundle, so that stock OpenSSL checks it:
/// `openssl ts -verify -data DATA -in TOKEN -CAfile THE-AUTHORITY'S-ROOT.pem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestTimestamp {
    /// The authority, as its certificate names it.
    pub tsa_name: String,
    pub tsa_url: String,
    /// The authority's time, RFC 3339 UTC.
    pub gen_time: String,
    /// The token's serial number, hex.
    pub serial: String,
    /// The stamped bytes: the capture's timestamp statement (JSON naming its record and
    /// artifact hashes).
    pub data_path: String,
    pub data_sha256: Digest,
    /// The authority's whole response (a `.tsr` file, DER).
    pub token_path: String,
    pub token_sha256: Digest,
}

/// One artifact file of a capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestArtifact {
    pub kind: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: Digest,
    pub path: String,
}

/// A file the user attached to the case (a registration certificate, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestAttachment {
    pub name: String,
    pub sha256: Digest,
    pub size: u64,
    pub path: String,
}

/// The head of the custody log at export, and where the log is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestCustody {
    pub head_seq: i64,
    pub head_hash: Digest,
    /// Always [`crate::CUSTODY_PATH`] in bundles this crate writes.
    pub path: String,
}

impl Manifest {
    /// The exact bytes of `manifest.json`: pretty JSON and a final line feed.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising fails only for maps with non-string keys or a failing `Serialize`
        // impl; the manifest has neither, so this is not reachable from any input.
        let mut bytes = serde_json::to_vec_pretty(self).expect("a Manifest always serialises");
        bytes.push(b'\n');
        bytes
    }

    /// SHA-256 of [`Manifest::to_bytes`]: the fingerprint the packet prints.
    pub fn digest(&self) -> Digest {
        sha256(&self.to_bytes())
    }
}

/// The custody log as JSON Lines: one event per line in `seq` order, each line ending in
/// a line feed. Fields appear as in [`CustodyEvent`]; `detail` stays the exact text that
/// was hashed, so anyone can recompute every hash from this file alone.
pub fn custody_jsonl(events: &[CustodyEvent]) -> Vec<u8> {
    let mut sorted: Vec<&CustodyEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.seq);
    let mut out = Vec::new();
    for event in sorted {
        // A CustodyEvent holds only strings, integers and digests: it always serialises.
        let line = serde_json::to_vec(event).expect("a CustodyEvent always serialises");
        out.extend_from_slice(&line);
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use exhibit_domain::GENESIS_HASH;

    #[test]
    fn custody_lines_come_out_in_seq_order() {
        let mk = |seq: i64| CustodyEvent {
            seq,
            at: "2026-01-01T00:00:00.000Z".into(),
            kind: "case.created".into(),
            detail: "{}".into(),
            prev_hash: GENESIS_HASH,
            hash: GENESIS_HASH,
        };
        let text = String::from_utf8(custody_jsonl(&[mk(2), mk(1)])).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("{\"seq\":1,"), "{}", lines[0]);
        assert!(text.ends_with('\n'));
    }
}
