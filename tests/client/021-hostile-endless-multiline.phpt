--TEST--
Client: a multi-line reply that never ends (more than 256 lines) fails with protocol_error; 256 lines are still accepted
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$limit = '';
for ($i = 1; $i <= 255; $i++) {
    $limit .= "250-EXT$i\r\n";
}
$limit .= "250 LAST\r\n";
$endless = '';
for ($i = 1; $i <= 400; $i++) {
    $endless .= "250-EXT$i\r\n";
}
$srv = SmtpTestServer::start([], ['steps_per_connection' => [
    [
        ['send', "220 mx.test.example ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', $limit],
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
    ],
    [
        ['send', "220 mx.test.example ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', $endless],
    ],
]]);

echo "=== exactly 256 lines\n";
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected(), count($c->getCapabilities()) > 0);
$c->quit();
unset($c);

echo "=== 400 lines and no final line\n";
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 0, 1.0);
var_dump($e instanceof SmtpDiag\ProtocolException, $c->isConnected(), $c->getCapabilities());

$server = array_values(array_filter($e->getTranscript(), fn ($x) => $x['dir'] === 'server'));
// the greeting, then the EHLO lines up to the one that broke the limit
var_dump(count($server) === 257 || count($server) === 258);
echo $server[1]['text'], "\n", $server[256]['text'], "\n";
$t = $e->getTranscript();
echo end($t)['text'], "\n";
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
=== exactly 256 lines
bool(true)
bool(true)
=== 400 lines and no final line
SmtpDiag\ProtocolException: invalid reply from the server: reply has more than 256 lines
category: protocol_error
phase: ehlo
code: NULL
enhanced: NULL
transient: false
hint: %s
elapsed: in range
bool(true)
bool(false)
array(0) {
}
bool(true)
250-EXT1
250-EXT256
error: protocol_error: invalid reply from the server: reply has more than 256 lines
--- server received ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- CONNECTION 2 ---
EHLO [127.0.0.1]
--- CLOSED ---
--- server exit: 0 ---
