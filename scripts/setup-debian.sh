#!/usr/bin/env bash
# Install what smtpdiag needs to build and test on Debian/Ubuntu, if missing:
# PHP headers and phpize, OpenSSL and c-ares headers, pkg-config, PEAR (for
# `pecl package`), Debian's PHP-Parser (offline gen_stub.php) and clang (for
# the fuzz targets) and valgrind. Idempotent and quiet when everything is there.
set -euo pipefail

packages=(php-dev php-cli php-pear php-parser libssl-dev libc-ares-dev pkg-config make gcc clang libclang-rt-dev valgrind)

missing=()
for p in "${packages[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
