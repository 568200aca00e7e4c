--TEST--
Client: encryption "auto" against a server without STARTTLS connects in plaintext with a warning
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 plain.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('SIZE 100', '8BITMIME')],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'auto', 'timeout' => 5]);
$c->connect();
var_dump($c->isConnected(), $c->getTlsInfo(), $c->getCapabilities());
$c->quit();
sdiag_print_transcript($c->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
bool(true)
NULL
array(2) {
  ["SIZE"]=>
  string(3) "100"
  ["8BITMIME"]=>
  bool(true)
}
info connecting to 127.0.0.1:%d (encryption auto)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 plain.test.example ESMTP
client EHLO [127.0.0.1]
server 250-test.example greets you
server 250-SIZE 100
server 250 8BITMIME
info warning: the server does not offer STARTTLS; continuing without encryption (encryption "auto")
client QUIT
server 221 bye
--- server received ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
