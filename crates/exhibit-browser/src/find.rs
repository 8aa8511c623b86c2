//! Finding the system's Chrome, Chromium, Edge or Brave. We never download one.
//!
//! The order: a configured path, then `EXHIBIT_BROWSER`, then the names in
//! [`BROWSER_NAMES`] on `PATH`, then the places each system installs browsers without
//! putting them on `PATH`: on Windows the Program Files and per-user LocalAppData
//! folders and the registry's `App Paths` key; on macOS the `.app` bundles in
//! `/Applications` and `~/Applications`. The tables of those places
//! ([`windows_install_paths`], [`macos_install_paths`]) are plain functions of the
//! environment, compiled on every system so that their tests run anywhere; only which
//! table is consulted depends on the system the binary is built for.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::BrowserError;

/// The executables we look for on `PATH`, in order. On Windows each is tried with
/// `.exe` added too.
pub const BROWSER_NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Names of the same browsers as Windows and macOS install them, tried on `PATH` after
/// [`BROWSER_NAMES`] there (`chrome.exe` is rarely on `PATH`, but a user may put it).
const OTHER_NAMES: [&str; 3] = ["chrome", "msedge", "brave"];

/// The headless-only builds of the same browsers (Debian's `chromium-headless-shell`,
/// Google's `chrome-headless-shell`), looked for on `PATH` by [`headless_shell_for`].
pub const HEADLESS_SHELL_NAMES: [&str; 2] = ["chromium-headless-shell", "chrome-headless-shell"];

/// The environment variable that names a browser when none is configured.
pub const BROWSER_ENV: &str = "EXHIBIT_BROWSER";

/// Where the browsers install themselves on Windows, under each of the folders the
/// variables name (per machine, then per user), in the order we prefer them: Chrome,
/// Chromium, Edge (on every Windows 10 and 11), Brave.
const WINDOWS_INSTALLS: [&str; 4] = [
    r"Google\Chrome\Application\chrome.exe",
    r"Chromium\Application\chrome.exe",
    r"Microsoft\Edge\Application\msedge.exe",
    r"BraveSoftware\Brave-Browser\Application\brave.exe",
];
const WINDOWS_FOLDERS: [&str; 4] = [
    "ProgramFiles",
    "ProgramW6432",
    "ProgramFiles(x86)",
    "LocalAppData",
];
/// The executables whose `App Paths` registry entries name where they are installed.
#[cfg_attr(not(windows), allow(dead_code))]
const WINDOWS_APP_PATHS: [&str; 3] = ["chrome.exe", "msedge.exe", "brave.exe"];

/// The `.app` bundles on macOS and the executable inside each.
const MACOS_APPS: [(&str, &str); 5] = [
    ("Google Chrome.app", "Google Chrome"),
    ("Chromium.app", "Chromium"),
    ("Microsoft Edge.app", "Microsoft Edge"),
    ("Brave Browser.app", "Brave Browser"),
    ("Google Chrome for Testing.app", "Google Chrome for Testing"),
];

/// Find the browser to drive: the configured path, else `EXHIBIT_BROWSER`, else the first of
/// [`BROWSER_NAMES`] on `PATH`, else where Windows or macOS installs browsers.
///
/// A configured path (or `EXHIBIT_BROWSER`) that does not exist is an error, not a reason to
/// fall back: the user asked for that browser. A bare name (no `/`) is looked up on `PATH`.
pub fn find_browser(configured: Option<&Path>) -> Result<PathBuf, BrowserError> {
    if let Some(path) = configured {
        return resolve(path).ok_or_else(|| BrowserError::NotFound {
            looked: format!("the configured browser {} does not exist", path.display()),
        });
    }
    if let Some(value) = std::env::var_os(BROWSER_ENV).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(value);
        return resolve(&path).ok_or_else(|| BrowserError::NotFound {
            looked: format!(
                "{BROWSER_ENV} names {}, which does not exist",
                path.display()
            ),
        });
    }
    for name in BROWSER_NAMES {
        if let Some(found) = on_path(name) {
            return Ok(found);
        }
    }
    if cfg!(any(windows, target_os = "macos")) {
        for name in OTHER_NAMES {
            if let Some(found) = on_path(name) {
                return Ok(found);
            }
        }
    }
    let installed = system_install_paths();
    if let Some(found) = installed.iter().find(|p| is_executable(p)) {
        return Ok(found.clone());
    }
    let mut looked = format!("looked on PATH for {}", BROWSER_NAMES.join(", "));
    if !installed.is_empty() {
        looked.push_str(&format!(
            ", and at {}",
            installed
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Err(BrowserError::NotFound { looked })
}

/// The headless shell to run in place of `browser` for captures no one watches: the first
/// of [`HEADLESS_SHELL_NAMES`] on `PATH` whose version is exactly `browser`'s, else `None`.
///
/// The shell is the same engine without the browser's window, tabs strip and omnibox,
/// whose renderers a headless batch pays for but never shows (some 70 to 80 MiB). The same
/// version matters: the two share the case's profile, logins included, and a browser
/// must never open a profile a newer one wrote. Asks each for `--version`. Never on
/// Windows, where Chrome given `--version` opens its window instead of printing it.
pub fn headless_shell_for(browser: &Path) -> Option<PathBuf> {
    if cfg!(windows) {
        return None;
    }
    let shell = HEADLESS_SHELL_NAMES.iter().find_map(|n| on_path(n))?;
    let wanted = version_of(browser)?;
    (version_of(&shell)? == wanted).then_some(shell)
}

fn version_of(executable: &Path) -> Option<String> {
    let out = std::process::Command::new(executable)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    version_in(&String::from_utf8_lossy(&out.stdout)).map(str::to_owned)
}

/// The four-part version in a `--version` line ("Chromium 156.0.8078.114 built on …").
fn version_in(line: &str) -> Option<&str> {
    line.split_whitespace().find(|w| {
        let parts: Vec<&str> = w.split('.').collect();
        parts.len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The install locations this system's table gives, most preferred first.
fn system_install_paths() -> Vec<PathBuf> {
    let env = |name: &str| std::env::var_os(name);
    if cfg!(windows) {
        let mut paths = windows_install_paths(&env);
        paths.extend(windows_registry_app_paths());
        paths
    } else if cfg!(target_os = "macos") {
        macos_install_paths(&env)
    } else {
        Vec::new()
    }
}

/// Where Windows installs Chrome, Chromium, Edge and Brave, given its folder variables
/// (`ProgramFiles`, `ProgramW6432`, `ProgramFiles(x86)`, `LocalAppData`); each
/// browser's places before the next browser's.
pub fn windows_install_paths(env: &dyn Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = WINDOWS_FOLDERS
        .iter()
        .filter_map(|v| env(v).filter(|d| !d.is_empty()).map(PathBuf::from))
        .collect();
    let mut out: Vec<PathBuf> = Vec::new();
    for install in WINDOWS_INSTALLS {
        for folder in &folders {
            // Join with the separator written in the table, so the table reads the same
            // on every system (and its test runs on Linux).
            let path = PathBuf::from(format!(
                "{}\\{install}",
                folder.display().to_string().trim_end_matches('\\')
            ));
            let path = if cfg!(windows) {
                path
            } else {
                PathBuf::from(path.to_string_lossy().replace('\\', "/"))
            };
            if !out.contains(&path) {
                out.push(path);
            }
        }
    }
    out
}

/// The paths the registry's `App Paths` entries give for the browsers (per user, then
/// per machine): where an installer that chose its own folder put the browser.
#[cfg(windows)]
fn windows_registry_app_paths() -> Vec<PathBuf> {
    const KEY: &str = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths";
    let mut out = Vec::new();
    for exe in WINDOWS_APP_PATHS {
        for hive in [
            windows_registry::CURRENT_USER,
            windows_registry::LOCAL_MACHINE,
        ] {
            if let Ok(value) = hive
                .open(format!("{KEY}\\{exe}"))
                .and_then(|k| k.get_string(""))
            {
                let path = PathBuf::from(value.trim().trim_matches('"'));
                if !out.contains(&path) {
                    out.push(path);
                }
            }
        }
    }
    out
}

#[cfg(not(windows))]
fn windows_registry_app_paths() -> Vec<PathBuf> {
    Vec::new()
}

/// Where macOS users have Chrome, Chromium, Edge and Brave: the executable inside each
/// `.app` in `/Applications`, then in `~/Applications` (given `HOME`).
pub fn macos_install_paths(env: &dyn Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let mut roots = vec![PathBuf::from("/Applications")];
    if let Some(home) = env("HOME").filter(|h| !h.is_empty()) {
        roots.push(PathBuf::from(home).join("Applications"));
    }
    let mut out = Vec::new();
    for (app, exe) in MACOS_APPS {
        for root in &roots {
            out.push(root.join(app).join("Contents/MacOS").join(exe));
        }
    }
    out
}

fn resolve(path: &Path) -> Option<PathBuf> {
    if path.components().count() == 1
        && !path.is_absolute()
        && let Some(name) = path.to_str()
    {
        return on_path(name);
    }
    is_executable(path).then(|| path.to_path_buf())
}

fn on_path(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    let names: Vec<String> = if cfg!(windows) && !name.to_ascii_lowercase().ends_with(".exe") {
        vec![format!("{name}.exe"), name.to_owned()]
    } else {
        vec![name.to_owned()]
    };
    std::env::split_paths(&paths)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_off_each_browsers_line() {
        assert_eq!(
            version_in("Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)\n"),
            Some("156.0.8078.114")
        );
        assert_eq!(
            version_in("Google Chrome 131.0.6778.85 \n"),
            Some("131.0.6778.85")
        );
        assert_eq!(version_in("Brave Browser 131.1.73.89"), Some("131.1.73.89"));
        for none in [
            "",
            "Chromium",
            "Chromium 156.0.8078",
            "Chromium 1.2.3.x",
            "1..2.3",
        ] {
            assert_eq!(version_in(none), None, "{none}");
        }
    }

    #[test]
    fn a_missing_configured_browser_names_the_install() {
        let err = find_browser(Some(Path::new("/nonexistent/chromium"))).expect_err("not found");
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/chromium"), "{msg}");
        assert!(msg.contains(crate::INSTALL_HINT), "{msg}");
        assert_eq!(err.code(), "browser_not_found");
    }

    use exhibit_domain::env_lookup as vars;

    #[test]
    fn windows_table_covers_program_files_and_local_app_data_in_preference_order() {
        let env = vars(&[
            ("ProgramFiles", r"C:\Program Files"),
            ("ProgramW6432", r"C:\Program Files"),
            ("ProgramFiles(x86)", r"C:\Program Files (x86)\"),
            ("LocalAppData", r"C:\Users\ana\AppData\Local"),
        ]);
        let paths: Vec<String> = windows_install_paths(&env)
            .iter()
            .map(|p| p.to_string_lossy().replace('/', "\\"))
            .collect();
        // ProgramW6432 repeats ProgramFiles on 64-bit Windows: listed once.
        assert_eq!(paths.len(), 12, "{paths:#?}");
        assert_eq!(
            paths[0],
            r"C:\Program Files\Google\Chrome\Application\chrome.exe"
        );
        assert_eq!(
            paths[1],
            r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe"
        );
        assert_eq!(
            paths[2],
            r"C:\Users\ana\AppData\Local\Google\Chrome\Application\chrome.exe"
        );
        assert!(
            paths.contains(
                &r"C:\Users\ana\AppData\Local\Chromium\Application\chrome.exe".to_owned()
            )
        );
        assert!(
            paths.contains(
                &r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe".to_owned()
            )
        );
        assert_eq!(
            paths[11],
            r"C:\Users\ana\AppData\Local\BraveSoftware\Brave-Browser\Application\brave.exe"
        );
        let edge = paths.iter().position(|p| p.ends_with("msedge.exe"));
        let chromium = paths.iter().position(|p| p.contains("Chromium"));
        assert!(chromium < edge, "Chrome and Chromium before Edge");
        // No variables (not Windows): nothing to look at.
        assert!(windows_install_paths(&vars(&[])).is_empty());
    }

    #[test]
    fn macos_table_looks_inside_the_app_bundles() {
        let paths = macos_install_paths(&vars(&[("HOME", "/Users/ana")]));
        assert_eq!(
            paths[0],
            Path::new("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
        );
        assert_eq!(
            paths[1],
            Path::new("/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
        );
        for exe in [
            "/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
            "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
        ] {
            assert!(paths.contains(&PathBuf::from(exe)), "{exe}");
        }
        assert_eq!(macos_install_paths(&vars(&[])).len(), MACOS_APPS.len());
    }

    /// The tables name real files: a fake Program Files with Edge only finds Edge, as
    /// `find_browser` would on Windows.
    #[test]
    fn the_first_installed_browser_in_the_table_is_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().display().to_string();
        let pairs = [("ProgramFiles", root.as_str())];
        let env = vars(&pairs);
        let edge = dir.path().join("Microsoft/Edge/Application/msedge.exe");
        std::fs::create_dir_all(edge.parent().expect("parent")).expect("mkdir");
        std::fs::write(&edge, b"").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&edge, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        let found = windows_install_paths(&env)
            .into_iter()
            .find(|p| is_executable(p));
        assert_eq!(found.as_deref(), Some(edge.as_path()));
    }
}
