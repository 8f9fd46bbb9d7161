#!/bin/sh
# install-test.sh - start an installed bouncedoc from a staging root with
# the data layout of the container image and check that it serves.
# The binary finds its data under /usr/local/share/bouncedoc by default;
# here the same relative layout is passed explicitly.
set -eu
stage=$1
share="$stage/usr/local/share/bouncedoc"
# a port of its own (INSTALL_TEST_PORT, else a random one), so that two
# runs on one machine do not answer for each other
port=${INSTALL_TEST_PORT:-$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))}
"$stage/usr/local/bin/bouncedoc" --version
BOUNCEDOC_RULES="$share/rules" BOUNCEDOC_STATIC="$share/static" \
	"$stage/usr/local/bin/bouncedoc" --listen "127.0.0.1:$port" --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
ok=0
for i in $(seq 1 100); do
	kill -0 $pid 2>/dev/null || break # it did not start (the port taken?)
	if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then ok=1; break; fi
	sleep 0.05
done
[ $ok -eq 1 ] || { echo "install-test: installed binary did not serve" >&2; exit 1; }
curl -sf "http://127.0.0.1:$port/openapi.yaml" | head -n 1 | grep -q '^openapi: 3.1' ||
	{ echo "install-test: no API description" >&2; exit 1; }
curl -sf "http://127.0.0.1:$port/" | grep -q '<html' ||
	{ echo "install-test: no page" >&2; exit 1; }
# the translations are installed: a Russian answer has Russian texts
curl -sf -H 'Content-Type: text/plain' --data-binary '550 5.1.1 user unknown' \
	"http://127.0.0.1:$port/api/v1/diagnose?checks=none&lang=ru" | grep -q 'Адрес получателя' ||
	{ echo "install-test: no Russian texts (rules/lang not installed?)" >&2; exit 1; }
kill $pid
wait $pid
echo "install-test: 1 passed, 0 failed"
