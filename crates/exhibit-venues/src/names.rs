//! The one naming rule for exhibit files, shared by the filing sheet (which tells the
//! user what to upload) and the bundle writer (which writes the files).

use crate::facts::ArtifactFacts;

/// The file name of one artifact of an exhibit: `exhibit-NNN-KIND.EXT`.
///
/// - `NNN` is the exhibit number, zero-padded to at least three digits (`003`, `042`,
///   `1234`), so names of up to 999 exhibits sort in exhibit order.
/// - `KIND` is the artifact kind (`screenshot`, `body`, `pdf`…) lower-cased, with any
///   character other than `a-z`, `0-9` and `-` replaced by `-`.
/// - `EXT` is the extension without its dot, cleaned the same way; an empty one is
///   left off along with the dot.
///
/// The result never holds a path separator, a space or `..`, so it is safe as a file
/// name on every system and inside a ZIP.
///
/// ```
/// assert_eq!(exhibit_venues::exhibit_file_name(3, "screenshot", "png"), "exhibit-003-screenshot.png");
/// assert_eq!(exhibit_venues::exhibit_file_name(12, "decoded-body", "html"), "exhibit-012-decoded-body.html");
/// ```
pub fn exhibit_file_name(exhibit_no: usize, kind: &str, ext: &str) -> String {
    let kind = slug(kind);
    let kind = if kind.is_empty() {
        "file".to_string()
    } else {
        kind
    };
    let ext = slug(ext.trim_start_matches('.'));
    if ext.is_empty() {
        format!("exhibit-{exhibit_no:03}-{kind}")
    } else {
        format!("exhibit-{exhibit_no:03}-{kind}.{ext}")
    }
}

fn slug(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    mapped.trim_matches('-').to_string()
}

/// The extension an artifact is written with, from its kind and media type.
pub fn artifact_extension(kind: &str, media_type: &str) -> &'static str {
    let media = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match kind {
        "screenshot" => return if media == "image/jpeg" { "jpg" } else { "png" },
        "mhtml" => return "mhtml",
        "dom" => return "html",
        "pdf" => return "pdf",
        "text" => return "txt",
        "network" => return "json",
        "certificate" => return "der",
        _ => {}
    }
    match media.as_str() {
        "text/html" | "application/xhtml+xml" => "html",
        "application/json" => "json",
        "text/plain" => "txt",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "application/pdf" => "pdf",
        "text/xml" | "application/xml" => "xml",
        _ => "bin",
    }
}

/// The file name of an artifact of an exhibit.
pub fn artifact_file_name(exhibit_no: usize, artifact: &ArtifactFacts) -> String {
    exhibit_file_name(
        exhibit_no,
        &artifact.kind,
        artifact_extension(&artifact.kind, &artifact.media_type),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_padded() {
        assert_eq!(
            exhibit_file_name(3, "screenshot", "png"),
            "exhibit-003-screenshot.png"
        );
        assert_eq!(
            exhibit_file_name(1234, "pdf", ".pdf"),
            "exhibit-1234-pdf.pdf"
        );
        assert_eq!(
            exhibit_file_name(1, "../../etc/passwd", "x y"),
            "exhibit-001-etc-passwd.x-y"
        );
        assert_eq!(exhibit_file_name(1, "", ""), "exhibit-001-file");
        assert_eq!(artifact_extension("body", "text/html; charset=gbk"), "html");
        assert_eq!(artifact_extension("screenshot", "image/png"), "png");
    }
}
