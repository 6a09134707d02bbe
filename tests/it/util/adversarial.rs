//! A hostile corpus, generated on demand: terminal escapes, YAML bombs, huge and deep files, odd
//! encodings and broken file-system entries. Nothing here is checked in as a binary file.
// Each test crate includes this file and uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Terminal control sequences and invisible or direction-changing characters, by name. None of
/// them holds NUL: a NUL anywhere in a file's head marks the whole file as binary, so NUL gets
/// files of its own.
pub const ESCAPES: &[(&str, &str)] = &[
    ("csi_sgr", "\x1b[31;1mRED\x1b[0m"),
    ("csi_clear", "\x1b[2J\x1b[3J\x1b[H"),
    ("csi_private", "\x1b[?1049h\x1b[?25l\x1b[?1000h"),
    ("csi_c1", "\u{9b}31mC1RED\u{9b}0m\u{9b}2J"),
    ("osc0_bel", "\x1b]0;pwned-title\x07"),
    ("osc0_st", "\x1b]0;pwned-title\x1b\\"),
    ("osc2", "\x1b]2;pwned-title\x07"),
    ("osc8", "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"),
    ("osc52", "\x1b]52;c;ZWNobyBwd25lZCB8IHNo\x07"),
    ("osc_c1", "\u{9d}0;pwned-title\u{9c}\u{9d}8;;https://evil.example/\u{9c}c1 link\u{9d}8;;\u{9c}"),
    ("osc52_c1", "\u{9d}52;c;ZWNobyBwd25lZCB8IHNo\u{7}"),
    ("dcs", "\x1bP+q544e\x1b\\\x1bP$q\"p\x1b\\"),
    ("dcs_c1", "\u{90}+q544e\u{9c}"),
    ("sos_pm_apc", "\x1bXsos\x1b\\\x1b^pm\x1b\\\x1b_apc\x1b\\"),
    ("sos_pm_apc_c1", "\u{98}sos\u{9c}\u{9e}pm\u{9c}\u{9f}apc\u{9c}"),
    ("esc_intermediate", "\x1b(0lqk\x1b(B\x1b#8\x1b%G\x1b )"),
    ("esc_single", "\x1bc\x1b7\x1b8\x1bM\x1bD\x1bE\x1bZ"),
    ("esc_unterminated", "\x1b]0;never terminated \x1bP never \x1b[12"),
    ("esc_dangling", "\x1b"),
    ("c1_all", C1_ALL),
    ("c0_all", C0_ALL),
    (
        "bidi",
        "\u{202e}evil.exe\u{202c} \u{2066}\u{2067}a\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}\u{202a}\u{202b}\u{202d}",
    ),
    (
        "zero_width",
        "a\u{200b}b\u{200c}c\u{200d}d\u{2060}e\u{feff}f\u{ad}g\u{206a}\u{206f}\u{fff9}\u{fffb}h\u{fe0e}\u{fe0f}",
    ),
    ("tag_chars", "\u{e0001}\u{e0041}\u{e0062}\u{e007f}"),
    ("line_separators", "a\u{2028}b\u{2029}c\u{85}d"),
    ("cr_overwrite", "safe text\rEVIL OVERWRITE"),
    ("backspace", "rm -rf /\x08\x08\x08\x08\x08\x08\x08\x08ls     "),
    ("bell_del", "\x07\x07\x7f\x7f"),
];

/// U+0080 to U+009F, every 8-bit control, UTF-8 encoded.
const C1_ALL: &str = "\u{80}\u{81}\u{82}\u{83}\u{84}\u{85}\u{86}\u{87}\u{88}\u{89}\u{8a}\u{8b}\u{8c}\u{8d}\u{8e}\u{8f}\
\u{90}\u{91}\u{92}\u{93}\u{94}\u{95}\u{96}\u{97}\u{98}\u{99}\u{9a}\u{9b}\u{9c}\u{9d}\u{9e}\u{9f}";

/// Every C0 control except NUL, plus DEL.
const C0_ALL: &str = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\
\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f";

/// Emoji that are one grapheme but several code points.
pub const EMOJI: &str = "👩\u{200d}👩\u{200d}👧\u{200d}👦 🏳\u{fe0f}\u{200d}🌈 🇨🇳🇺🇸🇯🇵 👍🏽 1\u{fe0f}\u{20e3} \
🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} 🧑🏿\u{200d}🤝\u{200d}🧑🏻 ❤\u{fe0f}\u{200d}🔥";

/// What was written, for tests that go over every entry.
#[derive(Debug, Default)]
pub struct Written {
    /// Every path written that looks like an article (symlinks and odd names included).
    pub files: Vec<PathBuf>,
    /// The YAML alias bombs, for the memory test.
    pub bombs: Vec<PathBuf>,
}

impl Written {
    fn add(&mut self, path: PathBuf) -> PathBuf {
        self.files.push(path.clone());
        path
    }

    fn bomb(&mut self, path: PathBuf) {
        let path = self.add(path);
        self.bombs.push(path);
    }
}

/// Writes the whole hostile corpus into `root` (which must exist) and returns what it wrote.
pub fn write_corpus(root: &Path) -> Written {
    let mut w = Written::default();
    escapes(root, &mut w);
    front_matter(root, &mut w);
    sizes(root, &mut w);
    content(root, &mut w);
    file_system(root, &mut w);
    w
}

fn put(root: &Path, rel: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folders");
    }
    std::fs::write(&path, bytes).expect("write file");
    path
}

/// Prose with no controls, so a file's head is not mistaken for binary.
const PAD: &str = "This paragraph is ordinary text written for the test corpus; it keeps the share of \
control characters in the first kilobyte low so the loader treats the file as text. 这是一段普通的测试正文，\
用于稀释控制字符的比例。";

/// A Markdown body that puts `e` in every kind of block and inline element.
pub fn body_with(e: &str) -> String {
    format!(
        "{PAD}\n\n# Heading {e} end\n\n## Sub {e}\n\nParagraph {e} with **bold {e}**, *it {e}*, ~~strike {e}~~, \
`code {e}`, [link {e}](https://example.com/{e}) and [js](javascript:alert('{e}')), \
![alt {e}](https://img.example/{e}.png), <span>html {e}</span>, <https://auto.example/{e}> and \
https://bare.example/?q={e}\n\n- item {e}\n  - nested {e}\n    1. ordered {e}\n\n> quote {e}\n> > deeper {e}\n\n\
| col {e} | b |\n|---|:-:|\n| cell {e} | x{e}y |\n\n```sh\ncode block {e}\n\tindented {e}\n```\n\n    indented code {e}\n\n\
Term[^n] with a footnote.\n\n[^n]: note {e}\n\n[ref]: https://ref.example/{e} \"t{e}\"\n\n<div>block html {e}</div>\n\n\
<!-- comment {e} -->\n\n---\n\nLast line {e}"
    )
}

fn article(title: &str, url: &str, source: &str, date: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nurl: {url}\nsource: {source}\ndate: {date}\n---\n\n{body}\n")
}

fn escapes(root: &Path, w: &mut Written) {
    for (name, e) in ESCAPES {
        // Strict-YAML-unfriendly values go through the line reader; the body has every element.
        let text = format!(
            "---\nnote: {PAD}\ntitle: Title {e} end\nurl: https://evil.example/{name}?q={e}\nsource: Src {e}\n\
date: 2024-05-0{}\n---\n\n{}\n",
            1 + name.len() % 9,
            body_with(e)
        );
        w.add(put(root, format!("escapes/{name}.md"), text));
        // No front matter: the title comes from the heading, the source from the file name.
        let derived = format!("{PAD}\n\n# Heading {e} title\n\n{}\n", body_with(e));
        w.add(put(root, format!("escapes/derived/{name}_title {name}.md"), derived));
        // Plain HTML page: the escape goes through html2text.
        let html = format!(
            "<!DOCTYPE html><html><head><title>{e}</title></head><body><p>{PAD}</p><h1>H {e}</h1>\
<p>p {e} <a href=\"https://x.example/{e}\">a {e}</a></p><ul><li>li {e}</li></ul><pre>pre {e}</pre>\
<table><tr><td>td {e}</td></tr></table></body></html>"
        );
        w.add(put(root, format!("escapes/html/{name}.html"), html));
    }
    // YAML's own escapes make control characters out of printable text, through the strict parser.
    let yaml_escapes = r#"---
title: "Quoted \e[31m red \x1b]0;pwned\a \u009b31m \u202e rtl \0 nul \N nel \L ls \P ps \x7f del \b bs \r cr"
url: "https://evil.example/\e]8;;x\e\\"
source: 'single \ quoted'
date: 2024-06-01
---

Body.
"#;
    w.add(put(root, "escapes/yaml_escapes.md", yaml_escapes));
    let block_scalar = "---\ntitle: |\n  first line \x1b[31m\n  second \u{9b}2J line\nsource: >\n  folded \u{202e}\n  source\n\
date: 2024-06-02\n---\n\nBody.\n";
    w.add(put(root, "escapes/yaml_block_scalar.md", block_scalar));
    // The fallback reader (strict YAML rejects `[webapps] ...` as a title).
    let fallback = format!(
        "---\ntitle: [webapps] {e} x: y #1\nsource: Exploit\n\x1b[31m-DB\ndate: 2024-06-03\n---\n\n{b}\n",
        e = "\x1b]0;pwned\x07\u{9b}31m",
        b = body_with("\x1b[5m")
    );
    w.add(put(root, "escapes/yaml_fallback.md", fallback));
    // File names are content too: they become derived titles and show up in `list`.
    for (i, name) in
        ["name \x1b[31mred", "name \u{9b}2J c1", "name \u{202e}gpj.exe", "src\x1b]0;x\x07_title \x07"]
            .iter()
            .enumerate()
    {
        w.add(put(root, format!("escapes/names/{name}.md"), format!("plain body {i}\n")));
    }
    w.add(put(
        root,
        "escapes/dir \x1b[31m red/article.md",
        article("t", "https://d.example/1", "s", "2024-01-01", "b"),
    ));
    // NUL: in the head the file is binary; later in the body it must still come out harmless.
    w.add(put(root, "nul/in_title.md", article("a\0b", "https://nul.example/1", "s", "2024-01-01", "b")));
    let late = format!(
        "{}{}\0\0 after nul \0\n",
        article("Late NUL", "https://nul.example/2", "s", "2024-01-02", ""),
        "text ".repeat(3000)
    );
    w.add(put(root, "nul/late_in_body.md", late));
    w.add(put(root, "nul/only_nuls.md", vec![0u8; 5000]));
}

fn front_matter(root: &Path, w: &mut Written) {
    // Billion laughs: nine levels of nine aliases, about 387 million strings if expanded.
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in
        ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let tail = "---\n\nThe body of a bomb.\n";
    w.bomb(put(root, "yaml/bomb_title.md", format!("{bomb}title: *i\nsource: s\n{tail}")));
    w.bomb(put(root, "yaml/bomb_unknown_key.md", format!("{bomb}title: fine\nlol: *i\n{tail}")));
    w.bomb(put(root, "yaml/bomb_merge.md", format!("{bomb}title: t\nm:\n  <<: *i\n{tail}")));
    // The same bomb padded past the strict-parse cap.
    let padded = format!("{bomb}{}title: *i\n{tail}", "# padding comment line for the cap\n".repeat(600));
    w.bomb(put(root, "yaml/bomb_padded.md", padded));
    // Quadratic rather than exponential: one long string referenced many times.
    let long =
        format!("---\na: &a \"{}\"\nb: [{}]\ntitle: t\n{tail}", "x".repeat(8000), vec!["*a"; 1500].join(","));
    w.bomb(put(root, "yaml/bomb_long_string.md", long));
    w.add(put(root, "yaml/self_alias.md", "---\na: &a [*a]\ntitle: *a\n---\nbody\n"));
    w.add(put(root, "yaml/unknown_alias.md", "---\ntitle: *nothing\n---\nbody\n"));
    let deep_flow = format!("---\ntitle: {}x{}\n---\nbody\n", "[".repeat(5000), "]".repeat(5000));
    w.add(put(root, "yaml/deep_flow.md", deep_flow));
    let deep_map = format!(
        "---\ntitle: t\nx:\n{}\n---\nbody\n",
        (1..400).map(|i| format!("{}k{i}:", " ".repeat(i))).collect::<Vec<_>>().join("\n")
    );
    w.add(put(root, "yaml/deep_block_map.md", deep_map));

    w.add(put(root, "yaml/only.md", "---\ntitle: Front matter only\nsource: s\ndate: 2024-02-02\n---\n"));
    w.add(put(root, "yaml/only_no_newline.md", "---\ntitle: No newline\n---"));
    w.add(put(root, "yaml/only_fences.md", "---\n---\n"));
    w.add(put(root, "yaml/only_open.md", "---\n"));
    w.add(put(root, "yaml/dots_end.md", "---\ntitle: Dots\n...\n"));
    w.add(put(root, "yaml/crlf_only.md", "---\r\ntitle: CRLF only\r\n---\r\n"));
    w.add(put(
        root,
        "yaml/never_closed.md",
        "---\ntitle: Never closed\nsource: s\n\nBody text that never ends the fence.\n",
    ));
    let never_huge =
        format!("---\n{}", (0..20_000).map(|i| format!("key{i}: value {i}\n")).collect::<String>());
    w.add(put(root, "yaml/never_closed_huge.md", never_huge));
    w.add(put(root, "yaml/never_closed_one_line.md", format!("---\ntitle: {}", "a".repeat(1_000_000))));
    let late_close = format!("---\ntitle: Late close\n{}---\nbody\n", "k: v\n".repeat(30_000));
    w.add(put(root, "yaml/closed_after_cap.md", late_close));
    for (i, date) in [
        "2024-13-45",
        "0000-00-00",
        "99999-99-99",
        "2023-02-29",
        "-1",
        "2024-01-01T99:99:99",
        "[2024, 1, 1]",
        "{y: 2024}",
        "99999999999999999999999999",
        "2024-1-1",
        "２０２４-０１-０１",
        "2024-01-\x1b[31m01",
        "'2024-02-30'",
        "1970-01-01",
        "9999-12-31",
        "",
        "~",
        "!!timestamp nope",
    ]
    .iter()
    .enumerate()
    {
        w.add(put(
            root,
            format!("yaml/dates/d{i:02}.md"),
            article(&format!("Date case {i}"), &format!("https://dates.example/{i}"), "dates", date, "body"),
        ));
    }
    let multi = [
        "title: |\n  line one\n  line two\n\n  line four\nsource: block\n",
        "title: >-\n  folded one\n  folded two\nsource: folded\n",
        "title: \"quoted\n  across lines\"\nsource: quoted\n",
        "title: plain\n  continued plain\n  and more\nsource: plain\n",
        "title: a: b\nsource: fallback\ncontinued\nagain\n",
        "title: [list, of, things]\nsource: seq\n",
        "title:\n  - a\n  - b\nsource: block seq\n",
        "title: {a: 1}\nsource: map\n",
        "title: !!binary aGVsbG8=\nsource: tag\n",
        "title: !custom tagged\nsource: custom\n",
        "title: a\ntitle: b\nsource: dup keys\n",
        "- just\n- a list\n",
        "just a string\n",
        "? complex key\n: value\ntitle: t\n",
        "title: 'it''s'\nsource: \"\\\"q\\\"\"\n",
    ];
    for (i, fm) in multi.iter().enumerate() {
        w.add(put(
            root,
            format!("yaml/multiline/m{i:02}.md"),
            format!("---\n{fm}date: 2024-03-03\n---\n\nBody {i}.\n"),
        ));
    }
    let continuations = format!("---\ntitle: a: b\nsource: {}\n---\nbody\n", "continued line\n".repeat(3000));
    w.add(put(root, "yaml/multiline/many_continuations.md", continuations));
}

fn sizes(root: &Path, w: &mut Written) {
    let meta = |t: &str| format!("---\ntitle: {t}\nsource: size\ndate: 2024-04-04\n---\n\n");
    w.add(put(root, "size/long_line_ascii.md", meta("ASCII line") + &"x".repeat(3 << 20)));
    let words: String = (0..400_000).map(|i| if i % 7 == 0 { "CVE-2024-12345 " } else { "word " }).collect();
    w.add(put(root, "size/long_line_words.md", meta("Words line") + &words));
    w.add(put(root, "size/long_line_cjk.md", meta("CJK line") + &"安全漏洞，".repeat(200_000)));
    w.add(put(
        root,
        "size/long_line_url.md",
        meta("URL line") + "https://long.example/" + &"a/".repeat(1 << 20),
    ));
    w.add(put(root, "size/title_20k_ascii.md", meta(&"T".repeat(20_000)) + "body\n"));
    w.add(put(root, "size/title_20k_cjk.md", meta(&"标".repeat(20_000)) + "body\n"));
    w.add(put(root, "size/title_20k_words.md", meta(&"word ".repeat(4_000)) + "body\n"));
    w.add(put(root, "size/heading_20k.md", format!("# {}\n\nbody\n", "题".repeat(20_000))));
    w.add(put(root, "size/title_20k_emoji.md", meta(&"👩\u{200d}👩\u{200d}👧".repeat(7_000)) + "body\n"));
    // Deep nesting, each on one line where Markdown allows it so the file stays small.
    let deep = [
        ("quotes", "> ".repeat(10_000) + "deep"),
        ("lists", "- ".repeat(10_000) + "deep"),
        ("ordered", "1. ".repeat(10_000) + "deep"),
        ("mixed", "> - 1. ".repeat(4_000) + "deep"),
        ("emphasis", format!("{}deep{}", "*_".repeat(5_000), "_*".repeat(5_000))),
        ("brackets", format!("{}deep{}", "[".repeat(10_000), "](x)".repeat(10_000))),
        ("images", "![".repeat(10_000) + "deep"),
        ("inline_html", "<span>".repeat(10_000) + "deep"),
        ("backticks", "`".repeat(10_000) + "deep"),
        ("indented_lists", (0..1_500).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect()),
        ("indented_quotes", (0..1_000).map(|i| format!("{}text {i}\n", "> ".repeat(i))).collect()),
    ];
    for (name, text) in deep {
        w.add(put(root, format!("size/nested_{name}.md"), meta(name) + &text + "\n"));
    }
    let divs = format!(
        "<!DOCTYPE html><html><body>{}deep{}</body></html>",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    w.add(put(root, "size/nested_divs.html", divs));
    let tables = format!("<!DOCTYPE html><html><body>{}x</body></html>", "<table><tr><td>".repeat(2_000));
    w.add(put(root, "size/nested_tables.html", tables));
    let row = |f: &dyn Fn(usize) -> String| format!("|{}|\n", (0..500).map(f).collect::<Vec<_>>().join("|"));
    let mut table = row(&|i| format!("列{i}"));
    table += &row(&|i| [":--", "--:", ":-:", "---"][i % 4].to_string());
    for r in 0..20 {
        table += &row(&|i| if (i + r) % 3 == 0 { "安全内参".into() } else { format!("c{r}x{i}") });
    }
    w.add(put(root, "size/table_500_columns.md", meta("Wide table") + &table));
    let tall: String = "| a | b |\n|---|---|\n".to_string() + &"| 1 | 二 |\n".repeat(50_000);
    w.add(put(root, "size/table_50000_rows.md", meta("Tall table") + &tall));
    let links: String = (0..20_000).map(|i| format!("[l{i}](https://links.example/{i}) ")).collect();
    w.add(put(root, "size/links_20000.md", meta("Many links") + &links));
    let code = format!("```\n{}\n```\n", "y".repeat(1 << 20));
    w.add(put(root, "size/code_line_1mb.md", meta("Long code line") + &code));
    w.add(put(root, "size/many_lines.md", meta("Many lines") + &"短行\n".repeat(300_000)));
}

/// A small deterministic generator: the same junk on every run.
fn junk(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if big_endian { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
    }
    for u in text.encode_utf16() {
        out.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

fn content(root: &Path, w: &mut Written) {
    w.add(put(root, "content/junk.md", junk(64 * 1024, 0x9E37_79B9_7F4A_7C15)));
    let no_nul: Vec<u8> = junk(64 * 1024, 42).into_iter().map(|b| b.max(1)).collect();
    w.add(put(root, "content/junk_no_nul.md", no_nul));
    let high: Vec<u8> = junk(16 * 1024, 7).into_iter().map(|b| 0x80 | (b & 0x1F)).collect();
    w.add(put(root, "content/junk_c1_bytes.md", high));
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend(junk(4096, 3));
    w.add(put(root, "content/elf.md", elf));
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(junk(4096, 5));
    w.add(put(root, "content/png.md", png));
    let mut half =
        article("Text then junk", "https://junk.example/1", "junk", "2024-07-07", &"text ".repeat(2000))
            .into_bytes();
    half.extend(junk(100_000, 11));
    w.add(put(root, "content/text_then_junk.md", half));

    let chinese = format!(
        "---\ntitle: 国标编码的标题 \x1b[31m红\nurl: https://gb.example/1\nsource: 国标来源\ndate: 2024-08-08\n---\n\n# 国标\n\n{}\u{9b}2J 𠀀𠀁 €\n",
        "这是一段用国标编码保存的正文，包含控制字符。".repeat(50)
    );
    let (gb, _, _) = encoding_rs::GB18030.encode(&chinese);
    w.add(put(root, "content/gb18030.md", gb.as_ref()));
    let (gb_html, _, _) =
        encoding_rs::GB18030.encode("<!DOCTYPE html><html><body><p>国标网页 \x1b]0;x\x07</p></body></html>");
    w.add(put(root, "content/gb18030.html", gb_html.as_ref()));
    let mut gb_cut = gb.to_vec();
    gb_cut.push(0x81);
    w.add(put(root, "content/gb18030_cut.md", gb_cut));
    let text16 = format!(
        "---\ntitle: UTF-16 标题 \x1b[2J\u{202e}\nsource: wide\ndate: 2024-09-09\n---\n\n正文 \u{9d}0;x\u{9c} {EMOJI}\n"
    );
    w.add(put(root, "content/utf16le.md", utf16(&text16, false, true)));
    w.add(put(root, "content/utf16be.md", utf16(&text16, true, true)));
    w.add(put(root, "content/utf16le_no_bom.md", utf16(&text16, false, false)));
    let mut odd = utf16(&text16, false, true);
    odd.push(0x41);
    w.add(put(root, "content/utf16_odd_length.md", odd));
    let mut lone = vec![0xFF, 0xFE];
    lone.extend([0x00, 0xD8, 0x41, 0x00, 0x00, 0xDC, 0x1B, 0x00, 0x5B, 0x00]); // lone surrogates, ESC [
    w.add(put(root, "content/utf16_lone_surrogates.md", lone));
    let utf32: Vec<u8> = "---\ntitle: utf32\n---\n".chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
    w.add(put(root, "content/utf32.md", [vec![0xFF, 0xFE, 0, 0], utf32].concat()));
    w.add(put(root, "content/bom_then_escape.md", "\u{feff}\x1b[31m---\ntitle: after bom\n---\nbody\n"));
    w.add(put(
        root,
        "content/overlong_utf8.md",
        b"---\ntitle: overlong \xC0\x9B \xE0\x80\x9B \xF8\x88\x80\x80\x80\n---\nbody \xC0\xBCscript\n",
    ));

    for (name, bytes) in [
        ("empty.md", &b""[..]),
        ("empty.html", b""),
        ("empty.txt", b""),
        ("whitespace.md", b" \n\t\n   \r\n"),
        ("bom_only.md", b"\xEF\xBB\xBF"),
        ("dashes_only.md", b"---"),
        ("newline_only.md", b"\n"),
        ("utf16_bom_only.md", b"\xFF\xFE"),
    ] {
        w.add(put(root, format!("content/empty/{name}"), bytes));
    }

    let emoji = format!(
        "---\ntitle: Emoji {EMOJI}\nsource: 🏳\u{fe0f}\u{200d}🌈 source\ndate: 2024-10-10\n---\n\n# {EMOJI}\n\n{EMOJI} {EMOJI}\n\n\
| {EMOJI} | x |\n|---|---|\n| 🇨🇳 | 🇺🇸 |\n\n- {EMOJI}\n"
    );
    w.add(put(root, "content/emoji.md", emoji));
    let zwj_chain = format!("---\ntitle: ZWJ chain\n---\n\n{}\n", vec!["👩"; 2000].join("\u{200d}"));
    w.add(put(root, "content/zwj_chain.md", zwj_chain));
    let flags: String = ('\u{1F1E6}'..='\u{1F1FF}').cycle().take(5001).collect();
    w.add(put(root, "content/regional_indicators.md", format!("---\ntitle: Flags\n---\n\n{flags}\n")));
    let zalgo = format!(
        "---\ntitle: Z{}algo\n---\n\nZ{}algo {}\n",
        "\u{301}".repeat(500),
        "\u{300}\u{316}\u{35c}".repeat(3000),
        "\u{20e3}".repeat(50)
    );
    w.add(put(root, "content/combining.md", zalgo));
    let wide = "---\ntitle: 全角ＡＢＣ and wide ｈａｌｆ ﾊﾝｶｸ\n---\n\n“引号”……——①②③ ｈｅｌｌｏ ᄀᄀᄀ 한글 \u{3000}全角空格\u{3000}\n";
    w.add(put(root, "content/ambiguous_width.md", wide));
    let rtl = "---\ntitle: مرحبا بالعالم עברית\n---\n\nمرحبا بالعالم 123 עברית abc\n";
    w.add(put(root, "content/rtl_scripts.md", rtl));
    let private = "---\ntitle: \u{e000}\u{f8ff}\u{f0000}\u{10fffd} private use\n---\n\n\u{fffe}\u{ffff}\u{1fffe} nonchars\n";
    w.add(put(root, "content/private_use.md", private));
}

fn file_system(root: &Path, w: &mut Written) {
    let fs = root.join("fs");
    std::fs::create_dir_all(&fs).expect("fs folder");
    w.add(put(
        root,
        "fs/normal.md",
        article("Normal neighbour", "https://fs.example/1", "fs", "2024-11-11", "body"),
    ));
    let deep: PathBuf = (0..60).map(|i| format!("level{i:02}-{}", "d".repeat(40))).collect();
    w.add(put(
        &fs,
        deep.join("deep.md"),
        article("Sixty levels deep", "https://fs.example/deep", "fs", "2024-11-12", "body"),
    ));
    w.add(put(root, "fs/x.md/inner.md", "folder named like an article\n"));
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::symlink;
        let link = |target: &str, name: &str| {
            let path = fs.join(name);
            symlink(target, &path).expect("symlink");
            path
        };
        link(".", "loop_dir");
        link("..", "loop_parent");
        w.add(link("loop_b.md", "loop_a.md"));
        w.add(link("loop_a.md", "loop_b.md"));
        w.add(link("self.md", "self.md"));
        w.add(link("does-not-exist.md", "dangling.md"));
        link("nowhere/at/all", "dangling_dir");
        w.add(link("/dev/zero", "dev_zero.md"));
        w.add(link("normal.md", "alias_of_normal.md"));
        // Opening a FIFO for reading blocks until a writer comes: it must never be opened.
        let fifo = fs.join("fifo.md");
        if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            w.add(fifo);
            w.add(link("fifo.md", "link_to_fifo.md"));
        }
        let name = |bytes: &[u8]| fs.join(std::ffi::OsStr::from_bytes(bytes));
        for bytes in [&b"bad-\xff\xfe-name.md"[..], b"c1-\x9b31m-name.md", b"gbk-\xb0\xb2\xc8\xab.md"] {
            let path = name(bytes);
            std::fs::write(&path, article("Odd name", "", "", "", "body")).expect("odd name");
            w.add(path);
        }
        let dir = name(b"dir-\xff\x1b[31m");
        std::fs::create_dir_all(&dir).expect("odd folder");
        w.add(put(&dir, "inside.md", "# Inside an odd folder\n\nbody\n"));
        // A sparse gigabyte: text first, then a hole that reads as NUL bytes.
        let sparse = put(
            root,
            "fs/sparse_1g.md",
            article("Sparse", "https://fs.example/sparse", "fs", "2024-11-13", "text"),
        );
        std::fs::OpenOptions::new()
            .write(true)
            .open(&sparse)
            .and_then(|f| f.set_len(1 << 30))
            .expect("sparse");
        w.add(sparse);
    }
}
