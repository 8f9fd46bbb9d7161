#!/bin/sh
# run-unit-tests.sh - run each unit test program from the repository root,
# (under $VALGRIND when set) and print one closing total line.
set -u
passed=0
failed=0
status=0
for t in "$@"; do
	out=$(${VALGRIND:-} "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^ok ' || true
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
		passed=$((passed + p))
		failed=$((failed + f))
	fi
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: $t exited with $rc"
		status=1
		[ -n "$line" ] && [ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
	fi
done
echo "unit: $passed passed, $failed failed"
exit $status
