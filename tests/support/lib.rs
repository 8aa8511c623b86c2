//! Test support for Exhibit's end-to-end tests: a real local web server, no mocks.
//!
//! [`TestServer::start`] opens two listeners on 127.0.0.1 with ephemeral ports: plain HTTP and
//! HTTPS (rustls, with a throw-away test CA made by rcgen at start; trust it through
//! [`TestServer::ca_pem`] / [`TestServer::write_ca_pem`]). Both serve the same hand-written
//! HTTP/1.1 handler, one thread per connection, `Connection: close` on every response, so that
//! hostile behaviour (redirect loops, gzip bombs, endless bodies, stalls, resets, non-UTF-8
//! bytes) is fully under the test's control. Tests can also [`TestServer::mount`] their own
//! bodies at exact paths and count requests with [`TestServer::hits`].
//!
//! The leaf certificate is valid for `localhost`, `127.0.0.1` and every name in [`TLS_HOSTS`],
//! so a client can resolve e.g. `item.taobao.com` to `127.0.0.1:https_port` and fetch
//! `https://item.taobao.com:PORT/item.htm?id=…` for real. The server ignores the Host header.
//!
//! It also gives access to the real captured marketplace pages in `tests/fixtures/real-pages`
//! ([`real_pages_dir`], [`expected_pages`]).
#![allow(clippy::unwrap_used)]

pub mod cli;
pub mod json;
pub mod pictures;
pub mod processes;

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// DNS names (besides `localhost` and the IP `127.0.0.1`) in the test server's certificate.
///
/// Note: rustls/webpki ignores `*.test` (it wants two labels after a wildcard), so it only helps
/// less strict clients; `*.exhibit.test` and the explicit `*.test` names below work everywhere.
pub const TLS_HOSTS: &[&str] = &[
    "item.taobao.com",
    "detail.tmall.com",
    "www.amazon.com",
    "www.ebay.com",
    "www.aliexpress.com",
    "detail.1688.com",
    "www.etsy.com",
    "*.test",
    "*.exhibit.test",
    "shop.test",
    "evil.test",
    "example.test",
    // Hosts of the real listing pages' main images (the batch bench serves them locally).
    "cbu01.alicdn.com",
    "s.alicdn.com",
    "ae01.alicdn.com",
    "img.alicdn.com",
    "gd2.alicdn.com",
    "m.media-amazon.com",
    "images-na.ssl-images-amazon.com",
    "i.ebayimg.com",
    "img0.etsystatic.com",
    "i.etsystatic.com",
    "http2.mlstatic.com",
    "shop.r10s.jp",
];

/// Body of `/ok` (and of `/redirect/chain/0`, `/redirect/abs/0`).
pub const OK_PAGE: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Test Listing</title></head>\n<body><h1>Test Listing</h1>\n<p class=\"price\">Price: <span itemprop=\"price\" content=\"12.50\">$12.50</span> <span itemprop=\"priceCurrency\" content=\"USD\">USD</span></p>\n<p class=\"seller\">Seller: Test Seller</p>\n</body></html>\n";

/// Body of `/latin1`: windows-1252 / ISO-8859-1 bytes (not valid UTF-8), served as `text/html`
/// with no charset and no `<meta charset>`. Title decodes to `Café Crème – 12,50 €`
/// (`é`=0xE9, `è`=0xE8, `–`=0x96, `€`=0x80 in windows-1252, which is what the web means by
/// "ISO-8859-1").
pub const LATIN1_PAGE: &[u8] = b"<!doctype html>\n<html><head><title>Caf\xe9 Cr\xe8me \x96 12,50 \x80</title></head>\n<body><h1>Caf\xe9 Cr\xe8me</h1><p class=\"price\">Prix : 12,50 \x80 \xb7 d\xe9j\xe0 vu \xab ici \xbb</p></body></html>\n";

/// The title text of `/latin1`, decoded.
pub const LATIN1_TITLE: &str = "Café Crème – 12,50 €";

/// Body of `/script-title`: title and h1 are the TEXT `<script>alert(1)</script> Evil`
/// (escaped in the markup), and the body also has a real `<script>` element.
pub const SCRIPT_TITLE_PAGE: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>&lt;script&gt;alert(1)&lt;/script&gt; Evil</title></head>\n<body><h1>&lt;script&gt;alert(1)&lt;/script&gt; Evil</h1>\n<script>document.title = 'pwned'; alert(2);</script>\n<p>Price: $1.00</p>\n</body></html>\n";

/// The decoded title text of `/script-title`.
pub const SCRIPT_TITLE_TEXT: &str = "<script>alert(1)</script> Evil";

/// How many bytes `/bomb.gz` expands to (2 GiB of zeros).
pub const BOMB_EXPANDED_LEN: u64 = 2 * 1024 * 1024 * 1024;

/// Content-Length of `/big` (60 MiB), all of which is really sent.
pub const BIG_LEN: u64 = 60 * 1024 * 1024;

/// How long the stalling routes hold a socket at most.
pub const STALL_LIMIT: Duration = Duration::from_secs(120);

const CHUNK: usize = 64 * 1024;
const MAX_HEAD: usize = 64 * 1024;
const IO_TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// Public helpers

/// A port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
pub fn free_loopback_port() -> u16 {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"));
    l.local_addr()
        .unwrap_or_else(|e| panic!("cannot read local address of a listener: {e}"))
        .port()
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn try_real_pages_dir() -> Result<PathBuf, PathBuf> {
    let dir = match std::env::var_os("EXHIBIT_REAL_PAGES") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real-pages"),
    };
    if dir.is_dir() { Ok(dir) } else { Err(dir) }
}

/// The directory of real captured marketplace pages: `$EXHIBIT_REAL_PAGES` if set, else
/// `<workspace>/tests/fixtures/real-pages`. Panics with a clear message if it is missing.
pub fn real_pages_dir() -> PathBuf {
    match try_real_pages_dir() {
        Ok(d) => d,
        Err(d) => panic!(
            "real-pages fixture directory not found at {} (set EXHIBIT_REAL_PAGES, or restore tests/fixtures/ \
             from the repository)",
            d.display()
        ),
    }
}

/// `expected.json` of the real pages, parsed: one JSON object per page.
pub fn expected_pages() -> Vec<serde_json::Value> {
    let path = real_pages_dir().join("expected.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Array(v)) => v,
        Ok(_) => panic!("{} is not a JSON array", path.display()),
        Err(e) => panic!("{} is not valid JSON: {e}", path.display()),
    }
}

/// The `/bomb.gz` body: a gzip stream of [`BOMB_EXPANDED_LEN`] zeros (about 2 MB), built once
/// per process.
pub fn gzip_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| gzip_of_zeros(BOMB_EXPANDED_LEN / MIB))
}

const MIB: u64 = 1 << 20;

/// A single-member gzip stream of `mib` MiB of zeros, deflated by flate2 at best compression.
///
/// Streaming 2 GiB through the compressor takes ~4 s, so this feeds it one MiB at a time with a
/// sync flush (which byte-aligns the output) until the compressed output of one MiB stops
/// changing, then repeats that steady-state block for the rest: the result is the same valid
/// deflate stream, built in milliseconds.
pub fn gzip_of_zeros(mib: u64) -> Vec<u8> {
    use flate2::{Compress, Compression, Crc, FlushCompress};

    fn deflate(c: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 * 1024);
        let start_in = c.total_in();
        loop {
            let consumed = (c.total_in() - start_in) as usize;
            out.reserve(16 * 1024);
            let status = c.compress_vec(&input[consumed..], &mut out, flush).unwrap();
            let all_in = (c.total_in() - start_in) as usize == input.len();
            // Done when the stream ended, or all input is in and the flush left spare room.
            if status == flate2::Status::StreamEnd || (all_in && out.len() < out.capacity()) {
                return out;
            }
        }
    }

    let zeros = vec![0u8; MIB as usize];
    let mut c = Compress::new(Compression::best(), false);
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]; // gzip header, XFL=best, OS=unknown
    let mut fed = 0u64;
    let mut previous: Option<Vec<u8>> = None;
    while fed < mib {
        let block = deflate(&mut c, &zeros, FlushCompress::Sync);
        fed += 1;
        out.extend_from_slice(&block);
        if previous.as_ref() == Some(&block) {
            // Steady state: the compressor's output for one more MiB of zeros is this block.
            while fed < mib {
                out.extend_from_slice(&block);
                fed += 1;
            }
        }
        previous = Some(block);
    }
    // Final (empty) block: it back-references nothing, so it is valid after the repeats.
    out.extend_from_slice(&deflate(&mut c, &[], FlushCompress::Finish));

    let mut one = Crc::new();
    one.update(&zeros);
    let mut crc = Crc::new();
    for _ in 0..mib {
        crc.combine(&one);
    }
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&((mib * MIB) as u32).to_le_bytes()); // ISIZE = length mod 2^32
    out
}

/// The `/image.png` body: a valid 1x1 RGBA PNG.
pub fn tiny_png() -> &'static [u8] {
    static PNG: OnceLock<Vec<u8>> = OnceLock::new();
    PNG.get_or_init(|| {
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            out.extend_from_slice(&crc.sum().to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        // width 1, height 1, bit depth 8, colour type 6 (RGBA), deflate, filter 0, no interlace
        chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&[0, 0xd0, 0x20, 0x30, 0xff]).unwrap(); // filter byte + one red-ish pixel
        chunk(&mut png, b"IDAT", &z.finish().unwrap());
        chunk(&mut png, b"IEND", &[]);
        png
    })
}

// ---------------------------------------------------------------------------------------------
// The server

#[derive(Debug, Clone)]
struct Mounted {
    status: u16,
    content_type: Option<String>,
    location: Option<String>,
    body: Arc<Vec<u8>>,
}

/// What a handler mounted under a path prefix answers (see [`TestServer::mount_prefix`]).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// None: no Content-Type header.
    pub content_type: Option<String>,
    /// More headers, sent in this order after Content-Type (repeats kept).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// A 200 HTML page in UTF-8.
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type: Some(HTML_UTF8.to_string()),
            headers: Vec::new(),
            body: body.into(),
        }
    }
}

type Handler = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

/// Handlers by path prefix, longest prefix first.
#[derive(Default)]
struct Prefixes(Vec<(String, Handler)>);

impl std::fmt::Debug for Prefixes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(p, _)| p))
            .finish()
    }
}

#[derive(Debug, Default)]
struct Shared {
    stop: AtomicBool,
    mounts: Mutex<HashMap<String, Mounted>>,
    prefixes: Mutex<Prefixes>,
    hits: Mutex<HashMap<String, usize>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Which listener a connection came in on (for absolute redirects).
#[derive(Debug, Clone)]
struct Origin {
    base: String,
}

/// A running local HTTP + HTTPS test server. Dropping it stops both listeners.
#[derive(Debug)]
pub struct TestServer {
    shared: Arc<Shared>,
    http_port: u16,
    https_port: u16,
    ca_pem: String,
    accept_threads: Vec<JoinHandle<()>>,
}

impl TestServer {
    /// Start both listeners. Panics with a clear message only if setup fails.
    pub fn start() -> TestServer {
        let (ca_pem, tls_config) =
            make_tls().unwrap_or_else(|e| panic!("test server: TLS setup failed: {e:#}"));
        let shared = Arc::new(Shared::default());

        let http = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap_or_else(|e| panic!("test server: cannot bind HTTP listener: {e}"));
        let https = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap_or_else(|e| panic!("test server: cannot bind HTTPS listener: {e}"));
        let http_port = http.local_addr().unwrap().port();
        let https_port = https.local_addr().unwrap().port();

        let http_origin = Origin {
            base: format!("http://127.0.0.1:{http_port}"),
        };
        let https_origin = Origin {
            base: format!("https://localhost:{https_port}"),
        };

        let mut accept_threads = Vec::new();
        {
            let shared = shared.clone();
            accept_threads.push(
                thread::Builder::new()
                    .name(format!("test-http-{http_port}"))
                    .spawn(move || {
                        accept_loop(http, &shared, move |tcp, shared| {
                            serve_plain(tcp, &http_origin, &shared)
                        })
                    })
                    .unwrap_or_else(|e| panic!("test server: cannot spawn thread: {e}")),
            );
        }
        {
            let shared = shared.clone();
            accept_threads.push(
                thread::Builder::new()
                    .name(format!("test-https-{https_port}"))
                    .spawn(move || {
                        accept_loop(https, &shared, move |tcp, shared| {
                            serve_tls(tcp, tls_config.clone(), &https_origin, &shared)
                        })
                    })
                    .unwrap_or_else(|e| panic!("test server: cannot spawn thread: {e}")),
            );
        }

        TestServer {
            shared,
            http_port,
            https_port,
            ca_pem,
            accept_threads,
        }
    }

    /// Port of the plain HTTP listener on 127.0.0.1.
    pub fn http_port(&self) -> u16 {
        self.http_port
    }

    /// Port of the HTTPS listener on 127.0.0.1.
    pub fn https_port(&self) -> u16 {
        self.https_port
    }

    /// `http://127.0.0.1:PORT/path` (a missing leading `/` is added).
    pub fn http_url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.http_port, slash(path))
    }

    /// `https://localhost:PORT/path` (a missing leading `/` is added).
    pub fn https_url(&self, path: &str) -> String {
        format!("https://localhost:{}{}", self.https_port, slash(path))
    }

    /// PEM of the test CA that signed the HTTPS listener's certificate.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Write the CA PEM to `dir/ca.pem` and return that path.
    pub fn write_ca_pem(&self, dir: &Path) -> PathBuf {
        let path = dir.join("ca.pem");
        std::fs::write(&path, &self.ca_pem)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }

    /// Serve `bytes` with `content_type` (None = no Content-Type header) and `status` at exactly
    /// this path-and-query (e.g. `/item.htm?id=562283240178`), whatever the Host header, on both
    /// listeners. Mounts take precedence over built-in routes; mounting again replaces.
    pub fn mount(
        &self,
        path_and_query: &str,
        status: u16,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) {
        lock(&self.shared.mounts).insert(
            path_and_query.to_string(),
            Mounted {
                status,
                content_type: content_type.map(str::to_string),
                location: None,
                body: Arc::new(bytes),
            },
        );
    }

    /// Answer this path-and-query with a redirect (`status`, such as 301) to `location`,
    /// sent as given (relative or absolute), on both listeners.
    pub fn mount_redirect(&self, path_and_query: &str, status: u16, location: &str) {
        lock(&self.shared.mounts).insert(
            path_and_query.to_string(),
            Mounted {
                status,
                content_type: Some(HTML_UTF8.to_string()),
                location: Some(location.to_string()),
                body: Arc::new(b"<!doctype html><html><body>Moved</body></html>\n".to_vec()),
            },
        );
    }

    /// Answer every path-and-query that starts with `prefix` with what `handler` makes of
    /// it, on both listeners (each request on its own thread, so a handler may take its
    /// time). Exact mounts come first, then the longest matching prefix, then the built-in
    /// routes.
    pub fn mount_prefix(
        &self,
        prefix: &str,
        handler: impl Fn(&str) -> Reply + Send + Sync + 'static,
    ) {
        let mut prefixes = lock(&self.shared.prefixes);
        prefixes.0.retain(|(p, _)| p != prefix);
        prefixes.0.push((prefix.to_string(), Arc::new(handler)));
        prefixes.0.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }

    /// How many requests hit a path so far (path-and-query as received), on both listeners.
    pub fn hits(&self, path_and_query: &str) -> usize {
        lock(&self.shared.hits)
            .get(path_and_query)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let mut woken = Vec::new();
        for port in [self.http_port, self.https_port] {
            // Wake the blocking accept() so the accept thread sees the flag and exits.
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            woken.push(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok());
        }
        for (t, woken) in self.accept_threads.drain(..).zip(woken) {
            if woken {
                let _ = t.join();
            }
        }
    }
}

fn slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

fn make_tls() -> Result<(String, Arc<rustls::ServerConfig>), Box<dyn std::error::Error>> {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    };

    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Exhibit Test CA (throw-away)");
    dn.push(DnType::OrganizationName, "Exhibit e2e tests");
    ca_params.distinguished_name = dn;
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    names.extend(TLS_HOSTS.iter().map(|s| s.to_string()));
    let mut leaf_params = CertificateParams::new(names)?;
    leaf_params.is_ca = IsCa::NoCa;
    leaf_params.use_authority_key_identifier_extension = true;
    leaf_params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    leaf_params.distinguished_name = dn;
    let leaf_key = KeyPair::generate()?;
    let leaf = leaf_params.signed_by(&leaf_key, &*ca)?;

    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    // Explicit provider: the workspace may also compile aws-lc-rs in, which would make the
    // process-default provider ambiguous.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((ca.pem(), Arc::new(config)))
}

fn accept_loop(
    listener: TcpListener,
    shared: &Arc<Shared>,
    serve: impl Fn(TcpStream, Arc<Shared>) + Send + Clone + 'static,
) {
    loop {
        match listener.accept() {
            Ok((tcp, _)) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                let serve = serve.clone();
                let shared = shared.clone();
                // If the thread cannot be spawned the connection is simply dropped.
                let _ = thread::Builder::new()
                    .name("test-conn".into())
                    .spawn(move || serve(tcp, shared));
            }
            Err(_) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// What to do with the socket once the handler is done.
enum Outcome {
    Close,
    Reset,
}

fn prepare(tcp: &TcpStream) {
    let _ = tcp.set_nodelay(true);
    let _ = tcp.set_read_timeout(Some(IO_TIMEOUT));
    let _ = tcp.set_write_timeout(Some(IO_TIMEOUT));
}

fn serve_plain(mut tcp: TcpStream, origin: &Origin, shared: &Shared) {
    prepare(&tcp);
    let Ok(ctl) = tcp.try_clone() else { return };
    match handle(&mut tcp, &ctl, origin, shared) {
        Outcome::Close => graceful_close(&mut tcp, &ctl),
        Outcome::Reset => reset(&ctl),
    }
}

fn serve_tls(tcp: TcpStream, config: Arc<rustls::ServerConfig>, origin: &Origin, shared: &Shared) {
    prepare(&tcp);
    let Ok(ctl) = tcp.try_clone() else { return };
    let Ok(conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    match handle(&mut tls, &ctl, origin, shared) {
        Outcome::Close => {
            tls.conn.send_close_notify();
            let _ = tls.flush();
            graceful_close(&mut tls, &ctl);
        }
        Outcome::Reset => reset(&ctl),
    }
}

/// Half-close, then drain briefly so unread client bytes don't turn our close into an RST that
/// could truncate the response on the client side.
fn graceful_close<S: Read>(s: &mut S, ctl: &TcpStream) {
    let _ = ctl.shutdown(Shutdown::Write);
    let _ = ctl.set_read_timeout(Some(Duration::from_millis(200)));
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut buf = [0u8; 4096];
    let mut total = 0usize;
    while Instant::now() < deadline && total < MAX_HEAD {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

fn reset(ctl: &TcpStream) {
    let _ = socket2::SockRef::from(ctl).set_linger(Some(Duration::ZERO));
    // The RST goes out when the last descriptor of the socket is closed (both are dropped by
    // the caller right after this).
}

struct Request {
    method: String,
    target: String,
}

/// Read one request head. None if the client hung up, timed out or sent garbage.
fn read_request<S: Read>(s: &mut S) -> Option<Request> {
    let mut buf = Vec::with_capacity(1024);
    let mut tmp = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        match s.read(&mut tmp) {
            Ok(0) => return None,
            Ok(n) => buf.extend_from_slice(&tmp[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return None,
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]);
    let mut lines = head.split("\r\n");
    let mut parts = lines.next()?.split_whitespace();
    let method = parts.next()?.to_string();
    let mut target = parts.next()?.to_string();
    // absolute-form (proxy style): keep only the path-and-query
    for scheme in ["http://", "https://"] {
        if let Some(rest) = target.strip_prefix(scheme) {
            target = match rest.find('/') {
                Some(i) => rest[i..].to_string(),
                None => "/".to_string(),
            };
            break;
        }
    }
    // Drain a (small) request body if one was announced, so closing doesn't RST.
    let content_length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buf.len() - (end + 4);
    while have < content_length.min(1 << 20) {
        match s.read(&mut tmp) {
            Ok(0) | Err(_) => break,
            Ok(n) => have += n,
        }
    }
    Some(Request { method, target })
}

fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Status")
}

/// Write a status line and headers (in the given order), then `Connection: close`.
fn write_head<S: Write>(s: &mut S, status: u16, headers: &[(&str, &str)]) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        head.push_str(k);
        head.push_str(": ");
        head.push_str(v);
        head.push_str("\r\n");
    }
    head.push_str("Connection: close\r\n\r\n");
    s.write_all(head.as_bytes())
}

/// A complete response with Content-Length (omitted, with the body, for 1xx/204/304).
fn respond<S: Write>(
    s: &mut S,
    head_only: bool,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let no_body = status == 204 || status == 304 || status < 200;
    let len = body.len().to_string();
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    if !no_body {
        all.push(("Content-Length", &len));
    }
    write_head(s, status, &all)?;
    if !head_only && !no_body {
        s.write_all(body)?;
    }
    s.flush()
}

fn html_status_page(status: u16) -> String {
    format!(
        "<!doctype html>\n<html><head><title>{status} {r}</title></head><body><h1>{status} {r}</h1></body></html>\n",
        r = reason(status)
    )
}

const HTML_UTF8: &str = "text/html; charset=utf-8";

/// Sleep up to `limit` (in small steps), ending early when the server stops or the client
/// hangs up.
fn hold<S: Read>(s: &mut S, ctl: &TcpStream, shared: &Shared, limit: Duration) {
    let _ = ctl.set_read_timeout(Some(Duration::from_millis(100)));
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; 1024];
    while Instant::now() < deadline && !shared.stop.load(Ordering::SeqCst) {
        match s.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

fn filler(len: usize) -> Vec<u8> {
    let pattern = b"<p>filler filler filler filler filler filler filler filler filler</p>\n";
    pattern.iter().copied().cycle().take(len).collect()
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn handle<S: Read + Write>(
    s: &mut S,
    ctl: &TcpStream,
    origin: &Origin,
    shared: &Shared,
) -> Outcome {
    let Some(req) = read_request(s) else {
        return Outcome::Close;
    };
    *lock(&shared.hits).entry(req.target.clone()).or_insert(0) += 1;
    let head_only = req.method.eq_ignore_ascii_case("HEAD");
    // Write errors (client hung up) just end the connection.
    match route(s, ctl, origin, shared, &req, head_only) {
        Ok(outcome) => outcome,
        Err(_) => Outcome::Close,
    }
}

fn route<S: Read + Write>(
    s: &mut S,
    ctl: &TcpStream,
    origin: &Origin,
    shared: &Shared,
    req: &Request,
    head_only: bool,
) -> io::Result<Outcome> {
    let mounted = lock(&shared.mounts).get(&req.target).cloned();
    if let Some(m) = mounted {
        let mut headers = Vec::new();
        if let Some(location) = m.location.as_deref() {
            headers.push(("Location", location));
        }
        if let Some(ct) = m.content_type.as_deref() {
            headers.push(("Content-Type", ct));
        }
        respond(s, head_only, m.status, &headers, &m.body)?;
        return Ok(Outcome::Close);
    }
    let handler = lock(&shared.prefixes)
        .0
        .iter()
        .find(|(p, _)| req.target.starts_with(p.as_str()))
        .map(|(_, h)| Arc::clone(h));
    if let Some(handler) = handler {
        let reply = handler(&req.target);
        let headers: Vec<(&str, &str)> = reply
            .content_type
            .as_deref()
            .map(|ct| ("Content-Type", ct))
            .into_iter()
            .chain(reply.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .collect();
        respond(s, head_only, reply.status, &headers, &reply.body)?;
        return Ok(Outcome::Close);
    }

    let path = req.target.split('?').next().unwrap_or("");
    let not_found = |s: &mut S| {
        respond(
            s,
            head_only,
            404,
            &[("Content-Type", HTML_UTF8)],
            html_status_page(404).as_bytes(),
        )
    };
    let redirect = |s: &mut S, location: &str| {
        respond(
            s,
            head_only,
            302,
            &[("Location", location), ("Content-Type", HTML_UTF8)],
            b"<!doctype html><html><body>Redirecting</body></html>\n",
        )
    };
    let ok_page = |s: &mut S| {
        respond(
            s,
            head_only,
            200,
            &[
                ("X-First", "1"),
                ("X-Second", "2"),
                ("Content-Type", HTML_UTF8),
            ],
            OK_PAGE.as_bytes(),
        )
    };

    if let Some(file) = path.strip_prefix("/real/") {
        let file = percent_decode(file).unwrap_or_default();
        let bad = file.is_empty()
            || file.contains("..")
            || file.starts_with('/')
            || file.contains('\\')
            || file.contains('\0');
        let bytes = if bad {
            None
        } else {
            try_real_pages_dir()
                .ok()
                .and_then(|d| std::fs::read(d.join(&file)).ok())
        };
        match bytes {
            Some(b) => respond(s, head_only, 200, &[("Content-Type", "text/html")], &b)?,
            None => not_found(s)?,
        }
        return Ok(Outcome::Close);
    }

    if let Some(n) = path.strip_prefix("/redirect/chain/") {
        match n.parse::<u64>() {
            Ok(0) => ok_page(s)?,
            Ok(n) => redirect(s, &format!("/redirect/chain/{}", n - 1))?,
            Err(_) => not_found(s)?,
        }
        return Ok(Outcome::Close);
    }
    if let Some(n) = path.strip_prefix("/redirect/abs/") {
        match n.parse::<u64>() {
            Ok(0) => ok_page(s)?,
            Ok(n) => redirect(s, &format!("{}/redirect/abs/{}", origin.base, n - 1))?,
            Err(_) => not_found(s)?,
        }
        return Ok(Outcome::Close);
    }
    if let Some(code) = path.strip_prefix("/status/") {
        match code.parse::<u16>() {
            Ok(code) if (200..=599).contains(&code) => respond(
                s,
                head_only,
                code,
                &[("Content-Type", HTML_UTF8)],
                html_status_page(code).as_bytes(),
            )?,
            _ => not_found(s)?,
        }
        return Ok(Outcome::Close);
    }

    match path {
        "/ok" => ok_page(s)?,
        "/redirect/loop/a" => redirect(s, "/redirect/loop/b")?,
        "/redirect/loop/b" => redirect(s, "/redirect/loop/a")?,
        "/redirect/scheme" => redirect(s, "file:///etc/passwd")?,
        "/404" => not_found(s)?,
        "/410" => respond(
            s,
            head_only,
            410,
            &[("Content-Type", HTML_UTF8)],
            html_status_page(410).as_bytes(),
        )?,
        "/latin1" => respond(
            s,
            head_only,
            200,
            &[("Content-Type", "text/html")],
            LATIN1_PAGE,
        )?,
        "/script-title" => respond(
            s,
            head_only,
            200,
            &[("Content-Type", HTML_UTF8)],
            SCRIPT_TITLE_PAGE.as_bytes(),
        )?,
        "/image.png" => respond(
            s,
            head_only,
            200,
            &[("Content-Type", "image/png")],
            tiny_png(),
        )?,
        "/bomb.gz" => respond(
            s,
            head_only,
            200,
            &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            gzip_bomb(),
        )?,
        "/endless" => {
            write_head(
                s,
                200,
                &[
                    ("Content-Type", "text/html"),
                    ("Transfer-Encoding", "chunked"),
                ],
            )?;
            if head_only {
                return Ok(Outcome::Close);
            }
            let frame = |body: &[u8]| {
                let mut c = format!("{:x}\r\n", body.len()).into_bytes();
                c.extend_from_slice(body);
                c.extend_from_slice(b"\r\n");
                c
            };
            let mut first = filler(CHUNK);
            let start = b"<!doctype html><html><head><title>Endless</title></head><body>\n";
            first[..start.len()].copy_from_slice(start);
            s.write_all(&frame(&first))?;
            let chunk = frame(&filler(CHUNK));
            while !shared.stop.load(Ordering::SeqCst) {
                s.write_all(&chunk)?;
            }
        }
        "/big" => {
            let len = BIG_LEN.to_string();
            write_head(
                s,
                200,
                &[("Content-Type", "text/html"), ("Content-Length", &len)],
            )?;
            if head_only {
                return Ok(Outcome::Close);
            }
            let mut first = filler(CHUNK);
            let start = b"<!doctype html><html><head><title>Big</title></head><body>\n";
            first[..start.len()].copy_from_slice(start);
            s.write_all(&first)?;
            let body = filler(CHUNK);
            let mut sent = CHUNK as u64;
            while sent < BIG_LEN {
                if shared.stop.load(Ordering::SeqCst) {
                    return Ok(Outcome::Close);
                }
                s.write_all(&body)?;
                sent += CHUNK as u64;
            }
            s.flush()?;
        }
        "/drip" => {
            write_head(
                s,
                200,
                &[("Content-Type", "text/html"), ("Content-Length", "1000")],
            )?;
            s.flush()?;
            if head_only {
                return Ok(Outcome::Close);
            }
            let body = filler(1000);
            for (i, b) in body.iter().enumerate() {
                if i > 0 {
                    let next = Instant::now() + Duration::from_secs(1);
                    while Instant::now() < next {
                        if shared.stop.load(Ordering::SeqCst) {
                            return Ok(Outcome::Close);
                        }
                        thread::sleep(Duration::from_millis(50));
                    }
                }
                s.write_all(&[*b])?;
                s.flush()?;
            }
        }
        "/trickle.png" => {
            // A picture that never finishes: a PNG signature, then a byte every 250 ms
            // for as long as the server runs (no Content-Length, so no end in sight).
            write_head(s, 200, &[("Content-Type", "image/png")])?;
            if head_only {
                return Ok(Outcome::Close);
            }
            s.write_all(b"\x89PNG\r\n\x1a\n")?;
            s.flush()?;
            while !shared.stop.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(250));
                s.write_all(&[0])?;
                s.flush()?;
            }
        }
        "/stall-headers" => hold(s, ctl, shared, STALL_LIMIT),
        "/reset" => return Ok(Outcome::Reset),
        "/slow-body" => {
            write_head(
                s,
                200,
                &[("Content-Type", "text/html"), ("Content-Length", "100")],
            )?;
            s.write_all(b"<html><bod")?;
            s.flush()?;
            hold(s, ctl, shared, STALL_LIMIT);
        }
        _ => not_found(s)?,
    }
    Ok(Outcome::Close)
}

// ---------------------------------------------------------------------------------------------
// Self-tests

#[cfg(test)]
mod tests {
    use super::*;

    /// One raw HTTP/1.1 GET over `stream`; returns (head, body) split at the blank line.
    fn raw_exchange<S: Read + Write>(stream: &mut S, host: &str, path: &str) -> (String, Vec<u8>) {
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: self-test\r\n\r\n"
        )
        .unwrap();
        stream.flush().unwrap();
        let mut all = Vec::new();
        stream.read_to_end(&mut all).unwrap();
        let i = all
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("no end of head");
        (
            String::from_utf8(all[..i].to_vec()).unwrap(),
            all[i + 4..].to_vec(),
        )
    }

    fn get(server: &TestServer, path: &str) -> (String, Vec<u8>) {
        let mut tcp = TcpStream::connect(("127.0.0.1", server.http_port())).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        raw_exchange(&mut tcp, "127.0.0.1", path)
    }

    fn header_names(head: &str) -> Vec<String> {
        head.split("\r\n")
            .skip(1)
            .map(|l| l.split_once(':').unwrap().0.to_string())
            .collect()
    }

    fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
        head.split("\r\n")
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    #[test]
    fn ok_page_headers_in_order() {
        let server = TestServer::start();
        let (head, body) = get(&server, "/ok");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        assert_eq!(
            header_names(&head),
            [
                "X-First",
                "X-Second",
                "Content-Type",
                "Content-Length",
                "Connection"
            ]
        );
        assert_eq!(
            header(&head, "content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(body, OK_PAGE.as_bytes());
        assert!(OK_PAGE.contains("<title>Test Listing</title>"));
        assert_eq!(server.hits("/ok"), 1);
        assert_eq!(server.hits("/nope"), 0);
    }

    #[test]
    fn redirect_chain_location_is_relative() {
        let server = TestServer::start();
        let (head, _) = get(&server, "/redirect/chain/2");
        assert!(head.starts_with("HTTP/1.1 302 "), "{head}");
        assert_eq!(header(&head, "location"), Some("/redirect/chain/1"));
        let (head, body) = get(&server, "/redirect/chain/0");
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert_eq!(body, OK_PAGE.as_bytes());
        let (head, _) = get(&server, "/redirect/abs/3");
        let want = server.http_url("/redirect/abs/2");
        assert_eq!(header(&head, "location"), Some(want.as_str()));
    }

    #[test]
    fn not_found_and_statuses() {
        let server = TestServer::start();
        assert!(get(&server, "/404").0.starts_with("HTTP/1.1 404 "));
        assert!(get(&server, "/410").0.starts_with("HTTP/1.1 410 "));
        assert!(get(&server, "/status/503").0.starts_with("HTTP/1.1 503 "));
        assert!(
            get(&server, "/no/such/route")
                .0
                .starts_with("HTTP/1.1 404 ")
        );
        assert!(
            get(&server, "/real/../Cargo.toml")
                .0
                .starts_with("HTTP/1.1 404 ")
        );
        assert!(
            get(&server, "/real/%2e%2e/x")
                .0
                .starts_with("HTTP/1.1 404 ")
        );
    }

    #[test]
    fn mount_exact_path_and_query() {
        let server = TestServer::start();
        server.mount("/item.htm?id=1", 200, None, b"hello".to_vec());
        let (head, body) = get(&server, "/item.htm?id=1");
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert_eq!(header(&head, "content-type"), None);
        assert_eq!(body, b"hello");
        assert!(
            get(&server, "/item.htm?id=2")
                .0
                .starts_with("HTTP/1.1 404 ")
        );
        assert_eq!(server.hits("/item.htm?id=1"), 1);
        assert_eq!(server.hits("/item.htm?id=2"), 1);
    }

    #[test]
    fn mount_prefix_answers_each_path_and_yields_to_exact_mounts() {
        let server = TestServer::start();
        server.mount_prefix("/item/", |path| Reply::html(format!("page {path}")));
        server.mount_prefix("/item/gone/", |_| Reply {
            status: 404,
            content_type: None,
            headers: vec![("X-A".into(), "1".into()), ("X-A".into(), "2".into())],
            body: b"gone".to_vec(),
        });
        server.mount("/item/7", 200, None, b"exact".to_vec());
        let (head, body) = get(&server, "/item/3?x=1");
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert_eq!(header(&head, "content-type"), Some(HTML_UTF8));
        assert_eq!(body, b"page /item/3?x=1");
        assert_eq!(get(&server, "/item/7").1, b"exact");
        let (head, _) = get(&server, "/item/gone/1");
        assert!(head.starts_with("HTTP/1.1 404 "), "{head}");
        assert!(head.contains("X-A: 1\r\nX-A: 2\r\n"), "{head}");
        assert!(get(&server, "/elsewhere").0.starts_with("HTTP/1.1 404 "));
    }

    #[test]
    fn real_page_byte_for_byte() {
        let server = TestServer::start();
        let rel = "taobao/taobao-item-562283240178.html";
        let want = std::fs::read(real_pages_dir().join(rel)).unwrap();
        let (head, body) = get(&server, &format!("/real/{rel}"));
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert_eq!(header(&head, "content-type"), Some("text/html"));
        assert_eq!(sha256_hex(&body), sha256_hex(&want));
        assert_eq!(body, want);
        assert!(!expected_pages().is_empty());
    }

    #[test]
    fn latin1_is_not_utf8() {
        let server = TestServer::start();
        let (head, body) = get(&server, "/latin1");
        assert_eq!(header(&head, "content-type"), Some("text/html"));
        assert!(std::str::from_utf8(&body).is_err());
        assert_eq!(body, LATIN1_PAGE);
    }

    #[test]
    fn png_is_wellformed() {
        let png = tiny_png();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"));
        assert!(png.ends_with(b"IEND\xae\x42\x60\x82"));
    }

    #[test]
    fn bomb_is_small_gzip() {
        let server = TestServer::start();
        let t = Instant::now();
        let (head, body) = get(&server, "/bomb.gz");
        eprintln!("bomb: {} bytes in {:?}", body.len(), t.elapsed());
        assert_eq!(header(&head, "content-encoding"), Some("gzip"));
        let len = body.len().to_string();
        assert_eq!(header(&head, "content-length"), Some(len.as_str()));
        assert!(body.starts_with(&[0x1f, 0x8b]));
        assert!(body.len() < 20 * 1024 * 1024, "{} bytes", body.len());
        // gzip trailer: ISIZE = expanded length mod 2^32
        let isize = u32::from_le_bytes(body[body.len() - 4..].try_into().unwrap());
        assert_eq!(u64::from(isize), BOMB_EXPANDED_LEN % (1 << 32));
    }

    #[test]
    fn zero_gzip_decodes_exactly() {
        for mib in [0, 1, 3, 40] {
            let gz = gzip_of_zeros(mib);
            let mut dec = flate2::read::GzDecoder::new(&gz[..]);
            let mut buf = vec![0u8; 1 << 20];
            let mut total = 0u64;
            loop {
                let n = dec.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                assert!(buf[..n].iter().all(|&b| b == 0));
                total += n as u64;
            }
            assert_eq!(total, mib * MIB, "{mib} MiB");
            // the decoder checked CRC and ISIZE; nothing may follow the member
            assert!(dec.into_inner().is_empty());
        }
    }

    /// Slow-ish (inflates 2 GiB): `cargo test -p exhibit-e2e --lib -- --ignored`.
    #[test]
    #[ignore]
    fn full_bomb_decodes_to_2_gib_of_zeros() {
        let mut dec = flate2::read::GzDecoder::new(gzip_bomb());
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = dec.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            assert!(buf[..n].iter().all(|&b| b == 0));
            total += n as u64;
        }
        assert_eq!(total, BOMB_EXPANDED_LEN);
    }

    #[test]
    fn reset_and_stall_do_not_panic() {
        let server = TestServer::start();
        let mut tcp = TcpStream::connect(("127.0.0.1", server.http_port())).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        tcp.write_all(b"GET /reset HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 16];
        let r = tcp.read(&mut buf);
        assert!(
            matches!(&r, Err(e) if e.kind() == ErrorKind::ConnectionReset),
            "{r:?}"
        );

        let mut tcp = TcpStream::connect(("127.0.0.1", server.http_port())).unwrap();
        tcp.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        tcp.write_all(b"GET /stall-headers HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let r = tcp.read(&mut buf);
        assert!(
            matches!(&r, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
            "{r:?}"
        );
        // Hang up mid-stream on an endless body; the server must shrug.
        let mut tcp = TcpStream::connect(("127.0.0.1", server.http_port())).unwrap();
        tcp.write_all(b"GET /endless HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut big = vec![0u8; 256 * 1024];
        tcp.read_exact(&mut big).unwrap();
        drop(tcp);
        let t = Instant::now();
        drop(server);
        assert!(t.elapsed() < Duration::from_secs(2));
    }

    fn tls_client(ca_pem: &str) -> Arc<rustls::ClientConfig> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
            roots.add(cert.unwrap()).unwrap();
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Arc::new(
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth(),
        )
    }

    #[test]
    fn https_handshake_with_test_ca() {
        let server = TestServer::start();
        let config = tls_client(server.ca_pem());
        for host in ["localhost", "item.taobao.com", "shop.test", "127.0.0.1"] {
            let name = rustls::pki_types::ServerName::try_from(host.to_string()).unwrap();
            let conn = rustls::ClientConnection::new(config.clone(), name).unwrap();
            let tcp = TcpStream::connect(("127.0.0.1", server.https_port())).unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let (head, body) = raw_exchange(&mut tls, host, "/ok");
            assert!(head.starts_with("HTTP/1.1 200 "), "{host}: {head}");
            assert_eq!(body, OK_PAGE.as_bytes(), "{host}");
        }
        assert_eq!(server.hits("/ok"), 4);

        // An untrusting client fails the handshake; the server must survive it.
        let other = TestServer::start();
        let wrong = tls_client(other.ca_pem());
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let conn = rustls::ClientConnection::new(wrong, name).unwrap();
        let tcp = TcpStream::connect(("127.0.0.1", server.https_port())).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        assert!(
            tls.write_all(b"GET /ok HTTP/1.1\r\n\r\n")
                .and_then(|_| tls.flush())
                .is_err()
        );
        let dir = tempfile::tempdir().unwrap();
        let path = server.write_ca_pem(dir.path());
        assert_eq!(std::fs::read_to_string(path).unwrap(), server.ca_pem());
        assert!(server.https_url("x").starts_with("https://localhost:"));
    }

    /// Read until the end of the head plus `want` body bytes (or timeout/EOF).
    fn partial(server: &TestServer, path: &str, want: usize) -> (String, Vec<u8>) {
        let mut tcp = TcpStream::connect(("127.0.0.1", server.http_port())).unwrap();
        tcp.set_read_timeout(Some(Duration::from_millis(1500)))
            .unwrap();
        write!(tcp, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            if let Some(i) = all.windows(4).position(|w| w == b"\r\n\r\n")
                && all.len() >= i + 4 + want
            {
                let head = String::from_utf8(all[..i].to_vec()).unwrap();
                return (head, all[i + 4..].to_vec());
            }
            match tcp.read(&mut buf) {
                Ok(0) | Err(_) => panic!("{path}: short read: {:?}", String::from_utf8_lossy(&all)),
                Ok(n) => all.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[test]
    fn streaming_and_misc_routes() {
        let server = TestServer::start();
        let (head, body) = get(&server, "/big");
        assert_eq!(header(&head, "content-length"), Some("62914560"));
        assert_eq!(body.len() as u64, BIG_LEN);

        let (head, body) = partial(&server, "/slow-body", 10);
        assert_eq!(header(&head, "content-length"), Some("100"));
        assert_eq!(body.len(), 10);

        let (head, body) = partial(&server, "/drip", 1);
        assert_eq!(header(&head, "content-length"), Some("1000"));
        assert_eq!(body.len(), 1);

        let (head, body) = partial(&server, "/endless", 200_000);
        assert_eq!(header(&head, "transfer-encoding"), Some("chunked"));
        assert!(body.starts_with(b"10000\r\n<!doctype html>"));

        let (head, body) = get(&server, "/image.png");
        assert_eq!(header(&head, "content-type"), Some("image/png"));
        assert_eq!(body, tiny_png());

        let (head, body) = get(&server, "/script-title");
        assert!(head.starts_with("HTTP/1.1 200 "));
        assert_eq!(body, SCRIPT_TITLE_PAGE.as_bytes());

        let (head, _) = get(&server, "/redirect/scheme");
        assert_eq!(header(&head, "location"), Some("file:///etc/passwd"));
        let (head, _) = get(&server, "/redirect/loop/b");
        assert_eq!(header(&head, "location"), Some("/redirect/loop/a"));
    }

    #[test]
    fn free_port_is_bindable() {
        let p = free_loopback_port();
        assert!(p > 0);
        TcpListener::bind(("127.0.0.1", p)).unwrap();
    }
}

/// A seed for a randomised test: the environment variable `var` when set, else the
/// clock. Printed with how to replay it, so a failure can be replayed.
pub fn replayable_seed(var: &str, what: &str) -> u64 {
    let seed = std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(7)
        });
    println!("{what}: seed {seed} (set {var} to replay)");
    seed
}

/// A small deterministic generator for the fault tests, seeded from `var` (or the
/// clock) and printed, so a failure can be replayed.
#[derive(Debug)]
pub struct Lcg(u64);

impl Lcg {
    /// Seeds from the environment variable `var` when set, else from the clock, and
    /// prints the seed with how to replay it ([`replayable_seed`]).
    pub fn seeded(var: &str, what: &str) -> Lcg {
        Lcg(replayable_seed(var, what))
    }

    /// From a seed the test already has (and prints).
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number below `n` (below 1 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}
