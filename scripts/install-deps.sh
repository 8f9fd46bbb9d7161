#!/bin/sh
# install-deps.sh - install what a make target needs, and nothing when it
# is there already; or, with `check`, only say what is missing.
# Usage: install-deps.sh build|test|check-tools|all|check
# Debian packages come from apt; npm packages from api-tests/package-lock.json.
set -eu
what=${1:-all}
top=$(cd "$(dirname "$0")/.." && pwd)

# pkg-config module:Debian package, for the libraries the server links
# (libpsl: the Public Suffix List for DMARC; Debian's libpsl5 carries the
# list built in, and reads the newer file of the publicsuffix package
# when that is installed)
libs="libmicrohttpd:libmicrohttpd-dev jansson:libjansson-dev libpcre2-8:libpcre2-dev libcares:libc-ares-dev libpsl:libpsl-dev"
build_pkgs="gcc make pkg-config libmicrohttpd-dev libjansson-dev libpcre2-dev libc-ares-dev libpsl-dev"
test_pkgs="chromium valgrind clang curl libyaml-dev"
tool_pkgs="clang-format cppcheck"
bench_pkgs="wrk libgmime-3.0-dev"

missing_pkgs() {
	out=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			out="$out $p"
	done
	echo "$out"
}

# `make` (build only) never installs: it stops with one line that names
# what is missing and how to get it.
if [ "$what" = check ]; then
	mods=""
	for l in $libs; do mods="$mods ${l%%:*}"; done
	# shellcheck disable=SC2086
	if command -v "${CC:-cc}" >/dev/null && command -v pkg-config >/dev/null &&
		pkg-config --exists $mods; then
		exit 0
	fi
	missing=""
	command -v "${CC:-cc}" >/dev/null || missing=" gcc"
	if command -v pkg-config >/dev/null; then
		for l in $libs; do
			pkg-config --exists "${l%%:*}" || missing="$missing ${l#*:}"
		done
	else
		missing="$missing pkg-config$(missing_pkgs libmicrohttpd-dev libjansson-dev libpcre2-dev libc-ares-dev libpsl-dev)"
	fi
	echo "bouncedoc: missing build packages:$missing; run \`make deps\` (or apt-get install$missing)" >&2
	exit 1
fi

case $what in
build) pkgs=$build_pkgs ;;
test) pkgs="$build_pkgs $test_pkgs" ;;
check-tools) pkgs="$build_pkgs $test_pkgs $tool_pkgs" ;;
all) pkgs="$build_pkgs $test_pkgs $tool_pkgs $bench_pkgs" ;;
*) echo "usage: $0 build|test|check-tools|all|check" >&2; exit 2 ;;
esac

# shellcheck disable=SC2086
missing=$(missing_pkgs $pkgs)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ -n "$missing" ]; then
	echo "installing Debian packages:$missing"
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ "$what" != build ]; then
	# Debian's own node (18.x on Debian 12) is enough; a newer one works too.
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
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
