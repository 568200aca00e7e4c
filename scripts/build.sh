#!/usr/bin/env bash
# Build the extension in the source tree (phpize, configure, make) into
# modules/smtpdiag.so, with developer warnings as errors. Re-running only
# rebuilds what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
	"$@" >"$log" 2>&1 || { cat "$log" >&2; echo "build: $* failed" >&2; exit 1; }
}
if [ ! -f Makefile ] || [ config.m4 -nt Makefile ]; then
	run phpize
	run ./configure --enable-smtpdiag --enable-smtpdiag-dev
fi
run make -j"$(nproc 2>/dev/null || echo 2)"
test -f modules/smtpdiag.so
