--TEST--
Client: STARTTLS answered 454 fails with tls_error, code 454, transient, no plaintext fallback
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 mx.test.example ESMTP\r\n"],
    ['expect', 'EHLO'],
    ['send', sdiag_ehlo_reply('STARTTLS')],
    ['expect', 'STARTTLS'],
    ['send', "454 4.7.0 TLS not available due to temporary reason\r\n"],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'timeout' => 5]);
$e = sdiag_expect_throw(fn () => $c->connect());
var_dump($e instanceof SmtpDiag\TlsException, $e->getSmtpCode() === 454, $e->getCode(), $e->isTransient());
var_dump($c->isConnected(), $c->getTlsInfo());
sdiag_print_transcript($e->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
SmtpDiag\TlsException: the server refused STARTTLS: 454 4.7.0 TLS not available due to temporary reason
category: tls_error
phase: starttls
code: 454
enhanced: '4.7.0'
transient: true
hint: The server offered STARTTLS but refused it temporarily; %s
bool(true)
bool(true)
int(454)
bool(true)
bool(false)
NULL
info connecting to 127.0.0.1:%d (encryption starttls)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
server 250-test.example greets you
server 250 STARTTLS
client STARTTLS
server 454 4.7.0 TLS not available due to temporary reason
info error: tls_error: the server refused STARTTLS: 454 4.7.0 TLS not available due to temporary reason
client QUIT
--- server received ---
EHLO [127.0.0.1]
STARTTLS
QUIT
--- CLOSED ---
--- server exit: 0 ---
