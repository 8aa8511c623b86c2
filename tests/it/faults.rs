//! The fault campaign: whatever fails, a committed capture survives.
//!
//! - SIGKILL at random moments of `export`, `import`, `timestamp` and `passwd`. After
//!   each kill the case opens, `verify` passes, and everything reported done is there;
//!   a half-written export leaves no file that looks complete; a killed rekey leaves a
//!   case that opens with the old or the new passphrase, never neither.
//! - The disk filling up (a small tmpfs) during capture, export and import: one plain
//!   sentence, and nothing committed is lost.
//! - A case on a read-only medium (a tmpfs remounted read-only, as a write-protected
//!   stick or a mounted evidence image is): `list`, `show`, `artifact` and `verify`
//!   work; `capture` and `export` say in one sentence why they cannot write.
//!
//! Seeded and replayable like `tests/it/crash.rs`: the seed is printed, and
//! `EXHIBIT_FAULT_SEED` replays it. Mounting a tmpfs needs root, as CI runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use exhibit_e2e::cli::{CaseDir, PASS, assert_success, example_complaint, text};
use exhibit_e2e::{Lcg, TestServer};
use exhibit_tsa::testing::{Behaviour, TestPki, TestTsa};

fn all_output(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Serves `n` listing pages of about `kb` KiB each and returns their URLs.
fn listing_pages(server: &TestServer, prefix: &str, n: usize, kb: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let path = format!("/{prefix}/{i}");
            // Varied text, so compression cannot make the pages tiny.
            let filler: String = (0..kb * 1024 / 16)
                .map(|j| format!("{:015x} ", (i * 7919 + j) * 2654435761))
                .collect();
            server.mount(
                &path,
                200,
                Some("text/html; charset=utf-8"),
                format!(
                    "<html><head><title>Listing {prefix} {i}</title></head><body><h1>Listing {prefix} {i}</h1><p>{filler}</p></body></html>"
                )
                .into_bytes(),
            );
            server.http_url(&path)
        })
        .collect()
}

fn capture(case: &CaseDir, urls: &[String]) -> Output {
    let mut args = vec!["capture", "{case}", "--concurrency", "4"];
    args.extend(urls.iter().map(String::as_str));
    case.run(&args)
}

fn capture_count(case: &CaseDir) -> usize {
    case.captures().len()
}

/// `verify --json` must pass; returns the report.
fn assert_verifies(case: &CaseDir, context: &str) -> serde_json::Value {
    let out = case.run(&["verify", "{case}", "--json"]);
    assert!(out.status.success(), "{context}: {}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["ok"], true, "{context}: {report}");
    report
}

/// Runs `cmd`, kills it with SIGKILL after `after` (if it is still running), and says
/// whether it was killed before it finished.
fn run_and_kill(mut cmd: Command, after: Duration) -> (bool, Output) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn exhibit");
    let deadline = Instant::now() + after;
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            let out = child.wait_with_output().expect("output");
            return (false, out);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            // A child already inside `exit` ignores the signal and ends with its own
            // status; then it finished, and its status is checked as such.
            return (killed_by_signal(&out.status), out);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[cfg(unix)]
fn killed_by_signal(status: &std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(9)
}

#[cfg(not(unix))]
fn killed_by_signal(status: &std::process::ExitStatus) -> bool {
    !status.success()
}

/// How long a command takes when left alone, to spread the kills over its whole run.
fn time_of(mut cmd: Command) -> (Duration, Output) {
    let started = Instant::now();
    let out = cmd.output().expect("run");
    (started.elapsed(), out)
}

fn dmca_export(case: &CaseDir, complaint: &Path, out_dir: &Path) -> Command {
    case.command(&[
        "export",
        "{case}",
        "--complaint",
        complaint.to_str().expect("path"),
        "--out",
        out_dir.to_str().expect("path"),
        "--time",
        "2026-12-01T10:00:00Z",
        "--json",
    ])
}

/// Every file an export left in `dir` either is complete (the bundle verifies, the
/// packet passes `qpdf --check`) or says by its name that it is not (`.partial`).
fn assert_no_complete_looking_leftovers(case: &CaseDir, dir: &Path, context: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.to_string_lossy().into_owned();
        if name.ends_with(".partial") {
            continue;
        }
        if name.ends_with(".zip") {
            let out = case.run(&["verify-bundle", &name]);
            assert!(
                out.status.success(),
                "{context}: a bundle that looks complete does not verify: {name}\n{}",
                text(&out)
            );
        } else if name.ends_with(".pdf") {
            let out = Command::new("qpdf")
                .arg("--check")
                .arg(&path)
                .output()
                .expect("qpdf");
            assert!(
                out.status.success(),
                "{context}: a packet that looks complete is broken: {name}\n{}",
                text(&out)
            );
        }
    }
}

#[test]
fn sigkill_during_export_leaves_the_case_whole_and_no_complete_looking_file() {
    let mut rng = Lcg::seeded("EXHIBIT_FAULT_SEED", "export");
    let server = TestServer::start();
    let case = CaseDir::new();
    assert_success(&capture(&case, &listing_pages(&server, "export", 24, 150)));
    let complaint = example_complaint(&case, "dmca.toml");
    let (took, out) = time_of(dmca_export(&case, &complaint, &case.path("out-whole")));
    assert_success(&out);
    let mut killed = 0;
    for round in 0..8 {
        let dir = case.path(&format!("out-{round}"));
        let wait = Duration::from_millis(rng.below(took.as_millis() as u64 + 50));
        let (was_killed, out) = run_and_kill(dmca_export(&case, &complaint, &dir), wait);
        killed += usize::from(was_killed);
        let context = format!("export round {round} (killed after {wait:?}: {was_killed})");
        if !was_killed {
            assert_success(&out);
        }
        assert_verifies(&case, &context);
        assert_no_complete_looking_leftovers(&case, &dir, &context);
        println!("{context}: the case verifies; no complete-looking leftovers");
    }
    // The next export after the kills works, over the leftovers.
    let dir = case.path("out-0");
    assert_success(
        &dmca_export(&case, &complaint, &dir)
            .output()
            .expect("export"),
    );
    assert!(
        killed > 0,
        "no export was killed mid-way: the kills tested nothing"
    );
}

#[test]
fn sigkill_during_import_leaves_the_case_whole() {
    let mut rng = Lcg::seeded("EXHIBIT_FAULT_SEED", "import");
    let server = TestServer::start();
    let source = CaseDir::new();
    assert_success(&capture(
        &source,
        &listing_pages(&server, "import", 40, 120),
    ));
    let wacz = source.path("all.wacz");
    assert_success(&source.run(&["export", "{case}", "--wacz", wacz.to_str().expect("p")]));
    let import = |case: &CaseDir| case.command(&["import", "{case}", wacz.to_str().expect("p")]);
    let probe = CaseDir::new();
    let (took, out) = time_of(import(&probe));
    assert_success(&out);
    let whole = capture_count(&probe);
    assert_eq!(whole, 40);
    let mut killed = 0;
    for round in 0..6 {
        let case = CaseDir::new();
        let wait = Duration::from_millis(rng.below(took.as_millis() as u64 + 50));
        let (was_killed, out) = run_and_kill(import(&case), wait);
        killed += usize::from(was_killed);
        let context = format!("import round {round} (killed after {wait:?}: {was_killed})");
        if !was_killed {
            assert_success(&out);
        }
        assert_verifies(&case, &context);
        let n = capture_count(&case);
        assert!(
            n <= whole,
            "{context}: {n} captures from an archive of {whole}"
        );
        if !was_killed {
            assert_eq!(n, whole, "{context}");
        }
        println!("{context}: the case verifies with {n} of {whole} captures");
    }
    assert!(killed > 0, "no import was killed mid-way");
}

#[test]
fn sigkill_during_timestamp_leaves_every_stored_token_whole() {
    let mut rng = Lcg::seeded("EXHIBIT_FAULT_SEED", "timestamp");
    let pki_dir = tempfile::tempdir().expect("pki dir");
    let pki = TestPki::new(pki_dir.path());
    let tsa = TestTsa::start(&pki, Behaviour::Good);
    let server = TestServer::start();
    let urls = listing_pages(&server, "stamp", 30, 20);
    let stamp = |case: &CaseDir| {
        case.command(&[
            "timestamp",
            "{case}",
            "--tsa",
            &tsa.url(),
            "--tsa-ca",
            pki.ca_pem_path().to_str().expect("p"),
            "--json",
        ])
    };
    let probe = CaseDir::new();
    assert_success(&capture(&probe, &urls));
    let (took, out) = time_of(stamp(&probe));
    assert_success(&out);
    let mut killed = 0;
    for round in 0..5 {
        let case = CaseDir::new();
        assert_success(&capture(&case, &urls));
        let wait = Duration::from_millis(rng.below(took.as_millis() as u64 + 50));
        let (was_killed, out) = run_and_kill(stamp(&case), wait);
        killed += usize::from(was_killed);
        let context = format!("timestamp round {round} (killed after {wait:?}: {was_killed})");
        if !was_killed {
            assert_success(&out);
        }
        assert_verifies(&case, &context);
        // What was left unstamped is stamped on the next run.
        assert_success(&stamp(&case).output().expect("stamp again"));
        assert_verifies(&case, &context);
        println!("{context}: the case verifies; a second run stamped the rest");
    }
    assert!(killed > 0, "no timestamp run was killed mid-way");
}

#[test]
fn sigkill_during_passwd_leaves_a_case_that_one_passphrase_opens() {
    let mut rng = Lcg::seeded("EXHIBIT_FAULT_SEED", "passwd");
    let server = TestServer::start();
    let case = CaseDir::new();
    // Enough pages that the rekey takes long enough to be interrupted.
    assert_success(&capture(&case, &listing_pages(&server, "rekey", 60, 400)));
    let passphrases = [
        PASS.to_owned(),
        "violet tractor orbit 9 sandwich".to_owned(),
        "cobalt meadow 3 lantern whisper".to_owned(),
    ];
    let with = |cmd: &mut Command, current: &str| {
        cmd.env("EXHIBIT_PASSPHRASE", current);
    };
    let passwd = |from: usize, to: usize| {
        let mut cmd = case.command(&["passwd", "{case}"]);
        with(&mut cmd, &passphrases[from]);
        cmd.env("EXHIBIT_NEW_PASSPHRASE", &passphrases[to]);
        cmd
    };
    let (took, out) = time_of(passwd(0, 1));
    assert_success(&out);
    let mut current = 1usize;
    let before = capture_count_with(&case, &passphrases[current]);
    let mut killed = 0;
    for round in 0..8 {
        let next = (current + 1) % passphrases.len();
        let wait = Duration::from_millis(rng.below(took.as_millis() as u64 + 30));
        let (was_killed, _) = run_and_kill(passwd(current, next), wait);
        killed += usize::from(was_killed);
        let opens_old = opens_with(&case, &passphrases[current]);
        let opens_new = opens_with(&case, &passphrases[next]);
        let context = format!(
            "passwd round {round} (killed after {wait:?}: {was_killed}); old opens: {opens_old}, new opens: {opens_new}"
        );
        assert!(
            opens_old != opens_new,
            "{context}: exactly one passphrase must open the case"
        );
        if opens_new {
            current = next;
        }
        let mut verify = case.command(&["verify", "{case}", "--json"]);
        with(&mut verify, &passphrases[current]);
        let out = verify.output().expect("verify");
        assert!(out.status.success(), "{context}: {}", text(&out));
        assert_eq!(
            capture_count_with(&case, &passphrases[current]),
            before,
            "{context}"
        );
        println!("{context}: verifies, every capture there");
    }
    assert!(killed > 0, "no passwd run was killed mid-way");
}

fn opens_with(case: &CaseDir, passphrase: &str) -> bool {
    let mut cmd = case.command(&["list", "{case}", "--json"]);
    cmd.env("EXHIBIT_PASSPHRASE", passphrase);
    let out = cmd.output().expect("list");
    if !out.status.success() {
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("passphrase"),
            "the case failed to open for another reason than the passphrase:\n{}",
            text(&out)
        );
    }
    out.status.success()
}

fn capture_count_with(case: &CaseDir, passphrase: &str) -> usize {
    let mut cmd = case.command(&["list", "{case}", "--json"]);
    cmd.env("EXHIBIT_PASSPHRASE", passphrase);
    let out = cmd.output().expect("list");
    assert_success(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v.as_array().map(Vec::len).unwrap_or(0)
}

/// A tmpfs of a given size, unmounted on drop: a small disk to fill, or a medium to
/// make read-only.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(name: &str, size_kb: u64) -> Tmpfs {
        let dir = std::env::temp_dir().join(format!("exhibit-fault-{}-{name}", std::process::id()));
        let _ = Command::new("umount").arg(&dir).output();
        std::fs::create_dir_all(&dir).expect("mkdir");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_kb}k"), "tmpfs"])
            .arg(&dir)
            .output()
            .expect("mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs and needs root (as CI runs): {}",
            text(&out)
        );
        Tmpfs { dir }
    }
    fn remount(&self, options: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.dir)
            .output()
            .expect("remount");
        assert!(out.status.success(), "remount {options}: {}", text(&out));
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A case dir whose case file lives at `path` (on a tmpfs).
fn case_at(path: &Path) -> CaseDir {
    let mut case = CaseDir::empty();
    case.case = path.to_owned();
    case
}

#[test]
fn a_full_disk_during_capture_export_and_import_loses_nothing_committed() {
    let server = TestServer::start();
    let disk = Tmpfs::mount("full", 3 * 1024);
    let case = case_at(&disk.path("case.exhibit"));
    assert_success(&case.run(&["init", "{case}", "--title", "Full disk"]));
    // 40 pages of 150 KiB (6 MB) cannot fit on a 3 MB disk.
    let urls = listing_pages(&server, "full", 40, 150);
    let out = capture(&case, &urls);
    let said = all_output(&out);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        said.contains("disk holding the case is full"),
        "{}",
        text(&out)
    );
    assert!(!said.contains("panicked"), "{}", text(&out));
    let reported: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("captured #"))
        .map(str::to_owned)
        .collect();
    // Room again: everything reported done is there and the case verifies.
    disk.remount("size=64m");
    assert_verifies(&case, "after the disk filled during capture");
    let kept = capture_count(&case);
    assert!(
        kept >= reported.len(),
        "{} captures reported done, {kept} kept",
        reported.len()
    );
    println!("capture: disk full after {kept} captures; all of them verify");

    // Export onto a full disk: one sentence, nothing that looks complete, the case whole.
    let out_disk = Tmpfs::mount("full-out", 200);
    let complaint = example_complaint(&case, "dmca.toml");
    let out_dir = out_disk.path("out");
    let out = dmca_export(&case, &complaint, &out_dir)
        .output()
        .expect("export");
    assert!(!out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        said.contains("No space left") || said.contains("full"),
        "{}",
        text(&out)
    );
    assert_eq!(said.trim().lines().count(), 1, "one sentence: {said}");
    assert_no_complete_looking_leftovers(&case, &out_dir, "export onto a full disk");
    assert_verifies(&case, "after an export onto a full disk");

    // Import into a case on a disk too small for the archive.
    let source = CaseDir::new();
    assert_success(&capture(
        &source,
        &listing_pages(&server, "full-import", 30, 150),
    ));
    let wacz = source.path("all.wacz");
    assert_success(&source.run(&["export", "{case}", "--wacz", wacz.to_str().expect("p")]));
    let small = Tmpfs::mount("full-import", 2 * 1024);
    let target = case_at(&small.path("case.exhibit"));
    assert_success(&target.run(&["init", "{case}", "--title", "Small disk"]));
    let out = target.run(&["import", "{case}", wacz.to_str().expect("p")]);
    assert!(!out.status.success(), "{}", text(&out));
    let said = all_output(&out);
    assert!(
        said.contains("disk holding the case is full"),
        "{}",
        text(&out)
    );
    small.remount("size=64m");
    assert_verifies(&target, "after the disk filled during import");
}

#[test]
fn a_case_on_a_read_only_medium_opens_for_reading_and_refuses_changes() {
    let server = TestServer::start();
    let medium = Tmpfs::mount("readonly", 16 * 1024);
    let case = case_at(&medium.path("case.exhibit"));
    assert_success(&case.run(&["init", "{case}", "--title", "Evidence image"]));
    assert_success(&capture(&case, &listing_pages(&server, "ro", 3, 20)));
    medium.remount("ro");

    let listed = case.json(&["list", "{case}", "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(3), "{listed}");
    assert_success(&case.run(&["show", "{case}", "1"]));
    let body = std::env::temp_dir().join(format!("exhibit-ro-body-{}", std::process::id()));
    assert_success(&case.artifact_to("1", "body", &body));
    assert!(std::fs::read(&body).expect("body").starts_with(b"<html>"));
    let _ = std::fs::remove_file(&body);
    let report = assert_verifies(&case, "read-only medium");
    assert!(
        report["pages_checked"].as_u64().unwrap_or(0) > 0,
        "{report}"
    );

    for (what, out) in [
        (
            "capture",
            capture(&case, &listing_pages(&server, "ro-more", 1, 5)),
        ),
        (
            "export",
            dmca_export(
                &case,
                &example_complaint(&case, "dmca.toml"),
                &std::env::temp_dir().join(format!("exhibit-ro-out-{}", std::process::id())),
            )
            .output()
            .expect("export"),
        ),
    ] {
        assert_eq!(out.status.code(), Some(1), "{what}: {}", text(&out));
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(said.contains("read-only"), "{what}: {said}");
        assert_eq!(
            said.trim().lines().count(),
            1,
            "{what}: one sentence: {said}"
        );
    }
    // Nothing changed on the medium, and it still verifies after the refusals.
    assert_eq!(capture_count(&case), 3);
}

#[test]
fn sigkill_during_recapture_loses_nothing_reported() {
    let mut rng = Lcg::seeded("EXHIBIT_FAULT_SEED", "recapture");
    let server = TestServer::start();
    let case = CaseDir::new();
    // Listing pages that name a marketplace listing (by their canonical link), so each
    // becomes a listing of the case that a filing can report.
    let urls: Vec<String> = (0..30)
        .map(|i| {
            let path = format!("/recapture/{i}");
            let filler: String = (0..6000).map(|j| format!("{:x} ", (i * 7919 + j) * 31)).collect();
            server.mount(
                &path,
                200,
                Some("text/html; charset=utf-8"),
                format!(
                    "<html><head><title>ACME lantern {i}-淘宝网</title><link rel=\"canonical\" href=\"https://item.taobao.com/item.htm?id={}\"></head><body><h1>ACME lantern {i}</h1><p>{filler}</p></body></html>",
                    700_000_000_000u64 + i as u64
                )
                .into_bytes(),
            );
            server.http_url(&path)
        })
        .collect();
    assert_success(&capture(&case, &urls));
    let listings = case.json(&["listings", "{case}", "--json"]);
    let ids: Vec<String> = listings
        .as_array()
        .expect("listings")
        .iter()
        .filter_map(|l| l["id"].as_i64().map(|i| i.to_string()))
        .collect();
    assert_eq!(ids.len(), 30, "{listings}");
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_success(&case.run(&[
        "filing",
        "add",
        "{case}",
        "--venue",
        "alibaba-ipp",
        "--reference",
        "IPP-KILL",
        "--filed",
        &day,
        "--listings",
        &ids.join(","),
    ]));
    let recapture = |case: &CaseDir| case.command(&["recapture", "{case}", "--concurrency", "4"]);
    let (took, out) = time_of(recapture(&case));
    assert_success(&out);
    let mut killed = 0;
    for round in 0..6 {
        let before = capture_count(&case);
        let wait = Duration::from_millis(rng.below(took.as_millis() as u64 + 50));
        let (was_killed, out) = run_and_kill(recapture(&case), wait);
        killed += usize::from(was_killed);
        let context = format!("recapture round {round} (killed after {wait:?}: {was_killed})");
        if !was_killed {
            assert_success(&out);
        }
        assert_verifies(&case, &context);
        let after = capture_count(&case);
        // Every capture a printed line announced is in the case.
        let announced = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("captured #"))
            .count();
        assert!(
            after >= before + announced,
            "{context}: {announced} announced, {} stored",
            after - before
        );
        // Each new capture belongs to its listing: still 30 listings.
        let n = case.json(&["listings", "{case}", "--json"]);
        assert_eq!(n.as_array().map(Vec::len), Some(30), "{context}");
        println!(
            "{context}: the case verifies, {announced} announced, {} stored",
            after - before
        );
    }
    assert!(killed > 0, "no recapture was killed mid-way");
}
