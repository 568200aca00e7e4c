--TEST--
Client: a refused port fails with ConnectionException connection_refused, transient, phase connect
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$port = SmtpTestServer::refusedPort();
$c = new SmtpDiag\Client("smtp://127.0.0.1:$port", ['timeout' => 2]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 0, 1.0);
var_dump($e instanceof SmtpDiag\ConnectionException, $e->getCode(), $c->isConnected(), $c->getCapabilities());
var_dump(str_contains($e->getMessage(), "127.0.0.1:$port"));
sdiag_print_transcript($e->getTranscript());
// the client keeps the transcript of the failed attempt too
var_dump($c->getTranscript() === $e->getTranscript());
?>
--EXPECTF--
SmtpDiag\ConnectionException: connecting to 127.0.0.1:%d failed: Connection refused
category: connection_refused
phase: connect
code: NULL
enhanced: NULL
transient: true
hint: Nothing listens on that host and port%s
elapsed: in range
bool(true)
int(0)
bool(false)
array(0) {
}
bool(true)
info connecting to 127.0.0.1:%d (encryption auto)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connection to 127.0.0.1 port %d failed: Connection refused
info error: connection_refused: connecting to 127.0.0.1:%d failed: Connection refused
bool(true)
