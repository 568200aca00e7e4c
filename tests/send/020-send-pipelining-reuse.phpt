--TEST--
send() with PIPELINING: connects (and authenticates) on first use; MAIL, RCPT and DATA of a one-recipient message go in one group, read by the server before any reply; the connection is reused for the next send() (no second EHLO, no RSET between successful transactions)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

const PASS = 'hunter2-hunter2';
$msg1 = "Subject: one\r\n\r\nfirst\r\n";
$msg2 = "Subject: two\r\n\r\nsecond\r\n";

// Every command of a group is expected before the first reply is sent: a
// client that waited for a reply in between would make the server time out.
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING', 'AUTH PLAIN', 'ENHANCEDSTATUSCODES'), [
    ['expect', 'AUTH PLAIN ' . base64_encode("\0grace\0" . PASS) . "\r\n"],
    ['send', "235 2.7.0 Authentication successful\r\n"],
    ['expect', "MAIL FROM:<grace@example.com>\r\n"],
    ['expect', "RCPT TO:<heidi@example.net>\r\n"],
    ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"],
    ['expect_data'],
    ['send', "250 2.0.0 Ok: queued as 4Xk1Lm0abc\r\n"],
    // second message, two recipients: DATA waits for the RCPT replies
    ['expect', "MAIL FROM:<grace@example.com>\r\n"],
    ['expect', "RCPT TO:<ivan@example.net>\r\n"],
    ['expect', "RCPT TO:<judy@example.org>\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n"],
    ['expect', "DATA\r\n"],
    ['send', "354 End data with <CR><LF>.<CR><LF>\r\n"],
    ['expect_data'],
    ['send', "250 2.0.0 Ok: queued as 4Xk1Ln1def\r\n"],
    ['expect', "QUIT\r\n"],
    ['send', "221 2.0.0 Bye\r\n"],
]), ['timeout' => 5]);

$c = new SmtpDiag\Client($srv->dsn(), ['username' => 'grace', 'password' => PASS, 'allow_plaintext_auth' => true, 'encryption' => 'none', 'timeout' => 5]);
var_dump($c->isConnected());

echo "=== first send\n";
$r = $c->send('grace@example.com', 'heidi@example.net', $msg1);
sdiag_print_result($r);
var_dump($r->timings['connect_ms'] > 0.0, $c->isConnected());
echo sdiag_dialogue($c);

echo "=== second send on the same connection\n";
$r = $c->send('grace@example.com', ['ivan@example.net', 'judy@example.org'], $msg2);
sdiag_print_result($r);
var_dump($r->timings['connect_ms']);
echo sdiag_dialogue($c);

$c->quit();
ob_start();
var_dump($c);
$dump = ob_get_clean();
var_dump(str_contains($dump . $c->getTranscriptText(), PASS));
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
bool(false)
=== first send
accepted:
  {"address":"heidi@example.net","code":250,"enhanced":"2.1.5","reply":"2.1.5 Ok"}
rejected:
code: 250
enhancedStatus: '2.0.0'
reply: '2.0.0 Ok: queued as 4Xk1Lm0abc'
queueId: '4Xk1Lm0abc'
size: 23
attempts: 1
timings: connect_ms,envelope_ms,data_ms,total_ms ok
bool(true)
bool(true)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-PIPELINING
<-  250-AUTH PLAIN
<-  250 ENHANCEDSTATUSCODES
=== AUTH: the server offers PLAIN; using PLAIN (%s)
 -> AUTH PLAIN [redacted]
<-  235 2.7.0 Authentication successful
 -> MAIL FROM:<grace@example.com>
 -> RCPT TO:<heidi@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  354 End data with <CR><LF>.<CR><LF>
=== message: 23 bytes
 -> .
<-  250 2.0.0 Ok: queued as 4Xk1Lm0abc
=== second send on the same connection
accepted:
  {"address":"ivan@example.net","code":250,"enhanced":"2.1.5","reply":"2.1.5 Ok"}
  {"address":"judy@example.org","code":250,"enhanced":"2.1.5","reply":"2.1.5 Ok"}
rejected:
code: 250
enhancedStatus: '2.0.0'
reply: '2.0.0 Ok: queued as 4Xk1Ln1def'
queueId: '4Xk1Ln1def'
size: 24
attempts: 1
timings: connect_ms,envelope_ms,data_ms,total_ms ok
float(0)
 -> MAIL FROM:<grace@example.com>
 -> RCPT TO:<ivan@example.net>
 -> RCPT TO:<judy@example.org>
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  250 2.1.5 Ok
 -> DATA
<-  354 End data with <CR><LF>.<CR><LF>
=== message: 24 bytes
 -> .
<-  250 2.0.0 Ok: queued as 4Xk1Ln1def
bool(false)
--- server received ---
EHLO [127.0.0.1]\r\n
AUTH PLAIN AGdyYWNlAGh1bnRlcjItaHVudGVyMg==\r\n
MAIL FROM:<grace@example.com>\r\n
RCPT TO:<heidi@example.net>\r\n
DATA\r\n
Subject: one\r\n
\r\n
first\r\n
.\r\n
MAIL FROM:<grace@example.com>\r\n
RCPT TO:<ivan@example.net>\r\n
RCPT TO:<judy@example.org>\r\n
DATA\r\n
Subject: two\r\n
\r\n
second\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
