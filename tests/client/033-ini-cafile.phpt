--TEST--
Client: smtpdiag.cafile is used when no cafile option is given
--EXTENSIONS--
smtpdiag
openssl
--INI--
smtpdiag.cafile=
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([], ['cert' => 'valid', 'steps_per_connection' => [
    [
        ['send', "220 mx.test.example ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', sdiag_ehlo_reply('STARTTLS')],
        ['expect', 'STARTTLS'],
        ['send', "220 go ahead\r\n"],
        ['starttls'],
    ],
    [
        ['send', "220 mx.test.example ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', sdiag_ehlo_reply('STARTTLS')],
        ['expect', 'STARTTLS'],
        ['send', "220 go ahead\r\n"],
        ['starttls'],
        ['expect', 'EHLO'],
        ['send', sdiag_ehlo_reply('SIZE 9')],
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
    ],
]]);

echo "=== without smtpdiag.cafile: the test CA is unknown\n";
var_dump(ini_get('smtpdiag.cafile'));
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'timeout' => 5]);
try {
    $c->connect();
    echo "NO EXCEPTION\n";
} catch (SmtpDiag\TlsException $e) {
    echo get_class($e), ': ', $e->getCategory(), "\n";
}
unset($c);

echo "=== with smtpdiag.cafile\n";
var_dump(ini_set('smtpdiag.cafile', $srv->cafile) !== false);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'timeout' => 5]);
$c->connect();
$info = $c->getTlsInfo();
var_dump($info['verified'], $info['verify_result'], $c->getCapabilities());
$c->quit();
unset($c);
sdiag_print_server($srv);
?>
--EXPECT--
=== without smtpdiag.cafile: the test CA is unknown
string(0) ""
SmtpDiag\TlsException: tls_certificate
=== with smtpdiag.cafile
bool(true)
bool(true)
string(2) "ok"
array(1) {
  ["SIZE"]=>
  string(1) "9"
}
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
--- CLOSED ---
--- CONNECTION 2 ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
