--TEST--
smtpdiag_check(): EHLO refused with 502, HELO accepted: smtp.ehlo warns, helo_fallback in the data
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 old.test SMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "502 5.5.2 Command not implemented\r\n"],
    ['expect', 'HELO '],
    ['send', "250 old.test\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);

$r = smtpdiag_check($srv->dsn(), ['encryption' => 'auto', 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status'], $r['error']);
check_print_steps($r);
var_dump(check_step($r, 'smtp.ehlo')['data']);
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(true)
string(4) "warn"
NULL
config ok: 127.0.0.1 port %d, encryption auto (encryption "auto")
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner ok: 220 old.test SMTP
smtp.ehlo warn: EHLO refused; HELO [127.0.0.1] accepted
  hint: The server refused EHLO and accepted only HELO: it offers no SMTP extensions (no STARTTLS, AUTH or SIZE). Check that this is a current mail server.
tls warn: the server does not offer STARTTLS: the session continued unencrypted (encryption "auto")
  hint: Ask the provider for a port with TLS, or set encryption "starttls" to make TLS mandatory once the server offers it.
tls.certificate skip: no TLS session
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
array(4) {
  ["helo"]=>
  string(11) "[127.0.0.1]"
  ["helo_fallback"]=>
  bool(true)
  ["starttls_offered"]=>
  bool(false)
  ["capabilities"]=>
  array(0) {
  }
}
EHLO [127.0.0.1]
HELO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
