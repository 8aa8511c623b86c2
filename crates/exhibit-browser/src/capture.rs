//! One capture: load and settle the page, then take every artifact, each bounded in time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::network::{
    GetCertificateParams, GetResponseBodyParams, Response,
};
use chromiumoxide::cdp::browser_protocol::page::{
    BringToFrontParams, CaptureScreenshotFormat, CaptureScreenshotParams, CaptureSnapshotFormat,
    CaptureSnapshotParams, GetLayoutMetricsParams, NavigateParams, PrintToPdfParams,
    StopLoadingParams, Viewport,
};
use chromiumoxide::cdp::browser_protocol::target::GetTargetsParams;
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use chrono::Utc;
use exhibit_domain::{Header, NewArtifact, Redirect};
use serde_json::Value;

use crate::browser::{Browser, Stop, lock};
use crate::recorder::{NetEntry, PageLog, Recorder};
use crate::timing::{self, Laps};
use crate::{BrowserCapture, ImageResponse, MainImage, artifact_kind};

/// How long the network must stay quiet after the last image, font or style sheet
/// arrived (at most [`crate::BrowserOptions::network_idle`]): long enough for an
/// `onload` handler to start whatever it starts.
const PASSIVE_QUIET: Duration = Duration::from_millis(250);
/// How often the waits look at the page's state.
const POLL: Duration = Duration::from_millis(25);
/// How long a page drawn taller during the quiet period must keep its new height before
/// it is scrolled through: its drawing has stopped, and the lazy loading it set up in the
/// same task, or in the frames after, is in place.
const GROWN_STILL: Duration = Duration::from_millis(75);
/// How many times the quiet period may scroll a page that keeps growing; a feed that
/// grows at every scroll is scrolled once more after the quiet, and no more.
const EARLY_PASSES: u32 = 2;
/// How long a snap waits for the network after its scroll pass.
const SNAP_SETTLE: Duration = Duration::from_secs(5);
/// Printing waits for the page's load event; a page whose images never arrive would
/// hold it until the page limit and starve the steps after it.
const PDF_LIMIT: Duration = Duration::from_secs(15);
/// What the steps after the PDF (the TLS certificate) are left of the page time limit.
const AFTER_PDF: Duration = Duration::from_secs(1);
/// How long to wait for the response of the document on screen to be reported.
const MAIN_RESPONSE_WAIT: Duration = Duration::from_secs(2);
/// How long the main image's own request may still take to be seen whole.
const MAIN_IMAGE_WAIT: Duration = Duration::from_secs(2);
/// A4 in inches, for `Page.printToPDF` (Chromium defaults to US Letter).
const A4_INCHES: (f64, f64) = (8.27, 11.69);

const DOM_JS: &str = "(() => { const d = document.doctype; \
    const dt = d ? new XMLSerializer().serializeToString(d) + '\\n' : ''; \
    return dt + (document.documentElement ? document.documentElement.outerHTML : ''); })()";
const TEXT_JS: &str = "document.body ? document.body.innerText : \
    (document.documentElement ? document.documentElement.innerText : '')";
const FACTS_JS: &str = "({ua: navigator.userAgent, lang: navigator.language, \
    tz: Intl.DateTimeFormat().resolvedOptions().timeZone, w: innerWidth, h: innerHeight, \
    dpr: devicePixelRatio, url: location.href})";
const NAVIGATION_JS: &str = "(() => { const n = performance.getEntriesByType('navigation')[0]; \
    return n ? {status: n.responseStatus || 0, protocol: n.nextHopProtocol || '', \
    redirects: n.redirectCount || 0} : null; })()";
const CRASHED: &str = "the page's renderer crashed";
const FOCUS_JS: &str =
    "({focus: document.hasFocus(), visible: document.visibilityState === 'visible'})";

/// Scroll down in steps of ~90 % of the viewport so lazy content loads, then back to the top
/// (a page that was never scrolled, one screen tall and at its top, is left as it is).
/// Returns where the page was scrolled before (`x`, `y`), so a user's tab can be put back,
/// and how tall it was when the pass ended (`height`, up to the cap).
fn scroll_js(max_height: u32, budget: Duration) -> String {
    format!(
        "(async () => {{
            const before = {{x: scrollX, y: scrollY}};
            const start = performance.now();
            const step = Math.max(200, Math.floor(innerHeight * 0.9));
            let y = 0;
            while (performance.now() - start < {budget}) {{
                const height = Math.min(document.documentElement.scrollHeight, {max_height});
                if (y + innerHeight >= height) break;
                y += step;
                scrollTo(0, y);
                await new Promise(r => setTimeout(r, 50));
            }}
            const seen = Math.min(document.documentElement.scrollHeight, {max_height});
            if (scrollX !== 0 || scrollY !== 0) {{
                scrollTo(0, 0);
                await new Promise(r => setTimeout(r, 30));
            }}
            return {{x: before.x, y: before.y, height: seen}};
        }})()",
        budget = budget.as_millis(),
    )
}

/// The page's height in CSS pixels, up to the screenshot cap.
fn height_js(max_height: u32) -> String {
    format!("Math.min(document.documentElement.scrollHeight, {max_height})")
}

/// How tall the page was when the scroll pass that returned `scrolled` ended.
fn pass_height(scrolled: Option<&Value>) -> Option<f64> {
    scrolled?.get("height")?.as_f64()
}

/// Evaluate an expression in the page and return its value (promises awaited).
pub(crate) async fn eval_value(page: &Page, expression: String) -> Result<Value, String> {
    let mut params = EvaluateParams::new(expression);
    params.return_by_value = Some(true);
    params.await_promise = Some(true);
    let resp = page.execute(params).await.map_err(|e| e.to_string())?;
    if let Some(ex) = &resp.result.exception_details {
        return Err(format!("the page script failed: {}", ex.text));
    }
    Ok(resp.result.result.value.clone().unwrap_or(Value::Null))
}

async fn eval_string(page: &Page, expression: &str) -> Result<String, String> {
    match eval_value(page, expression.to_string()).await? {
        Value::String(s) => Ok(s),
        Value::Null => Ok(String::new()),
        other => Err(format!("expected text, got {other}")),
    }
}

/// How the collection step treats the tab.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A tab we opened and loaded ourselves.
    Fresh,
    /// A tab the user had open, captured as it is.
    Snap,
}

fn stop_sentence(stop: &Stop, budget: Duration) -> String {
    match stop {
        Stop::Timeout => format!(
            "The capture did not finish within the page time limit of {} s; what was taken before the limit is kept.",
            budget.as_secs()
        ),
        Stop::Dead => "The browser stopped running during the capture.".to_string(),
        Stop::Failed(e) => format!("The browser reported an error: {e}."),
        Stop::Page(e) => {
            let mut chars = e.chars();
            match chars.next() {
                Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
                None => "The capture failed.".to_string(),
            }
        }
    }
}

/// Turn a failed step into a note and carry on; stop on a timeout or a dead browser.
fn soft<T>(r: Result<T, Stop>, what: &str, out: &mut BrowserCapture) -> Result<Option<T>, Stop> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(Stop::Failed(e)) | Err(Stop::Page(e)) => {
            out.notes.push(format!("{what} could not be taken: {e}"));
            Ok(None)
        }
        Err(stop) => Err(stop),
    }
}

fn http_version(protocol: Option<&str>) -> Option<String> {
    let p = protocol?.to_ascii_lowercase();
    Some(match p.as_str() {
        "http/0.9" => "HTTP/0.9".to_string(),
        "http/1.0" => "HTTP/1.0".to_string(),
        "http/1.1" => "HTTP/1.1".to_string(),
        "h2" | "http/2" | "http/2.0" => "HTTP/2.0".to_string(),
        "h3" | "http/3" | "http/3.0" => "HTTP/3.0".to_string(),
        "" => return None,
        _ => p,
    })
}

/// Headers from the raw header text when Chromium gives it (wire order, repeats kept), else
/// from the header object (one entry per line of a folded value).
fn main_headers(entry: &NetEntry) -> Vec<Header> {
    if let Some(text) = entry
        .resp_extra
        .last()
        .and_then(|x| x.headers_text.as_deref())
    {
        let parsed: Vec<Header> = text
            .split("\r\n")
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| Header {
                name: name.trim().to_string(),
                value: value.trim().to_string(),
                value_was_lossy: false,
            })
            .collect();
        if !parsed.is_empty() {
            return parsed;
        }
    }
    let headers = entry
        .resp_extra
        .last()
        .map(|x| x.headers.inner())
        .or_else(|| entry.response.as_ref().map(|r| r.response.headers.inner()));
    let mut out = Vec::new();
    if let Some(Value::Object(map)) = headers {
        for (name, value) in map {
            let value = value.as_str().unwrap_or_default();
            for line in value.split('\n') {
                out.push(Header {
                    name: name.clone(),
                    value: line.to_string(),
                    value_was_lossy: false,
                });
            }
        }
    }
    out
}

fn header_value(headers: &Value, name: &str) -> Option<String> {
    headers.as_object()?.iter().find_map(|(k, v)| {
        k.eq_ignore_ascii_case(name)
            .then(|| v.as_str().unwrap_or_default().to_string())
    })
}

fn remote_addr(ip: Option<&str>, port: Option<i64>) -> Option<String> {
    let ip = ip.filter(|ip| !ip.is_empty())?;
    let ip = if ip.contains(':') && !ip.starts_with('[') {
        format!("[{ip}]")
    } else {
        ip.to_string()
    };
    Some(match port {
        Some(port) => format!("{ip}:{port}"),
        None => ip,
    })
}

/// The page's own request for the main image at `url`, once whole.
///
/// That request may still be finishing, or its response event may be read after its end
/// (the recorder hears each kind of event on its own stream): a request seen but not yet
/// whole is waited for a moment, not fetched again. Else why there is no answer.
async fn wait_for_main_image(
    recorder: &Recorder,
    url: &str,
    deadline: Instant,
) -> Result<NetEntry, &'static str> {
    let wait_until = (Instant::now() + MAIN_IMAGE_WAIT).min(deadline);
    loop {
        let found = main_image_entry(&recorder.log(), url);
        match found {
            Err((true, _)) if Instant::now() < wait_until => {
                tokio::time::sleep(POLL).await;
            }
            Ok(e) => return Ok(e),
            Err((_, why)) => return Err(why),
        }
    }
}

/// The latest whole answer to a request for `url` (or redirected from it), or
/// `(still pending, why)` when there is no whole answer yet.
fn main_image_entry(log: &PageLog, url: &str) -> Result<NetEntry, (bool, &'static str)> {
    let named = |e: &&NetEntry| {
        same_document(&e.sent.request.url, url)
            || e.hops
                .iter()
                .any(|h| same_document(&h.request.request.url, url))
    };
    let answered = log
        .entries
        .iter()
        .rev()
        .filter(named)
        .find(|e| e.response.is_some() && e.finished.is_some())
        .cloned();
    match answered {
        Some(e) => Ok(e),
        None => match log
            .entries
            .iter()
            .filter(named)
            .map(|e| e.failed.is_none())
            .reduce(|a, b| a || b)
        {
            Some(pending) => Err((
                pending,
                "the page requested it but no complete response arrived",
            )),
            None => Err((false, "the page did not load it")),
        },
    }
}

/// The main image at `url` with the browser's response for it, or why there is none.
fn main_image(url: String, resp: &Response, bytes: Result<Vec<u8>, String>) -> MainImage {
    match bytes {
        Ok(bytes) => MainImage {
            url,
            response: Some(ImageResponse {
                url: resp.url.clone(),
                status: u16::try_from(resp.status).unwrap_or(0),
                mime_type: resp.mime_type.clone(),
                from_cache: resp.from_disk_cache.unwrap_or(false)
                    || resp.from_prefetch_cache.unwrap_or(false),
                bytes,
            }),
            missing: None,
        },
        Err(why) => MainImage {
            url,
            response: None,
            missing: Some(why),
        },
    }
}

/// Whether two URLs name the same document (fragments aside).
fn same_document(a: &str, b: &str) -> bool {
    let strip = |u: &str| u.split('#').next().unwrap_or(u).to_string();
    strip(a) == strip(b)
}

fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    (url.scheme() == "https").then(|| url.origin().ascii_serialization())
}

impl Browser {
    /// Open a new tab, load `url`, let it settle, take every artifact and close the tab.
    ///
    /// Never fails as a call: a capture that went wrong carries an `error` sentence and
    /// whatever was taken before. Bounded by [`crate::BrowserOptions::page_timeout`].
    pub async fn capture(&self, url: &str) -> BrowserCapture {
        let started = Instant::now();
        let budget = self.inner.opts.page_timeout;
        let deadline = started + budget;
        let settle = started + (budget / 2).min(self.inner.opts.settle_limit);
        let mut out = BrowserCapture::new(url, Utc::now(), self.inner.facts.clone());
        let mut laps = Laps::new(url);
        let recorder = match self.driven_tab(deadline).await {
            Ok(r) => r,
            Err(stop) => {
                out.error = Some(match stop {
                    Stop::Dead => "The browser is not running.".to_string(),
                    other => stop_sentence(&other, budget),
                });
                out.finished_at = Utc::now();
                return out;
            }
        };
        laps.lap("open tab");
        let target = recorder.page.target_id().inner().clone();
        let result = match self.load_and_settle(&recorder, url, settle, &mut out).await {
            Ok(()) => {
                laps.lap("load and settle");
                self.collect(&recorder, deadline, Mode::Fresh, &mut out)
                    .await
            }
            Err(stop) => Err(stop),
        };
        if let Err(stop) = result
            && out.error.is_none()
        {
            out.error = Some(stop_sentence(&stop, budget));
        }
        laps.lap("artifacts");
        finish_from_log(&recorder, &mut out);
        laps.lap("network log");
        if out.error.is_none() {
            self.give_back_tab(recorder).await;
        } else {
            // A page that failed may still be loading or hung: never hand it on.
            self.close_tab(&target).await;
        }
        laps.lap("close tab");
        timing::since(url, "capture", started);
        out.finished_at = Utc::now();
        out
    }

    /// Capture the tab the user is looking at (or the last one used) as it is, without
    /// reloading it: for `exhibit snap` on a visible browser.
    ///
    /// If the tab was loaded while this browser watched it, the main document's headers,
    /// redirects and raw body are recorded as in [`Browser::capture`]; otherwise the capture
    /// says so in its notes.
    pub async fn snap_current(&self) -> BrowserCapture {
        let started = Instant::now();
        let budget = self.inner.opts.page_timeout;
        let deadline = started + budget;
        let settle = started + (budget / 2).min(self.inner.opts.settle_limit);
        let mut out = BrowserCapture::new("", Utc::now(), self.inner.facts.clone());
        let recorder = match self.current_tab(deadline).await {
            Ok(Some(r)) => r,
            Ok(None) => {
                out.error = Some("There is no open tab to capture.".to_string());
                out.finished_at = Utc::now();
                return out;
            }
            Err(stop) => {
                out.error = Some(match stop {
                    Stop::Dead => "The browser is not running.".to_string(),
                    other => stop_sentence(&other, budget),
                });
                out.finished_at = Utc::now();
                return out;
            }
        };
        *lock(&self.inner.last_used) = Some(recorder.page.target_id().inner().clone());
        out.notes
            .push("the open tab was captured as it was, without reloading it".to_string());
        let result = self.snap_steps(&recorder, settle, deadline, &mut out).await;
        if let Err(stop) = result
            && out.error.is_none()
        {
            out.error = Some(stop_sentence(&stop, budget));
        }
        finish_from_log(&recorder, &mut out);
        out.finished_at = Utc::now();
        out
    }

    async fn snap_steps(
        &self,
        recorder: &Arc<Recorder>,
        settle: Instant,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let page = &recorder.page;
        let url = self
            .within(deadline, eval_string(page, "location.href"))
            .await?;
        out.requested_url = url;
        // The user has been looking at this page: a short settle is enough, and a page that
        // polls forever must not hold the snap for half the page time limit.
        let settle = settle.min(Instant::now() + SNAP_SETTLE);
        let before = self.scroll_pass(page, settle).await?;
        if !self.wait_idle(recorder, settle).await {
            note_busy(recorder, out);
        }
        let collected = self.collect(recorder, deadline, Mode::Snap, out).await;
        // Put the user's view back where it was.
        if let Some(before) = before {
            let x = before.get("x").and_then(Value::as_f64).unwrap_or(0.0);
            let y = before.get("y").and_then(Value::as_f64).unwrap_or(0.0);
            let _ = self
                .within(deadline, eval_value(page, format!("scrollTo({x}, {y})")))
                .await;
        }
        collected
    }

    /// The focused tab, else the only visible one, else the last one used, else the first.
    async fn current_tab(&self, deadline: Instant) -> Result<Option<Arc<Recorder>>, Stop> {
        let targets = self
            .within(
                deadline,
                self.inner.cdp.execute(GetTargetsParams::default()),
            )
            .await?;
        let tabs: Vec<String> = targets
            .result
            .target_infos
            .iter()
            .filter(|t| t.r#type == "page" && !t.url.starts_with("devtools://"))
            .map(|t| t.target_id.inner().clone())
            .collect();
        let mut focused = None;
        let mut visible = Vec::new();
        for tab in &tabs {
            let Ok(recorder) = self.recorder_for(tab, deadline).await else {
                continue;
            };
            let quick = Instant::now() + Duration::from_secs(1);
            if let Ok(state) = self
                .within(
                    quick.min(deadline),
                    eval_value(&recorder.page, FOCUS_JS.into()),
                )
                .await
            {
                if state.get("focus").and_then(Value::as_bool) == Some(true) && focused.is_none() {
                    focused = Some(recorder.clone());
                }
                if state.get("visible").and_then(Value::as_bool) == Some(true) {
                    visible.push(recorder.clone());
                }
            }
        }
        if focused.is_some() {
            return Ok(focused);
        }
        if visible.len() == 1 {
            return Ok(visible.pop());
        }
        let last = lock(&self.inner.last_used).clone();
        if let Some(last) = last.filter(|l| tabs.contains(l)) {
            return self.recorder_for(&last, deadline).await.map(Some);
        }
        match tabs.first() {
            Some(first) => self.recorder_for(first, deadline).await.map(Some),
            None => Ok(None),
        }
    }

    /// Start loading `url` in the tab; return once the main frame has committed to it.
    ///
    /// chromiumoxide answers `Page.navigate` only after the load event, and never when the
    /// navigation fails, so the command runs in a task and we watch the tab's own events: a
    /// page whose load event never fires must still be captured.
    pub(crate) async fn navigate(
        &self,
        recorder: &Arc<Recorder>,
        url: &str,
        until: Instant,
    ) -> Result<(), Stop> {
        if url::Url::parse(url).is_err() {
            return Err(Stop::Page(format!("\"{url}\" is not a web address")));
        }
        let begun = Instant::now();
        let page = recorder.page.clone();
        let address = url.to_string();
        let nav = tokio::spawn(async move {
            page.execute(NavigateParams::new(address))
                .await
                .map(|r| r.result.error_text.clone().filter(|e| !e.is_empty()))
        });
        let progressed = || {
            let log = recorder.log();
            !log.navigations.is_empty() || log.main_failure().is_some()
        };
        let waited = self
            .wait_until(recorder, until, || nav.is_finished() || progressed())
            .await;
        let outcome = match waited {
            Err(stop) => Err(stop),
            Ok(_) => {
                let log = recorder.log();
                if let Some(error) = log.main_failure() {
                    Err(Stop::Page(format!(
                        "the page could not be loaded ({error})"
                    )))
                } else if log
                    .navigations
                    .last()
                    .is_some_and(|u| u.starts_with("chrome-error://"))
                {
                    Err(Stop::Page("the page could not be loaded".to_string()))
                } else if !log.navigations.is_empty() {
                    Ok(true)
                } else {
                    Ok(false)
                }
            }
        };
        match outcome {
            Ok(true) => {
                nav.abort();
                Ok(())
            }
            Err(stop) => {
                nav.abort();
                Err(stop)
            }
            Ok(false) if nav.is_finished() => match nav.await {
                Ok(Ok(Some(error))) => Err(Stop::Page(format!(
                    "the page could not be loaded ({error})"
                ))),
                Ok(Ok(None)) => Ok(()),
                Ok(Err(e)) => Err(Stop::Failed(e.to_string())),
                Err(_) => Err(Stop::Page("the navigation was interrupted".to_string())),
            },
            Ok(false) => {
                nav.abort();
                Err(Stop::Page(format!(
                    "the page did not answer within {:.0} s",
                    begun.elapsed().as_secs_f64()
                )))
            }
        }
    }

    /// Navigate, wait for the load event and network idle, scroll for lazy content, settle.
    async fn load_and_settle(
        &self,
        recorder: &Arc<Recorder>,
        url: &str,
        settle: Instant,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let page = &recorder.page;
        let waited = |since: Instant| since.elapsed().as_secs_f64();
        let begun = Instant::now();
        let mut laps = Laps::new(url);
        self.navigate(recorder, url, settle).await?;
        laps.lap("navigate");
        let loaded = self
            .wait_until(recorder, settle, || recorder.log().loaded)
            .await?;
        laps.lap("load event");
        if !loaded {
            out.notes.push(format!(
                "the page's load event had not fired after {:.1} s; it was captured as it was",
                waited(begun)
            ));
        }
        // The scroll pass starts once the page has been quiet for a moment after its load
        // event (its load handlers have run and set up their lazy loading), and the quiet
        // period runs on while it scrolls: it still lasts its full length from the load
        // event and from the last request that can change the page. A page drawn taller
        // while it runs is scrolled again once its new height holds, and once more after
        // the quiet if it has grown since.
        let mut busy_noted = false;
        if !self.wait_quiet(recorder, settle, self.short_quiet()).await {
            note_busy(recorder, out);
            busy_noted = true;
        }
        laps.lap("quiet before scroll");
        let scrolled = self.scroll_pass(page, settle).await?;
        laps.lap("scroll pass");
        let (idle, scrolled) = self
            .quiet_scrolling(recorder, settle, scrolled, &mut laps)
            .await?;
        if !idle && !busy_noted {
            note_busy(recorder, out);
            busy_noted = true;
        }
        laps.lap("quiet after scroll");
        // A page drawn taller after its last scroll pass (by a timer or a late request) is
        // scrolled once more after the quiet, so that what it drew below the fold loads too.
        if self.grew_since(page, settle, scrolled.as_ref()).await {
            self.scroll_pass(page, settle).await?;
            if !self.wait_idle(recorder, settle).await && !busy_noted {
                note_busy(recorder, out);
            }
            laps.lap("second scroll pass");
        }
        let navigations = recorder.log().navigations.clone();
        if navigations.len() > 1
            && let Some(last) = navigations.last()
        {
            out.notes
                .push(format!("the page navigated away by script to {last}"));
        }
        Ok(())
    }

    /// Wait until `done` holds or `until` passes; `Ok(false)` on the latter.
    async fn wait_until(
        &self,
        recorder: &Recorder,
        until: Instant,
        done: impl Fn() -> bool,
    ) -> Result<bool, Stop> {
        loop {
            if !self.is_alive() {
                return Err(Stop::Dead);
            }
            if recorder.log().crashed {
                return Err(Stop::Page(CRASHED.to_string()));
            }
            if done() {
                return Ok(true);
            }
            if Instant::now() >= until {
                return Ok(false);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait for the page to be loaded with no request in flight for `network_idle`.
    /// `false` when `until` passed first (or the browser died: the next step reports that).
    ///
    /// The quiet period runs from the load event and from the last request that can run
    /// script or change the document; images, fonts and style sheets only need to have
    /// arrived, and a short [`PASSIVE_QUIET`] after them.
    async fn wait_idle(&self, recorder: &Recorder, until: Instant) -> bool {
        self.wait_quiet(recorder, until, self.inner.opts.network_idle)
            .await
    }

    /// The quiet a page needs before its scroll pass, and after the images it loads.
    fn short_quiet(&self) -> Duration {
        self.inner.opts.network_idle.min(PASSIVE_QUIET)
    }

    /// [`Self::wait_idle`] with a quiet period of `quiet`.
    async fn wait_quiet(&self, recorder: &Recorder, until: Instant, quiet: Duration) -> bool {
        self.wait_until(recorder, until, || self.is_quiet(recorder, quiet))
            .await
            .unwrap_or(false)
    }

    /// Whether the page is loaded, nothing is in flight, nothing that can change the page
    /// has run for `quiet`, and nothing at all for [`Self::short_quiet`].
    fn is_quiet(&self, recorder: &Recorder, quiet: Duration) -> bool {
        let log = recorder.log();
        log.loaded
            && log.inflight.is_empty()
            && log.last_active.elapsed() >= quiet
            && log.last_activity.elapsed() >= self.short_quiet()
    }

    /// [`Self::wait_idle`], scrolling the page again as soon as it is drawn taller than the
    /// scroll pass that returned `scrolled` saw it and its height has then held for
    /// [`GROWN_STILL`]: the quiet period still runs its full length, but a page drawn by a
    /// timer during it has its new content scrolled through while it runs rather than after.
    /// At most [`EARLY_PASSES`] such passes. Gives whether the page went quiet before
    /// `until` (`false` too when its renderer crashed: the next step reports that) and
    /// what the last pass returned; `Err` only when the browser died.
    async fn quiet_scrolling(
        &self,
        recorder: &Recorder,
        until: Instant,
        mut scrolled: Option<Value>,
        laps: &mut Laps<'_>,
    ) -> Result<(bool, Option<Value>), Stop> {
        let page = &recorder.page;
        let idle = || self.is_quiet(recorder, self.inner.opts.network_idle);
        let mut passes = 0;
        // The last height read, and since when it has been that.
        let mut held: Option<(f64, Instant)> = None;
        loop {
            match self
                .wait_until(recorder, until.min(Instant::now() + POLL), idle)
                .await
            {
                Err(Stop::Dead) => return Err(Stop::Dead),
                // The renderer crashed: the next step reports that.
                Err(_) => return Ok((false, scrolled)),
                Ok(true) => return Ok((true, scrolled)),
                Ok(false) if Instant::now() >= until => return Ok((false, scrolled)),
                Ok(false) => {}
            }
            if passes >= EARLY_PASSES {
                continue;
            }
            let Some(seen) = pass_height(scrolled.as_ref()) else {
                continue;
            };
            // A page whose script holds its main thread does not answer at once; the quiet
            // is still watched meanwhile, so one read waits a few polls at most.
            let Some(now) = self
                .page_height(page, until.min(Instant::now() + POLL * 4))
                .await
            else {
                continue;
            };
            let since = match held {
                Some((h, since)) if h == now => since,
                _ => Instant::now(),
            };
            held = Some((now, since));
            if now > seen && since.elapsed() >= GROWN_STILL {
                laps.lap("quiet until the page grew");
                if let Some(pass) = self.scroll_pass(page, until).await? {
                    scrolled = Some(pass);
                }
                laps.lap("scroll pass during the quiet");
                passes += 1;
                held = None;
            }
        }
    }

    /// The page's height in CSS pixels (up to the screenshot cap), read by `by`.
    async fn page_height(&self, page: &Page, by: Instant) -> Option<f64> {
        let js = height_js(self.inner.opts.max_screenshot_height);
        self.within(by, eval_value(page, js)).await.ok()?.as_f64()
    }

    /// Whether the page is now taller (up to the screenshot cap) than the scroll pass that
    /// returned `scrolled` saw it; `false` when either is unknown.
    async fn grew_since(&self, page: &Page, settle: Instant, scrolled: Option<&Value>) -> bool {
        let Some(seen) = pass_height(scrolled) else {
            return false;
        };
        if settle.saturating_duration_since(Instant::now()) < Duration::from_millis(200) {
            return false;
        }
        self.page_height(page, settle)
            .await
            .is_some_and(|now| now > seen)
    }

    /// One scroll pass over the page (up to the screenshot cap); `None` if there was no time.
    async fn scroll_pass(&self, page: &Page, settle: Instant) -> Result<Option<Value>, Stop> {
        let left = settle.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(200) {
            return Ok(None);
        }
        let budget = left.mul_f64(0.8).min(Duration::from_secs(15));
        let js = scroll_js(self.inner.opts.max_screenshot_height, budget);
        match self.within(settle, eval_value(page, js)).await {
            Ok(v) => Ok(Some(v)),
            Err(Stop::Timeout) | Err(Stop::Failed(_)) | Err(Stop::Page(_)) => Ok(None),
            Err(Stop::Dead) => Err(Stop::Dead),
        }
    }

    /// Take every fact and artifact of the settled page, one step after another: the
    /// page's facts, the main document's response and raw body, the DOM, the main image,
    /// the text, the MHTML, the screenshot, the PDF and the TLS certificate.
    ///
    /// Every step is bounded by `deadline`. A step that fails leaves a note and the next one
    /// runs; a timeout or a dead browser ends the collection. Without a screenshot or a DOM
    /// the capture carries an error.
    async fn collect(
        &self,
        recorder: &Arc<Recorder>,
        deadline: Instant,
        mode: Mode,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let page = &recorder.page;
        if recorder.log().crashed {
            return Err(Stop::Page(CRASHED.to_string()));
        }
        let url = out.requested_url.clone();
        let mut laps = Laps::new(&url);

        self.read_page_facts(page, deadline, out).await?;
        laps.lap("page facts");
        let main = self.wait_for_main_response(recorder, deadline, out).await;
        laps.lap("main response");
        let body = match &main {
            Some(entry) => {
                self.record_main_response(page, entry, deadline, out)
                    .await?
            }
            None => {
                self.fall_back_to_navigation_timing(page, deadline, mode, out)
                    .await;
                None
            }
        };
        laps.lap("raw body");
        self.take_dom(page, deadline, out).await?;
        laps.lap("dom");
        self.take_main_image(recorder, deadline, out).await?;
        laps.lap("main image");
        self.take_text(page, deadline, out).await?;
        laps.lap("text");

        // The MHTML first, on its own: serialising the page while Chromium draws it
        // beyond the viewport for the screenshot can leave the screenshot waiting for
        // a frame that never comes.
        self.take_mhtml(page, deadline, &mut laps, out).await?;
        // The screenshot, then the PDF: asked for at once, the two drew the page twice
        // over in the renderer (and a full-page screenshot's raster is width × height ×
        // 4 bytes), which pushed the batch's peak memory over its bound.
        self.take_screenshot(page, deadline, &mut laps, out).await?;
        self.stop_open_requests(recorder, deadline, out).await;
        self.take_pdf(page, deadline, &mut laps, out).await?;
        self.take_certificate(page, deadline, out).await?;
        laps.lap("certificate");

        // The raw body joins the artifacts last, after everything taken from the page.
        if let Some(body) = body {
            out.artifacts.push(body);
        }
        require_essentials(out);
        Ok(())
    }

    /// The browser as the page sees it (user agent, language, time zone, viewport, pixel
    /// ratio) into `out.browser`, and the URL on screen as the final URL.
    async fn read_page_facts(
        &self,
        page: &Page,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let Some(facts) = soft(
            self.within(deadline, eval_value(page, FACTS_JS.into()))
                .await,
            "the page facts",
            out,
        )?
        else {
            return Ok(());
        };
        let text = |k: &str| facts.get(k).and_then(Value::as_str).map(str::to_string);
        let number = |k: &str| facts.get(k).and_then(Value::as_f64);
        if let Some(ua) = text("ua") {
            out.browser.user_agent = ua;
        }
        if let Some(lang) = text("lang") {
            out.browser.locale = lang;
        }
        if let Some(tz) = text("tz") {
            out.browser.timezone = tz;
        }
        if let (Some(w), Some(h)) = (number("w"), number("h")) {
            out.browser.viewport = (w as u32, h as u32);
        }
        if let Some(dpr) = number("dpr") {
            out.browser.device_scale = dpr;
        }
        out.final_url = text("url");
        Ok(())
    }

    /// The main document as the network saw it, with its redirects put in `out`; `None`
    /// when the log holds no main document.
    ///
    /// Each DevTools event type arrives on its own stream, so the response of a document
    /// reached by a script redirect can land a moment after the page shows it: this waits
    /// up to [`MAIN_RESPONSE_WAIT`] for the one on screen.
    async fn wait_for_main_response(
        &self,
        recorder: &Recorder,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Option<NetEntry> {
        if let Some(shown) = out.final_url.clone() {
            let arrived = || {
                recorder
                    .log()
                    .main_document()
                    .is_some_and(|e| same_document(&e.sent.request.url, &shown))
            };
            let _ = self
                .wait_until(
                    recorder,
                    deadline.min(Instant::now() + MAIN_RESPONSE_WAIT),
                    arrived,
                )
                .await;
        }
        let (main, hops) = {
            let log = recorder.log();
            let hops: Vec<Redirect> = log
                .main_redirects()
                .into_iter()
                .map(|hop| Redirect {
                    url: hop.response.url.clone(),
                    status: u16::try_from(hop.response.status).unwrap_or(0),
                    location: header_value(hop.response.headers.inner(), "location")
                        .unwrap_or_default(),
                })
                .collect();
            (log.main_document().cloned(), hops)
        };
        out.redirects = hops;
        main
    }

    /// The main document's status, protocol, remote address and headers into `out`, and
    /// its raw body as an artifact still to be added (`None` if there is none to add).
    async fn record_main_response(
        &self,
        page: &Page,
        entry: &NetEntry,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<Option<NewArtifact>, Stop> {
        let Some(resp) = &entry.response else {
            return Ok(None);
        };
        let r = &resp.response;
        out.http_status = u16::try_from(r.status).ok();
        out.http_version = http_version(r.protocol.as_deref());
        out.remote_addr = remote_addr(r.remote_ip_address.as_deref(), r.remote_port);
        out.headers = main_headers(entry);
        let media_type = if r.mime_type.is_empty() {
            "application/octet-stream".to_string()
        } else {
            r.mime_type.clone()
        };
        self.fetch_raw_body(page, entry, media_type, deadline, out)
            .await
    }

    /// The main document's body exactly as received, from the browser's copy; a body the
    /// browser no longer holds, or sends in broken base64, is a note.
    async fn fetch_raw_body(
        &self,
        page: &Page,
        entry: &NetEntry,
        media_type: String,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<Option<NewArtifact>, Stop> {
        let fetched = self
            .within(
                deadline,
                page.execute(GetResponseBodyParams::new(entry.request_id.clone())),
            )
            .await;
        let Some(resp) = soft(fetched, "the raw response body", out)? else {
            return Ok(None);
        };
        let bytes = if resp.result.base64_encoded {
            base64::engine::general_purpose::STANDARD
                .decode(resp.result.body.as_bytes())
                .map_err(|e| format!("the raw body was not valid base64: {e}"))
        } else {
            Ok(resp.result.body.clone().into_bytes())
        };
        match bytes {
            Ok(bytes) => Ok(Some(NewArtifact::new(
                artifact_kind::BODY,
                media_type,
                bytes,
            ))),
            Err(e) => {
                out.notes.push(e);
                Ok(None)
            }
        }
    }

    /// No response of the main document was seen: say so in a note, and take the status
    /// and protocol from the page's own Navigation Timing if the page gives them.
    async fn fall_back_to_navigation_timing(
        &self,
        page: &Page,
        deadline: Instant,
        mode: Mode,
        out: &mut BrowserCapture,
    ) {
        out.notes.push(if mode == Mode::Snap {
            "the tab was loaded before Exhibit watched it: its response headers, remote address, redirects and raw body are not available"
                .to_string()
        } else {
            // Rare, under load: the DevTools events of the main document were not
            // seen. The page's own Navigation Timing still gives its status.
            "the browser did not report the page's own response to Exhibit: its response headers, remote address, redirects and raw body are not available; the status is the browser's Navigation Timing"
                .to_string()
        });
        if let Ok(nav) = self
            .within(deadline, eval_value(page, NAVIGATION_JS.into()))
            .await
        {
            out.http_status = nav
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| *s != 0);
            out.http_version = http_version(nav.get("protocol").and_then(Value::as_str));
        }
    }

    /// The rendered DOM as an artifact, also kept in `out.rendered_html` for the main
    /// image's picker.
    async fn take_dom(
        &self,
        page: &Page,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        if let Some(dom) = soft(
            self.within(deadline, eval_string(page, DOM_JS)).await,
            "the rendered DOM",
            out,
        )? {
            out.artifacts.push(NewArtifact::new(
                artifact_kind::DOM,
                "text/html",
                dom.clone().into_bytes(),
            ));
            out.rendered_html = Some(dom);
        }
        Ok(())
    }

    /// The page's visible text as an artifact.
    async fn take_text(
        &self,
        page: &Page,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        if let Some(text) = soft(
            self.within(deadline, eval_string(page, TEXT_JS)).await,
            "the visible text",
            out,
        )? {
            out.artifacts.push(NewArtifact::new(
                artifact_kind::TEXT,
                "text/plain",
                text.into_bytes(),
            ));
        }
        Ok(())
    }

    /// The page as Chromium saves it, MHTML, as an artifact.
    async fn take_mhtml(
        &self,
        page: &Page,
        deadline: Instant,
        laps: &mut Laps<'_>,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let mhtml = CaptureSnapshotParams {
            format: Some(CaptureSnapshotFormat::Mhtml),
        };
        let snapshot = self.within(deadline, page.execute(mhtml)).await;
        laps.lap("mhtml");
        if let Some(snapshot) = soft(snapshot, "the MHTML snapshot", out)? {
            out.artifacts.push(NewArtifact::new(
                artifact_kind::MHTML,
                "multipart/related",
                snapshot.result.data.clone().into_bytes(),
            ));
        }
        Ok(())
    }

    /// The full-page screenshot as an artifact, with a note when it was cut at the height cap.
    async fn take_screenshot(
        &self,
        page: &Page,
        deadline: Instant,
        laps: &mut Laps<'_>,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let shot = self.screenshot_asked_twice(page, deadline).await;
        laps.lap("screenshot");
        if let Some((png, cut)) = soft(shot, "the screenshot", out)? {
            if let Some((full, taken)) = cut {
                out.screenshot_cut = Some((full, taken));
                out.notes.push(format!(
                    "the page is {full} px tall; the screenshot shows its top {taken} px"
                ));
            }
            out.artifacts.push(NewArtifact::new(
                artifact_kind::SCREENSHOT,
                "image/png",
                png,
            ));
        }
        Ok(())
    }

    /// [`Browser::screenshot`] within `deadline`. A screenshot Chromium refused (seen once
    /// under load) is asked for once more, after bringing the tab to the front: the
    /// screenshot is what the capture is for.
    async fn screenshot_asked_twice(
        &self,
        page: &Page,
        deadline: Instant,
    ) -> Result<(Vec<u8>, Option<(u32, u32)>), Stop> {
        match self.within(deadline, self.screenshot(page)).await {
            Err(Stop::Failed(first)) | Err(Stop::Page(first)) => {
                tracing::debug!(target: "exhibit::timing", "screenshot refused ({first}); asking again");
                let _ = self
                    .within(deadline, page.execute(BringToFrontParams::default()))
                    .await;
                match self.within(deadline, self.screenshot(page)).await {
                    Err(Stop::Failed(second)) | Err(Stop::Page(second)) => {
                        Err(Stop::Failed(format!("{first}; asked again: {second}")))
                    }
                    other => other,
                }
            }
            other => other,
        }
    }

    /// Stop whatever the page is still loading, with a note saying how many requests that was.
    ///
    /// Chromium prints only once every request of the page has ended, and trackers that
    /// never answer would hold the PDF until the time limit: the screenshot, DOM and MHTML
    /// are taken by now, so what is still loading is stopped.
    async fn stop_open_requests(
        &self,
        recorder: &Recorder,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) {
        let open = {
            let mut log = recorder.log();
            let open: Vec<String> = log.inflight.iter().cloned().collect();
            log.stopped.extend(open);
            log.stopped.len()
        };
        if open > 0 {
            let _ = self
                .within(
                    deadline,
                    recorder.page.execute(StopLoadingParams::default()),
                )
                .await;
            out.notes.push(format!(
                "{open} request(s) still open were stopped before the page was printed to PDF"
            ));
        }
    }

    /// The page printed to A4 PDF, backgrounds on, as an artifact; see [`Browser::print`]
    /// for its time limits (a PDF that does not come in time is a note).
    async fn take_pdf(
        &self,
        page: &Page,
        deadline: Instant,
        laps: &mut Laps<'_>,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let pdf = PrintToPdfParams {
            print_background: Some(true),
            paper_width: Some(A4_INCHES.0),
            paper_height: Some(A4_INCHES.1),
            ..Default::default()
        };
        let printed = self.print(page, pdf, deadline, Instant::now()).await;
        laps.lap("pdf");
        if let Some(pdf) = soft(printed, "the PDF", out)? {
            out.artifacts.push(pdf);
        }
        Ok(())
    }

    /// The TLS certificate chain of an HTTPS page's origin, leaf first. The page is taken
    /// by now: a certificate that does not come before `deadline` is a note, not a failure.
    async fn take_certificate(
        &self,
        page: &Page,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let Some(origin) = out.final_url.as_deref().and_then(origin_of) else {
            return Ok(());
        };
        let asked = match self
            .within(deadline, page.execute(GetCertificateParams::new(origin)))
            .await
        {
            Err(Stop::Timeout) => Err(Stop::Failed("the browser did not answer".into())),
            other => other,
        };
        let Some(cert) = soft(asked, "the TLS certificate", out)? else {
            return Ok(());
        };
        out.tls_certificate_chain_der = cert
            .result
            .table_names
            .iter()
            .filter_map(|b64| {
                base64::engine::general_purpose::STANDARD
                    .decode(b64.as_bytes())
                    .ok()
            })
            .collect();
        out.tls_certificate_der = out.tls_certificate_chain_der.first().cloned();
        Ok(())
    }

    /// Ask the picker which picture is the page's main image, and take its bytes from the
    /// tab's own response while the tab is still open.
    async fn take_main_image(
        &self,
        recorder: &Arc<Recorder>,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<(), Stop> {
        let Some(url) = self.pick_main_image(deadline, out).await? else {
            return Ok(());
        };
        let entry = match wait_for_main_image(recorder, &url, deadline).await {
            Ok(e) => e,
            Err(why) => {
                out.main_image = Some(MainImage {
                    url,
                    response: None,
                    missing: Some(why.to_string()),
                });
                return Ok(());
            }
        };
        let Some(resp) = entry.response.as_ref().map(|r| &r.response) else {
            return Ok(());
        };
        let bytes = self.main_image_body(recorder, &entry, deadline).await?;
        out.main_image = Some(main_image(url, resp, bytes));
        Ok(())
    }

    /// The URL of the page's main image, as the picker of the options names it in the
    /// rendered DOM; `None` without a picker, a DOM or a URL, or when it names none.
    async fn pick_main_image(
        &self,
        deadline: Instant,
        out: &mut BrowserCapture,
    ) -> Result<Option<String>, Stop> {
        let (Some(picker), Some(dom), Some(page_url)) = (
            self.inner.opts.main_image.clone(),
            out.rendered_html.clone(),
            out.final_url.clone(),
        ) else {
            return Ok(None);
        };
        // Reading a large DOM is work for a blocking thread, not the DevTools one.
        let picked = self
            .within(
                deadline,
                tokio::task::spawn_blocking(move || (picker.0)(&dom, &page_url)),
            )
            .await;
        Ok(soft(picked, "the main image", out)?.flatten())
    }

    /// The main image's body as the browser holds it, or why it cannot be had.
    async fn main_image_body(
        &self,
        recorder: &Recorder,
        entry: &NetEntry,
        deadline: Instant,
    ) -> Result<Result<Vec<u8>, String>, Stop> {
        let body = self
            .within(
                deadline,
                recorder
                    .page
                    .execute(GetResponseBodyParams::new(entry.request_id.clone())),
            )
            .await;
        Ok(match body {
            Ok(b) if b.result.base64_encoded => base64::engine::general_purpose::STANDARD
                .decode(b.result.body.as_bytes())
                .map_err(|e| format!("the browser's copy was not valid base64 ({e})")),
            Ok(b) => Ok(b.result.body.clone().into_bytes()),
            Err(Stop::Failed(e)) | Err(Stop::Page(e)) => {
                Err(format!("the browser no longer held its body ({e})"))
            }
            Err(stop) => return Err(stop),
        })
    }

    /// The page printed to PDF, within [`PDF_LIMIT`] of `begun` and [`AFTER_PDF`] before the
    /// deadline. Printing waits for requests that stopping the page cannot end (a name the
    /// network is still resolving, say), so a PDF that does not come is a note: the capture
    /// keeps its screenshot, DOM and MHTML, already taken, instead of failing at the limit.
    async fn print(
        &self,
        page: &Page,
        params: PrintToPdfParams,
        deadline: Instant,
        begun: Instant,
    ) -> Result<NewArtifact, Stop> {
        let limit = (begun + PDF_LIMIT).min(deadline.checked_sub(AFTER_PDF).unwrap_or(begun));
        if limit <= begun {
            return Err(Stop::Failed(
                "no time was left within the page time limit to print it".into(),
            ));
        }
        let printed = match self.within(limit, page.execute(params)).await {
            Err(Stop::Timeout) => Err(Stop::Failed(format!(
                "printing did not finish within {:.0} s (the page never finished loading)",
                limit.saturating_duration_since(begun).as_secs_f64()
            ))),
            other => other,
        }?;
        base64::engine::general_purpose::STANDARD
            .decode(AsRef::<str>::as_ref(&printed.result.data))
            .map(|bytes| NewArtifact::new(artifact_kind::PDF, "application/pdf", bytes))
            .map_err(|e| Stop::Failed(format!("Chromium sent it in broken base64 ({e})")))
    }

    /// A full-page PNG of the page, cut at the height cap: `(png, Some((full, taken)))` if cut.
    async fn screenshot(&self, page: &Page) -> Result<(Vec<u8>, Option<(u32, u32)>), String> {
        let metrics = page
            .execute(GetLayoutMetricsParams::default())
            .await
            .map_err(|e| e.to_string())?;
        let width = metrics.result.css_layout_viewport.client_width.max(1) as f64;
        let full = metrics.result.css_content_size.height.ceil().max(1.0) as u32;
        let taken = full.min(self.inner.opts.max_screenshot_height.max(1));
        let params = CaptureScreenshotParams {
            format: Some(CaptureScreenshotFormat::Png),
            clip: Some(Viewport {
                x: 0.0,
                y: 0.0,
                width,
                height: f64::from(taken),
                scale: 1.0,
            }),
            from_surface: Some(true),
            capture_beyond_viewport: Some(true),
            // Still lossless: a lighter deflate, not fewer pixels. The PNG comes out a
            // little larger and is encoded several times faster.
            optimize_for_speed: Some(true),
            ..Default::default()
        };
        let shot = page.execute(params).await.map_err(|e| e.to_string())?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(AsRef::<str>::as_ref(&shot.result.data))
            .map_err(|e| format!("the screenshot was not base64: {e}"))?;
        Ok((png, (taken < full).then_some((full, taken))))
    }
}

/// An error when the screenshot or the DOM is missing (and no error was set before): the
/// capture is not usable without them. The browser's own reason, from the note the step left,
/// says what to try.
fn require_essentials(out: &mut BrowserCapture) {
    for essential in [artifact_kind::SCREENSHOT, artifact_kind::DOM] {
        if out.artifact(essential).is_none() && out.error.is_none() {
            let why = out
                .notes
                .iter()
                .find_map(|n| n.strip_prefix(&format!("the {essential} could not be taken: ")))
                .map(|w| format!(" (the browser said: {w})"))
                .unwrap_or_default();
            out.error = Some(format!(
                "The {essential} could not be taken{why}; capture the page again."
            ));
        }
    }
}

fn note_busy(recorder: &Recorder, out: &mut BrowserCapture) {
    let log = recorder.log();
    let open = log.inflight_urls(3);
    if open.is_empty() {
        out.notes.push(
            "the page had not finished loading when it was captured; it was captured as it was"
                .to_string(),
        );
    } else {
        out.notes.push(format!(
            "{} request(s) were still open when the page was captured, such as {}",
            log.inflight.len(),
            open.join(", ")
        ));
    }
}

/// Add what the tab's recorder saw: its notes (dialogs, pop-ups) and the network log.
fn finish_from_log(recorder: &Recorder, out: &mut BrowserCapture) {
    let (json, dropped, notes) = {
        let log = recorder.log();
        (log.network_json(), log.dropped_entries, log.notes.clone())
    };
    out.notes.extend(notes);
    if dropped > 0 {
        out.notes.push(format!(
            "the network log holds the first requests only; {dropped} later ones were not logged"
        ));
    }
    match serde_json::to_vec_pretty(&json) {
        Ok(bytes) => out.artifacts.push(NewArtifact::new(
            artifact_kind::NETWORK,
            "application/json",
            bytes,
        )),
        Err(e) => out
            .notes
            .push(format!("the network log could not be written: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_are_spelled_as_in_http_mode() {
        assert_eq!(http_version(Some("http/1.1")).as_deref(), Some("HTTP/1.1"));
        assert_eq!(http_version(Some("h2")).as_deref(), Some("HTTP/2.0"));
        assert_eq!(http_version(Some("")), None);
    }

    #[test]
    fn remote_addresses_bracket_ipv6() {
        assert_eq!(
            remote_addr(Some("::1"), Some(8080)).as_deref(),
            Some("[::1]:8080")
        );
        assert_eq!(
            remote_addr(Some("127.0.0.1"), Some(80)).as_deref(),
            Some("127.0.0.1:80")
        );
        assert_eq!(remote_addr(Some(""), Some(80)), None);
    }

    #[test]
    fn only_https_pages_have_a_certificate_origin() {
        assert_eq!(
            origin_of("https://shop.test:8443/item?id=1").as_deref(),
            Some("https://shop.test:8443")
        );
        assert_eq!(origin_of("http://shop.test/"), None);
    }
}
