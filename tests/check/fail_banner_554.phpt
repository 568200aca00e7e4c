--TEST--
smtpdiag_check(): a 554 greeting: smtp.banner fails with service_unavailable (permanent, SMTP 554), later steps skipped
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "554 5.7.1 mx.test: no SMTP service for you\r\n"],
    ['wait_close'],
]);

$r = smtpdiag_check($srv->dsn(), ['timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
var_dump(check_step($r, 'smtp.banner')['data']);
$e = $r['error'];
var_dump($e['category'], $e['phase'], $e['transient'], $e['code'], $e['enhanced'], $e['message']);
var_dump(check_step($r, 'smtp.banner')['hint'] === $e['hint']);
// The hint must fit the category: the greeting refused the session, no
// message was sent, so advice about SPF/DKIM or message content is wrong.
var_dump(preg_match('/SPF|DKIM|DMARC|content of the message/', $e['hint']));
var_dump($e['hint'] !== '');
// The client sent nothing but, at most, QUIT, and closed.
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: 127.0.0.1 port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
smtp.banner fail: the server refused the session in its greeting: 554 5.7.1 mx.test: no SMTP service for you
  hint: %s
smtp.ehlo skip: not reached
tls skip: not reached
tls.certificate skip: not reached
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
array(2) {
  ["code"]=>
  int(554)
  ["text"]=>
  string(38) "5.7.1 mx.test: no SMTP service for you"
}
string(19) "service_unavailable"
string(6) "banner"
bool(false)
int(554)
string(5) "5.7.1"
string(90) "the server refused the session in its greeting: 554 5.7.1 mx.test: no SMTP service for you"
bool(true)
int(0)
bool(true)
QUIT
%r(QUIT\n)?%r--- CLOSED ---
int(0)
