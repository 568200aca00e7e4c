--TEST--
Client: the server closes in the middle of its greeting: ConnectionException connection_lost
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', '220 mx.test.example ESM'],
    ['close'],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['timeout' => 5]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 0, 1.0);
var_dump($e instanceof SmtpDiag\ConnectionException, $c->isConnected());
sdiag_print_transcript($e->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
SmtpDiag\ConnectionException: the server closed the connection in the middle of its greeting
category: connection_lost
phase: banner
code: NULL
enhanced: NULL
transient: true
hint: %s
elapsed: in range
bool(true)
bool(false)
info connecting to 127.0.0.1:%d (encryption auto)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESM
info error: connection_lost: the server closed the connection in the middle of its greeting
--- server received ---
--- server exit: 0 ---
