--TEST--
Retries: sendMany() honours retries too: a 421 greeting on the first connection (retries=2) is retried on a new connection, and both messages are sent with attempts 2 instead of failing with the connection's error
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/resilience.inc';

$srv = SmtpTestServer::start([], ['timeout' => 2, 'steps_per_connection' => [
    [['send', "421 4.3.2 mx.test.example busy, try again later\r\n"], ['expect', "QUIT\r\n"]],
    array_merge(sdiag_session_start('PIPELINING'), [
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<a@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'],
        ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<b@example.net>\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.0.0 Ok: queued as A\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'],
        ['send', "250 2.0.0 Ok: queued as B\r\n"],
    ], sdiag_quit_steps()),
]]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'retries' => 2, 'retry_base_ms' => 10, 'retry_max_ms' => 20]);
$results = $c->sendMany([
    ['from' => 's@example.com', 'to' => 'a@example.net', 'message' => "Subject: a\r\n\r\na\r\n"],
    ['from' => 's@example.com', 'to' => 'b@example.net', 'message' => "Subject: b\r\n\r\nb\r\n"],
]);
foreach ($results as $i => $r) {
    echo $i, ': ', $r instanceof SmtpDiag\SendResult ? "queued as {$r->queueId}, attempts {$r->attempts}" : get_class($r) . ': ' . $r->getMessage(), "\n";
}
$c->quit();
unset($c, $results);
$record = $srv->received();
echo 'connections: ', 1 + preg_match_all('/^--- CONNECTION \d+ ---$/m', $record), ', messages received: ', sdiag_count_lines($record, 'DATA'), "\n";
echo '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
0: queued as A, attempts 2
1: queued as B, attempts 2
connections: 2, messages received: 2
--- exit 0 ---
