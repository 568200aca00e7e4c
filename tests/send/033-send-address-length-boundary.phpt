--TEST--
send() address length boundary: RFC 5321 4.5.3.1.3 limits a path to 256 octets including "<" and ">", so a 254-octet address is the longest allowed and a 255-octet one is a ValueError before connecting
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$a255 = str_repeat('l', 64) . '@' . str_repeat('d', 190);
$a256 = $a255 . 'd';
// nothing listens: an address that passed the check would end in a ConnectionException
$c = new SmtpDiag\Client('smtp://127.0.0.1:' . SmtpTestServer::refusedPort(), ['encryption' => 'none', 'timeout' => 5]);
foreach (['sender' => [$a255, 'r@example.net'], 'recipient' => ['s@example.com', ['r@example.net', $a255]], '256-octet recipient' => ['s@example.com', $a256]] as $what => [$from, $to]) {
    try {
        $c->send($from, $to, "x\r\n");
        echo "$what: NO EXCEPTION\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
sender: ValueError: SmtpDiag\Client::send(): Argument #1 ($from) %s
recipient: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) %s
256-octet recipient: ValueError: SmtpDiag\Client::send(): Argument #2 ($to) %s
