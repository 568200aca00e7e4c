--TEST--
Client: bytes injected after "220" to STARTTLS are discarded, counted and never read as a reply inside TLS
--EXTENSIONS--
smtpdiag
openssl
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('STARTTLS')],
    ['expect', 'STARTTLS'],
    // one write: the reply and an injected "reply" for the EHLO to come
    ['send', "220 ready\r\n250 injected\r\n"],
    ['starttls'],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('SIZE 777', 'AUTH PLAIN')],
    ['expect', 'QUIT'],
    ['send', "221 bye\r\n"],
], ['cert' => 'valid']);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5]);
$c->connect();
$info = $c->getTlsInfo();
var_dump($c->isConnected(), $info['verified'], $info['discarded_bytes'], strlen("250 injected\r\n"));
// the capabilities come from the real EHLO reply inside TLS
var_dump($c->getCapabilities());
$c->quit();
sdiag_print_transcript($c->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
bool(true)
bool(true)
int(14)
int(14)
array(2) {
  ["SIZE"]=>
  string(3) "777"
  ["AUTH"]=>
  array(1) {
    [0]=>
    string(5) "PLAIN"
  }
}
info connecting to 127.0.0.1:%d (encryption starttls)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
server 250-test.example greets you
server 250 STARTTLS
client STARTTLS
server 220 ready
info discarded 14 bytes the server sent after "220" to STARTTLS, before the TLS handshake (possible STARTTLS command injection)
info starting TLS (STARTTLS)
info+tls TLS established: TLSv1.%d, %s; certificate: CN=localhost (verified)
client+tls EHLO [127.0.0.1]
server+tls 250-test.example greets you
server+tls 250-SIZE 777
server+tls 250 AUTH PLAIN
client+tls QUIT
server+tls 221 bye
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
