//! HTTP capture: fetch one URL and record every network fact an HTTP client can know.
//!
//! The main type is [`Fetcher`], built from [`FetchOptions`]; [`Fetcher::fetch`] returns a
//! [`Fetched`], which always describes what happened, even when the fetch failed part
//! way (then [`Fetched::error`] says why, in one plain sentence).
//!
//! Redirects are followed by hand so that every hop is recorded. Every limit is
//! enforced here: total time, body size, decompressed size, the number of redirects and
//! the URL scheme. The raw body is kept exactly as received after transfer decoding,
//! that is with any `Content-Encoding` still applied; the decoded copy is made here too,
//! with its own limit, because that is what a decompression bomb attacks.
//!
//! This crate judges nothing about the page and stores nothing: the facade does both.

mod decode;
mod options;

pub use options::{FetchOptions, OptionsError, ResolveOverride};

use std::time::Duration;

use chrono::{DateTime, Utc};
use exhibit_domain::{Header, Redirect};
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use tokio::time::{Instant, timeout_at};
use url::Url;

/// The one reason a fetch stopped early, in a form the caller can branch on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchErrorKind {
    /// The URL is malformed or not http/https.
    BadUrl,
    /// The total time limit ran out.
    Timeout,
    /// More redirects than allowed, a loop, or a redirect to a refused scheme.
    Redirect,
    /// The body is larger than the limit.
    TooLarge,
    /// The decoded body is larger than its limit.
    DecompressionBomb,
    /// The body could not be decoded (bad gzip, unknown encoding).
    Encoding,
    /// DNS, connection, TLS or a dropped connection.
    Network,
}

/// Why a fetch did not complete, with a sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub kind: FetchErrorKind,
    pub message: String,
}

impl FetchError {
    fn new(kind: FetchErrorKind, message: impl Into<String>) -> Self {
        FetchError {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Everything one fetch learned. Fields stay `None` where the fetch never got that far.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub requested_url: String,
    pub final_url: Option<Url>,
    pub redirects: Vec<Redirect>,
    pub http_version: Option<String>,
    pub http_status: Option<u16>,
    pub headers: Vec<Header>,
    pub remote_addr: Option<String>,
    /// DER of the server's TLS leaf certificate, for HTTPS.
    pub peer_certificate: Option<Vec<u8>>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// The body exactly as received after transfer decoding (content encoding kept).
    pub body: Option<Vec<u8>>,
    /// `Content-Encoding` of the body, when not identity.
    pub content_encoding: Option<String>,
    /// The body with its content encoding removed, when it had one and decoding worked.
    pub decoded_body: Option<Vec<u8>>,
    /// The media type from `Content-Type` (without parameters), or sniffed from the bytes.
    pub media_type: Option<String>,
    /// The full `Content-Type` header value, if sent.
    pub content_type: Option<String>,
    pub error: Option<FetchError>,
}

impl Fetched {
    /// A fetch of `raw_url` that has learned nothing yet.
    fn started(raw_url: &str) -> Fetched {
        Fetched::begun(raw_url, Utc::now())
    }

    /// A fetch of `raw_url` begun at `now` that has learned nothing yet.
    fn begun(raw_url: &str, now: DateTime<Utc>) -> Fetched {
        Fetched {
            requested_url: raw_url.trim().to_owned(),
            final_url: None,
            redirects: Vec::new(),
            http_version: None,
            http_status: None,
            headers: Vec::new(),
            remote_addr: None,
            peer_certificate: None,
            started_at: now,
            finished_at: now,
            body: None,
            content_encoding: None,
            decoded_body: None,
            media_type: None,
            content_type: None,
            error: None,
        }
    }

    /// A fetch that never started because the URL was refused.
    pub fn refused(raw_url: &str, error: FetchError) -> Fetched {
        Fetched {
            error: Some(error),
            ..Fetched::started(raw_url)
        }
    }

    /// A fetch someone else made and recorded (in a web archive, say), with the times the
    /// record gives. The caller fills in what the record says (final URL, redirects,
    /// status, headers, remote address), then hands over the body with
    /// [`Fetched::take_recorded_body`].
    pub fn recorded(
        raw_url: &str,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
    ) -> Fetched {
        Fetched {
            finished_at,
            ..Fetched::begun(raw_url, started_at)
        }
    }

    /// Takes a recorded body exactly as a live fetch takes one: the content type,
    /// encoding and media type read from [`Fetched::headers`] (so set them first), the
    /// body kept as recorded and decoded under `max_decoded_bytes`. A body that cannot
    /// be decoded is kept, with [`Fetched::error`] saying why.
    pub fn take_recorded_body(&mut self, body: Vec<u8>, max_decoded_bytes: u64) {
        self.read_content_headers();
        if let Err(e) = self.take_body(body, max_decoded_bytes) {
            self.error = Some(e);
        }
    }

    /// `content_type` and `content_encoding`, from the recorded headers.
    fn read_content_headers(&mut self) {
        let first = |name: &str| {
            self.headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| h.value.clone())
        };
        self.content_type = first(CONTENT_TYPE.as_str());
        self.content_encoding = first(CONTENT_ENCODING.as_str())
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty() && v != "identity");
    }

    /// Keeps the body as received, works out its media type, and decodes it under
    /// `limit`; a body that cannot be decoded is kept and the error returned.
    fn take_body(&mut self, body: Vec<u8>, limit: u64) -> Result<(), FetchError> {
        let media_type = self
            .content_type
            .as_deref()
            .and_then(|ct| ct.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| !m.is_empty() && m.contains('/'));
        let decoded = match &self.content_encoding {
            None => Ok(None),
            Some(enc) => decode::decode(enc, &body, limit).map(Some),
        };
        self.media_type = Some(media_type.unwrap_or_else(|| {
            let page: &[u8] = match &decoded {
                Ok(Some(d)) => d,
                _ => &body,
            };
            sniff_media_type(page).to_owned()
        }));
        self.body = Some(body);
        self.decoded_body = decoded?;
        Ok(())
    }

    /// The body with content encoding removed: what a parser should read.
    pub fn page_bytes(&self) -> Option<&[u8]> {
        match (&self.decoded_body, &self.body, &self.content_encoding) {
            (Some(d), _, _) => Some(d),
            (None, Some(b), None) => Some(b),
            _ => None,
        }
    }
}

/// What one fetch asks the server for and may take: the page, or a picture it names.
struct Ask {
    accept: &'static str,
    max_body_bytes: u64,
    max_decoded_bytes: u64,
    /// What the sentences call it: "page" or "image".
    noun: &'static str,
    /// The body limit is the user's `--max-bytes`, so raising it would help.
    user_limit: bool,
    /// Total time for this fetch, redirects and body included.
    timeout: Duration,
    /// A main image: fetched with the image client (its shorter connect limit), and a
    /// timeout is the image's own limit, not the capture's.
    image: bool,
}

/// The `Accept` a browser sends for a picture.
const IMAGE_ACCEPT: &str =
    "image/avif,image/webp,image/apng,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5";

/// A configured HTTP client for evidence capture. Cheap to share across tasks.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    /// The same client with the shorter [`IMAGE_CONNECT_TIMEOUT`], for main images.
    image_client: reqwest::Client,
    options: FetchOptions,
}

fn mb(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1_000_000.0)
    } else {
        format!("{n} bytes")
    }
}

/// Checks that a URL is one Exhibit will fetch, and says why not.
pub fn parse_capture_url(raw: &str) -> Result<Url, FetchError> {
    let trimmed = raw.trim();
    let url = Url::parse(trimmed).map_err(|e| {
        FetchError::new(
            FetchErrorKind::BadUrl,
            format!("'{}' is not a valid web address ({e}); give the full address starting with https://.", shorten(trimmed)),
        )
    })?;
    check_scheme(&url)?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::new(
            FetchErrorKind::BadUrl,
            format!("'{}' has no host name.", shorten(trimmed)),
        ));
    }
    Ok(url)
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => Ok(()),
        other => Err(FetchError::new(
            FetchErrorKind::BadUrl,
            format!(
                "Exhibit only captures http and https addresses; '{other}:' is refused because it does not fetch a page from a web server{}.",
                if other == "file" {
                    " (it would read a file on this computer)"
                } else {
                    ""
                }
            ),
        )),
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 120 {
        let head: String = s.chars().take(117).collect();
        format!("{head}…")
    } else {
        s.to_owned()
    }
}

/// Turns a reqwest error into one sentence about what went wrong on the network.
fn describe_network_error(e: &reqwest::Error, url: &Url) -> FetchError {
    let host = url.host_str().unwrap_or("the server");
    let mut chain = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        chain.push(err.to_string());
        cur = err.source();
    }
    let all = chain.join(": ").to_lowercase();
    let detail = chain.last().cloned().unwrap_or_default();
    let message = if all.contains("certificate") || all.contains("tls") || all.contains("handshake")
    {
        format!(
            "The secure connection to {host} failed ({detail}). If your network inspects TLS, pass its root certificate with --ca-cert."
        )
    } else if all.contains("dns") || all.contains("resolve") || all.contains("lookup") {
        format!(
            "The name {host} could not be looked up ({detail}). Check the address and your connection."
        )
    } else if all.contains("refused") {
        format!("{host} refused the connection. Check the address, or try again later.")
    } else if e.is_timeout() {
        format!("{host} did not answer in time.")
    } else if all.contains("reset")
        || all.contains("closed")
        || all.contains("incomplete")
        || all.contains("eof")
    {
        format!(
            "{host} dropped the connection before the page was complete ({detail}). Try again later."
        )
    } else {
        format!("The page at {host} could not be fetched ({detail}).")
    };
    FetchError::new(FetchErrorKind::Network, message)
}

/// The media type the first bytes show: PNG, JPEG, GIF and PDF by their signatures, markup
/// as `text/html`, anything else `application/octet-stream`. For bodies sent without a
/// usable Content-Type, and for files a user attaches.
pub fn sniff_media_type(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(512)];
    let trimmed: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(16)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if head.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if head.starts_with(b"GIF8") {
        "image/gif"
    } else if head.starts_with(b"%PDF-") {
        "application/pdf"
    } else if trimmed.starts_with(b"<") {
        // `<!doctype html>`, `<html>` or any other markup.
        "text/html"
    } else {
        "application/octet-stream"
    }
}

impl Fetcher {
    /// Builds the client. Fails only on bad options (an unreadable CA certificate, say).
    pub fn new(options: FetchOptions) -> Result<Fetcher, OptionsError> {
        let client = Self::client(&options, options.connect_timeout)?;
        let image_client =
            Self::client(&options, options.connect_timeout.min(IMAGE_CONNECT_TIMEOUT))?;
        Ok(Fetcher {
            client,
            image_client,
            options,
        })
    }

    fn client(
        options: &FetchOptions,
        connect_timeout: Duration,
    ) -> Result<reqwest::Client, OptionsError> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // Evidence fetches never pick up a proxy silently from the environment.
            .no_proxy()
            .tls_info(true)
            .connect_timeout(connect_timeout)
            .pool_max_idle_per_host(options.concurrency_hint.max(1))
            .user_agent(options.user_agent.clone());
        for r in &options.resolve {
            builder = builder.resolve(&r.host, std::net::SocketAddr::new(r.addr, r.port));
        }
        let mut roots = Vec::new();
        for pem in &options.extra_root_pems {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                OptionsError(format!(
                    "The extra CA certificate could not be read ({e}); give a PEM file."
                ))
            })?;
            if certs.is_empty() {
                return Err(OptionsError(
                    "The extra CA certificate file holds no certificate; give a PEM file.".into(),
                ));
            }
            roots.extend(certs);
        }
        if !roots.is_empty() {
            builder = builder.tls_certs_merge(roots);
        }
        builder
            .build()
            .map_err(|e| OptionsError(format!("The HTTP client could not be set up: {e}")))
    }

    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Fetches `raw_url`, following redirects by hand. Never panics, never exceeds the
    /// limits, and always returns what it learned.
    pub async fn fetch(&self, raw_url: &str) -> Fetched {
        let ask = Ask {
            accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            max_body_bytes: self.options.max_body_bytes,
            max_decoded_bytes: self.options.max_decoded_bytes,
            noun: "page",
            user_limit: true,
            timeout: self.options.timeout,
            image: false,
        };
        self.fetch_as(raw_url, &ask).await
    }

    /// Fetches a picture a page names (a listing's main image) as [`Fetcher::fetch`]
    /// fetches a page: the same roots, `--resolve` overrides and redirect rules, every
    /// hop recorded, but asking for an image, taking at most `max_bytes` (and never more
    /// than the page limit), decoded or not, and under its own shorter time limits,
    /// [`IMAGE_TIMEOUT`] in all and [`IMAGE_CONNECT_TIMEOUT`] to connect (each never
    /// longer than the page's). Whether the bytes really are a picture is the caller's
    /// to check.
    pub async fn fetch_image(&self, raw_url: &str, max_bytes: u64) -> Fetched {
        let limit = max_bytes.min(self.options.max_body_bytes);
        let ask = Ask {
            accept: IMAGE_ACCEPT,
            max_body_bytes: limit,
            max_decoded_bytes: limit.min(self.options.max_decoded_bytes),
            noun: "image",
            user_limit: false,
            timeout: self.options.timeout.min(IMAGE_TIMEOUT),
            image: true,
        };
        self.fetch_as(raw_url, &ask).await
    }

    async fn fetch_as(&self, raw_url: &str, ask: &Ask) -> Fetched {
        let deadline = Instant::now() + ask.timeout;
        let mut out = Fetched::started(raw_url);
        if let Err(e) = self.fetch_into(raw_url, ask, deadline, &mut out).await {
            out.error = Some(e);
        }
        out.finished_at = Utc::now();
        out
    }

    fn timeout_error(ask: &Ask, stage: &str) -> FetchError {
        let secs = ask.timeout.as_secs_f64();
        let message = if ask.image {
            format!(
                "The server took longer than the {secs} s allowed for a main image {stage}, so Exhibit stopped waiting for it."
            )
        } else {
            format!(
                "The server took longer than the {secs} s limit {stage}; the capture was stopped. Try again later, or raise --timeout."
            )
        };
        FetchError::new(FetchErrorKind::Timeout, message)
    }

    async fn fetch_into(
        &self,
        raw_url: &str,
        ask: &Ask,
        deadline: Instant,
        out: &mut Fetched,
    ) -> Result<(), FetchError> {
        let mut url = parse_capture_url(raw_url)?;
        let mut seen = vec![url.clone()];
        let response = loop {
            out.final_url = Some(url.clone());
            let client = if ask.image {
                &self.image_client
            } else {
                &self.client
            };
            let request = client
                .get(url.clone())
                .header(reqwest::header::ACCEPT, ask.accept)
                .header(reqwest::header::ACCEPT_ENCODING, "gzip, deflate")
                .header(
                    reqwest::header::ACCEPT_LANGUAGE,
                    self.options.accept_language.as_str(),
                );
            let response = timeout_at(deadline, request.send())
                .await
                .map_err(|_| Self::timeout_error(ask, "before answering"))?
                .map_err(|e| describe_network_error(&e, &url))?;
            self.record_response_head(&response, out);
            let status = response.status();
            if !status.is_redirection() {
                break response;
            }
            let Some(location) = response.headers().get(LOCATION) else {
                // A 3xx without a Location is the final answer.
                break response;
            };
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            out.redirects.push(Redirect {
                url: url.to_string(),
                status: status.as_u16(),
                location: location.clone(),
            });
            let next = url.join(&location).map_err(|e| {
                FetchError::new(
                    FetchErrorKind::Redirect,
                    format!(
                        "The server redirected to '{}', which is not a valid address ({e}).",
                        shorten(&location)
                    ),
                )
            })?;
            check_scheme(&next).map_err(|e| {
                FetchError::new(
                    FetchErrorKind::Redirect,
                    format!(
                        "The server redirected to '{}'. {}",
                        shorten(next.as_str()),
                        e.message
                    ),
                )
            })?;
            if seen.contains(&next) {
                return Err(FetchError::new(
                    FetchErrorKind::Redirect,
                    format!(
                        "The server redirects in a loop ({} leads back to {}); the page cannot be reached.",
                        shorten(url.as_str()),
                        shorten(next.as_str())
                    ),
                ));
            }
            if out.redirects.len() > self.options.max_redirects {
                return Err(FetchError::new(
                    FetchErrorKind::Redirect,
                    format!(
                        "The server redirected more than {} times; the capture was stopped.",
                        self.options.max_redirects
                    ),
                ));
            }
            seen.push(next.clone());
            url = next;
        };
        self.read_body(response, ask, deadline, out).await
    }

    fn record_response_head(&self, response: &reqwest::Response, out: &mut Fetched) {
        out.http_status = Some(response.status().as_u16());
        out.http_version = Some(format!("{:?}", response.version()));
        out.remote_addr = response.remote_addr().map(|a| a.to_string());
        out.headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                let lossy = std::str::from_utf8(value.as_bytes()).is_err();
                Header {
                    name: name.as_str().to_owned(),
                    value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    value_was_lossy: lossy,
                }
            })
            .collect();
        out.peer_certificate = response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(|t| t.peer_certificate())
            .map(<[u8]>::to_vec);
        out.read_content_headers();
    }

    async fn read_body(
        &self,
        mut response: reqwest::Response,
        ask: &Ask,
        deadline: Instant,
        out: &mut Fetched,
    ) -> Result<(), FetchError> {
        let limit = ask.max_body_bytes;
        let noun = ask.noun;
        let raise = if ask.user_limit {
            " Raise --max-bytes to capture it."
        } else {
            ""
        };
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(n) = declared.filter(|n| *n > limit) {
            return Err(FetchError::new(
                FetchErrorKind::TooLarge,
                format!(
                    "The {noun} is {} but the limit is {}; nothing was downloaded.{raise}",
                    mb(n),
                    mb(limit)
                ),
            ));
        }
        let mut body = Vec::with_capacity(declared.unwrap_or(64 * 1024).min(limit) as usize);
        loop {
            let chunk = match timeout_at(deadline, response.chunk()).await {
                Err(_) => {
                    return Err(Self::timeout_error(
                        ask,
                        &format!("while sending the {noun}"),
                    ));
                }
                Ok(Err(e)) => {
                    let url = out
                        .final_url
                        .clone()
                        .unwrap_or_else(|| response.url().clone());
                    return Err(describe_network_error(&e, &url));
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(c))) => c,
            };
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(FetchError::new(
                    FetchErrorKind::TooLarge,
                    format!(
                        "The {noun} is larger than the {} limit; the {} was stopped there.{raise}",
                        mb(limit),
                        if ask.user_limit {
                            "capture"
                        } else {
                            "download"
                        }
                    ),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        out.take_body(body, ask.max_decoded_bytes)
    }
}

/// The default overall time limit for one capture.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The time limit on fetching a listing's main image ([`Fetcher::fetch_image`]),
/// redirects and body included.
///
/// The picture comes after the page, and the page's capture waits for it before it is
/// judged and committed; it is a supplement to the evidence, never worth holding the
/// page (or the batch slot it occupies) for the page's own limit. Offline, an
/// unreachable CDN such as alicdn takes about 5 s only to fail its DNS lookup, and a
/// slow or endless image server would otherwise hold the capture until the page's 60 s
/// ran out. Ten seconds fetches any product photo (rarely over 1 MB; the cap is 10 MB)
/// from a server that is really answering; a picture that misses it is a note on the
/// record, and the page is kept.
pub const IMAGE_TIMEOUT: Duration = Duration::from_secs(10);
/// The limit on looking up and connecting to a main image's server: a CDN that answers
/// at all connects in well under a second, so 3 s leaves most of [`IMAGE_TIMEOUT`] for
/// the body when the name or the route is dead.
pub const IMAGE_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The default body limit: 50 MB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 50_000_000;
/// The default limit on the decoded (decompressed) body.
pub const DEFAULT_MAX_DECODED_BYTES: u64 = 200_000_000;
/// Redirects followed at most.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_schemes_other_than_http() {
        for u in [
            "file:///etc/passwd",
            "ftp://x/y",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            let e = parse_capture_url(u).expect_err(u);
            assert_eq!(e.kind, FetchErrorKind::BadUrl);
            assert!(
                e.message.contains("only captures http and https"),
                "{}",
                e.message
            );
        }
        assert!(
            parse_capture_url("file:///etc/passwd")
                .expect_err("file")
                .message
                .contains("file on this computer")
        );
        assert!(parse_capture_url("not a url").is_err());
        assert!(parse_capture_url("https://item.taobao.com/item.htm?id=1").is_ok());
    }

    #[test]
    fn sniffs_common_types() {
        assert_eq!(sniff_media_type(b"\x89PNG\r\n\x1a\nrest"), "image/png");
        assert_eq!(sniff_media_type(b"  <!DOCTYPE html><html>"), "text/html");
        assert_eq!(sniff_media_type(b"\x00\x01"), "application/octet-stream");
    }

    #[test]
    fn a_recorded_body_is_taken_as_a_live_one() {
        use std::io::Write as _;
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let header = |name: &str, value: &str| Header {
            name: name.to_owned(),
            value: value.to_owned(),
            value_was_lossy: false,
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<html>hi</html>").unwrap_or_default();
        let gz = gz.finish().unwrap_or_default();
        let mut f = Fetched::recorded("https://e.com/", at, at);
        f.headers = vec![
            header("content-type", "text/html; charset=gbk"),
            header("Content-Encoding", "gzip"),
        ];
        f.take_recorded_body(gz.clone(), 1000);
        assert_eq!(f.body.as_deref(), Some(&gz[..]));
        assert_eq!(f.page_bytes(), Some(&b"<html>hi</html>"[..]));
        assert_eq!(f.media_type.as_deref(), Some("text/html"));
        assert_eq!(f.content_type.as_deref(), Some("text/html; charset=gbk"));
        assert!(f.error.is_none());
        assert_eq!((f.started_at, f.finished_at), (at, at));

        let mut br = Fetched::recorded("https://e.com/", at, at);
        br.headers = vec![header("Content-Encoding", "br")];
        br.take_recorded_body(b"\x0b\x02".to_vec(), 1000);
        assert_eq!(br.body.as_deref(), Some(&b"\x0b\x02"[..]));
        assert_eq!(br.error.map(|e| e.kind), Some(FetchErrorKind::Encoding));
    }

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(mb(50_000_000), "50.0 MB");
        assert_eq!(mb(60 << 20), "60 MiB");
        assert_eq!(mb(10), "10 bytes");
    }
}
