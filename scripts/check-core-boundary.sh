#!/usr/bin/env bash
# Enforce that src/core/ stays Zend-free: it must build and be unit-tested
# without PHP headers, so none of its sources may include PHP/Zend headers or
# use Zend types, macros or allocators.
#
# Usage: scripts/check-core-boundary.sh [CORE_DIR]     (default: <repo>/src/core)
#
# Fails (exit 1, one "file:line: reason" per offence) when a C source or header
# under CORE_DIR
#   - includes php.h, php_*.h, zend.h, zend_*.h, anything under ext/, main/,
#     Zend/, TSRM/ or php/ (e.g. "../php/glue.h": the Zend glue), or TSRM.h;
#   - uses the identifiers zval / zval_*, zend_*, ZEND_*, ZVAL_*, Z_*(...),
#     RETURN_*, RETVAL_*, emalloc, efree, estrdup, estrndup, ecalloc, erealloc,
#     safe_emalloc, pemalloc, pefree, smart_str*, PHPAPI, php_error_docref,
#     TSRMLS_*.
# Comments, string literals and character literals are ignored, so a comment
# such as "mirrors zend_string" is fine. Exit 0 when there is nothing to flag
# (including when CORE_DIR does not exist yet); exit 2 on usage errors.

set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

case "${1:-}" in
	-h|--help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
esac
[ $# -le 1 ] || { echo "usage: $0 [CORE_DIR]" >&2; exit 2; }
core_dir=${1:-$repo_root/src/core}

if [ ! -d "$core_dir" ]; then
	echo "check-core-boundary: $core_dir does not exist; nothing to check"
	exit 0
fi

# Only C/C++ sources and headers (build artefacts such as *.lo, *.o, *.dep
# from in-tree phpize builds also land in src/core/ and must not be scanned).
files=()
while IFS= read -r -d '' f; do
	files+=("$f")
done < <(find "$core_dir" -type f \( -name '*.c' -o -name '*.h' -o -name '*.inc' -o -name '*.def' \
	-o -name '*.cc' -o -name '*.cpp' -o -name '*.cxx' -o -name '*.hh' -o -name '*.hpp' \) -print0 | LC_ALL=C sort -z)

if [ ${#files[@]} -eq 0 ]; then
	echo "check-core-boundary: no C sources under $core_dir; nothing to check"
	exit 0
fi

set +e
BOUNDARY_ROOT=$repo_root perl -e '
use strict;
use warnings;

my $bad = 0;

# Replace comments and string/char literal contents with blanks while keeping
# newlines (so line numbers stay right). Include targets are taken from the
# comment-stripped text before literals are blanked.
sub strip {
	my ($src, $keep_strings) = @_;
	my $out = "";
	my $len = length $src;
	my $i = 0;
	while ($i < $len) {
		my $c = substr($src, $i, 1);
		my $n = $i + 1 < $len ? substr($src, $i + 1, 1) : "";
		if ($c eq "/" && $n eq "*") {
			my $end = index($src, "*/", $i + 2);
			$end = $len - 2 if $end < 0;
			my $chunk = substr($src, $i, $end + 2 - $i);
			(my $nl = $chunk) =~ s/[^\n]//g;
			$out .= " " . $nl;
			$i = $end + 2;
		} elsif ($c eq "/" && $n eq "/") {
			# line comment, honouring backslash-newline continuation
			while ($i < $len) {
				my $d = substr($src, $i, 1);
				if ($d eq "\\" && substr($src, $i + 1, 1) eq "\n") { $out .= "\n"; $i += 2; next; }
				last if $d eq "\n";
				$i++;
			}
			$out .= " ";
		} elsif ($c eq "\"" || $c eq "\x27") {
			my $q = $c;
			my $j = $i + 1;
			my $body = "";
			while ($j < $len) {
				my $d = substr($src, $j, 1);
				if ($d eq "\\") { $body .= substr($src, $j, 2); $j += 2; next; }
				last if $d eq $q || $d eq "\n";
				$body .= $d;
				$j++;
			}
			if ($keep_strings) {
				$out .= $q . $body . $q;
			} else {
				(my $nl = $body) =~ s/[^\n]//g;
				$out .= $q . $nl . $q;
			}
			$i = $j + 1;
		} else {
			$out .= $c;
			$i++;
		}
	}
	return $out;
}

my $ident_re = qr/
	  \b(zval)\b
	| \b(zval_\w+)
	| \b(zend_\w+)
	| \b(ZEND_\w+)
	| \b(ZVAL_\w+)
	| \b(Z_[A-Z][A-Z0-9_]*)\s*\(
	| \b(RETURN_\w+)
	| \b(RETVAL_\w+)
	| \b(emalloc|efree|estrdup|estrndup|ecalloc|erealloc|safe_emalloc|pemalloc|pefree|perealloc|pestrdup)\b
	| \b(smart_str\w*)
	| \b(PHPAPI)\b
	| \b(php_error_docref)\b
	| \b(TSRMLS_\w+)
/x;

my $inc_re = qr{
	(?: ^|/ ) (?: php | php_[^/]* | zend | zend_[^/]* | TSRM ) \.h $
	| (?: ^|/ ) (?: ext | main | Zend | TSRM | php ) /
}x;

my $root = $ENV{BOUNDARY_ROOT} // "";
for my $file (@ARGV) {
	my $shown = $file;
	$shown =~ s{^\Q$root\E/}{} if length $root;
	open(my $fh, "<", $file) or die "cannot read $file: $!\n";
	local $/;
	my $src = <$fh>;
	close $fh;
	$src =~ s/\r\n/\n/g;

	my @no_comments = split /\n/, strip($src, 1), -1;
	my @code = split /\n/, strip($src, 0), -1;

	for my $ln (0 .. $#no_comments) {
		my $line = $no_comments[$ln];
		if ($line =~ /^\s*#\s*(?:include|include_next|import)\s*([<"])([^>"]+)[>"]/) {
			my ($delim, $target) = ($1, $2);
			if ($target =~ $inc_re) {
				my ($o, $c) = $delim eq "<" ? ("<", ">") : ("\"", "\"");
				printf "%s:%d: includes %s%s%s (PHP/Zend header)\n", $shown, $ln + 1, $o, $target, $c;
				$bad++;
			}
			next;
		}
		my $cline = $code[$ln] // "";
		my %seen;
		while ($cline =~ /$ident_re/g) {
			my ($id) = grep { defined } ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);
			next if $seen{$id}++;
			printf "%s:%d: uses Zend identifier \x27%s\x27\n", $shown, $ln + 1, $id;
			$bad++;
		}
	}
}
exit($bad ? 1 : 0);
' "${files[@]}"
rc=$?
set -e

if [ "$rc" -eq 1 ]; then
	echo "check-core-boundary: FAILED: src/core must not depend on PHP/Zend (see offences above)" >&2
	exit 1
elif [ "$rc" -ne 0 ]; then
	echo "check-core-boundary: scanner error (exit $rc)" >&2
	exit 2
fi
echo "check-core-boundary: OK (${#files[@]} files under ${core_dir#"$repo_root"/} are Zend-free)"
