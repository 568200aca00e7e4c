--TEST--
smtpdiag_check(): the password never appears in the report (print_r, var_export, var_dump, JSON, serialize), its transcript, smtpdiag_format() output or a stack trace
--EXTENSIONS--
smtpdiag
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/check.inc';

const SECRET = 'S3cr3t-P4ss';

/** Every rendering of the report; reports any form of the password found. */
function leaks(array $r): array
{
    ob_start();
    var_dump($r);
    $dump = (string)ob_get_clean();
    $texts = [
        'print_r' => print_r($r, true),
        'var_export' => var_export($r, true),
        'var_dump' => $dump,
        'json' => json_encode($r, JSON_THROW_ON_ERROR),
        'serialize' => serialize($r),
        'format' => smtpdiag_format($r),
        'format+transcript' => smtpdiag_format($r, ['transcript' => true, 'timestamps' => true, 'color' => true]),
    ];
    $needles = [SECRET, 'S3cr3t', 'P4ss', base64_encode(SECRET), rawurlencode(SECRET),
        base64_encode("\0user@example.com\0" . SECRET), base64_encode("user@example.com\0" . SECRET)];
    $found = [];
    foreach ($texts as $where => $text) {
        foreach ($needles as $needle) {
            if (str_contains($text, $needle)) {
                $found[] = "$where contains $needle";
            }
        }
    }
    return $found;
}

echo "== full STARTTLS session, credentials in the DSN\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 AUTH PLAIN LOGIN\r\n"],
    ['expect', 'AUTH PLAIN ' . base64_encode("\0user@example.com\0" . SECRET)],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'valid']);
$r = smtpdiag_check($srv->dsn('smtp', 'user%40example.com:' . SECRET), ['cafile' => $srv->cafile, 'timeout' => 5, 'dns' => false]);
echo "{$r['status']} {$r['target']['username']}\n";
var_dump(check_step($r, 'config')['data']['username'], check_step($r, 'config')['data']['password_set']);
var_dump(array_keys($r['target']), count($r['transcript']) > 5, leaks($r));
var_dump(str_contains($srv->received(), SECRET));

echo "== a server that quotes the AUTH line in its error reply\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250-AUTH LOGIN PLAIN\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 AUTH PLAIN\r\n"],
    ['expect', 'AUTH PLAIN'],
    ['send', "535-5.7.8 rejected: AUTH PLAIN " . base64_encode("\0user@example.com\0" . SECRET) . "\r\n535 5.7.8 password " . SECRET . " is wrong\r\n"],
    ['expect', 'QUIT'],
], ['cert' => 'valid']);
$r = smtpdiag_check($srv->dsn('smtp', 'user%40example.com:' . SECRET), ['cafile' => $srv->cafile, 'timeout' => 5, 'dns' => false]);
echo "{$r['status']} {$r['error']['category']} {$r['error']['code']}\n";
echo check_step($r, 'smtp.auth')['message'], "\n";
var_dump(leaks($r));

echo "== config array (Laravel style), connection refused\n";
$port = SmtpTestServer::refusedPort();
$r = smtpdiag_check([
    'transport' => 'smtp', 'host' => '127.0.0.1', 'port' => $port, 'encryption' => 'tls',
    'username' => 'user@example.com', 'password' => SECRET, 'timeout' => 5,
], ['dns' => false]);
echo "{$r['status']} {$r['error']['category']} {$r['target']['username']}\n";
var_dump(leaks($r));

echo "== invalid configuration: unknown option next to a password\n";
$r = smtpdiag_check("smtp://user:" . SECRET . "@127.0.0.1:$port", ['password' => SECRET, 'bogus' => SECRET]);
echo "{$r['status']} {$r['error']['category']}: {$r['error']['message']}\n";
var_dump(leaks($r));

echo "== invalid DSN containing the password\n";
$r = smtpdiag_check("smtp://user:" . SECRET . "@127.0.0.1:99999");
echo "{$r['status']} {$r['error']['category']}: {$r['error']['message']}\n";
var_dump(leaks($r));
$r = smtpdiag_check("smtp://user:" . SECRET . "%zz@127.0.0.1:$port");
echo "{$r['status']} {$r['error']['category']}: {$r['error']['message']}\n";
var_dump(leaks($r));

echo "== TypeError: the arguments are #[SensitiveParameter]\n";
try {
    $options = 'not an array';
    smtpdiag_check("smtp://user:" . SECRET . "@127.0.0.1:$port", $options);
} catch (TypeError $e) {
    echo get_class($e), "\n";
    $trace = $e->getTraceAsString() . print_r($e->getTrace(), true) . (string)$e;
    var_dump(str_contains($trace, 'SensitiveParameterValue'), str_contains($trace, SECRET));
}
?>
--EXPECTF--
== full STARTTLS session, credentials in the DSN
ok user@example.com
string(16) "user@example.com"
bool(true)
array(4) {
  [0]=>
  string(4) "host"
  [1]=>
  string(4) "port"
  [2]=>
  string(10) "encryption"
  [3]=>
  string(8) "username"
}
bool(true)
array(0) {
}
bool(false)
== a server that quotes the AUTH line in its error reply
fail auth_failed 535
authentication failed: 535 5.7.8 rejected: AUTH PLAIN [redacted] / 5.7.8 password [redacted] is wrong
array(0) {
}
== config array (Laravel style), connection refused
fail connection_refused user@example.com
array(0) {
}
== invalid configuration: unknown option next to a password
fail config_invalid: unknown option "bogus"
array(0) {
}
== invalid DSN containing the password
fail config_invalid: port "99999" is not a number from 1 to 65535
array(0) {
}
fail config_invalid: the DSN's password has a bad %-escape
array(0) {
}
== TypeError: the arguments are #[SensitiveParameter]
TypeError
bool(true)
bool(false)
