//! Which marketplace account a page shows as logged in: the "virtual identity" the
//! Berkeley Protocol asks a collector to record.
//!
//! Only the account widgets of the marketplaces' own page headers are read, never the
//! body: a name in a review or a seller's store must not be taken for the shopper. A
//! header that invites the visitor to sign in means nobody is logged in.

use crate::dom::Doc;
use crate::text::shown_text;

/// Words in the account widget of a page whose visitor is not logged in.
const SIGNED_OUT: &[&str] = &[
    "sign in",
    "signin",
    "log in",
    "login",
    "identif",
    "anmelden",
    "connect",
    "accedi",
    "iniciar",
    "entrar",
    "inloggen",
    "zaloguj",
    "giriş",
    "ログイン",
    "登录",
    "登錄",
    "请登录",
    "로그인",
];

/// Longest account name accepted; anything longer is page text, not a name.
const MAX_NAME_CHARS: usize = 64;

/// The account name the page header greets, if it greets one.
pub(crate) fn logged_in_as(doc: &Doc<'_>, market: Option<&str>) -> Option<String> {
    let raw = match market? {
        "amazon" => greeting(doc, &["#nav-link-accountList-nav-line-1"]),
        "taobao" | "tmall" => header_text(
            doc,
            &[
                ".site-nav-login-info-nick",
                ".site-nav-user-nick",
                ".j_UserNick",
            ],
        ),
        "jd" => header_text(doc, &["#ttbar-login .nickname", ".nickname"]),
        "ebay" => greeting(doc, &["#gh-ug b", ".gh-identity__greeting", "#gh-ug"]),
        _ => None,
    }?;
    let name = raw.trim().trim_end_matches(['!', '！', ',', '.']).trim();
    let lower = name.to_lowercase();
    let signed_out = name.is_empty() || SIGNED_OUT.iter().any(|w| lower.contains(w));
    (!signed_out && name.chars().count() <= MAX_NAME_CHARS).then(|| name.to_string())
}

/// The first non-empty text of any selector, hidden or not: Taobao keeps the nick in a
/// menu that opens on hover.
fn header_text(doc: &Doc<'_>, sels: &[&'static str]) -> Option<String> {
    sels.iter()
        .find_map(|s| doc.select(s).map(shown_text).find(|t| !t.trim().is_empty()))
}

/// A greeting such as "Hello, Samir" or "Hi Samir!", with the greeting word taken off.
fn greeting(doc: &Doc<'_>, sels: &[&'static str]) -> Option<String> {
    let text = header_text(doc, sels)?;
    let text = text.trim();
    let lower = text.to_lowercase();
    if SIGNED_OUT.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let rest = match text.split_once(',') {
        Some((_, rest)) => rest,
        None => match text.split_once(char::is_whitespace) {
            Some((first, rest)) if is_greeting_word(first) => rest,
            _ => text,
        },
    };
    Some(rest.trim().to_string())
}

fn is_greeting_word(w: &str) -> bool {
    let w = w.trim_end_matches(['!', ',']).to_lowercase();
    [
        "hi", "hello", "hola", "hallo", "bonjour", "ciao", "olá", "ola", "hej", "witaj", "merhaba",
    ]
    .contains(&w.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(html: &str, market: &str) -> Option<String> {
        logged_in_as(&Doc::parse(html), Some(market))
    }

    #[test]
    fn amazon_greeting_names_the_account() {
        let html = r#"<span id="nav-link-accountList-nav-line-1">Hello, Samir</span>"#;
        assert_eq!(who(html, "amazon").as_deref(), Some("Samir"));
    }

    #[test]
    fn amazon_sign_in_prompt_is_nobody() {
        for text in ["Hello, sign in", "Hola, identifícate", "Hallo, anmelden"] {
            let html = format!(r#"<span id="nav-link-accountList-nav-line-1">{text}</span>"#);
            assert_eq!(who(&html, "amazon"), None, "{text}");
        }
    }

    #[test]
    fn taobao_nick_even_when_hidden() {
        let html = r#"<div style="display:none"><a class="site-nav-login-info-nick">tb000000000</a></div>"#;
        assert_eq!(who(html, "taobao").as_deref(), Some("tb000000000"));
        let empty = r#"<a class="site-nav-login-info-nick "></a><a class="site-nav-login-info-nick">亲，请登录</a>"#;
        assert_eq!(who(empty, "taobao"), None);
    }

    #[test]
    fn ebay_hi_name() {
        let html = r#"<div id="gh-ug">Hi <b>alice_buyer</b>!</div>"#;
        assert_eq!(who(html, "ebay").as_deref(), Some("alice_buyer"));
        let out = r##"<span class="gh-identity__greeting">Hi! <a href="#">Sign in</a></span>"##;
        assert_eq!(who(out, "ebay"), None);
    }

    #[test]
    fn a_name_in_the_body_of_an_unknown_site_is_not_an_identity() {
        let html = r#"<p class="nickname">someone</p>"#;
        assert_eq!(who(html, "etsy"), None);
        assert_eq!(logged_in_as(&Doc::parse(html), None), None);
    }

    #[test]
    fn an_overlong_text_is_not_a_name() {
        let long = "x".repeat(200);
        let html = format!(r#"<a class="site-nav-login-info-nick">{long}</a>"#);
        assert_eq!(who(&html, "taobao"), None);
    }
}
