--TEST--
sendMany() with an invalid item (missing key, wrong type, bad address, empty recipient list) or option: ValueError/TypeError, nothing of the batch is sent, and the client stays usable; from a generator, a bad item's slot holds its ValueError and the others are sent
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), [
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as GEN1\r\n"],
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as GEN3\r\n"],
    ['expect', "MAIL FROM:<s@example.com>\r\n"], ['expect', "RCPT TO:<r@example.net>\r\n"], ['expect', "DATA\r\n"],
    ['send', "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n"], ['expect_data'], ['send', "250 2.0.0 Ok: queued as AFTER\r\n"],
    ['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"],
]), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$c->connect();

$ok = ['from' => 's@example.com', 'to' => 'r@example.net', 'message' => "x\r\n"];
foreach ([
    'missing message' => [[$ok, ['from' => 's@example.com', 'to' => 'r@example.net']], []],
    'message not a string' => [[$ok, ['from' => 's@example.com', 'to' => 'r@example.net', 'message' => 42]], []],
    'from not a string' => [[$ok, ['from' => null, 'to' => 'r@example.net', 'message' => 'x']], []],
    'item not an array' => [[$ok, 'r@example.net'], []],
    'CRLF in a recipient' => [[$ok, ['from' => 's@example.com', 'to' => "r@example.net\r\nRSET", 'message' => 'x']], []],
    'integer recipient' => [[$ok, ['from' => 's@example.com', 'to' => [42], 'message' => 'x']], []],
    'empty recipient list' => [[$ok, ['from' => 's@example.com', 'to' => [], 'message' => 'x']], []],
    'unknown option' => [[$ok], ['from_name' => 'x']],
] as $title => [$batch, $options]) {
    try {
        $c->sendMany($batch, $options);
        echo "$title: NO EXCEPTION\n";
    } catch (Throwable $e) {
        echo "$title: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
var_dump($c->isConnected());
// an iterator cannot be checked ahead: the bad item's slot holds its error
$results = $c->sendMany((function () use ($ok) { yield $ok; yield ['from' => 's@example.com']; yield $ok; })());
foreach ($results as $i => $r) {
    echo $i, ' ', get_class($r), ' ', $r instanceof SmtpDiag\SendResult ? $r->queueId : $r->getMessage(), "\n";
}
$results = $c->sendMany([$ok]);
echo count($results), ' ', $results[0]->queueId, "\n";
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n", $srv->stderr();
?>
--EXPECTF--
missing message: ValueError: SmtpDiag\Client::sendMany(): Argument #1 ($messages) must contain arrays with the keys from (string), to (string|array) and message (string)
message not a string: ValueError: SmtpDiag\Client::sendMany(): Argument #1 ($messages) must contain arrays with the keys from (string), to (string|array) and message (string)
from not a string: ValueError: SmtpDiag\Client::sendMany(): Argument #1 ($messages) must contain arrays with the keys from (string), to (string|array) and message (string)
item not an array: TypeError: SmtpDiag\Client::sendMany(): Argument #1 ($messages) must contain arrays with the keys from, to and message, string found
CRLF in a recipient: ValueError: SmtpDiag\Client::sendMany(): Argument #1 ($messages) each recipient must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
integer recipient: TypeError: SmtpDiag\Client::sendMany(): Argument #1 ($messages) must be a string or a list of strings, int found in the list
empty recipient list: ValueError: SmtpDiag\Client::sendMany(): Argument #1 ($messages) must name 1 to 1000 recipients
unknown option: ValueError: SmtpDiag\Client::sendMany(): Argument #2 ($options) contains an unknown option "from_name" (known: partial, dsn_notify, dsn_ret, dsn_envid, dsn_orcpt)
bool(true)
0 SmtpDiag\SendResult GEN1
1 ValueError SmtpDiag\Client::sendMany(): Argument #1 ($messages) must contain arrays with the keys from (string), to (string|array) and message (string)
2 SmtpDiag\SendResult GEN3
1 AFTER
--- server received ---
EHLO [127.0.0.1]\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
x\r\n
.\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
x\r\n
.\r\n
MAIL FROM:<s@example.com>\r\n
RCPT TO:<r@example.net>\r\n
DATA\r\n
x\r\n
.\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
