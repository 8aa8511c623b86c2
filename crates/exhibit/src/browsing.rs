//! Browser mode: where a case's browser profile lives, and the Chromium a batch uses.
//!
//! One profile per case (cookies, logins, cache) under the user's data folder. It is
//! the one thing about a case kept outside the encrypted file, because Chromium needs a
//! folder; `Case::browser_profile_dir` names it so the user can wipe it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use exhibit_browser::{Browser, BrowserOptions};
use exhibit_capture::FetchOptions;
use tokio::sync::Mutex;

use crate::{Case, Error, Result};

/// How to run the browser for a batch.
#[derive(Debug, Clone, Default)]
pub struct BrowserSettings {
    /// The Chrome or Chromium to run, exactly; `None` finds one on PATH (or
    /// `EXHIBIT_BROWSER`), and runs a headless batch on its headless shell of the same
    /// version if one is installed.
    pub executable: Option<PathBuf>,
    /// Show the window (for logged-in captures) instead of running headless.
    pub visible: bool,
}

/// The folder that holds Exhibit's per-user data: `EXHIBIT_DATA_DIR`, else
/// `$XDG_DATA_HOME/exhibit`, else `~/.local/share/exhibit`.
pub fn data_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("EXHIBIT_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("exhibit"));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".local/share/exhibit"))
        .ok_or_else(|| {
            Error::Input(
                "Cannot tell where to keep the browser profile: set HOME or EXHIBIT_DATA_DIR."
                    .into(),
            )
        })
}

impl Case {
    /// This case's own browser profile folder (created on first use).
    pub fn browser_profile_dir(&self) -> Result<PathBuf> {
        let id = self.store().case_id()?;
        Ok(data_dir()?.join("profiles").join(&id[..id.len().min(16)]))
    }
}

/// Turns `--resolve` overrides into Chromium's host resolver rules.
fn resolver_rules(fetch: &FetchOptions) -> Vec<String> {
    fetch
        .resolve
        .iter()
        .map(|r| match r.addr {
            std::net::IpAddr::V4(a) => format!("MAP {}:{} {a}:{}", r.host, r.port, r.port),
            std::net::IpAddr::V6(a) => format!("MAP {}:{} [{a}]:{}", r.host, r.port, r.port),
        })
        .collect()
}

/// How to launch this case's browser with these settings and limits.
pub(crate) fn browser_options(
    case: &Case,
    settings: &BrowserSettings,
    fetch: &FetchOptions,
) -> Result<BrowserOptions> {
    let executable =
        exhibit_browser::find_browser(settings.executable.as_deref()).map_err(|e| {
            Error::Browser {
                code: e.code(),
                message: e.to_string(),
            }
        })?;
    // A batch no one watches runs on the headless shell of the same Chromium, when there
    // is one: the same engine and profile, without the browser's own window and pages.
    // A browser given by name (`--browser`, the app's setting) is the one used.
    let executable = if settings.visible || settings.executable.is_some() {
        executable
    } else {
        exhibit_browser::headless_shell_for(&executable).unwrap_or(executable)
    };
    let mut options = BrowserOptions::new(executable, case.browser_profile_dir()?);
    options.headless = !settings.visible;
    options.page_timeout = fetch.timeout.max(Duration::from_secs(5));
    options.host_resolver_rules = resolver_rules(fetch);
    options.extra_root_pems = fetch.extra_root_pems.clone();
    options.main_image = Some(crate::main_image::picker());
    Ok(options)
}

/// The batch's browser, relaunched when it has died.
#[derive(Clone)]
pub(crate) struct BrowserSlot {
    options: BrowserOptions,
    current: Arc<Mutex<Option<Browser>>>,
}

impl BrowserSlot {
    pub(crate) fn new(
        case: &Case,
        settings: &BrowserSettings,
        fetch: &FetchOptions,
    ) -> Result<BrowserSlot> {
        Ok(BrowserSlot {
            options: browser_options(case, settings, fetch)?,
            current: Arc::new(Mutex::new(None)),
        })
    }

    /// The running browser, launching (or relaunching) it first if needed.
    pub(crate) async fn get(&self) -> std::result::Result<Browser, String> {
        let mut current = self.current.lock().await;
        if let Some(b) = current.as_ref().filter(|b| b.is_alive()) {
            return Ok(b.clone());
        }
        let browser = Browser::launch(self.options.clone())
            .await
            .map_err(|e| e.to_string())?;
        *current = Some(browser.clone());
        Ok(browser)
    }

    pub(crate) async fn close(&self) {
        if let Some(b) = self.current.lock().await.take() {
            b.close().await;
        }
    }
}
