--TEST--
send() without PIPELINING (not offered, or the pipelining option off): one command at a time, each reply awaited; a rejected MAIL FROM is never followed by RCPT
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: lock-step\r\n\r\nhello\r\n";

/** Client and server lines of the transcript, checking that they strictly alternate. */
function lockstep(SmtpDiag\Client $c): void
{
    $last = null;
    foreach ($c->getTranscript() as $e) {
        if ($e['dir'] === 'info') {
            continue;
        }
        if ($e['dir'] === 'client' && $last === 'client') {
            echo "PIPELINED: {$e['text']}\n";
        }
        $last = $e['dir'];
    }
}

foreach ([
    'not offered' => [sdiag_session_start('SIZE 1000000', '8BITMIME'), []],
    'pipelining option off' => [sdiag_session_start('PIPELINING', 'SIZE 1000000'), ['pipelining' => false]],
] as $title => [$start, $options]) {
    echo "=== $title\n";
    $srv = SmtpTestServer::start(array_merge($start, [
        ['expect', "MAIL FROM:<kim@example.com> SIZE=29\r\n"],
        ['send', "250 2.1.0 Ok\r\n"],
        ['expect', "RCPT TO:<leo@example.net>\r\n"],
        ['send', "250 2.1.5 Ok\r\n"],
        ['expect', "RCPT TO:<mia@example.net>\r\n"],
        ['send', "250 2.1.5 Ok\r\n"],
        ['expect', "DATA\r\n"],
        ['send', "354 go ahead\r\n"],
        ['expect_data'],
        ['send', "250 2.0.0 Ok: queued as AAA111\r\n"],
        // second transaction: the sender is refused, RCPT must not follow
        ['expect', "MAIL FROM:<spam@example.com> SIZE=29\r\n"],
        ['send', "553 5.7.1 <spam@example.com>: Sender address rejected: not owned by user kim\r\n"],
        ['expect', "QUIT\r\n"],
        ['send', "221 2.0.0 Bye\r\n"],
    ]), ['timeout' => 5]);
    $c = new SmtpDiag\Client($srv->dsn(), $options + ['encryption' => 'none', 'timeout' => 5]);
    $r = $c->send('kim@example.com', ['leo@example.net', 'mia@example.net'], $msg);
    echo $r->queueId, ' ', count($r->accepted), "\n";
    lockstep($c);
    echo sdiag_dialogue($c);
    try {
        $c->send('spam@example.com', ['leo@example.net', 'mia@example.net'], $msg);
        echo "NO EXCEPTION\n";
    } catch (SmtpDiag\SenderException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    lockstep($c);
    echo sdiag_dialogue($c);
    var_dump($c->isConnected());
    $c->quit();
    unset($c);
    echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
}
?>
--EXPECT--
=== not offered
AAA111 2
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-SIZE 1000000
<-  250 8BITMIME
 -> MAIL FROM:<kim@example.com> SIZE=29
<-  250 2.1.0 Ok
 -> RCPT TO:<leo@example.net>
<-  250 2.1.5 Ok
 -> RCPT TO:<mia@example.net>
<-  250 2.1.5 Ok
 -> DATA
<-  354 go ahead
=== message: 29 bytes
 -> .
<-  250 2.0.0 Ok: queued as AAA111
SmtpDiag\SenderException: the sender was rejected: 553 5.7.1 <spam@example.com>: Sender address rejected: not owned by user kim
 -> MAIL FROM:<spam@example.com> SIZE=29
<-  553 5.7.1 <spam@example.com>: Sender address rejected: not owned by user kim
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<kim@example.com> SIZE=29\r\n
RCPT TO:<leo@example.net>\r\n
RCPT TO:<mia@example.net>\r\n
DATA\r\n
Subject: lock-step\r\n
\r\n
hello\r\n
.\r\n
MAIL FROM:<spam@example.com> SIZE=29\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== pipelining option off
AAA111 2
<-  220 mx.test.example ESMTP
 -> EHLO [127.0.0.1]
<-  250-test.example greets you
<-  250-PIPELINING
<-  250 SIZE 1000000
 -> MAIL FROM:<kim@example.com> SIZE=29
<-  250 2.1.0 Ok
 -> RCPT TO:<leo@example.net>
<-  250 2.1.5 Ok
 -> RCPT TO:<mia@example.net>
<-  250 2.1.5 Ok
 -> DATA
<-  354 go ahead
=== message: 29 bytes
 -> .
<-  250 2.0.0 Ok: queued as AAA111
SmtpDiag\SenderException: the sender was rejected: 553 5.7.1 <spam@example.com>: Sender address rejected: not owned by user kim
 -> MAIL FROM:<spam@example.com> SIZE=29
<-  553 5.7.1 <spam@example.com>: Sender address rejected: not owned by user kim
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<kim@example.com> SIZE=29\r\n
RCPT TO:<leo@example.net>\r\n
RCPT TO:<mia@example.net>\r\n
DATA\r\n
Subject: lock-step\r\n
\r\n
hello\r\n
.\r\n
MAIL FROM:<spam@example.com> SIZE=29\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---