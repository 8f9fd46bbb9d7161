#!/bin/sh
# install-deps.sh - install what a make target needs, and nothing when it
# is there already. Usage: install-deps.sh build|test|all
# Debian packages come from apt; npm packages from api-tests/package-lock.json.
set -eu
what=${1:-all}
top=$(cd "$(dirname "$0")/.." && pwd)

build_pkgs="gcc make pkg-config libmicrohttpd-dev libjansson-dev libpcre2-dev libc-ares-dev"
test_pkgs="chromium valgrind clang curl libyaml-dev"
bench_pkgs="wrk libgmime-3.0-dev"

case $what in
build) pkgs=$build_pkgs ;;
test) pkgs="$build_pkgs $test_pkgs" ;;
all) pkgs="$build_pkgs $test_pkgs $bench_pkgs" ;;
*) echo "usage: $0 build|test|all" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing Debian packages:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ "$what" != build ]; then
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm
	fi
	lock="$top/api-tests/package-lock.json"
	stamp="$top/api-tests/node_modules/.installed-lock.json"
	if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
		(cd "$top/api-tests" && npm ci --no-audit --no-fund --loglevel=error)
		cp "$lock" "$stamp"
	fi
fi
