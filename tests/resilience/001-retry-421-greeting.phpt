--TEST--
Retries: send() whose first connection gets a 421 greeting is retried on a new connection after a short backoff and succeeds: SendResult attempts 2, the transcript names the failed attempt and the delay, the message is sent exactly once
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [
    [['send', "421 4.3.2 mx.test.example busy, try again later\r\n"], ['expect', "QUIT\r\n"]],
    array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), sdiag_accept_txn('s@example.com', 'r@example.net', 'Q2'), sdiag_quit_steps()),
]]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'retries' => 2, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$r = $c->send('s@example.com', 'r@example.net', "Subject: retry\r\n\r\nonce\r\n");
var_dump($r->attempts, $r->queueId, $r->code);
echo sdiag_transcript_normalised($c->getTranscript());
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
int(2)
string(2) "Q2"
int(250)
info connecting to 127.0.0.1:PORT (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port PORT
info connected to 127.0.0.1 port PORT from 127.0.0.1 port PORT
server 421 4.3.2 mx.test.example busy, try again later
info error: service_unavailable: the server refused the session in its greeting: 421 4.3.2 mx.test.example busy, try again later
client QUIT
info attempt 1 failed (service_unavailable): retrying in %d ms
info connecting to 127.0.0.1:PORT (encryption none)
info 127.0.0.1 resolves to 127.0.0.1
info trying 127.0.0.1 port PORT
info connected to 127.0.0.1 port PORT from 127.0.0.1 port PORT
server 220 mx.test.example ESMTP
client EHLO [127.0.0.1]
server 250-test.example greets you
server 250-PIPELINING
server 250 ENHANCEDSTATUSCODES
client MAIL FROM:<s@example.com>
client RCPT TO:<r@example.net>
client DATA
server 250 2.1.0 Ok
server 250 2.1.5 Ok
server 354 End data with <CR><LF>.<CR><LF>
info message: 24 bytes
client .
server 250 2.0.0 Ok: queued as Q2
--- server received ---
QUIT\r\n
--- CLOSED ---
--- CONNECTION 2 ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: retry\r\n
\r\n
once\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
