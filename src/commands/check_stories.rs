//! `yuedu check`'s stories section: how many stories, how many articles share one, the largest;
//! with `--boilerplate`, the multi-copy stories from one source alone (copies of one account's
//! chrome that boilerplate stripping left, more often than real reposts).

use std::collections::HashMap;
use std::io::{self, Write};

use crate::corpus::Corpus;
use crate::index::stories::StoryTable;

/// The largest stories shown.
const TOP: usize = 5;

pub fn write(
    c: &Corpus,
    table: Option<&StoryTable>,
    boilerplate: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(table) = table else {
        return writeln!(out, "stories: no body index yet (`yuedu index` builds it)");
    };
    let by_id: HashMap<u64, &crate::corpus::Article> = c.articles.iter().map(|a| (a.id.0, a)).collect();
    let title = |id: crate::corpus::ArticleId| by_id.get(&id.0).map_or("?", |a| a.title.as_str());
    let s = table.summary(TOP);
    writeln!(
        out,
        "stories: {} ({} with several copies, {} articles in them)",
        s.stories, s.multi_copy_stories, s.multi_copy_articles
    )?;
    for (id, n) in &s.largest {
        writeln!(out, "  {n:>5}  {id}  {}", crate::document::sanitize(title(*id)))?;
    }
    if boilerplate {
        let mut one_source: Vec<(usize, crate::corpus::ArticleId, &str)> = Vec::new();
        for (story, n) in table.stories().filter(|(_, n)| *n > 1) {
            let mut sources = table.members(story).filter_map(|m| by_id.get(&m.0)).map(|a| a.source.as_str());
            let Some(first) = sources.next() else { continue };
            if sources.all(|s| s == first) {
                one_source.push((n, story, first));
            }
        }
        one_source.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.0.cmp(&b.1.0)));
        writeln!(
            out,
            "\nstories from one source alone (likely chrome left by boilerplate stripping): {}",
            one_source.len()
        )?;
        for (n, id, source) in one_source.iter().take(20) {
            writeln!(
                out,
                "  {n:>5}  {id}  {}  {}",
                crate::document::sanitize(source),
                crate::document::sanitize(title(*id))
            )?;
        }
    }
    Ok(())
}
