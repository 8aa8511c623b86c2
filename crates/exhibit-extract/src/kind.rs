//! Page kind: listing, blocked, removed, search, store or other.

use crate::PageKind;
use crate::dom::Doc;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;
use url::Url;

/// How sure a block signal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Block {
    /// The page *is* a challenge/denial (title or form says so). Never a listing.
    Interstitial(&'static str),
    /// A challenge widget, overlay or wall text is present. A fully rendered
    /// product (title and price) underneath still makes the page a listing.
    Overlay(&'static str),
}

fn title_lc(doc: &Doc<'_>) -> String {
    doc.title.as_deref().unwrap_or_default().to_lowercase()
}

fn any_in(hay: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| hay.contains(n))
}

/// A phrase list compiled into one automaton, for long texts.
type Phrases = LazyLock<Option<AhoCorasick>>;

/// Any of `phrases` in `hay`?
fn has_any(hay: &str, phrases: &Phrases, fallback: &[&str]) -> bool {
    match phrases.as_ref() {
        Some(ac) => ac.is_match(hay),
        None => any_in(hay, fallback),
    }
}

/// Does the raw page text contain `needle`?
fn raw_has(raw: &str, needle: &str) -> bool {
    memchr::memmem::find(raw.as_bytes(), needle.as_bytes()).is_some()
}

/// Anti-bot, login-wall and error-interstitial signals.
pub(crate) fn block_signal(doc: &Doc<'_>, site_url: Option<&Url>) -> Option<Block> {
    let raw = doc.raw;
    let title = title_lc(doc);
    let vis = &doc.visible;
    let vis_lc = doc.visible_lc();
    let vis_chars = doc.visible_chars();

    // Amazon image CAPTCHA / robot check.
    if doc.first_el(&["form[action*='validateCaptcha']"]).is_some()
        || title == "robot check"
        || any_in(
            vis_lc,
            &[
                "enter the characters you see below",
                "type the characters you see in this image",
            ],
        )
    {
        return Some(Block::Interstitial("Amazon robot check (CAPTCHA)"));
    }
    // Cloudflare.
    if title.starts_with("just a moment")
        || title.contains("attention required! | cloudflare")
        || raw_has(raw, "cf-browser-verification")
        || raw_has(raw, "cf_chl_opt")
    {
        return Some(Block::Interstitial("Cloudflare challenge"));
    }
    // PerimeterX (Walmart and others).
    if title == "robot or human?"
        || any_in(
            vis_lc,
            &["activate and hold the button to confirm that you"],
        )
    {
        return Some(Block::Interstitial(
            "PerimeterX robot check (press and hold)",
        ));
    }
    // eBay bot check / error interstitial.
    if title.contains("pardon our interruption") {
        return Some(Block::Interstitial("bot check (Pardon Our Interruption)"));
    }
    // Generic access denied / rate limit / verification titles.
    const DENY_TITLES: &[&str] = &[
        "access denied",
        "access to this page has been denied",
        "403 forbidden",
        "request rejected",
        "too many requests",
        "are you a robot",
        "are you a human",
        "verify you are human",
        "human verification",
        "bot verification",
        "security check",
        "security measure",
        "captcha",
        "验证码",
        "安全验证",
        "访问验证",
        "滑动验证",
    ];
    if DENY_TITLES
        .iter()
        .any(|t| title.starts_with(t) || (title.len() < 60 && title.contains(t)))
    {
        return Some(Block::Interstitial("access denied / verification page"));
    }
    // Alibaba family baxia punish pages (Taobao, Tmall, AliExpress, 1688):
    // either the page *is* the punish page (markers in its scripts, almost no
    // visible text) or a punish iframe/dialog is laid over the page.
    let short_page = vis_chars < 400;
    let baxia_dom = doc.first_el(&[
        "iframe[src*='_____tmd_____']",
        "iframe[src*='/punish']",
        "iframe[src*='x5secdata']",
        ".J_MIDDLEWARE_FRAME_WIDGET",
        ".baxia-dialog",
        "#nocaptcha",
        "#nc_1_n1z",
        "#baxia-punish",
    ]);
    let baxia_script = || {
        [
            "_____tmd_____/punish",
            "x5secdata",
            "NCTOKENSTR",
            "punish:resource:template",
        ]
        .iter()
        .any(|n| raw_has(raw, n))
    };
    if baxia_dom.is_some()
        || (short_page && baxia_script())
        || any_in(
            vis,
            &[
                "滑动验证",
                "请按住滑块",
                "拖动到最右边",
                "Please slide to verify",
            ],
        )
    {
        let deny = baxia_dom
            .and_then(|e| e.value().attr("src"))
            .is_some_and(|src| src.contains("action=deny"))
            || doc.select("iframe[src*='action=deny']").next().is_some()
            || (short_page && raw_has(raw, "\"action\":\"deny\""));
        return Some(Block::Overlay(if deny {
            "access denied (Alibaba baxia punish)"
        } else {
            "slider CAPTCHA (Alibaba baxia)"
        }));
    }
    // DataDome (Etsy and others).
    if doc
        .first_el(&["iframe[src*='captcha-delivery.com']"])
        .is_some()
        || (short_page && raw_has(raw, "captcha-delivery.com"))
    {
        return Some(Block::Overlay("DataDome CAPTCHA"));
    }
    if doc.first_el(&["#px-captcha"]).is_some() {
        return Some(Block::Overlay("PerimeterX robot check (press and hold)"));
    }
    if short_page
        && doc
            .first_el(&[
                ".g-recaptcha",
                ".h-captcha",
                "iframe[src*='recaptcha']",
                "iframe[src*='hcaptcha']",
            ])
            .is_some()
    {
        return Some(Block::Overlay("CAPTCHA challenge"));
    }
    // Short pages that only ask the visitor to prove something.
    const CHALLENGE_TEXT: &[&str] = &[
        "unusual traffic",
        "verify you are a human",
        "verify you are human",
        "please verify you are a human",
        "checking your browser",
        "checking if the site connection is secure",
        "press & hold",
        "press and hold",
        "i'm not a robot",
        "are you a robot",
        "automated access",
        "请输入验证码",
        "请完成安全验证",
        "为了您的账号安全",
    ];
    static CHALLENGE: Phrases = LazyLock::new(|| AhoCorasick::new(CHALLENGE_TEXT).ok());
    if short_page && has_any(vis_lc, &CHALLENGE, CHALLENGE_TEXT) {
        return Some(Block::Overlay("CAPTCHA / robot check"));
    }
    // Login walls.
    let host = site_url
        .and_then(Url::host_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = site_url
        .map(|u| u.path().to_ascii_lowercase())
        .unwrap_or_default();
    if host.starts_with("login.")
        || host.starts_with("passport.")
        || host.starts_with("signin.")
        || path.contains("/login")
        || path.contains("/signin")
        || path.starts_with("/ap/signin")
    {
        return Some(Block::Overlay("login wall"));
    }
    if path.contains("/captcha")
        || path.contains("/verify/")
        || path.contains("/punish")
        || path.starts_with("/errors/")
    {
        return Some(Block::Overlay("verification page"));
    }
    if is_login_title(&title) {
        return Some(Block::Overlay("login wall"));
    }
    const VERIFY_TITLES: &[&str] = &[
        "verification",
        "verificação",
        "verificación",
        "vérification",
        "verifizierung",
        "验证",
        "認証",
    ];
    if title.chars().count() < 40 && any_in(&title, VERIFY_TITLES) {
        return Some(Block::Overlay("verification page"));
    }
    const LOGIN_TEXT: &[&str] = &[
        "faça login para continuar",
        "ainda não está logado",
        "please log in to continue",
        "please sign in to continue",
        "log in to continue",
        "sign in to continue",
        "inicia sesión para continuar",
        "iniciar sesión para continuar",
        "请登录后",
        "登录后查看",
        "sign in / register",
        "log in / sign up",
        "sign in or create an account",
        "ingresa a tu cuenta",
        "ingresá a tu cuenta",
        "entre na sua conta",
        "ログインしてください",
        "로그인이 필요",
    ];
    static LOGIN: Phrases = LazyLock::new(|| AhoCorasick::new(LOGIN_TEXT).ok());
    let small_page = vis_chars < 5000;
    if small_page && has_any(vis_lc, &LOGIN, LOGIN_TEXT) {
        return Some(Block::Overlay("login wall"));
    }
    // A bare sign-in form: a visible password field on an otherwise small page.
    if vis_chars < 3000
        && doc
            .select("input[type='password' i]")
            .any(|e| !crate::text::hidden_in_tree(e))
    {
        return Some(Block::Overlay("login wall"));
    }
    // Error interstitials (not "not found").
    const ERROR_TITLES: &[&str] = &[
        "error page",
        "error",
        "oops",
        "something went wrong",
        "service unavailable",
    ];
    if ERROR_TITLES.iter().any(|t| title.starts_with(t)) && !is_not_found_text(vis_lc) {
        return Some(Block::Overlay("error interstitial"));
    }
    if (vis_lc.contains("something went wrong on our end")
        || title.starts_with("sorry! something went wrong"))
        && vis_chars < 2000
    {
        return Some(Block::Overlay("error interstitial"));
    }
    None
}

fn is_login_title(title: &str) -> bool {
    if title.chars().count() > 60 {
        return false;
    }
    const WORDS: &[&str] = &[
        "login",
        "log in",
        "sign in",
        "signin",
        "sign-in",
        "iniciar sesión",
        "iniciar sessão",
        "entrar",
        "anmelden",
        "connexion",
        "accedi",
        "登录",
        "登入",
        "ログイン",
        "로그인",
    ];
    let tokens: Vec<&str> = title
        .split(['|', '-', '–', '—', ':', '·'])
        .map(str::trim)
        .collect();
    tokens.iter().any(|t| {
        WORDS
            .iter()
            .any(|w| t == w || t.starts_with(&format!("{w} ")) || t.ends_with(&format!(" {w}")))
    })
}

/// Wording that only a not-found page uses.
const NOT_FOUND: &[&str] = &[
    "page you requested can not be found",
    "page you requested cannot be found",
    "page you requested could not be found",
    "page you were looking for",
    "couldn't find that page",
    "could not find that page",
    "couldn't find this page",
    "we can't find that page",
    "we can't find the page",
    "page not found",
    "404 not found",
    "error 404",
    "not a functioning page",
    "looks like this page is missing",
    "we looked everywhere",
    "商品已下架",
    "宝贝已下架",
    "该商品已下架",
    "此商品已下架",
    "商品已经下架",
    "宝贝不存在",
    "商品不存在",
    "页面不存在",
    "找不到该商品",
    "您查看的宝贝不存在",
    "ページが見つかりません",
    "お探しのページは見つかりません",
    "商品が見つかりません",
    "página no encontrada",
    "página não encontrada",
    "seite nicht gefunden",
    "page introuvable",
    "pagina non trovata",
    "страница не найдена",
];

/// Wording a not-found page uses, but which can also appear on other pages.
const GONE: &[&str] = &[
    "this item is no longer available",
    "this item is unavailable",
    "this listing is no longer available",
    "listing has been removed",
    "listing was removed",
    "item not found",
    "product not found",
    "no longer available",
    "publicación no disponible",
    "publicación finalizada",
    "nicht mehr verfügbar",
    "artikel nicht gefunden",
    "товар не найден",
    "товар закончился",
];

static NOT_FOUND_AC: Phrases = LazyLock::new(|| AhoCorasick::new(NOT_FOUND).ok());
static GONE_AC: Phrases = LazyLock::new(|| AhoCorasick::new(GONE).ok());

fn is_not_found_text(s: &str) -> bool {
    has_any(s, &NOT_FOUND_AC, NOT_FOUND)
}

/// "Not found / no longer available" wording in the title, shown text or
/// image alts. The flag says whether the wording is unambiguous.
pub(crate) fn removed_signal(doc: &Doc<'_>) -> Option<(&'static str, bool)> {
    let title = title_lc(doc);
    let vis = doc.visible_lc();
    let alts = doc.alts.to_lowercase();
    if is_not_found_text(&title) || is_not_found_text(vis) || is_not_found_text(&alts) {
        return Some(("listing not found", true));
    }
    if has_any(&title, &GONE_AC, GONE) || has_any(vis, &GONE_AC, GONE) {
        return Some(("listing no longer available", false));
    }
    None
}

/// Kind implied by a URL's path/host (search results or storefront).
pub(crate) fn kind_from_url(market: Option<&str>, url: &Url) -> Option<PageKind> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = url.path().to_ascii_lowercase();
    let has_q = |keys: &[&str]| {
        url.query_pairs()
            .any(|(k, _)| keys.iter().any(|x| k.eq_ignore_ascii_case(x)))
    };
    let first_label = host.split('.').next().unwrap_or_default();
    let market = market.or_else(|| crate::market::from_host(&host))?;
    let search = match market {
        "amazon" => {
            path == "/s"
                || path.starts_with("/s/")
                || path.starts_with("/gp/search")
                || path.starts_with("/gp/bestsellers")
        }
        "ebay" => path.starts_with("/sch/") || path.starts_with("/b/"),
        "etsy" => path.contains("/search") || path.contains("/c/"),
        "taobao" => first_label == "s" || path.starts_with("/search") || path.contains("/list"),
        "tmall" => first_label == "list" || path.contains("search_product"),
        "aliexpress" => {
            path.starts_with("/w/")
                || path.contains("wholesale")
                || path.starts_with("/category/")
                || path.contains("/af/")
        }
        "alibaba" => {
            path.starts_with("/trade/search")
                || path.starts_with("/showroom/")
                || path.starts_with("/products/")
        }
        "1688" => first_label == "s" || path.contains("offer_search") || path.contains("selloffer"),
        "jd" => first_label == "search" || first_label == "list" || path.starts_with("/search"),
        "temu" => path.contains("search_result") || path.starts_with("/search"),
        "walmart" => {
            path.starts_with("/search") || path.starts_with("/browse/") || path.starts_with("/cp/")
        }
        "mercadolibre" => first_label == "listado" || first_label == "lista",
        "rakuten" => first_label == "search",
        _ => {
            path.contains("/search")
                || path.starts_with("/s/")
                || has_q(&["q", "k", "keyword", "keywords", "searchtext", "query"])
        }
    } || (path.contains("/search")
        && has_q(&[
            "q",
            "k",
            "keyword",
            "keywords",
            "searchtext",
            "query",
            "_nkw",
        ]));
    if search {
        return Some(PageKind::Search);
    }
    let store = match market {
        "amazon" => {
            path.starts_with("/stores/")
                || path.starts_with("/shops/")
                || (path.starts_with("/sp") && has_q(&["seller"]))
        }
        "ebay" => path.starts_with("/str/") || path.starts_with("/usr/"),
        "etsy" => path.contains("/shop/") && !path.contains("/listing/"),
        "taobao" => {
            first_label
                .strip_prefix("shop")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                || (!matches!(
                    first_label,
                    "item"
                        | "s"
                        | "www"
                        | "login"
                        | "h5"
                        | "m"
                        | "world"
                        | "detail"
                        | "market"
                        | "buyertrade"
                        | "cart"
                        | "main"
                        | "i"
                        | "shop"
                ) && host.ends_with(".taobao.com")
                    && host.matches('.').count() == 2)
        }
        "tmall" => {
            !matches!(
                first_label,
                "detail"
                    | "www"
                    | "list"
                    | "login"
                    | "chaoshi"
                    | "pages"
                    | "cart"
                    | "buy"
                    | "m"
                    | "h5"
                    | "mdetail"
            ) && host.ends_with(".tmall.com")
                && host.matches('.').count() == 2
        }
        "aliexpress" => path.starts_with("/store/") && !path.contains("/product/"),
        "1688" => {
            path.contains("/page/offerlist")
                || path.contains("/page/index")
                || path.starts_with("/shop/")
        }
        "alibaba" => host.ends_with(".en.alibaba.com") || path.contains("company_profile"),
        "jd" => first_label == "mall" || path.starts_with("/index-"),
        "temu" => {
            let p = path.trim_end_matches(".html");
            p.rsplit_once("-m-")
                .is_some_and(|(_, id)| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
                || path.starts_with("/mall")
        }
        "shopee" => path.starts_with("/shop/"),
        "walmart" => path.starts_with("/seller/"),
        "mercadolibre" => {
            path.starts_with("/tienda/")
                || path.starts_with("/pagina/")
                || path.contains("_custid_")
        }
        "rakuten" => first_label == "www" && path.split('/').filter(|s| !s.is_empty()).count() == 1,
        _ => false,
    };
    store.then_some(PageKind::Store)
}

/// Search-results wording in the `<title>`.
pub(crate) fn search_title(doc: &Doc<'_>) -> bool {
    let t = title_lc(doc);
    any_in(
        &t,
        &[
            "商品搜索",
            "search results",
            "resultados de búsqueda",
            "suchergebnisse",
            "検索結果",
            "搜索结果",
        ],
    )
}
