//! `exhibit complaint`, `exhibit export` and `exhibit verify-bundle` end to end: real
//! captures of real marketplace pages (HTTP mode) and a tall listing drawn in Chromium,
//! the example Alibaba IPP complaint from `examples/`, the packet read back with poppler
//! and qpdf, the bundle checked with coreutils' `sha256sum -c`, a tampered and a hostile
//! bundle, and a second export that must be byte-identical.

use std::path::{Path, PathBuf};
use std::process::Command;

use exhibit_e2e::TestServer;
use exhibit_e2e::cli::{CaseDir, PASS, assert_exit, assert_success, example_complaint, text};
use exhibit_e2e::pictures::page_png;
use sha2::{Digest, Sha256};

const TIME: &str = "2026-11-28T12:00:00Z";

/// A Taobao-like listing 20,000 px tall, drawn by script: its screenshot is cut at the
/// cap and must be split over several packet pages.
const TALL_LISTING: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>加载中</title>
<link rel="canonical" href="https://item.taobao.com/item.htm?id=700000000001"></head>
<body style="margin:0"><div id="app">加载中…</div>
<script>
setTimeout(function () {
  document.title = "ACME 露营灯 户外照明-淘宝网";
  document.getElementById("app").innerHTML =
    '<h1 class="tb-main-title" data-title="ACME 露营灯 户外照明">ACME 露营灯 户外照明</h1>' +
    '<em class="tb-rmb-num">59.00</em>' +
    '<div style="height:20000px;background:linear-gradient(#fc6,#36c)"></div>';
}, 300);
</script></body></html>"#;

fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e}"))
}

fn pdftotext(pdf: &Path, page: Option<u32>) -> String {
    let mut args: Vec<String> = Vec::new();
    if let Some(p) = page {
        args.extend(["-f".into(), p.to_string(), "-l".into(), p.to_string()]);
    }
    args.extend([
        "-enc".into(),
        "UTF-8".into(),
        pdf.to_string_lossy().into_owned(),
        "-".into(),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = tool("pdftotext", &refs);
    assert!(out.status.success(), "pdftotext: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdf_pages(pdf: &Path) -> u32 {
    let out = tool("pdfinfo", &[pdf.to_str().expect("path")]);
    assert!(out.status.success(), "pdfinfo: {}", text(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count")
}

fn export(case: &CaseDir, complaint: &Path, out: &Path) -> serde_json::Value {
    case.json(&[
        "export",
        "{case}",
        "--complaint",
        complaint.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
        "--time",
        TIME,
        "--json",
    ])
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn path_of(v: &serde_json::Value) -> PathBuf {
    PathBuf::from(v.as_str().expect("a path"))
}

#[test]
fn alibaba_packet_and_bundle_from_real_captures() {
    let server = TestServer::start();
    let case = CaseDir::new();
    server.mount(
        "/tall-listing",
        200,
        Some("text/html; charset=utf-8"),
        TALL_LISTING.as_bytes().to_vec(),
    );
    let real = |p: &str| server.http_url(&format!("/real/{p}"));
    // Two real listings over HTTP, one CAPTCHA page that must stay out of the complaint.
    assert_success(&case.run(&[
        "capture",
        "{case}",
        &real("taobao/taobao-item-562283240178.html"),
        &real("tmall/tmall-item-605258110430-gbk.html"),
    ]));
    let blocked = case.run(&[
        "capture",
        "{case}",
        &real("aliexpress/aliexpress-item-1005008204179129-baxia-captcha.html"),
    ]);
    assert_exit(&blocked, 0);
    // And the tall one in Chromium.
    case.capture_in_browser(&[&server.http_url("/tall-listing")]);

    let complaint = example_complaint(&case, "alibaba-ipp.toml");
    let check = case.json(&[
        "complaint",
        "{case}",
        complaint.to_str().expect("path"),
        "--json",
    ]);
    assert_eq!(check["batches"], serde_json::json!([3]), "{check}");

    let out_dir = case.path("out");
    let report = export(&case, &complaint, &out_dir);
    assert_eq!(report["listings"], 3, "{report}");
    let packet = path_of(&report["packet"]);
    let bundle = path_of(&report["bundle"]);
    let pages = pdf_pages(&packet);
    assert_eq!(report["pages"], pages, "{report}");
    assert_eq!(report["bates_first"], "ACME-000001");
    assert_eq!(report["bates_last"], format!("ACME-{pages:06}"));

    // qpdf finds nothing wrong; every font is embedded as a subset.
    let q = tool("qpdf", &["--check", packet.to_str().expect("path")]);
    assert!(q.status.success(), "qpdf: {}", text(&q));
    let fonts = tool("pdffonts", &[packet.to_str().expect("path")]);
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_rows.is_empty(), "{fonts}");
    for row in &font_rows {
        let name = row.split_whitespace().next().unwrap_or_default();
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "font not subset: {row}"
        );
        assert!(
            row.contains(" yes yes "),
            "font not embedded as a subset: {row}"
        );
    }
    let packet_bytes = std::fs::read(&packet).expect("packet");
    assert!(
        packet_bytes.len() < 8_000_000,
        "the packet is {} bytes",
        packet_bytes.len()
    );

    // What a reviewer reads: Chinese comes back out, every page is numbered.
    let all = pdftotext(&packet, None);
    for needle in [
        "乳白亚克力外壳",
        "ACME 露营灯 户外照明",
        "Alibaba IPP",
        "Summary of listings",
        "Exhibit 1",
        "Exhibit 3",
        "28 U.S.C.",
        "I declare under penalty of perjury",
        "Custody log",
        "How to verify",
        "sha256sum -c SHA256SUMS",
        "continued",
        "Translat",
    ] {
        assert!(all.contains(needle), "packet lacks {needle:?}");
    }
    assert!(
        !all.contains("aliexpress-item-1005008204179129"),
        "a blocked capture was offered as evidence"
    );
    for page in [1, 2, pages] {
        let t = pdftotext(&packet, Some(page));
        assert!(t.contains(&format!("ACME-{page:06}")), "page {page}: {t}");
        assert!(
            t.contains(&format!("Page {page} of {pages}")),
            "page {page}: {t}"
        );
    }

    // The bundle: coreutils checks every file, and the manifest is the one the cover names.
    let unpacked = case.path("unpacked");
    std::fs::create_dir_all(&unpacked).expect("mkdir");
    let unzip = tool(
        "unzip",
        &[
            "-q",
            bundle.to_str().expect("path"),
            "-d",
            unpacked.to_str().expect("path"),
        ],
    );
    assert!(unzip.status.success(), "unzip: {}", text(&unzip));
    let sums = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&unpacked)
        .output()
        .expect("sha256sum");
    assert!(sums.status.success(), "sha256sum -c: {}", text(&sums));
    let manifest = std::fs::read(unpacked.join("manifest.json")).expect("manifest");
    let manifest_sha = sha256_hex(&manifest);
    assert_eq!(report["manifest_sha256"], manifest_sha.as_str());
    assert!(
        pdftotext(&packet, Some(1)).contains(&manifest_sha),
        "the cover prints the manifest fingerprint"
    );
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).expect("manifest JSON");
    assert_eq!(manifest["captures"].as_array().map(Vec::len), Some(3));
    for cap in manifest["captures"].as_array().expect("captures") {
        for a in cap["artifacts"].as_array().expect("artifacts") {
            let bytes = std::fs::read(unpacked.join(a["path"].as_str().expect("path")))
                .expect("artifact file");
            assert_eq!(
                sha256_hex(&bytes),
                a["sha256"].as_str().expect("sha"),
                "{a}"
            );
        }
    }
    assert!(unpacked.join("custody.jsonl").is_file());
    assert!(unpacked.join("packet.pdf").is_file());
    assert!(unpacked.join("filing-sheet.pdf").is_file());
    let urls = std::fs::read_to_string(path_of(&report["url_lists"][0])).expect("url list");
    assert_eq!(urls.lines().count(), 3, "{urls}");
    assert!(
        urls.contains("/real/taobao/taobao-item-562283240178.html"),
        "{urls}"
    );

    let verified = case.run(&["verify-bundle", bundle.to_str().expect("path")]);
    assert_success(&verified);
    assert!(String::from_utf8_lossy(&verified.stdout).contains("is intact"));

    // The export is in the custody log, and the case still verifies.
    let log = case.json(&["log", "{case}", "--json"]);
    let kinds: Vec<&str> = log
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds.last(), Some(&"export.made"), "{kinds:?}");
    assert_eq!(case.json(&["verify", "{case}", "--json"])["ok"], true);

    // Same case, same time: the same bytes, although the log has grown since.
    let again = export(&case, &complaint, &case.path("out-again"));
    assert_eq!(
        std::fs::read(path_of(&again["bundle"])).expect("bundle"),
        std::fs::read(&bundle).expect("bundle"),
        "two exports at the same time differ"
    );
    assert_eq!(
        std::fs::read(path_of(&again["packet"])).expect("packet"),
        packet_bytes
    );

    // A changed byte in an exhibit is caught.
    let mut zip = std::fs::read(&bundle).expect("bundle");
    let png = zip
        .windows(4)
        .position(|w| w == b"\x89PNG")
        .expect("a stored PNG in the bundle");
    zip[png + 200] ^= 0x01;
    let tampered = case.path("tampered.zip");
    std::fs::write(&tampered, &zip).expect("write");
    let bad = case.run(&["verify-bundle", tampered.to_str().expect("path"), "--json"]);
    assert_exit(&bad, 1);
    let bad: serde_json::Value = serde_json::from_slice(&bad.stdout).expect("json");
    assert_eq!(bad["intact"], false);
    assert!(!bad["problems"].as_array().expect("problems").is_empty());
}

#[test]
fn complaints_that_cannot_be_filed_say_what_to_fix() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let real = |p: &str| server.http_url(&format!("/real/{p}"));
    assert_success(&case.run(&[
        "capture",
        "{case}",
        &real("taobao/taobao-item-562283240178.html"),
    ]));
    assert_exit(
        &case.run(&[
            "capture",
            "{case}",
            &real("aliexpress/aliexpress-item-1005008204179129-baxia-captcha.html"),
        ]),
        0,
    );
    let complaint = example_complaint(&case, "alibaba-ipp.toml");
    let original = std::fs::read_to_string(&complaint).expect("complaint");
    let out_dir = case.path("out");
    let try_export = |text: &str| {
        std::fs::write(&complaint, text).expect("write complaint");
        case.run(&[
            "export",
            "{case}",
            "--complaint",
            complaint.to_str().expect("path"),
            "--out",
            out_dir.to_str().expect("path"),
            "--time",
            TIME,
        ])
    };

    // The blocked capture, listed as a live listing.
    let listed = original.replace(
        "[listings]\nall_ok = true",
        "[[listing]]\ncapture = 2\nright = \"TM-CN\"\ninfringement = \"counterfeit\"\n\n[listings]\nall_ok = false",
    );
    let out = try_export(&listed);
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("#2") && err.contains("blocked"),
        "{}",
        text(&out)
    );

    // No certificate for the trademark.
    let out = try_export(&original.replace(
        "certificates = [\"certificates/acme-cnipa.pdf\"]",
        "certificates = []",
    ));
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Alibaba IPP needs the trademark's registration certificate"),
        "{}",
        text(&out)
    );

    // A certificate that is not there.
    let out = try_export(&original.replace("acme-cnipa.pdf", "missing.pdf"));
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing.pdf"),
        "{}",
        text(&out)
    );

    // Not TOML at all, script in a value, and an unknown key: plain errors, no panic.
    for bad in [
        "\u{0}\u{1}not toml at all [[[",
        &original.replace(
            "name = \"Jane Doe\"",
            "name = \"<script>alert(1)</script>\"\nnickname = 1",
        ),
    ] {
        let out = try_export(bad);
        assert_exit(&out, 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("exhibit: "), "{}", text(&out));
        assert!(!err.contains("panicked"), "{}", text(&out));
    }
    assert!(
        !out_dir.exists() || std::fs::read_dir(&out_dir).is_ok_and(|mut d| d.next().is_none()),
        "a refused export wrote files"
    );

    // A bundle that is not a bundle, and one with a path that climbs out.
    let junk = case.path("junk.zip");
    std::fs::write(&junk, b"PK\x03\x04 this is not really a zip").expect("write");
    let out = case.run(&["verify-bundle", junk.to_str().expect("path")]);
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not an Exhibit evidence bundle"),
        "{}",
        text(&out)
    );
}

/// Every venue's example complaint exports against real Amazon listings captured over
/// HTTP, and each packet says what that venue needs said.
#[test]
fn every_venue_example_exports_a_packet_that_says_what_the_venue_needs() {
    let server = TestServer::start();
    let case = CaseDir::new();
    let real = |p: &str| server.http_url(&format!("/real/{p}"));
    assert_success(&case.run(&[
        "capture",
        "{case}",
        &real("amazon/amazon-com-B07G2L3JMM-3p-seller.html"),
        &real("amazon/amazon-com-B00N150YS4-gorilla.html"),
        &real("amazon/amazon-es-B01MUGXRT9.html"),
    ]));
    let venues: [(&str, &[&str]); 5] = [
        ("amazon.toml", &["Amazon", "B00N150YS4"]),
        (
            "dmca.toml",
            &["512(c)(3)", "good faith belief", "penalty of perjury"],
        ),
        ("eu-dsa.toml", &["Article 16", "bona fide"]),
        (
            "ustr-notorious-markets.toml",
            &["Notorious Markets", "USTR-"],
        ),
        ("agency-letter.toml", &["Exhibit 1", "Exhibit 3"]),
    ];
    for (file, needles) in venues {
        let complaint = example_complaint(&case, file);
        let out_dir = case.path(&format!("out-{file}"));
        // SOURCE_DATE_EPOCH fixes the time as --time does.
        let out = case
            .command(&[
                "export",
                "{case}",
                "--complaint",
                complaint.to_str().expect("path"),
                "--out",
                out_dir.to_str().expect("path"),
                "--json",
            ])
            .env("SOURCE_DATE_EPOCH", "1795867200")
            .output()
            .expect("export");
        assert_success(&out);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let packet = path_of(&report["packet"]);
        assert!(
            packet
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("2026-11-28-")),
            "{report}"
        );
        // Lines wrap anywhere: compare with runs of white space made one space.
        let all = pdftotext(&packet, None)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for needle in needles {
            assert!(all.contains(needle), "{file}: packet lacks {needle:?}");
        }
        let q = tool("qpdf", &["--check", packet.to_str().expect("path")]);
        assert!(q.status.success(), "{file}: qpdf: {}", text(&q));
        let bundle = path_of(&report["bundle"]);
        assert_success(&case.run(&["verify-bundle", bundle.to_str().expect("path")]));
        // Only portal venues get a filing sheet.
        assert_eq!(
            report["filing_sheet"].is_string(),
            file == "amazon.toml",
            "{file}: {report}"
        );
    }
}

/// One Taobao listing of a seeded case, as a browser capture records it.
fn seeded_record(i: usize) -> exhibit_domain::CaptureRecord {
    let at = format!("2026-11-01T08:00:{:02}.000Z", i % 60);
    serde_json::from_value(serde_json::json!({
        "mode": "browser",
        "requested_url": format!("https://item.taobao.com/item.htm?id={}", 700_000_000_000u64 + i as u64),
        "final_url": null,
        "redirects": [],
        "http_version": "HTTP/1.1",
        "http_status": 200,
        "headers": [],
        "remote_addr": "127.0.0.1:443",
        "tls": null,
        "started_at": at,
        "finished_at": at,
        "status": "ok",
        "error": null,
        "notes": [],
        "facts": {
            "marketplace": "taobao",
            "page_kind": "listing",
            "listing_id": (700_000_000_000u64 + i as u64).to_string(),
            "title": format!("ACME 露营灯 户外照明 #{i}"),
            "price": "59.00",
            "currency": "CNY",
            "seller": format!("店铺 {i} Store"),
            "canonical_url": null,
            "charset": "utf-8"
        },
        "collector": {"name": "Ana Silva", "organization": null, "role": null, "contact": null},
        "environment": exhibit_domain::Environment::default(),
    }))
    .expect("a capture record")
}

/// Tall screenshots go into the packet as JPEG slices over several pages and into the
/// bundle byte for byte, streamed from the case; the bundle checks out with Exhibit and
/// with coreutils, two exports at the same time are the same bytes, and an artifact
/// changed in the case stops the export with nothing left behind.
#[test]
fn streamed_export_of_tall_screenshots_is_whole_and_reproducible() {
    let case = CaseDir::new();
    let shots: Vec<Vec<u8>> = (0..3).map(|i| page_png(1280, 6000, i)).collect();
    {
        let mut store =
            exhibit_store::Store::open(&case.case, &exhibit::Passphrase::new(PASS.into()))
                .expect("open the case");
        for (i, png) in shots.iter().enumerate() {
            let text = format!("ACME 露营灯 户外照明 #{i}\n").repeat(200);
            store
                .add_capture(
                    &seeded_record(i),
                    &[
                        exhibit::NewArtifact::new("screenshot", "image/png", png.clone()),
                        exhibit::NewArtifact::new(
                            "text",
                            "text/plain; charset=utf-8",
                            text.into_bytes(),
                        ),
                    ],
                )
                .expect("add capture");
        }
    }
    let complaint = example_complaint(&case, "alibaba-ipp.toml");
    let first = export(&case, &complaint, &case.path("out-1"));
    let second = export(&case, &complaint, &case.path("out-2"));
    for key in ["packet", "bundle", "filing_sheet"] {
        assert_eq!(
            std::fs::read(path_of(&first[key])).expect("first"),
            std::fs::read(path_of(&second[key])).expect("second"),
            "two exports at the same time differ in their {key}"
        );
    }
    for dir in ["out-1", "out-2"] {
        let partial: Vec<_> = std::fs::read_dir(case.path(dir))
            .expect("out dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .collect();
        assert!(partial.is_empty(), "{partial:?}");
    }

    // The packet: each 1280 × 6000 screenshot prints 504 × 2362 pt, over four pages.
    let packet = path_of(&first["packet"]);
    let q = tool("qpdf", &["--check", packet.to_str().expect("path")]);
    assert!(q.status.success(), "qpdf: {}", text(&q));
    let images = tool("pdfimages", &["-list", packet.to_str().expect("path")]);
    let images = String::from_utf8_lossy(&images.stdout).into_owned();
    let slices: Vec<&str> = images.lines().skip(2).collect();
    assert_eq!(slices.len(), 12, "{images}");
    assert!(slices.iter().all(|l| l.contains("jpeg")), "{images}");
    let all = pdftotext(&packet, None);
    assert!(all.contains("(continued — part 4 of 4)"), "{all}");
    assert!(all.contains("ACME 露营灯 户外照明 #2"), "{all}");
    assert_eq!(first["pages"], pdf_pages(&packet));

    // The bundle: Exhibit's verifier, and coreutils over the unpacked files, whose
    // screenshots are the stored PNGs byte for byte.
    let bundle = path_of(&first["bundle"]);
    assert_success(&case.run(&["verify-bundle", bundle.to_str().expect("path")]));
    let unpacked = case.path("unpacked");
    std::fs::create_dir_all(&unpacked).expect("mkdir");
    let unzip = tool(
        "unzip",
        &[
            "-q",
            bundle.to_str().expect("path"),
            "-d",
            unpacked.to_str().expect("path"),
        ],
    );
    assert!(unzip.status.success(), "unzip: {}", text(&unzip));
    let sums = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&unpacked)
        .output()
        .expect("sha256sum");
    assert!(sums.status.success(), "sha256sum -c: {}", text(&sums));
    for (i, png) in shots.iter().enumerate() {
        let name = format!("exhibits/exhibit-{:03}-screenshot.png", i + 1);
        assert!(
            std::fs::read(unpacked.join(&name)).expect("screenshot") == *png,
            "{name} is not the stored PNG"
        );
    }
    assert_eq!(
        sha256_hex(&std::fs::read(unpacked.join("packet.pdf")).expect("packet in bundle")),
        sha256_hex(&std::fs::read(&packet).expect("packet"))
    );
    assert_eq!(
        first["bundle_sha256"],
        sha256_hex(&std::fs::read(&bundle).expect("bundle")).as_str()
    );

    // A screenshot changed in the case: the export stops, says so, and leaves nothing.
    case.tamper(
        "DROP TRIGGER artifacts_no_update; UPDATE artifacts SET content = zeroblob(length(content)) WHERE capture_id = 2 AND kind = 'screenshot';",
    );
    let out_dir = case.path("out-3");
    let out = case.run(&[
        "export",
        "{case}",
        "--complaint",
        complaint.to_str().expect("path"),
        "--out",
        out_dir.to_str().expect("path"),
        "--time",
        TIME,
        "--json",
    ]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("capture 2")
            || String::from_utf8_lossy(&out.stdout).contains("artifact_tampered"),
        "{}",
        text(&out)
    );
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        !left.iter().any(|n| {
            let n = n.to_string_lossy();
            n.ends_with("-bundle.zip") || n.ends_with("-packet.pdf") || n.ends_with(".partial")
        }),
        "{left:?}"
    );
}
