#!/usr/bin/env bash
# Set up (Debian packages), build, and run a connection check, printing the
# report as text. Without arguments it checks a local test server that it
# starts itself; pass a DSN to check a real server:
#   scripts/demo.sh 'smtp://user:pass@smtp.example.com:587'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-debian.sh
bash scripts/build.sh
exec php -d extension="$PWD/modules/smtpdiag.so" scripts/demo.php "$@"
