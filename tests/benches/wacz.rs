//! WACZ export of 1,000 captures: time and size, against the same captures' files
//! (record JSON and every artifact) in a plain deflated ZIP written with the `zip` crate.
//!
//! The captures are real listing pages from `tests/fixtures/real-pages` taken over HTTP
//! from a local server, so each has its record, headers and body as a real one does.
//!
//! Run: `cargo bench -p exhibit-e2e --bench wacz`

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::{PASS, median};
use exhibit::{BatchOptions, Case, Passphrase};
use exhibit_e2e::{TestServer, expected_pages, real_pages_dir};

const CAPTURES: usize = 1000;
const ROUNDS: usize = 3;

fn main() {
    let server = TestServer::start();
    let files: Vec<String> = expected_pages()
        .iter()
        .filter(|p| p["page_kind"] == "listing")
        .filter_map(|p| p["file"].as_str().map(str::to_owned))
        .collect();
    let urls: Vec<String> = (0..CAPTURES)
        .map(|i| {
            let bytes =
                std::fs::read(real_pages_dir().join(&files[i % files.len()])).expect("fixture");
            let path = format!("/listing/{i}");
            server.mount(&path, 200, Some("text/html"), bytes);
            server.http_url(&path)
        })
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let case = Case::create(
        &dir.path().join("wacz.exhibit"),
        &Passphrase::new(PASS.into()),
        "WACZ bench",
        None,
    )
    .expect("create");
    let summary = case
        .capture_urls(
            urls,
            BatchOptions {
                concurrency: 16,
                ..BatchOptions::default()
            },
            |_| {},
        )
        .expect("capture");
    assert_eq!(summary.ok, CAPTURES, "{summary:?}");
    let captures = case.captures().expect("captures");

    let mut wacz_times = Vec::new();
    let mut wacz_size = 0;
    for round in 0..ROUNDS {
        let path = dir.path().join(format!("export-{round}.wacz"));
        let t = Instant::now();
        case.export_wacz(&path).expect("export wacz");
        wacz_times.push(t.elapsed());
        wacz_size = std::fs::metadata(&path).expect("wacz").len();
    }

    // The peer reads the artifacts straight from the store; the case lets go of it first.
    let case_path = dir.path().join("wacz.exhibit");
    drop(case);
    let store =
        exhibit_store::Store::open(&case_path, &Passphrase::new(PASS.into())).expect("open store");
    let mut zip_times = Vec::new();
    let mut zip_size = 0;
    for round in 0..ROUNDS {
        let path = dir.path().join(format!("plain-{round}.zip"));
        let t = Instant::now();
        let file = std::fs::File::create(&path).expect("zip file");
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for c in &captures {
            zip.start_file(format!("captures/{}/record.json", c.id), options)
                .expect("entry");
            zip.write_all(&serde_json::to_vec(&c.record).expect("record"))
                .expect("write");
            for a in &c.artifacts {
                let mut bytes = Vec::new();
                store
                    .write_artifact(c.id, &a.kind, &mut bytes)
                    .expect("artifact");
                zip.start_file(format!("captures/{}/{}", c.id, a.kind), options)
                    .expect("entry");
                zip.write_all(&bytes).expect("write");
            }
        }
        zip.finish().expect("finish zip");
        zip_times.push(t.elapsed());
        zip_size = std::fs::metadata(&path).expect("zip").len();
    }

    let s = |d: Duration| d.as_secs_f64();
    let (w, z) = (median(wacz_times), median(zip_times));
    println!("{CAPTURES} HTTP captures of real listing pages, median of {ROUNDS}:");
    println!(
        "  WACZ export (WARC request+response records, CDXJ index, pages, datapackage): {:.2} s, {:.1} MB",
        s(w),
        wacz_size as f64 / 1e6
    );
    println!(
        "  plain ZIP of the same records and artifacts (deflate):                       {:.2} s, {:.1} MB",
        s(z),
        zip_size as f64 / 1e6
    );
    println!(
        "  ratio WACZ / ZIP: time {:.2}, size {:.2}",
        s(w) / s(z),
        wacz_size as f64 / zip_size as f64
    );
}
