//! Starting the Chromium process for one case profile, and the trust scoped to that profile.
//!
//! We spawn Chromium ourselves (rather than through chromiumoxide's launcher) so that we own
//! the child process: a watchdog awaits its exit, which is how a crash turns
//! [`crate::Browser::is_alive`] false at once, and we choose every flag and environment
//! variable ourselves.
//!
//! **Extra trusted roots.** Chromium on Linux verifies certificates with its own root store
//! plus the trust anchors in the user's NSS database, `$HOME/.pki/nssdb`. We start Chromium
//! with `HOME` pointing at `<profile>/home`, and rebuild `<profile>/home/.pki/nssdb` with
//! `certutil` (libnss3-tools) at every launch so that it holds exactly the roots given for
//! this launch, marked as trusted for TLS servers only (`C,,`). The trust therefore
//! reaches this case's browser and nothing else: not the user's own browser, not another
//! case. `--ignore-certificate-errors-spki-list` was rejected: it pins leaf keys, not roots,
//! and switches off the real verification that the capture record relies on. Certificate
//! errors are never ignored otherwise.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::{BrowserError, BrowserOptions};

/// How long Chromium may take to offer its DevTools endpoint.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(20);
/// How many of Chromium's last stderr lines we keep to explain a crash.
const STDERR_LINES_KEPT: usize = 20;

/// A started Chromium, before the DevTools connection.
pub(crate) struct Started {
    pub child: Child,
    pub ws_url: String,
    pub stderr_tail: Arc<Mutex<VecDeque<String>>>,
}

/// The private home folder inside the profile that Chromium runs with.
pub(crate) fn private_home(profile_dir: &Path) -> PathBuf {
    profile_dir.join("home")
}

/// The command-line flags for one launch (without the executable).
pub(crate) fn launch_args(opts: &BrowserOptions, as_root: bool) -> Vec<String> {
    let (width, height) = opts.viewport;
    let mut args = vec![
        "--remote-debugging-port=0".to_string(),
        format!("--user-data-dir={}", opts.profile_dir.display()),
        "--no-first-run".to_string(),
        "--no-default-browser-check".to_string(),
        "--disable-background-networking".to_string(),
        "--disable-component-update".to_string(),
        "--disable-sync".to_string(),
        "--disable-default-apps".to_string(),
        "--disable-extensions".to_string(),
        "--disable-breakpad".to_string(),
        "--disable-hang-monitor".to_string(),
        "--disable-prompt-on-repost".to_string(),
        // Capture tabs must keep running when they are not the focused one.
        "--disable-background-timer-throttling".to_string(),
        "--disable-backgrounding-occluded-windows".to_string(),
        "--disable-renderer-backgrounding".to_string(),
        // Logins live in the profile, never in the desktop keyring (no unlock prompts).
        "--password-store=basic".to_string(),
        "--use-mock-keychain".to_string(),
        // The same colours on every machine, so screenshots compare.
        "--force-color-profile=srgb".to_string(),
        format!("--lang={}", opts.locale),
        format!("--accept-lang={}", opts.locale),
        format!("--window-size={width},{height}"),
    ];
    if opts.headless {
        args.push("--headless=new".to_string());
        args.push("--hide-scrollbars".to_string());
        args.push("--mute-audio".to_string());
    }
    if as_root {
        args.push("--no-sandbox".to_string());
    }
    if !opts.host_resolver_rules.is_empty() {
        args.push(format!(
            "--host-resolver-rules={}",
            opts.host_resolver_rules.join(", ")
        ));
    }
    args.push("about:blank".to_string());
    args
}

/// Whether this process runs as root (Chromium then needs `--no-sandbox`).
pub(crate) fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // /proc/self belongs to the effective user of this process.
        std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Create the profile folders and rebuild the profile's NSS trust store.
pub(crate) async fn prepare_profile(opts: &BrowserOptions) -> Result<(), BrowserError> {
    let home = private_home(&opts.profile_dir);
    for dir in [&opts.profile_dir, &home] {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|source| BrowserError::Profile {
                path: dir.clone(),
                source,
            })?;
    }
    let nssdb = home.join(".pki").join("nssdb");
    // The store holds exactly this launch's roots: anything left from an earlier launch goes.
    if tokio::fs::try_exists(&nssdb).await.unwrap_or(false) {
        tokio::fs::remove_dir_all(&nssdb)
            .await
            .map_err(|source| BrowserError::Profile {
                path: nssdb.clone(),
                source,
            })?;
    }
    let mut roots = Vec::new();
    for pem in &opts.extra_root_pems {
        let certs = pem_certificates(pem)?;
        if certs.is_empty() {
            return Err(BrowserError::Trust(
                "an extra root file holds no PEM certificate".to_string(),
            ));
        }
        roots.extend(certs);
    }
    if roots.is_empty() {
        return Ok(());
    }
    tokio::fs::create_dir_all(&nssdb)
        .await
        .map_err(|source| BrowserError::Profile {
            path: nssdb.clone(),
            source,
        })?;
    let db = format!("sql:{}", nssdb.display());
    certutil(&["-N", "-d", &db, "--empty-password"]).await?;
    for (i, der) in roots.iter().enumerate() {
        // A root certificate is public: writing it to the profile exposes nothing.
        let file = nssdb.join(format!("exhibit-root-{i}.der"));
        tokio::fs::write(&file, der)
            .await
            .map_err(|source| BrowserError::Profile {
                path: file.clone(),
                source,
            })?;
        let name = format!("exhibit-extra-root-{i}");
        let file_arg = file.display().to_string();
        let added = certutil(&["-A", "-d", &db, "-n", &name, "-t", "C,,", "-i", &file_arg]).await;
        let _ = tokio::fs::remove_file(&file).await;
        added?;
    }
    Ok(())
}

async fn certutil(args: &[&str]) -> Result<(), BrowserError> {
    let output = Command::new("certutil")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BrowserError::CertutilMissing,
            _ => BrowserError::Trust(format!("certutil could not run: {e}")),
        })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(BrowserError::Trust(format!(
            "certutil {} failed: {}",
            args.first().copied().unwrap_or_default(),
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// The DER of every `CERTIFICATE` block in a PEM file.
pub(crate) fn pem_certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, BrowserError> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let text = String::from_utf8_lossy(pem);
    let mut out = Vec::new();
    let mut rest = text.as_ref();
    while let Some(start) = rest.find(BEGIN) {
        let after = &rest[start + BEGIN.len()..];
        let Some(end) = after.find(END) else {
            return Err(BrowserError::Trust(
                "a PEM certificate has no END line".to_string(),
            ));
        };
        let b64: String = after[..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|e| {
                BrowserError::Trust(format!("a PEM certificate is not valid base64: {e}"))
            })?;
        out.push(der);
        rest = &after[end + END.len()..];
    }
    Ok(out)
}

/// Kill the browser we started, and on Linux the processes it started itself: a launcher
/// script that runs the browser without `exec` (Debian's `chromium-headless-shell` does)
/// would otherwise leave the browser running, holding the case's profile.
pub(crate) fn kill(child: &mut Child) {
    #[cfg(target_os = "linux")]
    if let Some(pid) = child.id() {
        for below in children_of(pid) {
            if let Some(p) = i32::try_from(below)
                .ok()
                .and_then(rustix::process::Pid::from_raw)
            {
                let _ = rustix::process::kill_process(p, rustix::process::Signal::KILL);
            }
        }
    }
    let _ = child.start_kill();
}

/// The processes whose parent is `pid`, from `/proc/<pid>/stat`.
#[cfg(target_os = "linux")]
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                // "pid (name) state ppid …": the name may hold spaces and parentheses.
                .and_then(|stat| {
                    let after = stat.rsplit_once(')')?.1.to_owned();
                    after.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(pid)
        })
        .collect()
}

/// Spawn Chromium and wait for its DevTools endpoint.
pub(crate) async fn spawn(opts: &BrowserOptions) -> Result<Started, BrowserError> {
    let args = launch_args(opts, running_as_root());
    let home = private_home(&opts.profile_dir);
    let mut child = Command::new(&opts.executable)
        .args(&args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| BrowserError::Spawn {
            path: opts.executable.clone(),
            source,
        })?;

    let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
    let Some(stderr) = child.stderr.take() else {
        return Err(BrowserError::Launch(
            "its error output was not captured".into(),
        ));
    };
    let mut lines = BufReader::new(stderr).lines();
    let found = tokio::time::timeout(LAUNCH_TIMEOUT, async {
        loop {
            match lines.next_line().await {
                Ok(Some(line)) => {
                    if let Some(url) = line.trim().strip_prefix("DevTools listening on ") {
                        return Ok(url.trim().to_string());
                    }
                    push_line(&stderr_tail, line);
                }
                Ok(None) => return Err("it exited before offering its DevTools endpoint"),
                Err(_) => return Err("its error output could not be read"),
            }
        }
    })
    .await;
    let ws_url = match found {
        Ok(Ok(url)) => url,
        Ok(Err(why)) => {
            kill(&mut child);
            return Err(BrowserError::Launch(format!(
                "{why}; its last words: {}",
                tail_text(&stderr_tail)
            )));
        }
        Err(_) => {
            kill(&mut child);
            return Err(BrowserError::Launch(format!(
                "no DevTools endpoint after {} s; its last words: {}",
                LAUNCH_TIMEOUT.as_secs(),
                tail_text(&stderr_tail)
            )));
        }
    };
    // Keep draining stderr, or Chromium blocks once the pipe is full.
    let tail = stderr_tail.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            tracing::trace!(target: "exhibit_browser::chromium", "{line}");
            push_line(&tail, line);
        }
    });
    Ok(Started {
        child,
        ws_url,
        stderr_tail,
    })
}

fn push_line(tail: &Mutex<VecDeque<String>>, line: String) {
    let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
    if tail.len() == STDERR_LINES_KEPT {
        tail.pop_front();
    }
    tail.push_back(line);
}

pub(crate) fn tail_text(tail: &Mutex<VecDeque<String>>) -> String {
    let tail = tail.lock().unwrap_or_else(|e| e.into_inner());
    let text: Vec<&str> = tail
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if text.is_empty() {
        "(nothing)".to_string()
    } else {
        text.join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_split_and_decoded() {
        let pem = b"junk\n-----BEGIN CERTIFICATE-----\nAAEC\nAw==\n-----END CERTIFICATE-----\n\
-----BEGIN CERTIFICATE-----\nBAU=\n-----END CERTIFICATE-----\n";
        let certs = pem_certificates(pem).expect("valid PEM");
        assert_eq!(certs, vec![vec![0, 1, 2, 3], vec![4, 5]]);
    }

    #[test]
    fn flags_follow_the_options() {
        let mut opts = BrowserOptions::new("/usr/bin/chromium", "/tmp/p");
        opts.host_resolver_rules = vec!["MAP a.test:443 127.0.0.1:8443".into()];
        let args = launch_args(&opts, true);
        assert!(args.contains(&"--headless=new".to_string()));
        assert!(args.contains(&"--no-sandbox".to_string()));
        assert!(args.contains(&"--user-data-dir=/tmp/p".to_string()));
        assert!(args.contains(&"--host-resolver-rules=MAP a.test:443 127.0.0.1:8443".to_string()));
        opts.headless = false;
        let args = launch_args(&opts, false);
        assert!(!args.iter().any(|a| a.starts_with("--headless")));
        assert!(!args.contains(&"--no-sandbox".to_string()));
    }
}
