//! Rendering plus wrapping: no line wider than the width, in both ambiguous-width modes, and
//! nothing unsafe in any line, the plain text or the link list.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use yuedu::document::{self, AmbiWidth, RenderOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&w, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    // The sanitizer runs at load and again at render: a second pass must change nothing.
    let once = document::sanitize(&text);
    common::assert_safe("sanitized", &once);
    assert_eq!(document::sanitize(&once), once, "sanitize is not idempotent on {text:?}");

    // The cut to the render limits (issue 19) keeps whole lines of what it is given, and what it
    // keeps renders like any other body. A leading byte of 0xff repeats the input, so short
    // fuzz inputs reach the limits (many lines, paragraphs or table cells).
    let grown;
    let text: &str = if w == 0xff && !text.is_empty() {
        grown = text.repeat(yuedu::limits::LIMITS.render_lines / text.lines().count().max(1) + 1);
        &grown
    } else {
        &text
    };
    let (kept, cut) = yuedu::corpus::cut::within_limits(text);
    assert!(text.starts_with(kept), "the cut keeps a prefix");
    assert!(cut == 0 || kept.is_empty() || kept.ends_with('\n'), "the cut is at a line end");
    if w == 0xff {
        // A grown input renders its cut only, once: the rest of the target is for small ones.
        let doc = document::parse(kept);
        let _ = doc.render(&RenderOptions { width: 80, ambiwidth: AmbiWidth::Narrow });
        return;
    }

    let doc = document::parse(&text);
    let widths = [1, 2, 3 + usize::from(w % 40), 80];
    for ambiwidth in [AmbiWidth::Narrow, AmbiWidth::Wide] {
        for width in widths {
            let opts = RenderOptions { width, ambiwidth };
            for line in doc.render(&opts).iter().chain(&document::wrap_text(&text, &opts)) {
                let columns = line.width(ambiwidth);
                assert!(columns <= width, "line of {columns} columns at width {width}: {:?}", line.plain_text());
                for span in &line.spans {
                    common::assert_safe_line("span", &span.text);
                }
            }
        }
    }
    // Plain text separates table cells with tabs on purpose (it is for pipes, not the screen).
    common::assert_safe("plain", &doc.plain().replace('\t', " "));
    for link in &doc.links {
        common::assert_safe_line("link", &link.url);
    }
});
