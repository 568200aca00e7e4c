--TEST--
sendMany() with PIPELINING: each envelope follows the previous message's end-of-data in the same write, before its final reply (the server reads MAIL/RCPT/DATA of message n+1 before it answers message n); results in order, one SendResult per message, on one connection
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$messages = [];
foreach ([1, 2, 3] as $n) {
    $messages[] = ['from' => 'news@example.com', 'to' => "reader$n@example.net", 'message' => "Subject: issue $n\r\n\r\nIssue $n.\r\n"];
}

$steps = sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES');
array_push($steps,
    ['expect', "MAIL FROM:<news@example.com>\r\n"], ['expect', "RCPT TO:<reader1@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    // no reply to message 1 yet: the next envelope must already be here
    ['expect', "MAIL FROM:<news@example.com>\r\n"], ['expect', "RCPT TO:<reader2@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.0.0 Ok: queued as Q1\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['expect', "MAIL FROM:<news@example.com>\r\n"], ['expect', "RCPT TO:<reader3@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.0.0 Ok: queued as Q2\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['send', "250 2.0.0 Ok: queued as Q3\r\n"],
    ['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]);
// a client that waited for a final reply before the next envelope would make the server time out
$srv = SmtpTestServer::start($steps, ['timeout' => 3]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$results = $c->sendMany($messages);
var_dump(array_keys($results));
foreach ($results as $i => $r) {
    if ($r instanceof SmtpDiag\SendResult) {
        echo "$i: {$r->queueId} {$r->accepted[0]['address']} size {$r->size} attempts {$r->attempts}", $i === 0 ? ($r->timings['connect_ms'] > 0 ? ' (connected)' : ' (no connect time)') : '', "\n";
    } else {
        echo "$i: ", get_class($r), ': ', $r->getMessage(), "\n";
    }
}
var_dump($c->isConnected());
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(1)
  [2]=>
  int(2)
}
0: Q1 reader1@example.net size 30 attempts 1 (connected)
1: Q2 reader2@example.net size 30 attempts 1
2: Q3 reader3@example.net size 30 attempts 1
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader1@example.net>\r\n
DATA\r\n
Subject: issue 1\r\n
\r\n
Issue 1.\r\n
.\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader2@example.net>\r\n
DATA\r\n
Subject: issue 2\r\n
\r\n
Issue 2.\r\n
.\r\n
MAIL FROM:<news@example.com>\r\n
RCPT TO:<reader3@example.net>\r\n
DATA\r\n
Subject: issue 3\r\n
\r\n
Issue 3.\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
