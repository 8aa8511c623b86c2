//! The `exhibit://` URI scheme: the one way the web UI shows a capture's screenshot.
//!
//! It serves exactly `GET exhibit://localhost/capture/<id>/screenshot[?w=<width>]`
//! (WebKitGTK and WKWebView use that form; WebView2 and Android use
//! `http://exhibit.localhost/…`), from the open case through the facade: the stored PNG,
//! or a JPEG thumbnail of the top of the page when `w` is given. Anything else is a 404
//! with a plain-text body. It never serves HTML or any other captured content, so
//! nothing a marketplace sent can run in the app's webview.

use tauri::http::{Method, Request, Response, StatusCode, header};
use tauri::{AppHandle, Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

/// The scheme's name, as registered.
pub const SCHEME: &str = "exhibit";

/// The widest thumbnail served.
const MAX_WIDTH: u32 = 4000;

/// Tauri's entry point: answers on a blocking thread, since reading the case may wait
/// for its lock and decoding a screenshot takes a moment.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    tauri::async_runtime::spawn_blocking(move || responder.respond(respond(&app, &request)));
}

/// What a request asks for, if it is the one thing this scheme serves.
#[derive(Debug, PartialEq, Eq)]
struct ScreenshotRequest {
    capture_id: i64,
    max_width: Option<u32>,
}

fn parse(request: &Request<Vec<u8>>) -> Option<ScreenshotRequest> {
    if request.method() != Method::GET {
        return None;
    }
    let uri = request.uri();
    if !matches!(uri.host(), Some("localhost" | "exhibit.localhost")) {
        return None;
    }
    let rest = uri.path().strip_prefix("/capture/")?;
    let (id, kind) = rest.split_once('/')?;
    if kind != "screenshot" || id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let capture_id = id.parse::<i64>().ok().filter(|&n| n > 0)?;
    let mut max_width = None;
    if let Some(query) = uri.query().filter(|q| !q.is_empty()) {
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=')?;
            if key != "w" || max_width.is_some() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            max_width = Some(
                value
                    .parse::<u32>()
                    .ok()
                    .filter(|w| (1..=MAX_WIDTH).contains(w))?,
            );
        }
    }
    Some(ScreenshotRequest {
        capture_id,
        max_width,
    })
}

fn plain(status: StatusCode, text: &'static str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(text.as_bytes().to_vec())
        .unwrap_or_default()
}

/// Answers one request. Public so tests can drive it without a webview.
pub fn respond<R: Runtime>(app: &AppHandle<R>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let not_found = || plain(StatusCode::NOT_FOUND, "Not found.");
    let Some(wanted) = parse(request) else {
        return not_found();
    };
    let Some(case) = app
        .try_state::<AppState>()
        .and_then(|s| s.open_case())
        .map(|o| o.case)
    else {
        return not_found();
    };
    match case.image(wanted.capture_id, "screenshot", wanted.max_width) {
        Ok((media_type, bytes)) if media_type.starts_with("image/") => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, media_type)
            // Ids restart in every case, so a cached image could belong to another case.
            .header(header::CACHE_CONTROL, "no-store")
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(bytes)
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "Error.")),
        Ok(_) => not_found(),
        Err(e) if e.is_usage_error() => not_found(),
        Err(e) => {
            tracing::warn!(
                "could not serve the screenshot of capture {}: {e}",
                wanted.capture_id
            );
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The screenshot could not be read.",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: Method, uri: &str) -> Request<Vec<u8>> {
        Request::builder()
            .method(method)
            .uri(uri)
            .body(Vec::new())
            .expect("request")
    }

    #[test]
    fn only_screenshots_parse() {
        let ok = |uri: &str| parse(&req(Method::GET, uri));
        assert_eq!(
            ok("exhibit://localhost/capture/12/screenshot"),
            Some(ScreenshotRequest {
                capture_id: 12,
                max_width: None
            })
        );
        assert_eq!(
            ok("http://exhibit.localhost/capture/3/screenshot?w=360"),
            Some(ScreenshotRequest {
                capture_id: 3,
                max_width: Some(360)
            })
        );
        for bad in [
            "exhibit://localhost/capture/12/html",
            "exhibit://localhost/capture/12/raw-body",
            "exhibit://localhost/capture/12/screenshot/x",
            "exhibit://localhost/capture/0/screenshot",
            "exhibit://localhost/capture/-1/screenshot",
            "exhibit://localhost/capture/+1/screenshot",
            "exhibit://localhost/capture/1/screenshot?w=0",
            "exhibit://localhost/capture/1/screenshot?w=99999",
            "exhibit://localhost/capture/1/screenshot?w=10&w=20",
            "exhibit://localhost/capture/1/screenshot?kind=html",
            "exhibit://localhost/capture/1/screenshot?w",
            "exhibit://evil.example/capture/1/screenshot",
            "exhibit://localhost/",
            "exhibit://localhost/index.html",
            "exhibit://localhost/capture/99999999999999999999/screenshot",
        ] {
            assert_eq!(ok(bad), None, "{bad}");
        }
        assert_eq!(
            parse(&req(
                Method::POST,
                "exhibit://localhost/capture/1/screenshot"
            )),
            None
        );
    }
}
