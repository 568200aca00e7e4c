--TEST--
Client: a reply line longer than 4096 bytes fails with ProtocolException protocol_error
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([], ['steps_per_connection' => [
    // in the greeting
    [['send', '220 ' . str_repeat('x', 5000) . "\r\n"]],
    // in the middle of a multi-line EHLO reply
    [
        ['send', "220 mx.test.example ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', "250-mx.test.example\r\n250-" . str_repeat('Y', 4100) . "\r\n250 SIZE 1\r\n"],
    ],
]]);

foreach (['greeting', 'EHLO reply'] as $name) {
    echo "=== $name\n";
    $c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
    $e = sdiag_expect_throw(fn () => $c->connect());
    var_dump($e instanceof SmtpDiag\ProtocolException, $c->isConnected(), $c->getCapabilities());
    sdiag_print_transcript($e->getTranscript());
    unset($c);
}
sdiag_print_server($srv);
?>
--EXPECTF--
=== greeting
SmtpDiag\ProtocolException: invalid reply from the server: reply line longer than 4096 bytes
category: protocol_error
phase: banner
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
info error: protocol_error: invalid reply from the server: reply line longer than 4096 bytes
=== EHLO reply
SmtpDiag\ProtocolException: invalid reply from the server: reply line longer than 4096 bytes
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
info error: protocol_error: invalid reply from the server: reply line longer than 4096 bytes
--- server received ---
--- CLOSED ---
--- CONNECTION 2 ---
EHLO [127.0.0.1]
--- CLOSED ---
--- server exit: 0 ---
