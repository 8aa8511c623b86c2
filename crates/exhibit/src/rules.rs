//! Business rules every front end asks the core for, so the CLI, the app and the
//! README cannot disagree: how many captures run at once by default, and what a Bates
//! prefix may be.

/// Captures in flight at once in browser mode, when the user does not say: each tab of
/// Chromium takes a core's worth of work while it renders.
pub const DEFAULT_BROWSER_CONCURRENCY: usize = 2;
/// Captures in flight at once in quick HTTP mode, when the user does not say.
pub const DEFAULT_HTTP_CONCURRENCY: usize = 8;
/// The longest Bates prefix, in characters.
pub const MAX_BATES_PREFIX_CHARS: usize = 20;

/// The default number of captures at once for a mode (`http` or `browser`).
pub fn default_concurrency(http: bool) -> usize {
    if http {
        DEFAULT_HTTP_CONCURRENCY
    } else {
        DEFAULT_BROWSER_CONCURRENCY
    }
}

/// Why a Bates prefix is refused, in one sentence; `None` when it is fine. A prefix is
/// 1 to 20 ASCII letters, digits, `-` or `_`: it is printed on every page and must sort
/// and search the same everywhere.
pub fn bates_prefix_problem(prefix: &str) -> Option<String> {
    let ok = !prefix.is_empty()
        && prefix.chars().count() <= MAX_BATES_PREFIX_CHARS
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (!ok).then(|| {
        format!(
            "A Bates prefix is 1 to {MAX_BATES_PREFIX_CHARS} letters, digits, '-' or '_', such as ACME-."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bates_prefixes() {
        for ok in ["ACME-", "a_1", "X", "ABCDEFGHIJ0123456789"] {
            assert_eq!(bates_prefix_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "ACME ",
            "ÄCME",
            "A/B",
            "ABCDEFGHIJ0123456789X",
            "A\u{202E}",
        ] {
            assert!(bates_prefix_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn concurrency_by_mode() {
        assert_eq!(default_concurrency(true), 8);
        assert_eq!(default_concurrency(false), 2);
    }
}
