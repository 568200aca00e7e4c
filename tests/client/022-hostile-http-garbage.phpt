--TEST--
Client: a non-SMTP greeting (an HTTP response) fails with protocol_error and a hint
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n"],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['timeout' => 5]);
$e = sdiag_expect_throw(fn () => $c->connect());
var_dump($e instanceof SmtpDiag\ProtocolException, $c->isConnected());
var_dump(str_contains($e->getHint(), 'does not speak SMTP'));
sdiag_print_transcript($e->getTranscript());
unset($c);
sdiag_print_server($srv);
?>
--EXPECTF--
SmtpDiag\ProtocolException: invalid reply from the server: reply line does not start with a three-digit code
category: protocol_error
phase: banner
code: NULL
enhanced: NULL
transient: false
hint: The server does not speak SMTP here: %s
bool(true)
bool(false)
bool(true)
info connecting to 127.0.0.1:%d (encryption auto)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
server HTTP/1.1 400 Bad Request
info error: protocol_error: invalid reply from the server: reply line does not start with a three-digit code
--- server received ---
--- CLOSED ---
--- server exit: 0 ---
