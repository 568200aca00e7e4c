--TEST--
sendMany() with an array whose 65th item is invalid: ValueError and no message sent at all (not the first 64 delivered with their results lost, which invites duplicates when the caller retries)
--EXTENSIONS--
smtpdiag
--FILE--
<?php
require __DIR__ . '/../inc/send.inc';

$srv = SmtpTestServer::start(array_merge(sdiag_session_start('PIPELINING'), [
    ['expect', "QUIT\r\n"], ['send', "221 Bye\r\n"],
]), ['timeout' => 5]);
$c = new SmtpDiag\Client($srv->dsn(), ['encryption' => 'none', 'timeout' => 5]);
$c->connect();
$batch = array_fill(0, 64, ['from' => 's@example.com', 'to' => 'r@example.net', 'message' => "x\r\n"]);
$batch[] = ['from' => 's@example.com', 'to' => "r@example.net\r\nRSET", 'message' => "x\r\n"];
try {
    $c->sendMany($batch);
    echo "NO EXCEPTION\n";
} catch (Throwable $e) {
    echo get_class($e), "\n";
}
$c->quit();
unset($c);
echo "--- server received ---\n", sdiag_show_lines($srv->received()), '--- exit ', $srv->exitCode(), " ---\n";
?>
--EXPECT--
ValueError
--- server received ---
EHLO [127.0.0.1]\r\n
QUIT\r\n
--- CLOSED ---
--- exit 0 ---
