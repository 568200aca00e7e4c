--TEST--
Client: implicit TLS against a plaintext SMTP server fails with tls_error naming the plaintext greeting
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

$srv = SmtpTestServer::start([
    ['send', "220 plain.test.example ESMTP Postfix\r\n"],
]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'implicit', 'timeout' => 2]);
$t0 = microtime(true);
$e = sdiag_expect_throw(fn () => $c->connect());
sdiag_check_elapsed('elapsed', microtime(true) - $t0, 0, 1.0);
var_dump($e instanceof SmtpDiag\TlsException, $c->isConnected(), $c->getTlsInfo());
var_dump(str_contains($e->getMessage(), 'plaintext SMTP'));
var_dump(str_contains($e->getMessage(), '220 plain.test.example ESMTP Postfix'));
sdiag_print_transcript($e->getTranscript());
unset($c);

// The client sent a TLS ClientHello (a handshake record, TLS 1.x) and nothing after it.
$received = $srv->received();
var_dump(substr($received, 0, 2) === "\x16\x03", substr_count($received, 'EHLO'), str_ends_with($received, "--- CLOSED ---\n"));
var_dump($srv->exitCode());
?>
--EXPECTF--
SmtpDiag\TlsException: the server answered the TLS handshake in plaintext SMTP ("220 plain.test.example ESMTP Postfix"): this port does not speak TLS from the first byte
category: tls_error
phase: tls
code: NULL
enhanced: NULL
transient: false
hint: Use encryption "starttls" (usually port 587) or "auto" for this port; implicit TLS (smtps://) belongs on port 465.
elapsed: in range
bool(true)
bool(false)
NULL
bool(true)
bool(true)
info connecting to 127.0.0.1:%d (encryption implicit)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port %d
info connected to 127.0.0.1 port %d from 127.0.0.1 port %d
info starting TLS (implicit)
info error: tls_error: the server answered the TLS handshake in plaintext SMTP ("220 plain.test.example ESMTP Postfix"): this port does not speak TLS from the first byte
bool(true)
int(0)
bool(true)
int(0)
