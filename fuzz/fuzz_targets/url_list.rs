//! The URL-list reader (`exhibit capture --from FILE`, the app's "open a list").
//!
//! First byte: bit 0 says whether the file name ends in `.csv`. The rest is the file.
//! What must hold: no panic; a list read is never empty, and every URL in it is
//! non-empty and trimmed, so nothing blank or padded reaches the fetcher.
#![no_main]

use exhibit_domain::parse_url_list;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let csv_by_name = flags & 1 == 1;
    if let Ok(urls) = parse_url_list(bytes, csv_by_name) {
        assert!(!urls.is_empty(), "an empty list was accepted");
        for url in &urls {
            assert!(!url.is_empty(), "an empty URL was returned");
            assert_eq!(url.trim(), url, "an untrimmed URL was returned");
        }
    }
});
