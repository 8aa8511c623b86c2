//! The bundle at its boundary: real ZIP files on disk, written by the writer, by the
//! `zip` crate, or byte by byte, then checked by the verifier (and by `unzip` and
//! `sha256sum -c`).
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use chrono::{TimeZone, Utc};
use exhibit_bundle::{
    BombReason, BundleReport, BundleWriter, CustodyHead, Limits, Problem, custody_jsonl,
    verify_bundle, verify_bundle_with,
};
use exhibit_domain::{CustodyEvent, sha256};
use support::*;
use zip::write::SimpleFileOptions;

fn verify(path: &Path) -> BundleReport {
    verify_bundle(path).unwrap()
}

fn write_raw(dir: &Path, entries: &[RawEntry]) -> std::path::PathBuf {
    let path = dir.join("raw.zip");
    std::fs::write(&path, raw_zip(entries)).unwrap();
    path
}

fn assert_only(report: &BundleReport, code: &str) {
    assert!(
        !report.problems.is_empty() && report.problems.iter().all(|p| p.code() == code),
        "expected only {code}, got {:#?}",
        report.problems
    );
}

// ---------------------------------------------------------------- the writer

#[test]
fn a_written_bundle_verifies_intact() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    let mut writer = sample.writer();
    let again = writer.add_manifest(&sample.manifest).err();
    assert_eq!(again.map(|e| e.code()), Some("duplicate_path"));
    let path = dir.path().join("bundle.zip");
    let summary = writer.finish(&mut create(&path), mtime()).unwrap();

    let report = verify(&path);
    assert!(report.is_intact(), "{:#?}", report.problems);
    // Five files, the manifest, the custody log and SHA256SUMS.
    assert_eq!(report.files_checked, 8);
    assert_eq!(summary.files.len(), 8);
    assert_eq!(report.manifest_digest, Some(sample.manifest.digest()));
    let last = sample.events.last().unwrap();
    assert_eq!(
        report.custody_head,
        Some(CustodyHead {
            seq: last.seq,
            hash: last.hash
        })
    );
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(summary.zip_sha256, sha256(&bytes));
    assert_eq!(summary.zip_size, bytes.len() as u64);
    let body = summary.files.iter().find(|f| f.path == BODY).unwrap();
    assert_eq!(body.sha256, sha256(&sample.files[BODY]));
    assert!(body.deflated);
}

#[test]
#[cfg_attr(
    windows,
    ignore = "runs unzip and sha256sum, which Windows does not have"
)]
fn sha256sum_checks_an_unzipped_bundle() {
    // unzip and sha256sum come from the unzip and coreutils packages.
    let dir = tempfile::tempdir().unwrap();
    let bundle = sample().write(dir.path(), "bundle.zip");
    let out = dir.path().join("out");
    let unzip = Command::new("unzip")
        .arg("-q")
        .arg(&bundle)
        .arg("-d")
        .arg(&out)
        .status()
        .expect("unzip is installed");
    assert!(unzip.success());
    let check = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&out)
        .output()
        .expect("sha256sum is installed");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(stdout.lines().filter(|l| l.ends_with(": OK")).count(), 7);

    // And it notices a change, so the check above is a real one.
    std::fs::write(out.join(BODY), b"changed").unwrap();
    let check = Command::new("sha256sum")
        .args(["-c", "--strict", "--quiet", "SHA256SUMS"])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(!check.status.success());
}

#[test]
fn two_writes_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    let a = sample.write(dir.path(), "a.zip");
    // The same files added in sorted order instead of reverse.
    let mut w = BundleWriter::new();
    for (path, bytes) in &sample.files {
        w.add(path, bytes.clone()).unwrap();
    }
    w.add_manifest(&sample.manifest).unwrap();
    w.add_custody(&sample.events).unwrap();
    let mut b = std::io::Cursor::new(Vec::new());
    w.finish(&mut b, mtime()).unwrap();
    let b = b.into_inner();
    assert_eq!(std::fs::read(&a).unwrap(), b);

    // A different time gives different bytes: the time really is in the ZIP.
    let later = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single().unwrap();
    let mut c = std::io::Cursor::new(Vec::new());
    sample.writer().finish(&mut c, later).unwrap();
    assert_ne!(b, c.into_inner());
}

/// The sample's files given as readers that count how often they are opened.
fn streamed<'a>(
    sample: &'a Sample,
    opened: &'a std::cell::Cell<usize>,
    change: Option<&'a str>,
) -> BundleWriter<'a> {
    let mut w = BundleWriter::new();
    w.add_manifest(&sample.manifest).unwrap();
    w.add_custody(&sample.events).unwrap();
    for (path, bytes) in &sample.files {
        let changed = change == Some(path.as_str());
        w.add_reader(path, bytes.len() as u64, sha256(bytes), move || {
            opened.set(opened.get() + 1);
            let mut b = bytes.clone();
            if changed && let Some(first) = b.first_mut() {
                *first ^= 1;
            }
            Ok(std::io::Cursor::new(b))
        })
        .unwrap();
    }
    w
}

#[test]
fn files_given_as_readers_make_the_same_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    let a = sample.write(dir.path(), "a.zip");
    let opened = std::cell::Cell::new(0);
    let path = dir.path().join("b.zip");
    let summary = streamed(&sample, &opened, None)
        .finish(&mut create(&path), mtime())
        .unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&path).unwrap());
    assert!(opened.get() >= sample.files.len());
    // The hash the writer read back is the file's.
    assert_eq!(summary.zip_sha256, sha256(&std::fs::read(&path).unwrap()));
    assert!(verify(&path).is_intact());
}

#[test]
fn a_reader_that_gives_other_bytes_stops_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    let opened = std::cell::Cell::new(0);
    let victim = sample.files.keys().next().unwrap().clone();
    let err = streamed(&sample, &opened, Some(&victim))
        .finish(&mut create(&dir.path().join("c.zip")), mtime())
        .unwrap_err();
    assert_eq!(err.code(), "source_changed", "{err}");
    assert!(err.to_string().contains(&victim), "{err}");

    // And one that is shorter or longer than it said.
    for size in [1u64, 1 << 20] {
        let mut w = BundleWriter::new();
        w.add_reader("a.txt", size, sha256(b"hello"), || Ok(&b"hello"[..]))
            .unwrap();
        let err = w
            .finish(&mut std::io::Cursor::new(Vec::new()), mtime())
            .unwrap_err();
        assert_eq!(err.code(), "source_changed", "{err}");
    }
}

#[test]
fn entries_carry_fixed_metadata_and_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample().write(dir.path(), "bundle.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names[0], "SHA256SUMS");
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2026, 3, 4, 12, 0, 0),
            "{}",
            f.name().unwrap()
        );
        assert_eq!(f.unix_mode(), Some(0o100_644));
        assert_eq!(f.extra_data_fields().count(), 0, "{}", f.name().unwrap());
        assert!(f.extra_data().is_none_or(|e| e.is_empty()));
        let expected = if f.name().unwrap().ends_with(".png") || f.name().unwrap().ends_with(".pdf")
        {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(f.compression(), expected, "{}", f.name().unwrap());
    }
}

#[test]
fn already_compressed_kinds_are_stored_even_when_deflate_would_shrink_them() {
    let mut w = BundleWriter::new();
    w.add("shot.png", vec![0u8; 10_000]).unwrap();
    w.add("note.txt", vec![0u8; 10_000]).unwrap();
    let summary = w
        .finish(&mut std::io::Cursor::new(Vec::new()), mtime())
        .unwrap();
    let deflated: Vec<(&str, bool)> = summary
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.deflated))
        .collect();
    assert_eq!(
        deflated,
        [
            ("SHA256SUMS", true),
            ("note.txt", true),
            ("shot.png", false)
        ]
    );
}

#[test]
fn times_before_1980_clamp_to_1980() {
    let mut w = BundleWriter::new();
    w.add("a.txt", b"a".to_vec()).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    let epoch = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single().unwrap();
    w.finish(&mut out, epoch).unwrap();
    let mut zip = zip::ZipArchive::new(out).unwrap();
    let t = zip.by_index_raw(0).unwrap().last_modified().unwrap();
    assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
}

#[test]
fn highly_compressible_files_are_stored_so_the_bomb_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = BundleWriter::new();
    w.add("zeros.txt", vec![0u8; 8 * 1024 * 1024]).unwrap();
    let path = dir.path().join("zeros.zip");
    let summary = w.finish(&mut create(&path), mtime()).unwrap();
    assert!(
        !summary
            .files
            .iter()
            .any(|f| f.path == "zeros.txt" && f.deflated)
    );
    // No manifest or custody log here, so only those two problems.
    assert_eq!(
        codes(&verify(&path)),
        ["manifest_missing", "custody_broken"]
    );
}

// ---------------------------------------------------------------- not a bundle

fn assert_not_a_bundle(path: &Path, why: &str) {
    let err = verify_bundle(path).unwrap_err();
    assert_eq!(err.code(), "not_a_bundle", "{err}");
    assert!(
        err.to_string()
            .starts_with("This file is not an Exhibit evidence bundle, or it is damaged: "),
        "{err}"
    );
    assert!(err.to_string().contains(why), "{err}");
}

#[test]
fn random_bytes_are_not_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.zip");
    std::fs::write(&path, noise(9, 100_000)).unwrap();
    assert_not_a_bundle(&path, "no ZIP directory");
}

#[test]
fn an_empty_file_is_not_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.zip");
    std::fs::write(&path, b"").unwrap();
    assert_not_a_bundle(&path, "empty");
}

#[test]
fn a_truncated_bundle_is_not_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample().write(dir.path(), "bundle.zip");
    let bytes = std::fs::read(&path).unwrap();
    for keep in [bytes.len() / 2, bytes.len() - 10, 30] {
        std::fs::write(&path, &bytes[..keep]).unwrap();
        assert_not_a_bundle(&path, "no ZIP directory");
    }
}

#[test]
fn a_corrupt_central_directory_is_not_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample().write(dir.path(), "bundle.zip");
    let mut bytes = std::fs::read(&path).unwrap();
    let cd = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[cd..cd + 4].copy_from_slice(b"XXXX");
    std::fs::write(&path, &bytes).unwrap();
    assert_not_a_bundle(&path, "directory is corrupt");
}

#[test]
fn a_missing_file_cannot_be_read() {
    let err = verify_bundle(Path::new("/nonexistent/bundle.zip")).unwrap_err();
    assert_eq!(err.code(), "cannot_read");
}

// ---------------------------------------------------------------- hostile names

fn with_hostile_raw(extra: RawEntry) -> (tempfile::TempDir, BundleReport) {
    let dir = tempfile::tempdir().unwrap();
    let mut entries = sample_raw_entries();
    entries.push(extra);
    let path = write_raw(dir.path(), &entries);
    let before = std::fs::read_dir(dir.path()).unwrap().count();
    let report = verify(&path);
    // Nothing was extracted or written next to the bundle.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), before);
    (dir, report)
}

/// Adds an entry named `name` to a good bundle; the one problem must be `unsafe_path`,
/// naming it as `shown`, for the reason containing `why`.
fn assert_unsafe(name: &[u8], shown: &str, why: &str) {
    let (_dir, report) = with_hostile_raw(RawEntry::stored(name, b"root:x:0:0"));
    assert_only(&report, "unsafe_path");
    let s = sentences(&report, "unsafe_path");
    assert!(s[0].contains(&format!("\"{shown}\"")), "{s:?}");
    assert!(s[0].contains(why), "{s:?}");
}

#[test]
fn parent_traversal_is_unsafe() {
    assert_unsafe(b"../../etc/passwd", "../../etc/passwd", "'..'");
    assert_unsafe(b"captures/../../x", "captures/../../x", "'..'");
}

#[test]
fn an_absolute_path_is_unsafe() {
    assert_unsafe(b"/abs", "/abs", "absolute");
}

#[test]
fn a_drive_path_is_unsafe() {
    assert_unsafe(b"C:\\x", "C:\\\\x", "backslash");
    assert_unsafe(b"C:x", "C:x", "drive letter");
}

#[test]
fn a_backslash_is_unsafe() {
    assert_unsafe(b"captures\\evil.txt", "captures\\\\evil.txt", "backslash");
    assert_unsafe(
        b"\\\\server\\share\\x",
        "\\\\\\\\server\\\\share\\\\x",
        "backslash",
    );
}

#[test]
fn control_characters_are_unsafe() {
    assert_unsafe(b"a\0b.txt", "a\\x00b.txt", "control character");
    assert_unsafe(b"a\x1b[2Jb.txt", "a\\x1b[2Jb.txt", "control character");
    assert_unsafe(
        "caf\u{e9}.txt".as_bytes(),
        "caf\\xc3\\xa9.txt",
        "printable ASCII",
    );
}

#[test]
fn the_zip_writer_writes_traversal_names_and_the_verifier_catches_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.zip");
    plain_zip(&path, &with_sums(&sample().all_files()), |zip| {
        zip.start_file("../../etc/passwd", SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"root:x:0:0").unwrap();
    });
    let report = verify(&path);
    assert_only(&report, "unsafe_path");
}

#[test]
fn duplicate_names_are_unsafe() {
    // The zip writer refuses duplicates, so this one is built by hand.
    let mut entries = sample_raw_entries();
    entries.push(RawEntry::stored(BODY.as_bytes(), b"another body"));
    let dir = tempfile::tempdir().unwrap();
    let report = verify(&write_raw(dir.path(), &entries));
    assert!(
        report.problems.iter().any(|p| matches!(
            p,
            Problem::DuplicateNames {
                entries: 9,
                distinct: 8
            }
        )),
        "{:#?}",
        report.problems
    );
}

#[test]
fn names_equal_but_for_case_are_unsafe() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = sample().all_files();
    files.insert("notes/A.txt".into(), b"one".to_vec());
    files.insert("notes/a.txt".into(), b"two".to_vec());
    let path = dir.path().join("case.zip");
    // Both are listed with their right hashes: only the collision is wrong.
    plain_zip(&path, &with_sums(&files), |_| {});
    let report = verify(&path);
    assert_eq!(codes(&report), ["unsafe_path"], "{:#?}", report.problems);
    assert!(sentences(&report, "unsafe_path")[0].contains("notes/a.txt"));
}

#[test]
fn a_file_that_is_also_a_folder_is_unsafe() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = sample().all_files();
    files.insert("captures".into(), b"not a folder".to_vec());
    let path = dir.path().join("clash.zip");
    plain_zip(&path, &with_sums(&files), |_| {});
    let report = verify(&path);
    assert_eq!(codes(&report), ["unsafe_path"], "{:#?}", report.problems);
}

// ---------------------------------------------------------------- links and folders

#[test]
fn a_symlink_entry_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("link.zip");
    let mut files = sample().all_files();
    // Listed in SHA256SUMS with the hash of its target text, so only its type is wrong.
    files.insert("evidence.txt".into(), b"/etc/passwd".to_vec());
    let mut listed = with_sums(&files);
    listed.remove("evidence.txt");
    plain_zip(&path, &listed, |zip| {
        zip.add_symlink("evidence.txt", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
    });
    let report = verify(&path);
    assert_eq!(codes(&report), ["link_entry"], "{:#?}", report.problems);
    let links = sentences(&report, "link_entry");
    assert!(
        links[0].contains("\"evidence.txt\" is a symbolic link"),
        "{links:?}"
    );
}

#[test]
fn a_symlink_built_by_hand_is_reported() {
    let mut link = RawEntry::stored(b"docs/link", b"../../../../etc/shadow");
    link.external_attributes = 0o120_777 << 16;
    let (_dir, report) = with_hostile_raw(link);
    // Not listed in SHA256SUMS either.
    assert_eq!(
        codes(&report),
        ["link_entry", "extra_file"],
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_folder_with_content_is_reported() {
    let (_dir, report) = with_hostile_raw(RawEntry::stored(b"docs/", b"hidden bytes"));
    assert_eq!(codes(&report), ["link_entry"], "{:#?}", report.problems);
}

#[test]
fn an_empty_folder_entry_is_fine() {
    let mut dir_entry = RawEntry::stored(b"captures/", b"");
    dir_entry.external_attributes = 0o040_755 << 16 | 0x10;
    let (_dir, report) = with_hostile_raw(dir_entry);
    assert!(report.is_intact(), "{:#?}", report.problems);
}

#[test]
fn local_and_central_names_that_disagree_are_reported() {
    // Tools that stream the local headers would extract "../evil.sh"; tools that read
    // the directory see "notes.txt".
    let mut e = RawEntry::stored(b"notes.txt", b"#!/bin/sh");
    e.local_name = Some(b"../evil.sh".to_vec());
    let (_dir, report) = with_hostile_raw(e);
    assert!(
        codes(&report).contains(&"inconsistent_zip"),
        "{:#?}",
        report.problems
    );
}

#[test]
fn an_encrypted_entry_is_reported() {
    let mut e = RawEntry::stored(b"secret.txt", b"ciphertext!!");
    e.flags |= 1;
    let (_dir, report) = with_hostile_raw(e);
    // Unread, and not in SHA256SUMS either.
    assert_eq!(
        codes(&report),
        ["encrypted_entry", "extra_file"],
        "{:#?}",
        report.problems
    );
}

#[test]
fn an_unknown_compression_method_is_reported() {
    let mut e = RawEntry::stored(b"notes.bz2", b"BZh91AY&SY");
    e.method = 12;
    let (_dir, report) = with_hostile_raw(e);
    assert!(codes(&report).contains(&"unsupported_compression"));
}

// ---------------------------------------------------------------- bombs

/// A real bomb: 3 GiB of zeros deflated into a few MB, written streaming.
#[test]
fn a_three_gib_bomb_trips_the_ratio_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.zip");
    plain_zip(&path, &with_sums(&sample().all_files()), |zip| {
        let options = SimpleFileOptions::default().large_file(true);
        zip.start_file("captures/0001/huge.txt", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..3072 {
            zip.write_all(&zeros).unwrap();
        }
    });
    let on_disk = std::fs::metadata(&path).unwrap().len();
    assert!(on_disk < 8 << 20, "bomb is {on_disk} bytes");
    let report = verify(&path);
    assert!(
        report.problems.iter().any(|p| matches!(
            p,
            Problem::DecompressionBomb {
                name: Some(n),
                reason: BombReason::Ratio { limit: 200, .. }
            } if n == "captures/0001/huge.txt"
        )),
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_lying_declared_size_is_caught_by_counting() {
    // Declares 1,000 bytes; inflates to 64 MiB.
    let mut e = RawEntry::deflated(b"captures/0001/small.txt", &vec![0u8; 64 << 20]);
    e.size = 1000;
    let (_dir, report) = with_hostile_raw(e);
    assert!(
        report.problems.iter().any(|p| matches!(
            p,
            Problem::DecompressionBomb {
                reason: BombReason::LargerThanDeclared { declared: 1000 },
                ..
            }
        )),
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_declared_size_larger_than_the_data_is_corrupt() {
    let mut e = RawEntry::deflated(b"notes.txt", b"short");
    e.size = 1 << 30;
    let (_dir, report) = with_hostile_raw(e);
    assert!(
        codes(&report).contains(&"corrupt_entry"),
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_bad_crc_is_corrupt() {
    let mut e = RawEntry::stored(b"notes.txt", b"some notes");
    e.crc ^= 1;
    let (_dir, report) = with_hostile_raw(e);
    assert!(
        codes(&report).contains(&"corrupt_entry"),
        "{:#?}",
        report.problems
    );
}

fn verify_sample_with(limits: Limits) -> BundleReport {
    let dir = tempfile::tempdir().unwrap();
    let path = sample().write(dir.path(), "bundle.zip");
    verify_bundle_with(&path, &limits).unwrap()
}

#[test]
fn the_per_entry_limit_counts_produced_bytes() {
    let report = verify_sample_with(Limits {
        max_entry_bytes: 40_000,
        ..Limits::default()
    });
    // The 50 KB screenshot and 30 KB packet: only the screenshot is over.
    let over: Vec<_> = report
        .problems
        .iter()
        .filter_map(|p| match p {
            Problem::DecompressionBomb {
                name: Some(n),
                reason: BombReason::EntryTooLarge { limit: 40_000 },
            } => Some(n.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(over, [SCREENSHOT], "{:#?}", report.problems);
}

#[test]
fn the_total_limit_stops_reading() {
    let report = verify_sample_with(Limits {
        max_total_bytes: 60_000,
        ..Limits::default()
    });
    let total = report
        .problems
        .iter()
        .filter(|p| {
            matches!(
                p,
                Problem::DecompressionBomb {
                    reason: BombReason::TotalTooLarge { limit: 60_000 },
                    ..
                }
            )
        })
        .count();
    assert_eq!(total, 1, "{:#?}", report.problems);
    assert!(report.files_checked < 8);
}

#[test]
fn the_entry_count_is_capped_before_parsing() {
    let report = verify_sample_with(Limits {
        max_entries: 5,
        ..Limits::default()
    });
    assert_eq!(
        report.problems,
        [Problem::DecompressionBomb {
            name: None,
            reason: BombReason::TooManyEntries {
                declared: 8,
                limit: 5
            }
        }]
    );
    assert_eq!(report.files_checked, 0);
}

#[test]
fn a_forged_zip64_entry_count_is_refused_without_parsing() {
    // A ZIP64 end record claiming ten million entries, in a file of a few hundred bytes.
    let bytes = zip64_end_only(10_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.zip");
    std::fs::write(&path, bytes).unwrap();
    let report = verify(&path);
    assert!(
        matches!(
            report.problems.as_slice(),
            [Problem::DecompressionBomb {
                reason: BombReason::TooManyEntries {
                    declared: 10_000_000,
                    ..
                },
                ..
            }]
        ),
        "{:#?}",
        report.problems
    );
}

// ---------------------------------------------------------------- SHA256SUMS

fn tampered(
    edit: impl FnOnce(&mut BTreeMap<String, Vec<u8>>),
    fix_sums: bool,
) -> (tempfile::TempDir, BundleReport) {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    let mut files = sample.all_files();
    let all = if fix_sums {
        edit(&mut files);
        with_sums(&files)
    } else {
        let mut all = with_sums(&files);
        edit(&mut all);
        all
    };
    let path = dir.path().join("tampered.zip");
    plain_zip(&path, &all, |_| {});
    let report = verify(&path);
    (dir, report)
}

#[test]
fn a_changed_byte_is_a_hash_mismatch() {
    let (_dir, report) = tampered(
        |files| {
            let png = files.get_mut(SCREENSHOT).unwrap();
            png[1000] ^= 0x01;
        },
        false,
    );
    let mismatches = sentences(&report, "hash_mismatch");
    assert_eq!(mismatches.len(), 1, "{:#?}", report.problems);
    assert!(mismatches[0].contains(SCREENSHOT));
    // The manifest notices too.
    assert!(codes(&report).contains(&"manifest_mismatch"));
}

#[test]
fn a_missing_file_is_reported() {
    let (_dir, report) = tampered(
        |files| {
            files.remove(PACKET);
        },
        false,
    );
    assert_eq!(codes(&report), ["missing_file"], "{:#?}", report.problems);
    assert!(sentences(&report, "missing_file")[0].contains(PACKET));
}

#[test]
fn an_extra_file_is_reported() {
    let (_dir, report) = tampered(
        |files| {
            files.insert(
                "captures/0001/planted.html".into(),
                b"<p>planted</p>".to_vec(),
            );
        },
        false,
    );
    assert_eq!(codes(&report), ["extra_file"], "{:#?}", report.problems);
    assert!(sentences(&report, "extra_file")[0].contains("planted.html"));
}

#[test]
fn missing_sums_are_reported() {
    let (_dir, report) = tampered(
        |files| {
            files.remove("SHA256SUMS");
        },
        false,
    );
    assert_eq!(codes(&report), ["sums_missing"], "{:#?}", report.problems);
}

#[test]
fn malformed_sums_are_reported() {
    let (_dir, report) = tampered(
        |files| {
            let sums = files.get_mut("SHA256SUMS").unwrap();
            // One space instead of two on the first line.
            sums.remove(64);
        },
        false,
    );
    assert_eq!(codes(&report), ["sums_malformed"], "{:#?}", report.problems);
    assert!(sentences(&report, "sums_malformed")[0].contains("line 1"));
}

#[test]
fn sums_that_point_outside_the_bundle_are_malformed() {
    let (_dir, report) = tampered(
        |files| {
            let sums = files.get_mut("SHA256SUMS").unwrap();
            let line = format!("{}  ../../etc/hosts\n", sha256(b"x"));
            sums.extend_from_slice(line.as_bytes());
        },
        false,
    );
    assert_eq!(codes(&report), ["sums_malformed"], "{:#?}", report.problems);
}

// ---------------------------------------------------------------- manifest

#[test]
fn a_manifest_that_disagrees_with_a_file_is_reported() {
    let (_dir, report) = tampered(
        |files| {
            let mut sample = sample();
            sample.manifest.captures[0].artifacts[1].sha256 = sha256(b"something else");
            files.insert("manifest.json".into(), sample.manifest.to_bytes());
        },
        true,
    );
    assert_eq!(
        codes(&report),
        ["manifest_mismatch"],
        "{:#?}",
        report.problems
    );
    assert!(sentences(&report, "manifest_mismatch")[0].contains(SCREENSHOT));
}

#[test]
fn a_manifest_naming_a_missing_artifact_is_reported() {
    let (_dir, report) = tampered(
        |files| {
            let mut sample = sample();
            sample.manifest.captures[0].artifacts[0].path = "captures/0001/gone.html".into();
            files.insert("manifest.json".into(), sample.manifest.to_bytes());
        },
        true,
    );
    assert_eq!(
        codes(&report),
        ["manifest_mismatch"],
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_missing_or_unreadable_manifest_is_reported() {
    let (_dir, report) = tampered(
        |files| {
            files.remove("manifest.json");
        },
        true,
    );
    assert_eq!(
        codes(&report),
        ["manifest_missing"],
        "{:#?}",
        report.problems
    );

    let (_dir, report) = tampered(
        |files| {
            files.insert("manifest.json".into(), b"{\"format\": ".to_vec());
        },
        true,
    );
    assert_eq!(
        codes(&report),
        ["manifest_invalid"],
        "{:#?}",
        report.problems
    );
    assert!(report.manifest_digest.is_some());
}

// ---------------------------------------------------------------- custody

fn with_events(events: &[CustodyEvent]) -> BundleReport {
    let events = events.to_vec();
    tampered(
        move |files| {
            files.insert("custody.jsonl".into(), custody_jsonl(&events));
        },
        true,
    )
    .1
}

#[test]
fn a_changed_custody_event_breaks_the_chain() {
    let mut events = sample().events;
    events[1].detail = r#"{"capture":2}"#.into();
    let report = with_events(&events);
    assert_eq!(codes(&report), ["custody_broken"], "{:#?}", report.problems);
    let s = sentences(&report, "custody_broken");
    assert!(
        s[0].contains("line 2") && s[0].contains("was changed"),
        "{s:?}"
    );
}

#[test]
fn a_broken_custody_link_is_reported() {
    // Event 3 rehashed consistently, but pointing at a made-up predecessor.
    let mut events = sample().events;
    let e = &mut events[2];
    e.prev_hash = sha256(b"a forged predecessor");
    e.hash = CustodyEvent::compute_hash(e.seq, &e.at, &e.kind, &e.prev_hash, &e.detail);
    let report = with_events(&events);
    assert_eq!(codes(&report), ["custody_broken"], "{:#?}", report.problems);
    assert!(sentences(&report, "custody_broken")[0].contains("does not link"));
}

#[test]
fn a_gap_in_custody_seq_is_reported() {
    let mut events = sample().events;
    events.remove(1);
    let report = with_events(&events);
    assert_eq!(codes(&report), ["custody_broken"], "{:#?}", report.problems);
    let s = sentences(&report, "custody_broken");
    assert!(
        s[0].contains("numbered 3 stands where event 2 should"),
        "{s:?}"
    );
}

#[test]
fn a_custody_log_cut_short_no_longer_matches_the_manifest_head() {
    let mut events = sample().events;
    events.pop();
    let report = with_events(&events);
    assert_eq!(codes(&report), ["custody_broken"], "{:#?}", report.problems);
    assert!(sentences(&report, "custody_broken")[0].contains("manifest records the head"));
    assert_eq!(report.custody_head.map(|h| h.seq), Some(2));
}

#[test]
fn an_unparseable_custody_line_is_reported() {
    let (_dir, report) = tampered(
        |files| {
            let log = files.get_mut("custody.jsonl").unwrap();
            log.extend_from_slice(b"not json\n");
        },
        true,
    );
    assert_eq!(codes(&report), ["custody_broken"], "{:#?}", report.problems);
    assert!(sentences(&report, "custody_broken")[0].contains("line 4"));
}
