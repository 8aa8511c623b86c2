//! `exhibit browse` and `exhibit snap`: a visible Chromium (on a private Xvfb display)
//! with the case's profile, a page drawn by script after load that greets a logged-in
//! shopper, and a snap taken from a second process without reloading the tab.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use exhibit_e2e::TestServer;
use exhibit_e2e::cli::{CaseDir, assert_exit, assert_success, text};
use exhibit_e2e::processes::Xvfb;

/// A listing whose header greets the shopper, drawn 0.5 s after load, plus a counter of
/// loads so a reload would show. Once drawn, it asks for `/account-listing-drawn`.
const ACCOUNT_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Loading…</title>
<link rel="canonical" href="https://www.amazon.com/dp/B0TESTB0WS"></head>
<body><div id="nav"><span id="nav-link-accountList-nav-line-1">Hello, alice_shopper</span></div>
<div id="app">Loading…</div>
<script>
var loads = Number(sessionStorage.getItem("loads") || 0) + 1;
sessionStorage.setItem("loads", loads);
setTimeout(function () {
  document.title = "Brass Lantern, Amazon";
  document.getElementById("app").innerHTML =
    '<h1 id="productTitle">Brass Lantern ACME 黄铜灯笼</h1>' +
    '<p id="loads">loaded ' + loads + ' times</p>';
  // Tells the test the page is drawn: the test waits on this request, not on a clock.
  fetch("/account-listing-drawn");
}, 500);
</script></body></html>"#;

fn snap(case: &CaseDir) -> std::process::Output {
    let mut cmd = case.command(&["snap", "{case}"]);
    cmd.env("EXHIBIT_DATA_DIR", case.path("data"));
    cmd.env_remove("EXHIBIT_PASSPHRASE");
    cmd.output().expect("run snap")
}

#[test]
fn browse_then_snap_captures_the_open_tab_with_its_logged_in_account() {
    let server = TestServer::start();
    let case = CaseDir::new();
    server.mount(
        "/account-listing",
        200,
        Some("text/html; charset=utf-8"),
        ACCOUNT_PAGE.as_bytes().to_vec(),
    );
    server.mount(
        "/account-listing-drawn",
        200,
        Some("text/plain"),
        Vec::new(),
    );
    let url = server.http_url("/account-listing");

    // Nothing to snap before a browser is open; the message says what to do.
    let early = snap(&case);
    assert_exit(&early, 2);
    assert!(
        String::from_utf8_lossy(&early.stderr).contains("exhibit browse"),
        "{}",
        text(&early)
    );

    let xvfb = Xvfb::start();
    let mut browse = case.command(&["browse", "{case}", &url]);
    browse
        .env("EXHIBIT_DATA_DIR", case.path("data"))
        .env("DISPLAY", &xvfb.display)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = browse.spawn().expect("spawn browse");

    // Wait for the browsing process to listen, then for the page to draw itself.
    let started = Instant::now();
    let socket_dir = case.path("data").join("sessions");
    while std::fs::read_dir(&socket_dir).map_or(true, |mut d| d.next().is_none()) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "browse never opened its channel"
        );
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("browse exited early ({status}): {err}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    while server.hits("/account-listing-drawn") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the page in the visible browser never drew itself"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let first = snap(&case);
    assert_success(&first);
    let line = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(line.contains("#1") && line.contains("ok"), "{line}");
    // A second snap of the same tab: it must not have been reloaded by the first.
    let second = snap(&case);
    assert_success(&second);

    // A second browser for the same case is refused while this one runs.
    let mut again = case.command(&["browse", "{case}"]);
    let again = again
        .env("EXHIBIT_DATA_DIR", case.path("data"))
        .env("DISPLAY", &xvfb.display)
        .output()
        .expect("run browse again");
    assert_exit(&again, 2);

    // Ctrl-C ends the session cleanly.
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let out = child.wait_with_output().expect("browse output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browse: {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("after 2 captures"), "{stdout}");
    assert!(
        std::fs::read_dir(&socket_dir).is_ok_and(|mut d| d.next().is_none()),
        "the channel is removed at the end"
    );

    let shown = case.json(&["show", "{case}", "1", "--json"]);
    assert_eq!(shown["mode"], "browser", "{shown}");
    assert_eq!(shown["status"], "ok", "{shown}");
    assert_eq!(shown["browser"]["headless"], false, "{shown}");
    assert_eq!(shown["browser"]["logged_in_as"], "alice_shopper", "{shown}");
    assert_eq!(shown["requested_url"], url.as_str(), "{shown}");
    let second = case.json(&["show", "{case}", "2", "--json"]);
    assert!(
        second["notes"].to_string().contains("without reloading"),
        "{second}"
    );
    let visible = String::from_utf8(case.artifact_bytes("2", "text")).expect("text artifact");
    assert!(visible.contains("Brass Lantern ACME 黄铜灯笼"), "{visible}");
    assert!(
        visible.contains("loaded 1 times"),
        "snap reloaded the tab: {visible}"
    );
    assert_eq!(
        server.hits("/account-listing"),
        1,
        "the page was loaded once"
    );

    let report = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(report["ok"], true, "{report}");
}

#[test]
fn browser_mode_is_the_default_and_a_missing_browser_says_what_to_install() {
    let case = CaseDir::new();
    let out = case
        .command(&["capture", "{case}", "http://127.0.0.1:9/listing"])
        .env_remove("EXHIBIT_CAPTURE_MODE")
        .env("EXHIBIT_BROWSER", "/nonexistent/chromium")
        .env("EXHIBIT_DATA_DIR", case.path("data"))
        .output()
        .expect("run capture");
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("apt-get install chromium"), "{}", text(&out));
    assert!(err.contains("--mode http"), "{}", text(&out));
}
