#!/usr/bin/env bash
# End-to-end PECL packaging test, without touching the system PHP/PEAR install:
#
#   1. copy the git-tracked files (a clean checkout, no build artefacts) to a
#      temp dir and check package.xml's <contents> against them;
#   2. `pecl package` there -> <name>-<version>.tgz;
#   3. install that tarball (the same phpize/configure/make that users get):
#        --mode pecl  (default) `pecl install --packagingroot=<tmp>/root`
#                     with a throw-away PEAR config whose directories all
#                     live in the temp dir: nothing under /usr, /etc or the
#                     system PEAR registry is written (checked), php.ini is
#                     not edited;
#        --mode build extract the tarball and run phpize, configure, make in
#                     it by hand (proves the tarball alone is complete);
#        --mode both  do both;
#   4. load the built module with `php -n -d extension=<path>` and check that
#      `php -m` lists it and that phpversion(<name>) equals package.xml's
#      release version.
#
# Usage: scripts/pecl-package-test.sh [--mode pecl|build|both]
#                                     [--include-untracked] [--keep]
#   --include-untracked  also copy untracked, not ignored files (to try the
#                        package before committing; package.xml is then
#                        checked with --include-untracked too)
#   --keep               keep the temp dir (printed at the end) for inspection
#
# Environment: PHP, PHP_CONFIG, PHPIZE, PECL (binaries to use; defaults from
# PATH), MAKE, MAKEFLAGS (default -j<nproc>), TMPDIR.
# Exit status: 0 success, 1 a step failed (its log is printed), 2 usage error.

set -euo pipefail

mode=pecl
untracked=0
keep=0
while [ $# -gt 0 ]; do
	case "$1" in
		--mode) [ $# -ge 2 ] || { echo "--mode needs a value" >&2; exit 2; }; mode=$2; shift ;;
		--mode=*) mode=${1#*=} ;;
		--include-untracked) untracked=1 ;;
		--keep) keep=1 ;;
		-h|--help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
		*) echo "pecl-package-test: unknown argument: $1" >&2; exit 2 ;;
	esac
	shift
done
case "$mode" in pecl|build|both) ;; *) echo "pecl-package-test: --mode must be pecl, build or both" >&2; exit 2 ;; esac

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

PHP=${PHP:-php}
PHP_CONFIG=${PHP_CONFIG:-php-config}
PHPIZE=${PHPIZE:-phpize}
PECL=${PECL:-pecl}
MAKE=${MAKE:-make}
export MAKE
export MAKEFLAGS=${MAKEFLAGS:--j$(nproc 2>/dev/null || echo 2)}

step() { printf '\n==> %s\n' "$*"; }
fail() {
	echo "pecl-package-test: FAILED: $*" >&2
	# keep the work dir (logs) of a failed run; also works from subshells
	[ -n "${tmp:-}" ] && [ -d "$tmp" ] && : >"$tmp/.failed"
	exit 1
}
# run LOG CMD...: run quietly into LOG; on failure print the log's tail and fail.
run() {
	local log=$1; shift
	if ! "$@" >"$log" 2>&1; then
		echo "---- last 60 lines of $log ----" >&2
		tail -n 60 "$log" >&2
		fail "$* (full log: $log)"
	fi
}

for tool in git "$PHP" "$PHP_CONFIG" "$PHPIZE" "$PECL" "$MAKE" tar; do
	command -v "$tool" >/dev/null 2>&1 || fail "required tool not found: $tool"
done
[ -f "$repo_root/package.xml" ] || fail "no package.xml in $repo_root"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpdiag-pecl-test.XXXXXX")
cleanup() {
	if [ "$keep" -eq 1 ] || [ -e "$tmp/.failed" ]; then
		echo "pecl-package-test: kept $tmp (logs are there; rm -rf it when done)" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

# --- package metadata --------------------------------------------------------------
read -r ext_name pkg_name pkg_version < <("$PHP" -r '
	$x = @simplexml_load_file($argv[1]);
	if (!$x) { fwrite(STDERR, "cannot parse package.xml\n"); exit(1); }
	$ext = trim((string) $x->providesextension);
	echo ($ext !== "" ? $ext : trim((string) $x->name)), " ", trim((string) $x->name), " ", trim((string) $x->version->release), "\n";
' "$repo_root/package.xml") || fail "cannot read name/version from package.xml"
[ -n "${pkg_version:-}" ] || fail "package.xml has no <version><release>"
echo "pecl-package-test: package $pkg_name $pkg_version (extension $ext_name), mode $mode, work dir $tmp"

# <configureoption>s with their defaults, answered the way `pecl install`
# answers them when the user accepts every default (see PEAR_Builder::build).
pecl_confopts=""
configure_args=()
while IFS=$'\t' read -r opt_name opt_default; do
	[ -n "$opt_name" ] || continue
	pecl_confopts+="${pecl_confopts:+ }$opt_name=\"$opt_default\""
	if [ "${opt_name#with-}" != "$opt_name" ] && { [ "$opt_default" = yes ] || [ "$opt_default" = autodetect ]; }; then
		configure_args+=("--$opt_name")
	else
		configure_args+=("--$opt_name=$opt_default")
	fi
done < <("$PHP" -r '
	$x = simplexml_load_file($argv[1]);
	foreach ($x->extsrcrelease->configureoption ?? [] as $o) {
		echo $o["name"], "\t", $o["default"], "\n";
	}
' "$repo_root/package.xml")
echo "pecl-package-test: configure options (defaults): ${configure_args[*]:-none}"
echo "pecl-package-test: $("$PHP" -n -r 'echo "PHP ", PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";'), $("$PECL" version 2>/dev/null | head -n 1)"

# --- 1. clean copy + package.xml consistency -------------------------------------------
step "copying git files to $tmp/src"
ls_args=(--cached)
[ "$untracked" -eq 1 ] && ls_args+=(--others --exclude-standard)
mkdir -p "$tmp/src"
# Only files that exist in the work tree (a deleted-but-indexed file is skipped).
git -C "$repo_root" ls-files -z "${ls_args[@]}" \
	| (cd "$repo_root" && while IFS= read -r -d '' f; do [ -f "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done) \
	| tar -C "$repo_root" --null -T - -cf - \
	| tar -C "$tmp/src" -xf -
echo "pecl-package-test: copied $(find "$tmp/src" -type f | wc -l) files"

if [ -f "$repo_root/scripts/package-xml.php" ]; then
	step "checking package.xml <contents> against the files in git"
	check_args=(--check)
	[ "$untracked" -eq 1 ] && check_args+=(--include-untracked)
	"$PHP" "$repo_root/scripts/package-xml.php" "${check_args[@]}" \
		|| fail "package.xml <contents> is out of date (see above)"
fi

# --- throw-away PEAR configuration -----------------------------------------------------
# `pecl -d key=value` cannot override the global keys (temp_dir, cache_dir,
# download_dir) while pecl.php.net is the default channel, and modern PEAR
# installs a built extension wherever `make install` puts it (php-config's
# extension dir), ignoring ext_dir. So: a complete user config of our own,
# no system config (-C <nonexistent>: /etc/pear/pear.conf is not read), and
# `pecl install --packagingroot=<tmp>/root`, which redirects every installed
# file AND the package registry under <tmp>/root (see the install step for
# two PEAR quirks of --packagingroot that need working around).
pear_root="$tmp/pear"
pear_conf="$tmp/pear.conf"
mkdir -p "$pear_root"/{temp,cache,download,ext,bin,php,doc,test,data,cfg,www,man} "$tmp/root"
"$PHP" -r '
	[$_, $file, $root, $phpBin] = $argv;
	$chan = [
		"php_dir" => "$root/php", "ext_dir" => "$root/ext", "doc_dir" => "$root/doc",
		"bin_dir" => "$root/bin", "data_dir" => "$root/data", "cfg_dir" => "$root/cfg",
		"www_dir" => "$root/www", "test_dir" => "$root/test", "man_dir" => "$root/man",
		"php_bin" => $phpBin, "php_ini" => "",
	];
	$conf = $chan + [
		"temp_dir" => "$root/temp", "cache_dir" => "$root/cache",
		"download_dir" => "$root/download", "auto_discover" => 0,
	];
	foreach (["pecl.php.net", "doc.php.net", "__uri"] as $c) {
		$conf["__channels"][$c] = $chan;
	}
	file_put_contents($file, "#PEAR_Config 0.9\n" . serialize($conf)) or exit(1);
' "$pear_conf" "$pear_root" "$(command -v "$PHP")" || fail "cannot write $pear_conf"
pecl_cmd=("$PECL" -c "$pear_conf" -C "$tmp/no-system-pear.conf")
# Show (and assert) the directories pecl will use.
"${pecl_cmd[@]}" config-show >"$tmp/pecl-config.log" 2>&1 || { cat "$tmp/pecl-config.log" >&2; fail "pecl config-show"; }
for key in temp_dir php_dir ext_dir bin_dir doc_dir test_dir download_dir cache_dir; do
	val=$(awk -v k="$key" '$0 ~ " "k" " { print $NF }' "$tmp/pecl-config.log")
	case "$val" in
		"$pear_root"/*) ;;
		*) cat "$tmp/pecl-config.log" >&2; fail "pecl $key is '$val', not under $pear_root" ;;
	esac
done
# --- 2. pecl package ---------------------------------------------------------------------
step "pecl package"
(cd "$tmp/src" && "${pecl_cmd[@]}" package package.xml) >"$tmp/pecl-package.log" 2>&1 || {
	tail -n 60 "$tmp/pecl-package.log" >&2
	fail "pecl package (full log: $tmp/pecl-package.log)"
}
sed 's/^/    /' "$tmp/pecl-package.log"
tgz="$tmp/src/$pkg_name-$pkg_version.tgz"
[ -f "$tgz" ] || fail "pecl package did not produce $(basename "$tgz")"
if grep -qi 'warning' "$tmp/pecl-package.log"; then
	echo "pecl-package-test: note: pecl package printed warnings (above)"
fi
mv "$tgz" "$tmp/"
tgz="$tmp/$(basename "$tgz")"
echo "pecl-package-test: built $(basename "$tgz") ($(tar -tzf "$tgz" | grep -vc '/$') entries)"

# The system extension dir and the system PEAR registry must be the same
# before and after: this test never installs anything there.
sys_ext_dir=$("$PHP_CONFIG" --extension-dir 2>/dev/null || true)
sys_pear_dir=$("$PECL" config-get php_dir 2>/dev/null || true)
sys_sig() {
	{
		[ -n "$sys_ext_dir" ] && ls -la --time-style=full-iso "$sys_ext_dir"
		# .depdb, .filemap, .lock, ... and the registry of installed packages
		[ -n "$sys_pear_dir" ] && ls -la --time-style=full-iso "$sys_pear_dir"
		[ -n "$sys_pear_dir" ] && ls -laR --time-style=full-iso "$sys_pear_dir/.registry"
	} 2>/dev/null | md5sum
}
sys_before=$(sys_sig)

check_module() {
	local so=$1 label=$2
	[ -f "$so" ] || fail "$label: $so was not built"
	step "$label: loading $so"
	local modules
	modules=$("$PHP" -n -d "extension=$so" -m 2>&1) || { echo "$modules" >&2; fail "$label: php -n -d extension=$so -m failed"; }
	if ! printf '%s\n' "$modules" | grep -qx "$ext_name"; then
		printf '%s\n' "$modules" >&2
		fail "$label: '$ext_name' is not listed by php -m"
	fi
	if printf '%s\n' "$modules" | grep -qiE 'warning|unable to load'; then
		printf '%s\n' "$modules" >&2
		fail "$label: php printed warnings while loading $so"
	fi
	echo "pecl-package-test: php -m lists $ext_name"
	local v
	v=$("$PHP" -n -d "extension=$so" -r 'echo phpversion($argv[1]);' "$ext_name")
	[ "$v" = "$pkg_version" ] || fail "$label: phpversion('$ext_name') is '$v' but package.xml says '$pkg_version'"
	echo "pecl-package-test: phpversion('$ext_name') = $v"
}

# --- 3a. pecl install into the throw-away tree --------------------------------------------
if [ "$mode" = pecl ] || [ "$mode" = both ]; then
	step "pecl install (packaging root $tmp/root)"
	# PEAR quirks with --packagingroot (PEAR 1.10):
	#  - the sources are unpacked into <root><temp_dir>/<name> but phpize/make
	#    run in <temp_dir>/<name>: make both the same directory;
	#  - the packaging-root registry builds a PEAR_Config from
	#    <root><php_dir>/.registry/.pearrc; without that file it falls back
	#    to the system php_dir and rewrites the system .depdb.
	mkdir -p "$tmp/root$pear_root/php/.registry"
	ln -s "$pear_root/temp" "$tmp/root$pear_root/temp"
	cp "$pear_conf" "$tmp/root$pear_root/php/.registry/.pearrc"
	# -D answers the <configureoption> prompts non-interactively (with their defaults).
	(cd "$tmp" && "${pecl_cmd[@]}" install --packagingroot="$tmp/root" -D "$pecl_confopts" "$tgz" </dev/null) >"$tmp/pecl-install.log" 2>&1 || {
		tail -n 80 "$tmp/pecl-install.log" >&2
		fail "pecl install (full log: $tmp/pecl-install.log)"
	}
	grep -E '^(running|Build process completed|Installing|install ok)' "$tmp/pecl-install.log" | sed 's/^/    /' || true
	grep -q 'install ok' "$tmp/pecl-install.log" || { tail -n 80 "$tmp/pecl-install.log" >&2; fail "pecl install did not report 'install ok'"; }
	so=$(find "$tmp/root" -name "$ext_name.so" -type f | head -n 1)
	[ -n "$so" ] || { tail -n 40 "$tmp/pecl-install.log" >&2; fail "pecl install put no $ext_name.so under $tmp/root"; }
	echo "pecl-package-test: installed as $so"
	check_module "$so" "pecl install"
fi

# --- 3b. manual build from the extracted tarball -------------------------------------------
if [ "$mode" = build ] || [ "$mode" = both ]; then
	step "building from the extracted tarball (phpize, configure, make)"
	mkdir -p "$tmp/extract"
	tar -C "$tmp/extract" -xzf "$tgz"
	bdir="$tmp/extract/$pkg_name-$pkg_version"
	[ -d "$bdir" ] || fail "tarball has no $pkg_name-$pkg_version/ directory"
	[ -f "$tmp/extract/package.xml" ] || echo "pecl-package-test: note: tarball has no top-level package.xml"
	(
		cd "$bdir"
		run "$tmp/phpize.log" "$PHPIZE"
		# Same options pecl install passes: --with-php-config and the configureoption defaults.
		run "$tmp/configure.log" ./configure --with-php-config="$(command -v "$PHP_CONFIG")" ${configure_args[@]+"${configure_args[@]}"}
		run "$tmp/make.log" "$MAKE"
	)
	echo "pecl-package-test: phpize/configure/make OK"
	check_module "$bdir/modules/$ext_name.so" "tarball build"
fi

sys_after=$(sys_sig)
[ "$sys_before" = "$sys_after" ] || fail "the system extension dir ($sys_ext_dir) or PEAR registry ($sys_pear_dir/.registry) changed during the test"

step "OK: $pkg_name $pkg_version packages, builds and loads"
