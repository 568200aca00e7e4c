--TEST--
smtpdiag check --transcript, --timestamps, --color: the SMTP conversation after the report (swaks style), with times, with ANSI colours only when asked
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
    ['send', "220 mx.test ESMTP\r\n"],
    ['expect', 'EHLO '],
    ['send', "250-mx.test\r\n250 SIZE 1000\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 2.0.0 bye\r\n"],
], ['connections' => 4]);

echo "== --transcript\n";
[$status, $out, $err] = cli(['check', $srv->dsn(), '--transcript', '--timeout=5']);
echo "exit $status, stderr ", json_encode($err), "\n";
echo substr($out, (int)strpos($out, "\ntranscript:"));

echo "== --timestamps (implies --transcript)\n";
[$status, $out] = cli(['check', $srv->dsn(), '--timestamps', '--timeout=5']);
echo "exit $status\n";
echo substr($out, (int)strpos($out, "\ntranscript:"));

echo "== --color=always\n";
[$status, $out] = cli(['check', $srv->dsn(), '--color=always', '--timeout=5']);
var_dump($status, str_contains($out, "\e["), str_contains($out, 'transcript:'));

echo "== --color (always), then NO_COLOR does not matter\n";
[$status, $out] = cli(['check', $srv->dsn(), '--color', '--timeout=5'], ['NO_COLOR' => '1']);
var_dump($status, str_contains($out, "\e["));
var_dump($srv->exitCode());
?>
--EXPECTF--
== --transcript
exit 0, stderr ""

transcript:
=== connecting to 127.0.0.1:%d (encryption auto)
=== 127.0.0.1 resolves to 127.0.0.1
=== trying 127.0.0.1 port %d
=== connected to 127.0.0.1 port %d from 127.0.0.1 port %d
<-  220 mx.test ESMTP
 -> EHLO [127.0.0.1]
<-  250-mx.test
<-  250 SIZE 1000
=== warning: the server does not offer STARTTLS; continuing without encryption (encryption "auto")
 -> QUIT
<-  221 2.0.0 bye
== --timestamps (implies --transcript)
exit 0

transcript:
[%w%f] === connecting to 127.0.0.1:%d (encryption auto)
[%w%f] === 127.0.0.1 resolves to 127.0.0.1
[%w%f] === trying 127.0.0.1 port %d
[%w%f] === connected to 127.0.0.1 port %d from 127.0.0.1 port %d
[%w%f] <-  220 mx.test ESMTP
[%w%f]  -> EHLO [127.0.0.1]
[%w%f] <-  250-mx.test
[%w%f] <-  250 SIZE 1000
[%w%f] === warning: the server does not offer STARTTLS; continuing without encryption (encryption "auto")
[%w%f]  -> QUIT
[%w%f] <-  221 2.0.0 bye
== --color=always
int(0)
bool(true)
bool(false)
== --color (always), then NO_COLOR does not matter
int(0)
bool(true)
int(0)
