#!/usr/bin/env bash
# Run every suite of smtpdiag and print one summary line:
#   N passed, N failed, N skipped
# Suites: arginfo drift, core boundary, config.m4/config.w32 agreement,
# package.xml completeness, C unit tests
# of the core (ASan/UBSan), fuzz corpus replay, the self-tests of the scripted
# SMTP server, of the scripted DNS responder and of the Postfix/Dovecot
# harness, the phpt suite (run-tests.php, including the integration tests
# against Postfix and Dovecot), the main paths under valgrind, and a PECL
# package build from a clean copy.
# Exits non-zero when anything failed. Installs missing Debian packages and
# builds the extension first.
#
# Usage: scripts/test.sh [--quick]   (--quick skips the PECL package build)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

bash scripts/setup-debian.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
if ! bash scripts/build.sh; then
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

passed=0 failed=0 skipped=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# A check that passes or fails as a whole.
check() {
	local name=$1
	shift
	if "$@" >"$log/out" 2>&1; then
		passed=$((passed + 1))
		printf '[pass] %s\n' "$name"
	else
		failed=$((failed + 1))
		printf '[FAIL] %s\n' "$name"
		sed 's/^/    /' "$log/out"
	fi
}

# A suite that prints "N passed, N failed[, N skipped]" as its last summary line.
suite() {
	local name=$1 line p f s rc
	shift
	"$@" >"$log/out" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/out" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		printf '[FAIL] %s: no summary line (exit %d)\n' "$name" "$rc"
		tail -n 40 "$log/out" | sed 's/^/    /'
		return
	fi
	p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
	s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		failed=$((failed + 1))
		printf '[FAIL] %s: %s but exit status %d\n' "$name" "$line" "$rc"
		tail -n 40 "$log/out" | sed 's/^/    /'
		return
	fi
	printf '[%s] %s: %s\n' "$([ "$f" -eq 0 ] && echo pass || echo FAIL)" "$name" "$line"
	if [ "$f" -ne 0 ]; then
		grep -E 'FAIL|not ok|failed' "$log/out" | head -n 60 | sed 's/^/    /'
	fi
}

# run-tests.php: translate its summary into the common line.
phpt() {
	local out=$log/phpt
	TEST_PHP_EXECUTABLE=$(command -v php) php -n run-tests.php -n -q -j2 --show-diff \
		-d extension_dir="$PWD/modules" -d extension=smtpdiag tests >"$out" 2>&1
	local rc=$? p f s b
	cat "$out"
	p=$(sed -nE 's/^Tests passed *: *([0-9]+).*/\1/p' "$out" | head -n 1)
	f=$(sed -nE 's/^Tests failed *: *([0-9]+).*/\1/p' "$out" | head -n 1)
	s=$(sed -nE 's/^Tests skipped *: *([0-9]+).*/\1/p' "$out" | head -n 1)
	b=$(sed -nE 's/^Tests borked *: *([0-9]+).*/\1/p' "$out" | head -n 1)
	w=$(sed -nE 's/^Expected fail *: *([0-9]+).*/\1/p' "$out" | head -n 1)
	echo "${p:-0} passed, $(( ${f:-0} + ${b:-0} + ${w:-0} )) failed, ${s:-0} skipped"
	return $rc
}

check "arginfo is generated from the stub" bash scripts/gen-stubs.sh --check
check "src/core includes no Zend header" bash scripts/check-core-boundary.sh
check "config.m4 and config.w32 build the same sources" bash scripts/check-build-files.sh
check "package.xml lists every shipped file" php scripts/package-xml.php --check
[ -f tests/core/Makefile ] && suite "core unit tests (ASan/UBSan)" make -s -C tests/core check
[ -f fuzz/Makefile ] && suite "fuzz corpus replay" make -s -C fuzz replay
suite "test harness self-test" php -n tests/harness/selftest.php
suite "DNS responder self-test" php -n tests/harness/dns_selftest.php
suite "Postfix and Dovecot harness self-test" php -n tests/mta/selftest.php
suite "phpt" phpt
suite "valgrind memcheck of the main paths" bash scripts/valgrind.sh
if [ "$quick" -eq 0 ]; then
	check "pecl package builds and loads from a clean copy" bash scripts/pecl-package-test.sh --mode build
fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
