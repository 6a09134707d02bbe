//! On every real front matter in ../shared/corpus, the plain fast path agrees with serde_yaml.

use yuedu::corpus::frontmatter;

use crate::util::shared;

#[test]
#[ignore = "needs ../shared"]
fn fast_path_matches_serde_yaml_on_the_real_sample() {
    let root = shared("corpus");
    let (mut fast, mut total) = (0, 0);
    for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        let Some(yaml) = frontmatter::split(&text).yaml else { continue };
        total += 1;
        // As the scale generator writes them: a ` #N` appended to the title.
        let numbered: String = yaml
            .lines()
            .map(|l| if l.starts_with("title:") { format!("{l} #7\n") } else { format!("{l}\n") })
            .collect();
        for yaml in [yaml, numbered.as_str()] {
            if let Some(fields) = frontmatter::parse_plain(yaml) {
                fast += 1;
                assert_eq!(Some(fields), frontmatter::parse_yaml(yaml), "{}", entry.path().display());
            }
        }
    }
    assert!(total > 1000, "only {total} front matters found");
    assert!(fast > total, "fast path taken for only {fast} of {total}");
}
