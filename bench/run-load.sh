#!/bin/sh
# run-load.sh - load benchmark of POST /api/v1/diagnose
#
# Starts build/bouncedoc on a loopback port, measures its idle RSS, drives
# it with wrk (one thread, CONNS connections, DURATION seconds; the server
# has the other core), and prints requests/s, latency percentiles, errors
# and RSS after the load. Numbers go to docs/PERFORMANCE.md.
# Usage: [BENCH_CHECKS=auto] bench/run-load.sh [DURATION_SECONDS] [CONNS]
# BENCH_CHECKS=auto runs the live SPF check of every request against the
# fixture DNS server (build/dns-fixture, api-tests/fixtures/dns/zone.json
# on 127.0.0.1): after the first request every answer is in the cache.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/wait.sh"
duration=${1:-10}
conns=${2:-32}
port=${BENCH_PORT:-18099}
checks=${BENCH_CHECKS:-none}

command -v wrk >/dev/null || { echo "wrk is missing: make deps" >&2; exit 1; }
tmp=$(mktemp -d)
fixpid=
dns=127.0.0.1:9 # checks=none asks no DNS; nothing leaves the machine
if [ "$checks" = auto ]; then
	"$top/build/dns-fixture" --zone "$top/api-tests/fixtures/dns/zone.json" \
	    --port-file "$tmp/port" &
	fixpid=$!
	bench_wait dns-fixture test -s "$tmp/port"
	dns=127.0.0.1:$(cat "$tmp/port")
fi
"$top/build/bouncedoc" --listen "127.0.0.1:$port" --log-level warn --dns "$dns" &
pid=$!
trap 'kill $pid $fixpid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
bench_wait "the server" curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"
rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$pid/status"; }
echo "idle_rss: $(rss)"
# warm-up, then the measured run
export BENCH_CHECKS="$checks"
wrk -t1 -c"$conns" -d2s -s "$top/bench/diagnose.lua" "http://127.0.0.1:$port" >/dev/null
wrk -t1 -c"$conns" -d"${duration}s" -s "$top/bench/diagnose.lua" \
	"http://127.0.0.1:$port" | sed -n '/^requests:/,$p'
echo "rss_after_load: $(rss)"
