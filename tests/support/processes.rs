//! Processes the tests start and stop: a private X display for the tests that show a
//! window (Chromium under `exhibit browse`, the app under src-tauri's WebDriver harness),
//! and stopping a child by signal.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private X display (Xvfb), stopped when dropped.
#[derive(Debug)]
pub struct Xvfb {
    child: Child,
    /// The display's name, for `DISPLAY` (`:N`).
    pub display: String,
}

impl Xvfb {
    /// Starts Xvfb on the first free display number, which it prints when ready.
    pub fn start() -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1400x1000x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb (Debian package xvfb, installed by scripts/setup.sh)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("Xvfb prints its display number");
        assert!(line.trim().parse::<u32>().is_ok(), "Xvfb said {line:?}");
        Xvfb {
            child,
            display: format!(":{}", line.trim()),
        }
    }
}

/// SIGTERM first, so Xvfb removes its lock and socket; SIGKILL after five seconds.
impl Drop for Xvfb {
    fn drop(&mut self) {
        signal(self.child.id(), "TERM");
        if !wait_child(&mut self.child, Duration::from_secs(5)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends the signal `sig` (`TERM`, `KILL`, …) to the process `pid`, with kill(1).
pub fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Waits for a child to exit; true when it did within `limit`.
pub fn wait_child(child: &mut Child, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}
