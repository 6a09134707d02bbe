#!/usr/bin/env bash
# End-to-end test of the real yuedu binary in tmux (send-keys, capture-pane): opens a small corpus
# it writes to a temp dir, filters, opens an article, tags it, shows help, resizes down to 1x1 and
# back, quits, and checks the terminal is restored; then checks SIGTERM restores it too.
# Exits non-zero on the first failure; skips (exit 0) when tmux is not installed.
# Usage: tests/e2e_tmux.sh   (YUEDU_BIN=path to test another binary)
set -euo pipefail

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIP: tmux is not installed"
    exit 0
fi

cd "$(dirname "$0")/.."
BIN=${YUEDU_BIN:-target/debug/yuedu}
if [ -z "${YUEDU_BIN:-}" ]; then
    cargo build --quiet --bin yuedu
fi
BIN=$(realpath "$BIN")

TMP=$(mktemp -d)
RUN=0
SOCK="yuedu-e2e-$$-$RUN"
cleanup() {
    tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "FAIL: ${STEP:-setup}: command failed at line $LINENO: $BASH_COMMAND"' ERR

# A tiny corpus written for this test.
write() { mkdir -p "$(dirname "$1")"; cat >"$1"; }
write "$TMP/corpus/2025/01/17/daily/安全内参_勒索软件攻击多家医院.md" <<'MD'
---
title: 勒索软件攻击多家医院
url: https://news.example.cn/a/1
source: 安全内参
date: 2025-01-17
---

调查人员说，攻击者先通过钓鱼邮件进入内网。
MD
write "$TMP/corpus/2025/01/15/daily/THN_New loader.md" <<'MD'
---
title: Researchers find a new loader targeting Exchange servers
url: https://thn.example.com/new-loader
source: The Hacker News
date: 2025-01-15
---

A new loader was seen in the wild, hiding its settings in image files.
MD
write "$TMP/corpus/2024/12/01/daily/FreeBuf_微信支付接口漏洞分析.md" <<'MD'
---
title: 微信支付接口漏洞分析
url: https://www.example.com/freebuf/2
source: FreeBuf
date: 2024-12-01
---

作者复现了一个签名校验绕过的问题。
MD

ENVS="env -u NO_COLOR XDG_DATA_HOME=$TMP/data XDG_STATE_HOME=$TMP/state XDG_CONFIG_HOME=$TMP/config XDG_CACHE_HOME=$TMP/cache"
STEP=""

fail() {
    echo "FAIL: $STEP: $1"
    echo "---- screen ----"
    tmux -L "$SOCK" capture-pane -p -t e2e 2>/dev/null || true
    echo "----------------"
    exit 1
}

screen() { tmux -L "$SOCK" capture-pane -p -t e2e; }

# Waits up to 10 s for the screen to contain $1.
wait_for() {
    for _ in $(seq 1 100); do
        if screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
    done
    fail "did not see '$1'"
}

wait_gone() {
    for _ in $(seq 1 100); do
        if ! screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
    done
    fail "still see '$1'"
}

keys() { tmux -L "$SOCK" send-keys -t e2e "$@"; }

start() {
    tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
    # A fresh tmux server each time: reusing a socket races with the old server's exit.
    RUN=$((RUN + 1))
    SOCK="yuedu-e2e-$$-$RUN"
    rm -f "$TMP/after"
    # After yuedu exits, record its status and the terminal modes, then stay so they can be read.
    tmux -L "$SOCK" new-session -d -s e2e -x 80 -y 24 \
        "$ENVS $BIN --corpus $TMP/corpus; echo \"exit=\$?\" >$TMP/after; stty -a | tr ' ;' '\n\n' | grep -x -- '-\\?icanon' >>$TMP/after; sleep 60"
}

wait_exit() {
    for _ in $(seq 1 100); do
        if [ -s "$TMP/after" ] && grep -q canon "$TMP/after"; then break; fi
        sleep 0.1
    done
    [ -s "$TMP/after" ] || fail "yuedu did not exit"
    grep -qx "$1" "$TMP/after" || fail "exit status: $(head -1 "$TMP/after"), wanted $1"
    grep -qx "icanon" "$TMP/after" || fail "terminal left in raw mode: $(tail -1 "$TMP/after")"
    [ "$(tmux -L "$SOCK" display -p -t e2e '#{alternate_on}')" = "0" ] || fail "alternate screen not left"
}

STEP="start"
start
wait_for "/3 "
wait_for "勒索软件攻击多家医院"
wait_for "? help"

STEP="filter"
keys /
keys -l "exchange"
wait_for "1/1 of 3"
screen | grep -qF "微信支付" && fail "filter did not narrow"
keys Enter
wait_for "/exchange"

STEP="open"
keys Enter
wait_for "A new loader was seen in the wild"
wait_for "The Hacker News"
wait_for "100%"

STEP="copy"
# y sends the URL with OSC 52; tmux with set-clipboard on puts it in its paste buffer.
tmux -L "$SOCK" set -g set-clipboard on
keys y
wait_for "copied"
for _ in $(seq 1 50); do
    [ "$(tmux -L "$SOCK" show-buffer 2>/dev/null || true)" = "https://thn.example.com/new-loader" ] && break
    sleep 0.1
done
[ "$(tmux -L "$SOCK" show-buffer 2>/dev/null || true)" = "https://thn.example.com/new-loader" ] ||
    fail "OSC 52 did not reach tmux's buffer: '$(tmux -L "$SOCK" show-buffer 2>&1 || true)'"

STEP="tag"
keys t
wait_for "add tags:"
keys -l "ioc"
keys Enter
wait_for "[ioc]"

STEP="help"
keys "?"
wait_for "Keys"
wait_for "move down"
wait_for "copy the URL"
keys x
wait_gone "move down"

STEP="back"
keys q
wait_for "Enter open"
keys q
wait_for "/3 "
screen | grep -q "微信支付" || fail "Esc/q did not clear the filter"

STEP="resize"
tmux -L "$SOCK" resize-window -t e2e -x 20 -y 5
sleep 0.3
keys j
tmux -L "$SOCK" resize-window -t e2e -x 1 -y 1
sleep 0.3
keys j
tmux -L "$SOCK" resize-window -t e2e -x 200 -y 50
# Side by side now: the list, and beside it the selected (last) article.
wait_for "作者复现了一个签名校验绕过的问题"
wait_for "│ 微信支付接口漏洞分析"
tmux -L "$SOCK" resize-window -t e2e -x 80 -y 24
wait_for "/3 "

STEP="quit"
keys Q
wait_exit "exit=0"

STEP="saved"
# The tag typed in the reader, and the read state of the opened article, are in the store.
$ENVS "$BIN" --corpus "$TMP/corpus" tags list >"$TMP/tags" 2>&1 || fail "yuedu tags list: $(cat "$TMP/tags")"
grep -q "ioc" "$TMP/tags" || fail "tag not saved: $(cat "$TMP/tags")"
grep -q '"read":true' "$TMP/data/yuedu/state.json" || fail "read state not saved: $(cat "$TMP/data/yuedu/state.json")"

for sig in TERM HUP; do
    STEP="SIG$sig"
    start
    wait_for "/3 "
    pane=$(tmux -L "$SOCK" display -p -t e2e '#{pane_pid}')
    pid=""
    for _ in $(seq 1 50); do
        pid=$(pgrep -P "$pane" -x yuedu || true)
        [ -n "$pid" ] && break
        sleep 0.1
    done
    [ -n "$pid" ] || fail "no yuedu process under the pane"
    kill -"$sig" "$pid"
    wait_exit "exit=0"
done

echo "PASS: e2e_tmux (start, filter, open, copy, tag, help, back, resize to 1x1, quit, saved, SIGTERM, SIGHUP)"
