//! How a browser is launched and how long a page may take.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The default viewport in CSS pixels: a common laptop screen.
pub const DEFAULT_VIEWPORT: (u32, u32) = (1366, 900);
/// The default time budget for one page, from opening the tab to the last artifact.
pub const DEFAULT_PAGE_TIMEOUT: Duration = Duration::from_secs(45);
/// The default quiet period that counts as "network idle".
pub const DEFAULT_NETWORK_IDLE: Duration = Duration::from_millis(800);
/// The default cap on the screenshot's height in CSS pixels.
///
/// 16,384 is the largest texture side most GPU and software rasterisers accept in one piece;
/// beyond it Chromium tiles or fails, and a PNG of 1366 × 16,384 is already about 22 million
/// pixels. Real listing pages end well before it; endless feeds do not end at all.
pub const DEFAULT_MAX_SCREENSHOT_HEIGHT: u32 = 16_384;

/// How long loading and settling may take at most; see [`BrowserOptions::settle_limit`].
pub const DEFAULT_SETTLE_LIMIT: Duration = Duration::from_secs(15);

/// How to launch the capture browser.
#[derive(Debug, Clone, PartialEq)]
pub struct BrowserOptions {
    /// The Chrome or Chromium executable, usually from [`crate::find_browser`].
    pub executable: PathBuf,
    /// The case's own profile folder (cookies, cache, logins); created if missing.
    pub profile_dir: PathBuf,
    /// `false` opens a visible window for logging in and `exhibit snap`.
    pub headless: bool,
    /// Viewport in CSS pixels, set on every capture tab.
    pub viewport: (u32, u32),
    /// Device pixel ratio; 1.0 gives one PNG pixel per CSS pixel.
    pub device_scale: f64,
    /// BCP 47 locale for `navigator.language`, `Intl` and `Accept-Language`.
    pub locale: String,
    /// IANA time zone; `None` keeps the machine's.
    pub timezone: Option<String>,
    /// Budget for one page, from opening the tab to the last artifact.
    pub page_timeout: Duration,
    /// Quiet period with no request in flight that counts as idle; bounded by `page_timeout`.
    pub network_idle: Duration,
    /// The longest a page may take to load and go quiet before it is captured as it is
    /// (at most half of `page_timeout`). Marketplace pages keep beacons and trackers
    /// open for ever; waiting longer shows nothing more and starves the artifacts.
    pub settle_limit: Duration,
    /// Screenshots of taller pages are cut at this height (CSS px) and the cut is recorded.
    pub max_screenshot_height: u32,
    /// Chromium host resolver rules, such as `MAP shop.test:443 127.0.0.1:8443`.
    pub host_resolver_rules: Vec<String>,
    /// PEM files' contents whose certificates are trusted as extra roots, in this profile only.
    ///
    /// Chromium on Linux adds the trust anchors of `$HOME/.pki/nssdb` to its own root store.
    /// Chromium runs with `HOME=<profile_dir>/home`, and that NSS database is rebuilt with
    /// `certutil` (Debian: libnss3-tools) at every launch to hold exactly these roots, trusted
    /// for TLS servers only. No other browser or case sees them, and certificate errors are
    /// never ignored.
    pub extra_root_pems: Vec<Vec<u8>>,
    /// Overrides the browser's own user agent when set.
    pub user_agent: Option<String>,
    /// Names the listing's main image in a rendered page, so that its bytes are taken
    /// from the browser's own response before the tab closes (see
    /// [`crate::BrowserCapture::main_image`]). `None`: no image is taken.
    pub main_image: Option<ImagePicker>,
}

/// Reads a rendered page and names its main image: called with the rendered DOM and the
/// page's URL, it answers with the image's absolute URL, or `None`. The facade gives one
/// built on the extractor, so this crate never judges a page itself.
#[derive(Clone)]
pub struct ImagePicker(pub Arc<PickImage>);

/// `(rendered DOM, page URL) -> main image URL`.
pub type PickImage = dyn Fn(&str, &str) -> Option<String> + Send + Sync;

impl std::fmt::Debug for ImagePicker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImagePicker")
    }
}

impl PartialEq for ImagePicker {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl BrowserOptions {
    /// Options with every default: headless, 1366 × 900 at scale 1, en-US, the machine's time
    /// zone, 45 s per page, 800 ms idle, at most 15 s to settle, screenshots cut at 16,384 px.
    pub fn new(executable: impl Into<PathBuf>, profile_dir: impl Into<PathBuf>) -> Self {
        BrowserOptions {
            executable: executable.into(),
            profile_dir: profile_dir.into(),
            headless: true,
            viewport: DEFAULT_VIEWPORT,
            device_scale: 1.0,
            locale: "en-US".to_string(),
            timezone: None,
            page_timeout: DEFAULT_PAGE_TIMEOUT,
            network_idle: DEFAULT_NETWORK_IDLE,
            settle_limit: DEFAULT_SETTLE_LIMIT,
            max_screenshot_height: DEFAULT_MAX_SCREENSHOT_HEIGHT,
            host_resolver_rules: Vec::new(),
            extra_root_pems: Vec::new(),
            user_agent: None,
            main_image: None,
        }
    }
}
