//! Every size cap that keeps a hostile or broken file from costing unbounded memory or time.

/// The caps on what is read from disk and rendered. Each one is far above anything a real
/// corpus, store or article reaches, and low enough that the worst case stays within the
/// "64 MiB plus 4× the file" memory budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest tag store read, in bytes. A store of 150,000 articles' read state is about
    /// 6 MB; anything much larger is not a store (a symlink to `/dev/zero`, a log by mistake).
    pub store_bytes: u64,
    /// Largest section of the index cache decoded (checks, id table, a chunk of 8,192
    /// articles): the checks of 150,000 files take about 10 MB. A crafted length below the
    /// file's size but above this is refused before anything is allocated for it.
    pub index_section_bytes: u64,
    /// Largest head section (version, root, learned templates), a few hundred KB in practice.
    pub index_head_bytes: u64,
    /// Blocks (paragraphs, list items, table rows, headings) one document renders; the rest is
    /// cut with a note. 11 million one-letter paragraphs otherwise took 3.7 GiB.
    pub render_blocks: usize,
    /// Lines of rendered text one document produces, after wrapping.
    pub render_lines: usize,
    /// Table cells one document renders (columns × rows, summed over its tables): a 5,000 ×
    /// 200 table took 753 MiB laid out whole.
    pub render_cells: usize,
}

/// The limits every command and the reader use.
pub const LIMITS: Limits = Limits {
    store_bytes: 256 * 1024 * 1024,
    index_section_bytes: 128 * 1024 * 1024,
    index_head_bytes: 16 * 1024 * 1024,
    render_blocks: 50_000,
    render_lines: 200_000,
    render_cells: 100_000,
};
