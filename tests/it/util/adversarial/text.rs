//! The hostile corpus's text: every escape in every Markdown element, and hostile front matter.

use std::path::Path;

use super::{ESCAPES, PAD, Written, article, body_with, put};

pub(super) fn escapes(root: &Path, w: &mut Written) {
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

pub(super) fn front_matter(root: &Path, w: &mut Written) {
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
