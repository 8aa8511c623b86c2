//! `exhibit capture` against a real local HTTP and HTTPS server: real marketplace pages,
//! real marketplace URLs through `--resolve`, and every kind of hostile server.

use std::collections::HashMap;

use exhibit_e2e::cli::{CaseDir, assert_exit, assert_success, by_url, text};
use exhibit_e2e::{TestServer, expected_pages, real_pages_dir, sha256_hex};
use serde_json::Value;

fn artifact<'a>(c: &'a Value, kind: &str) -> Option<&'a Value> {
    c["artifacts"]
        .as_array()?
        .iter()
        .find(|a| a["kind"] == kind)
}

#[test]
fn a_plain_capture_records_every_fact() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let url = server.http_url("/redirect/chain/2");
    let out = case.run(&["capture", "{case}", &url]);
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("captured #1 ok"), "{}", text(&out));
    assert!(
        stdout.contains("1 ok, 0 blocked, 0 removed, 0 failed"),
        "{}",
        text(&out)
    );

    let list = case.captures();
    assert_eq!(list.len(), 1);
    let c = &list[0];
    for field in [
        "id",
        "requested_url",
        "final_url",
        "status",
        "http_status",
        "marketplace",
        "listing_id",
        "title",
        "price",
        "currency",
        "seller",
        "started_at",
        "finished_at",
        "remote_addr",
        "redirects",
        "error",
        "artifacts",
    ] {
        assert!(c.get(field).is_some(), "list --json lacks {field}: {c}");
    }
    assert_eq!(c["status"], "ok");
    assert_eq!(c["http_status"], 200);
    assert_eq!(c["final_url"], server.http_url("/redirect/chain/0"));
    assert_eq!(
        c["remote_addr"],
        format!("127.0.0.1:{}", server.http_port())
    );
    let redirects = c["redirects"].as_array().expect("redirects");
    assert_eq!(redirects.len(), 2);
    assert_eq!(redirects[0]["status"], 302);
    assert_eq!(redirects[0]["location"], "/redirect/chain/1");
    assert_eq!(redirects[1]["location"], "/redirect/chain/0");
    assert_eq!(c["title"], "Test Listing");
    for t in ["started_at", "finished_at"] {
        let s = c[t].as_str().expect("time");
        assert!(
            s.ends_with('Z') && s.len() == "2026-11-28T10:00:00.000Z".len(),
            "{t} = {s}"
        );
    }

    // The body artifact is byte-for-byte what the server sent.
    let body = artifact(c, "body").expect("body artifact");
    assert_eq!(body["sha256"], sha256_hex(exhibit_e2e::OK_PAGE.as_bytes()));
    assert_eq!(body["size"], exhibit_e2e::OK_PAGE.len());
    assert_eq!(body["media_type"], "text/html");
    assert_eq!(
        case.artifact_bytes("1", "body"),
        exhibit_e2e::OK_PAGE.as_bytes()
    );

    // show --json has the headers in order, and the environment.
    let shown = case.json(&["show", "{case}", "1", "--json"]);
    let names: Vec<&str> = shown["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .map(|h| h["name"].as_str().expect("name"))
        .collect();
    let first = names.iter().position(|n| *n == "x-first").expect("x-first");
    let second = names
        .iter()
        .position(|n| *n == "x-second")
        .expect("x-second");
    assert!(first < second, "{names:?}");
    assert_eq!(shown["http_version"], "HTTP/1.1");
    assert_eq!(shown["collector"]["name"], "Ana Silva");
    assert!(
        shown["environment"]["tool_version"]
            .as_str()
            .is_some_and(|v| !v.is_empty())
    );
    assert!(
        shown["environment"]["user_agent"]
            .as_str()
            .is_some_and(|v| v.contains("Exhibit/"))
    );
    assert!(
        shown["environment"]["hostname"]
            .as_str()
            .is_some_and(|v| !v.is_empty())
    );

    // Human output names the capture too.
    let out = case.run(&["show", "{case}", "1"]);
    assert_success(&out);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("Test Listing"));
    assert!(shown.contains("#1 no trusted time"), "{shown}");
    let out = case.run(&["verify", "{case}"]);
    assert_success(&out);

    // Asking for what is not there is a usage error with a plain answer.
    let missing_out = case.path("missing.bin");
    let missing = missing_out.to_str().expect("path");
    let out = case.run(&["artifact", "{case}", "99", "body", "--out", missing]);
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no capture 99"),
        "{}",
        text(&out)
    );
    let out = case.run(&["artifact", "{case}", "1", "screenshot", "--out", missing]);
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("it has: body"),
        "{}",
        text(&out)
    );
    assert!(!missing_out.exists());
    assert_exit(&case.run(&["show", "{case}", "42"]), 2);
}

#[test]
fn real_marketplace_urls_over_https_with_resolve_and_ca_cert() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let port = server.https_port();
    let page = std::fs::read(real_pages_dir().join("taobao/taobao-item-562283240178.html"))
        .expect("fixture");
    server.mount(
        "/item.htm?id=562283240178",
        200,
        Some("text/html"),
        page.clone(),
    );
    let ca = server.write_ca_pem(case.dir.path());
    let url = format!("https://item.taobao.com:{port}/item.htm?id=562283240178");
    let resolve = format!("item.taobao.com:{port}:127.0.0.1");

    // Without the test CA the TLS check fails, plainly.
    let out = case.run(&["capture", "{case}", &url, "--resolve", &resolve]);
    assert_exit(&out, 1);
    let c = &case.captures()[0];
    assert_eq!(c["status"], "failed");
    assert!(
        c["error"].as_str().is_some_and(|e| e.contains("--ca-cert")),
        "{c}"
    );

    let out = case.run(&[
        "capture",
        "{case}",
        &url,
        "--resolve",
        &resolve,
        "--ca-cert",
        ca.to_str().expect("ca"),
    ]);
    assert_success(&out);
    let list = case.captures();
    let c = &list[1];
    assert_eq!(c["status"], "ok", "{c}");
    assert_eq!(c["marketplace"], "taobao");
    assert_eq!(c["listing_id"], "562283240178");
    assert_eq!(c["currency"], "CNY");
    assert_eq!(c["remote_addr"], format!("127.0.0.1:{port}"));
    assert_eq!(
        artifact(c, "body").expect("body")["sha256"],
        sha256_hex(&page)
    );
    let cert = artifact(c, "certificate").expect("certificate artifact");
    assert_eq!(cert["media_type"], "application/pkix-cert");

    let shown = case.json(&["show", "{case}", "2", "--json"]);
    assert_eq!(shown["tls"]["peer_certificate_sha256"], cert["sha256"]);
    assert_eq!(shown["environment"]["resolve_overrides"][0], resolve);
    assert_eq!(
        shown["environment"]["extra_root_certificates"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // The exported certificate is the DER the server presented.
    let der = case.artifact_bytes("2", "certificate");
    assert_eq!(sha256_hex(&der), cert["sha256"].as_str().expect("sha"));
    assert_eq!(der[0], 0x30, "DER starts with a SEQUENCE");
}

/// Every real page in expected.json, served from 127.0.0.1 with no charset, captured in one
/// batch. The zero-tolerance rule is checked here through the whole pipeline: a page marked
/// blocked never comes out ok.
#[test]
fn real_pages_through_the_whole_pipeline() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let list = case.path("urls.csv");
    let pages = expected_pages();
    let mut csv = String::from("note,url\n");
    for p in &pages {
        csv.push_str(&format!(
            "x,{}\n",
            server.http_url(&format!("/real/{}", p["file"].as_str().expect("file")))
        ));
    }
    std::fs::write(&list, csv).expect("write list");
    let out = case.run(&[
        "capture",
        "{case}",
        "--from",
        list.to_str().expect("p"),
        "--concurrency",
        "4",
    ]);
    assert_success(&out);
    let captures = by_url(&case.captures());
    assert_eq!(captures.len(), pages.len());
    let mut right = HashMap::<&str, (usize, usize)>::new();
    let mut mismatches = Vec::new();
    for p in &pages {
        let file = p["file"].as_str().expect("file");
        let c = &captures[&server.http_url(&format!("/real/{file}"))];
        let kind = p["page_kind"].as_str().expect("kind");
        let want_status = match kind {
            "blocked" => "blocked",
            "removed" => "removed",
            _ => "ok",
        };
        if kind == "blocked" {
            assert_ne!(
                c["status"], "ok",
                "{file} is a block page but was captured as ok"
            );
        }
        let checks = [
            ("status", c["status"] == want_status),
            ("marketplace", c["marketplace"] == p["marketplace"]),
            ("listing_id", c["listing_id"] == p["listing_id"]),
            ("title", c["title"] == p["title"]),
            (
                "price+currency",
                c["price"] == p["price"] && c["currency"] == p["currency"],
            ),
            ("seller", c["seller"] == p["seller"]),
        ];
        for (field, ok) in checks {
            let e = right.entry(field).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            } else {
                mismatches.push(format!("{file}: {field}"));
            }
        }
    }
    println!(
        "pipeline accuracy over {} real pages served from 127.0.0.1:",
        pages.len()
    );
    for field in [
        "status",
        "marketplace",
        "listing_id",
        "title",
        "price+currency",
        "seller",
    ] {
        let (ok, n) = right[field];
        println!(
            "  {field:<15} {ok:>3}/{n} = {:.1}%",
            100.0 * ok as f64 / n as f64
        );
    }
    for m in &mismatches {
        println!("  mismatch: {m}");
    }
    let pct = |f: &str| {
        let (ok, n) = right[f];
        ok as f64 / n as f64
    };
    assert!(
        pct("status") >= 0.95,
        "status accuracy {:.3}",
        pct("status")
    );
    assert!(pct("listing_id") >= 0.90);
    assert!(pct("title") >= 0.90);
    assert!(pct("price+currency") >= 0.80);
    assert!(pct("seller") >= 0.70);
    assert_success(&case.run(&["verify", "{case}"]));
}

/// Every hostile server in one batch, after a good capture that must survive it all.
#[test]
fn hostile_servers_get_clear_outcomes_and_lose_nothing() {
    let server = TestServer::start();
    let case = CaseDir::new();
    assert_success(&case.run(&["capture", "{case}", &server.http_url("/ok")]));

    let cases: Vec<(&str, &str, &str)> = vec![
        // (path, expected status, words the error must contain)
        ("/redirect/chain/10", "ok", ""),
        ("/redirect/chain/11", "failed", "more than 10"),
        ("/redirect/loop/a", "failed", "loop"),
        ("/redirect/scheme", "failed", "only captures http and https"),
        ("/bomb.gz", "failed", "decompression bomb"),
        ("/endless", "failed", "limit"),
        ("/big", "failed", "limit"),
        ("/drip", "failed", "took longer"),
        ("/stall-headers", "failed", "took longer"),
        ("/slow-body", "failed", "took longer"),
        ("/reset", "failed", "connection"),
        ("/latin1", "ok", ""),
        ("/script-title", "ok", ""),
        ("/404", "removed", "404"),
        ("/410", "removed", "410"),
        ("/image.png", "ok", ""),
        ("/status/500", "failed", "500"),
        ("/status/503", "blocked", "503"),
        ("/status/403", "blocked", "403"),
        ("/status/429", "blocked", "429"),
    ];
    let mut args: Vec<String> = vec!["capture".into(), "{case}".into()];
    for (path, _, _) in &cases {
        args.push(server.http_url(path));
    }
    args.push("file:///etc/passwd".into());
    args.push("not even a url".into());
    args.extend(
        [
            "--timeout",
            "4",
            "--max-bytes",
            "10000000",
            "--concurrency",
            "8",
        ]
        .map(String::from),
    );
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = case.run(&argv);
    // Some captures failed, so the exit code says so; every URL still has a record.
    assert_exit(&out, 1);
    let captures = by_url(&case.captures());
    assert_eq!(captures.len(), cases.len() + 3, "{}", text(&out));
    for (path, status, words) in &cases {
        let c = &captures[&server.http_url(path)];
        assert_eq!(c["status"], *status, "{path}: {c}");
        if !words.is_empty() {
            let e = c["error"].as_str().unwrap_or_default();
            assert!(
                e.to_lowercase().contains(&words.to_lowercase()),
                "{path}: error {e:?} lacks {words:?}"
            );
            assert!(
                !e.contains('\n') && e.len() < 400,
                "{path}: not one plain sentence: {e:?}"
            );
        }
    }
    let file = &captures["file:///etc/passwd"];
    assert_eq!(file["status"], "failed");
    assert!(
        file["error"]
            .as_str()
            .is_some_and(|e| e.contains("file on this computer"))
    );
    assert_eq!(captures["not even a url"]["status"], "failed");

    // The body over the limit was never stored; the bomb's raw bytes were, and unpacked to nothing.
    assert!(artifact(&captures[&server.http_url("/big")], "body").is_none());
    let bomb = &captures[&server.http_url("/bomb.gz")];
    assert_eq!(
        artifact(bomb, "body").expect("raw bomb kept")["size"],
        exhibit_e2e::gzip_bomb().len()
    );
    assert!(artifact(bomb, "decoded-body").is_none());

    // Bad encodings decode; a script in a title stays text.
    // The page's shown heading, decoded from windows-1252 bytes with no charset declared.
    assert_eq!(captures[&server.http_url("/latin1")]["title"], "Café Crème");
    assert_eq!(
        captures[&server.http_url("/script-title")]["title"],
        exhibit_e2e::SCRIPT_TITLE_TEXT
    );
    let image = &captures[&server.http_url("/image.png")];
    assert_eq!(
        artifact(image, "body").expect("png")["media_type"],
        "image/png"
    );
    assert_eq!(image["title"], Value::Null);
    let shown = case.json(&["show", "{case}", &image["id"].to_string(), "--json"]);
    assert!(
        shown["notes"][0]
            .as_str()
            .is_some_and(|n| n.contains("not a web page")),
        "{shown}"
    );

    // The first capture is intact and the case verifies.
    assert_eq!(captures[&server.http_url("/ok")]["status"], "ok");
    let report = case.json(&["verify", "{case}", "--json"]);
    assert_eq!(report["ok"], true, "{report}");
}

#[test]
fn url_lists_from_text_and_csv_files() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let txt = case.path("urls.txt");
    std::fs::write(
        &txt,
        format!(
            "# listings\n{}\n\n{}\n",
            server.http_url("/ok"),
            server.http_url("/404")
        ),
    )
    .expect("w");
    let out = case.run(&["capture", "{case}", "--from", txt.to_str().expect("p")]);
    assert_success(&out);
    assert_eq!(case.captures().len(), 2);

    let bad = case.path("bad.csv");
    std::fs::write(&bad, "seller,link\nx,https://a.test\n").expect("w");
    let out = case.run(&["capture", "{case}", "--from", bad.to_str().expect("p")]);
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no 'url' column"),
        "{}",
        text(&out)
    );

    let binary = case.path("bin.txt");
    std::fs::write(&binary, [0xffu8, 0xfe, 0, 1, 2]).expect("w");
    let out = case.run(&["capture", "{case}", "--from", binary.to_str().expect("p")]);
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not UTF-8"),
        "{}",
        text(&out)
    );

    for bad_args in [
        vec![
            "capture",
            "{case}",
            "--resolve",
            "nonsense",
            "http://a.test/",
        ],
        vec!["capture", "{case}"],
    ] {
        let out = case.run(&bad_args);
        assert_exit(&out, 2);
    }
    assert_eq!(
        case.captures().len(),
        2,
        "failed invocations changed nothing"
    );
}

/// Library log lines stay off the user's terminal unless `EXHIBIT_LOG` or `RUST_LOG`
/// asks for them, and then they come with their source.
#[test]
fn library_log_lines_show_only_when_asked_for() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let out = case.run(&["capture", "{case}", &server.http_url("/ok")]);
    assert_success(&out);
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        assert!(
            !line.contains("DEBUG") && !line.contains(" WARN ") && !line.contains("::"),
            "a library's log line reached the terminal: {line}"
        );
    }
    for var in ["EXHIBIT_LOG", "RUST_LOG"] {
        let mut cmd = case.command(&["capture", "{case}", &server.http_url("/ok")]);
        cmd.env(var, "debug");
        let out = cmd.output().expect("capture");
        assert_success(&out);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.lines().any(|l| l.contains("DEBUG") && l.contains("::")),
            "{var}=debug shows no library's debug lines:\n{err}"
        );
    }
}

/// A storefront and a checkout of one seller (the extractor's built pages, served from the
/// local server): `show` prints where the seller is, and where the order ships with its
/// region and total; the checkout is no capture of the listing it buys.
#[test]
fn show_prints_storefront_and_checkout_facts() {
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/exhibit-extract/tests/fixtures/built-pages");
    let server = TestServer::start();
    for (path, file) in [
        ("/store.html", "taobao/taobao-shop-64592671.html"),
        (
            "/checkout.html",
            "amazon/amazon-com-checkout-spc-B07G2L3JMM.html",
        ),
    ] {
        let bytes = std::fs::read(built.join(file)).expect("built page");
        server.mount(path, 200, Some("text/html"), bytes);
    }
    let case = CaseDir::new();
    let store = server.http_url("/store.html");
    let checkout = server.http_url("/checkout.html");
    let out = case.run(&["capture", "{case}", &store, &checkout]);
    assert_success(&out);
    let list = by_url(&case.captures());
    let store_c = &list[&store];
    let checkout_c = &list[&checkout];
    assert_eq!(store_c["page_kind"], "store", "{store_c}");
    assert_eq!(checkout_c["page_kind"], "checkout", "{checkout_c}");
    assert_eq!(checkout_c["status"], "ok", "{checkout_c}");
    assert_eq!(checkout_c["listing_id"], Value::Null, "{checkout_c}");

    let shown = case.json(&["show", "{case}", &checkout_c["id"].to_string(), "--json"]);
    assert_eq!(shown["checkout"]["ship_to_region"], "US-IL", "{shown}");
    assert_eq!(shown["checkout"]["listing_id"], "B07G2L3JMM");
    assert_eq!(shown["checkout"]["seller_id"], "A3EL5JZNMT8SZ7");
    assert_eq!(shown["store"], Value::Null);
    let out = case.run(&["show", "{case}", &checkout_c["id"].to_string()]);
    assert_success(&out);
    let human = String::from_utf8_lossy(&out.stdout);
    for line in [
        "ships to      233 S WACKER DR, CHICAGO, IL 60606, United States (US-IL)",
        "order total   33.06 USD",
        "buys listing  B07G2L3JMM",
        "sold by       Direct ChangM (A3EL5JZNMT8SZ7)",
    ] {
        assert!(human.contains(line), "{line}\n{human}");
    }

    let out = case.run(&["show", "{case}", &store_c["id"].to_string()]);
    assert_success(&out);
    let human = String::from_utf8_lossy(&out.stdout);
    for line in [
        "shop name     怡科外设KBDfans",
        "business      深圳市怡科示例电子科技有限公司",
        "location      广东 深圳",
        "opened        2011-01-22",
    ] {
        assert!(human.contains(line), "{line}\n{human}");
    }
    assert!(!human.contains("ships to"), "{human}");
}
