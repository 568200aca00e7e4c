#!/usr/bin/env bash
# Regenerate stubs/*_arginfo.h from stubs/*.stub.php, offline.
#
# php-src's build/gen_stub.php downloads PHP-Parser from GitHub on first use.
# We avoid that by running a private copy of gen_stub.php next to a
# "PHP-Parser-<version>/lib" symlink that points at an installed PHP-Parser
# (Debian's php-parser package installs it as /usr/share/php/PhpParser).
#
# Usage:
#   scripts/gen-stubs.sh            regenerate and write stubs/*_arginfo.h
#   scripts/gen-stubs.sh --check    regenerate into a temp dir and compare the
#                                   WHOLE file with the committed one; exit 1
#                                   on any difference (stale or hand-edited)
#   scripts/gen-stubs.sh [--check] [--stubs-dir DIR]
#                                   operate on DIR instead of <repo>/stubs
#
# Environment:
#   PHP            php binary to run gen_stub.php with (default: php)
#   PHP_CONFIG     php-config used to locate gen_stub.php (default: php-config)
#   GEN_STUB       explicit path to gen_stub.php (skips the search)
#   PHP_PARSER_LIB directory containing PhpParser/ (default: /usr/share/php)
#
# Exit status: 0 OK / up to date, 1 drift found by --check, 2 error (no
# gen_stub.php, no PHP-Parser, no stubs, gen_stub.php failed, bad usage).
#
# Note: the output of gen_stub.php depends on the PHP version it ships with.
# The committed arginfo must be generated (and --check'ed) with the same
# gen_stub.php; the script prints which one it used.

set -euo pipefail

usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

check=0
stubs_dir=
while [ $# -gt 0 ]; do
	case "$1" in
		--check) check=1 ;;
		--stubs-dir) [ $# -ge 2 ] || usage; stubs_dir=$2; shift ;;
		--stubs-dir=*) stubs_dir=${1#*=} ;;
		-h|--help) usage ;;
		*) echo "gen-stubs: unknown argument: $1" >&2; usage ;;
	esac
	shift
done

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
stubs_dir=${stubs_dir:-$repo_root/stubs}
[ -d "$stubs_dir" ] || { echo "gen-stubs: no such directory: $stubs_dir" >&2; exit 2; }
stubs_dir=$(cd "$stubs_dir" && pwd)

PHP=${PHP:-php}
PHP_CONFIG=${PHP_CONFIG:-php-config}
PHP_PARSER_LIB=${PHP_PARSER_LIB:-/usr/share/php}

die() { echo "gen-stubs: $*" >&2; exit 2; }

# --- locate gen_stub.php -----------------------------------------------------
find_gen_stub() {
	if [ -n "${GEN_STUB:-}" ]; then
		[ -f "$GEN_STUB" ] || die "GEN_STUB=$GEN_STUB does not exist"
		echo "$GEN_STUB"
		return
	fi
	local candidates=() prefix phpapi c
	if command -v "$PHP_CONFIG" >/dev/null 2>&1; then
		prefix=$("$PHP_CONFIG" --prefix 2>/dev/null || true)
		phpapi=$("$PHP_CONFIG" --phpapi 2>/dev/null || true)
		if [ -n "$prefix" ]; then
			# Debian/Ubuntu layout: <prefix>/lib/php/<phpapi>/build
			[ -n "$phpapi" ] && candidates+=("$prefix/lib/php/$phpapi/build/gen_stub.php")
			# upstream "make install" layout: <prefix>/lib/php/build
			candidates+=("$prefix/lib/php/build/gen_stub.php")
		fi
	fi
	for c in "${candidates[@]}"; do
		if [ -f "$c" ]; then
			echo "$c"
			return
		fi
	done
	# Last resort: any Debian-style build dir; take the newest API.
	c=$(ls -1 /usr/lib/php/*/build/gen_stub.php 2>/dev/null | sort -V | tail -n 1 || true)
	[ -n "$c" ] && [ -f "$c" ] && { echo "$c"; return; }
	die "gen_stub.php not found (tried: ${candidates[*]:-none} /usr/lib/php/*/build/gen_stub.php); install php-dev or set GEN_STUB"
}

gen_stub=$(find_gen_stub)
command -v "$PHP" >/dev/null 2>&1 || die "php binary '$PHP' not found"
# Prefer running without php.ini (no xdebug, no half-built smtpdiag loaded);
# fall back to the normal ini where tokenizer is a shared extension.
php_ini_args=()
if "$PHP" -n -r 'exit(extension_loaded("tokenizer") ? 0 : 1);' 2>/dev/null; then
	php_ini_args=(-n)
else
	"$PHP" -r 'exit(extension_loaded("tokenizer") ? 0 : 1);' || die "'$PHP' lacks the tokenizer extension needed by gen_stub.php"
fi

# gen_stub.php pins a PHP-Parser version and loads "<its dir>/PHP-Parser-<v>/lib/PhpParser/...".
parser_version=$(sed -n 's/^[[:space:]]*\$version = "\([0-9][0-9.]*\)";.*/\1/p' "$gen_stub" | head -n 1)
[ -n "$parser_version" ] || die "cannot find the PHP-Parser version pinned in $gen_stub"
[ -f "$PHP_PARSER_LIB/PhpParser/Parser/Php7.php" ] || [ -f "$PHP_PARSER_LIB/PhpParser/ParserFactory.php" ] \
	|| die "PHP-Parser not found in $PHP_PARSER_LIB (apt-get install php-parser, or set PHP_PARSER_LIB)"
# PhpParser\PhpVersion exists only in PHP-Parser 5.
if [ -f "$PHP_PARSER_LIB/PhpParser/PhpVersion.php" ]; then installed_major=5; else installed_major=4; fi
if [ "${parser_version%%.*}" != "$installed_major" ]; then
	die "$gen_stub wants PHP-Parser $parser_version but $PHP_PARSER_LIB has PHP-Parser $installed_major.x; point PHP_PARSER_LIB at a matching PHP-Parser lib/ directory"
fi

# --- work area -------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdiag-gen-stubs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build/PHP-Parser-$parser_version" "$tmp/stubs"
cp "$gen_stub" "$tmp/build/gen_stub.php"
ln -s "$PHP_PARSER_LIB" "$tmp/build/PHP-Parser-$parser_version/lib"

shopt -s nullglob
stubs=("$stubs_dir"/*.stub.php)
shopt -u nullglob
[ ${#stubs[@]} -gt 0 ] || die "no *.stub.php in $stubs_dir"

# Copy every stub (gen_stub resolves @require'd stubs relative to the stub's dir).
cp "${stubs[@]}" "$tmp/stubs/"

php_version=$("$PHP" -r 'echo PHP_VERSION;')
echo "gen-stubs: using $gen_stub (run by $PHP $php_version, PHP-Parser $parser_version from $PHP_PARSER_LIB)"

for stub in "${stubs[@]}"; do
	name=$(basename "$stub")
	# -f: always regenerate (nothing else is in $tmp/stubs, but be explicit).
	if ! (cd "$tmp/stubs" && "$PHP" ${php_ini_args[@]+"${php_ini_args[@]}"} -d memory_limit=-1 \
			"$tmp/build/gen_stub.php" -f "$name") >"$tmp/gen.log" 2>&1; then
		cat "$tmp/gen.log" >&2
		die "gen_stub.php failed on $stub"
	fi
	base=${name%.stub.php}
	[ -f "$tmp/stubs/${base}_arginfo.h" ] || { cat "$tmp/gen.log" >&2; die "gen_stub.php produced no ${base}_arginfo.h for $stub"; }
done

# Generated files: *_arginfo.h and, with @generate-legacy-arginfo, *_legacy_arginfo.h.
shopt -s nullglob
generated=("$tmp"/stubs/*_arginfo.h)
shopt -u nullglob

if [ "$check" -eq 0 ]; then
	for f in "${generated[@]}"; do
		dest="$stubs_dir/$(basename "$f")"
		if [ -f "$dest" ] && cmp -s "$f" "$dest"; then
			echo "gen-stubs: ${dest#"$repo_root"/} is up to date"
		else
			cp "$f" "$dest.tmp.$$" && mv -f "$dest.tmp.$$" "$dest"
			echo "gen-stubs: wrote ${dest#"$repo_root"/}"
		fi
	done
	exit 0
fi

# --check: compare whole files, including the "Stub hash" line.
stale=0
for f in "${generated[@]}"; do
	dest="$stubs_dir/$(basename "$f")"
	rel=${dest#"$repo_root"/}
	if [ ! -f "$dest" ]; then
		echo "gen-stubs: MISSING $rel (generated from its stub but not present)" >&2
		stale=1
	elif ! cmp -s "$f" "$dest"; then
		echo "gen-stubs: STALE $rel differs from what gen_stub.php generates:" >&2
		diff -u --label "$rel (committed)" --label "$rel (regenerated)" "$dest" "$f" >&2 || true
		stale=1
	fi
done
# An arginfo whose stub no longer exists is stale too.
shopt -s nullglob
for dest in "$stubs_dir"/*_arginfo.h; do
	if [ ! -f "$tmp/stubs/$(basename "$dest")" ]; then
		echo "gen-stubs: ORPHAN ${dest#"$repo_root"/} has no corresponding *.stub.php" >&2
		stale=1
	fi
done
shopt -u nullglob

if [ "$stale" -ne 0 ]; then
	echo "gen-stubs: arginfo is out of date; run scripts/gen-stubs.sh and commit the result" >&2
	exit 1
fi
echo "gen-stubs: all arginfo files are up to date"
