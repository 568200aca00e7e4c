--TEST--
smtpdiag_check(): implicit TLS against a plaintext SMTP port: tls fails (tls_error) naming the plaintext greeting
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['wait_close'],
]);

$r = smtpdiag_check($srv->dsn('smtps'), ['timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
echo implode(' ', array_column($r['steps'], 'id')), "\n";
check_print_steps($r);
$e = $r['error'];
var_dump($e['category'], $e['phase'], $e['transient']);
var_dump(check_step($r, 'tls')['hint'] === $e['hint']);
// What the server got is a TLS ClientHello (handshake record), no SMTP.
$received = $srv->received();
var_dump(bin2hex(substr($received, 0, 2)), str_contains($received, 'EHLO'));
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config dns.host ports tcp.connect tls tls.certificate smtp.banner smtp.ehlo smtp.auth smtp.mail_from smtp.rcpt_to smtp.data
config ok: 127.0.0.1 port %d, encryption implicit (no encryption given: implicit TLS because the scheme is smtps)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
tls fail: the server answered the TLS handshake in plaintext SMTP ("220 %s"): this port does not speak TLS from the first byte
  hint: Use encryption "starttls" (usually port 587) or "auto" for this port; implicit TLS (smtps://) belongs on port 465.
tls.certificate skip: not reached
smtp.banner skip: not reached
smtp.ehlo skip: not reached
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
string(9) "tls_error"
string(3) "tls"
bool(false)
bool(true)
string(4) "1603"
bool(false)
