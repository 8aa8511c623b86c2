//! From one page to all of a seller's listings, through the real binary: a real eBay
//! search page served by a local HTTPS server as `www.ebay.com` (its result links
//! pointed at the same server), captured; `discover` lists the listings it links to,
//! none in the case; `capture --discovered-from` takes them, each capture noting the
//! page it was found on; `discover` then finds every one in the case. And hostile input:
//! a page of 100,000 links with script in their text, a capture that is no store or
//! search page, an unknown capture id.

use exhibit_e2e::cli::{CaseDir, assert_exit, assert_success, text};
use exhibit_e2e::{TestServer, real_pages_dir};
use serde_json::Value;

const SEARCH_PAGE: &str = "ebay/ebay-com-search-wireless-earbuds.html";
const LISTING_PAGE: &str = "ebay/ebay-com-itm-381228738769.html";
const LISTING_PAGE_ID: &str = "381228738769";
const SEARCH_PATH: &str = "/sch/i.html?_nkw=wireless+earbuds&_sop=12";

fn page(rel: &str) -> String {
    let bytes =
        std::fs::read(real_pages_dir().join(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("fixture {rel} is not UTF-8: {e}"))
}

/// The eBay ids read off the search page by hand, in page order (the extractor's record).
fn recorded_ids() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/exhibit-extract/tests/listing_links.json");
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .expect("listing_links.json parses");
    record["pages"][SEARCH_PAGE]["listing_ids"]
        .as_array()
        .expect("ids of the eBay search page")
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect()
}

/// `html` with every `https://www.ebay.com/itm/ID?...` link sent to `https://www.ebay.com:PORT/itm/ID`
/// (the query dropped, so each link is one path the server answers).
fn point_items_at(html: &str, port: u16) -> String {
    const ITEM: &str = "https://www.ebay.com/itm/";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ITEM) {
        out.push_str(&rest[..at]);
        let after = &rest[at + ITEM.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let end = after[digits..]
            .find(['"', '\''])
            .map_or(after.len(), |q| digits + q);
        out.push_str(&format!(
            "https://www.ebay.com:{port}/itm/{}",
            &after[..digits]
        ));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

struct Shop {
    server: TestServer,
    net: Vec<String>,
}

impl Shop {
    fn start(case: &CaseDir) -> Shop {
        let server = TestServer::start();
        let ca = server.write_ca_pem(case.dir.path());
        let port = server.https_port();
        let net = vec![
            "--resolve".to_owned(),
            format!("www.ebay.com:{port}:127.0.0.1"),
            "--ca-cert".to_owned(),
            ca.to_string_lossy().into_owned(),
        ];
        Shop { server, net }
    }

    fn url(&self, path: &str) -> String {
        format!("https://www.ebay.com:{}{path}", self.server.https_port())
    }

    fn run(&self, case: &CaseDir, args: &[&str]) -> std::process::Output {
        let mut v: Vec<&str> = args.to_vec();
        v.extend(self.net.iter().map(String::as_str));
        case.run(&v)
    }
}

fn capture_ids(case: &CaseDir) -> Vec<i64> {
    case.captures()
        .iter()
        .map(|c| c["id"].as_i64().expect("id"))
        .collect()
}

/// The one capture of `url`'s id.
fn capture_of(case: &CaseDir, url: &str) -> i64 {
    let found: Vec<i64> = case
        .captures()
        .iter()
        .filter(|c| c["requested_url"] == url)
        .map(|c| c["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(found.len(), 1, "captures of {url}: {found:?}");
    found[0]
}

#[test]
fn a_search_page_leads_to_its_listings_and_each_capture_names_the_page() {
    let case = CaseDir::new();
    let shop = Shop::start(&case);
    let port = shop.server.https_port();
    let html = Some("text/html; charset=utf-8");
    shop.server.mount(
        SEARCH_PATH,
        200,
        html,
        point_items_at(&page(SEARCH_PAGE), port).into_bytes(),
    );
    let ids = recorded_ids();
    assert!(
        ids.len() > 50,
        "the search page links to {} listings",
        ids.len()
    );
    let listing = page(LISTING_PAGE);
    for id in &ids {
        shop.server.mount(
            &format!("/itm/{id}"),
            200,
            html,
            listing.replace(LISTING_PAGE_ID, id).into_bytes(),
        );
    }

    let search_url = shop.url(SEARCH_PATH);
    assert_success(&shop.run(&case, &["capture", "{case}", &search_url]));
    let search = capture_of(&case, &search_url);

    // Every listing the page links to, in page order, none in the case yet.
    let found = case.json(&["discover", "{case}", &search.to_string(), "--json"]);
    assert_eq!(found["capture_id"], search);
    assert_eq!(found["page_kind"], "search");
    assert_eq!(found["marketplace"], "ebay");
    assert_eq!(found["in_case"], 0);
    assert_eq!(found["cut"], false);
    let listings = found["listings"].as_array().expect("listings");
    let got: Vec<&str> = listings
        .iter()
        .map(|l| l["listing_id"].as_str().expect("listing_id"))
        .collect();
    assert_eq!(got, ids, "{found:#}");
    for l in listings {
        assert_eq!(l["marketplace"], "ebay");
        assert_eq!(l["in_case"], false);
        assert_eq!(l["case_listing"], Value::Null);
        assert_eq!(
            l["url"].as_str(),
            Some(
                shop.url(&format!(
                    "/itm/{}",
                    l["listing_id"].as_str().unwrap_or_default()
                ))
                .as_str()
            )
        );
    }
    // The text form says the same in a headline.
    let out = case.run(&["discover", "{case}", &search.to_string()]);
    assert_success(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "Capture {search} is a search page on ebay: it links to {} listings, 0 already in the case.",
            ids.len()
        )),
        "{}",
        text(&out)
    );

    // Capture the ones the case lacks: each gets one capture that names the page.
    let before = capture_ids(&case);
    let out = shop.run(
        &case,
        &[
            "capture",
            "{case}",
            "--discovered-from",
            &search.to_string(),
            "--concurrency",
            "8",
        ],
    );
    assert_success(&out);
    let new: Vec<i64> = capture_ids(&case)
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(new.len(), ids.len(), "{}", text(&out));
    for id in &new {
        let shown = case.json(&["show", "{case}", &id.to_string(), "--json"]);
        assert_eq!(shown["context"]["discovered_from"], search, "{shown:#}");
        assert_eq!(shown["status"], "ok", "{shown:#}");
    }

    // Now the case holds every one, under its own listing.
    let again = case.json(&["discover", "{case}", &search.to_string(), "--json"]);
    assert_eq!(again["in_case"], ids.len());
    let rows = case.json(&["listings", "{case}", "--json"]);
    for l in again["listings"].as_array().expect("listings") {
        assert_eq!(l["in_case"], true, "{l:#}");
        let row = rows
            .as_array()
            .and_then(|r| r.iter().find(|r| r["listing_id"] == l["listing_id"]))
            .unwrap_or_else(|| panic!("no listing row for {l:#}"));
        assert_eq!(l["case_listing"], row["id"]);
    }

    // A second run has nothing left to take.
    let out = shop.run(
        &case,
        &[
            "capture",
            "{case}",
            "--discovered-from",
            &search.to_string(),
        ],
    );
    assert_success(&out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Nothing to capture"),
        "{}",
        text(&out)
    );
    assert_eq!(capture_ids(&case).len(), before.len() + ids.len());
}

/// The one line of stderr of a refused command, and that it is one sentence.
fn refused(out: &std::process::Output) -> String {
    assert_exit(out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    assert_eq!(stderr.lines().count(), 1, "{}", text(out));
    assert!(!stderr.contains("panicked"), "{}", text(out));
    stderr
}

#[test]
fn hostile_pages_and_wrong_ids() {
    let case = CaseDir::new();
    let shop = Shop::start(&case);
    let html = Some("text/html; charset=utf-8");

    // 100,000 listing links, each with script in its text and its href.
    let mut big =
        String::from("<!doctype html><html><head><title>eBay search</title></head><body>");
    for i in 0..100_000u64 {
        big.push_str(&format!(
            "<a href=\"/itm/{}?q=%3Cscript%3E\"><script>alert({i})</script>item</a>\n",
            200_000_000_000 + i
        ));
    }
    big.push_str("</body></html>");
    let big_path = "/sch/i.html?_nkw=everything";
    shop.server.mount(big_path, 200, html, big.into_bytes());
    let big_url = shop.url(big_path);
    assert_success(&shop.run(&case, &["capture", "{case}", &big_url]));
    let big_id = capture_of(&case, &big_url);
    let found = case.json(&["discover", "{case}", &big_id.to_string(), "--json"]);
    let listings = found["listings"].as_array().expect("listings");
    assert_eq!(listings.len(), 500, "{}", found["notes"]);
    assert_eq!(found["cut"], true);
    assert_eq!(listings[0]["listing_id"], "200000000000");
    assert_eq!(listings[499]["listing_id"], "200000000499");
    assert!(
        found["notes"][0]
            .as_str()
            .is_some_and(|n| n.contains("more than 500 listings")),
        "{found:#}"
    );
    for l in listings {
        let url = l["url"].as_str().expect("url");
        assert!(!url.contains('<') && !url.contains("script>"), "{url}");
    }

    // A listing page is no store or search page.
    let item_path = format!("/itm/{LISTING_PAGE_ID}");
    shop.server
        .mount(&item_path, 200, html, page(LISTING_PAGE).into_bytes());
    let item_url = shop.url(&item_path);
    assert_success(&shop.run(&case, &["capture", "{case}", &item_url]));
    let item = capture_of(&case, &item_url);
    let message = refused(&case.run(&["discover", "{case}", &item.to_string()]));
    assert!(
        message.contains(&format!(
            "Capture {item} is a listing page, not a store or search page"
        )),
        "{message}"
    );
    let before = capture_ids(&case);
    let message = refused(&shop.run(
        &case,
        &["capture", "{case}", "--discovered-from", &item.to_string()],
    ));
    assert!(message.contains("not a store or search page"), "{message}");
    assert_eq!(capture_ids(&case), before, "a refused capture took nothing");

    // An unknown capture id.
    let message = refused(&case.run(&["discover", "{case}", "9999", "--json"]));
    assert!(message.contains("no capture 9999"), "{message}");
    let message = refused(&shop.run(&case, &["capture", "{case}", "--discovered-from", "9999"]));
    assert!(message.contains("no capture 9999"), "{message}");

    // URLs and --discovered-from do not mix.
    let out = case.run(&[
        "capture",
        "{case}",
        &item_url,
        "--discovered-from",
        &big_id.to_string(),
    ]);
    assert_exit(&out, 2);
    assert_eq!(capture_ids(&case), before);
}
