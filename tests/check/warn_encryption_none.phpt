--TEST--
smtpdiag_check(): encryption "none" passes with a tls warning; STARTTLS is offered but not used
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 STARTTLS\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);

$r = smtpdiag_check($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status'], $r['error']);
check_print_steps($r);
var_dump(check_step($r, 'smtp.ehlo')['data']['starttls_offered']);
var_dump(check_step($r, 'tls')['data'], check_step($r, 'tls.certificate')['data']);
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(true)
string(4) "warn"
NULL
config ok: 127.0.0.1 port %d, encryption none (encryption "none")
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner ok: 220 mx.test ESMTP
smtp.ehlo ok: EHLO [127.0.0.1] accepted: STARTTLS
tls warn: encryption is off (encryption "none"): the session is not encrypted
  hint: Use encryption "starttls" (port 587) or "implicit" (port 465): without TLS, credentials and mail cross the network in plaintext.
tls.certificate skip: no TLS session
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
bool(true)
array(0) {
}
array(0) {
}
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
