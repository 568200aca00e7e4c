--TEST--
sendMany(): a generator as input; a message whose recipients are all rejected gets its RecipientException in its slot (RSET, then the next envelope) while the others succeed; an empty batch sends nothing
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

function items(): Generator
{
    yield ['from' => 's@example.com', 'to' => 'one@example.net', 'message' => "Subject: 1\r\n\r\none\r\n"];
    yield 'key is ignored' => ['from' => 's@example.com', 'to' => ['gone@example.net', 'lost@example.net'], 'message' => "Subject: 2\r\n\r\ntwo\r\n"];
    yield ['to' => ['three@example.net'], 'message' => "Subject: 3\r\n\r\nthree\r\n", 'from' => 's@example.com'];
}

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'), [
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<one@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<gone@example.net>\r\n"], ['expect', "RCPT TO:<lost@example.net>\r\n"],
    ['send', "250 2.0.0 Ok: queued as ONE\r\n250 2.1.0 Ok\r\n550 5.1.1 <gone@example.net>: User unknown\r\n550 5.1.1 <lost@example.net>: User unknown\r\n"],
    ['expect', "RSET\r\n"],
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<three@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.0.0 Ok\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
    ['expect_data'],
    ['send', "250 2.0.0 Ok: queued as THREE\r\n"],
    ['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"],
]), ['timeout' => 3]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);

echo "=== generator, one message rejected\n";
$results = $c->sendMany(items());
var_dump(array_keys($results));
foreach ($results as $i => $r) {
    if ($r instanceof SmtpDiag\SendResult) {
        echo "$i: SendResult {$r->queueId}\n";
    } else {
        echo "$i: ", get_class($r), ': ', $r->getMessage(), "\n   ", $r->getCategory(), ' ', $r->getSmtpCode(), "\n";
    }
}
var_dump($c->isConnected());

var_dump($c->sendMany([]));
var_dump($c->isConnected());
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
=== generator, one message rejected
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(1)
  [2]=>
  int(2)
}
0: SendResult ONE
1: SmtpDiag\RecipientException: 2 of 2 recipients were rejected: <gone@example.net> 550 5.1.1 <gone@example.net>: User unknown; <lost@example.net> 550 5.1.1 <lost@example.net>: User unknown
   mailbox_unavailable 550
2: SendResult THREE
bool(true)
array(0) {
}
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<one@example.net>\r\n
DATA\r\n
Subject: 1\r\n
\r\n
one\r\n
.\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<gone@example.net>\r\n
RCPT TO:<lost@example.net>\r\n
RSET\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<three@example.net>\r\n
DATA\r\n
Subject: 3\r\n
\r\n
three\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
