//! Fuzzes the indicator extractor: no text may make it panic, and what it finds must be in
//! normal form (its own query form, refanged back from its defanged form).
#![no_main]

use libfuzzer_sys::fuzz_target;
use yuedu_core::entities::{Context, Extractor, defang, normalize_query, refang};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let once = refang(text).into_owned();
    assert_eq!(refang(&once), once.as_str());
    for e in Extractor::builtin().extract(text, &Context { url: Some("https://news.example.cn/a") }) {
        assert_eq!(normalize_query(Some(e.kind), &e.value), e.value);
        assert_eq!(refang(&defang(e.kind, &e.value)), e.value.as_str());
    }
});
