--TEST--
send() with CHUNKING and PIPELINING: MAIL, RCPT, "BDAT <size> LAST" and the message go in one write (the server reads them all before any reply), the message is sent exactly as normalised (no dot-stuffing, no terminating dot), the one reply to BDAT LAST is the final one; a refused recipient makes BDAT fail as a RecipientException followed by RSET; chunking=false falls back to DATA
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: bdat\n\n.a line with a dot\nend";
$wire = "Subject: bdat\r\n\r\n.a line with a dot\r\nend\r\n";   // normalised, not dot-stuffed
$n = strlen($wire);

$srv = SmtpTestServer::start([], ['timeout' => 5, 'steps_per_connection' => [
    array_merge(sdiag_session_start('PIPELINING', 'CHUNKING', 'SIZE 100000'), [
        // everything of the message arrives before the server answers anything
        ['expect', "MAIL FROM:<a@example.com> SIZE=$n\r\n"],
        ['expect', "RCPT TO:<b@example.net>\r\n"],
        ['expect', "BDAT $n LAST\r\n"],
        ['expect_bytes', $n],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: queued as BDAT1\r\n"],
        // a refused recipient: the chunk is still read, BDAT fails, RSET follows
        ['expect', "MAIL FROM:<a@example.com> SIZE=$n\r\n"],
        ['expect', "RCPT TO:<nobody@example.net>\r\n"],
        ['expect', "BDAT $n LAST\r\n"],
        ['expect_bytes', $n],
        ['send', "250 2.1.0 Ok\r\n550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown\r\n554 5.5.1 Error: no valid recipients\r\n"],
        ['expect', "RSET\r\n"],
        ['send', "250 2.0.0 Ok\r\n"],
        ['expect', "QUIT\r\n"],
        ['send', "221 2.0.0 Bye\r\n"],
    ]),
    array_merge(sdiag_session_start('PIPELINING', 'CHUNKING', 'SIZE 100000'), [
        // chunking disabled: DATA, dot-stuffing and the dot
        ['expect', "MAIL FROM:<a@example.com> SIZE=$n\r\n"],
        ['expect', "RCPT TO:<b@example.net>\r\n"],
        ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['send', "250 2.0.0 Ok: queued as DATA1\r\n"],
        ['expect', "QUIT\r\n"],
        ['send', "221 2.0.0 Bye\r\n"],
    ]),
]]);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$r = $c->send('a@example.com', 'b@example.net', $msg);
echo $r->code, ' ', $r->queueId, ' ', $r->size, "\n";
try {
    $c->send('a@example.com', 'nobody@example.net', $msg);
    echo "NO EXCEPTION\n";
} catch (SmtpDiag\RecipientException $e) {
    echo get_class($e), ' ', $e->getCategory(), ' ', $e->getSmtpCode(), "\n";
}
echo sdiag_dialogue($c);
$c->quit();
unset($c);

$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5, 'chunking' => false]);
$r = $c->send('a@example.com', 'b@example.net', $msg);
echo $r->code, ' ', $r->queueId, "\n";
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n";
?>
--EXPECT--
250 BDAT1 42
SmtpDiag\RecipientException mailbox_unavailable 550
 -> MAIL FROM:<a@example.com> SIZE=42
 -> RCPT TO:<nobody@example.net>
 -> BDAT 42 LAST
=== message: 42 bytes in the BDAT chunk
<-  250 2.1.0 Ok
<-  550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown
<-  554 5.5.1 Error: no valid recipients
 -> RSET
<-  250 2.0.0 Ok
250 DATA1
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<a@example.com> SIZE=42\r\n
RCPT TO:<b@example.net>\r\n
BDAT 42 LAST\r\n
Subject: bdat\r\n
\r\n
.a line with a dot\r\n
end\r\n
MAIL FROM:<a@example.com> SIZE=42\r\n
RCPT TO:<nobody@example.net>\r\n
BDAT 42 LAST\r\n
Subject: bdat\r\n
\r\n
.a line with a dot\r\n
end\r\n
RSET\r\n
QUIT\r\n
--- CLOSED ---
--- CONNECTION 2 ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<a@example.com> SIZE=42\r\n
RCPT TO:<b@example.net>\r\n
DATA\r\n
Subject: bdat\r\n
\r\n
..a line with a dot\r\n
end\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
