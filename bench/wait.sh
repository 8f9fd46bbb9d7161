# shellcheck shell=sh
# wait.sh - sourced by the bench scripts: wait for what they started
#
# bench_wait WHAT CMD...: runs CMD every 50 ms until it succeeds; after 5 s
# says "WHAT did not start" and exits 1.
bench_wait() {
	bench_what=$1
	shift
	bench_i=0
	until "$@"; do
		bench_i=$((bench_i + 1))
		[ $bench_i -lt 100 ] || { echo "$bench_what did not start" >&2; exit 1; }
		sleep 0.05
	done
}
