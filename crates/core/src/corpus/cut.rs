//! Cuts a body to what the reader can lay out in bounded memory: at most so many lines, blocks
//! and table cells (see [`crate::limits::Limits`]). 10 million short lines otherwise cost 60 to
//! 115 times the file's size in blocks and wrapped lines.

use crate::limits::LIMITS;

/// The longest prefix of `text` (whole lines) within the limits, and how many lines were left
/// out.
pub fn within_limits(text: &str) -> (&str, usize) {
    let (mut lines, mut blocks, mut cells) = (0usize, 0usize, 0usize);
    let mut in_block = false;
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if !blank && !in_block {
            blocks += 1;
        }
        in_block = !blank;
        lines += 1;
        // Every `|` may open a table cell: an upper bound on the cells a table row holds.
        cells += line.bytes().filter(|&b| b == b'|').count();
        if lines > LIMITS.render_lines || blocks > LIMITS.render_blocks || cells > LIMITS.render_cells {
            let rest = &text[end..];
            return (&text[..end], rest.split_inclusive('\n').count());
        }
        end += line.len();
    }
    (text, 0)
}

/// The note that ends a cut body.
pub fn note(cut_lines: usize) -> String {
    format!("… {cut_lines} more lines not shown (the file is too long for the reader; open it in an editor)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_whole_and_long_ones_cut_at_a_line() {
        assert_eq!(within_limits("a\nb\n"), ("a\nb\n", 0));
        let many = "ab\n".repeat(LIMITS.render_lines + 10);
        let (kept, cut) = within_limits(&many);
        assert_eq!(kept.lines().count(), LIMITS.render_lines);
        assert_eq!(cut, 10);
        let paras = "a\n\n".repeat(LIMITS.render_blocks + 5);
        let (kept, cut) = within_limits(&paras);
        assert_eq!(kept.lines().filter(|l| !l.is_empty()).count(), LIMITS.render_blocks);
        assert_eq!(cut, 10);
        let row = format!("{}|\n", "|x".repeat(1000));
        let table = row.repeat(200);
        let (kept, cut) = within_limits(&table);
        assert!(kept.matches('|').count() <= LIMITS.render_cells);
        assert!(cut > 0 && kept.ends_with('\n'));
    }
}
