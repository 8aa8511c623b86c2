//! Watching one tab: every request and response, load events, navigations, dialogs.
//!
//! A [`Recorder`] subscribes to a tab's DevTools events and keeps what the capture needs:
//! the network log, the main document's response and redirect chain, whether the page has
//! loaded and when the network was last busy. It also dismisses JavaScript dialogs on tabs
//! that Exhibit drives, so that a page calling `alert()` cannot stall a capture.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::inspector::EventTargetCrashed;
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent,
    EventRequestWillBeSentExtraInfo, EventResponseReceived, EventResponseReceivedExtraInfo,
    Headers, ResourceType, Response,
};
use chromiumoxide::cdp::browser_protocol::page::{
    DialogType, EventFrameNavigated, EventJavascriptDialogOpening, EventLoadEventFired,
    EventWindowOpen, HandleJavaScriptDialogParams,
};
use chromiumoxide::error::CdpError;
use futures_util::stream::{BoxStream, StreamExt, select_all};
use serde_json::{Map, Value, json};

/// Entries kept per document; a page that polls forever must not grow without bound.
const MAX_ENTRIES: usize = 5_000;

/// What was heard of a request before the request itself (see [`PageLog::early`]).
#[derive(Debug, Default)]
struct Early {
    req_extra: Vec<Arc<EventRequestWillBeSentExtraInfo>>,
    resp_extra: Vec<Arc<EventResponseReceivedExtraInfo>>,
    response: Option<Arc<EventResponseReceived>>,
    finished: Option<Arc<EventLoadingFinished>>,
    failed: Option<Arc<EventLoadingFailed>>,
}

enum Ev {
    Sent(Arc<EventRequestWillBeSent>),
    SentExtra(Arc<EventRequestWillBeSentExtraInfo>),
    Resp(Arc<EventResponseReceived>),
    RespExtra(Arc<EventResponseReceivedExtraInfo>),
    Finished(Arc<EventLoadingFinished>),
    Failed(Arc<EventLoadingFailed>),
    Load,
    Navigated(Arc<EventFrameNavigated>),
    Dialog(Arc<EventJavascriptDialogOpening>),
    WindowOpen(Arc<EventWindowOpen>),
    Crashed,
}

/// One redirect hop: the request that was redirected and the redirect response.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    pub request: Arc<EventRequestWillBeSent>,
    pub response: Response,
}

/// One request of the page, followed through its redirects.
#[derive(Debug, Clone)]
pub(crate) struct NetEntry {
    pub request_id: String,
    /// The latest `requestWillBeSent` (after the last redirect).
    pub sent: Arc<EventRequestWillBeSent>,
    pub hops: Vec<Hop>,
    pub req_extra: Vec<Arc<EventRequestWillBeSentExtraInfo>>,
    pub resp_extra: Vec<Arc<EventResponseReceivedExtraInfo>>,
    pub response: Option<Arc<EventResponseReceived>>,
    pub finished: Option<Arc<EventLoadingFinished>>,
    pub failed: Option<Arc<EventLoadingFailed>>,
    pub main_document: bool,
}

/// What a tab has done since it was last reset.
#[derive(Debug)]
pub(crate) struct PageLog {
    main_frame: String,
    /// Set on tabs Exhibit opened itself: keep every document, dismiss dialogs, close pop-ups.
    pub driven: bool,
    /// Dismiss dialogs even on tabs the user drives (headless browsers have no user).
    pub dismiss_dialogs: bool,
    pub entries: Vec<NetEntry>,
    index: HashMap<String, usize>,
    /// What is heard of a request before the request itself: its extra headers, its
    /// response, its end or failure. Each kind of event comes on its own stream, and the
    /// streams are merged in no fixed order, so `responseReceived` can be read before
    /// `requestWillBeSent`; it is kept here until the request is heard, not dropped.
    early: HashMap<String, Early>,
    pub inflight: HashSet<String>,
    /// Requests still open when Exhibit stopped the page's loading before printing it:
    /// the log says they never finished, not that they failed.
    pub stopped: HashSet<String>,
    pub last_activity: Instant,
    /// The last load event, or event of a request that can run script or change the
    /// document (anything but images, media, fonts, style sheets, pings): what a
    /// script-drawn page does after load shows here first.
    pub last_active: Instant,
    /// Set when a warm tab is handed to a new capture: requests are ignored until the
    /// new main document is requested, and so are those of documents that went before.
    awaiting_document: bool,
    retired_loaders: HashSet<String>,
    /// The main frame's load event has fired since its last document request began.
    pub loaded: bool,
    /// Main-frame URLs committed, in order.
    pub navigations: Vec<String>,
    pub notes: Vec<String>,
    pub dropped_entries: usize,
    /// The tab's renderer crashed: nothing more will come from it.
    pub crashed: bool,
}

impl PageLog {
    fn new(main_frame: String, driven: bool, dismiss_dialogs: bool) -> Self {
        PageLog {
            main_frame,
            driven,
            dismiss_dialogs,
            entries: Vec::new(),
            index: HashMap::new(),
            early: HashMap::new(),
            inflight: HashSet::new(),
            stopped: HashSet::new(),
            last_activity: Instant::now(),
            last_active: Instant::now(),
            awaiting_document: false,
            retired_loaders: HashSet::new(),
            // A tab we did not open was most likely loaded before we watched it.
            loaded: !driven,
            navigations: Vec::new(),
            notes: Vec::new(),
            dropped_entries: 0,
            crashed: false,
        }
    }

    fn on_sent(&mut self, ev: Arc<EventRequestWillBeSent>) {
        let id = ev.request_id.inner().clone();
        if self.retired_loaders.contains(ev.loader_id.inner()) {
            self.early.remove(&id);
            return;
        }
        self.last_activity = Instant::now();
        if !passive(ev.r#type.as_ref()) {
            self.last_active = self.last_activity;
        }
        if let (Some(redirect), Some(&i)) = (ev.redirect_response.as_ref(), self.index.get(&id))
            && let Some(entry) = self.entries.get_mut(i)
        {
            let previous = std::mem::replace(&mut entry.sent, ev.clone());
            entry.hops.push(Hop {
                request: previous,
                response: redirect.clone(),
            });
            return;
        }
        let main_document = matches!(ev.r#type, Some(ResourceType::Document))
            && ev.frame_id.as_ref().map(|f| f.inner().as_str()) == Some(self.main_frame.as_str());
        if self.awaiting_document && !main_document {
            self.early.remove(&id);
            return;
        }
        self.awaiting_document = false;
        if main_document {
            self.loaded = false;
            if !self.driven {
                // A tab the user drives keeps only the current document's log.
                self.entries.clear();
                self.index.clear();
                self.inflight.clear();
                self.notes.clear();
                self.dropped_entries = 0;
            }
        }
        if self.entries.len() >= MAX_ENTRIES {
            self.dropped_entries += 1;
            self.early.remove(&id);
            return;
        }
        let early = self.early.remove(&id).unwrap_or_default();
        let ended = early.finished.is_some() || early.failed.is_some();
        let entry = NetEntry {
            request_id: id.clone(),
            sent: ev,
            hops: Vec::new(),
            req_extra: early.req_extra,
            resp_extra: early.resp_extra,
            response: early.response,
            finished: early.finished,
            failed: early.failed,
            main_document,
        };
        self.index.insert(id.clone(), self.entries.len());
        self.entries.push(entry);
        if !ended {
            self.inflight.insert(id);
        }
    }

    /// Where to keep what is heard of a request not heard of yet; `None` once as many
    /// requests wait as the log holds entries, so events for requests the log will never
    /// take (an old page's, say) cannot pile up without bound.
    fn early_mut(&mut self, id: String) -> Option<&mut Early> {
        if self.early.len() >= MAX_ENTRIES && !self.early.contains_key(&id) {
            return None;
        }
        Some(self.early.entry(id).or_default())
    }

    fn on_response(&mut self, ev: Arc<EventResponseReceived>) {
        let id = ev.request_id.inner().clone();
        if let Some(entry) = self.entry_mut(&id) {
            entry.response = Some(ev);
            self.touch(&id);
        } else if let Some(early) = self.early_mut(id) {
            early.response = Some(ev);
        }
    }

    fn on_finished(&mut self, ev: Arc<EventLoadingFinished>) {
        let id = ev.request_id.inner().clone();
        self.inflight.remove(&id);
        if let Some(entry) = self.entry_mut(&id) {
            entry.finished = Some(ev);
            self.touch(&id);
        } else if let Some(early) = self.early_mut(id) {
            early.finished = Some(ev);
        }
    }

    fn on_failed(&mut self, ev: Arc<EventLoadingFailed>) {
        let id = ev.request_id.inner().clone();
        self.inflight.remove(&id);
        if let Some(entry) = self.entry_mut(&id) {
            entry.failed = Some(ev);
            self.touch(&id);
        } else if let Some(early) = self.early_mut(id) {
            early.failed = Some(ev);
        }
    }

    fn entry_mut(&mut self, id: &str) -> Option<&mut NetEntry> {
        let i = *self.index.get(id)?;
        self.entries.get_mut(i)
    }

    /// A request of this page moved on (response, end, failure).
    fn touch(&mut self, id: &str) {
        let now = Instant::now();
        self.last_activity = now;
        let kind = self
            .index
            .get(id)
            .and_then(|&i| self.entries.get(i))
            .and_then(|e| e.sent.r#type.as_ref());
        if !passive(kind) {
            self.last_active = now;
        }
    }

    fn on_event(&mut self, ev: Ev, page: &Page) {
        match ev {
            Ev::Sent(ev) => self.on_sent(ev),
            Ev::SentExtra(ev) => {
                let id = ev.request_id.inner().clone();
                if let Some(entry) = self.entry_mut(&id) {
                    entry.req_extra.push(ev);
                } else if let Some(early) = self.early_mut(id) {
                    early.req_extra.push(ev);
                }
            }
            Ev::RespExtra(ev) => {
                let id = ev.request_id.inner().clone();
                if let Some(entry) = self.entry_mut(&id) {
                    entry.resp_extra.push(ev);
                } else if let Some(early) = self.early_mut(id) {
                    early.resp_extra.push(ev);
                }
            }
            Ev::Resp(ev) => self.on_response(ev),
            Ev::Finished(ev) => self.on_finished(ev),
            Ev::Failed(ev) => self.on_failed(ev),
            Ev::Load => {
                self.loaded = true;
                self.last_active = Instant::now();
            }
            Ev::Navigated(ev) => {
                if ev.frame.parent_id.is_none() {
                    let mut url = ev.frame.url.clone();
                    if let Some(fragment) = &ev.frame.url_fragment {
                        url.push_str(fragment);
                    }
                    self.navigations.push(url);
                }
            }
            Ev::Dialog(ev) => {
                let kind = dialog_name(&ev.r#type);
                if self.dismiss_dialogs || self.driven {
                    // Leaving the page is what unblocks a beforeunload dialog; every other
                    // dialog is cancelled.
                    let accept = matches!(ev.r#type, DialogType::Beforeunload);
                    self.notes.push(format!(
                        "{} {kind}() dialog was dismissed: \"{}\"",
                        if kind == "alert" { "an" } else { "a" },
                        ev.message
                    ));
                    let page = page.clone();
                    tokio::spawn(async move {
                        let _ = page
                            .execute(HandleJavaScriptDialogParams {
                                accept,
                                prompt_text: None,
                            })
                            .await;
                    });
                } else {
                    self.notes.push(format!(
                        "the page showed a {kind}() dialog: \"{}\"",
                        ev.message
                    ));
                }
            }
            Ev::Crashed => self.crashed = true,
            Ev::WindowOpen(ev) => {
                if self.driven || self.dismiss_dialogs {
                    self.notes.push(format!(
                        "the page opened a pop-up window ({}); it was closed",
                        if ev.url.is_empty() {
                            "about:blank"
                        } else {
                            &ev.url
                        }
                    ));
                }
            }
        }
    }

    /// The main document that answered last (the one on screen), if we saw it.
    pub fn main_document(&self) -> Option<&NetEntry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.main_document && e.response.is_some())
    }

    /// Why the last main document failed to load, if it did (`net::ERR_...`).
    pub fn main_failure(&self) -> Option<String> {
        let last = self.entries.iter().rev().find(|e| e.main_document)?;
        match (&last.response, &last.failed) {
            (None, Some(failed)) => Some(failed.error_text.clone()),
            _ => None,
        }
    }

    /// Every main-frame HTTP redirect hop, in order.
    pub fn main_redirects(&self) -> Vec<&Hop> {
        self.entries
            .iter()
            .filter(|e| e.main_document)
            .flat_map(|e| e.hops.iter())
            .collect()
    }

    /// URLs of requests still in flight, for a note.
    pub fn inflight_urls(&self, limit: usize) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| self.inflight.contains(&e.request_id))
            .take(limit)
            .map(|e| short_url(&e.sent.request.url))
            .collect()
    }

    /// The network log as a JSON array, one object per request.
    pub fn network_json(&self) -> Value {
        let origin = self
            .entries
            .first()
            .map(|e| (*e.sent.timestamp.inner(), *e.sent.wall_time.inner()));
        let entries: Vec<Value> = self
            .entries
            .iter()
            .map(|e| entry_json(e, origin, self.stopped.contains(&e.request_id)))
            .collect();
        Value::Array(entries)
    }
}

/// A URL short enough for a note: a `data:` URL by its media type only, any other cut
/// at 200 characters.
fn short_url(url: &str) -> String {
    const MAX: usize = 200;
    if let Some(rest) = url.strip_prefix("data:") {
        let kind = rest.split([',', ';']).next().unwrap_or_default();
        return format!(
            "a data: URL ({} characters) of {}",
            url.len(),
            if kind.is_empty() { "text/plain" } else { kind }
        );
    }
    match url.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &url[..cut]),
        None => url.to_string(),
    }
}

/// Requests whose answer no script waits on to draw the page: an image, a font or a
/// style sheet arriving changes pixels, not the document. A page that draws by script
/// after one arrives is rare; one that keeps fetching data is not.
fn passive(kind: Option<&ResourceType>) -> bool {
    matches!(
        kind,
        Some(
            ResourceType::Image
                | ResourceType::Media
                | ResourceType::Font
                | ResourceType::Stylesheet
                | ResourceType::Ping
                | ResourceType::TextTrack
        )
    )
}

fn dialog_name(kind: &DialogType) -> &'static str {
    match kind {
        DialogType::Alert => "alert",
        DialogType::Confirm => "confirm",
        DialogType::Prompt => "prompt",
        DialogType::Beforeunload => "beforeunload",
    }
}

/// A monotonic DevTools timestamp as RFC 3339 UTC, anchored on the first request's wall time.
fn wall(monotonic: f64, origin: Option<(f64, f64)>) -> Value {
    let Some((mono0, wall0)) = origin else {
        return Value::Null;
    };
    let secs = wall0 + (monotonic - mono0);
    let millis = (secs * 1000.0).round() as i64;
    match chrono::DateTime::from_timestamp_millis(millis) {
        Some(t) => Value::String(exhibit_domain::rfc3339_millis(&t)),
        None => Value::Null,
    }
}

fn headers_value(h: &Headers) -> Value {
    h.inner().clone()
}

fn response_json(r: &Response, with_security: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("status".into(), json!(r.status));
    m.insert("status_text".into(), json!(r.status_text));
    m.insert("mime_type".into(), json!(r.mime_type));
    m.insert("protocol".into(), json!(r.protocol));
    m.insert("remote_ip".into(), json!(r.remote_ip_address));
    m.insert("remote_port".into(), json!(r.remote_port));
    m.insert("response_headers".into(), headers_value(&r.headers));
    m.insert("from_disk_cache".into(), json!(r.from_disk_cache));
    m.insert("from_service_worker".into(), json!(r.from_service_worker));
    m.insert("connection_reused".into(), json!(r.connection_reused));
    m.insert(
        "timing".into(),
        r.timing
            .as_ref()
            .and_then(|t| serde_json::to_value(t).ok())
            .unwrap_or(Value::Null),
    );
    m.insert(
        "security_state".into(),
        serde_json::to_value(&r.security_state).unwrap_or(Value::Null),
    );
    if with_security {
        m.insert(
            "security_details".into(),
            r.security_details
                .as_ref()
                .and_then(|s| serde_json::to_value(s).ok())
                .unwrap_or(Value::Null),
        );
    }
    m
}

fn entry_json(e: &NetEntry, origin: Option<(f64, f64)>, stopped: bool) -> Value {
    let mut m = request_json(e, origin);
    insert_response(&mut m, e, origin);
    insert_end(&mut m, e, origin, stopped);
    Value::Object(m)
}

/// What the page asked for: the request, its redirects and the headers sent.
fn request_json(e: &NetEntry, origin: Option<(f64, f64)>) -> Map<String, Value> {
    let mut m = Map::new();
    let first = e.hops.first().map(|h| &h.request).unwrap_or(&e.sent);
    m.insert("request_id".into(), json!(e.request_id));
    m.insert("url".into(), json!(e.sent.request.url));
    m.insert("method".into(), json!(e.sent.request.method));
    m.insert(
        "resource_type".into(),
        e.sent
            .r#type
            .as_ref()
            .and_then(|t| serde_json::to_value(t).ok())
            .unwrap_or(Value::Null),
    );
    m.insert("main_document".into(), json!(e.main_document));
    m.insert(
        "frame_id".into(),
        json!(e.sent.frame_id.as_ref().map(|f| f.inner().clone())),
    );
    m.insert("started_at".into(), wall(*first.timestamp.inner(), origin));
    m.insert(
        "redirects".into(),
        Value::Array(
            e.hops
                .iter()
                .map(|h| hop_json(h, e.main_document, origin))
                .collect(),
        ),
    );
    m.insert(
        "request_headers".into(),
        headers_value(&e.sent.request.headers),
    );
    // What went on the wire, cookies included, when Chromium reports it.
    m.insert(
        "request_headers_sent".into(),
        e.req_extra
            .last()
            .map(|x| headers_value(&x.headers))
            .unwrap_or(Value::Null),
    );
    m
}

/// One redirect: the redirect response and the request it answered.
fn hop_json(h: &Hop, with_security: bool, origin: Option<(f64, f64)>) -> Value {
    let mut hop = response_json(&h.response, with_security);
    hop.insert("url".into(), json!(h.request.request.url));
    hop.insert("method".into(), json!(h.request.request.method));
    hop.insert(
        "request_headers".into(),
        headers_value(&h.request.request.headers),
    );
    hop.insert(
        "started_at".into(),
        wall(*h.request.timestamp.inner(), origin),
    );
    Value::Object(hop)
}

/// The response, and the raw headers as they came over the wire.
fn insert_response(m: &mut Map<String, Value>, e: &NetEntry, origin: Option<(f64, f64)>) {
    if let Some(resp) = &e.response {
        m.extend(response_json(&resp.response, e.main_document));
        m.insert("response_at".into(), wall(*resp.timestamp.inner(), origin));
    }
    if let Some(extra) = e.resp_extra.last() {
        m.insert("response_headers_raw".into(), headers_value(&extra.headers));
        m.insert("response_headers_text".into(), json!(extra.headers_text));
        // chromiumoxide delivers each event type on its own stream, so a late
        // responseReceived can still be in flight when the capture ends; the raw
        // response's status line already says what came back.
        if e.response.is_none() {
            m.insert("status".into(), json!(extra.status_code));
        }
    }
}

/// How the request ended: finished, failed, stopped by Exhibit, or not at all.
fn insert_end(m: &mut Map<String, Value>, e: &NetEntry, origin: Option<(f64, f64)>, stopped: bool) {
    if let Some(done) = &e.finished {
        m.insert("finished_at".into(), wall(*done.timestamp.inner(), origin));
        m.insert(
            "encoded_data_length".into(),
            json!(done.encoded_data_length),
        );
    }
    if let Some(failed) = &e.failed {
        m.insert(
            "finished_at".into(),
            wall(*failed.timestamp.inner(), origin),
        );
        m.insert("failed".into(), json!(failed.error_text));
        m.insert("canceled".into(), json!(failed.canceled));
        m.insert(
            "blocked_reason".into(),
            failed
                .blocked_reason
                .as_ref()
                .and_then(|b| serde_json::to_value(b).ok())
                .unwrap_or(Value::Null),
        );
    }
    if stopped {
        // Exhibit cancelled it; the cancellation is not the server's doing.
        m.insert("unfinished".into(), json!(true));
        m.insert("stopped_by_exhibit".into(), json!(true));
    } else if e.finished.is_none() && e.failed.is_none() {
        m.insert("unfinished".into(), json!(true));
    }
}

/// A tab under watch. Dropping it stops the watching.
#[derive(Debug)]
pub(crate) struct Recorder {
    pub page: Page,
    log: Arc<Mutex<PageLog>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Subscribe to the tab's events. Nothing the tab does after this returns is missed.
    pub async fn attach(
        page: Page,
        main_frame: String,
        driven: bool,
        dismiss_dialogs: bool,
    ) -> Result<Recorder, CdpError> {
        let streams: Vec<BoxStream<'static, Ev>> = vec![
            page.event_listener::<EventRequestWillBeSent>()
                .await?
                .map(Ev::Sent)
                .boxed(),
            page.event_listener::<EventRequestWillBeSentExtraInfo>()
                .await?
                .map(Ev::SentExtra)
                .boxed(),
            page.event_listener::<EventResponseReceived>()
                .await?
                .map(Ev::Resp)
                .boxed(),
            page.event_listener::<EventResponseReceivedExtraInfo>()
                .await?
                .map(Ev::RespExtra)
                .boxed(),
            page.event_listener::<EventLoadingFinished>()
                .await?
                .map(Ev::Finished)
                .boxed(),
            page.event_listener::<EventLoadingFailed>()
                .await?
                .map(Ev::Failed)
                .boxed(),
            page.event_listener::<EventLoadEventFired>()
                .await?
                .map(|_| Ev::Load)
                .boxed(),
            page.event_listener::<EventFrameNavigated>()
                .await?
                .map(Ev::Navigated)
                .boxed(),
            page.event_listener::<EventJavascriptDialogOpening>()
                .await?
                .map(Ev::Dialog)
                .boxed(),
            page.event_listener::<EventWindowOpen>()
                .await?
                .map(Ev::WindowOpen)
                .boxed(),
            page.event_listener::<EventTargetCrashed>()
                .await?
                .map(|_| Ev::Crashed)
                .boxed(),
        ];
        let mut events = select_all(streams);
        let log = Arc::new(Mutex::new(PageLog::new(
            main_frame,
            driven,
            dismiss_dialogs,
        )));
        let task_log = log.clone();
        let task_page = page.clone();
        let task = tokio::spawn(async move {
            while let Some(ev) = events.next().await {
                let mut log = task_log.lock().unwrap_or_else(|e| e.into_inner());
                log.on_event(ev, &task_page);
            }
        });
        Ok(Recorder { page, log, task })
    }

    pub fn log(&self) -> MutexGuard<'_, PageLog> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Start a new log for the tab, as if it were new. With `guarded`, requests are
    /// ignored until the next main document is requested, and so are any later ones of
    /// the documents seen so far (an old page's last beacons), so that a warm tab's next
    /// capture logs its own page only.
    pub fn reset(&self, guarded: bool) {
        let mut log = self.log();
        let mut fresh = PageLog::new(log.main_frame.clone(), log.driven, log.dismiss_dialogs);
        fresh.awaiting_document = guarded;
        fresh.retired_loaders = std::mem::take(&mut log.retired_loaders);
        if fresh.retired_loaders.len() > MAX_ENTRIES {
            // Documents that old have long stopped sending anything.
            fresh.retired_loaders.clear();
        }
        fresh
            .retired_loaders
            .extend(log.entries.iter().map(|e| e.sent.loader_id.inner().clone()));
        *log = fresh;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::{PageLog, short_url};

    fn event<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Arc<T> {
        Arc::new(serde_json::from_value(value).expect("a CDP event as Chromium sends it"))
    }

    fn sent(id: &str) -> serde_json::Value {
        json!({
            "requestId": id, "loaderId": "L1", "documentURL": "http://127.0.0.1/item",
            "request": {
                "url": "http://127.0.0.1/img/shown.png", "method": "GET", "headers": {},
                "initialPriority": "Low", "referrerPolicy": "strict-origin-when-cross-origin"
            },
            "timestamp": 1.0, "wallTime": 1.0, "initiator": { "type": "parser" },
            "redirectHasExtraInfo": false, "type": "Image", "frameId": "F1"
        })
    }

    fn response(id: &str) -> serde_json::Value {
        json!({
            "requestId": id, "loaderId": "L1", "timestamp": 1.1, "type": "Image",
            "hasExtraInfo": false, "frameId": "F1",
            "response": {
                "url": "http://127.0.0.1/img/shown.png", "status": 200, "statusText": "OK",
                "headers": {}, "mimeType": "image/png", "charset": "",
                "connectionReused": false, "connectionId": 1.0, "encodedDataLength": 10.0,
                "securityState": "neutral"
            }
        })
    }

    /// Each kind of event comes on its own stream and the streams are merged in no fixed
    /// order: a response and the end of a request heard before the request itself are
    /// kept for it, not lost (the request then counts as done, not in flight).
    #[test]
    fn a_response_heard_before_its_request_is_kept() {
        let mut log = PageLog::new("F1".into(), true, true);
        log.on_response(event(response("R1")));
        log.on_finished(event(json!({
            "requestId": "R1", "timestamp": 1.2, "encodedDataLength": 10.0
        })));
        log.on_sent(event(sent("R1")));
        let entry = log.entries.first().expect("the request is logged");
        assert_eq!(
            entry.response.as_ref().map(|r| r.response.status),
            Some(200)
        );
        assert!(entry.finished.is_some());
        assert!(log.inflight.is_empty(), "{:?}", log.inflight);
        assert!(log.early.is_empty());

        // In the usual order, nothing changes.
        log.on_sent(event(sent("R2")));
        assert!(log.inflight.contains("R2"));
        log.on_response(event(response("R2")));
        log.on_failed(event(json!({
            "requestId": "R2", "timestamp": 1.3, "type": "Image", "errorText": "net::ERR_ABORTED"
        })));
        let second = log.entries.get(1).expect("the second request");
        assert!(second.response.is_some() && second.failed.is_some());
        assert!(log.inflight.is_empty());
    }

    #[test]
    fn a_note_names_a_data_url_by_its_type_and_cuts_a_long_url() {
        let data = format!("data:image/png;base64,{}", "A".repeat(5000));
        assert_eq!(
            short_url(&data),
            format!("a data: URL ({} characters) of image/png", data.len())
        );
        let long = format!("https://example.com/{}", "é".repeat(400));
        let cut = short_url(&long);
        assert_eq!(cut.chars().count(), 201);
        assert!(cut.ends_with('…'));
        assert_eq!(short_url("https://example.com/a"), "https://example.com/a");
    }
}
