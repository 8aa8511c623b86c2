//! Long output through a pager, as `git log` does it.
//!
//! Only when stdout is a terminal and the text is taller than the screen: then it goes
//! to `$PAGER` (run by the shell, so it may carry options), else `less` with `LESS=FRX`
//! when `LESS` is unset (quit if one screen, keep colours, leave the text on screen).
//! Piped or redirected output, `--json` and short lists are printed as they are, and so
//! is everything when the pager cannot be started. What this module never does: page
//! anything a script reads, or fail a command because the pager did.

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

/// Prints `text`, through the pager when a person is reading a text taller than the
/// screen.
pub fn show(text: &str) {
    if !taller_than_screen(text) || !through_pager(text) {
        print_plain(text);
    }
}

fn print_plain(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`exhibit list … | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn taller_than_screen(text: &str) -> bool {
    if !std::io::stdout().is_terminal() {
        return false;
    }
    let rows = console::Term::stdout()
        .size_checked()
        .map(|(rows, _)| usize::from(rows))
        .unwrap_or(24);
    text.lines().count() >= rows
}

/// Writes `text` into the pager and waits for the reader to quit it. False when no
/// pager could be started (or the shell found none), so the caller prints the text.
fn through_pager(text: &str) -> bool {
    let line = match std::env::var("PAGER") {
        // Paging turned off.
        Ok(p) if p.trim().is_empty() || p.trim() == "cat" => return false,
        Ok(p) => p,
        // No shell in between: a missing `less` is then a failed spawn, not lost text.
        Err(_) => "less".into(),
    };
    let mut command = if cfg!(windows) || line == "less" {
        let mut words = line.split_whitespace();
        let Some(program) = words.next() else {
            return false;
        };
        let mut c = Command::new(program);
        c.args(words);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c").arg(&line);
        c
    };
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    let Ok(mut child) = command.stdin(Stdio::piped()).spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The reader may quit before the end: a broken pipe is how that looks.
        let _ = stdin.write_all(text.as_bytes());
    }
    // 127: the shell could not find the pager, and nothing was shown.
    !matches!(child.wait().map(|s| s.code()), Ok(Some(127)))
}
