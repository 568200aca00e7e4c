--TEST--
max_per_connection: sendMany() of 5 messages with max_per_connection=2 uses 3 connections (2 + 2 + 1 messages), saying QUIT before each reconnection, each batch pipelined on its connection; the transcript says why it reconnected; three send() calls with the alias restart_threshold=2 use 2 connections
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

/** Two pipelined messages on one connection: message b's envelope follows a's end of data. */
function two(int $a, int $b): array
{
    return [
        ['expect', "MAIL FROM:<news@example.com>\r\n"], ['expect', "RCPT TO:<reader$a@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['expect', "MAIL FROM:<news@example.com>\r\n"], ['expect', "RCPT TO:<reader$b@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.0.0 Ok: queued as Q$a\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['send', "250 2.0.0 Ok: queued as Q$b\r\n"],
    ];
}

$start = sdiag_session_start('PIPELINING');
$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [
    array_merge($start, two(1, 2), sdiag_quit_steps()),
    array_merge($start, two(3, 4), sdiag_quit_steps()),
    array_merge($start, sdiag_accept_txn('news@example.com', 'reader5@example.net', 'Q5'), sdiag_quit_steps()),
]]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'max_per_connection' => 2]);
$jobs = [];
for ($i = 1; $i <= 5; $i++) {
    $jobs[] = ['from' => 'news@example.com', 'to' => "reader$i@example.net", 'message' => "Subject: $i\r\n\r\nissue $i\r\n"];
}
foreach ($c->sendMany($jobs) as $i => $r) {
    echo $i, ': ', $r instanceof SmtpDiag\SendResult ? "queued as {$r->queueId}" : get_class($r) . ': ' . $r->getMessage(), "\n";
}
// the transcript covers the last batch: it starts with the reconnection
echo sdiag_transcript_normalised(array_slice($c->getTranscript(), 0, 4));
var_dump($c->isConnected());
$c->quit();
unset($c);
$record = $srv->received();
echo 'connections: ', 1 + preg_match_all('/^--- CONNECTION \d+ ---$/m', $record), "\n";
echo "--- server received ---\n", sdiag_show_lines($record), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== send() three times, restart_threshold 2\n";
$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [
    array_merge($start, sdiag_accept_txn('news@example.com', 'reader1@example.net', 'S1'), sdiag_accept_txn('news@example.com', 'reader2@example.net', 'S2'), sdiag_quit_steps()),
    array_merge($start, sdiag_accept_txn('news@example.com', 'reader3@example.net', 'S3'), sdiag_quit_steps()),
]]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'restart_threshold' => 2]);
foreach ($jobs as $i => $job) {
    if ($i < 3) {
        echo $c->send($job['from'], $job['to'], $job['message'])->queueId, "\n";
    }
}
$c->quit();
unset($c);
$record = $srv->received();
echo 'connections: ', 1 + preg_match_all('/^--- CONNECTION \d+ ---$/m', $record), ', QUIT before the reconnection: ',
    var_export(str_contains($record, "QUIT\r\n--- CLOSED ---\n--- CONNECTION 2 ---\n"), true), "\n";
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
0: queued as Q1
1: queued as Q2
2: queued as Q3
3: queued as Q4
4: queued as Q5
info 2 messages sent on this connection (max_per_connection): reconnecting
client QUIT
server 221 2.0.0 Bye
info connecting to 127.0.0.1:PORT (encryption none)
bool(true)
connections: 3
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader1@example.net>\r\n
DATA\r\n
Subject: 1\r\n
\r\n
issue 1\r\n
.\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader2@example.net>\r\n
DATA\r\n
Subject: 2\r\n
\r\n
issue 2\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- CONNECTION 2 ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader3@example.net>\r\n
DATA\r\n
Subject: 3\r\n
\r\n
issue 3\r\n
.\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader4@example.net>\r\n
DATA\r\n
Subject: 4\r\n
\r\n
issue 4\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- CONNECTION 3 ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader5@example.net>\r\n
DATA\r\n
Subject: 5\r\n
\r\n
issue 5\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== send() three times, restart_threshold 2
S1
S2
S3
connections: 2, QUIT before the reconnection: true
--- exit 0 ---
