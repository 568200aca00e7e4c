--TEST--
Client: STARTTLS mode against a port that speaks TLS from the first byte: banner timeout, TLS probe, hint to use implicit TLS
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

// The server waits for a TLS ClientHello; the client waits for a greeting.
// (No steps: after the handshake it only records until the client closes.)
$srv = SmtpTestServer::start([], ['cert' => 'valid', 'tls' => 'implicit']);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 2]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
// the banner wait is cut to keep min(2 s, timeout / 5) = 0.4 s for the probe
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 1.5, 2.3);
var_dump($e instanceof SmtpDiag\TimeoutException, $c->isConnected(), $c->getTlsInfo());
var_dump(str_contains($e->getMessage(), 'speaks TLS from the first byte'));
var_dump(str_contains($e->getHint(), 'implicit'));
// the probe starts when the shortened banner wait ends: 2 s - min(2 s, 2 s / 5) = 1.6 s
foreach ($e->getTranscript() as $entry) {
    if (str_starts_with($entry['text'], 'no greeting: probing')) {
        sdiag_check_elapsed('probe start', $entry['t'] / 1000, 1.45, 1.8);
    }
}
sdiag_print_transcript($e->getTranscript());
unset($c);

// Nothing but the probe's ClientHello went out (inside the handshake, not recorded as data).
$received = $srv->received();
var_dump((bool)preg_match('/\A--- TLS (FAILED )?---\n(--- CLOSED ---\n)?\z/', $received));
if (!preg_match('/\A--- TLS (FAILED )?---\n(--- CLOSED ---\n)?\z/', $received)) {
    var_dump($received);
}
var_dump($srv->exitCode());
?>
--EXPECTF--
SmtpDiag\TimeoutException: no SMTP greeting from 127.0.0.1:%d, but the port answered a TLS handshake: it speaks TLS from the first byte (implicit TLS)
category: timeout
phase: banner
code: NULL
enhanced: NULL
transient: %s
hint: This port expects implicit TLS: use encryption "implicit" (smtps://127.0.0.1:%d), or port 587 with STARTTLS.
elapsed: in range
bool(true)
bool(false)
NULL
bool(true)
bool(true)
probe start: in range
info connecting to 127.0.0.1:%d (encryption starttls)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
info no greeting: probing whether the port speaks TLS from the first byte
info probe: the port answered a TLS ClientHello
info error: timeout: no SMTP greeting from 127.0.0.1:%d, but the port answered a TLS handshake: it speaks TLS from the first byte (implicit TLS)
bool(true)
int(0)
