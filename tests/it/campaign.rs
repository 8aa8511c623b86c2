//! The enforcement campaign end to end, through the real binary against a local HTTPS
//! server that plays a history: real marketplace pages captured, a filing made from an
//! export and one by listing ids, the platforms' answers recorded, then the server
//! changes (a listing answers 404, one stays up although the platform said removed, one
//! is relisted under a new id by the same seller), and `recapture`, `relisted` and
//! `stats` must tell that story with every figure checked by hand here. A second story
//! links a removed listing to another shop's by its main image alone: the same real
//! photo cropped, resized and re-encoded, served by the local server.

use std::path::Path;

use exhibit_e2e::cli::{CaseDir, assert_exit, assert_success, example_complaint, text};
use exhibit_e2e::{TestServer, json, real_pages_dir};

const EBAY_A: &str = "381228738769";
const EBAY_B: &str = "226771798286";
const TAOBAO_C: &str = "562283240178";
const TAOBAO_C_AGAIN: &str = "562283240999";
const TMALL_D: &str = "605258110430";
const TAOBAO_E: &str = "601465987171";

fn page(rel: &str) -> Vec<u8> {
    std::fs::read(real_pages_dir().join(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// The real pages, served at the paths their marketplaces use.
struct History {
    server: TestServer,
    ca: String,
    resolve: Vec<String>,
}

impl History {
    fn start(case: &CaseDir) -> History {
        let server = TestServer::start();
        let ca = server
            .write_ca_pem(case.dir.path())
            .to_string_lossy()
            .into_owned();
        let port = server.https_port();
        let resolve = ["www.ebay.com", "item.taobao.com", "detail.tmall.com"]
            .iter()
            .flat_map(|h| ["--resolve".to_owned(), format!("{h}:{port}:127.0.0.1")])
            .collect();
        let html = Some("text/html; charset=utf-8");
        server.mount(
            &format!("/itm/{EBAY_A}"),
            200,
            html,
            page("ebay/ebay-com-itm-381228738769.html"),
        );
        server.mount(
            &format!("/itm/{EBAY_B}"),
            200,
            html,
            page("ebay/ebay-com-itm-226771798286-jsonld.html"),
        );
        server.mount(
            &format!("/item.htm?id={TAOBAO_C}"),
            200,
            html,
            page("taobao/taobao-item-562283240178.html"),
        );
        server.mount(
            &format!("/item.htm?id={TMALL_D}"),
            200,
            Some("text/html; charset=gbk"),
            page("tmall/tmall-item-605258110430-gbk.html"),
        );
        History {
            server,
            ca,
            resolve,
        }
    }

    fn url(&self, path: &str) -> String {
        let port = self.server.https_port();
        if path.starts_with("/itm/") {
            format!("https://www.ebay.com:{port}{path}")
        } else if path.contains(TMALL_D) {
            format!("https://detail.tmall.com:{port}{path}")
        } else {
            format!("https://item.taobao.com:{port}{path}")
        }
    }

    /// `args` with the DNS overrides and the test CA after them.
    fn net<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut v: Vec<&str> = args.to_vec();
        v.extend(self.resolve.iter().map(String::as_str));
        v.extend(["--ca-cert", self.ca.as_str()]);
        v
    }
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// The listing row of a marketplace id.
fn listing<'a>(rows: &'a serde_json::Value, listing_id: &str) -> &'a serde_json::Value {
    rows.as_array()
        .and_then(|a| a.iter().find(|r| r["listing_id"] == listing_id))
        .unwrap_or_else(|| panic!("no listing {listing_id} in {rows:#}"))
}

fn id_of(rows: &serde_json::Value, listing_id: &str) -> i64 {
    listing(rows, listing_id)["id"].as_i64().expect("id")
}

#[test]
fn a_campaign_from_first_capture_to_the_figures() {
    let case = CaseDir::new();
    let h = History::start(&case);
    let (a_url, b_url, c_url, d_url) = (
        h.url(&format!("/itm/{EBAY_A}")),
        h.url(&format!("/itm/{EBAY_B}")),
        h.url(&format!("/item.htm?id={TAOBAO_C}")),
        h.url(&format!("/item.htm?id={TMALL_D}")),
    );
    let out = case.run(&h.net(&["capture", "{case}", &a_url, &b_url, &c_url, &d_url]));
    assert_success(&out);

    // Four listings, one capture each, with their sellers.
    let rows = case.json(&["listings", "{case}", "--json"]);
    assert_eq!(rows.as_array().map(Vec::len), Some(4), "{rows:#}");
    let a = listing(&rows, EBAY_A);
    for key in [
        "id",
        "marketplace",
        "listing_id",
        "seller_id",
        "seller",
        "captures",
        "last_status",
        "last_captured_at",
    ] {
        assert!(a.get(key).is_some(), "listings --json lacks {key}: {a:#}");
    }
    assert_eq!(a["marketplace"], "ebay");
    assert_eq!(a["seller"], "bestchoiceproducts");
    assert_eq!(a["captures"], 1);
    assert_eq!(a["last_status"], "ok");
    assert_eq!(listing(&rows, TAOBAO_C)["seller"], "怡科外设KBDfans");
    let (a_id, b_id, c_id, d_id) = (
        id_of(&rows, EBAY_A),
        id_of(&rows, EBAY_B),
        id_of(&rows, TAOBAO_C),
        id_of(&rows, TMALL_D),
    );

    // An Alibaba IPP export of the Taobao and Tmall captures, then its filing.
    let captures = case.captures();
    let capture_of = |id: &str| {
        captures
            .iter()
            .find(|c| c["listing_id"] == id)
            .and_then(|c| c["id"].as_i64())
            .expect("capture")
    };
    let complaint = example_complaint(&case, "alibaba-ipp.toml");
    let original = std::fs::read_to_string(&complaint).expect("complaint");
    let listed = original.replace(
        "[listings]\nall_ok = true\nright = \"TM-CN\"\ninfringement = \"counterfeit\"\n",
        &format!(
            "[[listing]]\ncapture = {}\nright = \"TM-CN\"\ninfringement = \"counterfeit\"\n\n[[listing]]\ncapture = {}\nright = \"TM-CN\"\ninfringement = \"counterfeit\"\n",
            capture_of(TAOBAO_C),
            capture_of(TMALL_D)
        ),
    );
    assert_ne!(listed, original, "the example's [listings] block moved");
    std::fs::write(&complaint, listed).expect("write complaint");
    let out_dir = case.path("out");
    let export = case.json(&[
        "export",
        "{case}",
        "--complaint",
        complaint.to_str().expect("path"),
        "--out",
        out_dir.to_str().expect("path"),
        "--json",
    ]);
    let manifest = export["manifest_sha256"].as_str().expect("manifest sha");
    let day = today();
    let ipp = case.json(&[
        "filing",
        "add",
        "{case}",
        "--venue",
        "alibaba-ipp",
        "--reference",
        "IPP-2026-0001",
        "--filed",
        &day,
        "--export",
        manifest,
        "--json",
    ]);
    let ipp_id = ipp["id"].as_i64().expect("filing id");
    let reported = json::i64s(&ipp["listings"], "listing");
    assert_eq!(reported, [c_id, d_id], "{ipp:#}");
    assert_eq!(ipp["export_sha256"], manifest);
    // Alibaba IPP's counter-notice windows: 3 and 27 business days from the filing.
    let windows = json::strs(&ipp["deadlines"], "what");
    assert_eq!(windows, ["first counter-notice", "last counter-notice"]);
    assert!(ipp["deadlines"][0]["open"].as_bool().expect("open"));

    // An eBay VeRO filing by listing ids.
    let vero = case.json(&[
        "filing",
        "add",
        "{case}",
        "--venue",
        "ebay-vero",
        "--reference",
        "VERO-77",
        "--filed",
        &day,
        "--listings",
        &format!("{a_id},{b_id}"),
        "--json",
    ]);
    let vero_id = vero["id"].as_i64().expect("filing id");
    assert!(vero["deadlines"].as_array().is_some_and(Vec::is_empty));

    // Bad outcomes change nothing: each is refused with exit 2 and one sentence.
    let before_filings = case.json(&["filings", "{case}", "--json"]);
    let before_log = case.json(&["log", "{case}", "--json"]);
    let answer = case.path("answer.eml");
    std::fs::write(
        &answer,
        "From: ipp@service.alibaba.com\r\nSubject: Complaint IPP-2026-0001 processed\r\n\r\nThe listing was removed.\r\n",
    )
    .expect("eml");
    let (ipp_s, c_s, vero_s, a_s) = (
        ipp_id.to_string(),
        c_id.to_string(),
        vero_id.to_string(),
        a_id.to_string(),
    );
    let yesterday = (chrono::Utc::now() - chrono::Days::new(1))
        .format("%Y-%m-%d")
        .to_string();
    let missing = case.path("nothing-here.eml");
    for (args, says) in [
        (
            vec![
                "filing",
                "outcome",
                "{case}",
                &ipp_s,
                "999",
                "--outcome",
                "removed",
                "--date",
                &day,
            ],
            "did not report listing 999",
        ),
        (
            vec![
                "filing",
                "outcome",
                "{case}",
                &ipp_s,
                &a_s,
                "--outcome",
                "removed",
                "--date",
                &day,
            ],
            "did not report listing",
        ),
        (
            vec![
                "filing",
                "outcome",
                "{case}",
                "42",
                &c_s,
                "--outcome",
                "removed",
                "--date",
                &day,
            ],
            "no filing 42",
        ),
        (
            vec![
                "filing",
                "outcome",
                "{case}",
                &ipp_s,
                &c_s,
                "--outcome",
                "taken-down",
                "--date",
                &day,
            ],
            "no outcome 'taken-down'",
        ),
        (
            vec![
                "filing",
                "outcome",
                "{case}",
                &ipp_s,
                &c_s,
                "--outcome",
                "removed",
                "--date",
                &yesterday,
            ],
            "before the filing",
        ),
        (
            vec![
                "filing",
                "outcome",
                "{case}",
                &ipp_s,
                &c_s,
                "--outcome",
                "removed",
                "--date",
                "31/12/2026",
            ],
            "takes a day",
        ),
        (
            vec![
                "filing",
                "outcome",
                "{case}",
                &ipp_s,
                &c_s,
                "--outcome",
                "removed",
                "--date",
                &day,
                "--attach",
                missing.to_str().expect("path"),
            ],
            "Cannot read",
        ),
    ] {
        let out = case.run(&args);
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
    assert_eq!(case.json(&["filings", "{case}", "--json"]), before_filings);
    assert_eq!(case.json(&["log", "{case}", "--json"]), before_log);

    // The answers: C removed (with the platform's email), D rejected; A and B removed.
    let record = |filing: &str, listing: i64, outcome: &str, extra: &[&str]| {
        let l = listing.to_string();
        let mut args = vec![
            "filing",
            "outcome",
            "{case}",
            filing,
            &l,
            "--outcome",
            outcome,
            "--date",
            &day,
        ];
        args.extend_from_slice(extra);
        assert_success(&case.run(&args));
    };
    record(
        &ipp_s,
        c_id,
        "removed",
        &["--attach", answer.to_str().expect("path")],
    );
    record(
        &ipp_s,
        d_id,
        "rejected",
        &[
            "--reason",
            "The rights holder's certificate does not cover class 11.",
        ],
    );
    record(&vero_s, a_id, "removed", &[]);
    record(&vero_s, b_id, "removed", &[]);
    let filings = case.json(&["filings", "{case}", "--json"]);
    let c_outcome = &filings[0]["listings"][0]["outcomes"][0];
    assert_eq!(c_outcome["outcome"], "removed");
    assert_eq!(
        c_outcome["attachment_sha256"],
        exhibit_e2e::sha256_hex(&std::fs::read(&answer).expect("eml"))
    );
    assert_eq!(filings[0]["listings"][1]["outcome"], "rejected");

    // The world moves on: A and C come down, B stays up although eBay said removed,
    // C comes back under a new id from the same shop, and a new shop (E) appears.
    h.server.mount(
        &format!("/itm/{EBAY_A}"),
        404,
        Some("text/html"),
        b"<html><body>Not found</body></html>".to_vec(),
    );
    h.server.mount(
        &format!("/item.htm?id={TAOBAO_C}"),
        404,
        Some("text/html"),
        b"<html><body>\xe5\xae\x9d\xe8\xb4\x9d\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</body></html>"
            .to_vec(),
    );
    let out = case.run(&h.net(&["recapture", "{case}", "--json"]));
    assert_success(&out);
    let results: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let result_of = |listing: i64| {
        results
            .as_array()
            .and_then(|a| a.iter().find(|r| r["listing"] == listing))
            .unwrap_or_else(|| panic!("no result for {listing}: {results:#}"))
            .clone()
    };
    assert_eq!(results.as_array().map(Vec::len), Some(4));
    assert_eq!(result_of(a_id)["result"], "removed");
    assert_eq!(result_of(a_id)["listing_id"], EBAY_A);
    assert_eq!(result_of(c_id)["result"], "removed");
    assert_eq!(result_of(d_id)["result"], "live");
    let b = result_of(b_id);
    assert_eq!(b["result"], "live");
    assert_eq!(b["said_removed"][0]["reference"], "VERO-77", "{b:#}");
    assert!(
        b["message"]
            .as_str()
            .is_some_and(|m| m.contains("STILL LIVE")),
        "{b:#}"
    );
    for r in results.as_array().expect("array") {
        for key in ["listing", "listing_id", "capture_id", "status", "changed"] {
            assert!(r.get(key).is_some(), "recapture --json lacks {key}: {r:#}");
        }
    }
    // The 404 captures belong to their listings, and the history shows the change.
    let a_history = case.json(&["listing", "{case}", &a_s, "--json"]);
    let caps = a_history["captures"].as_array().expect("captures");
    assert_eq!(caps.len(), 2, "{a_history:#}");
    assert_eq!(caps[1]["status"], "removed");
    assert_eq!(caps[1]["changed"][0]["field"], "status");

    // The relisting and a new shop, found by the user after the removal.
    let relisted = String::from_utf8_lossy(&page("taobao/taobao-item-562283240178.html"))
        .replace(TAOBAO_C, TAOBAO_C_AGAIN)
        .into_bytes();
    h.server.mount(
        &format!("/item.htm?id={TAOBAO_C_AGAIN}"),
        200,
        Some("text/html; charset=utf-8"),
        relisted,
    );
    h.server.mount(
        &format!("/item.htm?id={TAOBAO_E}"),
        200,
        Some("text/html; charset=utf-8"),
        page("taobao/taobao-item-601465987171-2026-redacted.html"),
    );
    let c2_url = h.url(&format!("/item.htm?id={TAOBAO_C_AGAIN}"));
    let e_url = h.url(&format!("/item.htm?id={TAOBAO_E}"));
    assert_success(&case.run(&h.net(&["capture", "{case}", &c2_url, &e_url])));
    let rows = case.json(&["listings", "{case}", "--json"]);
    let (c2_id, e_id) = (id_of(&rows, TAOBAO_C_AGAIN), id_of(&rows, TAOBAO_E));

    let found = case.json(&["relisted", "{case}", "--json"]);
    let pairs: Vec<(i64, i64)> = found["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| {
            (
                c["original"].as_i64().unwrap_or(0),
                c["relisting"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(pairs, [(c_id, c2_id)], "{found:#}");
    assert!(
        !pairs.iter().any(|p| p.1 == e_id),
        "another shop is not linked"
    );
    let reasons = json::strs(&found["candidates"][0]["reasons"], "kind");
    assert!(
        reasons.iter().any(|k| k.starts_with("same_seller")),
        "{found:#}"
    );
    assert!(reasons.contains(&"same_title"), "{found:#}");
    let out = case.run(&[
        "relisted",
        "{case}",
        "--confirm",
        &format!("{c_id}:{c2_id}"),
    ]);
    assert_success(&out);
    // A pair the case does not suggest cannot be confirmed.
    let out = case.run(&["relisted", "{case}", "--confirm", &format!("{c_id}:{e_id}")]);
    assert_exit(&out, 2);
    let out = case.run(&["relisted", "{case}", "--confirm", "3-7"]);
    assert_exit(&out, 2);

    // The figures, by hand: four reports; A and C removed by capture evidence; B said
    // removed but live; D rejected; the same day throughout, so 0 days to removal; one
    // relisting, of C.
    let s = case.json(&["stats", "{case}", "--json"]);
    assert_eq!(s["reported"], 4, "{s:#}");
    assert_eq!(s["removed"], 2, "{s:#}");
    assert_eq!(s["removed_by_word_only"], 0);
    assert_eq!(s["removed_but_live"], 1);
    assert_eq!(s["rejected"], 1);
    assert_eq!(s["counter_noticed"], 0);
    assert_eq!(s["reinstated"], 0);
    assert_eq!(s["takedown_rate"], 0.5);
    assert_eq!(s["median_days_to_removal"], 0.0);
    assert_eq!(s["relisted"], 1);
    assert_eq!(s["by_venue"]["alibaba-ipp"]["reported"], 2);
    assert_eq!(s["by_venue"]["alibaba-ipp"]["removed"], 1);
    assert_eq!(s["by_venue"]["ebay-vero"]["removed"], 1);
    assert_eq!(s["by_marketplace"]["taobao"]["reported"], 1);
    assert_eq!(s["by_marketplace"]["tmall"]["rejected"], 1);
    assert_eq!(s["good_faith"]["reported"], 2);
    assert_eq!(s["good_faith"]["meets"], false);
    // Removed today: none has been down 30 days yet.
    assert_eq!(s["stay_down_eligible"], 0);
    assert!(s["stay_down_rate"].is_null());
    let later = case.json(&["stats", "{case}", "--json", "--since", "2099-01-01"]);
    assert_eq!(later["reported"], 0);
    let out = case.run(&["stats", "{case}", "--since", "soon"]);
    assert_exit(&out, 2);

    // The agency letter carries the history, and its "what we did" sentence comes from
    // the case when the complaint leaves it out.
    let letter = example_complaint(&case, "agency-letter.toml");
    let text_of = |id: &str| capture_of(id).to_string();
    // The example's captures 1, 2 and 3, renamed at once (one pass, so that a new
    // number is never renamed again).
    let edited = std::fs::read_to_string(&letter)
        .expect("letter")
        .lines()
        .filter(|l| !l.starts_with("prior_takedowns"))
        .map(|l| match l.trim() {
            "capture = 1" => format!("capture = {}", text_of(TAOBAO_C)),
            "capture = 2" => format!("capture = {}", text_of(TMALL_D)),
            "capture = 3" => format!("capture = {}", text_of(EBAY_B)),
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&letter, edited).expect("write letter");
    let letter_out = case.path("letter");
    let report = case.json(&[
        "export",
        "{case}",
        "--complaint",
        letter.to_str().expect("path"),
        "--out",
        letter_out.to_str().expect("path"),
        "--json",
    ]);
    let packet = std::path::PathBuf::from(report["packet"].as_str().expect("packet"));
    let all = pdf_text(&packet, None);
    for needle in [
        "Enforcement history",
        "Filings and outcomes",
        "IPP-2026-0001",
        "VERO-77",
        "Takedown rate",
        "50.0 %",
        "Reported listings, week by week",
        "Still live at the week's end",
        "filed 2 complaints between",
        "still for sale when captured again",
        &format!("taobao listing {TAOBAO_C}"),
        "answered: rejected",
    ] {
        assert!(all.contains(needle), "the packet lacks '{needle}':\n{all}");
    }
    let out = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&packet)
        .output()
        .expect("qpdf");
    assert!(out.status.success(), "qpdf --check: {}", text(&out));
    // The chart is drawn: its page has coloured pixels (the text is black and grey).
    let chart_page = (1..=60)
        .find(|p| pdf_text(&packet, Some(*p)).contains("Reported listings, week by week"))
        .expect("the chart's page");
    assert!(
        coloured_pixels(&packet, chart_page) > 200,
        "the chart is blank"
    );
    // The bundle holds the campaign as data.
    let bundle = std::fs::read(report["bundle"].as_str().expect("bundle")).expect("bundle");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bundle)).expect("zip");
    let campaign: serde_json::Value =
        serde_json::from_reader(zip.by_name("campaign.json").expect("campaign.json"))
            .expect("json");
    assert_eq!(campaign["stats"]["reported"], 4);
    // The weekly figures the chart draws agree with the figures: A and C came down; B,
    // said removed but found live, and D, rejected, are still live at the end.
    let weeks = campaign["weeks"].as_array().expect("weeks");
    let removed: u64 = weeks.iter().filter_map(|w| w["removed"].as_u64()).sum();
    assert_eq!(removed, 2, "{weeks:?}");
    assert_eq!(
        weeks.last().map(|w| w["still_live"].clone()),
        Some(serde_json::json!(2)),
        "{weeks:?}"
    );
    assert_eq!(campaign["filings"].as_array().map(Vec::len), Some(2));
    // The captures that prove the history are exhibits of their own after the
    // complaint's three, each saying what it proves, and the history names them.
    let manifest: serde_json::Value =
        serde_json::from_reader(zip.by_name("manifest.json").expect("manifest.json"))
            .expect("json");
    let exhibits = json::strs(&manifest["captures"], "exhibit");
    assert!(exhibits.len() > 3, "no proving exhibits: {exhibits:?}");
    assert_eq!(exhibits[3], "Exhibit 4", "{exhibits:?}");
    for needle in [
        &format!("confirmed as a relisting of taobao listing {TAOBAO_C}") as &str,
        "relisted as taobao listing",
        "Exhibit 4 (capture #",
        // And a listing's own timeline where it matters (C: live, then removed).
        &format!("taobao listing {TAOBAO_C}: live or removed at each capture"),
    ] {
        // Table cells and paragraphs wrap: compare with the lines joined.
        let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(needle), "the packet lacks '{needle}':\n{all}");
    }
    drop(zip);
    assert_success(&case.run(&["verify-bundle", report["bundle"].as_str().expect("bundle")]));

    // Every step is in the custody log, and the case verifies.
    let log = case.json(&["log", "{case}", "--json"]);
    let steps = ["filing.added", "outcome.recorded", "relisting.decided"];
    let counts = json::count_each(&log, "kind", steps);
    assert_eq!(counts, [2, 4, 1], "{steps:?}");
    assert_success(&case.run(&["verify", "{case}"]));
    let sellers = case.json(&["sellers", "{case}", "--json"]);
    let kbd = sellers
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == "怡科外设KBDfans"))
        .unwrap_or_else(|| panic!("{sellers:#}"));
    assert_eq!(
        kbd["listings"].as_array().map(Vec::len),
        Some(2),
        "C and its relisting: {kbd:#}"
    );

    // A filing edited outside Exhibit is found by verify.
    case.tamper(
        "DROP TRIGGER filings_no_update; UPDATE filings SET reference = 'IPP-FORGED' WHERE reference = 'IPP-2026-0001';",
    );
    let out = case.run(&["verify", "{case}", "--json"]);
    assert_exit(&out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        report["problems"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["code"] == "campaign_changed")),
        "{report:#}"
    );
}

/// A real photograph (`tests/fixtures/photos`, public domain or CC0), decoded.
fn photo(name: &str) -> image::DynamicImage {
    let path = real_pages_dir().join("../photos").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn jpeg(img: &image::DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img.to_rgb8())
        .expect("encode JPEG");
    out
}

/// `img` scaled by `percent` (95: 5 % smaller), as a shop re-uploading it would.
fn scaled(img: &image::DynamicImage, percent: u32) -> image::DynamicImage {
    let f = |n: u32| (n * percent / 100).max(1);
    img.resize_exact(
        f(img.width()),
        f(img.height()),
        image::imageops::FilterType::Triangle,
    )
}

/// A real eBay page with its main picture's URL (every mention of it) replaced.
fn with_main_image(rel: &str, from: &str, to: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(&page(rel)).into_owned();
    assert!(html.contains(from), "{rel} no longer names {from}");
    html.replace(from, to).into_bytes()
}

#[test]
fn a_removed_listing_back_in_another_shop_with_the_same_photo_is_found_by_its_image() {
    const EBAY_C: &str = "226771798999";
    let case = CaseDir::new();
    let h = History::start(&case);
    let html = Some("text/html; charset=utf-8");
    // The photos: A's as its shop served it; B's the same photo with 2 % cut off each
    // edge, 5 % smaller and re-encoded at a lower quality; C's another photo altogether.
    let coffee = photo("coffee.png");
    let a_photo = jpeg(&coffee, 90);
    let (w, ht) = (coffee.width(), coffee.height());
    let trimmed = coffee.crop_imm(w / 50, ht / 50, w - 2 * (w / 50), ht - 2 * (ht / 50));
    let b_photo = jpeg(&scaled(&trimmed, 95), 50);
    let c_photo = jpeg(&photo("rocket.jpg"), 85);
    assert_ne!(a_photo, b_photo);
    let distance = |x: &[u8], y: &[u8]| {
        let hash = |b: &[u8]| exhibit::image_hash(b).expect("the photo hashes");
        (hash(x) ^ hash(y)).count_ones()
    };
    eprintln!(
        "dHash distances: A-B (same photo) {} bits, A-C (another photo) {} bits",
        distance(&a_photo, &b_photo),
        distance(&a_photo, &c_photo)
    );
    for (path, bytes) in [
        ("/photos/a.jpg", &a_photo),
        ("/photos/b.jpg", &b_photo),
        ("/photos/c.jpg", &c_photo),
    ] {
        h.server.mount(path, 200, Some("image/jpeg"), bytes.clone());
    }
    let (a_image, b_image, c_image) = (
        h.server.http_url("/photos/a.jpg"),
        h.server.http_url("/photos/b.jpg"),
        h.server.http_url("/photos/c.jpg"),
    );
    // A: seller bestchoiceproducts. B: seller salomon0651, another title. C: B's shop
    // and title under a new id, with the other photo.
    h.server.mount(
        &format!("/itm/{EBAY_A}"),
        200,
        html,
        with_main_image(
            "ebay/ebay-com-itm-381228738769.html",
            "http://i.ebayimg.com/images/g/xt0AAOSwfC9XOf8d/s-l300.jpg",
            &a_image,
        ),
    );
    const B_PICTURE: &str = "https://i.ebayimg.com/images/g/qvsAAOSwwLFoMPT6/s-l1600.jpg";
    let b_page = "ebay/ebay-com-itm-226771798286-jsonld.html";
    h.server.mount(
        &format!("/itm/{EBAY_B}"),
        200,
        html,
        with_main_image(b_page, B_PICTURE, &b_image),
    );
    h.server.mount(
        &format!("/itm/{EBAY_C}"),
        200,
        html,
        String::from_utf8_lossy(&with_main_image(b_page, B_PICTURE, &c_image))
            .replace(EBAY_B, EBAY_C)
            .into_bytes(),
    );
    let (a_url, b_url, c_url) = (
        h.url(&format!("/itm/{EBAY_A}")),
        h.url(&format!("/itm/{EBAY_B}")),
        h.url(&format!("/itm/{EBAY_C}")),
    );

    // A is captured with its photo, reported, and the platform says it removed it.
    assert_success(&case.run(&h.net(&["capture", "{case}", &a_url])));
    let rows = case.json(&["listings", "{case}", "--json"]);
    let a_id = id_of(&rows, EBAY_A);
    let day = today();
    let filing = case.json(&[
        "filing",
        "add",
        "{case}",
        "--venue",
        "ebay-vero",
        "--reference",
        "VERO-IMG-1",
        "--filed",
        &day,
        "--listings",
        &a_id.to_string(),
        "--json",
    ]);
    let filing_id = filing["id"].as_i64().expect("filing id").to_string();
    assert_success(&case.run(&[
        "filing",
        "outcome",
        "{case}",
        &filing_id,
        &a_id.to_string(),
        "--outcome",
        "removed",
        "--date",
        &day,
    ]));

    // Later, B and C turn up in other shops.
    assert_success(&case.run(&h.net(&["capture", "{case}", &b_url, &c_url])));
    let rows = case.json(&["listings", "{case}", "--json"]);
    let (b_id, c_id) = (id_of(&rows, EBAY_B), id_of(&rows, EBAY_C));
    let (a, b) = (listing(&rows, EBAY_A), listing(&rows, EBAY_B));
    assert_ne!(a["seller_id"], b["seller_id"], "{rows:#}");
    assert_ne!(a["seller"], b["seller"], "{rows:#}");
    let captures = case.captures();
    let capture_of = |url: &str| {
        let c = captures
            .iter()
            .find(|c| c["requested_url"] == url)
            .unwrap_or_else(|| panic!("no capture of {url}"));
        let image = c["artifacts"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["kind"] == "image"))
            .unwrap_or_else(|| panic!("{url} kept no main image: {c:#}"));
        (c["id"].as_i64().expect("id"), image["sha256"].clone())
    };
    let (a_capture, a_sha) = capture_of(&a_url);
    let (b_capture, b_sha) = capture_of(&b_url);
    let (c_capture, _) = capture_of(&c_url);
    assert_eq!(a_sha, exhibit_e2e::sha256_hex(&a_photo).as_str());
    assert_eq!(b_sha, exhibit_e2e::sha256_hex(&b_photo).as_str());
    assert!(
        a["title"].is_string() && a["title"] != b["title"],
        "{rows:#}"
    );

    // B is suggested as A back in another shop, by its image alone, with the distance;
    // C, with another photo, is not.
    let found = case.json(&["relisted", "{case}", "--json"]);
    let candidates = found["candidates"].as_array().expect("candidates");
    let pairs: Vec<(i64, i64)> = candidates
        .iter()
        .map(|c| {
            (
                c["original"].as_i64().unwrap_or(0),
                c["relisting"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(pairs, [(a_id, b_id)], "{found:#}");
    assert!(!pairs.iter().any(|p| p.1 == c_id), "{found:#}");
    let reasons = candidates[0]["reasons"].as_array().expect("reasons");
    assert_eq!(reasons.len(), 1, "the image is the only link: {found:#}");
    let why = &reasons[0];
    assert_eq!(why["kind"], "same_image", "{found:#}");
    assert_eq!(why["algorithm"], "dhash-64-dc");
    assert_eq!(why["original_capture"], a_capture);
    assert_eq!(why["candidate_capture"], b_capture);
    let bits = why["distance"].as_u64().expect("distance");
    assert_eq!(bits, u64::from(distance(&a_photo, &b_photo)));
    assert!(
        bits <= u64::from(exhibit::DEFAULT_IMAGE_THRESHOLD),
        "{bits}"
    );
    assert_ne!(c_capture, b_capture);
    // The words say which captures' images, and how far apart.
    let out = case.run(&["relisted", "{case}"]);
    assert_success(&out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!(
            "same main image: capture #{a_capture} and #{b_capture} are {bits} bits apart (dhash-64-dc)"
        )),
        "{said}"
    );
    assert!(!said.contains(&format!("listing {c_id} ")), "{said}");

    // A case whose images were hashed by the earlier algorithm (`dhash-64`, whose
    // values do not compare with these): `relisted` hashes each kept image again under
    // the new name, once, and finds the same pair.
    assert_eq!(found["hashed_now"], 0, "hashed at capture: {found:#}");
    case.tamper("UPDATE image_hashes SET algorithm = 'dhash-64', hash = '0123456789abcdef';");
    let again = case.json(&["relisted", "{case}", "--json"]);
    assert_eq!(again["hashed_now"], 3, "{again:#}");
    assert_eq!(again["candidates"], found["candidates"], "{again:#}");
    let third = case.json(&["relisted", "{case}", "--json"]);
    assert_eq!(third["hashed_now"], 0, "{third:#}");
}

#[test]
fn filings_refuse_what_they_cannot_stand_behind() {
    let case = CaseDir::new();
    let h = History::start(&case);
    let url = h.url(&format!("/itm/{EBAY_A}"));
    assert_success(&case.run(&h.net(&["capture", "{case}", &url])));
    let id = case.json(&["listings", "{case}", "--json"])[0]["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let day = today();
    let tomorrow_but_one = (chrono::Utc::now() + chrono::Days::new(3))
        .format("%Y-%m-%d")
        .to_string();
    let zeros = "0".repeat(64);
    for (args, code, says) in [
        (
            vec![
                "--venue",
                "myspace",
                "--reference",
                "R",
                "--filed",
                &day,
                "--listings",
                &id,
            ],
            2,
            "no venue 'myspace'",
        ),
        (
            vec![
                "--venue",
                "ebay-vero",
                "--reference",
                " ",
                "--filed",
                &day,
                "--listings",
                &id,
            ],
            2,
            "reference",
        ),
        (
            vec![
                "--venue",
                "ebay-vero",
                "--reference",
                "R",
                "--filed",
                &tomorrow_but_one,
                "--listings",
                &id,
            ],
            2,
            "in the future",
        ),
        (
            vec![
                "--venue",
                "ebay-vero",
                "--reference",
                "R",
                "--filed",
                &day,
                "--listings",
                "77",
            ],
            2,
            "no listing 77",
        ),
        (
            vec![
                "--venue",
                "ebay-vero",
                "--reference",
                "R",
                "--filed",
                &day,
                "--export",
                &zeros,
            ],
            2,
            "No export",
        ),
        (
            vec![
                "--venue",
                "ebay-vero",
                "--reference",
                "R",
                "--filed",
                &day,
                "--export",
                "abc",
            ],
            2,
            "64 hexadecimal",
        ),
        (
            vec![
                "--venue",
                "ebay-vero",
                "--reference",
                "R",
                "--filed",
                &day,
                "--listings",
                "x",
            ],
            2,
            "invalid",
        ),
        (
            vec!["--venue", "ebay-vero", "--reference", "R", "--filed", &day],
            2,
            "--listings",
        ),
    ] {
        let mut full = vec!["filing", "add", "{case}"];
        full.extend(args);
        let out = case.run(&full);
        assert_exit(&out, code);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "expected '{says}':\n{}",
            text(&out)
        );
    }
    assert_eq!(
        case.json(&["filings", "{case}", "--json"]),
        serde_json::json!([])
    );
    // The same reference twice at one venue is one filing.
    let args = [
        "filing",
        "add",
        "{case}",
        "--venue",
        "ebay-vero",
        "--reference",
        "R-1",
        "--filed",
        &day,
        "--listings",
        &id,
    ];
    assert_success(&case.run(&args));
    let out = case.run(&args);
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already recorded"));
    assert!(Path::new(&case.case).exists());
}

fn pdf_text(pdf: &Path, page: Option<u32>) -> String {
    let mut cmd = std::process::Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pixels of one page, drawn at 50 dpi, whose channels differ by more than 60: colour,
/// not the black and grey of text.
fn coloured_pixels(pdf: &Path, page: u32) -> usize {
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "50", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .output()
        .expect("pdftoppm");
    assert!(out.status.success(), "pdftoppm: {}", text(&out));
    // P6, width, height, maxval, then RGB bytes.
    let data = out.stdout;
    let mut fields = 0;
    let mut i = 0;
    while fields < 4 && i < data.len() {
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < data.len() && !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields += 1;
    }
    data[(i + 1).min(data.len())..]
        .chunks_exact(3)
        .filter(|p| {
            let (max, min) = (
                p.iter().max().copied().unwrap_or(0),
                p.iter().min().copied().unwrap_or(0),
            );
            max - min > 60
        })
        .count()
}
