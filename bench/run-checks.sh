#!/bin/sh
# run-checks.sh - the live checks through the real server, one and N at once
#
# Starts build/dns-fixture (a zone written here: N+4 senders, each with
# SPF of two nested includes, DMARC, a confirmed PTR, an MX with two
# exchanges and a listing on one of the 8 lists of bench/dnsbl-8.json;
# every answer DELAY_MS late, "*": {"delay_ms": ...}) and build/bouncedoc
# on loopback ports, then sends with curl:
# - one GET /api/v1/check?ip=&domain= (SPF, DMARC, PTR, DNSBL, MX at once),
#   a POST /api/v1/diagnose of an SPF refusal (SPF and DMARC) and one of a
#   blocklist refusal (PTR and DNSBL), each for a sender not asked before
#   (empty cache);
# - N GET /api/v1/check at once, each for its own sender, then N for one
#   sender (curl --parallel, one connection each);
# and prints the times, the HTTP statuses, the "not_checked" in the
# answers and the server's thread count before and after.
# Numbers go to docs/PERFORMANCE.md ("Live checks at once").
# Usage: bench/run-checks.sh [DELAY_MS] [N]   (defaults 100 and 200)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/wait.sh"
delay=${1:-100}
n=${2:-200}
port=${BENCH_PORT:-18098}
base=http://127.0.0.1:$port

if [ "$n" -lt 1 ] || [ "$n" -gt 300 ]; then
	echo "N: 1 to 300 (curl --parallel-max)" >&2
	exit 2
fi
tmp=$(mktemp -d)
fixpid=
pid=
# the server first: without the fixture its DNS canary would complain
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; kill $fixpid 2>/dev/null;
	wait 2>/dev/null || true; rm -rf "$tmp"' EXIT

# sender i: senderI.example, client 45.(90+i/256).(i%256).25
ip() { echo "45.$((90 + $1 / 256)).$(($1 % 256)).25"; }
awk -v n=$((n + 4)) -v delay="$delay" 'BEGIN {
	printf "{\"names\": {\n"
	for (i = 0; i < n; i++) {
		d = "sender" i ".example"; b = 90 + int(i / 256); c = i % 256
		rev = "25." c "." b ".45"
		printf "\"%s\": [{\"TXT\": \"v=spf1 ip4:45.200.0.0/24 include:_spf.%s -all\"}, {\"MX\": [10, \"mx1.%s\"]}, {\"MX\": [20, \"mx2.%s\"]}],\n", d, d, d, d
		printf "\"_spf.%s\": [{\"TXT\": \"v=spf1 ip4:45.201.0.0/24 include:_spf2.%s ~all\"}],\n", d, d
		printf "\"_spf2.%s\": [{\"TXT\": \"v=spf1 ip4:45.202.0.0/24 -all\"}],\n", d
		printf "\"_dmarc.%s\": [{\"TXT\": \"v=DMARC1; p=reject; rua=mailto:dmarc@%s\"}],\n", d, d
		printf "\"mx1.%s\": [{\"A\": \"45.203.%d.1\"}],\n", d, c
		printf "\"mx2.%s\": [{\"A\": \"45.203.%d.2\"}],\n", d, c
		printf "\"%s.in-addr.arpa\": [{\"PTR\": \"mail.%s\"}],\n", rev, d
		printf "\"mail.%s\": [{\"A\": \"45.%d.%d.25\"}],\n", d, b, c
		printf "\"%s.bl1.bench.example\": [{\"A\": \"127.0.0.2\"}, {\"TXT\": \"listed by the benchmark\"}]%s\n", rev, i < n - 1 ? "," : ""
	}
	printf "},\n\"behaviour\": {\"*\": {\"delay_ms\": %d}}}\n", delay
}' >"$tmp/zone.json"

"$top/build/dns-fixture" --zone "$tmp/zone.json" --port-file "$tmp/port" >/dev/null &
fixpid=$!
bench_wait dns-fixture test -s "$tmp/port"
"$top/build/bouncedoc" --listen "127.0.0.1:$port" --log-level warn \
	--dns "127.0.0.1:$(cat "$tmp/port")" --dnsbl-config "$top/bench/dnsbl-8.json" &
pid=$!
bench_wait "the server" curl -sf -o /dev/null "$base/healthz"
sleep 0.5 # the DNS canary's first probe
threads() { awk '/^Threads/ { print $2 }' "/proc/$pid/status"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
check_url() { echo "$base/api/v1/check?ip=$(ip "$1")&domain=sender$1.example"; }
# not_checked FILES... - checks and parts of checks not checked in the
# answers: a status not_checked, or a reason given (null when checked)
not_checked() {
	cat "$@" | grep -o -e '"not_checked"' -e '"not_checked_reason":"' | wc -l
}

echo "delay: $delay ms per answer; server threads before: $(threads)"
t=$(curl -s -o "$tmp/one.json" -w '%{http_code} %{time_total}' "$(check_url 0)")
echo "one check: status ${t% *}, $(echo "${t#* }" | awk '{ printf "%.1f", $1 * 1000 }') ms," \
	"not_checked $(not_checked "$tmp/one.json")"
j=$((n + 2))
for kind in spf block; do
	if [ $kind = spf ]; then
		text="550 5.7.1 $(ip $j) is not allowed to send mail from sender$j.example"
	else
		text="554 5.7.1 Service unavailable; Client host [$(ip $j)] blocked using bl1.bench.example"
	fi
	t=$(curl -s -o "$tmp/diag.json" -w '%{http_code} %{time_total}' \
		-H 'Content-Type: application/json' \
		--data "{\"text\":\"$text\"}" "$base/api/v1/diagnose")
	checks=$(grep -o '"checks":{.*' "$tmp/diag.json" |
		grep -oE '"(spf|dmarc|ptr|dnsbl|mx|dkim)":\{"status"' | cut -d'"' -f2 | tr '\n' ' ')
	echo "one diagnosis ($kind refusal): status ${t% *}," \
		"$(echo "${t#* }" | awk '{ printf "%.1f", $1 * 1000 }') ms, checks: ${checks}not_checked $(not_checked "$tmp/diag.json")"
	j=$((j + 1))
done

# many FIRST SAME - N checks at once, for senders FIRST.. (or FIRST alone)
many() {
	: >"$tmp/cfg"
	k=0
	while [ $k -lt "$n" ]; do
		s=$1
		[ "$2" = same ] || s=$(($1 + k))
		printf 'url = "%s"\noutput = "%s/r%d.json"\n' "$(check_url "$s")" "$tmp" "$k" >>"$tmp/cfg"
		k=$((k + 1))
	done
	t0=$(now_ms)
	curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max "$n" -K "$tmp/cfg" \
		-w '%{http_code} %{time_total}\n' >"$tmp/times"
	t1=$(now_ms)
	sort -k2 -n "$tmp/times" | awk -v n="$n" -v wall=$((t1 - t0)) -v what="$3" '
		{ t[NR] = $2 * 1000; if ($1 != 200) bad++ }
		END {
			p50 = t[int((n * 50 + 99) / 100)]; p99 = t[int((n * 99 + 99) / 100)]
			printf "%s: %d requests, all answered in %d ms; per request p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d not 200",
			    what, NR, wall, p50, p99, t[NR], bad
		}'
	echo ", not_checked $(not_checked "$tmp"/r*.json)"
	rm -f "$tmp"/r*.json
}
many 1 different "$n at once, different senders"
many $((n + 1)) same "$n at once, one sender"
echo "server threads after: $(threads)"
