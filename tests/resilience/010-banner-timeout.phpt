--TEST--
Timeouts: banner_timeout bounds the wait for the greeting, not the overall timeout: a greeting that stops mid-line times out after banner_timeout (phase banner, "waiting for the server's greeting"); a silent port is probed for implicit TLS, and the probe keeps to its budget instead of waiting out the 5 s timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$opts = ['encryption' => 'none', 'timeout' => 5, 'banner_timeout' => 0.5, 'command_timeout' => 5];

echo "=== a greeting that stops mid-line\n";
$srv = SmtpTestServer::start([['send', '220 mx.test.example ES'], ['wait_close']], ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), $opts);
$elapsed = sdiag_timed(fn () => $c->connect(), $e);
sdiag_print_exception($e);
var_dump($e instanceof SmtpDiag\TimeoutException, $e->getPhase(), str_contains($e->getMessage(), "waiting for the server's greeting"));
sdiag_check_below('elapsed', $elapsed, 0.5 + 2.0);
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== a silent port\n";
$srv = SmtpTestServer::start([['wait_close']], ['timeout' => 10]);
$c = new SmtpDiag\Client($srv->dsn(), $opts);
$elapsed = sdiag_timed(fn () => $c->connect(), $e);
sdiag_print_exception($e);
var_dump($e instanceof SmtpDiag\TimeoutException, $e->getPhase());
// the probe's budget is min(2 s, timeout / 5) = 1 s; banner_timeout + 2 s + 1 s of slack, well below the 5 s timeout
sdiag_check_below('elapsed', $elapsed, 0.5 + 2.0 + 1.0);
echo sdiag_transcript_normalised($e->getTranscript());
unset($c);
$srv->received();
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
=== a greeting that stops mid-line
SmtpDiag\TimeoutException: timed out after 0.5 s waiting for the server's greeting (banner phase)
category: timeout
phase: banner
code: NULL
enhanced: NULL
transient: true
hint: The server sent part of a reply and stopped: %s
bool(true)
string(6) "banner"
bool(true)
elapsed: below 2.5 s
--- server received ---
--- CLOSED ---
--- exit 0 ---
=== a silent port
SmtpDiag\TimeoutException: no SMTP greeting from 127.0.0.1:%d within the timeout
category: timeout
phase: banner
code: NULL
enhanced: NULL
transient: true
hint: The port accepts connections but says nothing: %s
bool(true)
string(6) "banner"
elapsed: below 3.5 s
info connecting to 127.0.0.1:PORT (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port PORT
info connected to 127.0.0.1 port PORT from 127.0.0.1 port PORT
info no greeting: probing whether the port speaks TLS from the first byte
info probe: the port did not answer a TLS ClientHello either
info error: timeout: no SMTP greeting from 127.0.0.1:PORT within the timeout
--- exit 0 ---
