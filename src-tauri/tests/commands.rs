//! The app's commands, events and `exhibit://` scheme, driven through Tauri's IPC on the
//! mock runtime: the real command handlers, the real capability (ACL) and a real
//! SQLCipher case in a temporary folder, with captures fetched from an HTTP server on
//! 127.0.0.1.
//!
//! Each test runs in a child process of this test binary with `EXHIBIT_DATA_DIR` set to
//! a fresh temporary folder (the recent-cases list, the settings and browser profiles
//! live there), because setting an environment variable inside a running test needs
//! `unsafe`, which the workspace forbids.
//!
//! Native dialogs cannot be clicked here: the child also gets `EXHIBIT_TEST_DIALOG_ANSWER`,
//! the test seam of `src/chosen.rs` (compiled in only with the `test-dialogs` feature,
//! which this crate's dev-dependency on itself turns on). [`App::choose`] writes the
//! answer a user would give and opens the dialog through `choose_path`, as "Choose…" does.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use exhibit_e2e::{Reply, TestServer};
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow};

const CHILD: &str = "EXHIBIT_APP_TEST_CHILD";
/// What a child prints once its test body has returned.
const CHILD_PASSED: &str = "exhibit-app-test-child: body passed";
const PASSPHRASE: &str = "lantern harbor quietly 7 copper maple";
/// The test seam's answer file (see the header).
const ANSWER: &str = exhibit_app::chosen::ANSWER_VAR;

/// Runs `body` in a child process with its own data folder; see the header.
fn isolated(name: &str, body: impl FnOnce()) {
    if std::env::var_os(CHILD).is_some() {
        body();
        // The child then ends as the app does: its runtimes, its case and any Chromium
        // dropped normally. The parent asks for this line and a success status both.
        println!("{CHILD_PASSED}");
        let _ = std::io::stdout().flush();
        return;
    }
    let data = tempfile::tempdir().expect("data dir");
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("EXHIBIT_DATA_DIR", data.path())
        .env(ANSWER, data.path().join("dialog-answer"))
        .output()
        .expect("run the test in a child process");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains(CHILD_PASSED),
        "{name} failed in its child process ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

/// The app on the mock runtime, with its main window.
struct App {
    app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
}

impl App {
    fn new() -> App {
        let app = exhibit_app::build_app(mock_builder())
            .build(exhibit_app::context())
            .expect("build the app");
        // The window tauri.conf.json describes (Tauri creates it when the app runs).
        let config = app
            .config()
            .app
            .windows
            .iter()
            .find(|w| w.label == "main")
            .expect("the main window in tauri.conf.json")
            .clone();
        let webview = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)
            .expect("window config")
            .build()
            .expect("the main window");
        App {
            app,
            webview,
            dir: tempfile::tempdir().expect("case dir"),
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }

    /// The user answers the next dialog for `purpose` with `path`, and the UI opens it
    /// through `choose_path`: from now on the app holds `path` as chosen for `purpose`.
    fn choose(&self, purpose: &str, path: &str) -> String {
        let answer = std::env::var_os(ANSWER).expect("the dialog seam's answer file");
        std::fs::write(&answer, format!("{purpose}\t{path}")).expect("write the answer");
        let chosen = self.ok("choose_path", json!({ "purpose": purpose }));
        assert_eq!(chosen, json!(path), "the dialog for {purpose}");
        assert!(!Path::new(&answer).exists(), "the dialog took its answer");
        path.to_owned()
    }

    /// Invokes a command as the web UI would, from the app's own origin.
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.webview, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// The error code a command rejects with, checking the error's shape.
    fn code(&self, cmd: &str, args: Value) -> String {
        let e = self
            .call(cmd, args)
            .expect_err(&format!("{cmd} should fail"));
        let message = e["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{cmd}: no message in {e}");
        e["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{cmd}: no code in {e}"))
            .to_owned()
    }

    fn create_case(&self, name: &str) -> Value {
        let path = self.choose("case_new", &self.path(name));
        self.ok(
            "create_case",
            json!({
                "path": path,
                "title": "Acme lanterns",
                "passphrase": PASSPHRASE,
                "collector": { "name": "Jane Doe", "organization": "Acme Lantern Co." },
            }),
        )
    }

    /// Every payload of `event` from now on.
    fn events(&self, event: &str) -> Receiver<Value> {
        let (tx, rx) = channel();
        self.app.listen_any(event, move |e| {
            let _ = tx.send(serde_json::from_str(e.payload()).expect("event JSON"));
        });
        rx
    }

    /// A request to the `exhibit://` scheme, answered as the webview would be.
    fn fetch(&self, uri: &str) -> tauri::http::Response<Vec<u8>> {
        let request = tauri::http::Request::builder()
            .uri(uri)
            .body(Vec::new())
            .expect("request");
        exhibit_app::protocol::respond(self.app.handle(), &request)
    }
}

/// Invokes a command as the web UI would, from the app's own origin
/// (`tauri://localhost` on Linux).
fn invoke(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_from(webview, "tauri://localhost", cmd, args)
}

/// Invokes a command from a page at `origin` in `webview`.
fn invoke_from(
    webview: &WebviewWindow<MockRuntime>,
    origin: &str,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let response = get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: origin.parse().expect("origin"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )?;
    Ok(match response {
        tauri::ipc::InvokeResponseBody::Json(s) => serde_json::from_str(&s).expect("a JSON result"),
        tauri::ipc::InvokeResponseBody::Raw(bytes) => Value::from(bytes),
    })
}

/// The shared test server (`exhibit_e2e::TestServer`) on 127.0.0.1: `/item/N` is a
/// listing page, `/gone` a 404, and `/slow/N` a listing page that takes 1.5 s to answer.
/// It serves until dropped, so a test keeps it for as long as it captures.
fn serve() -> TestServer {
    let server = TestServer::start();
    server.mount_prefix("/item/", listing_page);
    server.mount_prefix("/slow/", |path| {
        std::thread::sleep(Duration::from_millis(1500));
        listing_page(path)
    });
    server.mount(
        "/gone",
        404,
        Some("text/html; charset=utf-8"),
        b"<html><head><title>Not found</title></head><body>No such item.</body></html>".to_vec(),
    );
    server
}

fn listing_page(path: &str) -> Reply {
    Reply::html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>ACME Model 7 lantern {path}</title></head>\
         <body><h1>ACME Model 7 lantern</h1><p>Price: US $12.99</p><p>Seller: cheap-lanterns</p></body></html>"
    ))
}

fn url(port: u16, path: &str) -> String {
    format!("http://127.0.0.1:{port}{path}")
}

/// Waits for the next event payload, failing after a generous time.
fn next(rx: &Receiver<Value>) -> Value {
    rx.recv_timeout(Duration::from_secs(120))
        .expect("an event within two minutes")
}

/// The `capture-progress` events of a batch up to its `capture-done`.
fn run_to_done(progress: &Receiver<Value>, done: &Receiver<Value>) -> (Vec<Value>, Value) {
    let done = next(done);
    let events: Vec<Value> = progress.try_iter().collect();
    (events, done)
}

fn example(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("example complaint");
    let file: exhibit::ComplaintFile = toml::from_str(&text).expect("parse the example");
    serde_json::to_value(file).expect("as JSON")
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

// ---- Cases ----

#[test]
fn create_case_refuses_a_weak_passphrase_and_opens_a_strong_one() {
    isolated(
        "create_case_refuses_a_weak_passphrase_and_opens_a_strong_one",
        || {
            let app = App::new();
            assert_eq!(app.ok("case_info", json!({})), Value::Null);

            let weak = app.ok(
                "passphrase_strength",
                json!({ "passphrase": "password1", "inputs": [] }),
            );
            assert_eq!(weak["acceptable"], false);
            assert!(weak["score"].as_u64().expect("score") < 3);
            let strong = app.ok(
                "passphrase_strength",
                json!({ "passphrase": PASSPHRASE, "inputs": ["Acme lanterns"] }),
            );
            assert_eq!(strong["acceptable"], true);

            let weak_path = app.choose("case_new", &app.path("weak.exhibit"));
            let code = app.code(
                "create_case",
                json!({
                    "path": weak_path,
                    "title": "Weak",
                    "passphrase": "password1",
                    "collector": { "name": "Jane Doe" },
                }),
            );
            assert_eq!(code, "weak_passphrase");
            assert!(!Path::new(&app.path("weak.exhibit")).exists());

            let info = app.create_case("acme.exhibit");
            assert_eq!(info["title"], "Acme lanterns");
            assert_eq!(info["captures"], 0);
            assert_eq!(info["path"], app.path("acme.exhibit"));
            assert_eq!(info["collector"]["name"], "Jane Doe");
            assert_eq!(info["collector"]["organization"], "Acme Lantern Co.");
            assert_eq!(app.ok("case_info", json!({})), info);

            // It cannot be created twice.
            let again = app.code(
                "create_case",
                json!({
                    "path": app.path("acme.exhibit"),
                    "title": "Again",
                    "passphrase": PASSPHRASE,
                    "collector": null,
                }),
            );
            assert_eq!(again, "case_exists");

            // The recent list has it, with its title and no passphrase.
            let recent = app.ok("recent_cases", json!({}));
            assert_eq!(recent[0]["path"], app.path("acme.exhibit"));
            assert_eq!(recent[0]["title"], "Acme lanterns");
            assert!(!recent.to_string().contains(PASSPHRASE));
            let data = std::env::var_os("EXHIBIT_DATA_DIR").expect("data dir");
            assert!(Path::new(&data).join("app-recent-cases.json").is_file());
        },
    );
}

#[test]
fn open_case_with_a_wrong_passphrase_is_refused_and_the_right_one_opens() {
    isolated(
        "open_case_with_a_wrong_passphrase_is_refused_and_the_right_one_opens",
        || {
            let app = App::new();
            app.create_case("acme.exhibit");
            assert_eq!(app.ok("close_case", json!({})), Value::Null);
            assert_eq!(app.ok("case_info", json!({})), Value::Null);

            let code = app.code(
                "open_case",
                json!({ "path": app.path("acme.exhibit"), "passphrase": "not the passphrase at all" }),
            );
            assert_eq!(code, "wrong_passphrase");
            assert_eq!(app.ok("case_info", json!({})), Value::Null);

            let nowhere = app.choose("case_open", &app.path("nowhere.exhibit"));
            let missing = app.code(
                "open_case",
                json!({ "path": nowhere, "passphrase": PASSPHRASE }),
            );
            assert_eq!(missing, "case_not_found");

            let info = app.ok(
                "open_case",
                json!({ "path": app.path("acme.exhibit"), "passphrase": PASSPHRASE }),
            );
            assert_eq!(info["title"], "Acme lanterns");
            // Opening the same case again (its lock is this process's) works too.
            let again = app.ok(
                "open_case",
                json!({ "path": app.path("acme.exhibit"), "passphrase": PASSPHRASE }),
            );
            assert_eq!(again["title"], "Acme lanterns");
        },
    );
}

#[test]
fn commands_that_need_a_case_say_no_case() {
    isolated("commands_that_need_a_case_say_no_case", || {
        let app = App::new();
        let draft = example("dmca.toml");
        for (cmd, args) in [
            ("load_draft", json!({})),
            ("save_draft", json!({ "draft": draft })),
            ("check_draft", json!({ "draft": draft })),
            ("attach_file", json!({ "path": "/etc/hostname" })),
            ("import_wacz", json!({ "path": "/etc/hostname" })),
            ("export_wacz", json!({ "path": app.path("out.wacz") })),
            ("attachments", json!({})),
            (
                "start_capture",
                json!({ "urls": ["http://127.0.0.1:9/"], "mode": "http" }),
            ),
            ("open_browser", json!({ "urls": [] })),
            ("snap_tab", json!({})),
            (
                "capture_page",
                json!({ "query": { "offset": 0, "limit": 10 } }),
            ),
            ("capture_detail", json!({ "id": 1 })),
            (
                "start_export",
                json!({ "draft": draft, "outDir": app.path("out") }),
            ),
            ("custody", json!({})),
            ("listings", json!({})),
            ("listing_history", json!({ "id": 1 })),
            ("sellers", json!({})),
            ("filings", json!({})),
            (
                "add_filing",
                json!({ "filing": { "venue": "dmca", "reference": "R", "filed": "2026-01-01", "listings": [1] } }),
            ),
            (
                "record_outcome",
                json!({ "outcome": { "filing": 1, "listing": 1, "outcome": "removed", "date": "2026-01-02" } }),
            ),
            ("start_recapture", json!({})),
            ("relistings", json!({})),
            (
                "decide_relisting",
                json!({ "original": 1, "relisting": 2, "confirmed": true }),
            ),
            ("stats", json!({})),
            ("timeline", json!({})),
            ("purchases", json!({})),
            ("purchase", json!({ "id": 1 })),
            (
                "add_purchase",
                json!({ "purchase": { "listing": 1, "order": "O", "date": "2026-01-01", "amount": "1",
                                      "currency": "USD", "ship_to": "Chicago, IL, US" } }),
            ),
            (
                "update_purchase",
                json!({ "update": { "purchase": 1, "tracking": "T" } }),
            ),
            (
                "attach_purchase_files",
                json!({ "purchase": 1, "kind": "order", "paths": ["/etc/hostname"] }),
            ),
            (
                "purchase_verdict",
                json!({ "verdict": { "purchase": 1, "verdict": "genuine", "by": "B", "method": "M" } }),
            ),
            (
                "item_custody",
                json!({ "handover": { "purchase": 1, "from": "A", "to": "B", "at": "2026-01-02", "place": "P" } }),
            ),
            ("defendants", json!({})),
            ("discover", json!({ "captureId": 1 })),
            (
                "start_capture_discovered",
                json!({ "captureId": 1, "mode": "http" }),
            ),
        ] {
            assert_eq!(app.code(cmd, args), "no_case", "{cmd}");
        }
        // Those that need none still work.
        assert_eq!(
            app.ok("browser_status", json!({})),
            json!({ "open": false, "snaps": 0 })
        );
        assert_eq!(app.ok("close_browser", json!({})), Value::Null);
        assert_eq!(app.ok("close_case", json!({})), Value::Null);
        assert_eq!(
            app.ok("cancel_capture", json!({ "batchId": 99 })),
            Value::Null
        );
        assert_eq!(app.ok("cancel_export", json!({ "jobId": 99 })), Value::Null);
        assert_eq!(
            app.ok("cancel_recapture", json!({ "jobId": 99 })),
            Value::Null
        );
    });
}

#[test]
fn settings_round_trip_and_refuse_nonsense() {
    isolated("settings_round_trip_and_refuse_nonsense", || {
        let app = App::new();
        assert_eq!(
            app.ok("get_settings", json!({})),
            json!({
                "capture_mode": "browser",
                // The core's default for browser mode (`exhibit::rules`).
                "concurrency": exhibit::rules::DEFAULT_BROWSER_CONCURRENCY,
                "tsa_urls": [],
                "tsa_roots": [],
                "update_url": null
            })
        );
        let http = json!({
            "capture_mode": "http",
            "concurrency": 2,
            "tsa_urls": ["http://127.0.0.1:9/tsr"],
            "tsa_roots": [],
            "update_url": null
        });
        assert_eq!(
            app.ok("save_settings", json!({ "settings": http })),
            Value::Null
        );
        assert_eq!(app.ok("get_settings", json!({})), http);
        for bad in [
            json!({ "capture_mode": "http", "concurrency": 0 }),
            json!({ "capture_mode": "carrier-pigeon", "concurrency": 2 }),
            json!({ "capture_mode": "http" }),
            json!({ "capture_mode": "http", "concurrency": 2, "tsa_urls": ["ftp://tsa.example/"] }),
        ] {
            assert_eq!(
                app.code("save_settings", json!({ "settings": bad })),
                "bad_input"
            );
        }
        // A root file is read, so it must be one the user chose: any other is refused
        // before it is opened, and a chosen one that is no certificate is bad input.
        let with_root = |root: &str| {
            json!({ "settings": { "capture_mode": "http", "concurrency": 2,
                    "tsa_urls": ["http://127.0.0.1:9/tsr"], "tsa_roots": [root] } })
        };
        assert_eq!(
            app.code("save_settings", with_root("/etc/passwd")),
            "path_not_chosen"
        );
        let missing = app.choose("tsa_root", &app.path("no-such-root.pem"));
        assert_eq!(app.code("save_settings", with_root(&missing)), "bad_input");
        assert_eq!(app.ok("get_settings", json!({})), http);
    });
}

// ---- The draft and attachments ----

#[test]
fn the_draft_round_trips_and_checking_it_names_what_is_missing() {
    isolated(
        "the_draft_round_trips_and_checking_it_names_what_is_missing",
        || {
            let app = App::new();
            app.create_case("acme.exhibit");
            assert_eq!(app.ok("load_draft", json!({})), Value::Null);

            let draft = example("ebay-vero.toml");
            assert_eq!(app.ok("save_draft", json!({ "draft": draft })), Value::Null);
            assert_eq!(app.ok("load_draft", json!({})), draft);

            // The certificate it names is not attached yet, and there are no captures.
            let check = app.ok("check_draft", json!({ "draft": draft }));
            assert_eq!(check["venue"], "eBay VeRO Notice of Claimed Infringement");
            let issues = check["issues"].as_array().expect("issues");
            let fields: Vec<&str> = issues
                .iter()
                .map(|i| i["field"].as_str().unwrap_or_default())
                .collect();
            assert!(
                issues.iter().any(|i| i["severity"] == "error"
                    && i["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("acme-uspto.pdf"))),
                "{issues:#?}"
            );
            assert!(check["batches"].as_array().expect("batches").is_empty());

            // Attaching it gives it the name the draft uses, and the issue goes away.
            let cert = examples_dir().join("certificates/acme-uspto.pdf");
            app.choose("certificate", &cert.to_string_lossy());
            let attachment = app.ok("attach_file", json!({ "path": cert.to_string_lossy() }));
            assert_eq!(attachment["name"], "certificates/acme-uspto.pdf");
            assert_eq!(attachment["media_type"], "application/pdf");
            let bytes = std::fs::read(&cert).expect("certificate");
            assert_eq!(attachment["size"], bytes.len());
            assert_eq!(attachment["sha256"], exhibit::sha256(&bytes).to_hex());
            assert_eq!(
                app.ok("attachments", json!({})),
                json!([attachment.clone()])
            );
            let check = app.ok("check_draft", json!({ "draft": draft }));
            let after = check["issues"].as_array().expect("issues");
            assert!(
                !after.iter().any(|i| i["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("acme-uspto.pdf"))),
                "{after:#?} (before: {fields:?})"
            );

            // A second file of the same name gets a name of its own.
            let second = app.ok("attach_file", json!({ "path": cert.to_string_lossy() }));
            assert_eq!(second["name"], "certificates/acme-uspto-2.pdf");

            // A draft of the wrong shape is refused in the usual error shape.
            assert_eq!(
                app.code(
                    "save_draft",
                    json!({ "draft": { "venue": "ebay-vero", "nonsense": 1 } })
                ),
                "bad_input"
            );
            let gone = app.choose("certificate", &app.path("no-such-file.pdf"));
            assert_eq!(
                app.code("attach_file", json!({ "path": gone })),
                "bad_input"
            );
            assert_eq!(app.ok("load_draft", json!({})), draft);

            // The custody log recorded the attachments, and its chain is intact.
            let custody = app.ok("custody", json!({}));
            assert_eq!(custody["intact"], true);
            assert!(custody["events"].as_array().expect("events").len() >= 3);
            assert_eq!(custody["problems"], json!([]));
        },
    );
}

// ---- Capture ----

#[test]
fn an_http_batch_reports_each_url_and_its_captures_are_listed() {
    isolated(
        "an_http_batch_reports_each_url_and_its_captures_are_listed",
        || {
            let server = serve();
            let port = server.http_port();
            let app = App::new();
            app.create_case("acme.exhibit");
            let progress = app.events("capture-progress");
            let done = app.events("capture-done");
            let urls = [
                url(port, "/item/1"),
                url(port, "/gone"),
                url(port, "/item/2"),
            ];
            let started = app.ok("start_capture", json!({ "urls": urls, "mode": "http" }));
            let batch_id = started["batch_id"].as_u64().expect("batch id");

            let (events, done) = run_to_done(&progress, &done);
            assert_eq!(done["batch_id"], batch_id);
            assert_eq!(done["cancelled"], false);
            assert_eq!(done["summary"]["total"], 3);
            assert_eq!(done["summary"]["ok"], 2);
            assert_eq!(done["summary"]["removed"], 1);
            assert_eq!(done["summary"]["cancelled"], 0);
            assert!(done.get("error").is_none());

            // Each URL is reported capturing, then with its judgement.
            for (index, u) in urls.iter().enumerate() {
                let mine: Vec<&Value> = events.iter().filter(|e| e["index"] == index).collect();
                assert_eq!(mine.len(), 2, "{events:#?}");
                assert_eq!(mine[0]["state"], "capturing");
                assert_eq!(mine[0]["url"], *u);
                assert!(mine[0].get("capture_id").is_none());
                let expected = if index == 1 { "removed" } else { "ok" };
                assert_eq!(mine[1]["state"], expected);
                assert_eq!(mine[1]["batch_id"], batch_id);
                assert!(mine[1]["capture_id"].as_i64().expect("capture id") > 0);
            }
            let gone = events
                .iter()
                .find(|e| e["state"] == "removed")
                .expect("removed");
            assert!(gone["reason"].as_str().is_some_and(|r| !r.is_empty()));
            let item = events
                .iter()
                .find(|e| e["index"] == 0 && e["state"] == "ok")
                .expect("ok");
            assert_eq!(item["title"], "ACME Model 7 lantern");

            assert_eq!(app.ok("case_info", json!({}))["captures"], 3);

            // The gallery, newest first, filtered and paged.
            let page = app.ok(
                "capture_page",
                json!({ "query": { "offset": 0, "limit": 10 } }),
            );
            assert_eq!(page["total"], 3);
            let items = page["items"].as_array().expect("items");
            assert_eq!(items.len(), 3);
            // Newest (highest id) first; the batch committed them in the order they came.
            let ids: Vec<i64> = items
                .iter()
                .map(|i| i["id"].as_i64().expect("id"))
                .collect();
            assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
            let mut listed: Vec<&str> = items
                .iter()
                .map(|i| i["requested_url"].as_str().unwrap_or_default())
                .collect();
            listed.sort_unstable();
            let mut wanted: Vec<&str> = urls.iter().map(String::as_str).collect();
            wanted.sort_unstable();
            assert_eq!(listed, wanted);
            let removed = app.ok(
                "capture_page",
                json!({ "query": { "offset": 0, "limit": 10, "status": "removed" } }),
            );
            assert_eq!(removed["total"], 1);
            assert_eq!(removed["items"][0]["requested_url"], urls[1]);
            assert_eq!(removed["items"][0]["http_status"], 404);
            let second = app.ok(
                "capture_page",
                json!({ "query": { "offset": 1, "limit": 1 } }),
            );
            assert_eq!(second["total"], 3);
            assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
            assert_eq!(second["items"][0]["id"], items[1]["id"]);
            assert_eq!(
                app.code(
                    "capture_page",
                    json!({ "query": { "offset": 0, "limit": 5, "colour": "red" } })
                ),
                "bad_input"
            );

            // One capture in full.
            let id = item["capture_id"].as_i64().expect("id");
            let detail = app.ok("capture_detail", json!({ "id": id }));
            assert_eq!(detail["id"], id);
            assert_eq!(detail["requested_url"], urls[0]);
            assert_eq!(detail["status"], "ok");
            assert_eq!(detail["http_status"], 200);
            assert_eq!(detail["collector"]["name"], "Jane Doe");
            assert!(detail["headers"].as_array().is_some_and(|h| !h.is_empty()));
            assert_eq!(
                app.code("capture_detail", json!({ "id": 999 })),
                "no_such_capture"
            );

            // The URL list reader.
            let list = app.choose("url_list", &app.path("urls.txt"));
            std::fs::write(&list, format!("# listings\n{}\n\n{}\n", urls[0], urls[2]))
                .expect("write list");
            assert_eq!(
                app.ok("read_url_list", json!({ "path": list })),
                json!([urls[0], urls[2]])
            );
            let none = app.choose("url_list", &app.path("none.txt"));
            assert_eq!(
                app.code("read_url_list", json!({ "path": none })),
                "bad_input"
            );
            assert_eq!(
                app.code(
                    "start_capture",
                    json!({ "urls": urls, "mode": "telepathy" })
                ),
                "bad_input"
            );
        },
    );
}

#[test]
fn cancelling_a_batch_keeps_what_was_captured() {
    isolated("cancelling_a_batch_keeps_what_was_captured", || {
        let server = serve();
        let port = server.http_port();
        let app = App::new();
        app.create_case("acme.exhibit");
        app.ok(
            "save_settings",
            json!({ "settings": { "capture_mode": "http", "concurrency": 1 } }),
        );
        let progress = app.events("capture-progress");
        let done = app.events("capture-done");
        let urls = [
            url(port, "/item/1"),
            url(port, "/slow/2"),
            url(port, "/item/3"),
            url(port, "/item/4"),
            url(port, "/item/5"),
        ];
        let batch_id = app.ok("start_capture", json!({ "urls": urls, "mode": "http" }))["batch_id"]
            .as_u64()
            .expect("batch id");

        // A second batch, an export, a web archive, or closing the case is refused while it
        // runs.
        assert_eq!(
            app.code(
                "start_capture",
                json!({ "urls": [url(port, "/item/9")], "mode": "http" })
            ),
            "busy"
        );
        let out = app.choose("export_folder", &app.path("out"));
        assert_eq!(
            app.code(
                "start_export",
                json!({ "draft": example("dmca.toml"), "outDir": out })
            ),
            "busy"
        );
        let wacz = app.choose("wacz_export", &app.path("during.wacz"));
        assert_eq!(app.code("export_wacz", json!({ "path": wacz })), "busy");
        assert!(!Path::new(&wacz).exists());
        assert_eq!(app.code("close_case", json!({})), "busy");

        // Cancel once the slow URL is in flight.
        let mut seen = Vec::new();
        loop {
            let e = next(&progress);
            let slow_started = e["index"] == 1 && e["state"] == "capturing";
            seen.push(e);
            if slow_started {
                break;
            }
        }
        // A wrong id changes nothing; the right one cancels.
        app.ok("cancel_capture", json!({ "batchId": batch_id + 100 }));
        app.ok("cancel_capture", json!({ "batchId": batch_id }));

        let (rest, done) = run_to_done(&progress, &done);
        seen.extend(rest);
        assert_eq!(done["batch_id"], batch_id);
        assert_eq!(done["cancelled"], true);
        assert_eq!(done["summary"]["total"], 5);
        assert_eq!(done["summary"]["ok"], 2, "{done}");
        assert_eq!(done["summary"]["cancelled"], 3);

        let state_of = |index: usize| -> Vec<String> {
            seen.iter()
                .filter(|e| e["index"] == index)
                .map(|e| e["state"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        assert_eq!(state_of(0), ["capturing", "ok"]);
        // The one in flight finished and was kept.
        assert_eq!(state_of(1), ["capturing", "ok"]);
        for index in 2..5 {
            assert_eq!(state_of(index), ["cancelled"], "{seen:#?}");
        }

        // What was committed survives closing and reopening the case.
        app.ok("close_case", json!({}));
        let info = app.ok(
            "open_case",
            json!({ "path": app.path("acme.exhibit"), "passphrase": PASSPHRASE }),
        );
        assert_eq!(info["captures"], 2);
        let page = app.ok(
            "capture_page",
            json!({ "query": { "offset": 0, "limit": 10 } }),
        );
        let captured: Vec<&str> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["requested_url"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(captured, [urls[1].as_str(), urls[0].as_str()]);

        // And the next batch may start at once.
        let done_again = app.events("capture-done");
        let next_batch = app.ok(
            "start_capture",
            json!({ "urls": [url(port, "/item/6")], "mode": "http" }),
        );
        let next_id = next_batch["batch_id"].as_u64().expect("id");
        assert!(next_id > batch_id);
        assert_eq!(next(&done_again)["batch_id"], next_id);
    });
}

// ---- The exhibit:// scheme ----

#[test]
fn the_exhibit_scheme_serves_screenshots_and_nothing_else() {
    isolated(
        "the_exhibit_scheme_serves_screenshots_and_nothing_else",
        || {
            let server = serve();
            let port = server.http_port();
            let app = App::new();
            // Nothing is served without a case.
            assert_eq!(
                app.fetch("exhibit://localhost/capture/1/screenshot")
                    .status(),
                404
            );
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            let progress = app.events("capture-progress");
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/item/1")], "mode": "browser" }),
            );
            let (events, done) = run_to_done(&progress, &done);
            assert!(done.get("error").is_none(), "{done}");
            assert_eq!(done["summary"]["ok"], 1, "{done} {events:#?}");
            let id = events
                .iter()
                .find_map(|e| e["capture_id"].as_i64())
                .expect("capture id");

            let full = app.fetch(&format!("exhibit://localhost/capture/{id}/screenshot"));
            assert_eq!(full.status(), 200);
            assert_eq!(full.headers()["content-type"], "image/png");
            assert_eq!(full.headers()["cache-control"], "no-store");
            assert!(full.body().starts_with(b"\x89PNG\r\n\x1a\n"));

            let thumb = app.fetch(&format!(
                "exhibit://localhost/capture/{id}/screenshot?w=200"
            ));
            assert_eq!(thumb.status(), 200);
            assert_eq!(thumb.headers()["content-type"], "image/jpeg");
            assert!(thumb.body().starts_with(b"\xFF\xD8\xFF"));
            assert!(thumb.body().len() < full.body().len());

            // Windows' form of the same URL.
            assert_eq!(
                app.fetch(&format!("http://exhibit.localhost/capture/{id}/screenshot"))
                    .status(),
                200
            );

            // Nothing else: other artifacts (the captured HTML above all), other captures,
            // other paths, other methods.
            for uri in [
                format!("exhibit://localhost/capture/{id}/dom"),
                format!("exhibit://localhost/capture/{id}/raw-body"),
                format!("exhibit://localhost/capture/{id}/mhtml"),
                format!("exhibit://localhost/capture/{id}/screenshot?w=abc"),
                format!("exhibit://localhost/capture/{id}/screenshot/../dom"),
                format!("exhibit://localhost/capture/{}/screenshot", id + 1000),
                "exhibit://localhost/".to_owned(),
                "exhibit://localhost/index.html".to_owned(),
                "exhibit://elsewhere/capture/1/screenshot".to_owned(),
            ] {
                let r = app.fetch(&uri);
                assert_eq!(r.status(), 404, "{uri}");
                assert_eq!(
                    r.headers()["content-type"],
                    "text/plain; charset=utf-8",
                    "{uri}"
                );
                assert!(!String::from_utf8_lossy(r.body()).contains('<'), "{uri}");
            }
            let post = tauri::http::Request::builder()
                .method("POST")
                .uri(format!("exhibit://localhost/capture/{id}/screenshot"))
                .body(Vec::new())
                .expect("request");
            assert_eq!(
                exhibit_app::protocol::respond(app.app.handle(), &post).status(),
                404
            );

            // An HTTP-mode capture has no screenshot.
            let done = app.events("capture-done");
            let progress = app.events("capture-progress");
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/item/2")], "mode": "http" }),
            );
            let (events, _) = run_to_done(&progress, &done);
            let http_id = events
                .iter()
                .find_map(|e| e["capture_id"].as_i64())
                .expect("capture id");
            assert_eq!(
                app.fetch(&format!("exhibit://localhost/capture/{http_id}/screenshot"))
                    .status(),
                404
            );

            // Closing the case stops serving its images.
            app.ok("close_case", json!({}));
            assert_eq!(
                app.fetch(&format!("exhibit://localhost/capture/{id}/screenshot"))
                    .status(),
                404
            );
        },
    );
}

// ---- Export and verify ----

#[test]
fn an_export_reports_progress_and_its_packet_can_be_previewed() {
    isolated(
        "an_export_reports_progress_and_its_packet_can_be_previewed",
        || {
            let server = serve();
            let port = server.http_port();
            let app = App::new();
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/item/1"), url(port, "/item/2")], "mode": "http" }),
            );
            next(&done);

            let progress = app.events("export-progress");
            let exported = app.events("export-done");
            let out = app.choose("export_folder", &app.path("out"));
            let draft = example("dmca.toml");
            let job_id = app.ok(
                "start_export",
                json!({ "draft": draft, "outDir": out, "batesPrefix": "ACME-" }),
            )["job_id"]
                .as_u64()
                .expect("job id");
            let done = next(&exported);
            assert_eq!(done["job_id"], job_id);
            assert!(done.get("error").is_none(), "{done}");
            let report = &done["report"];
            assert_eq!(report["bates_first"], "ACME-000001");
            assert!(report["pages"].as_u64().expect("pages") > 1);
            let steps: Vec<Value> = progress.try_iter().collect();
            assert!(steps.len() >= 4, "{steps:#?}");
            assert!(steps.iter().all(|s| s["job_id"] == job_id));
            assert!(steps.iter().any(|s| s["step"] == "Laying out the packet"));

            // The packet just exported can be read for the preview; nothing else can.
            let packet = report["packet"].as_str().expect("packet path");
            let bytes = app.ok("packet_bytes", json!({ "path": packet }));
            let bytes: Vec<u8> = serde_json::from_value(bytes).expect("bytes");
            assert!(bytes.starts_with(b"%PDF-"));
            assert_eq!(bytes, std::fs::read(packet).expect("packet"));
            let bundle = report["bundle"].as_str().expect("bundle path");
            assert_eq!(
                app.code("packet_bytes", json!({ "path": bundle })),
                "not_exported"
            );
            assert_eq!(
                app.code("packet_bytes", json!({ "path": "/etc/passwd" })),
                "not_exported"
            );
            // Nor can any other path be shown in the file manager: the web UI has no
            // file-manager permission, only this command for what it exported.
            for path in [bundle, "/etc/passwd", "/home"] {
                assert_eq!(
                    app.code("reveal_export", json!({ "path": path })),
                    "not_exported",
                    "{path}"
                );
            }

            // The bundle verifies, with no case needed, and without choosing it: this run
            // exported it ("Verify now").
            app.ok("close_case", json!({}));
            let check = app.ok("verify_bundle", json!({ "path": bundle }));
            assert_eq!(check["intact"], true, "{check}");
            assert_eq!(check["problems"], json!([]));
            assert_eq!(check["manifest_sha256"], report["manifest_sha256"]);
        },
    );
}

#[test]
fn a_cancelled_export_reports_cancelled_and_leaves_nothing() {
    isolated(
        "a_cancelled_export_reports_cancelled_and_leaves_nothing",
        || {
            let server = serve();
            let port = server.http_port();
            let app = App::new();
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/item/1"), url(port, "/item/2")], "mode": "http" }),
            );
            next(&done);

            // As the first step is reported (so the export is surely running), a second
            // export is refused as busy; then cancel, as a user pressing Cancel would.
            // Both happen inside the job's own progress event: asked from here after
            // `start_export` returns, a streamed export can already be over.
            let webview = app.webview.clone();
            let out = app.choose("export_folder", &app.path("out"));
            let second: std::sync::Arc<std::sync::Mutex<Option<Value>>> = Default::default();
            let cancelled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let once = std::sync::Arc::clone(&cancelled);
            let second_seen = std::sync::Arc::clone(&second);
            let out_again = out.clone();
            app.app.listen_any("export-progress", move |e| {
                let step: Value = serde_json::from_str(e.payload()).expect("event JSON");
                if !once.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    let refused = invoke(
                        &webview,
                        "start_export",
                        json!({ "draft": example("dmca.toml"), "outDir": out_again }),
                    );
                    *second_seen.lock().expect("lock") = Some(match refused {
                        Ok(v) => json!({ "unexpectedly_started": v }),
                        Err(e) => e,
                    });
                    invoke(
                        &webview,
                        "cancel_export",
                        json!({ "jobId": step["job_id"] }),
                    )
                    .expect("cancel_export");
                }
            });
            let exported = app.events("export-done");
            let job_id = app.ok(
                "start_export",
                json!({ "draft": example("dmca.toml"), "outDir": out }),
            )["job_id"]
                .as_u64()
                .expect("job id");
            let done = next(&exported);
            assert!(cancelled.load(std::sync::atomic::Ordering::SeqCst));
            let second = second.lock().expect("lock").clone();
            assert_eq!(
                second.as_ref().and_then(|e| e["code"].as_str()),
                Some("busy"),
                "a second export while one runs: {second:?}"
            );
            assert_eq!(done["job_id"], job_id);
            assert!(done.get("report").is_none(), "{done}");
            assert_eq!(done["error"]["code"], "cancelled", "{done}");
            let left = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
            assert_eq!(left, 0, "files left in {out}");
            // The captures are still there and the next job may start.
            assert_eq!(app.ok("case_info", json!({}))["captures"], 2);
            let again = app.ok(
                "start_export",
                json!({ "draft": example("dmca.toml"), "outDir": app.choose("export_folder", &app.path("out3")) }),
            );
            assert!(again["job_id"].as_u64().expect("id") > job_id);
            assert!(next(&exported)["report"]["packet"].is_string());
        },
    );
}

#[test]
fn verify_bundle_refuses_a_file_that_is_not_a_bundle() {
    isolated("verify_bundle_refuses_a_file_that_is_not_a_bundle", || {
        let app = App::new();
        let junk = app.choose("bundle", &app.path("junk.zip"));
        std::fs::write(&junk, b"this is not a zip file at all").expect("write junk");
        assert_eq!(
            app.code("verify_bundle", json!({ "path": junk })),
            "not_a_bundle"
        );
    });
}

// ---- Files the user chose, and nothing else ----

#[test]
fn a_path_the_user_did_not_choose_is_refused() {
    isolated("a_path_the_user_did_not_choose_is_refused", || {
        let server = serve();
        let port = server.http_port();
        let app = App::new();
        app.create_case("acme.exhibit");
        let done = app.events("capture-done");
        app.ok(
            "start_capture",
            json!({ "urls": [url(port, "/item/1")], "mode": "http" }),
        );
        next(&done);

        // Real files that every command could read, had the webview's word been enough.
        let list = app.path("urls.txt");
        std::fs::write(&list, format!("{}\n", url(port, "/item/2"))).expect("list");
        let cert = examples_dir().join("certificates/acme-uspto.pdf");
        let cert = cert.to_string_lossy().into_owned();
        let wacz = app.path("acme.wacz");
        let bundle = app.path("bundle.zip");
        std::fs::write(&bundle, b"PK\x03\x04 not chosen").expect("bundle");
        let folder = app.path("filings");
        let draft = example("dmca.toml");
        let attempts = |list: &str, cert: &str, bundle: &str, wacz: &str, folder: &str| {
            vec![
                ("read_url_list", json!({ "path": list })),
                ("attach_file", json!({ "path": cert })),
                ("verify_bundle", json!({ "path": bundle })),
                ("import_wacz", json!({ "path": wacz })),
                ("export_wacz", json!({ "path": wacz })),
                ("start_export", json!({ "draft": draft, "outDir": folder })),
                (
                    "create_case",
                    json!({ "path": app.path("new.exhibit"), "title": "T",
                            "passphrase": PASSPHRASE, "collector": null }),
                ),
            ]
        };
        let refused = |cmd: &str, args: Value| {
            assert_eq!(
                app.code(cmd, args.clone()),
                "path_not_chosen",
                "{cmd} {args}"
            );
        };
        // Nothing chosen yet: refused, before any file is touched.
        for (cmd, args) in attempts(&list, &cert, &bundle, &wacz, &folder) {
            refused(cmd, args);
        }
        for secret in ["/etc/passwd", "/etc/hostname", "", "   "] {
            for (cmd, args) in attempts(secret, secret, secret, secret, secret) {
                refused(cmd, args);
            }
        }
        assert!(
            !Path::new(&wacz).exists(),
            "no WACZ written where nobody chose"
        );
        assert!(!Path::new(&folder).exists(), "no export where nobody chose");
        assert!(!Path::new(&app.path("new.exhibit")).exists());

        // A cancelled dialog chooses nothing.
        assert_eq!(
            app.ok("choose_path", json!({ "purpose": "url_list" })),
            Value::Null
        );
        refused("read_url_list", json!({ "path": list }));
        // A purpose the backend does not know is bad input, in the usual shape.
        assert_eq!(
            app.code("choose_path", json!({ "purpose": "anything" })),
            "bad_input"
        );

        // A path chosen for one use serves no other: the URL list cannot be verified as a
        // bundle, imported, or overwritten by a WACZ export; the export folder is no list.
        app.choose("url_list", &list);
        app.choose("export_folder", &folder);
        for (cmd, args) in [
            ("verify_bundle", json!({ "path": list })),
            ("import_wacz", json!({ "path": list })),
            ("export_wacz", json!({ "path": list })),
            ("attach_file", json!({ "path": list })),
            ("read_url_list", json!({ "path": folder })),
        ] {
            refused(cmd, args);
        }
        // Nor does a path that only starts like a chosen one.
        refused(
            "read_url_list",
            json!({ "path": format!("{folder}/../urls.txt") }),
        );
        assert_eq!(
            std::fs::read_to_string(&list).ok().map(|t| t.len() > 10),
            Some(true)
        );

        // Chosen for its use, each works.
        assert_eq!(
            app.ok("read_url_list", json!({ "path": list })),
            json!([url(port, "/item/2")])
        );
        app.choose("certificate", &cert);
        assert_eq!(
            app.ok("attach_file", json!({ "path": cert }))["name"],
            "certificates/acme-uspto.pdf"
        );
        app.choose("wacz_export", &wacz);
        assert_eq!(app.ok("export_wacz", json!({ "path": wacz }))["pages"], 1);
        // A file written where the user chose to save is not thereby chosen to be read.
        refused("import_wacz", json!({ "path": wacz }));
        app.choose("wacz_import", &wacz);
        assert_eq!(app.ok("import_wacz", json!({ "path": wacz }))["pages"], 1);
        app.choose("bundle", &bundle);
        assert_eq!(
            app.code("verify_bundle", json!({ "path": bundle })),
            "not_a_bundle"
        );

        // Opening a case: only one chosen in a dialog or on the recent list.
        app.ok("close_case", json!({}));
        let other = app.path("other.exhibit");
        std::fs::copy(app.path("acme.exhibit"), &other).expect("copy the case");
        assert_eq!(
            app.code(
                "open_case",
                json!({ "path": other, "passphrase": PASSPHRASE })
            ),
            "path_not_chosen"
        );
        let recent = app.ok("recent_cases", json!({}));
        assert_eq!(recent[0]["path"], app.path("acme.exhibit"));
        let info = app.ok(
            "open_case",
            json!({ "path": app.path("acme.exhibit"), "passphrase": PASSPHRASE }),
        );
        assert_eq!(info["captures"], 2, "the capture and the imported page");
    });
}

#[test]
fn commands_the_capability_does_not_grant_are_refused() {
    isolated("commands_the_capability_does_not_grant_are_refused", || {
        let app = App::new();
        let secret = app.path("secret.txt");
        std::fs::write(&secret, "not for the webview").expect("secret");

        // Plugins' commands the capability does not list: the dialog plugin (the backend
        // opens dialogs itself, so the webview may not), the opener beyond revealing a
        // file, and plugins the app does not have at all.
        for (cmd, args) in [
            (
                "plugin:dialog|open",
                json!({ "options": { "multiple": false } }),
            ),
            ("plugin:dialog|save", json!({ "options": {} })),
            ("plugin:dialog|message", json!({ "message": "hi" })),
            ("plugin:opener|open_path", json!({ "path": secret })),
            (
                "plugin:opener|open_url",
                json!({ "url": "https://example.com/" }),
            ),
            ("plugin:fs|read_text_file", json!({ "path": secret })),
            (
                "plugin:shell|execute",
                json!({ "program": "sh", "args": ["-c", "id"] }),
            ),
            (
                "plugin:http|fetch",
                json!({ "clientConfig": { "url": "http://127.0.0.1:9/" } }),
            ),
        ] {
            let e = app
                .call(cmd, args)
                .expect_err(&format!("{cmd} must be refused"));
            let text = e.to_string();
            assert!(
                text.contains("not allowed") || text.contains("not found"),
                "{cmd}: {text}"
            );
        }

        // The app's own commands, from anywhere but the main window's own origin: a
        // second window the capability does not name, and a remote page in the main one.
        let other = tauri::WebviewWindowBuilder::new(
            app.app.handle(),
            "other",
            tauri::WebviewUrl::App("index.html".into()),
        )
        .build()
        .expect("a second window");
        for (webview, origin) in [
            (&other, "tauri://localhost"),
            (&app.webview, "https://evil.example"),
        ] {
            for (cmd, args) in [
                ("verify_bundle", json!({ "path": secret })),
                ("recent_cases", json!({})),
                ("choose_path", json!({ "purpose": "bundle" })),
            ] {
                let e = invoke_from(webview, origin, cmd, args)
                    .expect_err(&format!("{cmd} from {origin} must be refused"));
                assert!(
                    e.to_string().contains("not allowed"),
                    "{cmd} from {origin}: {e}"
                );
            }
        }
        // The same command from the main window's origin is let through (and then refused
        // by the shell itself, since nobody chose the file): the refusals above are the
        // capability's.
        assert_eq!(
            app.code("verify_bundle", json!({ "path": secret })),
            "path_not_chosen"
        );
    });
}

#[test]
fn a_wacz_round_trips_through_the_app_and_cards_carry_their_trusted_time() {
    isolated(
        "a_wacz_round_trips_through_the_app_and_cards_carry_their_trusted_time",
        || {
            let server = serve();
            let port = server.http_port();
            let pki_dir = tempfile::tempdir().expect("pki dir");
            let pki = exhibit_tsa::testing::TestPki::new(pki_dir.path());
            let tsa =
                exhibit_tsa::testing::TestTsa::start(&pki, exhibit_tsa::testing::Behaviour::Good);
            let app = App::new();
            app.create_case("acme.exhibit");

            // A capture without trusted time, then one with it.
            let done = app.events("capture-done");
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/item/1")], "mode": "http" }),
            );
            next(&done);
            let root = app.choose("tsa_root", &pki.ca_pem_path().to_string_lossy());
            app.ok(
                "save_settings",
                json!({ "settings": { "capture_mode": "http", "concurrency": 1,
                        "tsa_urls": [tsa.url()], "tsa_roots": [root] } }),
            );
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/item/2")], "mode": "http" }),
            );
            next(&done);
            assert!(tsa.requests() >= 1);
            let page = app.ok(
                "capture_page",
                json!({ "query": { "offset": 0, "limit": 10 } }),
            );
            let items = page["items"].as_array().expect("items");
            assert_eq!(items.len(), 2);
            let stamped = &items[0]["trusted_time"];
            assert_eq!(stamped["state"], "stamped", "{page}");
            let gen_time = stamped["gen_time"].as_str().expect("gen_time");
            assert!(
                gen_time.ends_with('Z')
                    && gen_time >= items[0]["started_at"].as_str().expect("started"),
                "{gen_time}"
            );
            assert!(stamped["tsa_name"].as_str().is_some_and(|n| !n.is_empty()));
            assert_eq!(items[1]["trusted_time"], Value::Null, "{page}");
            // The saved root stays usable without choosing it again.
            let settings = app.ok("get_settings", json!({}));
            app.ok("save_settings", json!({ "settings": settings }));

            // Out as a WACZ where the user chose, in as captures of another case.
            let wacz = app.choose("wacz_export", &app.path("acme.wacz"));
            let written = app.ok("export_wacz", json!({ "path": wacz }));
            assert_eq!(written["pages"], 2);
            assert_eq!(written["skipped"], json!([]));
            let bytes = std::fs::read(&wacz).expect("the WACZ");
            assert_eq!(written["sha256"], exhibit::sha256(&bytes).to_hex());
            let custody = app.ok("custody", json!({}));
            assert!(
                custody["events"]
                    .as_array()
                    .expect("events")
                    .iter()
                    .any(|e| e["kind"] == "wacz.exported"),
                "{custody}"
            );

            app.create_case("imported.exhibit");
            app.choose("wacz_import", &wacz);
            let report = app.ok("import_wacz", json!({ "path": wacz }));
            assert_eq!(report["pages"], 2, "{report}");
            assert_eq!(report["sha256"], written["sha256"]);
            let captures = report["captures"].as_array().expect("captures");
            assert!(captures.iter().all(|c| c["status"] == "ok"), "{report}");
            assert_eq!(app.ok("case_info", json!({}))["captures"], 2);
            let imported = app.ok(
                "capture_page",
                json!({ "query": { "offset": 0, "limit": 10 } }),
            );
            assert!(
                imported["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .all(|i| i["mode"] == "import"),
                "{imported}"
            );

            // A file that is no WACZ imports nothing, with the facade's code.
            let junk = app.choose("wacz_import", &app.path("junk.wacz"));
            std::fs::write(&junk, b"not a zip").expect("junk");
            let code = app.code("import_wacz", json!({ "path": junk }));
            assert_ne!(code, "path_not_chosen");
            assert_ne!(code, "internal");
            assert_eq!(app.ok("case_info", json!({}))["captures"], 2);
        },
    );
}

// ---- SIGKILL during a batch ----

/// Set in a child of [`sigkill_during_an_app_batch_loses_nothing_announced`]: `create`
/// or `open` the case, then run one batch and report it on stdout.
const KILL_CHILD: &str = "EXHIBIT_APP_KILL_CHILD";
const KILL_CASE: &str = "EXHIBIT_APP_KILL_CASE";
const KILL_PORT: &str = "EXHIBIT_APP_KILL_PORT";
const KILL_ROUND: &str = "EXHIBIT_APP_KILL_ROUND";
/// What starts every line such a child reports.
const KILL_MARK: &str = "exhibit-app-kill-child:";
/// URLs in each batch, and the size of each page in KiB.
const KILL_BATCH: usize = 200;
const KILL_PAGE_KB: usize = 64;
const KILL_ROUNDS: usize = 7;

/// The shared test server on 127.0.0.1 with every `/listing/` path a listing page of
/// about `kb` KiB of varied text (so that compression cannot make it small and each commit
/// takes time).
fn serve_listings(kb: usize) -> TestServer {
    let server = TestServer::start();
    server.mount_prefix("/listing/", move |path| {
        let seed = path
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        let filler: String = (0..kb * 1024 / 16)
            .map(|j| {
                format!(
                    "{:015x} ",
                    seed.wrapping_add(j as u64).wrapping_mul(2654435761) >> 4
                )
            })
            .collect();
        Reply::html(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Listing {path}</title></head>\
             <body><h1>ACME Model 7 lantern {path}</h1><p>Price: US $12.99</p><p>{filler}</p></body></html>"
        ))
    });
    server
}

/// One line to the parent, flushed at once.
fn report_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{KILL_MARK} {line}");
    let _ = out.flush();
}

/// The child's side: create or open the case through the dialog and `create_case` /
/// `open_case`, start one HTTP batch through `start_capture`, and report `started`,
/// `committed <id> <state> <url>` for every `capture-progress` event with a capture id
/// (sent only once its transaction committed), and `done <ok>`. Then return, and the
/// child ends as the app does (as in [`isolated`]).
fn batch_child(mode: &str) {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is set"));
    let case = var(KILL_CASE);
    let port: u16 = var(KILL_PORT).parse().expect("port");
    let round = var(KILL_ROUND);
    let app = App::new();
    if mode == "create" {
        app.choose("case_new", &case);
        app.ok(
            "create_case",
            json!({
                "path": case,
                "title": "Acme lanterns",
                "passphrase": PASSPHRASE,
                "collector": { "name": "Jane Doe", "organization": "Acme Lantern Co." },
            }),
        );
    } else {
        app.choose("case_open", &case);
        app.ok(
            "open_case",
            json!({ "path": case, "passphrase": PASSPHRASE }),
        );
    }
    app.ok(
        "save_settings",
        json!({ "settings": { "capture_mode": "http", "concurrency": 4 } }),
    );
    app.app.listen_any("capture-progress", |e| {
        let p: Value = serde_json::from_str(e.payload()).expect("event JSON");
        if let Some(id) = p["capture_id"].as_i64() {
            report_line(&format!(
                "committed {id} {} {}",
                p["state"].as_str().unwrap_or("?"),
                p["url"].as_str().unwrap_or("?")
            ));
        }
    });
    let done = app.events("capture-done");
    let urls: Vec<String> = (0..KILL_BATCH)
        .map(|i| url(port, &format!("/listing/{round}/{i}")))
        .collect();
    let started = app.ok("start_capture", json!({ "urls": urls, "mode": "http" }));
    report_line(&format!("started {}", started["batch_id"]));
    let done = done
        .recv_timeout(Duration::from_secs(600))
        .expect("the batch ends within ten minutes");
    assert!(done.get("error").is_none(), "{done}");
    report_line(&format!("done {}", done["summary"]["ok"]));
}

/// A capture the child announced as committed.
#[derive(Debug, Clone)]
struct Announced {
    id: i64,
    state: String,
    url: String,
}

/// What the parent saw of one child.
struct Round {
    /// Time from `start_capture` returning to the kill (or to the batch's end).
    after: Duration,
    /// Killed at all (else the batch ended first), and killed before it reported its end.
    killed: bool,
    killed_mid_batch: bool,
    announced: Vec<Announced>,
}

/// Runs one child on the case; kills it with SIGKILL `kill_after` the batch started, if
/// given and if it still runs by then.
fn batch_round(
    mode: &str,
    round: usize,
    case: &Path,
    port: u16,
    data: &Path,
    kill_after: Option<Duration>,
) -> Round {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    use std::time::Instant;

    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "sigkill_during_an_app_batch_loses_nothing_announced",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(KILL_CHILD, mode)
        .env(KILL_CASE, case)
        .env(KILL_PORT, port.to_string())
        .env(KILL_ROUND, round.to_string())
        .env("EXHIBIT_DATA_DIR", data)
        .env(ANSWER, data.join("dialog-answer"))
        .env_remove(CHILD)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the child");
    let (tx, rx) = channel::<String>();
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find(KILL_MARK) {
                let _ = tx.send(line[at + KILL_MARK.len()..].trim().to_owned());
            }
        }
    });
    let mut stderr = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });

    let mut lines = Vec::new();
    let started = loop {
        match rx.recv_timeout(Duration::from_secs(180)) {
            Ok(line) => {
                let is_start = line.starts_with("started ");
                lines.push(line);
                if is_start {
                    break Instant::now();
                }
            }
            Err(e) => {
                let _ = child.kill();
                let status = child.wait();
                panic!(
                    "round {round}: the child did not start its batch ({e}, {status:?}):\n{}",
                    errors.join().unwrap_or_default()
                );
            }
        }
    };
    let mut sent_kill = false;
    let after = loop {
        let now = Instant::now();
        if child.try_wait().expect("try_wait").is_some() {
            break now - started;
        }
        if kill_after.is_some_and(|d| now - started >= d) {
            child.kill().expect("SIGKILL");
            sent_kill = true;
            break now - started;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let status = child.wait().expect("wait");
    let _ = reader.join();
    let stderr = errors.join().unwrap_or_default();
    lines.extend(rx.try_iter());
    let finished = lines.iter().any(|l| l.starts_with("done "));
    // The child may end on its own just as the kill comes: a process already inside
    // `exit` (tearing down its memory takes milliseconds) is not yet waitable and ignores
    // SIGKILL, so its status is its own exit 0. Whether it was killed is therefore read
    // from the status, not from having sent the signal.
    #[cfg(unix)]
    let killed = {
        use std::os::unix::process::ExitStatusExt;
        sent_kill && status.signal() == Some(9)
    };
    #[cfg(not(unix))]
    let killed = sent_kill && !status.success();
    // Not killed (whether or not the signal was sent): the batch must have run to its
    // end and the child exited well.
    if !killed {
        assert!(
            status.success() && finished,
            "round {round}: the child failed ({status}):\n{}\n{stderr}",
            lines.join("\n")
        );
    }
    let announced = lines
        .iter()
        .filter_map(|l| {
            let mut words = l.strip_prefix("committed ")?.split(' ');
            Some(Announced {
                id: words.next()?.parse().ok()?,
                state: words.next()?.to_owned(),
                url: words.next()?.to_owned(),
            })
        })
        .collect();
    Round {
        after,
        killed,
        killed_mid_batch: killed && !finished,
        announced,
    }
}

/// SIGKILL the app in the middle of a batch started through `start_capture`, again
/// and again on the same case. After each kill the case opens (the dead process's lock
/// is gone), `verify(true)` is ok, and every capture the app announced as committed (a
/// `capture-progress` event with a `capture_id`) is there, with the URL it was announced
/// with. Seeded and replayable: the seed is printed, and `EXHIBIT_FAULT_SEED` replays it.
#[test]
fn sigkill_during_an_app_batch_loses_nothing_announced() {
    if let Ok(mode) = std::env::var(KILL_CHILD) {
        batch_child(&mode);
        return;
    }
    let seed = exhibit_e2e::replayable_seed("EXHIBIT_FAULT_SEED", "app batch: fault");
    let mut rng = exhibit_e2e::Lcg::new(seed);
    let server = serve_listings(KILL_PAGE_KB);
    let port = server.http_port();
    let data = tempfile::tempdir().expect("data dir");
    let dir = tempfile::tempdir().expect("case dir");
    let case = dir.path().join("acme.exhibit");
    let passphrase = || exhibit::Passphrase::new(PASSPHRASE.to_owned());

    // Round 0 runs a whole batch, to see how long one takes, so the kills below can
    // fall anywhere in it.
    let whole = batch_round("create", 0, &case, port, data.path(), None);
    assert_eq!(whole.announced.len(), KILL_BATCH, "every URL is announced");
    println!(
        "round 0: not killed; the whole batch took {} ms and announced {}",
        whole.after.as_millis(),
        whole.announced.len()
    );
    let span = whole.after.as_millis() as u64;
    let mut announced: Vec<Announced> = whole.announced;
    let mut killed_mid_batch = 0;
    let mut announced_in_killed = 0;
    // What the parent itself found in the case after the round before: a later kill must
    // not lose it either, announced or not.
    let mut found_before: std::collections::HashMap<i64, String> = Default::default();
    for round in 1..=KILL_ROUNDS {
        // A point of the batch in thousandths of a whole one, so that the seed replays
        // the same points on a machine of another speed.
        let permille = rng.below(1000);
        let wait = Duration::from_millis(span * permille / 1000);
        let r = batch_round("open", round, &case, port, data.path(), Some(wait));
        killed_mid_batch += usize::from(r.killed_mid_batch);
        if r.killed_mid_batch {
            announced_in_killed += r.announced.len();
        }
        let this_round = r.announced.len();
        announced.extend(r.announced);

        let context = format!(
            "seed {seed}, round {round} ({} after {} ms, {permille}/1000 of a batch)",
            if r.killed { "killed" } else { "ended" },
            r.after.as_millis()
        );
        let opened = exhibit::Case::open(&case, &passphrase())
            .unwrap_or_else(|e| panic!("{context}: the case does not open ({}): {e}", e.code()));
        let report = opened
            .verify(true)
            .unwrap_or_else(|e| panic!("{context}: verify failed ({}): {e}", e.code()));
        assert!(report.ok, "{context}: verify: {:?}", report.problems);
        let found: std::collections::HashMap<i64, String> = opened
            .captures()
            .unwrap_or_else(|e| panic!("{context}: captures ({}): {e}", e.code()))
            .into_iter()
            .map(|c| (c.id, c.record.requested_url))
            .collect();
        drop(opened);
        let lost: Vec<&Announced> = announced
            .iter()
            .filter(|a| found.get(&a.id) != Some(&a.url))
            .collect();
        assert!(
            lost.is_empty(),
            "{context}: announced as committed but not in the case (or under another URL): {lost:#?}"
        );
        let ids: std::collections::BTreeSet<i64> = announced.iter().map(|a| a.id).collect();
        assert_eq!(
            ids.len(),
            announced.len(),
            "{context}: an id announced twice"
        );
        let gone: Vec<(&i64, &String)> = found_before
            .iter()
            .filter(|(id, url)| found.get(id) != Some(url))
            .collect();
        assert!(
            gone.is_empty(),
            "{context}: in the case after the round before, missing now: {gone:?}"
        );
        println!(
            "round {round}: {} {} ms ({permille}/1000){}; {this_round} announced \
             this round ({} in all, {} not ok), {} captures in the case, every announced one present",
            if r.killed {
                "killed after"
            } else {
                "not killed: the batch ended first, after"
            },
            r.after.as_millis(),
            if r.killed_mid_batch {
                " mid-batch"
            } else if r.killed {
                ", after the batch had ended"
            } else {
                ""
            },
            announced.len(),
            announced.iter().filter(|a| a.state != "ok").count(),
            found.len()
        );
        found_before = found;
    }
    assert!(
        killed_mid_batch > 0,
        "seed {seed}: no round was killed mid-batch"
    );
    assert!(
        announced_in_killed > 0,
        "seed {seed}: no killed round announced a capture; the kills tested nothing"
    );
}

// ---- Checking the case ----

#[test]
fn verify_case_checks_every_page_and_names_a_damaged_one() {
    isolated(
        "verify_case_checks_every_page_and_names_a_damaged_one",
        || {
            let server = serve();
            let port = server.http_port();
            let app = App::new();
            for quick in [false, true] {
                assert_eq!(
                    app.code("verify_case", json!({ "quick": quick })),
                    "no_case"
                );
            }
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/item/1"), url(port, "/item/2")], "mode": "http" }),
            );
            assert_eq!(next(&done)["summary"]["ok"], 2);

            // Every page, then every artifact and the chain: all intact.
            let full = app.ok("verify_case", json!({ "quick": false }));
            assert_eq!(full["ok"], true, "{full}");
            assert_eq!(full["problems"], json!([]), "{full}");
            let pages = full["pages_checked"].as_u64().expect("pages_checked");
            assert!(pages > 0, "{full}");
            assert_eq!(full["captures_checked"], 2, "{full}");
            assert!(full["artifacts_checked"].as_u64() > Some(0), "{full}");
            assert!(full["bytes_checked"].as_u64() > Some(0), "{full}");
            assert!(full["events_checked"].as_u64() >= Some(3), "{full}");
            let head = full["custody_head"].as_str().expect("custody_head");
            assert_eq!(head.len(), 64, "{full}");
            // The facade logged the check, chained to the head it reported.
            let custody = app.ok("custody", json!({}));
            let events = custody["events"].as_array().expect("events");
            let last = events.last().expect("an event");
            assert_eq!(last["kind"], "verification.run", "{custody}");
            assert_eq!(last["prev_hash"], head, "{custody}");
            assert_eq!(custody["intact"], true);

            // Quick: the evidence only, no page read for its own sake.
            let quick = app.ok("verify_case", json!({ "quick": true }));
            assert_eq!(quick["ok"], true, "{quick}");
            assert_eq!(quick["pages_checked"], 0, "{quick}");
            assert_eq!(quick["captures_checked"], 2, "{quick}");
            assert_eq!(quick["artifacts_checked"], full["artifacts_checked"]);

            // Not while a batch changes the case: the batch holds the job slot until its
            // slow URL has answered.
            app.ok(
                "start_capture",
                json!({ "urls": [url(port, "/slow/3")], "mode": "http" }),
            );
            assert_eq!(app.code("verify_case", json!({ "quick": true })), "busy");
            assert_eq!(next(&done)["summary"]["ok"], 1);
            assert_eq!(
                app.ok("verify_case", json!({ "quick": true }))["captures_checked"],
                3
            );

            // One flipped byte in a page of the closed case file: reopened through the app,
            // the full check names the damaged page. Opening reads some pages (the schema,
            // the case's title and counts) and refuses a case whose page it reads is
            // damaged, so the flip goes into the first page past page 2 that opening does
            // not read; every other byte stays as it was written.
            app.ok("close_case", json!({}));
            let path = app.path("acme.exhibit");
            let wal = format!("{path}-wal");
            assert!(
                std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
                "closing folded the write-ahead log back into the case file"
            );
            let written = std::fs::read(&path).expect("read the case file");
            const PAGE: usize = 4096;
            assert_eq!(written.len() % PAGE, 0, "{} bytes", written.len());
            let mut damaged_page = None;
            for index in 2..written.len() / PAGE {
                let mut bytes = written.clone();
                bytes[index * PAGE + 100] ^= 0x01;
                std::fs::write(&path, &bytes).expect("write the damaged case file");
                match app.call(
                    "open_case",
                    json!({ "path": path, "passphrase": PASSPHRASE }),
                ) {
                    Ok(_) => {
                        damaged_page = Some(index + 1);
                        break;
                    }
                    Err(e) => assert_eq!(e["code"], "case_corrupt", "page {}: {e}", index + 1),
                }
            }
            let page = damaged_page.expect("a page that opening the case does not read");
            println!("flipped a byte in page {page} of {}", written.len() / PAGE);
            let damaged = app.ok("verify_case", json!({ "quick": false }));
            assert_eq!(damaged["ok"], false, "{damaged}");
            assert!(damaged["pages_checked"].as_u64() > Some(0), "{damaged}");
            let problems = damaged["problems"].as_array().expect("problems");
            assert!(
                problems.iter().any(|p| p["code"] == "page_damaged"
                    && p["message"]
                        .as_str()
                        .is_some_and(|m| m.contains(&format!("Page {page} ")))),
                "{damaged}"
            );
        },
    );
}

// ---- The campaign ----

const TAOBAO_C: &str = "562283240178";
const TAOBAO_C_AGAIN: &str = "562283240999";
const TMALL_D: &str = "605258110430";

/// Real Taobao and Tmall listings served from 127.0.0.1 (the extractor reads the
/// marketplace, listing id and seller from the page itself), as `tests/it/campaign.rs` does.
fn campaign_server() -> exhibit_e2e::TestServer {
    let server = exhibit_e2e::TestServer::start();
    let page = |rel: &str| std::fs::read(exhibit_e2e::real_pages_dir().join(rel)).expect(rel);
    server.mount(
        &format!("/item.htm?id={TAOBAO_C}"),
        200,
        Some("text/html; charset=utf-8"),
        page("taobao/taobao-item-562283240178.html"),
    );
    server.mount(
        &format!("/tmall/item.htm?id={TMALL_D}"),
        200,
        Some("text/html; charset=gbk"),
        page("tmall/tmall-item-605258110430-gbk.html"),
    );
    server
}

/// The case's listing id of a marketplace listing id.
fn listing_of(listings: &Value, marketplace_id: &str) -> i64 {
    listings
        .as_array()
        .and_then(|a| a.iter().find(|l| l["listing_id"] == marketplace_id))
        .and_then(|l| l["id"].as_i64())
        .unwrap_or_else(|| panic!("no listing {marketplace_id} in {listings:#}"))
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

#[test]
fn a_campaign_through_the_commands_filings_outcomes_recapture_and_figures() {
    isolated(
        "a_campaign_through_the_commands_filings_outcomes_recapture_and_figures",
        || {
            let server = campaign_server();
            let app = App::new();
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            let c_url = server.http_url(&format!("/item.htm?id={TAOBAO_C}"));
            let d_url = server.http_url(&format!("/tmall/item.htm?id={TMALL_D}"));
            app.ok(
                "start_capture",
                json!({ "urls": [c_url, d_url], "mode": "http" }),
            );
            assert_eq!(next(&done)["summary"]["ok"], 2);

            let listings = app.ok("listings", json!({}));
            assert_eq!(listings.as_array().map(Vec::len), Some(2), "{listings:#}");
            let (c, d) = (
                listing_of(&listings, TAOBAO_C),
                listing_of(&listings, TMALL_D),
            );
            assert_eq!(app.ok("filings", json!({})), json!([]));

            // Nothing to recapture before a filing: the job starts and ends with the
            // facade's refusal, and the slot is free again.
            let recapture_done = app.events("recapture-done");
            app.ok("start_recapture", json!({}));
            let refused = next(&recapture_done);
            assert_eq!(refused["error"]["code"], "bad_input", "{refused}");
            assert_eq!(refused["results"], json!([]));

            // A filing the facade refuses changes nothing; a malformed one is bad input.
            let day = today();
            for filing in [
                json!({ "venue": "alibaba-ipp", "reference": "IPP-1", "filed": day }),
                json!({ "venue": "myspace", "reference": "R", "filed": day, "listings": [c] }),
                json!({ "venue": "alibaba-ipp", "reference": "IPP-1", "filed": day, "listings": [c], "colour": "red" }),
                json!({ "venue": "alibaba-ipp", "reference": "IPP-1", "filed": "soon", "listings": [c] }),
            ] {
                assert_eq!(
                    app.code("add_filing", json!({ "filing": filing })),
                    "bad_input",
                    "{filing}"
                );
            }
            assert_eq!(app.ok("filings", json!({})), json!([]));

            let filing = app.ok(
                "add_filing",
                json!({ "filing": { "venue": "alibaba-ipp", "reference": "IPP-2026-0001",
                                    "filed": day, "listings": [c, d], "export": "" } }),
            );
            let f = filing["id"].as_i64().expect("filing id");
            assert_eq!(filing["venue"], "alibaba-ipp");
            assert_eq!(filing["filed_on"], day.as_str());
            let reported = exhibit_e2e::json::i64s(&filing["listings"], "listing");
            assert_eq!(reported, [c, d]);
            assert!(
                filing["listings"]
                    .as_array()
                    .expect("listings")
                    .iter()
                    .all(|l| l["outcome"] == "pending")
            );
            // Alibaba IPP's counter-notice windows, both still open today.
            let windows: Vec<(&str, bool)> = filing["deadlines"]
                .as_array()
                .expect("deadlines")
                .iter()
                .map(|w| (w["what"].as_str().unwrap_or(""), w["open"] == true))
                .collect();
            assert_eq!(
                windows,
                [
                    ("first counter-notice", true),
                    ("last counter-notice", true)
                ]
            );
            assert!(filing["deadlines"][0]["days_left"].as_i64() >= Some(3));

            // The platform's answers: C removed, with its email attached; D rejected.
            let answer = app.path("ipp-answer.eml");
            let eml =
                b"From: ipp@service.alibaba.com\r\nSubject: IPP-2026-0001\r\n\r\nRemoved.\r\n";
            std::fs::write(&answer, eml).expect("write the answer");
            app.choose("outcome_answer", &answer);
            let after_c = app.ok(
                "record_outcome",
                json!({ "outcome": { "filing": f, "listing": c, "outcome": "removed",
                                     "date": day, "attach": answer } }),
            );
            let c_row = &after_c["listings"][0];
            assert_eq!(c_row["outcome"], "removed", "{after_c:#}");
            assert_eq!(
                c_row["outcomes"][0]["attachment_sha256"],
                exhibit_e2e::sha256_hex(eml)
            );
            assert!(
                c_row["outcomes"][0]["attachment"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("ipp-answer.eml")),
                "{c_row}"
            );
            let after_d = app.ok(
                "record_outcome",
                json!({ "outcome": { "filing": f, "listing": d, "outcome": "rejected",
                                     "date": day, "reason": "Class 11 is not covered." } }),
            );
            assert_eq!(after_d["listings"][1]["outcome"], "rejected");
            assert_eq!(
                after_d["listings"][1]["outcomes"][0]["reason"],
                "Class 11 is not covered."
            );
            for (outcome, code) in [
                (
                    json!({ "filing": f, "listing": c, "outcome": "taken-down", "date": day }),
                    "bad_input",
                ),
                (
                    json!({ "filing": f, "listing": 999, "outcome": "removed", "date": day }),
                    "bad_input",
                ),
                (
                    json!({ "filing": 42, "listing": c, "outcome": "removed", "date": day }),
                    "bad_input",
                ),
                (
                    json!({ "filing": f, "listing": c, "outcome": "removed" }),
                    "bad_input",
                ),
            ] {
                assert_eq!(
                    app.code("record_outcome", json!({ "outcome": outcome })),
                    code,
                    "{outcome}"
                );
            }

            // The figures before any recapture: C came down on the platform's word alone.
            let s = app.ok("stats", json!({}));
            assert_eq!(s["reported"], 2, "{s:#}");
            assert_eq!(s["removed"], 1, "{s:#}");
            assert_eq!(s["removed_by_word_only"], 1, "{s:#}");
            assert_eq!(s["rejected"], 1, "{s:#}");
            assert_eq!(s["takedown_rate"], 0.5, "{s:#}");
            assert_eq!(s["by_venue"]["alibaba-ipp"]["reported"], 2, "{s:#}");
            assert_eq!(s["good_faith"]["reported"], 2, "{s:#}");
            assert_eq!(s["good_faith"]["meets"], false, "{s:#}");
            // `--since`: the day is the facade's to read; a blank one (a cleared date
            // field) is every filing.
            let from_2099 = app.ok("stats", json!({ "since": "2099-01-01" }));
            assert_eq!(from_2099["reported"], 0, "{from_2099:#}");
            assert_eq!(from_2099["since"], "2099-01-01", "{from_2099:#}");
            assert_eq!(s["since"], Value::Null, "{s:#}");
            assert_eq!(app.ok("stats", json!({ "since": "" })), s);
            assert_eq!(app.code("stats", json!({ "since": "soon" })), "bad_input");

            // The listing's history names its filing and the answer.
            let history = app.ok("listing_history", json!({ "id": c }));
            assert_eq!(history["listing"]["listing_id"], TAOBAO_C);
            assert_eq!(history["captures"].as_array().map(Vec::len), Some(1));
            assert_eq!(history["filings"][0]["reference"], "IPP-2026-0001");
            assert_eq!(history["filings"][0]["outcome"], "removed");
            assert_eq!(
                app.code("listing_history", json!({ "id": 999 })),
                "no_such_listing"
            );

            // The world moves on: C answers 404. The recapture takes both reported
            // listings again (HTTP, as last time), reporting each as it goes.
            server.mount(
                &format!("/item.htm?id={TAOBAO_C}"),
                404,
                Some("text/html"),
                b"<html><body>Not found</body></html>".to_vec(),
            );
            let progress = app.events("recapture-progress");
            let results = app.events("recapture-result");
            let started = app.ok("start_recapture", json!({}));
            let job = started["job_id"].as_u64().expect("job id");
            // One long job at a time.
            assert_eq!(
                app.code(
                    "start_capture",
                    json!({ "urls": [c_url.clone()], "mode": "http" })
                ),
                "busy"
            );
            let ended = next(&recapture_done);
            assert_eq!(ended["job_id"], job);
            assert_eq!(ended["cancelled"], false);
            assert!(ended.get("error").is_none(), "{ended}");
            assert_eq!(ended["summary"]["total"], 2, "{ended}");
            assert_eq!(ended["summary"]["removed"], 1, "{ended}");
            assert_eq!(ended["summary"]["live"], 1, "{ended}");
            let result_of = |l: i64| {
                ended["results"]
                    .as_array()
                    .and_then(|a| a.iter().find(|r| r["listing"] == l))
                    .unwrap_or_else(|| panic!("no result for {l}: {ended:#}"))
                    .clone()
            };
            assert_eq!(result_of(c)["result"], "removed");
            assert_eq!(result_of(d)["result"], "live");
            let each: Vec<Value> = results.try_iter().collect();
            assert_eq!(each.len(), 2, "{each:#?}");
            assert!(each.iter().all(|e| e["job_id"] == job));
            let states: Vec<Value> = progress.try_iter().map(|p| p["state"].clone()).collect();
            assert_eq!(
                states.iter().filter(|s| **s == "capturing").count(),
                2,
                "{states:?}"
            );
            assert!(states.contains(&json!("removed")), "{states:?}");
            assert_eq!(
                app.ok("cancel_recapture", json!({ "jobId": job })),
                Value::Null
            );

            // Now C's removal rests on a capture, not only on the platform's word.
            let s = app.ok("stats", json!({}));
            assert_eq!(s["removed"], 1, "{s:#}");
            assert_eq!(s["removed_by_word_only"], 0, "{s:#}");
            let history = app.ok("listing_history", json!({ "id": c }));
            assert_eq!(history["captures"][1]["status"], "removed", "{history:#}");
            assert_eq!(history["captures"][1]["changed"][0]["field"], "status");

            // The same shop lists it again under a new id: suggested, then confirmed.
            let relisted = std::fs::read(
                exhibit_e2e::real_pages_dir().join("taobao/taobao-item-562283240178.html"),
            )
            .expect("page");
            let relisted = String::from_utf8_lossy(&relisted)
                .replace(TAOBAO_C, TAOBAO_C_AGAIN)
                .into_bytes();
            server.mount(
                &format!("/item.htm?id={TAOBAO_C_AGAIN}"),
                200,
                Some("text/html; charset=utf-8"),
                relisted,
            );
            app.ok(
                "start_capture",
                json!({ "urls": [server.http_url(&format!("/item.htm?id={TAOBAO_C_AGAIN}"))],
                        "mode": "http" }),
            );
            assert_eq!(next(&done)["summary"]["ok"], 1);
            let c2 = listing_of(&app.ok("listings", json!({})), TAOBAO_C_AGAIN);
            let found = app.ok("relistings", json!({}));
            let candidates = found["candidates"].as_array().expect("candidates");
            assert_eq!(candidates.len(), 1, "{found:#}");
            assert_eq!(
                (&candidates[0]["original"], &candidates[0]["relisting"]),
                (&json!(c), &json!(c2))
            );
            assert_eq!(candidates[0]["state"], "suggested");
            assert!(
                candidates[0]["reasons"]
                    .as_array()
                    .expect("reasons")
                    .iter()
                    .any(|r| r["kind"] == "same_title"),
                "{found:#}"
            );
            assert_eq!(
                app.code(
                    "decide_relisting",
                    json!({ "original": d, "relisting": c2, "confirmed": true })
                ),
                "bad_input"
            );
            let decided = app.ok(
                "decide_relisting",
                json!({ "original": c, "relisting": c2, "confirmed": true }),
            );
            assert_eq!(decided["state"], "confirmed");
            assert_eq!(
                app.ok("relistings", json!({ "threshold": 10 }))["confirmed"],
                1
            );
            assert_eq!(app.ok("stats", json!({}))["relisted"], 1);
            let sellers = app.ok("sellers", json!({}));
            assert!(
                sellers
                    .as_array()
                    .expect("sellers")
                    .iter()
                    .any(|s| { s["listings"] == json!([c, c2]) }),
                "C and its relisting under one seller: {sellers:#}"
            );

            // The week by week figures, as the packet prints them: everything happened
            // this week. Reported C and D; C came down (by the recapture); C's relisting
            // confirmed; D (rejected) still up at the week's end.
            let t = app.ok("timeline", json!({}));
            assert_eq!(t["today"], day.as_str(), "{t:#}");
            let weeks = t["weeks"].as_array().expect("weeks");
            assert_eq!(weeks.len(), 1, "{t:#}");
            let monday = {
                use chrono::Datelike as _;
                let d = chrono::Utc::now().date_naive();
                d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
            };
            assert_eq!(
                weeks[0],
                json!({ "monday": monday.format("%Y-%m-%d").to_string(), "filed": 2,
                        "removed": 1, "relisted": 1, "still_live": 1 })
            );

            // Recapture as `exhibit recapture` chooses: one filing's listings, a set in a
            // mode, every listing; two choices at once, or an unknown mode, are refused
            // before any job starts.
            for (args, total) in [
                (json!({ "filing": f }), 2),
                (json!({ "listings": [c2], "mode": "http" }), 1),
                (json!({ "all": true }), 3),
            ] {
                let started = app.ok("start_recapture", args.clone());
                let ended = next(&recapture_done);
                assert_eq!(ended["job_id"], started["job_id"], "{args}");
                assert!(ended.get("error").is_none(), "{args}: {ended}");
                assert_eq!(ended["summary"]["total"], total, "{args}: {ended}");
                if args.get("listings").is_some() {
                    assert_eq!(ended["results"][0]["listing"], c2, "{ended}");
                    assert_eq!(ended["results"][0]["mode"], "http", "{ended}");
                }
            }
            for args in [
                json!({ "filing": f, "all": true }),
                json!({ "filing": f, "listings": [c] }),
                json!({ "listings": [c], "all": true }),
                json!({ "mode": "carrier-pigeon" }),
            ] {
                assert_eq!(
                    app.code("start_recapture", args.clone()),
                    "bad_input",
                    "{args}"
                );
            }
            let refused = app.events("recapture-done");
            let started = app.ok("start_recapture", json!({ "filing": 99 }));
            let ended = next(&refused);
            assert_eq!(ended["job_id"], started["job_id"]);
            assert_eq!(ended["error"]["code"], "bad_input", "{ended}");

            // Every step is in the custody log.
            let custody = app.ok("custody", json!({}));
            let steps = ["filing.added", "outcome.recorded", "relisting.decided"];
            let counts = exhibit_e2e::json::count_each(&custody["events"], "kind", steps);
            assert_eq!(counts, [1, 2, 1], "{steps:?}");
        },
    );
}

#[test]
fn an_outcome_attachment_not_chosen_in_the_dialog_is_refused() {
    isolated(
        "an_outcome_attachment_not_chosen_in_the_dialog_is_refused",
        || {
            let server = campaign_server();
            let app = App::new();
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            app.ok(
                "start_capture",
                json!({ "urls": [server.http_url(&format!("/item.htm?id={TAOBAO_C}"))],
                        "mode": "http" }),
            );
            assert_eq!(next(&done)["summary"]["ok"], 1);
            let c = listing_of(&app.ok("listings", json!({})), TAOBAO_C);
            let day = today();
            let filing = app.ok(
                "add_filing",
                json!({ "filing": { "venue": "ebay-vero", "reference": "VERO-77",
                                    "filed": day, "listings": [c] } }),
            );
            let f = filing["id"].as_i64().expect("id");
            let before = app.ok("filings", json!({}));
            let before_log = app.ok("custody", json!({}));

            let answer = app.path("answer.eml");
            std::fs::write(&answer, "From: vero@ebay.example\r\n\r\nRemoved.\r\n").expect("eml");
            let cert = app.path("cert.pdf");
            std::fs::write(&cert, "%PDF-1.4\n").expect("pdf");
            let outcome = |attach: &str| {
                json!({ "outcome": { "filing": f, "listing": c, "outcome": "removed",
                                     "date": day, "attach": attach } })
            };
            // Never chosen, chosen for another use, a path that only starts like a chosen
            // one, and files the webview has no business naming: all refused, unread.
            app.choose("certificate", &cert);
            for path in [
                answer.clone(),
                cert.clone(),
                format!("{}/../answer.eml", app.path("sub")),
                "/etc/passwd".to_owned(),
                String::new(),
            ] {
                assert_eq!(
                    app.code("record_outcome", outcome(&path)),
                    "path_not_chosen",
                    "{path}"
                );
            }
            assert_eq!(app.ok("filings", json!({})), before, "nothing recorded");
            assert_eq!(app.ok("custody", json!({})), before_log, "nothing logged");

            // Chosen in the dialog for the answer, it is attached.
            app.choose("outcome_answer", &answer);
            let after = app.ok("record_outcome", outcome(&answer));
            assert_eq!(after["listings"][0]["outcome"], "removed");
            assert!(
                after["listings"][0]["outcomes"][0]["attachment_sha256"]
                    .as_str()
                    .is_some_and(|s| s.len() == 64)
            );
        },
    );
}

// ---- Test purchases and discovery ----

/// A refusal's message: one plain sentence (no line break, no backtrace), ending in a full
/// stop.
fn one_sentence(app: &App, cmd: &str, args: Value) -> (String, String) {
    let e = app
        .call(cmd, args)
        .expect_err(&format!("{cmd} should fail"));
    let code = e["code"].as_str().unwrap_or_default().to_owned();
    let message = e["message"].as_str().unwrap_or_default().to_owned();
    assert!(
        !message.is_empty()
            && !message.contains('\n')
            && message.ends_with('.')
            && !message.contains("panicked"),
        "{cmd}: not one plain sentence: {e}"
    );
    (code, message)
}

/// The user picks `paths` in the dialog for `purpose` that takes several files at once.
fn choose_many(app: &App, purpose: &str, paths: &[String]) -> Vec<String> {
    let answer = std::env::var_os(ANSWER).expect("the dialog seam's answer file");
    let lines: Vec<String> = paths.iter().map(|p| format!("{purpose}\t{p}")).collect();
    std::fs::write(&answer, lines.join("\n")).expect("write the answer");
    let chosen = app.ok("choose_paths", json!({ "purpose": purpose }));
    assert_eq!(chosen, json!(paths), "the dialog for {purpose}");
    paths.to_vec()
}

#[test]
fn a_test_purchase_through_the_commands_with_its_files_verdict_and_handovers() {
    isolated(
        "a_test_purchase_through_the_commands_with_its_files_verdict_and_handovers",
        || {
            let server = campaign_server();
            let app = App::new();
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            app.ok(
                "start_capture",
                json!({ "urls": [server.http_url(&format!("/item.htm?id={TAOBAO_C}"))],
                        "mode": "http" }),
            );
            assert_eq!(next(&done)["summary"]["ok"], 1);
            let c = listing_of(&app.ok("listings", json!({})), TAOBAO_C);
            assert_eq!(app.ok("purchases", json!({})), json!([]));
            let log_len = || {
                app.ok("custody", json!({}))["events"]
                    .as_array()
                    .map(Vec::len)
            };
            let before_log = log_len();

            let day = today();
            let purchase = |listing: i64, amount: &str| {
                json!({ "purchase": { "listing": listing, "order": "TB-2026-0001", "date": day,
                                      "amount": amount, "currency": "usd",
                                      "ship_to": "Chicago, IL, US", "buyer": "shopper.lin",
                                      "payment": "4242" } })
            };
            // Refused, each in one sentence, and nothing recorded: an unknown listing, a
            // negative amount, a whole card number, a shape the command does not take.
            let (code, _) = one_sentence(&app, "add_purchase", purchase(9999, "12.50"));
            assert_eq!(code, "no_such_listing");
            let (code, message) = one_sentence(&app, "add_purchase", purchase(c, "-12.50"));
            assert_eq!(code, "bad_input");
            assert!(message.contains("negative"), "{message}");
            let mut whole_card = purchase(c, "12.50");
            whole_card["purchase"]["payment"] = json!("4242424242424242");
            let (code, message) = one_sentence(&app, "add_purchase", whole_card);
            assert_eq!(code, "bad_input");
            assert!(message.contains("last four"), "{message}");
            let (code, _) = one_sentence(
                &app,
                "add_purchase",
                json!({ "purchase": { "listing": c, "order": "X", "colour": "red" } }),
            );
            assert_eq!(code, "bad_input");
            assert_eq!(app.ok("purchases", json!({})), json!([]));
            assert_eq!(log_len(), before_log, "nothing logged");

            let p = app.ok("add_purchase", purchase(c, "12.50"));
            let id = p["id"].as_i64().expect("id");
            assert_eq!(p["listing"], c);
            assert_eq!(p["platform"], "taobao");
            assert_eq!(p["currency"], "USD");
            assert_eq!(p["payment_last4"], "4242");
            assert_eq!(p["ship_to_region"], "US-IL");
            assert_eq!(app.ok("purchase", json!({ "id": id })), p);
            let (code, message) = one_sentence(&app, "purchase", json!({ "id": 9999 }));
            assert_eq!(code, "bad_input");
            assert!(message.contains("no purchase 9999"), "{message}");

            // Shipping facts as they arrive; blank ones are not given.
            let (code, _) = one_sentence(
                &app,
                "update_purchase",
                json!({ "update": { "purchase": id, "tracking": "  " } }),
            );
            assert_eq!(code, "bad_input");
            let p = app.ok(
                "update_purchase",
                json!({ "update": { "purchase": id, "tracking": "LP00123456789CN",
                                    "carrier": "Cainiao", "ship_from": "Yiwu, Zhejiang, CN" } }),
            );
            assert_eq!(p["tracking"], "LP00123456789CN");
            assert_eq!(p["ship_from"], "Yiwu, Zhejiang, CN");

            // Files: only ones the user chose for a purchase (or dropped) are read.
            let photo = app.path("IMG_0001.jpg");
            let label = app.path("label.pdf");
            std::fs::write(&photo, b"\xff\xd8\xff\xe0 a photo of the lantern").expect("photo");
            std::fs::write(&label, b"%PDF-1.4\n a shipping label").expect("label");
            let attach = |paths: &[&str], kind: &str| json!({ "purchase": id, "kind": kind, "paths": paths });
            let (code, _) = one_sentence(
                &app,
                "attach_purchase_files",
                attach(&[&photo], "product-photo"),
            );
            assert_eq!(code, "path_not_chosen");
            app.choose("certificate", &label);
            let (code, _) = one_sentence(&app, "attach_purchase_files", attach(&[&label], "label"));
            assert_eq!(code, "path_not_chosen", "chosen for another use");
            let (code, _) = one_sentence(&app, "choose_paths", json!({ "purpose": "bundle" }));
            assert_eq!(
                code, "bad_input",
                "a one-file dialog is not opened for several"
            );
            choose_many(&app, "purchase_photos", std::slice::from_ref(&photo));
            // One file not chosen refuses the lot, nothing attached.
            let (code, _) = one_sentence(
                &app,
                "attach_purchase_files",
                attach(&[&photo, "/etc/passwd"], "product-photo"),
            );
            assert_eq!(code, "path_not_chosen");
            let (code, message) =
                one_sentence(&app, "attach_purchase_files", attach(&[&photo], "selfie"));
            assert_eq!(code, "bad_input");
            assert!(message.contains("selfie"), "{message}");
            assert_eq!(app.ok("purchase", json!({ "id": id }))["files"], json!([]));
            let p = app.ok("attach_purchase_files", attach(&[&photo], "product-photo"));
            choose_many(&app, "purchase_file", std::slice::from_ref(&label));
            let p2 = app.ok("attach_purchase_files", attach(&[&label], "label"));
            assert_eq!(p["files"].as_array().map(Vec::len), Some(1));
            let files = p2["files"].as_array().expect("files");
            assert_eq!(files.len(), 2);
            assert_eq!(files[0]["kind"], "product-photo");
            assert_eq!(files[0]["file_name"], "IMG_0001.jpg");
            assert_eq!(
                files[0]["sha256"],
                exhibit_e2e::sha256_hex(&std::fs::read(&photo).expect("photo"))
            );
            assert_eq!(files[1]["kind"], "label");

            // The verdict, once.
            let verdict = json!({ "verdict": { "purchase": id, "verdict": "counterfeit",
                "by": "Jane Doe, product manager",
                "method": "Compared with a genuine Model 7: the logo is printed, not embossed." } });
            let p = app.ok("purchase_verdict", verdict.clone());
            assert_eq!(p["verdict"]["verdict"], "counterfeit");
            let (code, message) = one_sentence(&app, "purchase_verdict", verdict);
            assert_eq!(code, "bad_input");
            assert!(message.contains("already has its verdict"), "{message}");
            let (code, _) = one_sentence(
                &app,
                "purchase_verdict",
                json!({ "verdict": { "purchase": id, "verdict": "fake", "by": "J", "method": "m" } }),
            );
            assert_eq!(code, "bad_input");

            // The item's handovers, in the order recorded.
            let handover = |from: &str, to: &str, at: &str, seal: Option<&str>| {
                json!({ "handover": { "purchase": id, "from": from, "to": to, "at": at,
                                      "place": "Chicago office", "seal": seal, "note": "" } })
            };
            let (code, _) = one_sentence(
                &app,
                "item_custody",
                handover("Courier", "Jane Doe", "yesterday", None),
            );
            assert_eq!(code, "bad_input");
            let (code, _) =
                one_sentence(&app, "item_custody", handover("", "Jane Doe", &day, None));
            assert_eq!(code, "bad_input");
            app.ok(
                "item_custody",
                handover("Cainiao courier", "Jane Doe", &day, None),
            );
            let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let p = app.ok(
                "item_custody",
                handover("Jane Doe", "Evidence locker", &now, Some("SEAL-0042")),
            );
            let custody = p["custody"].as_array().expect("custody");
            assert_eq!(custody.len(), 2);
            assert_eq!(custody[0]["from"], "Cainiao courier");
            assert_eq!(custody[0]["note"], Value::Null, "a blank note is no note");
            assert_eq!(custody[1]["seal"], "SEAL-0042");
            assert_eq!(custody[1]["at"], now);

            let all = app.ok("purchases", json!({}));
            assert_eq!(all, json!([p]));
            // Every step went into the custody log, and the chain holds.
            assert!(log_len() > before_log.map(|n| n + 6), "logged");
            let check = app.ok("verify_case", json!({ "quick": true }));
            assert_eq!(check["ok"], true, "{check:#}");
        },
    );
}

/// The real eBay search page with its listing links sent to this server: the first
/// `keep` (distinct) as `/itm/ID`, the rest to a path that names no listing. Returns the
/// page and the ids kept, in page order.
fn local_search_page(port_url: &str, keep: usize) -> (String, Vec<String>) {
    const ITEM: &str = "https://www.ebay.com/itm/";
    let html = String::from_utf8(
        std::fs::read(
            exhibit_e2e::real_pages_dir().join("ebay/ebay-com-search-wireless-earbuds.html"),
        )
        .expect("the eBay search page"),
    )
    .expect("UTF-8");
    let mut out = String::with_capacity(html.len());
    let mut ids: Vec<String> = Vec::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find(ITEM) {
        out.push_str(&rest[..at]);
        let after = &rest[at + ITEM.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let id = &after[..digits];
        let end = after[digits..]
            .find(['"', '\''])
            .map_or(after.len(), |q| digits + q);
        if !ids.iter().any(|i| i == id) && ids.len() < keep && !id.is_empty() {
            ids.push(id.to_owned());
        }
        if ids.iter().any(|i| i == id) {
            out.push_str(&format!("{port_url}/itm/{id}"));
        } else {
            out.push_str(&format!("{port_url}/elsewhere/{id}"));
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    (out, ids)
}

const SEARCH_PATH: &str = "/sch/i.html?_nkw=wireless+earbuds&_sop=12";

/// A server with the eBay search page and `keep` of its listings.
fn search_server(keep: usize) -> (exhibit_e2e::TestServer, Vec<String>) {
    let server = exhibit_e2e::TestServer::start();
    let base = server.http_url("");
    let base = base.trim_end_matches('/');
    let (page, ids) = local_search_page(base, keep);
    let html = Some("text/html; charset=utf-8");
    server.mount(SEARCH_PATH, 200, html, page.into_bytes());
    let listing = String::from_utf8(
        std::fs::read(exhibit_e2e::real_pages_dir().join("ebay/ebay-com-itm-381228738769.html"))
            .expect("the eBay listing page"),
    )
    .expect("UTF-8");
    for id in &ids {
        server.mount(
            &format!("/itm/{id}"),
            200,
            html,
            listing.replace("381228738769", id).into_bytes(),
        );
    }
    (server, ids)
}

#[test]
fn listings_found_on_a_search_page_are_captured_as_a_batch() {
    isolated(
        "listings_found_on_a_search_page_are_captured_as_a_batch",
        || {
            let (server, ids) = search_server(4);
            assert_eq!(ids.len(), 4);
            let app = App::new();
            app.create_case("acme.exhibit");
            let progress = app.events("capture-progress");
            let done = app.events("capture-done");
            // The search page, and one of its listings already.
            let search_url = server.http_url(SEARCH_PATH);
            let first_url = server.http_url(&format!("/itm/{}", ids[0]));
            app.ok(
                "start_capture",
                json!({ "urls": [search_url, first_url], "mode": "http" }),
            );
            assert_eq!(next(&done)["summary"]["ok"], 2);
            let _: Vec<Value> = progress.try_iter().collect();
            let page = app.ok("capture_page", json!({ "query": {} }));
            let items = page["items"].as_array().expect("items");
            let id_of = |url: &str| {
                items
                    .iter()
                    .find(|c| c["requested_url"] == url)
                    .and_then(|c| c["id"].as_i64())
                    .unwrap_or_else(|| panic!("no capture of {url} in {page:#}"))
            };
            let search = id_of(&search_url);
            let listing_capture = id_of(&first_url);

            let found = app.ok("discover", json!({ "captureId": search }));
            assert_eq!(found["page_kind"], "search");
            let listed: Vec<&str> = found["listings"]
                .as_array()
                .expect("listings")
                .iter()
                .map(|l| l["listing_id"].as_str().expect("id"))
                .collect();
            assert_eq!(listed, ids.iter().map(String::as_str).collect::<Vec<_>>());
            assert_eq!(found["in_case"], 1);
            assert_eq!(found["listings"][0]["in_case"], true);

            // Not a store or search page, no such capture, no such mode.
            let (code, message) =
                one_sentence(&app, "discover", json!({ "captureId": listing_capture }));
            assert_eq!(code, "bad_input");
            assert!(message.contains("not a store or search page"), "{message}");
            let (code, _) = one_sentence(&app, "discover", json!({ "captureId": 9999 }));
            assert_eq!(code, "no_such_capture");
            let (code, _) = one_sentence(
                &app,
                "start_capture_discovered",
                json!({ "captureId": search, "mode": "fast" }),
            );
            assert_eq!(code, "bad_input");

            let started = app.ok(
                "start_capture_discovered",
                json!({ "captureId": search, "mode": "http" }),
            );
            let batch = started["batch_id"].clone();
            let urls: Vec<String> = ids[1..]
                .iter()
                .map(|id| server.http_url(&format!("/itm/{id}")))
                .collect();
            assert_eq!(started["urls"], json!(urls));
            let (events, done_event) = run_to_done(&progress, &done);
            assert_eq!(done_event["batch_id"], batch);
            assert_eq!(done_event["summary"]["ok"], 3, "{done_event:#}");
            assert_eq!(done_event["cancelled"], false);
            assert!(
                events.iter().all(|e| e["batch_id"] == batch),
                "every event is the batch's"
            );
            for (i, url) in urls.iter().enumerate() {
                assert!(
                    events
                        .iter()
                        .any(|e| e["index"] == i && e["url"] == *url && e["state"] == "ok"),
                    "{url} at {i} in {events:#?}"
                );
            }

            let again = app.ok("discover", json!({ "captureId": search }));
            assert_eq!(again["in_case"], 4, "every listing is in the case now");
            let (code, message) = one_sentence(
                &app,
                "start_capture_discovered",
                json!({ "captureId": search, "mode": "http" }),
            );
            assert_eq!(code, "bad_input");
            assert!(message.contains("Nothing to capture"), "{message}");
        },
    );
}

#[test]
fn defendants_say_what_a_schedule_a_exhibit_still_lacks() {
    isolated(
        "defendants_say_what_a_schedule_a_exhibit_still_lacks",
        || {
            let server = campaign_server();
            let app = App::new();
            app.create_case("acme.exhibit");
            let done = app.events("capture-done");
            app.ok(
                "start_capture",
                json!({ "urls": [server.http_url(&format!("/item.htm?id={TAOBAO_C}"))],
                        "mode": "http" }),
            );
            assert_eq!(next(&done)["summary"]["ok"], 1);
            let c = listing_of(&app.ok("listings", json!({})), TAOBAO_C);
            let codes = |d: &Value| -> Vec<String> {
                d["missing"]
                    .as_array()
                    .expect("missing")
                    .iter()
                    .map(|g| g["code"].as_str().expect("code").to_owned())
                    .collect()
            };

            let all = app.ok("defendants", json!({}));
            let sellers = app.ok("sellers", json!({}));
            assert_eq!(all.as_array().map(Vec::len), Some(1), "{all:#}");
            let d = &all[0];
            assert_eq!(d["marketplace"], "taobao");
            assert_eq!(d["seller_id"], sellers[0]["seller_id"], "the same seller");
            assert_eq!(d["storefront"], Value::Null);
            assert_eq!(d["checkout"], Value::Null);
            assert_eq!(codes(d), ["no_forum_sale", "no_location"]);
            for g in d["missing"].as_array().expect("missing") {
                let m = g["message"].as_str().expect("message");
                assert!(!m.contains('\n') && m.ends_with('.'), "{m}");
            }

            // A test purchase shipped into the forum is the sale it lacked.
            app.ok(
                "add_purchase",
                json!({ "purchase": { "listing": c, "order": "TB-1", "date": today(),
                                      "amount": "12.50", "currency": "USD",
                                      "ship_to": "Chicago, IL, US" } }),
            );
            let d = app.ok("defendants", json!({ "forum": "US-IL" }));
            assert_eq!(codes(&d[0]), ["no_location"]);
            assert_eq!(d[0]["purchases"][0]["order_number"], "TB-1");
            // Elsewhere, it is not; and a forum that is no region is refused in a sentence.
            let d = app.ok("defendants", json!({ "forum": "US-CA" }));
            assert_eq!(codes(&d[0]), ["no_forum_sale", "no_location"]);
            assert_eq!(
                app.ok("defendants", json!({ "forum": "  " })),
                app.ok("defendants", json!({}))
            );
            let (code, message) = one_sentence(&app, "defendants", json!({ "forum": "Illinois" }));
            assert_eq!(code, "bad_input");
            assert!(message.contains("US-IL"), "{message}");
        },
    );
}

/// A Schedule A draft checked through `check_draft`: the facade's preview comes back
/// whole (the table, each defendant's gaps and the joinder pair) with the gaps as
/// warnings too, and after an export through `start_export` the CSV and the joinder
/// report written beside the packet may be shown in their folder, while the bundle and
/// any other path still may not.
#[test]
fn check_draft_returns_the_schedule_a_preview() {
    isolated("check_draft_returns_the_schedule_a_preview", || {
        let server = campaign_server();
        let app = App::new();
        app.create_case("acme.exhibit");
        let done = app.events("capture-done");
        app.ok(
            "start_capture",
            json!({ "urls": [server.http_url(&format!("/item.htm?id={TAOBAO_C}")),
                             server.http_url(&format!("/tmall/item.htm?id={TMALL_D}"))],
                    "mode": "http" }),
        );
        assert_eq!(next(&done)["summary"]["ok"], 2);
        let cert = examples_dir().join("certificates/acme-uspto.pdf");
        app.choose("certificate", &cert.to_string_lossy());
        app.ok("attach_file", json!({ "path": cert.to_string_lossy() }));

        // The example the UI mirrors (ui/src/lib/fixtures.test-data.ts), as it sends it.
        let draft = example("schedule-a.toml");
        let check = app.ok("check_draft", json!({ "draft": draft }));
        assert_eq!(check["venue"], "Schedule A filing (US district court)");
        let errors: Vec<&Value> = check["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .filter(|i| i["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let preview = &check["schedule_a"];
        assert_eq!(preview["forum"], "US-IL", "{check:#}");
        let rows = preview["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 2, "{preview:#}");
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row["doe"], i + 1);
            for key in ["alias", "seller_id", "store_url", "marketplace"] {
                assert!(row[key].is_string(), "{key} in {row}");
            }
            assert_eq!(row["listing_urls"].as_array().map(Vec::len), Some(1));
        }
        let markets: Vec<&str> = rows
            .iter()
            .map(|r| r["marketplace"].as_str().expect("marketplace"))
            .collect();
        assert!(
            markets.contains(&"Taobao") && markets.contains(&"Tmall"),
            "{markets:?}"
        );
        // Neither seller has a sale into the forum or a storefront: each gap is one
        // sentence, and a warning on that defendant's field.
        let gaps = preview["gaps"].as_array().expect("gaps");
        for doe in [1, 2] {
            let codes: Vec<&str> = gaps
                .iter()
                .filter(|g| g["doe"] == doe)
                .map(|g| g["code"].as_str().expect("code"))
                .collect();
            assert_eq!(codes, ["no_forum_sale", "no_location"], "Doe {doe}");
        }
        for g in gaps {
            let m = g["message"].as_str().expect("message");
            assert!(!m.contains('\n') && m.ends_with('.'), "{m}");
            let field = format!("schedule_a.defendant[{}]", g["doe"]);
            assert!(
                check["issues"].as_array().expect("issues").iter().any(|i| {
                    i["severity"] == "warning" && i["field"] == field.as_str() && i["message"] == *m
                }),
                "{m} as a warning on {field}"
            );
        }
        let pairs = preview["pairs"].as_array().expect("pairs");
        assert_eq!(pairs.len(), 1, "{pairs:#?}");
        assert_eq!(
            (pairs[0]["a"].clone(), pairs[0]["b"].clone()),
            (json!(1), json!(2))
        );
        assert!(
            pairs[0]["differs"]
                .as_array()
                .expect("differs")
                .iter()
                .any(|f| f["what"] == "marketplace" && f["detail"].is_string()),
            "{pairs:#?}"
        );
        assert!(pairs[0]["shared"].is_array());

        // Another venue has no preview.
        let dmca = app.ok("check_draft", json!({ "draft": example("dmca.toml") }));
        assert_eq!(dmca["schedule_a"], Value::Null);

        // Exported: the CSV and the joinder report are listed, and may be revealed.
        let exported = app.events("export-done");
        let out = app.choose("export_folder", &app.path("out"));
        app.ok(
            "start_export",
            json!({ "draft": draft, "outDir": out, "batesPrefix": "ACME-" }),
        );
        let done = next(&exported);
        assert!(done.get("error").is_none(), "{done}");
        let report = &done["report"];
        assert_eq!(report["defendants"], 2, "{report:#}");
        assert_eq!(report["test_buy_report"], Value::Null);
        for key in ["schedule_a_csv", "joinder_report"] {
            let path = report[key].as_str().unwrap_or_else(|| panic!("{key}"));
            assert!(Path::new(path).is_file(), "{path}");
            // Revealing may fail without a file manager here, but never as not exported.
            if let Err(e) = app.call("reveal_export", json!({ "path": path })) {
                assert_ne!(e["code"], "not_exported", "{key}: {e}");
            }
        }
        let bundle = report["bundle"].as_str().expect("bundle");
        for path in [bundle, "/etc/passwd"] {
            assert_eq!(
                app.code("reveal_export", json!({ "path": path })),
                "not_exported",
                "{path}"
            );
        }
        // Nor can the CSV be read as if it were a packet.
        let csv = report["schedule_a_csv"].as_str().expect("csv");
        assert_eq!(
            app.code("packet_bytes", json!({ "path": csv })),
            "not_exported"
        );
    });
}
