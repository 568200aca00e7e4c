--TEST--
Retries: a 451 to the end of data on every attempt (retries=2): the message is sent 3 times on the reused connection, then a transient MessageException whose transcript holds all three attempts
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$txn = [
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['send', "451 4.3.0 Error: queue file write error\r\n"],
];
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), $txn, $txn, $txn, sdiag_quit_steps()), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'retries' => 2, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$e = sdiag_expect_throw(fn () => $c->send('s@example.com', 'r@example.net', "Subject: x\r\n\r\nhi\r\n"));
var_dump($e instanceof SmtpDiag\MessageException);
var_dump($e->getTranscript() === $c->getTranscript());
echo sdiag_transcript_normalised($e->getTranscript());
var_dump($c->isConnected());
$c->quit();
unset($c, $e);
$record = $srv->received();
echo 'MAIL FROM received: ', sdiag_count_lines($record, 'MAIL FROM:<s@example.com>'), "\n";
echo "--- server received ---\n", sdiag_show_lines($record), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
SmtpDiag\MessageException: the message was refused: 451 4.3.0 Error: queue file write error
category: %s
phase: data
code: 451
enhanced: '4.3.0'
transient: true
hint: %s
bool(true)
bool(true)
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
server 354 go
info message: 18 bytes
client .
server 451 4.3.0 Error: queue file write error
info attempt 1 failed (%s): retrying in %d ms
client MAIL FROM:<s@example.com>
client RCPT TO:<r@example.net>
client DATA
server 250 2.1.0 Ok
server 250 2.1.5 Ok
server 354 go
info message: 18 bytes
client .
server 451 4.3.0 Error: queue file write error
info attempt 2 failed (%s): retrying in %d ms
client MAIL FROM:<s@example.com>
client RCPT TO:<r@example.net>
client DATA
server 250 2.1.0 Ok
server 250 2.1.5 Ok
server 354 go
info message: 18 bytes
client .
server 451 4.3.0 Error: queue file write error
bool(true)
MAIL FROM received: 3
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
hi\r\n
.\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
hi\r\n
.\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
hi\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
