--TEST--
Client: STARTTLS to a server whose certificate names another host fails with tls_certificate and a name hint
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
    ['send', "220 2.0.0 go ahead\r\n"],
    ['starttls'],
], ['cert' => 'wrong_name']);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'cafile' => $srv->cafile, 'timeout' => 5]);
$e = sdiag_expect_throw(fn () => $c->connect());
var_dump($e instanceof SmtpDiag\TlsException, $c->isConnected());
var_dump(str_contains($e->getHint(), 'DNS:wrong.example'), str_contains($e->getHint(), '"127.0.0.1"'), str_contains($e->getHint(), 'peer_name'));
sdiag_print_transcript($e->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
SmtpDiag\TlsException: the server's certificate did not verify: IP address mismatch
category: tls_certificate
phase: tls
code: NULL
enhanced: NULL
transient: false
hint: The certificate is for DNS:wrong.example, not for "127.0.0.1": %s
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
info connecting to 127.0.0.1:%d (encryption starttls)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
server 250-test.example greets you
server 250 STARTTLS
client STARTTLS
server 220 2.0.0 go ahead
info starting TLS (STARTTLS)
info+tls TLS established: TLSv1.%d, %s; certificate: CN=wrong.example (IP address mismatch)
info error: tls_certificate: the server's certificate did not verify: IP address mismatch
--- server received ---
EHLO [127.0.0.1]
STARTTLS
--- TLS ---
--- CLOSED ---
--- server exit: 0 ---
