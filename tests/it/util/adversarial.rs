//! A hostile corpus, generated on demand: terminal escapes, YAML bombs, huge and deep files, odd
//! encodings and broken file-system entries. Nothing here is checked in as a binary file.
mod files;
mod text;

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
    text::escapes(root, &mut w);
    text::front_matter(root, &mut w);
    files::sizes(root, &mut w);
    files::content(root, &mut w);
    files::file_system(root, &mut w);
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
