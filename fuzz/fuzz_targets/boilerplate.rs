//! Boilerplate stripping on any body, with the title, source and url taken from the input's own
//! front matter; what is kept must still render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yuedu::corpus::frontmatter;
use yuedu::document::{self, AmbiWidth, RenderOptions, boilerplate};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let split = frontmatter::split(&text);
    let fields = split.yaml.map(frontmatter::parse).unwrap_or_default();
    let field = |k: &str| fields.get(k).unwrap_or("").to_string();
    let (title, source, url) = (field("title"), field("source"), field("url"));
    let meta = boilerplate::Meta { title: &title, source: &source, url: &url };
    let cleaned = boilerplate::clean(split.body, &meta);
    assert!(
        cleaned.hidden_lines <= split.body.lines().count(),
        "{} lines hidden of {}",
        cleaned.hidden_lines,
        split.body.lines().count()
    );
    let doc = document::parse(&cleaned.markdown);
    let _ = doc.render(&RenderOptions { width: 40, ambiwidth: AmbiWidth::Narrow });
});
