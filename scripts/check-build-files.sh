#!/usr/bin/env bash
# Check that config.m4 (phpize) and config.w32 (Windows) build the same
# sources: every src/core/*.c and src/php/*.c must be named in both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec php -n -r '
$status = 0;
$m4 = file_get_contents("config.m4");
$w32 = file_get_contents("config.w32");
foreach (["core", "php"] as $dir) {
    // config.w32: ADD_SOURCES(configure_module_dirname + "\\src\\<dir>", "a.c b.c ...", ...)
    $listed = preg_match("/src\\\\\\\\$dir\",\s*\"([^\"]*)\"/", $w32, $m) ? preg_split("/\s+/", trim($m[1])) : [];
    foreach (glob("src/$dir/*.c") as $f) {
        if (!str_contains($m4, $f)) {
            echo "config.m4 does not build $f\n";
            $status = 1;
        }
        if (!in_array(basename($f), $listed, true)) {
            echo "config.w32 does not build $f\n";
            $status = 1;
        }
    }
}
exit($status);
'
