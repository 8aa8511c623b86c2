//! `exhibit export --wacz` and `exhibit import` end to end, through the real binary:
//! real marketplace pages captured over HTTP (one behind a 301) and stamped by a local
//! RFC 3161 authority, the WACZ checked with PyPI's `wacz validate` and `warcio check`
//! (scripts/setup.sh installs them in target/pydeps) and its tokens with stock
//! `openssl ts -verify`; a crawl written with warcio around real pages and packaged by
//! `wacz create`, imported, judged and verified; a copy with one changed byte and hostile
//! files refused without importing anything; and a WACZ Exhibit wrote imported into
//! another case with the same bodies.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use exhibit_e2e::cli::{CaseDir, assert_exit, assert_success, text};
use exhibit_e2e::{TestServer, real_pages_dir, sha256_hex};
use exhibit_tsa::testing::{Behaviour, TestPki, TestTsa, openssl_ts_verify};
use exhibit_warc::{Limits, read_wacz};
use serde_json::Value;

const TAOBAO: &str = "taobao/taobao-item-562283240178.html";
const TMALL: &str = "tmall/tmall-item-605258110430-gbk.html";
const EBAY: &str = "ebay/ebay-com-itm-381228738769.html";

/// `python3` with the project's Python packages (target/pydeps) first on its path.
fn python(args: &[&str], dir: &Path) -> Output {
    let pydeps = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/pydeps");
    let mut path = pydeps.into_os_string();
    if let Some(existing) = std::env::var_os("PYTHONPATH") {
        path.push(":");
        path.push(existing);
    }
    let out = Command::new("python3")
        .args(args)
        .current_dir(dir)
        .env("PYTHONPATH", path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); run scripts/setup.sh"));
    assert!(
        out.status.success(),
        "python3 {args:?} failed; if a module is missing, run scripts/setup.sh\n{}",
        text(&out)
    );
    out
}

fn wacz_validate(wacz: &Path) -> String {
    let dir = wacz.parent().expect("folder");
    let out = python(
        &["-m", "wacz", "validate", "-f", wacz.to_str().expect("path")],
        dir,
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const WARCIO: &str = "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))";

fn warcio_check(warc: &Path) -> String {
    let dir = warc.parent().expect("folder");
    let out = python(
        &["-c", WARCIO, "check", "-v", warc.to_str().expect("path")],
        dir,
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every record of a WARC, as `warcio index` sees it, with `fields`.
fn warcio_index(warc: &Path, fields: &str) -> Vec<Value> {
    let dir = warc.parent().expect("folder");
    let out = python(
        &[
            "-c",
            WARCIO,
            "index",
            "-f",
            fields,
            warc.to_str().expect("path"),
        ],
        dir,
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// Extracts one entry of a ZIP with Python's zipfile into `dir`, and returns its path.
fn unzip_entry(zip: &Path, name: &str, dir: &Path) -> PathBuf {
    python(
        &[
            "-c",
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])",
            zip.to_str().expect("path"),
            name,
            dir.to_str().expect("path"),
        ],
        dir,
    );
    dir.join(name)
}

/// `wacz validate` on the WACZ and `warcio check` on its WARC, unpacked under the case's
/// folder; both must pass. Returns the WARC's path and what `warcio check -v` printed.
fn webrecorder_checks(case: &CaseDir, wacz: &Path) -> (PathBuf, String) {
    let said = wacz_validate(wacz);
    assert!(
        said.contains("Validation succeeded"),
        "wacz validate: {said}"
    );
    let dir = case.path("unpacked");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let warc = unzip_entry(wacz, "archive/data.warc.gz", &dir);
    let check = warcio_check(&warc);
    assert!(!check.contains("failed"), "warcio check: {check}");
    (warc, check)
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

fn custody(case: &CaseDir) -> Vec<Value> {
    case.json(&["log", "{case}", "--json"])
        .as_array()
        .expect("events")
        .clone()
}

fn events_of(case: &CaseDir, kind: &str) -> Vec<Value> {
    custody(case)
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| serde_json::from_str(e["detail"].as_str().expect("detail")).expect("JSON"))
        .collect()
}

fn artifact<'a>(capture: &'a Value, kind: &str) -> Option<&'a Value> {
    capture["artifacts"]
        .as_array()?
        .iter()
        .find(|a| a["kind"] == kind)
}

fn body_sha(capture: &Value) -> String {
    artifact(capture, "body")
        .and_then(|a| a["sha256"].as_str())
        .unwrap_or_else(|| panic!("no body: {capture}"))
        .to_owned()
}

fn title_of(file: &str) -> String {
    exhibit_e2e::expected_pages()
        .into_iter()
        .find(|p| p["file"] == file)
        .and_then(|p| p["title"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("{file} not in expected.json"))
}

/// Real pages captured over HTTP, the last one behind a 301, each stamped by `tsa`.
fn capture_real_pages(server: &TestServer, case: &CaseDir, tsa: &TestTsa, ca: &Path) -> Vec<Value> {
    server.mount_redirect("/moved/ebay", 301, &format!("/real/{EBAY}"));
    let out = case.run(&[
        "capture",
        "{case}",
        &server.http_url(&format!("/real/{TAOBAO}")),
        &server.http_url(&format!("/real/{TMALL}")),
        &server.http_url("/moved/ebay"),
        "--tsa",
        &tsa.url(),
        "--tsa-ca",
        ca.to_str().expect("path"),
    ]);
    assert_success(&out);
    let captures = case.captures();
    assert_eq!(captures.len(), 3);
    captures
}

fn export_wacz(case: &CaseDir, wacz: &Path) -> Value {
    case.json(&[
        "export",
        "{case}",
        "--wacz",
        wacz.to_str().expect("path"),
        "--json",
    ])
}

#[test]
fn export_of_real_captures_passes_wacz_validate_and_warcio_check() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let pki = TestPki::new(&case.path("pki"));
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    let captures = capture_real_pages(&server, &case, &tsa, pki.ca_pem_path());

    let wacz = case.path("case.wacz");
    let report = export_wacz(&case, &wacz);
    assert_eq!(report["pages"], 3, "{report}");
    assert_eq!(report["skipped"], serde_json::json!([]), "{report}");
    let bytes = std::fs::read(&wacz).expect("the WACZ");
    assert_eq!(report["sha256"], sha256_hex(&bytes).as_str());
    assert_eq!(report["bytes"], bytes.len());

    let (warc, check) = webrecorder_checks(&case, &wacz);
    let dir = case.path("unpacked");
    let records = report["records"].as_u64().expect("records") as usize;
    assert_eq!(
        check.matches("digest pass").count(),
        records,
        "warcio check: {check}"
    );

    // Each exchange is a response and a request naming it, dated by the capture.
    let index = warcio_index(
        &warc,
        "warc-type,warc-target-uri,warc-date,warc-record-id,warc-concurrent-to,http:status",
    );
    assert_eq!(index.len(), records);
    let field = |r: &Value, k: &str| r[k].as_str().unwrap_or_default().to_owned();
    let responses: HashMap<String, &Value> = index
        .iter()
        .filter(|r| r["warc-type"] == "response")
        .map(|r| (field(r, "warc-record-id"), r))
        .collect();
    let requests: Vec<&Value> = index
        .iter()
        .filter(|r| r["warc-type"] == "request")
        .collect();
    assert_eq!(requests.len(), responses.len());
    for req in &requests {
        let resp = responses
            .get(&field(req, "warc-concurrent-to"))
            .unwrap_or_else(|| panic!("a request without its response: {req}"));
        assert_eq!(req["warc-target-uri"], resp["warc-target-uri"]);
        assert_eq!(req["warc-date"], resp["warc-date"]);
    }
    let response_for = |url: &str| -> &Value {
        responses
            .values()
            .find(|r| r["warc-target-uri"] == url)
            .unwrap_or_else(|| panic!("no response for {url} in {index:?}"))
    };
    for c in &captures {
        let started = time(c["started_at"].as_str().expect("started_at"));
        let main = response_for(c["final_url"].as_str().expect("final_url"));
        assert_eq!(main["http:status"], "200", "{main}");
        assert_eq!(time(&field(main, "warc-date")), started, "{main}");
        for hop in c["redirects"].as_array().expect("redirects") {
            let r = response_for(hop["url"].as_str().expect("hop url"));
            assert_eq!(r["http:status"], "301", "{r}");
            assert_eq!(time(&field(r, "warc-date")), started, "{r}");
        }
    }
    let moved = server.http_url("/moved/ebay");
    assert!(
        responses
            .values()
            .any(|r| r["warc-target-uri"] == moved.as_str())
    );

    // The WACZ carries each page's record and token; openssl accepts each token over
    // the statement beside it, and the page list names the captures.
    let contents = read_wacz(&wacz, &Limits::default()).expect("the WACZ reads back");
    assert_eq!(contents.unverified_records, 0);
    assert!(
        contents
            .meta
            .software
            .as_deref()
            .is_some_and(|s| s.starts_with("Exhibit "))
    );
    for (page, c) in contents.pages.iter().zip(&captures) {
        assert_eq!(page.id, format!("capture-{}", c["id"]));
        assert_eq!(page.url, c["requested_url"].as_str().expect("url"));
        assert_eq!(page.title.as_deref(), c["title"].as_str());
        let response = page.response.as_ref().expect("the main document");
        assert_eq!(sha256_hex(&response.payload), body_sha(c));
        let resource = |kind: &str| {
            page.resources
                .iter()
                .find(|r| r.target_uri == format!("urn:{kind}:{}", page.url))
                .unwrap_or_else(|| panic!("no urn:{kind}: for {}", page.url))
        };
        let record: Value = serde_json::from_slice(&resource("exhibit").payload).expect("JSON");
        assert_eq!(record["requested_url"], c["requested_url"]);
        assert_eq!(
            sha256_hex(&resource("exhibit").payload),
            c["record_sha256"].as_str().expect("record hash")
        );
        let token = dir.join(format!("{}.tsr", page.id));
        let statement = dir.join(format!("{}.json", page.id));
        std::fs::write(&token, &resource("timestamp").payload).expect("write");
        std::fs::write(&statement, &resource("exhibit-timestamp-statement").payload)
            .expect("write");
        let verified = openssl_ts_verify(&statement, &token, pki.ca_pem_path());
        assert!(
            verified.status.success(),
            "openssl ts -verify: {}",
            text(&verified)
        );
    }

    // The export is on the custody log, as bookkeeping.
    let exported = events_of(&case, "wacz.exported");
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0]["file"], "case.wacz");
    assert_eq!(exported[0]["sha256"], report["sha256"]);
    assert_eq!(exported[0]["pages"], 3);
    let verify = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(verify["ok"], true, "{verify}");
}

/// A listing whose page loads an image, for a browser capture's network log.
const PAGE_WITH_IMAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Camp lantern ACME-7</title></head>\n<body><h1>Camp lantern ACME-7</h1><p class=\"price\">$19.99</p><img src=\"/image.png\" alt=\"lantern\"></body></html>\n";

#[test]
fn a_browser_capture_exports_its_network_log_and_screenshot() {
    let server = TestServer::start();
    server.mount(
        "/lantern",
        200,
        Some("text/html; charset=utf-8"),
        PAGE_WITH_IMAGE.as_bytes().to_vec(),
    );
    let url = server.http_url("/lantern");
    let image = server.http_url("/image.png");
    // What is under test is the export of a browser capture, so take one that worked: on
    // this loaded machine Chromium has once reported the main document without its
    // status (stored as a failed capture, CI 2026-11-29); that belongs to the capture
    // engine's own tests. A fresh case each try, so the good capture is the only one.
    let mut tries = Vec::new();
    let case = loop {
        let case = CaseDir::new();
        let mut browser = case.command(&[
            "capture",
            "{case}",
            "--mode",
            "browser",
            "--timeout",
            "30",
            &url,
        ]);
        browser.env("EXHIBIT_DATA_DIR", case.path("data"));
        let out = browser.output().expect("browser capture");
        if out.status.success() {
            break case;
        }
        tries.push(text(&out));
        assert!(tries.len() < 3, "three browser captures failed: {tries:#?}");
    };
    let captures = case.captures();
    let c = &captures[0];
    assert_eq!(c["mode"], "browser");
    let started = time(c["started_at"].as_str().expect("started_at"));
    let finished = time(c["finished_at"].as_str().expect("finished_at"));

    let wacz = case.path("browser.wacz");
    let report = export_wacz(&case, &wacz);
    assert_eq!(report["pages"], 1, "{report}");
    let (warc, _) = webrecorder_checks(&case, &wacz);

    // The main document and the image the page loaded, each with its own time from the
    // network log; the image's body was not kept, and its record says so.
    let index = warcio_index(
        &warc,
        "warc-type,warc-target-uri,warc-date,http:status,http:x-exhibit-note,http:user-agent",
    );
    let find = |kind: &str, target: &str| -> &Value {
        index
            .iter()
            .find(|r| r["warc-type"] == kind && r["warc-target-uri"] == target)
            .unwrap_or_else(|| panic!("no {kind} for {target} in {index:?}"))
    };
    for target in [url.as_str(), image.as_str()] {
        let response = find("response", target);
        assert_eq!(response["http:status"], "200", "{response}");
        let date = time(response["warc-date"].as_str().expect("date"));
        assert!(started <= date && date <= finished, "{response}");
        let request = find("request", target);
        assert!(
            request["http:user-agent"]
                .as_str()
                .is_some_and(|ua| !ua.is_empty()),
            "{request}"
        );
    }
    assert!(find("response", &url).get("http:x-exhibit-note").is_none());
    assert!(
        find("response", &image)["http:x-exhibit-note"]
            .as_str()
            .is_some_and(|n| n.contains("not captured"))
    );

    let contents = read_wacz(&wacz, &Limits::default()).expect("the WACZ reads back");
    let page = &contents.pages[0];
    assert_eq!(page.title.as_deref(), Some("Camp lantern ACME-7"));
    let response = page.response.as_ref().expect("the main document");
    assert_eq!(sha256_hex(&response.payload), body_sha(c));
    let view = page
        .resources
        .iter()
        .find(|r| r.target_uri == format!("urn:view:{url}"))
        .expect("the screenshot");
    assert_eq!(view.content_type.as_deref(), Some("image/png"));
    assert_eq!(
        Some(sha256_hex(&view.payload).as_str()),
        artifact(c, "screenshot").and_then(|a| a["sha256"].as_str())
    );
}

#[test]
fn a_wacz_exhibit_wrote_imports_into_another_case_with_the_same_bodies() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let pki = TestPki::new(&case.path("pki"));
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    let captures = capture_real_pages(&server, &case, &tsa, pki.ca_pem_path());
    let wacz = case.path("round.wacz");
    export_wacz(&case, &wacz);

    let other = CaseDir::new();
    let report = other.json(&["import", "{case}", wacz.to_str().expect("path"), "--json"]);
    assert_eq!(report["pages"], 3, "{report}");
    let imported = other.captures();
    assert_eq!(imported.len(), 3);
    for (c, i) in captures.iter().zip(&imported) {
        assert_eq!(i["mode"], "import");
        assert_eq!(i["requested_url"], c["requested_url"]);
        assert_eq!(i["final_url"], c["final_url"]);
        assert_eq!(i["status"], c["status"]);
        assert_eq!(i["title"], c["title"]);
        assert_eq!(body_sha(i), body_sha(c));
        assert_eq!(i["redirects"], c["redirects"]);
        assert_eq!(i["started_at"], c["started_at"]);
    }
    let made = events_of(&other, "import.made");
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["software"], report["software"]);
    let verify = other.json(&["verify", "{case}", "--json"]);
    assert_eq!(verify["ok"], true, "{verify}");
}

/// A crawl of real pages written by warcio and packaged by py-wacz, with what it holds.
fn py_wacz_crawl(dir: &Path) -> (PathBuf, Value) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/make_import_crawl.py");
    let real = real_pages_dir();
    python(
        &[
            script.to_str().expect("path"),
            dir.to_str().expect("path"),
            real.join(TAOBAO).to_str().expect("path"),
            real.join(TMALL).to_str().expect("path"),
        ],
        dir,
    );
    python(
        &[
            "-m",
            "wacz",
            "create",
            "-o",
            "crawl.wacz",
            "crawl.warc",
            "-p",
            "pages.jsonl",
        ],
        dir,
    );
    let expected = std::fs::read_to_string(dir.join("expected.json")).expect("expected.json");
    (
        dir.join("crawl.wacz"),
        serde_json::from_str(&expected).expect("JSON"),
    )
}

#[test]
fn a_crawl_packaged_by_py_wacz_imports_judged_and_verified() {
    let case = CaseDir::new();
    let dir = case.path("crawl");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let (wacz, x) = py_wacz_crawl(&dir);
    let wacz_sha = sha256_hex(&std::fs::read(&wacz).expect("the WACZ"));

    let out = case.run(&["import", "{case}", wacz.to_str().expect("path")]);
    assert_success(&out);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(said.matches("imported #").count(), 2, "{said}");
    assert!(said.contains("Imported 2 pages"), "{said}");
    assert!(said.contains(&wacz_sha), "{said}");

    let captures = case.captures();
    assert_eq!(captures.len(), 2);
    let taobao = &captures[0];
    assert_eq!(taobao["mode"], "import");
    assert_eq!(taobao["status"], "ok", "{taobao}");
    assert_eq!(taobao["http_status"], 200);
    assert_eq!(taobao["requested_url"], x["taobao"]["url"]);
    assert_eq!(taobao["final_url"], x["taobao"]["final_url"]);
    assert_eq!(taobao["redirects"][0]["status"], 301);
    assert_eq!(taobao["redirects"][0]["location"], x["taobao"]["final_url"]);
    assert_eq!(
        time(taobao["finished_at"].as_str().expect("finished_at")),
        time(x["taobao"]["date"].as_str().expect("date"))
    );
    assert_eq!(taobao["title"], title_of(TAOBAO).as_str());
    assert_eq!(taobao["listing_id"], "562283240178");
    assert_eq!(
        body_sha(taobao),
        x["taobao"]["body_sha256"].as_str().expect("sha")
    );
    let shot = artifact(taobao, "screenshot").expect("the screenshot");
    assert_eq!(shot["sha256"], x["taobao"]["png_sha256"]);
    assert_eq!(shot["media_type"], "image/png");

    // Sent gzip-compressed: the body is kept as sent, the facts read from it decoded.
    let tmall = &captures[1];
    assert_eq!(tmall["status"], "ok", "{tmall}");
    assert_eq!(tmall["title"], title_of(TMALL).as_str());
    assert_eq!(
        time(tmall["finished_at"].as_str().expect("finished_at")),
        time(x["tmall"]["date"].as_str().expect("date"))
    );
    assert_eq!(
        body_sha(tmall),
        x["tmall"]["body_sha256"].as_str().expect("sha")
    );
    assert_eq!(
        artifact(tmall, "decoded-body").map(|a| &a["sha256"]),
        Some(&x["tmall"]["decoded_sha256"])
    );

    // The notes say where it came from; the environment where its times came from.
    let detail = case.json(&["show", "{case}", &taobao["id"].to_string(), "--json"]);
    let notes = detail["notes"].to_string();
    for part in [
        "crawl.wacz",
        wacz_sha.as_str(),
        "py-wacz",
        x["taobao"]["id"].as_str().expect("record id"),
    ] {
        assert!(notes.contains(part), "{part} not in the notes: {notes}");
    }
    assert!(
        detail["environment"]["clock_source"]
            .as_str()
            .is_some_and(|c| c.contains("WARC-Date")),
        "{detail}"
    );
    assert_eq!(detail["collector"]["name"], "Ana Silva");
    assert!(
        detail["environment"]["user_agent"]
            .as_str()
            .is_some_and(|u| u.contains("test-crawler")),
        "{detail}"
    );

    let verify = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(verify["ok"], true, "{verify}");
    let made = events_of(&case, "import.made");
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["sha256"], wacz_sha.as_str());
    assert_eq!(made[0]["pages"], 2);
    assert!(
        made[0]["software"]
            .as_str()
            .is_some_and(|s| s.starts_with("py-wacz"))
    );
    assert_eq!(
        made[0]["datapackage_sha256"].as_str().map(str::len),
        Some(64)
    );
    let ids: Vec<Value> = captures.iter().map(|c| c["id"].clone()).collect();
    assert_eq!(made[0]["capture_ids"], Value::Array(ids));
    let log = custody(&case);
    let last_taken = log.iter().rposition(|e| e["kind"] == "capture.taken");
    let made_at = log.iter().rposition(|e| e["kind"] == "import.made");
    assert!(last_taken < made_at, "import.made comes after the captures");

    // One byte changed inside the Taobao page's record: refused, naming the record, and
    // nothing imported.
    let mut bytes = std::fs::read(&wacz).expect("the WACZ");
    let page = std::fs::read(real_pages_dir().join(TAOBAO)).expect("page");
    let probe = &page[page.len() / 2..page.len() / 2 + 48];
    let at = bytes
        .windows(probe.len())
        .position(|w| w == probe)
        .expect("the page's bytes are stored in the WACZ");
    bytes[at + 7] ^= 0x01;
    let flipped = dir.join("flipped.wacz");
    std::fs::write(&flipped, &bytes).expect("write");
    let before = custody(&case).len();
    let out = case.run(&["import", "{case}", flipped.to_str().expect("path")]);
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains(x["taobao"]["id"].as_str().expect("record id")),
        "the refusal names the record: {err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    assert_eq!(case.captures().len(), 2, "nothing was imported");
    assert_eq!(custody(&case).len(), before, "nothing was logged");
}

#[test]
fn hostile_files_are_refused_and_import_nothing() {
    let case = CaseDir::new();
    let not_zip = case.path("page.wacz");
    std::fs::write(&not_zip, b"<html><body>not an archive</body></html>").expect("write");
    let empty = case.path("empty.wacz");
    std::fs::write(&empty, b"").expect("write");
    let missing = case.path("missing.wacz");
    let before = custody(&case).len();
    for (file, words) in [
        (&not_zip, "not a WACZ"),
        (&empty, "empty"),
        (&missing, "could not read"),
    ] {
        let out = case.run(&["import", "{case}", file.to_str().expect("path")]);
        assert_exit(&out, 2);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains(words), "{words:?} not in: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(case.captures().is_empty());
    assert_eq!(custody(&case).len(), before);

    // An export names a complaint and a folder, or a WACZ: never neither, never both.
    let wacz = case.path("out.wacz");
    let wacz = wacz.to_str().expect("path");
    for args in [
        vec!["export", "{case}"],
        vec![
            "export",
            "{case}",
            "--wacz",
            wacz,
            "--complaint",
            "c.toml",
            "--out",
            "o",
        ],
        vec!["export", "{case}", "--complaint", "c.toml"],
    ] {
        assert_exit(&case.run(&args), 2);
    }
    // A case with nothing in it has nothing to archive.
    let out = case.run(&["export", "{case}", "--wacz", wacz]);
    assert_exit(&out, 2);
    assert!(!Path::new(wacz).exists());
}
