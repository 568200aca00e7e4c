--TEST--
smtpdiag_check(): connection refused: tcp.connect fails, the later steps are skipped, error connection_refused
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$port = SmtpTestServer::refusedPort();
$r = smtpdiag_check("smtp://127.0.0.1:$port", ['timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
var_dump(check_step($r, 'tcp.connect')['data']);
var_dump($r['error']);
var_dump(check_step($r, 'tcp.connect')['hint'] === $r['error']['hint']);
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: 127.0.0.1 port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports fail: 25 refused, 465 refused, 587 refused, 2525 refused
  hint: No mail port answers from here: the network blocks outgoing SMTP. Use the provider's alternative port (2525 at SendGrid, Mailgun, Postmark, Brevo) or its HTTP API, or ask for the ports to be opened.
tcp.connect fail: connecting to 127.0.0.1:%d failed: Connection refused
  hint: Nothing listens on that host and port, or a firewall rejects the connection: check the port (587 for STARTTLS submission, 465 for implicit TLS, 25 for relay) and that the server is running.
smtp.banner skip: not reached
smtp.ehlo skip: not reached
tls skip: not reached
tls.certificate skip: not reached
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
array(1) {
  ["attempts"]=>
  array(1) {
    [0]=>
    array(5) {
      ["address"]=>
      string(9) "127.0.0.1"
      ["family"]=>
      string(4) "ipv4"
      ["result"]=>
      string(18) "connection_refused"
      ["error"]=>
      string(18) "Connection refused"
      ["duration_ms"]=>
      float(%f)
    }
  }
}
array(7) {
  ["category"]=>
  string(18) "connection_refused"
  ["phase"]=>
  string(7) "connect"
  ["transient"]=>
  bool(true)
  ["code"]=>
  NULL
  ["enhanced"]=>
  NULL
  ["message"]=>
  string(%d) "connecting to 127.0.0.1:%d failed: Connection refused"
  ["hint"]=>
  string(%d) "Nothing listens on that host and port, or a firewall rejects the connection: check the port (587 for STARTTLS submission, 465 for implicit TLS, 25 for relay) and that the server is running."
}
bool(true)
