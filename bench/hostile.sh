#!/bin/sh
# hostile.sh - what one hostile body costs the one thread
#
# Starts build/bouncedoc on a loopback port (checks=none: nothing leaves the
# machine) and POSTs, one after another, a bounce line followed by SIZE KiB
# of a repeated trigger: URLs ("http://"), URLs inside URLs, colons, dots
# and colons, addresses in a path, and "@" runs. For each it prints the
# time of the answer and the server's peak RSS so far (VmHWM). Numbers go to
# docs/PERFORMANCE.md. Usage: bench/hostile.sh [SIZE_KIB ...] (default 64 256 1024)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/wait.sh"
port=${BENCH_PORT:-18097}
sizes=${*:-64 256 1024}
tmp=$(mktemp -d)
"$top/build/bouncedoc" --listen "127.0.0.1:$port" --dns 127.0.0.1:9 \
    --max-body 4194304 --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
bench_wait bouncedoc curl -s -o /dev/null "http://127.0.0.1:$port/healthz"
printf '%-22s %8s %10s %12s\n' trigger KiB seconds peak-RSS
for kib in $sizes; do
	for t in 'http://' 'http://a.b/http://' ':' '.:' 'a/a/a@b.' 'a@'; do
		f="$tmp/body"
		printf '550 5.1.1 <bob@example.org>: user unknown\n' >"$f"
		# the trigger repeated to kib KiB
		awk -v t="$t" -v n=$((kib * 1024)) 'BEGIN {
			s = t; while (length(s) < n) s = s s; printf "%s", substr(s, 1, n) }' >>"$f"
		secs=$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: text/plain' \
		    --data-binary @"$f" "http://127.0.0.1:$port/api/v1/diagnose?checks=none")
		rss=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
		printf '%-22s %8s %10s %12s\n' "$t" "$kib" "$secs" "$rss"
	done
done
