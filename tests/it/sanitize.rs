//! One test per sanitizer rule of issue 3, each escape sequence in its 7-bit and its C1 form.

use yuedu::document::{AmbiWidth, RenderOptions, parse, sanitize};

fn s(text: &str) -> String {
    sanitize(text).into_owned()
}

// Rule 1: whole escape sequences are removed.

#[test]
fn csi_7bit_removed_through_final_byte() {
    assert_eq!(s("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
    assert_eq!(s("x\u{1b}[2J\u{1b}[1;1Hy"), "xy");
    // Private parameters and intermediates are part of the sequence.
    assert_eq!(s("x\u{1b}[?1049hy"), "xy");
    assert_eq!(s("x\u{1b}[1 qy"), "xy");
}

#[test]
fn csi_c1_removed_through_final_byte() {
    assert_eq!(s("a\u{9b}31mred\u{9b}0m b"), "ared b");
    assert_eq!(s("x\u{9b}?25ly"), "xy");
}

#[test]
fn csi_broken_by_another_character_keeps_that_character() {
    assert_eq!(s("x\u{1b}[12中y"), "x中y");
    assert_eq!(s("x\u{1b}["), "x");
}

#[test]
fn osc_7bit_removed_through_bel_or_st() {
    assert_eq!(s("a\u{1b}]0;evil title\u{7}b"), "ab");
    assert_eq!(s("a\u{1b}]8;;https://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\b"), "alinkb");
    assert_eq!(s("a\u{1b}]52;c;ZXZpbA==\u{9c}b"), "ab");
}

#[test]
fn osc_c1_removed_through_bel_or_st() {
    assert_eq!(s("a\u{9d}0;evil title\u{7}b"), "ab");
    assert_eq!(s("a\u{9d}52;c;ZXZpbA==\u{9c}b"), "ab");
    assert_eq!(s("a\u{9d}2;t\u{1b}\\b"), "ab");
}

#[test]
fn dcs_sos_pm_apc_7bit_removed() {
    assert_eq!(s("a\u{1b}P+q544e\u{1b}\\b"), "ab");
    assert_eq!(s("a\u{1b}Xstring\u{1b}\\b"), "ab");
    assert_eq!(s("a\u{1b}^privacy\u{7}b"), "ab");
    assert_eq!(s("a\u{1b}_Gf=100;payload\u{1b}\\b"), "ab");
}

#[test]
fn dcs_sos_pm_apc_c1_removed() {
    assert_eq!(s("a\u{90}+q544e\u{9c}b"), "ab");
    assert_eq!(s("a\u{98}string\u{9c}b"), "ab");
    assert_eq!(s("a\u{9e}privacy\u{7}b"), "ab");
    assert_eq!(s("a\u{9f}Gf=100;payload\u{1b}\\b"), "ab");
}

#[test]
fn unterminated_string_loses_its_introducer_and_stays_harmless() {
    let out = s("a\u{1b}]0;title and the rest");
    assert_eq!(out, "a0;title and the rest");
    assert!(!out.contains('\u{1b}'));
    assert_eq!(s("a\u{9d}0;rest"), "a0;rest");
}

#[test]
fn esc_intermediates_final_removed() {
    // Character set designation (ESC ( B), DEC line drawing, 8-bit controls announcement.
    assert_eq!(s("a\u{1b}(Bb"), "ab");
    assert_eq!(s("a\u{1b}(0b"), "ab");
    assert_eq!(s("a\u{1b} Gb"), "ab");
    assert_eq!(s("a\u{1b}#8b"), "ab");
}

#[test]
fn other_esc_removed_with_the_next_character() {
    assert_eq!(s("a\u{1b}cb"), "ab"); // RIS: full reset
    assert_eq!(s("a\u{1b}7b\u{1b}8c"), "abc"); // save / restore cursor
    assert_eq!(s("a\u{1b}中b"), "ab");
    assert_eq!(s("a\u{1b}"), "a");
}

// Rule 2: line ends and tabs.

#[test]
fn line_ends_become_lf() {
    assert_eq!(s("a\r\nb\rc\nd"), "a\nb\nc\nd");
    assert_eq!(s("a\u{2028}b\u{2029}c"), "a\nb\nc");
}

#[test]
fn tabs_become_spaces_to_the_next_stop() {
    assert_eq!(s("\tx"), "        x");
    assert_eq!(s("ab\tx"), "ab      x");
    assert_eq!(s("abcdefgh\tx"), "abcdefgh        x");
    // Columns count display width, and restart after a line end.
    assert_eq!(s("中文\tx"), "中文    x");
    assert_eq!(s("abc\n\tx"), "abc\n        x");
}

// Rule 3: other controls stay visible as U+FFFD.

#[test]
fn c0_controls_and_del_replaced() {
    assert_eq!(
        s("a\u{0}b\u{7}c\u{8}d\u{b}e\u{c}f\u{7f}g"),
        "a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd}f\u{fffd}g"
    );
}

#[test]
fn c1_controls_replaced() {
    assert_eq!(s("a\u{80}b\u{85}c\u{9c}d"), "a\u{fffd}b\u{fffd}c\u{fffd}d");
}

// Rule 4: deletions.

#[test]
fn bidi_controls_deleted() {
    let all =
        "\u{61c}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}";
    assert_eq!(s(&format!("a{all}b")), "ab");
}

#[test]
fn invisible_format_characters_deleted() {
    let all = "\u{200b}\u{2060}\u{feff}\u{ad}\u{206a}\u{206b}\u{206c}\u{206d}\u{206e}\u{206f}\u{fff9}\u{fffa}\u{fffb}";
    assert_eq!(s(&format!("a{all}b")), "ab");
}

#[test]
fn tag_characters_deleted() {
    assert_eq!(s("a\u{e0000}\u{e0041}\u{e007f}b"), "ab");
}

#[test]
fn variation_selectors_deleted() {
    assert_eq!(s("❤\u{fe0f} 中\u{fe0e}"), "❤ 中");
}

#[test]
fn joiners_and_ordinary_text_kept() {
    let text = "👨\u{200d}👩 e\u{301} 中文，English 123 “引号”";
    assert_eq!(s(text), text);
}

#[test]
fn titles_and_fields_clean_to_one_line_elsewhere_too() {
    // The corpus loader relies on this for titles (see corpus::tests).
    assert_eq!(s("a\u{1b}[31m red\n b\u{202e}"), "a red\n b");
}

#[test]
fn sanitizer_runs_again_at_the_render_boundary() {
    // Entities decode after the load-time pass: the renderer must catch what they produce.
    let doc =
        parse("a&#27;[31mb &#x9b;2J c&#x202e;d &#127; e\u{1b}]0;t\u{7}f `\u{1b}[1mg`\n\n```\n\u{9b}1mh\n```");
    let lines = doc.render(&RenderOptions { width: 80, ambiwidth: AmbiWidth::Narrow });
    let text: String = lines.iter().map(|l| l.plain_text() + "\n").collect();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert!(!text.contains('\u{202e}'));
    assert!(text.contains('a') && text.contains('h'));
    let plain = doc.plain();
    assert!(!plain.chars().any(|c| c.is_control() && c != '\n'), "{plain:?}");
}
