//! `exhibit browse` and `exhibit snap`: one process holds the case and the visible
//! browser; `snap`, run from another terminal (or a script), asks it to capture the tab
//! the user is looking at.
//!
//! They talk over a channel in the user's data folder, named after the case file's
//! absolute path (see [`channel`]): a Unix socket readable by this user only on Linux and
//! macOS; on Windows a TCP socket on 127.0.0.1 whose port and random token are in a file
//! there, and a connection that does not send the token first is dropped. The channel
//! carries one request line, `snap`, and one answer line; it never carries the
//! passphrase or evidence.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use exhibit::snap_request::{SnapTsa, read_snap_request};
use exhibit::{BrowseSession, Case};

use crate::{Failure, print, usage};

/// How long `snap` waits for the browsing process to answer: a snap takes at most the
/// page time limit.
const SNAP_ANSWER_TIMEOUT: Duration = Duration::from_secs(180);

/// The socket of the browsing process for this case file.
pub fn socket_path(case: &Path) -> Result<PathBuf, Failure> {
    let absolute = std::fs::canonicalize(case).map_err(|e| {
        usage(format!(
            "Cannot find the case file {}: {e}.",
            case.display()
        ))
    })?;
    let digest = exhibit::sha256(absolute.as_os_str().as_encoded_bytes()).to_hex();
    let dir = exhibit::data_dir()?.join("sessions");
    Ok(dir.join(format!("{}.{}", &digest[..16], channel::EXTENSION)))
}

use channel::Stream;

enum Request {
    /// A snap asked for over the socket, with the time-stamp authorities its `--tsa`
    /// named, if any.
    Snap(Stream, Option<SnapTsa>),
}

/// Runs the visible browser until the user closes it or presses Ctrl-C; snaps on each
/// request from `exhibit snap` and on each Enter typed in this terminal.
pub fn serve(
    case: &Case,
    case_path: &Path,
    mut session: BrowseSession,
    session_tsa: Option<Arc<exhibit::PreparedTsa>>,
) -> Result<u8, Failure> {
    let path = socket_path(case_path)?;
    let listener = channel::bind(&path)?;
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop));
    let (tx, rx) = mpsc::channel::<Option<Request>>();
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            while let Some(conn) = listener.accept() {
                let Ok(conn) = conn else { continue };
                let tsa = read_request(&conn);
                if tx.send(Some(Request::Snap(conn, tsa))).is_err() {
                    break;
                }
            }
        });
    }
    {
        // Enter in this terminal snaps too; end of input just stops listening to it.
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                if line.is_err() || tx.send(None).is_err() {
                    break;
                }
            }
        });
    }
    println!(
        "The browser is open with this case's profile. Log in and open a listing, then press \
         Enter here (or run `exhibit snap {}`) to capture the tab you see. Close the browser \
         or press Ctrl-C to finish.",
        case_path.display()
    );
    let mut not_ok = 0usize;
    while !stop.load(Ordering::SeqCst) && session.is_open() {
        let request = match rx.recv_timeout(Duration::from_millis(300)) {
            Ok(r) => r,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // A snap's own --tsa replaces the session's for that snap.
        let own_tsa = match &request {
            Some(Request::Snap(_, Some(t))) => {
                match exhibit::TsaSettings::new(t.urls.clone(), t.roots.clone()).prepare() {
                    Ok(p) => Some(p),
                    Err(e) => {
                        if let Some(Request::Snap(mut conn, _)) = request {
                            let _ = writeln!(conn, "2 {e}");
                        }
                        continue;
                    }
                }
            }
            _ => None,
        };
        session.set_tsa(own_tsa.unwrap_or_else(|| session_tsa.clone()));
        let outcome = session.snap(case);
        let line = print::outcome_line(&outcome).replace('\n', "; ");
        println!("{line}");
        if outcome.status != exhibit::CaptureStatus::Ok || outcome.capture_id.is_none() {
            not_ok += 1;
        }
        if let Some(Request::Snap(mut conn, _)) = request {
            let code = if outcome.capture_id.is_none() {
                2
            } else if outcome.status == exhibit::CaptureStatus::Ok {
                0
            } else {
                1
            };
            let _ = writeln!(conn, "{code} {line}");
        }
    }
    let _ = std::fs::remove_file(&path);
    let snaps = session.snaps();
    session.close();
    println!(
        "Closed the browser after {snaps} capture{}.",
        if snaps == 1 { "" } else { "s" }
    );
    Ok(if not_ok == 0 { 0 } else { 1 })
}

/// Reads the request line of a `snap` connection: `snap`, optionally followed by the
/// snap's `--tsa` settings as JSON (parsed by `exhibit_domain::snap_request`, which the
/// fuzzer reaches). A client that sends nothing still gets a snap.
fn read_request(conn: &Stream) -> Option<SnapTsa> {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
    read_snap_request(conn.try_clone().ok()?)
}

/// Asks the browsing process of this case to capture its current tab.
pub fn snap(case_path: &Path, tsa_urls: &[String], tsa_roots: &[PathBuf]) -> Result<u8, Failure> {
    let path = socket_path(case_path)?;
    let no_browser = || {
        usage(format!(
            "No browser is open for this case. Run `exhibit browse {}` first, log in and open \
             the listing, then run `exhibit snap` again.",
            case_path.display()
        ))
    };
    let mut conn = channel::connect(&path).map_err(|_| no_browser())?;
    conn.set_read_timeout(Some(SNAP_ANSWER_TIMEOUT))
        .map_err(|e| usage(format!("Could not talk to the browsing process: {e}.")))?;
    let request = if tsa_urls.is_empty() {
        "snap".to_owned()
    } else {
        // Absolute paths: the browsing process may run in another folder.
        let roots = tsa_roots
            .iter()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect();
        let settings = SnapTsa {
            urls: tsa_urls.to_vec(),
            roots,
        };
        settings
            .request_line()
            .map_err(|e| usage(format!("Could not send the --tsa settings: {e}.")))?
    };
    writeln!(conn, "{request}").map_err(|_| no_browser())?;
    let mut answer = String::new();
    BufReader::new(conn)
        .read_line(&mut answer)
        .map_err(|e| usage(format!("The browsing process did not answer: {e}.")))?;
    let (code, line) = answer.trim_end().split_once(' ').ok_or_else(|| {
        usage("The browsing process closed before the capture finished; see its window.")
    })?;
    println!("{line}");
    Ok(code.parse().unwrap_or(1))
}

/// Ctrl-C and SIGTERM (Ctrl-C and Ctrl-Break on Windows) end the session cleanly: the
/// browser closes politely and the socket is removed.
fn watch_signals(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(_) => return,
        };
        #[cfg(windows)]
        runtime.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
        #[cfg(unix)]
        runtime.block_on(async {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut int), Ok(mut term)) = (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) else {
                return;
            };
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        });
        stop.store(true, Ordering::SeqCst);
    });
}

/// The channel between `browse` and `snap`, one implementation per system.
mod channel {
    use std::path::Path;

    use crate::{Failure, usage};

    fn create_dir(path: &Path) -> Result<(), Failure> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| usage(format!("Could not create {}: {e}.", dir.display())))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
            }
        }
        Ok(())
    }

    fn already_open() -> Failure {
        usage("A browser is already open for this case; use that one, or close it first.")
    }

    fn could_not_open(path: &Path, e: impl std::fmt::Display) -> Failure {
        usage(format!(
            "Could not open the channel for `exhibit snap` at {}: {e}.",
            path.display()
        ))
    }

    #[cfg(unix)]
    pub use unix::*;
    #[cfg(unix)]
    mod unix {
        use std::os::unix::fs::PermissionsExt;
        use std::os::unix::net::{UnixListener, UnixStream};
        use std::path::Path;

        use super::{already_open, could_not_open, create_dir};
        use crate::Failure;

        pub const EXTENSION: &str = "sock";
        pub type Stream = UnixStream;

        pub struct Listener(UnixListener);

        impl Listener {
            /// The next connection; `None` once the listener is closed.
            pub fn accept(&self) -> Option<std::io::Result<Stream>> {
                Some(self.0.accept().map(|(s, _)| s))
            }
        }

        /// Binds the socket, replacing one left behind by a browsing process that died,
        /// but refusing to run beside a live one.
        pub fn bind(path: &Path) -> Result<Listener, Failure> {
            create_dir(path)?;
            if path.exists() {
                if UnixStream::connect(path).is_ok() {
                    return Err(already_open());
                }
                let _ = std::fs::remove_file(path);
            }
            let listener = UnixListener::bind(path).map_err(|e| could_not_open(path, e))?;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
            Ok(Listener(listener))
        }

        pub fn connect(path: &Path) -> std::io::Result<Stream> {
            UnixStream::connect(path)
        }
    }

    #[cfg(windows)]
    pub use windows::*;
    /// Windows: a TCP socket on 127.0.0.1 and a file holding `PORT TOKEN`. The file is in
    /// the user's own data folder (`%APPDATA%`, which only that user can read), so only
    /// that user's processes learn the token; a client sends it as its first line.
    #[cfg(windows)]
    mod windows {
        use std::io::{BufRead, BufReader, Write};
        use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
        use std::path::Path;
        use std::time::Duration;

        use super::{already_open, could_not_open, create_dir};
        use crate::Failure;

        pub const EXTENSION: &str = "port";
        pub type Stream = TcpStream;

        pub struct Listener {
            listener: TcpListener,
            token: String,
        }

        impl Listener {
            /// The next connection that sent the token; others are dropped.
            pub fn accept(&self) -> Option<std::io::Result<Stream>> {
                loop {
                    let conn = match self.listener.accept() {
                        Ok((c, _)) => c,
                        Err(e) => return Some(Err(e)),
                    };
                    if sent_token(&conn, &self.token) {
                        return Some(Ok(conn));
                    }
                }
            }
        }

        fn sent_token(conn: &TcpStream, token: &str) -> bool {
            let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
            let Ok(clone) = conn.try_clone() else {
                return false;
            };
            let mut line = String::new();
            // One byte at a time, so nothing after the token line is read ahead.
            let mut reader = BufReader::with_capacity(1, clone);
            reader.read_line(&mut line).is_ok() && line.trim_end() == token
        }

        fn read_file(path: &Path) -> Option<(u16, String)> {
            let text = std::fs::read_to_string(path).ok()?;
            let (port, token) = text.trim().split_once(' ')?;
            Some((port.parse().ok()?, token.to_owned()))
        }

        pub fn bind(path: &Path) -> Result<Listener, Failure> {
            create_dir(path)?;
            if path.exists() {
                // A bare connection, without the token: the live process drops it
                // rather than taking it for a snap.
                let live = read_file(path).is_some_and(|(port, _)| {
                    TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok()
                });
                if live {
                    return Err(already_open());
                }
                let _ = std::fs::remove_file(path);
            }
            let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
                .map_err(|e| could_not_open(path, e))?;
            let port = listener
                .local_addr()
                .map_err(|e| could_not_open(path, e))?
                .port();
            let token = uuid::Uuid::new_v4().simple().to_string();
            std::fs::write(path, format!("{port} {token}\n"))
                .map_err(|e| could_not_open(path, e))?;
            Ok(Listener { listener, token })
        }

        pub fn connect(path: &Path) -> std::io::Result<Stream> {
            let (port, token) = read_file(path).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "no session file")
            })?;
            let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
            writeln!(conn, "{token}")?;
            Ok(conn)
        }
    }
}
