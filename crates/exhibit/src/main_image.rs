//! The listing's main product image as evidence: the `image` artifact relisting
//! detection hashes.
//!
//! The extractor names the picture (`ListingFacts::main_image`). In browser mode its
//! bytes come from the browser's own response, taken before the tab closed; when the page
//! never loaded it (a lazy gallery, a picture named only in the page's config), and in
//! HTTP mode, it is fetched after the page with the batch's own [`Fetcher`] (same roots,
//! `--resolve` overrides and redirect rules) under a cap of [`MAX_IMAGE_BYTES`] and its
//! own time limits, [`exhibit_capture::IMAGE_TIMEOUT`] in all and
//! [`exhibit_capture::IMAGE_CONNECT_TIMEOUT`] to connect, not the page's. Only a 200
//! whose bytes really are a picture (PNG, JPEG, WebP, GIF or AVIF by their signature,
//! whatever the `Content-Type` says) at least [`MIN_SIDE`] pixels on each side is kept.
//!
//! What this module never does: fail the judgement of a capture, or delay it by more
//! than the image's time limit. A picture that cannot be had in time leaves a note on
//! the record ("The main image … could not be fetched: …") and no artifact. The record's
//! times stay the page's; the image's own fetch is dated in its note.

use std::io::Cursor;
use std::sync::Arc;

use exhibit_capture::{Fetched, Fetcher};
use exhibit_domain::{CaptureRecord, CaptureStatus, NewArtifact, artifact_kind, rfc3339_millis};
use exhibit_extract::{Extraction, Page};

use crate::judge::judge;

/// The largest main image kept, in bytes.
pub(crate) const MAX_IMAGE_BYTES: u64 = 10_000_000;
/// Pictures narrower or shorter than this are tracking pixels, spacers or icons.
pub(crate) const MIN_SIDE: u32 = 32;

/// What became of a capture's main image: its artifact, or none, and what the record
/// should say about it.
#[derive(Debug)]
pub(crate) struct MainImage {
    pub artifact: Option<NewArtifact>,
    pub note: String,
}

/// The picture a capture judged `ok` names as its main image, if any.
pub(crate) fn wanted(fetched: &Fetched, extraction: Option<&Extraction>) -> Option<String> {
    let x = extraction?;
    let (status, _) = judge(
        fetched.error.as_ref().map(|e| e.message.as_str()),
        fetched.http_status,
        Some(x),
    );
    (status == CaptureStatus::Ok)
        .then(|| x.main_image.clone())
        .flatten()
}

/// Fetches the main image after the page (HTTP mode, and browser mode's fallback).
pub(crate) async fn fetch(fetcher: &Fetcher, url: &str, before: &str) -> MainImage {
    let got = fetcher.fetch_image(url, MAX_IMAGE_BYTES).await;
    let at = rfc3339_millis(&got.started_at);
    let hops = if got.redirects.is_empty() {
        String::new()
    } else {
        let chain: Vec<String> = got
            .redirects
            .iter()
            .map(|r| format!("{} {}", r.status, r.url))
            .collect();
        format!(", redirected {}", chain.join(" → "))
    };
    let refused = |why: String| MainImage {
        artifact: None,
        note: format!(
            "The main image {url} could not be fetched{before}: {why} (tried at {at}{hops})."
        ),
    };
    if let Some(e) = &got.error {
        return refused(trim_period(&e.message).to_string());
    }
    let status = got.http_status.unwrap_or(0);
    if status != 200 {
        return refused(format!(
            "the server answered {status}{}, not 200",
            match crate::judge::standard_reason(status) {
                "" => String::new(),
                phrase => format!(" {phrase}"),
            }
        ));
    }
    let Some(bytes) = got.page_bytes() else {
        return refused("the server sent no body".into());
    };
    let media_type = match check(bytes, got.media_type.as_deref()) {
        Ok(m) => m,
        Err(why) => return refused(why),
    };
    let from = got
        .final_url
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| url.to_string());
    let note = format!(
        "The main image {url} was fetched after the page{before} at {at}{hops}: HTTP 200 from {from}, {media_type}, {} bytes.",
        bytes.len()
    );
    MainImage {
        artifact: Some(NewArtifact::new(
            artifact_kind::IMAGE,
            media_type,
            bytes.to_vec(),
        )),
        note,
    }
}

/// The main image as the browser received it, or why it could not be used.
pub(crate) fn from_browser(image: &exhibit_browser::MainImage) -> Result<MainImage, String> {
    let Some(r) = &image.response else {
        return Err(image
            .missing
            .clone()
            .unwrap_or_else(|| "the page did not load it".into()));
    };
    if r.status != 200 {
        return Err(format!("the page's request for it got HTTP {}", r.status));
    }
    let media_type = check(&r.bytes, Some(&r.mime_type))?;
    let cached = if r.from_cache {
        " (from its cache)"
    } else {
        ""
    };
    Ok(MainImage {
        artifact: Some(NewArtifact::new(
            artifact_kind::IMAGE,
            media_type,
            r.bytes.clone(),
        )),
        note: format!(
            "The main image {} was taken from the browser's own response{cached}: HTTP 200 from {}, {media_type}, {} bytes.",
            image.url,
            r.url,
            r.bytes.len()
        ),
    })
}

/// A browser capture's main image: the browser's own copy when it has a usable one,
/// else fetched after the page. `None` when the page named none, or the capture failed.
pub(crate) async fn for_browser(
    capture: &mut exhibit_browser::BrowserCapture,
    fetcher: &Fetcher,
) -> Option<MainImage> {
    let image = capture.main_image.take()?;
    if capture.error.is_some()
        || capture
            .http_status
            .is_some_and(|s| !(200..300).contains(&s))
    {
        return None;
    }
    match from_browser(&image) {
        Ok(kept) => Some(kept),
        Err(why) => Some(
            fetch(
                fetcher,
                &image.url,
                &format!(" (the browser had no usable copy: {why})"),
            )
            .await,
        ),
    }
}

/// Adds the image's artifact and note to a capture.
pub(crate) fn attach(
    record: &mut CaptureRecord,
    artifacts: &mut Vec<NewArtifact>,
    image: MainImage,
) {
    record.notes.push(image.note);
    if let Some(a) = image.artifact {
        artifacts.push(a);
    }
}

/// The picker browser mode runs on the rendered DOM: the extractor's main image of a
/// listing page.
pub(crate) fn picker() -> exhibit_browser::ImagePicker {
    exhibit_browser::ImagePicker(Arc::new(|dom: &str, page_url: &str| {
        let url = url::Url::parse(page_url).ok()?;
        exhibit_extract::extract(&Page {
            url: &url,
            http_status: Some(200),
            content_type: Some("text/html; charset=utf-8"),
            body: dom.as_bytes(),
        })
        .main_image
    }))
}

/// The media type of a picture by its signature, if it is one of those kept.
pub(crate) fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else if bytes.get(4..8) == Some(b"ftyp")
        && matches!(bytes.get(8..12), Some(b"avif") | Some(b"avis"))
    {
        Some("image/avif")
    } else {
        None
    }
}

/// Width and height from the picture's header, where this build can read it.
fn dimensions(bytes: &[u8], media_type: &str) -> Option<(u32, u32)> {
    if media_type == "image/gif" {
        let w = u16::from_le_bytes([*bytes.get(6)?, *bytes.get(7)?]);
        let h = u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]);
        return Some((u32::from(w), u32::from(h)));
    }
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// The media type to store, or why these bytes are not a product photo.
pub(crate) fn check(bytes: &[u8], declared: Option<&str>) -> Result<&'static str, String> {
    let Some(media_type) = sniff(bytes) else {
        let said = declared
            .map(|d| d.split(';').next().unwrap_or(d).trim())
            .filter(|d| !d.is_empty())
            .unwrap_or("no media type");
        return Err(format!(
            "the server sent {said} ({} bytes) that is not a PNG, JPEG, WebP, GIF or AVIF picture",
            bytes.len()
        ));
    };
    if let Some((w, h)) = dimensions(bytes, media_type)
        && (w < MIN_SIDE || h < MIN_SIDE)
    {
        return Err(format!(
            "it is {w}×{h} pixels, a tracking pixel or an icon rather than a product photo"
        ));
    }
    Ok(media_type)
}

fn trim_period(s: &str) -> &str {
    s.trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = Vec::new();
        let encoded = image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png);
        assert!(encoded.is_ok());
        out
    }

    #[test]
    fn pictures_are_known_by_their_bytes() {
        assert_eq!(check(&png(64, 48), Some("text/plain")), Ok("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"\0\0\0\x1cftypavif"), Some("image/avif"));
        assert_eq!(sniff(b"\0\0\0\x1cftypheic"), None);
        let html = check(b"<!doctype html><title>404</title>", Some("image/jpeg"));
        assert!(
            html.as_ref()
                .is_err_and(|e| e.contains("image/jpeg") && e.contains("not a PNG")),
            "{html:?}"
        );
        // A 1×1 GIF and a 1×1 PNG are tracking pixels.
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        assert!(check(gif, None).is_err_and(|e| e.contains("1×1")));
        assert!(check(&png(1, 1), None).is_err_and(|e| e.contains("1×1")));
        assert!(check(&png(400, 20), None).is_err());
    }
}
