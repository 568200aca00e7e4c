--TEST--
send(): a non-ASCII (UTF-8) sender or recipient adds SMTPUTF8 to MAIL FROM when the server offers it; without SMTPUTF8 it fails with mailbox_name_invalid before MAIL; ASCII addresses never get the parameter
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: utf8\r\n\r\nhi\r\n";
$from = "j\u{00F6}ran@ex\u{00E4}mple.com";
$to = "\u{7528}\u{6237}@\u{4F8B}\u{5B50}.\u{5E7F}\u{544A}";

function txn(string $mail, string $rcpt): array
{
    return [
        ['expect', "$mail\r\n"], ['expect', "$rcpt\r\n"], ['expect', "DATA\r\n"],
        ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"],
        ['expect_data'],
        ['send', "250 2.0.0 Ok: queued as U8\r\n"],
    ];
}

echo "=== SMTPUTF8 offered\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', '8BITMIME', 'SMTPUTF8'),
    txn("MAIL FROM:<$from> SMTPUTF8", "RCPT TO:<ascii@example.net>"),
    txn("MAIL FROM:<ascii@example.com> SMTPUTF8", "RCPT TO:<$to>"),
    txn("MAIL FROM:<ascii@example.com>", "RCPT TO:<ascii@example.net>"),
    [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$r = $c->send($from, 'ascii@example.net', $msg);
echo $r->queueId, "\n";
$r = $c->send('ascii@example.com', [$to], $msg);
echo $r->queueId, ' ', $r->accepted[0]['address'] === $to ? 'address kept' : 'address changed', "\n";
$r = $c->send('ascii@example.com', 'ascii@example.net', $msg);
echo $r->queueId, "\n";
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();

echo "=== SMTPUTF8 not offered\n";
$srv = SmtpTestServer::start(array_merge(
    sdiag_session_start('PIPELINING', '8BITMIME'),
    [['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"]],
), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
foreach ([[$from, 'ascii@example.net'], ['ascii@example.com', ['ascii@example.net', $to]]] as [$f, $t]) {
    try {
        $c->send($f, $t, $msg);
        echo "NO EXCEPTION\n";
    } catch (SmtpDiag\SmtpDiagException $e) {
        echo $e->getMessage(), "\n  ", $e->getCategory(), ' / ', var_export($e->getSmtpCode(), true), ' / ', $e->getHint(), "\n";
        if ($f !== 'ascii@example.com') {
            echo '  ', get_class($e), "\n";
        }
    }
    var_dump($c->isConnected());
}
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECT--
=== SMTPUTF8 offered
U8
U8 address kept
U8
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<j\303\266ran@ex\303\244mple.com> SMTPUTF8\r\n
RCPT TO:<ascii@example.net>\r\n
DATA\r\n
Subject: utf8\r\n
\r\n
hi\r\n
.\r\n
MAIL FROM:<ascii@example.com> SMTPUTF8\r\n
RCPT TO:<\347\224\250\346\210\267@\344\276\213\345\255\220.\345\271\277\345\221\212>\r\n
DATA\r\n
Subject: utf8\r\n
\r\n
hi\r\n
.\r\n
MAIL FROM:<ascii@example.com>\r\n
RCPT TO:<ascii@example.net>\r\n
DATA\r\n
Subject: utf8\r\n
\r\n
hi\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
=== SMTPUTF8 not offered
the sender's address contains non-ASCII characters but the server does not offer SMTPUTF8
  mailbox_name_invalid / NULL / Use an ASCII address (an IDN domain can be written in its xn-- form), or a server with SMTPUTF8.
  SmtpDiag\SenderException
bool(true)
a recipient's address contains non-ASCII characters but the server does not offer SMTPUTF8
  mailbox_name_invalid / NULL / Use an ASCII address (an IDN domain can be written in its xn-- form), or a server with SMTPUTF8.
bool(true)
--- server received ---
EHLO [127.0.0.1]\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
