//! Print the extraction of saved pages as JSON lines, with timings.
//!
//! `cargo run --release -p exhibit-extract --example extract_file -- [--url URL] [--ct TYPE|none]
//! [--status N|none] [--repeat N] [--visible] FILE...`

use exhibit_extract::{Page, extract};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut url = url::Url::parse("http://127.0.0.1:8000/page.html").expect("default url");
    let mut repeat = 1usize;
    let mut show_visible = false;
    let mut content_type: Option<String> = Some("text/html".to_owned());
    let mut status: Option<u16> = Some(200);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--url" => {
                let u = args.next().expect("--url needs a value");
                url = url::Url::parse(&u).expect("valid --url");
                continue;
            }
            "--ct" => {
                content_type = args.next().filter(|c| c != "none");
                continue;
            }
            "--status" => {
                status = args.next().and_then(|n| n.parse().ok());
                continue;
            }
            "--visible" => {
                show_visible = true;
                continue;
            }
            "--repeat" => {
                repeat = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--repeat needs a number");
                continue;
            }
            _ => {}
        }
        let body = std::fs::read(&a).expect("read file");
        let start = Instant::now();
        let mut ex = None;
        for _ in 0..repeat {
            let page = Page {
                url: &url,
                http_status: status,
                content_type: content_type.as_deref(),
                body: &body,
            };
            ex = Some(extract(&page));
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / repeat as f64;
        let json = serde_json::to_string(&ex).expect("serialise");
        println!("{a}\t{:.1} ms\t{json}", ms);
        if show_visible {
            let (text, _) = exhibit_extract::decode(&body, None);
            let vis = exhibit_extract::visible_text(&text);
            let head: String = vis.chars().take(300).collect();
            println!("  visible: {} chars: {head}", vis.chars().count());
        }
    }
}
