--TEST--
smtpdiag without the extension loaded: outside the source tree, dl() loads it from extension_dir when allowed, else exit 69 with a message saying how to load it; --help and usage errors need no extension
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/smtpdiag')) {
    die('skip scripts/smtpdiag is not in this tree');
}
if (!is_file(ini_get('extension_dir') . '/smtpdiag.' . PHP_SHLIB_SUFFIX)) {
    die('skip the extension is not loaded from extension_dir');
}
?>
--FILE--
<?php
declare(strict_types=1);

// A copy of the script with no modules/ directory beside it: an installed script.
$dir = sys_get_temp_dir() . '/smtpdiag-cli-' . getmypid() . '-' . bin2hex(random_bytes(4));
mkdir("$dir/bin", 0700, true);
mkdir("$dir/empty", 0700);
copy(__DIR__ . '/../../scripts/smtpdiag', "$dir/bin/smtpdiag");

/** Run the copy in a PHP without the extension: [exit status, stdout, stderr]. */
function bare(array $ini, array $args): array
{
    global $dir;
    $cmd = [PHP_BINARY, '-n'];
    foreach ($ini as $setting) {
        array_push($cmd, '-d', $setting);
    }
    $vars = getenv();
    unset($vars['SMTPDIAG_CLI_MODULE'], $vars['SMTPDIAG_PASSWORD']);
    $out = tmpfile();
    $err = tmpfile();
    $proc = proc_open([...$cmd, "$dir/bin/smtpdiag", ...$args], [0 => ['pipe', 'r'], 1 => $out, 2 => $err], $pipes, null, $vars);
    fclose($pipes[0]);
    $status = proc_close($proc);
    rewind($out);
    rewind($err);
    return [$status, (string)stream_get_contents($out), (string)stream_get_contents($err)];
}

echo "== dl() not allowed\n";
[$status, $out, $err] = bare(['enable_dl=0', 'extension_dir=' . ini_get('extension_dir')], ['--version']);
echo "exit $status, stdout ", json_encode($out), "\n", str_replace($dir, 'DIR', $err);
[$status, $out, $err] = bare(['enable_dl=0'], ['check', 'smtp://127.0.0.1:25', '--timeout=1']);
echo "exit $status, stdout ", json_encode($out), "\n";
[$status, $out, $err] = bare(['enable_dl=0'], ['classify', '250 ok']);
echo "exit $status, stdout ", json_encode($out), "\n";

echo "== dl() allowed, but not in extension_dir\n";
[$status, $out, $err] = bare(['enable_dl=1', "extension_dir=$dir/empty"], ['--version']);
echo "exit $status, stdout ", json_encode($out), "\n", str_replace($dir, 'DIR', $err);

echo "== dl() from extension_dir\n";
[$status, $out, $err] = bare(['enable_dl=1', 'extension_dir=' . ini_get('extension_dir')], ['--version']);
echo "exit $status, stderr ", json_encode($err), "\n";
var_dump(str_starts_with($out, 'smtpdiag ' . SMTPDIAG_VERSION . ' (extension smtpdiag ' . SMTPDIAG_VERSION . ' loaded; PHP'));

echo "== no extension needed\n";
[$status, $out, $err] = bare(['enable_dl=0'], ['--help']);
echo "exit $status, ", str_contains($out, '69  the smtpdiag extension is not available') ? 'help' : 'no help', ", stderr ", json_encode($err), "\n";
[$status, $out, $err] = bare(['enable_dl=0'], ['check', 'smtp://127.0.0.1:25', '--bogus']);
echo "exit $status, $err";

unlink("$dir/bin/smtpdiag");
rmdir("$dir/bin");
rmdir("$dir/empty");
rmdir($dir);
?>
--EXPECT--
== dl() not allowed
exit 69, stdout ""
smtpdiag: the smtpdiag extension is not loaded.
Install it (pecl install smtpdiag, or from source: phpize && ./configure && make && make install,
then extension=smtpdiag in php.ini), or run this script with it:
  php -d extension=/path/to/modules/smtpdiag.so DIR/bin/smtpdiag ...
exit 69, stdout ""
exit 69, stdout ""
== dl() allowed, but not in extension_dir
exit 69, stdout ""
smtpdiag: the smtpdiag extension is not loaded.
Install it (pecl install smtpdiag, or from source: phpize && ./configure && make && make install,
then extension=smtpdiag in php.ini), or run this script with it:
  php -d extension=/path/to/modules/smtpdiag.so DIR/bin/smtpdiag ...
== dl() from extension_dir
exit 0, stderr ""
bool(true)
== no extension needed
exit 0, help, stderr ""
exit 64, smtpdiag: unknown option --bogus (see smtpdiag --help)
