//! A Schedule A filing end to end, through the real binary: three sellers served from
//! the local HTTPS server under their marketplaces' own host names, from real listing
//! pages and the storefront and checkout pages built from real markup
//! (crates/exhibit-extract/tests/fixtures/built-pages):
//!
//! - Doe 1, AliExpress: listing, storefront with its location, checkout to Chicago and
//!   a test purchase shipped there, with its order confirmation;
//! - Doe 2, Amazon: listing, storefront with its business address and checkout to
//!   Chicago, but no test purchase; its listing shows the same photo as Doe 1's;
//! - Doe 3, Taobao: a listing captured, then found behind a verification wall.
//!
//! The export must write Schedule A for the clerk, print it in the packet, lay out each
//! defendant's exhibit in the fixed order on the pages its master index names, warn
//! about Doe 2 and Doe 3 only, and report the photo Doe 1 and Doe 2 share.

use std::path::{Path, PathBuf};
use std::process::Command;

use exhibit_e2e::cli::{CaseDir, assert_success, example_complaint, text};
use exhibit_e2e::pictures::page_png;
use exhibit_e2e::{TestServer, real_pages_dir};

const ALI: &str = "32993251330";
const AMAZON: &str = "B07G2L3JMM";
const TAOBAO: &str = "562283240178";
const TIME: &str = "2026-11-28T12:00:00Z";
const HTML: Option<&str> = Some("text/html; charset=utf-8");

fn real(rel: &str) -> Vec<u8> {
    let path = real_pages_dir().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn built(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/exhibit-extract/tests/fixtures/built-pages")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `page` with every mention of `from` replaced by `to`.
fn replaced(page: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(&page).into_owned();
    assert!(html.contains(from), "the page no longer names {from}");
    html.replace(from, to).into_bytes()
}

/// A real photograph as JPEG: the product photo two sellers share.
fn photo() -> Vec<u8> {
    let path = real_pages_dir().join("../photos/coffee.png");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let img = image::load_from_memory(&bytes).expect("decode the photo");
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img.to_rgb8())
        .expect("encode JPEG");
    out
}

fn pdftotext(pdf: &Path, layout: bool) -> String {
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Market {
    server: TestServer,
    port: u16,
    net: Vec<String>,
}

impl Market {
    fn start(case: &CaseDir) -> Market {
        let server = TestServer::start();
        let ca = server.write_ca_pem(case.dir.path());
        let port = server.https_port();
        let mut net: Vec<String> = ["www.aliexpress.com", "www.amazon.com", "item.taobao.com"]
            .iter()
            .flat_map(|h| ["--resolve".to_owned(), format!("{h}:{port}:127.0.0.1")])
            .collect();
        net.extend(["--ca-cert".to_owned(), ca.to_string_lossy().into_owned()]);
        Market { server, port, net }
    }

    fn url(&self, host: &str, path: &str) -> String {
        format!("https://{host}:{}{path}", self.port)
    }

    /// Captures one URL over HTTP, alone, so capture ids follow the order of the calls.
    fn capture(&self, case: &CaseDir, url: &str) {
        let mut args = vec!["capture", "{case}", url];
        args.extend(self.net.iter().map(String::as_str));
        assert_success(&case.run(&args));
    }
}

fn listing_id(case: &CaseDir, marketplace_id: &str) -> i64 {
    let rows = case.json(&["listings", "{case}", "--json"]);
    rows.as_array()
        .and_then(|a| a.iter().find(|r| r["listing_id"] == marketplace_id))
        .and_then(|r| r["id"].as_i64())
        .unwrap_or_else(|| panic!("no listing {marketplace_id}: {rows:#}"))
}

/// A master index row as `pdftotext -layout` prints it, "Doe 2  …  ACME000007 to
/// ACME000009": the Doe number and the Bates numbers of its first and last page.
fn index_row(line: &str) -> Option<(usize, usize, usize)> {
    let rest = line.trim_start().strip_prefix("Doe ")?;
    let doe: usize = rest.split_whitespace().next()?.parse().ok()?;
    let (left, right) = rest.split_once(" to ")?;
    let six = |token: &str| -> Option<usize> {
        let digits = token.get(token.len().checked_sub(6)?..)?;
        digits.parse().ok()
    };
    let first = six(left.split_whitespace().last()?)?;
    let last = six(right.split_whitespace().next()?)?;
    Some((doe, first, last))
}

#[test]
fn a_schedule_a_filing_groups_the_evidence_per_defendant() {
    let case = CaseDir::new();
    let m = Market::start(&case);
    let shared_photo = photo();
    m.server
        .mount("/photos/lantern.jpg", 200, Some("image/jpeg"), shared_photo);

    // The listings, each with the photo the two first sellers share.
    let ali_item = format!("/item/{ALI}.html");
    m.server.mount(
        &ali_item,
        200,
        HTML,
        replaced(
            real("aliexpress/aliexpress-he-item-32993251330.html"),
            "https://ae01.alicdn.com/kf/HTB1.DiLM7voK1RjSZFDq6xY3pXam/Apple-iPhone-SE-A9-Dual-Core-2GB-RAM-16.jpg",
            &m.url("www.aliexpress.com", "/photos/lantern.jpg"),
        ),
    );
    let amazon_item = format!("/dp/{AMAZON}");
    m.server.mount(
        &amazon_item,
        200,
        HTML,
        replaced(
            real("amazon/amazon-com-B07G2L3JMM-3p-seller.html"),
            "https://images-na.ssl-images-amazon.com/images/I/71mo6NjnxaL._AC_SL1500_.jpg",
            &m.url("www.amazon.com", "/photos/lantern.jpg"),
        ),
    );
    let taobao_item = format!("/item.htm?id={TAOBAO}");
    m.server.mount(
        &taobao_item,
        200,
        HTML,
        real("taobao/taobao-item-562283240178.html"),
    );
    // The storefronts and checkouts.
    let ali_store = "/store/1392990";
    let ali_checkout = format!("/p/trade/confirm.html?productIds={ALI}&objectId={ALI}");
    let amazon_store = "/sp?seller=A3EL5JZNMT8SZ7";
    let amazon_checkout = "/gp/buy/spc/handlers/display.html?hasWorkingJavascript=1";
    m.server.mount(
        ali_store,
        200,
        HTML,
        built("aliexpress/aliexpress-store-1392990.html"),
    );
    m.server.mount(
        &ali_checkout,
        200,
        HTML,
        built("aliexpress/aliexpress-checkout-32993251330.html"),
    );
    m.server.mount(
        amazon_store,
        200,
        HTML,
        built("amazon/amazon-com-sp-seller-A3EL5JZNMT8SZ7.html"),
    );
    m.server.mount(
        amazon_checkout,
        200,
        HTML,
        built("amazon/amazon-com-checkout-spc-B07G2L3JMM.html"),
    );

    for (host, path) in [
        ("www.aliexpress.com", ali_item.as_str()),
        ("www.amazon.com", amazon_item.as_str()),
        ("item.taobao.com", taobao_item.as_str()),
        ("www.aliexpress.com", ali_store),
        ("www.aliexpress.com", ali_checkout.as_str()),
        ("www.amazon.com", amazon_store),
        ("www.amazon.com", amazon_checkout),
    ] {
        m.capture(&case, &m.url(host, path));
    }
    // Doe 3's listing, taken again, is behind a QR-code verification wall now.
    let taobao = listing_id(&case, TAOBAO);
    m.server.mount(
        &taobao_item,
        200,
        HTML,
        real("taobao/taobao-h5-item-punish-deny-qrcode-redacted.html"),
    );
    let taobao_arg = taobao.to_string();
    let mut args = vec![
        "recapture",
        "{case}",
        "--listings",
        taobao_arg.as_str(),
        "--mode",
        "http",
    ];
    args.extend(m.net.iter().map(String::as_str));
    let out = case.run(&args);
    assert!(text(&out).contains("1 blocked"), "{}", text(&out));

    // Doe 1's test purchase, shipped to Chicago, with its order confirmation.
    let ali = listing_id(&case, ALI).to_string();
    let p = case.json(&[
        "purchase",
        "add",
        "{case}",
        "--listing",
        &ali,
        "--order",
        "8100123456",
        "--date",
        "2026-11-02",
        "--amount",
        "115.90",
        "--currency",
        "USD",
        "--ship-to",
        "233 S Wacker Dr, Chicago, IL, US",
        "--buyer",
        "chicago-buyer-07",
        "--payment",
        "4242",
        "--json",
    ]);
    let purchase = p["id"].as_i64().expect("purchase id").to_string();
    assert_success(&case.run(&[
        "purchase",
        "update",
        "{case}",
        &purchase,
        "--tracking",
        "LX123456789CN",
        "--carrier",
        "China Post",
        "--ship-from",
        "Shenzhen, Guangdong, CN",
        "--delivered",
        "2026-11-20",
    ]));
    let order_png = case.path("order-confirmation.png");
    std::fs::write(&order_png, page_png(900, 1200, 7)).expect("write the order PNG");
    assert_success(&case.run(&[
        "purchase",
        "attach",
        "{case}",
        &purchase,
        "--kind",
        "order",
        order_png.to_str().expect("path"),
    ]));
    assert_success(&case.run(&[
        "purchase",
        "verdict",
        "{case}",
        &purchase,
        "--verdict",
        "counterfeit",
        "--by",
        "Jane Doe",
        "--method",
        "side by side with a genuine ACME Model 7",
    ]));

    // The seller view says what each one lacks.
    let sellers = case.json(&["sellers", "{case}", "--json"]);
    assert_eq!(sellers.as_array().map(Vec::len), Some(3), "{sellers:#}");

    // The export.
    let complaint = example_complaint(&case, "schedule-a.toml");
    let out_dir = case.path("out");
    let check = case.run(&["complaint", "{case}", complaint.to_str().expect("path")]);
    assert_success(&check);
    let check_text = text(&check);
    let report = case.json(&[
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
    assert_eq!(report["defendants"], 3, "{report:#}");

    // Warnings for Doe 2 and Doe 3, none for Doe 1, in the check and the export alike.
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    let about =
        |doe: &str| -> Vec<&String> { warnings.iter().filter(|w| w.starts_with(doe)).collect() };
    assert!(about("Doe 1 ").is_empty(), "{warnings:#?}");
    let doe2 = about("Doe 2 ");
    assert_eq!(doe2.len(), 1, "{warnings:#?}");
    assert!(
        doe2[0].contains("no test purchase shows a sale there"),
        "{doe2:?}"
    );
    let doe3 = about("Doe 3 ");
    assert!(
        doe3.iter()
            .any(|w| w.contains("nothing shows a sale into US-IL"))
            && doe3.iter().any(|w| w.contains("no storefront"))
            && doe3.iter().any(|w| w.contains("last captured blocked")),
        "{doe3:#?}"
    );
    for w in &warnings {
        assert!(
            check_text.contains(w.split(':').next().unwrap_or_default()),
            "{check_text}"
        );
    }

    // Schedule A for the clerk: the three defendants in order.
    let csv_path = PathBuf::from(report["schedule_a_csv"].as_str().expect("csv path"));
    assert_eq!(csv_path, out_dir.join("schedule-a.csv"));
    let csv = std::fs::read_to_string(&csv_path).expect("read the CSV");
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        rows[0],
        "Doe,Seller alias,Seller ID,Store URL,Marketplace,Listing URLs"
    );
    assert_eq!(
        rows[1],
        format!(
            "1,\"Summer Technology Co.,Ltd.\",1392990,{},AliExpress,{}",
            m.url("www.aliexpress.com", ali_store),
            m.url("www.aliexpress.com", &ali_item)
        )
    );
    assert_eq!(
        rows[2],
        format!(
            "2,Direct ChangM,A3EL5JZNMT8SZ7,{},Amazon,{}",
            m.url("www.amazon.com", amazon_store),
            m.url("www.amazon.com", &amazon_item)
        )
    );
    assert_eq!(
        rows[3],
        format!(
            "3,怡科外设KBDfans,64592671,,Taobao,{}",
            m.url("item.taobao.com", &taobao_item)
        )
    );
    assert_eq!(rows.len(), 4, "{csv}");

    // The packet prints the table, the index and each defendant's exhibit in order.
    let packet = PathBuf::from(report["packet"].as_str().expect("packet path"));
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&packet)
        .output()
        .expect("qpdf");
    assert!(qpdf.status.success(), "qpdf: {}", text(&qpdf));
    let whole = pdftotext(&packet, true);
    let pages: Vec<&str> = whole.split('\x0c').collect();
    let page_of = |needle: &str| -> usize {
        pages
            .iter()
            .position(|p| p.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("no page shows {needle:?}"))
    };
    let schedule = page_of("Schedule A\n");
    for (doe, id) in [("1", "1392990"), ("2", "A3EL5JZNMT8SZ7"), ("3", "64592671")] {
        assert!(
            pages[schedule - 1].contains(id) || pages[schedule].contains(id),
            "Schedule A does not show Doe {doe}'s seller id {id}"
        );
    }
    let index = page_of("Each defendant's exhibit, in the order of Schedule A");
    let mut ranges = Vec::new();
    for line in pages[index - 1].lines() {
        if let Some(r) = index_row(line) {
            ranges.push(r);
        }
    }
    assert_eq!(
        ranges.iter().map(|r| r.0).collect::<Vec<_>>(),
        [1, 2, 3],
        "{}",
        pages[index - 1]
    );
    let titles = [
        "Doe 1: Summer Technology Co.,Ltd.",
        "Doe 2: Direct ChangM",
        "Doe 3: 怡科外设KBDfans",
    ];
    for (i, (_, first, last)) in ranges.iter().enumerate() {
        // The Bates numbers count pages from 1, as the packet's pages do.
        assert!(
            pages[first - 1].contains(titles[i]),
            "page {first}: {}",
            pages[first - 1]
        );
        assert!(!pages[*last].contains(titles[i]) || i + 1 == titles.len());
        if let Some(next) = titles.get(i + 1) {
            assert_eq!(
                *last + 1,
                ranges[i + 1].1,
                "Doe {} ends where Doe {} starts",
                i + 1,
                i + 2
            );
            assert!(
                pages[*last].contains(next),
                "page {}: {}",
                last + 1,
                pages[*last]
            );
        }
    }
    // Doe 1's exhibit: listing, storefront, checkout, purchase, in that order.
    let (_, first, last) = ranges[0];
    let doe1: Vec<&str> = pages[first - 1..last].to_vec();
    let at = |needle: &str| {
        doe1.iter()
            .position(|p| p.contains(needle))
            .unwrap_or_else(|| panic!("Doe 1's exhibit lacks {needle:?}"))
    };
    let order = [
        at("Right infringed"),
        at("Listing (Exhibit 1)"),
        at("Storefront (Exhibit 2)"),
        at("Checkout (Exhibit 3)"),
        at("Test purchase: order 8100123456"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(doe1.concat().contains("Guangdong, China"));
    assert!(doe1.concat().contains("US-IL, in the forum"));
    // The declaration names each defendant's exhibits and the purchase.
    assert!(
        whole.contains("order 8100123456 was placed with Doe 1"),
        "declaration"
    );

    // The joinder report: Doe 1 and Doe 2 share the photo; Doe 3 has none to compare.
    let joinder = PathBuf::from(report["joinder_report"].as_str().expect("joinder path"));
    let jtext = pdftotext(&joinder, false);
    assert!(jtext.contains("the same product image"), "{jtext}");
    let bundle = PathBuf::from(report["bundle"].as_str().expect("bundle path"));
    let zip = std::fs::File::open(&bundle).expect("open the bundle");
    let mut zip = zip::ZipArchive::new(zip).expect("read the bundle");
    let data: serde_json::Value = {
        let entry = zip.by_name("schedule-a.json").expect("schedule-a.json");
        serde_json::from_reader(entry).expect("parse schedule-a.json")
    };
    let pair = data["joinder"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["a"] == 1 && p["b"] == 2))
        .expect("pair 1-2");
    assert!(
        pair["shared"]
            .as_array()
            .is_some_and(|s| s.iter().any(|f| f["what"] == "image")),
        "{pair:#}"
    );
    assert!(zip.by_name("schedule-a.csv").is_ok() && zip.by_name("joinder-report.pdf").is_ok());
    let order_in_bundle = format!("purchases/purchase-{purchase}/order-confirmation.png");
    assert!(zip.by_name(&order_in_bundle).is_ok(), "{order_in_bundle}");
    drop(zip);
    assert_success(&case.run(&["verify-bundle", bundle.to_str().expect("path")]));
}

/// An Alibaba complaint that names a test purchase gets its test-buy report: the order,
/// the listing, the photo of the product, how it was verified and a place for the
/// signature and the company seal; the bundle keeps the report and the purchase's files.
/// A complaint naming an order the case does not hold, or one found genuine, is refused.
#[test]
fn an_alibaba_complaint_attaches_the_test_buy_report() {
    let case = CaseDir::new();
    let m = Market::start(&case);
    let item = format!("/item.htm?id={TAOBAO}");
    m.server.mount(
        &item,
        200,
        HTML,
        real("taobao/taobao-item-562283240178.html"),
    );
    m.capture(&case, &m.url("item.taobao.com", &item));
    let listing = listing_id(&case, TAOBAO).to_string();
    let add = |order: &str| -> String {
        let p = case.json(&[
            "purchase",
            "add",
            "{case}",
            "--listing",
            &listing,
            "--order",
            order,
            "--date",
            "2026-11-02",
            "--amount",
            "149.00",
            "--currency",
            "CNY",
            "--ship-to",
            "Hangzhou, ZJ, CN",
            "--json",
        ]);
        p["id"].as_i64().expect("purchase id").to_string()
    };
    let bought = add("3301998877");
    let genuine = add("3301000001");
    let photo_path = case.path("product.jpg");
    std::fs::write(&photo_path, photo()).expect("write the photo");
    assert_success(&case.run(&[
        "purchase",
        "attach",
        "{case}",
        &bought,
        "--kind",
        "product-photo",
        photo_path.to_str().expect("path"),
    ]));
    for (p, verdict) in [(&bought, "counterfeit"), (&genuine, "genuine")] {
        assert_success(&case.run(&[
            "purchase",
            "verdict",
            "{case}",
            p,
            "--verdict",
            verdict,
            "--by",
            "Jane Doe",
            "--method",
            "weighed it and compared the stitching with a genuine unit",
        ]));
    }

    let complaint = example_complaint(&case, "alibaba-ipp.toml");
    let base = std::fs::read_to_string(&complaint).expect("read the complaint");
    let with_order = |order: &str| {
        std::fs::write(
            &complaint,
            base.replace(
                "[alibaba]\n",
                &format!("[alibaba]\ntest_purchase = \"{order}\"\n"),
            ),
        )
        .expect("write the complaint");
    };
    let out_dir = case.path("out");
    let export = || {
        case.run(&[
            "export",
            "{case}",
            "--complaint",
            complaint.to_str().expect("path"),
            "--out",
            out_dir.to_str().expect("path"),
            "--time",
            TIME,
            "--json",
        ])
    };
    // Refused: an order the case does not hold, and one found genuine; nothing written.
    for (order, says) in [
        ("999", "No test purchase with order number 999"),
        ("3301000001", "found genuine"),
    ] {
        with_order(order);
        let out = export();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains(says), "{}", text(&out));
        assert!(
            !out_dir.exists() || std::fs::read_dir(&out_dir).map(|d| d.count()).ok() == Some(0)
        );
    }

    with_order("3301998877");
    let out = export();
    assert_success(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let pdf = PathBuf::from(report["test_buy_report"].as_str().expect("report path"));
    let t = pdftotext(&pdf, false);
    for needle in [
        "Test purchase report: order 3301998877",
        "CNY 149.00",
        "Result: counterfeit",
        "Company seal",
        "Acme Lantern Co.",
        TAOBAO,
    ] {
        assert!(t.contains(needle), "the report lacks {needle:?}: {t}");
    }
    let images = Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .expect("pdfimages");
    let listed = String::from_utf8_lossy(&images.stdout).lines().count();
    assert!(
        listed >= 3,
        "the product photo is printed: {}",
        text(&images)
    );
    let bundle = PathBuf::from(report["bundle"].as_str().expect("bundle path"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&bundle).expect("open the bundle"))
        .expect("read the bundle");
    assert!(zip.by_name("test-buy-report.pdf").is_ok());
    assert!(
        zip.by_name(&format!("purchases/purchase-{bought}/product.jpg"))
            .is_ok()
    );
    drop(zip);
    assert_success(&case.run(&["verify-bundle", bundle.to_str().expect("path")]));
}
