//! Reading URL lists: a text file with one URL a line, or a CSV with a `url` column.

use std::io::Read;
use std::path::Path;

use crate::{Error, Result};

/// The largest URL list read, so a wrong file (a disk image, say) fails fast.
pub const MAX_URL_LIST_BYTES: u64 = 20 * 1024 * 1024;

/// Reads URLs from a text file or a CSV file. Blank lines and lines starting with `#`
/// are skipped in text files. A CSV is recognised by its `.csv` extension or a header
/// row with a `url` column; its other columns are ignored. URLs are returned as written
/// (trimmed); checking them is the fetcher's job, so a bad one is recorded, not dropped.
pub fn read_url_list(path: &Path) -> Result<Vec<String>> {
    let file = std::fs::File::open(path).map_err(|e| {
        Error::Input(format!(
            "Could not read the URL list {}: {e}.",
            path.display()
        ))
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_URL_LIST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Error::Input(format!(
                "Could not read the URL list {}: {e}.",
                path.display()
            ))
        })?;
    if bytes.len() as u64 > MAX_URL_LIST_BYTES {
        return Err(Error::Input(format!(
            "The URL list {} is larger than {} MiB; it does not look like a list of URLs. Split it into smaller files.",
            path.display(),
            MAX_URL_LIST_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Input(format!(
            "The URL list {} is not UTF-8 text. Save it as UTF-8 (CSV UTF-8 in a spreadsheet) and try again.",
            path.display()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first_line = text.lines().next().unwrap_or_default();
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        || header_has_url_column(first_line);
    let urls = if is_csv {
        read_csv(path, text)?
    } else {
        read_lines(text)
    };
    if urls.is_empty() {
        return Err(Error::Input(format!(
            "The URL list {} holds no URLs.",
            path.display()
        )));
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

fn read_csv(path: &Path, text: &str) -> Result<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            Error::Input(format!(
                "The CSV file {} could not be read: {e}.",
                path.display()
            ))
        })?
        .clone();
    let column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("url"))
        .ok_or_else(|| {
            Error::Input(format!(
                "The CSV file {} has no 'url' column; its columns are: {}. Name the column of listing addresses 'url'.",
                path.display(),
                headers.iter().collect::<Vec<_>>().join(", ")
            ))
        })?;
    let mut urls = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Error::Input(format!(
                "Row {} of the CSV file {} could not be read: {e}.",
                i + 2,
                path.display()
            ))
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

    fn write(name: &str, content: &[u8]) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("exhibit-inputs-{}-{name}", std::process::id()));
        std::fs::write(&dir, content).expect("write");
        dir
    }

    #[test]
    fn reads_text_lists() {
        let p = write(
            "a.txt",
            b"# comment\nhttps://a.test/1\n\n  https://b.test/2  \nnot a url\n",
        );
        assert_eq!(
            read_url_list(&p).expect("read"),
            vec!["https://a.test/1", "https://b.test/2", "not a url"]
        );
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn reads_csv_url_column() {
        let p = write(
            "b.csv",
            "\u{feff}seller,URL,note\nx,https://a.test/1,\"a, b\"\ny,,empty\nz,https://b.test/2,\n"
                .as_bytes(),
        );
        assert_eq!(
            read_url_list(&p).expect("read"),
            vec!["https://a.test/1", "https://b.test/2"]
        );
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn hostile_lists_get_clear_errors() {
        let p = write("c.csv", b"seller,link\nx,https://a.test\n");
        let e = read_url_list(&p).expect_err("no url column").to_string();
        assert!(e.contains("no 'url' column"), "{e}");
        let _ = std::fs::remove_file(p);

        let p = write("d.txt", b"\xff\xfe\x00garbage");
        assert!(
            read_url_list(&p)
                .expect_err("binary")
                .to_string()
                .contains("not UTF-8")
        );
        let _ = std::fs::remove_file(p);

        let p = write("e.txt", b"\n# only comments\n");
        assert!(
            read_url_list(&p)
                .expect_err("empty")
                .to_string()
                .contains("holds no URLs")
        );
        let _ = std::fs::remove_file(p);

        assert!(read_url_list(Path::new("/nonexistent/list.txt")).is_err());
    }
}
