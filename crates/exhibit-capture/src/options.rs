//! What a [`crate::Fetcher`] may do: limits, DNS overrides and extra trusted roots.

use std::net::IpAddr;
use std::time::Duration;

/// Options could not be turned into a working client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OptionsError(pub String);

/// Sends connections for `host:port` to `addr`, like curl's `--resolve HOST:PORT:ADDR`.
///
/// The override applies to `host` on every port: the HTTP client resolves names, not
/// name-and-port pairs. The record keeps the override as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveOverride {
    pub host: String,
    pub port: u16,
    pub addr: IpAddr,
}

impl ResolveOverride {
    /// Parses `HOST:PORT:ADDR`; ADDR may be an IPv6 address in brackets.
    pub fn parse(s: &str) -> Result<Self, OptionsError> {
        let bad = |why: &str| {
            OptionsError(format!(
                "--resolve '{s}' is not HOST:PORT:ADDR ({why}); for example item.taobao.com:443:127.0.0.1."
            ))
        };
        let mut parts = s.splitn(3, ':');
        let host = parts
            .next()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("no host"))?;
        let port = parts
            .next()
            .ok_or_else(|| bad("no port"))?
            .parse::<u16>()
            .map_err(|_| bad("the port is not a number from 0 to 65535"))?;
        let addr = parts.next().ok_or_else(|| bad("no address"))?;
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        let addr = addr
            .parse::<IpAddr>()
            .map_err(|_| bad("the address is not an IP address"))?;
        Ok(ResolveOverride {
            host: host.to_ascii_lowercase(),
            port,
            addr,
        })
    }
}

impl std::fmt::Display for ResolveOverride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.addr {
            IpAddr::V6(a) => write!(f, "{}:{}:[{a}]", self.host, self.port),
            IpAddr::V4(a) => write!(f, "{}:{}:{a}", self.host, self.port),
        }
    }
}

/// Limits and settings for fetching.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Total time for one capture, redirects and body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body_bytes: u64,
    pub max_decoded_bytes: u64,
    pub max_redirects: usize,
    pub resolve: Vec<ResolveOverride>,
    /// PEM files' contents to trust as extra roots.
    pub extra_root_pems: Vec<Vec<u8>>,
    pub user_agent: String,
    pub accept_language: String,
    /// How many fetches will run at once, to size the connection pool.
    pub concurrency_hint: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: crate::DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(15),
            max_body_bytes: crate::DEFAULT_MAX_BODY_BYTES,
            max_decoded_bytes: crate::DEFAULT_MAX_DECODED_BYTES,
            max_redirects: crate::DEFAULT_MAX_REDIRECTS,
            resolve: Vec::new(),
            extra_root_pems: Vec::new(),
            user_agent: default_user_agent(),
            accept_language: "en-US,en;q=0.9".into(),
            concurrency_hint: 8,
        }
    }
}

/// A browser-like user agent that still names the tool honestly.
pub fn default_user_agent() -> String {
    format!(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Exhibit/{} (evidence capture)",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_curl_style_resolve() {
        let r = ResolveOverride::parse("item.taobao.com:443:127.0.0.1").expect("parse");
        assert_eq!(r.port, 443);
        assert_eq!(r.to_string(), "item.taobao.com:443:127.0.0.1");
        let r6 = ResolveOverride::parse("a.test:80:[::1]").expect("v6");
        assert_eq!(r6.to_string(), "a.test:80:[::1]");
        for bad in [
            "",
            "host",
            "host:99999:1.2.3.4",
            "host:80:not-an-ip",
            ":80:1.2.3.4",
        ] {
            assert!(ResolveOverride::parse(bad).is_err(), "{bad}");
        }
    }
}
