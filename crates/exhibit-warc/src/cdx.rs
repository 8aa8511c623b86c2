//! The CDXJ index a WACZ carries: one line per replayable record, sorted, so a replay
//! tool can binary-search a URL and fetch just that record's gzip member.
//!
//! A line is `SURT-key 14-digit-timestamp {json}`. The key follows the lookup key of
//! wabac.js (ReplayWeb.page's engine) for `http(s)` URLs: lower case, a leading `www.`
//! dropped, host labels reversed and joined by commas, `)`, then path and sorted query.
//! Other URIs (`urn:…`) are their own key.

use chrono::{DateTime, Utc};
use serde::Serialize;
use url::Url;

use crate::record::timestamp14;

/// The sort key of a URL.
pub(crate) fn surt(url: &str) -> String {
    let lower = url.to_lowercase();
    let Some((scheme, rest)) = lower.split_once("://") else {
        return url.to_owned();
    };
    if scheme != "http" && scheme != "https" {
        return url.to_owned();
    }
    let rest = strip_www(rest);
    let Ok(parsed) = Url::parse(&format!("{scheme}://{rest}")) else {
        return url.to_owned();
    };
    let Some(host) = parsed.host_str() else {
        return url.to_owned();
    };
    let mut key = host.split('.').rev().collect::<Vec<_>>().join(",");
    if let Some(port) = parsed.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push(')');
    key.push_str(parsed.path());
    if let Some(query) = parsed.query() {
        let mut params: Vec<&str> = query.split('&').collect();
        params.sort_by_key(|p| p.split('=').next().unwrap_or_default());
        key.push('?');
        key.push_str(&params.join("&"));
    }
    key
}

/// `www.`, `www1.`, … dropped from the front of a host.
fn strip_www(rest: &str) -> &str {
    let Some(after) = rest.strip_prefix("www") else {
        return rest;
    };
    let digits = after.chars().take_while(char::is_ascii_digit).count();
    match after[digits..].strip_prefix('.') {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => rest,
    }
}

/// The JSON part of a line, in the field order py-wacz writes (values as strings, as
/// pywb's CDXJ has them).
#[derive(Serialize)]
struct Fields<'a> {
    url: &'a str,
    mime: &'a str,
    status: String,
    digest: &'a str,
    length: String,
    offset: String,
    filename: &'a str,
}

/// One record to index.
pub(crate) struct Entry<'a> {
    pub(crate) url: &'a str,
    pub(crate) date: DateTime<Utc>,
    pub(crate) mime: &'a str,
    pub(crate) status: u16,
    pub(crate) digest: &'a str,
    pub(crate) offset: u64,
    pub(crate) length: u64,
    pub(crate) filename: &'a str,
}

/// The index line of one record.
pub(crate) fn line(e: &Entry<'_>) -> String {
    let fields = Fields {
        url: e.url,
        mime: e.mime,
        status: e.status.to_string(),
        digest: e.digest,
        length: e.length.to_string(),
        offset: e.offset.to_string(),
        filename: e.filename,
    };
    // Serialising plain strings cannot fail.
    let json = serde_json::to_string(&fields).unwrap_or_default();
    format!("{} {} {json}", surt(e.url), timestamp14(e.date))
}

/// The media type of a `Content-Type` value, without parameters, lower case; `unk`
/// when there is none (as pywb writes).
pub(crate) fn mime_of(content_type: Option<&str>) -> String {
    let base = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if base.is_empty() {
        "unk".to_owned()
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_replay_lookup() {
        assert_eq!(
            surt("https://www.Example.com/A?b=2&a=1"),
            "com,example)/a?a=1&b=2"
        );
        assert_eq!(
            surt("http://shop.example.com:8080/"),
            "com,example,shop:8080)/"
        );
        assert_eq!(surt("https://www2.example.org"), "org,example)/");
        assert_eq!(surt("https://www.com/"), "com)/");
        assert_eq!(
            surt("urn:view:https://example.com/"),
            "urn:view:https://example.com/"
        );
        assert_eq!(mime_of(Some("Text/HTML; charset=gbk")), "text/html");
        assert_eq!(mime_of(None), "unk");
    }
}
