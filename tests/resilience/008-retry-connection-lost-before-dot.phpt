--TEST--
Retries: a connection dropped before the end of data (the server closes after DATA, before 354) is retried on a new connection (retries=2), since nothing was delivered: SendResult attempts 2, the message arrives once, on the second connection
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [
    array_merge(sdiag_session_start('PIPELINING'), [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"], ['close'],
    ]),
    array_merge(sdiag_session_start('PIPELINING'), sdiag_accept_txn('s@example.com', 'r@example.net', 'SECOND'), sdiag_quit_steps()),
]]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'retries' => 2, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$r = $c->send('s@example.com', 'r@example.net', "Subject: x\r\n\r\nhi\r\n");
echo "queued as {$r->queueId}, attempts {$r->attempts}\n";
foreach ($c->getTranscript() as $e) {
    if (preg_match('/^(attempt|error:)/', $e['text'])) {
        echo preg_replace('/\d+ ms$/', 'N ms', $e['text']), "\n";
    }
}
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
queued as SECOND, attempts 2
error: connection_lost: the server closed the connection while waiting for a reply
attempt 1 failed (connection_lost): retrying in N ms
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
--- CONNECTION 2 ---
EHLO [127.0.0.1]\r\n
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
