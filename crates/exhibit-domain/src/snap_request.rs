//! The request line of the `exhibit browse` session socket: `snap`, optionally followed
//! by the snap's own `--tsa` settings as JSON. The socket comes from anyone who can
//! reach it, so the line is read as hostile input: at most [`MAX_SNAP_REQUEST_BYTES`],
//! and anything that does not parse means a plain snap. Pure: the caller owns the
//! socket and hands over a reader.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The most bytes of a request line read; the rest is never looked at.
pub const MAX_SNAP_REQUEST_BYTES: u64 = 64 * 1024;

/// `exhibit snap --tsa … --tsa-ca …`, as sent after the word `snap` on the request line.
#[derive(Serialize, Deserialize, Debug, Default, Clone, PartialEq, Eq)]
pub struct SnapTsa {
    /// The time-stamp authorities to ask, in order.
    pub urls: Vec<String>,
    /// Extra roots (PEM files, absolute paths) their certificates may chain to.
    pub roots: Vec<PathBuf>,
}

impl SnapTsa {
    /// The request line that asks for a snap with these settings (without the newline).
    pub fn request_line(&self) -> Result<String, serde_json::Error> {
        Ok(format!("snap {}", serde_json::to_string(self)?))
    }
}

/// Reads the request line of a `snap` connection. `None` means a plain snap: a client
/// that sends nothing, a line that cannot be read or does not start with `snap`, JSON
/// that does not parse, or settings that name no authority.
pub fn read_snap_request<R: Read>(conn: R) -> Option<SnapTsa> {
    let mut line = String::new();
    let mut reader = BufReader::new(conn).take(MAX_SNAP_REQUEST_BYTES);
    reader.read_line(&mut line).ok()?;
    parse_snap_line(&line)
}

/// Parses one request line, as [`read_snap_request`] does after reading it.
pub fn parse_snap_line(line: &str) -> Option<SnapTsa> {
    let json = line.trim_end().strip_prefix("snap")?.trim();
    if json.is_empty() {
        return None;
    }
    serde_json::from_str::<SnapTsa>(json)
        .ok()
        .filter(|t| !t.urls.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_line() {
        let tsa = SnapTsa {
            urls: vec!["http://127.0.0.1:1/tsr".to_owned()],
            roots: vec![PathBuf::from("/tmp/ca.pem")],
        };
        let line = tsa.request_line().expect("encode") + "\n";
        assert_eq!(read_snap_request(line.as_bytes()), Some(tsa));
    }

    #[test]
    fn anything_else_is_a_plain_snap() {
        for line in [
            &b""[..],
            b"snap\n",
            b"snap {}\n",
            b"snap {\"urls\":[],\"roots\":[]}\n",
            b"snap {\"urls\":\n",
            b"SNAP {\"urls\":[\"x\"],\"roots\":[]}\n",
            b"\xff\xfe snap\n",
        ] {
            assert_eq!(read_snap_request(line), None, "{line:?}");
        }
        // A line longer than the cap is cut, so its JSON never closes.
        let long = format!(
            "snap {{\"urls\":[\"{}\"],\"roots\":[]}}\n",
            "a".repeat(MAX_SNAP_REQUEST_BYTES as usize)
        );
        assert_eq!(read_snap_request(long.as_bytes()), None);
    }
}
