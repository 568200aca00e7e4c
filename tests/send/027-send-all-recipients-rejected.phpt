--TEST--
send() with every recipient rejected: RecipientException listing them, RSET, connection still usable; also when DATA was pipelined (one recipient, or partial=true) and the server answers it 554 (no valid recipients)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: x\r\n\r\nbody\r\n";
$r550x = "550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table\r\n";
$r550y = "550 5.1.1 <y@example.net>: Recipient address rejected: User unknown in local recipient table\r\n";
$rcpts = [['expect', "RCPT TO:<x@example.net>\r\n"], ['expect', "RCPT TO:<y@example.net>\r\n"]];
$after = [
    ['expect', "RSET\r\n"], ['send', "250 2.0.0 Ok\r\n"],
    ['expect', "QUIT\r\n"], ['send', "221 2.0.0 Bye\r\n"],
];

function run_case(string $title, array $ehlo, array $steps, $to, array $options = []): void
{
    echo "=== $title\n";
    $srv = SmtpTestServer::start(array_merge(sdiag_session_start(...$ehlo), $steps), ['timeout' => 5]);
    $c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 2]);
    $t = microtime(true);
    $e = sdiag_expect_throw(fn () => $c->send('from@example.com', $to, "Subject: x\r\n\r\nbody\r\n", $options));
    var_dump($e instanceof SmtpDiag\RecipientException, $c->isConnected());
    sdiag_check_elapsed('time', microtime(true) - $t, 0.0, 1.5);
    echo sdiag_dialogue($c);
    $c->quit();
    unset($c);
    echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n";
}

run_case('one recipient, PIPELINING: DATA pipelined and refused', ['PIPELINING', 'ENHANCEDSTATUSCODES'], array_merge(
    [['expect', "MAIL FROM:<from@example.com>\r\n"], ['expect', "RCPT TO:<x@example.net>\r\n"], ['expect', "DATA\r\n"],
     ['send', "250 2.1.0 Ok\r\n" . $r550x . "554 5.5.1 Error: no valid recipients\r\n"]],
    $after,
), 'x@example.net');

run_case('two recipients, partial, PIPELINING: DATA pipelined and refused', ['PIPELINING', 'ENHANCEDSTATUSCODES'], array_merge(
    [['expect', "MAIL FROM:<from@example.com>\r\n"]], $rcpts, [['expect', "DATA\r\n"],
     ['send', "250 2.1.0 Ok\r\n" . $r550x . $r550y . "554 5.5.1 Error: no valid recipients\r\n"]],
    $after,
), ['x@example.net', 'y@example.net'], ['partial' => true]);

run_case('two recipients, PIPELINING: no DATA', ['PIPELINING', 'ENHANCEDSTATUSCODES'], array_merge(
    [['expect', "MAIL FROM:<from@example.com>\r\n"]], $rcpts,
    [['send', "250 2.1.0 Ok\r\n" . $r550x . $r550y]],
    $after,
), ['x@example.net', 'y@example.net']);

run_case('two recipients, no PIPELINING', ['ENHANCEDSTATUSCODES'], array_merge(
    [['expect', "MAIL FROM:<from@example.com>\r\n"], ['send', "250 2.1.0 Ok\r\n"],
     ['expect', "RCPT TO:<x@example.net>\r\n"], ['send', $r550x], ['expect', "RCPT TO:<y@example.net>\r\n"], ['send', $r550y]],
    $after,
), ['x@example.net', 'y@example.net'], ['partial' => true]);
?>
--EXPECT--
=== one recipient, PIPELINING: DATA pipelined and refused
SmtpDiag\RecipientException: 1 of 1 recipients were rejected: <x@example.net> 550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table
category: mailbox_unavailable
phase: rcpt
code: 550
enhanced: '5.1.1'
transient: false
hint: The recipient mailbox does not exist or does not accept mail: check the address.
bool(true)
bool(true)
time: in range
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-PIPELINING
<-  250 ENHANCEDSTATUSCODES
 -> MAIL FROM:<from@example.com>
 -> RCPT TO:<x@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table
<-  554 5.5.1 Error: no valid recipients
 -> RSET
<-  250 2.0.0 Ok
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<from@example.com>\r\n
RCPT TO:<x@example.net>\r\n
DATA\r\n
RSET\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== two recipients, partial, PIPELINING: DATA pipelined and refused
SmtpDiag\RecipientException: 2 of 2 recipients were rejected: <x@example.net> 550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table; <y@example.net> 550 5.1.1 <y@example.net>: Recipient address rejected: User unknown in local recipient table
category: mailbox_unavailable
phase: rcpt
code: 550
enhanced: '5.1.1'
transient: false
hint: The recipient mailbox does not exist or does not accept mail: check the address.
bool(true)
bool(true)
time: in range
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-PIPELINING
<-  250 ENHANCEDSTATUSCODES
 -> MAIL FROM:<from@example.com>
 -> RCPT TO:<x@example.net>
 -> RCPT TO:<y@example.net>
 -> DATA
<-  250 2.1.0 Ok
<-  550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table
<-  550 5.1.1 <y@example.net>: Recipient address rejected: User unknown in local recipient table
<-  554 5.5.1 Error: no valid recipients
 -> RSET
<-  250 2.0.0 Ok
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<from@example.com>\r\n
RCPT TO:<x@example.net>\r\n
RCPT TO:<y@example.net>\r\n
DATA\r\n
RSET\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== two recipients, PIPELINING: no DATA
SmtpDiag\RecipientException: 2 of 2 recipients were rejected: <x@example.net> 550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table; <y@example.net> 550 5.1.1 <y@example.net>: Recipient address rejected: User unknown in local recipient table
category: mailbox_unavailable
phase: rcpt
code: 550
enhanced: '5.1.1'
transient: false
hint: The recipient mailbox does not exist or does not accept mail: check the address.
bool(true)
bool(true)
time: in range
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-PIPELINING
<-  250 ENHANCEDSTATUSCODES
 -> MAIL FROM:<from@example.com>
 -> RCPT TO:<x@example.net>
 -> RCPT TO:<y@example.net>
<-  250 2.1.0 Ok
<-  550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table
<-  550 5.1.1 <y@example.net>: Recipient address rejected: User unknown in local recipient table
 -> RSET
<-  250 2.0.0 Ok
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<from@example.com>\r\n
RCPT TO:<x@example.net>\r\n
RCPT TO:<y@example.net>\r\n
RSET\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== two recipients, no PIPELINING
SmtpDiag\RecipientException: 2 of 2 recipients were rejected: <x@example.net> 550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table; <y@example.net> 550 5.1.1 <y@example.net>: Recipient address rejected: User unknown in local recipient table
category: mailbox_unavailable
phase: rcpt
code: 550
enhanced: '5.1.1'
transient: false
hint: The recipient mailbox does not exist or does not accept mail: check the address.
bool(true)
bool(true)
time: in range
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250 ENHANCEDSTATUSCODES
 -> MAIL FROM:<from@example.com>
<-  250 2.1.0 Ok
 -> RCPT TO:<x@example.net>
<-  550 5.1.1 <x@example.net>: Recipient address rejected: User unknown in local recipient table
 -> RCPT TO:<y@example.net>
<-  550 5.1.1 <y@example.net>: Recipient address rejected: User unknown in local recipient table
 -> RSET
<-  250 2.0.0 Ok
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<from@example.com>\r\n
RCPT TO:<x@example.net>\r\n
RCPT TO:<y@example.net>\r\n
RSET\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---