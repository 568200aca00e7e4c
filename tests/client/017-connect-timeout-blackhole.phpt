--TEST--
Client: connect_timeout against a port that drops SYNs: TimeoutException connection_timeout in phase connect
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([], ['mode' => 'blackhole']);
$c = new SmtpDiag\Client($srv->dsn(), ['connect_timeout' => 1, 'timeout' => 5]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 0.9, 1.6);
var_dump($e instanceof SmtpDiag\TimeoutException, $c->isConnected());
sdiag_print_transcript($e->getTranscript());
unset($c);
$srv->stop();
var_dump($srv->received());
?>
--EXPECTF--
SmtpDiag\TimeoutException: connecting to 127.0.0.1:%d timed out (1 of 1 addresses did not answer)
category: connection_timeout
phase: connect
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
info connection to 127.0.0.1 port %d failed: timed out
info error: connection_timeout: connecting to 127.0.0.1:%d timed out (1 of 1 addresses did not answer)
string(0) ""
