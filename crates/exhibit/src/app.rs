//! What the desktop app needs beyond the CLI's jobs: the complaint draft kept in the
//! case, files attached by name, a paged and filtered gallery, screenshot thumbnails and
//! the custody chain's state. Each is one call for one command of the shell.

use std::io::Read;
use std::path::Path;

use exhibit_domain::NewArtifact;
use exhibit_store::PageFilter;
use exhibit_venues::ComplaintFile;
use serde::{Deserialize, Serialize};

use crate::view::CaptureView;
use crate::{Case, CustodyEvent, Error, Result, TrustedTime};

pub use exhibit_store::{Attachment, Strength};

/// The largest file attached to a case (a registration certificate is a few MB).
pub const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

/// The most captures one gallery page returns.
pub const MAX_PAGE: u64 = 500;

/// Scores a new passphrase for a strength meter; `acceptable` is what creating a case
/// will accept. `user_inputs` are words the user gave (their name, the case title) that
/// make a passphrase easier to guess.
pub fn passphrase_strength(passphrase: &str, user_inputs: &[&str]) -> Strength {
    exhibit_store::passphrase_strength(
        &exhibit_store::Passphrase::new(passphrase.to_owned()),
        user_inputs,
    )
}

/// Which captures a gallery page shows.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct CaptureQuery {
    #[serde(default)]
    #[ts(optional = nullable)]
    pub offset: u64,
    #[serde(default = "default_limit")]
    #[ts(optional = nullable)]
    pub limit: u64,
    /// `ok`, `blocked`, `removed` or `failed`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub status: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub marketplace: Option<String>,
    /// Only captures the draft links to a right (`true`), or only those it does not.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub linked: Option<bool>,
}

fn default_limit() -> u64 {
    60
}

/// One page of the gallery.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CapturePage {
    /// How many captures match, over all pages.
    pub total: u64,
    pub items: Vec<GalleryItem>,
}

/// One card of the gallery: the capture as `list --json` prints it, and its trusted
/// time, so a card can say whether an authority vouches for when it was taken.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct GalleryItem {
    #[serde(flatten)]
    pub view: CaptureView,
    /// The newest verified RFC 3161 token's time; `None` when the capture has none.
    pub trusted_time: Option<TrustedTime>,
}

impl std::ops::Deref for GalleryItem {
    type Target = CaptureView;
    fn deref(&self) -> &CaptureView {
        &self.view
    }
}

/// The custody log, and whether its chain of hashes is unbroken.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CustodyStatus {
    pub intact: bool,
    pub events: Vec<CustodyEvent>,
    /// Each break, in one sentence; empty when intact.
    pub problems: Vec<String>,
}

impl Case {
    /// How many captures the case holds.
    pub fn capture_count(&self) -> Result<i64> {
        Ok(self.store().capture_count()?)
    }

    /// The complaint draft the app saved, if any.
    pub fn draft(&self) -> Result<Option<ComplaintFile>> {
        let Some(json) = self.store().draft()? else {
            return Ok(None);
        };
        serde_json::from_str(&json).map(Some).map_err(|e| {
            Error::Input(format!(
                "The saved complaint draft could not be read ({e}); start the complaint again."
            ))
        })
    }

    /// Saves the complaint draft in the case (encrypted with everything else).
    pub fn save_draft(&self, draft: &ComplaintFile) -> Result<()> {
        let json = serde_json::to_string(draft)
            .map_err(|e| Error::Internal(format!("draft to JSON: {e}")))?;
        Ok(self.store().save_draft(&json)?)
    }

    /// Reads a file (a certificate, say), stores it in the case under a name unique in
    /// the case (`certificates/<file name>`, numbered if taken) and logs its hash.
    pub fn attach(&self, path: &Path) -> Result<exhibit_store::Attachment> {
        let (name, artifact) = self.read_attachment(path, "certificates", "the certificate")?;
        Ok(self.store().attach_named(&name, &artifact)?)
    }

    /// Reads a file to attach (at most [`MAX_ATTACHMENT_BYTES`]) and names it
    /// `FOLDER/<file name>`, numbered if the case already has that name. `what` names
    /// the file in messages ("the certificate").
    pub(crate) fn read_attachment(
        &self,
        path: &Path,
        folder: &str,
        what: &str,
    ) -> Result<(String, NewArtifact)> {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(clean_file_name)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                Error::Input(format!(
                    "{} is not a file name Exhibit can use; choose {what} file itself.",
                    path.display()
                ))
            })?;
        let meta = std::fs::metadata(path).map_err(|e| {
            Error::Input(format!(
                "Cannot read {}: {e}. Check the path and try again.",
                path.display()
            ))
        })?;
        if !meta.is_file() {
            return Err(Error::Input(format!(
                "{} is a folder, not a file; choose {what} file itself.",
                path.display()
            )));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_ATTACHMENT_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| {
                Error::Input(format!(
                    "Cannot read {}: {e}. Check the path and try again.",
                    path.display()
                ))
            })?;
        if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
            return Err(Error::Input(format!(
                "{} is larger than {} MB; attach {what} itself, or a smaller copy of it.",
                path.display(),
                MAX_ATTACHMENT_BYTES / 1_000_000
            )));
        }
        let media_type = media_type_of(&file_name, &bytes);
        let taken: std::collections::BTreeSet<String> = self
            .store()
            .attachments()?
            .into_iter()
            .map(|a| a.name)
            .collect();
        let name = unique_name(folder, &file_name, &taken);
        Ok((name, NewArtifact::new("attachment", media_type, bytes)))
    }

    /// Every file attached to the case.
    pub fn attachments(&self) -> Result<Vec<exhibit_store::Attachment>> {
        Ok(self.store().attachments()?)
    }

    /// One page of captures, newest first.
    pub fn capture_page(&self, q: &CaptureQuery) -> Result<CapturePage> {
        let linked_ids: Option<Vec<i64>> = match q.linked {
            Some(_) => Some(
                self.draft()?
                    .map(|d| d.listings.iter().map(|l| l.capture).collect())
                    .unwrap_or_default(),
            ),
            None => None,
        };
        let filter = PageFilter {
            status: q.status.as_deref().filter(|s| !s.is_empty()),
            marketplace: q.marketplace.as_deref().filter(|s| !s.is_empty()),
            ids: linked_ids.as_deref().zip(q.linked),
        };
        let (total, items) =
            self.store()
                .capture_page(&filter, q.offset, q.limit.clamp(1, MAX_PAGE))?;
        let items = items
            .iter()
            .map(|c| {
                Ok(GalleryItem {
                    view: CaptureView::from(c),
                    trusted_time: self.trusted_time(c.id)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(CapturePage { total, items })
    }

    /// A stored image of a capture (`screenshot`) as (media type, bytes). With
    /// `max_width`, a JPEG of the top of the page at most that wide, for a thumbnail;
    /// only the rows it needs are decoded, so a 20,000-pixel page costs little.
    pub fn image(
        &self,
        capture_id: i64,
        kind: &str,
        max_width: Option<u32>,
    ) -> Result<(String, Vec<u8>)> {
        let mut bytes = Vec::new();
        let summary = self.store().write_artifact(capture_id, kind, &mut bytes)?;
        if !summary.media_type.starts_with("image/") {
            return Err(Error::Input(format!(
                "The '{kind}' of capture {capture_id} is not an image."
            )));
        }
        match max_width {
            None => Ok((summary.media_type, bytes)),
            Some(w) if summary.media_type == "image/png" => {
                Ok(("image/jpeg".into(), thumbnail(&bytes, w.clamp(16, 2000))?))
            }
            Some(_) => Ok((summary.media_type, bytes)),
        }
    }

    /// The custody log with the state of its chain. It does not re-hash the evidence
    /// (`verify` does), so it is quick to show and records nothing.
    pub fn custody_status(&self) -> Result<CustodyStatus> {
        let (events, problems) = self.store().custody_chain()?;
        Ok(CustodyStatus {
            intact: problems.is_empty(),
            events,
            problems: problems.into_iter().map(|p| p.message).collect(),
        })
    }
}

/// A file name with path separators and control characters removed.
pub(crate) fn clean_file_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | ':'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string()
}

/// `FOLDER/NAME`, or `FOLDER/STEM-2.EXT` and so on when taken.
fn unique_name(
    folder: &str,
    file_name: &str,
    taken: &std::collections::BTreeSet<String>,
) -> String {
    let first = format!("{folder}/{file_name}");
    if !taken.contains(&first) {
        return first;
    }
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (file_name, String::new()),
    };
    (2..)
        .map(|n| format!("{folder}/{stem}-{n}{ext}"))
        .find(|n| !taken.contains(n))
        .unwrap_or(first)
}

/// The media type of a file a user attaches: its signature if it is a picture or a PDF,
/// else its name's extension for text and e-mail, else `application/octet-stream`.
pub(crate) fn media_type_of(name: &str, bytes: &[u8]) -> &'static str {
    let lower = name.to_ascii_lowercase();
    match exhibit_capture::sniff_media_type(bytes) {
        m @ ("application/pdf" | "image/png" | "image/jpeg" | "image/gif") => m,
        _ if lower.ends_with(".txt") => "text/plain",
        _ if lower.ends_with(".eml") => "message/rfc822",
        _ => "application/octet-stream",
    }
}

/// A JPEG of the top of a PNG, `width` wide and at most 1.5 times as tall. Decodes only
/// the rows it keeps.
fn thumbnail(png_bytes: &[u8], width: u32) -> Result<Vec<u8>> {
    let bad = |e: String| Error::Internal(format!("the screenshot could not be decoded: {e}"));
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| bad(e.to_string()))?;
    let info = reader.info();
    let (src_w, src_h) = (info.width, info.height);
    if src_w == 0 || src_h == 0 {
        return Err(bad("it is empty".into()));
    }
    let scale = f64::from(width.min(src_w)) / f64::from(src_w);
    let out_w = ((f64::from(src_w) * scale).round() as u32).max(1);
    let keep_rows = ((f64::from(out_w) * 1.5 / scale).ceil() as u32).min(src_h);
    let (color, _) = reader.output_color_type();
    let channels = color.samples();
    let mut rgb = Vec::with_capacity((src_w * keep_rows * 3) as usize);
    for _ in 0..keep_rows {
        let Some(row) = reader.next_row().map_err(|e| bad(e.to_string()))? else {
            break;
        };
        for px in row.data().chunks_exact(channels) {
            match channels {
                1 | 2 => rgb.extend_from_slice(&[px[0], px[0], px[0]]),
                _ => rgb.extend_from_slice(&px[..3]),
            }
        }
    }
    let rows = (rgb.len() / (src_w as usize * 3)) as u32;
    let img = image::RgbImage::from_raw(src_w, rows, rgb)
        .ok_or_else(|| bad("its rows are short".into()))?;
    let out_h = ((f64::from(rows) * scale).round() as u32).max(1);
    let small = image::imageops::resize(&img, out_w, out_h, image::imageops::FilterType::Triangle);
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .map_err(|e| bad(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_are_unique_and_plain() {
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(
            unique_name("certificates", "a.pdf", &taken),
            "certificates/a.pdf"
        );
        taken.insert("certificates/a.pdf".to_string());
        assert_eq!(
            unique_name("certificates", "a.pdf", &taken),
            "certificates/a-2.pdf"
        );
        assert_eq!(clean_file_name("..\\evil/\u{7}name.pdf"), "evilname.pdf");
    }

    #[test]
    fn a_tall_screenshot_thumbnails_from_its_top() {
        let tall = image::RgbImage::from_fn(800, 20_000, |_, y| {
            if y < 1200 {
                image::Rgb([200, 0, 0])
            } else {
                image::Rgb([0, 0, 200])
            }
        });
        let mut png_bytes = Vec::new();
        image::DynamicImage::ImageRgb8(tall)
            .write_to(
                &mut std::io::Cursor::new(&mut png_bytes),
                image::ImageFormat::Png,
            )
            .expect("encode");
        let jpeg = thumbnail(&png_bytes, 200).expect("thumbnail");
        let small = image::load_from_memory(&jpeg).expect("decode").to_rgb8();
        assert_eq!(small.width(), 200);
        assert_eq!(small.height(), 300);
        // Only the red top of the page is in it.
        assert!(small.get_pixel(100, 150)[0] > 150);
        assert!(thumbnail(b"not a png", 200).is_err());
    }
}
