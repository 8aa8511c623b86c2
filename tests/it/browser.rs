//! `exhibit capture --mode browser` with the real Chromium from Debian's `chromium`
//! package, against the local test server: script-drawn listings, walls built by script
//! after a 200, real block pages, and Chromium killed in the middle of a batch.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use exhibit_e2e::TestServer;
use exhibit_e2e::cli::{CaseDir, assert_success, by_url};
use serde_json::Value;

const DRAWN_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Loading…</title></head>
<body><div id="app">Loading…</div>
<script>
setTimeout(function () {
  document.title = "Script Drawn Listing";
  document.getElementById("app").innerHTML =
    '<h1 id="productTitle">Script Drawn Listing 脚本绘制</h1><p class="price">$19.99</p>' +
    '<div style="height:2400px;background:linear-gradient(#fff,#36c)"></div>';
}, 500);
</script></body></html>"#;

/// A 200 whose script replaces the page with Amazon's robot check.
const SCRIPT_WALL: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Gorilla Tape</title></head>
<body><h1>Gorilla Tape</h1>
<script>
setTimeout(function () {
  document.title = "Robot Check";
  document.body.innerHTML =
    '<h4>Enter the characters you see below</h4>' +
    '<p>Sorry, we just need to make sure you\'re not a robot. For best results, please make sure your browser is accepting cookies.</p>' +
    '<form method="get" action="/errors/validateCaptcha" name=""><input type="text" id="captchacharacters" name="field-keywords">' +
    '<button type="submit">Continue shopping</button></form>';
}, 300);
</script></body></html>"#;

fn with_data_dir(case: &CaseDir, args: &[&str]) -> Command {
    let mut cmd = case.command(args);
    cmd.env("EXHIBIT_DATA_DIR", case.path("data"));
    cmd
}

/// Which of the space-separated artifact `kinds` the listed capture lacks.
fn missing_artifacts<'a>(capture: &Value, kinds: &'a str) -> Vec<&'a str> {
    let has: Vec<&str> = capture["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .map(|a| a["kind"].as_str().expect("kind"))
        .collect();
    kinds.split(' ').filter(|k| !has.contains(k)).collect()
}

fn export(case: &CaseDir, id: &Value, kind: &str) -> Vec<u8> {
    case.artifact_bytes(&id.to_string(), kind)
}

#[test]
fn browser_mode_renders_judges_and_keeps_every_artifact() {
    let server = TestServer::start();
    let case = CaseDir::new();
    server.mount(
        "/drawn",
        200,
        Some("text/html; charset=utf-8"),
        DRAWN_PAGE.as_bytes().to_vec(),
    );
    server.mount(
        "/script-wall",
        200,
        Some("text/html; charset=utf-8"),
        SCRIPT_WALL.as_bytes().to_vec(),
    );
    let blocked_pages = [
        "amazon/amazon-in-robot-check-captcha.html",
        "walmart/walmart-robot-or-human-perimeterx.html",
        "taobao/taobao-h5-item-punish-deny-qrcode-redacted.html",
        "etsy/etsy-search-datadome-captcha.html",
    ];
    let mut urls = vec![server.http_url("/drawn"), server.http_url("/script-wall")];
    urls.extend(
        blocked_pages
            .iter()
            .map(|p| server.http_url(&format!("/real/{p}"))),
    );
    let mut args = vec!["capture", "{case}", "--mode", "browser", "--timeout", "30"];
    args.extend(urls.iter().map(String::as_str));
    let out = with_data_dir(&case, &args).output().expect("run");
    assert_success(&out);
    // Only Exhibit's own sentences reach the user: no library's log lines (chromiumoxide's
    // "WS Invalid message" warnings once showed at the end of a plain capture).
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        assert!(
            !line.contains("chromiumoxide") && !line.contains(" WARN ") && !line.contains("::"),
            "a library's log line reached the terminal: {line}"
        );
    }
    let captures = by_url(&case.captures());

    let drawn = &captures[&server.http_url("/drawn")];
    assert_eq!(drawn["status"], "ok", "{drawn}");
    assert_eq!(drawn["mode"], "browser");
    let missing = missing_artifacts(
        drawn,
        "screenshot screenshot-print mhtml dom pdf text network body",
    );
    assert!(missing.is_empty(), "missing {missing:?}: {drawn}");
    let png = export(&case, &drawn["id"], "screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // The packet's picture, made at capture: exactly what printing the screenshot
    // again gives, so anyone can check that it shows the evidence.
    let printed = export(&case, &drawn["id"], "screenshot-print");
    let again = exhibit_pdf::print_picture(&png).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.width, 700);
    assert!(
        printed == again.jpeg,
        "the printed screenshot is not the screenshot's"
    );
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!(width, 1366, "viewport width");
    assert!(
        height > 2400,
        "the full page was captured, not the viewport: {height}"
    );
    let dom = String::from_utf8(export(&case, &drawn["id"], "dom")).expect("utf-8 dom");
    assert!(
        dom.contains("Script Drawn Listing 脚本绘制"),
        "script-drawn title missing from the DOM"
    );
    let text_artifact = String::from_utf8(export(&case, &drawn["id"], "text")).expect("utf-8 text");
    assert!(
        text_artifact.contains("Script Drawn Listing"),
        "{text_artifact}"
    );
    let mhtml = String::from_utf8_lossy(&export(&case, &drawn["id"], "mhtml")).into_owned();
    assert!(mhtml.contains("multipart/related"), "not MHTML");
    let pdf_path = case.path("drawn.pdf");
    std::fs::write(&pdf_path, export(&case, &drawn["id"], "pdf")).expect("w");
    let info = Command::new("pdfinfo")
        .arg(&pdf_path)
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    assert!(
        info.status.success(),
        "pdfinfo rejects the PDF: {}",
        String::from_utf8_lossy(&info.stderr)
    );
    let network: Value = serde_json::from_slice(&export(&case, &drawn["id"], "network"))
        .expect("network log is JSON");
    assert!(
        network.as_array().is_some_and(|a| !a.is_empty()),
        "{network}"
    );
    let body = export(&case, &drawn["id"], "body");
    assert_eq!(
        body,
        DRAWN_PAGE.as_bytes(),
        "the raw main document is kept as served"
    );

    let shown = case.json(&["show", "{case}", &drawn["id"].to_string(), "--json"]);
    assert!(
        shown["browser"]["product"]
            .as_str()
            .is_some_and(|p| p.contains("Chrom")),
        "{shown}"
    );
    assert_eq!(shown["browser"]["viewport"][0], 1366);
    assert_eq!(
        shown["browser"]["extensions"].as_array().map(Vec::len),
        Some(0)
    );

    // A wall built by script after a 200 is blocked, never ok.
    let wall = &captures[&server.http_url("/script-wall")];
    assert_eq!(wall["status"], "blocked", "{wall}");
    for p in blocked_pages {
        let c = &captures[&server.http_url(&format!("/real/{p}"))];
        assert_eq!(c["status"], "blocked", "{p}: {c}");
    }
    // What HTTP mode refuses, browser mode refuses before a browser sees it.
    let out = with_data_dir(
        &case,
        &[
            "capture",
            "{case}",
            "--mode",
            "browser",
            "file:///etc/passwd",
        ],
    )
    .output()
    .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let refused = &by_url(&case.captures())["file:///etc/passwd"];
    assert_eq!(refused["status"], "failed");
    assert_eq!(refused["mode"], "browser", "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("only captures http and https")),
        "{refused}"
    );

    let report = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(report["ok"], true, "{report}");
}

/// A listing whose script comes from a server that takes the request and never answers: the
/// page never finishes loading.
const STALLED_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Stalled Listing</title></head>
<body><h1 id="productTitle">Stalled Listing 停滞</h1><p class="price">$12.50</p>
<script src="/stall-headers"></script>
</body></html>"#;

#[test]
fn a_page_that_never_finishes_loading_is_captured_within_its_limit() {
    let server = TestServer::start();
    let case = CaseDir::new();
    server.mount(
        "/stalled",
        200,
        Some("text/html; charset=utf-8"),
        STALLED_PAGE.as_bytes().to_vec(),
    );
    let url = server.http_url("/stalled");
    let out = with_data_dir(
        &case,
        &[
            "capture",
            "{case}",
            "--mode",
            "browser",
            "--timeout",
            "10",
            &url,
        ],
    )
    .output()
    .expect("run");
    assert_success(&out);
    assert!(
        server.hits("/stall-headers") > 0,
        "the script was never asked for"
    );
    let c = &by_url(&case.captures())[&url];
    // What the page showed is evidence: the request still open is a note, not a failure.
    assert_eq!(c["status"], "ok", "{c}");
    let missing = missing_artifacts(c, "screenshot dom mhtml text network");
    assert!(missing.is_empty(), "missing {missing:?}: {c}");
    let shown = case.json(&["show", "{case}", &c["id"].to_string(), "--json"]);
    let notes = shown["notes"].to_string();
    assert!(
        notes.contains("still open") && notes.contains("/stall-headers"),
        "the open request is not named: {notes}"
    );
    let dom = String::from_utf8(export(&case, &c["id"], "dom")).expect("utf-8 dom");
    assert!(dom.contains("Stalled Listing 停滞"), "{dom}");
}

#[test]
fn killing_chromium_mid_batch_loses_nothing_and_the_batch_finishes() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let mut urls = Vec::new();
    for i in 0..8 {
        let path = format!("/slow/{i}");
        server.mount(
            &path,
            200,
            Some("text/html; charset=utf-8"),
            DRAWN_PAGE
                .replace("Script Drawn Listing", &format!("Listing {i}"))
                .into_bytes(),
        );
        urls.push(server.http_url(&path));
    }
    let mut args = vec![
        "capture",
        "{case}",
        "--mode",
        "browser",
        "--concurrency",
        "1",
        "--timeout",
        "30",
    ];
    args.extend(urls.iter().map(String::as_str));
    let mut child = with_data_dir(&case, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut reported = Vec::new();
    // After the first capture is committed, kill every Chromium process of this case.
    if let Some(Ok(line)) = lines.next() {
        reported.push(line);
    }
    let data = case.path("data");
    let killed = Command::new("pkill")
        .args(["-KILL", "-f", &format!("user-data-dir={}", data.display())])
        .status()
        .expect("pkill");
    assert!(killed.success(), "no Chromium of this case was running");
    for line in lines.map_while(Result::ok) {
        reported.push(line);
    }
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    assert!(
        status.code().is_some_and(|c| c == 0 || c == 1),
        "exit {status:?}: {stderr}"
    );
    let captures = case.captures();
    assert_eq!(
        captures.len(),
        urls.len(),
        "every URL has a record:\n{}",
        reported.join("\n")
    );
    let ok = captures.iter().filter(|c| c["status"] == "ok").count();
    assert!(
        ok >= urls.len() - 2,
        "the batch went on after the restart: {ok} ok\n{}",
        reported.join("\n")
    );
    let report = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(report["ok"], true, "{report}");
}
