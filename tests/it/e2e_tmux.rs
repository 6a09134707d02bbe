//! Runs tests/e2e_tmux.sh against the binary cargo just built, so `cargo test` (and CI) drives the
//! real reader in tmux. The script skips, with a notice, when tmux is not installed.

use std::process::Command;

#[test]
fn real_binary_in_tmux() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("bash")
        .arg(format!("{root}/tests/e2e_tmux.sh"))
        .env("YUEDU_BIN", env!("CARGO_BIN_EXE_yuedu"))
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            eprintln!("notice: cannot run bash ({e}); the tmux test is skipped");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(out.status.success(), "e2e_tmux.sh failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("PASS") || stdout.contains("SKIP"), "{stdout}");
}
