--TEST--
Client: a multi-line reply whose code changes mid-way fails with protocol_error
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', "250-mx.test.example\r\n251-SIZE 10\r\n250 PIPELINING\r\n"],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$e = sdiag_expect_throw(fn () => $c->connect());
var_dump($e instanceof SmtpDiag\ProtocolException, $c->isConnected(), $c->getCapabilities());
sdiag_print_transcript($e->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
SmtpDiag\ProtocolException: invalid reply from the server: multi-line reply changes code from 250 to 251
category: protocol_error
phase: ehlo
code: NULL
enhanced: NULL
transient: false
hint: %s
bool(true)
bool(false)
array(0) {
}
info connecting to 127.0.0.1:%d (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
server 250-mx.test.example
server 251-SIZE 10
info error: protocol_error: invalid reply from the server: multi-line reply changes code from 250 to 251
--- server received ---
EHLO [127.0.0.1]
--- CLOSED ---
--- server exit: 0 ---
