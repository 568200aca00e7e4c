--TEST--
send(): SIZE=<size after CRLF normalisation, without dot-stuffing> when SIZE is offered, refused before MAIL above the limit (boundary: limit ok, limit+1 refused); BODY=8BITMIME for 8-bit messages when offered, MessageException before anything is sent when not
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$plain = "Subject: a\n\nline\n.dot\n";            // 26 bytes normalised; 27 on the wire with the dot doubled
$eight = "Subject: caf\xC3\xA9\r\n\r\nna\xC3\xAFve\r\n"; // 8-bit bytes in header and body
$exact = str_repeat('x', 198) . "\n";               // 200 bytes after normalisation
$over = str_repeat('x', 199) . "\n";                // 201
$noEol = 'abc';                                     // "abc\r\n": 5

function txn(string $mail, string $rcpt = 'RCPT TO:<to@example.net>'): array
{
    return [
        ['expect', "$mail\r\n"],
        ['expect', "$rcpt\r\n"],
        ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['send', "250 2.0.0 Ok: queued as Q\r\n"],
    ];
}

function show_send(SmtpDiag\Client $c, string $msg): void
{
    try {
        $r = $c->send('from@example.com', 'to@example.net', $msg);
        echo "sent, size {$r->size}\n";
    } catch (SmtpDiag\SmtpDiagException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
        echo '  ', $e->getCategory(), ' / ', $e->getPhase(), ' / ', var_export($e->getSmtpCode(), true), ' / ', $e->getHint(), "\n";
    }
    foreach ($c->getTranscript() as $e) {
        if ($e['dir'] === 'client') {
            echo '  -> ', $e['text'], "\n";
        }
    }
}

echo "=== SIZE 200, 8BITMIME, PIPELINING\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', 'SIZE 200', '8BITMIME'),
    txn('MAIL FROM:<from@example.com> SIZE=26'),
    txn('MAIL FROM:<from@example.com> SIZE=26 BODY=8BITMIME'),
    txn('MAIL FROM:<from@example.com> SIZE=200'),
    txn('MAIL FROM:<from@example.com> SIZE=5'),
    [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
foreach ([$plain, $eight, $exact, $over, $noEol] as $msg) {
    show_send($c, $msg);
}
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== SIZE without a limit, no 8BITMIME\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('SIZE'),
    [['expect', "MAIL FROM:<from@example.com> SIZE=26\r\n"], ['send', "250 Ok\r\n"], ['expect', "RCPT TO:<to@example.net>\r\n"], ['send', "250 Ok\r\n"],
     ['expect', "DATA\r\n"], ['send', "354 go\r\n"], ['expect_data'], ['send', "250 Ok\r\n"]],
    [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
show_send($c, $eight);
show_send($c, $plain);
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== no SIZE offered: no SIZE parameter\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', '8BITMIME'),
    txn('MAIL FROM:<from@example.com> BODY=8BITMIME'),
    [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
show_send($c, $eight . str_repeat("0123456789\n", 1000));
$c->quit();
unset($c);
echo '--- server exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
=== SIZE 200, 8BITMIME, PIPELINING
sent, size 26
  -> EHLO [127.0.0.1]
  -> MAIL FROM:<from@example.com> SIZE=26
  -> RCPT TO:<to@example.net>
  -> DATA
  -> .
sent, size 26
  -> MAIL FROM:<from@example.com> SIZE=26 BODY=8BITMIME
  -> RCPT TO:<to@example.net>
  -> DATA
  -> .
sent, size 200
  -> MAIL FROM:<from@example.com> SIZE=200
  -> RCPT TO:<to@example.net>
  -> DATA
  -> .
SmtpDiag\MessageException: the message has 201 bytes, more than the server's limit of 200 bytes (SIZE): nothing was sent
  message_too_large / data / NULL / The message is larger than the server accepts: send smaller attachments or links.
sent, size 5
  -> MAIL FROM:<from@example.com> SIZE=5
  -> RCPT TO:<to@example.net>
  -> DATA
  -> .
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<from@example.com> SIZE=26\r\n
RCPT TO:<to@example.net>\r\n
DATA\r\n
Subject: a\r\n
\r\n
line\r\n
..dot\r\n
.\r\n
MAIL FROM:<from@example.com> SIZE=26 BODY=8BITMIME\r\n
RCPT TO:<to@example.net>\r\n
DATA\r\n
Subject: caf\303\251\r\n
\r\n
na\303\257ve\r\n
.\r\n
MAIL FROM:<from@example.com> SIZE=200\r\n
RCPT TO:<to@example.net>\r\n
DATA\r\n
xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n
.\r\n
MAIL FROM:<from@example.com> SIZE=5\r\n
RCPT TO:<to@example.net>\r\n
DATA\r\n
abc\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== SIZE without a limit, no 8BITMIME
SmtpDiag\MessageException: the message contains 8-bit bytes but the server does not offer 8BITMIME
  other / data / NULL / Encode the body with quoted-printable or base64 (mail libraries do this when asked for 7-bit transfer encoding).
  -> EHLO [127.0.0.1]
sent, size 26
  -> MAIL FROM:<from@example.com> SIZE=26
  -> RCPT TO:<to@example.net>
  -> DATA
  -> .
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<from@example.com> SIZE=26\r\n
RCPT TO:<to@example.net>\r\n
DATA\r\n
Subject: a\r\n
\r\n
line\r\n
..dot\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== no SIZE offered: no SIZE parameter
sent, size 12026
  -> EHLO [127.0.0.1]
  -> MAIL FROM:<from@example.com> BODY=8BITMIME
  -> RCPT TO:<to@example.net>
  -> DATA
  -> .
--- server exit 0 ---
