--TEST--
smtpdiag run from the source tree without the extension: PHP is started again with -d extension=modules/smtpdiag.so (dl() takes no path), once: stdin (classify -, a password line) reaches the new process, which then does not restart again
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/smtpdiag') || !is_file(__DIR__ . '/../../modules/smtpdiag.' . PHP_SHLIB_SUFFIX)) {
    die('skip needs scripts/smtpdiag and a build in modules/');
}
?>
--FILE--
<?php
declare(strict_types=1);
require_once __DIR__ . '/../inc/server.inc';
require_once __DIR__ . '/../inc/dns.inc';

/** Run the script in a PHP without the extension: [exit status, stdout, stderr]. */
function bare(array $args, string $stdin = '', array $env = []): array
{
    $vars = getenv();
    unset($vars['SMTPDIAG_CLI_MODULE'], $vars['SMTPDIAG_PASSWORD']);
    $out = tmpfile();
    $err = tmpfile();
    $cmd = [PHP_BINARY, '-n', '-d', 'enable_dl=0', __DIR__ . '/../../scripts/smtpdiag', ...$args];
    $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => $out, 2 => $err], $pipes, null, array_merge($vars, $env));
    fwrite($pipes[0], $stdin);
    fclose($pipes[0]);
    $status = proc_close($proc);
    rewind($out);
    rewind($err);
    return [$status, (string)stream_get_contents($out), (string)stream_get_contents($err)];
}

$module = realpath(__DIR__ . '/../../modules/smtpdiag.' . PHP_SHLIB_SUFFIX);
[$status, $out, $err] = bare(['--version']);
echo "exit $status, stderr ", json_encode($err), "\n";
var_dump(str_contains($out, " loaded from $module;"));

[$status, $out, $err] = bare(['classify', '-', '--command=RCPT', '--json'], "550 5.1.1 User unknown\r\n");
echo "exit $status, ", json_decode($out, true)['category'] ?? 'no JSON', ", stderr ", json_encode($err), "\n";

// The password is read once, by the new process.
$port = SmtpTestServer::refusedPort();
[$status, $out, $err] = bare(['check', "smtp://alice@127.0.0.1:$port", '--password-prompt', '--json', '--timeout=5'], "pw-line\n");
$r = json_decode($out, true);
echo "exit $status, password_set ", var_export($r['steps'][0]['data']['password_set'] ?? null, true), ", stderr ", json_encode($err), "\n";

// smtpdiag dns and spf from the source tree
$dns = DnsTestServer::start([
    'example.test' => ['MX' => [[10, 'mx.example.test']], 'TXT' => ['v=spf1 ip4:192.0.2.0/24 -all']],
    'mx.example.test' => ['A' => ['192.0.2.25']],
]);
[$status, $out, $err] = bare(['dns', 'example.test', '--dns=mx,spf', '--dns-servers=' . $dns->servers(), '--timeout=5']);
echo "exit $status, ", strtok($out, "\n"), ", stderr ", json_encode($err), "\n";
[$status, $out, $err] = bare(['spf', '192.0.2.1', 'example.test', '--dns-servers=' . $dns->servers(), '--timeout=5']);
echo "exit $status, ", preg_match('/^result: +(\w+)/m', $out, $m) ? $m[1] : 'no result', ", stderr ", json_encode($err), "\n";

// The restart happens once: a module that does not load is reported, not retried.
[$status, $out, $err] = bare(['--version'], '', ['SMTPDIAG_CLI_MODULE' => '/nonexistent/smtpdiag.so']);
echo "exit $status\n", $err;
?>
--EXPECTF--
exit 0, stderr ""
bool(true)
exit 0, mailbox_unavailable, stderr ""
exit 4, password_set true, stderr ""
exit 0, smtpdiag dns of example.test: OK in %f ms, stderr ""
exit 0, pass, stderr ""
exit 69
smtpdiag: the smtpdiag extension did not load from /nonexistent/smtpdiag.so (built for another PHP? rebuild it: bash scripts/build.sh)
Install it (pecl install smtpdiag, or from source: phpize && ./configure && make && make install,
then extension=smtpdiag in php.ini), or run this script with it:
  php -d extension=/path/to/modules/smtpdiag.so %s/scripts/smtpdiag ...
