--TEST--
Retries: the connection drops right after the final dot (retries=3): the delivery state is unknown, so the message is not sent again; a working second connection is offered and never used: exactly one DATA over all connections
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [
    array_merge(sdiag_session_start('PIPELINING'), [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['close'],
    ]),
    // what a (wrong) retry would find: a server that accepts the message
    array_merge(sdiag_session_start('PIPELINING'), sdiag_accept_txn('s@example.com', 'r@example.net', 'DUPLICATE'), sdiag_quit_steps()),
]]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'retries' => 3, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$e = sdiag_expect_throw(fn () => $c->send('s@example.com', 'r@example.net', "Subject: once\r\n\r\nonly once\r\n"));
var_dump($e instanceof SmtpDiag\ConnectionException);
var_dump(str_contains((string)$e?->getMessage(), 'delivery state unknown'));
echo 'attempt lines: ', sdiag_count_entries($e->getTranscript(), '/^attempt /'), "\n";
echo 'connections in the transcript: ', sdiag_count_entries($e->getTranscript(), '/^connecting to /'), "\n";
var_dump($c->isConnected());
unset($c, $e);
// the second connection is never made: stop the server instead of waiting for it
$srv->stop();
$record = $srv->received();
echo 'DATA received: ', sdiag_count_lines($record, 'DATA'), "\n";
echo "--- server received ---\n", sdiag_show_lines($record), "--- end ---\n";
?>
--EXPECTF--
SmtpDiag\ConnectionException: the server closed the connection while waiting for a reply (delivery state unknown: the end of data was sent but not answered; not sent again)
category: connection_lost
phase: data
code: NULL
enhanced: NULL
transient: false
hint: The end of the message was sent but never answered: %s
bool(true)
bool(true)
attempt lines: 0
connections in the transcript: 1
bool(false)
DATA received: 1
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: once\r\n
\r\n
only once\r\n
.\r\n
--- end ---
