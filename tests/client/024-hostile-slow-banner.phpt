--TEST--
Client: a greeting trickling in at one byte a second times out within the 1.5 s timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['slow', "220 slow.test.example ESMTP\r\n", 1000],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 1.5]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 1.0, 1.7);
var_dump($e instanceof SmtpDiag\TimeoutException, $c->isConnected());
sdiag_print_transcript($e->getTranscript());
unset($c);
// the server is still trickling: stop it rather than wait for its write to fail
$srv->stop();
var_dump($srv->received());
?>
--EXPECTF--
SmtpDiag\TimeoutException: timed out after %f s waiting for the server's greeting (banner phase)
category: timeout
phase: banner
code: NULL
enhanced: NULL
transient: true
hint: The server sent part of a reply and stopped: %s
elapsed: in range
bool(true)
bool(false)
info connecting to 127.0.0.1:%d (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
info error: timeout: timed out after %f s waiting for the server's greeting (banner phase)
string(0) ""
