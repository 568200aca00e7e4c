#!/usr/bin/env bash
# Run the scenarios of tests/valgrind/*.php (session.php: every main path of
# the extension once; dns.php: the DNS checks, smtpdiag_spf() and the
# deadline paths) under valgrind memcheck. Fails on any memory error or a
# definite or indirect leak. Prints the scenarios' lines and one summary
# line "N passed, N failed" over all of them.
# USE_ZEND_ALLOC=0 makes PHP's allocator plain malloc so valgrind sees every
# block; PCRE's JIT is off because valgrind cannot follow JIT code.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed"; echo "0 passed, 1 failed"; exit 1; }
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
passed=0 failed=0
for script in tests/valgrind/*.php; do
	echo "== $script"
	status=0
	USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --trace-children=no --log-file="$log" \
		php -n -d extension="$PWD/modules/smtpdiag.so" -d pcre.jit=0 "$script" >"$out" 2>&1 || status=$?
	cat "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	p=$(sed -nE 's/^([0-9]+) passed.*/\1/p' <<<"$line")
	f=$(sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' <<<"$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ -s "$log" ]; then
		echo "valgrind reported:"
		cat "$log"
	fi
	if [ "$status" = 99 ]; then
		echo "[FAIL] $script: valgrind found errors"
		failed=$((failed + 1))
	elif [ "$status" != 0 ] && [ "${f:-0}" = 0 ]; then
		echo "[FAIL] $script: exit status $status"
		failed=$((failed + 1))
	fi
done
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
