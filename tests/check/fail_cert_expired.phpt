--TEST--
smtpdiag_check(): an expired certificate: tls ok, tls.certificate fails with tls_certificate and a hint about renewal
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
    ['wait_close'],
], ['cert' => 'expired']);

$r = smtpdiag_check($srv->dsn(), ['cafile' => $srv->cafile, 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
$e = $r['error'];
var_dump($e['category'], $e['phase'], $e['transient'], $e['message']);
var_dump(check_step($r, 'tls.certificate')['hint'] === $e['hint']);
$cert = check_step($r, 'tls.certificate')['data'];
var_dump($cert['verified'], $cert['verify_result'], $cert['certificate']['subject']);
// The hint names the expiry date of the certificate.
var_dump(str_contains($e['hint'], $cert['certificate']['not_after']));
// No EHLO was sent over the unverified TLS session.
$received = $srv->received();
var_dump(str_starts_with($received, "EHLO [127.0.0.1]\r\nSTARTTLS\r\n"), substr_count($received, 'EHLO'));
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: 127.0.0.1 port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner ok: 220 mx.test ESMTP
smtp.ehlo ok: EHLO [127.0.0.1] accepted: STARTTLS
tls ok: TLSv1.%d with %s, after STARTTLS
tls.certificate fail: the server's certificate did not verify: certificate has expired
  hint: The certificate expired on %d-%d-%dT%d:%d:%dZ: the server's administrator must renew it %s
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
string(15) "tls_certificate"
string(3) "tls"
bool(false)
string(64) "the server's certificate did not verify: certificate has expired"
bool(true)
bool(false)
string(23) "certificate has expired"
string(12) "CN=localhost"
bool(true)
bool(true)
int(1)
