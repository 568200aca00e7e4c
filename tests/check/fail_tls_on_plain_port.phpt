--TEST--
smtpdiag_check(): a port that speaks TLS from the first byte, checked as STARTTLS/auto: smtp.banner fails and says implicit TLS
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

// The server starts TLS at once and waits for the client to go away.
$srv = SmtpTestServer::start([['wait_close']], ['cert' => 'valid', 'tls' => 'implicit']);

$r = smtpdiag_check($srv->dsn(), ['cafile' => $srv->cafile, 'timeout' => 1.5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
$e = $r['error'];
var_dump($e['category'], $e['phase']);
var_dump(check_step($r, 'smtp.banner')['hint'] === $e['hint']);
var_dump($r['duration_ms'] < 3000.0);
// The client never sent an SMTP command.
var_dump(str_contains($srv->received(), 'EHLO'));
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: 127.0.0.1 port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner fail: no SMTP greeting from 127.0.0.1:%d, but the port answered a TLS handshake: it speaks TLS from the first byte (implicit TLS)
  hint: This port expects implicit TLS: use encryption "implicit" (smtps://127.0.0.1:%d), or port 587 with STARTTLS.
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
bool(true)
bool(false)
