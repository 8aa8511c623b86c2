//! Crash safety: SIGKILL `exhibit capture` at random moments, again and again. After
//! each kill the case opens, verifies, and holds every capture the CLI reported done.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use exhibit_e2e::cli::{CaseDir, assert_success, text};
use exhibit_e2e::{Lcg, TestServer};

const KILLS: usize = 24;

#[test]
fn sigkill_during_a_batch_loses_nothing_reported() {
    let mut rng = Lcg::seeded("EXHIBIT_CRASH_SEED", "crash test");
    let server = TestServer::start();
    let case = CaseDir::new();
    let list = case.path("urls.txt");
    let mut urls = String::new();
    for i in 0..400 {
        let body = format!(
            "<html><head><title>Listing {i}</title></head><body>{}</body></html>",
            "evidence ".repeat(5000 + i)
        );
        server.mount(
            &format!("/listing/{i}"),
            200,
            Some("text/html"),
            body.into_bytes(),
        );
    }
    for i in 0..400 {
        urls.push_str(&server.http_url(&format!("/listing/{i}")));
        urls.push('\n');
    }
    std::fs::write(&list, urls).expect("write list");

    let mut reported: BTreeSet<i64> = BTreeSet::new();
    for round in 0..KILLS {
        let mut child = case
            .command(&[
                "capture",
                "{case}",
                "--from",
                list.to_str().expect("p"),
                "--concurrency",
                "8",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let seen = Arc::new(Mutex::new(Vec::<i64>::new()));
        let reader = {
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    // "captured #12 ok http://…"
                    if let Some(id) = line
                        .strip_prefix("captured #")
                        .and_then(|r| r.split(' ').next())
                        .and_then(|n| n.parse().ok())
                    {
                        seen.lock().expect("lock").push(id);
                    }
                }
            })
        };
        let wait = 150 + rng.next_u64() % 1500;
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let _ = reader.join();
        let done = seen.lock().expect("lock").clone();
        reported.extend(done.iter().copied());

        let out = case.run(&["verify", "{case}", "--json"]);
        assert_success(&out);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(
            report["ok"],
            true,
            "round {round} (killed after {wait} ms): {}",
            text(&out)
        );
        let ids: BTreeSet<i64> = case
            .captures()
            .iter()
            .filter_map(|c| c["id"].as_i64())
            .collect();
        let lost: Vec<_> = reported.difference(&ids).collect();
        assert!(
            lost.is_empty(),
            "round {round}: captures reported done but missing: {lost:?}"
        );
        println!(
            "round {round}: killed after {wait} ms; {} reported this round, {} in the case",
            done.len(),
            ids.len()
        );
    }
    assert!(
        !reported.is_empty(),
        "no capture was ever reported; the kills came too early to test anything"
    );
}
