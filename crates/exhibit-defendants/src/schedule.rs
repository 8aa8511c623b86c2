//! Schedule A itself: one row per defendant, for the packet and for the clerk.

use exhibit_venues::text::one_line;
use serde::{Deserialize, Serialize};

use crate::model::Defendant;

/// One row of Schedule A. Courts describe defendants by seller name, URL "and
/// sometimes a seller ID"; this carries all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScheduleRow {
    pub doe: usize,
    pub alias: String,
    pub seller_id: String,
    pub store_url: String,
    pub marketplace: String,
    pub listing_urls: Vec<String>,
}

/// The rows, in Doe order, every value on one line.
pub fn schedule_rows(defendants: &[Defendant]) -> Vec<ScheduleRow> {
    let mut rows: Vec<ScheduleRow> = defendants
        .iter()
        .map(|d| ScheduleRow {
            doe: d.doe,
            alias: one_line(&d.alias),
            seller_id: d.seller_id.as_deref().map(one_line).unwrap_or_default(),
            store_url: d.store_url.as_deref().map(one_line).unwrap_or_default(),
            marketplace: one_line(exhibit_venues::marketplace_label(&d.marketplace)),
            listing_urls: d.listings.iter().map(|l| one_line(&l.url)).collect(),
        })
        .collect();
    rows.sort_by_key(|r| r.doe);
    rows
}

/// The header of Schedule A, in `schedule-a.csv` and in the packet's table.
pub const CSV_HEADER: [&str; 6] = [
    "Doe",
    "Seller alias",
    "Seller ID",
    "Store URL",
    "Marketplace",
    "Listing URLs",
];

/// Schedule A as CSV (RFC 4180: CRLF line ends, fields quoted where needed), one
/// listing URL per line inside its cell. A cell that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed
/// with `'`: a seller alias is the seller's own text.
pub fn schedule_csv(defendants: &[Defendant]) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_HEADER.iter().map(|s| s.to_string()));
    for r in schedule_rows(defendants) {
        push_row(
            &mut out,
            [
                r.doe.to_string(),
                r.alias,
                r.seller_id,
                r.store_url,
                r.marketplace,
                r.listing_urls.join("\n"),
            ],
        );
    }
    out
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}

fn csv_cell(s: &str) -> String {
    let mut s = s.to_string();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DefendantListing;

    #[test]
    fn the_csv_quotes_lists_and_defuses_formulas() {
        let ds = vec![
            Defendant {
                doe: 2,
                marketplace: "amazon".into(),
                alias: "=HYPERLINK(\"http://evil\")".into(),
                seller_id: Some("A2NQK4TIWYJD6B".into()),
                listings: vec![DefendantListing {
                    url: "https://www.amazon.com/dp/B07G2L3JMM".into(),
                    ..DefendantListing::default()
                }],
                ..Defendant::default()
            },
            Defendant {
                doe: 1,
                marketplace: "aliexpress".into(),
                alias: "Lantern, \"Best\" Store\u{202E}".into(),
                store_url: Some("https://www.aliexpress.com/store/1101".into()),
                listings: vec![
                    DefendantListing {
                        url: "https://www.aliexpress.com/item/1.html".into(),
                        ..DefendantListing::default()
                    },
                    DefendantListing {
                        url: "https://www.aliexpress.com/item/2.html".into(),
                        ..DefendantListing::default()
                    },
                ],
                ..Defendant::default()
            },
        ];
        let csv = schedule_csv(&ds);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Doe,Seller alias,Seller ID,Store URL,Marketplace,Listing URLs"
        );
        assert_eq!(
            lines[1],
            "1,\"Lantern, \"\"Best\"\" Store\",,https://www.aliexpress.com/store/1101,AliExpress,\"https://www.aliexpress.com/item/1.html\nhttps://www.aliexpress.com/item/2.html\""
        );
        assert_eq!(
            lines[2],
            "2,\"'=HYPERLINK(\"\"http://evil\"\")\",A2NQK4TIWYJD6B,,Amazon,https://www.amazon.com/dp/B07G2L3JMM"
        );
        assert_eq!(lines[3], "");
    }
}
