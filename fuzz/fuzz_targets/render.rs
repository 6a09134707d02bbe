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
