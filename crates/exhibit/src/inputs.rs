//! Reading URL lists: a text file with one URL a line, or a CSV with a `url` column.
//! The file is read here; its bytes are parsed by [`exhibit_domain::parse_url_list`],
//! which the fuzzer reaches without a file.

use std::io::Read;
use std::path::Path;

use exhibit_domain::{UrlListError, parse_url_list};

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
    let csv_by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    parse_url_list(&bytes, csv_by_name).map_err(|e| {
        let path = path.display();
        Error::Input(match e {
            UrlListError::NotUtf8 => format!(
                "The URL list {path} is not UTF-8 text. Save it as UTF-8 (CSV UTF-8 in a spreadsheet) and try again."
            ),
            UrlListError::CsvHeader(e) => format!("The CSV file {path} could not be read: {e}."),
            UrlListError::NoUrlColumn { columns } => format!(
                "The CSV file {path} has no 'url' column; its columns are: {}. Name the column of listing addresses 'url'.",
                columns.join(", ")
            ),
            UrlListError::CsvRow { row, detail } => {
                format!("Row {row} of the CSV file {path} could not be read: {detail}.")
            }
            UrlListError::Empty => format!("The URL list {path} holds no URLs."),
        })
    })
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
