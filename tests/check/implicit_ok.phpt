--TEST--
smtpdiag_check(): implicit TLS (smtps://) ok path: tls and tls.certificate come right after tcp.connect
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/check.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP implicit\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 AUTH PLAIN\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'valid', 'tls' => 'implicit']);

$r = smtpdiag_check($srv->dsn('smtps'), ['cafile' => $srv->cafile, 'timeout' => 5]);

check_shape($r);
var_dump($r['ok'], $r['status'], $r['error'], $r['target']['encryption']);
echo implode(' ', array_column($r['steps'], 'id')), "\n";
check_print_steps($r);

$tls = check_step($r, 'tls')['data'];
var_dump($tls['mode']);
$cert = check_step($r, 'tls.certificate')['data'];
var_dump($cert['verified'], $cert['certificate']['subject']);
$ehlo = check_step($r, 'smtp.ehlo')['data'];
var_dump($ehlo['starttls_offered'], $ehlo['capabilities']);

echo "--- dialogue ---\n";
check_print_dialogue($r);
echo "--- server received ---\n";
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(true)
string(2) "ok"
NULL
string(8) "implicit"
config dns.host ports tcp.connect tls tls.certificate smtp.banner smtp.ehlo smtp.auth smtp.mail_from smtp.rcpt_to smtp.data
config ok: 127.0.0.1 port %d, encryption implicit (no encryption given: implicit TLS because the scheme is smtps)
dns.host ok: 127.0.0.1 resolves to 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect ok: connected to 127.0.0.1 port %d
tls ok: TLSv1.%d with %s, implicit TLS
tls.certificate ok: verified for 127.0.0.1: CN=localhost, issued by CN=smtpdiag test CA, valid until %s
smtp.banner ok: 220 mx.test ESMTP implicit
smtp.ehlo ok: EHLO [127.0.0.1] accepted: AUTH PLAIN
smtp.auth skip: no credentials configured (the server offers AUTH)
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
string(8) "implicit"
bool(true)
string(12) "CN=localhost"
bool(false)
array(1) {
  ["AUTH"]=>
  array(1) {
    [0]=>
    string(5) "PLAIN"
  }
}
--- dialogue ---
server tls=1 220 mx.test ESMTP implicit
client tls=1 EHLO [127.0.0.1]
server tls=1 250-mx.test
server tls=1 250 AUTH PLAIN
client tls=1 QUIT
server tls=1 221 bye
--- server received ---
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
