--TEST--
send() failures after MAIL, DATA and the final dot: 553 to MAIL FROM is a SenderException (sender_rejected); DATA refused is a MessageException followed by RSET; a final 552 / 554 / 451 is a MessageException (451 transient); the connection stays usable with no RSET after a final reply
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: x\r\n\r\nbody\r\n";
$ok3 = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', 'ENHANCEDSTATUSCODES', 'SIZE 100000'),
    // 1: sender rejected; the pipelined RCPT and DATA fail as the server says
    [['expect', "MAIL FROM:<s@nowhere.invalid> SIZE=20\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
     ['send', "553 5.1.8 <s@nowhere.invalid>: Sender address rejected: Domain not found\r\n503 5.5.1 Error: need MAIL command\r\n503 5.5.1 Error: need RCPT command\r\n"]],
    // 2: sender rejected without an enhanced code
    [['expect', "MAIL FROM:<s@other.example> SIZE=20\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
     ['send', "553 sorry, that domain isn't in my list of allowed rcpthosts\r\n503 MAIL first\r\n503 MAIL first\r\n"]],
    // 3: DATA refused although the recipient was accepted: RSET
    [['expect', "MAIL FROM:<s@example.com> SIZE=20\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
     ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n554 5.3.2 Service currently unavailable for DATA\r\n"], ['expect', "RSET\r\n"], ['send', "250 2.0.0 Ok\r\n"]],
    // 4-6: final replies
    [['expect', "MAIL FROM:<s@example.com> SIZE=20\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"], ['send', $ok3], ['expect_data'],
     ['send', "552 5.3.4 Error: message file too big\r\n"]],
    [['expect', "MAIL FROM:<s@example.com> SIZE=20\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"], ['send', $ok3], ['expect_data'],
     ['send', "554 5.7.1 Message rejected as spam\r\n"]],
    [['expect', "MAIL FROM:<s@example.com> SIZE=20\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"], ['send', $ok3], ['expect_data'],
     ['send', "451 4.3.0 Error: queue file write error\r\n"]],
    // 7: and the connection still works
    [['expect', "MAIL FROM:<s@example.com> SIZE=20\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"], ['send', $ok3], ['expect_data'],
     ['send', "250 2.0.0 Ok: queued as FINE\r\n"]],
    [['expect', "QUIT\r\n"], ['send', "221 2.0.0 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);

foreach (['s@nowhere.invalid', 's@other.example', 's@example.com', 's@example.com', 's@example.com', 's@example.com'] as $i => $from) {
    echo '=== ', $i + 1, "\n";
    $e = sdiag_expect_throw(fn () => $c->send($from, 'r@example.net', $msg));
    var_dump($c->isConnected());
    foreach ($c->getTranscript() as $entry) {
        if ($entry['dir'] === 'client' && in_array($entry['text'], ['RSET', 'QUIT'], true)) {
            echo "client sent {$entry['text']}\n";
        }
    }
}
echo "=== 7\n";
echo $c->send('s@example.com', 'r@example.net', $msg)->queueId, "\n";
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
=== 1
SmtpDiag\SenderException: the sender was rejected: 553 5.1.8 <s@nowhere.invalid>: Sender address rejected: Domain not found
category: sender_rejected
phase: mail
code: 553
enhanced: '5.1.8'
transient: false
hint: The sender's domain does not resolve (no MX or A record, or the lookup failed): send from an address on a domain that exists in DNS, or fix the domain's DNS.
bool(true)
=== 2
SmtpDiag\SenderException: the sender was rejected: 553 sorry, that domain isn't in my list of allowed rcpthosts
category: sender_rejected
phase: mail
code: 553
enhanced: NULL
transient: false
hint: The server refused this sender address (553): after a successful login this usually means the envelope From differs from the logged-in user; send from that user's address or one of its aliases.
bool(true)
=== 3
SmtpDiag\MessageException: DATA was refused: 554 5.3.2 Service currently unavailable for DATA
category: %s
phase: data
code: 554
enhanced: '5.3.2'
transient: false
hint: %s
bool(true)
client sent RSET
=== 4
SmtpDiag\MessageException: the message was refused: 552 5.3.4 Error: message file too big
category: message_too_large
phase: data
code: 552
enhanced: '5.3.4'
transient: false
hint: The message is larger than the server accepts: send smaller attachments or links.
bool(true)
=== 5
SmtpDiag\MessageException: the message was refused: 554 5.7.1 Message rejected as spam
category: spam_or_policy
phase: data
code: 554
enhanced: '5.7.1'
transient: false
hint: The message's content was refused (spam score, virus, forbidden attachment or links): change the content or the attachment; the same message is refused again.
bool(true)
=== 6
SmtpDiag\MessageException: the message was refused: 451 4.3.0 Error: queue file write error
category: temporary_local_error
phase: data
code: 451
enhanced: '4.3.0'
transient: true
hint: The server had a temporary problem: retry later.
bool(true)
=== 7
FINE
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@nowhere.invalid> SIZE=20\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
MAIL FROM:<s@other.example> SIZE=20\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
MAIL FROM:<s@example.com> SIZE=20\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
RSET\r\n
MAIL FROM:<s@example.com> SIZE=20\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
body\r\n
.\r\n
MAIL FROM:<s@example.com> SIZE=20\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
body\r\n
.\r\n
MAIL FROM:<s@example.com> SIZE=20\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
body\r\n
.\r\n
MAIL FROM:<s@example.com> SIZE=20\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: x\r\n
\r\n
body\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
