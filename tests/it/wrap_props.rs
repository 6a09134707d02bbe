//! Properties of the wrapper and the renderer over arbitrary text and widths 1 to 200.

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;
use yuedu::document::{
    AmbiWidth, Line, RenderOptions, display_width, is_closing, is_opening, parse, sanitize, wrap_text,
};

/// Characters that stress the wrapper: ideographs, kinsoku punctuation, ambiguous-width marks,
/// Latin words, digits and token punctuation, spaces, combining marks, emoji, controls.
const ALPHABET: &[&str] = &[
    "中",
    "文",
    "字",
    "漏",
    "洞",
    "。",
    "，",
    "、",
    "；",
    "：",
    "！",
    "？",
    "）",
    "」",
    "』",
    "】",
    "》",
    "〉",
    "…",
    "（",
    "「",
    "『",
    "【",
    "《",
    "〈",
    "“",
    "”",
    "‘",
    "’",
    "—",
    "·",
    "①",
    "a",
    "b",
    "word",
    "CVE-2024-3094",
    "192.168.1.1",
    "30%",
    "2024年",
    "8.1355亿美元",
    "https://example.com/a/b?c=d",
    " ",
    " ",
    " ",
    "\u{3000}",
    "\u{301}",
    "\u{200d}",
    "🇨🇳",
    "👍🏽",
    "e\u{301}",
    "\t",
    "\n",
    "\u{1b}[31m",
    "\u{202e}",
    "-",
    "/",
    ".",
    ",",
    "(",
    ")",
    "x",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(proptest::sample::select(ALPHABET), 0..120).prop_map(|v| v.concat()),
    ]
}

/// Markdown syntax mixed with the text alphabet, to stress the layout of blocks.
const MARKDOWN: &[&str] = &[
    "\n",
    "\n\n",
    "- ",
    "  - ",
    "> ",
    "1. ",
    "12. ",
    "| ",
    " | ",
    "|---|---|\n",
    "---\n",
    "```\n",
    "    ",
    "**",
    "*",
    "~~",
    "`",
    "[",
    "](https://e.com/x)",
    "](javascript:x)",
    ")",
    "![",
    "<br>",
    "<div>",
    "</div>",
    "# ",
    "## ",
    "&#27;",
    "&#x9b;",
    "&#x202e;",
];

fn markdown() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        proptest::collection::vec(
            prop_oneof![proptest::sample::select(ALPHABET), proptest::sample::select(MARKDOWN)],
            0..160
        )
        .prop_map(|v| v.concat()),
    ]
}

fn ambi() -> impl Strategy<Value = AmbiWidth> {
    prop_oneof![Just(AmbiWidth::Narrow), Just(AmbiWidth::Wide)]
}

/// The article text of a line: its spans less inserted marks.
fn content(line: &Line) -> String {
    line.spans.iter().filter(|s| !s.style.mark).map(|s| s.text.as_str()).collect()
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\n'
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_line_is_wider_than_the_width(s in text(), width in 1usize..=200, ambi in ambi()) {
        for line in wrap_text(&s, &RenderOptions { width, ambiwidth: ambi }) {
            let text = line.plain_text();
            prop_assert!(display_width(&text, ambi) <= width, "{:?} is wider than {}", text, width);
        }
    }

    /// Joining the lines and removing what the wrapper inserted (breaks, marks, trimmed spaces)
    /// gives back the sanitized input. At width 1, a wide character is drawn as `?`.
    #[test]
    fn no_text_is_lost(s in text(), width in 1usize..=200, ambi in ambi()) {
        let clean = sanitize(&s);
        let expected: String = clean
            .graphemes(true)
            .filter(|g| !g.chars().all(is_space))
            .map(|g| if display_width(g, ambi) > width { "?" } else { g })
            .flat_map(str::chars)
            .filter(|&c| !is_space(c))
            .collect();
        let lines = wrap_text(&s, &RenderOptions { width, ambiwidth: ambi });
        let got: String = lines.iter().flat_map(|l| content(l).chars().collect::<Vec<_>>()).filter(|&c| !is_space(c)).collect();
        prop_assert_eq!(got, expected);
    }

    /// A line starts with closing punctuation only when no earlier cut of the previous line
    /// could avoid it: every other place to cut would also start a line with closing punctuation
    /// or end one with opening punctuation.
    #[test]
    fn kinsoku_holds_unless_impossible(s in text(), width in 2usize..=200, ambi in ambi()) {
        let s: String = s.chars().filter(|c| !matches!(c, '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}')).collect();
        let lines = wrap_text(&s, &RenderOptions { width, ambiwidth: ambi });
        for pair in lines.windows(2) {
            let (prev, next) = (content(&pair[0]), content(&pair[1]));
            if !next.chars().next().is_some_and(is_closing) {
                continue;
            }
            let gs: Vec<&str> = prev.graphemes(true).chain(next.graphemes(true).take(1)).collect();
            let solid = |g: &&&str| !g.chars().all(is_space);
            for cut in 1..prev.graphemes(true).count() {
                let after = gs[cut..].iter().find(solid).and_then(|g| g.chars().next());
                let before = gs[..cut].iter().rev().find(solid).and_then(|g| g.chars().next_back());
                prop_assert!(
                    after.is_some_and(is_closing) || before.is_none_or(is_opening),
                    "{:?} / {:?}: cutting at {} would have kept the closing mark off the line start",
                    prev, next, cut
                );
            }
        }
    }

    #[test]
    fn rendered_markdown_fits_and_is_clean(s in markdown(), width in 1usize..=200, ambi in ambi()) {
        let doc = parse(&s);
        for line in doc.render(&RenderOptions { width, ambiwidth: ambi }) {
            let text = line.plain_text();
            prop_assert!(display_width(&text, ambi) <= width, "{:?} is wider than {}", text, width);
            prop_assert!(!text.chars().any(char::is_control), "control in {:?}", text);
            let clean = sanitize(&text);
            prop_assert_eq!(clean.as_ref(), text.as_str());
        }
    }
}

#[test]
fn the_issue_punctuation_is_covered() {
    assert!("。，、；：！？）」』】》〉…".chars().all(is_closing));
    assert!("（「『【《〈".chars().all(is_opening));
}
