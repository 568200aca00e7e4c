--TEST--
smtpdiag check --password-prompt on a terminal (a pty from script(1)): the echo is off while the password is typed and restored after, the server gets it; Ctrl-C at the prompt exits 130 with the echo restored
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/smtpdiag')) {
    die('skip scripts/smtpdiag is not in this tree');
}
if (!extension_loaded('pcntl')) {
    die('skip needs pcntl (the prompt restores the terminal on Ctrl-C with it)');
}
if (PHP_OS_FAMILY !== 'Linux') {
    die('skip needs util-linux script(1)');
}
exec('command -v script && command -v stty && script -qec true /dev/null', $o, $rc);
if ($rc !== 0) {
    die('skip script(1) or stty is not available');
}
?>
--FILE--
<?php
declare(strict_types=1);
require_once __DIR__ . '/../inc/server.inc';

const SECRET = 'Typed-S3cret';

/*
 * Run the CLI on a pseudo-terminal: script(1) starts `sh -c $shell` on a pty
 * whose master it copies to and from our pipes. Once the prompt is seen,
 * $input is typed. Returns what the terminal showed, with \r\n as \n.
 */
function on_tty(array $args, string $input): string
{
    $dir = (string)ini_get('extension_dir');
    $so = 'smtpdiag.' . PHP_SHLIB_SUFFIX;
    $ext = is_file("$dir/$so") ? ['-d', "extension_dir=$dir", '-d', 'extension=smtpdiag']
        : ['-d', 'extension=' . realpath(__DIR__ . "/../../modules/$so")];
    $cli = implode(' ', array_map('escapeshellarg', [PHP_BINARY, '-n', ...$ext, __DIR__ . '/../../scripts/smtpdiag', ...$args]));
    // The shell ignores SIGINT so that it outlives a Ctrl-C and reports the status and the echo setting.
    $shell = "trap '' INT; $cli; echo \"exit \$?\"; stty -a | grep -o -- '-\\{0,1\\}echo ' | head -n 1";
    $vars = getenv();
    unset($vars['SMTPDIAG_PASSWORD'], $vars['SMTPDIAG_CLI_MODULE'], $vars['NO_COLOR']);
    $vars['SHELL'] = '/bin/sh';
    $proc = proc_open(['script', '-qec', $shell, '/dev/null'], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $vars);
    $out = '';
    $typed = false;
    $deadline = microtime(true) + 15;
    while (microtime(true) < $deadline) {
        if (!$typed && str_contains($out, 'Password for alice: ')) {
            fwrite($pipes[0], $input);
            $typed = true;
        }
        $r = [$pipes[1]];
        $w = $e = null;
        if (stream_select($r, $w, $e, 1) > 0) {
            $chunk = (string)fread($pipes[1], 8192);
            if ($chunk === '' && feof($pipes[1])) {
                break;
            }
            $out .= $chunk;
        }
    }
    fclose($pipes[0]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($proc);
    return str_replace("\r\n", "\n", $out);
}

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 AUTH PLAIN\r\n"],
    ['expect', 'AUTH PLAIN ' . base64_encode("\0alice\0" . SECRET) . "\r\n"],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);
$out = on_tty(['check', $srv->dsn('smtp', 'alice'), '--password-prompt', '--encryption=none', '-o', 'allow_plaintext_auth=1',
    '--no-ports', '--no-color', '--timeout=5'], SECRET . "\n");
echo preg_replace('/^(?!Password|.*smtp\.auth|exit|-?echo).*\n/m', '', $out);
var_dump(str_contains($out, SECRET), str_contains($out, 'Typed'));
var_dump($srv->exitCode());

echo "== Ctrl-C\n";
echo on_tty(['check', 'smtp://alice@127.0.0.1:' . SmtpTestServer::refusedPort(), '--password-prompt', '--no-ports'], "\x03");
?>
--EXPECTF--
Password for alice: 
  [ ok ] smtp.auth%w%f ms  authenticated as alice with PLAIN %s
exit 0
echo 
bool(false)
bool(false)
int(0)
== Ctrl-C
Password for alice: 
exit 130
echo 
