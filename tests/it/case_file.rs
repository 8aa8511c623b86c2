//! The case file through the CLI: passphrases, locking, damage, tampering, rekeying,
//! plain-text leaks, and a SQLCipher 4 peer (Python's sqlcipher3) opening it.

use std::process::{Command, Stdio};

use exhibit_e2e::cli::{CaseDir, PASS, assert_exit, assert_success, text};
use exhibit_e2e::{Lcg, TestServer, real_pages_dir, replayable_seed, sha256_hex};

const SECRET_TITLE: &str = "Zebra Unicorn Marker 7781";

fn case_with_captures(server: &TestServer) -> CaseDir {
    let case = CaseDir::new();
    let page = format!(
        "<html><head><title>{SECRET_TITLE}</title></head><body><h1>{SECRET_TITLE}</h1></body></html>"
    );
    server.mount(
        "/secret",
        200,
        Some("text/html; charset=utf-8"),
        page.into_bytes(),
    );
    let out = case.run(&[
        "capture",
        "{case}",
        &server.http_url("/secret"),
        &server.http_url("/ok"),
    ]);
    assert_success(&out);
    case
}

/// The problems `verify --json` names in a case it fails (exit 1, `ok` false).
fn failed_verify(case: &CaseDir) -> Vec<serde_json::Value> {
    let out = case.run(&["verify", "{case}", "--json"]);
    assert_exit(&out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["ok"], false, "{report}");
    report["problems"].as_array().expect("problems").clone()
}

/// After capture 1's body was forged (`how`): `verify` names it as changed, and
/// `exhibit artifact` refuses it, says why and writes nothing.
fn forged_body_is_named_and_refused(case: &CaseDir, how: &str) {
    let problems = failed_verify(case);
    assert!(
        problems.iter().any(|p| p["code"] == "artifact_changed"
            && p["capture_id"] == 1
            && p["artifact"] == "body"),
        "{how}: {problems:?}"
    );
    let forged = case.path("forged.html");
    let out = case.artifact_to("1", "body", &forged);
    assert_exit(&out, 1);
    assert!(!forged.exists(), "{how}: a forged artifact was written out");
    let said = text(&out);
    assert!(
        said.contains("changed") || said.contains("tamper"),
        "{how}: {said}"
    );
}

fn python(script: &str, case: &CaseDir) -> std::process::Output {
    Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&case.case)
        .arg(PASS)
        .output()
        .expect("python3 runs")
}

#[test]
fn wrong_passphrase_missing_passphrase_and_not_a_case() {
    let server = TestServer::start();
    let case = case_with_captures(&server);
    let out = case
        .command(&["list", "{case}"])
        .env("EXHIBIT_PASSPHRASE", "wrong horse battery staple")
        .output()
        .expect("run");
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("passphrase does not open this case"),
        "{}",
        text(&out)
    );
    assert_eq!(err.lines().count(), 1, "one plain sentence: {err}");

    let out = case
        .command(&["list", "{case}"])
        .env_remove("EXHIBIT_PASSPHRASE")
        .output()
        .expect("run");
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("No passphrase given"),
        "{}",
        text(&out)
    );

    // --passphrase-file works, and so does a file with a trailing newline.
    let pf = case.path("pass.txt");
    std::fs::write(&pf, format!("{PASS}\n")).expect("w");
    let out = case
        .command(&[
            "list",
            "{case}",
            "--passphrase-file",
            pf.to_str().expect("p"),
        ])
        .env_remove("EXHIBIT_PASSPHRASE")
        .output()
        .expect("run");
    assert_success(&out);

    let notes = case.path("notes.txt");
    std::fs::write(&notes, "not a case at all\n".repeat(500)).expect("w");
    let out = case.run(&["list", notes.to_str().expect("p")]);
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not an Exhibit case file"),
        "{}",
        text(&out)
    );

    let out = case.run(&["list", case.path("missing.exhibit").to_str().expect("p")]);
    assert_exit(&out, 2);

    // A weak passphrase is refused at creation and leaves no file.
    let weak = CaseDir::empty();
    let out = weak
        .command(&["init", "{case}", "--title", "T"])
        .env("EXHIBIT_PASSPHRASE", "password1")
        .output()
        .expect("run");
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("too easy to guess"),
        "{}",
        text(&out)
    );
    assert!(!weak.case.exists());
}

#[test]
fn a_second_process_is_locked_out() {
    let server = TestServer::start();
    let case = CaseDir::new();
    // A capture that holds the case open while the server stalls.
    let mut first = case
        .command(&[
            "capture",
            "{case}",
            &server.http_url("/stall-headers"),
            "--timeout",
            "30",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the first process has the case open and its fetch is in flight.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while server.hits("/stall-headers") == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        server.hits("/stall-headers"),
        1,
        "the first capture never started"
    );
    let out = case.run(&["list", "{case}"]);
    let _ = first.kill();
    let _ = first.wait();
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("open elsewhere"),
        "{}",
        text(&out)
    );
    // Once the first process is gone, the case opens again.
    assert_success(&case.run(&["list", "{case}"]));
}

#[test]
fn no_captured_text_or_passphrase_in_plain_text_on_disk() {
    let server = TestServer::start();
    let case = case_with_captures(&server);
    let out = case
        .command(&["verify", "{case}"])
        .env("EXHIBIT_LOG", "trace")
        .output()
        .expect("run");
    assert_success(&out);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains(PASS),
        "the passphrase reached the log"
    );
    for entry in std::fs::read_dir(case.dir.path()).expect("ls") {
        let path = entry.expect("entry").path();
        let strings = Command::new("strings")
            .arg("-n")
            .arg("6")
            .arg(&path)
            .output()
            .expect("strings (binutils) runs");
        let found = String::from_utf8_lossy(&strings.stdout);
        for needle in [
            SECRET_TITLE,
            "Zebra",
            PASS,
            "127.0.0.1",
            "Test Listing",
            "Ana Silva",
        ] {
            assert!(
                !found.contains(needle),
                "`strings {}` finds {needle:?}",
                path.display()
            );
        }
    }
}

#[test]
fn a_flipped_byte_gets_a_clear_error() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let mut urls = vec!["capture".to_owned(), "{case}".to_owned()];
    for i in 0..30 {
        server.mount(
            &format!("/page/{i}"),
            200,
            Some("text/html"),
            format!("<title>page {i}</title>{}", "filler ".repeat(2000)).into_bytes(),
        );
        urls.push(server.http_url(&format!("/page/{i}")));
    }
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    assert_success(&case.run(&args));
    let mut bytes = std::fs::read(&case.case).expect("read");
    let at = bytes.len() / 2 + 123;
    bytes[at] ^= 0x40;
    std::fs::write(&case.case, &bytes).expect("write");
    // The byte sits in the middle of the artifacts: the evidence check finds it, and so
    // does the full page scan.
    for args in [vec!["verify", "{case}"], vec!["verify", "{case}", "--full"]] {
        let out = case.run(&args);
        assert!(
            !out.status.success(),
            "damage went unnoticed:\n{}",
            text(&out)
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("damaged"), "{}", text(&out));
        assert!(!all.contains("panicked"), "{}", text(&out));
    }
    // Captures away from the damage still list.
    let out = case.run(&["show", "{case}", "1"]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        text(&out)
    );
}

/// A byte flipped in a page that holds no evidence (an index, the list of tables, free
/// space) once passed the default `verify`. Twelve random offsets past page 1's salt,
/// each in a fresh copy and a fresh process; the seed is printed so a failure can be
/// replayed with `EXHIBIT_FLIP_SEED`.
#[test]
fn verify_fails_on_any_flipped_byte() {
    let server = TestServer::start();
    let case = case_with_captures(&server);
    let pristine = std::fs::read(&case.case).expect("read");
    let seed = replayable_seed("EXHIBIT_FLIP_SEED", "flip");
    let mut rng = Lcg::new(seed);
    // Page 2 (the first page after the salted header) always holds schema or index data.
    let mut offsets = vec![4096 + 17];
    while offsets.len() < 12 {
        offsets.push(16 + rng.below(pristine.len() as u64 - 16) as usize);
    }
    for at in offsets {
        let mut bytes = pristine.clone();
        bytes[at] ^= 1 << rng.below(8);
        std::fs::write(&case.case, &bytes).expect("write");
        let out = case.run(&["verify", "{case}"]);
        assert!(
            !out.status.success(),
            "a flipped byte at offset {at} (page {}) went unnoticed (seed {seed}):\n{}",
            at / 4096 + 1,
            text(&out)
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("panicked"), "{}", text(&out));
    }
    std::fs::write(&case.case, &pristine).expect("restore");
    assert_success(&case.run(&["verify", "{case}"]));
    // The quick pass says what it skipped.
    let out = case.run(&["verify", "{case}", "--quick"]);
    assert_success(&out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Quick check"),
        "{}",
        text(&out)
    );
    let help = case.run(&["verify", "--help"]);
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("--quick")
            && String::from_utf8_lossy(&help.stdout).contains("skips"),
        "{}",
        text(&help)
    );
}

#[test]
fn verify_names_tampering_done_with_the_right_key() {
    let server = TestServer::start();
    let case = case_with_captures(&server);
    assert_success(&case.run(&["verify", "{case}"]));
    let tamper = |sql: &str| case.tamper(sql);
    tamper(
        "DROP TRIGGER artifacts_no_update; UPDATE artifacts SET content = CAST('forged' AS BLOB) WHERE capture_id = 1 AND kind = 'body';",
    );
    forged_body_is_named_and_refused(&case, "CAST('forged' AS BLOB)");

    tamper("DROP TRIGGER custody_events_no_delete; DELETE FROM custody_events WHERE seq = 3;");
    let problems = failed_verify(&case);
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "event_missing" && p["event_seq"] == 3),
        "{problems:?}"
    );
    let human = case.run(&["verify", "{case}"]);
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("Custody event 3 is missing"),
        "{}",
        text(&human)
    );
}

#[test]
fn passwd_rekeys_the_case() {
    let server = TestServer::start();
    let case = case_with_captures(&server);
    let new = "purple elephant dances at noon";
    let out = case
        .command(&["passwd", "{case}"])
        .env("EXHIBIT_NEW_PASSPHRASE", "weak")
        .output()
        .expect("run");
    assert_exit(&out, 2);
    let out = case
        .command(&["passwd", "{case}"])
        .env("EXHIBIT_NEW_PASSPHRASE", new)
        .output()
        .expect("run");
    assert_success(&out);
    let out = case.run(&["list", "{case}"]);
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("passphrase does not open"));
    let out = case
        .command(&["verify", "{case}"])
        .env("EXHIBIT_PASSPHRASE", new)
        .output()
        .expect("run");
    assert_success(&out);
    let out = case
        .command(&["log", "{case}", "--json"])
        .env("EXHIBIT_PASSPHRASE", new)
        .output()
        .expect("run");
    assert_success(&out);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let events = log.as_array().expect("events");
    assert!(events.iter().any(|e| e["kind"] == "passphrase.changed"));
    for pair in events.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
}

const PY_READ: &str = r#"
import sys, sqlcipher3
db = sqlcipher3.connect(sys.argv[1])
db.execute("PRAGMA key = '%s'" % sys.argv[2].replace("'", "''"))
print(db.execute("PRAGMA cipher_version").fetchone()[0])
for (url,) in db.execute("SELECT requested_url FROM captures ORDER BY id"):
    print(url)
"#;

/// Writes one artifact's row as SQLCipher 4 gives it to anyone with the passphrase:
/// `encoding size sha256` on stdout, the stored bytes into argv[5].
const PY_ARTIFACT: &str = r#"
import sys, sqlcipher3
db = sqlcipher3.connect(sys.argv[1])
db.execute("PRAGMA key = '%s'" % sys.argv[2].replace("'", "''"))
encoding, size, sha, content = db.execute(
    "SELECT encoding, size, sha256, content FROM artifacts WHERE capture_id = ?3 AND kind = ?4"
        .replace("?3", sys.argv[3]).replace("?4", "'" + sys.argv[4] + "'")).fetchone()
open(sys.argv[5], "wb").write(content)
print(encoding, size, sha)
"#;

#[test]
fn a_page_is_kept_compressed_and_outside_tools_read_it_back() {
    // A real listing page (545 kB of HTML): the case keeps it as one zstd frame, and a
    // SQLCipher 4 peer with the passphrase plus the reference `zstd` tool give back the
    // bytes as received, under the hash taken at capture.
    let server = TestServer::start();
    let page =
        std::fs::read(real_pages_dir().join("taobao/taobao-item-601465987171-2026-redacted.html"))
            .expect("fixture");
    server.mount("/big", 200, Some("text/html; charset=utf-8"), page.clone());
    let case = CaseDir::new();
    assert_success(&case.run(&["capture", "{case}", &server.http_url("/big")]));
    let stored = case.path("stored.zst");
    let out = Command::new("python3")
        .args(["-c", PY_ARTIFACT])
        .arg(&case.case)
        .arg(PASS)
        .args(["1", "body"])
        .arg(&stored)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", text(&out));
    let row = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(
        row,
        format!("zstd {} {}", page.len(), sha256_hex(&page)),
        "the row as stored"
    );
    let packed = std::fs::read(&stored).expect("stored");
    assert!(packed.len() * 3 < page.len(), "{} bytes kept", packed.len());
    let unzstd = Command::new("zstd")
        .args(["-d", "-c"])
        .arg(&stored)
        .output()
        .expect("zstd runs (Debian's zstd package; scripts/setup.sh installs it)");
    assert!(unzstd.status.success(), "{}", text(&unzstd));
    assert_eq!(sha256_hex(&unzstd.stdout), sha256_hex(&page));

    // Exhibit's own readers give the same bytes.
    assert_eq!(case.artifact_bytes("1", "body"), page);
    assert_success(&case.run(&["verify", "{case}"]));

    // Changing the kept bytes, even only by appending to the frame, is tampering.
    for forge in [
        "content || X'00'",
        "substr(content, 1, 1000) || zeroblob(length(content) - 1000)",
        "CAST('forged' AS BLOB)",
    ] {
        let case = CaseDir::new();
        assert_success(&case.run(&[
            "capture",
            "{case}",
            "--mode",
            "http",
            &server.http_url("/big"),
        ]));
        case.tamper(&format!(
            "DROP TRIGGER artifacts_no_update; UPDATE artifacts SET content = {forge} WHERE capture_id = 1 AND kind = 'body';"
        ));
        forged_body_is_named_and_refused(&case, forge);
    }
}

#[test]
fn sqlcipher4_peer_opens_the_case_with_the_passphrase() {
    let server = TestServer::start();
    let case = case_with_captures(&server);
    let out = python(PY_READ, &case);
    assert!(
        out.status.success(),
        "sqlcipher3 could not read the case:\n{}",
        text(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    assert!(
        lines.next().is_some_and(|v| v.starts_with('4')),
        "not SQLCipher 4: {stdout}"
    );
    // Captures are committed as they finish, so compare without order.
    let mut urls: Vec<&str> = lines.collect();
    urls.sort_unstable();
    let mut want = vec![server.http_url("/ok"), server.http_url("/secret")];
    want.sort_unstable();
    assert_eq!(urls, want);
}
