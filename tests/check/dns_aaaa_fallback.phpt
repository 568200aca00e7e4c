--TEST--
smtpdiag_check() with dns_servers: a name with AAAA ::1 and A 127.0.0.1, server on 127.0.0.1 only: ::1 is refused, 127.0.0.1 connects, tcp.connect warns
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
$s = @stream_socket_server('tcp://[::1]:0');
if ($s === false) {
    die('skip no IPv6 loopback');
}
?>
--FILE--
<?php
require __DIR__ . '/check.inc';
require __DIR__ . '/../inc/dns.inc';

$dns = DnsTestServer::start([
    'mail.smtpdiag.test' => ['AAAA' => ['::1'], 'A' => ['127.0.0.1']],
]);
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250 mx.test\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);

$r = smtpdiag_check("smtp://mail.smtpdiag.test:{$srv->port}", [
    'dns_servers' => $dns->servers(), 'encryption' => 'none', 'timeout' => 5,
]);

check_shape($r);
var_dump($r['ok'], $r['status'], $r['error'], $r['target']['host']);
check_print_steps($r);

$d = check_step($r, 'dns.host')['data'];
var_dump($d['addresses'], $d['dns_servers'] === $dns->servers());

$t = check_step($r, 'tcp.connect')['data'];
var_dump($t['address'], $t['port'] === $srv->port, $t['local_address']);
foreach ($t['attempts'] as $a) {
    echo "attempt {$a['address']} {$a['family']} {$a['result']} ", var_export($a['error'], true), "\n";
}

$q = $dns->queries();
sort($q);
echo implode("\n", $q), "\n";
echo $srv->received();
var_dump($srv->exitCode());
?>
--EXPECTF--
shape ok
bool(true)
string(4) "warn"
NULL
string(18) "mail.smtpdiag.test"
config ok: mail.smtpdiag.test port %d, encryption none (encryption "none")
dns.host ok: mail.smtpdiag.test resolves to ::1, 127.0.0.1
ports ok: 25 refused, 465 refused, 587 refused, 2525 refused
tcp.connect warn: connected to 127.0.0.1 port %d after 1 failed attempt%r(s)?%r
  hint: Some of the host's addresses do not accept connections: check its DNS records and this machine's IPv6 connectivity.
smtp.banner ok: 220 mx.test ESMTP
smtp.ehlo ok: EHLO [127.0.0.1] accepted: no extensions
tls warn: encryption is off (encryption "none"): the session is not encrypted
  hint: Use encryption "starttls" (port 587) or "implicit" (port 465): without TLS, credentials and mail cross the network in plaintext.
tls.certificate skip: no TLS session
smtp.auth skip: no credentials configured
smtp.mail_from skip: no sender given (option from): the envelope was not tested
smtp.rcpt_to skip: no sender given (option from)
smtp.data skip: no test message requested (option send)
array(2) {
  [0]=>
  string(3) "::1"
  [1]=>
  string(9) "127.0.0.1"
}
bool(true)
string(9) "127.0.0.1"
bool(true)
string(9) "127.0.0.1"
attempt ::1 ipv6 connection_refused 'Connection refused'
attempt 127.0.0.1 ipv4 connected NULL
mail.smtpdiag.test A -> NOERROR 1
mail.smtpdiag.test AAAA -> NOERROR 1
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
int(0)
