//! Tests on `../shared`, the sample of the real archive beside the checkout: all `#[ignore]`d, since
//! a fresh clone has none; `cargo test -- --include-ignored` runs them, and fails without it.

mod boilerplate;
mod corpus;
mod filter;
mod frontmatter;
mod render;
mod stories;

use std::sync::OnceLock;

use yuedu::corpus::Corpus;

/// `../shared/corpus` as the library loads it, once for every test here.
fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| Corpus::load(&crate::util::shared("corpus")).expect("shared corpus loads"))
}
