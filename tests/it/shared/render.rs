//! Every third real article of ../shared/corpus renders within its width, with no control characters.

use std::path::Path;

use yuedu::document::{AmbiWidth, RenderOptions, display_width, parse};

use crate::util::shared;

#[test]
#[ignore = "needs ../shared"]
fn real_articles_fit_every_width() {
    let mut files: Vec<_> = walk(&shared("corpus"));
    files.sort();
    assert!(!files.is_empty());
    // Every third article keeps the debug-build test short; the property tests cover the rest.
    for path in files.iter().step_by(3) {
        let Ok(body) = yuedu::corpus::read_body(path) else { continue };
        let doc = parse(&body.text);
        for (width, ambi) in [(24, AmbiWidth::Narrow), (77, AmbiWidth::Wide)] {
            for line in doc.render(&RenderOptions { width, ambiwidth: ambi }) {
                let text = line.plain_text();
                assert!(display_width(&text, ambi) <= width, "{}: {text:?}", path.display());
                assert!(!text.chars().any(char::is_control), "{}: {text:?}", path.display());
            }
        }
        assert!(!doc.plain().contains('\u{1b}'));
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out
}
