//! The facade calls the desktop app is built on, against a real case file and a real
//! local server: a batch that reports each start and end and can be cancelled without
//! losing what was committed, the complaint draft kept in the case, certificates
//! attached by name, the paged gallery, thumbnails, and an export of the draft with its
//! progress steps and its cancel.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use exhibit::{
    BatchEvent, BatchOptions, CaptureQuery, Case, ComplaintFile, ExportTarget, Passphrase,
};
use exhibit_e2e::TestServer;

const PASS: &str = "correct horse battery staple 42";

fn new_case(dir: &tempfile::TempDir) -> (PathBuf, Case) {
    let path = dir.path().join("app.exhibit");
    let case =
        Case::create(&path, &Passphrase::new(PASS.into()), "App case", None).expect("create");
    (path, case)
}

#[test]
fn a_cancelled_batch_keeps_what_was_committed_and_says_what_never_started() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, case) = new_case(&dir);
    // Two quick pages first, then pages that hold the socket: the batch is cancelled
    // while they hang, so the rest never start.
    let mut urls = vec![server.http_url("/ok"), server.http_url("/ok?second")];
    urls.extend((0..6).map(|i| server.http_url(&format!("/stall-headers?{i}"))));
    let cancel = Arc::new(AtomicBool::new(false));
    let options = BatchOptions {
        concurrency: 1,
        cancel: Some(Arc::clone(&cancel)),
        ..BatchOptions::default()
    };
    let mut fetch = options.fetch.clone();
    fetch.timeout = std::time::Duration::from_secs(3);
    let options = BatchOptions { fetch, ..options };
    let mut events = Vec::new();
    let summary = case
        .capture_urls(urls.clone(), options, |e| {
            if let BatchEvent::Started { index: 2, .. } = e {
                cancel.store(true, Ordering::Relaxed);
            }
            events.push(e.clone());
        })
        .expect("batch");
    // Each URL that started was reported started before it was reported finished.
    for (i, _) in urls.iter().enumerate().take(3) {
        let started = events
            .iter()
            .position(|e| matches!(e, BatchEvent::Started { index, .. } if *index == i));
        let finished = events
            .iter()
            .position(|e| matches!(e, BatchEvent::Finished(o) if o.index == i));
        assert!(
            started.is_some() && started < finished,
            "url {i}: {events:?}"
        );
    }
    assert_eq!(summary.total, 8);
    assert_eq!(summary.ok, 2);
    assert_eq!(
        summary.failed, 1,
        "the stalled one in flight ends as failed"
    );
    assert_eq!(summary.cancelled, 5);
    let cancelled: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            BatchEvent::Cancelled { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(cancelled, vec![3, 4, 5, 6, 7]);
    assert!(!summary.all_recorded());
    drop(case);

    // What was committed survives reopening, and nothing was recorded for the rest.
    let case = Case::open(&path, &Passphrase::new(PASS.into())).expect("reopen");
    assert_eq!(case.capture_count().expect("count"), 3);
    assert!(case.verify(false).expect("verify").ok);
}

#[test]
fn the_draft_certificates_gallery_and_export_live_in_the_case() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, case) = new_case(&dir);
    let urls: Vec<String> = (0..3)
        .map(|i| server.http_url(&format!("/ok?{i}")))
        .collect();
    let summary = case
        .capture_urls(urls, BatchOptions::default(), |_| {})
        .expect("batch");
    assert_eq!(summary.ok, 3);

    // A certificate attached twice under the same file name gets a second name.
    let cert = dir.path().join("tm.pdf");
    std::fs::write(&cert, b"%PDF-1.4\n% a registration certificate\n").expect("write");
    let first = case.attach(&cert).expect("attach");
    let second = case.attach(&cert).expect("attach again");
    assert_eq!(first.name, "certificates/tm.pdf");
    assert_eq!(second.name, "certificates/tm-2.pdf");
    assert_eq!(first.media_type, "application/pdf");
    assert_eq!(
        first.sha256,
        exhibit::sha256(&std::fs::read(&cert).expect("read")).to_hex()
    );
    let folder = case.attach(dir.path());
    assert_eq!(folder.expect_err("a folder").code(), "bad_input");

    // The draft: a DMCA notice over every ok capture, citing the attached certificate.
    let mut draft: ComplaintFile = toml_draft(&first.name);
    let check = case.check_draft(&draft).expect("check");
    assert!(!check.has_errors(), "{:?}", check.issues);
    assert_eq!(check.batches.iter().sum::<usize>(), 3);
    case.save_draft(&draft).expect("save");

    // Without its certificate attached, the draft says what to fix.
    draft.rights[0].certificates = vec!["certificates/missing.pdf".into()];
    let check = case.check_draft(&draft).expect("check");
    assert!(check.has_errors());
    assert!(
        check.issues.iter().any(|i| i.field.starts_with("right")),
        "{:?}",
        check.issues
    );
    drop(case);

    let case = Case::open(&path, &Passphrase::new(PASS.into())).expect("reopen");
    let draft = case.draft().expect("draft").expect("saved");
    assert_eq!(draft.rights[0].certificates, vec![first.name.clone()]);

    // The gallery pages newest first.
    let page = case
        .capture_page(&CaptureQuery {
            offset: 0,
            limit: 2,
            ..CaptureQuery::default()
        })
        .expect("page");
    assert_eq!(page.total, 3);
    assert_eq!(page.items.len(), 2);
    assert!(page.items[0].id > page.items[1].id);
    let linked = case
        .capture_page(&CaptureQuery {
            limit: 10,
            linked: Some(true),
            ..CaptureQuery::default()
        })
        .expect("linked");
    assert_eq!(linked.total, 0, "all_ok links no capture by id");
    let bad = case.image(page.items[0].id, "body", Some(100));
    assert_eq!(bad.expect_err("html is no image").code(), "bad_input");

    // Export: progress steps in order, then a cancelled export writes nothing.
    let out = dir.path().join("out");
    let target = ExportTarget {
        out_dir: out.clone(),
        bates_prefix: Some("ACME-".into()),
        time: chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
            .expect("time")
            .to_utc(),
        tsa: None,
    };
    let cancel = AtomicBool::new(false);
    let mut steps = Vec::new();
    let report = case
        .export_draft(&draft, &target, &mut |s| steps.push(s.clone()), &cancel)
        .expect("export");
    assert!(report.packet.exists() && report.bundle.exists());
    assert!(
        exhibit::verify_bundle(&report.bundle)
            .expect("verify")
            .is_intact()
    );
    assert_eq!(
        steps.first().map(|s| s.step.as_str()),
        Some("Checking the complaint")
    );
    assert_eq!(
        steps.last().map(|s| s.step.as_str()),
        Some("Checking the bundle")
    );
    assert!(
        steps.windows(2).all(|w| w[0].done <= w[1].done),
        "{steps:?}"
    );
    // The bundle carries the attached certificate.
    let zip = std::fs::read(&report.bundle).expect("bundle");
    assert!(
        zip.windows(b"certificates".len())
            .any(|w| w == b"certificates"),
        "the certificate is in the bundle"
    );

    let out2 = dir.path().join("out2");
    let cancel = AtomicBool::new(false);
    let err = case
        .export_draft(
            &draft,
            &ExportTarget {
                out_dir: out2.clone(),
                ..target
            },
            &mut |s| {
                if s.step == "Laying out the packet" {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .expect_err("cancelled");
    assert_eq!(err.code(), "cancelled");
    assert!(!out2.exists(), "a cancelled export writes nothing");
}

fn toml_draft(certificate: &str) -> ComplaintFile {
    let text = format!(
        r#"
venue = "dmca"
narrative = "These listings copy our product photographs."
rights_holder.name = "Jane Doe"
rights_holder.organization = "Acme Lantern Co."
rights_holder.address = "100 Harbor Street, Portland, OR 97201, USA"
rights_holder.email = "legal@acme-lantern.example"
rights_holder.phone = "+1 503 555 0100"

[[right]]
id = "CR-1"
kind = "copyright"
registration_number = "VA 2-345-678"
office = "U.S. Copyright Office"
certificates = ["{certificate}"]
work_description = "Product photographs of the ACME Model 7 lantern"
work_link = "https://acme-lantern.example/model-7"

[listings]
all_ok = true
right = "CR-1"
infringement = "copied-photos"

[statements]
good_faith = true
accuracy_under_penalty_of_perjury = true
authorised = true

[signature]
name = "Jane Doe"
title = "Owner, Acme Lantern Co."
date = "2026-11-28"
place = "Portland, Oregon"

[declaration]
within_us = true
declarant = "Jane Doe"
place = "Portland, Oregon"
"#
    );
    exhibit_venues::parse(&text).expect("draft parses")
}
