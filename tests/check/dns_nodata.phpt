--TEST--
smtpdiag_check() with dns_servers: a name without A or AAAA records (NOERROR, no data) gives dns.host fail
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';
require __DIR__ . '/../inc/dns.inc';

$dns = DnsTestServer::start(['nodata.smtpdiag.test' => []]);
$port = SmtpTestServer::refusedPort();

$r = smtpdiag_check("smtp://nodata.smtpdiag.test:$port", ['dns_servers' => $dns->servers(), 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status']);
check_print_steps($r);
$e = $r['error'];
var_dump($e['category'], $e['phase'], $e['transient'], $e['message']);
$q = $dns->queries();
sort($q);
echo implode("\n", $q), "\n";
?>
--EXPECTF--
shape ok
bool(false)
string(4) "fail"
config ok: nodata.smtpdiag.test port %d, encryption auto (no encryption given: STARTTLS when the server offers it, as Symfony Mailer does)
dns.host fail: cannot resolve nodata.smtpdiag.test: the name has no A or AAAA record
  hint: The host name "nodata.smtpdiag.test" does not resolve: check it for typos (the provider's SMTP host is often smtp.<domain> or mail.<domain>).
tcp.connect skip: not reached
smtp.banner skip: not reached
smtp.ehlo skip: not reached
tls skip: not reached
tls.certificate skip: not reached
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
string(9) "dns_error"
string(3) "dns"
bool(false)
string(69) "cannot resolve nodata.smtpdiag.test: the name has no A or AAAA record"
nodata.smtpdiag.test A -> NOERROR 0
nodata.smtpdiag.test AAAA -> NOERROR 0
