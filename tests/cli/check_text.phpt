--TEST--
smtpdiag check: a STARTTLS server with the test CA: the text report of smtpdiag_format(), exit 0; a warning (no STARTTLS offered) exits 0, and 1 with --strict
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
require_once __DIR__ . '/../inc/server.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP ready\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n"],
    ['expect', 'STARTTLS'],
    ['send', "220 2.0.0 Ready to start TLS\r\n"],
    ['starttls'],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250-SIZE 10240000\r\n250 AUTH PLAIN LOGIN\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 Bye\r\n"],
], ['cert' => 'valid']);
[$status, $out, $err] = cli(['check', $srv->dsn(), '--encryption=starttls', '--cafile', $srv->cafile, '--timeout=5']);
echo "exit $status\n", $out, "stderr: ", json_encode($err), "\n";
// the same report as smtpdiag_format() prints, without colour (stdout is a file)
var_dump(str_contains($out, "\e["));
echo $srv->received();

echo "== warnings: exit 0, with --strict 1\n";
$srv = SmtpTestServer::start([
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 SIZE 1000\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['connections' => 2]);
[$status, $out] = cli(['check', $srv->dsn(), '--timeout=5']);
echo "exit $status: ", strtok($out, "\n"), "\n";
[$status, $out] = cli([$srv->dsn(), '--timeout=5', '--strict']);
echo "exit $status: ", strtok($out, "\n"), "\n";
var_dump($srv->exitCode());
?>
--EXPECTF--
exit 0
smtpdiag check of 127.0.0.1:%d (starttls): OK in %f ms

  [ ok ] config%w%f ms  127.0.0.1 port %d, encryption starttls (encryption "starttls")
  [ ok ] dns.host%w%f ms  127.0.0.1 resolves to 127.0.0.1
  [ ok ] ports%w%f ms  %s
  [ ok ] tcp.connect%w%f ms  connected to 127.0.0.1 port %d
  [ ok ] smtp.banner%w%f ms  220 mx.test ESMTP ready
  [ ok ] smtp.ehlo%w%f ms  EHLO [127.0.0.1] accepted: SIZE 10240000, AUTH PLAIN LOGIN
  [ ok ] tls%w%f ms  TLSv1.%d with %s, after STARTTLS
  [ ok ] tls.certificate%w%f ms  verified for 127.0.0.1: CN=localhost, issued by CN=smtpdiag test CA, valid until %s
  [skip] smtp.auth%w%f ms  no credentials configured (the server offers AUTH)
  [skip] smtp.mail_from%w%f ms  no sender given (option from): the envelope was not tested
  [skip] smtp.rcpt_to%w%f ms  no sender given (option from)
  [skip] smtp.data%w%f ms  no test message requested (option send)
stderr: ""
bool(false)
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
== warnings: exit 0, with --strict 1
exit 0: smtpdiag check of 127.0.0.1:%d (auto): WARN in %f ms
exit 1: smtpdiag check of 127.0.0.1:%d (auto): WARN in %f ms
int(0)
