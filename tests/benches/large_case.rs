//! `list`, `show` and `verify` on a case of 10,000 captures against the same on a case
//! of 100, after the key is derived.
//!
//! Both cases are built through the store (no network): each capture is a Taobao
//! listing with a full record (facts, eleven response headers) and a 48 KB page body.
//! Timed in process, after `Case::open` (whose SQLCipher key derivation is timed
//! apart): a page of 50 captures at the start, middle and end of the case, one capture
//! in full with its trusted time, and `verify` (every page, and evidence only) per MB.
//! Then the `exhibit` binary end to end, `list --limit 50 --offset N` and `show ID`,
//! with the key derivation subtracted, beside the old `list` of every capture.
//! Run: `cargo bench -p exhibit-e2e --bench large_case`

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{PASS, median, ms, page_bytes};
use exhibit::{Case, Passphrase};
use exhibit_domain::{
    CaptureRecord, CaptureStatus, Collector, Environment, Header, ListingFacts, NewArtifact,
};
use exhibit_e2e::cli::exhibit_bin;
use exhibit_store::Store;

const LARGE: usize = 10_000;
const SMALL: usize = 100;
const BODY: usize = 48 * 1024;
const PAGE: u64 = 50;
const ROUNDS: usize = 7;

fn record(n: usize) -> CaptureRecord {
    let id = 600_000_000_000usize + n;
    let at = format!(
        "2026-{:02}-{:02}T10:{:02}:{:02}.000Z",
        1 + n / 1000 % 12,
        1 + n / 40 % 28,
        n / 60 % 60,
        n % 60
    );
    CaptureRecord {
        mode: "http".into(),
        requested_url: format!("https://item.taobao.com/item.htm?id={id}"),
        final_url: Some(format!("https://item.taobao.com/item.htm?id={id}")),
        redirects: vec![],
        http_version: Some("HTTP/1.1".into()),
        http_status: Some(200),
        headers: [
            ("server", "Tengine"),
            ("content-type", "text/html; charset=utf-8"),
            ("transfer-encoding", "chunked"),
            ("connection", "keep-alive"),
            ("vary", "Accept-Encoding"),
            ("cache-control", "max-age=0, s-maxage=86400"),
            ("strict-transport-security", "max-age=31536000"),
            ("timing-allow-origin", "*"),
            ("eagleid", "2a8f3b9e17650123456789012e"),
            ("x-frame-options", "SAMEORIGIN"),
            (
                "set-cookie",
                "thw=cn; Path=/; Domain=.taobao.com; Expires=Thu, 01-Jan-2027",
            ),
        ]
        .into_iter()
        .map(|(name, value)| Header {
            name: name.into(),
            value: value.into(),
            value_was_lossy: false,
        })
        .collect(),
        remote_addr: Some("140.205.94.189:443".into()),
        tls: None,
        started_at: at.clone(),
        finished_at: at,
        status: CaptureStatus::Ok,
        error: None,
        notes: vec![],
        facts: ListingFacts {
            marketplace: Some("taobao".into()),
            page_kind: Some("listing".into()),
            listing_id: Some(id.to_string()),
            title: Some(format!("ACME brass camping lantern, model {}", n % 5000)),
            price: Some(format!("{}.00", 50 + n % 90)),
            currency: Some("CNY".into()),
            seller: Some(format!("Shop {}", n % 1000)),
            seller_id: Some(format!("{}", 100_000 + n % 1000)),
            main_image: None,
            canonical_url: Some(format!("https://item.taobao.com/item.htm?id={id}")),
            charset: Some("UTF-8".into()),
            ..ListingFacts::default()
        },
        collector: Collector::default(),
        environment: Environment::default(),
        browser: None,
        archive: None,
        context: None,
    }
}

fn build(path: &Path, captures: usize) -> Duration {
    let t = Instant::now();
    let mut store =
        Store::create(path, &Passphrase::new(PASS.into()), "Large case bench").expect("create");
    for n in 0..captures {
        let body = NewArtifact::new("body", "text/html", page_bytes(BODY, n as u64));
        store.add_capture(&record(n), &[body]).expect("add");
    }
    t.elapsed()
}

struct Figures {
    captures: usize,
    open: Duration,
    list_first: Duration,
    list_middle: Duration,
    list_last: Duration,
    list_all: Duration,
    show: Duration,
    verify: Duration,
    verify_quick: Duration,
    megabytes: f64,
    cli_list_page: Duration,
    cli_list_all: Duration,
    cli_show: Duration,
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    std::hint::black_box(f());
    t.elapsed()
}

fn measure(path: &Path, captures: usize) -> Figures {
    let pass = Passphrase::new(PASS.into());
    let mut open = Vec::new();
    for _ in 0..ROUNDS {
        open.push(time(|| Case::open(path, &pass).expect("open")));
    }
    let case = Case::open(path, &pass).expect("open");
    let n = captures as u64;
    let page_at = |offset: u64| {
        median(
            (0..ROUNDS)
                .map(|_| {
                    time(|| {
                        let page = case.capture_range(offset, PAGE).expect("page");
                        assert_eq!(page.len() as u64, PAGE.min(n - offset));
                        page.iter().map(exhibit::CaptureView::from).count()
                    })
                })
                .collect(),
        )
    };
    let (list_first, list_middle, list_last) = (page_at(0), page_at(n / 2), page_at(n - PAGE));
    let list_all = median(
        (0..3)
            .map(|_| {
                time(|| {
                    let all = case.captures().expect("all");
                    all.iter().map(exhibit::CaptureView::from).count()
                })
            })
            .collect(),
    );
    let ids: Vec<i64> = (0..21).map(|k| 1 + (k * 7919 % captures) as i64).collect();
    let show = median(
        ids.iter()
            .map(|&id| {
                time(|| {
                    let c = case.capture(id).expect("capture");
                    let detail = exhibit::CaptureDetail::from(&c);
                    (detail, case.trusted_time(id).expect("trusted time"))
                })
            })
            .collect(),
    );
    let mut bytes = 0;
    let verify = median(
        (0..3)
            .map(|_| {
                let t = Instant::now();
                let report = case.verify(true).expect("verify");
                assert!(report.ok, "{:?}", report.problems);
                bytes = report.bytes_checked;
                t.elapsed()
            })
            .collect(),
    );
    let verify_quick = median(
        (0..3)
            .map(|_| time(|| assert!(case.verify(false).expect("verify").ok)))
            .collect(),
    );
    drop(case);

    let cli = |args: &[&str]| {
        median(
            (0..ROUNDS)
                .map(|_| {
                    let t = Instant::now();
                    let out = Command::new(exhibit_bin())
                        .args(args)
                        .env("EXHIBIT_PASSPHRASE", PASS)
                        .env_remove("EXHIBIT_LOG")
                        .output()
                        .expect("run exhibit");
                    let took = t.elapsed();
                    assert!(out.status.success(), "{out:?}");
                    took
                })
                .collect(),
        )
    };
    let case_arg = path.to_str().expect("utf-8 path");
    let last_page = (n - PAGE).to_string();
    let some_id = (captures * 3 / 4).to_string();
    Figures {
        captures,
        open: median(open),
        list_first,
        list_middle,
        list_last,
        list_all,
        show,
        verify,
        verify_quick,
        megabytes: bytes as f64 / 1e6,
        cli_list_page: cli(&[
            "list",
            case_arg,
            "--limit",
            &PAGE.to_string(),
            "--offset",
            &last_page,
        ]),
        cli_list_all: cli(&["list", case_arg]),
        cli_show: cli(&["show", case_arg, &some_id]),
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _ = exhibit_bin();
    let mut all = Vec::new();
    for captures in [SMALL, LARGE] {
        let path = dir.path().join(format!("case-{captures}.exhibit"));
        let built = build(&path, captures);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "built a case of {captures} captures ({:.0} MB file) in {:.1} s",
            size as f64 / 1e6,
            built.as_secs_f64()
        );
        all.push(measure(&path, captures));
    }
    println!(
        "medians (list and show: of {ROUNDS}; verify: of 3); times after the key is derived unless said:"
    );
    println!("{:<58} {:>12} {:>12}", "", "100 caps", "10,000 caps");
    let row = |what: &str, f: &dyn Fn(&Figures) -> String| {
        println!("{what:<58} {:>12} {:>12}", f(&all[0]), f(&all[1]));
    };
    let msf = |d: Duration| format!("{:.1} ms", ms(d));
    row("open: SQLCipher key derivation + first read", &|f| {
        msf(f.open)
    });
    row("list page of 50, first (capture_range)", &|f| {
        msf(f.list_first)
    });
    row("list page of 50, middle", &|f| msf(f.list_middle));
    row("list page of 50, last", &|f| msf(f.list_last));
    row("every capture (Case::captures, the old list)", &|f| {
        msf(f.list_all)
    });
    row("show one capture with its trusted time", &|f| msf(f.show));
    row("verify (every page), MB of artifacts", &|f| {
        format!("{:.1} MB", f.megabytes)
    });
    row("verify (every page)", &|f| msf(f.verify));
    row("verify (every page), MB/s", &|f| {
        format!("{:.0}", f.megabytes / f.verify.as_secs_f64())
    });
    row("verify --quick, MB/s", &|f| {
        format!("{:.0}", f.megabytes / f.verify_quick.as_secs_f64())
    });
    row("CLI `list --limit 50 --offset N-50`, whole process", &|f| {
        msf(f.cli_list_page)
    });
    row("  the same, less the key derivation", &|f| {
        msf(f.cli_list_page.saturating_sub(f.open))
    });
    row("CLI `show ID`, whole process", &|f| msf(f.cli_show));
    row("  the same, less the key derivation", &|f| {
        msf(f.cli_show.saturating_sub(f.open))
    });
    row("CLI `list` (every capture), whole process", &|f| {
        msf(f.cli_list_all)
    });
    let (s, l) = (&all[0], &all[1]);
    println!(
        "verify MB/s, large / small: every page {:.2}, quick {:.2}",
        (l.megabytes / l.verify.as_secs_f64()) / (s.megabytes / s.verify.as_secs_f64()),
        (l.megabytes / l.verify_quick.as_secs_f64()) / (s.megabytes / s.verify_quick.as_secs_f64()),
    );
    println!("captures: {} and {}", s.captures, l.captures);
}
