//! The app's own preferences, kept as JSON in Exhibit's data folder
//! (`exhibit::data_dir()`, which honours `EXHIBIT_DATA_DIR`): the recent cases (paths and
//! titles only, never a passphrase) and the capture settings. Nothing about a case's
//! evidence is kept here.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CmdError, CmdResult, codes};

const RECENT_FILE: &str = "app-recent-cases.json";
const SETTINGS_FILE: &str = "app-settings.json";
/// How many recent cases are remembered.
const MAX_RECENT: usize = 12;
/// The most captures in flight that the settings accept.
pub const MAX_CONCURRENCY: u32 = 16;

/// A case opened before, for the start screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RecentCase {
    pub path: String,
    pub title: String,
    /// When it was last opened, UTC, RFC 3339.
    pub opened_at: String,
}

/// How captures are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum CaptureModeSetting {
    Browser,
    Http,
}

/// The user's capture settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub capture_mode: CaptureModeSetting,
    /// Captures in flight at once: tabs in browser mode, connections in HTTP mode.
    pub concurrency: u32,
    /// RFC 3161 time-stamp authorities asked for a trusted time after each capture and
    /// for each export's manifest, in order. Empty: no trusted time.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub tsa_urls: Vec<String>,
    /// Extra root certificates (PEM files) trusted for the authorities' certificates.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub tsa_roots: Vec<String>,
    /// The address of the signed update manifest (`https://…`). `None`: the app never
    /// looks for updates (see `updates.rs`).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub update_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            capture_mode: CaptureModeSetting::Browser,
            // The core's default for the default mode (`exhibit::rules`).
            concurrency: exhibit::rules::DEFAULT_BROWSER_CONCURRENCY as u32,
            tsa_urls: Vec::new(),
            tsa_roots: Vec::new(),
            update_url: None,
        }
    }
}

impl Settings {
    /// Refuses settings the capture could not honour.
    pub fn check(&self) -> CmdResult<()> {
        if !(1..=MAX_CONCURRENCY).contains(&self.concurrency) {
            return Err(CmdError::bad_input(format!(
                "Captures at once must be between 1 and {MAX_CONCURRENCY}."
            )));
        }
        self.tsa()?;
        if let Some(url) = &self.update_url {
            let ok = tauri::Url::parse(url).is_ok_and(|u| u.scheme() == "https" && u.has_host());
            if !ok {
                return Err(CmdError::bad_input(format!(
                    "The update address must be an https:// address, not {url:?}."
                )));
            }
        }
        Ok(())
    }

    /// The time-stamp authorities with their roots read; `None` when none is set.
    pub fn tsa(&self) -> CmdResult<Option<std::sync::Arc<exhibit::PreparedTsa>>> {
        exhibit::TsaSettings::new(
            self.tsa_urls.clone(),
            self.tsa_roots.iter().map(PathBuf::from).collect(),
        )
        .prepare()
        .map_err(CmdError::from)
    }
}

/// Where the app keeps its preferences.
#[derive(Debug, Clone)]
pub struct Prefs {
    /// `None`: `exhibit::data_dir()`, looked up at each use.
    dir: Option<PathBuf>,
}

impl Prefs {
    pub fn new(dir: Option<PathBuf>) -> Prefs {
        Prefs { dir }
    }

    fn dir(&self) -> CmdResult<PathBuf> {
        match &self.dir {
            Some(d) => Ok(d.clone()),
            None => Ok(exhibit::data_dir()?),
        }
    }

    /// The recent cases, newest first. A missing or unreadable file is an empty list.
    pub fn recent_cases(&self) -> CmdResult<Vec<RecentCase>> {
        Ok(read_json(&self.dir()?.join(RECENT_FILE)).unwrap_or_default())
    }

    /// Puts a case at the top of the recent list.
    pub fn remember_case(&self, path: &Path, title: &str) -> CmdResult<()> {
        let dir = self.dir()?;
        let path = path.to_string_lossy().into_owned();
        let mut list: Vec<RecentCase> = read_json(&dir.join(RECENT_FILE)).unwrap_or_default();
        list.retain(|r| r.path != path);
        list.insert(
            0,
            RecentCase {
                path,
                title: title.to_owned(),
                opened_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            },
        );
        list.truncate(MAX_RECENT);
        write_json(&dir, RECENT_FILE, &list)
    }

    /// The saved settings, or the defaults.
    pub fn settings(&self) -> CmdResult<Settings> {
        Ok(read_json(&self.dir()?.join(SETTINGS_FILE))
            .filter(|s: &Settings| s.check().is_ok())
            .unwrap_or_default())
    }

    pub fn save_settings(&self, settings: &Settings) -> CmdResult<()> {
        settings.check()?;
        write_json(&self.dir()?, SETTINGS_FILE, settings)
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes a preferences file whole: to a temporary name, then renamed over the old one.
fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> CmdResult<()> {
    let failed = |e: &dyn std::fmt::Display| {
        CmdError::new(
            codes::OUTPUT,
            format!(
                "Could not save the app's preferences in {}: {e}. Check that the folder is writable.",
                dir.display()
            ),
        )
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(&e))?;
    let json = serde_json::to_vec_pretty(value).map_err(|e| failed(&e))?;
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, json).map_err(|e| failed(&e))?;
    std::fs::rename(&tmp, dir.join(name)).map_err(|e| failed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_cases_are_newest_first_without_duplicates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let prefs = Prefs::new(Some(dir.path().to_owned()));
        assert!(prefs.recent_cases().expect("list").is_empty());
        prefs
            .remember_case(Path::new("/cases/a.exhibit"), "A")
            .expect("remember");
        prefs
            .remember_case(Path::new("/cases/b.exhibit"), "B")
            .expect("remember");
        prefs
            .remember_case(Path::new("/cases/a.exhibit"), "A again")
            .expect("remember");
        let list = prefs.recent_cases().expect("list");
        let titles: Vec<_> = list.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["A again", "B"]);
        assert!(list[0].opened_at.ends_with('Z'));
    }

    #[test]
    fn settings_default_round_trip_and_refuse_nonsense() {
        let dir = tempfile::tempdir().expect("tempdir");
        let prefs = Prefs::new(Some(dir.path().to_owned()));
        assert_eq!(prefs.settings().expect("settings"), Settings::default());
        let s = Settings {
            capture_mode: CaptureModeSetting::Http,
            concurrency: 2,
            tsa_urls: vec!["http://127.0.0.1:9/tsa".into()],
            tsa_roots: Vec::new(),
            update_url: Some("https://updates.example/exhibit/latest.json".into()),
        };
        prefs.save_settings(&s).expect("save");
        assert_eq!(prefs.settings().expect("settings"), s);
        let e = prefs
            .save_settings(&Settings {
                concurrency: 0,
                ..s.clone()
            })
            .expect_err("zero refused");
        assert_eq!(e.code, "bad_input");
        // A time-stamp authority must be http(s), and its extra roots readable.
        for bad in [
            Settings {
                tsa_urls: vec!["ftp://tsa.example/".into()],
                ..s.clone()
            },
            Settings {
                tsa_roots: vec![dir.path().join("no-such.pem").display().to_string()],
                ..s.clone()
            },
            // Updates travel over HTTPS only.
            Settings {
                update_url: Some("http://updates.example/latest.json".into()),
                ..s.clone()
            },
        ] {
            let e = prefs.save_settings(&bad).expect_err("refused");
            assert_eq!(e.code, "bad_input", "{}", e.message);
        }
        assert_eq!(prefs.settings().expect("settings"), s);
        // A damaged file falls back to the defaults rather than failing.
        std::fs::write(dir.path().join(SETTINGS_FILE), "{nonsense").expect("write");
        assert_eq!(prefs.settings().expect("settings"), Settings::default());
    }
}
