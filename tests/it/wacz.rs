//! `exhibit export --wacz` and `exhibit import` end to end, through the real binary:
//! real marketplace pages captured over HTTP (one behind a 301) and stamped by a local
//! RFC 3161 authority, the WACZ checked with PyPI's `wacz validate` and `warcio check`
//! (scripts/setup.sh installs them in target/pydeps) and its tokens with stock
//! `openssl ts -verify`; a crawl written with warcio around real pages and packaged by
//! `wacz create`, imported, judged and verified; a copy with one changed byte and hostile
//! files refused without importing anything; and a WACZ Exhibit wrote imported into
//! another case with the same bodies and the same main image (`image` artifact).

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
    let case = CaseDir::new();
    case.capture_in_browser(&[&url]);
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

/// A listing on a shop nobody has rules for, whose og:image is `image`.
fn listing_with_image(image: &str) -> Vec<u8> {
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Brass Lantern | Shop</title>
<meta property="og:image" content="{image}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"Product","name":"Brass Camping Lantern","offers":{{"@type":"Offer","price":"49.00","priceCurrency":"USD"}}}}</script>
</head><body><h1>Brass Camping Lantern</h1><p class="price">$49.00</p></body></html>"#
    )
    .into_bytes()
}

#[test]
fn a_wacz_exhibit_wrote_imports_into_another_case_with_the_same_bodies() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let pki = TestPki::new(&case.path("pki"));
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    assert_eq!(
        capture_real_pages(&server, &case, &tsa, pki.ca_pem_path()).len(),
        3
    );
    // And a listing whose main image (a real photograph) is kept as its `image`.
    let photo = std::fs::read(real_pages_dir().join("../photos/coffee.png")).expect("shared photo");
    let image_url = server.http_url("/img/lantern.png");
    server.mount("/img/lantern.png", 200, Some("image/png"), photo.clone());
    server.mount(
        "/item/lantern",
        200,
        Some("text/html; charset=utf-8"),
        listing_with_image(&image_url),
    );
    assert_success(&case.run(&["capture", "{case}", &server.http_url("/item/lantern")]));
    let captures = case.captures();
    assert_eq!(captures.len(), 4);
    let kept = artifact(&captures[3], "image").expect("the capture kept its main image");
    assert_eq!(kept["sha256"], sha256_hex(&photo).as_str());

    let wacz = case.path("round.wacz");
    export_wacz(&case, &wacz);
    // The picture is a resource record at its own URL, which validators accept.
    let (warc, _) = webrecorder_checks(&case, &wacz);
    let index = warcio_index(&warc, "warc-type,warc-target-uri,content-type");
    assert!(
        index.iter().any(|r| r["warc-type"] == "resource"
            && r["warc-target-uri"] == image_url.as_str()
            && r["content-type"] == "image/png"),
        "{index:?}"
    );

    let other = CaseDir::new();
    let report = other.json(&["import", "{case}", wacz.to_str().expect("path"), "--json"]);
    assert_eq!(report["pages"], 4, "{report}");
    let imported = other.captures();
    assert_eq!(imported.len(), 4);
    // The main image came back as the `image` artifact, byte for byte, and was hashed
    // on import as a capture's is: `relisted` finds nothing left to hash.
    let back = artifact(&imported[3], "image").expect("the import kept the main image");
    assert_eq!(back["sha256"], kept["sha256"]);
    assert_eq!(back["media_type"], "image/png");
    for i in &imported[..3] {
        assert!(artifact(i, "image").is_none(), "{i}");
    }
    let relisted = other.json(&["relisted", "{case}", "--json"]);
    assert_eq!(relisted["hashed_now"], 0, "{relisted}");
    let shown = other.json(&["show", "{case}", &imported[3]["id"].to_string(), "--json"]);
    assert!(
        shown["notes"].as_array().expect("notes").iter().any(|n| n
            .as_str()
            .is_some_and(|n| n.starts_with(&format!(
                "The main image {image_url} is the payload of WARC record"
            )))),
        "{shown}"
    );
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

// Signed WACZ files: py-wacz's real signed examples (tests/fixtures/wacz, MIT) and the
// variants exhibit-warc's tests break the same way (its test support, included by path).

#[path = "../../crates/exhibit-warc/tests/support/signed_wacz.rs"]
mod signed_wacz;

use signed_wacz::{Wacz, ec_key, invalid_example, valid_example};

/// The signer of py-wacz's signed examples.
const SIGNER: &str = "btrix-sign-test.webrecorder.net";
/// When it signed the valid example (`created`, and FreeTSA's genTime to the second).
const SIGNED_AT: &str = "2022-01-18T19:00:12.000Z";

/// How many captures and what custody head a case has: what a refused import must leave.
fn state(case: &CaseDir) -> (usize, Value) {
    let log = custody(case);
    let head = log.last().map(|e| e["hash"].clone()).unwrap_or(Value::Null);
    (case.captures().len(), head)
}

fn write_wacz(case: &CaseDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = case.path(name);
    std::fs::write(&path, bytes).expect("write the WACZ");
    path
}

/// Imports `bytes`, which must be refused: exit 1, one sentence naming each of `words`,
/// and the case exactly as it was.
fn refused_import(case: &CaseDir, name: &str, bytes: &[u8], words: &[&str]) {
    let path = write_wacz(case, name, bytes);
    let before = state(case);
    let out = case.run(&["import", "{case}", path.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_exit(&out, 1);
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{name}: one sentence: {err}");
    assert!(err.contains("signature failed"), "{name}: {err}");
    for w in words {
        assert!(err.contains(w), "{name}: {w:?} not in: {err}");
    }
    assert_eq!(state(case), before, "{name}: the case is unchanged");

    // The code front ends branch on, through --json.
    let out = case.run(&["import", "{case}", path.to_str().expect("path"), "--json"]);
    assert_exit(&out, 1);
    assert_eq!(state(case), before, "{name}: the case is unchanged");
}

#[test]
fn a_signed_wacz_imports_with_its_signer_and_times_in_show() {
    let case = CaseDir::new();
    let wacz = write_wacz(&case, "valid_signed_example_1.wacz", &valid_example());
    let out = case.run(&["import", "{case}", wacz.to_str().expect("path")]);
    assert_success(&out);
    let said = text(&out);
    assert!(said.contains(SIGNER), "{said}");
    assert!(said.contains(SIGNED_AT), "{said}");

    let report = case.json(&["import", "{case}", wacz.to_str().expect("path"), "--json"]);
    assert_eq!(report["signature_present"], true, "{report}");
    assert_eq!(report["signer"], SIGNER, "{report}");
    assert_eq!(report["signed_at"], SIGNED_AT, "{report}");
    assert_eq!(report["signature"]["method"], "domain", "{report}");

    let captures = case.captures();
    assert_eq!(captures.len(), 2, "one page, imported twice");
    let id = captures[0]["id"].to_string();
    let shown = case.json(&["show", "{case}", &id, "--json"]);
    let archive = &shown["archive"];
    assert_eq!(archive["file"], "valid_signed_example_1.wacz", "{shown}");
    assert_eq!(archive["sha256"], sha256_hex(&valid_example()), "{shown}");
    let sig = &archive["signature"];
    assert_eq!(sig["method"], "domain", "{shown}");
    assert_eq!(sig["signer"], SIGNER, "{shown}");
    assert_eq!(sig["signed_at"], SIGNED_AT, "{shown}");
    assert_eq!(sig["time_stamped_at"], SIGNED_AT, "{shown}");
    assert_eq!(sig["software"], "authsigner 0.3.0", "{shown}");
    assert_eq!(
        sig["certificate_sha256"],
        "ff10085ea445e4380444bcc4d5114d91bfbb40f45324e019aaa683cf10efec8a"
    );
    assert!(
        sig["time_stamp_authority"]
            .as_str()
            .is_some_and(|t| t.contains("www.freetsa.org")),
        "{shown}"
    );
    let plain = text(&case.run(&["show", "{case}", &id]));
    assert!(
        plain.contains(&format!("signed by     {SIGNER} (domain)")),
        "{plain}"
    );
    assert!(
        plain.contains(&format!("signed at     {SIGNED_AT}")),
        "{plain}"
    );
    let made = events_of(&case, "import.made");
    assert_eq!(made[0]["signature"]["signer"], SIGNER, "{:?}", made[0]);
    let verify = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(verify["ok"], true, "{verify}");
}

#[test]
fn the_packet_prints_a_signed_imports_signer_and_times_on_its_cover_sheet() {
    let case = CaseDir::new();
    let wacz = write_wacz(&case, "valid_signed_example_1.wacz", &valid_example());
    assert_success(&case.run(&["import", "{case}", wacz.to_str().expect("path")]));
    // The packet prints the signer, the signed time and the time signature's authority
    // on the exhibit's cover sheet.
    let complaint = exhibit_e2e::cli::example_complaint(&case, "dmca.toml");
    let out_dir = case.path("out");
    let report = case.json(&[
        "export",
        "{case}",
        "--complaint",
        complaint.to_str().expect("path"),
        "--out",
        out_dir.to_str().expect("path"),
        "--time",
        "2026-12-06T01:00:00Z",
        "--json",
    ]);
    let packet = PathBuf::from(report["packet"].as_str().expect("packet path"));
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&packet)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(out.status.success(), "pdftotext: {}", text(&out));
    // pdftotext breaks long cells into lines: compare without line breaks.
    let pdf = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(pdf.contains("Archive signature"), "{pdf}");
    assert!(pdf.contains(SIGNER), "the signer is in the packet");
    assert!(pdf.contains(SIGNED_AT), "the signed time is in the packet");
    assert!(
        pdf.contains("www.freetsa.org"),
        "the time-stamp authority is in the packet"
    );
    assert!(
        pdf.contains("valid_signed_example_1.wacz"),
        "the archive is in the packet"
    );
}

#[test]
fn py_waczs_invalid_signed_example_is_refused_for_its_staging_chain() {
    let case = CaseDir::new();
    // Something in the case already, so "unchanged" means something.
    let first = write_wacz(&case, "first.wacz", &valid_example());
    assert_success(&case.run(&["import", "{case}", first.to_str().expect("path")]));
    refused_import(
        &case,
        "invalid_signed_example_1.wacz",
        &invalid_example(),
        &[
            SIGNER,
            "(STAGING) Pretend Pear X1",
            "staging",
            "2022-01-18T04:54:34Z",
        ],
    );
}

#[test]
fn the_facade_refuses_a_broken_signature_with_a_stable_code() {
    // What the app calls: the same refusal, with the code a front end branches on.
    let dir = tempfile::tempdir().expect("temp dir");
    let pass = || exhibit::Passphrase::new("correct horse battery staple 42".into());
    let case = exhibit::Case::create(&dir.path().join("f.exhibit"), &pass(), "Facade", None)
        .expect("create");
    let file = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    };
    let report = case
        .import_wacz(&file("valid.wacz", &valid_example()))
        .expect("the valid example imports");
    assert_eq!(report.signer.as_deref(), Some(SIGNER));
    assert_eq!(report.signed_at.as_deref(), Some(SIGNED_AT));
    let sig = report.signature.expect("signed");
    assert_eq!(sig.method, "domain");
    assert_eq!(sig.time_stamped_at.as_deref(), Some(SIGNED_AT));

    let counts = |c: &exhibit::Case| {
        (
            c.captures().expect("captures").len(),
            c.custody_log().expect("log").last().map(|e| e.hash),
        )
    };
    let before = counts(&case);
    let e = case
        .import_wacz(&file("invalid.wacz", &invalid_example()))
        .expect_err("refused");
    assert_eq!(e.code(), "signer_untrusted", "{e}");
    assert!(
        !e.is_usage_error(),
        "a failed signature is not a usage error: {e}"
    );
    let mut forged = Wacz::open(&valid_example());
    forged.forge("pages/pages.jsonl", b"{}\n".to_vec());
    let e = case
        .import_wacz(&file("forged.wacz", &forged.to_bytes()))
        .expect_err("refused");
    assert_eq!(e.code(), "signature_invalid", "{e}");
    let mut unstamped = Wacz::open(&valid_example());
    unstamped.edit_signed(|s| {
        s.remove("timeSignature");
    });
    let e = case
        .import_wacz(&file("unstamped.wacz", &unstamped.to_bytes()))
        .expect_err("refused");
    assert_eq!(e.code(), "time_signature_invalid", "{e}");
    assert_eq!(counts(&case), before, "nothing was added");
}

#[test]
fn broken_signatures_are_refused_through_the_binary_and_import_nothing() {
    let case = CaseDir::new();
    let first = write_wacz(&case, "first.wacz", &valid_example());
    assert_success(&case.run(&["import", "{case}", first.to_str().expect("path")]));

    let mut flipped = Wacz::open(&valid_example());
    flipped.flip_signed("signature", 20, 0x01);
    refused_import(
        &case,
        "flipped.wacz",
        &flipped.to_bytes(),
        &["does not verify", SIGNER],
    );

    let mut hash = Wacz::open(&valid_example());
    hash.edit_signed(|s| {
        s.insert(
            "hash".into(),
            Value::from(format!("sha256:{}", "0".repeat(64))),
        );
    });
    refused_import(
        &case,
        "hash.wacz",
        &hash.to_bytes(),
        &["not the SHA-256 of datapackage.json"],
    );

    // Edited after signing, every digest recomputed: only the signature can tell.
    let mut forged = Wacz::open(&valid_example());
    let pages = String::from_utf8(forged.get("pages/pages.jsonl").to_vec()).expect("UTF-8");
    forged.forge(
        "pages/pages.jsonl",
        pages
            .replace("Example Domain", "Counterfeit Domain")
            .into_bytes(),
    );
    refused_import(
        &case,
        "forged.wacz",
        &forged.to_bytes(),
        &["does not verify"],
    );

    let mut unstamped = Wacz::open(&valid_example());
    unstamped.edit_signed(|s| {
        s.remove("timeSignature");
        s.remove("timestampCert");
    });
    refused_import(
        &case,
        "unstamped.wacz",
        &unstamped.to_bytes(),
        &["no time signature"],
    );

    let mut stamp = Wacz::open(&valid_example());
    stamp.flip_signed("timeSignature", -30, 0x80);
    refused_import(&case, "stamp.wacz", &stamp.to_bytes(), &["time signature"]);

    let other = Wacz::open(&invalid_example()).signed();
    let mut replaced = Wacz::open(&valid_example());
    replaced.edit_signed(|s| {
        s.insert("domainCert".into(), other["domainCert"].clone());
    });
    refused_import(
        &case,
        "replaced.wacz",
        &replaced.to_bytes(),
        &["does not verify"],
    );

    let mut cut = Wacz::open(&valid_example());
    cut.edit_signed(|s| {
        let pem = s["domainCert"].as_str().expect("PEM").to_owned();
        s.insert("domainCert".into(), Value::from(&pem[..pem.len() / 3]));
    });
    refused_import(&case, "cut.wacz", &cut.to_bytes(), &["domainCert"]);

    let mut junk = Wacz::open(&valid_example());
    let mut digest = junk.json("datapackage-digest.json");
    digest["signedData"] = serde_json::json!({"hash": [1, 2], "x": "\u{1b}]0;owned\u{7}"});
    junk.set_json("datapackage-digest.json", &digest);
    let path = write_wacz(&case, "junk.wacz", &junk.to_bytes());
    let out = case.run(&["import", "{case}", path.to_str().expect("path")]);
    assert_exit(&out, 1);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    // Garbage in place of the JSON: refused as damaged metadata, as before.
    let mut garbage = Wacz::open(&valid_example());
    garbage.set("datapackage-digest.json", b"\x00\xff{{{ not json".to_vec());
    let path = write_wacz(&case, "garbage.wacz", &garbage.to_bytes());
    let before = state(&case);
    let out = case.run(&["import", "{case}", path.to_str().expect("path")]);
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("datapackage-digest.json"), "{err}");
    assert_eq!(state(&case), before);
}

#[test]
fn a_key_signed_wacz_imports_with_the_keys_fingerprint_and_a_tampered_one_is_refused() {
    let case = CaseDir::new();
    let key = ec_key(openssl::nid::Nid::X9_62_PRIME256V1);
    let fingerprint = signed_wacz::sha256_hex(&key.public_key_to_der().expect("SPKI"));
    let mut signed = Wacz::open(&valid_example());
    signed.sign_with_key(&key, false);
    let path = write_wacz(&case, "key-signed.wacz", &signed.to_bytes());
    let report = case.json(&["import", "{case}", path.to_str().expect("path"), "--json"]);
    let signer = format!("key sha256:{fingerprint}");
    assert_eq!(report["signer"], signer.as_str(), "{report}");
    assert_eq!(report["signature"]["method"], "key", "{report}");
    assert_eq!(
        report["signature"]["time_stamped_at"],
        Value::Null,
        "{report}"
    );
    let id = report["captures"][0]["capture_id"].to_string();
    let shown = case.json(&["show", "{case}", &id, "--json"]);
    assert_eq!(
        shown["archive"]["signature"]["signer"],
        signer.as_str(),
        "{shown}"
    );

    let mut tampered = signed.clone();
    tampered.forge(
        "pages/pages.jsonl",
        b"{\"format\": \"json-pages-1.0\"}\n".to_vec(),
    );
    refused_import(
        &case,
        "key-tampered.wacz",
        &tampered.to_bytes(),
        &["does not verify", &fingerprint],
    );
}

#[test]
fn an_unsigned_wacz_imports_as_before_marked_unsigned() {
    let case = CaseDir::new();
    let mut unsigned = Wacz::open(&valid_example());
    let mut digest = unsigned.json("datapackage-digest.json");
    digest.as_object_mut().map(|o| o.remove("signedData"));
    unsigned.set_json("datapackage-digest.json", &digest);
    let path = write_wacz(&case, "unsigned.wacz", &unsigned.to_bytes());
    let out = case.run(&["import", "{case}", path.to_str().expect("path")]);
    assert_success(&out);
    assert!(text(&out).contains("unsigned"), "{}", text(&out));
    let id = case.captures()[0]["id"].to_string();
    let shown = case.json(&["show", "{case}", &id, "--json"]);
    assert_eq!(shown["archive"]["file"], "unsigned.wacz", "{shown}");
    assert_eq!(shown["archive"]["signature"], Value::Null, "{shown}");
    let plain = text(&case.run(&["show", "{case}", &id]));
    assert!(plain.contains("the archive is unsigned"), "{plain}");
}
