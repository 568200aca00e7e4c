--TEST--
smtpdiag_check(): encryption starttls but the server does not offer it: tls fails with tls_required, no plaintext session
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250-SIZE 1000\r\n250 AUTH PLAIN\r\n"],
    ['wait_close'],
]);

$r = smtpdiag_check($srv->dsn(), ['encryption' => 'starttls', 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
$e = $r['error'];
var_dump($e['category'], $e['phase'], $e['transient'], $e['code']);
var_dump(check_step($r, 'tls')['hint'] === $e['hint']);
var_dump(check_step($r, 'smtp.ehlo')['data']['starttls_offered']);
// Nothing after EHLO but, at most, QUIT.
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: 127.0.0.1 port %d, encryption starttls (encryption "starttls")
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner ok: 220 mx.test ESMTP
smtp.ehlo ok: EHLO [127.0.0.1] accepted: SIZE 1000, AUTH PLAIN
tls fail: STARTTLS is required, but the server does not offer it
  hint: Encryption was required but the server did not offer it: use the port and mode the provider documents (587 with STARTTLS, 465 with implicit TLS), or check for a middlebox stripping STARTTLS.
tls.certificate skip: not reached
smtp.auth skip: no credentials configured (the server offers AUTH)
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
string(12) "tls_required"
string(8) "starttls"
bool(false)
NULL
bool(true)
bool(false)
EHLO [127.0.0.1]
QUIT
%r(QUIT\n)?%r--- CLOSED ---
int(0)
