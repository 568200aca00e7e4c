--TEST--
Client: encryption "starttls" when the server does not offer STARTTLS (EHLO, and EHLO refused then HELO) fails with tls_required
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([], ['steps_per_connection' => [
    [
        ['send', "220 mx.test.example ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', sdiag_ehlo_reply('SIZE 100', 'AUTH PLAIN')],
        // anything the client sends now is recorded until it closes
    ],
    [
        ['send', "220 old.test.example SMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', "502 5.5.1 Command not implemented\r\n"],
        ['expect', 'HELO'],
        ['send', "250 old.test.example\r\n"],
    ],
]]);

foreach (['EHLO without STARTTLS', 'EHLO refused, HELO'] as $name) {
    echo "=== $name\n";
    $c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'starttls', 'timeout' => 5]);
    $e = sdiag_expect_throw(fn () => $c->connect());
    var_dump($e instanceof SmtpDiag\TlsException, $c->isConnected(), $c->getTlsInfo());
    sdiag_print_transcript($e->getTranscript());
    unset($c);
}
sdiag_print_server($srv);
?>
--EXPECTF--
=== EHLO without STARTTLS
SmtpDiag\TlsException: STARTTLS is required, but the server does not offer it
category: tls_required
phase: starttls
code: NULL
enhanced: NULL
transient: false
hint: %s
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
server 250-SIZE 100
server 250 AUTH PLAIN
info error: tls_required: STARTTLS is required, but the server does not offer it
client QUIT
=== EHLO refused, HELO
SmtpDiag\TlsException: STARTTLS is required, but the server refused EHLO, so it cannot offer STARTTLS
category: tls_required
phase: starttls
code: NULL
enhanced: NULL
transient: false
hint: %s
bool(true)
bool(false)
NULL
info connecting to 127.0.0.1:%d (encryption starttls)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server 220 old.test.example SMTP
client EHLO [127.0.0.1]
server 502 5.5.1 Command not implemented
info EHLO refused: falling back to HELO
client HELO [127.0.0.1]
server 250 old.test.example
info error: tls_required: STARTTLS is required, but the server refused EHLO, so it cannot offer STARTTLS
client QUIT
--- server received ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
--- CONNECTION 2 ---
EHLO [127.0.0.1]
HELO [127.0.0.1]
QUIT
--- CLOSED ---
--- server exit: 0 ---
