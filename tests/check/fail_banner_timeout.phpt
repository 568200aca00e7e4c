--TEST--
smtpdiag_check(): the port accepts but never greets (timeout 1.5 s): smtp.banner fails with category timeout
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([], ['mode' => 'no_accept']);
$t0 = microtime(true);
$r = smtpdiag_check($srv->dsn(), ['timeout' => 1.5]);
$elapsed = microtime(true) - $t0;
$srv->stop();

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
var_dump($r['error']['category'], $r['error']['phase'], $r['error']['transient'], $r['error']['code']);
var_dump(check_step($r, 'smtp.banner')['hint'] === $r['error']['hint']);
// The whole check is bounded by the timeout (plus a little).
var_dump($elapsed >= 1.0 && $elapsed < 3.0, $r['duration_ms'] >= 1000.0 && $r['duration_ms'] < 3000.0);
$banner = check_step($r, 'smtp.banner');
var_dump($banner['duration_ms'] >= 1000.0 && $banner['duration_ms'] < 3000.0);
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: 127.0.0.1 port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner fail: no SMTP greeting from 127.0.0.1:%d within the timeout
  hint: The port accepts connections but says nothing: the server may be overloaded or tarpitting, or the port belongs to another service. Check the port and the server's logs.
smtp.ehlo skip: not reached
tls skip: not reached
tls.certificate skip: not reached
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
string(7) "timeout"
string(6) "banner"
bool(true)
NULL
bool(true)
bool(true)
bool(true)
bool(true)
