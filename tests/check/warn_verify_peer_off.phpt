--TEST--
smtpdiag_check(): verify_peer false against a self-signed certificate: config and tls.certificate warn, the session completes
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250 mx.test\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'self_signed']);

$r = smtpdiag_check($srv->dsn(), ['verify_peer' => false, 'encryption' => 'starttls', 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status'], $r['error']);
check_print_steps($r);
var_dump(check_step($r, 'config')['data']['verify_peer']);
$cert = check_step($r, 'tls.certificate')['data'];
var_dump($cert['verify_peer'], $cert['verified'], $cert['verify_result'], $cert['certificate']['issuer']);
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(true)
string(4) "warn"
NULL
config warn: certificate verification is off (verify_peer false)
  hint: Turn verify_peer back on; give a private CA with the cafile option instead.
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner ok: 220 mx.test ESMTP
smtp.ehlo ok: EHLO [127.0.0.1] accepted: no extensions
tls ok: TLSv1.%d with %s, after STARTTLS
tls.certificate warn: the certificate does not verify (self-signed certificate), accepted because verify_peer is off
  hint: Verification is disabled (verify_peer off), so a man in the middle could read the credentials: fix the certificate and turn verification back on.
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
bool(false)
bool(false)
bool(false)
string(23) "self-signed certificate"
string(12) "CN=localhost"
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
