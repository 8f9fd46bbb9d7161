#!/bin/sh
# golden.sh - the golden bounces: every input of server/tests/golden/ through
# "bouncedoc diagnose" in each language, compared with the expected answers.
#
# usage: scripts/golden.sh [--update] [--bin BOUNCEDOC] [--dns-fixture BIN]
#                          [--pretty BIN] [INPUT...]
#
# An input is server/tests/golden/NAME.txt (pasted text) or NAME.eml (a whole
# message); its expected answers are NAME.en.json and NAME.ru.json: the JSON
# of POST /api/v1/diagnose with live checks on, indented by jsonpretty (white
# space between tokens only; every string byte as the service wrote it).
# The checks ask build/dns-fixture serving server/tests/golden/zone.json on
# loopback, never a real resolver. On a difference the script prints
# `diff -u expected actual` and fails; an input without expected answers and
# expected answers without an input fail too. --update writes the answers
# instead (and removes those of inputs that are gone), for review in the
# diff. INPUT... limits the run to those inputs. Run from the repository
# root (make golden, make golden-update).
set -u

dir=server/tests/golden
langs="en ru"
bin=build/bouncedoc
fixture=build/dns-fixture
pretty=build/tests/jsonpretty
update=0

usage() {
	echo "usage: $0 [--update] [--bin BOUNCEDOC] [--dns-fixture BIN] [--pretty BIN] [INPUT...]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--update) update=1 ;;
	--bin | --dns-fixture | --pretty)
		[ $# -ge 2 ] || usage
		case $1 in
		--bin) bin=$2 ;;
		--dns-fixture) fixture=$2 ;;
		*) pretty=$2 ;;
		esac
		shift ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done

for b in "$bin" "$fixture" "$pretty"; do
	[ -x "$b" ] || { echo "golden: $b is not built" >&2; exit 2; }
done

# The answer may depend only on the input: the service's settings come
# from its defaults, never from the caller's BOUNCEDOC_* environment. The
# DNS waits are longer than the defaults: the fixture answers at once, and
# a busy machine (a sanitizer build, a parallel make) must not turn an
# answer into "not checked".
for v in $(env | sed -n 's/^\(BOUNCEDOC_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done
export BOUNCEDOC_DNS_TIMEOUT_MS=10000 BOUNCEDOC_CHECKS_DEADLINE_MS=60000
export LC_ALL=C

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bouncedoc-golden.XXXXXX") || exit 2
fixpid=
cleanup() {
	[ -n "$fixpid" ] && kill "$fixpid" 2>/dev/null && wait "$fixpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

"$fixture" --zone "$dir/zone.json" --port-file "$tmp/port" >/dev/null &
fixpid=$!
i=0
while [ ! -s "$tmp/port" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$fixpid" 2>/dev/null; then
		echo "golden: $fixture did not start" >&2
		exit 2
	fi
	sleep 0.05
done
dns=127.0.0.1:$(cat "$tmp/port")

all=0
if [ $# -eq 0 ]; then
	all=1
	for f in "$dir"/*.txt "$dir"/*.eml; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
fi
# an INPUT may be a path or a name in $dir, with or without its extension
for a in "$@"; do
	shift
	for f in "$a" "$dir/$a" "$dir/$a.txt" "$dir/$a.eml" ""; do
		[ -n "$f" ] && [ -f "$f" ] && break
	done
	[ -n "$f" ] || { echo "golden: no input $a" >&2; exit 2; }
	set -- "$@" "$f"
done

# One bouncedoc per input and language, as many at once as there are CPUs;
# each leaves NAME.LANG.json, or NAME.LANG.json.err when it failed, in $tmp.
# shellcheck disable=SC2016 # $1... are the job's own arguments
one='bin=$1 dns=$2 tmp=$3 pretty=$4 in=$5 lang=$6
name=$(basename "$in")
out=$tmp/${name%.*}.$lang.json
if "$bin" diagnose --lang "$lang" --rules rules --dns "$dns" "$in" \
    >"$out.raw" 2>"$out.err" && "$pretty" <"$out.raw" >"$out" 2>>"$out.err"
then
	rm -f "$out.raw" "$out.err"
else
	rm -f "$out"
fi'
for f in "$@"; do
	for l in $langs; do
		printf '%s\n%s\n' "$f" "$l"
	done
done | xargs -d '\n' -n 2 -P "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)" \
	sh -c "$one" golden-one "$bin" "$dns" "$tmp" "$pretty"

fail=0
n=0
changed=0
for f in "$@"; do
	name=$(basename "$f")
	name=${name%.*}
	for l in $langs; do
		n=$((n + 1))
		got=$tmp/$name.$l.json
		want=$dir/$name.$l.json
		if [ ! -f "$got" ]; then
			echo "FAIL: $f ($l): bouncedoc diagnose failed:"
			cat "$got.err"
			fail=$((fail + 1))
		elif [ $update -eq 1 ]; then
			if ! cmp -s "$got" "$want"; then
				cp "$got" "$want"
				echo "updated $want"
				changed=$((changed + 1))
			fi
		elif [ ! -f "$want" ]; then
			echo "FAIL: $f ($l): no $want (make golden-update writes it)"
			fail=$((fail + 1))
		elif ! diff -u --label "$want" --label "bouncedoc diagnose --lang $l $f" \
		    "$want" "$got"; then
			echo "FAIL: $f ($l): the answer differs from $want"
			fail=$((fail + 1))
		fi
	done
done

# a full run: expected answers whose input is gone, and two inputs that
# would share their answers' names
if [ $all -eq 1 ]; then
	for want in "$dir"/*.json; do
		case $want in "$dir"/zone.json) continue ;; esac
		base=${want%.*.json}
		if [ -f "$base.txt" ] && [ -f "$base.eml" ]; then
			echo "FAIL: $base.txt and $base.eml share $want"
			fail=$((fail + 1))
		fi
		[ -f "$base.txt" ] || [ -f "$base.eml" ] && continue
		if [ $update -eq 1 ]; then
			rm -f "$want"
			echo "removed $want"
		else
			echo "FAIL: $want has no input $base.txt or $base.eml"
			fail=$((fail + 1))
		fi
	done
fi

if [ $update -eq 1 ]; then
	echo "golden: $n answers, $changed written anew, $fail failed"
else
	echo "golden: $n answers, $((n - fail)) as expected, $fail failed"
fi
[ $fail -eq 0 ]
