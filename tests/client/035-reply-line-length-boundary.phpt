--TEST--
Client: the reply line limit: a 4096-byte line (without CRLF) is accepted, a 4097-byte line is rejected as "longer than 4096 bytes"
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/client.inc';

foreach ([4096, 4097] as $n) {
    echo "=== $n bytes\n";
    $srv = SmtpTestServer::start([
        ['send', "220 mx.test.example ESMTP\r\n"],
        ['expect', 'EHLO'],
        ['send', '250 ' . str_repeat('x', $n - 4) . "\r\n"],
        ['expect', 'QUIT'],
        ['send', "221 bye\r\n"],
    ]);
    $c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
    try {
        $c->connect();
        echo "connected\n";
        $t = $c->getTranscript();
        // the transcript keeps 1000 bytes of a long line and says how much it cut
        var_dump(substr(end($t)['text'], 990));
        $c->quit();
    } catch (SmtpDiag\SmtpDiagException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    unset($c);
    echo "--- server received ---\n", $srv->received();
}
?>
--EXPECT--
=== 4096 bytes
connected
string(32) "xxxxxxxxxx [... 3096 more bytes]"
--- server received ---
EHLO [127.0.0.1]
QUIT
--- CLOSED ---
=== 4097 bytes
SmtpDiag\ProtocolException: invalid reply from the server: reply line longer than 4096 bytes
--- server received ---
EHLO [127.0.0.1]
--- CLOSED ---
