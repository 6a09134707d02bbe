#!/usr/bin/env bash
# Regenerates the README's screenshot: the release binary on the demo corpus in a 100x12 tmux
# pane, captured as text into docs/screenshot.txt. Needs tmux; uses a throwaway home.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
home=$(mktemp -d)
trap 'tmux kill-session -t yuedu-shot 2>/dev/null || true; rm -rf "$home"' EXIT
tmux new-session -d -s yuedu-shot -x 100 -y 12 \
  "env HOME=$home XDG_CONFIG_HOME=$home/c XDG_DATA_HOME=$home/d XDG_CACHE_HOME=$home/k XDG_STATE_HOME=$home/s ${CARGO_TARGET_DIR:-$PWD/target}/release/yuedu"
sleep 2
tmux send-keys -t yuedu-shot j
sleep 0.5
tmux capture-pane -p -t yuedu-shot | sed 's/[[:space:]]*$//' > docs/screenshot.txt
cat docs/screenshot.txt
