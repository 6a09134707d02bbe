#!/bin/sh
# Seeds the fuzz corpora (git-ignored) from the test fixtures, the demo corpus and the generated
# hostile corpus. Run from the crate root: sh fuzz/seed.sh
set -eu
cd "$(dirname "$0")/.."
hostile=fuzz/seeds-hostile
rm -rf "$hostile"
cargo run -q --example adversarial_corpus -- "$PWD/$hostile" >/dev/null
for target in frontmatter boilerplate render entities; do
    mkdir -p "fuzz/corpus/$target"
    # Regular files only (the hostile corpus has FIFOs and symlink loops), small ones, named by
    # content so reseeding adds nothing twice.
    find tests/fixtures/corpus tests/data/entities assets/demo "$hostile" -type f -size -64k | while IFS= read -r f; do
        cp "$f" "fuzz/corpus/$target/seed-$(sha1sum "$f" | cut -c1-16)"
    done
done
rm -rf "$hostile"
echo "seeded: $(ls fuzz/corpus/frontmatter | wc -l) files per target"
