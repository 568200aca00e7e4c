--TEST--
smtpdiag_check() with dns_servers: NXDOMAIN gives dns.host fail, category dns_error, not transient; later steps skipped
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';
require __DIR__ . '/../inc/dns.inc';

$dns = DnsTestServer::start(['other.smtpdiag.test' => ['A' => ['127.0.0.1']]]);
$port = SmtpTestServer::refusedPort();

$r = smtpdiag_check("smtp://nx.smtpdiag.test:$port", ['dns_servers' => $dns->servers(), 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
var_dump(check_step($r, 'dns.host')['data']);
var_dump($r['error']);
var_dump(check_step($r, 'dns.host')['hint'] === $r['error']['hint']);
$q = $dns->queries();
var_dump(in_array('nx.smtpdiag.test A -> NXDOMAIN', $q, true), in_array('nx.smtpdiag.test AAAA -> NXDOMAIN', $q, true));
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: nx.smtpdiag.test port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host fail: cannot resolve nx.smtpdiag.test: the name does not exist (NXDOMAIN)
  hint: The host name "nx.smtpdiag.test" does not resolve: check it for typos (the provider's SMTP host is often smtp.<domain> or mail.<domain>).
tcp.connect skip: not reached
smtp.banner skip: not reached
smtp.ehlo skip: not reached
tls skip: not reached
tls.certificate skip: not reached
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
array(2) {
  ["addresses"]=>
  array(0) {
  }
  ["dns_servers"]=>
  string(%d) "127.0.0.1:%d"
}
array(7) {
  ["category"]=>
  string(9) "dns_error"
  ["phase"]=>
  string(3) "dns"
  ["transient"]=>
  bool(false)
  ["code"]=>
  NULL
  ["enhanced"]=>
  NULL
  ["message"]=>
  string(67) "cannot resolve nx.smtpdiag.test: the name does not exist (NXDOMAIN)"
  ["hint"]=>
  string(%d) "The host name "nx.smtpdiag.test" does not resolve: check it for typos (the provider's SMTP host is often smtp.<domain> or mail.<domain>)."
}
bool(true)
bool(true)
bool(true)
