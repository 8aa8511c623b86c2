//! URL lists as a user hands them over: a text file with one URL a line, or a CSV with a
//! `url` column. Pure: the caller reads the file (and caps its size); this module only
//! reads the bytes, so the fuzzer can reach it without a file system.

use thiserror::Error;

/// Why bytes are not a URL list. The caller names the file when it reports one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlListError {
    /// The bytes are not UTF-8 text.
    #[error("the URL list is not UTF-8 text")]
    NotUtf8,
    /// The CSV header row cannot be read.
    #[error("the CSV header could not be read: {0}")]
    CsvHeader(String),
    /// The CSV has no column named `url` (in any letter case).
    #[error("the CSV has no 'url' column; its columns are: {}", .columns.join(", "))]
    NoUrlColumn {
        /// The header row's columns, trimmed.
        columns: Vec<String>,
    },
    /// A data row of the CSV cannot be read. `row` counts from 1 at the header.
    #[error("row {row} of the CSV could not be read: {detail}")]
    CsvRow { row: usize, detail: String },
    /// Nothing in the list is a URL (only blank lines, comments or empty cells).
    #[error("the URL list holds no URLs")]
    Empty,
}

/// Reads URLs from the bytes of a URL list. Blank lines and lines starting with `#` are
/// skipped in text lists. The bytes are read as a CSV when `csv_by_name` is true (the
/// file's extension is `.csv`) or when the header row has a `url` column; other columns
/// are ignored. URLs are returned as written (trimmed), never checked: checking them is
/// the fetcher's job, so a bad one is recorded, not dropped. A UTF-8 byte order mark is
/// skipped.
pub fn parse_url_list(bytes: &[u8], csv_by_name: bool) -> Result<Vec<String>, UrlListError> {
    let text = std::str::from_utf8(bytes).map_err(|_| UrlListError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let urls = if csv_by_name || header_has_url_column(first_line) {
        read_csv(text)?
    } else {
        read_lines(text)
    };
    if urls.is_empty() {
        return Err(UrlListError::Empty);
    }
    Ok(urls)
}

fn header_has_url_column(line: &str) -> bool {
    line.contains(',')
        && line
            .split(',')
            .any(|c| c.trim().trim_matches('"').eq_ignore_ascii_case("url"))
}

fn read_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn read_csv(text: &str) -> Result<Vec<String>, UrlListError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| UrlListError::CsvHeader(e.to_string()))?
        .clone();
    let column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("url"))
        .ok_or_else(|| UrlListError::NoUrlColumn {
            columns: headers.iter().map(str::to_owned).collect(),
        })?;
    let mut urls = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| UrlListError::CsvRow {
            row: i + 2,
            detail: e.to_string(),
        })?;
        if let Some(url) = record.get(column).map(str::trim).filter(|u| !u.is_empty()) {
            urls.push(url.to_owned());
        }
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lists_skip_blanks_and_comments() {
        assert_eq!(
            parse_url_list(
                b"# c\nhttps://a.test/1\n\n  https://b.test/2  \nnot a url\n",
                false
            ),
            Ok(vec![
                "https://a.test/1".to_owned(),
                "https://b.test/2".to_owned(),
                "not a url".to_owned()
            ])
        );
    }

    #[test]
    fn a_url_column_makes_a_csv_without_the_extension() {
        let list = "\u{feff}seller,URL,note\nx,https://a.test/1,\"a, b\"\ny,,empty\n";
        assert_eq!(
            parse_url_list(list.as_bytes(), false),
            Ok(vec!["https://a.test/1".to_owned()])
        );
    }

    #[test]
    fn hostile_lists_get_errors() {
        assert_eq!(
            parse_url_list(b"\xff\xfe\x00garbage", false),
            Err(UrlListError::NotUtf8)
        );
        assert_eq!(
            parse_url_list(b"seller,link\nx,https://a.test\n", true),
            Err(UrlListError::NoUrlColumn {
                columns: vec!["seller".to_owned(), "link".to_owned()]
            })
        );
        assert_eq!(
            parse_url_list(b"\n# only comments\n", false),
            Err(UrlListError::Empty)
        );
        // An empty `.csv` has no header, so no `url` column either.
        assert_eq!(
            parse_url_list(b"", true),
            Err(UrlListError::NoUrlColumn { columns: vec![] })
        );
    }
}
