--TEST--
smtpdiag_check(): encryption auto (the default) against a server without STARTTLS: tls warning with a hint
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 SIZE 1000\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);

$r = smtpdiag_check($srv->dsn(), ['timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status'], $r['error'], $r['target']['encryption']);
check_print_steps($r);
var_dump(check_step($r, 'smtp.ehlo')['data']['starttls_offered']);
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(true)
string(4) "warn"
NULL
string(4) "auto"
config ok: 127.0.0.1 port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner ok: 220 mx.test ESMTP
smtp.ehlo ok: EHLO [127.0.0.1] accepted: SIZE 1000
tls warn: the server does not offer STARTTLS: the session continued unencrypted (encryption "auto")
  hint: Ask the provider for a port with TLS, or set encryption "starttls" to make TLS mandatory once the server offers it.
tls.certificate skip: no TLS session
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
bool(false)
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
