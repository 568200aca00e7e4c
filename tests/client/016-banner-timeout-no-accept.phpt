--TEST--
Client: a port that accepts but never speaks: TimeoutException in phase banner after a TLS probe, within the timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([], ['mode' => 'no_accept']);
$c = new SmtpDiag\Client($srv->dsn(), ['timeout' => 1.5]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 1.4, 2.0);
var_dump($e instanceof SmtpDiag\TimeoutException, $c->isConnected(), $c->getTlsInfo());
// the probe starts when the shortened banner wait ends: 1.5 s - min(2 s, 1.5 s / 5) = 1.2 s
foreach ($e->getTranscript() as $entry) {
    if (str_starts_with($entry['text'], 'no greeting: probing')) {
        sdiag_check_elapsed('probe start', $entry['t'] / 1000, 1.1, 1.4);
    }
}
sdiag_print_transcript($e->getTranscript());
unset($c);
$srv->stop();
var_dump($srv->received());
?>
--EXPECTF--
SmtpDiag\TimeoutException: no SMTP greeting from 127.0.0.1:%d within the timeout
category: timeout
phase: banner
code: NULL
enhanced: NULL
transient: true
hint: The port accepts connections but says nothing: %s
elapsed: in range
bool(true)
bool(false)
NULL
probe start: in range
info connecting to 127.0.0.1:%d (encryption auto)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
info no greeting: probing whether the port speaks TLS from the first byte
info probe: the port did not answer a TLS ClientHello either
info error: timeout: no SMTP greeting from 127.0.0.1:%d within the timeout
string(0) ""
