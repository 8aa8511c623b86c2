//! Asking TSAs over HTTP (RFC 3161 §3.4): one POST per TSA, in order, until one answer
//! verifies.

use std::time::Duration;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};

use crate::{NoTrustedTime, Stamp, Trust, TsaError, request, verify};

/// The most of an answer that is read. Real responses are a few kilobytes.
pub const MAX_RESPONSE: u64 = 1 << 20;

/// The per-request time limit callers use when they have no reason to choose another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Tries each URL in order; the first verified stamp wins. When none does, every
/// attempt's reason is kept.
///
/// Each attempt gets a fresh nonce and at most `timeout` for the whole exchange. No
/// redirect is followed: a TSA that moved is reported with its status.
pub async fn stamp(
    urls: &[String],
    trust: &Trust,
    digest: &[u8; 32],
    timeout: Duration,
) -> Result<Stamp, NoTrustedTime> {
    let mut attempts = Vec::new();
    if urls.is_empty() {
        return Err(NoTrustedTime { attempts });
    }
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .user_agent(concat!("exhibit-tsa/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            let error = TsaError::Client(innermost(&e));
            return Err(NoTrustedTime {
                attempts: urls.iter().map(|u| (u.clone(), error.clone())).collect(),
            });
        }
    };
    for url in urls {
        match stamp_one(&client, url, trust, digest, timeout).await {
            Ok(stamp) => {
                for (failed, error) in &attempts {
                    tracing::info!(tsa = %failed, %error, "time-stamp authority skipped");
                }
                return Ok(stamp);
            }
            Err(error) => {
                tracing::warn!(tsa = %url, %error, "time-stamp authority gave no trusted time");
                attempts.push((url.clone(), error));
            }
        }
    }
    Err(NoTrustedTime { attempts })
}

async fn stamp_one(
    client: &reqwest::Client,
    url: &str,
    trust: &Trust,
    digest: &[u8; 32],
    timeout: Duration,
) -> Result<Stamp, TsaError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| TsaError::BadUrl(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(TsaError::BadUrl(format!(
            "scheme {} is not http or https",
            parsed.scheme()
        )));
    }
    let req = request(digest)?;
    let body = tokio::time::timeout(timeout, fetch(client, parsed, req.der.clone()))
        .await
        .map_err(|_| TsaError::Timeout(timeout))?
        .map_err(|e| match e {
            TsaError::Timeout(_) => TsaError::Timeout(timeout),
            other => other,
        })?;
    let mut stamp = verify(&body, digest, Some(&req.nonce), trust)?;
    stamp.tsa_url = url.to_owned();
    Ok(stamp)
}

async fn fetch(
    client: &reqwest::Client,
    url: reqwest::Url,
    query: Vec<u8>,
) -> Result<Vec<u8>, TsaError> {
    let mut response = client
        .post(url)
        .header(CONTENT_TYPE, "application/timestamp-query")
        .body(query)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                TsaError::Timeout(Duration::ZERO)
            } else {
                TsaError::Unreachable(innermost(&e))
            }
        })?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        return Err(TsaError::HttpStatus(status.as_u16()));
    }
    if let Some(value) = response.headers().get(CONTENT_TYPE) {
        let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let media = text
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        // RFC 3161 names timestamp-reply; a few old servers say timestamp-response.
        if media != "application/timestamp-reply" && media != "application/timestamp-response" {
            return Err(TsaError::WrongContentType(text));
        }
    }
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_RESPONSE) {
        return Err(TsaError::TooLarge(MAX_RESPONSE));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        if e.is_timeout() {
            TsaError::Timeout(Duration::ZERO)
        } else {
            TsaError::Transfer(innermost(&e))
        }
    })? {
        if body.len() as u64 + chunk.len() as u64 > MAX_RESPONSE {
            return Err(TsaError::TooLarge(MAX_RESPONSE));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The most specific cause of an HTTP error, which is what a user can act on
/// ("Connection refused"), without the URL that the caller already reports.
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    let text = current.to_string();
    text.strip_suffix('.').unwrap_or(&text).replace(';', ",")
}
