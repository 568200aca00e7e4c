--TEST--
send() with some recipients rejected: by default nothing is sent, RSET, RecipientException listing each rejected address with its reply; with partial=true the message goes to the accepted ones and SendResult->rejected lists the others; the connection stays usable
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: team\r\n\r\nhello all\r\n";
$to = ['ann@example.net', 'bad@example.net', 'cat@example.net', 'full@example.net'];
$rcpts = [
    ['expect', "RCPT TO:<ann@example.net>\r\n"],
    ['expect', "RCPT TO:<bad@example.net>\r\n"],
    ['expect', "RCPT TO:<cat@example.net>\r\n"],
    ['expect', "RCPT TO:<full@example.net>\r\n"],
];
$replies = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown in local recipient table\r\n"
    . "250 2.1.5 Ok\r\n452 4.2.2 <full@example.net>: Mailbox full, try again later\r\n";

$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES'),
    // 1: default: RSET after the replies, no DATA
    [['expect', "MAIL FROM:<boss@example.com>\r\n"]], $rcpts,
    [['send', $replies], ['expect', "RSET\r\n"], ['send', "250 2.0.0 Ok\r\n"]],
    // 2: partial: DATA is pipelined with the envelope
    [['expect', "MAIL FROM:<boss@example.com>\r\n"]], $rcpts,
    [['expect', "DATA\r\n"], ['send', $replies . "354 End data with <CR><LF>.<CR><LF>\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as PART1\r\n"]],
    // 3: an ordinary send on the same connection afterwards: no RSET in between
    [['expect', "MAIL FROM:<boss@example.com>\r\n"], ['expect', "RCPT TO:<ann@example.net>\r\n"], ['expect', "DATA\r\n"],
     ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as AFTER\r\n"]],
    [['expect', "QUIT\r\n"], ['send', "221 2.0.0 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);

echo "=== default\n";
$e = sdiag_expect_throw(fn () => $c->send('boss@example.com', $to, $msg));
var_dump($e instanceof SmtpDiag\RecipientException, $c->isConnected());
echo sdiag_dialogue($c);

echo "=== partial\n";
$r = $c->send('boss@example.com', $to, $msg, ['partial' => true]);
sdiag_print_result($r);
echo sdiag_dialogue($c);

echo "=== afterwards\n";
$r = $c->send('boss@example.com', 'ann@example.net', $msg);
echo $r->queueId, "\n";
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
=== default
SmtpDiag\RecipientException: 2 of 4 recipients were rejected; nothing was sent (set partial to deliver to the accepted ones): <bad@example.net> 550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown in local recipient table; <full@example.net> 452 4.2.2 <full@example.net>: Mailbox full, try again later
category: mailbox_unavailable
phase: rcpt
code: 550
enhanced: '5.1.1'
transient: false
hint: The recipient mailbox does not exist or does not accept mail: check the address.
bool(true)
bool(true)
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-PIPELINING
<-  250 ENHANCEDSTATUSCODES
 -> MAIL FROM:<boss@example.com>
 -> RCPT TO:<ann@example.net>
 -> RCPT TO:<bad@example.net>
 -> RCPT TO:<cat@example.net>
 -> RCPT TO:<full@example.net>
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown in local recipient table
<-  250 2.1.5 Ok
<-  452 4.2.2 <full@example.net>: Mailbox full, try again later
 -> RSET
<-  250 2.0.0 Ok
=== partial
accepted:
  {"address":"ann@example.net","code":250,"enhanced":"2.1.5","reply":"2.1.5 Ok"}
  {"address":"cat@example.net","code":250,"enhanced":"2.1.5","reply":"2.1.5 Ok"}
rejected:
  {"address":"bad@example.net","code":550,"enhanced":"5.1.1","reply":"5.1.1 <bad@example.net>: Recipient address rejected: User unknown in local recipient table"}
  {"address":"full@example.net","code":452,"enhanced":"4.2.2","reply":"4.2.2 <full@example.net>: Mailbox full, try again later"}
code: 250
enhancedStatus: '2.0.0'
reply: '2.0.0 Ok: queued as PART1'
queueId: 'PART1'
size: 28
attempts: 1
timings: connect_ms,envelope_ms,data_ms,total_ms ok
 -> MAIL FROM:<boss@example.com>
 -> RCPT TO:<ann@example.net>
 -> RCPT TO:<bad@example.net>
 -> RCPT TO:<cat@example.net>
 -> RCPT TO:<full@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
<-  550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown in local recipient table
<-  250 2.1.5 Ok
<-  452 4.2.2 <full@example.net>: Mailbox full, try again later
<-  354 End data with <CR><LF>.<CR><LF>
=== message: 28 bytes
 -> .
<-  250 2.0.0 Ok: queued as PART1
=== afterwards
AFTER
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<boss@example.com>\r\n
RCPT TO:<ann@example.net>\r\n
RCPT TO:<bad@example.net>\r\n
RCPT TO:<cat@example.net>\r\n
RCPT TO:<full@example.net>\r\n
RSET\r\n
MAIL FROM:<boss@example.com>\r\n
RCPT TO:<ann@example.net>\r\n
RCPT TO:<bad@example.net>\r\n
RCPT TO:<cat@example.net>\r\n
RCPT TO:<full@example.net>\r\n
DATA\r\n
Subject: team\r\n
\r\n
hello all\r\n
.\r\n
MAIL FROM:<boss@example.com>\r\n
RCPT TO:<ann@example.net>\r\n
DATA\r\n
Subject: team\r\n
\r\n
hello all\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
