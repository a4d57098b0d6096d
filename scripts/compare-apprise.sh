#!/usr/bin/env bash
# Tocsin next to Apprise on this machine, in one run, against the bench receiver on
# 127.0.0.1 (`tocsin-bench receiver`):
#
#   - Apprise in-process: notifications per second, `Apprise.notify` in a Python loop;
#   - Apprise CLI one-shot: wall time and peak RSS of `apprise -t T -b B URL` (median);
#   - `tocsin send URL -t T -b B` one-shot: the same (median), or "not available";
#   - Tocsin's dispatch rate: `tocsin-bench --phases queue` (drain of a pre-filled queue,
#     signed webhooks, through the bench's receiver).
#
# Apprise is installed from PyPI into target/apprise-venv. Nothing leaves 127.0.0.1, and
# every loop is bounded (N notifications, RUNS one-shots, QUEUED deliveries, time limits).
#
# Usage: cargo build --release -p tocsin -p tocsin-bench && scripts/compare-apprise.sh
# Settings (environment): N=2000 RUNS=11 QUEUED=20000
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-2000}
RUNS=${RUNS:-11}
QUEUED=${QUEUED:-20000}
VENV=target/apprise-venv
BENCH=target/release/tocsin-bench
TOCSIN=target/release/tocsin

for bin in "$BENCH" "$TOCSIN"; do
    if [ ! -x "$bin" ]; then
        echo "missing $bin; build first: cargo build --release -p tocsin -p tocsin-bench" >&2
        exit 1
    fi
done

if [ ! -x "$VENV/bin/apprise" ]; then
    echo "installing Apprise into $VENV …" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check apprise
fi
APPRISE_VERSION=$("$VENV/bin/python" -c 'import apprise; print(apprise.__version__)')

# The receiver runs until this script ends (its standard input closes) or 30 minutes pass.
coproc RECEIVER { exec "$BENCH" receiver --secs 1800; }
read -r -t 10 BASE <&"${RECEIVER[0]}"
case "$BASE" in
    http://127.0.0.1:*) ;;
    *) echo "the receiver did not start: '$BASE'" >&2; exit 1 ;;
esac
HOSTPORT=${BASE#http://}
URL="json://$HOSTPORT/raw"
echo "receiver at $BASE; Apprise $APPRISE_VERSION; N=$N RUNS=$RUNS QUEUED=$QUEUED" >&2

# Apprise in-process: N notifications in a loop (after one to warm up).
echo "Apprise: $N notifications in a loop …" >&2
APPRISE_LOOP=$("$VENV/bin/python" - "$URL" "$N" <<'PY'
import sys, time
import apprise
url, n = sys.argv[1], int(sys.argv[2])
a = apprise.Apprise()
if not a.add(url):
    sys.exit("Apprise does not take " + url)
a.notify(title="warm-up", body="warm-up")
start = time.perf_counter()
ok = sum(1 for i in range(n) if a.notify(title="Deploy Success", body=f"bench {i}"))
elapsed = time.perf_counter() - start
print(f"{ok / elapsed:.0f} {ok} {elapsed:.2f}")
PY
)

# One-shot runs: median wall time and peak RSS of RUNS runs of a command.
# The wall time is of the command started straight from Python. The peak RSS comes from
# GNU time (`/usr/bin/time -f %M`, package `time`) in separate runs: a child of Python
# reports Python's own RSS as its peak at the least (Linux keeps the larger of the peak
# before and after `exec`; `/bin/true` showed 13.4 MiB that way), while GNU time is small.
oneshot() {
    python3 - "$RUNS" "$@" <<'PY'
import os, statistics, subprocess, sys, tempfile, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
walls, rss = [], []
for _ in range(runs):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    walls.append((time.perf_counter() - start) * 1e3)
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").strip()
        print(f"failed: {err.splitlines()[-1] if err else 'exit ' + str(p.returncode)}")
        sys.exit(0)
    if gnu_time:
        with tempfile.NamedTemporaryFile("r") as out:
            subprocess.run([gnu_time, "-f", "%M", "-o", out.name, *cmd],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            rss.append(int(out.read().split()[-1]) / 1024)
peak = f"{statistics.median(rss):.1f} MiB" if rss else "RSS not measured (no /usr/bin/time; apt-get install time)"
print(f"{statistics.median(walls):.1f} ms, {peak}")
PY
}

echo "Apprise CLI: $RUNS one-shots …" >&2
APPRISE_CLI=$(oneshot "$VENV/bin/apprise" -t "Deploy Success" -b "bench" "$URL")

echo "tocsin send: $RUNS one-shots …" >&2
if "$TOCSIN" send --help >/dev/null 2>&1; then
    TOCSIN_SEND=$(TOCSIN_ALLOW_PRIVATE=127.0.0.0/8 oneshot "$TOCSIN" send "$URL" -t "Deploy Success" -b "bench")
else
    TOCSIN_SEND="not available (this tocsin has no send subcommand)"
fi

echo "Tocsin dispatch: draining $QUEUED queued deliveries …" >&2
DISPATCH_OUT=$("$BENCH" --phases queue --queued "$QUEUED" --events "$QUEUED" --timeout-secs 600)
DISPATCH=$(printf '%s\n' "$DISPATCH_OUT" | grep 'dispatch: drain of the queue' | awk -F'|' '{gsub(/^ +| +$/, "", $3); print $3}')
RAW=$(printf '%s\n' "$DISPATCH_OUT" | grep 'raw limit: client' | awk -F'|' '{gsub(/^ +| +$/, "", $3); print $3}')
RECEIVED=$(curl -s --max-time 5 "$BASE/stats" || echo '{}')

read -r LOOP_RATE LOOP_OK LOOP_SECS <<<"$APPRISE_LOOP"
echo
echo "compare-apprise — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, Apprise $APPRISE_VERSION, receiver on 127.0.0.1"
echo
printf '| %-58s | %-34s |\n' "figure" "value"
printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..36})"
printf '| %-58s | %-34s |\n' "raw limit: bench client to receiver (tocsin-bench)" "$RAW"
printf '| %-58s | %-34s |\n' "Apprise in-process, notify() in a loop ($LOOP_OK)" "$LOOP_RATE notifications/s"
printf '| %-58s | %-34s |\n' "Tocsin dispatch, drain of $QUEUED queued (signed webhooks)" "$DISPATCH"
printf '| %-58s | %-34s |\n' "Apprise CLI one-shot, median of $RUNS: wall, peak RSS" "$APPRISE_CLI"
printf '| %-58s | %-34s |\n' "tocsin send one-shot, median of $RUNS: wall, peak RSS" "$TOCSIN_SEND"
echo
echo "receiver counts (raw = Apprise and tocsin send): $RECEIVED"
