//! What this build is (the About box) and its updates.
//!
//! Updates are off until the user sets the address of an update manifest in the
//! settings (`update_url`): the app never calls home by itself. When it is set, "Check
//! for updates" fetches that manifest (Tauri's updater format: a version, notes and, per
//! platform, a download URL and a minisign signature) over HTTPS, and "Install" downloads
//! the package, refuses it unless its signature verifies against the public key built
//! into the app (`plugins.updater.pubkey` in `tauri.conf.json`, which the release
//! workflow fills in), installs it and restarts.
//!
//! A build without a public key (every build from a checkout) cannot update itself and
//! says so; a signature is never optional. The webview is granted none of the updater
//! plugin's own commands: it asks through [`crate::commands::check_update`] and
//! [`crate::commands::install_update`], which read the address from the settings.

use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::error::{CmdError, CmdResult};

/// `updates_off`: no update address is set, or this build has no update key.
pub const UPDATES_OFF: &str = "updates_off";
/// `update_failed`: the manifest or the package could not be fetched, read or verified.
pub const UPDATE_FAILED: &str = "update_failed";

/// The About box: what this build is.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct About {
    /// The workspace version (`Cargo.toml`), e.g. `0.1.0`.
    pub version: String,
    /// The short git commit it was built from; `dev` for a debug build, `unknown` when
    /// built outside a checkout (see `crates/exhibit-cli/build_commit.rs`).
    pub commit: String,
    /// Whether this build carries a public key to verify updates with.
    pub can_update: bool,
}

pub fn about<R: Runtime>(app: &AppHandle<R>) -> About {
    About {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: env!("EXHIBIT_COMMIT").to_owned(),
        can_update: has_key(app),
    }
}

/// An update the manifest offers.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct UpdateOffer {
    pub current_version: String,
    pub version: String,
    pub notes: Option<String>,
    /// When it was published, RFC 3339, if the manifest says.
    pub date: Option<String>,
}

impl From<&Update> for UpdateOffer {
    fn from(u: &Update) -> UpdateOffer {
        UpdateOffer {
            current_version: u.current_version.clone(),
            version: u.version.clone(),
            notes: u.body.clone(),
            date: u
                .raw_json
                .get("pub_date")
                .and_then(|d| d.as_str())
                .map(str::to_owned),
        }
    }
}

fn has_key<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.config()
        .plugins
        .0
        .get("updater")
        .and_then(|u| u.get("pubkey"))
        .and_then(|k| k.as_str())
        .is_some_and(|k| !k.trim().is_empty())
}

/// Asks the manifest at `url` whether a newer version exists. `Ok(None)`: up to date.
pub async fn check<R: Runtime>(app: &AppHandle<R>, url: &str) -> CmdResult<Option<Update>> {
    if !has_key(app) {
        return Err(CmdError::new(
            UPDATES_OFF,
            "This copy of Exhibit was built without an update key, so it cannot update \
             itself. Install new versions the way you installed this one.",
        ));
    }
    let url = tauri::Url::parse(url).map_err(|e| {
        CmdError::bad_input(format!("The update address {url:?} is not a URL ({e})."))
    })?;
    app.updater_builder()
        .endpoints(vec![url])
        .and_then(|b| b.build())
        .map_err(failed)?
        .check()
        .await
        .map_err(failed)
}

/// Downloads `update`, verifies its signature against the built-in key and returns the
/// verified bytes. A package whose signature does not verify is refused here.
pub async fn download(update: &Update) -> CmdResult<Vec<u8>> {
    update.download(|_, _| {}, || {}).await.map_err(failed)
}

/// Verifies and installs `update`; the caller restarts the app.
pub async fn install(update: &Update) -> CmdResult<()> {
    let bytes = download(update).await?;
    update.install(bytes).map_err(failed)
}

fn failed(e: tauri_plugin_updater::Error) -> CmdError {
    use tauri_plugin_updater::Error as E;
    let why = match &e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) => format!(
            "the update's signature does not match this app's update key ({e}); it was not installed"
        ),
        E::InsecureTransportProtocol => "the update address must start with https://".to_owned(),
        E::ReleaseNotFound => "the update address gave no update manifest".to_owned(),
        E::TargetNotFound(t) => format!("the update manifest offers nothing for this system ({t})"),
        _ => e.to_string(),
    };
    CmdError::new(UPDATE_FAILED, format!("Could not update Exhibit: {why}."))
}
