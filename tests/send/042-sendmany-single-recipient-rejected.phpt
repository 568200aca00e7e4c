--TEST--
sendMany() with PIPELINING where a one-recipient message is rejected at RCPT (its DATA was pipelined and is answered 554): that slot holds a RecipientException, RSET follows, the next message is still sent
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$m = fn (string $to, string $s) => ['from' => 's@example.com', 'to' => $to, 'message' => "Subject: $s\r\n\r\n$s\r\n"];
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), [
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<one@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<nobody@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.0.0 Ok: queued as ONE\r\n250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown\r\n554 5.5.1 Error: no valid recipients\r\n"],
    ['expect', "RSET\r\n"],
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<three@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.0.0 Ok\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['send', "250 2.0.0 Ok: queued as THREE\r\n"],
    ['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"],
]), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 2]);
$results = $c->sendMany([$m('one@example.net', 'one'), $m('nobody@example.net', 'two'), $m('three@example.net', 'three')]);
foreach ($results as $i => $r) {
    echo $i, ': ', $r instanceof SmtpDiag\SendResult ? "SendResult {$r->queueId}" : get_class($r) . ': ' . $r->getMessage(), "\n";
}
var_dump($c->isConnected());
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
0: SendResult ONE
1: SmtpDiag\RecipientException: 1 of 1 recipients were rejected: <nobody@example.net> 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown
2: SendResult THREE
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<one@example.net>\r\n
DATA\r\n
Subject: one\r\n
\r\n
one\r\n
.\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<nobody@example.net>\r\n
DATA\r\n
RSET\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<three@example.net>\r\n
DATA\r\n
Subject: three\r\n
\r\n
three\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
