//! The one error type of the crate.
//!
//! Every message is a single sentence that says what to do, because it reaches a person
//! (through the CLI or the desktop shell) unchanged. Callers branch on [`PdfError::code`],
//! never on the message.

use std::path::PathBuf;

/// Why a PDF could not be rendered or its fonts could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// No usable CJK font was found in `EXHIBIT_FONT_DIR` or the system font folders.
    #[error(
        "No font that can print Chinese text was found: install Debian's fonts-noto-cjk \
         (apt-get install fonts-noto-cjk) or set EXHIBIT_FONT_DIR to a folder holding \
         NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc."
    )]
    FontNotFound {
        /// Every folder that was searched, in order.
        searched: Vec<PathBuf>,
    },

    /// A font file exists but could not be read from disk.
    #[error(
        "The font file {path} could not be read ({source}): check that it exists and is readable."
    )]
    FontRead {
        /// The file that failed.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A font file was read but is not a font (or the face index is not in the collection).
    #[error(
        "The font file {path} (face {face_index}) is not a usable OpenType or TrueType font: \
         point to an unmodified font file such as NotoSansCJK-Regular.ttc from fonts-noto-cjk."
    )]
    FontParse {
        /// The file that failed.
        path: PathBuf,
        /// The face asked for inside a collection (0 for a single-face file).
        face_index: u32,
    },

    /// The document grew past the page limit this engine accepts.
    #[error(
        "The document would have more than {limit} pages: split the packet into smaller \
         packets."
    )]
    TooManyPages {
        /// The largest page count accepted.
        limit: u32,
    },

    /// printpdf reported an error while writing the PDF.
    #[error("The PDF could not be written ({detail}): report this as a bug in Exhibit.")]
    Write {
        /// What the PDF writer said.
        detail: String,
    },
}

impl PdfError {
    /// A stable snake_case name for the error, for programs and the UI to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::FontNotFound { .. } => "font_not_found",
            PdfError::FontRead { .. } => "font_read",
            PdfError::FontParse { .. } => "font_parse",
            PdfError::TooManyPages { .. } => "too_many_pages",
            PdfError::Write { .. } => "pdf_write",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_sentence_with_a_stable_code() {
        let errors = [
            PdfError::FontNotFound { searched: vec![] },
            PdfError::FontRead {
                path: "/x.ttc".into(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            PdfError::FontParse {
                path: "/x.ttc".into(),
                face_index: 2,
            },
            PdfError::TooManyPages { limit: 20_000 },
            PdfError::Write {
                detail: "disk on fire".into(),
            },
        ];
        let codes: Vec<&str> = errors.iter().map(PdfError::code).collect();
        assert_eq!(
            codes,
            [
                "font_not_found",
                "font_read",
                "font_parse",
                "too_many_pages",
                "pdf_write"
            ]
        );
        for e in &errors {
            let m = e.to_string();
            assert!(m.ends_with('.') && !m.contains('\n'), "{m}");
        }
        assert!(
            errors[0]
                .to_string()
                .contains("apt-get install fonts-noto-cjk")
        );
    }
}
