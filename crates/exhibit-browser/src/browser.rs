//! The running browser: process, DevTools connection, watchdog and the tabs under watch.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::browser::CloseParams;
use chromiumoxide::cdp::browser_protocol::emulation::{
    SetDeviceMetricsOverrideParams, SetLocaleOverrideParams, SetTimezoneOverrideParams,
};
use chromiumoxide::cdp::browser_protocol::network::SetUserAgentOverrideParams;
use chromiumoxide::cdp::browser_protocol::page::NavigateParams;
use chromiumoxide::cdp::browser_protocol::target::{
    CloseTargetParams, CreateTargetParams, EventTargetCreated, EventTargetDestroyed,
    GetTargetsParams, TargetId, TargetInfo,
};
use chromiumoxide::error::CdpError;
use chromiumoxide::handler::HandlerConfig;
use chromiumoxide::listeners::EventStream;
use chromiumoxide::{Handler, Page};
use futures_util::StreamExt;
use tokio::process::Child;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::capture::eval_value;
use crate::launch;
use crate::recorder::Recorder;
use crate::timing::Laps;
use crate::{BrowserError, BrowserFacts, BrowserOptions};

/// How long a finished tab may take to go blank before it is closed instead of kept.
const BLANK_LIMIT: Duration = Duration::from_secs(3);
/// Warm tabs kept at most; a batch needs one per capture in flight.
const MAX_WARM_TABS: usize = 16;

/// How long launch may spend probing the browser's facts.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a bounded step stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The deadline passed.
    Timeout,
    /// Chromium exited or the DevTools connection broke.
    Dead,
    /// The browser answered with an error.
    Failed(String),
    /// The page failed in a way we describe ourselves (a lower-case sentence fragment).
    Page(String),
}

pub(crate) struct Inner {
    pub cdp: chromiumoxide::Browser,
    pub opts: BrowserOptions,
    pub alive: watch::Receiver<bool>,
    pub pid: Option<u32>,
    pub facts: BrowserFacts,
    pub recorders: Mutex<HashMap<String, Arc<Recorder>>>,
    pub last_used: Mutex<Option<String>>,
    /// Tabs a capture finished with, blanked and ready for the next one: opening a tab
    /// (a renderer, its DevTools session, our emulation) costs more than reusing one.
    warm_tabs: Mutex<Vec<Arc<Recorder>>>,
    kill: Mutex<Option<oneshot::Sender<()>>>,
    watchdog: Mutex<Option<JoinHandle<()>>>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        for task in lock(&self.tasks).iter() {
            task.abort();
        }
        // Dropping the kill sender makes the watchdog kill Chromium if it still runs.
    }
}

/// A running Chrome or Chromium with one case's profile. Cheap to clone: clones share the
/// same browser.
///
/// Chromium is killed when the last clone is dropped; [`Browser::close`] closes it politely.
#[derive(Clone)]
pub struct Browser {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("pid", &self.inner.pid)
            .field("alive", &self.is_alive())
            .field("product", &self.inner.facts.product)
            .field("profile_dir", &self.inner.opts.profile_dir)
            .finish()
    }
}

/// Resolves once the browser is dead (or the watch is gone). Holds no guard across awaits.
pub(crate) async fn until_dead(alive: &mut watch::Receiver<bool>) {
    let _ = alive.wait_for(|alive| !*alive).await;
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Browser {
    /// Start Chromium with the case's profile and connect to it.
    ///
    /// Creates the profile folder, rebuilds its trust store with `extra_root_pems`, starts the
    /// browser and reads its version, user agent, locale and time zone from a probe tab.
    pub async fn launch(opts: BrowserOptions) -> Result<Browser, BrowserError> {
        launch::prepare_profile(&opts).await?;
        let started = launch::spawn(&opts).await?;
        let launch::Started {
            mut child,
            ws_url,
            stderr_tail,
        } = started;
        let pid = child.id();
        let (cdp, handler) = connect(ws_url, &opts, &mut child).await?;

        let (alive_tx, alive_rx) = watch::channel(true);
        let alive_tx = Arc::new(alive_tx);
        let (kill_tx, kill_rx) = oneshot::channel::<()>();
        let watchdog = spawn_watchdog(
            child,
            stderr_tail.clone(),
            alive_tx.clone(),
            alive_rx.clone(),
            kill_rx,
        );
        let handler_task = spawn_handler_loop(handler, alive_tx.clone(), alive_rx.clone());

        let mut inner = Inner {
            cdp,
            opts,
            alive: alive_rx,
            pid,
            facts: unprobed_facts(),
            recorders: Mutex::new(HashMap::new()),
            last_used: Mutex::new(None),
            warm_tabs: Mutex::new(Vec::new()),
            kill: Mutex::new(Some(kill_tx)),
            watchdog: Mutex::new(Some(watchdog)),
            tasks: Mutex::new(vec![handler_task]),
        };
        inner.facts = probe_in_time(&inner).await?;
        let (created, destroyed) = target_listeners(&inner).await?;
        let inner = Arc::new(inner);
        let targets_task = tokio::spawn(target_loop(Arc::downgrade(&inner), created, destroyed));
        lock(&inner.tasks).push(targets_task);
        let browser = Browser { inner };
        browser.watch_existing_tabs().await;
        Ok(browser)
    }

    /// Whether Chromium is still running and connected.
    pub fn is_alive(&self) -> bool {
        *self.inner.alive.borrow()
    }

    /// The process id of the browser, for diagnostics and tests.
    pub fn pid(&self) -> Option<u32> {
        self.inner.pid
    }

    /// The options this browser was launched with.
    pub fn options(&self) -> &BrowserOptions {
        &self.inner.opts
    }

    /// The browser's facts for the capture record, with the extensions checked now.
    pub async fn version(&self) -> BrowserFacts {
        let mut facts = self.inner.facts.clone();
        if self.is_alive() {
            let targets = self
                .within(
                    Instant::now() + Duration::from_secs(5),
                    self.inner.cdp.execute(GetTargetsParams::default()),
                )
                .await;
            if let Ok(targets) = targets {
                facts.extensions = extensions_of(&targets.result.target_infos);
            }
        }
        facts
    }

    /// Open `url` in a new tab and leave it open, as a user would: for `exhibit browse`, and
    /// to load a page that [`Browser::snap_current`] captures later.
    ///
    /// The tab is watched from its first request, so a later snap records the main
    /// document's headers, redirects and raw body. Returns once the navigation is under way.
    pub async fn open_tab(&self, url: &str) -> Result<(), BrowserError> {
        let deadline = Instant::now() + self.inner.opts.page_timeout;
        let protocol = |stop: Stop| match stop {
            Stop::Dead => BrowserError::Protocol("the browser is not running".to_string()),
            Stop::Timeout => {
                BrowserError::Protocol("the browser did not answer in time".to_string())
            }
            Stop::Failed(e) | Stop::Page(e) => BrowserError::Protocol(e),
        };
        let mut params = CreateTargetParams::new("about:blank");
        params.background = Some(false);
        let page = self
            .within(deadline, self.inner.cdp.new_page(params))
            .await
            .map_err(protocol)?;
        let target = page.target_id().inner().clone();
        let recorder = self
            .within(
                deadline,
                Recorder::attach(
                    page.clone(),
                    target.clone(),
                    false,
                    self.inner.opts.headless,
                ),
            )
            .await
            .map_err(protocol)?;
        lock(&self.inner.recorders).insert(target.clone(), Arc::new(recorder));
        *lock(&self.inner.last_used) = Some(target);
        if self.inner.opts.headless {
            // Nobody sizes a headless window: give it the capture viewport.
            self.within(deadline, emulate(&page, &self.inner.opts))
                .await
                .map_err(protocol)?;
        }
        let recorder = lock(&self.inner.recorders)
            .get(page.target_id().inner())
            .cloned();
        match recorder {
            Some(recorder) => self
                .navigate(&recorder, url, deadline)
                .await
                .map_err(protocol),
            None => Err(BrowserError::Protocol(
                "the new tab closed at once".to_string(),
            )),
        }
    }

    /// Close Chromium: politely first, then by force. Other clones see `is_alive() == false`.
    pub async fn close(self) {
        let inner = self.inner;
        let mut alive = inner.alive.clone();
        if *alive.borrow() {
            // A polite close lets Chromium write the profile (logins, cookies) to disk.
            let closed = tokio::time::timeout(
                Duration::from_secs(2),
                inner.cdp.execute(CloseParams::default()),
            )
            .await;
            if matches!(closed, Ok(Ok(_))) {
                // The connection is about to drop: stop reading it so that its end is not
                // reported as an error. The watchdog sees the process exit.
                for task in lock(&inner.tasks).iter() {
                    task.abort();
                }
            }
            let _ = tokio::time::timeout(Duration::from_secs(3), until_dead(&mut alive)).await;
        }
        if let Some(kill) = lock(&inner.kill).take() {
            let _ = kill.send(());
        }
        let watchdog = lock(&inner.watchdog).take();
        if let Some(watchdog) = watchdog {
            let _ = tokio::time::timeout(Duration::from_secs(5), watchdog).await;
        }
    }

    /// Run one DevTools step, bounded by `deadline` and by the browser's life.
    pub(crate) async fn within<T, E, F>(&self, deadline: Instant, fut: F) -> Result<T, Stop>
    where
        F: Future<Output = Result<T, E>>,
        E: std::fmt::Display,
    {
        let mut alive = self.inner.alive.clone();
        if !*alive.borrow() {
            return Err(Stop::Dead);
        }
        tokio::select! {
            biased;
            _ = until_dead(&mut alive) => Err(Stop::Dead),
            r = tokio::time::timeout_at(deadline.into(), fut) => match r {
                Err(_) => Err(Stop::Timeout),
                Ok(Err(e)) => {
                    if self.is_alive() { Err(Stop::Failed(e.to_string())) } else { Err(Stop::Dead) }
                }
                Ok(Ok(v)) => Ok(v),
            },
        }
    }

    /// Open a tab on `about:blank`, watched from its first request, with our emulation set.
    pub(crate) async fn open_driven_tab(&self, deadline: Instant) -> Result<Arc<Recorder>, Stop> {
        let mut params = CreateTargetParams::new("about:blank");
        if !self.inner.opts.headless {
            params.background = Some(false);
        }
        let mut laps = Laps::new("");
        let page = self
            .within(deadline, self.inner.cdp.new_page(params))
            .await?;
        laps.lap("new tab");
        let target = page.target_id().inner().clone();
        let recorder = self
            .within(
                deadline,
                Recorder::attach(page.clone(), target.clone(), true, true),
            )
            .await;
        laps.lap("attach recorder");
        let recorder = match recorder {
            Ok(r) => Arc::new(r),
            Err(stop) => {
                self.close_tab(&target).await;
                return Err(stop);
            }
        };
        lock(&self.inner.recorders).insert(target.clone(), recorder.clone());
        *lock(&self.inner.last_used) = Some(target.clone());
        if let Err(stop) = self
            .within(deadline, emulate(&page, &self.inner.opts))
            .await
        {
            self.close_tab(&target).await;
            return Err(stop);
        }
        laps.lap("emulate");
        Ok(recorder)
    }

    /// A tab for the next capture: a warm one if a capture left one, else a new one.
    pub(crate) async fn driven_tab(&self, deadline: Instant) -> Result<Arc<Recorder>, Stop> {
        loop {
            let warm = lock(&self.inner.warm_tabs).pop();
            let Some(recorder) = warm else { break };
            let target = recorder.page.target_id().inner().clone();
            let open = lock(&self.inner.recorders).contains_key(&target);
            if open && !recorder.log().crashed {
                *lock(&self.inner.last_used) = Some(target);
                return Ok(recorder);
            }
            self.close_tab(&target).await;
        }
        self.open_driven_tab(deadline).await
    }

    /// Hand a capture's tab back: blank it (so that its page stops running and unloads
    /// now, not during the next capture), start a new log, and keep it warm. A tab that
    /// does not blank in time is closed instead.
    pub(crate) async fn give_back_tab(&self, recorder: Arc<Recorder>) {
        let target = recorder.page.target_id().inner().clone();
        if !self.is_alive() || recorder.log().crashed {
            self.close_tab(&target).await;
            return;
        }
        recorder.reset(false);
        let page = recorder.page.clone();
        let nav =
            tokio::spawn(async move { page.execute(NavigateParams::new("about:blank")).await });
        let limit = Instant::now() + BLANK_LIMIT;
        let blank = loop {
            {
                let log = recorder.log();
                if log.crashed {
                    break false;
                }
                if log.loaded && log.navigations.last().is_some_and(|u| u == "about:blank") {
                    break true;
                }
            }
            if Instant::now() >= limit || !self.is_alive() {
                break false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        nav.abort();
        let kept = blank && {
            let mut warm = lock(&self.inner.warm_tabs);
            if warm.len() < MAX_WARM_TABS {
                recorder.reset(true);
                warm.push(recorder);
                true
            } else {
                false
            }
        };
        if !kept {
            self.close_tab(&target).await;
        }
    }

    /// Close a tab without running its `beforeunload` handlers.
    pub(crate) async fn close_tab(&self, target: &str) {
        lock(&self.inner.recorders).remove(target);
        if self.is_alive() {
            let _ = self
                .within(
                    Instant::now() + Duration::from_secs(3),
                    self.inner
                        .cdp
                        .execute(CloseTargetParams::new(TargetId::new(target))),
                )
                .await;
        }
    }

    /// The recorder of a tab, attaching one now if the tab is not yet watched.
    pub(crate) async fn recorder_for(
        &self,
        target: &str,
        deadline: Instant,
    ) -> Result<Arc<Recorder>, Stop> {
        if let Some(r) = lock(&self.inner.recorders).get(target) {
            return Ok(r.clone());
        }
        let page = self.page_of(target, deadline).await?;
        let recorder = self
            .within(
                deadline,
                Recorder::attach(page, target.to_string(), false, self.inner.opts.headless),
            )
            .await?;
        let mut map = lock(&self.inner.recorders);
        Ok(map
            .entry(target.to_string())
            .or_insert_with(|| Arc::new(recorder))
            .clone())
    }

    async fn page_of(&self, target: &str, deadline: Instant) -> Result<Page, Stop> {
        loop {
            match self
                .within(deadline, self.inner.cdp.get_page(TargetId::new(target)))
                .await
            {
                Ok(page) => return Ok(page),
                Err(Stop::Failed(_)) if Instant::now() + Duration::from_millis(50) < deadline => {
                    // chromiumoxide attaches to new tabs on its own; give it a moment.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(stop) => return Err(stop),
            }
        }
    }

    /// Watch the tabs that were open before we subscribed (the visible window's first tab).
    async fn watch_existing_tabs(&self) {
        if self.inner.opts.headless {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        let Ok(targets) = self
            .within(
                deadline,
                self.inner.cdp.execute(GetTargetsParams::default()),
            )
            .await
        else {
            return;
        };
        for info in &targets.result.target_infos {
            if info.r#type == "page" {
                let _ = self.recorder_for(info.target_id.inner(), deadline).await;
            }
        }
    }
}

/// Set the viewport, locale, time zone and user agent on a tab we drive.
pub(crate) async fn emulate(page: &Page, opts: &BrowserOptions) -> Result<(), CdpError> {
    let (width, height) = opts.viewport;
    let mut metrics = SetDeviceMetricsOverrideParams::new(width, height, opts.device_scale, false);
    metrics.screen_width = Some(i64::from(width));
    metrics.screen_height = Some(i64::from(height));
    page.execute(metrics).await?;
    page.execute(SetLocaleOverrideParams {
        locale: Some(opts.locale.clone()),
    })
    .await?;
    if let Some(tz) = &opts.timezone {
        page.execute(SetTimezoneOverrideParams::new(tz.clone()))
            .await?;
    }
    if let Some(ua) = &opts.user_agent {
        page.execute(SetUserAgentOverrideParams {
            user_agent: ua.clone(),
            accept_language: Some(opts.locale.clone()),
            platform: None,
            user_agent_metadata: None,
        })
        .await?;
    }
    Ok(())
}

/// Connect to the browser's DevTools. If that fails, the browser is killed and reaped.
async fn connect(
    ws_url: String,
    opts: &BrowserOptions,
    child: &mut Child,
) -> Result<(chromiumoxide::Browser, Handler), BrowserError> {
    let config = HandlerConfig {
        // Certificate errors are evidence: never ignore them.
        ignore_https_errors: false,
        ignore_invalid_messages: true,
        // We set the viewport ourselves, on the tabs we drive only (chromiumoxide would
        // also switch on touch emulation).
        viewport: None,
        context_ids: Vec::new(),
        request_timeout: opts.page_timeout + Duration::from_secs(5),
        request_intercept: false,
        cache_enabled: true,
    };
    let connected = chromiumoxide::Browser::connect_with_config(ws_url, config).await;
    match connected {
        Ok(pair) => Ok(pair),
        Err(e) => {
            launch::kill(child);
            let _ = child.wait().await;
            Err(BrowserError::Protocol(e.to_string()))
        }
    }
}

/// The watchdog owns the process: its exit, for whatever reason, is the end of life.
fn spawn_watchdog(
    mut child: Child,
    tail: Arc<Mutex<VecDeque<String>>>,
    alive_tx: Arc<watch::Sender<bool>>,
    mut alive_rx: watch::Receiver<bool>,
    kill_rx: oneshot::Receiver<()>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        tokio::select! {
            status = child.wait() => {
                // A clean exit follows a polite close (or the user closing the
                // window); only a crash deserves a warning.
                if status.as_ref().is_ok_and(|s| s.success()) {
                    tracing::debug!("Chromium exited cleanly");
                } else {
                    tracing::warn!(
                        "Chromium exited ({status:?}); its last words: {}",
                        launch::tail_text(&tail)
                    );
                }
            }
            _ = kill_rx => {
                launch::kill(&mut child);
                let _ = child.wait().await;
            }
            _ = until_dead(&mut alive_rx) => {
                launch::kill(&mut child);
                let _ = child.wait().await;
            }
        }
        let _ = alive_tx.send(false);
    })
}

/// The handler drives the DevTools connection; it must be polled until the end.
fn spawn_handler_loop(
    mut handler: Handler,
    alive_tx: Arc<watch::Sender<bool>>,
    mut alive_rx: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                ev = handler.next() => match ev {
                    Some(Ok(())) => {}
                    Some(Err(CdpError::Ws(e))) => {
                        tracing::debug!("DevTools connection lost: {e}");
                        break;
                    }
                    Some(Err(e)) => tracing::debug!("DevTools handler: {e}"),
                    None => break,
                },
                _ = until_dead(&mut alive_rx) => break,
            }
        }
        let _ = alive_tx.send(false);
    })
}

/// The facts of a browser not yet probed.
fn unprobed_facts() -> BrowserFacts {
    BrowserFacts {
        product: String::new(),
        user_agent: String::new(),
        viewport: (0, 0),
        device_scale: 0.0,
        locale: String::new(),
        timezone: String::new(),
        extensions: Vec::new(),
        headless: true,
        executable: String::new(),
        logged_in_as: None,
    }
}

/// [`probe_facts`] within [`PROBE_TIMEOUT`].
async fn probe_in_time(inner: &Inner) -> Result<BrowserFacts, BrowserError> {
    match tokio::time::timeout(PROBE_TIMEOUT, probe_facts(inner)).await {
        Ok(Ok(facts)) => Ok(facts),
        Ok(Err(e)) => Err(BrowserError::Launch(format!(
            "it did not answer the first questions: {e}"
        ))),
        Err(_) => Err(BrowserError::Launch(format!(
            "it did not answer within {} s",
            PROBE_TIMEOUT.as_secs()
        ))),
    }
}

/// Listen for tabs opening and closing, for [`target_loop`].
async fn target_listeners(
    inner: &Inner,
) -> Result<
    (
        EventStream<EventTargetCreated>,
        EventStream<EventTargetDestroyed>,
    ),
    BrowserError,
> {
    let listeners = async {
        let created = inner.cdp.event_listener::<EventTargetCreated>().await?;
        let destroyed = inner.cdp.event_listener::<EventTargetDestroyed>().await?;
        Ok::<_, CdpError>((created, destroyed))
    };
    listeners
        .await
        .map_err(|e| BrowserError::Protocol(e.to_string()))
}

/// Read the facts of a fresh browser from a probe tab with our emulation.
async fn probe_facts(inner: &Inner) -> Result<BrowserFacts, CdpError> {
    let version = inner.cdp.version().await?;
    let mut params = CreateTargetParams::new("about:blank");
    params.background = Some(true);
    let page = inner.cdp.new_page(params).await?;
    let measured = async {
        emulate(&page, &inner.opts).await?;
        eval_value(
            &page,
            "({ua: navigator.userAgent, lang: navigator.language, \
              tz: Intl.DateTimeFormat().resolvedOptions().timeZone, \
              w: innerWidth, h: innerHeight, dpr: devicePixelRatio})"
                .to_string(),
        )
        .await
        .map_err(CdpError::ChromeMessage)
    }
    .await;
    let targets = inner.cdp.execute(GetTargetsParams::default()).await;
    let _ = inner
        .cdp
        .execute(CloseTargetParams::new(page.target_id().clone()))
        .await;
    let measured = measured?;
    let text = |key: &str| {
        measured
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let number = |key: &str| measured.get(key).and_then(|v| v.as_f64()).unwrap_or(0.0);
    Ok(BrowserFacts {
        product: version.product,
        user_agent: text("ua"),
        viewport: (number("w") as u32, number("h") as u32),
        device_scale: number("dpr"),
        locale: text("lang"),
        timezone: text("tz"),
        extensions: targets
            .map(|t| extensions_of(&t.result.target_infos))
            .unwrap_or_default(),
        headless: inner.opts.headless,
        executable: inner.opts.executable.display().to_string(),
        logged_in_as: None,
    })
}

/// Extension ids seen among the browser's targets (background pages, service workers).
fn extensions_of(targets: &[TargetInfo]) -> Vec<String> {
    let mut ids: Vec<String> = targets
        .iter()
        .filter_map(|t| t.url.strip_prefix("chrome-extension://"))
        .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Close pop-ups of the tabs we drive, and watch new tabs of a visible browser.
///
/// The loop holds the browser only weakly, so that dropping the last [`Browser`] still ends it.
async fn target_loop(
    weak: Weak<Inner>,
    mut created: EventStream<EventTargetCreated>,
    mut destroyed: EventStream<EventTargetDestroyed>,
) {
    loop {
        tokio::select! {
            Some(ev) = created.next() => {
                let Some(inner) = weak.upgrade() else { break };
                let browser = Browser { inner };
                let info = ev.target_info.clone();
                if info.r#type != "page" {
                    continue;
                }
                if let Some(opener) = &info.opener_id {
                    let driven = lock(&browser.inner.recorders)
                        .get(opener.inner())
                        .map(|r| r.log().driven)
                        .unwrap_or(false);
                    if driven || browser.inner.opts.headless {
                        tokio::spawn(async move {
                            browser.close_tab(info.target_id.inner()).await;
                        });
                        continue;
                    }
                }
                if !browser.inner.opts.headless {
                    tokio::spawn(async move {
                        let deadline = Instant::now() + Duration::from_secs(5);
                        let _ = browser.recorder_for(info.target_id.inner(), deadline).await;
                    });
                }
            }
            Some(ev) = destroyed.next() => {
                let Some(inner) = weak.upgrade() else { break };
                lock(&inner.recorders).remove(ev.target_id.inner());
            }
            else => break,
        }
    }
}
