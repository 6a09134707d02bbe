//! The hostile corpus's files: huge and deep ones, junk bytes and odd encodings, broken file-system entries.

use std::path::Path;

use std::path::PathBuf;

use super::{EMOJI, Written, article, put};

pub(super) fn sizes(root: &Path, w: &mut Written) {
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

pub(super) fn content(root: &Path, w: &mut Written) {
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

pub(super) fn file_system(root: &Path, w: &mut Written) {
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
