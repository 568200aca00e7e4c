#!/usr/bin/env bash
# Run tests/valgrind/session.php (every main path of the extension once)
# under valgrind memcheck. Fails on any memory error or definite leak.
# USE_ZEND_ALLOC=0 makes PHP's allocator plain malloc so valgrind sees every
# block; PCRE's JIT is off because valgrind cannot follow JIT code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed"; echo "0 passed, 1 failed"; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--trace-children=no --log-file="$log" \
	php -n -d extension="$PWD/modules/smtpdiag.so" -d pcre.jit=0 tests/valgrind/session.php || status=$?
if [ -s "$log" ]; then
	echo "valgrind reported:"
	cat "$log"
fi
if [ "$status" = 99 ]; then
	echo "0 passed, 1 failed"
	exit 1
fi
exit "$status"
