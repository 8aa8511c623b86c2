//! Trusted time end to end through the `exhibit` binary: a local RFC 3161 authority
//! (`openssl ts -reply` behind HTTP on 127.0.0.1, with a test CA and a TSA certificate
//! whose timeStamping usage is critical), captures of a real marketplace page, the
//! packet read back with poppler, and every token in the bundle checked with stock
//! `openssl ts -verify`. Authorities that answer wrongly, or not at all, must leave the
//! capture committed with "no trusted time" on record, and `exhibit timestamp` must fill
//! the gap later with the delay stated.

use std::path::Path;
use std::process::Command;

use exhibit_e2e::TestServer;
use exhibit_e2e::cli::{CaseDir, assert_exit, assert_success, example_complaint, text};
use exhibit_tsa::testing::{Behaviour, TestPki, TestTsa, openssl_ts_verify, unreachable_url};

const TIME: &str = "2026-11-28T12:00:00Z";
const LISTING: &str = "taobao/taobao-item-562283240178.html";

fn custody(case: &CaseDir) -> Vec<serde_json::Value> {
    case.json(&["log", "{case}", "--json"])
        .as_array()
        .expect("events")
        .clone()
}

fn events_of<'a>(events: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    events.iter().filter(|e| e["kind"] == kind).collect()
}

fn detail(event: &serde_json::Value) -> serde_json::Value {
    serde_json::from_str(event["detail"].as_str().expect("detail text")).expect("detail JSON")
}

fn unzip(zip: &Path, into: &Path) {
    let out = Command::new("unzip")
        .args(["-q", "-o"])
        .arg(zip)
        .arg("-d")
        .arg(into)
        .output()
        .expect("run unzip");
    assert!(out.status.success(), "unzip: {}", text(&out));
}

#[test]
fn a_local_authority_stamps_each_capture_and_the_export_and_openssl_agrees() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let pki = TestPki::new(&case.path("pki"));
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    let ca = pki.ca_pem_path();
    let ca = ca.to_str().expect("path");

    let out = case.run(&[
        "capture",
        "{case}",
        &server.http_url(&format!("/real/{LISTING}")),
        "--tsa",
        &tsa.url(),
        "--tsa-ca",
        ca,
    ]);
    assert_success(&out);
    let said = text(&out);
    assert!(said.contains("trusted time"), "{said}");
    assert!(said.contains("Exhibit Test TSA"), "{said}");
    assert_eq!(tsa.requests(), 1);

    let events = custody(&case);
    let added = events_of(&events, "timestamp.added");
    assert_eq!(added.len(), 1, "{events:?}");
    let d = detail(added[0]);
    assert_eq!(d["subject"], "capture");
    assert!(d["delay_ms"].as_i64().expect("delay") >= 0, "{d}");
    assert!(events_of(&events, "timestamp.missed").is_empty());

    // `show` says it in words, as the app's review card does.
    let shown = case.run(&["show", "{case}", "1"]);
    assert_success(&shown);
    let shown = text(&shown);
    assert!(
        shown.contains("#1 trusted time") && shown.contains("Exhibit Test TSA"),
        "{shown}"
    );

    // Verification re-hashes the token and the statement it covers.
    let verify = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(verify["ok"], true, "{verify}");

    // The export stamps its manifest too, and carries every token with its data.
    let complaint = example_complaint(&case, "alibaba-ipp.toml");
    let out_dir = case.path("out");
    let report = case.json(&[
        "export",
        "{case}",
        "--complaint",
        complaint.to_str().expect("path"),
        "--out",
        out_dir.to_str().expect("path"),
        "--time",
        TIME,
        "--tsa",
        &tsa.url(),
        "--tsa-ca",
        ca,
        "--json",
    ]);
    assert_eq!(tsa.requests(), 2);
    let bundle = Path::new(report["bundle"].as_str().expect("bundle path"));
    let unpacked = case.path("unpacked");
    unzip(bundle, &unpacked);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(unpacked.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    let stamps = manifest["captures"][0]["timestamps"]
        .as_array()
        .expect("the capture's timestamps in the manifest");
    assert_eq!(stamps.len(), 1, "{manifest}");
    let data = unpacked.join(stamps[0]["data_path"].as_str().expect("data path"));
    let token = unpacked.join(stamps[0]["token_path"].as_str().expect("token path"));
    let checked = openssl_ts_verify(&data, &token, pki.ca_pem_path());
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("Verification: OK"),
        "openssl ts -verify on the capture's token: {checked:?}"
    );
    // The statement names the record and every artifact hash.
    let statement: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&data).expect("statement")).expect("JSON");
    assert_eq!(
        statement["record_sha256"],
        manifest["captures"][0]["record_sha256"]
    );
    assert_eq!(
        statement["artifacts"].as_array().map(Vec::len),
        manifest["captures"][0]["artifacts"]
            .as_array()
            .map(Vec::len)
    );
    // The manifest's own token covers manifest.json.
    let checked = openssl_ts_verify(
        &unpacked.join("manifest.json"),
        &unpacked.join("manifest.tsr"),
        pki.ca_pem_path(),
    );
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("Verification: OK"),
        "openssl ts -verify on manifest.tsr: {checked:?}"
    );
    // A token checked against the wrong data fails, so the check above means something.
    let wrong = openssl_ts_verify(&unpacked.join("manifest.json"), &token, pki.ca_pem_path());
    assert!(
        !String::from_utf8_lossy(&wrong.stdout).contains("Verification: OK"),
        "{wrong:?}"
    );

    // The packet prints the authority's time, name and serial, and how to check it.
    let packet = report["packet"].as_str().expect("packet path");
    let pdf = Command::new("pdftotext")
        .args(["-enc", "UTF-8", packet, "-"])
        .output()
        .expect("pdftotext");
    let pdf_text = String::from_utf8_lossy(&pdf.stdout).replace('\n', " ");
    assert!(pdf_text.contains("Trusted time"), "{pdf_text}");
    assert!(pdf_text.contains("Exhibit Test TSA"), "{pdf_text}");
    assert!(
        pdf_text.contains(stamps[0]["serial"].as_str().expect("serial")),
        "{pdf_text}"
    );
    assert!(pdf_text.contains("openssl ts -verify"), "{pdf_text}");

    // The recipient's check passes with the tokens inside.
    assert_success(&case.run(&["verify-bundle", bundle.to_str().expect("path")]));

    // A token swapped inside the case file, by someone with the key, is named by verify.
    case.tamper(
        "DROP TRIGGER timestamps_no_update; UPDATE timestamps SET response = CAST('forged' AS BLOB) WHERE subject = 'capture';",
    );
    let out = case.run(&["verify", "{case}", "--json"]);
    assert_exit(&out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        report["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .any(|p| p["code"] == "timestamp_changed" && p["capture_id"] == 1),
        "{report}"
    );
}

#[test]
fn an_authority_that_cannot_be_trusted_leaves_the_capture_with_no_trusted_time() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let pki = TestPki::new(&case.path("pki"));
    let ca = pki.ca_pem_path();
    let ca = ca.to_str().expect("path");
    let bad = [
        ("wrong nonce", TestTsa::start(&pki, Behaviour::WrongNonce)),
        (
            "another digest",
            TestTsa::start(&pki, Behaviour::OtherDigest),
        ),
        (
            "expired certificate",
            TestTsa::start(&pki, Behaviour::ExpiredCert),
        ),
        (
            "no timeStamping usage",
            TestTsa::start(&pki, Behaviour::NoEku),
        ),
        ("garbage", TestTsa::start(&pki, Behaviour::Garbage)),
    ];
    let mut urls: Vec<String> = bad.iter().map(|(_, t)| t.url()).collect();
    urls.push(unreachable_url());

    let mut args = vec![
        "capture".to_owned(),
        "{case}".to_owned(),
        server.http_url(&format!("/real/{LISTING}")),
        "--tsa-ca".to_owned(),
        ca.to_owned(),
    ];
    for u in &urls {
        args.extend(["--tsa".to_owned(), u.clone()]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = case.run(&refs);
    // The capture itself succeeded and is kept.
    assert_exit(&out, 0);
    let said = text(&out);
    assert!(said.contains("no trusted time"), "{said}");
    for (what, t) in &bad {
        assert_eq!(t.requests(), 1, "{what} was not asked");
    }
    let captures = case.captures();
    assert_eq!(captures.len(), 1);
    assert_eq!(captures[0]["status"], "ok");

    let events = custody(&case);
    assert!(events_of(&events, "timestamp.added").is_empty());
    let missed = events_of(&events, "timestamp.missed");
    assert_eq!(missed.len(), 1, "{events:?}");
    let attempts = detail(missed[0])["attempts"]
        .as_array()
        .expect("attempts")
        .clone();
    assert_eq!(attempts.len(), urls.len(), "{attempts:?}");
    for (a, u) in attempts.iter().zip(&urls) {
        assert_eq!(a["url"], u.as_str());
        assert!(!a["reason"].as_str().unwrap_or_default().is_empty(), "{a}");
    }

    // Later, `exhibit timestamp` fills the gap and states the delay honestly.
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let good = TestTsa::start(&pki, Behaviour::Good);
    let filled = case.json(&[
        "timestamp",
        "{case}",
        "--tsa",
        &good.url(),
        "--tsa-ca",
        ca,
        "--json",
    ]);
    assert_eq!(filled["missing"], 1, "{filled}");
    assert_eq!(filled["stamped"], 1, "{filled}");
    let events = custody(&case);
    let added = events_of(&events, "timestamp.added");
    assert_eq!(added.len(), 1);
    assert!(
        detail(added[0])["delay_ms"].as_i64().expect("delay") >= 1000,
        "the delay since the capture is recorded: {:?}",
        added[0]
    );
    // Nothing is left to stamp.
    let again = case.json(&[
        "timestamp",
        "{case}",
        "--tsa",
        &good.url(),
        "--tsa-ca",
        ca,
        "--json",
    ]);
    assert_eq!(again["missing"], 0, "{again}");
    assert_eq!(good.requests(), 1);
    let verify = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(verify["ok"], true, "{verify}");
}

#[test]
fn bad_tsa_flags_are_usage_errors_before_anything_runs() {
    let case = CaseDir::new();
    let missing_ca = case.path("no-such-root.pem");
    for args in [
        vec!["timestamp", "{case}"],
        vec!["timestamp", "{case}", "--tsa", "not a url"],
        vec!["timestamp", "{case}", "--tsa", "ftp://tsa.example/"],
        vec![
            "timestamp",
            "{case}",
            "--tsa",
            "http://127.0.0.1:9/",
            "--tsa-ca",
            missing_ca.to_str().expect("path"),
        ],
        vec![
            "capture",
            "{case}",
            "http://127.0.0.1:9/",
            "--tsa-ca",
            missing_ca.to_str().expect("path"),
        ],
    ] {
        let out = case.run(&args);
        assert_exit(&out, 2);
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(said.trim().lines().count(), 1, "{args:?}: {said}");
    }
    // Nothing was captured by the refused capture.
    assert!(case.captures().is_empty());
}
