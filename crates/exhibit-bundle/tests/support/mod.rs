//! Fixtures for the bundle tests: a realistic sample case, a plain ZIP writer for
//! tampered copies, and a raw ZIP builder for what no ZIP writer will produce.
#![allow(clippy::unwrap_used, dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use exhibit_bundle::{
    BundleReport, BundleWriter, MANIFEST_FORMAT, Manifest, ManifestArtifact, ManifestAttachment,
    ManifestCapture, ManifestCase, ManifestCustody, Problem, custody_jsonl,
};
use exhibit_domain::{CaptureStatus, Collector, CustodyEvent, GENESIS_HASH, sha256};
use zip::write::SimpleFileOptions;

// The same filler as exhibit-warc's tests (there is no crate both could share it from).
#[path = "../../../exhibit-warc/tests/support/noise.rs"]
mod noise;
pub use noise::noise;

pub const BODY: &str = "captures/0001/body.html";
pub const SCREENSHOT: &str = "captures/0001/screenshot.png";
pub const RECORD: &str = "captures/0001/record.json";
pub const ATTACHMENT: &str = "attachments/registration.pdf";
pub const PACKET: &str = "packet.pdf";

/// A case with one capture, one attachment, a packet and a three-event custody log.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Every file except the manifest, the custody log and SHA256SUMS.
    pub files: BTreeMap<String, Vec<u8>>,
    pub manifest: Manifest,
    pub events: Vec<CustodyEvent>,
}

pub fn chain(kinds: &[(&str, &str)]) -> Vec<CustodyEvent> {
    let mut prev = GENESIS_HASH;
    let mut out = Vec::new();
    for (i, (kind, detail)) in kinds.iter().enumerate() {
        let seq = i as i64 + 1;
        let at = format!("2026-03-0{seq}T10:00:00.000Z");
        let hash = CustodyEvent::compute_hash(seq, &at, kind, &prev, detail);
        out.push(CustodyEvent {
            seq,
            at,
            kind: (*kind).to_owned(),
            detail: (*detail).to_owned(),
            prev_hash: prev,
            hash,
        });
        prev = hash;
    }
    out
}

pub fn sample() -> Sample {
    let mut files = BTreeMap::new();
    let body = "<html><body><h1>Genuine-looking handbag</h1><p>Price: 19.99</p></body></html>\n"
        .repeat(200)
        .into_bytes();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(noise(1, 50_000));
    let record = br#"{"mode":"http","requested_url":"https://market.example/item/1"}"#.to_vec();
    let mut attachment = b"%PDF-1.7\n".to_vec();
    attachment.extend(noise(2, 20_000));
    let mut packet = b"%PDF-1.7\n".to_vec();
    packet.extend(noise(3, 30_000));
    files.insert(BODY.to_owned(), body.clone());
    files.insert(SCREENSHOT.to_owned(), png.clone());
    files.insert(RECORD.to_owned(), record.clone());
    files.insert(ATTACHMENT.to_owned(), attachment.clone());
    files.insert(PACKET.to_owned(), packet);

    let events = chain(&[
        ("case.created", r#"{"title":"Acme v. Sellers"}"#),
        ("capture.taken", r#"{"capture":1}"#),
        ("file.attached", r#"{"name":"registration.pdf"}"#),
    ]);
    let mut manifest = manifest(
        serde_json::json!({"venue": "example", "rights": ["TM 123"]}),
        capture(
            &record,
            vec![
                artifact("body", "text/html", BODY, &body),
                artifact("screenshot", "image/png", SCREENSHOT, &png),
            ],
        ),
        &events,
    );
    manifest.attachments.push(ManifestAttachment {
        name: "registration.pdf".into(),
        sha256: sha256(&attachment),
        size: attachment.len() as u64,
        path: ATTACHMENT.into(),
    });
    Sample {
        files,
        manifest,
        events,
    }
}

/// One artifact of a capture, as the manifest lists it.
pub fn artifact(kind: &str, media_type: &str, path: &str, bytes: &[u8]) -> ManifestArtifact {
    ManifestArtifact {
        kind: kind.into(),
        media_type: media_type.into(),
        size: bytes.len() as u64,
        sha256: sha256(bytes),
        path: path.into(),
    }
}

/// Capture 1, an ok HTTP capture of `https://market.example/item/1` whose record (at
/// [`RECORD`]) is `record`.
pub fn capture(record: &[u8], artifacts: Vec<ManifestArtifact>) -> ManifestCapture {
    ManifestCapture {
        id: 1,
        exhibit: "1".into(),
        requested_url: "https://market.example/item/1".into(),
        final_url: Some("https://market.example/item/1".into()),
        status: CaptureStatus::Ok,
        mode: "http".into(),
        started_at: "2026-03-02T10:00:00.000Z".into(),
        finished_at: "2026-03-02T10:00:01.000Z".into(),
        record_sha256: sha256(record),
        record_path: RECORD.into(),
        artifacts,
        timestamps: vec![],
    }
}

/// The manifest of case-1, "Acme v. Sellers", exported at [`mtime`]: one capture, no
/// attachments, its custody head at the last of `events`.
pub fn manifest(
    complaint: serde_json::Value,
    capture: ManifestCapture,
    events: &[CustodyEvent],
) -> Manifest {
    let last = events.last().unwrap();
    Manifest {
        format: MANIFEST_FORMAT.into(),
        tool: "exhibit".into(),
        tool_version: "0.1.0".into(),
        exported_at: "2026-03-04T12:00:00.000Z".into(),
        case: ManifestCase {
            id: "case-1".into(),
            title: "Acme v. Sellers".into(),
        },
        collector: Collector {
            name: "Ada Investigator".into(),
            ..Collector::default()
        },
        complaint,
        captures: vec![capture],
        attachments: vec![],
        custody: ManifestCustody {
            head_seq: last.seq,
            head_hash: last.hash,
            path: "custody.jsonl".into(),
        },
    }
}

/// A new file for a bundle: the writer reads it back to hash it.
pub fn create(path: &Path) -> std::fs::File {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .unwrap()
}

pub fn mtime() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).single().unwrap()
}

impl Sample {
    /// The writer, filled in an order other than sorted, to show order doesn't matter.
    pub fn writer(&self) -> BundleWriter<'static> {
        let mut w = BundleWriter::new();
        w.add_custody(&self.events).unwrap();
        for (path, bytes) in self.files.iter().rev() {
            w.add(path, bytes.clone()).unwrap();
        }
        w.add_manifest(&self.manifest).unwrap();
        w
    }

    /// Writes the bundle with [`BundleWriter`] to `dir/name`.
    pub fn write(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        self.writer().finish(&mut create(&path), mtime()).unwrap();
        path
    }

    /// Every file of the bundle except SHA256SUMS, as the writer would put them.
    pub fn all_files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut all = self.files.clone();
        all.insert("manifest.json".into(), self.manifest.to_bytes());
        all.insert("custody.jsonl".into(), custody_jsonl(&self.events));
        all
    }
}

/// SHA256SUMS for `files`, formatted here independently of the crate.
pub fn sums_for(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut out = String::new();
    for (path, bytes) in files {
        out.push_str(&format!("{}  {path}\n", sha256(bytes).to_hex()));
    }
    out.into_bytes()
}

/// `files` plus a matching SHA256SUMS.
pub fn with_sums(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let mut all = files.clone();
    all.insert("SHA256SUMS".into(), sums_for(files));
    all
}

/// Writes `files` with the `zip` crate's plain writer, then lets `extra` add entries.
pub fn plain_zip(
    path: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    extra: impl FnOnce(&mut zip::ZipWriter<std::fs::File>),
) {
    let f = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(f);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    extra(&mut zip);
    zip.finish().unwrap();
}

/// One entry for [`raw_zip`], with every header field under the test's control.
#[derive(Debug, Clone)]
pub struct RawEntry {
    pub name: Vec<u8>,
    /// The bytes as they sit in the ZIP (already compressed for method 8).
    pub data: Vec<u8>,
    pub method: u16,
    pub crc: u32,
    /// The declared uncompressed size.
    pub size: u32,
    pub flags: u16,
    pub external_attributes: u32,
    /// A different name for the local header only.
    pub local_name: Option<Vec<u8>>,
}

impl RawEntry {
    pub fn stored(name: &[u8], bytes: &[u8]) -> Self {
        RawEntry {
            name: name.to_vec(),
            data: bytes.to_vec(),
            method: 0,
            crc: crc32fast::hash(bytes),
            size: bytes.len() as u32,
            flags: 0,
            external_attributes: 0o100_644 << 16,
            local_name: None,
        }
    }

    pub fn deflated(name: &[u8], bytes: &[u8]) -> Self {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(bytes).unwrap();
        RawEntry {
            method: 8,
            data: enc.finish().unwrap(),
            ..Self::stored(name, bytes)
        }
    }
}

/// Builds a ZIP byte by byte: local headers and data, central directory, end record.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&e.flags.to_le_bytes());
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&e.size.to_le_bytes());
        let local_name = e.local_name.as_ref().unwrap_or(&e.name);
        out.extend_from_slice(&(local_name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(local_name);
        out.extend_from_slice(&e.data);

        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&(3u16 << 8 | 20).to_le_bytes()); // made by Unix
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&e.flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0x21u16.to_le_bytes());
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&e.size.to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        central.extend_from_slice(&e.external_attributes.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A ZIP of nothing but its end: a ZIP64 end of central directory record declaring
/// `entries` entries (46 bytes of directory each, at offset 0), its locator, and a
/// classic end record whose counts, size and offset all say "see the ZIP64 record".
pub fn zip64_end_only(entries: u64) -> Vec<u8> {
    let record: [&[u8]; 8] = [
        b"PK\x06\x06",
        &44u64.to_le_bytes(),          // the size of the rest of the record
        &[45, 3, 45, 0],               // made by Unix, version 4.5; 4.5 needed
        &[0; 8],                       // this disk, the directory's disk
        &entries.to_le_bytes(),        // entries on this disk
        &entries.to_le_bytes(),        // entries on all disks
        &(46 * entries).to_le_bytes(), // the directory's size
        &0u64.to_le_bytes(),           // the directory's offset
    ];
    let locator: [&[u8]; 4] = [
        b"PK\x06\x07",
        &[0; 4],             // the disk of the ZIP64 record
        &0u64.to_le_bytes(), // the ZIP64 record's offset
        &1u32.to_le_bytes(), // disks in all
    ];
    let end: [&[u8]; 5] = [
        b"PK\x05\x06",
        &[0; 4],    // this disk, the directory's disk
        &[0xff; 4], // entries on this disk and on all: see ZIP64
        &[0xff; 8], // the directory's size and offset: see ZIP64
        &[0; 2],    // no comment
    ];
    [record.concat(), locator.concat(), end.concat()].concat()
}

/// The sample's files, SHA256SUMS included, as stored raw entries.
pub fn sample_raw_entries() -> Vec<RawEntry> {
    with_sums(&sample().all_files())
        .iter()
        .map(|(name, bytes)| RawEntry::stored(name.as_bytes(), bytes))
        .collect()
}

pub fn codes(report: &BundleReport) -> Vec<&'static str> {
    report.problems.iter().map(Problem::code).collect()
}

/// The problems with `code`, as their sentences, for assertions that name the file.
pub fn sentences(report: &BundleReport, code: &str) -> Vec<String> {
    report
        .problems
        .iter()
        .filter(|p| p.code() == code)
        .map(ToString::to_string)
        .collect()
}
