//! Stories through the real binary: `list --format json` carries `story` and `copies` once the
//! body pass ran, `list --stories` folds copies into one row, `check` counts them.

use crate::util::{Dir, article_text};

const BODY: &str = "A city water utility said on Monday that an intruder reached the control \
network of one treatment plant through a remote support tool left enabled after a vendor visit. \
Operators noticed a change to a chemical dosing setpoint within minutes and reverted it by hand, \
and no customer was affected. The utility has since removed the tool, reset every shared \
password and asked the state's emergency management office to review its other plants. \
Federal agencies repeated their advice that small utilities keep remote access off by default \
and log every session that reaches operational systems.";

const OTHER: &str = "Researchers described a phishing kit that copies the sign-in pages of \
three large banks pixel for pixel and relays one-time codes to its operators in real time. \
The kit is sold by subscription on a chat channel, with updates whenever a bank changes its \
page, and its buyers have registered hundreds of look-alike domains this spring. The authors \
advise customers to type bank addresses by hand and to treat any text message with a link as \
suspect, however convincing the page it opens appears to be at first sight.";

fn corpus() -> Dir {
    let c = Dir::new();
    c.write(
        "2024/05/01/daily/Wire_a.md",
        article_text("Utility breach", "https://wire.example/1", "Wire", "2024-05-01", BODY),
    );
    let repost = format!("Reposted from Wire with permission.\n\n{BODY}\n\nFollow us for more.");
    c.write(
        "2024/05/02/daily/Echo_b.md",
        article_text("Water plant hacked", "https://echo.example/9", "Echo", "2024-05-02", &repost),
    );
    c.write(
        "2024/05/03/daily/Wire_c.md",
        article_text("Utility breach", "https://wire.example/2", "Wire", "2024-05-03", OTHER),
    );
    c
}

fn rows(c: &Dir, args: &[&str]) -> Vec<serde_json::Value> {
    serde_json::from_str(c.yuedu(args.iter().copied()).assert_ok().stdout()).expect("json")
}

#[test]
fn list_json_carries_stories_after_the_pass_and_stories_fold_copies() {
    let c = corpus();
    let before = rows(&c, &["list", "--format", "json"]);
    assert!(before.iter().all(|r| r["story"].is_null() && r["copies"].is_null()), "{before:?}");
    c.yuedu(["index"]).assert_ok();
    let after = rows(&c, &["list", "--format", "json"]);
    let by_url = |u: &str| after.iter().find(|r| r["url"] == u).expect("row").clone();
    let (a, b, other) = (
        by_url("https://wire.example/1"),
        by_url("https://echo.example/9"),
        by_url("https://wire.example/2"),
    );
    assert_eq!(a["story"], a["id"], "the earliest copy names the story");
    assert_eq!(b["story"], a["id"]);
    assert_eq!(b["copies"], 2);
    assert_eq!(other["story"], other["id"], "same title, other body: its own story");
    assert_eq!(other["copies"], 1);
    let folded = rows(&c, &["list", "--stories", "--format", "json"]);
    assert_eq!(folded.len(), 2);
    let story = folded.iter().find(|r| r["copies"] == 2).expect("folded story");
    assert_eq!(story["id"], a["id"]);
    assert_eq!(story["sources"], serde_json::json!(["Echo", "Wire"]));
    let tsv = c.yuedu(["list", "--stories"]).assert_ok().stdout().to_string();
    assert_eq!(tsv.lines().count(), 2, "{tsv}");
    let check = c.yuedu(["check"]).assert_ok().stdout().to_string();
    assert!(check.contains("stories: 2 (1 with several copies, 2 articles in them)"), "{check}");
}

#[test]
fn a_second_pass_reads_only_what_changed_and_drops_removed_copies() {
    let c = corpus();
    c.yuedu(["index"]).assert_ok();
    let again = c.yuedu(["index"]).assert_ok().stdout().to_string();
    assert!(again.starts_with("0 article(s) read"), "{again}");
    std::fs::remove_file(c.path("2024/05/02/daily/Echo_b.md")).expect("remove");
    let after = c.yuedu(["index"]).assert_ok().stdout().to_string();
    // One article gone from each of the three consumers (search, facts, stories).
    assert!(after.starts_with("0 article(s) read and indexed, 3 removed"), "{after}");
    let rows = rows(&c, &["list", "--format", "json"]);
    assert!(rows.iter().all(|r| r["copies"] == 1), "{rows:?}");
}
