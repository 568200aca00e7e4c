#!/usr/bin/env bash
# Install what smtpdiag needs to build and test on Debian/Ubuntu, if missing:
# PHP headers and phpize, OpenSSL and c-ares headers, pkg-config, PEAR (for
# `pecl package`), Debian's PHP-Parser (offline gen_stub.php) and clang (for
# the fuzz targets), valgrind, Postfix and Dovecot for the integration
# tests, dnsmasq for the DNS integration test and PyYAML to read the RFC 7208
# SPF suite. Idempotent and quiet when everything is there.
set -euo pipefail

packages=(php-dev php-cli php-pear php-parser libssl-dev libc-ares-dev pkg-config make gcc clang libclang-rt-dev valgrind postfix dovecot-core dnsmasq-base python3-yaml)

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
# Postfix is only started privately by the tests (tests/inc/mta.inc): no system mail setup
echo 'postfix postfix/main_mailer_type select No configuration' | $sudo debconf-set-selections
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
