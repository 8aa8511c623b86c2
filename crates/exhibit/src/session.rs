//! A visible browser on the case's profile, for captures that need a logged-in shopper.
//!
//! The user logs in and navigates by hand; each [`BrowseSession::snap`] captures the tab
//! they are looking at, without reloading it, and commits it like any other capture. The
//! session owns the browser and its Tokio runtime: tabs opened while it runs are watched
//! from their first request, so a snap keeps the main document's headers and raw body.

use std::sync::Arc;
use std::time::Duration;

use exhibit_browser::Browser;
use exhibit_capture::{FetchOptions, Fetcher};
use exhibit_domain::Environment;

use crate::batch::{CaptureOutcome, Committer, Taken};
use crate::browsing::{BrowserSettings, browser_options};
use crate::judge::environment;
use crate::trusted_time::{PreparedTsa, TrustedTime};
use crate::{Case, Error, Result};

/// A running, visible capture browser for one case.
pub struct BrowseSession {
    runtime: tokio::runtime::Runtime,
    browser: Browser,
    /// Fetches a main image the page named but did not load.
    fetcher: Fetcher,
    environment: Arc<Environment>,
    snaps: usize,
    tsa: Option<Arc<PreparedTsa>>,
}

impl std::fmt::Debug for BrowseSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowseSession")
            .field("browser", &self.browser)
            .field("snaps", &self.snaps)
            .finish()
    }
}

impl Case {
    /// Opens the case's browser profile in a window (unless `settings.visible` is false,
    /// which tests and scripted runs use) and loads `urls`, one tab each.
    pub fn browse(
        &self,
        settings: &BrowserSettings,
        fetch: FetchOptions,
        urls: &[String],
    ) -> Result<BrowseSession> {
        self.ensure_writable()?;
        for url in urls {
            exhibit_capture::parse_capture_url(url).map_err(|e| Error::Input(e.message))?;
        }
        let options = browser_options(self, settings, &fetch)?;
        let fetcher = Fetcher::new(fetch.clone()).map_err(|e| Error::Input(e.0))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("could not start the browser runtime: {e}")))?;
        let browser = runtime
            .block_on(Browser::launch(options))
            .map_err(|e| Error::Browser {
                code: e.code(),
                message: e.to_string(),
            })?;
        for url in urls {
            if let Err(e) = runtime.block_on(browser.open_tab(url)) {
                tracing::warn!("could not open {url}: {e}");
            }
        }
        Ok(BrowseSession {
            runtime,
            browser,
            fetcher,
            environment: Arc::new(environment(&fetch)),
            snaps: 0,
            tsa: None,
        })
    }
}

impl BrowseSession {
    /// Asks these time-stamp authorities for a trusted time after each snap.
    pub fn set_tsa(&mut self, tsa: Option<Arc<PreparedTsa>>) {
        self.tsa = tsa;
    }

    /// Captures the tab the user is looking at, as it is, and commits it to `case`.
    /// Never fails as a call: a snap that went wrong is a stored `failed` capture.
    pub fn snap(&mut self, case: &Case) -> CaptureOutcome {
        let mut capture = self.runtime.block_on(self.browser.snap_current());
        let image = self
            .runtime
            .block_on(crate::main_image::for_browser(&mut capture, &self.fetcher));
        let committer = Committer {
            collector: case.collector().ok().flatten().unwrap_or_default(),
            environment: Environment::clone(&self.environment),
            writer: None,
        };
        let url = capture.requested_url.clone();
        let index = self.snaps;
        self.snaps += 1;
        let mut outcome = case.commit_taken(
            index,
            url,
            Taken::Browser(Box::new(capture), image),
            None,
            &committer,
        );
        if outcome.url.is_empty() {
            outcome.url = "(no tab)".into();
        }
        if let (Some(tsa), Some(id)) = (&self.tsa, outcome.capture_id) {
            outcome.trusted_time = Some(
                self.runtime
                    .block_on(case.stamp_capture(id, tsa))
                    .unwrap_or_else(|e| TrustedTime::Missing {
                        reason: format!("The trusted time could not be saved in the case: {e}"),
                    }),
            );
        }
        outcome
    }

    /// Whether the browser window is still open.
    pub fn is_open(&self) -> bool {
        self.browser.is_alive()
    }

    /// How many snaps this session took.
    pub fn snaps(&self) -> usize {
        self.snaps
    }

    /// Closes the browser politely, so it writes the profile (logins) to disk.
    pub fn close(self) {
        let BrowseSession {
            runtime, browser, ..
        } = self;
        runtime.block_on(browser.close());
        runtime.shutdown_timeout(Duration::from_secs(1));
    }
}
