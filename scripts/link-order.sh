#!/usr/bin/env bash
# Makes crates/cli/link-order.txt again: the functions the release binary runs, which the
# linker places together (scripts/link_order.py says why). Run it when
# `scripts/link_order.py check target/release/tocsin` (part of .ci/run) says the order no
# longer matches, e.g. after a dependency update, then build the release binary again.
#
# It profiles, under valgrind's callgrind and on 127.0.0.1 only:
#   send  two `tocsin send` one-shots to the bench receiver;
#   idle  `tocsin serve` from start to SIGTERM: a fresh database, /healthz, 3 s idle;
#   load  a short `tocsin-bench` run (ingest, latency, queue phases, bounded counts).
# Needs valgrind (Debian's package) and about five minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
# As .ci/run builds them: the same features, so the same symbol names.
cargo build --release --locked -p tocsin -p tocsin-bench

root=$(pwd)
tocsin="$root/target/release/tocsin"
bench="$root/target/release/tocsin-bench"
work=$(mktemp -d)
receiver_pid=""
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/send" "$work/idle" "$work/load" "$work/data"
callgrind=(valgrind --tool=callgrind --log-file="$work/valgrind.%p.log" --demangle=no --dump-instr=no --compress-strings=no --compress-pos=no)

echo "== send"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sleep 120 | "$bench" receiver --port "$port" --secs 120 >"$work/receiver.log" 2>&1 &
receiver_pid=$!
for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$port/stats" >/dev/null && break
    sleep 0.1
done
for i in 1 2; do
    TOCSIN_ALLOW_PRIVATE=127.0.0.0/8 "${callgrind[@]}" --callgrind-out-file="$work/send/cg.$i" \
        "$tocsin" send -t "Deploy $i" -b "finished" "json://127.0.0.1:$port/hook"
done

echo "== idle"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(
    cd "$work/data"
    exec env TOCSIN_LISTEN="127.0.0.1:$port" TOCSIN_DATA_DIR="$work/data" \
        TOCSIN_ADMIN_TOKEN="link-order-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
        "${callgrind[@]}" --callgrind-out-file="$work/idle/cg" "$tocsin" serve
) >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null
sleep 3
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""

echo "== load"
cat >"$work/tocsin-under-callgrind" <<EOF
#!/bin/sh
exec ${callgrind[*]} --callgrind-out-file=$work/load/cg.%p "$tocsin" "\$@"
EOF
chmod +x "$work/tocsin-under-callgrind"
"$bench" --binary "$work/tocsin-under-callgrind" --events 300 --queued 300 --rate 50 \
    --latency-secs 2 --timeout-secs 590

python3 scripts/link_order.py generate --binary "$tocsin" \
    --send "$work/send" --idle "$work/idle" --load "$work/load" >crates/cli/link-order.txt
echo "wrote crates/cli/link-order.txt; build the release binary again to use it"
