//! Finding the system's Chrome or Chromium. We never download one.

use std::path::{Path, PathBuf};

use crate::BrowserError;

/// The executables we look for on `PATH`, in order.
pub const BROWSER_NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The environment variable that names a browser when none is configured.
pub const BROWSER_ENV: &str = "EXHIBIT_BROWSER";

/// Find the browser to drive: the configured path, else `EXHIBIT_BROWSER`, else the first of
/// [`BROWSER_NAMES`] on `PATH`.
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
    Err(BrowserError::NotFound {
        looked: format!("looked on PATH for {}", BROWSER_NAMES.join(", ")),
    })
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
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
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
    fn a_missing_configured_browser_names_the_install() {
        let err = find_browser(Some(Path::new("/nonexistent/chromium"))).expect_err("not found");
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/chromium"), "{msg}");
        assert!(msg.contains(crate::INSTALL_HINT), "{msg}");
        assert_eq!(err.code(), "browser_not_found");
    }
}
