//! What a trusted time adds to one capture on loopback: the same real listing captured
//! one at a time over HTTP, with no authority and with a local RFC 3161 authority
//! (`openssl ts -reply` behind HTTP on 127.0.0.1, from `exhibit_tsa::testing`), plus the
//! bare round trip (`exhibit_tsa::stamp`: request, HTTP, full verification) for scale.
//!
//! The local authority starts an `openssl` process per request, so its own cost is in
//! the figures; a public authority adds its network latency instead.
//!
//! Run: `cargo bench -p exhibit-e2e --bench tsa`

mod common;

use std::time::{Duration, Instant};

use common::{PASS, median};
use exhibit::{BatchOptions, Case, Passphrase, TsaSettings};
use exhibit_e2e::{TestServer, real_pages_dir};
use exhibit_tsa::testing::{Behaviour, TestPki, TestTsa};

const CAPTURES: usize = 30;
const LISTING: &str = "taobao/taobao-item-562283240178.html";

fn main() {
    let server = TestServer::start();
    let bytes = std::fs::read(real_pages_dir().join(LISTING)).expect("fixture");
    server.mount("/listing", 200, Some("text/html"), bytes);
    let url = server.http_url("/listing");
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = TestPki::new(&dir.path().join("pki"));
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    let prepared = TsaSettings::new(vec![tsa.url()], vec![pki.ca_pem_path().to_path_buf()])
        .prepare()
        .expect("tsa settings")
        .expect("one authority");

    let case = Case::create(
        &dir.path().join("tsa.exhibit"),
        &Passphrase::new(PASS.into()),
        "TSA bench",
        None,
    )
    .expect("create");
    let one = |with_tsa: bool| -> Duration {
        let options = BatchOptions {
            concurrency: 1,
            tsa: with_tsa.then(|| prepared.clone()),
            ..BatchOptions::default()
        };
        let t = Instant::now();
        let summary = case
            .capture_urls(vec![url.clone()], options, |_| {})
            .expect("capture");
        assert_eq!(summary.ok, 1, "{summary:?}");
        t.elapsed()
    };
    // Warm up both paths once, then alternate so drift hits both alike.
    one(false);
    one(true);
    let (mut plain, mut stamped) = (Vec::new(), Vec::new());
    for _ in 0..CAPTURES {
        plain.push(one(false));
        stamped.push(one(true));
    }
    assert_eq!(tsa.requests(), CAPTURES + 1);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let trust = pki.trust();
    let mut bare = Vec::new();
    for i in 0..CAPTURES {
        let digest = exhibit::sha256(format!("bench {i}").as_bytes()).0;
        let t = Instant::now();
        runtime
            .block_on(exhibit_tsa::stamp(
                &[tsa.url()],
                &trust,
                &digest,
                Duration::from_secs(10),
            ))
            .expect("stamp");
        bare.push(t.elapsed());
    }

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (p, s, b) = (median(plain), median(stamped), median(bare));
    println!("one HTTP capture of a real Taobao listing on loopback, median of {CAPTURES}:");
    println!(
        "  without trusted time:                      {:.1} ms",
        ms(p)
    );
    println!(
        "  with a local RFC 3161 authority:           {:.1} ms",
        ms(s)
    );
    println!(
        "  added by the trusted time:                 {:.1} ms ({:.2}x)",
        ms(s) - ms(p),
        ms(s) / ms(p)
    );
    println!(
        "  bare stamp (request, HTTP, openssl ts -reply, verify): {:.1} ms",
        ms(b)
    );
}
