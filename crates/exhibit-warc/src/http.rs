//! The HTTP messages inside `request` and `response` records: written from a captured
//! exchange, and read back leniently (HTTP heads from the wild are not always UTF-8).
//!
//! A capture's body is stored as received after transfer decoding, with its
//! `Content-Encoding` kept. So that a replay tool does not de-chunk it again or trust a
//! wrong length, the writer renames `Transfer-Encoding` to
//! `X-Archive-Orig-Transfer-Encoding`, and a `Content-Length` that disagrees with the
//! stored body to `X-Archive-Orig-Content-Length` (adding a true one), as Webrecorder's
//! tools do.

/// The prefix replay tools recognise for headers kept only for the record.
pub(crate) const ORIG_PREFIX: &str = "X-Archive-Orig-";

/// The head of an HTTP message as read from a record.
#[derive(Debug, Clone, Default)]
pub(crate) struct HttpHead {
    /// The status code of a response whose status line has one.
    pub(crate) status: Option<u16>,
    pub(crate) headers: Vec<(String, String)>,
}

impl HttpHead {
    /// The first header of that name, compared without regard to case.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether a `Transfer-Encoding` header says the stored body is still chunked.
    pub(crate) fn is_chunked(&self) -> bool {
        self.headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
        })
    }
}

/// Where the HTTP head in `buf` ends (just past its blank line), looking from `from` on.
pub(crate) fn find_head_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < buf.len() {
        if buf[i] == b'\n' {
            match (buf.get(i + 1), buf.get(i + 2)) {
                (Some(b'\n'), _) => return Some(i + 2),
                (Some(b'\r'), Some(b'\n')) => return Some(i + 3),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Header text: UTF-8 where it is; otherwise ISO-8859-1, which is what HTTP/1.1 allowed
/// and maps every byte to a character, so nothing is lost or refused.
fn header_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Parses an HTTP head (start line and header lines, blank line optional).
pub(crate) fn parse_http_head(head: &[u8]) -> HttpHead {
    let text = header_text(head);
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip_while(|l| l.is_empty());
    let start_line = lines.next().unwrap_or_default().to_owned();
    let status = if start_line.starts_with("HTTP/") {
        start_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
    } else {
        None
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    HttpHead { status, headers }
}

/// Decodes a chunked body; `None` when it is not valid chunked data.
pub(crate) fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = rest.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = line.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() < size {
            return None;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))?;
    }
}

/// The protocol of a start line: `HTTP/1.1` for `1.1`, `http/1.1` or nothing, `HTTP/2`
/// for `h2`, and so on, since replay tools parse only `HTTP/…`.
pub(crate) fn http_version(given: &str) -> String {
    let v = given.trim();
    let lower = v.to_ascii_lowercase();
    let bare = lower.strip_prefix("http/").unwrap_or(&lower);
    match bare {
        "" => "HTTP/1.1".to_owned(),
        "h2" | "h2c" | "2" | "2.0" => "HTTP/2".to_owned(),
        "h3" | "3" | "3.0" => "HTTP/3".to_owned(),
        b if b.chars().all(|c| c.is_ascii_digit() || c == '.') => format!("HTTP/{b}"),
        _ => "HTTP/1.1".to_owned(),
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Headers made safe for an HTTP/1.1 head. The input comes from the network, so nothing
/// here refuses: HTTP/2 pseudo-headers (`:path`) are dropped (the start line carries
/// them), a value holding newlines (how DevTools joins repeated headers) becomes one
/// header per line, other control characters become spaces, and characters a header
/// name cannot hold become `_`.
pub(crate) fn clean_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let name = name.trim();
        if name.is_empty() || name.starts_with(':') {
            continue;
        }
        let name: String = name
            .chars()
            .map(|c| if is_token_char(c) { c } else { '_' })
            .collect();
        for line in value.split('\n') {
            let v: String = line
                .chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect();
            out.push((name.clone(), v.trim().to_owned()));
        }
    }
    out
}

fn push_headers(out: &mut Vec<u8>, headers: &[(String, String)]) {
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// The head of a request record: request line and cleaned headers, plus `Host` when
/// the capture has none (an HTTP/2 capture carries it as `:authority`).
pub(crate) fn request_head(
    method: &str,
    target: &str,
    host: Option<&str>,
    version: &str,
    headers: &[(String, String)],
) -> Vec<u8> {
    let mut headers = clean_headers(headers);
    if let Some(host) = host
        && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host"))
    {
        headers.insert(0, ("Host".to_owned(), host.to_owned()));
    }
    let mut out = format!("{method} {target} {}\r\n", http_version(version)).into_bytes();
    push_headers(&mut out, &headers);
    out
}

/// The head of a response record, with the renames described in the module overview.
pub(crate) fn response_head(
    version: &str,
    status: u16,
    reason: &str,
    headers: &[(String, String)],
    body_len: usize,
) -> Vec<u8> {
    let mut headers = clean_headers(headers);
    let declared_wrong = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("content-length") && v.trim() != body_len.to_string());
    for (name, _) in headers.iter_mut() {
        if name.eq_ignore_ascii_case("transfer-encoding")
            || (declared_wrong && name.eq_ignore_ascii_case("content-length"))
        {
            *name = format!("{ORIG_PREFIX}{name}");
        }
    }
    if declared_wrong {
        headers.push(("Content-Length".to_owned(), body_len.to_string()));
    }
    let reason: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = format!("{} {status} {}\r\n", http_version(version), reason.trim()).into_bytes();
    push_headers(&mut out, &headers);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn response_head_renames_what_no_longer_describes_the_body() {
        let head = response_head(
            "http/1.1",
            200,
            "OK",
            &h(&[
                ("Transfer-Encoding", "chunked"),
                ("Content-Length", "5"),
                ("Set-Cookie", "a=1\nb=2"),
                (":status", "200"),
            ]),
            10,
        );
        let text = String::from_utf8(head).unwrap_or_default();
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\nX-Archive-Orig-Transfer-Encoding: chunked\r\nX-Archive-Orig-Content-Length: 5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 10\r\n\r\n"
        );
        let kept = response_head("h2", 404, "", &h(&[("content-length", "3")]), 3);
        assert_eq!(
            String::from_utf8(kept).unwrap_or_default(),
            "HTTP/2 404 \r\ncontent-length: 3\r\n\r\n"
        );
    }

    #[test]
    fn parses_heads_and_chunks() {
        let head = parse_http_head(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nX: caf\xe9\r\n\r\n");
        assert_eq!(head.status, Some(301));
        assert_eq!(head.get("location"), Some("/x"));
        assert_eq!(head.get("x"), Some("café"));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\n\r\nbody", 0), Some(18));
        assert_eq!(find_head_end(b"a\n\nb", 0), Some(3));
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n"),
            Some(b"Wikipedia".to_vec())
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"ff\r\nshort"), None);
    }
}
