--TEST--
smtpdiag check --json: the report of smtpdiag_check() as pretty JSON (the shape of tests/check, floats kept as floats), the exit status as for text; --quiet prints nothing
--EXTENSIONS--
smtpdiag
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/smtpdiag')) {
    die('skip scripts/smtpdiag is not in this tree');
}
?>
--FILE--
<?php
declare(strict_types=1);
require_once __DIR__ . '/cli.inc';
require __DIR__ . '/../check/check.inc';
require_once __DIR__ . '/../inc/server.inc';

echo "== ok\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 2.0.0 go ahead\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 PIPELINING\r\n"],
    ['expect', 'MAIL FROM:<app@example.test>'],
    ['expect', 'RCPT TO:<a@example.test>'],
    ['expect', 'RCPT TO:<b@example.test>'],
    ['expect', 'RCPT TO:<c@example.test>'],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n"],
    ['expect', 'RSET'],
    ['send', "250 2.0.0 Ok\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 Bye\r\n"],
], ['cert' => 'valid']);
[$status, $out, $err] = cli(['check', $srv->dsn(), '--json', '--cafile=' . $srv->cafile, '--timeout=5',
    '--from', 'app@example.test', '--to=a@example.test,b@example.test', '-t', 'c@example.test', '--color=always', '--no-dns']);
echo "exit $status, stderr ", json_encode($err), "\n";
var_dump(str_starts_with($out, "{\n    \"ok\": true,\n")); // pretty printed
$r = json_decode($out, true, 512, JSON_THROW_ON_ERROR);
check_shape($r);
echo $r['status'], ' ', json_encode($r['target']) === json_encode(['host' => '127.0.0.1', 'port' => $srv->port, 'encryption' => 'auto', 'username' => null]) ? 'target ok' : 'target differs', "\n";
foreach ($r['steps'] as $s) {
    echo "{$s['id']} {$s['status']}\n";
}
var_dump(check_step($r, 'smtp.mail_from')['data']['from'], array_column(check_step($r, 'smtp.rcpt_to')['data']['recipients'], 'address'));
var_dump(str_contains($out, "\e["), str_contains($out, '\/'));

echo "== connection refused\n";
$port = SmtpTestServer::refusedPort();
[$status, $out, $err] = cli(['check', "smtp://127.0.0.1:$port", '--json', '--timeout=5']);
$r = json_decode($out, true, 512, JSON_THROW_ON_ERROR);
check_shape($r);
echo "exit $status, {$r['status']}, {$r['error']['category']}, {$r['error']['phase']}, stderr ", json_encode($err), "\n";

echo "== --quiet\n";
var_dump(cli(['check', "smtp://127.0.0.1:$port", '--quiet', '--timeout=5']));
?>
--EXPECT--
== ok
exit 0, stderr ""
bool(true)
shape ok
ok target ok
config ok
dns.host ok
ports ok
tcp.connect ok
smtp.banner ok
smtp.ehlo ok
tls ok
tls.certificate ok
smtp.auth skip
smtp.mail_from ok
smtp.rcpt_to ok
smtp.data skip
string(16) "app@example.test"
array(3) {
  [0]=>
  string(14) "a@example.test"
  [1]=>
  string(14) "b@example.test"
  [2]=>
  string(14) "c@example.test"
}
bool(false)
bool(false)
== connection refused
shape ok
exit 4, fail, connection_refused, connect, stderr ""
== --quiet
array(3) {
  [0]=>
  int(4)
  [1]=>
  string(0) ""
  [2]=>
  string(0) ""
}
