//! Test purchases end to end, through the real binary: a real Taobao listing captured
//! from the local HTTPS server, then a purchase of it recorded step by step (order,
//! shipping, files, verdict, the item's handovers), each step in the custody log and
//! every figure checked here. Bad input is refused in one sentence and changes nothing;
//! `verify` names a photo changed by one byte and a handover edited with plain SQL; a
//! SIGKILL during the attachment of many large files loses nothing committed.
//!
//! The kill test is seeded like `tests/it/faults.rs`: the seed is printed, and
//! `EXHIBIT_FAULT_SEED` replays it.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use exhibit_e2e::cli::{CaseDir, assert_exit, assert_success, text};
use exhibit_e2e::{Lcg, TestServer, real_pages_dir, sha256_hex};

const TAOBAO: &str = "562283240178";

/// A case holding one capture of a real Taobao listing; returns the case's listing id.
fn case_with_listing() -> (CaseDir, i64, serde_json::Value) {
    let case = CaseDir::new();
    let server = TestServer::start();
    let ca = server.write_ca_pem(case.dir.path());
    let page = std::fs::read(real_pages_dir().join("taobao/taobao-item-562283240178.html"))
        .expect("fixture");
    server.mount(
        &format!("/item.htm?id={TAOBAO}"),
        200,
        Some("text/html; charset=utf-8"),
        page,
    );
    let port = server.https_port();
    let url = format!("https://item.taobao.com:{port}/item.htm?id={TAOBAO}");
    let resolve = format!("item.taobao.com:{port}:127.0.0.1");
    assert_success(&case.run(&[
        "capture",
        "{case}",
        &url,
        "--resolve",
        &resolve,
        "--ca-cert",
        ca.to_str().expect("path"),
    ]));
    let listings = case.json(&["listings", "{case}", "--json"]);
    let listing = listings
        .as_array()
        .and_then(|a| a.iter().find(|l| l["listing_id"] == TAOBAO))
        .unwrap_or_else(|| panic!("no listing {TAOBAO}: {listings:#}"))
        .clone();
    let id = listing["id"].as_i64().expect("id");
    (case, id, listing)
}

fn add_purchase(case: &CaseDir, listing: i64, order: &str) -> serde_json::Value {
    let l = listing.to_string();
    case.json(&[
        "purchase",
        "add",
        "{case}",
        "--listing",
        &l,
        "--order",
        order,
        "--date",
        "2026-11-02",
        "--amount",
        "12.50",
        "--currency",
        "usd",
        "--ship-to",
        "Chicago, IL, US",
        "--buyer",
        "persona-chicago-7",
        "--payment",
        "4242",
        "--json",
    ])
}

/// A small real photograph (`tests/fixtures/photos`) as a JPEG, as a phone would keep it.
fn photo_jpeg(name: &str, width: u32) -> Vec<u8> {
    let path = real_pages_dir().join("../photos").join(name);
    let img = image::load_from_memory(&std::fs::read(&path).expect("photo")).expect("decode");
    let small = img.resize(width, width, image::imageops::FilterType::Triangle);
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&small.to_rgb8())
        .expect("encode JPEG");
    out
}

fn kinds(log: &serde_json::Value) -> Vec<String> {
    log.as_array()
        .expect("log is an array")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

#[test]
fn a_test_purchase_from_order_to_verdict_and_handovers() {
    let (case, listing, listing_row) = case_with_listing();

    // The order.
    let p = add_purchase(&case, listing, "3141592653589793");
    assert_eq!(p["id"], 1);
    assert_eq!(p["listing"], listing);
    assert_eq!(p["listing_id"], TAOBAO);
    assert_eq!(p["platform"], "taobao");
    assert_eq!(p["platform"], listing_row["marketplace"]);
    assert_eq!(p["seller"], listing_row["seller"]);
    assert_eq!(p["seller_id"], listing_row["seller_id"]);
    assert_eq!(p["order_number"], "3141592653589793");
    assert_eq!(p["ordered_on"], "2026-11-02");
    assert_eq!(p["amount"], "12.50");
    assert_eq!(p["currency"], "USD");
    assert_eq!(p["payment_last4"], "4242");
    assert_eq!(p["buyer"], "persona-chicago-7");
    assert_eq!(p["ship_to"], "Chicago, IL, US");
    assert_eq!(p["ship_to_region"], "US-IL");
    assert!(p["tracking"].is_null() && p["delivered_on"].is_null());

    // Shipping facts as they arrive; the latest of each holds.
    assert_success(&case.run(&[
        "purchase",
        "update",
        "{case}",
        "1",
        "--tracking",
        "LP00123456789CN",
        "--carrier",
        "Cainiao",
    ]));
    let out = case.run(&[
        "purchase",
        "update",
        "{case}",
        "1",
        "--tracking",
        "9400111899223817",
        "--carrier",
        "USPS",
        "--ship-from",
        "Shenzhen, Guangdong, CN",
        "--delivered",
        "2026-11-20",
    ]);
    assert_success(&out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("delivered 2026-11-20"),
        "{}",
        text(&out)
    );

    // The files: an order confirmation, two parcel photos, the product, the comparison.
    let order_pdf = b"%PDF-1.4\n% order confirmation 3141592653589793\n%%EOF\n".to_vec();
    let parcel = photo_jpeg("chelsea.png", 96);
    let parcel_back = photo_jpeg("coffee.png", 96);
    let product = photo_jpeg("rocket.jpg", 120);
    let comparison = b"Logo stitching 2 mm lower; no hologram; genuine has serial.\n".to_vec();
    let write = |name: &str, bytes: &[u8]| {
        let path = case.path(name);
        std::fs::write(&path, bytes).expect("write");
        path.to_string_lossy().into_owned()
    };
    let order_path = write("order.pdf", &order_pdf);
    let parcel_path = write("parcel.jpg", &parcel);
    std::fs::create_dir_all(case.path("back")).expect("mkdir");
    let parcel_back_path = write("back/parcel.jpg", &parcel_back);
    let product_path = write("product.jpg", &product);
    let comparison_path = write("comparison.txt", &comparison);
    let attach = |kind: &str, files: &[&str]| {
        let mut args = vec!["purchase", "attach", "{case}", "1", "--kind", kind];
        args.extend_from_slice(files);
        let out = case.run(&args);
        assert_success(&out);
        out
    };
    let out = attach("order", &[&order_path]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&sha256_hex(&order_pdf)),
        "{}",
        text(&out)
    );
    attach("parcel-photo", &[&parcel_path, &parcel_back_path]);
    attach("product-photo", &[&product_path]);
    attach("comparison", &[&comparison_path]);

    assert_success(&case.run(&[
        "purchase",
        "verdict",
        "{case}",
        "1",
        "--verdict",
        "counterfeit",
        "--by",
        "Mia Chen, brand protection",
        "--method",
        "Side by side with a genuine unit: stitching, hologram, serial.",
    ]));
    for (from, to, at, place, seal) in [
        (
            "USPS",
            "Ana Silva",
            "2026-11-20T15:04:00Z",
            "Chicago office mail room",
            "",
        ),
        (
            "Ana Silva",
            "Evidence locker",
            "2026-11-21T09:00:00+01:00",
            "Locker 4, Chicago office",
            "TT-000917",
        ),
    ] {
        let mut args = vec![
            "item", "custody", "{case}", "1", "--from", from, "--to", to, "--at", at, "--place",
            place,
        ];
        if !seal.is_empty() {
            args.extend(["--seal", seal, "--note", "Sealed after photographing."]);
        }
        assert_success(&case.run(&args));
    }

    // Everything, as `purchases --json` shows it.
    let all = case.json(&["purchases", "{case}", "--json"]);
    assert_eq!(all.as_array().map(Vec::len), Some(1), "{all:#}");
    let p = &all[0];
    assert_eq!(p["tracking"], "9400111899223817");
    assert_eq!(p["carrier"], "USPS");
    assert_eq!(p["ship_from"], "Shenzhen, Guangdong, CN");
    assert_eq!(p["delivered_on"], "2026-11-20");
    assert_eq!(p["updates"].as_array().map(Vec::len), Some(2));
    assert_eq!(p["updates"][0]["tracking"], "LP00123456789CN");
    assert!(p["updates"][0]["delivered_on"].is_null());
    let files = p["files"].as_array().expect("files");
    let expect = [
        ("order", "order.pdf", "application/pdf", &order_pdf),
        ("parcel-photo", "parcel.jpg", "image/jpeg", &parcel),
        ("parcel-photo", "parcel-2.jpg", "image/jpeg", &parcel_back),
        ("product-photo", "product.jpg", "image/jpeg", &product),
        ("comparison", "comparison.txt", "text/plain", &comparison),
    ];
    assert_eq!(files.len(), expect.len(), "{files:#?}");
    for (f, (kind, name, media, bytes)) in files.iter().zip(expect) {
        assert_eq!(f["kind"], kind, "{f:#}");
        assert_eq!(f["file_name"], name, "{f:#}");
        assert_eq!(f["media_type"], media, "{f:#}");
        assert_eq!(f["size"], bytes.len(), "{f:#}");
        assert_eq!(f["sha256"], sha256_hex(bytes), "{f:#}");
    }
    assert_eq!(p["verdict"]["verdict"], "counterfeit");
    assert_eq!(p["verdict"]["by"], "Mia Chen, brand protection");
    let custody = p["custody"].as_array().expect("custody");
    assert_eq!(custody.len(), 2);
    assert_eq!(custody[0]["from"], "USPS");
    assert_eq!(custody[0]["at"], "2026-11-20T15:04:00Z");
    assert!(custody[0]["seal"].is_null());
    assert_eq!(custody[1]["to"], "Evidence locker");
    assert_eq!(custody[1]["at"], "2026-11-21T08:00:00Z", "kept in UTC");
    assert_eq!(custody[1]["seal"], "TT-000917");
    assert_eq!(custody[1]["place"], "Locker 4, Chicago office");

    // One line a purchase.
    let out = case.run(&["purchases", "{case}"]);
    assert_success(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    for part in [
        "Purchase 1",
        "3141592653589793",
        "12.50 USD",
        "delivered 2026-11-20",
        "5 files",
        "verdict counterfeit",
        "2 handovers",
    ] {
        assert!(said.contains(part), "'{part}' missing from: {said}");
    }

    // Every step is in the custody log, each file with its hash.
    let log = case.json(&["log", "{case}", "--json"]);
    let k = kinds(&log);
    assert_eq!(count(&k, "purchase.added"), 1);
    assert_eq!(count(&k, "purchase.updated"), 2);
    assert_eq!(count(&k, "purchase.file_attached"), 5);
    assert_eq!(count(&k, "purchase.verdict"), 1);
    assert_eq!(count(&k, "item.custody"), 2);
    let logged_hashes: Vec<String> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|e| e["kind"] == "purchase.file_attached")
        .map(|e| {
            let d: serde_json::Value =
                serde_json::from_str(e["detail"].as_str().expect("detail")).expect("json");
            d["sha256"].as_str().expect("sha256").to_owned()
        })
        .collect();
    assert!(logged_hashes.contains(&sha256_hex(&parcel)));
    assert_success(&case.run(&["verify", "{case}"]));

    // One byte of the parcel photo flipped, and a handover moved, outside Exhibit.
    let mut flipped = parcel.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    case.tamper(&format!(
        "DROP TRIGGER purchase_files_no_update;
         UPDATE purchase_files SET content = X'{}' WHERE file_name = 'parcel.jpg';
         DROP TRIGGER item_custody_no_update;
         UPDATE item_custody SET place = 'Somewhere else' WHERE seal = 'TT-000917';",
        hex::encode(&flipped)
    ));
    let out = case.run(&["verify", "{case}", "--json"]);
    assert_exit(&out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let problems = report["problems"].as_array().expect("problems");
    assert!(
        problems.iter().any(|p| p["code"] == "file_changed"
            && p["message"]
                .as_str()
                .is_some_and(|m| m.contains("The photo parcel.jpg of purchase 1"))),
        "{report:#}"
    );
    assert!(
        problems.iter().any(|p| p["code"] == "purchase_changed"
            && p["message"]
                .as_str()
                .is_some_and(|m| m.contains("custody entry of purchase 1"))),
        "{report:#}"
    );
    assert_eq!(problems.len(), 2, "only what was changed: {report:#}");
}

#[test]
fn bad_purchase_input_is_refused_in_one_sentence_and_changes_nothing() {
    let (case, listing, _) = case_with_listing();
    add_purchase(&case, listing, "ORDER-1");
    assert_success(&case.run(&[
        "purchase",
        "verdict",
        "{case}",
        "1",
        "--verdict",
        "genuine",
        "--by",
        "Mia Chen",
        "--method",
        "Compared with a genuine unit.",
    ]));
    let good = case.path("good.jpg");
    std::fs::write(&good, photo_jpeg("rocket.jpg", 64)).expect("write");
    let good = good.to_str().expect("path").to_owned();
    let folder = case.dir.path().to_str().expect("path").to_owned();
    let missing = case.path("missing.jpg").to_str().expect("path").to_owned();
    // A sparse file over the limit: nothing of it is read.
    let huge = case.path("huge.mov");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(exhibit::MAX_PURCHASE_FILE_BYTES + 1))
        .expect("sparse file");
    let huge = huge.to_str().expect("path").to_owned();
    let l = listing.to_string();

    let before_purchases = case.json(&["purchases", "{case}", "--json"]);
    let before_log = case.json(&["log", "{case}", "--json"]);
    let add = |amount: &'static str, currency: &'static str, date: &'static str| {
        vec![
            "purchase",
            "add",
            "{case}",
            "--listing",
            "LISTING",
            "--order",
            "ORDER-2",
            "--date",
            date,
            "--amount",
            amount,
            "--currency",
            currency,
            "--ship-to",
            "Chicago, IL, US",
        ]
    };
    let mut cases: Vec<(Vec<&str>, &str)> = vec![
        (
            {
                let mut a = add("12.50", "USD", "2026-11-02");
                a[4] = "99";
                a
            },
            "no listing 99",
        ),
        (add("-5", "USD", "2026-11-02"), "negative"),
        (add("12,50", "USD", "2026-11-02"), "--amount takes"),
        (add("0", "USD", "2026-11-02"), "zero"),
        (add("12.50", "US", "2026-11-02"), "three-letter currency"),
        (add("12.50", "USD", "02/11/2026"), "YYYY-MM-DD"),
        (add("12.50", "USD", "2999-01-01"), "in the future"),
        (
            {
                let mut a = add("12.50", "USD", "2026-11-02");
                a.extend(["--payment", "4242424242424242"]);
                a
            },
            "last four digits",
        ),
        (
            {
                let mut a = add("12.50", "USD", "2026-11-02");
                a[6] = "ORDER-1";
                a
            },
            "already recorded",
        ),
        (
            vec![
                "purchase",
                "update",
                "{case}",
                "1",
                "--delivered",
                "2026-11-01",
            ],
            "before the order date",
        ),
        (vec!["purchase", "update", "{case}", "1"], "at least one of"),
        (
            vec!["purchase", "update", "{case}", "42", "--carrier", "USPS"],
            "no purchase 42",
        ),
        (
            vec![
                "purchase",
                "attach",
                "{case}",
                "1",
                "--kind",
                "parcel-photo",
                &good,
                &folder,
            ],
            "not a regular file",
        ),
        (
            vec![
                "purchase",
                "attach",
                "{case}",
                "1",
                "--kind",
                "parcel-photo",
                &good,
                &missing,
            ],
            "Cannot read",
        ),
        (
            vec![
                "purchase",
                "attach",
                "{case}",
                "1",
                "--kind",
                "parcel-photo",
                &huge,
            ],
            "larger than 100 MB",
        ),
        (
            vec![
                "purchase", "attach", "{case}", "1", "--kind", "selfie", &good,
            ],
            "no file kind 'selfie'",
        ),
        (
            vec![
                "purchase", "attach", "{case}", "42", "--kind", "label", &good,
            ],
            "no purchase 42",
        ),
        (
            vec![
                "purchase",
                "verdict",
                "{case}",
                "1",
                "--verdict",
                "counterfeit",
                "--by",
                "Someone else",
                "--method",
                "A second look.",
            ],
            "already has its verdict",
        ),
        (
            vec![
                "purchase",
                "verdict",
                "{case}",
                "1",
                "--verdict",
                "fake",
                "--by",
                "Mia Chen",
                "--method",
                "Looked.",
            ],
            "no verdict 'fake'",
        ),
        (
            vec![
                "item",
                "custody",
                "{case}",
                "1",
                "--from",
                "USPS",
                "--to",
                "Ana Silva",
                "--at",
                "yesterday",
                "--place",
                "Chicago",
            ],
            "--at takes a time",
        ),
        (
            vec![
                "item",
                "custody",
                "{case}",
                "1",
                "--from",
                "USPS",
                "--to",
                "Ana Silva",
                "--at",
                "2026-10-01",
                "--place",
                "Chicago",
            ],
            "before the order date",
        ),
        (
            vec![
                "item",
                "custody",
                "{case}",
                "42",
                "--from",
                "USPS",
                "--to",
                "Ana Silva",
                "--at",
                "2026-11-20",
                "--place",
                "Chicago",
            ],
            "no purchase 42",
        ),
    ];
    for (args, _) in &mut cases {
        for a in args.iter_mut() {
            if *a == "LISTING" {
                *a = &l;
            }
        }
    }
    for (args, says) in &cases {
        let out = case.run(args);
        assert_exit(&out, 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "expected '{says}':\n{}", text(&out));
        assert_eq!(
            err.trim().lines().count(),
            1,
            "one sentence:\n{}",
            text(&out)
        );
    }
    assert_eq!(
        case.json(&["purchases", "{case}", "--json"]),
        before_purchases
    );
    assert_eq!(case.json(&["log", "{case}", "--json"]), before_log);
    assert_success(&case.run(&["verify", "{case}"]));
}

/// Runs `cmd`, kills it with SIGKILL after `after` if it is still running, and says
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
            return (false, child.wait_with_output().expect("output"));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            return (true, child.wait_with_output().expect("output"));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn sigkill_during_purchase_attach_loses_nothing_committed() {
    let mut rng = Lcg::seeded("EXHIBIT_FAULT_SEED", "purchase attach");
    let (case, listing, _) = case_with_listing();
    add_purchase(&case, listing, "ORDER-KILL");
    // Twelve photos of 4 MiB each, different bytes each, that compress to nothing less.
    let mut paths = Vec::new();
    for i in 0..12u64 {
        let mut bytes = vec![0u8; 4 << 20];
        let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        for chunk in bytes.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
        }
        let path = case.path(&format!("photo-{i:02}.jpg"));
        std::fs::write(&path, &bytes).expect("write");
        paths.push(path.to_string_lossy().into_owned());
    }
    let attach = || {
        let mut args = vec![
            "purchase",
            "attach",
            "{case}",
            "1",
            "--kind",
            "product-photo",
        ];
        args.extend(paths.iter().map(String::as_str));
        case.command(&args)
    };
    let files = |case: &CaseDir| -> Vec<serde_json::Value> {
        case.json(&["purchases", "{case}", "--json"])[0]["files"]
            .as_array()
            .expect("files")
            .clone()
    };
    let started = Instant::now();
    let out = attach().output().expect("attach");
    let took = started.elapsed();
    assert_success(&out);
    let committed = files(&case);
    assert_eq!(committed.len(), 12);

    let mut killed = 0;
    let mut whole = committed;
    for round in 0..6 {
        let wait = Duration::from_millis(rng.below(took.as_millis() as u64 + 50));
        let (was_killed, out) = run_and_kill(attach(), wait);
        killed += usize::from(was_killed);
        let context = format!("attach round {round} (killed after {wait:?}: {was_killed})");
        if !was_killed {
            assert_success(&out);
        }
        let out = case.run(&["verify", "{case}", "--json"]);
        assert!(out.status.success(), "{context}: {}", text(&out));
        let now = files(&case);
        // Everything committed before is still there, unchanged; the set just sent is
        // there whole or not at all.
        assert_eq!(&now[..whole.len()], &whole[..], "{context}");
        let added = now.len() - whole.len();
        assert!(added == 0 || added == 12, "{context}: {added} of 12 files");
        if !was_killed {
            assert_eq!(added, 12, "{context}");
        }
        println!("{context}: the case verifies; {added} files added");
        whole = now;
    }
    assert!(
        killed > 0,
        "no attach was killed mid-way: the kills tested nothing"
    );
}
