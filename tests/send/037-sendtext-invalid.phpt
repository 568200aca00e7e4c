--TEST--
sendText() refuses, before connecting: CR, LF or NUL in the subject or from_name (header injection), invalid UTF-8 in the subject, text or from_name, a non-string from_name, bad addresses and unknown options
--EXTENSIONS--
smtpdiag
--FILE--
<?php
// nothing listens: anything that got past the checks would end in a ConnectionException
$c = new SmtpDiag\Client('smtp://127.0.0.1:' . (function () {
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr((string)stream_socket_get_name($s, false), 10);
    fclose($s);
    return $port;
})(), ['encryption' => 'none', 'timeout' => 5]);

$cases = [
    'CRLF in the subject' => ['s@example.com', 'r@example.net', "Hi\r\nBcc: victim@example.org", 'text', []],
    'LF in the subject' => ['s@example.com', 'r@example.net', "Hi\nX-Injected: 1", 'text', []],
    'CR in the subject' => ['s@example.com', 'r@example.net', "Hi\rX", 'text', []],
    'NUL in the subject' => ['s@example.com', 'r@example.net', "Hi\0", 'text', []],
    'LF in from_name' => ['s@example.com', 'r@example.net', 'Hi', 'text', ['from_name' => "Eve\nBcc: victim@example.org"]],
    'NUL in from_name' => ['s@example.com', 'r@example.net', 'Hi', 'text', ['from_name' => "Eve\0Bcc: victim@example.org"]],
    'invalid UTF-8 text' => ['s@example.com', 'r@example.net', 'Hi', "caf\xE9", []],
    'overlong UTF-8 in the text' => ['s@example.com', 'r@example.net', 'Hi', "\xC0\xAE", []],
    'UTF-16 surrogate in the text' => ['s@example.com', 'r@example.net', 'Hi', "\xED\xA0\x80", []],
    'invalid UTF-8 subject' => ['s@example.com', 'r@example.net', "\xFF", 'text', []],
    'invalid UTF-8 from_name' => ['s@example.com', 'r@example.net', 'Hi', 'text', ['from_name' => "\xC3"]],
    'from_name not a string' => ['s@example.com', 'r@example.net', 'Hi', 'text', ['from_name' => ['Eve']]],
    'unknown option' => ['s@example.com', 'r@example.net', 'Hi', 'text', ['reply_to' => 'x@example.com']],
    'CRLF in the sender' => ["s@example.com\r\nDATA", 'r@example.net', 'Hi', 'text', []],
    'no recipient' => ['s@example.com', [], 'Hi', 'text', []],
];
foreach ($cases as $title => [$from, $to, $subject, $text, $options]) {
    try {
        $c->sendText($from, $to, $subject, $text, $options);
        echo "$title: NO EXCEPTION\n";
    } catch (Throwable $e) {
        echo "$title: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
CRLF in the subject: ValueError: SmtpDiag\Client::sendText(): Argument #3 ($subject) must not contain CR, LF or NUL
LF in the subject: ValueError: SmtpDiag\Client::sendText(): Argument #3 ($subject) must not contain CR, LF or NUL
CR in the subject: ValueError: SmtpDiag\Client::sendText(): Argument #3 ($subject) must not contain CR, LF or NUL
NUL in the subject: ValueError: SmtpDiag\Client::sendText(): Argument #3 ($subject) must not contain CR, LF or NUL
LF in from_name: ValueError: SmtpDiag\Client::sendText(): Argument #5 ($options) option "from_name" must not contain CR, LF or NUL
NUL in from_name: ValueError: %s
invalid UTF-8 text: ValueError: the subject, the sender's name and the text must be UTF-8
overlong UTF-8 in the text: ValueError: the subject, the sender's name and the text must be UTF-8
UTF-16 surrogate in the text: ValueError: the subject, the sender's name and the text must be UTF-8
invalid UTF-8 subject: ValueError: the subject, the sender's name and the text must be UTF-8
invalid UTF-8 from_name: ValueError: the subject, the sender's name and the text must be UTF-8
from_name not a string: TypeError: SmtpDiag\Client::sendText(): Argument #5 ($options) option "from_name" must be a string
unknown option: ValueError: SmtpDiag\Client::sendText(): Argument #5 ($options) contains an unknown option "reply_to" (known: partial, dsn_notify, dsn_ret, dsn_envid, dsn_orcpt, from_name)
CRLF in the sender: ValueError: SmtpDiag\Client::sendText(): Argument #1 ($from) the sender must be an address of at most %d bytes without CR, LF, NUL, "<" or ">"
no recipient: ValueError: SmtpDiag\Client::sendText(): Argument #2 ($to) must name 1 to 1000 recipients
