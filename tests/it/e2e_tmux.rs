//! Runs tests/e2e_tmux.sh against the binary cargo just built, so `cargo test` (and CI) drives the
//! real reader in tmux. It needs tmux installed (`.ci/run` installs it) and fails without it.

use std::process::Command;

#[test]
fn real_binary_in_tmux() {
    let tmux = Command::new("tmux").arg("-V").output();
    assert!(
        tmux.is_ok_and(|o| o.status.success()),
        "tmux is not installed: this test drives the reader in it (`apt-get install tmux`), \
         or leave it out with `cargo test -- --skip e2e_tmux`"
    );
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("bash")
        .arg(format!("{root}/tests/e2e_tmux.sh"))
        .env("YUEDU_BIN", env!("CARGO_BIN_EXE_yuedu"))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "e2e_tmux.sh failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("PASS"), "{stdout}\n{stderr}");
}
