--TEST--
send() argument checks before any byte is sent: CR/LF/NUL/"<"/">" in addresses, overlong addresses, empty or oversized recipient lists, non-strings in the list, unknown options; the null sender <> is allowed
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$msg = "Subject: a\r\n\r\nb\r\n";
$a254 = str_repeat('l', 64) . '@' . str_repeat('d', 189);   // 254 octets: "<" . $a254 . ">" is 256
$a300 = str_repeat('l', 64) . '@' . str_repeat('d', 235);
$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), [
    ['expect', "MAIL FROM:<>\r\n"], ['expect', "RCPT TO:<$a254>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 Ok\r\n250 Ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 Ok: queued as NULLSENDER\r\n"],
    ['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"],
]), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$c->connect();

$cases = [
    'CRLF in the sender' => fn () => $c->send("a@example.com>\r\nRCPT TO:<x@example.net", 'r@example.net', $msg),
    'LF in the sender' => fn () => $c->send("a@example.com\n", 'r@example.net', $msg),
    'NUL in the sender' => fn () => $c->send("a@example.com\0", 'r@example.net', $msg),
    '"<" in the sender' => fn () => $c->send('<a@example.com', 'r@example.net', $msg),
    '300-octet sender' => fn () => $c->send($a300, 'r@example.net', $msg),
    'CR in a recipient' => fn () => $c->send('a@example.com', ['r@example.net', "x@example.net\rDATA"], $msg),
    '">" in a recipient' => fn () => $c->send('a@example.com', 'r@example.net> NOTIFY=NEVER', $msg),
    '300-octet recipient' => fn () => $c->send('a@example.com', [$a300], $msg),
    'empty recipient list' => fn () => $c->send('a@example.com', [], $msg),
    'empty recipient string' => fn () => $c->send('a@example.com', '', $msg),
    'empty recipient in a list' => fn () => $c->send('a@example.com', ['r@example.net', ''], $msg),
    '1001 recipients' => fn () => $c->send('a@example.com', array_fill(0, 1001, 'r@example.net'), $msg),
    'integer in the list' => fn () => $c->send('a@example.com', ['r@example.net', 5], $msg),
    'null in the list' => fn () => $c->send('a@example.com', ['r@example.net', null], $msg),
    'recipient of type int' => fn () => $c->send('a@example.com', 5, $msg),
    'unknown option' => fn () => $c->send('a@example.com', 'r@example.net', $msg, ['partial' => true, 'priority' => 'high']),
    'from_name is for sendText()' => fn () => $c->send('a@example.com', 'r@example.net', $msg, ['from_name' => 'A']),
    'integer option key' => fn () => $c->send('a@example.com', 'r@example.net', $msg, [true]),
];
foreach ($cases as $title => $fn) {
    try {
        $fn();
        echo "$title: NO EXCEPTION\n";
    } catch (Throwable $e) {
        echo "$title: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
var_dump($c->isConnected());
echo "=== the null sender, a 254-octet recipient\n";
echo $c->send('', $a254, $msg)->queueId, "\n";
$c->quit();
unset($c);
echo "--- server received ---\n", str_replace($a254, '<254 octets>', sdiag_show_lines($srv->received())), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
CRLF in the sender: ValueError: SmtpDiag\Client::send(): Argument #1 ($from) the sender must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
LF in the sender: ValueError: SmtpDiag\Client::send(): Argument #1 ($from) the sender must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
NUL in the sender: ValueError: SmtpDiag\Client::send(): Argument #1 ($from) the sender must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
"<" in the sender: ValueError: SmtpDiag\Client::send(): Argument #1 ($from) the sender must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
300-octet sender: ValueError: SmtpDiag\Client::send(): Argument #1 ($from) the sender must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
CR in a recipient: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) each recipient must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
">" in a recipient: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) each recipient must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
300-octet recipient: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) each recipient must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
empty recipient list: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) must name 1 to 1000 recipients
empty recipient string: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) must not contain an empty address
empty recipient in a list: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) must not contain an empty address
1001 recipients: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) must name 1 to 1000 recipients
integer in the list: TypeError: SmtpDiag\Client::send(): Argument #2 ($to) must be a string or a list of strings, int found in the list
null in the list: TypeError: SmtpDiag\Client::send(): Argument #2 ($to) must be a string or a list of strings, null found in the list
recipient of type int: TypeError: SmtpDiag\Client::send(): Argument #2 ($to) must be of type string|array, int given
unknown option: ValueError: SmtpDiag\Client::send(): Argument #4 ($options) contains an unknown option "priority" (known: partial, dsn_notify, dsn_ret, dsn_envid, dsn_orcpt)
from_name is for sendText(): ValueError: SmtpDiag\Client::send(): Argument #4 ($options) contains an unknown option "from_name" (known: partial, dsn_notify, dsn_ret, dsn_envid, dsn_orcpt)
integer option key: ValueError: SmtpDiag\Client::send(): Argument #4 ($options) must have string keys
bool(true)
=== the null sender, a 254-octet recipient
NULLSENDER
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<>\r\n
RCPT TO:<<254 octets>>\r\n
DATA\r\n
Subject: a\r\n
\r\n
b\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
