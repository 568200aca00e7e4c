--TEST--
send(): the connection dropped (or the reply timed out) after the final dot: the exception says the delivery state is unknown and the message was not sent again; dropped before the dot: an ordinary connection_lost without that note
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: once\r\n\r\nonly once\r\n";
$env = [['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"]];

foreach ([
    'closed after the dot' => [...$env, ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'], ['close']],
    'no reply to the dot' => [...$env, ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'], ['wait_close']],
    'closed before 354' => [...$env, ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"], ['close']],
] as $title => $steps) {
    echo "=== $title\n";
    $srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), $steps), ['timeout' => 5]);
    $c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 1]);
    $e = sdiag_expect_throw(fn () => $c->send('s@example.com', 'r@example.net', $msg));
    var_dump($c->isConnected());
    $m = $e ? $e->getMessage() : '';
    echo 'says unknown: ', var_export(str_contains($m, 'delivery state unknown'), true), ', says not sent again: ', var_export(str_contains($m, 'not sent again'), true), "\n";
    echo implode("\n", array_slice(explode("\n", trim(sdiag_dialogue($c))), -4)), "\n";
    unset($c, $e);
    echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
}
?>
--EXPECT--
=== closed after the dot
SmtpDiag\ConnectionException: the server closed the connection while waiting for a reply (delivery state unknown: the end of data was sent but not answered; not sent again)
category: connection_lost
phase: data
code: NULL
enhanced: NULL
transient: false
hint: The end of the message was sent but never answered: it may have been delivered. It is not sent again automatically, to avoid a duplicate; check the server's logs or the recipient's mailbox.
bool(false)
says unknown: true, says not sent again: true
<-  354 go
=== message: 28 bytes
 -> .
=== error: connection_lost: the server closed the connection while waiting for a reply
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: once\r\n
\r\n
only once\r\n
.\r\n
--- exit 0 ---
=== no reply to the dot
SmtpDiag\TimeoutException: the overall timeout of 1.0 s expired waiting for the reply to the end of the message (data phase) (delivery state unknown: the end of data was sent but not answered; not sent again)
category: timeout
phase: data
code: NULL
enhanced: NULL
transient: false
hint: The end of the message was sent but never answered: it may have been delivered. It is not sent again automatically, to avoid a duplicate; check the server's logs or the recipient's mailbox.
bool(false)
says unknown: true, says not sent again: true
<-  354 go
=== message: 28 bytes
 -> .
=== error: timeout: the overall timeout of 1.0 s expired waiting for the reply to the end of the message (data phase)
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
Subject: once\r\n
\r\n
only once\r\n
.\r\n
--- CLOSED ---
--- exit 0 ---
=== closed before 354
SmtpDiag\ConnectionException: the server closed the connection while waiting for a reply
category: connection_lost
phase: data
code: NULL
enhanced: NULL
transient: true
hint: The server closed the connection unexpectedly: check its logs; a server often drops clients it considers abusive or misconfigured.
bool(false)
says unknown: false, says not sent again: false
 -> DATA
<-  250 2.1.0 Ok
<-  250 2.1.5 Ok
=== error: connection_lost: the server closed the connection while waiting for a reply
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
--- exit 0 ---
