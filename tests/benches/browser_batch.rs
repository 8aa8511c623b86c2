//! A 100-page batch in browser mode at concurrency 2 (`exhibit capture --mode browser`,
//! the release binary), with the peak memory of Exhibit plus its Chromium, against a peer
//! in the same run: 100 cold `chromium --headless --screenshot` runs, two at a time, on
//! the same pages (a screenshot only, no other artifact, nothing stored).
//!
//! Pages are listings drawn by script 0.5 s after load, 3,000 px tall, with four images
//! from the same server. (The real pages of `tests/fixtures/real-pages` load dozens of
//! third-party scripts and images; this machine has no route to the internet, so each
//! of those requests hangs until Chromium gives up, every page waits out the 15 s settle
//! limit, and the figure would measure the missing network, not Exhibit.)
//! Memory is the sum over Exhibit and every process below it (its Chromium's) of
//! PSS (proportional set size, so pages shared between Chromium's processes count once),
//! sampled every 100 ms; RSS sums are printed too.
//! Run: `cargo bench -p exhibit-e2e --bench browser_batch`

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use exhibit_e2e::TestServer;
use exhibit_e2e::cli::{PASS, exhibit_bin};

const PAGES: usize = 100;
const CONCURRENCY: usize = 2;

const LISTING: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Loading</title></head>
<body><div id="app">Loading…</div>
<script>
setTimeout(function () {
  document.title = "Bench listing {n}";
  var imgs = "";
  for (var k = 0; k < 4; k++) imgs += '<img loading="lazy" width="400" height="300" src="/image.png?{n}-' + k + '">' +
    '<div style="height:600px"></div>';
  document.getElementById("app").innerHTML =
    '<h1 id="productTitle">Bench listing {n} 基准商品</h1><p class="price">$19.99</p>' + imgs;
}, 500);
</script></body></html>"#;

/// `(pss_kib, rss_kib)` of one process, if it still exists.
fn memory_of(pid: u32) -> Option<(u64, u64)> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        rollup.lines().find_map(|l| {
            l.strip_prefix(name)
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
    };
    Some((field("Pss:")?, field("Rss:")?))
}

/// Every process below `root`: its children, theirs, and so on (from each process's
/// parent in `/proc/<pid>/stat`). Chromium's helpers do not all name the profile on their
/// command line (the headless shell's renderers do not), but all descend from Exhibit.
fn descendants(root: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parents: Vec<(u32, u32)> = dir
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // "pid (name) state ppid ...": the name may hold spaces and parentheses.
            let after = stat.rsplit_once(')')?.1;
            let ppid = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    found.remove(0);
    found
}

fn main() {
    let server = TestServer::start();
    let urls: Vec<String> = (0..PAGES)
        .map(|i| {
            let path = format!("/listing/{i}");
            server.mount(
                &path,
                200,
                Some("text/html; charset=utf-8"),
                LISTING.replace("{n}", &i.to_string()).into_bytes(),
            );
            server.http_url(&path)
        })
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("bench.exhibit");
    let data = dir.path().join("data");
    let bin = exhibit_bin();
    let init = Command::new(&bin)
        .args([
            "init",
            case.to_str().expect("path"),
            "--title",
            "Browser bench",
        ])
        .env("EXHIBIT_PASSPHRASE", PASS)
        .output()
        .expect("init");
    assert!(init.status.success(), "{init:?}");
    let list = dir.path().join("urls.txt");
    std::fs::write(&list, urls.join("\n")).expect("url list");

    // Exhibit as a user runs it (on the headless shell of the same Chromium when one is
    // installed), then held to the full browser with `--browser`.
    let default = batch(
        &bin,
        &case,
        &data,
        &list,
        &[],
        &dir.path().join("timings.log"),
    );
    let full = batch(
        &bin,
        &case,
        &data,
        &list,
        &["--browser", "chromium"],
        &dir.path().join("timings-full.log"),
    );

    // The peer: cold headless screenshots, two at a time, same pages.
    // Debian's `chromium` (the full browser in its headless mode), whatever Exhibit ran.
    let chromium =
        exhibit_browser::find_browser(Some(Path::new("chromium"))).expect("chromium on PATH");
    let peer_dir = dir.path().join("peer");
    let t = Instant::now();
    let mut done = 0usize;
    for pair in urls.chunks(CONCURRENCY) {
        let children: Vec<_> = pair
            .iter()
            .enumerate()
            .map(|(j, url)| {
                let n = done + j;
                cold_screenshot(&chromium, &peer_dir.join(format!("p{n}")), url)
            })
            .collect();
        for mut c in children {
            let _ = c.wait();
        }
        done += pair.len();
    }
    let peer = t.elapsed();
    let shots = (0..PAGES)
        .filter(|n| peer_dir.join(format!("p{n}")).join("shot.png").exists())
        .count();

    let rate = |d: Duration| PAGES as f64 / d.as_secs_f64();
    println!("browser batch of {PAGES} script-drawn listing pages at concurrency {CONCURRENCY}:");
    println!(
        "  cold chromium --headless --screenshot x{PAGES}, 2 at a time: {:.1} s, {:.2} pages/s ({shots} screenshots)",
        peer.as_secs_f64(),
        rate(peer)
    );
    for (name, run) in [
        ("exhibit capture --mode browser (the default)", &default),
        ("exhibit capture --mode browser --browser chromium", &full),
    ] {
        println!("  {name}:");
        println!("    {}", run.summary);
        println!(
            "    {:.1} s, {:.2} pages/s ({} ok); ratio to the cold screenshots {:.2}",
            run.took.as_secs_f64(),
            rate(run.took),
            run.ok,
            rate(run.took) / rate(peer)
        );
        println!(
            "    ran {}; peak memory, Exhibit + its browser: {:.0} MiB PSS ({:.0} MiB summed RSS); Exhibit alone {:.0} MiB RSS",
            run.browser,
            run.peak_pss as f64 / 1024.0,
            run.peak_rss as f64 / 1024.0,
            run.peak_exhibit as f64 / 1024.0
        );
        print_breakdown(&run.timings);
    }
}

/// What one `exhibit capture` batch took.
struct Batch {
    took: Duration,
    ok: usize,
    summary: String,
    /// The executable of the browser it ran: its biggest process's at the peak.
    browser: String,
    peak_pss: u64,
    peak_rss: u64,
    peak_exhibit: u64,
    timings: String,
}

/// Runs one browser-mode batch over the URLs in `list`, sampling the memory of Exhibit
/// and every process below it every 100 ms.
fn batch(bin: &Path, case: &Path, data: &Path, list: &Path, extra: &[&str], log: &Path) -> Batch {
    let t = Instant::now();
    let mut child = Command::new(bin)
        .args([
            "capture",
            case.to_str().expect("path"),
            "--mode",
            "browser",
            "--concurrency",
            &CONCURRENCY.to_string(),
            "--from",
            list.to_str().expect("path"),
        ])
        .args(extra)
        .env("EXHIBIT_PASSPHRASE", PASS)
        .env("EXHIBIT_DATA_DIR", data)
        // Where the time goes: one line per step of each capture, on stderr.
        .env("EXHIBIT_LOG", "exhibit::timing=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::File::create(log).expect("timings file"),
        ))
        .spawn()
        .expect("capture");
    let (mut peak_pss, mut peak_rss, mut peak_exhibit) = (0u64, 0u64, 0u64);
    let mut browser = String::new();
    while child.try_wait().expect("wait").is_none() {
        let own = memory_of(child.id()).unwrap_or_default();
        let (mut pss, mut rss) = own;
        // The biggest process below Exhibit, the browser's own, at the peak.
        let mut biggest = (0u64, String::new());
        for pid in descendants(child.id()) {
            let (p, r) = memory_of(pid).unwrap_or_default();
            pss += p;
            rss += r;
            if r > biggest.0
                && let Ok(exe) = std::fs::read_link(format!("/proc/{pid}/exe"))
            {
                biggest = (r, exe.display().to_string());
            }
        }
        if pss > peak_pss {
            browser = biggest.1;
        }
        peak_pss = peak_pss.max(pss);
        peak_rss = peak_rss.max(rss);
        peak_exhibit = peak_exhibit.max(own.1);
        std::thread::sleep(Duration::from_millis(100));
    }
    let took = t.elapsed();
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    Batch {
        took,
        ok: stdout.lines().filter(|l| l.contains(" ok ")).count(),
        summary: stdout.lines().last().unwrap_or_default().to_owned(),
        browser,
        peak_pss,
        peak_rss,
        peak_exhibit,
        timings: std::fs::read_to_string(log).unwrap_or_default(),
    }
}

/// Median and total per step of the `exhibit::timing` lines, in the order steps first
/// appear. Steps nest (`capture` holds `open tab` … `close tab`; `take` holds `capture`).
fn print_breakdown(log: &str) {
    let mut steps: Vec<(String, Vec<f64>)> = Vec::new();
    for line in log.lines().filter(|l| l.contains("exhibit::timing")) {
        let line = without_ansi(line);
        let Some(step) = line
            .split_once("step=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(step, _)| step.to_owned())
        else {
            continue;
        };
        let Some(ms) = line
            .split_once(" ms=")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
        else {
            continue;
        };
        match steps.iter_mut().find(|(s, _)| *s == step) {
            Some((_, v)) => v.push(ms),
            None => steps.push((step, vec![ms])),
        }
    }
    if steps.is_empty() {
        return;
    }
    println!("  where the time goes (ms per capture: median, p90; total s over the batch):");
    for (step, mut v) in steps {
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        println!(
            "    {step:<20} {:>7.1} {:>7.1} {:>7.1} s  (n={})",
            at(0.5),
            at(0.9),
            v.iter().sum::<f64>() / 1000.0,
            v.len()
        );
    }
}

/// The line without the terminal colour codes the log format adds.
fn without_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ … final letter
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn cold_screenshot(chromium: &Path, profile: &Path, url: &str) -> std::process::Child {
    std::fs::create_dir_all(profile).expect("peer profile");
    let shot = profile.join("shot.png");
    let flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --window-size=1366,900";
    Command::new(chromium)
        .args(flags.split(' '))
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium")
}
