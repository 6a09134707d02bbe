//! Behaviour of the renderer: Markdown features, links, images, HTML, tables, code and widths.

use yuedu::document::{AmbiWidth, Document, Line, RenderOptions, Style, display_width, parse};

fn opts(width: usize) -> RenderOptions {
    RenderOptions { width, ambiwidth: AmbiWidth::Narrow }
}

fn lines(doc: &Document, width: usize) -> Vec<String> {
    doc.render(&opts(width)).iter().map(|l| l.plain_text().trim_end().to_string()).collect()
}

/// The style of the first span containing `needle`.
fn style_of(lines: &[Line], needle: &str) -> Style {
    lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.text.contains(needle))
        .map(|s| s.style)
        .unwrap_or_else(|| panic!("{needle:?} not rendered"))
}

#[test]
fn cjk_friendly_bold() {
    let doc = parse("**中文。**正文");
    let out = doc.render(&opts(40));
    assert_eq!(lines(&doc, 40), ["中文。正文"]);
    assert!(style_of(&out, "中文。").bold);
    assert!(!style_of(&out, "正文").bold);

    let doc = parse("这是**「重要」**的结论，~~旧说法。~~新说法");
    let out = doc.render(&opts(80));
    assert_eq!(lines(&doc, 80), ["这是「重要」的结论，旧说法。新说法"]);
    assert!(style_of(&out, "「重要」").bold);
    assert!(style_of(&out, "旧说法。").strike);
    assert!(!style_of(&out, "新说法").strike);
}

#[test]
fn glued_bold_spans_merge() {
    let doc = parse("**CVE****编号**：CVE-2023-20860");
    assert_eq!(lines(&doc, 80), ["CVE编号：CVE-2023-20860"]);
    assert!(style_of(&doc.render(&opts(80)), "CVE编号").bold);
}

#[test]
fn inline_styles() {
    let out = parse("*斜体* and `code` and ~~gone~~").render(&opts(80));
    assert!(style_of(&out, "斜体").italic);
    assert!(style_of(&out, "code").code);
    assert!(style_of(&out, "gone").strike);
}

#[test]
fn headings_have_their_level() {
    let out = parse("# 标题一\n\n## Second\n\n正文").render(&opts(40));
    assert_eq!(style_of(&out, "标题一").heading, 1);
    assert_eq!(style_of(&out, "Second").heading, 2);
    assert_eq!(style_of(&out, "正文").heading, 0);
}

#[test]
fn links_get_markers_and_a_list() {
    let md = "见[公告](https://a.example/n)和[同一公告](https://a.example/n)，\
              [邮件](mailto:x@a.example)，[站内](/local)，[脚本](javascript:alert(1))。";
    let doc = parse(md);
    assert_eq!(
        lines(&doc, 80),
        [
            "见公告 [1]和同一公告 [1]，邮件 [2]，站内，脚本 [3]。",
            "",
            "[1] https://a.example/n",
            "[2] mailto:x@a.example",
            "[3] javascript:alert(1)",
        ]
    );
    let urls: Vec<(usize, &str, bool)> =
        doc.links.iter().map(|l| (l.number, l.url.as_str(), l.openable)).collect();
    assert_eq!(
        urls,
        [
            (1, "https://a.example/n", true),
            (2, "mailto:x@a.example", true),
            (3, "javascript:alert(1)", false)
        ]
    );
    let out = doc.render(&opts(80));
    assert!(style_of(&out, "公告").link);
    // Not openable: plain text.
    assert!(!style_of(&out, "脚本").link);
    assert_eq!(doc.plain(), "见公告和同一公告，邮件，站内，脚本。");
}

#[test]
fn footnote_marker_stays_with_the_link_text() {
    let doc = parse("一二三四五六七八[九](https://a.example)");
    for l in lines(&doc, 18) {
        assert!(!l.starts_with("[1]") || l.contains("https"), "{l:?}");
    }
}

#[test]
fn images_become_dim_placeholders() {
    let doc = parse(
        "前文![网络拓扑](https://a.example/x.png)后文\n\n![](https://a.example/y.png)\n\n![图片](z.png)",
    );
    assert_eq!(lines(&doc, 80), ["前文[图: 网络拓扑]后文", "", "[图]", "", "[图]"]);
    assert!(style_of(&doc.render(&opts(80)), "[图: 网络拓扑]").dim);
    assert_eq!(doc.plain(), "前文后文");
    assert!(doc.links.is_empty());
}

#[test]
fn html_blocks_become_text_and_inline_tags_go() {
    let doc = parse(
        "<div><p>第一段</p><p>second <b>para</b></p></div>\n\n正文<span style=\"x\">保留</span>文字<br>下一行",
    );
    let out = lines(&doc, 80);
    assert!(out.contains(&"第一段".to_string()), "{out:?}");
    assert!(out.contains(&"second para".to_string()), "{out:?}");
    assert!(out.contains(&"正文保留文字".to_string()), "{out:?}");
    assert!(out.contains(&"下一行".to_string()), "{out:?}");
    assert!(!out.iter().any(|l| l.contains('<')), "{out:?}");
}

#[test]
fn code_is_cut_not_rewrapped() {
    let doc = parse("```\nfn main() { let x = 1; }\n  indented line\n```");
    assert_eq!(lines(&doc, 80), ["fn main() { let x = 1; }", "  indented line"]);
    assert_eq!(lines(&doc, 10), ["fn main()↩", " { let x ↩", "= 1; }", "  indente↩", "d line"]);
    let out = doc.render(&opts(10));
    assert!(style_of(&out, "fn main").code);
    assert!(style_of(&out, "↩").mark);
}

#[test]
fn block_quotes_and_rules() {
    let doc = parse("> 引用的话\n\n---\n\n后文");
    assert_eq!(lines(&doc, 10), ["│ 引用的话", "", "──────────", "", "后文"]);
    assert!(style_of(&doc.render(&opts(10)), "引用").quote);
}

#[test]
fn nested_lists_hang() {
    let doc = parse("- one two three four\n  - 五六七八九十\n3. x\n4. y");
    assert_eq!(
        lines(&doc, 12),
        ["• one two", "  three four", "  ◦ 五六七八", "    九十", "", "3. x", "4. y"]
    );
}

#[test]
fn tables_align_or_fall_back_to_records() {
    let md = "| 名称 | 值 |\n|---|--:|\n| 端口 | 443 |\n| 协议版本 | 1.3 |";
    let doc = parse(md);
    assert_eq!(lines(&doc, 40), ["名称     │  值", "─────────┼────", "端口     │ 443", "协议版本 │ 1.3"]);
    assert_eq!(lines(&doc, 12), ["名称: 端口", "值: 443", "", "名称: 协议版", "本", "值: 1.3"]);
    assert_eq!(doc.plain(), "名称\t值\n端口\t443\n协议版本\t1.3");
}

#[test]
fn tokens_stay_whole_when_they_fit() {
    let doc = parse("影响范围为192.168.100.200网段，编号CVE-2024-12345，损失8.1355亿美元，占30%。");
    for width in 16..40 {
        let joined = lines(&doc, width).join("\n");
        for token in ["192.168.100.200", "CVE-2024-12345", "8.1355亿美元", "30%"] {
            assert!(joined.contains(token), "{token} split at width {width}:\n{joined}");
        }
    }
}

#[test]
fn ambiguous_width_modes() {
    let doc = parse("“引号”和……省略");
    let narrow = doc.render(&opts(7));
    let wide = doc.render(&RenderOptions { width: 7, ambiwidth: AmbiWidth::Wide });
    assert!(narrow.iter().all(|l| display_width(&l.plain_text(), AmbiWidth::Narrow) <= 7));
    assert!(wide.iter().all(|l| display_width(&l.plain_text(), AmbiWidth::Wide) <= 7));
    assert!(wide.len() > narrow.len(), "wide quotes take more room: {wide:?} vs {narrow:?}");
}

#[test]
fn width_one_never_overflows() {
    let doc = parse(
        "中文 a ① 👍 e\u{301}\n\n- 列表\n\n> 引用\n\n| a | 表 |\n|---|---|\n| b | c |\n\n```\n代码\n```",
    );
    for ambi in [AmbiWidth::Narrow, AmbiWidth::Wide] {
        for line in doc.render(&RenderOptions { width: 1, ambiwidth: ambi }) {
            assert!(line.width(ambi) <= 1, "{line:?}");
        }
    }
    // A wide character that cannot fit at all is drawn as `?`.
    assert_eq!(lines(&parse("中"), 1), ["?"]);
}

#[test]
fn plain_is_one_paragraph_per_line() {
    let doc = parse(
        "# 标题\n\n第一段\n续行，**加粗**[链接](https://a.example)。\n\nSecond\nparagraph.\n\n- 项目\n\n```\ncode\n```",
    );
    assert_eq!(doc.plain(), "标题\n第一段续行，加粗链接。\nSecond paragraph.\n项目\ncode");
}

#[test]
fn hostile_nesting_does_not_crash() {
    let quotes = ">".repeat(50_000) + " 深";
    let lists: String = (0..2_000).map(|i| format!("{}- 项{i}\n", "  ".repeat(i))).collect();
    let brackets = "[".repeat(20_000) + &"](x)".repeat(20_000);
    let html = "<div>".repeat(20_000) + "文字";
    for md in [quotes, lists, brackets, html] {
        for width in [1, 30] {
            for line in parse(&md).render(&opts(width)) {
                assert!(line.width(AmbiWidth::Narrow) <= width);
            }
        }
    }
}
