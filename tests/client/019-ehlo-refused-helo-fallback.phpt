--TEST--
Client: EHLO answered 502 falls back to HELO (encryption none): connected, no capabilities
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 old.test.example SMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', "502 5.5.1 Command not implemented\r\n"],
    ['expect', 'HELO'],
    ['send', "250 old.test.example\r\n"],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'helo' => 'client.test.example', 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected(), $c->getCapabilities(), $c->getTlsInfo());
$c->quit();
echo $c->getTranscriptText();
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
bool(true)
array(0) {
}
NULL
=== connecting to 127.0.0.1:%d (encryption none)
=== 127.0.0.1 resolves to 127.0.0.1
=== trying 127.0.0.1 port %d
=== connected to 127.0.0.1 port %d from 127.0.0.1 port %d
<-  220 old.test.example SMTP
 -> EHLO client.test.example
<-  502 5.5.1 Command not implemented
=== EHLO refused: falling back to HELO
 -> HELO client.test.example
<-  250 old.test.example
 -> QUIT
<-  221 bye
--- server received ---
EHLO client.test.example
HELO client.test.example
QUIT
--- CLOSED ---
--- server exit: 0 ---
