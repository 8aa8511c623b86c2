//! What the caller tells this crate about the case: the captures, which attachment
//! files exist, and the facts a declaration states. This crate reads no file; the
//! facade fills these in from the store.

use std::collections::BTreeSet;

use exhibit_domain::{Capture, CaptureStatus, Collector};
use serde::{Deserialize, Serialize};

use crate::venue::CaptureMode;

/// One capture as a complaint needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureFacts {
    /// The capture's id in the case.
    pub id: i64,
    pub requested_url: String,
    pub final_url: Option<String>,
    /// The extractor's marketplace name (`amazon`, `taobao`, …).
    pub marketplace: Option<String>,
    pub listing_id: Option<String>,
    pub title: Option<String>,
    pub seller: Option<String>,
    pub price: Option<String>,
    pub currency: Option<String>,
    pub status: CaptureStatus,
    /// RFC 3339, UTC.
    pub captured_at: String,
    pub mode: CaptureMode,
    /// For browser captures, the browser product and version (`Chrome/156.0.8078.73`).
    #[serde(default)]
    pub browser: Option<String>,
    pub artifacts: Vec<ArtifactFacts>,
    /// SHA-256 of the capture's canonical record, lower-case hex.
    pub record_sha256: String,
}

/// One stored artifact of a capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactFacts {
    /// `body`, `screenshot`, `mhtml`, `dom`, `pdf`, `text`, `network`, `certificate`…
    pub kind: String,
    #[serde(default)]
    pub media_type: String,
    /// Lower-case hex.
    pub sha256: String,
    pub size: u64,
}

impl CaptureFacts {
    /// The URL to report: where the listing was found after redirects.
    pub fn listing_url(&self) -> &str {
        self.final_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or(&self.requested_url)
    }

    /// Whether the title holds letters of a script other than Latin (Chinese, Cyrillic…).
    pub fn has_non_latin_title(&self) -> bool {
        self.title.as_deref().is_some_and(has_non_latin)
    }

    /// The artifact of a kind, if stored.
    pub fn artifact(&self, kind: &str) -> Option<&ArtifactFacts> {
        self.artifacts.iter().find(|a| a.kind == kind)
    }

    /// The facts of a stored capture.
    pub fn from_capture(c: &Capture) -> CaptureFacts {
        let r = &c.record;
        CaptureFacts {
            id: c.id,
            requested_url: r.requested_url.clone(),
            final_url: r.final_url.clone(),
            marketplace: r.facts.marketplace.clone(),
            listing_id: r.facts.listing_id.clone(),
            title: r.facts.title.clone(),
            seller: r.facts.seller.clone(),
            price: r.facts.price.clone(),
            currency: r.facts.currency.clone(),
            status: r.status,
            captured_at: r.started_at.clone(),
            // Records hold only "http" or "browser"; anything else was not a rendered page.
            mode: CaptureMode::parse(&r.mode).unwrap_or(CaptureMode::Http),
            browser: r.browser.as_ref().map(|b| b.product.clone()),
            artifacts: c
                .artifacts
                .iter()
                .map(|a| ArtifactFacts {
                    kind: a.kind.clone(),
                    media_type: a.media_type.clone(),
                    sha256: a.sha256.to_hex(),
                    size: a.size,
                })
                .collect(),
            record_sha256: c.record_sha256.to_hex(),
        }
    }
}

impl From<&Capture> for CaptureFacts {
    fn from(c: &Capture) -> CaptureFacts {
        CaptureFacts::from_capture(c)
    }
}

/// Which attachment files named in the complaint (certificates, identity proof, power
/// of attorney) the caller found, by the path exactly as written in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachmentsPresent {
    paths: BTreeSet<String>,
    unchecked: bool,
}

impl AttachmentsPresent {
    /// The paths that exist, as written in the complaint file.
    pub fn new<I, S>(paths: I) -> AttachmentsPresent
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AttachmentsPresent {
            paths: paths.into_iter().map(Into::into).collect(),
            unchecked: false,
        }
    }

    /// Nothing was looked up: every named file is taken to exist. For checking a
    /// complaint before its files are at hand.
    pub fn unchecked() -> AttachmentsPresent {
        AttachmentsPresent {
            paths: BTreeSet::new(),
            unchecked: true,
        }
    }

    /// Whether the file named by `path` (as written) exists.
    pub fn contains(&self, path: &str) -> bool {
        self.unchecked || self.paths.contains(path)
    }
}

/// What the declaration states beyond the complaint itself.
///
/// The number of captures, the capture methods (HTTP or Chromium, with the browser
/// version of each capture) and the table of artifact hashes are taken from the
/// complaint's listings, so they can never disagree with the exhibits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeclarationFacts {
    /// "Exhibit".
    pub tool_name: String,
    pub tool_version: String,
    /// Who took the captures.
    pub collector: Collector,
    /// The case's id.
    pub case_id: String,
    /// The custody log's head hash, lower-case hex.
    pub custody_head: String,
    /// Paragraphs the venue adds after the process (a Schedule A filing: which
    /// exhibits show which defendant, and each test purchase as made), numbered on.
    pub more: Vec<String>,
}

/// Whether `s` has a letter outside the Latin script.
pub fn has_non_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic() && !is_latin(c))
}

fn is_latin(c: char) -> bool {
    matches!(c as u32,
        0x0041..=0x005A
        | 0x0061..=0x007A
        | 0x00AA | 0x00BA
        | 0x00C0..=0x024F // Latin-1 Supplement letters, Extended-A and -B
        | 0x0250..=0x02AF // IPA
        | 0x1D00..=0x1DBF // phonetic extensions
        | 0x1E00..=0x1EFF // Latin Extended Additional
        | 0x2C60..=0x2C7F // Extended-C
        | 0xA720..=0xA7FF // Extended-D
        | 0xAB30..=0xAB6F // Extended-E
        | 0xFB00..=0xFB06 // Latin ligatures
        | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A // full-width Latin
    )
}

/// The first non-Latin script found in `s`, named for a translator.
pub fn script_name(s: &str) -> Option<&'static str> {
    s.chars()
        .filter(|c| c.is_alphabetic() && !is_latin(*c))
        .map(|c| match c as u32 {
            0x3040..=0x30FF | 0x31F0..=0x31FF => "Japanese (kana)",
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => "Korean (Hangul)",
            0x2E80..=0x2FDF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => {
                "Chinese characters (Han)"
            }
            0x20000..=0x3FFFF => "Chinese characters (Han)",
            0x0400..=0x052F => "Cyrillic",
            0x0370..=0x03FF => "Greek",
            0x0590..=0x05FF => "Hebrew",
            0x0600..=0x06FF | 0x0750..=0x077F => "Arabic",
            0x0900..=0x097F => "Devanagari",
            0x0E00..=0x0E7F => "Thai",
            _ => "a non-Latin script",
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_latin_detection() {
        assert!(!has_non_latin("ACME Lantern, Zürich édition – 50% off!"));
        assert!(has_non_latin("ACME 户外露营灯"));
        assert!(has_non_latin("Фонарь ACME"));
        assert!(!has_non_latin("１２３ ＡＣＭＥ"));
        assert_eq!(
            script_name("ACME 户外露营灯"),
            Some("Chinese characters (Han)")
        );
        assert_eq!(script_name("Фонарь"), Some("Cyrillic"));
        assert_eq!(script_name("plain"), None);
    }
}
