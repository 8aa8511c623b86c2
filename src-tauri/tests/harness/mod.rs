//! Driving the real Exhibit app: a private Xvfb display, `tauri-driver` in front of
//! WebKitWebDriver, and a WebDriver session (fantoccini) per app launch.
//!
//! Shared by `tests/e2e.rs` and the benches in `benches/` (included there with
//! `#[path]`), so some helpers are unused in one or the other.
//!
//! Process hygiene: every process this harness starts (tauri-driver, and through it
//! WebKitWebDriver, the app, WebKit's helper processes and any Chromium the app runs)
//! inherits a marker variable unique to the run. `tauri-driver` is stopped with SIGTERM
//! (SIGKILL would orphan WebKitWebDriver); whatever still carries the marker afterwards
//! is ended by its id. Output of the driver and the app goes to a log file, never to the
//! test's own pipes, so a straggler cannot hold `cargo test` open.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use exhibit_e2e::processes::{signal, wait_child};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// A private X display (exhibit-e2e's, shared with its `exhibit browse` tests).
pub use exhibit_e2e::processes::Xvfb;

/// The workspace root (`src-tauri/..`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("src-tauri has a parent")
        .to_owned()
}

/// The cargo target folder this test or bench was built in (`…/target`), from the path
/// of the running executable (`target/<profile>/deps/<name>`).
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(Path::to_owned)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// `tauri-driver`: `$TAURI_DRIVER`, else `target/tools/bin/tauri-driver` under the
/// workspace root, else whatever `PATH` finds.
pub fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let local = workspace_root().join("target/tools/bin/tauri-driver");
    if local.is_file() {
        return local;
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("tauri-driver"))
            .find(|p| p.is_file())
    });
    on_path.unwrap_or_else(|| {
        panic!(
            "tauri-driver not found: set TAURI_DRIVER, or install it with \
             `cargo install tauri-driver --locked --root target/tools`"
        )
    })
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    exhibit_e2e::free_loopback_port()
}

// ---------------------------------------------------------------------------------
// Processes

/// Ids of running processes whose environment holds `marker` (`NAME=VALUE`).
pub fn marked_processes(marker: &str) -> Vec<u32> {
    let me = std::process::id();
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(env) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if env.split(|&b| b == 0).any(|v| v == marker.as_bytes()) {
            // Zombies keep their environ readable only while alive; skip dead ones.
            let state = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let zombie = state
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
            if !zombie {
                out.push(pid);
            }
        }
    }
    out
}

/// Ids of running processes whose executable is `exe`, among those marked.
pub fn app_processes(marker: &str, exe: &Path) -> Vec<u32> {
    let exe = exe.canonicalize().unwrap_or_else(|_| exe.to_owned());
    marked_processes(marker)
        .into_iter()
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| {
                p == exe
                    || p.to_string_lossy().trim_end_matches(" (deleted)") == exe.to_string_lossy()
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// The app's environment

/// A home, XDG folders and an Exhibit data folder for the app, all temporary.
#[derive(Debug)]
pub struct AppEnv {
    pub root: tempfile::TempDir,
}

impl AppEnv {
    pub fn new() -> AppEnv {
        let root = tempfile::Builder::new()
            .prefix("exhibit-app-env-")
            .tempdir()
            .expect("tempdir");
        for d in [
            "home",
            "data",
            "xdg-config",
            "xdg-data",
            "xdg-cache",
            "xdg-state",
            "run",
        ] {
            std::fs::create_dir_all(root.path().join(d)).expect("mkdir");
        }
        let run = root.path().join("run");
        let _ = Command::new("chmod").arg("700").arg(&run).status();
        AppEnv { root }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// Exhibit's data folder (preferences, recent cases, browser profiles).
    pub fn data_dir(&self) -> PathBuf {
        self.path("data")
    }

    /// The file the app's dialog test seam reads its next answer from
    /// (`EXHIBIT_TEST_DIALOG_ANSWER`; see `src/chosen.rs`).
    pub fn dialog_answer(&self) -> PathBuf {
        self.path("dialog-answer")
    }

    fn vars(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("EXHIBIT_DATA_DIR", self.path("data")),
            ("HOME", self.path("home")),
            ("XDG_CONFIG_HOME", self.path("xdg-config")),
            ("XDG_DATA_HOME", self.path("xdg-data")),
            ("XDG_CACHE_HOME", self.path("xdg-cache")),
            ("XDG_STATE_HOME", self.path("xdg-state")),
            ("XDG_RUNTIME_DIR", self.path("run")),
            (exhibit_app::chosen::ANSWER_VAR, self.dialog_answer()),
        ]
    }
}

impl Default for AppEnv {
    fn default() -> Self {
        AppEnv::new()
    }
}

// ---------------------------------------------------------------------------------
// tauri-driver

/// `tauri-driver` (with its WebKitWebDriver) on private ports, for one app binary.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    pub port: u16,
    pub marker: String,
    pub log: PathBuf,
    pub app: PathBuf,
}

impl Driver {
    /// Starts tauri-driver on `display`; every app it launches gets `env`'s folders.
    pub fn start(app: &Path, display: &str, env: &AppEnv, log: &Path) -> Driver {
        let port = free_port();
        let mut native = free_port();
        while native == port {
            native = free_port();
        }
        let marker = format!(
            "EXHIBIT_E2E_RUN={}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        );
        if let Some(parent) = log.parent() {
            std::fs::create_dir_all(parent).expect("log dir");
        }
        let out = std::fs::File::create(log).expect("driver log");
        let err = out.try_clone().expect("log handle");
        let (mk, mv) = marker.split_once('=').expect("marker");
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .env("NO_AT_BRIDGE", "1")
        .env("GDK_BACKEND", "x11")
        .env(mk, mv)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err));
        for (k, v) in env.vars() {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start tauri-driver");
        let start = Instant::now();
        loop {
            let up = |p: u16| TcpStream::connect(("127.0.0.1", p)).is_ok();
            if up(port) && up(native) {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "tauri-driver exited at start ({status}):\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "tauri-driver did not listen on {port}/{native} within 30 s:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            port,
            marker,
            log: log.to_owned(),
            app: app.to_owned(),
        }
    }

    /// A new WebDriver session: launches the app and connects to its webview.
    pub async fn session(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": self.app.to_string_lossy() }),
        );
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps);
        match builder
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
        {
            Ok(c) => c,
            Err(e) => panic!(
                "could not start a WebDriver session with the app: {e}\n--- driver log ---\n{}",
                self.log_tail()
            ),
        }
    }

    /// The end of the driver's (and the app's) log.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    }

    /// Running app processes launched through this driver.
    pub fn app_pids(&self) -> Vec<u32> {
        app_processes(&self.marker, &self.app)
    }

    /// Waits until no app process of this driver runs (after a session ended).
    pub fn wait_app_gone(&self, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.app_pids().is_empty() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop WebKitWebDriver; SIGKILL would orphan it.
        signal(self.child.id(), "TERM");
        let stopped = wait_child(&mut self.child, Duration::from_secs(15));
        // Anything of this run still alive (the app, WebKit helpers, Chromium) is ended
        // by its id, politely first.
        let left = marked_processes(&self.marker);
        for pid in &left {
            signal(*pid, "TERM");
        }
        let start = Instant::now();
        while !marked_processes(&self.marker).is_empty() && start.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        for pid in marked_processes(&self.marker) {
            signal(pid, "KILL");
        }
        if !stopped {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------
// The UI, through WebDriver

/// Waiting limits.
pub const SHORT: Duration = Duration::from_secs(20);
pub const LONG: Duration = Duration::from_secs(120);

/// CSS for `[data-testid="ID"]`.
pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// Whether a JSON value counts as "yes" for a wait.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// The app's window, driven through a WebDriver session.
pub struct Ui {
    pub c: Client,
    shots: Vec<PathBuf>,
}

impl std::fmt::Debug for Ui {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ui").field("shots", &self.shots).finish()
    }
}

impl Ui {
    /// `shots`: folders each screenshot is written to.
    pub fn new(c: Client, shots: Vec<PathBuf>) -> Ui {
        for d in &shots {
            std::fs::create_dir_all(d).expect("screenshot dir");
        }
        Ui { c, shots }
    }

    /// Ends the session; the app exits with it.
    pub async fn close(self) {
        if let Err(e) = self.c.close().await {
            eprintln!("closing the WebDriver session: {e}");
        }
    }

    /// Runs a script (a function body; `arguments` holds `args`) in the app's page.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        match self.c.execute(script, args).await {
            Ok(v) => v,
            Err(e) => panic!("script failed: {e}\n{script}"),
        }
    }

    /// Polls `script` until it returns something truthy; returns that.
    pub async fn wait_js(
        &self,
        what: &str,
        limit: Duration,
        script: &str,
        args: Vec<Value>,
    ) -> Value {
        let start = Instant::now();
        loop {
            let last = match self.c.execute(script, args.clone()).await {
                Ok(v) if truthy(&v) => return v,
                Ok(v) => v,
                Err(e) => json!(format!("script error: {e}")),
            };
            if start.elapsed() > limit {
                self.fail(&format!(
                    "timed out after {:.0} s waiting for {what} (last: {last})",
                    limit.as_secs_f64()
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Panics with what the screen shows, after saving a screenshot of it.
    pub async fn fail(&self, why: &str) -> ! {
        let state = self
            .c
            .execute(
                "const alerts = [...document.querySelectorAll('[role=alert]')].map(e => (e.dataset.code || '') + ': ' + e.textContent.trim());\
                 const cur = document.querySelector('[aria-current]');\
                 return { step: cur ? cur.textContent.trim() : null, h1: document.querySelector('h1')?.textContent, alerts };",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        if let Ok(png) = self.c.screenshot().await
            && let Some(dir) = self.shots.first()
        {
            let _ = std::fs::write(dir.join("FAILED.png"), png);
        }
        panic!("{why}\nscreen: {state}");
    }

    /// Waits for an element matching `css` and returns it.
    pub async fn find(&self, css: &str) -> Element {
        self.wait_js(
            &format!("{css} to exist"),
            SHORT,
            "return !!document.querySelector(arguments[0]);",
            vec![json!(css)],
        )
        .await;
        match self.c.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => self.fail(&format!("find {css}: {e}")).await,
        }
    }

    /// Waits for `css` to exist and be enabled, then clicks it.
    pub async fn click(&self, css: &str) {
        self.wait_js(
            &format!("{css} to be enabled"),
            SHORT,
            "const e = document.querySelector(arguments[0]); return !!e && !e.disabled;",
            vec![json!(css)],
        )
        .await;
        let el = self.find(css).await;
        if let Err(e) = el.click().await {
            self.fail(&format!("click {css}: {e}")).await;
        }
    }

    /// Replaces the text of an input or textarea by typing `text` into it.
    pub async fn type_text(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        if let Err(e) = el.clear().await {
            self.fail(&format!("clear {css}: {e}")).await;
        }
        // WebKitWebDriver drops a literal "\n"; a newline is typed as the Enter key.
        let keys = text.replace('\n', &char::from(fantoccini::key::Key::Enter).to_string());
        if let Err(e) = el.send_keys(&keys).await {
            self.fail(&format!("type into {css}: {e}")).await;
        }
        // Typing is real key input; check it arrived whole.
        let got = self.value(css).await;
        if got != text {
            self.fail(&format!("{css} holds {got:?} after typing {text:?}"))
                .await;
        }
    }

    /// Picks an option of a `<select>` by its value, as a user would.
    pub async fn select(&self, css: &str, value: &str) {
        self.wait_js(
            &format!("{css} to offer {value:?}"),
            SHORT,
            "const e = document.querySelector(arguments[0]); return !!e && !e.disabled && [...e.options].some(o => o.value === arguments[1]);",
            vec![json!(css), json!(value)],
        )
        .await;
        // Into the middle of the window first: a select under the sticky header cannot
        // be clicked, and WebKitWebDriver then fails with an empty message.
        self.js(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
            vec![json!(css)],
        )
        .await;
        let el = self.find(css).await;
        if let Err(e) = el.select_by_value(value).await {
            self.fail(&format!("select {value:?} in {css}: {e}")).await;
        }
        let got = self.value(css).await;
        if got != value {
            self.fail(&format!("{css} shows {got:?} after choosing {value:?}"))
                .await;
        }
    }

    /// The `value` of a form control.
    pub async fn value(&self, css: &str) -> String {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.value : null;",
                vec![json!(css)],
            )
            .await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// An attribute of the first element matching `css` (None when absent).
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;",
                vec![json!(css), json!(name)],
            )
            .await;
        v.as_str().map(str::to_owned)
    }

    /// The text of the first element matching `css` ("" when absent).
    pub async fn text(&self, css: &str) -> String {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                vec![json!(css)],
            )
            .await;
        v.as_str().unwrap_or_default().trim().to_owned()
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> usize {
        let v = self
            .js(
                "return document.querySelectorAll(arguments[0]).length;",
                vec![json!(css)],
            )
            .await;
        v.as_u64().unwrap_or(0) as usize
    }

    /// Waits until the first element matching `css` has `name` = `value`.
    pub async fn wait_attr(&self, css: &str, name: &str, value: &str, limit: Duration) {
        self.wait_js(
            &format!("{css} to have {name}={value:?}"),
            limit,
            "const e = document.querySelector(arguments[0]); return !!e && e.getAttribute(arguments[1]) === arguments[2];",
            vec![json!(css), json!(name), json!(value)],
        )
        .await;
    }

    /// Saves a screenshot of the window as `NAME.png` in every screenshot folder.
    pub async fn screenshot(&self, name: &str) {
        let png = match self.c.screenshot().await {
            Ok(p) => p,
            Err(e) => self.fail(&format!("screenshot {name}: {e}")).await,
        };
        assert_eq!(
            &png[..8],
            b"\x89PNG\r\n\x1a\n",
            "WebDriver screenshot is a PNG"
        );
        let png = shrink_png(&png);
        for d in &self.shots {
            std::fs::write(d.join(format!("{name}.png")), &png).expect("write screenshot");
        }
    }
}

/// Re-encodes a screenshot as an 8-bit RGB PNG at the best compression (the window has
/// no transparency), which makes the files for the README about half as large.
fn shrink_png(png: &[u8]) -> Vec<u8> {
    let Ok(img) = image::load_from_memory_with_format(png, image::ImageFormat::Png) else {
        return png.to_vec();
    };
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    );
    match image::ImageEncoder::write_image(
        encoder,
        rgb.as_raw(),
        rgb.width(),
        rgb.height(),
        image::ExtendedColorType::Rgb8,
    ) {
        Ok(()) if out.len() < png.len() => out,
        _ => png.to_vec(),
    }
}

// ---------------------------------------------------------------------------------
// Statistics for the benches

/// Sorted copy.
pub fn sorted(v: &[f64]) -> Vec<f64> {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    s
}

/// The q-quantile (0..=1) by nearest rank.
pub fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let s = sorted(v);
    let rank = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len());
    s[rank - 1]
}

pub fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let s = sorted(v);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

pub fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NAN, f64::max)
}

pub fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NAN, f64::min)
}

/// Numbers from a JSON array.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// A local server that answers after a delay (the benches' stand-in for the network)

/// Serves fixed bodies on 127.0.0.1, each after `latency`, one thread per connection.
#[derive(Debug)]
pub struct SlowServer {
    pub port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl SlowServer {
    /// `routes`: path (with query) → HTML body, served as `text/html` with no charset.
    pub fn start(
        latency: Duration,
        routes: std::collections::HashMap<String, std::sync::Arc<Vec<u8>>>,
    ) -> SlowServer {
        use std::io::{Read, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let routes = std::sync::Arc::new(routes);
        let flag = stop.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(mut conn) = conn else { continue };
                let routes = routes.clone();
                std::thread::spawn(move || {
                    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                        match conn.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let line = String::from_utf8_lossy(&head);
                    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    std::thread::sleep(latency);
                    let (status, body) = match routes.get(&target) {
                        Some(b) => ("200 OK", b.clone()),
                        None => (
                            "404 Not Found",
                            std::sync::Arc::new(
                                b"<!doctype html><title>Not found</title>".to_vec(),
                            ),
                        ),
                    };
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = conn.write_all(head.as_bytes());
                    let _ = conn.write_all(&body);
                    let _ = conn.flush();
                });
            }
        });
        SlowServer { port, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for SlowServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// What a user does with a native dialog the app opens: `choose` (the button that opens
/// it) is clicked, the dialog is answered with `path` for `purpose` through the app's test
/// seam, and the chosen path shows in `field` (or, with no field, the answer was taken).
pub async fn choose(
    ui: &Ui,
    env: &AppEnv,
    purpose: &str,
    path: &Path,
    choose: &str,
    field: Option<&str>,
) {
    let answer = env.dialog_answer();
    let path = path.to_str().expect("utf-8 path");
    std::fs::write(&answer, format!("{purpose}\t{path}")).expect("write the dialog's answer");
    ui.click(choose).await;
    match field {
        Some(field) => {
            ui.wait_js(
                &format!("{field} to show the chosen {purpose}"),
                SHORT,
                "return document.querySelector(arguments[0])?.value === arguments[1];",
                vec![json!(field), json!(path)],
            )
            .await;
        }
        None => {
            let start = Instant::now();
            while answer.exists() {
                if start.elapsed() > SHORT {
                    ui.fail(&format!("the {purpose} dialog was never opened"))
                        .await;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Opens a case through the Case step: the case file chosen in the open dialog, the
/// passphrase, "Open case"; waits for it.
pub async fn unlock(ui: &Ui, env: &AppEnv, path: &Path, passphrase: &str) {
    ui.click(&tid("case-open")).await;
    choose(
        ui,
        env,
        "case_open",
        path,
        &tid("unlock-choose"),
        Some(&tid("unlock-path")),
    )
    .await;
    ui.type_text(&tid("unlock-passphrase"), passphrase).await;
    ui.click(&tid("unlock-submit")).await;
    ui.wait_js(
        "the case to open",
        LONG,
        "return !!document.querySelector('[data-testid=\"capture-count\"]');",
        vec![],
    )
    .await;
}
