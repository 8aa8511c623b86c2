//! Line breaking with real glyph advances.
//!
//! Latin text breaks at spaces (and after hyphens), CJK text between any two characters
//! except before closing or after opening punctuation, and a token wider than the line
//! (a URL, a hash) breaks wherever it must. Every line holds at least one character, so
//! wrapping always terminates, whatever the width.

use crate::fonts::Face;

/// How a line may be broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Breaks {
    /// At spaces and around CJK characters; long tokens anywhere.
    Words,
    /// Anywhere, keeping every space (preformatted text).
    Anywhere,
}

/// Replaces what a face cannot print sensibly: control characters become the face's
/// replacement character, tabs become spaces, and every line ending becomes `\n`.
pub(crate) fn clean(text: &str, face: &Face) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{0B}' | '\u{0C}' | '\u{85}' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push(face.replacement()),
            c => out.push(c),
        }
    }
    out
}

/// Flattens text to one line (for footers and table-of-contents titles).
pub(crate) fn one_line(text: &str, face: &Face) -> String {
    clean(text, face).replace('\n', " ")
}

/// Wraps `text` to `max_width` points at `size`. A `\n` always starts a new line; an
/// empty input gives no lines.
pub(crate) fn wrap(
    text: &str,
    face: &Face,
    size: f32,
    max_width: f32,
    breaks: Breaks,
) -> Vec<String> {
    let text = clean(text, face);
    if text.is_empty() {
        return Vec::new();
    }
    let max_width = if max_width.is_finite() {
        max_width.max(0.0)
    } else {
        0.0
    };
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        if hard.is_empty() {
            lines.push(String::new());
            continue;
        }
        let chars: Vec<char> = hard.chars().collect();
        let widths: Vec<f32> = chars.iter().map(|c| face.advance(*c) * size).collect();
        match breaks {
            Breaks::Anywhere => wrap_anywhere(&chars, &widths, max_width, &mut lines),
            Breaks::Words => wrap_words(&chars, &widths, max_width, &mut lines),
        }
    }
    lines
}

/// Shortens `text` with "…" until it fits `room` points.
pub(crate) fn ellipsize(text: &str, room: f32, width: impl Fn(&str) -> f32) -> String {
    let text = text.trim();
    if width(text) <= room {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if width(&candidate) <= room {
            return candidate;
        }
    }
    String::new()
}

/// The width [`wrap`] with [`Breaks::Words`] needs to keep every word of `text` whole:
/// the widest run of characters between two places a line may break, measured as
/// `wrap` measures it. Runs wider than `limit` (a URL, a hash) are left out: those may
/// break anywhere.
pub(crate) fn widest_word(text: &str, face: &Face, size: f32, limit: f32) -> f32 {
    let mut widest = 0.0f32;
    let mut keep = |w: f32| {
        if w <= limit {
            widest = widest.max(w);
        }
    };
    let text = clean(text, face);
    for hard in text.split('\n') {
        let chars: Vec<char> = hard.chars().collect();
        // A line may break only before a character that is not a space, so every run
        // starts with ink; spaces at a paragraph's start count, and spaces at a line's
        // end hang past the margin, as in `wrap_words`.
        let mut width = 0.0f32;
        let mut inked = 0.0f32;
        for (i, &c) in chars.iter().enumerate() {
            if i > 0 && may_break_between(chars[i - 1], c) {
                keep(inked);
                width = 0.0;
                inked = 0.0;
            }
            width += face.advance(c) * size;
            if c != ' ' {
                inked = width;
            }
        }
        keep(inked);
    }
    widest
}

fn wrap_anywhere(chars: &[char], widths: &[f32], max_width: f32, lines: &mut Vec<String>) {
    let mut start = 0;
    let mut width = 0.0;
    for i in 0..chars.len() {
        if i > start && width + widths[i] > max_width {
            lines.push(chars[start..i].iter().collect());
            start = i;
            width = 0.0;
        }
        width += widths[i];
    }
    lines.push(chars[start..].iter().collect());
}

fn wrap_words(chars: &[char], widths: &[f32], max_width: f32, lines: &mut Vec<String>) {
    let n = chars.len();
    let mut start = 0;
    while start < n {
        let mut width = 0.0;
        let mut i = start;
        let mut last_break = None;
        while i < n {
            let c = chars[i];
            if i > start && may_break_between(chars[i - 1], c) {
                last_break = Some(i);
            }
            // Spaces may hang past the margin: they are trimmed from the line's end.
            if i > start && c != ' ' && width + widths[i] > max_width {
                break;
            }
            width += widths[i];
            i += 1;
        }
        if i >= n {
            push_trimmed(&chars[start..], lines);
            break;
        }
        let end = match last_break {
            Some(b) if b > start => b,
            _ => i,
        };
        push_trimmed(&chars[start..end], lines);
        start = end;
        while start < n && chars[start] == ' ' {
            start += 1;
        }
    }
}

fn push_trimmed(chars: &[char], lines: &mut Vec<String>) {
    let s: String = chars.iter().collect();
    lines.push(s.trim_end_matches(' ').to_string());
}

/// Whether a line may end between `before` and `after`.
fn may_break_between(before: char, after: char) -> bool {
    if after == ' ' {
        return false;
    }
    if before == ' ' {
        return true;
    }
    if is_closing(after) || is_opening(before) {
        return false;
    }
    if before == '-' && after.is_alphanumeric() {
        return true;
    }
    is_cjk(before) || is_cjk(after)
}

/// Characters written without spaces between words, so a line may break around any of
/// them.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF       // Hangul Jamo
        | 0x2E80..=0x2FFF     // radicals
        | 0x3000..=0x303F     // CJK punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x31FF
        | 0x3200..=0x4DBF
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF)
}

/// Punctuation that must not start a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        ',' | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
            | '\''
            | '"'
            | '，'
            | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '】'
            | '》'
            | '〉'
            | '”'
            | '’'
            | '・'
            | '·'
            | 'ー'
            | '…'
            | '～'
            | '〕'
            | '］'
            | '｝'
    )
}

/// Punctuation that must not end a line.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '（' | '「' | '『' | '【' | '《' | '〈' | '“' | '‘' | '〔' | '［' | '｛'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fonts;
    use crate::fonts::FaceKind;

    fn check(text: &str, width: f32, breaks: Breaks) -> Vec<String> {
        let fonts = Fonts::system().unwrap_or_else(|e| panic!("{e}"));
        let face = fonts.face(FaceKind::Regular);
        let lines = wrap(text, face, 10.0, width, breaks);
        for line in &lines {
            // A single character may exceed a silly width; nothing else may.
            assert!(
                line.chars().count() <= 1 || face.width(line, 10.0) <= width + 0.01,
                "{line:?} is wider than {width}"
            );
        }
        let kept: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let given: String = text.chars().filter(|c| *c != ' ' && *c != '\n').collect();
        assert_eq!(kept, given, "characters lost or added");
        lines
    }

    #[test]
    fn wraps_words_cjk_and_long_tokens() {
        assert_eq!(
            check("hello world", 30.0, Breaks::Words),
            ["hello", "world"]
        );
        assert_eq!(check("a\n\nb", 100.0, Breaks::Words), ["a", "", "b"]);
        let cjk = check(
            "假冒商品，商品链接。假冒商品，商品链接。",
            45.0,
            Breaks::Words,
        );
        assert!(cjk.len() > 3);
        assert!(
            cjk.iter()
                .all(|l| !l.starts_with('，') && !l.starts_with('。')),
            "{cjk:?}"
        );
        let url = "https://shop.example/item?id=".to_string() + &"7".repeat(300);
        assert!(check(&format!("see {url} now"), 200.0, Breaks::Words).len() > 4);
        assert_eq!(check("  indented", 500.0, Breaks::Words), ["  indented"]);
        assert!(check("abc", 0.0, Breaks::Words).len() == 3);
        assert!(check("abc", f32::NAN, Breaks::Anywhere).len() == 3);
        assert_eq!(check("ab cd", 1000.0, Breaks::Anywhere), ["ab cd"]);
    }

    #[test]
    fn ellipsize_fits() {
        let w = |s: &str| s.chars().count() as f32;
        assert_eq!(ellipsize("short", 10.0, w), "short");
        assert_eq!(ellipsize("a long footer", 6.0, w), "a lon…");
        assert_eq!(ellipsize("abc", 0.0, w), "");
    }

    #[test]
    fn widest_word_is_what_wrapping_keeps_whole() {
        let fonts = Fonts::system().unwrap_or_else(|e| panic!("{e}"));
        let face = fonts.face(FaceKind::Bold);
        for text in [
            "Marketplace",
            "Listing ID",
            "  indented words",
            "Captured (UTC) 2025-03-14T15:09:26.123Z",
            "well-known double-barrelled",
            "假冒商品，商品链接",
            "trailing   ",
            "a\nlonger second line",
        ] {
            let need = widest_word(text, face, 9.0, f32::INFINITY);
            let lines = wrap(text, face, 9.0, need, Breaks::Words);
            let words = wrap(text, face, 9.0, 10_000.0, Breaks::Words)
                .iter()
                // A line may break after a hyphen, so the parts are the words.
                .flat_map(|l| l.split([' ', '-']).map(str::to_string).collect::<Vec<_>>())
                .filter(|w| !w.is_empty() && !w.chars().any(is_cjk))
                .collect::<Vec<_>>();
            for word in words {
                assert!(
                    lines.iter().any(|l| l.contains(&word)),
                    "{word:?} of {text:?} broke at {need}: {lines:?}"
                );
            }
            // And a hair less breaks something.
            let fewer = wrap(text, face, 9.0, need - 0.5, Breaks::Words);
            assert!(fewer.len() > lines.len() || fewer != lines, "{text:?}");
        }
        let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let short = widest_word("sha256", face, 9.0, f32::INFINITY);
        assert_eq!(
            widest_word(&format!("sha256 {hash}"), face, 9.0, 100.0),
            short
        );
        assert_eq!(widest_word("", face, 9.0, f32::INFINITY), 0.0);
    }

    #[test]
    fn break_rules() {
        assert!(may_break_between(' ', 'a'));
        assert!(!may_break_between('a', 'b'));
        assert!(may_break_between('商', '品'));
        assert!(!may_break_between('商', '，'));
        assert!(!may_break_between('（', '商'));
        assert!(may_break_between('a', '商'));
        assert!(!may_break_between('a', ' '));
    }
}
